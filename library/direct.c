/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Guest files read straight from the drives.  Under TCG most of a
 * download's time is the appliance's: its disk requests, and copying
 * the bytes through the channel.  The daemon can say instead where a
 * file's bytes lie on the drives (extentlist), and qemu can serve the
 * drives to the host: its NBD server, started over QMP on a socket in
 * the handle's temporary directory, exports a drive's node read-only
 * (the overlay over the image and its chain, the very node the guest's
 * disk reads), and the library reads the extents from it at the host's
 * speed.  download, download_offset and readfilelist go this way
 * (their wrappers call drydock_int_direct_*; see the action table's
 * `direct`), the FUSE mount's reads with them.
 *
 * What the guest would read is on the drive: extentlist writes the
 * file's dirty pages back first.  Its answer is guest data: every
 * extent is checked against the file's size and the drive's, and a
 * file it does not map is read the ordinary way, by the daemon, which
 * also gives every error.  DRYDOCK_DIRECT_READ=0 turns the path off;
 * if any part of it cannot start (no monitor, no NBD server in this
 * qemu), it stays off for the handle, and the debug output says why.
 *
 * Calls on a handle are made one at a time (FUSE's threads take turns,
 * see fuse.c), and so is everything here. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "direct-int.h"
#include "extent-map.h"
#include "full-rw.h"
#include "procs-gen.h"
#include "wire.h"

#define QMP_TIMEOUT_MS 10000
/* The longest NBD read asked at once (qemu serves up to 32 MiB). */
#define READ_MAX (8 * 1024 * 1024)
/* Extents closer than this on a drive are read in one request. */
#define MERGE_GAP (64 * 1024)
/* readfilelist's reply, as the daemon bounds it (daemon/filelist.c). */
#define FILELIST_MAX (WIRE_MESSAGE_MAX - 64 * 1024)

/* NBD's numbers (the protocol's documentation). */
#define NBD_MAGIC UINT64_C (0x4e42444d41474943)         /* "NBDMAGIC" */
#define NBD_OPTS_MAGIC UINT64_C (0x49484156454f5054)    /* "IHAVEOPT" */
#define NBD_REP_MAGIC UINT64_C (0x0003e889045565a9)
#define NBD_FLAG_FIXED_NEWSTYLE 1
#define NBD_FLAG_NO_ZEROES 2
#define NBD_OPT_GO 7
#define NBD_REP_ACK 1
#define NBD_REP_INFO 3
#define NBD_INFO_EXPORT 0
#define NBD_CMD_DISC 2

static int
turn_off (drydock_h *h, const char *why)
{
  drydock_int_debug (h, "direct reads off: %s", why);
  h->direct->state = DIRECT_OFF;
  return -1;
}

/* Starts qemu's NBD server once a handle.  0, or -1 (then off). */
static int
start_server (drydock_h *h, struct drydock_direct *d)
{
  CLEANUP_FREE char *path = NULL, *json = NULL;
  const char *env = getenv ("DRYDOCK_DIRECT_READ");

  if (env && strcmp (env, "0") == 0)
    return turn_off (h, "DRYDOCK_DIRECT_READ=0");
  if (h->qmp == NULL)
    return turn_off (h, "no monitor");
  if (asprintf (&path, "%s/nbd", h->tmpdir) == -1 ||
      (json = drydock_int_json_string (path)) == NULL)
    return turn_off (h, strerror (errno));
  if (strlen (path) >= sizeof ((struct sockaddr_un *) 0)->sun_path)
    return turn_off (h, "the temporary directory's path is too long for a "
                     "socket");
  drydock_int_reaper_add (h, path);
  if (drydock_int_qmp (h, h->qmp, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"nbd-server-start\",\"arguments\":"
                       "{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":%s}}}}"
                       "\n", json) == -1) {
    CLEANUP_FREE char *why = h->last_error ? strdup (h->last_error) : NULL;

    return turn_off (h, why ? why : "nbd-server-start failed");
  }
  d->server = 1;
  return 0;
}

