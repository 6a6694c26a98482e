/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The path-keyed caches of a local mount (fuse-cache.h): a chained hash
 * table of fixed size, cleared whole when it grows past a bound, so a
 * walk of a huge tree cannot eat the host's memory. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuse-cache.h"
#include "strlist.h"

#define LCACHE_BUCKETS 16384
#define LCACHE_MAX_ENTRIES 262144
/* The most bytes of files' contents kept. */
#define LCACHE_MAX_DATA (64 * 1024 * 1024)

struct lcache {
  double timeout;
  size_t n;
  size_t data_bytes;
  struct lcache_entry *b[LCACHE_BUCKETS];
};

double
lcache_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* FNV-1a. */
static size_t
bucket (const char *path)
{
  uint32_t h = 2166136261u;

  for (const unsigned char *p = (const unsigned char *) path; *p; ++p)
    h = (h ^ *p) * 16777619u;
  return h % LCACHE_BUCKETS;
}

struct lcache *
lcache_new (double timeout)
{
  struct lcache *c = calloc (1, sizeof *c);

  if (c)
    c->timeout = timeout;
  return c;
}

static void
drop_xattrs (struct lcache_entry *e)
{
  for (size_t i = 0; i < e->n_xattrs; ++i) {
    free (e->xattrs[i].attrname);
    free (e->xattrs[i].attrval);
  }
  free (e->xattrs);
  e->xattrs = NULL;
  e->n_xattrs = 0;
}

void
lcache_drop_data (struct lcache *c, struct lcache_entry *e)
{
  c->data_bytes -= e->data_len;
  free (e->data);
  e->data = NULL;
  e->data_len = 0;
  e->have &= ~LCACHE_DATA;
}

static void
entry_free (struct lcache *c, struct lcache_entry *e)
{
  lcache_drop_data (c, e);
  free (e->path);
  free (e->link);
  drop_xattrs (e);
  free_string_list (e->names);
  free (e);
}

void
lcache_clear (struct lcache *c)
{
  for (size_t i = 0; i < LCACHE_BUCKETS; ++i) {
    while (c->b[i]) {
      struct lcache_entry *e = c->b[i];
      c->b[i] = e->next;
      entry_free (c, e);
    }
  }
  c->n = 0;
}

void
lcache_free (struct lcache *c)
{
  if (c == NULL)
    return;
  lcache_clear (c);
  free (c);
}

/* Unlinks and frees the entry of path, if any. */
static void
forget_one (struct lcache *c, const char *path)
{
  struct lcache_entry **p = &c->b[bucket (path)];

  for (; *p; p = &(*p)->next) {
    if (strcmp ((*p)->path, path) == 0) {
      struct lcache_entry *e = *p;
      *p = e->next;
      entry_free (c, e);
      c->n--;
      return;
    }
  }
}

struct lcache_entry *
lcache_get (struct lcache *c, const char *path)
{
  for (struct lcache_entry *e = c->b[bucket (path)]; e; e = e->next)
    if (strcmp (e->path, path) == 0)
      return e->expires >= lcache_now () ? e : NULL;
  return NULL;
}

struct lcache_entry *
lcache_make (struct lcache *c, const char *path)
{
  struct lcache_entry *e = lcache_get (c, path);
  size_t i;

  if (e)
    return e;
  if (c->timeout <= 0) {
    errno = ENOSPC;
    return NULL;
  }
  forget_one (c, path);
  if (c->n >= LCACHE_MAX_ENTRIES)
    lcache_clear (c);
  e = calloc (1, sizeof *e);
  if (e == NULL || (e->path = strdup (path)) == NULL) {
    free (e);
    return NULL;
  }
  e->expires = lcache_now () + c->timeout;
  i = bucket (path);
  e->next = c->b[i];
  c->b[i] = e;
  c->n++;
  return e;
}

int
lcache_set_link (struct lcache_entry *e, const char *target)
{
  char *copy = strdup (target);

  if (copy == NULL)
    return -1;
  free (e->link);
  e->link = copy;
  e->have |= LCACHE_LINK;
  return 0;
}

int
lcache_set_xattrs (struct lcache_entry *e, const struct drydock_xattr *x,
                   size_t n)
{
  struct drydock_xattr *v = calloc (n ? n : 1, sizeof *v);

  if (v == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i) {
    v[i].attrname = strdup (x[i].attrname);
    v[i].attrval = malloc (x[i].attrval_len + 1);
    v[i].attrval_len = x[i].attrval_len;
    if (v[i].attrname == NULL || v[i].attrval == NULL) {
      for (size_t j = 0; j <= i; ++j) {
        free (v[j].attrname);
        free (v[j].attrval);
      }
      free (v);
      return -1;
    }
    memcpy (v[i].attrval, x[i].attrval, x[i].attrval_len);
  }
  drop_xattrs (e);
  e->xattrs = v;
  e->n_xattrs = n;
  e->have |= LCACHE_XATTRS;
  return 0;
}

void
lcache_set_data (struct lcache *c, struct lcache_entry *e, char *data,
                 size_t len)
{
  lcache_drop_data (c, e);
  if (c->data_bytes + len > LCACHE_MAX_DATA) {
    for (size_t i = 0; i < LCACHE_BUCKETS; ++i)
      for (struct lcache_entry *x = c->b[i]; x; x = x->next)
        lcache_drop_data (c, x);
  }
  e->data = data;
  e->data_len = len;
  e->have |= LCACHE_DATA;
  c->data_bytes += len;
}

void
lcache_set_names (struct lcache_entry *e, char **names)
{
  free_string_list (e->names);
  e->names = names;
  e->have |= LCACHE_NAMES;
}

void
lcache_forget (struct lcache *c, const char *path)
{
  const char *slash = strrchr (path, '/');
  char *parent;

  forget_one (c, path);
  if (slash == NULL)
    return;
  parent = slash == path ? strdup ("/") : strndup (path, (size_t) (slash - path));
  if (parent == NULL) {
    lcache_clear (c);
    return;
  }
  forget_one (c, parent);
  free (parent);
}
