/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the parser of lstatns_tree's list (library/
 * tree-list.c), which a read-only FUSE mount takes in while it arrives
 * and whose directories it serves as soon as the list shows them
 * complete.  The list comes from the appliance, which is not trusted.
 * Each input is parsed three ways: fed whole, fed in pseudo-random
 * pieces (some empty, some of a byte) derived from the input, and fed
 * a byte at a time; the three must report the same records and
 * directories in the same order, and end the same way.  What is
 * reported must keep tree-list.h's promises:
 * - a record's path is its directory's joined with its name, under the
 *   top, given once; the name is not "", "." or ".." and has no "/";
 * - a directory is reported complete at most once, after every record
 *   under it (none comes after), it is the top or a record that is a
 *   directory, and its names are exactly those of the records under
 *   it, in that order;
 * - after a failure, or the end, nothing is reported.
 * A broken promise aborts, so the fuzzer reports it like a crash.
 *
 * Input: a byte of flags (bits 0-1 the top: "/", "/etc", "/a/b", "/";
 * bit 2 the list ended normally; bit 3 the rest describes a tree), a
 * byte that seeds the pieces, then either the list itself or, with
 * bit 3, a small tree: the bytes choose each directory's names and
 * their types, the tree is encoded as the appliance does, then the
 * bytes left change it (a byte set, a cut, bytes dropped).  A tree left
 * unchanged must be reported whole: every name, and, when the list
 * ended normally, every directory with its names.
 *
 * Built two ways, as fuzz-btrfs.c: with clang -fsanitize=fuzzer
 * (`make fuzz`, from the seeds the plain program writes with
 * --write-seeds), and as a plain program for make check that runs a
 * fixed number of pseudo-random inputs from a fixed seed. */

#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tree-list.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define NUMS (16 * 8)
/* A tree's bounds: its names, its depth below the top. */
#define TREE_NAMES 60
#define TREE_DEPTH 3
/* The mutations of a tree, 3 bytes each. */
#define TREE_MUTATIONS 8

static void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);

  if (p == NULL)
    abort ();
  return p;
}

static char *
xstrdup (const char *s)
{
  char *p = strdup (s);

  if (p == NULL)
    abort ();
  return p;
}

/* A growing byte buffer. */
struct bytes {
  uint8_t *p;
  size_t len, cap;
};

static void
add_bytes (struct bytes *b, const void *p, size_t n)
{
  if (b->cap - b->len < n) {
    size_t c = b->cap ? b->cap : 256;

    while (c - b->len < n)
      c *= 2;
    b->p = realloc (b->p, c);
    if (b->p == NULL)
      abort ();
    b->cap = c;
  }
  if (n)
    memcpy (b->p + b->len, p, n);
  b->len += n;
}

static void
add_string (struct bytes *b, const char *s)
{
  add_bytes (b, s, strlen (s) + 1);
}

/* What one parse reported, and what it checks as it goes. */
struct record {
  char *path, *dir, *name;
  int is_dir;
};

struct run {
  const char *top;
  int closed;                   /* failed or ended: nothing may come */
  struct bytes log;             /* every report, serialized */
  struct record *records;
  size_t n_records, records_cap;
  char **done;                  /* the directories reported complete */
  size_t n_done, done_cap;
};

static int
is_done (const struct run *r, const char *dir)
{
  for (size_t i = 0; i < r->n_done; ++i)
    if (strcmp (r->done[i], dir) == 0)
      return 1;
  return 0;
}

static void
check_name (const char *name)
{
  if (name[0] == '\0' || strcmp (name, ".") == 0 ||
      strcmp (name, "..") == 0 || strchr (name, '/'))
    abort ();
}

