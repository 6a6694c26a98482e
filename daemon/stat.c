/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stat struct (stat, lstat): stat(2) of a guest path with times in
 * whole seconds, next to statns in tree.c, which keeps nanoseconds. */

#include <config.h>

#include <stdlib.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

static struct drydock_stat *
stat_of (const char *path, int follow)
{
  struct drydock_stat *r;
  struct stat st;

  if (stat_guest (path, follow, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  *r = (struct drydock_stat) {
    .dev = (int64_t) st.st_dev, .ino = (int64_t) st.st_ino,
    .mode = st.st_mode, .nlink = (int64_t) st.st_nlink,
    .uid = st.st_uid, .gid = st.st_gid, .rdev = (int64_t) st.st_rdev,
    .size = st.st_size, .blksize = st.st_blksize, .blocks = st.st_blocks,
    .atime = st.st_atim.tv_sec, .mtime = st.st_mtim.tv_sec,
    .ctime = st.st_ctim.tv_sec,
  };
  return r;
}

struct drydock_stat *
do_stat (const char *path)
{
  return stat_of (path, 1);
}

struct drydock_stat *
do_lstat (const char *path)
{
  return stat_of (path, 0);
}
