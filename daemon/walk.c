/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walking a guest tree, and streaming a list made on the way to the
 * host: what find0 and checksums_out share.  Their output has no bound
 * (a whole guest), so it is sent in chunks as it is made rather than
 * held for one reply, and the walk keeps one directory open at a time
 * (each one's names are read, then visited). */

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

/* The names in the directory dirfd without "." and "..", sorted.  NULL
 * with errno; caller frees. */
static char **
sorted_names (int dirfd)
{
  char **r = dir_names (openat (dirfd, ".", O_RDONLY | O_DIRECTORY |
                                O_CLOEXEC), 0);

  if (r)
    sort_strings (r);
  return r;
}

struct walk {
  walk_fn fn;
  void *opaque;
  char *where;
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
walk_dir (struct walk *w, int dirfd, const char *prefix)
{
  CLEANUP_FREE_STRING_LIST char **names = sorted_names (dirfd);

  if (names == NULL)
    return walk_failed (w, prefix);
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_FREE char *rel = NULL;
    CLEANUP_CLOSE int sub = -1;
    struct stat st;

    if (*prefix == '\0')
      rel = strdup (names[i]);
    else if (asprintf (&rel, "%s/%s", prefix, names[i]) == -1)
      rel = NULL;
    if (rel == NULL)
      return walk_failed (w, prefix);
    if (fstatat (dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == -1)
      return walk_failed (w, rel);
    if (w->fn (w->opaque, dirfd, names[i], rel, &st) == -1)
      return -1;
    if (!S_ISDIR (st.st_mode))
      continue;
    sub = openat (dirfd, names[i],
                  O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub == -1)
      return walk_failed (w, rel);
    if (walk_dir (w, sub, rel) == -1)
      return -1;
  }
  return 0;
}

int
walk_tree (int dirfd, walk_fn fn, void *opaque, char **where)
{
  struct walk w = { fn, opaque, NULL };
  int r = walk_dir (&w, dirfd, "");

  *where = w.where;
  return r;
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
    if (o->len == WIRE_CHUNK_MAX && chunk_out_flush (o) == -1)
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
