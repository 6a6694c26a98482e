/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* untar: drydock's own unpacker for the tar streams copy_out receives.
 *
 * The stream is made in the appliance from a guest's files, so its
 * names, link targets and even its framing are hostile input (a guest
 * filesystem crafted to subvert the appliance kernel could have the
 * daemon send anything).  A host tar would resolve each member's path
 * itself, through symbolic links an earlier member (or an earlier copy)
 * left there; this one never does:
 *
 *  - a member's name is split into components; an absolute name or a
 *    ".." component is refused, "." and empty ones are dropped;
 *  - the directory a member goes in is reached from the root one
 *    component at a time with O_NOFOLLOW | O_DIRECTORY, so a symbolic
 *    link on the way is refused, never followed; the member itself is
 *    then created with the *at calls relative to that directory, with
 *    O_EXCL | O_NOFOLLOW for files, after unlinking what is in the way
 *    (never writing through it);
 *  - hard links are made from a source reached the same way;
 *  - symbolic links are created with their targets as data;
 *  - device nodes are skipped (a warning), the set-user-ID and
 *    set-group-ID bits dropped, owners ignored.
 *
 * Formats: ustar and GNU tar (long names 'L' and 'K', base-256 numbers,
 * sparse files 'S', whose holes are recreated as holes) and the path,
 * linkpath, size and mtime records of pax headers; every header's
 * checksum is checked, every number and name length bounded, a sparse
 * map's extents checked to be in order, apart and inside the file. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "untar.h"
#include "vector.h"

#define BLOCK 512
/* Longest member name or link target accepted (Linux's PATH_MAX). */
#define NAME_LIMIT 4096
/* Largest pax extended header read. */
#define PAX_LIMIT (1024 * 1024)
/* File data moves through a buffer of this size. */
#define DATA_BUF (64 * 1024)
/* Warnings kept; the rest are counted. */
#define WARNINGS_MAX 20
/* Most extents in one sparse member's map (16 bytes each). */
#define SPARSE_LIMIT (1024 * 1024)

/* A directory whose mode and time are set once its content is in. */
struct dir_fix {
  char *path;                   /* relative to the root, "" for the root */
  mode_t mode;
  int64_t mtime;
};
DEFINE_VECTOR_TYPE (dir_fix_vector, struct dir_fix);

/* One extent of a sparse member: numbytes of data at offset; between
 * and after the extents, holes. */
struct extent {
  int64_t offset, numbytes;
};
DEFINE_VECTOR_TYPE (extent_vector, struct extent);

/* One member's header, with the long names and pax records applied. */
struct member {
  char type;
  char *name;                   /* as in the archive */
  char *link;                   /* link target, or NULL */
  mode_t mode;
  int64_t size;                 /* bytes of data in the archive */
  int64_t mtime;
  int sparse;                   /* 'S': u->map places the data */
  int64_t realsize;             /* the file's size, holes included */
};

struct untar {
  int in;
  int root;
  int set_root_mode;
  struct untar_result *res;
  unsigned long skipped_warnings;
  /* Set by 'L', 'K' and 'x' for the next member only. */
  char *next_name, *next_link;
  int has_next_size, has_next_mtime;
  int64_t next_size, next_mtime;
  /* The directory the last member went in, reused by the next one. */
  char *cache_path;
  int cache_fd;
  dir_fix_vector dirs;
  extent_vector map;            /* the sparse map of the member being read */
  char *buf;                    /* DATA_BUF bytes */
};

/* Messages. */

/* A guest name as it may appear in a message: control bytes replaced,
 * cut at 256 bytes.  Returns buf. */
static const char *
printable (const char *s, char *buf, size_t n)
{
  size_t i = 0;

  for (; s && *s && i + 4 < n && i < 256; ++s)
    buf[i++] = ((unsigned char) *s < 0x20 || *s == 0x7f) ? '?' : *s;
  if (s && *s)
    buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
  buf[i] = '\0';
  return buf;
}

/* Records the first error ("NAME: reason"); later ones are dropped.
 * Returns -1. */
