/* Guest paths.  Every path an action receives is resolved with
 * openat2(RESOLVE_IN_ROOT) against /sysroot: absolute symlinks and ".."
 * inside the guest stop at the guest's root, so a crafted image cannot
 * make the daemon touch the appliance's own files. */

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
  int root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd, saved;

  if (root == -1)
    return -1;
  fd = openat2_in_root (root, path, flags, mode);
  saved = errno;
  close (root);
  errno = saved;
  return fd;
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
