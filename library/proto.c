/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library's end of the protocol.  Every wait polls the channel and
 * qemu's console together, so the console can never fill up and stall
 * the appliance, and every wait has a deadline or ends when qemu dies
 * (its end of the socket closes).  Replies are untrusted: frames are
 * bounded, results decoded with checked lengths. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "errnostring.h"
#include "source.h"

/* The kernel's lines for a disk that failed a read or a write:
 * "I/O error, dev sdb, sector ..." and "Buffer I/O error on dev sdb1";
 * "critical space allocation error, dev sdb" when qemu could not store
 * a write on the host (ENOSPC: the SCSI disks of a restored snapshot
 * say so; a virtio disk only says I/O error).  Drives are sdX after a
 * restore (SCSI) and vdX on a cold boot, where they come before the
 * appliance's own disk. */
static void
note_io_errors (drydock_h *h, const char *from, const char *new_from)
{
  static const char *const marks[] = {
    "I/O error, dev ", "I/O error on dev ", "space allocation error, dev ",
    NULL
  };

  for (size_t m = 0; marks[m]; ++m)
    for (const char *p = strstr (from, marks[m]); p;
         p = strstr (p + 1, marks[m])) {
      const char *d = p + strlen (marks[m]);

      /* A line seen whole in an earlier read was noted then. */
      if (strnlen (d, 3) < 3 || d + 3 <= new_from)
        continue;
      if ((d[0] == 's' || d[0] == 'v') && d[1] == 'd' &&
          d[2] >= 'a' && d[2] <= 'z' && !(d[3] >= 'a' && d[3] <= 'z') &&
          (size_t) (d[2] - 'a') < h->n_drives) {
        h->io_errors |= UINT64_C (1) << (d[2] - 'a');
        if (m == 2)
          h->nospace |= UINT64_C (1) << (d[2] - 'a');
      }
    }
}

const char *
drydock_int_io_error_note (drydock_h *h, char *buf, size_t n)
{
  size_t len = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < h->n_drives && i < 64 && len < n; ++i)
    if (h->io_errors & (UINT64_C (1) << i)) {
      int k = snprintf (buf + len, n - len, " (%s: the guest saw I/O errors "
                        "reading it: a damaged image?)", h->drives[i].filename);
      if (k < 0)
        break;
      len += (size_t) k;
    }
  h->io_errors = 0;
  return buf;
}

static void
console_emit (drydock_h *h, const char *buf, size_t n)
{
  /* The new text with the 64 bytes before it: a line may arrive in two
   * reads, and a mark is longer than 16 bytes (note_io_errors skips
   * what it saw whole before). */
  size_t back = h->console_tail_len < 64 ? h->console_tail_len : 64;
  size_t fresh;

  /* Keep the tail for error messages. */
  if (n >= sizeof h->console_tail) {
    memcpy (h->console_tail, buf + n - sizeof h->console_tail + 1,
            sizeof h->console_tail - 1);
    h->console_tail_len = sizeof h->console_tail - 1;
  }
  else {
    if (h->console_tail_len + n >= sizeof h->console_tail) {
      size_t drop = h->console_tail_len + n - sizeof h->console_tail + 1;
      memmove (h->console_tail, h->console_tail + drop, h->console_tail_len - drop);
      h->console_tail_len -= drop;
    }
    memcpy (h->console_tail + h->console_tail_len, buf, n);
    h->console_tail_len += n;
  }
  h->console_tail[h->console_tail_len] = '\0';
  fresh = n < h->console_tail_len ? n : h->console_tail_len;
  back += fresh;
  if (back > h->console_tail_len)
    back = h->console_tail_len;
  note_io_errors (h, h->console_tail + h->console_tail_len - back,
                  h->console_tail + h->console_tail_len - fresh);
  if (drydock_int_event (h, DRYDOCK_EVENT_APPLIANCE, buf, n, NULL, 0) == 0 &&
      h->verbose)
    fwrite (buf, 1, n, stderr);
}

/* Reads the console once.  Returns 0 at EOF (qemu exited). */
static int
read_console (drydock_h *h)
{
  char buf[4096];
  ssize_t n;

  if (h->console_fd < 0)
    return 0;
  n = read (h->console_fd, buf, sizeof buf);
  if (n > 0) {
    console_emit (h, buf, (size_t) n);
    return 1;
  }
  if (n == -1 && (errno == EAGAIN || errno == EINTR))
    return 1;
  close (h->console_fd);
  h->console_fd = -1;
  return 0;
}

void
drydock_int_drain_console (drydock_h *h, int timeout_ms)
{
  struct pollfd p = { h->console_fd, POLLIN, 0 };

  while (h->console_fd >= 0 && poll (&p, 1, timeout_ms) > 0 && read_console (h))
    p.fd = h->console_fd;
}

static int
remaining (const struct timespec *start, int timeout_ms)
{
  double left;

  if (timeout_ms < 0)
    return -1;
  left = timeout_ms - drydock_int_elapsed_ms (start);
  return left <= 0 ? 0 : (int) left + 1;
}

