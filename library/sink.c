/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a download goes: the caller's standard output, a device or a
 * FIFO as it is, or a regular file written under a temporary name and
 * renamed only once it arrived whole, so nothing is left half-written;
 * zero blocks and the daemon's holes stay holes in a regular file. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "full-rw.h"

/* The process umask, read without changing it (umask(2) would race with
 * other threads): 022 if the kernel does not say. */
static mode_t
current_umask (void)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/self/status", "re");
  char line[128];
  unsigned int m;

  while (fp && fgets (line, sizeof line, fp))
    if (sscanf (line, "Umask: %o", &m) == 1)
      return (mode_t) m;
  return 022;
}

int
drydock_int_sink_open (drydock_h *h, const char *name, struct drydock_sink *s, const char *target)
{
  struct stat st;

  memset (s, 0, sizeof *s);
  s->target = target;
  if (strcmp (target, "-") == 0 || strcmp (target, "/dev/stdout") == 0) {
    /* Shared with the caller's descriptor, so a redirection to a file
     * is written where the caller's output is, not from its start. */
    s->fd = dup (1);
  }
  else if ((stat (target, &st) == 0 && !S_ISREG (st.st_mode)) ||
           strncmp (target, "/proc/", 6) == 0 ||
           strncmp (target, "/dev/fd/", 8) == 0 ||
           strncmp (target, "/dev/std", 8) == 0) {
    /* /dev/stdout, a fifo, an open file named by its descriptor: even
     * when it is a regular file (standard output redirected to one),
     * never replaced by a renamed temporary file, which would put a
     * file in the place of the name (/dev/stdout's symbolic link).  A
     * file elsewhere under /dev (/dev/shm/x) is a file like any. */
    s->fd = open (target, O_WRONLY | O_CLOEXEC);
  }
  else {
    if (asprintf (&s->tmp, "%s.drydock-XXXXXX", target) == -1) {
      drydock_int_perror (h, "%s", name);
      return -1;
    }
    s->fd = mkostemp (s->tmp, O_CLOEXEC);
    if (s->fd >= 0)
      fchmod (s->fd, 0666 & ~current_umask ());
  }
  if (s->fd == -1) {
    drydock_int_perror (h, "%s: %s", name, target);
    free (s->tmp);
    s->tmp = NULL;
    return -1;
  }
  return 0;
}

/* Zero blocks of a download to a regular file become holes, so a
 * guest's sparse file stays sparse on the host (as cp --sparse=auto). */
#define HOLE_BLOCK 4096

static int
all_zero (const char *p, size_t n)
{
  return n == 0 || (p[0] == 0 && memcmp (p, p + 1, n - 1) == 0);
}

/* Writes what is not zero, and seeks over the zero blocks: a run of
 * blocks of one kind at a time, one write or one seek each. */
static int
write_or_skip (struct drydock_sink *s, const char *p, size_t n)
{
  while (n > 0) {
    size_t run = HOLE_BLOCK - s->pos % HOLE_BLOCK;
    int zero;

    if (run > n)
      run = n;
    zero = all_zero (p, run);
    while (run < n) {
      size_t b = n - run < HOLE_BLOCK ? n - run : HOLE_BLOCK;

      if (all_zero (p + run, b) != zero)
        break;
      run += b;
    }
    if (zero) {
      if (lseek (s->fd, (off_t) run, SEEK_CUR) == -1)
        return -1;
    }
    else if (write_all (s->fd, p, run) == -1)
      return -1;
    s->pos += run;
    p += run;
    n -= run;
  }
  return 0;
}

void
drydock_int_sink_write (struct drydock_sink *s, const char *p, size_t n)
{
  int r;

  if (s->failed)
    return;
  r = s->tmp ? write_or_skip (s, p, n) : write_all (s->fd, p, n);
  if (r == -1) {
    s->failed = 1;
    s->saved_errno = errno;
  }
}

/* n zero bytes the daemon sent as a hole: skipped in a regular file
 * (the final ftruncate sets the size), written out anywhere else. */
void
drydock_int_sink_hole (struct drydock_sink *s, uint64_t n)
{
  static const char zeros[HOLE_BLOCK];
  struct stat st;

  if (s->failed)
    return;
  if (s->tmp) {
    if (lseek (s->fd, (off_t) n, SEEK_CUR) == -1) {
      s->failed = 1;
      s->saved_errno = errno;
    }
    s->pos += n;
    return;
  }
  /* A device that seeks (/dev/null) takes it as a seek too. */
  if (fstat (s->fd, &st) == 0 && !S_ISREG (st.st_mode) &&
      !S_ISFIFO (st.st_mode) && !S_ISSOCK (st.st_mode) &&
      lseek (s->fd, (off_t) n, SEEK_CUR) != -1)
    return;
  while (n > 0 && !s->failed) {
    size_t k = n < sizeof zeros ? (size_t) n : sizeof zeros;

    drydock_int_sink_write (s, zeros, k);
    n -= k;
  }
}

/* Closes the sink; renames into place only when ok.  -1 with error set. */
int
drydock_int_sink_close (drydock_h *h, const char *name, struct drydock_sink *s, int ok)
{
  int r = 0;

  /* A hole at the end is the file's size still to set. */
  if (s->fd >= 0 && s->tmp && ok && !s->failed &&
      ftruncate (s->fd, (off_t) s->pos) == -1) {
    s->failed = 1;
    s->saved_errno = errno;
  }
  if (s->fd >= 0 && close (s->fd) == -1 && !s->failed) {
    s->failed = 1;
    s->saved_errno = errno;
  }
  s->fd = -1;
  if (ok && s->failed) {
    errno = s->saved_errno;
    drydock_int_perror (h, "%s: %s", name, s->target);
    r = -1;
  }
  if (s->tmp) {
    if (ok && r == 0 && rename (s->tmp, s->target) == -1) {
      drydock_int_perror (h, "%s: %s", name, s->target);
      r = -1;
    }
    if (!ok || r == -1)
      unlink (s->tmp);
    free (s->tmp);
    s->tmp = NULL;
  }
  return r;
}
