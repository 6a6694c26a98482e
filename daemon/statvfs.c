/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statvfs: filesystem sizes and free space, for tools that must know
 * how much a guest uses (sparsify estimates its output from it). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/statvfs.h>

#include "daemon.h"
#include "actions-gen.h"

struct drydock_statvfs *
do_statvfs (const char *path)
{
  /* O_PATH: no FIFO blocks and no device is opened. */
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  struct drydock_statvfs *r;
  struct statvfs sv;

  if (fd == -1 || fstatvfs (fd, &sv) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r->bsize = (int64_t) sv.f_bsize;
  r->frsize = (int64_t) sv.f_frsize;
  r->blocks = (int64_t) sv.f_blocks;
  r->bfree = (int64_t) sv.f_bfree;
  r->bavail = (int64_t) sv.f_bavail;
  r->files = (int64_t) sv.f_files;
  r->ffree = (int64_t) sv.f_ffree;
  r->favail = (int64_t) sv.f_favail;
  r->fsid = (int64_t) sv.f_fsid;
  r->flag = (int64_t) sv.f_flag;
  r->namemax = (int64_t) sv.f_namemax;
  return r;
}