/* Sends all n bytes (no SIGPIPE if qemu is gone).  0, or -1. */
int
drydock_int_nbd_send (int fd, const void *buf, size_t n)
{
  const char *p = buf;

  while (n > 0) {
    ssize_t k = send (fd, p, n, MSG_NOSIGNAL);

    if (k == -1 && errno == EINTR)
      continue;
    if (k <= 0)
      return -1;
    p += k;
    n -= (size_t) k;
  }
  return 0;
}

int
drydock_int_nbd_recv (int fd, void *buf, size_t n)
{
  ssize_t r = read_all (fd, buf, n);

  if (r == (ssize_t) n)
    return 0;
  if (r >= 0)
    errno = ECONNRESET;
  return -1;
}

/* Negotiates export name on a connected socket: NBD's fixed newstyle
 * handshake and one NBD_OPT_GO.  The export's size in *size.  0, or -1
 * with errno. */
static int
nbd_handshake (int fd, const char *name, uint64_t *size)
{
  unsigned char b[20 + 256];
  size_t k = strlen (name);
  int have_size = 0;

  if (k > 200 || drydock_int_nbd_recv (fd, b, 18) == -1)
    return -1;
  if (be64 (b) != NBD_MAGIC || be64 (b + 8) != NBD_OPTS_MAGIC ||
      !(b[17] & NBD_FLAG_FIXED_NEWSTYLE)) {
    errno = EPROTO;
    return -1;
  }
  put32 (b, NBD_FLAG_FIXED_NEWSTYLE | (b[17] & NBD_FLAG_NO_ZEROES));
  put64 (b + 4, NBD_OPTS_MAGIC);
  put32 (b + 12, NBD_OPT_GO);
  put32 (b + 16, (uint32_t) (4 + k + 2));
  if (drydock_int_nbd_send (fd, b, 20) == -1)
    return -1;
  put32 (b, (uint32_t) k);
  memcpy (b + 4, name, k);
  b[4 + k] = b[5 + k] = 0;        /* no information requests */
  if (drydock_int_nbd_send (fd, b, 4 + k + 2) == -1)
    return -1;
  for (;;) {
    uint32_t type, len;

    if (drydock_int_nbd_recv (fd, b, 20) == -1)
      return -1;
    type = be32 (b + 12);
    len = be32 (b + 16);
    if (be64 (b) != NBD_REP_MAGIC || be32 (b + 8) != NBD_OPT_GO ||
        len > 4096) {
      errno = EPROTO;
      return -1;
    }
    if (type == NBD_REP_ACK)
      break;
    if (type & 0x80000000) {
      errno = ENOENT;             /* the server refused the export */
      return -1;
    }
    {
      unsigned char info[4096];

      if (drydock_int_nbd_recv (fd, info, len) == -1)
        return -1;
      if (type == NBD_REP_INFO && len >= 12 &&
          ((info[0] << 8) | info[1]) == NBD_INFO_EXPORT) {
        *size = be64 (info + 2);
        have_size = 1;
      }
    }
  }
  if (!have_size) {
    errno = EPROTO;
    return -1;
  }
  return 0;
}

/* The node qemu knows drive i by: the hot-added drives of a restore
 * are "dN" nodes, a cold boot's -drive names its node "nN" (qemu.c). */
static void
node_name (drydock_h *h, size_t i, char *buf, size_t n)
{
  snprintf (buf, n, "%s%zu", h->drives_hotplugged ? "d" : "n", i);
}

/* Drive i's connection, exported and opened on first use.  -1 (then
 * off) if it cannot be. */