/* Whether dir is the top or under it. */
static int
under_top (const char *dir, const char *top)
{
  size_t n = strlen (top);

  if (strcmp (top, "/") == 0)
    return dir[0] == '/';
  return strncmp (dir, top, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

static void
on_record (void *opaque, const char *path, const char *name,
           const struct drydock_statns *sn, const char *link)
{
  struct run *r = opaque;
  const char *slash = strrchr (path, '/');
  struct record *rec;
  char *dir, *joined;
  int64_t nums[16];

  if (r->closed || slash == NULL || name != slash + 1)
    abort ();
  check_name (name);
  dir = slash == path ? xstrdup ("/") :
    strndup (path, (size_t) (slash - path));
  if (dir == NULL)
    abort ();
  if (asprintf (&joined, "%s%s%s", dir, strcmp (dir, "/") ? "/" : "",
                name) == -1)
    abort ();
  if (strcmp (joined, path) != 0 || !under_top (dir, r->top) ||
      is_done (r, dir))
    abort ();
  free (joined);
  for (size_t i = 0; i < r->n_records; ++i)
    if (strcmp (r->records[i].path, path) == 0)
      abort ();

  if (r->n_records == r->records_cap) {
    r->records_cap = r->records_cap ? 2 * r->records_cap : 16;
    r->records = realloc (r->records, r->records_cap * sizeof *r->records);
    if (r->records == NULL)
      abort ();
  }
  rec = &r->records[r->n_records++];
  rec->path = xstrdup (path);
  rec->dir = dir;
  rec->name = rec->path + (name - path);
  rec->is_dir = S_ISDIR ((mode_t) sn->st_mode);

  memcpy (nums, sn, sizeof nums);
  add_bytes (&r->log, "R", 1);
  add_string (&r->log, path);
  add_bytes (&r->log, nums, sizeof nums);
  add_string (&r->log, link);
}

static void
on_dir (void *opaque, const char *dir, char **names)
{
  struct run *r = opaque;
  size_t k = 0;
  int known = strcmp (dir, r->top) == 0;

  if (r->closed || names == NULL || is_done (r, dir))
    abort ();
  for (size_t i = 0; i < r->n_records && !known; ++i)
    known = r->records[i].is_dir && strcmp (r->records[i].path, dir) == 0;
  if (!known)
    abort ();
  /* The names are those of the records under dir, in order. */
  for (size_t i = 0; i < r->n_records; ++i) {
    if (strcmp (r->records[i].dir, dir) != 0)
      continue;
    if (names[k] == NULL || strcmp (names[k], r->records[i].name) != 0)
      abort ();
    k++;
  }
  if (names[k] != NULL)
    abort ();

  add_bytes (&r->log, "D", 1);
  add_string (&r->log, dir);
  for (k = 0; names[k]; ++k) {
    check_name (names[k]);
    if (k > 0 && strcmp (names[k - 1], names[k]) >= 0)
      abort ();
    add_string (&r->log, names[k]);
  }
  add_bytes (&r->log, "", 1);
  for (k = 0; names[k]; ++k)
    free (names[k]);
  free (names);

  if (r->n_done == r->done_cap) {
    r->done_cap = r->done_cap ? 2 * r->done_cap : 16;
    r->done = realloc (r->done, r->done_cap * sizeof *r->done);
    if (r->done == NULL)
      abort ();
  }
  r->done[r->n_done++] = xstrdup (dir);
}

static void
run_free (struct run *r)
{
  for (size_t i = 0; i < r->n_records; ++i) {
    free (r->records[i].path);
    free (r->records[i].dir);
  }
  free (r->records);
  for (size_t i = 0; i < r->n_done; ++i)
    free (r->done[i]);
  free (r->done);
  free (r->log.p);
}

/* Parses list (len bytes) under top, fed in pieces: the whole of it
 * (split 0), pieces chosen from seed (split 1), or a byte each (split
 * 2).  The result: 0, or -1 if a call failed. */
static int
parse (struct run *r, const char *top, int complete, const uint8_t *list,
       size_t len, int split, uint64_t seed)
{
  struct tree_list *t;
  size_t pos = 0;
  int result = 0;

  memset (r, 0, sizeof *r);
  r->top = top;
  t = tree_list_new (top, on_record, on_dir, r);
  if (t == NULL)
    abort ();
  while (pos < len) {
    size_t n = len - pos;

    if (split == 1) {
      uint64_t v = fuzz_next (&seed);

      switch (v % 5) {
      case 0: n = 0; break;
      case 1: n = 1; break;
      case 2: n = 1 + (v >> 8) % 16; break;
      case 3: n = 1 + (v >> 8) % 300; break;
      default: n = 1 + (v >> 8) % (len - pos); break;
      }
      if (n > len - pos)
        n = len - pos;
    }
    else if (split == 2)
      n = 1;
    if (tree_list_feed (t, list + pos, n) == -1) {
      /* Stopped: nothing more is reported, and it stays stopped. */
      r->closed = 1;
      result = -1;
      if (tree_list_feed (t, list, len) != -1)
        abort ();
      break;
    }
    pos += n;
  }
  if (tree_list_end (t, complete) == -1)
    result = -1;
  else if (result == -1)
    abort ();
  r->closed = 1;
  if (tree_list_feed (t, list, len) != -1 || tree_list_end (t, 1) != -1)
    abort ();
  tree_list_free (t);
  add_bytes (&r->log, result ? "F" : "E", 1);
  return result;
}

/* A synthetic tree, read from the bytes of the input (0 once they run
 * out). */
struct reader {
  const uint8_t *p;
  size_t len, pos;
};

static unsigned
get_byte (struct reader *rd)
{
  return rd->pos < rd->len ? rd->p[rd->pos++] : 0;
}

/* The names a directory may have, in strcmp order. */
static const char *const tree_names[8] = {
  "-", ".a", "a", "a.b", "b", "bin", "etc", "z"
};

struct node {
  char *rel;                    /* relative to the top */
  unsigned type;                /* 0 file, 1 directory, 2 symlink */
  struct node *kids[8];
  size_t n_kids;
};

static struct node *
make_node (struct reader *rd, const char *rel, unsigned type, int depth,
           size_t *count)
{
  struct node *n = xmalloc (sizeof *n);
  unsigned mask;

  n->rel = xstrdup (rel);
  n->type = type;
  n->n_kids = 0;
  if (type != 1 || depth > TREE_DEPTH)
    return n;
  mask = get_byte (rd);
  for (size_t i = 0; i < 8; ++i) {
    char *kid;
    unsigned t;

    if (!(mask & (1u << i)) || *count >= TREE_NAMES)
      continue;
    t = get_byte (rd) % 4;
    if (t == 3)
      t = 1;
    ++*count;
    if (asprintf (&kid, "%s%s%s", rel, *rel ? "/" : "", tree_names[i]) == -1)
      abort ();
    n->kids[n->n_kids++] = make_node (rd, kid, t, depth + 1, count);
    free (kid);
  }
  return n;
}

static void
free_node (struct node *n)
{
  for (size_t i = 0; i < n->n_kids; ++i)
    free_node (n->kids[i]);
  free (n->rel);
  free (n);
}

static void
put_be64 (uint8_t *p, uint64_t v)
{
  for (int i = 7; i >= 0; --i) {
    p[i] = (uint8_t) v;
    v >>= 8;
  }
}

/* The records of the names of dir, then of its subdirectories' names,
 * in order, as the appliance's listing-first walk writes them; the
 * paths of the directories (dirs) and of the records (recs) too. */
static void
encode (const struct node *dir, const char *top, struct bytes *out,
        struct bytes *dirs, struct bytes *recs)
{
  char *full;

  if (asprintf (&full, "%s%s%s", top,
                strcmp (top, "/") && *dir->rel ? "/" : "", dir->rel) == -1)
    abort ();
  add_string (dirs, full);
  free (full);
  for (size_t i = 0; i < dir->n_kids; ++i) {
    const struct node *k = dir->kids[i];
    uint8_t nums[NUMS];
    static const uint32_t modes[3] = {
      S_IFREG | 0644, S_IFDIR | 0755, S_IFLNK | 0777
    };

    if (asprintf (&full, "%s%s%s", top, strcmp (top, "/") ? "/" : "",
                  k->rel) == -1)
      abort ();
    add_string (recs, full);
    free (full);
    for (int f = 0; f < 16; ++f)
      put_be64 (nums + 8 * f, (uint64_t) (f * 1000 + i));
    put_be64 (nums + 8 * 2, modes[k->type]);
    add_string (out, k->rel);
    add_bytes (out, nums, sizeof nums);
    add_string (out, k->type == 2 ? "../target" : "");
  }
  for (size_t i = 0; i < dir->n_kids; ++i)
    if (dir->kids[i]->type == 1)
      encode (dir->kids[i], top, out, dirs, recs);
}

/* The tree the bytes describe, encoded into out, and its directories'
 * and records' paths; *rest the bytes after the description. */
static void
tree_list_of (const uint8_t *data, size_t size, const char *top,
              struct bytes *out, struct bytes *dirs, struct bytes *recs,
              size_t *rest)
{
  struct reader rd = { data, size, 0 };
  size_t count = 0;
  struct node *root = make_node (&rd, "", 1, 0, &count);

  encode (root, top, out, dirs, recs);
  free_node (root);
  *rest = rd.pos;
}

/* Whether the paths of the records (or, with dirs, the directories
 * reported) are, in order, the strings of b (each with its NUL), or
 * with prefix the first ones. */
static int
same_paths (const struct bytes *b, const struct run *r, int dirs,
            int prefix)
{
  size_t at = 0, n = dirs ? r->n_done : r->n_records;

  for (size_t i = 0; i < n; ++i) {
    const char *want = dirs ? r->done[i] : r->records[i].path;
    size_t k = strlen (want) + 1;

    if (at + k > b->len || memcmp (b->p + at, want, k) != 0)
      return 0;
    at += k;
  }
  return prefix || at == b->len;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const tops[4] = { "/", "/etc", "/a/b", "/" };
  struct bytes list = { 0 }, dirs = { 0 }, recs = { 0 };
  const char *top;
  int complete, structured, mutated = 0, result;
  uint64_t seed = 0xcbf29ce484222325ULL;
  struct run whole, pieces, bytes;

  if (size < 2)
    return 0;
  top = tops[data[0] & 3];
  complete = (data[0] >> 2) & 1;
  structured = (data[0] >> 3) & 1;
  for (size_t i = 0; i < size; ++i)
    seed = (seed ^ data[i]) * 0x100000001b3ULL;
  seed ^= (uint64_t) data[1] << 32;
  if (seed == 0)
    seed = 1;

  if (!structured)
    add_bytes (&list, data + 2, size - 2);
  else {
    size_t rest;

    tree_list_of (data + 2, size - 2, top, &list, &dirs, &recs, &rest);
    for (size_t m = 0; m < TREE_MUTATIONS && rest + 3 <= size - 2;
         ++m, rest += 3) {
      const uint8_t *op = data + 2 + rest;
      size_t at;

      if (list.len == 0)
        break;
      at = ((size_t) op[1] << 8 | op[2]) % list.len;
      mutated = 1;
      switch (op[0] % 4) {
      case 0: list.p[at] = op[0] >> 2; break;
      case 1: list.p[at] = op[0] & 4 ? '/' : '\0'; break;
      case 2: list.len = at; break;
      case 3:
        {
          size_t n = 1 + (op[0] >> 2) % 8;

          if (n > list.len - at)
            n = list.len - at;
          memmove (list.p + at, list.p + at + n, list.len - at - n);
          list.len -= n;
        }
        break;
      }
    }
  }

  result = parse (&whole, top, complete, list.p, list.len, 0, seed);
  if (parse (&pieces, top, complete, list.p, list.len, 1, seed) != result ||
      pieces.log.len != whole.log.len ||
      memcmp (pieces.log.p, whole.log.p, whole.log.len) != 0)
    abort ();
  if (list.len <= 4096 &&
      (parse (&bytes, top, complete, list.p, list.len, 2, seed) != result ||
       bytes.log.len != whole.log.len ||
       memcmp (bytes.log.p, whole.log.p, whole.log.len) != 0))
    abort ();

  /* A tree as the appliance lists it is taken whole. */
  if (structured && !mutated &&
      (result != 0 || !same_paths (&recs, &whole, 0, 0) ||
       !same_paths (&dirs, &whole, 1, !complete)))
    abort ();

  run_free (&whole);
  run_free (&pieces);
  if (list.len <= 4096)
    run_free (&bytes);
  free (list.p);
  free (dirs.p);
  free (recs.p);
  return 0;
}

#ifndef FUZZING_ENGINE
/* An input of a kind chosen from seed, into b. */
static void
make_input (uint64_t *seed, struct bytes *b)
{
  uint64_t v = fuzz_next (seed);
  size_t n;

  b->len = 0;
  add_bytes (b, (uint8_t[2]) { (uint8_t) v, (uint8_t) (v >> 8) }, 2);
  switch ((v >> 16) % 8) {
  case 0:
    /* Random bytes, a list or not. */
    b->p[0] &= ~8;
    n = (v >> 24) % 512;
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = (uint8_t) fuzz_next (seed);

      add_bytes (b, &c, 1);
    }
    break;
  case 1:
    {
      /* A valid list, then bytes changed in it, as a list. */
      struct bytes list = { 0 }, dirs = { 0 }, recs = { 0 };
      uint8_t desc[64];
      size_t rest;

      for (size_t i = 0; i < sizeof desc; ++i)
        desc[i] = (uint8_t) fuzz_next (seed);
      b->p[0] &= ~8;
      tree_list_of (desc, sizeof desc, "/", &list, &dirs, &recs, &rest);
      for (int k = (int) (fuzz_next (seed) % 4); k > 0 && list.len; --k) {
        uint64_t w = fuzz_next (seed);

        list.p[(w >> 8) % list.len] = w % 2 ? (uint8_t) (w >> 40) :
          (uint8_t) "\0/.\xff\x04\x40"[(w >> 40) % 6];
      }
      add_bytes (b, list.p, list.len);
      free (list.p);
      free (dirs.p);
      free (recs.p);
    }
    break;
  default:
    /* A tree, mutated or not. */
    b->p[0] |= 8;
    n = 8 + (v >> 24) % 48;
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = (uint8_t) fuzz_next (seed);

      add_bytes (b, &c, 1);
    }
    if ((v >> 40) % 2 == 0)
      for (size_t i = 0; i < 3 * (1 + (v >> 48) % 4); ++i) {
        uint8_t c = (uint8_t) fuzz_next (seed);

        add_bytes (b, &c, 1);
      }
    break;
  }
}

