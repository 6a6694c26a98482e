/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit test of full-rw.h: write_all and read_all through a pipe whose
 * other end moves a few bytes at a time, EAGAIN on a full non-blocking
 * pipe, and read_fd_max / read_file_max on regular files (with and
 * without a cut), an empty file, a pipe, a directory and a missing
 * path.  Every call is made outside assert () and its result checked
 * after. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "full-rw.h"

#define BIG (300 * 1000)

static char pattern[BIG];

static void
fill_pattern (void)
{
  for (size_t i = 0; i < BIG; ++i)
    pattern[i] = (char) ('a' + i % 23);
}

/* A child that writes the pattern to p[1] in 7-byte writes, then
 * exits; the caller closes p[1]. */
static pid_t
slow_writer (int p[2])
{
  pid_t pid = fork ();

  assert (pid != -1);
  if (pid == 0) {
    int fd = p[1];

    close (p[0]);
    for (size_t i = 0; i < BIG; i += 7) {
      size_t n = BIG - i < 7 ? BIG - i : 7;

      if (write (fd, pattern + i, n) != (ssize_t) n)
        _exit (1);
    }
    _exit (0);
  }
  return pid;
}

/* A child that reads p[0] in 5-byte reads and exits 0 if it got
 * exactly the pattern; the caller closes p[0]. */
static pid_t
slow_reader (int p[2])
{
  pid_t pid = fork ();

  assert (pid != -1);
  if (pid == 0) {
    int fd = p[0];
    size_t got = 0;
    char buf[5];
    ssize_t r;

    close (p[1]);
    while ((r = read (fd, buf, sizeof buf)) > 0) {
      if (got + (size_t) r > BIG || memcmp (buf, pattern + got, (size_t) r))
        _exit (1);
      got += (size_t) r;
    }
    _exit (r == 0 && got == BIG ? 0 : 1);
  }
  return pid;
}

static void
wait_ok (pid_t pid)
{
  int status;
  pid_t r = waitpid (pid, &status, 0);

  assert (r == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

static void
test_pipes (void)
{
  static char buf[BIG + 100];
  int p[2], r;
  ssize_t n;
  pid_t pid;

  /* read_all gathers the small writes, then stops at the end. */
  r = pipe (p);
  assert (r == 0);
  pid = slow_writer (p);
  close (p[1]);
  n = read_all (p[0], buf, 1000);
  assert (n == 1000 && memcmp (buf, pattern, 1000) == 0);
  n = read_all (p[0], buf + 1000, sizeof buf - 1000);
  assert (n == BIG - 1000 && memcmp (buf, pattern, BIG) == 0);
  n = read_all (p[0], buf, 10);
  assert (n == 0);
  close (p[0]);
  wait_ok (pid);

  /* write_all to a reader that takes a little at a time. */
  r = pipe (p);
  assert (r == 0);
  pid = slow_reader (p);
  close (p[0]);
  r = write_all (p[1], pattern, BIG);
  assert (r == 0);
  close (p[1]);
  wait_ok (pid);

  /* A full non-blocking pipe: EAGAIN is an error. */
  r = pipe2 (p, O_NONBLOCK);
  assert (r == 0);
  errno = 0;
  r = write_all (p[1], pattern, BIG);
  assert (r == -1 && errno == EAGAIN);
  close (p[0]);
  close (p[1]);
}

static void
write_file (const char *path, const char *data, size_t n)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int r;

  assert (fd >= 0);
  r = write_all (fd, data, n);
  assert (r == 0);
  r = close (fd);
  assert (r == 0);
}

static void
test_read_max (const char *dir)
{
  char path[4096], empty[4096], missing[4096];
  char *s;
  size_t len = 12345;
  int p[2], r, fd;
  pid_t pid;

  snprintf (path, sizeof path, "%s/file", dir);
  snprintf (empty, sizeof empty, "%s/empty", dir);
  snprintf (missing, sizeof missing, "%s/missing", dir);
  write_file (path, pattern, BIG);
  write_file (empty, "", 0);

  /* Whole file, NUL-terminated. */
  s = read_file_max (path, SIZE_MAX, &len);
  assert (s != NULL && len == BIG && memcmp (s, pattern, BIG) == 0 &&
          s[BIG] == '\0');
  free (s);
  /* Exactly its size, and one more: how a caller tells them apart. */
  s = read_file_max (path, BIG, &len);
  assert (s != NULL && len == BIG);
  free (s);
  s = read_file_max (path, BIG + 1, &len);
  assert (s != NULL && len == BIG);
  free (s);
  /* Cut. */
  s = read_file_max (path, 1000, &len);
  assert (s != NULL && len == 1000 && memcmp (s, pattern, 1000) == 0 &&
          s[1000] == '\0');
  free (s);
  s = read_file_max (path, 0, &len);
  assert (s != NULL && len == 0 && s[0] == '\0');
  free (s);
  /* Empty. */
  s = read_file_max (empty, 100, &len);
  assert (s != NULL && len == 0 && s[0] == '\0');
  free (s);
  /* From the fd's offset. */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  assert (fd >= 0);
  r = (int) lseek (fd, BIG - 10, SEEK_SET);
  assert (r == BIG - 10);
  s = read_fd_max (fd, 100, &len);
  assert (s != NULL && len == 10 && memcmp (s, pattern + BIG - 10, 10) == 0);
  free (s);
  close (fd);

  /* A pipe: no size known in advance. */
  r = pipe (p);
  assert (r == 0);
  pid = slow_writer (p);
  close (p[1]);
  s = read_fd_max (p[0], SIZE_MAX, &len);
  assert (s != NULL && len == BIG && memcmp (s, pattern, BIG) == 0);
  free (s);
  close (p[0]);
  wait_ok (pid);

  /* Errors. */
  errno = 0;
  s = read_file_max (missing, 100, &len);
  assert (s == NULL && errno == ENOENT);
  errno = 0;
  s = read_file_max (dir, 100, &len);
  assert (s == NULL && errno == EISDIR);

  unlink (path);
  unlink (empty);
}

int
main (void)
{
  const char *tmp = getenv ("TMPDIR");
  char dir[4096];
  char *d;

  fill_pattern ();
  test_pipes ();
  snprintf (dir, sizeof dir, "%s/test-full-rw.XXXXXX",
            tmp && *tmp ? tmp : "/tmp");
  d = mkdtemp (dir);
  assert (d != NULL);
  test_read_max (d);
  rmdir (d);
  printf ("test-full-rw: ok\n");
  return 0;
}
