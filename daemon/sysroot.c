/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guest paths.  Every path an action receives is resolved with
 * openat2(RESOLVE_IN_ROOT) against /sysroot: absolute symlinks and ".."
 * inside the guest stop at the guest's root, so a crafted image cannot
 * make the daemon touch the appliance's own files.  And every guest file
 * whose content is read or written in place is opened here, as a
 * regular file only: a FIFO in a guest would block the daemon, a device
 * node would be one of the appliance's own devices. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"

int
openat2_in_root (int root, const char *path, int flags, mode_t mode)
{
  struct open_how how = {
    .flags = (uint64_t) (flags | O_CLOEXEC),
    .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  long r;

  do
    r = syscall (SYS_openat2, root, path, &how, sizeof how);
  while (r == -1 && errno == EAGAIN);
  return (int) r;
}

int
sysroot_open (const char *path, int flags, mode_t mode)
{
  CLEANUP_CLOSE int root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (root == -1)
    return -1;
  return openat2_in_root (root, path, flags, mode);
}

int
sysroot_open_parent (const char *path, char **base)
{
  CLEANUP_FREE char *copy = strdup (path);
  char *slash;
  size_t n;

  *base = NULL;
  if (copy == NULL)
    return -1;
  /* Drop trailing slashes, but keep "/" itself. */
  n = strlen (copy);
  while (n > 1 && copy[n - 1] == '/')
    copy[--n] = '\0';
  slash = strrchr (copy, '/');
  if (slash == NULL || slash[1] == '\0' || strcmp (slash + 1, ".") == 0 ||
      strcmp (slash + 1, "..") == 0) {
    errno = EINVAL;
    return -1;
  }
  *base = strdup (slash + 1);
  if (*base == NULL)
    return -1;
  if (slash == copy)
    slash[1] = '\0';
  else
    *slash = '\0';
  int fd = sysroot_open (copy, O_PATH | O_DIRECTORY, 0);
  if (fd == -1) {
    int saved = errno;
    free (*base);
    *base = NULL;
    errno = saved;
  }
  return fd;
}

/* Why O_PATH, then fstat, then a reopen, rather than opening with
 * O_NONBLOCK and checking after: an O_PATH open runs no open code of
 * the file itself.  A FIFO's open would wait for a writer, and a
 * device's open is its driver's: O_NONBLOCK keeps a FIFO from blocking
 * but opening /dev/watchdog still arms the watchdog (the appliance then
 * reboots), a tape rewinds, a tty may hang up.  Reopening the O_PATH fd
 * through /proc/self/fd opens the very inode that fstat checked (the
 * link is the inode, not a name looked up again), so nothing can be
 * swapped in between.  /proc is the appliance's own, mounted at boot. */
static int
reopen_regular (int root, const char *path, int flags, int accmode,
                 struct stat *st)
{
  CLEANUP_CLOSE int pfd = -1;
  struct stat tmp;
  char buf[32];

  if (st == NULL)
    st = &tmp;
  st->st_mode = 0;
  pfd = openat2_in_root (root, path, O_PATH | flags, 0);
  if (pfd == -1)
    return -1;
  if (fstat (pfd, st) == -1) {
    st->st_mode = 0;
    return -1;
  }
  if (!S_ISREG (st->st_mode)) {
    errno = S_ISDIR (st->st_mode) ? EISDIR :
      S_ISLNK (st->st_mode) ? ELOOP : EINVAL;
    return -1;
  }
  return open (fd_path (pfd, buf), accmode | O_NOCTTY | O_CLOEXEC);
}

int
open_regular_in_root (int root, const char *path, int flags, struct stat *st)
{
  if (st)
    st->st_mode = 0;
  if (flags & ~O_NOFOLLOW) {
    errno = EINVAL;
    return -1;
  }
  return reopen_regular (root, path, flags, O_RDONLY, st);
}

int
sysroot_open_regular (const char *path, int flags, struct stat *st)
{
  CLEANUP_CLOSE int root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (st)
    st->st_mode = 0;
  if (root == -1)
    return -1;
  return open_regular_in_root (root, path, flags, st);
}

static const char *
file_kind (mode_t mode)
{
  switch (mode & S_IFMT) {
  case S_IFIFO: return "a FIFO";
  case S_IFCHR: return "a character device";
  case S_IFBLK: return "a block device";
  case S_IFSOCK: return "a socket";
  case S_IFLNK: return "a symbolic link";
  default: return "not a file that can be read";
  }
}

int
reply_not_regular (const char *path, mode_t mode)
{
  if (S_ISDIR (mode))
    return reply_with_error_errno (EISDIR, "%s: is a directory", path);
  return reply_with_error_errno (S_ISLNK (mode) ? ELOOP : EINVAL,
                                 "%s: not a regular file (%s)", path,
                                 file_kind (mode));
}

int
reply_open_regular_error (const char *path, const struct stat *st)
{
  /* st_mode is set only when the file was found and is not regular. */
  if (st->st_mode != 0 && !S_ISREG (st->st_mode))
    return reply_not_regular (path, st->st_mode);
  return reply_with_perror ("%s", path);
}

int
sysroot_open_regular_or_reply (const char *path, int flags, struct stat *st)
{
  struct stat tmp;
  int fd;

  if (st == NULL)
    st = &tmp;
  fd = sysroot_open_regular (path, flags, st);
  if (fd == -1)
    return reply_open_regular_error (path, st);
  return fd;
}

/* An existing file is checked through O_PATH and reopened, as for a
 * read.  A new one is created non-blocking and checked after, which
 * costs nothing for a regular file and keeps anything else that might
 * have appeared there meanwhile from blocking. */
int
sysroot_open_regular_write (const char *path, int flags, mode_t mode,
                            struct stat *st)
{
  CLEANUP_CLOSE int pfd = -1, fd = -1;
  struct stat tmp;
  char buf[32];

  if (st == NULL)
    st = &tmp;
  st->st_mode = 0;
  if (flags & ~(O_APPEND | O_TRUNC)) {
    errno = EINVAL;
    return -1;
  }
  pfd = sysroot_open (path, O_PATH, 0);
  if (pfd == -1 && errno != ENOENT)
    return -1;
  if (pfd == -1)
    fd = sysroot_open (path, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK | flags,
                       mode);
  if (pfd == -1 && fd == -1)
    return -1;
  if (fstat (pfd >= 0 ? pfd : fd, st) == -1) {
    st->st_mode = 0;
    return -1;
  }
  if (!S_ISREG (st->st_mode)) {
    errno = S_ISDIR (st->st_mode) ? EISDIR : EINVAL;
    return -1;
  }
  if (pfd >= 0)
    return open (fd_path (pfd, buf), O_WRONLY | O_NOCTTY | O_CLOEXEC | flags);
  if (fcntl (fd, F_SETFL, flags & O_APPEND) == -1)
    return -1;
  return TAKE_FD (fd);
}

int
stat_guest (const char *path, int follow, struct stat *st)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH | (follow ? 0 : O_NOFOLLOW),
                                       0);

  if (fd == -1)
    return -1;
  return fstat (fd, st);
}

