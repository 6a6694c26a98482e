/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the two halves of a local mount share: fuse.c (the mount, its
 * attributes, directories, extended attributes and changes) and
 * fuse-read.c (open files and reads).  Included only when libfuse3 is
 * there (HAVE_FUSE).
 *
 * Convention: the FUSE operations and the helpers returning int give
 * 0 (or a count of bytes) or -errno, as libfuse wants; those returning
 * a pointer give NULL when out of memory. */

#ifndef DRYDOCK_FUSE_INT_H
#define DRYDOCK_FUSE_INT_H

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include "bigendian.h"
#include "drydock-internal.h"
#include "fuse-cache.h"
#include "guest-path.h"

/* An open file: the bytes last read, [off, off + len). */
struct lfile {
  struct lfile *next, *prev;
  char *path;
  char *buf;
  size_t len;
  off_t off;
  int at_eof;                   /* buf ends at the end of the file */
  size_t window;                /* the next fetch's size */
  off_t next_off;               /* where a sequential read goes on */
  char *old;                    /* the buffer before, [old_off, + old_len):
                                   the kernel's readahead may still ask
                                   for its end after the next one came */
  size_t old_len;
  off_t old_off;
  int by_path;                  /* kept by path, not by an open */
  int direct;                   /* read from the drives: 1 mapped (df),
                                   -1 not mappable, 0 not tried */
  struct drydock_direct_file *df;
};

/* A big file's stream and a batch of small files fetched ahead, each
 * run by a thread (fuse-read.c). */
struct lstream;
struct lbatch;
/* A tree's list on its way (fuse-tree.c). */
struct ltree;

struct drydock_local_mount {
  drydock_h *h;
  struct lstream *stream;       /* NULL: none runs */
  struct lbatch *batch;         /* NULL: none runs */
  struct ltree *tree;           /* NULL: none on its way */
  struct statvfs statfs;        /* a read-only mount's numbers ... */
  double statfs_until;          /* ... kept until then */
  struct fuse *fuse;
  int mounted;
  int readonly;
  int debugcalls;
  double timeout;               /* cachetimeout, seconds */
  int readahead_pending;        /* raise_readahead after the INIT */
  double no_tree_until;         /* a tree was too big: per directory */
  int no_open;                  /* the kernel opens files without asking */
  struct lcache *cache;
  struct lfile *files;
};

/* fuse.c */

/* Traces an operation (debugcalls), and raises the mount's readahead
 * at the first one. */
extern void lmount_trace_op (const char *op, const char *path);
/* A change through the mount: what is known of path (of everything,
 * when whole_tree) is dropped, and the open files' read buffers of
 * it. */
extern void lmount_changed (const char *path, int whole_tree);
/* A stat from the appliance's statns. */
extern void lmount_stat_from_statns (struct stat *st,
                                     const struct drydock_statns *s);

/* fuse-tree.c */

/* Starts fetching the tree under the directory path into the caches,
 * in a thread (unless the mount is writable, or a tree was too big
 * lately): 0, or -1 if it does not. */
extern int lmount_tree_start (struct drydock_local_mount *m,
                              const char *path);
/* Takes in the tree on its way until the caches know path's names: 1,
 * or 0 when they will not (no tree on its way, path not under it, or
 * the list ended without them). */
extern int lmount_tree_wait_dir (struct drydock_local_mount *m,
                                 const char *path);
/* Waits for the tree's call to end and, with keep, takes in the rest
 * of the list (else it is dropped: the mount ends). */
extern void lmount_tree_end (struct drydock_local_mount *m, int keep);

/* fuse-read.c */

/* A read's answer from a part of the read path that does not serve
 * it (the caller reads another way). */
#define NOT_SERVED INT_MIN

/* fuse-stream.c: streams path from its start (stopping any other):
 * 0, or -1 if it cannot. */
extern int lmount_stream_start (struct drydock_local_mount *m,
                                const char *path);
/* [offset, offset + size) of path from its stream, waiting for bytes on
 * their way: the bytes read (fewer only at the end of the file),
 * -errno, or NOT_SERVED (no stream of path, or it does not hold
 * offset and will not soon). */
extern int lmount_stream_read (struct drydock_local_mount *m, const char *path,
                               char *buf, size_t size, off_t offset);
/* Stops the stream running, if one does. */
extern void lmount_stream_stop (struct drydock_local_mount *m);
/* fuse-read.c: starts fn (arg) in a thread that takes no signals (the
 * FUSE loop's thread takes them).  0, or -1. */
extern int lmount_start_thread (pthread_t *t, void *(*fn) (void *),
                                void *arg);
/* Waits for the batch fetched ahead, if one runs, and takes its files
 * into the cache; next 1 then starts the one after it, -1 drops the
 * files instead (the mount ends). */
extern void lmount_batch_end (struct drydock_local_mount *m, int next);
/* Frees the read state of every file of m. */
extern void lmount_files_free (struct drydock_local_mount *m);
/* The FUSE operations open, release and read. */
extern int lmount_open (const char *path, struct fuse_file_info *fi);
extern int lmount_release (const char *path, struct fuse_file_info *fi);
extern int lmount_read (const char *path, char *buf, size_t size,
                        off_t offset, struct fuse_file_info *fi);

/* The mount being served, in the loop's thread. */
static inline struct drydock_local_mount *
lm (void)
{
  return fuse_get_context ()->private_data;
}

/* The handle, for a call: a stream running is stopped first, and a
 * batch fetched ahead or a tree on its way waited for. */
static inline drydock_h *
handle (void)
{
  struct drydock_local_mount *m = lm ();

  lmount_stream_stop (m);
  lmount_batch_end (m, 0);
  lmount_tree_end (m, 1);
  return m->h;
}

/* -errno of the handle's last failed call: EIO if it has none, and
 * once the appliance died. */
static inline int
neg_errno (drydock_h *h)
{
  int e = drydock_last_errno (h);

  /* The handle's calls then say EINVAL (a call in the wrong state). */
  if (h->state == STATE_DONE)
    return -EIO;

  return e > 0 ? -e : -EIO;
}

#endif /* DRYDOCK_FUSE_INT_H */
