/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The read path of a local mount (mount_local; fuse.c serves the
 * rest): open files and their reads.  What makes a read fast is here:
 * the first read of a small file fetches the contents of its
 * directory's small files in one call (readfilelist), and the next
 * batch is fetched ahead by a thread while the kernel reads this one;
 * a big file read from its start is streamed by a second thread
 * (fuse-stream.c); elsewhere a file of a read-only mount is read from
 * the drives where it can be, and other files read sequentially are
 * read ahead in windows that grow.  Separate from fuse.c because these
 * threads and windows are a concern of their own; fuse-int.h holds what
 * the files of the mount share.
 *
 * A stream's or a batch's thread makes the handle's calls while it
 * runs: anything else that needs a call stops it first (handle ()). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_FUSE

#include "fuse-int.h"
#include "impl-gen.h"

/* A file's first read fetches at least this much (its whole size when
 * known and smaller than READ_STREAM_MAX); a sequential read quadruples
 * it, up to READ_STREAM_MAX.  Fetches of more than READ_PREAD_MAX are
 * streamed (download_offset, into a file of the handle's temporary
 * directory), which the daemon sends while it reads, where a pread
 * reads first and sends its one reply after. */
#define READ_FIRST (1024 * 1024)
#define READ_PREAD_MAX (1024 * 1024)
#define READ_STREAM_MAX (32 * 1024 * 1024)
/* A regular file of up to SMALL_MAX bytes is small: the first read of
 * one fetches the contents of its directory's small files not read
 * yet, and of the directories after it in its parent, in one call
 * (readfilelist) of up to SMALL_BATCH_BYTES and SMALL_BATCH_FILES
 * names. */
#define SMALL_MAX (64 * 1024)
#define SMALL_BATCH_BYTES (2 * 1024 * 1024)
#define SMALL_BATCH_FILES 1024
/* Directories after its own whose small files one batch takes too. */
#define SMALL_BATCH_DIRS 64
/* Files read without an open (no_open) keep their read state by path,
 * this many at most. */
#define PATH_FILES_MAX 16

/* A batch of small files fetched ahead by a thread: readfilelist of
 * names under top; last is the last directory it took (a name in
 * top).  buf (len bytes) is the reply, NULL if the call failed. */
struct lbatch {
  pthread_t thread;
  drydock_h *h;
  char *top;
  char *last;
  char **names;
  char *buf;
  size_t len;
};
/* Files. */

/* The read state of a new open of path (e: what the cache knows of
 * it, or NULL), first in m's list; NULL if out of memory. */
static struct lfile *
lfile_new (struct drydock_local_mount *m, const char *path,
           const struct lcache_entry *e)
{
  struct lfile *f = calloc (1, sizeof *f);

  if (f == NULL || (f->path = strdup (path)) == NULL) {
    free (f);
    return NULL;
  }
  f->window = READ_FIRST;
  if (e && (e->have & LCACHE_STAT) && e->st.st_size > READ_FIRST)
    f->window = e->st.st_size < READ_STREAM_MAX ? (size_t) e->st.st_size
      : READ_STREAM_MAX;
  f->next = m->files;
  if (m->files)
    m->files->prev = f;
  m->files = f;
  return f;
}

static void
lfile_free (struct drydock_local_mount *m, struct lfile *f)
{
  if (f->prev)
    f->prev->next = f->next;
  else
    m->files = f->next;
  if (f->next)
    f->next->prev = f->prev;
  drydock_int_direct_file_free (f->df);
  free (f->path);
  free (f->buf);
  free (f->old);
  free (f);
}

void
lmount_files_free (struct drydock_local_mount *m)
{
  while (m->files)
    lfile_free (m, m->files);
}

/* The read state of path read without an open (no_open): the one kept
 * for it, moved first, else a new one; the oldest beyond
 * PATH_FILES_MAX are dropped.  NULL if out of memory. */
