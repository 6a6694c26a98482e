/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A read-only mount's whole tree in one call (lstatns_tree), made by a
 * thread while the loop goes on serving.  The list arrives in chunks,
 * each directory listed whole before the directories under it
 * (daemon/walk.c): the loop knows a directory complete as soon as the
 * names of another one begin, and serves it then, while the appliance
 * walks on; a find of the whole mount follows the walk instead of
 * waiting for its end.  Separate from fuse.c because the thread, and
 * the state of a list taken in while it arrives, are a concern of
 * their own.
 *
 * Only the loop's thread touches the caches: it takes in what has
 * arrived when it needs a directory, and waits for more when that is
 * not enough.  The thread only makes the call, into a memory file. */

#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_FUSE

#include "fuse-int.h"
#include "strlist.h"

/* A tree of more names than this is read directory by directory. */
#define TREE_MAX 100000
/* A record: the name, its 16 numbers, the link target. */
#define TREE_NUMS (16 * 8)
/* How long the loop sleeps between two looks at the list while it
 * waits for a directory (a chunk of it takes about a millisecond to
 * come). */
#define TREE_POLL_NS 200000

/* A directory whose names were all given: its subdirectories (full
 * paths, in the walk's order), the walk going into them in turn. */
struct tframe {
  char **subdirs;
  size_t next;
};

struct ltree {
  pthread_t thread;
  drydock_h *h;
  char *top;                    /* the directory walked */
  int fd;                       /* the memory file the call writes */
  char name[64];                /* its name for the call */
  double started;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int done;                     /* the call returned (locked) */
  int r;                        /* what it returned */
  /* The loop's side: the bytes read so far, taken in up to pos. */
  char *buf;
  size_t len, cap, pos;
  int records;
  int early;                    /* directories known to a wait before
                                   the end (the debug message) */
  int ended;                    /* the call's end taken in */
  int bad;                      /* a malformed list: nothing more taken */
  struct tframe *stack;         /* the walk's directories to go into */
  size_t depth, stack_cap;
  char *group;                  /* the directory whose names come now */
  struct strlist names, subdirs;        /* its names so far, its dirs */
};

static void *
tree_run (void *arg)
{
  struct ltree *t = arg;
  int r = drydock_lstatns_tree (t->h, t->top, t->name, TREE_MAX);

  pthread_mutex_lock (&t->lock);
  t->r = r;
  t->done = 1;
  pthread_cond_broadcast (&t->cond);
  pthread_mutex_unlock (&t->lock);
  return NULL;
}

/* The names of dir, now known whole. */
static void
set_names (struct drydock_local_mount *m, const char *dir, char **v)
{
  struct lcache_entry *e = v ? lcache_make (m->cache, dir) : NULL;

  if (e)
    lcache_set_names (e, v);
  else
    free_string_list (v);
}

/* The directory being listed is complete: it gets its names, and its
 * subdirectories are the next ones the walk goes into.  0, or -1 when
 * out of memory. */
static int
group_close (struct drydock_local_mount *m, struct ltree *t)
{
  char **subdirs;

  if (t->group == NULL)
    return 0;
  set_names (m, t->group, strlist_take (&t->names));
  free (t->group);
  t->group = NULL;
  if (t->depth == t->stack_cap) {
    size_t c = t->stack_cap ? 2 * t->stack_cap : 16;
    struct tframe *s = reallocarray (t->stack, c, sizeof *s);

    if (s == NULL)
      return -1;
    t->stack = s;
    t->stack_cap = c;
  }
  if ((subdirs = strlist_take (&t->subdirs)) == NULL)
    return -1;
  t->stack[t->depth++] = (struct tframe) { subdirs, 0 };
  return 0;
}

/* The next directory in the walk's order, or NULL when none is left
 * (the frames done with are dropped). */
static const char *
next_dir (struct ltree *t)
{
  while (t->depth > 0) {
    struct tframe *f = &t->stack[t->depth - 1];

    if (f->subdirs[f->next])
      return f->subdirs[f->next++];
    free_string_list (f->subdirs);
    t->depth--;
  }
  return NULL;
}

