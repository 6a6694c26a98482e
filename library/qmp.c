/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A QMP client, just enough for launch: qemu's monitor is on one end of
 * a socketpair, commands are written as JSON text, and replies are read
 * a line at a time and told apart by their first key ("return", "error",
 * or an event) without a JSON parser.  The few values launch needs (a
 * status, an error's description) are plain strings found by key.
 * Every wait has a deadline and drains qemu's console meanwhile, as the
 * protocol does (proto.c).  Separate from snapshot.c so that QMP's wire
 * details stay in one place. */

#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"

/* qemu's replies to the commands launch sends are far shorter. */
#define QMP_LINE_MAX 65536

struct drydock_qmp {
  int fd;
  size_t len;                 /* bytes in buf */
  char buf[QMP_LINE_MAX];
};

static int
send_text (struct drydock_qmp *q, const char *text, int pass_fd)
{
  struct iovec iov = { (void *) text, strlen (text) };
  union {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  ssize_t n;

  if (pass_fd >= 0) {
    struct cmsghdr *c;

    memset (&u, 0, sizeof u);
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    c = CMSG_FIRSTHDR (&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN (sizeof (int));
    memcpy (CMSG_DATA (c), &pass_fd, sizeof (int));
  }
  do
    n = sendmsg (q->fd, &msg, MSG_NOSIGNAL);
  while (n == -1 && errno == EINTR);
  /* A command is far smaller than the socket buffer: sent whole or not. */
  if (n != (ssize_t) iov.iov_len) {
    if (n >= 0)
      errno = EIO;
    return -1;
  }
  return 0;
}

/* Moves the first line out of the buffer into a new string (without its
 * line end).  NULL if there is no complete line yet. */
static char *
take_line (struct drydock_qmp *q)
{
  char *nl = memchr (q->buf, '\n', q->len), *line;
  size_t n;

  if (nl == NULL)
    return NULL;
  n = (size_t) (nl - q->buf);
  line = strndup (q->buf, n > 0 && q->buf[n - 1] == '\r' ? n - 1 : n);
  memmove (q->buf, nl + 1, q->len - n - 1);
  q->len -= n + 1;
  return line;
}

/* The next line from qemu (caller frees), or NULL with errno: ETIMEDOUT,
 * EPIPE (qemu closed the monitor: it exited), EBADMSG (line too long). */
static char *
read_line (drydock_h *h, struct drydock_qmp *q, const struct timespec *start,
           int timeout_ms)
{
  for (;;) {
    struct pollfd p[2] = { { q->fd, POLLIN, 0 }, { h->console_fd, POLLIN, 0 } };
    char *line = take_line (q);
    int left = timeout_ms - (int) drydock_int_elapsed_ms (start);
    ssize_t n;

    if (line)
      return line;
    if (q->len == sizeof q->buf) {
      errno = EBADMSG;
      return NULL;
    }
    if (left <= 0) {
      errno = ETIMEDOUT;
      return NULL;
    }
    if (poll (p, h->console_fd >= 0 ? 2 : 1, left) == -1) {
      if (errno == EINTR)
        continue;
      return NULL;
    }
    if (h->console_fd >= 0 && p[1].revents)
      drydock_int_drain_console (h, 0);
    if (p[0].revents == 0)
      continue;
    n = recv (q->fd, q->buf + q->len, sizeof q->buf - q->len, MSG_DONTWAIT);
    if (n == 0) {
      errno = EPIPE;
      return NULL;
    }
    if (n == -1 && errno != EAGAIN && errno != EINTR)
      return NULL;
    if (n > 0)
      q->len += (size_t) n;
  }
}

/* The first key of a JSON object line: "return", "error", "event",
 * "timestamp" (events begin with it), "QMP" (the greeting). */
static int
first_key_is (const char *line, const char *key)
{
  size_t n = strlen (key);

  line += strspn (line, " \t");
  if (*line++ != '{')
    return 0;
  line += strspn (line, " \t");
  return line[0] == '"' && strncmp (line + 1, key, n) == 0 && line[n + 1] == '"';
}

char *
drydock_int_json_field (const char *json, const char *key)
{
  CLEANUP_FREE char *needle = NULL;
  const char *p;
  char *out, *o;

  if (asprintf (&needle, "\"%s\"", key) == -1)
    return NULL;
  p = strstr (json, needle);
  if (p == NULL)
    return NULL;
  p += strlen (needle);
  p += strspn (p, " \t");
  if (*p++ != ':')
    return NULL;
  p += strspn (p, " \t");
  if (*p++ != '"')
    return NULL;
  out = o = malloc (strlen (p) + 1);
  if (out == NULL)
    return NULL;
  /* Escapes are kept as the character after the backslash: good enough
   * for the statuses and messages this is used for. */
  for (; *p && *p != '"'; ++p) {
    if (*p == '\\' && p[1])
      ++p;
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

char *
drydock_int_json_string (const char *s)
{
  char *out = malloc (strlen (s) * 6 + 3), *o = out;

  if (out == NULL)
    return NULL;
  *o++ = '"';
  for (; *s; ++s) {
    unsigned char c = (unsigned char) *s;

    if (c == '"' || c == '\\') {
      *o++ = '\\';
      *o++ = (char) c;
    }
    else if (c < 0x20)
      o += sprintf (o, "\\u%04x", c);
    else
      *o++ = (char) c;
  }
  *o++ = '"';
  *o = '\0';
  return out;
}

/* Sends text and waits for its reply, skipping events.  0 on "return"
 * (the line in *reply if reply is not NULL, caller frees), -1 with the
 * error set, naming the command.  With refused not NULL, an error reply
 * is not an error: its description goes in *refused (caller frees) and
 * the result is 1. */
static int
exchange (drydock_h *h, struct drydock_qmp *q, const char *text, int pass_fd,
          int timeout_ms, char **reply, char **refused)
{
  CLEANUP_FREE char *what = drydock_int_json_field (text, "execute");
  struct timespec start;

  clock_gettime (CLOCK_MONOTONIC, &start);
  if (send_text (q, text, pass_fd) == -1) {
    drydock_int_perror (h, "launch: qemu monitor");
    return -1;
  }
  for (;;) {
    char *line = read_line (h, q, &start, timeout_ms);

    if (line == NULL) {
      drydock_int_perror (h, "launch: qemu monitor: %s", what ? what : "");
      return -1;
    }
    if (first_key_is (line, "return")) {
      if (reply)
        *reply = line;
      else
        free (line);
      return 0;
    }
    if (first_key_is (line, "error")) {
      CLEANUP_FREE char *desc = drydock_int_json_field (line, "desc");

      if (refused) {
        *refused = desc ? TAKE_PTR (desc) : line;
        if (*refused != line)
          free (line);
        return 1;
      }
      drydock_int_error_errno (h, EIO, "launch: qemu monitor: %s: %s",
                               what ? what : "", desc ? desc : line);
      free (line);
      return -1;
    }
    free (line);              /* an event */
  }
}

/* exchange of the text fs and args make.  As exchange. */
static int
vexchange (drydock_h *h, struct drydock_qmp *q, int pass_fd, int timeout_ms,
           char **reply, char **refused, const char *fs, va_list args)
{
  CLEANUP_FREE char *text = NULL;

  if (vasprintf (&text, fs, args) == -1) {
    text = NULL;
    drydock_int_perror (h, "launch");
    return -1;
  }
  return exchange (h, q, text, pass_fd, timeout_ms, reply, refused);
}

int
drydock_int_qmp (drydock_h *h, struct drydock_qmp *q, int pass_fd,
                 int timeout_ms, char **reply, const char *fs, ...)
{
  va_list args;
  int r;

  va_start (args, fs);
  r = vexchange (h, q, pass_fd, timeout_ms, reply, NULL, fs, args);
  va_end (args);
  return r;
}

int
drydock_int_qmp_try (drydock_h *h, struct drydock_qmp *q, int timeout_ms,
                     char **refused, const char *fs, ...)
{
  va_list args;
  int r;

  *refused = NULL;
  va_start (args, fs);
  r = vexchange (h, q, -1, timeout_ms, NULL, refused, fs, args);
  va_end (args);
  return r;
}

struct drydock_qmp *
drydock_int_qmp_open (drydock_h *h, int fd, int timeout_ms)
{
  struct drydock_qmp *q = malloc (sizeof *q);
  struct timespec start;
  char *greeting;

  if (q == NULL) {
    drydock_int_perror (h, "launch");
    close (fd);
    return NULL;
  }
  q->fd = fd;
  q->len = 0;
  clock_gettime (CLOCK_MONOTONIC, &start);
  greeting = read_line (h, q, &start, timeout_ms);
  if (greeting == NULL || !first_key_is (greeting, "QMP")) {
    if (greeting)
      errno = EBADMSG;
    drydock_int_perror (h, "launch: qemu monitor greeting");
    free (greeting);
    drydock_int_qmp_close (q);
    return NULL;
  }
  free (greeting);
  if (exchange (h, q, "{\"execute\":\"qmp_capabilities\"}\n", -1, timeout_ms,
                NULL, NULL) == -1) {
    drydock_int_qmp_close (q);
    return NULL;
  }
  return q;
}

void
drydock_int_qmp_close (struct drydock_qmp *q)
{
  if (q == NULL)
    return;
  close (q->fd);
  free (q);
}

int
drydock_int_qmp_pair (drydock_h *h, int *qemu_fd)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
    drydock_int_perror (h, "launch: socketpair");
    return -1;
  }
  *qemu_fd = sv[1];
  return sv[0];
}