int
drydock_int_direct_drive_fd (drydock_h *h, struct drydock_direct *d, size_t i)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  char node[32];
  int fd;

  if (d->fd[i] >= 0)
    return d->fd[i];
  if (!d->server && start_server (h, d) == -1)
    return -1;
  node_name (h, i, node, sizeof node);
  if (!d->exported[i] &&
      drydock_int_qmp (h, h->qmp, -1, QMP_TIMEOUT_MS, NULL,
                       "{\"execute\":\"block-export-add\",\"arguments\":"
                       "{\"type\":\"nbd\",\"id\":\"x%zu\",\"node-name\":\"%s\","
                       "\"name\":\"x%zu\",\"writable\":false}}\n",
                       i, node, i) == -1) {
    CLEANUP_FREE char *why = h->last_error ? strdup (h->last_error) : NULL;

    return turn_off (h, why ? why : "block-export-add failed");
  }
  d->exported[i] = 1;
  snprintf (sa.sun_path, sizeof sa.sun_path, "%s/nbd", h->tmpdir);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && h->call_timeout_ms > 0) {
    struct timeval tv = { h->call_timeout_ms / 1000,
                          (h->call_timeout_ms % 1000) * 1000 };

    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  {
    char name[32];

    snprintf (name, sizeof name, "x%zu", i);
    if (fd == -1 || connect (fd, (struct sockaddr *) &sa, sizeof sa) == -1 ||
        nbd_handshake (fd, name, &d->size[i]) == -1) {
      int err = errno;

      if (fd >= 0)
        close (fd);
      return turn_off (h, strerror (err));
    }
  }
  drydock_int_debug (h, "direct reads: drive %zu (%s) exported, %" PRIu64
                     " bytes", i, node, d->size[i]);
  d->fd[i] = fd;
  return fd;
}

/* Reads len bytes at offset of drive i.  0, or -1 with the error set
 * (name's): the connection is then closed and the path turned off. */
static int
drive_read (drydock_h *h, const char *name, size_t i, uint64_t offset,
            char *buf, size_t len)
{
  struct drydock_direct *d = h->direct;
  int fd;

  /* The appliance died since the file was mapped (its end frees
   * h->direct), or an earlier read found qemu's export broken. */
  if (d == NULL || d->state != DIRECT_ON) {
    drydock_int_error_errno (h, EIO, "%s: drive %zu cannot be read from "
                             "the host any more: the appliance is gone or "
                             "its export broke", name, i);
    return -1;
  }
  fd = drydock_int_direct_drive_fd (h, d, i);
  if (fd == -1) {
    drydock_int_error_errno (h, EIO, "%s: drive %zu cannot be read from "
                             "the host", name, i);
    return -1;
  }
  if (offset > d->size[i] || len > d->size[i] - offset) {
    drydock_int_error_errno (h, EIO, "%s: the appliance placed a file at "
                             "bytes %" PRIu64 "-%" PRIu64 " of drive %zu, "
                             "which has %" PRIu64, name, offset,
                             offset + len, i, d->size[i]);
    return -1;
  }
  while (len > 0) {
    size_t k = len < READ_MAX ? len : READ_MAX;
    unsigned char rq[28], rp[16];
    uint64_t cookie = ++d->cookie;

    put32 (rq, NBD_REQUEST_MAGIC);
    put32 (rq + 4, NBD_CMD_READ);       /* flags 0, type READ */
    put64 (rq + 8, cookie);
    put64 (rq + 16, offset);
    put32 (rq + 24, (uint32_t) k);
    if (drydock_int_nbd_send (fd, rq, sizeof rq) == -1 ||
        drydock_int_nbd_recv (fd, rp, sizeof rp) == -1)
      goto broken;
    if (be32 (rp) != NBD_REPLY_MAGIC || be64 (rp + 8) != cookie) {
      errno = EPROTO;
      goto broken;
    }
    if (be32 (rp + 4) != 0) {
      drydock_int_error_errno (h, EIO, "%s: reading drive %zu at %" PRIu64
                               ": NBD error %" PRIu32, name, i, offset,
                               be32 (rp + 4));
      return -1;
    }
    if (drydock_int_nbd_recv (fd, buf, k) == -1)
      goto broken;
    buf += k;
    offset += k;
    len -= k;
  }
  return 0;
 broken:
  drydock_int_perror (h, "%s: reading drive %zu from qemu", name, i);
  close (fd);
  d->fd[i] = -1;
  d->state = DIRECT_OFF;
  return -1;
}

