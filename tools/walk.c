/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The walk of a guest tree for ls -lR and diff: every name under a
 * directory with its lstat, its link target and, when asked, its
 * checksum, in a number of round trips that grows with the number of
 * directories, not of files: the names come in one stream (find0), the
 * lstats and link targets of each directory's names in one call each
 * (lstatnslist, readlinklist), the checksums of the whole tree in one
 * stream (checksums_out).  And how ls -lR and diff print an entry. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "tools.h"

/* Larger listings are refused rather than exhausting the host. */
#define LIST_MAX ((size_t) 1024 * 1024 * 1024)
/* Names per lstatnslist (each reply entry is 128 bytes), and per
 * readlinklist (a target may be up to 4 KiB). */
#define STAT_BATCH 8192
#define LINK_BATCH 512
#define BATCH_BYTES (1024 * 1024)

static const char *const csum_types[] = {
  "crc", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", NULL
};

int
tools_check_csumtype (const char *option, const char *type)
{
  for (size_t i = 0; csum_types[i]; ++i)
    if (strcmp (type, csum_types[i]) == 0)
      return 0;
  return tool_error (_("%s '%s': unknown checksum type (use crc, md5, sha1, "
                       "sha224, sha256, sha384 or sha512)"), option, type);
}

/* A byte's place in the order of paths: "/" before every other byte,
 * so that a directory's names follow it before its sibling "dir-x". */
static int
path_rank (unsigned char c)
{
  return c == '\0' ? 0 : c == '/' ? 1 : c + 1;
}

int
tools_path_compare (const char *a, const char *b)
{
  const unsigned char *p = (const unsigned char *) a;
  const unsigned char *q = (const unsigned char *) b;

  for (; *p && *p == *q; ++p, ++q)
    ;
  return path_rank (*p) - path_rank (*q);
}

void
tools_tree_free (struct tools_tree *t)
{
  for (size_t i = 0; t->v && i < t->n; ++i) {
    free (t->v[i].path);
    free (t->v[i].link);
    free (t->v[i].csum);
  }
  free (t->v);
  t->v = NULL;
  t->n = 0;
}

/* A local temporary file a FileOut call writes into (caller unlinks
 * and frees). */
static char *
local_temp (void)
{
  const char *dir = getenv ("TMPDIR");
  char *path;
  int fd;

  if (asprintf (&path, "%s/drydock-walk.XXXXXX", dir && *dir ? dir : "/tmp")
      == -1) {
    tool_error ("%s", strerror (errno));
    return NULL;
  }
  fd = mkstemp (path);
  if (fd == -1) {
    tool_error (_("%s: %s"), path, strerror (errno));
    free (path);
    return NULL;
  }
  close (fd);
  return path;
}

/* The content of a FileOut call's local file (caller frees), which is
 * removed. */
static char *
read_out (const char *path, size_t *len)
{
  char *buf = read_file_max (path, LIST_MAX + 1, len);

  unlink (path);
  if (buf == NULL)
    tool_error (_("%s: %s"), path, strerror (errno));
  else if (*len > LIST_MAX) {
    tool_error (_("the listing is larger than %zu MiB"), LIST_MAX >> 20);
    free (buf);
    return NULL;
  }
  return buf;
}

static char *
join (const char *dir, const char *name)
{
  char *r;

  if (asprintf (&r, "%s%s%s", dir, strcmp (dir, "/") == 0 ? "" : "/", name)
      == -1)
    return NULL;
  return r;
}

/* Where the last component of path starts. */
static size_t
base_offset (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? (size_t) (slash - path) + 1 : 0;
}

/* The entries whose indexes are idx[0..n), all in one directory, each
 * given its lstat (stat) or link target. */
