/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The streams of a local mount (mount_local): a big file read in
 * sequence from its start is fetched ahead by a thread while the
 * kernel is served, from the drives into a ring of buffers where the
 * appliance can map it (direct.c), else in windows of download_offset.
 * Separate from fuse-read.c (opens, small files, the other reads)
 * because the thread, its slots and their states are a concern of
 * their own. */

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
#include "impl-gen.h"

/* A file read in sequence from its start, bigger than READ_PREAD_MAX,
 * is streamed by a thread (struct lstream) in calls of STREAM_WINDOW
 * (download_offset into a memory file each), the next one started as
 * soon as the reads reach the last, which take the bytes as they
 * arrive: the transfer goes on while the kernel is served.  The bytes
 * more than STREAM_BEHIND behind the furthest read are dropped: the
 * kernel's readahead asks ahead of its reader, out of order, but not
 * that far; a window is reused after that. */
#define STREAM_WINDOW (32 * 1024 * 1024)
#define STREAM_BEHIND (16 * 1024 * 1024)
#define STREAM_SLOTS 3
/* A file the appliance can map (direct.c) streams from the drives
 * instead, without a call: into a ring of RING_SLOTS buffers of
 * RING_PIECE bytes, allocated once and reused, so that no memory is
 * touched for the first time past the ring (the memory files above cost
 * as much as the transfer).  A slot is reused once the reads are
 * RING_BEHIND past its end (the kernel's readahead asks up to 12 MiB
 * behind its furthest request).  Pieces of the kernel's own request
 * size (1 MiB) keep the pipeline fine: 100 MiB came in 0.11 s against
 * 0.13 s with 4 MiB pieces, 0.12 s with 8 MiB.  Asked RING_DEPTH at a
 * time (a file on one drive), qemu reads the next while the last one
 * comes in: cat of 100 MiB 0.10-0.125 s against 0.12-0.17 s one at a
 * time (depth 2 and 8 did as well as 4). */
#define RING_PIECE (1024 * 1024)
#define RING_SLOTS 28
/* Pieces asked of qemu at once when the file lies on one drive. */
#define RING_DEPTH 4
#define RING_BEHIND (16 * 1024 * 1024)
/* A window of a stream: [off, off + STREAM_WINDOW) of the file into
 * the memory file fd (-1: the slot is free), complete once its call
 * returned, with got bytes. */
struct lwindow {
  int fd;
  off_t off;
  int complete;
  size_t got;
  off_t dropped;                /* [off, dropped) was given back */
};

/* The stream of one file.  The thread makes the handle's calls while
 * it runs: every other call waits for it to stop
 * (lmount_stream_stop).  The lock guards everything below it. */
/* A slot of a stream from the drives: RING_PIECE bytes of the file from
 * off, got of them read (fewer at the end of the file). */
struct rslot {
  char *buf;
  off_t off;
  size_t got;
  enum { RSLOT_FREE, RSLOT_FILLING, RSLOT_FULL } state;
};

struct lstream {
  pthread_t thread;
  drydock_h *h;
  char *path;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  struct lwindow w[STREAM_SLOTS];
  off_t next_off;               /* the next window's start */
  off_t reader;                 /* where the reads are */
  int stop;                     /* asked to stop */
  int end;                      /* the end of the file, or a failure */
  int err;                      /* errno of a failed call, else 0 */
  double started, in_calls, waited; /* for the debug message at its end */
  int reads;
  /* From the drives (df, see ring_run), or NULL: by download_offset
   * into the windows w. */
  struct drydock_direct_file *df;
  struct drydock_direct_pipe *pipe; /* df's pieces several at a time */
  struct rslot r[RING_SLOTS];
  off_t ring_next;              /* the next slot's start */
};


static void
window_close (struct lwindow *w)
{
  if (w->fd >= 0)
    close (w->fd);
  w->fd = -1;
}

/* The stream's thread: window after window, each once the reads reach
 * the one before, until the end of the file, a failure or
 * stream_stop. */