/* Whether direct reads may be tried now; sets the state up once. */
static int
direct_on (drydock_h *h)
{
  struct drydock_direct *d = h->direct;

  if (d == NULL) {
    d = calloc (1, sizeof *d);
    if (d == NULL)
      return 0;
    d->n = h->n_drives;
    d->fd = calloc (d->n ? d->n : 1, sizeof *d->fd);
    d->size = calloc (d->n ? d->n : 1, sizeof *d->size);
    d->exported = calloc (d->n ? d->n : 1, sizeof *d->exported);
    if (d->fd == NULL || d->size == NULL || d->exported == NULL) {
      free (d->fd);
      free (d->size);
      free (d->exported);
      free (d);
      return 0;
    }
    for (size_t i = 0; i < d->n; ++i)
      d->fd[i] = -1;
    h->direct = d;
    if (start_server (h, d) == 0)
      d->state = DIRECT_ON;
  }
  return d->state == DIRECT_ON && !d->bypass && h->state == STATE_READY;
}

void
drydock_int_direct_close (drydock_h *h)
{
  struct drydock_direct *d = h->direct;

  if (d) {
    for (size_t i = 0; i < d->n; ++i)
      if (d->fd[i] >= 0) {
        unsigned char rq[28] = { 0 };

        put32 (rq, NBD_REQUEST_MAGIC);
        put32 (rq + 4, NBD_CMD_DISC);
        drydock_int_nbd_send (d->fd[i], rq, sizeof rq);
        close (d->fd[i]);
      }
    free (d->fd);
    free (d->size);
    free (d->exported);
    free (d);
    h->direct = NULL;
  }
  if (h->qmp) {
    drydock_int_qmp_close (h->qmp);
    h->qmp = NULL;
  }
}

/* Around a call to the daemon made from here: the wrapper must not
 * come back here.  The appliance may die during the call, which frees
 * h->direct (drydock_int_direct_close). */
static void
set_bypass (drydock_h *h, int on)
{
  if (h->direct)
    h->direct->bypass = on;
}

/* The maps of names under dir, from the daemon.  NULL if the call
 * failed or its reply is malformed (the caller then goes the ordinary
 * way, which gives the error if there is one). */
static struct fmap *
get_maps (drydock_h *h, const char *dir, char *const *names, size_t n,
          int follow)
{
  CLEANUP_FREE char *buf = NULL;
  struct fmap *maps;
  size_t len;

  set_bypass (h, 1);
  buf = drydock_extentlist (h, dir, names, follow, &len);
  set_bypass (h, 0);
  if (buf == NULL || h->direct == NULL)
    return NULL;
  maps = calloc (n ? n : 1, sizeof *maps);
  if (maps == NULL)
    return NULL;
  if (extent_map_parse ((unsigned char *) buf, len, n, h->direct->n,
                        maps) == -1) {
    drydock_int_debug (h, "direct reads: extentlist of %s: malformed reply",
                       dir);
    extent_map_free (maps, n);
    return NULL;
  }
  return maps;
}

/* The progress events of a direct download, paced as the daemon paces
 * its own: the first after 1 s, then at most 3 a second, and the
 * last. */
struct progress {
  drydock_h *h;
  uint32_t proc;
  struct timespec start, last;
};

static void
progress (struct progress *p, uint64_t pos, uint64_t total)
{
  struct timespec now;
  uint64_t a[4];

  clock_gettime (CLOCK_MONOTONIC, &now);
  if (pos != total &&
      (drydock_int_elapsed_ms (&p->start) < 1000 ||
       drydock_int_elapsed_ms (&p->last) < 333))
    return;
  p->last = now;
  a[0] = p->proc;
  a[1] = p->h->serial;
  a[2] = pos;
  a[3] = total;
  drydock_int_event (p->h, DRYDOCK_EVENT_PROGRESS, NULL, 0, a, 4);
}

/* Bytes [from, to) of the file m into the sink: extents read from the
 * drives in READ_MAX pieces, gaps and zero extents as holes.  0, or -1
 * with the error set. */
static int
copy_range (drydock_h *h, const char *name, const struct fmap *m,
            uint64_t from, uint64_t to, struct drydock_sink *s,
            struct progress *p)
{
  CLEANUP_FREE char *buf = malloc (READ_MAX);
  uint64_t pos = from;

