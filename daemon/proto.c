/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's end of the protocol: the request loop, the one reply of
 * each call, file streams in both directions and progress messages. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "actions-gen.h"
#include "errnostring.h"

int chan_fd = -1;
int filein_pending;
uint32_t current_proc;
static uint32_t current_serial;
static int reply_sent;
static int call_active;
static struct timespec call_start, last_progress, last_alive;
/* Seconds between two keepalives: below any sensible call timeout
 * (the host's default is minutes), far above the cost of a frame. */
#define KEEPALIVE_INTERVAL_S 2.0

static void
send_or_die (struct wire_buf *w)
{
  if (wire_send_frame (chan_fd, w) == -1) {
    /* The host is gone: nothing can be reported any more. */
    debug ("cannot send to host: %m");
  }
}

static void
put_header (struct wire_buf *w, uint32_t kind)
{
  wire_put_u32 (w, kind);
  wire_put_u32 (w, current_proc);
  wire_put_u32 (w, current_serial);
}

void
reply_ok (struct wire_buf *ret)
{
  struct wire_buf w = WIRE_BUF_INIT;

  if (wire_buf_ok (ret) == -1) {
    reply_with_error_errno (EMSGSIZE,
                            "result too large for the protocol (%zu bytes, "
                            "limit %d): use download or a narrower call",
                            ret->len, WIRE_MESSAGE_MAX);
    return;
  }
  put_header (&w, WIRE_REPLY);
  wire_put_u32 (&w, 0);
  wire_put_raw (&w, ret->data, ret->len);
  if (wire_buf_ok (&w) == -1) {
    wire_buf_free (&w);
    reply_with_error_errno (errno, "result too large for the protocol");
    return;
  }
  send_or_die (&w);
  wire_buf_free (&w);
  reply_sent = 1;
}

static int
vreply_error (int err, const char *fs, va_list args)
{
  struct wire_buf w = WIRE_BUF_INIT;
  char msg[4096];

  if (reply_sent) {
    debug ("second reply for one call dropped");
    return -1;
  }
  vsnprintf (msg, sizeof msg, fs, args);
  map_devices_in_text (msg, sizeof msg);
  debug ("error: %s", msg);
  put_header (&w, WIRE_REPLY);
  wire_put_u32 (&w, 1);
  wire_put_string (&w, err ? errno_to_name (err) : "");
  wire_put_string (&w, msg);
  send_or_die (&w);
  wire_buf_free (&w);
  reply_sent = 1;
  return -1;
}

int
reply_with_error_errno (int err, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vreply_error (err, fs, args);
  va_end (args);
  return -1;
}

int
reply_with_error (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vreply_error (0, fs, args);
  va_end (args);
  return -1;
}

int
reply_with_perror (const char *fs, ...)
{
  int err = errno;
  char buf[4096];
  va_list args;

  va_start (args, fs);
  vsnprintf (buf, sizeof buf, fs, args);
  va_end (args);
  return reply_with_error_errno (err, "%s: %s", buf, strerror (err));
}

int
replied (void)
{
  return reply_sent;
}

/* Reads one chunk: 1 data (in *data, *n), 0 end, -2 cancel, -3 error. */
static int
read_chunk (char **frame, const char **data, size_t *n)
{
  struct wire_reader r;
  size_t len;
  uint32_t kind, flags, dlen;

  *frame = NULL;
  if (wire_recv_frame (chan_fd, frame, &len) != 1)
    return -3;
  wire_reader_init (&r, *frame, len);
  kind = wire_get_u32 (&r);
  flags = wire_get_u32 (&r);
  dlen = wire_get_u32 (&r);
  if (r.err || kind != WIRE_CHUNK || dlen != r.left)
    return -3;
  if (flags == CHUNK_END)
    return 0;
  if (flags == CHUNK_CANCEL)
    return -2;
  *data = r.p;
  *n = dlen;
  return 1;
}

int
receive_file (int (*cb) (void *opaque, const void *buf, size_t n), void *opaque)
{
  int failed = 0, saved = 0;

  if (!filein_pending)
    return -3;
  for (;;) {
    CLEANUP_FREE char *frame = NULL;
    const char *data = NULL;
    size_t n = 0;
    int r = read_chunk (&frame, &data, &n);

    if (r <= 0) {
      filein_pending = 0;
      if (r < 0)
        return r;
      errno = saved;
      return failed ? -1 : 0;
    }
    if (!failed && cb (opaque, data, n) == -1) {
      failed = 1;
      saved = errno;
    }
  }
}

