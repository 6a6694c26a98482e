/* SPDX-License-Identifier: GPL-2.0-or-later */
/* copy_attributes: mode, owner and extended attributes of one guest
 * file or directory set on another.  Both are opened O_PATH inside the
 * guest (symlinks followed there), so neither a FIFO nor a device node
 * is ever opened; calls that take no fd work through the fd's /proc
 * name, which reaches the very inode opened. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* Copies the extended attribute name of the file at from to the file
 * at to (/proc paths).  0, or -1 with errno. */
static int
copy_one_xattr (const char *from, const char *to, const char *name)
{
  CLEANUP_FREE char *value = NULL;
  ssize_t n;

  /* The value may change size between the two calls: retried then. */
  for (int tries = 0; tries < 3; ++tries) {
    n = getxattr (from, name, NULL, 0);
    if (n == -1)
      return -1;
    free (value);
    value = malloc (n > 0 ? (size_t) n : 1);
    if (value == NULL)
      return -1;
    n = getxattr (from, name, value, (size_t) n);
    if (n >= 0)
      return setxattr (to, name, value, (size_t) n, 0);
    if (errno != ERANGE)
      return -1;
  }
  return -1;
}

/* Sets every extended attribute of src on dest (fds opened O_PATH).
 * Replies on error. */
static int
copy_xattrs (int src, int dest, const char *srcpath, const char *destpath)
{
  CLEANUP_FREE char *names = NULL;
  char from[32], to[32];
  ssize_t n;

  fd_path (src, from);
  fd_path (dest, to);
  n = listxattr (from, NULL, 0);
  if (n > 0 && (names = malloc ((size_t) n)) != NULL)
    n = listxattr (from, names, (size_t) n);
  if (n == -1 && (errno == ENOTSUP || errno == EOPNOTSUPP))
    return 0;                   /* a filesystem without: none to copy */
  if (n == -1 || (n > 0 && names == NULL))
    return reply_with_perror ("%s: extended attributes", srcpath);
  for (char *p = names; p && p < names + n; p += strlen (p) + 1)
    if (copy_one_xattr (from, to, p) == -1)
      return reply_with_perror ("%s: extended attribute %s", destpath, p);
  return 0;
}

int
do_copy_attributes (const char *src, const char *dest, uint64_t optmask,
                    int all, int mode, int xattributes, int ownership)
{
  CLEANUP_CLOSE int sfd = -1, dfd = -1;
  struct stat sst, dst;
  char buf[32];

  /* ALL turns on what was not given explicitly. */
  all = (optmask & OPT_COPY_ATTRIBUTES_ALL) && all;
  if (!(optmask & OPT_COPY_ATTRIBUTES_MODE))
    mode = all;
  if (!(optmask & OPT_COPY_ATTRIBUTES_XATTRIBUTES))
    xattributes = all;
  if (!(optmask & OPT_COPY_ATTRIBUTES_OWNERSHIP))
    ownership = all;

  sfd = sysroot_open (src, O_PATH, 0);
  if (sfd == -1 || fstat (sfd, &sst) == -1)
    return reply_with_perror ("%s", src);
  dfd = sysroot_open (dest, O_PATH, 0);
  if (dfd == -1 || fstat (dfd, &dst) == -1)
    return reply_with_perror ("%s", dest);
  /* The owner first: changing it clears the set-ID bits. */
  if (ownership && (sst.st_uid != dst.st_uid || sst.st_gid != dst.st_gid) &&
      fchownat (dfd, "", sst.st_uid, sst.st_gid, AT_EMPTY_PATH) == -1)
    return reply_with_perror ("%s", dest);
  if (mode && chmod (fd_path (dfd, buf), sst.st_mode & 07777) == -1)
    return reply_with_perror ("%s", dest);
  if (xattributes && copy_xattrs (sfd, dfd, src, dest) == -1)
    return -1;
  return 0;
}