/* Waits until the channel is ready for events (POLLIN or POLLOUT),
 * draining the console.  1 ready, -1 with errno (ETIMEDOUT). */
static int
wait_channel (drydock_h *h, short events, const struct timespec *start,
              int timeout_ms)
{
  for (;;) {
    struct pollfd p[2] = { { h->sock, events, 0 }, { h->console_fd, POLLIN, 0 } };
    int left = remaining (start, timeout_ms), r;

    if (left == 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    r = poll (p, h->console_fd >= 0 ? 2 : 1, left);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (h->console_fd >= 0 && p[1].revents)
      read_console (h);
    if (p[0].revents)
      return 1;
  }
}

static int
recv_exact (drydock_h *h, char *buf, size_t n, const struct timespec *start,
            int timeout_ms)
{
  size_t got = 0;

  while (got < n) {
    ssize_t k = recv (h->sock, buf + got, n - got, MSG_DONTWAIT);

    if (k > 0) {
      got += (size_t) k;
      continue;
    }
    if (k == 0)
      return 0;
    if (errno != EAGAIN && errno != EINTR)
      return -1;
    if (wait_channel (h, POLLIN, start, timeout_ms) == -1)
      return -1;
  }
  return 1;
}

int
drydock_int_recv_frame (drydock_h *h, char **frame, size_t *len, int timeout_ms)
{
  struct timespec start;
  uint32_t be;
  size_t n;
  int r;

  *frame = NULL;
  clock_gettime (CLOCK_MONOTONIC, &start);
  r = recv_exact (h, (char *) &be, 4, &start, timeout_ms);
  if (r <= 0)
    return r;
  n = be32toh (be);
  if (n > WIRE_MESSAGE_MAX) {
    errno = EBADMSG;
    return -1;
  }
  *frame = malloc (n ? n : 1);
  if (*frame == NULL)
    return -1;
  r = recv_exact (h, *frame, n, &start, timeout_ms);
  if (r <= 0) {
    free (*frame);
    *frame = NULL;
    if (r == 0) {
      errno = EPIPE;
      return -1;
    }
    return r;
  }
  *len = n;
  return 1;
}

static int
send_all (drydock_h *h, const char *p, size_t n)
{
  struct timespec start;

  clock_gettime (CLOCK_MONOTONIC, &start);
  while (n > 0) {
    ssize_t k = send (h->sock, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);

    if (k > 0) {
      p += k;
      n -= (size_t) k;
      continue;
    }
    if (k == -1 && errno != EAGAIN && errno != EINTR)
      return -1;
    if (wait_channel (h, POLLOUT, &start, h->call_timeout_ms ? h->call_timeout_ms : -1) == -1)
      return -1;
  }
  return 0;
}

int
drydock_int_send_frame (drydock_h *h, const struct wire_buf *w)
{
  uint32_t be;

  if (wire_buf_ok (w) == -1)
    return -1;
  be = htobe32 ((uint32_t) w->len);
  if (send_all (h, (const char *) &be, 4) == -1)
    return -1;
  return send_all (h, w->data, w->len);
}

void
drydock_int_kill_appliance (drydock_h *h)
{
  drydock_int_direct_close (h);
  if (h->sock >= 0) {
    close (h->sock);
    h->sock = -1;
  }
  if (h->qemu_pid > 0) {
    kill (h->qemu_pid, SIGKILL);
    while (waitpid (h->qemu_pid, NULL, 0) == -1 && errno == EINTR)
      ;
    h->qemu_pid = 0;
  }
  if (h->console_fd >= 0) {
    drydock_int_drain_console (h, 0);
    if (h->console_fd >= 0)
      close (h->console_fd);
    h->console_fd = -1;
  }
  if (h->state != STATE_CONFIG)
    h->state = STATE_DONE;
}

/* The last console line, for error messages. */
static const char *
console_hint (drydock_h *h, char *buf, size_t n)
{
  char *end = h->console_tail + h->console_tail_len, *start;

  while (end > h->console_tail && (end[-1] == '\n' || end[-1] == '\r'))
    end--;
  start = end;
  while (start > h->console_tail && start[-1] != '\n')
    start--;
  if (end == start)
    return "";
  snprintf (buf, n, " (last console output: %.*s)", (int) (end - start), start);
  return buf;
}

void
drydock_int_appliance_died (drydock_h *h, const char *name)
{
  int err = errno;
  char hint[600];

  drydock_int_drain_console (h, 100);
  if (err == ETIMEDOUT)
    drydock_int_error_errno (h, ETIMEDOUT, "%s: the appliance did not answer "
                             "in time; it was stopped%s", name,
                             console_hint (h, hint, sizeof hint));
  else if (err == EBADMSG)
    drydock_int_error_errno (h, EBADMSG, "%s: protocol error: oversized or "
                             "malformed message from the appliance", name);
  else if (drydock_int_drive_start_error (h, name, h->console_tail) == -1)
    drydock_int_error_errno (h, EPIPE, "%s: the appliance closed the "
                             "connection (it crashed or was killed)%s", name,
                             console_hint (h, hint, sizeof hint));
  drydock_int_kill_appliance (h);
}
