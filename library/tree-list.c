/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parser of lstatns_tree's list (tree-list.h).  It follows the
 * walk: the directory whose names come now (the group), and a stack of
 * the directories whose names were all given, each with its
 * subdirectories still to go into, in order.  A record of another
 * directory closes the group (complete), and the walk goes on to it,
 * through the subdirectories it passes on the way (empty, as they gave
 * no name); a record whose directory the walk cannot come to is
 * malformed.
 *
 * The list comes from the appliance: every length is checked, a record
 * is taken whole before anything of it is reported, and a malformed
 * one reports nothing. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bigendian.h"
#include "cleanups.h"
#include "guest-path.h"
#include "strlist.h"
#include "tree-list.h"
#include "vector.h"

/* The 16 numbers of a record. */
#define TREE_NUMS (16 * 8)

/* A directory whose names were all given: its subdirectories (full
 * paths, in the walk's order), the walk going into them in turn. */
struct tframe {
  char **subdirs;
  size_t next;
};
DEFINE_VECTOR_TYPE (tframe_vector, struct tframe);

struct tree_list {
  char *top;
  tree_list_record_fn record;
  tree_list_dir_fn dir_done;
  void *opaque;
  int stopped;                  /* malformed, out of memory, or ended */
  /* The bytes fed and not yet taken in (at most a record, cut), the
   * record's relative path's length with its NUL once found (else 0),
   * and how far the search for the NUL sought now went. */
  char *buf;
  size_t len, cap;
  size_t rel_len, scan;
  tframe_vector stack;          /* the walk's directories to go into */
  char *group;                  /* the directory whose names come now */
  struct strlist names, subdirs;        /* its names so far, its dirs */
};

struct tree_list *
tree_list_new (const char *top, tree_list_record_fn record,
               tree_list_dir_fn dir_done, void *opaque)
{
  struct tree_list *t = calloc (1, sizeof *t);

  if (t == NULL)
    return NULL;
  t->record = record;
  t->dir_done = dir_done;
  t->opaque = opaque;
  t->top = strdup (top);
  /* The top's names come first. */
  t->group = strdup (top);
  if (t->top == NULL || t->group == NULL) {
    tree_list_free (t);
    errno = ENOMEM;
    return NULL;
  }
  return t;
}

void
tree_list_free (struct tree_list *t)
{
  if (t == NULL)
    return;
  /* A frame's subdirectories before next were handed out. */
  while (t->stack.len > 0) {
    struct tframe *f = &t->stack.ptr[--t->stack.len];

    for (size_t i = f->next; f->subdirs[i]; ++i)
      free (f->subdirs[i]);
    free (f->subdirs);
  }
  tframe_vector_reset (&t->stack);
  strlist_free (&t->names);
  strlist_free (&t->subdirs);
  free (t->group);
  free (t->buf);
  free (t->top);
  free (t);
}

/* Reports dir complete with the names v (taken); an empty directory
 * when v is NULL.  0, or -1 when out of memory. */
static int
report_dir (struct tree_list *t, const char *dir, char **v)
{
  if (v == NULL && (v = calloc (1, sizeof (char *))) == NULL)
    return -1;
  t->dir_done (t->opaque, dir, v);
  return 0;
}

/* The group is complete: it is reported with its names, and its
 * subdirectories are the next ones the walk goes into.  0, or -1 when
 * out of memory. */
static int
group_close (struct tree_list *t)
{
  char **names, **subdirs;

  if (t->group == NULL)
    return 0;
  if (tframe_vector_reserve (&t->stack, 1) == -1)
    return -1;
  if ((names = strlist_take (&t->names)) == NULL)
    return -1;
  if ((subdirs = strlist_take (&t->subdirs)) == NULL) {
    free_string_list (names);
    return -1;
  }
  tframe_vector_append (&t->stack, ((struct tframe) { subdirs, 0 }));
  report_dir (t, t->group, names);
  free (t->group);
  t->group = NULL;
  return 0;
}

/* The next directory in the walk's order (the caller takes it), or
 * NULL when none is left (the frames done with are dropped). */
static char *
next_dir (struct tree_list *t)
{
  while (t->stack.len > 0) {
    struct tframe *f = &t->stack.ptr[t->stack.len - 1];

    if (f->subdirs[f->next])
      return f->subdirs[f->next++];
    free (f->subdirs);
    t->stack.len--;
  }
  return NULL;
}

/* Whether the walk can come to dir from the group, after it: dir is
 * one of the group's subdirectories, or one still to go into of a
 * directory on the stack. */
static int
reachable (const struct tree_list *t, const char *dir)
{
  for (size_t i = 0; i < t->subdirs.len; ++i)
    if (strcmp (t->subdirs.v[i], dir) == 0)
      return 1;
  for (size_t d = t->stack.len; d-- > 0; ) {
    const struct tframe *f = &t->stack.ptr[d];

    for (size_t i = f->next; f->subdirs[i]; ++i)
      if (strcmp (f->subdirs[i], dir) == 0)
        return 1;
  }
  return 0;
}