static int
write_seeds (const char *dir)
{
  uint64_t seed = 0x51ed270b1a2c3d4fULL;
  struct bytes b = { 0 };
  char path[4096];
  FILE *fp;

  for (int i = 0; i < 64; ++i) {
    make_input (&seed, &b);
    snprintf (path, sizeof path, "%s/seed-%d", dir, i);
    fp = fopen (path, "w");
    if (fp == NULL || fwrite (b.p, 1, b.len, fp) != b.len ||
        fclose (fp) != 0) {
      perror (path);
      free (b.p);
      return 1;
    }
  }
  free (b.p);
  return 0;
}

/* A list written by hand: /etc with hosts, a directory ssh holding a
 * link, and an empty directory x, whole. */
static int
check_known (void)
{
  static const char *const want[] = {
    "R/etc/hosts", "R/etc/ssh", "R/etc/x", "D/etc", "R/etc/ssh/key",
    "D/etc/ssh", "D/etc/x"
  };
  struct bytes list = { 0 };
  struct run r;
  uint8_t nums[NUMS] = { 0 };
  const char *rels[4] = { "hosts", "ssh", "x", "ssh/key" };
  const uint32_t modes[4] = {
    S_IFREG | 0644, S_IFDIR | 0755, S_IFDIR | 0700, S_IFLNK | 0777
  };
  size_t at = 0, k = 0;
  int ok;

  for (int i = 0; i < 4; ++i) {
    put_be64 (nums + 16, modes[i]);
    add_string (&list, rels[i]);
    add_bytes (&list, nums, sizeof nums);
    add_string (&list, i == 3 ? "/k" : "");
  }
  ok = parse (&r, "/etc", 1, list.p, list.len, 0, 1) == 0;
  /* The log: each report's letter and path, then what else it holds. */
  while (ok && k < 7 && at < r.log.len) {
    const char *s = (const char *) r.log.p + at;
    size_t n = strlen (s);

    ok = s[0] == want[k][0] && strcmp (s + 1, want[k] + 1) == 0;
    at += n + 1;
    if (s[0] == 'R')
      at += NUMS + strlen ((const char *) r.log.p + at + NUMS) + 1;
    else
      while (at < r.log.len && r.log.p[at])
        at += strlen ((const char *) r.log.p + at) + 1;
    at += s[0] == 'D';
    k++;
  }
  ok = ok && k == 7 && at + 1 == r.log.len && r.log.p[at] == 'E';
  run_free (&r);
  free (list.p);
  return ok;
}

int
main (int argc, char *argv[])
{
  uint64_t seed = 0x2545f4914f6cdd1dULL;
  long iterations = 20000;
  struct bytes b = { 0 };

  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0)
    return write_seeds (argv[2]);
  if (argc > 1)
    iterations = atol (argv[1]);
  if (!check_known ()) {
    fprintf (stderr, "fuzz-tree: the valid list was not read right\n");
    return 1;
  }
  for (long i = 0; i < iterations; ++i) {
    make_input (&seed, &b);
    LLVMFuzzerTestOneInput (b.p, b.len);
  }
  free (b.p);
  printf ("fuzz-tree: %ld inputs\n", iterations);
  return 0;
}
#endif