static struct lfile *
lfile_by_path (struct drydock_local_mount *m, const char *path)
{
  struct lfile *f, *last = NULL;
  int kept = 0;

  for (f = m->files; f; f = f->next) {
    if (!f->by_path)
      continue;
    if (strcmp (f->path, path) == 0)
      break;
    kept++;
    last = f;
  }
  if (f && f != m->files) {
    f->prev->next = f->next;
    if (f->next)
      f->next->prev = f->prev;
    f->prev = NULL;
    f->next = m->files;
    m->files->prev = f;
    m->files = f;
  }
  if (f)
    return f;
  if (kept >= PATH_FILES_MAX)
    lfile_free (m, last);
  f = lfile_new (m, path, lcache_get (m->cache, path));
  if (f)
    f->by_path = 1;
  return f;
}

int
lmount_open (const char *path, struct fuse_file_info *fi)
{
  struct drydock_local_mount *m = lm ();
  struct lcache_entry *e = lcache_get (m->cache, path);
  struct lfile *f;

  lmount_trace_op ("open", path);
  if (m->readonly && ((fi->flags & O_ACCMODE) != O_RDONLY ||
                      (fi->flags & O_TRUNC)))
    return -EROFS;
  /* A read-only mount keeps nothing per open: ENOSYS tells the kernel
   * to open (and release) files without asking from now on, one
   * request a file less; reads then find their state by path. */
  if (m->no_open)
    return -ENOSYS;
  /* libfuse asks the kernel to pass O_TRUNC here (atomic_o_trunc). */
  if (fi->flags & O_TRUNC) {
    handle ();                  /* nothing runs in the background */
    lmount_changed (path, 0);
    if (drydock_truncate_size (m->h, path, 0) == -1)
      return neg_errno (m->h);
    e = NULL;
  }
  f = lfile_new (m, path, e);
  if (f == NULL)
    return -ENOMEM;
  fi->fh = (uint64_t) (uintptr_t) f;
  fi->keep_cache = m->readonly;
  return 0;
}

int
lmount_release (const char *path, struct fuse_file_info *fi)
{
  lmount_trace_op ("release", path);
  if (fi->fh)
    lfile_free (lm (), (struct lfile *) (uintptr_t) fi->fh);
  return 0;
}

/* count bytes from offset through download_offset, into a new buffer
 * (*got bytes), by way of a memory file.  NULL with the handle's error
 * set. */
static char *
stream_range (drydock_h *h, const char *path, size_t count, off_t offset,
              size_t *got)
{
  CLEANUP_CLOSE int fd = memfd_create ("drydock-mount-local", MFD_CLOEXEC);
  char name[64];
  char *buf = NULL;
  struct stat st;

  if (fd == -1) {
    drydock_int_perror (h, "mount_local: memfd_create");
    return NULL;
  }
  snprintf (name, sizeof name, "/proc/self/fd/%d", fd);
  if (drydock_download_offset (h, path, name, offset, (int64_t) count) == -1)
    return NULL;
  if (fstat (fd, &st) == -1 || (size_t) st.st_size > count ||
      (buf = malloc (st.st_size ? (size_t) st.st_size : 1)) == NULL ||
      pread (fd, buf, (size_t) st.st_size, 0) != (ssize_t) st.st_size) {
    drydock_int_perror (h, "mount_local: %s", name);
    free (buf);
    return NULL;
  }
  *got = (size_t) st.st_size;
  return buf;
}

/* Reads [offset, offset + want) and on into f's buffer, as much as the
 * window says.  -errno. */
