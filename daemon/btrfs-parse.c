/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers of what the btrfs program (btrfs-progs 6.x) prints, kept
 * apart from btrfs.c, which runs it, so they are pure functions of the
 * text.  The formats are btrfs-progs' human output; lines that do not
 * match are skipped, so a warning printed among them does no harm. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs-parse.h"

/* Reads an unsigned decimal number at *p, moving *p past it.  0, or -1
 * when there is none or it overflows. */
static int
read_u64 (const char **p, uint64_t *v)
{
  const char *s = *p;
  uint64_t n = 0;

  if (!isdigit ((unsigned char) *s))
    return -1;
  for (; isdigit ((unsigned char) *s); ++s)
    if (__builtin_mul_overflow (n, 10, &n) ||
        __builtin_add_overflow (n, (uint64_t) (*s - '0'), &n))
      return -1;
  *p = s;
  *v = n;
  return 0;
}

/* If s starts with word, moves past it and returns 1. */
static int
skip_word (const char **s, const char *word)
{
  size_t n = strlen (word);

  if (strncmp (*s, word, n) != 0)
    return 0;
  *s += n;
  return 1;
}

/* "ID 256 gen 7 top level 5 path sub/x y": the path is the rest of
 * the line, blanks included.  0, or -1 for another line. */
static int
subvolume_line (const char *s, uint64_t *id, uint64_t *top, const char **path)
{
  uint64_t gen;

  if (!skip_word (&s, "ID ") || read_u64 (&s, id) == -1 ||
      !skip_word (&s, " gen ") || read_u64 (&s, &gen) == -1)
    return -1;
  /* btrfs subvolume list -c and -g add "cgen N"; skip words up to
   * "top level". */
  s = strstr (s, " top level ");
  if (s == NULL)
    return -1;
  s += strlen (" top level ");
  if (read_u64 (&s, top) == -1 || !skip_word (&s, " path "))
    return -1;
  *path = s;
  return 0;
}

struct drydock_btrfssubvolume_list *
parse_subvolume_list (const char *out)
{
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);
  struct drydock_btrfssubvolume_list *r;
  size_t n;

  if (lines == NULL)
    return NULL;
  n = count_strings (lines);
  if ((r = calloc (1, sizeof *r)) == NULL ||
      (r->val = calloc (n + 1, sizeof *r->val)) == NULL) {
    free (r);
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    struct drydock_btrfssubvolume *v = &r->val[r->len];
    const char *path;

    if (subvolume_line (lines[i], &v->btrfssubvolume_id,
                        &v->btrfssubvolume_top_level_id, &path) == -1)
      continue;
    if ((v->btrfssubvolume_path = strdup (path)) == NULL) {
      for (uint32_t j = 0; j < r->len; ++j)
        free (r->val[j].btrfssubvolume_path);
      free (r->val);
      free (r);
      return NULL;
    }
    r->len++;
  }
  return r;
}

int64_t
parse_get_default (const char *out)
{
  const char *s = out;
  uint64_t id;

  if (!skip_word (&s, "ID ") || read_u64 (&s, &id) == -1 ||
      id > INT64_MAX) {
    errno = EINVAL;
    return -1;
  }
  return (int64_t) id;
}