static int __attribute__((format (printf, 4, 5)))
fail (struct untar *u, int err, const char *name, const char *fs, ...)
{
  char pname[300];
  CLEANUP_FREE char *msg = NULL;
  va_list ap;
  int r;

  if (u->res->error)
    return -1;
  va_start (ap, fs);
  r = vasprintf (&msg, fs, ap);
  va_end (ap);
  if (r == -1)
    msg = NULL;
  if (name == NULL)
    r = asprintf (&u->res->error, "%s", msg ? msg : "out of memory");
  else
    r = asprintf (&u->res->error, "%s: %s",
                  printable (name, pname, sizeof pname),
                  msg ? msg : "out of memory");
  if (r == -1)
    u->res->error = NULL;
  u->res->error_errno = err;
  return -1;
}

static int
fail_errno (struct untar *u, const char *name, const char *what)
{
  int e = errno;

  return fail (u, e, name, "%s: %s", what, strerror (e));
}

static void
warn (struct untar *u, const char *name, const char *what)
{
  char pname[300];

  if (u->res->warnings.len >= WARNINGS_MAX) {
    u->skipped_warnings++;
    return;
  }
  strlist_addf (&u->res->warnings, "%s: %s",
                printable (name, pname, sizeof pname), what);
}

/* Reading the stream. */

/* Reads one block.  1, 0 at the end of the stream, -1 on error. */
static int
read_block (struct untar *u, char *block)
{
  ssize_t n = read_all (u->in, block, BLOCK);

  if (n == -1)
    return fail_errno (u, NULL, "reading the archive");
  if (n == 0)
    return 0;
  if (n < BLOCK)
    return fail (u, EPROTO, NULL, "the archive ends in the middle of a "
                 "block");
  return 1;
}

/* Reads size bytes of member data (and the padding after them),
 * passing each piece to cb unless it is NULL.  0, or -1 (error set). */
static int
read_data (struct untar *u, const char *name, int64_t size,
           int (*cb) (struct untar *u, const char *p, size_t n, void *opaque),
           void *opaque)
{
  int64_t left = size, padded = (size + BLOCK - 1) / BLOCK * BLOCK;

  while (padded > 0) {
    size_t want = padded < DATA_BUF ? (size_t) padded : DATA_BUF;
    ssize_t n = read_all (u->in, u->buf, want);
    size_t use;

    if (n == -1)
      return fail_errno (u, NULL, "reading the archive");
    if ((size_t) n < want)
      return fail (u, EPROTO, name, "the archive ends in the middle of "
                   "this member");
    padded -= n;
    use = left < n ? (size_t) left : (size_t) n;
    left -= (int64_t) use;
    if (cb && use > 0 && cb (u, u->buf, use, opaque) == -1)
      return -1;
  }
  return 0;
}

struct text {
  char *p;
  size_t len, max;
};

static int
append_text (struct untar *u, const char *p, size_t n, void *opaque)
{
  struct text *t = opaque;

  (void) u;
  memcpy (t->p + t->len, p, n);
  t->len += n;
  return 0;
}

/* The data of a member read whole (long names, pax headers), at most
 * max bytes, NUL-terminated; caller frees.  NULL (error set). */
static char *
read_text (struct untar *u, const char *what, int64_t size, size_t max)
{
  struct text t = { NULL, 0, max };

  if (size < 0 || (uint64_t) size > max) {
    fail (u, ENAMETOOLONG, NULL, "%s of %lld bytes: more than %zu", what,
          (long long) size, max);
    return NULL;
  }
  t.p = malloc ((size_t) size + 1);
  if (t.p == NULL) {
    fail_errno (u, NULL, what);
    return NULL;
  }
  if (read_data (u, what, size, append_text, &t) == -1) {
    free (t.p);
    return NULL;
  }
  t.p[t.len] = '\0';
  return t.p;
}

/* Headers. */

/* A numeric field: octal digits (blanks or NULs around them), or
 * base-256 when its first byte has the top bit set (GNU).  0, or -1 if
 * it is malformed or does not fit in int64_t. */