static int
fetch (drydock_h *h, struct lfile *f, off_t offset, size_t want)
{
  size_t count = want > f->window ? want : f->window;
  size_t got = 0;
  struct lcache_entry *e;
  char *buf;

  if (count > READ_STREAM_MAX)
    count = READ_STREAM_MAX;
  if (count <= READ_PREAD_MAX)
    buf = drydock_pread (h, f->path, (int) count, offset, &got);
  else
    buf = stream_range (h, f->path, count, offset, &got);
  if (buf == NULL)
    return neg_errno (h);
  free (f->old);
  f->old = f->buf;
  f->old_len = f->len;
  f->old_off = f->off;
  f->buf = buf;
  f->len = got;
  f->off = offset;
  /* A short read is the end of the file only where the file ends: the
   * appliance's pread stops short of an I/O error too (a bad sector),
   * with the bytes before it, and the kernel would take the short read
   * for the end of the file.  The next fetch, from where this one
   * stopped, gives the error. */
  e = lcache_get (lm ()->cache, f->path);
  f->at_eof = got < count &&
    (e == NULL || !(e->have & LCACHE_STAT) ||
     offset + (off_t) got >= e->st.st_size);
  return 0;
}

/* Starts fn (arg) in a thread that takes no signals: those meant for
 * the process (a SIGTERM ending the mount) reach the FUSE loop's.  0,
 * or -1. */
int
lmount_start_thread (pthread_t *t, void *(*fn) (void *), void *arg)
{
  sigset_t all, old;
  int r;

  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old);
  r = pthread_create (t, NULL, fn, arg);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return r == 0 ? 0 : -1;
}

/* Adds to rel the names of dir's small files whose contents the cache
 * lacks, as prefix + name, from names[first] on (all of them, wrapping
 * round, when wrap), while *bytes and rel stay under the batch's
 * bounds.  0, or -1 when the bounds are reached. */
static int
add_small_files (const char *dir, char **names, size_t first, int wrap,
                 const char *prefix, struct strlist *rel, size_t *bytes)
{
  struct lcache *c = lm ()->cache;
  size_t n = count_strings (names);

  for (size_t k = 0; k < n && (wrap || first + k < n); ++k) {
    const char *name = names[(first + k) % n];
    CLEANUP_FREE char *p = join (dir, name);
    struct lcache_entry *e = p ? lcache_get (c, p) : NULL;
    CLEANUP_FREE char *r = NULL;

    if (e == NULL || (e->have & LCACHE_DATA) || !(e->have & LCACHE_STAT) ||
        !S_ISREG (e->st.st_mode) || e->st.st_size > SMALL_MAX)
      continue;
    if (*bytes + (size_t) e->st.st_size > SMALL_BATCH_BYTES ||
        rel->len >= SMALL_BATCH_FILES)
      return -1;
    if (asprintf (&r, "%s%s", prefix, name) == -1 || strlist_add (rel, r) == -1)
      return -1;
    *bytes += (size_t) e->st.st_size;
  }
  return 0;
}

/* Plans a batch of small files: those of dir the cache has no
 * contents of (when own: from base on, wrapping round), then those of
 * the directories after dir in its parent, within the batch's bounds.
 * The names, relative to *top (dir's parent when its names are known,
 * else dir itself); *last is the last directory taken, a name in *top
 * (NULL when *top is dir).  NULL when there is nothing to fetch. */
