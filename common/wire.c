/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Encoding and decoding of the wire format described in wire.h.  Both
 * the library and the daemon link this one file, so the two sides cannot
 * drift apart; the daemon fuzz target exercises the readers. */

#include <config.h>

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "full-rw.h"
#include "wire.h"

void
wire_put_raw (struct wire_buf *w, const void *p, size_t n)
{
  if (w->oom)
    return;
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap : 256;
    char *d;

    while (cap < w->len + n)
      cap *= 2;
    d = realloc (w->data, cap);
    if (d == NULL) {
      w->oom = 1;
      return;
    }
    w->data = d;
    w->cap = cap;
  }
  if (n)
    memcpy (w->data + w->len, p, n);
  w->len += n;
}

void
wire_put_u32 (struct wire_buf *w, uint32_t v)
{
  uint32_t be = htobe32 (v);
  wire_put_raw (w, &be, 4);
}

void
wire_put_i32 (struct wire_buf *w, int32_t v)
{
  wire_put_u32 (w, (uint32_t) v);
}

void
wire_put_u64 (struct wire_buf *w, uint64_t v)
{
  uint64_t be = htobe64 (v);
  wire_put_raw (w, &be, 8);
}

void
wire_put_i64 (struct wire_buf *w, int64_t v)
{
  wire_put_u64 (w, (uint64_t) v);
}

void
wire_put_bytes (struct wire_buf *w, const void *p, size_t n)
{
  if (n > WIRE_MESSAGE_MAX) {
    w->oom = 2;
    return;
  }
  wire_put_u32 (w, (uint32_t) n);
  wire_put_raw (w, p, n);
}

void
wire_put_string (struct wire_buf *w, const char *s)
{
  wire_put_bytes (w, s ? s : "", s ? strlen (s) : 0);
}

void
wire_put_string_list (struct wire_buf *w, char *const *l)
{
  size_t n = 0;

  while (l && l[n])
    n++;
  wire_put_u32 (w, (uint32_t) n);
  for (size_t i = 0; i < n; ++i)
    wire_put_string (w, l[i]);
}

int
wire_buf_ok (const struct wire_buf *w)
{
  if (w->oom == 1) {
    errno = ENOMEM;
    return -1;
  }
  if (w->oom == 2 || w->len > WIRE_MESSAGE_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  return 0;
}

void
wire_buf_free (struct wire_buf *w)
{
  free (w->data);
  w->data = NULL;
  w->len = w->cap = 0;
  w->oom = 0;
}

void
wire_reader_init (struct wire_reader *r, const void *p, size_t n)
{
  r->p = p;
  r->left = n;
  r->err = 0;
}

static const char *
take (struct wire_reader *r, size_t n)
{
  const char *p;

  if (r->err || r->left < n) {
    r->err = 1;
    return NULL;
  }
  p = r->p;
  r->p += n;
  r->left -= n;
  return p;
}

uint32_t
wire_get_u32 (struct wire_reader *r)
{
  const char *p = take (r, 4);
  uint32_t v;

  if (p == NULL)
    return 0;
  memcpy (&v, p, 4);
  return be32toh (v);
}

int32_t
wire_get_i32 (struct wire_reader *r)
{
  return (int32_t) wire_get_u32 (r);
}

uint64_t
wire_get_u64 (struct wire_reader *r)
{
  const char *p = take (r, 8);
  uint64_t v;

  if (p == NULL)
    return 0;
  memcpy (&v, p, 8);
  return be64toh (v);
}

int64_t
wire_get_i64 (struct wire_reader *r)
{
  return (int64_t) wire_get_u64 (r);
}

uint32_t
wire_get_count (struct wire_reader *r, size_t min_item)
{
  uint32_t n = wire_get_u32 (r);

  if (min_item == 0)
    min_item = 1;
  if (r->err || n > r->left / min_item) {
    r->err = 1;
    return 0;
  }
  return n;
}

char *
wire_get_buffer (struct wire_reader *r, size_t *np)
{
  uint32_t n = wire_get_u32 (r);
  const char *p;
  char *s;

  if (np)
    *np = 0;
  if (r->err)
    return NULL;
  p = take (r, n);
  if (p == NULL)
    return NULL;
  s = malloc ((size_t) n + 1);
  if (s == NULL) {
    r->err = 1;
    return NULL;
  }
  memcpy (s, p, n);
  s[n] = '\0';
  if (np)
    *np = n;
  return s;
}

char *
wire_get_string (struct wire_reader *r)
{
  size_t n;
  char *s = wire_get_buffer (r, &n);

  if (s && memchr (s, '\0', n) != NULL) {
    free (s);
    r->err = 1;
    return NULL;
  }
  return s;
}

char **
wire_get_string_list (struct wire_reader *r)
{
  uint32_t n = wire_get_count (r, 4);
  char **l;

  if (r->err)
    return NULL;
  l = calloc ((size_t) n + 1, sizeof (char *));
  if (l == NULL) {
    r->err = 1;
    return NULL;
  }
  for (uint32_t i = 0; i < n; ++i) {
    l[i] = wire_get_string (r);
    if (l[i] == NULL) {
      for (uint32_t j = 0; j < i; ++j)
        free (l[j]);
      free (l);
      return NULL;
    }
  }
  return l;
}

int
wire_reader_finish (struct wire_reader *r)
{
  return r->err || r->left ? -1 : 0;
}

int
wire_send_frame (int fd, const struct wire_buf *w)
{
  uint32_t be;

  if (wire_buf_ok (w) == -1)
    return -1;
  be = htobe32 ((uint32_t) w->len);
  if (write_all (fd, &be, 4) == -1)
    return -1;
  return write_all (fd, w->data, w->len);
}

/* 1 with all n bytes, 0 at the end before any, -1 with errno (EPIPE
 * for an end part way). */
static int
read_frame_part (int fd, void *p, size_t n)
{
  ssize_t r = read_all (fd, p, n);

  if (r == -1)
    return -1;
  if (r == 0 && n > 0)
    return 0;
  if ((size_t) r < n) {
    errno = EPIPE;
    return -1;
  }
  return 1;
}

int
wire_recv_frame (int fd, char **buf, size_t *len)
{
  uint32_t be;
  size_t n;
  int r;

  *buf = NULL;
  *len = 0;
  r = read_frame_part (fd, &be, 4);
  if (r <= 0)
    return r;
  n = be32toh (be);
  if (n > WIRE_MESSAGE_MAX) {
    errno = EBADMSG;
    return -1;
  }
  *buf = malloc (n ? n : 1);
  if (*buf == NULL)
    return -1;
  r = read_frame_part (fd, *buf, n);
  if (r <= 0) {
    free (*buf);
    *buf = NULL;
    if (r == 0)
      errno = EPIPE;
    return -1;
  }
  *len = n;
  return 1;
}