static void *
stream_run (void *arg)
{
  struct lstream *s = arg;

  pthread_mutex_lock (&s->lock);
  while (!s->stop && !s->end) {
    struct lwindow *w = NULL;
    char name[64];
    struct stat st;
    off_t off;
    int fd, r, err;

    /* Once the reads are in the last window: a free slot, or one the
     * reads left behind. */
    for (int i = 0; i < STREAM_SLOTS && s->next_off <= s->reader + STREAM_WINDOW;
         ++i)
      if (s->w[i].fd == -1 ||
          s->w[i].off + STREAM_WINDOW + STREAM_BEHIND <= s->reader) {
        w = &s->w[i];
        break;
      }
    if (w == NULL) {
      pthread_cond_wait (&s->cond, &s->lock);
      continue;
    }
    window_close (w);
    fd = memfd_create ("drydock-mount-local-stream", MFD_CLOEXEC);
    if (fd == -1) {
      s->err = errno;
      s->end = 1;
      break;
    }
    *w = (struct lwindow) { .fd = fd, .off = s->next_off,
                            .dropped = s->next_off };
    off = s->next_off;
    s->next_off += STREAM_WINDOW;
    pthread_mutex_unlock (&s->lock);
    snprintf (name, sizeof name, "/proc/self/fd/%d", fd);
    double t0 = lcache_now ();
    r = drydock_download_offset (s->h, s->path, name, off, STREAM_WINDOW);
    err = r == -1 ? drydock_last_errno (s->h) : 0;
    pthread_mutex_lock (&s->lock);
    s->in_calls += lcache_now () - t0;
    w->complete = 1;
    w->got = fstat (fd, &st) == 0 ? (size_t) st.st_size : 0;
    if (r == -1)
      s->err = err > 0 ? err : EIO;
    if (r == -1 || w->got < STREAM_WINDOW)
      s->end = 1;
    pthread_cond_broadcast (&s->cond);
  }
  pthread_cond_broadcast (&s->cond);
  pthread_mutex_unlock (&s->lock);
  return NULL;
}

/* A read of a stream begins: locked, counted, and the furthest read
 * moved on (the thread may then go on).  The time, for read_end. */
static double
read_begin (struct lstream *s, off_t offset)
{
  double t0 = lcache_now ();

  pthread_mutex_lock (&s->lock);
  s->reads++;
  if (offset > s->reader) {
    s->reader = offset;
    pthread_cond_broadcast (&s->cond);
  }
  return t0;
}

/* ... and ends, size bytes asked for, done read, r what stopped the
 * read short: 0 the end of the file, -errno, NOT_SERVED.  A short
 * count only at the end of the file: the kernel takes any short read
 * for the end of the file (and the file's size), so a failure or a
 * range the stream does not hold is never a short count, even with
 * some bytes read (NOT_SERVED: the caller reads the whole range
 * another way). */
static int
read_end (struct lstream *s, double t0, size_t size, size_t done, int r)
{
  s->waited += lcache_now () - t0;
  pthread_mutex_unlock (&s->lock);
  return done == size || r == 0 ? (int) done : r;
}

/* A free slot for the next piece of the stream, or NULL.  Locked. */
static struct rslot *
ring_free_slot (struct lstream *s)
{
  for (int i = 0; i < RING_SLOTS; ++i)
    if (s->r[i].state == RSLOT_FREE ||
        (s->r[i].state == RSLOT_FULL &&
         s->r[i].off + RING_PIECE + RING_BEHIND <= s->reader))
      return &s->r[i];
  return NULL;
}

/* A stream's thread from the drives with up to RING_DEPTH pieces in
 * flight (direct.c's pipe): qemu reads and sends the next piece while
 * this thread takes in the last.  Slot after slot in file order, as
 * long as one is free, until the end of the file, a failure or
 * stream_stop.  Locked on entry and return. */
static void
ring_pipe_run (struct lstream *s, struct drydock_direct_pipe *p)
{
  int inflight = 0, eof = 0;

  while (!s->stop && !s->end) {
    struct rslot *slot;
    size_t got;
    int tag, r;

    while (!eof && inflight < RING_DEPTH && (slot = ring_free_slot (s))) {
      slot->state = RSLOT_FILLING;
      slot->off = s->ring_next;
      s->ring_next += RING_PIECE;
      pthread_mutex_unlock (&s->lock);
      r = drydock_int_direct_pipe_submit (p, (int) (slot - s->r), slot->buf,
                                          RING_PIECE, (uint64_t) slot->off,
                                          &got);
      int err = r == -1 ? drydock_last_errno (s->h) : 0;
      pthread_mutex_lock (&s->lock);
      if (r == -1) {
        s->err = err > 0 ? err : EIO;
        slot->state = RSLOT_FREE;
        goto failed;
      }
      if (got < RING_PIECE)
        eof = 1;
      if (r == 1) {
        slot->got = got;
        slot->state = RSLOT_FULL;
        pthread_cond_broadcast (&s->cond);
      }
      else
        inflight++;
    }
    if (inflight == 0) {
      if (eof) {
        s->end = 1;
        break;
      }
      pthread_cond_wait (&s->cond, &s->lock);
      continue;
    }
    pthread_mutex_unlock (&s->lock);
    double t0 = lcache_now ();
    r = drydock_int_direct_pipe_wait (p, &tag, &got);
    int err = r == -1 ? drydock_last_errno (s->h) : 0;
    pthread_mutex_lock (&s->lock);
    s->in_calls += lcache_now () - t0;
    if (r == -1) {
      s->err = err > 0 ? err : EIO;
      goto failed;
    }
    inflight--;
    s->r[tag].got = got;
    s->r[tag].state = RSLOT_FULL;
    pthread_cond_broadcast (&s->cond);
  }
  return;

 failed:
  drydock_int_debug (s->h, "mount_local: %s: the stream from the drives "
                     "failed: %s", s->path, drydock_last_error (s->h));
  /* The pieces still in flight never come: their slots are free, and
   * the reads go the ordinary way, which gives the error. */
  for (int i = 0; i < RING_SLOTS; ++i)
    if (s->r[i].state == RSLOT_FILLING)
      s->r[i].state = RSLOT_FREE;
  s->end = 1;
}