static char **
plan_small_files (const char *dir, const char *base, int own, char **top,
                  char **last)
{
  struct lcache *c = lm ()->cache;
  struct lcache_entry *d = lcache_get (c, dir), *g;
  const char *dbase = NULL;
  CLEANUP_FREE char *prefix = NULL;
  struct strlist rel = STRLIST_INIT;
  size_t bytes = 0, dirs = 0, first = 0;
  char **v;

  *top = *last = NULL;
  if (d == NULL || !(d->have & LCACHE_NAMES))
    return NULL;
  *top = parent_of (dir, &dbase);
  g = *top ? lcache_get (c, *top) : NULL;
  if (g == NULL || !(g->have & LCACHE_NAMES)) {
    if (!own)
      goto none;
    free (*top);
    *top = strdup (dir);
    dbase = NULL;
  }
  if (*top == NULL ||
      asprintf (&prefix, "%s%s", dbase ? dbase : "", dbase ? "/" : "") == -1)
    goto none;
  if (dbase && (*last = strdup (dbase)) == NULL)
    goto none;
  if (own) {
    size_t n = count_strings (d->names);

    while (first < n && strcmp (d->names[first], base) != 0)
      first++;
    if (add_small_files (dir, d->names, first, 1, prefix, &rel, &bytes) == -1)
      goto done;
  }
  if (dbase) {
    size_t gn = count_strings (g->names), k = 0;

    while (k < gn && strcmp (g->names[k], dbase) != 0)
      k++;
    for (++k; k < gn && dirs < SMALL_BATCH_DIRS; ++k) {
      CLEANUP_FREE char *sub = join (*top, g->names[k]);
      struct lcache_entry *sd = sub ? lcache_get (c, sub) : NULL;
      CLEANUP_FREE char *pre = NULL;
      int full;

      if (sd == NULL || !(sd->have & LCACHE_NAMES) ||
          asprintf (&pre, "%s/", g->names[k]) == -1)
        continue;
      dirs++;
      full = add_small_files (sub, sd->names, 0, 0, pre, &rel, &bytes) == -1;
      /* The next batch goes on after the last directory taken whole. */
      if (full)
        break;
      free (*last);
      if ((*last = strdup (g->names[k])) == NULL)
        break;
    }
  }
 done:
  v = strlist_take (&rel);
  strlist_free (&rel);
  if (v && v[0])
    return v;
  free_string_list (v);
 none:
  free (*top);
  free (*last);
  *top = *last = NULL;
  return NULL;
}

/* The reply of readfilelist of names v under top (buf, len bytes) into
 * the cache.  The reply comes from the appliance: every size is
 * checked. */
static void
store_small_files (struct lcache *c, const char *top, char **v,
                   const char *buf, size_t len)
{
  size_t pos = 0;

  for (size_t i = 0; v[i] && len - pos >= 8; ++i) {
    int64_t size = (int64_t) be64 ((const unsigned char *) buf + pos);
    CLEANUP_FREE char *p = NULL;
    struct lcache_entry *e;
    char *data;

    pos += 8;
    if (size < 0)
      continue;
    if ((uint64_t) size > len - pos || size > SMALL_MAX)
      break;
    p = join (top, v[i]);
    e = p ? lcache_make (c, p) : NULL;
    data = malloc (size ? (size_t) size : 1);
    if (e && data) {
      memcpy (data, buf + pos, (size_t) size);
      lcache_set_data (c, e, data, (size_t) size);
    }
    else
      free (data);
    pos += (size_t) size;
  }
}

/* The thread of a batch fetched ahead: its one call. */
static void *
batch_run (void *arg)
{
  struct lbatch *b = arg;

  b->buf = drydock_readfilelist (b->h, b->top, b->names, SMALL_MAX, &b->len);
  return NULL;
}

/* Starts fetching, in a thread, the batch after the directory last of
 * top: the kernel reads the files of this one meanwhile. */
static void
batch_start (struct drydock_local_mount *m, const char *top, const char *last)
{
  CLEANUP_FREE char *dir = join (top, last);
  struct lbatch *b;
  char **v, *t, *l;

  if (dir == NULL || m->batch || m->stream ||
      (v = plan_small_files (dir, NULL, 0, &t, &l)) == NULL)
    return;
  b = calloc (1, sizeof *b);
  if (b == NULL) {
    free_string_list (v);
    free (t);
    free (l);
    return;
  }
  *b = (struct lbatch) { .h = m->h, .top = t, .last = l, .names = v };
  if (lmount_start_thread (&b->thread, batch_run, b) == -1) {
    free_string_list (v);
    free (t);
    free (l);
    free (b);
    return;
  }
  m->batch = b;
}

