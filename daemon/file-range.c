/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Part of a guest file, read or changed in place: truncate,
 * truncate_size, pread, pwrite.  Unlike write and upload, these never
 * create the file: it must exist and be regular (a final symlink is
 * followed inside the guest), and anything else is refused by
 * sysroot.c without being opened, so a FIFO cannot block the daemon.
 * pread_device and pwrite_device do the same on an appliance device
 * (the dispatch has checked it is one). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The most pread returns: a reply holds it with room to spare. */
#define PREAD_MAX (WIRE_MESSAGE_MAX - 64 * 1024)
/* From this size on, pread reads ahead (see do_pread). */
#define PREAD_AHEAD_MIN (512 * 1024)

static int
resize (const char *path, int64_t size)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;

  if (size < 0)
    return reply_with_error_errno (EINVAL, "%s: size %" PRIi64 " is "
                                   "negative", path, size);
  fd = sysroot_open_regular_rw (path, O_WRONLY, &st);
  if (fd == -1)
    return reply_open_regular_error (path, &st);
  if (ftruncate (fd, (off_t) size) == -1 || close (TAKE_FD (fd)) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_truncate (const char *path)
{
  return resize (path, 0);
}

int
do_truncate_size (const char *path, int64_t size)
{
  return resize (path, size);
}

/* 0 when count and offset are a read pread's reply can hold; else
 * replies and -1. */
static int
check_read (const char *name, int count, int64_t offset)
{
  if (count < 0 || offset < 0)
    return reply_with_error_errno (EINVAL, "%s: count and offset must not "
                                   "be negative", name);
  if (count > PREAD_MAX)
    return reply_with_error_errno (EMSGSIZE, "%s: count %d is larger than "
                                   "one reply holds (%d bytes): read in "
                                   "smaller parts", name, count, PREAD_MAX);
  return 0;
}

/* One pread of count bytes of fd (name for the messages); the buffer,
 * *size_r its length, or NULL after replying. */
static char *
read_at (int fd, const char *name, int count, int64_t offset,
         size_t *size_r)
{
  CLEANUP_FREE char *buf = malloc (count > 0 ? (size_t) count : 1);
  ssize_t n;

  if (buf == NULL) {
    reply_with_perror ("%s", name);
    return NULL;
  }
  /* A fresh fd has no readahead state, so a big read of cold data
   * would go to the disk a window at a time: ask for all of it at once.
   * A big read is usually one of a sequence (a FUSE mount reading a
   * file), so the same length after it is started too, to arrive while
   * this reply travels. */
  if (count >= PREAD_AHEAD_MIN) {
    posix_fadvise (fd, (off_t) offset, count, POSIX_FADV_WILLNEED);
  }
  do
    n = pread (fd, buf, (size_t) count, (off_t) offset);
  while (n == -1 && errno == EINTR);
  if (n == count && count >= PREAD_AHEAD_MIN)
    posix_fadvise (fd, (off_t) offset + count, count, POSIX_FADV_WILLNEED);
  if (n == -1) {
    reply_with_perror ("%s", name);
    return NULL;
  }
  *size_r = (size_t) n;
  return TAKE_PTR (buf);
}

/* One pwrite of content into fd, which it closes; the bytes written,
 * or -1 after replying. */
static int
write_at (int fd, const char *name, const char *content, size_t content_size,
          int64_t offset)
{
  ssize_t n;

  do
    n = pwrite (fd, content, content_size, (off_t) offset);
  while (n == -1 && errno == EINTR);
  if (n == -1) {
    reply_with_perror ("%s", name);
    close (fd);
    return -1;
  }
  if (close (fd) == -1)
    return reply_with_perror ("%s", name);
  /* A message is far smaller than INT_MAX. */
  return (int) n;
}

char *
do_pread (const char *path, int count, int64_t offset, size_t *size_r)
{
  CLEANUP_CLOSE int fd = -1;

  if (check_read (path, count, offset) == -1)
    return NULL;
  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1)
    return NULL;
  return read_at (fd, path, count, offset, size_r);
}

int
do_pwrite (const char *path, const char *content, size_t content_size,
           int64_t offset)
{
  struct stat st;
  int fd;

  if (offset < 0)
    return reply_with_error_errno (EINVAL, "%s: offset must not be negative",
                                   path);
  fd = sysroot_open_regular_rw (path, O_WRONLY, &st);
  if (fd == -1)
    return reply_open_regular_error (path, &st);
  return write_at (fd, path, content, content_size, offset);
}

char *
do_pread_device (const char *device, int count, int64_t offset,
                 size_t *size_r)
{
  CLEANUP_CLOSE int fd = -1;

  if (check_read (device, count, offset) == -1)
    return NULL;
  fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  return read_at (fd, device, count, offset, size_r);
}

int
do_pwrite_device (const char *device, const char *content,
                  size_t content_size, int64_t offset)
{
  int fd;

  if (offset < 0)
    return reply_with_error_errno (EINVAL, "%s: offset must not be negative",
                                   device);
  fd = open (device, O_WRONLY | O_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("%s", device);
  return write_at (fd, device, content, content_size, offset);
}