static int
fill_batch (drydock_h *h, struct tools_tree *t, const size_t *idx, size_t n,
            int links)
{
  const char *first = t->v[idx[0]].path;
  size_t off = base_offset (first);
  CLEANUP_FREE char *parent = strndup (first, off > 1 ? off - 1 : 1);
  CLEANUP_FREE const char **names = calloc (n + 1, sizeof *names);

  if (parent == NULL || names == NULL)
    return tool_error ("%s", strerror (errno));
  for (size_t i = 0; i < n; ++i)
    names[i] = t->v[idx[i]].path + off;
  if (links) {
    CLEANUP_FREE_STRING_LIST char **targets =
      drydock_readlinklist (h, parent, (char *const *) names);

    if (targets == NULL)
      return tool_lib_error (h);
    for (size_t i = 0; i < n && targets[i]; ++i)
      t->v[idx[i]].link = TAKE_PTR (targets[i]);
    return 0;
  }
  struct drydock_statns_list *sl =
    drydock_lstatnslist (h, parent, (char *const *) names);

  if (sl == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; i < n && i < sl->len; ++i)
    t->v[idx[i]].st = sl->val[i];
  drydock_free_statns_list (sl);
  return 0;
}

/* Indexes of t's entries in the order of their parent directory, then
 * of their position (qsort_r). */
static int
compare_parent (const void *a, const void *b, void *tree)
{
  const struct tools_tree *t = tree;
  size_t i = *(const size_t *) a, j = *(const size_t *) b;
  const char *p = t->v[i].path, *q = t->v[j].path;
  size_t lp = base_offset (p), lq = base_offset (q);
  int c = lp == lq ? memcmp (p, q, lp) : (lp < lq ? -1 : 1);

  if (c == 0)
    c = i < j ? -1 : i > j;
  return c;
}

/* Fills the lstat (links unset) or the link target (links set) of the
 * entries from first on, one directory's names per call. */
static int
fill (drydock_h *h, struct tools_tree *t, size_t first, int links)
{
  CLEANUP_FREE size_t *idx = malloc ((t->n + 1) * sizeof *idx);
  size_t n = 0, max = links ? LINK_BATCH : STAT_BATCH;

  if (idx == NULL)
    return tool_error ("%s", strerror (errno));
  for (size_t i = first; i < t->n; ++i)
    if (!links || S_ISLNK (t->v[i].st.st_mode))
      idx[n++] = i;
  qsort_r (idx, n, sizeof *idx, compare_parent, t);
  for (size_t i = 0; i < n;) {
    size_t off = base_offset (t->v[idx[i]].path), j = i, bytes = 0;

    /* The batch: the same directory, bounded in names and bytes. */
    while (j < n && j - i < max && bytes < BATCH_BYTES &&
           base_offset (t->v[idx[j]].path) == off &&
           memcmp (t->v[idx[j]].path, t->v[idx[i]].path, off) == 0)
      bytes += strlen (t->v[idx[j++]].path + off) + 8;
    if (fill_batch (h, t, idx + i, j - i, links) == -1)
      return -1;
    i = j;
  }
  return 0;
}

/* Appends an entry for path (taken). */
static int
add_entry (struct tools_tree *t, char *path, size_t *cap)
{
  if (path == NULL)
    return tool_error ("%s", strerror (errno));
  if (t->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 256;
    struct tools_entry *v = realloc (t->v, ncap * sizeof *v);

    if (v == NULL) {
      free (path);
      return tool_error ("%s", strerror (errno));
    }
    t->v = v;
    *cap = ncap;
  }
  t->v[t->n++] = (struct tools_entry) { .path = path };
  return 0;
}

char *
tools_find0 (drydock_h *h, const char *dir, size_t *len)
{
  CLEANUP_FREE char *tmp = local_temp ();

  if (tmp == NULL)
    return NULL;
  if (drydock_find0 (h, dir, tmp) == -1) {
    unlink (tmp);
    tool_lib_error (h);
    return NULL;
  }
  return read_out (tmp, len);
}

/* The names under dir, appended after dir's own entry. */
static int
list_names (drydock_h *h, const char *dir, struct tools_tree *t, size_t *cap)
{
  size_t len;
  CLEANUP_FREE char *buf = tools_find0 (h, dir, &len);

  if (buf == NULL)
    return -1;
  for (size_t i = 0; i < len;) {
    const char *name = buf + i;
    size_t n = strnlen (name, len - i);

    if (n > 0 && add_entry (t, join (dir, name), cap) == -1)
      return -1;
    i += n + 1;
  }
  return 0;
}

static int
compare_entry (const void *key, const void *elem)
{
  return tools_path_compare (key, ((const struct tools_entry *) elem)->path);
}

