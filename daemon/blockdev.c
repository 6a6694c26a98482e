/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The blockdev_* actions: block device ioctls (read-only flag, sector
 * and block sizes, size, read-ahead, flushing buffers, rereading the
 * partition table), as blockdev(8) does them, without running it. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* ioctl REQ with ARG on device.  0, or -1 (replied). */
static int
device_ioctl (const char *device, int flags, unsigned long req, void *arg)
{
  CLEANUP_CLOSE int fd = open (device, flags | O_CLOEXEC);

  if (fd == -1)
    return reply_with_perror ("%s", device);
  if (ioctl (fd, req, arg) == -1)
    return reply_with_perror ("%s", device);
  return 0;
}

static int
set_ro (const char *device, int ro)
{
  return device_ioctl (device, O_RDONLY, BLKROSET, &ro);
}

int
do_blockdev_setro (const char *device)
{
  return set_ro (device, 1);
}

int
do_blockdev_setrw (const char *device)
{
  return set_ro (device, 0);
}

int
do_blockdev_getro (const char *device)
{
  int ro = 0;

  if (device_ioctl (device, O_RDONLY, BLKROGET, &ro) == -1)
    return -1;
  return ro != 0;
}

int
do_blockdev_getss (const char *device)
{
  int ss = 0;

  if (device_ioctl (device, O_RDONLY, BLKSSZGET, &ss) == -1)
    return -1;
  return ss;
}

int
do_blockdev_getbsz (const char *device)
{
  int bsz = 0;

  if (device_ioctl (device, O_RDONLY, BLKBSZGET, &bsz) == -1)
    return -1;
  return bsz;
}

int64_t
do_blockdev_getsz (const char *device)
{
  uint64_t size = 0;

  if (device_ioctl (device, O_RDONLY, BLKGETSIZE64, &size) == -1)
    return -1;
  return (int64_t) (size / 512);
}

int
do_blockdev_flushbufs (const char *device)
{
  return device_ioctl (device, O_RDONLY, BLKFLSBUF, NULL);
}

int
do_blockdev_rereadpt (const char *device)
{
  /* A partition of the disk in use (mounted, a PV) makes it EBUSY. */
  return device_ioctl (device, O_RDONLY, BLKRRPART, NULL);
}

int
do_blockdev_setra (const char *device, int sectors)
{
  if (sectors < 0)
    return reply_with_error_errno (EINVAL, "%s: read-ahead %d: must not be "
                                   "negative", device, sectors);
  return device_ioctl (device, O_RDONLY, BLKRASET,
                       (void *) (uintptr_t) (unsigned long) sectors);
}
