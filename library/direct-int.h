/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What direct.c (the NBD export and its reads) and direct-pipe.c (reads
 * with several requests in flight) share: the handle's direct-read
 * state, NBD's numbers, and the connection's helpers. */
#ifndef DRYDOCK_DIRECT_INT_H
#define DRYDOCK_DIRECT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "bigendian.h"
#include "drydock-internal.h"
#include "extent-map.h"

#define NBD_REQUEST_MAGIC 0x25609513
#define NBD_REPLY_MAGIC 0x67446698
#define NBD_CMD_READ 0

/* h->direct: whether the path is on, and each drive's connection. */
enum { DIRECT_UNTRIED, DIRECT_ON, DIRECT_OFF };

struct drydock_direct {
  int state;
  int bypass;                 /* a fallback call in progress: not again */
  int server;                 /* the NBD server started */
  size_t n;
  int *fd;                    /* drive i's connection, -1: none yet */
  unsigned char *exported;    /* drive i exported (a connection closed
                               * with answers on their way is opened
                               * again on the same export) */
  uint64_t *size;             /* drive i's size */
  uint64_t cookie;
};

/* A file kept mapped for reads at any offset (a read-only mount's big
 * files, fuse-read.c). */
struct drydock_direct_file {
  struct fmap *m;
};

/* Drive i's connection, exported and opened on first use.  -1 (then
 * off, the reason in the debug output) if it cannot be. */
extern int drydock_int_direct_drive_fd (drydock_h *h, struct drydock_direct *d,
                                        size_t i);
/* All n bytes to, or from, an NBD connection.  0, or -1 with errno. */
extern int drydock_int_nbd_send (int fd, const void *buf, size_t n);
extern int drydock_int_nbd_recv (int fd, void *buf, size_t n);

#endif