/* Waits for the batch fetched ahead and takes its files into the
 * cache; next 1 then starts the one after it, -1 drops the files
 * instead (the mount ends). */
void
lmount_batch_end (struct drydock_local_mount *m, int next)
{
  struct lbatch *b = m->batch;

  double t0 = lcache_now ();

  if (b == NULL)
    return;
  pthread_join (b->thread, NULL);
  m->batch = NULL;
  if (b->buf && next >= 0) {
    if (m->debugcalls)
      drydock_int_debug (m->h, "mount_local: %zu small files under %s "
                         "fetched ahead, %zu bytes, waited for %.3f s",
                         count_strings (b->names), b->top, b->len,
                         lcache_now () - t0);
    store_small_files (m->cache, b->top, b->names, b->buf, b->len);
    if (next > 0 && b->last)
      batch_start (m, b->top, b->last);
  }
  free (b->buf);
  free_string_list (b->names);
  free (b->top);
  free (b->last);
  free (b);
}

/* The contents of the small files of path's directory that the cache
 * has no contents of, path's first, then those of the directories
 * after it in its parent (a tree is mostly read in the order listed),
 * into the cache, in one call; the next batch is then fetched ahead. */
static void
fetch_small_files (drydock_h *h, const char *path)
{
  const char *base;
  CLEANUP_FREE char *dir = parent_of (path, &base);
  CLEANUP_FREE char *top = NULL, *last = NULL;
  CLEANUP_FREE_STRING_LIST char **v = NULL;
  size_t len = 0;
  char *buf;
  double t0;

  if (dir == NULL ||
      (v = plan_small_files (dir, base, 1, &top, &last)) == NULL)
    return;
  t0 = lcache_now ();
  buf = drydock_readfilelist (h, top, v, SMALL_MAX, &len);
  if (buf == NULL)
    return;
  if (lm ()->debugcalls)
    drydock_int_debug (h, "mount_local: %zu small files under %s, %zu bytes "
                       "in %.3f s", count_strings (v), top, len,
                       lcache_now () - t0);
  store_small_files (lm ()->cache, top, v, buf, len);
  free (buf);
  if (last)
    batch_start (lm (), top, last);
}

/* Serves a read of a small regular file from the contents the cache
 * has, fetching them (and its directory's other small files') first.
 * The contents are dropped once read to their end: the kernel keeps
 * them then.  The bytes read, -errno, or NOT_SERVED for a file this
 * does not serve. */
static int
read_small (const char *path, char *buf, size_t size, off_t offset)
{
  struct lcache *c = lm ()->cache;
  struct lcache_entry *e = lcache_get (c, path);
  size_t n = 0;

  if (e == NULL || !(e->have & LCACHE_STAT) || !S_ISREG (e->st.st_mode) ||
      e->st.st_size > SMALL_MAX)
    return NOT_SERVED;
  if (!(e->have & LCACHE_DATA) && lm ()->batch) {
    lmount_batch_end (lm (), 1);
    e = lcache_get (c, path);
    if (e == NULL)
      return NOT_SERVED;
  }
  if (!(e->have & LCACHE_DATA)) {
    fetch_small_files (handle (), path);
    e = lcache_get (c, path);
    if (e == NULL || !(e->have & LCACHE_DATA))
      return NOT_SERVED;
  }
  if (offset < (off_t) e->data_len) {
    n = e->data_len - (size_t) offset;
    if (n > size)
      n = size;
    memcpy (buf, e->data + offset, n);
  }
  if ((size_t) offset + n >= e->data_len)
    lcache_drop_data (c, e);
  return (int) n;
}

/* A read-only mount reads a file that is not small, and not streamed,
 * straight from the drives when the appliance can say where its bytes
 * lie (direct.c): each read one request to qemu, at the host's speed.
 * NOT_SERVED for a file that cannot be mapped. */
