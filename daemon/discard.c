/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Discarding device blocks: blkdiscard (a range of a device) and
 * swap_discard (a swap area but its header).  Done with the BLKDISCARD
 * ioctl directly, not the blkdiscard program: one ioctl needs no
 * process.  Devices are opened O_EXCL, so a mounted filesystem or an
 * active swap area is refused (EBUSY) rather than destroyed. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The swap header lives in the first page, whose size is that of the
 * system that made it; its signature ends the page. */
#define SWAP_MAX_PAGE 65536
#define SWAP_ZERO_HEAD (1024 * 1024)

/* Opens a device for writing, exclusively; size in *size.  -1 (replied). */
static int
open_device (const char *device, uint64_t *size)
{
  int fd = open (device, O_RDWR | O_EXCL | O_CLOEXEC);

  if (fd == -1) {
    if (errno == EBUSY)
      return reply_with_error_errno (EBUSY, "%s: device is in use (mounted, "
                                     "an active swap area or an LVM physical "
                                     "volume?)", device);
    return reply_with_perror ("%s", device);
  }
  if (ioctl (fd, BLKGETSIZE64, size) == -1) {
    reply_with_perror ("%s: BLKGETSIZE64", device);
    close (fd);
    return -1;
  }
  return fd;
}

/* BLKDISCARD of [start, start+len); 0, or -1 (replied). */
static int
discard (int fd, const char *device, uint64_t start, uint64_t len)
{
  uint64_t range[2] = { start, len };

  if (len == 0)
    return 0;
  if (ioctl (fd, BLKDISCARD, range) == -1) {
    if (errno == EOPNOTSUPP)
      return reply_with_error_errno (EOPNOTSUPP, "%s: device does not "
                                     "support discard", device);
    return reply_with_perror ("%s: BLKDISCARD", device);
  }
  return 0;
}

int
do_blkdiscard (const char *device, uint64_t optmask, int64_t offset,
               int64_t length)
{
  CLEANUP_CLOSE int fd = -1;
  uint64_t size, start = 0, len;

  if (((optmask & OPT_BLKDISCARD_OFFSET) && (offset < 0 || offset % 512)) ||
      ((optmask & OPT_BLKDISCARD_LENGTH) && (length <= 0 || length % 512)))
    return reply_with_error_errno (EINVAL, "%s: offset and length must be "
                                   "multiples of 512 (length positive)",
                                   device);
  fd = open_device (device, &size);
  if (fd == -1)
    return -1;
  if (optmask & OPT_BLKDISCARD_OFFSET)
    start = (uint64_t) offset;
  if (start > size)
    return reply_with_error_errno (EINVAL, "%s: offset %" PRIu64 " is past "
                                   "the end (%" PRIu64 " bytes)", device,
                                   start, size);
  len = size - start;
  if (optmask & OPT_BLKDISCARD_LENGTH) {
    if ((uint64_t) length > len)
      return reply_with_error_errno (EINVAL, "%s: %" PRIi64 " bytes from "
                                     "%" PRIu64 " go past the end (%" PRIu64
                                     " bytes)", device, length, start, size);
    len = (uint64_t) length;
  }
  if (discard (fd, device, start, len) == -1)
    return -1;
  if (fsync (fd) == -1)
    return reply_with_perror ("%s: fsync", device);
  return 0;
}

/* The size of the header page, or 0 if buf holds no swap signature. */
static size_t
swap_page_size (const char *buf, size_t n)
{
  for (size_t ps = 4096; ps <= SWAP_MAX_PAGE && ps <= n; ps *= 2)
    if (memcmp (buf + ps - 10, "SWAPSPACE2", 10) == 0 ||
        memcmp (buf + ps - 10, "SWAP-SPACE", 10) == 0)
      return ps;
  return 0;
}

/* The header is never rewritten: everything after it is zeroed (the
 * first MiB, so the cluster holding the header carries no stale data)
 * and discarded.  A crash at any point leaves a valid header. */
int
do_swap_discard (const char *device)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *before = malloc (SWAP_MAX_PAGE);
  CLEANUP_FREE char *after = malloc (SWAP_MAX_PAGE);
  uint64_t size, zero[2];
  size_t ps, n;

  if (before == NULL || after == NULL)
    return reply_with_perror ("%s", device);
  fd = open_device (device, &size);
  if (fd == -1)
    return -1;
  n = size < SWAP_MAX_PAGE ? (size_t) size : SWAP_MAX_PAGE;
  if (pread (fd, before, n, 0) != (ssize_t) n)
    return reply_with_perror ("%s: read", device);
  ps = swap_page_size (before, n);
  if (ps == 0)
    return reply_with_error_errno (EINVAL, "%s: not a swap area (no swap "
                                   "signature)", device);
  zero[0] = ps;
  zero[1] = (size < SWAP_ZERO_HEAD ? size : SWAP_ZERO_HEAD) - ps;
  zero[1] -= zero[1] % 512;
  if (zero[1] > 0 && ioctl (fd, BLKZEROOUT, zero) == -1)
    return reply_with_perror ("%s: BLKZEROOUT", device);
  if (discard (fd, device, ps, (size - ps) - (size - ps) % 512) == -1)
    return -1;
  if (fsync (fd) == -1)
    return reply_with_perror ("%s: fsync", device);
  if (pread (fd, after, ps, 0) != (ssize_t) ps ||
      memcmp (before, after, ps) != 0)
    return reply_with_error_errno (EIO, "%s: the swap header changed while "
                                   "discarding", device);
  return 0;
}