/* Undoes the escapes of a name in coreutils' sum lines (\n, \\). */
static void
unescape_name (char *s)
{
  char *o = s;

  for (; *s; ++s) {
    if (s[0] == '\\' && (s[1] == 'n' || s[1] == '\\'))
      *o++ = *++s == 'n' ? '\n' : '\\';
    else
      *o++ = *s;
  }
  *o = '\0';
}

/* One line of checksums_out, "HASH  ./PATH" (or "CRC SIZE ./PATH"),
 * split in place into the checksum and the path relative to the
 * directory.  -1 if malformed. */
static int
parse_sum (char *line, int crc, char **sum, char **rel)
{
  int escaped = !crc && line[0] == '\\';
  char *p = line + escaped, *end, *name = NULL;

  if (crc) {
    end = strchr (p, ' ');
    if (end && (name = strchr (end + 1, ' ')) != NULL)
      name++;
  }
  else if ((end = strstr (p, "  ")) != NULL)
    name = end + 2;
  if (name == NULL || strncmp (name, "./", 2) != 0)
    return -1;
  *end = '\0';
  *sum = p;
  *rel = name + 2;
  if (escaped)
    unescape_name (*rel);
  return 0;
}

/* The checksum of each regular file under dir. */
static int
fill_sums (drydock_h *h, const char *dir, const char *csumtype,
           struct tools_tree *t)
{
  CLEANUP_FREE char *tmp = local_temp (), *buf = NULL;
  size_t len;
  int crc = strcmp (csumtype, "crc") == 0;

  if (tmp == NULL)
    return -1;
  if (drydock_checksums_out (h, csumtype, dir, tmp) == -1) {
    unlink (tmp);
    return tool_lib_error (h);
  }
  if ((buf = read_out (tmp, &len)) == NULL)
    return -1;
  for (char *line = buf, *nl; line < buf + len; line = nl + 1) {
    CLEANUP_FREE char *path = NULL;
    struct tools_entry *e;
    char *sum, *rel;

    nl = memchr (line, '\n', buf + len - line);
    if (nl == NULL)
      nl = buf + len;
    *nl = '\0';
    if (parse_sum (line, crc, &sum, &rel) == -1 ||
        (path = join (dir, rel)) == NULL)
      continue;
    e = bsearch (path, t->v, t->n, sizeof *t->v, compare_entry);
    if (e && e->csum == NULL && (e->csum = strdup (sum)) == NULL)
      return tool_error ("%s", strerror (errno));
  }
  return 0;
}

/* dir's own entry, with what walk gives the others. */
static int
top_entry (drydock_h *h, const char *dir, const char *csumtype,
           struct tools_tree *t, size_t *cap)
{
  struct drydock_statns *st = drydock_lstatns (h, dir);

  if (st == NULL)
    return tool_lib_error (h);
  if (add_entry (t, strdup (dir), cap) == -1) {
    drydock_free_statns (st);
    return -1;
  }
  t->v[0].st = *st;
  drydock_free_statns (st);
  if (S_ISLNK (t->v[0].st.st_mode) &&
      (t->v[0].link = drydock_readlink (h, dir)) == NULL)
    return tool_lib_error (h);
  if (csumtype && S_ISREG (t->v[0].st.st_mode) &&
      (t->v[0].csum = drydock_checksum (h, csumtype, dir)) == NULL)
    return tool_lib_error (h);
  return 0;
}

/* Drops strip from the front of every path. */
static void
strip_paths (struct tools_tree *t, const char *strip)
{
  size_t n = strlen (strip);

  for (size_t i = 0; i < t->n; ++i) {
    char *p = t->v[i].path;

    if (strncmp (p, strip, n) != 0)
      continue;
    if (p[n] == '\0')
      strcpy (p, "/");
    else if (p[n] == '/')
      memmove (p, p + n, strlen (p + n) + 1);
  }
}

/* Entries whose lstat failed (they went away, or a name the daemon
 * refuses) are dropped with a warning. */
static void
drop_unstated (struct tools_tree *t)
{
  size_t o = 0;

  for (size_t i = 0; i < t->n; ++i) {
    if (t->v[i].st.st_ino == -1) {
      tool_warning (_("%s: cannot be read, left out"), t->v[i].path);
      free (t->v[i].path);
      free (t->v[i].link);
      free (t->v[i].csum);
      continue;
    }
    t->v[o++] = t->v[i];
  }
  t->n = o;
}

