/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Streams and sums over guest files: du, base64_out, base64_in.
 * Trees are walked by walk.c (symlinks never followed), files read and
 * written through sysroot.c as regular files only. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define BUFSIZE (57 * 1024)     /* a whole number of base64 lines */
#define B64_LINE 76             /* characters a line, as base64(1) */

/* du */

struct linked {
  dev_t dev;
  ino_t ino;
  int64_t blocks;
};

struct du {
  int64_t blocks;               /* 512-byte blocks */
  struct linked *links;         /* files with more than one name */
  size_t n, cap;
};

static int
add_usage (void *opaque, int dirfd, const char *name, const char *rel,
           const struct stat *st)
{
  struct du *d = opaque;

  (void) dirfd;
  (void) name;
  (void) rel;
  d->blocks += st->st_blocks;
  if (st->st_nlink > 1 && !S_ISDIR (st->st_mode)) {
    if (d->n == d->cap) {
      size_t cap = d->cap ? 2 * d->cap : 64;
      struct linked *l = reallocarray (d->links, cap, sizeof *l);

      if (l == NULL)
        return -1;
      d->links = l;
      d->cap = cap;
    }
    d->links[d->n++] = (struct linked) { st->st_dev, st->st_ino, st->st_blocks };
  }
  return 0;
}

static int
compare_linked (const void *a, const void *b)
{
  const struct linked *x = a, *y = b;

  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int64_t
do_du (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH | O_NOFOLLOW, 0);
  CLEANUP_FREE char *where = NULL;
  struct du d = { 0 };
  struct stat st;
  int r = 0;

  if (fd == -1 || fstat (fd, &st) == -1)
    return reply_with_perror ("%s", path);
  d.blocks = st.st_blocks;
  if (S_ISDIR (st.st_mode)) {
    CLEANUP_CLOSE int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);

    r = dirfd == -1 ? -1 : walk_tree (dirfd, add_usage, &d, &where);
  }
  if (r == -1) {
    free (d.links);
    return reply_with_perror ("%s%s%s", path, where && *where ? "/" : "",
                              where ? where : "");
  }
  /* A file with several names counts once, as du counts it. */
  qsort (d.links, d.n, sizeof *d.links, compare_linked);
  for (size_t i = 1; i < d.n; ++i)
    if (compare_linked (&d.links[i - 1], &d.links[i]) == 0)
      d.blocks -= d.links[i].blocks;
  free (d.links);
  /* In KiB, rounded up, as du -s -k. */
  return (d.blocks + 1) / 2;
}

/* base64_out */

static const char b64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encodes n bytes (a multiple of 57, or the end) into lines of out;
 * returns the length written. */
static size_t
encode (const unsigned char *in, size_t n, char *out)
{
  size_t o = 0, col = 0;

  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned) in[i] << 16;

    if (i + 1 < n)
      v |= (unsigned) in[i + 1] << 8;
    if (i + 2 < n)
      v |= in[i + 2];
    out[o++] = b64[v >> 18 & 63];
    out[o++] = b64[v >> 12 & 63];
    out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? b64[v & 63] : '=';
    col += 4;
    if (col == B64_LINE) {
      out[o++] = '\n';
      col = 0;
    }
  }
  if (col)
    out[o++] = '\n';
  return o;
}

int
do_base64_out (const char *filename)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (filename, 0, NULL);
  CLEANUP_FREE unsigned char *buf = malloc (BUFSIZE);
  CLEANUP_FREE char *text = malloc (BUFSIZE / 3 * 4 + BUFSIZE / 57 + 8);
  struct chunk_out out = CHUNK_OUT_INIT;
  ssize_t n;

  if (fd == -1)
    return -1;
  if (buf == NULL || text == NULL)
    return reply_with_perror ("%s", filename);
  while ((n = read_all (fd, buf, BUFSIZE)) > 0)
    if (chunk_out_add (&out, text, encode (buf, (size_t) n, text)) == -1)
      break;
  if (n != 0) {
    int err = errno;

    chunk_out_end (&out, 1);
    errno = err;
    return reply_with_perror ("%s", filename);
  }
  if (chunk_out_end (&out, 0) == -1)
    return reply_with_perror ("%s", filename);
  return 0;
}

/* base64_in */

struct decoder {
  int fd;
  unsigned v;                   /* bits not written yet */
  int nbits, ended, bad;
};

static int
decode_chunk (void *opaque, const void *p, size_t n)
{
  struct decoder *d = opaque;
  const char *s = p;
  unsigned char out[4096];
  size_t o = 0;

  for (size_t i = 0; i < n; ++i) {
    const char *k;

    if (s[i] == '\n' || s[i] == '\r' || s[i] == ' ' || s[i] == '\t')
      continue;
    if (s[i] == '=') {
      d->ended = 1;
      continue;
    }
    k = s[i] ? strchr (b64, s[i]) : NULL;
    if (k == NULL || d->ended) {
      d->bad = 1;
      errno = EINVAL;
      return -1;
    }
    d->v = d->v << 6 | (unsigned) (k - b64);
    d->nbits += 6;
    if (d->nbits >= 8) {
      d->nbits -= 8;
      out[o++] = (unsigned char) (d->v >> d->nbits);
      d->v &= (1u << d->nbits) - 1;
    }
    if (o == sizeof out) {
      if (write_all (d->fd, out, o) == -1)
        return -1;
      o = 0;
    }
  }
  return o ? write_all (d->fd, out, o) : 0;
}

int
do_base64_in (const char *filename)
{
  struct decoder d = { .fd = -1 };
  struct stat st;
  int r;

  d.fd = sysroot_open_regular_write (filename, O_TRUNC, 0666, &st);
  if (d.fd == -1)
    return reply_open_regular_error (filename, &st);
  r = receive_file (decode_chunk, &d);
  if (r == 0 && close (d.fd) == -1)
    r = -1;
  else if (r != 0)
    close (d.fd);
  if (r == -2)
    return reply_with_error_errno (ECANCELED, "%s: transfer cancelled by the "
                                   "host", filename);
  if (r == -3)
    return reply_with_error_errno (EPROTO, "%s: file transfer protocol "
                                   "error", filename);
  if (r == -1 && d.bad)
    return reply_with_error_errno (EINVAL, "%s: the input is not base64",
                                   filename);
  if (r == -1)
    return reply_with_perror ("%s", filename);
  return 0;
}
