/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walking a guest tree, and streaming a list made on the way to the
 * host: what find0, checksums_out, lstatns_tree, cpio_out and du share.
 * Their output has no bound (a whole guest), so it is sent in chunks
 * as it is made rather than held for one reply, and the walk keeps one
 * directory open per level (each one's names are read, then visited).
 *
 * On a cold cache the walk's time is the appliance's kernel reading and
 * instantiating what it asks for, each directory and inode in turn, on
 * its one (emulated) CPU: it asks for nothing twice.  A directory is
 * opened once (for reading: the fd its names are read from is the one
 * they are fstat'ed in and the callback gets), read with getdents64
 * into one buffer, and the paths are built in one growing buffer.
 * Threads reading the tree ahead were tried and lost: the appliance's
 * CPU, not the disk, is what the walk waits for. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"

/* What getdents64 reads at once. */
#define WALK_DENTS (64 * 1024)

/* A walk: its callback; the path of the entry visited, relative to the
 * top, grown as the walk goes down (path_cap bytes); getdents64's
 * buffer; and where it failed. */
struct walk {
  walk_fn fn;
  void *opaque;
  char *path;
  size_t path_cap;
  char *dents;
  char *where;
  int listing_first;
};

/* Notes where the walk failed (the first place only), keeping errno.
 * Returns -1. */
static int
walk_failed (struct walk *w, const char *rel)
{
  int saved = errno;

  if (w->where == NULL)
    w->where = strdup (rel);
  errno = saved;
  return -1;
}

static int
cmp_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names of the directory fd without "." and "..", in strcmp order,
 * into *names (*n of them), each pointing into *arena: read with
 * getdents64 straight, one buffer for all the names, no stream or
 * string each.  0, or -1 with errno; caller frees *arena and *names
 * (NULL when -1). */
static int
sorted_names (struct walk *w, int fd, char **arena, char ***names, size_t *n)
{
  size_t len = 0, cap = 0, count = 0, ncap = 0;
  size_t *offs = NULL;
  ssize_t got;

  *arena = NULL;
  *names = NULL;
  *n = 0;
  while ((got = getdents64 (fd, w->dents, WALK_DENTS)) > 0) {
    for (ssize_t pos = 0; pos < got; ) {
      struct dirent64 *d = (struct dirent64 *) (w->dents + pos);
      size_t k = strlen (d->d_name) + 1;

      pos += d->d_reclen;
      if (strcmp (d->d_name, ".") == 0 || strcmp (d->d_name, "..") == 0)
        continue;
      if (len + k > cap) {
        size_t c = cap ? cap : 4096;
        char *p;

        while (c < len + k)
          if (__builtin_mul_overflow (c, 2, &c)) {
            errno = ENOMEM;
            goto fail;
          }
        if ((p = realloc (*arena, c)) == NULL)
          goto fail;
        *arena = p;
        cap = c;
      }
      if (count == ncap) {
        size_t c = ncap ? ncap * 2 : 64;
        size_t *o = reallocarray (offs, c, sizeof *offs);

        if (o == NULL)
          goto fail;
        offs = o;
        ncap = c;
      }
      memcpy (*arena + len, d->d_name, k);
      offs[count++] = len;
      len += k;
    }
  }
  if (got == -1 ||
      (*names = reallocarray (NULL, count ? count : 1, sizeof **names))
      == NULL)
    goto fail;
  for (size_t i = 0; i < count; ++i)
    (*names)[i] = *arena + offs[i];
  free (offs);
  qsort (*names, count, sizeof **names, cmp_names);
  *n = count;
  return 0;

 fail:
  {
    int saved = errno;

    free (offs);
    free (*arena);
    *arena = NULL;
    errno = saved;
  }
  return -1;
}

/* Makes room for len bytes in the walk's path.  0, or -1 with errno. */
static int
path_reserve (struct walk *w, size_t len)
{
  size_t c = w->path_cap;
  char *p;

  if (len <= c)
    return 0;
  while (c < len)
    if (__builtin_mul_overflow (c, 2, &c)) {
      errno = ENAMETOOLONG;
      return -1;
    }
  if ((p = realloc (w->path, c)) == NULL)
    return -1;
  w->path = p;
  w->path_cap = c;
  return 0;
}

/* Sets the walk's path to the name under the directory whose path is
 * len bytes of it.  Its length, or -1 with errno (the path cut back to
 * the directory's). */
static ssize_t
path_enter (struct walk *w, size_t len, const char *name)
{
  size_t k = strlen (name), at = len ? len + 1 : 0;

  if (path_reserve (w, at + k + 1) == -1) {
    w->path[len] = '\0';
    return -1;
  }
  if (len)
    w->path[len] = '/';
  memcpy (w->path + at, name, k + 1);
  return (ssize_t) (at + k);
}

/* Walks the subdirectory name of fd, whose path is the walk's path,
 * sub bytes. */
static int walk_dir (struct walk *w, int fd, size_t len);

static int
walk_sub (struct walk *w, int fd, const char *name, size_t sub)
{
  int dfd = openat (fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
  int r;

  if (dfd == -1)
    return walk_failed (w, w->path);
  r = walk_dir (w, dfd, sub);
  close (dfd);
  return r;
}

/* Walks the directory fd (opened for reading), whose path relative to
 * the top is the walk's path, len bytes: each directory is opened once,
 * read with getdents64, and each of its names fstat'ed in it.  A
 * listing-first walk notes its subdirectories, and goes into them once
 * all its names are given. */
static int
walk_dir (struct walk *w, int fd, size_t len)
{
  CLEANUP_FREE char *arena = NULL;
  CLEANUP_FREE char **names = NULL;
  CLEANUP_FREE unsigned char *is_dir = NULL;
  size_t n;

  if (sorted_names (w, fd, &arena, &names, &n) == -1)
    return walk_failed (w, w->path);
  if (w->listing_first && (is_dir = calloc (n ? n : 1, 1)) == NULL)
    return walk_failed (w, w->path);
  for (size_t i = 0; i < n; ++i) {
    ssize_t at = path_enter (w, len, names[i]);
    struct stat st;

    if (at == -1 ||
        fstatat (fd, names[i], &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT)
        == -1)
      return walk_failed (w, w->path);
    if (w->fn (w->opaque, fd, names[i], w->path, &st) == -1)
      return -1;
    if (!S_ISDIR (st.st_mode))
      continue;
    if (is_dir)
      is_dir[i] = 1;
    else if (walk_sub (w, fd, names[i], (size_t) at) == -1)
      return -1;
  }
  for (size_t i = 0; is_dir && i < n; ++i) {
    ssize_t at;

    if (!is_dir[i])
      continue;
    if ((at = path_enter (w, len, names[i])) == -1)
      return walk_failed (w, w->path);
    if (walk_sub (w, fd, names[i], (size_t) at) == -1)
      return -1;
  }
  return 0;
}

static int
walk_tree_with (int dirfd, walk_fn fn, void *opaque, char **where,
                int listing_first)
{
  struct walk w = { .fn = fn, .opaque = opaque,
                    .listing_first = listing_first };
  CLEANUP_CLOSE int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY |
                                 O_CLOEXEC);
  int r = -1;

  w.path = malloc (w.path_cap = 256);
  w.dents = malloc (WALK_DENTS);
  if (w.path == NULL || w.dents == NULL)
    w.where = strdup ("");
  else {
    w.path[0] = '\0';
    r = fd == -1 ? walk_failed (&w, "") : walk_dir (&w, fd, 0);
  }
  free (w.path);
  free (w.dents);
  *where = w.where;
  return r;
}

int
walk_tree (int dirfd, walk_fn fn, void *opaque, char **where)
{
  return walk_tree_with (dirfd, fn, opaque, where, 0);
}

int
walk_tree_listing_first (int dirfd, walk_fn fn, void *opaque, char **where)
{
  return walk_tree_with (dirfd, fn, opaque, where, 1);
}

static int
chunk_out_flush (struct chunk_out *o)
{
  if (o->len == 0)
    return 0;
  if (send_file_write (o->buf, o->len) == -1)
    return -1;
  o->len = 0;
  return 0;
}

int
chunk_out_add (struct chunk_out *o, const void *p, size_t n)
{
  const char *s = p;

  if (o->buf == NULL && (o->buf = malloc (WIRE_CHUNK_MAX)) == NULL)
    return -1;
  while (n > 0) {
    size_t k = WIRE_CHUNK_MAX - o->len;

    if (k > n)
      k = n;
    memcpy (o->buf + o->len, s, k);
    o->len += k;
    s += k;
    n -= k;
    if ((o->len == WIRE_CHUNK_MAX ||
         (o->flush_at && o->len >= o->flush_at)) &&
        chunk_out_flush (o) == -1)
      return -1;
  }
  return 0;
}

int
chunk_out_end (struct chunk_out *o, int cancel)
{
  int err = 0;

  if (!cancel && chunk_out_flush (o) == -1) {
    cancel = 1;
    err = errno;
  }
  if (send_file_end (cancel) == -1 && err == 0)
    err = errno;
  free (o->buf);
  o->buf = NULL;
  o->len = 0;
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}