static int
parse_number (const char *f, size_t len, int64_t *v)
{
  const unsigned char *p = (const unsigned char *) f;
  size_t i = 0;
  int64_t acc = 0;

  if (p[0] & 0x80) {
    /* Two's complement, big-endian, over the field less the top bit of
     * its first byte, which only marks the encoding. */
    acc = (p[0] & 0x40) ? -1 : 0;
    acc = acc * 64 + (p[0] & 0x3f);
    for (i = 1; i < len; ++i) {
      if (acc > INT64_MAX / 256 || acc < INT64_MIN / 256)
        return -1;
      acc = acc * 256 + p[i];
    }
    *v = acc;
    return 0;
  }
  while (i < len && (p[i] == ' ' || p[i] == '\0'))
    i++;
  if (i == len) {
    *v = 0;
    return 0;
  }
  for (; i < len && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (acc > (INT64_MAX >> 3))
      return -1;
    acc = acc * 8 + (p[i] - '0');
  }
  for (; i < len; ++i)
    if (p[i] != ' ' && p[i] != '\0')
      return -1;
  *v = acc;
  return 0;
}

/* 1 if the header's checksum matches (computed unsigned, as POSIX says,
 * or signed, as some old tars did). */
static int
checksum_ok (const char *h)
{
  int64_t want;
  long su = 0, ss = 0;

  if (parse_number (h + 148, 8, &want) == -1)
    return 0;
  for (size_t i = 0; i < BLOCK; ++i) {
    int in_field = i >= 148 && i < 156;

    su += in_field ? ' ' : (unsigned char) h[i];
    ss += in_field ? ' ' : (signed char) h[i];
  }
  return want == su || want == ss;
}

static int
all_zero (const char *h)
{
  for (size_t i = 0; i < BLOCK; ++i)
    if (h[i])
      return 0;
  return 1;
}

/* A fixed-size name field as a string; caller frees. */
static char *
field_string (const char *f, size_t len)
{
  return strndup (f, strnlen (f, len));
}

/* Reads the pax records of an 'x' header ("LEN key=value\n" each) into
 * the next member's overrides.  0, or -1 (error set). */
static int
parse_pax (struct untar *u, int64_t size)
{
  CLEANUP_FREE char *text = read_text (u, "a pax header", size, PAX_LIMIT);
  size_t len = (size_t) size, pos = 0;

  if (text == NULL)
    return -1;
  while (pos < len) {
    char *rec = text + pos, *end, *key, *eq, *value;
    unsigned long n;
    size_t vlen;

    errno = 0;
    n = strtoul (rec, &end, 10);
    if (errno || end == rec || *end != ' ' || n == 0 || n > len - pos ||
        text[pos + n - 1] != '\n')
      return fail (u, EPROTO, NULL, "a malformed pax header record");
    key = end + 1;
    eq = memchr (key, '=', (size_t) (text + pos + n - 1 - key));
    if (eq == NULL)
      return fail (u, EPROTO, NULL, "a malformed pax header record");
    value = eq + 1;
    vlen = (size_t) (text + pos + n - 1 - value);
    *eq = '\0';
    text[pos + n - 1] = '\0';
    if (strlen (value) != vlen)
      return fail (u, EPROTO, NULL, "a pax header record holds a NUL byte");
    if (strcmp (key, "path") == 0 || strcmp (key, "linkpath") == 0) {
      char **dst = key[0] == 'p' ? &u->next_name : &u->next_link;

      if (vlen > NAME_LIMIT)
        return fail (u, ENAMETOOLONG, NULL, "a pax %s longer than %d bytes",
                     key, NAME_LIMIT);
      free (*dst);
      *dst = strdup (value);
      if (*dst == NULL)
        return fail_errno (u, NULL, "pax header");
    }
    else if (strcmp (key, "size") == 0 || strcmp (key, "mtime") == 0) {
      int64_t *dst = key[0] == 's' ? &u->next_size : &u->next_mtime;
      long long v;

      errno = 0;
      v = strtoll (value, &end, 10);
      /* mtime may have a fraction; it is dropped. */
      if (errno || end == value || (*end && !(key[0] == 'm' && *end == '.')) ||
          (key[0] == 's' && v < 0))
        return fail (u, EPROTO, NULL, "a pax %s that is not a number", key);
      *dst = v;
      if (key[0] == 's')
        u->has_next_size = 1;
      else
        u->has_next_mtime = 1;
    }
    pos += n;
  }
  return 0;
}

/* Appends the sparse map entries of fields (count of them, 24 bytes
 * each: offset and size, 12 each) to u->map; an entry whose offset is
 * empty ends the map.  0, or -1 (error set). */
