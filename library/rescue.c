/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rescue: a shell in the appliance, its input and output relayed
 * between two of the caller's file descriptors and the channel.  The
 * call is the internal rescue action; between its CALL and its REPLY
 * both ends send chunks (the wire's CHUNK frames): the host the
 * caller's input, then its end marker when that input ends; the daemon
 * the shell's output, then its end marker when the shell has exited.
 * The daemon replies only after it has the host's end marker, so no
 * chunk of this call is left on the channel for the next one.  The
 * relay has no timeout: a person may sit at the shell for hours; a
 * dead appliance closes the channel. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "full-rw.h"

#define INPUT_MAX 4096
/* Input queued for the daemon, at most, before the caller's is left
 * unread for a while. */
#define OUTQ_MAX (64 * 1024)

/* The frames for the daemon not sent yet.  The relay never blocks on
 * a send: it always goes on reading the daemon's output, which would
 * otherwise stop when both directions fill up (a long script whose
 * shell writes a lot). */
struct outq {
  struct wire_buf b;
  size_t done;                  /* bytes of b already sent */
};

/* Queues one chunk (its length word, then the frame). */
static void
queue_chunk (struct outq *q, uint32_t flags, const void *buf, size_t n)
{
  wire_put_u32 (&q->b, (uint32_t) (12 + n));
  wire_put_u32 (&q->b, WIRE_CHUNK);
  wire_put_u32 (&q->b, flags);
  wire_put_bytes (&q->b, buf, n);
}

/* Sends what the channel takes now.  0, or -1 with errno. */
static int
send_some (drydock_h *h, struct outq *q)
{
  ssize_t k;

  if (q->b.oom) {
    errno = ENOMEM;
    return -1;
  }
  k = send (h->sock, q->b.data + q->done, q->b.len - q->done,
            MSG_DONTWAIT | MSG_NOSIGNAL);
  if (k == -1)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  q->done += (size_t) k;
  if (q->done == q->b.len)
    q->b.len = q->done = 0;
  return 0;
}

/* One frame from the daemon: output (written to the caller, whose
 * failure to take it only drops it), or the end.  1 more to come, 0
 * the end, -1 with errno. */
static int
daemon_frame (drydock_h *h, int *out_ok)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  uint32_t kind, flags, n;
  size_t len;
  int got = drydock_int_recv_frame (h, &frame, &len, -1);

  if (got <= 0) {
    if (got == 0)
      errno = EPIPE;
    return -1;
  }
  wire_reader_init (&r, frame, len);
  kind = wire_get_u32 (&r);
  if (kind == WIRE_PROGRESS)
    return 1;
  flags = wire_get_u32 (&r);
  n = wire_get_u32 (&r);
  if (r.err || kind != WIRE_CHUNK || n != r.left || flags > CHUNK_END) {
    errno = EBADMSG;
    return -1;
  }
  if (flags == CHUNK_END)
    return 0;
  if (*out_ok && write_all (h->stream_out, r.p, n) == -1)
    *out_ok = 0;
  return 1;
}

/* Reads what the caller's input has and queues it, or the end marker
 * at its end (or error). */
static void
caller_input (drydock_h *h, struct outq *q, int *in_open)
{
  char buf[INPUT_MAX];
  ssize_t n = read (h->stream_in, buf, sizeof buf);

  if (n == -1 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n > 0) {
    queue_chunk (q, CHUNK_DATA, buf, (size_t) n);
    return;
  }
  *in_open = 0;
  queue_chunk (q, CHUNK_END, NULL, 0);
}

int
drydock_int_stream_relay (drydock_h *h)
{
  struct outq q = { WIRE_BUF_INIT, 0 };
  int in_open = 1, out_ok = 1, daemon_ended = 0, r = -1;

  /* Until the daemon's end, and our end is sent after it. */
  while (!daemon_ended || q.b.len > 0) {
    int take = in_open && !daemon_ended && q.b.len < OUTQ_MAX;
    struct pollfd p[3] = {
      { h->sock, (daemon_ended ? 0 : POLLIN) | (q.b.len ? POLLOUT : 0), 0 },
      { h->console_fd, POLLIN, 0 },
      { take ? h->stream_in : -1, POLLIN, 0 },
    };

    if (poll (p, 3, -1) == -1) {
      if (errno == EINTR)
        continue;
      goto out;
    }
    if (p[1].revents)
      drydock_int_drain_console (h, 0);
    if ((p[0].revents & POLLOUT) && send_some (h, &q) == -1)
      goto out;
    if ((p[0].revents & ~POLLOUT) && !daemon_ended) {
      int k = daemon_frame (h, &out_ok);
      if (k == -1)
        goto out;
      if (k == 0) {
        /* The shell has exited: the input that is left is not its. */
        daemon_ended = 1;
        if (in_open) {
          in_open = 0;
          queue_chunk (&q, CHUNK_END, NULL, 0);
        }
      }
    }
    if (p[2].revents)
      caller_input (h, &q, &in_open);
  }
  r = 0;
 out:
  wire_buf_free (&q.b);
  return r;
}

int
drydock_impl_rescue (drydock_h *h, int infd, int outfd, int tty, int rows,
                     int cols, const char *term)
{
  int r;

  if (infd < 0 || outfd < 0 || fcntl (infd, F_GETFL) == -1 ||
      fcntl (outfd, F_GETFL) == -1) {
    drydock_int_error_errno (h, EBADF, "rescue: infd %d and outfd %d must be "
                             "open file descriptors", infd, outfd);
    return -1;
  }
  if (rows < 0 || rows > 65535 || cols < 0 || cols > 65535) {
    drydock_int_error_errno (h, EINVAL, "rescue: rows %d and cols %d must be "
                             "from 0 to 65535", rows, cols);
    return -1;
  }
  h->stream_in = infd;
  h->stream_out = outfd;
  r = drydock_int_rescue (h, tty, rows, cols, term);
  h->stream_in = h->stream_out = -1;
  return r;
}
