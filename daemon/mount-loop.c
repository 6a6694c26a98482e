/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mounts beyond mount.c's: a filesystem image held in a guest file
 * (mount_loop), read-write or read-only again (remount), and extra
 * mountpoints made before the first mount (mkmountpoint,
 * rmmountpoint).
 *
 * A loop device is set up over the guest file opened by sysroot.c's
 * rules (a regular file only) with LOOP_CONFIGURE and autoclear, so it
 * goes away by itself when the filesystem is unmounted. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

int
do_mkmountpoint (const char *exemptpath)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dir = sysroot_open_parent (exemptpath, &base);

  if (dir == -1 || mkdirat (dir, base, 0755) == -1)
    return reply_with_perror ("%s", exemptpath);
  return 0;
}

int
do_rmmountpoint (const char *exemptpath)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dir = sysroot_open_parent (exemptpath, &base);

  if (dir == -1 || unlinkat (dir, base, AT_REMOVEDIR) == -1)
    return reply_with_perror ("%s", exemptpath);
  return 0;
}

int
do_remount (const char *mountpoint, uint64_t optmask, int rw)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[32];
  struct stat st, parent;
  unsigned long flags = MS_REMOUNT | GUEST_MOUNT_FLAGS;

  if (!(optmask & OPT_REMOUNT_RW))
    return reply_with_error_errno (EINVAL, "%s: the rw optional argument "
                                   "must be given", mountpoint);
  if (!rw)
    flags |= MS_RDONLY;
  fd = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  if (fd == -1)
    return reply_with_perror ("%s", mountpoint);
  /* The root of a mount is on another device than its parent (the
   * guest's / is always one). */
  if (strcmp (mountpoint, "/") != 0 &&
      (fstat (fd, &st) == -1 || fstatat (fd, "..", &parent, 0) == -1 ||
       (st.st_dev == parent.st_dev && st.st_ino != parent.st_ino)))
    return reply_with_error_errno (EINVAL, "%s: not a mountpoint",
                                   mountpoint);
  if (mount (NULL, fd_path (fd, buf), NULL, flags, NULL) == -1)
    return reply_with_perror ("%s", mountpoint);
  return 0;
}

/* A free loop device over fd (read-only if ro), autocleared: its path
 * in dev.  The open loop device, or -1 with errno. */
static int
loop_attach (int fd, int ro, char *dev, size_t n)
{
  struct loop_config cfg = { .fd = (uint32_t) fd };
  CLEANUP_CLOSE int ctl = -1;
  int num, loop;

  load_module ("loop");
  ctl = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  if (ctl == -1)
    return -1;
  for (int tries = 0; tries < 8; ++tries) {
    num = ioctl (ctl, LOOP_CTL_GET_FREE);
    if (num == -1)
      return -1;
    snprintf (dev, n, "/dev/loop%d", num);
    loop = open (dev, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (loop == -1)
      return -1;
    cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR | (ro ? LO_FLAGS_READ_ONLY : 0);
    if (ioctl (loop, LOOP_CONFIGURE, &cfg) == 0)
      return loop;
    close (loop);
    if (errno != EBUSY)         /* EBUSY: taken meanwhile */
      return -1;
  }
  errno = EBUSY;
  return -1;
}

int
do_mount_loop (const char *file, const char *mountpoint)
{
  CLEANUP_CLOSE int fd = -1, dir = -1, loop = -1;
  CLEANUP_FREE char *type = NULL;
  char dev[64], buf[32];
  struct stat st;
  int ro = 0;

  fd = sysroot_open_regular_rw (file, O_RDWR, &st);
  if (fd == -1 && (errno == EROFS || errno == EACCES)) {
    ro = 1;
    fd = sysroot_open_regular (file, 0, &st);
  }
  if (fd == -1)
    return reply_open_regular_error (file, &st);
  dir = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  if (dir == -1)
    return reply_with_perror ("mount point %s", mountpoint);
  loop = loop_attach (fd, ro, dev, sizeof dev);
  if (loop == -1)
    return reply_with_perror ("%s: loop device", file);
  type = blkid_get (dev, "TYPE");
  if (type == NULL || *type == '\0') {
    ioctl (loop, LOOP_CLR_FD);
    return reply_with_error_errno (EINVAL, "%s: no filesystem found in the "
                                   "file", file);
  }
  /* A read-only filesystem type (iso9660, squashfs) refuses a
   * read-write mount: it is mounted read-only, as mount(8) does. */
  if (mount_fs (dev, fd_path (dir, buf), type, ro ? MS_RDONLY : 0,
                NULL) == -1 &&
      (ro || (errno != EACCES && errno != EROFS) ||
       mount_fs (dev, fd_path (dir, buf), type, MS_RDONLY, NULL) == -1)) {
    int err = errno;

    ioctl (loop, LOOP_CLR_FD);
    errno = err;
    return reply_with_perror ("%s on %s (type %s)", file, mountpoint, type);
  }
  return 0;
}