static int
add_extents (struct untar *u, const char *fields, size_t count)
{
  for (size_t i = 0; i < count; ++i) {
    const char *f = fields + 24 * i;
    struct extent e;

    if (f[0] == '\0')
      break;
    if (parse_number (f, 12, &e.offset) == -1 ||
        parse_number (f + 12, 12, &e.numbytes) == -1 ||
        e.offset < 0 || e.numbytes < 0)
      return fail (u, EPROTO, NULL, "a sparse map with a malformed extent");
    if (u->map.len >= SPARSE_LIMIT)
      return fail (u, E2BIG, NULL, "a sparse map of more than %d extents",
                   SPARSE_LIMIT);
    if (extent_vector_append (&u->map, e) == -1)
      return fail_errno (u, NULL, "a sparse map");
  }
  return 0;
}

/* Reads the sparse map of a GNU 'S' header h (four extents in it, then
 * 21 in each extension block while the "extended" byte is set) into
 * u->map and the file's real size; checks that the extents are in
 * order, do not overlap, end inside the file and hold all of the
 * member's data.  0, or -1 (error set). */
static int
read_sparse_map (struct untar *u, const char *h, struct member *m)
{
  char ext[BLOCK];
  int extended = h[482] != 0;
  int64_t end = 0, data = 0;

  u->map.len = 0;
  if (parse_number (h + 483, 12, &m->realsize) == -1 || m->realsize < 0)
    return fail (u, EPROTO, m->name, "a sparse member with a malformed size");
  if (add_extents (u, h + 386, 4) == -1)
    return -1;
  while (extended) {
    int r = read_block (u, ext);

    if (r == 0)
      return fail (u, EPROTO, m->name, "the archive ends in this member's "
                   "sparse map");
    if (r == -1 || add_extents (u, ext, 21) == -1)
      return -1;
    extended = ext[504] != 0;
  }
  for (size_t i = 0; i < u->map.len; ++i) {
    const struct extent *e = &u->map.ptr[i];

    if (e->offset < end || e->numbytes > m->realsize - e->offset ||
        e->offset > m->realsize)
      return fail (u, EPROTO, m->name, "a sparse map whose extents overlap "
                   "or pass the end of the file");
    end = e->offset + e->numbytes;
    data += e->numbytes;
  }
  if (data != m->size)
    return fail (u, EPROTO, m->name, "a sparse map that does not add up to "
                 "the member's data");
  m->sparse = 1;
  return 0;
}

/* Fills m from header h and the pending overrides (which it takes).
 * 0, or -1 (error set). */
static int
parse_header (struct untar *u, const char *h, struct member *m)
{
  int64_t mode;
  int ustar = memcmp (h + 257, "ustar", 6) == 0;   /* POSIX: with prefix */

  memset (m, 0, sizeof *m);
  m->type = h[156];
  if (parse_number (h + 100, 8, &mode) == -1 ||
      parse_number (h + 124, 12, &m->size) == -1 ||
      parse_number (h + 136, 12, &m->mtime) == -1 || m->size < 0)
    return fail (u, EPROTO, NULL, "a member header with a malformed number");
  m->mode = (mode_t) (mode & 07777);
  if (u->next_name)
    m->name = TAKE_PTR (u->next_name);
  else if (ustar && h[345]) {
    CLEANUP_FREE char *prefix = field_string (h + 345, 155);
    CLEANUP_FREE char *name = field_string (h, 100);

    if (prefix && name && asprintf (&m->name, "%s/%s", prefix, name) == -1)
      m->name = NULL;
  }
  else
    m->name = field_string (h, 100);
  if (u->next_link)
    m->link = TAKE_PTR (u->next_link);
  else if (h[157])
    m->link = field_string (h + 157, 100);
  if (u->has_next_size)
    m->size = u->next_size;
  if (u->has_next_mtime)
    m->mtime = u->next_mtime;
  u->has_next_size = u->has_next_mtime = 0;
  if (m->name == NULL || (h[157] && m->link == NULL))
    return fail_errno (u, NULL, "member header");
  return 0;
}

static void
member_free (struct member *m)
{
  free (m->name);
  free (m->link);
}

/* Names and directories. */