/* A stream's thread from the drives: slot after slot in file order, as
 * long as one is free, until the end of the file, a failure or
 * stream_stop. */
static void *
ring_run (void *arg)
{
  struct lstream *s = arg;

  pthread_mutex_lock (&s->lock);
  if (s->pipe) {
    ring_pipe_run (s, s->pipe);
    pthread_cond_broadcast (&s->cond);
    pthread_mutex_unlock (&s->lock);
    return NULL;
  }
  /* A file on several drives: one piece at a time. */
  while (!s->stop && !s->end) {
    struct rslot *slot = ring_free_slot (s);
    ssize_t n;

    if (slot == NULL) {
      pthread_cond_wait (&s->cond, &s->lock);
      continue;
    }
    slot->state = RSLOT_FILLING;
    slot->off = s->ring_next;
    s->ring_next += RING_PIECE;
    pthread_mutex_unlock (&s->lock);
    double t0 = lcache_now ();
    n = drydock_int_direct_pread (s->h, s->df, slot->buf, RING_PIECE,
                                  (uint64_t) slot->off);
    int err = n == -1 ? drydock_last_errno (s->h) : 0;
    pthread_mutex_lock (&s->lock);
    s->in_calls += lcache_now () - t0;
    if (n == -1) {
      s->err = err > 0 ? err : EIO;
      slot->state = RSLOT_FREE;
      s->end = 1;
    }
    else {
      slot->got = (size_t) n;
      slot->state = RSLOT_FULL;
      if (n < RING_PIECE)
        s->end = 1;
    }
    pthread_cond_broadcast (&s->cond);
  }
  pthread_cond_broadcast (&s->cond);
  pthread_mutex_unlock (&s->lock);
  return NULL;
}

/* [offset, offset + size) from a stream from the drives, as
 * stream_read. */
static int
ring_read (struct lstream *s, char *buf, size_t size, off_t offset)
{
  size_t done = 0;
  int r = NOT_SERVED;
  double t0 = read_begin (s, offset);

  while (done < size) {
    off_t at = offset + (off_t) done;
    struct rslot *slot = NULL;

    for (int i = 0; i < RING_SLOTS && slot == NULL; ++i)
      if (s->r[i].state != RSLOT_FREE && at >= s->r[i].off &&
          at < s->r[i].off + RING_PIECE)
        slot = &s->r[i];
    if (slot && slot->state == RSLOT_FULL) {
      size_t k;

      if (at >= slot->off + (off_t) slot->got) {
        r = 0;                  /* the end of the file */
        break;
      }
      k = (size_t) (slot->off + (off_t) slot->got - at);
      if (k > size - done)
        k = size - done;
      memcpy (buf + done, slot->buf + (at - slot->off), k);
      done += k;
      continue;
    }
    if (slot == NULL) {
      if (s->end && at >= s->ring_next) {
        r = s->err ? -s->err : 0;
        break;
      }
      if (s->end || at < s->ring_next ||
          at >= s->ring_next + RING_SLOTS * RING_PIECE)
        break;                  /* behind the slots, or far ahead */
    }
    pthread_cond_wait (&s->cond, &s->lock);
  }
  return read_end (s, t0, size, done, r);
}

/* Starts streaming path from its start.  -1 if it cannot. */
int
lmount_stream_start (struct drydock_local_mount *m, const char *path)
{
  struct lstream *s = calloc (1, sizeof *s);

  if (s == NULL || (s->path = strdup (path)) == NULL) {
    free (s);
    return -1;
  }
  s->h = m->h;
  s->started = lcache_now ();
  if (m->readonly)
    s->df = drydock_int_direct_file (m->h, path);
  for (int i = 0; s->df && i < RING_SLOTS; ++i)
    if ((s->r[i].buf = malloc (RING_PIECE)) == NULL) {
      drydock_int_direct_file_free (s->df);
      s->df = NULL;
    }
  if (s->df)
    s->pipe = drydock_int_direct_pipe_new (m->h, s->df, RING_SLOTS);
  for (int i = 0; i < STREAM_SLOTS; ++i)
    s->w[i].fd = -1;
  pthread_mutex_init (&s->lock, NULL);
  pthread_cond_init (&s->cond, NULL);
  if (lmount_start_thread (&s->thread, s->df ? ring_run : stream_run, s) == -1) {
    pthread_mutex_destroy (&s->lock);
    pthread_cond_destroy (&s->cond);
    drydock_int_direct_pipe_free (s->pipe);
    drydock_int_direct_file_free (s->df);
    for (int i = 0; i < RING_SLOTS; ++i)
      free (s->r[i].buf);
    free (s->path);
    free (s);
    return -1;
  }
  if (m->debugcalls)
    drydock_int_debug (m->h, "mount_local: streaming %s%s%s", path,
                       s->df ? " from the drives" : "",
                       s->pipe ? ", pieces asked ahead" : "");
  m->stream = s;
  return 0;
}