static int
discard (void *opaque, const void *buf, size_t n)
{
  (void) opaque; (void) buf; (void) n;
  return 0;
}

void
drain_filein (void)
{
  if (filein_pending)
    receive_file (discard, NULL);
}

static int
send_chunk (uint32_t flags, const void *buf, size_t n)
{
  struct wire_buf w = WIRE_BUF_INIT;
  int r;

  wire_put_u32 (&w, WIRE_CHUNK);
  wire_put_u32 (&w, flags);
  wire_put_bytes (&w, buf, n);
  r = wire_send_frame (chan_fd, &w);
  wire_buf_free (&w);
  return r;
}

int
send_file_write (const void *buf, size_t n)
{
  const char *p = buf;

  while (n > 0) {
    size_t k = n < WIRE_CHUNK_MAX ? n : WIRE_CHUNK_MAX;

    if (send_chunk (CHUNK_DATA, p, k) == -1)
      return -1;
    p += k;
    n -= k;
  }
  return 0;
}

int
send_file_hole (uint64_t n)
{
  char len[8];

  for (int i = 0; i < 8; ++i)
    len[i] = (char) (n >> (56 - 8 * i));
  return n == 0 ? 0 : send_chunk (CHUNK_HOLE, len, sizeof len);
}

int
send_file_end (int cancel)
{
  return send_chunk (cancel ? CHUNK_CANCEL : CHUNK_END, NULL, 0);
}

static double
elapsed (const struct timespec *a, const struct timespec *b)
{
  return (double) (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

void
notify_progress (uint64_t position, uint64_t total)
{
  struct wire_buf w = WIRE_BUF_INIT;
  struct timespec now;

  /* First message after 1 s, then at most 3 a second, and the final one. */
  clock_gettime (CLOCK_MONOTONIC, &now);
  if (position != total &&
      (elapsed (&call_start, &now) < 1.0 || elapsed (&last_progress, &now) < 0.33))
    return;
  last_progress = now;
  wire_put_u32 (&w, WIRE_PROGRESS);
  wire_put_u32 (&w, current_proc);
  wire_put_u64 (&w, position);
  wire_put_u64 (&w, total);
  send_or_die (&w);
  wire_buf_free (&w);
}

void
notify_alive (void)
{
  struct wire_buf w = WIRE_BUF_INIT;
  struct timespec now;

  /* Only inside a call: at boot the host waits for the hello alone. */
  if (!call_active)
    return;
  clock_gettime (CLOCK_MONOTONIC, &now);
  if (elapsed (&last_alive, &now) < KEEPALIVE_INTERVAL_S)
    return;
  last_alive = now;
  wire_put_u32 (&w, WIRE_KEEPALIVE);
  send_or_die (&w);
  wire_buf_free (&w);
}

static void
handle_frame (const char *frame, size_t len)
{
  struct wire_reader r;
  uint32_t kind;

  wire_reader_init (&r, frame, len);
  kind = wire_get_u32 (&r);
  if (kind == WIRE_CHUNK)
    return;                     /* a late cancel of a finished stream */
  current_proc = wire_get_u32 (&r);
  current_serial = wire_get_u32 (&r);
  reply_sent = 0;
  filein_pending = 0;
  clock_gettime (CLOCK_MONOTONIC, &call_start);
  last_progress = last_alive = call_start;
  if (r.err || kind != WIRE_CALL) {
    reply_with_error_errno (EPROTO, "malformed message (kind %#x)", kind);
    return;
  }
  call_active = 1;
  dispatch_call (current_proc, &r);
  call_active = 0;
  if (!reply_sent)
    reply_with_error_errno (EIO, "internal error: no reply");
}

void
proto_serve (void)
{
  for (;;) {
    CLEANUP_FREE char *frame = NULL;
    size_t len;
    int r = wire_recv_frame (chan_fd, &frame, &len);

    if (r == 0) {
      if (snapshot_wait_for_host () == 0)
        continue;
      debug ("host closed the channel");
      return;
    }
    if (r == -1) {
      if (errno == EBADMSG) {
        /* The rest of that frame cannot be skipped reliably. */
        current_proc = current_serial = 0;
        reply_sent = 0;
        reply_with_error_errno (EMSGSIZE, "message too large (limit %d bytes)",
                                WIRE_MESSAGE_MAX);
      }
      debug ("receive: %m");
      return;
    }
    handle_frame (frame, len);
    if (shutdown_requested)
      return;
  }
}