  if (buf == NULL) {
    drydock_int_perror (h, "%s", name);
    return -1;
  }
  for (int64_t k = 0; k <= m->n && pos < to; ++k) {
    /* The next extent (past the last: the end of the file). */
    uint64_t lo = k < m->n ? m->v[k].logical : (uint64_t) m->size;
    uint64_t hi = k < m->n ? lo + m->v[k].len : lo;

    if (hi <= pos)
      continue;
    if (lo > pos) {
      uint64_t gap = (lo < to ? lo : to) - pos;

      drydock_int_sink_hole (s, gap);
      pos += gap;
    }
    while (pos < hi && pos < to) {
      uint64_t end = hi < to ? hi : to;
      size_t want = end - pos < READ_MAX ? (size_t) (end - pos) : READ_MAX;

      if (drydock_int_take_cancel (h)) {
        drydock_int_error_errno (h, EINTR, "%s: operation cancelled by "
                                 "the user", name);
        return -1;
      }
      if (m->v[k].drive < 0)
        drydock_int_sink_hole (s, want);
      else if (drive_read (h, name, (size_t) m->v[k].drive,
                           m->v[k].physical + (pos - lo), buf, want) == -1)
        return -1;
      else
        drydock_int_sink_write (s, buf, want);
      pos += want;
      progress (p, pos - from, to - from);
    }
  }
  if (pos < to)
    drydock_int_sink_hole (s, to - pos);
  return 0;
}

/* download and download_offset: bytes [offset, offset + count) of path
 * (count -1: to the end) into target. */
static int
direct_range (drydock_h *h, const char *name, uint32_t proc,
              const char *path, const char *target, int64_t offset,
              int64_t count, int *handled)
{
  char *names[2] = { NULL, NULL };
  struct fmap *m;
  struct drydock_sink s;
  struct progress p = { h, proc, { 0, 0 }, { 0, 0 } };
  uint64_t from, to;
  int r;

  *handled = 0;
  if (!direct_on (h) || path[0] != '/' || path[1] == '\0' || offset < 0)
    return 0;
  names[0] = (char *) path + 1;
  m = get_maps (h, "/", names, 1, 1);
  if (m == NULL || m->size < 0 || m->n < 0) {
    extent_map_free (m, 1);
    return 0;
  }
  *handled = 1;
  from = (uint64_t) offset < (uint64_t) m->size ? (uint64_t) offset :
    (uint64_t) m->size;
  to = count < 0 || (uint64_t) count > (uint64_t) m->size - from ?
    (uint64_t) m->size : from + (uint64_t) count;
  atomic_store (&h->cancel, 0);
  clock_gettime (CLOCK_MONOTONIC, &p.start);
  p.last = p.start;
  if (drydock_int_sink_open (h, name, &s, target) == -1) {
    extent_map_free (m, 1);
    return -1;
  }
  {
    /* Its errors name the guest's file too. */
    CLEANUP_FREE char *what = NULL;

    r = asprintf (&what, "%s: %s", name, path) == -1 ? -1 : 0;
    if (r == -1)
      drydock_int_perror (h, "%s", name);
    else
      r = copy_range (h, what, m, from, to, &s, &p);
  }
  if (drydock_int_sink_close (h, name, &s, r == 0) == -1)
    r = -1;
  if (r == 0)
    drydock_int_debug (h, "%s: %s: %" PRIu64 " bytes read from the drives "
                       "(%" PRIi64 " extents)", name, path, to - from, m->n);
  extent_map_free (m, 1);
  return r;
}

int
drydock_int_direct_download (drydock_h *h, const char *remotefilename,
                             const char *filename, int *handled)
{
  return direct_range (h, "download", PROC_DOWNLOAD, remotefilename,
                       filename, 0, -1, handled);
}

int
drydock_int_direct_download_offset (drydock_h *h, const char *remotefilename,
                                    const char *filename, int64_t offset,
                                    int64_t size, int *handled)
{
  *handled = 0;
  if (size < 0)
    return 0;
  return direct_range (h, "download_offset", PROC_DOWNLOAD_OFFSET,
                       remotefilename, filename, offset, size, handled);
}

/* A piece of a file to read from a drive into the reply. */
struct piece {
  int drive;
  uint64_t physical, len;
  char *dest;
};

static int
piece_order (const void *a, const void *b)
{
  const struct piece *x = a, *y = b;

  if (x->drive != y->drive)
    return x->drive < y->drive ? -1 : 1;
  return x->physical < y->physical ? -1 : x->physical > y->physical;
}

