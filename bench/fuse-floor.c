/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's FUSE path alone, for bench/fuse: a filesystem of one
 * file, /big, of SIZE bytes held in memory, served by libfuse3's
 * high-level loop in one thread with the kernel's cache on, as
 * drydock's read-only mount is.  cat of /big then costs what any FUSE
 * filesystem pays (the requests, the copy into the page cache, cat's
 * copy out of it) with nothing behind it: the floor under cat through
 * a drydock mount.
 *
 * Usage: fuse-floor SIZE MOUNTPOINT   (serves in the foreground; ends
 * at fusermount3 -u MOUNTPOINT) */

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *data;
static size_t size;

static int
floor_getattr (const char *path, struct stat *st, struct fuse_file_info *fi)
{
  (void) fi;
  memset (st, 0, sizeof *st);
  if (strcmp (path, "/") == 0) {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (strcmp (path, "/big") == 0) {
    st->st_mode = S_IFREG | 0644;
    st->st_nlink = 1;
    st->st_size = (off_t) size;
    return 0;
  }
  return -ENOENT;
}

static int
floor_read (const char *path, char *buf, size_t n, off_t off,
            struct fuse_file_info *fi)
{
  (void) path;
  (void) fi;
  if (off < 0 || (size_t) off >= size)
    return 0;
  if (n > size - (size_t) off)
    n = size - (size_t) off;
  memcpy (buf, data + off, n);
  return (int) n;
}

static void *
floor_init (struct fuse_conn_info *conn, struct fuse_config *cfg)
{
  (void) conn;
  cfg->kernel_cache = 1;
  return NULL;
}

static const struct fuse_operations ops = {
  .getattr = floor_getattr,
  .read = floor_read,
  .init = floor_init,
};

int
main (int argc, char **argv)
{
  char *args[] = { argv[0], (char *) "-f", (char *) "-s", NULL, NULL };

  if (argc != 3) {
    fprintf (stderr, "usage: %s SIZE MOUNTPOINT\n", argv[0]);
    return 2;
  }
  size = strtoull (argv[1], NULL, 10);
  data = malloc (size ? size : 1);
  if (data == NULL) {
    perror ("malloc");
    return 1;
  }
  /* Bytes that are not all zeros, touched before the mount. */
  for (size_t i = 0; i < size; ++i)
    data[i] = (char) (i * 131 + (i >> 12));
  args[3] = argv[2];
  return fuse_main (4, args, &ops, NULL);
}