/* The names of dir (reachable) begin: the group is complete, and so is
 * every directory the walk goes into before dir (they are empty).  0,
 * or -1 when out of memory. */
static int
group_open (struct tree_list *t, const char *dir)
{
  char *d;

  if (group_close (t) == -1)
    return -1;
  while ((d = next_dir (t)) != NULL) {
    if (strcmp (d, dir) == 0) {
      t->group = d;
      return 0;
    }
    if (report_dir (t, d, NULL) == -1) {
      free (d);
      return -1;
    }
    free (d);
  }
  /* Not reached: the caller saw dir reachable. */
  return -1;
}

/* Takes in the record rel (its relative path), nums, link: 0, or -1 if
 * it is malformed (or memory ran out), then having reported nothing. */
static int
take_record (struct tree_list *t, const char *rel,
             const unsigned char *nums, const char *link)
{
  CLEANUP_FREE char *full = NULL, *dir = NULL;
  const char *base;
  struct drydock_statns sn;
  int64_t *f = &sn.st_dev;
  int is_dir, same;

  /* Relative: the path is then the directory's joined with the name
   * (top "/" and "/x" would give "//x"). */
  if (rel[0] == '/')
    return -1;
  full = join (t->top, rel);
  if (full == NULL || (dir = parent_of (full, &base)) == NULL ||
      strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return -1;
  same = t->group != NULL && strcmp (dir, t->group) == 0;
  /* Within a directory, names come in strcmp order, each once: a
   * directory then is gone into once. */
  if (same && t->names.len > 0 &&
      strcmp (t->names.v[t->names.len - 1], base) >= 0)
    return -1;
  if (!same && !reachable (t, dir))
    return -1;
  for (int i = 0; i < 16; ++i)
    f[i] = (int64_t) be64 (nums + 8 * i);
  is_dir = S_ISDIR ((mode_t) sn.st_mode);
  if (!same && group_open (t, dir) == -1)
    return -1;
  if (strlist_add (&t->names, base) == -1 ||
      (is_dir && strlist_add (&t->subdirs, full) == -1))
    return -1;
  t->record (t->opaque, full, base, &sn, link);
  return 0;
}

/* Takes in the whole records of buf: 0, or -1 if one is malformed. */
static int
take_records (struct tree_list *t)
{
  size_t pos = 0;
  int r = 0;

  while (pos < t->len) {
    const char *rec = t->buf + pos;
    size_t avail = t->len - pos;
    const char *nul;

    if (t->rel_len == 0) {
      nul = memchr (rec + t->scan, '\0', avail - t->scan);
      if (nul == NULL) {
        t->scan = avail;
        break;
      }
      if (nul == rec) {
        r = -1;
        break;
      }
      t->rel_len = (size_t) (nul - rec) + 1;
      t->scan = t->rel_len + TREE_NUMS;
    }
    if (avail < t->rel_len + TREE_NUMS + 1)
      break;
    nul = memchr (rec + t->scan, '\0', avail - t->scan);
    if (nul == NULL) {
      t->scan = avail;
      break;
    }
    if (take_record (t, rec, (const unsigned char *) rec + t->rel_len,
                     rec + t->rel_len + TREE_NUMS) == -1) {
      r = -1;
      break;
    }
    pos += (size_t) (nul - rec) + 1;
    t->rel_len = t->scan = 0;
  }
  /* What is left is the start of a record: kept for the next bytes. */
  if (r == 0 && pos > 0) {
    memmove (t->buf, t->buf + pos, t->len - pos);
    t->len -= pos;
  }
  return r;
}

int
tree_list_feed (struct tree_list *t, const void *buf, size_t len)
{
  if (t->stopped)
    return -1;
  if (len == 0)
    return 0;
  if (len > t->cap - t->len) {
    size_t c = t->cap ? t->cap : 4096;
    char *b;

    while (c - t->len < len)
      if (__builtin_mul_overflow (c, 2, &c))
        goto stop;
    if ((b = realloc (t->buf, c)) == NULL)
      goto stop;
    t->buf = b;
    t->cap = c;
  }
  memcpy (t->buf + t->len, buf, len);
  t->len += len;
  if (take_records (t) == 0)
    return 0;

 stop:
  t->stopped = 1;
  return -1;
}

int
tree_list_end (struct tree_list *t, int complete)
{
  char *d;

  if (t->stopped)
    return -1;
  t->stopped = 1;
  /* A record cut at the end. */
  if (t->len > 0)
    return -1;
  if (!complete)
    return 0;
  if (group_close (t) == -1)
    return -1;
  while ((d = next_dir (t)) != NULL) {
    int r = report_dir (t, d, NULL);

    free (d);
    if (r == -1)
      return -1;
  }
  return 0;
}
