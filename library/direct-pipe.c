/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reads of one file from the drives with several NBD requests in
 * flight (direct.c has the export, the mapping and one-at-a-time
 * reads): separate because it keeps state of its own across calls, the
 * requests on their way. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "direct-int.h"

/* Pipelined reads of one mapped file whose extents all lie on one
 * drive (the ring of a read-only mount, fuse-read.c): the requests of
 * several reads in flight at once on the drive's connection, which
 * qemu serves concurrently and answers in any order, so that it never
 * waits for the reader between two of them.  Only its owner's thread
 * uses the connection while the pipe lives (calls on the handle stop
 * that thread first). */
struct pipe_piece {
  uint64_t cookie;
  int tag;
  char *dest;
  size_t len;
};

struct drydock_direct_pipe {
  drydock_h *h;
  const struct fmap *m;
  size_t drive;
  int fd;
  struct pipe_piece *v;         /* requests sent, not answered yet */
  size_t n, cap;
  int ntags;
  size_t *left;                 /* a read's pieces not answered yet */
  size_t *got;                  /* a read's length */
};

struct drydock_direct_pipe *
drydock_int_direct_pipe_new (drydock_h *h, struct drydock_direct_file *f,
                             int ntags)
{
  struct drydock_direct *d = h->direct;
  struct drydock_direct_pipe *p;
  int drive = -1;

  if (d == NULL || d->state != DIRECT_ON || ntags <= 0)
    return NULL;
  for (int64_t k = 0; k < f->m->n; ++k) {
    if (f->m->v[k].drive < 0)
      continue;
    if (drive >= 0 && f->m->v[k].drive != drive)
      return NULL;
    drive = f->m->v[k].drive;
  }
  if (drive < 0 || (p = calloc (1, sizeof *p)) == NULL)
    return NULL;
  p->h = h;
  p->m = f->m;
  p->drive = (size_t) drive;
  p->ntags = ntags;
  p->left = calloc ((size_t) ntags, sizeof *p->left);
  p->got = calloc ((size_t) ntags, sizeof *p->got);
  if (p->left == NULL || p->got == NULL ||
      (p->fd = drydock_int_direct_drive_fd (h, d, p->drive)) == -1) {
    drydock_int_direct_pipe_free (p);
    return NULL;
  }
  return p;
}

void
drydock_int_direct_pipe_free (struct drydock_direct_pipe *p)
{
  struct drydock_direct *d;

  if (p == NULL)
    return;
  d = p->h->direct;
  /* Answers still on their way would be taken for the next read's:
   * the connection goes (the next read opens another). */
  if (p->n > 0 && d && d->fd[p->drive] == p->fd) {
    close (p->fd);
    d->fd[p->drive] = -1;
  }
  free (p->v);
  free (p->left);
  free (p->got);
  free (p);
}

/* The pipe broke (the error set): no read of it is answered any
 * more.  -1. */
static int
pipe_drop (struct drydock_direct_pipe *p)
{
  struct drydock_direct *d = p->h->direct;

  if (d && d->fd[p->drive] == p->fd) {
    close (p->fd);
    d->fd[p->drive] = -1;
    d->state = DIRECT_OFF;
  }
  p->n = 0;
  return -1;
}

static int
pipe_broken (struct drydock_direct_pipe *p, const char *what)
{
  drydock_int_perror (p->h, "read: %s drive %zu from qemu", what, p->drive);
  return pipe_drop (p);
}

int
drydock_int_direct_pipe_submit (struct drydock_direct_pipe *p, int tag,
                                char *buf, size_t len, uint64_t offset,
                                size_t *got)
{
  struct drydock_direct *d = p->h->direct;
  const struct fmap *m = p->m;
  uint64_t size = (uint64_t) m->size, end;

  if (tag < 0 || tag >= p->ntags || p->left[tag] != 0 || d == NULL ||
      d->state != DIRECT_ON || d->fd[p->drive] != p->fd) {
    drydock_int_error_errno (p->h, EIO, "read: drive %zu cannot be read "
                             "from the host any more", p->drive);
    return -1;
  }
  if (offset >= size)
    len = 0;
  else if (len > size - offset)
    len = (size_t) (size - offset);
  memset (buf, 0, len);
  end = offset + len;
  p->got[tag] = len;
  for (int64_t k = 0; k < m->n && m->v[k].logical < end; ++k) {
    const struct fext *x = &m->v[k];
    uint64_t from = x->logical > offset ? x->logical : offset;
    uint64_t to = x->logical + x->len < end ? x->logical + x->len : end;
    uint64_t phys;
    unsigned char rq[28];

    if (x->drive < 0 || to <= from)
      continue;
    phys = x->physical + (from - x->logical);
    if (phys > d->size[p->drive] || to - from > d->size[p->drive] - phys) {
      drydock_int_error_errno (p->h, EIO, "read: the appliance placed a "
                               "file at bytes %" PRIu64 "-%" PRIu64 " of "
                               "drive %zu, which has %" PRIu64, phys,
                               phys + (to - from), p->drive,
                               d->size[p->drive]);
      return -1;
    }
    if (p->n == p->cap) {
      size_t c = p->cap ? 2 * p->cap : 16;
      struct pipe_piece *v = reallocarray (p->v, c, sizeof *v);

      if (v == NULL) {
        drydock_int_perror (p->h, "read");
        return -1;
      }
      p->v = v;
      p->cap = c;
    }
    p->v[p->n] = (struct pipe_piece) { ++d->cookie, tag,
                                       buf + (from - offset),
                                       (size_t) (to - from) };
    put32 (rq, NBD_REQUEST_MAGIC);
    put32 (rq + 4, NBD_CMD_READ);
    put64 (rq + 8, p->v[p->n].cookie);
    put64 (rq + 16, phys);
    put32 (rq + 24, (uint32_t) (to - from));
    if (drydock_int_nbd_send (p->fd, rq, sizeof rq) == -1)
      return pipe_broken (p, "asking");
    p->n++;
    p->left[tag]++;
  }
  *got = len;
  return p->left[tag] == 0;
}

int
drydock_int_direct_pipe_wait (struct drydock_direct_pipe *p, int *tag,
                              size_t *got)
{
  for (;;) {
    unsigned char rp[16];
    size_t i;
    struct pipe_piece x;

    if (p->n == 0) {
      drydock_int_error_errno (p->h, EINVAL, "read: no read in flight");
      return -1;
    }
    if (drydock_int_nbd_recv (p->fd, rp, sizeof rp) == -1)
      return pipe_broken (p, "reading");
    for (i = 0; i < p->n && p->v[i].cookie != be64 (rp + 8); ++i)
      ;
    if (be32 (rp) != NBD_REPLY_MAGIC || i == p->n) {
      errno = EPROTO;
      return pipe_broken (p, "reading");
    }
    x = p->v[i];
    p->v[i] = p->v[--p->n];
    if (be32 (rp + 4) != 0) {
      /* qemu could not read those bytes (a bad sector under the
       * image): this read fails, the connection stays in step (an
       * error reply has no data), and the other files still read from
       * the drives.  The pieces still on their way are dropped with the
       * pipe (pipe_free closes the connection). */
      drydock_int_error_errno (p->h, EIO, "read: reading drive %zu: NBD "
                               "error %" PRIu32, p->drive, be32 (rp + 4));
      return -1;
    }
    if (drydock_int_nbd_recv (p->fd, x.dest, x.len) == -1)
      return pipe_broken (p, "reading");
    if (--p->left[x.tag] == 0) {
      *tag = x.tag;
      *got = p->got[x.tag];
      return 0;
    }
  }
}
