/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Zeroing: the free space of a mounted filesystem (zero_free_space) and
 * the non-zero blocks of a device (zero_device).  drydock's drives turn
 * written zeros into discards (detect-zeroes=unmap), so both release
 * space in the image; they are the fallback where trimming cannot. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define CHUNK (1024 * 1024)
#define BLOCK 4096
#define TMPNAME ".drydock-zero-free-space.tmp"

/* An unnamed file (O_TMPFILE) where the filesystem has them, so a crash
 * leaves nothing behind; else a named one, *named set.  O_DIRECT spares
 * the appliance a copy of every zero into the page cache, when the
 * filesystem takes it. */
static int
create_fill_file (int dirfd, int *named)
{
  const int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW;
  int fd;

  *named = 0;
  fd = openat (dirfd, ".", O_TMPFILE | O_DIRECT | flags, 0600);
  if (fd == -1)
    fd = openat (dirfd, ".", O_TMPFILE | flags, 0600);
  if (fd >= 0)
    return fd;
  *named = 1;
  unlinkat (dirfd, TMPNAME, 0);
  fd = openat (dirfd, TMPNAME, O_CREAT | O_EXCL | O_DIRECT | flags, 0600);
  if (fd == -1)
    fd = openat (dirfd, TMPNAME, O_CREAT | O_EXCL | flags, 0600);
  return fd;
}

/* Turns O_DIRECT off; 0, or -1 if it was not on (or cannot be). */
static int
clear_direct (int fd)
{
  int fl = fcntl (fd, F_GETFL);

  if (fl == -1 || !(fl & O_DIRECT))
    return -1;
  return fcntl (fd, F_SETFL, fl & ~O_DIRECT);
}

/* Writes zeros until the filesystem is full.  0, or -1 with errno. */
static int
fill (int fd, const char *zeros, uint64_t total)
{
  uint64_t written = 0;
  size_t n = CHUNK;

  for (;;) {
    ssize_t r = write (fd, zeros, n);

    if (r > 0) {
      written += (uint64_t) r;
      notify_progress (written < total ? written : total - 1, total);
      continue;
    }
    if (r == -1 && errno == EINTR)
      continue;
    /* Filesystems that take O_DIRECT at open but fail every direct
     * write with EINVAL (minix): buffered writes then. */
    if (r == -1 && errno == EINVAL && written == 0 && clear_direct (fd) == 0)
      continue;
    /* Full (or an O_DIRECT size the end of the space cannot take):
     * smaller writes fill what is left. */
    if ((r == 0 || errno == ENOSPC || errno == EINVAL) && n > BLOCK) {
      n /= 2;
      continue;
    }
    if (r == 0 || errno == ENOSPC || errno == EDQUOT)
      return 0;
    return -1;
  }
}

int
do_zero_free_space (const char *directory)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *zeros = NULL;
  struct statvfs sv;
  uint64_t total;
  int named, r;

  if (dirfd == -1 || fstatvfs (dirfd, &sv) == -1)
    return reply_with_perror ("%s", directory);
  if (posix_memalign ((void **) &zeros, BLOCK, CHUNK) != 0) {
    errno = ENOMEM;
    return reply_with_perror ("%s", directory);
  }
  memset (zeros, 0, CHUNK);
  total = (uint64_t) sv.f_bfree * sv.f_frsize;
  fd = create_fill_file (dirfd, &named);
  if (fd == -1)
    return reply_with_perror ("%s: cannot create a file to fill", directory);
  r = fill (fd, zeros, total ? total : 1);
  if (r == 0 && fsync (fd) == -1)
    r = -1;
  if (r == -1)
    reply_with_perror ("%s: writing zeros", directory);
  if (named)
    unlinkat (dirfd, TMPNAME, 0);
  close (fd);
  fd = -1;
  if (r == -1)
    return -1;
  /* The blocks are free again once the unlink is on disk. */
  syncfs (dirfd);
  notify_progress (total, total);
  return 0;
}

/* Zeroes [off, off+len) of the device: BLKZEROOUT (which the drive may
 * turn into a discard), or written zeros.  0, or -1 with errno. */
static int
zero_range (int fd, const char *zeros, uint64_t off, uint64_t len)
{
  uint64_t range[2] = { off, len };

  if (ioctl (fd, BLKZEROOUT, range) == 0)
    return 0;
  while (len > 0) {
    size_t n = len < CHUNK ? (size_t) len : CHUNK;
    ssize_t r = pwrite (fd, zeros, n, (off_t) off);

    if (r <= 0) {
      if (r == -1 && errno == EINTR)
        continue;
      return -1;
    }
    off += (uint64_t) r;
    len -= (uint64_t) r;
  }
  return 0;
}

static int
is_zero (const char *p, size_t n)
{
  return n == 0 || (p[0] == 0 && memcmp (p, p + 1, n - 1) == 0);
}

/* Each run of non-zero blocks in a chunk is zeroed with one request. */
static int
zero_chunk (int fd, const char *buf, const char *zeros, uint64_t pos, size_t n)
{
  size_t i = 0;

  while (i < n) {
    size_t start, b = n - i < BLOCK ? n - i : BLOCK;

    if (is_zero (buf + i, b)) {
      i += b;
      continue;
    }
    start = i;
    while (i < n && !is_zero (buf + i, n - i < BLOCK ? n - i : BLOCK))
      i += n - i < BLOCK ? n - i : BLOCK;
    if (zero_range (fd, zeros, pos + start, i - start) == -1)
      return -1;
  }
  return 0;
}

int
do_zero_device (const char *device)
{
  /* Not O_EXCL: a mounted device is zeroed too (what the filesystem
   * mounted on it then reads is its business). */
  CLEANUP_CLOSE int fd = open (device, O_RDWR | O_CLOEXEC);
  CLEANUP_FREE char *buf = malloc (CHUNK);
  CLEANUP_FREE char *zeros = calloc (1, CHUNK);
  uint64_t size, pos = 0;

  if (fd == -1 || buf == NULL || zeros == NULL)
    return reply_with_perror ("%s", device);
  if (ioctl (fd, BLKGETSIZE64, &size) == -1)
    return reply_with_perror ("%s: BLKGETSIZE64", device);
  while (pos < size) {
    size_t n = size - pos < CHUNK ? (size_t) (size - pos) : CHUNK;
    ssize_t r = pread (fd, buf, n, (off_t) pos);

    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      return reply_with_perror ("%s: read at %" PRIu64, device, pos);
    if (zero_chunk (fd, buf, zeros, pos, (size_t) r) == -1)
      return reply_with_perror ("%s: zeroing at %" PRIu64, device, pos);
    pos += (uint64_t) r;
    notify_progress (pos, size);
  }
  if (fsync (fd) == -1)
    return reply_with_perror ("%s: fsync", device);
  return 0;
}