const char *
fd_path (int fd, char *buf)
{
  snprintf (buf, 32, "/proc/self/fd/%d", fd);
  return buf;
}

int
check_path (const char *action, const char *path)
{
  (void) action;
  if (path[0] != '/')
    return reply_with_error_errno (EINVAL, "%s: path must be absolute", path);
  if (strlen (path) >= PATH_MAX)
    return reply_with_error_errno (ENAMETOOLONG, "path too long");
  return 0;
}

/* For changing an existing file in place (truncate, pwrite, scrub):
 * checked through O_PATH and reopened as for a read, but never created
 * (sysroot_open_regular_write creates). */
int
sysroot_open_regular_rw (const char *path, int accmode, struct stat *st)
{
  CLEANUP_CLOSE int root = -1;

  if (st)
    st->st_mode = 0;
  if (accmode != O_WRONLY && accmode != O_RDWR) {
    errno = EINVAL;
    return -1;
  }
  root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root == -1)
    return -1;
  return reopen_regular (root, path, 0, accmode, st);
}

DIR *
dir_stream (int fd)
{
  DIR *d;
  int saved;

  if (fd == -1)
    return NULL;
  d = fdopendir (fd);
  if (d == NULL) {
    saved = errno;
    close (fd);
    errno = saved;
  }
  return d;
}

char **
dir_names (int fd, int dots)
{
  CLEANUP_CLOSEDIR DIR *d = dir_stream (fd);
  struct strlist l = STRLIST_INIT;
  struct dirent *e;

  if (d == NULL)
    return NULL;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    if (!dots && (strcmp (e->d_name, ".") == 0 ||
                  strcmp (e->d_name, "..") == 0))
      continue;
    if (strlist_add (&l, e->d_name) == -1)
      break;
  }
  if (errno) {
    int saved = errno;
    strlist_free (&l);
    errno = saved;
    return NULL;
  }
  return strlist_take (&l);
}