static int
read_direct (struct drydock_local_mount *m, struct lfile *f,
             const char *path, char *buf, size_t size, off_t offset)
{
  drydock_h *h;
  ssize_t n;

  if (f == NULL && (f = lfile_by_path (m, path)) == NULL)
    return -ENOMEM;
  if (f->direct < 0)
    return NOT_SERVED;
  h = handle ();
  if (f->direct == 0) {
    f->df = drydock_int_direct_file (h, path);
    f->direct = f->df ? 1 : -1;
    if (f->df == NULL)
      return NOT_SERVED;
  }
  n = drydock_int_direct_pread (h, f->df, buf, size, (uint64_t) offset);
  return n < 0 ? neg_errno (h) : (int) n;
}

/* Whether a read of path from its start should be streamed: a file
 * known to be bigger than one pread. */
static int
worth_streaming (const char *path)
{
  struct lcache_entry *e = lcache_get (lm ()->cache, path);

  return e && (e->have & LCACHE_STAT) && S_ISREG (e->st.st_mode) &&
    e->st.st_size > READ_PREAD_MAX;
}

int
lmount_read (const char *path, char *buf, size_t size, off_t offset,
         struct fuse_file_info *fi)
{
  struct drydock_local_mount *m = lm ();
  drydock_h *h;
  struct lfile *f = (struct lfile *) (uintptr_t) fi->fh;
  size_t done = 0;
  int r;

  lmount_trace_op ("read", path);
  if (size > INT_MAX)
    size = INT_MAX;
  if ((f == NULL || f->len == 0) &&
      (r = read_small (path, buf, size, offset)) != NOT_SERVED)
    return r;
  if ((r = lmount_stream_read (m, path, buf, size, offset)) != NOT_SERVED)
    return r;
  if (offset == 0 && (f == NULL || f->len == 0) && worth_streaming (path)) {
    lmount_stream_stop (m);
    lmount_batch_end (m, 0);
    if (lmount_stream_start (m, path) == 0 &&
        (r = lmount_stream_read (m, path, buf, size, offset)) != NOT_SERVED)
      return r;
  }
  if (m->readonly &&
      (r = read_direct (m, f, path, buf, size, offset)) != NOT_SERVED)
    return r;
  h = handle ();
  if (f == NULL && (f = lfile_by_path (m, path)) == NULL)
    return -ENOMEM;
  while (done < size) {
    off_t at = offset + (off_t) done;
    size_t n;

    if (f->len == 0 || at < f->off || at >= f->off + (off_t) f->len) {
      if (f->len && f->at_eof && at >= f->off + (off_t) f->len)
        break;
      if (f->old_len && at >= f->old_off &&
          at < f->old_off + (off_t) f->old_len) {
        n = (size_t) (f->old_off + (off_t) f->old_len - at);
        if (n > size - done)
          n = size - done;
        memcpy (buf + done, f->old + (at - f->old_off), n);
        done += n;
        continue;
      }
      /* A sequential reader gets bigger fetches, a random one smaller.
       * The kernel's readahead asks a little ahead, out of order: a
       * read within a window after the buffer goes on from its end. */
      off_t from = at;
      if (f->len && at >= f->next_off &&
          at < f->next_off + (off_t) f->window) {
        from = f->next_off;
        f->window = f->window >= READ_STREAM_MAX / 4 ? READ_STREAM_MAX
          : f->window * 4;
      }
      else if (f->len)
        f->window = size - done;
      r = fetch (h, f, from, (size_t) (at - from) + size - done);
      if (r < 0)
        return r;               /* not a short read: see read_end */
      f->next_off = f->off + (off_t) f->len;
      if (f->len == 0)
        break;
      continue;
    }
    n = (size_t) (f->off + (off_t) f->len - at);
    if (n > size - done)
      n = size - done;
    memcpy (buf + done, f->buf + (at - f->off), n);
    done += n;
  }
  return (int) done;
}

#endif /* HAVE_FUSE */