int
tools_walk (drydock_h *h, const char *dir, const char *csumtype,
            const char *strip, struct tools_tree *t)
{
  size_t cap = 0;

  *t = (struct tools_tree) { NULL, 0 };
  if (top_entry (h, dir, csumtype, t, &cap) == -1)
    goto fail;
  if (S_ISDIR (t->v[0].st.st_mode) &&
      (list_names (h, dir, t, &cap) == -1 || fill (h, t, 1, 0) == -1 ||
       fill (h, t, 1, 1) == -1 ||
       (csumtype && fill_sums (h, dir, csumtype, t) == -1)))
    goto fail;
  drop_unstated (t);
  if (strip)
    strip_paths (t, strip);
  return 0;
 fail:
  tools_tree_free (t);
  return -1;
}

/* ---- printing ---- */

static int field_no;

void
tools_fields_start (void)
{
  field_no = 0;
}

void
tools_field (const struct tools_stat_format *f, const char *s)
{
  if (field_no++ > 0)
    putchar (f->csv ? ',' : ' ');
  if (f->csv)
    tools_csv_field (stdout, s);
  else
    tools_put_name (s);
}

static void
field_time (const struct tools_stat_format *f, int64_t sec)
{
  char buf[64];
  time_t t = (time_t) sec;
  struct tm tm;

  switch (f->time_mode) {
  case 1:
    snprintf (buf, sizeof buf, f->csv ? "%" PRId64 : "%10" PRId64, sec);
    break;
  case 2:
    snprintf (buf, sizeof buf, f->csv ? "%" PRId64 : "%8" PRId64,
              f->now - sec);
    break;
  case 3:
    snprintf (buf, sizeof buf, f->csv ? "%" PRId64 : "%3" PRId64,
              (f->now - sec) / 86400);
    break;
  default:
    if (localtime_r (&t, &tm) == NULL ||
        strftime (buf, sizeof buf, "%F %T", &tm) == 0)
      snprintf (buf, sizeof buf, "%" PRId64, sec);
  }
  tools_field (f, buf);
}

static void
field_dev (const struct tools_stat_format *f, int64_t dev)
{
  char buf[64];

  snprintf (buf, sizeof buf, "%u:%u", major ((dev_t) dev),
            minor ((dev_t) dev));
  tools_field (f, buf);
}

static void
field_int (const struct tools_stat_format *f, const char *fmt, int64_t v)
{
  char buf[64];

  snprintf (buf, sizeof buf, f->csv ? "%" PRId64 : fmt, v);
  tools_field (f, buf);
}

void
tools_print_entry (const struct tools_stat_format *f,
                   const struct tools_entry *e, int csum)
{
  const struct drydock_statns *st = &e->st;
  char size[64];

  tools_field (f, tools_file_type (st->st_mode));
  snprintf (size, sizeof size, "%04" PRIo64, st->st_mode & 07777);
  tools_field (f, size);
  if (f->human)
    tools_human_size ((uint64_t) st->st_size, size, sizeof size);
  else
    snprintf (size, sizeof size, "%" PRId64, st->st_size);
  if (f->csv)
    tools_field (f, size);
  else {
    char padded[80];

    snprintf (padded, sizeof padded, "%10s", size);
    tools_field (f, padded);
  }
  if (f->uids) {
    field_int (f, "%4" PRId64, st->st_uid);
    field_int (f, "%4" PRId64, st->st_gid);
  }
  if (f->times) {
    if (f->atime)
      field_time (f, st->st_atime_sec);
    field_time (f, st->st_mtime_sec);
    field_time (f, st->st_ctime_sec);
  }
  if (f->extra) {
    field_dev (f, st->st_dev);
    field_int (f, "%" PRId64, st->st_ino);
    field_int (f, "%" PRId64, st->st_nlink);
    field_dev (f, st->st_rdev);
    field_int (f, "%" PRId64, st->st_blocks);
  }
  if (csum && (e->csum || f->csv))
    tools_field (f, e->csum ? e->csum : "");
  tools_field (f, e->path);
  if (e->link) {
    if (f->csv)
      tools_field (f, e->link);
    else
      printf (" -> %s", e->link);
  }
  putchar ('\n');
}