void
lmount_stream_stop (struct drydock_local_mount *m)
{
  struct lstream *s = m->stream;

  if (s == NULL)
    return;
  pthread_mutex_lock (&s->lock);
  s->stop = 1;
  pthread_cond_broadcast (&s->cond);
  pthread_mutex_unlock (&s->lock);
  pthread_join (s->thread, NULL);
  if (m->debugcalls)
    drydock_int_debug (m->h, "mount_local: stream of %s: %d reads, %.3f s "
                       "waited in them, %.3f s in calls, %.3f s in all",
                       s->path, s->reads, s->waited, s->in_calls,
                       lcache_now () - s->started);
  for (int i = 0; i < STREAM_SLOTS; ++i)
    window_close (&s->w[i]);
  pthread_mutex_destroy (&s->lock);
  pthread_cond_destroy (&s->cond);
  drydock_int_direct_pipe_free (s->pipe);
  drydock_int_direct_file_free (s->df);
  for (int i = 0; i < RING_SLOTS; ++i)
    free (s->r[i].buf);
  free (s->path);
  free (s);
  m->stream = NULL;
}

/* [offset, offset + size) from the stream, waiting for bytes still on
 * their way: the bytes read (fewer at the end of the file), -errno, or
 * NOT_SERVED when the stream does not hold offset and will not soon. */
static int
stream_read (struct lstream *s, char *buf, size_t size, off_t offset)
{
  size_t done = 0;
  int r = NOT_SERVED;
  double t0 = read_begin (s, offset);

  if (offset == s->reader) {
    /* What the reads left behind goes back to the host. */
    for (int i = 0; i < STREAM_SLOTS; ++i) {
      struct lwindow *w = &s->w[i];
      off_t to = s->reader - STREAM_BEHIND;

      if (to > w->off + STREAM_WINDOW)
        to = w->off + STREAM_WINDOW;
      if (w->fd >= 0 && to > w->dropped &&
          fallocate (w->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                     w->dropped, to - w->dropped) == 0)
        w->dropped = to;
    }
  }
  while (done < size) {
    off_t at = offset + (off_t) done;
    struct lwindow *w = NULL;
    struct timespec t;

    for (int i = 0; i < STREAM_SLOTS; ++i)
      if (s->w[i].fd >= 0 && at >= s->w[i].dropped &&
          at < s->w[i].off + STREAM_WINDOW)
        w = &s->w[i];
    if (w) {
      struct stat st;
      size_t have = w->got;
      ssize_t n;

      if (!w->complete)
        have = fstat (w->fd, &st) == 0 ? (size_t) st.st_size : 0;
      if (at < w->off + (off_t) have) {
        size_t k = (size_t) (w->off + (off_t) have - at);

        n = pread (w->fd, buf + done, k < size - done ? k : size - done,
                   at - w->off);
        if (n <= 0) {
          r = -EIO;
          break;
        }
        done += (size_t) n;
        continue;
      }
      if (w->complete) {        /* the end of the file, or a failure */
        r = s->err ? -s->err : 0;
        break;
      }
    }
    else if (s->end && at >= s->next_off) {
      r = s->err ? -s->err : 0;
      break;
    }
    else if (s->end || at < s->next_off || at >= s->next_off + STREAM_WINDOW)
      break;                    /* behind the bytes kept, or far ahead */
    /* Bytes on their way: the thread signals a window's end, the ones
     * before are looked for every millisecond. */
    clock_gettime (CLOCK_REALTIME, &t);
    t.tv_nsec += 1000000;
    if (t.tv_nsec >= 1000000000) {
      t.tv_sec++;
      t.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait (&s->cond, &s->lock, &t);
  }
  return read_end (s, t0, size, done, r);
}

int
lmount_stream_read (struct drydock_local_mount *m, const char *path,
                    char *buf, size_t size, off_t offset)
{
  struct lstream *s = m->stream;

  if (s == NULL || strcmp (s->path, path) != 0)
    return NOT_SERVED;
  return s->df ? ring_read (s, buf, size, offset)
    : stream_read (s, buf, size, offset);
}

#endif /* HAVE_FUSE */