/* Reads every piece, the ones close together on a drive in one
 * request.  0, or -1 with the error set. */
static int
read_pieces (drydock_h *h, struct piece *v, size_t n)
{
  CLEANUP_FREE char *buf = NULL;

  qsort (v, n, sizeof *v, piece_order);
  for (size_t i = 0; i < n; ) {
    uint64_t lo = v[i].physical, hi = lo + v[i].len;
    size_t j = i + 1;

    while (j < n && v[j].drive == v[i].drive && v[j].physical >= lo &&
           v[j].physical <= hi + MERGE_GAP &&
           v[j].physical + v[j].len - lo <= READ_MAX) {
      if (v[j].physical + v[j].len > hi)
        hi = v[j].physical + v[j].len;
      ++j;
    }
    if (j == i + 1) {
      /* Alone: straight into its place. */
      if (drive_read (h, "readfilelist", (size_t) v[i].drive, lo, v[i].dest,
                      (size_t) v[i].len) == -1)
        return -1;
    }
    else {
      if (buf == NULL && (buf = malloc (READ_MAX)) == NULL) {
        drydock_int_perror (h, "readfilelist");
        return -1;
      }
      if (drive_read (h, "readfilelist", (size_t) v[i].drive, lo, buf,
                      (size_t) (hi - lo)) == -1)
        return -1;
      for (size_t k = i; k < j; ++k)
        memcpy (v[k].dest, buf + (v[k].physical - lo), (size_t) v[k].len);
    }
    i = j;
  }
  return 0;
}

/* readfilelist of the names extentlist could not map, from the daemon:
 * into *files[i] / *sizes[i] for those, -1 sizes for the rest.  0, or
 * -1 (the call failed: the caller goes the ordinary way). */
static int
fallback_files (drydock_h *h, const char *path, char *const *names, size_t n,
                const struct fmap *maps, uint64_t cap, char **buf_r,
                int64_t *sizes, size_t *offsets)
{
  CLEANUP_FREE char **sub = calloc (n + 1, sizeof *sub);
  size_t k = 0, len = 0, at = 0;
  char *buf;

  for (size_t i = 0; i < n; ++i)
    sizes[i] = -1;
  if (sub == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i)
    if (maps[i].size >= 0 && maps[i].n < 0 && (uint64_t) maps[i].size <= cap)
      sub[k++] = names[i];
  *buf_r = NULL;
  if (k == 0)
    return 0;
  set_bypass (h, 1);
  buf = drydock_readfilelist (h, path, sub, (int64_t) cap, &len);
  set_bypass (h, 0);
  if (buf == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i) {
    int64_t got;

    if (!(maps[i].size >= 0 && maps[i].n < 0 && (uint64_t) maps[i].size <= cap))
      continue;
    if (len - at < 8)
      goto bad;
    got = (int64_t) be64 ((unsigned char *) buf + at);
    at += 8;
    if (got < -1 || (got > 0 && (uint64_t) got > len - at))
      goto bad;
    sizes[i] = got;
    offsets[i] = at;
    at += got > 0 ? (size_t) got : 0;
  }
  *buf_r = buf;
  return 0;
 bad:
  free (buf);
  return -1;
}

