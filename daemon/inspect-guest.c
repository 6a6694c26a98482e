/* Reading the files of a guest being inspected.  Inspection works on
 * filesystems mounted in private directories, not under /sysroot, so
 * every path is resolved against the candidate's own root fd with
 * openat2(RESOLVE_IN_ROOT): a symlink to /etc/shadow or "../../.." in a
 * crafted guest stays inside that guest.  Reads are bounded, and only
 * regular files are read (a FIFO or a device in the guest is refused,
 * never opened for reading: O_PATH first, then reopened). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "inspect.h"

int
guest_open (int rootfd, const char *path, int flags)
{
  return openat2_in_root (rootfd, path, flags, 0);
}

/* A read-only fd of a regular file, or -1 with errno (EISDIR for any
 * other kind of file). */
static int
open_regular (int rootfd, const char *path)
{
  CLEANUP_CLOSE int pfd = guest_open (rootfd, path, O_PATH);
  char buf[32];
  struct stat st;

  if (pfd == -1)
    return -1;
  if (fstat (pfd, &st) == -1)
    return -1;
  if (!S_ISREG (st.st_mode)) {
    errno = EISDIR;
    return -1;
  }
  return open (fd_path (pfd, buf), O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

char *
guest_read (int rootfd, const char *path, size_t max, size_t *len)
{
  CLEANUP_CLOSE int fd = open_regular (rootfd, path);
  char *buf;
  size_t n = 0, cap;

  if (fd == -1)
    return NULL;
  /* Grow as the file turns out to be bigger, never past max: a sparse
   * 2 GiB file costs max bytes, not 2 GiB. */
  cap = max < 65536 ? max : 65536;
  buf = malloc (cap + 1);
  if (buf == NULL)
    return NULL;
  for (;;) {
    ssize_t r;

    if (n == cap) {
      size_t ncap = cap * 2 < max ? cap * 2 : max;
      char *p;

      if (ncap == cap)
        break;
      p = realloc (buf, ncap + 1);
      if (p == NULL) {
        free (buf);
        return NULL;
      }
      buf = p;
      cap = ncap;
    }
    r = read (fd, buf + n, cap - n);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      int saved = errno;
      free (buf);
      errno = saved;
      return NULL;
    }
    if (r == 0)
      break;
    n += r;
  }
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

static int
is_kind (int rootfd, const char *path, mode_t kind)
{
  CLEANUP_CLOSE int fd = guest_open (rootfd, path, O_PATH);
  struct stat st;

  return fd != -1 && fstat (fd, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

int
guest_is_dir (int rootfd, const char *path)
{
  return is_kind (rootfd, path, S_IFDIR);
}

int
guest_is_file (int rootfd, const char *path)
{
  return is_kind (rootfd, path, S_IFREG);
}

char *
guest_case_lookup (int rootfd, const char *dir, const char *name)
{
  int fd = guest_open (rootfd, dir, O_RDONLY | O_DIRECTORY);
  DIR *d;
  struct dirent *e;
  char *r;
  unsigned seen = 0;

  if (fd == -1)
    return NULL;
  d = fdopendir (fd);
  if (d == NULL) {
    close (fd);
    return NULL;
  }
  /* A directory of millions of entries is not a Windows system root:
   * stop looking after a bound. */
  while (seen++ < 100000 && (e = readdir (d)) != NULL)
    if (strcasecmp (e->d_name, name) == 0) {
      r = strdup (e->d_name);
      closedir (d);
      return r;
    }
  closedir (d);
  errno = ENOENT;
  return NULL;
}