/* s without its leading and trailing blanks, in place. */
static char *
trim (char *s)
{
  size_t n;

  while (*s == ' ' || *s == '\t')
    ++s;
  n = strlen (s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Field lines start with one tab ("\tName: \t\tsub", "\t  Limit
 * referenced:\t-"); the snapshot lines after "Snapshot(s):" with
 * several; the first line, the path, with none. */
char **
parse_subvolume_show (const char *out)
{
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);
  struct strlist h = STRLIST_INIT;
  char *snaps = NULL;
  int in_snaps = 0, oom = 0;

  if (lines == NULL)
    return NULL;
  for (size_t i = 0; lines[i] && !oom; ++i) {
    char *l = lines[i], *colon, *v;

    if (l[0] != '\t')
      continue;
    if (in_snaps && l[1] == '\t') {
      char *name = trim (l), *p;

      if (*name == '\0')
        continue;
      if (asprintf (&p, "%s%s%s", snaps ? snaps : "", snaps ? ", " : "",
                    name) == -1) {
        oom = 1;
        break;
      }
      free (snaps);
      snaps = p;
      continue;
    }
    in_snaps = 0;
    if ((colon = strchr (l, ':')) == NULL)
      continue;
    *colon = '\0';
    v = trim (colon + 1);
    l = trim (l);
    if (strcmp (l, "Snapshot(s)") == 0) {
      in_snaps = 1;
      continue;
    }
    if (strlist_add (&h, l) == -1 || strlist_add (&h, v) == -1)
      oom = 1;
  }
  if (!oom && (strlist_add (&h, "Snapshot(s)") == -1 ||
               strlist_add (&h, snaps ? snaps : "") == -1))
    oom = 1;
  free (snaps);
  if (oom) {
    strlist_free (&h);
    errno = ENOMEM;
    return NULL;
  }
  return strlist_take (&h);
}

struct devid {
  uint64_t id;
  char *path;
};

static int
compare_devids (const void *a, const void *b)
{
  const struct devid *x = a, *y = b;

  return x->id < y->id ? -1 : x->id > y->id;
}

char **
parse_filesystem_show (const char *out, int *missing)
{
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);
  CLEANUP_FREE struct devid *ids = NULL;
  struct strlist l = STRLIST_INIT;
  size_t n = 0;

  *missing = 0;
  if (lines == NULL ||
      (ids = calloc (count_strings (lines) + 1, sizeof *ids)) == NULL)
    return NULL;
  for (size_t i = 0; lines[i]; ++i) {
    const char *s = lines[i], *p;

    while (*s == ' ' || *s == '\t')
      ++s;
    if (strstr (s, "*** Some devices missing")) {
      *missing = 1;
      continue;
    }
    if (!skip_word (&s, "devid"))
      continue;
    while (*s == ' ')
      ++s;
    if (read_u64 (&s, &ids[n].id) == -1 || (p = strstr (s, " path ")) == NULL)
      continue;
    p += strlen (" path ");
    /* "devid 2 size 0 used 0 path /dev/sdb MISSING" */
    if (strlen (p) >= 8 && strcmp (p + strlen (p) - 8, " MISSING") == 0) {
      *missing = 1;
      continue;
    }
    ids[n++].path = (char *) p;
  }
  qsort (ids, n, sizeof *ids, compare_devids);
  for (size_t i = 0; i < n; ++i)
    if (strlist_add (&l, ids[i].path) == -1) {
      strlist_free (&l);
      return NULL;
    }
  {
    char **r = strlist_take (&l);

    if (r == NULL)
      r = calloc (1, sizeof *r);
    return r;
  }
}

int
parse_balance_status (const char *out, struct drydock_btrfsbalance *r)
{
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);
  int found = 0;

  if (lines == NULL)
    return -1;
  for (size_t i = 0; lines[i]; ++i) {
    const char *s = lines[i];
    uint64_t v[4];

    if (strncmp (s, "No balance found on ", 20) == 0) {
      r->btrfsbalance_status = (char *) "none";
      return 0;
    }
    if (strncmp (s, "Balance on ", 11) == 0) {
      size_t n = strlen (s);

      if (n > 11 && strcmp (s + n - 11, " is running") == 0)
        r->btrfsbalance_status = (char *) "running";
      else if (n > 10 && strcmp (s + n - 10, " is paused") == 0)
        r->btrfsbalance_status = (char *) "paused";
      else
        continue;
      found = 1;
      continue;
    }
    /* "3 out of about 9 chunks balanced (4 considered),  67% left" */
    if (read_u64 (&s, &v[0]) == 0 && skip_word (&s, " out of about ") &&
        read_u64 (&s, &v[1]) == 0 && skip_word (&s, " chunks balanced (") &&
        read_u64 (&s, &v[2]) == 0 && skip_word (&s, " considered),")) {
      while (*s == ' ')
        ++s;
      if (read_u64 (&s, &v[3]) == 0) {
        r->btrfsbalance_balanced = v[0];
        r->btrfsbalance_total = v[1];
        r->btrfsbalance_considered = v[2];
        r->btrfsbalance_left = v[3];
      }
    }
  }
  if (!found) {
    errno = EINVAL;
    return -1;
  }
  return 0;
}

void
parse_scrub_status (const char *out, struct drydock_btrfsscrub *r)
{
  static const struct {
    const char *name;
    size_t offset;
  } fields[] = {
#define F(x) { #x, offsetof (struct drydock_btrfsscrub, btrfsscrub_##x) }
    F (data_extents_scrubbed), F (tree_extents_scrubbed),
    F (data_bytes_scrubbed), F (tree_bytes_scrubbed), F (read_errors),
    F (csum_errors), F (verify_errors), F (no_csum), F (csum_discards),
    F (super_errors), F (malloc_errors), F (uncorrectable_errors),
    F (unverified_errors), F (corrected_errors), F (last_physical),
#undef F
  };
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);

  for (size_t i = 0; lines && lines[i]; ++i) {
    const char *s = lines[i];

    while (*s == ' ' || *s == '\t')
      ++s;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; ++f) {
      const char *p = s;
      uint64_t v;

      if (skip_word (&p, fields[f].name) && skip_word (&p, ": ") &&
          read_u64 (&p, &v) == 0) {
        memcpy ((char *) r + fields[f].offset, &v, sizeof v);
        break;
      }
    }
  }
}

/* "0/256   16384   16384   sub": the ID, then two numbers. */
static int
qgroup_line (const char *s, const char **id, size_t *idlen, uint64_t *rfer,
             uint64_t *excl)
{
  uint64_t level, sub;

  while (*s == ' ')
    ++s;
  *id = s;
  if (read_u64 (&s, &level) == -1 || *s++ != '/' || read_u64 (&s, &sub) == -1)
    return -1;
  *idlen = (size_t) (s - *id);
  if (*s != ' ' && *s != '\t')
    return -1;
  while (*s == ' ' || *s == '\t')
    ++s;
  if (read_u64 (&s, rfer) == -1 || (*s != ' ' && *s != '\t'))
    return -1;
  while (*s == ' ' || *s == '\t')
    ++s;
  if (read_u64 (&s, excl) == -1)
    return -1;
  return 0;
}

struct drydock_btrfsqgroup_list *
parse_qgroup_show (const char *out)
{
  CLEANUP_FREE_STRING_LIST char **lines = split_lines (out);
  struct drydock_btrfsqgroup_list *r;
  size_t n;

  if (lines == NULL)
    return NULL;
  n = count_strings (lines);
  if ((r = calloc (1, sizeof *r)) == NULL ||
      (r->val = calloc (n + 1, sizeof *r->val)) == NULL) {
    free (r);
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    struct drydock_btrfsqgroup *v = &r->val[r->len];
    const char *id;
    size_t idlen;

    if (qgroup_line (lines[i], &id, &idlen, &v->btrfsqgroup_rfer,
                     &v->btrfsqgroup_excl) == -1)
      continue;
    if ((v->btrfsqgroup_id = strndup (id, idlen)) == NULL) {
      for (uint32_t j = 0; j < r->len; ++j)
        free (r->val[j].btrfsqgroup_id);
      free (r->val);
      free (r);
      return NULL;
    }
    r->len++;
  }
  return r;
}