char *
drydock_int_direct_readfilelist (drydock_h *h, const char *path,
                                 char *const *names, int64_t maxsize,
                                 size_t *size_r, int *handled)
{
  size_t n = 0, len = 0, np = 0;
  struct fmap *maps;
  CLEANUP_FREE char *fb = NULL;
  CLEANUP_FREE int64_t *fsize = NULL;
  CLEANUP_FREE size_t *foff = NULL;
  CLEANUP_FREE struct piece *pieces = NULL;
  size_t npieces_max = 0;
  uint64_t cap;
  char *out;

  *handled = 0;
  if (!direct_on (h) || maxsize < 0)
    return NULL;
  while (names[n])
    ++n;
  if (n > FILELIST_MAX / 8)
    return NULL;
  cap = (uint64_t) maxsize < FILELIST_MAX ? (uint64_t) maxsize : FILELIST_MAX;
  maps = get_maps (h, path, names, n, 0);
  if (maps == NULL)
    return NULL;
  fsize = malloc ((n + 1) * sizeof *fsize);
  foff = malloc ((n + 1) * sizeof *foff);
  for (size_t i = 0; i < n; ++i)
    npieces_max += maps[i].n > 0 ? (size_t) maps[i].n : 0;
  pieces = malloc ((npieces_max + 1) * sizeof *pieces);
  out = malloc (FILELIST_MAX + 8);
  if (fsize == NULL || foff == NULL || pieces == NULL || out == NULL ||
      fallback_files (h, path, names, n, maps, cap, &fb, fsize, foff) == -1) {
    free (out);
    extent_map_free (maps, n);
    return NULL;
  }
  *handled = 1;
  /* The reply's layout, as the daemon's: in order, a file only where
   * it fits with the size fields still to come. */
  for (size_t i = 0; i < n; ++i) {
    size_t room = FILELIST_MAX - len - (n - i) * 8;
    int64_t got = -1;

    if (maps[i].size >= 0 && maps[i].n >= 0 &&
        (uint64_t) maps[i].size <= cap && (uint64_t) maps[i].size <= room) {
      char *dest = out + len + 8;

      got = maps[i].size;
      /* Holes and zero extents stay zeros. */
      memset (dest, 0, (size_t) got);
      for (int64_t k = 0; k < maps[i].n; ++k)
        if (maps[i].v[k].drive >= 0)
          pieces[np++] = (struct piece) {
            maps[i].v[k].drive, maps[i].v[k].physical, maps[i].v[k].len,
            dest + maps[i].v[k].logical };
    }
    else if (fsize[i] >= 0 && (uint64_t) fsize[i] <= room) {
      got = fsize[i];
      memcpy (out + len + 8, fb + foff[i], (size_t) got);
    }
    put64 ((unsigned char *) out + len, (uint64_t) got);
    len += 8 + (got > 0 ? (size_t) got : 0);
  }
  extent_map_free (maps, n);
  if (read_pieces (h, pieces, np) == -1) {
    free (out);
    return NULL;
  }
  drydock_int_debug (h, "readfilelist: %s: %zu names, %zu extents read from "
                     "the drives", path, n, np);
  *size_r = len;
  return out;
}


struct drydock_direct_file *
drydock_int_direct_file (drydock_h *h, const char *path)
{
  char *names[2] = { NULL, NULL };
  struct drydock_direct_file *f;
  struct fmap *m;

  if (!direct_on (h) || path[0] != '/' || path[1] == '\0')
    return NULL;
  names[0] = (char *) path + 1;
  m = get_maps (h, "/", names, 1, 0);
  if (m == NULL || m->size < 0 || m->n < 0 ||
      (f = malloc (sizeof *f)) == NULL) {
    extent_map_free (m, 1);
    return NULL;
  }
  f->m = m;
  return f;
}

void
drydock_int_direct_file_free (struct drydock_direct_file *f)
{
  if (f) {
    extent_map_free (f->m, 1);
    free (f);
  }
}

ssize_t
drydock_int_direct_pread (drydock_h *h, struct drydock_direct_file *f,
                          char *buf, size_t len, uint64_t offset)
{
  const struct fmap *m = f->m;
  uint64_t size = (uint64_t) m->size, end;
  int64_t lo = 0, hi = m->n;

  if (offset >= size || len == 0)
    return 0;
  if (len > size - offset)
    len = (size_t) (size - offset);
  if (len > SSIZE_MAX)
    len = SSIZE_MAX;
  end = offset + len;
  memset (buf, 0, len);
  /* The first extent ending after offset. */
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;

    if (m->v[mid].logical + m->v[mid].len <= offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (int64_t k = lo; k < m->n && m->v[k].logical < end; ++k) {
    const struct fext *x = &m->v[k];
    uint64_t from = x->logical > offset ? x->logical : offset;
    uint64_t to = x->logical + x->len < end ? x->logical + x->len : end;

    if (x->drive >= 0 &&
        drive_read (h, "read", (size_t) x->drive, x->physical + (from - x->logical),
                    buf + (from - offset), (size_t) (to - from)) == -1)
      return -1;
  }
  return (ssize_t) len;
}

