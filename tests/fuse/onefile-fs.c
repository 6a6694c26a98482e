/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A FUSE filesystem of one read-only file, /NAME, served by libfuse3's
 * high-level loop in one thread with the kernel's cache on, in the
 * foreground (fusermount3 -u MOUNTPOINT ends it).  Its bytes are:
 *
 *  - mem:SIZE: SIZE bytes held in memory.  bench/fuse reads it to
 *    measure the host's FUSE path alone, with nothing behind it (the
 *    floor under cat through a drydock mount);
 *  - IMAGE: those of the file IMAGE, except that a read touching one of
 *    the ranges FROM:LEN fails with EIO, as a bad sector would.
 *    test-direct-eio.sh puts a disk image there: qemu reading it then
 *    fails the guest's reads and answers NBD reads with an error.
 *
 * Usage: onefile-fs MOUNTPOINT NAME {mem:SIZE | IMAGE [FROM:LEN ...]}
 * (at most 8 ranges) */

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BAD 8

static char path_name[256];
static char *data;              /* mem:SIZE, else NULL */
static int image_fd = -1;
static off_t size;
static off_t bad_from[MAX_BAD], bad_len[MAX_BAD];
static int nr_bad;

static int
one_getattr (const char *path, struct stat *st, struct fuse_file_info *fi)
{
  (void) fi;
  memset (st, 0, sizeof *st);
  if (strcmp (path, "/") == 0) {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (strcmp (path, path_name) == 0) {
    st->st_mode = S_IFREG | 0444;
    st->st_nlink = 1;
    st->st_size = size;
    return 0;
  }
  return -ENOENT;
}

static int
one_open (const char *path, struct fuse_file_info *fi)
{
  if (strcmp (path, path_name) != 0)
    return -ENOENT;
  if ((fi->flags & O_ACCMODE) != O_RDONLY)
    return -EROFS;
  return 0;
}

static int
one_read (const char *path, char *buf, size_t n, off_t off,
          struct fuse_file_info *fi)
{
  ssize_t r;

  (void) path;
  (void) fi;
  for (int i = 0; i < nr_bad; ++i)
    if (off < bad_from[i] + bad_len[i] && off + (off_t) n > bad_from[i])
      return -EIO;
  if (data == NULL) {
    r = pread (image_fd, buf, n, off);
    return r == -1 ? -errno : (int) r;
  }
  if (off < 0 || off >= size)
    return 0;
  if ((off_t) n > size - off)
    n = (size_t) (size - off);
  memcpy (buf, data + off, n);
  return (int) n;
}

static void *
one_init (struct fuse_conn_info *conn, struct fuse_config *cfg)
{
  (void) conn;
  cfg->kernel_cache = 1;
  return NULL;
}

static const struct fuse_operations ops = {
  .getattr = one_getattr,
  .open = one_open,
  .read = one_read,
  .init = one_init,
};

int
main (int argc, char **argv)
{
  char *args[] = { argv[0], (char *) "-f", (char *) "-s", NULL, NULL };
  long long n;

  if (argc < 4 || argc > 4 + MAX_BAD || strchr (argv[2], '/') ||
      snprintf (path_name, sizeof path_name, "/%s", argv[2]) >=
      (int) sizeof path_name) {
    fprintf (stderr, "usage: %s MOUNTPOINT NAME {mem:SIZE | IMAGE "
             "[FROM:LEN ...]}\n", argv[0]);
    return 2;
  }
  if (sscanf (argv[3], "mem:%lld", &n) == 1) {
    if (n < 0 || (data = malloc (n ? (size_t) n : 1)) == NULL) {
      fprintf (stderr, "%s: cannot hold %s\n", argv[0], argv[3]);
      return 1;
    }
    size = (off_t) n;
    /* Bytes that are not all zeros, touched before the mount. */
    for (long long i = 0; i < n; ++i)
      data[i] = (char) (i * 131 + (i >> 12));
  }
  else {
    struct stat st;

    image_fd = open (argv[3], O_RDONLY | O_CLOEXEC);
    if (image_fd == -1 || fstat (image_fd, &st) == -1) {
      perror (argv[3]);
      return 1;
    }
    size = st.st_size;
  }
  for (int i = 4; i < argc; ++i) {
    long long from, len;

    if (sscanf (argv[i], "%lld:%lld", &from, &len) != 2 || from < 0 ||
        len <= 0) {
      fprintf (stderr, "%s: '%s' is not FROM:LEN\n", argv[0], argv[i]);
      return 2;
    }
    bad_from[nr_bad] = (off_t) from;
    bad_len[nr_bad++] = (off_t) len;
  }
  args[3] = argv[1];
  return fuse_main (4, args, &ops, NULL);
}
