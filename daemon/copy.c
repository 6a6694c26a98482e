/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Byte ranges copied between guest files and devices (copy_*_to_*),
 * a local file written into one at an offset (upload_offset), and
 * files made for their size or their number (fallocate64, fill_dir).
 *
 * Guest files are opened by sysroot.c's rules (regular files only, so a
 * FIFO never blocks and a device node in a guest never reaches an
 * appliance device); devices are the drives the dispatcher resolved. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define COPY_BUFFER (1024 * 1024)

/* The optional arguments shared by the four copy calls. */
struct copy_opts {
  int64_t srcoffset, destoffset, size;  /* size -1: to the end */
  int sparse, append;
};

/* pwrite until all n bytes are written.  0, or -1 with errno. */
static int
pwrite_all (int fd, const char *p, size_t n, off_t off)
{
  while (n > 0) {
    ssize_t w = pwrite (fd, p, n, off);

    if (w == -1 && errno == EINTR)
      continue;
    if (w == -1)
      return -1;
    p += w;
    n -= (size_t) w;
    off += w;
  }
  return 0;
}

static int
all_zero (const char *p, size_t n)
{
  return n == 0 || (p[0] == 0 && memcmp (p, p + 1, n - 1) == 0);
}

/* Copies as o says from in to out (dest_file: out is a regular file,
 * grown to the end of the copy when its last blocks were skipped as
 * zero).  0, or -1 (replied). */
static int
copy_range (int in, int out, int dest_file, const char *src, const char *dest,
            const struct copy_opts *o)
{
  CLEANUP_FREE char *buf = malloc (COPY_BUFFER);
  uint64_t done = 0, total = o->size >= 0 ? (uint64_t) o->size : 0;
  struct stat st;

  if (buf == NULL)
    return reply_with_perror ("%s", src);
  while (o->size < 0 || done < total) {
    size_t want = COPY_BUFFER;
    ssize_t n;

    if (o->size >= 0 && total - done < want)
      want = (size_t) (total - done);
    n = pread (in, buf, want, (off_t) ((uint64_t) o->srcoffset + done));
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return reply_with_perror ("%s", src);
    if (n == 0) {
      if (o->size >= 0)
        return reply_with_error_errno (EINVAL, "%s: it ends before the %"
                                       PRId64 " bytes to copy", src, o->size);
      break;
    }
    if (!(o->sparse && all_zero (buf, (size_t) n)) &&
        pwrite_all (out, buf, (size_t) n,
                    (off_t) ((uint64_t) o->destoffset + done)) == -1)
      return reply_with_perror ("%s", dest);
    done += (uint64_t) n;
    notify_progress (done, total);
  }
  if (dest_file && !o->append && fstat (out, &st) == 0 &&
      (uint64_t) st.st_size < (uint64_t) o->destoffset + done &&
      ftruncate (out, (off_t) ((uint64_t) o->destoffset + done)) == -1)
    return reply_with_perror ("%s", dest);
  return 0;
}

/* The optional arguments checked and with their defaults.  0 or -1
 * (replied). */
static int
get_opts (struct copy_opts *o, uint64_t optmask, uint64_t bit_srcoffset,
          int64_t srcoffset, int64_t destoffset, int64_t size, int sparse,
          int append, int dest_device)
{
  /* The generated OPT_ bits come in the order of the optional
   * arguments: srcoffset, destoffset, size, sparse, append. */
  o->srcoffset = (optmask & bit_srcoffset) ? srcoffset : 0;
  o->destoffset = (optmask & (bit_srcoffset << 1)) ? destoffset : 0;
  o->size = (optmask & (bit_srcoffset << 2)) ? size : -1;
  o->sparse = (optmask & (bit_srcoffset << 3)) && sparse;
  o->append = (optmask & (bit_srcoffset << 4)) && append;
  if (o->srcoffset < 0 || o->destoffset < 0 ||
      ((optmask & (bit_srcoffset << 2)) && size < 0))
    return reply_with_error_errno (EINVAL, "srcoffset, destoffset and size "
                                   "must not be negative");
  if (o->append && dest_device)
    return reply_with_error_errno (EINVAL, "append: a device cannot be "
                                   "appended to");
  return 0;
}