/* The member name made relative and plain: "./a//b/" is "a/b", the top
 * is "".  Returns a new string, or NULL (error set) for an absolute
 * name, a ".." component, a component longer than NAME_MAX. */
static char *
clean_name (struct untar *u, const char *name)
{
  CLEANUP_FREE char *copy = strdup (name);
  char *out, *w, *save = NULL;

  if (copy == NULL || (out = malloc (strlen (name) + 1)) == NULL) {
    fail_errno (u, name, "name");
    return NULL;
  }
  if (name[0] == '/') {
    fail (u, EPERM, name, "refused: an absolute name");
    free (out);
    return NULL;
  }
  if (strlen (name) > NAME_LIMIT) {
    fail (u, ENAMETOOLONG, name, "refused: a name longer than %d bytes",
          NAME_LIMIT);
    free (out);
    return NULL;
  }
  w = out;
  for (char *c = strtok_r (copy, "/", &save); c;
       c = strtok_r (NULL, "/", &save)) {
    if (strcmp (c, ".") == 0)
      continue;
    if (strcmp (c, "..") == 0 || strlen (c) > NAME_MAX) {
      fail (u, strcmp (c, "..") == 0 ? EPERM : ENAMETOOLONG, name,
            strcmp (c, "..") == 0 ? "refused: a \"..\" component"
                                  : "refused: a component longer than %d "
                                    "bytes", NAME_MAX);
      free (out);
      return NULL;
    }
    if (w > out)
      *w++ = '/';
    strcpy (w, c);
    w += strlen (c);
  }
  *w = '\0';
  return out;
}

/* Opens the directory path (relative, clean) under the root, one
 * component at a time, never following a symbolic link; missing
 * directories are created.  Returns an O_PATH fd the caller closes, or
 * -1 (error set, naming member).  With member NULL nothing is created
 * and no error is set. */
