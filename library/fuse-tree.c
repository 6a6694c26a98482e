/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A read-only mount's whole tree in one call (lstatns_tree), made by a
 * thread while the loop goes on serving.  The list arrives in chunks,
 * each directory listed whole before the directories under it
 * (daemon/walk.c): the loop knows a directory complete as soon as the
 * names of another one begin, and serves it then, while the appliance
 * walks on; a find of the whole mount follows the walk instead of
 * waiting for its end.  Separate from fuse.c because the thread, and
 * the list taken in while it arrives, are a concern of their own; the
 * list's parser is tree-list.c, which this file feeds with what the
 * memory file holds and whose records and directories it puts in the
 * caches.
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
#include "tree-list.h"

/* A tree of more names than this is read directory by directory. */
#define TREE_MAX 100000
/* How long the loop sleeps between two looks at the list while it
 * waits for a directory (a chunk of it takes about a millisecond to
 * come). */
#define TREE_POLL_NS 200000
/* What is read of the memory file at once. */
#define TREE_READ (64 * 1024)

struct ltree {
  pthread_t thread;
  drydock_h *h;
  struct drydock_local_mount *m;
  char *top;                    /* the directory walked */
  int fd;                       /* the memory file the call writes */
  char name[64];                /* its name for the call */
  double started;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int done;                     /* the call returned (locked) */
  int r;                        /* what it returned */
  /* The loop's side: the parser of the list, fed up to off. */
  struct tree_list *list;
  char *chunk;                  /* TREE_READ bytes read at once */
  size_t off;
  int records;
  int early;                    /* directories known to a wait before
                                   the end (the debug message) */
  int ended;                    /* the call's end taken in */
  int bad;                      /* a malformed list: nothing more taken */
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

/* A record of the list: its lstat and link target into the cache. */
static void
tree_record (void *opaque, const char *path, const char *name,
             const struct drydock_statns *sn, const char *link)
{
  struct ltree *t = opaque;
  struct lcache_entry *e = lcache_make (t->m->cache, path);

  (void) name;
  t->records++;
  if (e == NULL)
    return;
  lmount_stat_from_statns (&e->st, sn);
  e->have |= LCACHE_STAT;
  if (S_ISLNK (e->st.st_mode) && *link)
    lcache_set_link (e, link);
}

/* A directory of the list known complete: its names into the cache. */
static void
tree_dir (void *opaque, const char *dir, char **names)
{
  struct ltree *t = opaque;
  struct lcache_entry *e = lcache_make (t->m->cache, dir);

  if (e)
    lcache_set_names (e, names);
  else
    free_string_list (names);
}

/* Reads what has arrived of the list, and takes in its whole records. */
static void
tree_pump (struct ltree *t)
{
  struct stat st;

  if (t->ended || t->bad)
    return;
  if (fstat (t->fd, &st) == -1 || st.st_size <= 0)
    return;
  while ((size_t) st.st_size > t->off) {
    size_t want = (size_t) st.st_size - t->off;
    ssize_t n;

    if (want > TREE_READ)
      want = TREE_READ;
    n = pread (t->fd, t->chunk, want, (off_t) t->off);
    if (n <= 0)
      break;
    t->off += (size_t) n;
    if (tree_list_feed (t->list, t->chunk, (size_t) n) == -1) {
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
  if (t->ended)
    return;
  tree_pump (t);
  t->ended = 1;
  if (tree_list_end (t->list, t->r == 0 && t->records < TREE_MAX) == -1)
    t->bad = 1;
  if (t->bad)
    drydock_int_debug (m->h, "mount_local: %s: a malformed tree listing",
                       t->top);
  if (t->r == -1 || t->bad || t->records >= TREE_MAX)
    m->no_tree_until = lcache_now () + m->timeout;
  if (m->debugcalls)
    drydock_int_debug (m->h, "mount_local: tree of %s: %d names, %zu bytes, "
                       "%d directories served while it arrived, %.3f s",
                       t->top, t->records, t->off, t->early,
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
  t->m = m;
  t->started = lcache_now ();
  t->fd = memfd_create ("drydock-mount-local-tree", MFD_CLOEXEC);
  t->top = strdup (path);
  t->chunk = malloc (TREE_READ);
  t->list = tree_list_new (path, tree_record, tree_dir, t);
  if (t->fd == -1 || t->top == NULL || t->chunk == NULL || t->list == NULL)
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
  tree_list_free (t->list);
  free (t->chunk);
  free (t->top);
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

    tree_pump (t);
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
  tree_list_free (t->list);
  free (t->chunk);
  free (t->top);
  close (t->fd);
  free (t);
}

#endif /* HAVE_FUSE */