/* A source: a device, or a regular guest file.  -1 (replied). */
static int
open_src (const char *src, int device)
{
  int fd;

  if (device) {
    fd = open (src, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
      reply_with_perror ("%s", src);
    return fd;
  }
  return sysroot_open_regular_or_reply (src, 0, NULL);
}

/* A destination: a device, or a regular guest file, created if needed
 * and truncated unless appended to.  -1 (replied). */
static int
open_dest (const char *dest, int device, int append)
{
  struct stat st;
  int fd;

  if (device) {
    fd = open (dest, O_WRONLY | O_CLOEXEC);
    if (fd == -1)
      reply_with_perror ("%s", dest);
    return fd;
  }
  fd = sysroot_open_regular_write (dest, append ? O_APPEND : O_TRUNC, 0666,
                                   &st);
  if (fd == -1)
    reply_open_regular_error (dest, &st);
  return fd;
}

static int
copy (const char *src, int src_device, const char *dest, int dest_device,
      const struct copy_opts *o)
{
  CLEANUP_CLOSE int in = open_src (src, src_device);
  int out, r;

  if (in == -1)
    return -1;
  out = open_dest (dest, dest_device, o->append);
  if (out == -1)
    return -1;
  r = copy_range (in, out, !dest_device, src, dest, o);
  if (close (out) == -1 && r == 0)
    return reply_with_perror ("%s", dest);
  return r;
}

int
do_copy_device_to_device (const char *src, const char *dest, uint64_t optmask,
                          int64_t srcoffset, int64_t destoffset, int64_t size,
                          int sparse, int append)
{
  struct copy_opts o;

  if (get_opts (&o, optmask, OPT_COPY_DEVICE_TO_DEVICE_SRCOFFSET, srcoffset,
                destoffset, size, sparse, append, 1) == -1)
    return -1;
  return copy (src, 1, dest, 1, &o);
}

int
do_copy_device_to_file (const char *src, const char *dest, uint64_t optmask,
                        int64_t srcoffset, int64_t destoffset, int64_t size,
                        int sparse, int append)
{
  struct copy_opts o;

  if (get_opts (&o, optmask, OPT_COPY_DEVICE_TO_FILE_SRCOFFSET, srcoffset,
                destoffset, size, sparse, append, 0) == -1)
    return -1;
  return copy (src, 1, dest, 0, &o);
}

int
do_copy_file_to_device (const char *src, const char *dest, uint64_t optmask,
                        int64_t srcoffset, int64_t destoffset, int64_t size,
                        int sparse, int append)
{
  struct copy_opts o;

  if (get_opts (&o, optmask, OPT_COPY_FILE_TO_DEVICE_SRCOFFSET, srcoffset,
                destoffset, size, sparse, append, 1) == -1)
    return -1;
  return copy (src, 0, dest, 1, &o);
}

int
do_copy_file_to_file (const char *src, const char *dest, uint64_t optmask,
                      int64_t srcoffset, int64_t destoffset, int64_t size,
                      int sparse, int append)
{
  struct copy_opts o;

  if (get_opts (&o, optmask, OPT_COPY_FILE_TO_FILE_SRCOFFSET, srcoffset,
                destoffset, size, sparse, append, 0) == -1)
    return -1;
  return copy (src, 0, dest, 0, &o);
}

/* upload_offset */

struct upload_at {
  int fd;
  uint64_t pos, written;
};

static int
write_at_chunk (void *opaque, const void *buf, size_t n)
{
  struct upload_at *u = opaque;

  if (pwrite_all (u->fd, buf, n, (off_t) u->pos) == -1)
    return -1;
  u->pos += (uint64_t) n;
  u->written += (uint64_t) n;
  notify_progress (u->written, 0);
  return 0;
}

int
do_upload_offset (const char *remotefilename, int64_t offset)
{
  struct upload_at u = { -1, 0, 0 };
  struct stat st;
  int r;

  if (offset < 0)
    return reply_with_error_errno (EINVAL, "%s: offset must not be negative",
                                   remotefilename);
  if (strncmp (remotefilename, "/dev/", 5) == 0) {
    CLEANUP_FREE char *dev = resolve_device ("upload_offset", remotefilename);

    if (dev == NULL)
      return -1;
    u.fd = open (dev, O_WRONLY | O_CLOEXEC);
    if (u.fd == -1)
      return reply_with_perror ("%s", remotefilename);
  }
  else {
    if (check_path ("upload_offset", remotefilename) == -1)
      return -1;
    u.fd = sysroot_open_regular_write (remotefilename, 0, 0644, &st);
    if (u.fd == -1)
      return reply_open_regular_error (remotefilename, &st);
  }
  u.pos = (uint64_t) offset;
  r = receive_file (write_at_chunk, &u);
  if (r != 0) {
    int saved = errno;

    close (u.fd);
    if (r == -2)
      return reply_with_error_errno (ECANCELED, "%s: transfer cancelled by "
                                     "the host", remotefilename);
    if (r == -3)
      return reply_with_error_errno (EPROTO, "%s: file transfer protocol "
                                     "error", remotefilename);
    errno = saved;
    return reply_with_perror ("%s", remotefilename);
  }
  if (close (u.fd) == -1)
    return reply_with_perror ("%s", remotefilename);
  return 0;
}

/* fallocate64, fill_dir */

int
do_fallocate64 (const char *path, int64_t len)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  int err;

  if (len < 0)
    return reply_with_error_errno (EINVAL, "%s: the length must not be "
                                   "negative", path);
  fd = sysroot_open_regular_write (path, O_TRUNC, 0666, &st);
  if (fd == -1)
    return reply_open_regular_error (path, &st);
  if (len > 0 && (err = posix_fallocate (fd, 0, (off_t) len)) != 0)
    return reply_with_error_errno (err, "%s: %s", path, strerror (err));
  return 0;
}

int
do_fill_dir (const char *dir, int nr)
{
  CLEANUP_CLOSE int dirfd = -1;

  if (nr < 0)
    return reply_with_error_errno (EINVAL, "%s: the number of files must not "
                                   "be negative", dir);
  dirfd = sysroot_open (dir, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return reply_with_perror ("%s", dir);
  for (int i = 0; i < nr; ++i) {
    char name[16];
    struct stat st;
    int fd;

    snprintf (name, sizeof name, "%08d", i);
    /* An entry already there is kept as it is when it is not a regular
     * file: never opened (a FIFO would block). */
    if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (!S_ISREG (st.st_mode))
        return reply_not_regular (name, st.st_mode);
    }
    fd = openat (dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
                 O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd == -1)
      return reply_with_perror ("%s/%s", dir, name);
    close (fd);
  }
  return 0;
}
