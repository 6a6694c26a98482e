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
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "full-rw.h"

#define INPUT_MAX 4096

static int
send_chunk (drydock_h *h, uint32_t flags, const void *buf, size_t n)
{
  struct wire_buf w = WIRE_BUF_INIT;
  int r;

  wire_put_u32 (&w, WIRE_CHUNK);
  wire_put_u32 (&w, flags);
  wire_put_bytes (&w, buf, n);
  r = drydock_int_send_frame (h, &w);
  wire_buf_free (&w);
  return r;
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

/* Reads what the caller's input has; sends it, or the end marker at
 * its end (or error).  0, or -1 with errno (the channel). */
static int
caller_input (drydock_h *h, int *in_open)
{
  char buf[INPUT_MAX];
  ssize_t n = read (h->stream_in, buf, sizeof buf);

  if (n == -1 && (errno == EINTR || errno == EAGAIN))
    return 0;
  if (n > 0)
    return send_chunk (h, CHUNK_DATA, buf, (size_t) n);
  *in_open = 0;
  return send_chunk (h, CHUNK_END, NULL, 0);
}

int
drydock_int_stream_relay (drydock_h *h)
{
  int in_open = 1, out_ok = 1;

  for (;;) {
    struct pollfd p[3] = {
      { h->sock, POLLIN, 0 },
      { h->console_fd, POLLIN, 0 },
      { in_open ? h->stream_in : -1, POLLIN, 0 },
    };

    if (poll (p, 3, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (p[1].revents)
      drydock_int_drain_console (h, 0);
    if (p[0].revents) {
      int r = daemon_frame (h, &out_ok);
      if (r == -1)
        return -1;
      if (r == 0)
        /* The shell has exited: the input that is left is not its. */
        return in_open ? send_chunk (h, CHUNK_END, NULL, 0) : 0;
    }
    if (p[2].revents && caller_input (h, &in_open) == -1)
      return -1;
  }
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