static int
walk_dirs (struct untar *u, const char *path, const char *member)
{
  CLEANUP_FREE char *copy = strdup (path);
  char *save = NULL;
  int fd = openat (u->root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (copy == NULL || fd == -1) {
    if (fd >= 0)
      close (fd);
    return member ? fail_errno (u, member, "opening the target directory")
                  : -1;
  }
  for (char *c = strtok_r (copy, "/", &save); c;
       c = strtok_r (NULL, "/", &save)) {
    int next = openat (fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (next == -1 && errno == ENOENT && member) {
      if (mkdirat (fd, c, 0755) == -1 && errno != EEXIST) {
        close (fd);
        return fail_errno (u, member, "creating its directory");
      }
      next = openat (fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    close (fd);
    if (next == -1 && member == NULL)
      return -1;
    if (next == -1) {
      if (errno == ENOTDIR || errno == ELOOP)
        return fail (u, ENOTDIR, member, "refused: \"%s\" on its way is not "
                     "a directory (a symbolic link is never followed)", c);
      return fail_errno (u, member, "opening its directory");
    }
    fd = next;
  }
  return fd;
}

/* The directory a member named clean (non-empty) goes in, as an fd the
 * caller closes, and its last component in *leaf (pointing into
 * clean).  -1 (error set, naming member). */
static int
open_parent (struct untar *u, char *clean, const char *member,
             const char **leaf)
{
  char *slash = strrchr (clean, '/');
  const char *dir = "";
  int fd;

  *leaf = slash ? slash + 1 : clean;
  if (slash) {
    *slash = '\0';
    dir = clean;
  }
  if (u->cache_path && strcmp (u->cache_path, dir) == 0)
    fd = dup (u->cache_fd);
  else {
    fd = walk_dirs (u, dir, member);
    if (fd >= 0) {
      free (u->cache_path);
      if (u->cache_fd >= 0)
        close (u->cache_fd);
      u->cache_path = strdup (dir);
      u->cache_fd = u->cache_path ? dup (fd) : -1;
    }
  }
  if (slash)
    *slash = '/';
  if (fd == -1 && !u->res->error)
    fail_errno (u, member, "opening its directory");
  return fd;
}

static void
forget_cache (struct untar *u)
{
  free (u->cache_path);
  u->cache_path = NULL;
  if (u->cache_fd >= 0)
    close (u->cache_fd);
  u->cache_fd = -1;
}

/* Removes what is at leaf so a new member can take its place: a file,
 * a symbolic link (itself, never its target) or an empty directory.
 * 0, or -1 (error set). */
static int
clear_way (struct untar *u, int dir, const char *leaf, const char *member)
{
  if (unlinkat (dir, leaf, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno == EISDIR || errno == EPERM) {
    if (unlinkat (dir, leaf, AT_REMOVEDIR) == 0) {
      forget_cache (u);
      return 0;
    }
    if (errno == ENOTEMPTY || errno == EEXIST)
      return fail (u, EEXIST, member, "a directory that is not empty is in "
                   "the way");
  }
  return fail_errno (u, member, "removing what is in the way");
}

static void
set_time_at (int dir, const char *leaf, int64_t mtime)
{
  struct timespec ts[2] = {
    { .tv_sec = 0, .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t) mtime },
  };

  utimensat (dir, leaf, ts, AT_SYMLINK_NOFOLLOW);
}

/* Members. */

struct file_out {
  int fd;
  const char *name;
  const struct extent_vector *map; /* sparse: where the data goes */
  size_t extent;                /* the extent being filled */
  int64_t done;                 /* bytes of it filled */
};

static int
write_piece (struct untar *u, const char *p, size_t n, void *opaque)
{
  struct file_out *f = opaque;

  if (f->map == NULL) {
    if (write_all (f->fd, p, n) == -1)
      return fail_errno (u, f->name, "writing");
    return 0;
  }
  /* The data of a sparse member is its extents' one after the other;
   * what is between them is never written, so stays a hole. */
  while (n > 0) {
    const struct extent *e;
    size_t k;

    while (f->extent < f->map->len &&
           f->done == f->map->ptr[f->extent].numbytes) {
      f->extent++;
      f->done = 0;
    }
    if (f->extent == f->map->len)   /* cannot be: the sizes were checked */
      return fail (u, EPROTO, f->name, "more data than its sparse map");
    e = &f->map->ptr[f->extent];
    k = e->numbytes - f->done < (int64_t) n ? (size_t) (e->numbytes - f->done)
                                            : n;
    if (lseek (f->fd, (off_t) (e->offset + f->done), SEEK_SET) == -1 ||
        write_all (f->fd, p, k) == -1)
      return fail_errno (u, f->name, "writing");
    f->done += (int64_t) k;
    p += k;
    n -= k;
  }
  return 0;
}

static int
make_file (struct untar *u, int dir, const char *leaf, struct member *m)
{
  struct file_out f = { -1, m->name, m->sparse ? &u->map : NULL, 0, 0 };
  struct timespec ts[2] = {
    { .tv_sec = 0, .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t) m->mtime },
  };
  int r;

  if (clear_way (u, dir, leaf, m->name) == -1)
    return -1;
  f.fd = openat (dir, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                 O_CLOEXEC, 0600);
  if (f.fd == -1)
    return fail_errno (u, m->name, "creating");
  r = read_data (u, m->name, m->size, write_piece, &f);
  /* A hole at the end is the size still to set. */
  if (r == 0 && m->sparse && ftruncate (f.fd, (off_t) m->realsize) == -1)
    r = fail_errno (u, m->name, "writing");
  if (r == 0) {
    fchmod (f.fd, m->mode & 0777);
    futimens (f.fd, ts);
  }
  if (close (f.fd) == -1 && r == 0)
    return fail_errno (u, m->name, "writing");
  return r;
}

static int
make_dir (struct untar *u, int dir, const char *leaf, const char *clean,
          struct member *m)
{
  struct stat st;
  struct dir_fix fix = { NULL, m->mode & 01777, m->mtime };

  if (mkdirat (dir, leaf, 0700) == -1) {
    if (errno != EEXIST)
      return fail_errno (u, m->name, "creating");
    if (fstatat (dir, leaf, &st, AT_SYMLINK_NOFOLLOW) == -1)
      return fail_errno (u, m->name, "creating");
    if (!S_ISDIR (st.st_mode)) {
      if (clear_way (u, dir, leaf, m->name) == -1)
        return -1;
      if (mkdirat (dir, leaf, 0700) == -1)
        return fail_errno (u, m->name, "creating");
    }
  }
  fix.path = strdup (clean);
  if (fix.path == NULL || dir_fix_vector_append (&u->dirs, fix) == -1) {
    free (fix.path);
    return fail_errno (u, m->name, "creating");
  }
  return 0;
}

static int
make_link (struct untar *u, int dir, const char *leaf, const char *clean,
           struct member *m)
{
  CLEANUP_FREE char *src = clean_name (u, m->link ? m->link : "");
  const char *src_leaf;
  CLEANUP_CLOSE int src_dir = -1;

  if (src == NULL)
    return -1;
  if (*src == '\0')
    return fail (u, EPERM, m->name, "refused: a hard link to the top");
  if (strcmp (src, clean) == 0)
    return 0;
  src_dir = open_parent (u, src, m->link, &src_leaf);
  if (src_dir == -1)
    return -1;
  if (clear_way (u, dir, leaf, m->name) == -1)
    return -1;
  if (linkat (src_dir, src_leaf, dir, leaf, 0) == -1)
    return fail_errno (u, m->name, "making the hard link");
  return 0;
}

static int
make_symlink (struct untar *u, int dir, const char *leaf, struct member *m)
{
  if (m->link == NULL || *m->link == '\0')
    return fail (u, EPROTO, m->name, "a symbolic link without a target");
  if (strlen (m->link) > NAME_LIMIT)
    return fail (u, ENAMETOOLONG, m->name, "a link target longer than %d "
                 "bytes", NAME_LIMIT);
  if (clear_way (u, dir, leaf, m->name) == -1)
    return -1;
  if (symlinkat (m->link, dir, leaf) == -1)
    return fail_errno (u, m->name, "making the symbolic link");
  set_time_at (dir, leaf, m->mtime);
  return 0;
}

static int
make_fifo (struct untar *u, int dir, const char *leaf, struct member *m)
{
  if (clear_way (u, dir, leaf, m->name) == -1)
    return -1;
  if (mkfifoat (dir, leaf, 0600) == -1)
    return fail_errno (u, m->name, "making the FIFO");
  /* Not opened (that would block); it is ours, just made. */
  fchmodat (dir, leaf, m->mode & 0777, 0);
  set_time_at (dir, leaf, m->mtime);
  return 0;
}

/* The archive's entry for its top directory: root's mode and time, set
 * at the end with the others. */
static int
fix_root_later (struct untar *u, struct member *m)
{
  struct dir_fix fix = { strdup (""), m->mode & 01777, m->mtime };

  if (fix.path == NULL || dir_fix_vector_append (&u->dirs, fix) == -1) {
    free (fix.path);
    return fail_errno (u, m->name, "the top directory");
  }
  return 0;
}

/* Creates one member whose header was read; its data, if any, is read
 * here.  0, or -1 (error set). */
static int
extract (struct untar *u, struct member *m)
{
  CLEANUP_FREE char *clean = clean_name (u, m->name);
  CLEANUP_CLOSE int dir = -1;
  const char *leaf;
  int regular = m->type == '0' || m->type == '\0' || m->type == '7' ||
    m->type == 'S';
  int r;

  if (clean == NULL)
    return -1;
  if (*clean == '\0') {
    /* The top itself ("./"): only a directory makes sense there. */
    if (m->type != '5')
      return fail (u, EPERM, m->name, "refused: names the top directory");
    if (u->set_root_mode)
      return fix_root_later (u, m);
    return 0;
  }
  if (!regular && !strchr ("1256", m->type) && m->type != '3' &&
      m->type != '4')
    return fail (u, EPROTO, m->name, "unsupported member type '%c'",
                 m->type >= 0x20 && m->type < 0x7f ? m->type : '?');
  if (m->type == '3' || m->type == '4') {
    warn (u, m->name, "a device node, not created");
    return 0;
  }
  dir = open_parent (u, clean, m->name, &leaf);
  if (dir == -1)
    return -1;
  if (regular)
    r = make_file (u, dir, leaf, m);
  else if (m->type == '5')
    r = make_dir (u, dir, leaf, clean, m);
  else if (m->type == '1')
    r = make_link (u, dir, leaf, clean, m);
  else if (m->type == '2')
    r = make_symlink (u, dir, leaf, m);
  else
    r = make_fifo (u, dir, leaf, m);
  if (r == 0)
    u->res->members++;
  return r;
}

/* Sets the modes and times of the directories, deepest first (the
 * reverse of the archive's order, where a directory comes before its
 * content), so a read-only directory gets its mode after its children
 * were made and fixed.  Best effort: a directory gone since is
 * skipped. */
static void
fix_dirs (struct untar *u)
{
  for (size_t i = u->dirs.len; i-- > 0;) {
    struct dir_fix *d = &u->dirs.ptr[i];
    char *slash = strrchr (d->path, '/');
    const char *leaf = slash ? slash + 1 : d->path;
    int parent, fd;

    if (*d->path == '\0')
      fd = openat (u->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    else {
      if (slash)
        *slash = '\0';
      parent = walk_dirs (u, slash ? d->path : "", NULL);
      if (slash)
        *slash = '/';
      if (parent == -1)
        continue;
      fd = openat (parent, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                   O_CLOEXEC);
      close (parent);
    }
    if (fd == -1)
      continue;
    struct timespec ts[2] = {
      { .tv_sec = 0, .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t) d->mtime },
    };
    fchmod (fd, d->mode);
    futimens (fd, ts);
    close (fd);
  }
}

/* Reads the rest of the stream, whatever it holds. */
static void
drain (struct untar *u)
{
  while (read (u->in, u->buf, DATA_BUF) > 0)
    ;
}

/* Reads headers and members up to the end marker.  0, or -1 (error
 * set). */
static int
unpack (struct untar *u)
{
  char h[BLOCK];

  for (;;) {
    struct member m;
    int64_t size;
    int r = read_block (u, h);

    if (r == -1)
      return -1;
    if (r == 0)
      return fail (u, EPROTO, NULL, "the archive ends without its end "
                   "marker");
    if (all_zero (h))
      return 0;
    if (!checksum_ok (h))
      return fail (u, EPROTO, NULL, "not a tar archive, or a damaged "
                   "header (its checksum is wrong)");
    if (parse_number (h + 124, 12, &size) == -1 || size < 0)
      return fail (u, EPROTO, NULL, "a member header with a malformed size");
    switch (h[156]) {
    case 'L':
    case 'K': {
      char **dst = h[156] == 'L' ? &u->next_name : &u->next_link;

      free (*dst);
      *dst = read_text (u, h[156] == 'L' ? "a long name" : "a long link "
                        "target", size, NAME_LIMIT + 1);
      if (*dst == NULL)
        return -1;
      continue;
    }
    case 'x':
      if (parse_pax (u, size) == -1)
        return -1;
      continue;
    case 'g':
      if (read_data (u, "a pax global header", size, NULL, NULL) == -1)
        return -1;
      continue;
    }
    if (parse_header (u, h, &m) == -1 ||
        (h[156] == 'S' && read_sparse_map (u, h, &m) == -1)) {
      member_free (&m);
      return -1;
    }
    r = extract (u, &m);
    member_free (&m);
    if (r == -1)
      return -1;
  }
}

int
untar_stream (int fd, int root, int set_root_mode, struct untar_result *res)
{
  struct untar u = {
    .in = fd, .root = root, .set_root_mode = set_root_mode, .res = res,
    .cache_fd = -1, .dirs = EMPTY_VECTOR, .map = EMPTY_VECTOR,
  };

  u.buf = malloc (DATA_BUF);
  if (u.buf == NULL) {
    fail_errno (&u, NULL, "unpacking");
    /* Still read the stream to its end, so the writer never blocks. */
    char tmp[BLOCK];
    while (read (fd, tmp, sizeof tmp) > 0)
      ;
    return -1;
  }
  unpack (&u);
  fix_dirs (&u);
  drain (&u);
  if (u.skipped_warnings)
    strlist_addf (&res->warnings, "and %lu more", u.skipped_warnings);
  for (size_t i = 0; i < u.dirs.len; ++i)
    free (u.dirs.ptr[i].path);
  dir_fix_vector_reset (&u.dirs);
  extent_vector_reset (&u.map);
  forget_cache (&u);
  free (u.next_name);
  free (u.next_link);
  free (u.buf);
  return res->error ? -1 : 0;
}

void
untar_result_free (struct untar_result *res)
{
  free (res->error);
  res->error = NULL;
  strlist_free (&res->warnings);
}