/* The names of dir begin: the directory listed before is complete, and
 * so is every directory the walk went into between the two without
 * giving a name (they are empty).  0, or -1 if the walk cannot have
 * come to dir (a malformed list). */
static int
group_open (struct drydock_local_mount *m, struct ltree *t, const char *dir)
{
  const char *d;

  if (group_close (m, t) == -1)
    return -1;
  while ((d = next_dir (t)) != NULL) {
    if (strcmp (d, dir) == 0)
      return (t->group = strdup (d)) ? 0 : -1;
    set_names (m, d, calloc (1, sizeof (char *)));
  }
  return -1;
}

/* Takes in the record at pos: 1, 0 if it has not arrived whole, -1 if
 * it is malformed.  The list comes from the appliance: every length is
 * checked, and every name must be one the walk can give next. */
static int
tree_record (struct drydock_local_mount *m, struct ltree *t)
{
  const char *rel = t->buf + t->pos, *end = t->buf + t->len;
  const char *nul, *link, *base;
  const unsigned char *nums;
  struct drydock_statns sn;
  int64_t *f = &sn.st_dev;
  struct lcache_entry *e;
  CLEANUP_FREE char *full = NULL, *dir = NULL;
  struct stat st;

  nul = memchr (rel, '\0', (size_t) (end - rel));
  if (nul == NULL)
    return 0;
  if (nul == rel)
    return -1;
  if ((size_t) (end - (nul + 1)) < TREE_NUMS + 1)
    return 0;
  nums = (const unsigned char *) nul + 1;
  link = (const char *) nums + TREE_NUMS;
  nul = memchr (link, '\0', (size_t) (end - link));
  if (nul == NULL)
    return 0;
  full = join (t->top, rel);
  if (full == NULL || (dir = parent_of (full, &base)) == NULL ||
      strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return -1;
  if ((t->group == NULL || strcmp (dir, t->group) != 0) &&
      group_open (m, t, dir) == -1)
    return -1;
  for (int i = 0; i < 16; ++i)
    f[i] = get_be64 (nums + 8 * i);
  lmount_stat_from_statns (&st, &sn);
  if (strlist_add (&t->names, base) == -1 ||
      (S_ISDIR (st.st_mode) && strlist_add (&t->subdirs, full) == -1))
    return -1;
  e = lcache_make (m->cache, full);
  if (e) {
    e->st = st;
    e->have |= LCACHE_STAT;
    if (S_ISLNK (st.st_mode) && *link)
      lcache_set_link (e, link);
  }
  t->records++;
  t->pos = (size_t) (nul + 1 - t->buf);
  return 1;
}

/* Reads what has arrived of the list, and takes in its whole records. */
static void
tree_pump (struct drydock_local_mount *m, struct ltree *t)
{
  struct stat st;

  if (t->ended || t->bad)
    return;
  if (fstat (t->fd, &st) == 0 && st.st_size > 0 &&
      (size_t) st.st_size > t->len) {
    size_t want = (size_t) st.st_size - t->len;
    ssize_t n;

    if (t->len + want > t->cap) {
      size_t c = t->cap ? t->cap : 64 * 1024;
      char *b;

      while (c < t->len + want)
        c *= 2;
      if ((b = realloc (t->buf, c)) == NULL) {
        t->bad = 1;
        return;
      }
      t->buf = b;
      t->cap = c;
    }
    n = pread (t->fd, t->buf + t->len, want, (off_t) t->len);
    if (n > 0)
      t->len += (size_t) n;
  }
  while (t->pos < t->len) {
    int r = tree_record (m, t);

    if (r == 0)
      break;
    if (r == -1) {
      t->bad = 1;
      break;
    }
  }
}

/* The call has returned: the rest of the list is taken in.  A walk
 * that went to its end (not cut at TREE_MAX names) completes the
 * directory listed last and the empty ones after it; a tree too big, a
 * failed call or a malformed list makes the next ones be read directory
 * by directory for a while. */
static void
tree_finish (struct drydock_local_mount *m, struct ltree *t)
{
  const char *d;

  if (t->ended)
    return;
  tree_pump (m, t);
  t->ended = 1;
  if (t->pos != t->len)
    t->bad = 1;
  if (t->r == 0 && !t->bad && t->records < TREE_MAX) {
    if (group_close (m, t) == -1)
      t->bad = 1;
    else
      while ((d = next_dir (t)) != NULL)
        set_names (m, d, calloc (1, sizeof (char *)));
  }
  if (t->bad)
    drydock_int_debug (m->h, "mount_local: %s: a malformed tree listing",
                       t->top);
  if (t->r == -1 || t->bad || t->records >= TREE_MAX)
    m->no_tree_until = lcache_now () + m->timeout;
  if (m->debugcalls)
    drydock_int_debug (m->h, "mount_local: tree of %s: %d names, %zu bytes, "
                       "%d directories served while it arrived, %.3f s",
                       t->top, t->records, t->len, t->early,
                       lcache_now () - t->started);
}

int
lmount_tree_start (struct drydock_local_mount *m, const char *path)
{
  struct ltree *t;

  /* A writable mount changes directories, and each change would fetch
   * the tree of the changed one's parent again: it reads directories
   * one by one. */
  if (!m->readonly || m->timeout <= 0 || m->tree ||
      lcache_now () < m->no_tree_until)
    return -1;
  t = calloc (1, sizeof *t);
  if (t == NULL)
    return -1;
  t->h = m->h;
  t->started = lcache_now ();
  t->fd = memfd_create ("drydock-mount-local-tree", MFD_CLOEXEC);
  t->top = strdup (path);
  t->group = strdup (path);
  if (t->fd == -1 || t->top == NULL || t->group == NULL)
    goto fail;
  snprintf (t->name, sizeof t->name, "/proc/self/fd/%d", t->fd);
  pthread_mutex_init (&t->lock, NULL);
  pthread_cond_init (&t->cond, NULL);
  if (lmount_start_thread (&t->thread, tree_run, t) == -1) {
    pthread_mutex_destroy (&t->lock);
    pthread_cond_destroy (&t->cond);
    goto fail;
  }
  m->tree = t;
  return 0;

 fail:
  if (t->fd >= 0)
    close (t->fd);
  free (t->top);
  free (t->group);
  free (t);
  return -1;
}

/* Whether path is top or under it. */
static int
under (const char *path, const char *top)
{
  size_t n = strlen (top);

  return strcmp (top, "/") == 0 ||
    (strncmp (path, top, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

int
lmount_tree_wait_dir (struct drydock_local_mount *m, const char *path)
{
  struct ltree *t = m->tree;

  if (t == NULL || !under (path, t->top))
    return 0;
  for (;;) {
    struct lcache_entry *e;
    int done;

    tree_pump (m, t);
    e = lcache_get (m->cache, path);
    if (e && (e->have & LCACHE_NAMES)) {
      if (!t->ended)
        t->early++;
      return 1;
    }
    if (t->ended || t->bad)
      return 0;
    pthread_mutex_lock (&t->lock);
    if (!t->done) {
      struct timespec ts;

      clock_gettime (CLOCK_REALTIME, &ts);
      ts.tv_nsec += TREE_POLL_NS;
      if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
      }
      pthread_cond_timedwait (&t->cond, &t->lock, &ts);
    }
    done = t->done;
    pthread_mutex_unlock (&t->lock);
    if (done)
      tree_finish (m, t);
  }
}

void
lmount_tree_end (struct drydock_local_mount *m, int keep)
{
  struct ltree *t = m->tree;

  if (t == NULL)
    return;
  pthread_join (t->thread, NULL);
  if (keep)
    tree_finish (m, t);
  m->tree = NULL;
  pthread_mutex_destroy (&t->lock);
  pthread_cond_destroy (&t->cond);
  while (next_dir (t) != NULL)
    ;
  free (t->stack);
  strlist_free (&t->names);
  strlist_free (&t->subdirs);
  free (t->group);
  free (t->buf);
  free (t->top);
  close (t->fd);
  free (t);
}

#endif /* HAVE_FUSE */
