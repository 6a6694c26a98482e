/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A disk that fails part of its reads, for test-direct-eio.sh: a FUSE
 * filesystem of one file, /disk.img, whose bytes are those of IMAGE,
 * except that a read touching one of the ranges [FROM, FROM + LEN)
 * fails with EIO, as a bad sector would.  qemu reading the image from
 * here then fails the guest's reads and answers the NBD reads of those
 * ranges with an error.  Read-only, one thread, in the foreground;
 * fusermount3 -u MOUNTPOINT ends it.
 *
 * Usage: eio-fs IMAGE MOUNTPOINT FROM:LEN [FROM:LEN ...] (at most 8) */

#include <config.h>

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int image_fd;
static off_t image_size;
#define MAX_BAD 8
static off_t bad_from[MAX_BAD], bad_len[MAX_BAD];
static int nr_bad;

static int
eio_getattr (const char *path, struct stat *st, struct fuse_file_info *fi)
{
  (void) fi;
  memset (st, 0, sizeof *st);
  if (strcmp (path, "/") == 0) {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (strcmp (path, "/disk.img") == 0) {
    st->st_mode = S_IFREG | 0444;
    st->st_nlink = 1;
    st->st_size = image_size;
    return 0;
  }
  return -ENOENT;
}

static int
eio_open (const char *path, struct fuse_file_info *fi)
{
  if (strcmp (path, "/disk.img") != 0)
    return -ENOENT;
  if ((fi->flags & O_ACCMODE) != O_RDONLY)
    return -EROFS;
  return 0;
}

static int
eio_read (const char *path, char *buf, size_t n, off_t off,
          struct fuse_file_info *fi)
{
  ssize_t r;

  (void) path;
  (void) fi;
  for (int i = 0; i < nr_bad; ++i)
    if (off < bad_from[i] + bad_len[i] && off + (off_t) n > bad_from[i])
      return -EIO;
  r = pread (image_fd, buf, n, off);
  return r == -1 ? -errno : (int) r;
}

static const struct fuse_operations ops = {
  .getattr = eio_getattr,
  .open = eio_open,
  .read = eio_read,
};

int
main (int argc, char **argv)
{
  char *args[] = { argv[0], (char *) "-f", (char *) "-s", NULL, NULL };
  struct stat st;

  if (argc < 4 || argc > 3 + MAX_BAD) {
    fprintf (stderr, "usage: %s IMAGE MOUNTPOINT FROM:LEN...\n", argv[0]);
    return 2;
  }
  image_fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (image_fd == -1 || fstat (image_fd, &st) == -1) {
    perror (argv[1]);
    return 1;
  }
  image_size = st.st_size;
  for (int i = 3; i < argc; ++i) {
    long long from, len;

    if (sscanf (argv[i], "%lld:%lld", &from, &len) != 2 || from < 0 ||
        len <= 0) {
      fprintf (stderr, "%s: '%s' is not FROM:LEN\n", argv[0], argv[i]);
      return 2;
    }
    bad_from[nr_bad] = (off_t) from;
    bad_len[nr_bad++] = (off_t) len;
  }
  args[3] = argv[2];
  return fuse_main (4, args, &ops, NULL);
}
