/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inotify_*: one inotify instance per appliance, watching paths of the
 * mounted guest.  A path is opened inside the guest first (O_PATH: no
 * FIFO blocks, no device opens) and watched through its /proc/self/fd
 * name, so a symlink in the guest never leads the watch out of it.  The
 * instance is non-blocking: a read takes what is queued and never
 * waits. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "vector.h"

/* A reply must fit in one message: a read stops short of this and
 * leaves the rest queued for the next one. */
#define INOTIFY_REPLY_MAX (3584 * 1024)

/* The mask bits a watch may carry. */
#define WATCH_BITS (IN_ALL_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW | \
                    IN_EXCL_UNLINK | IN_MASK_ADD | IN_ONESHOT | IN_MASK_CREATE)

static int inotify_fd = -1;

/* Events read but not yet returned (a read that filled a reply). */
static char pending[64 * 1024];
static size_t pending_len;

int
optgroup_inotify_available (void)
{
  return access ("/proc/sys/fs/inotify", F_OK) == 0;
}

static int
need_inotify (void)
{
  if (inotify_fd >= 0)
    return 0;
  return reply_with_error_errno (EINVAL, "no inotify handle "
                                 "(inotify_init makes one)");
}

int
do_inotify_init (int maxevents)
{
  int fd;

  if (maxevents < 0)
    return reply_with_error_errno (EINVAL, "%d: not a number "
                                   "of events", maxevents);
  if (maxevents > 0) {
    CLEANUP_CLOSE int p = open ("/proc/sys/fs/inotify/max_queued_events",
                                O_WRONLY | O_CLOEXEC);
    char num[32];
    int n = snprintf (num, sizeof num, "%d\n", maxevents);

    if (p == -1 || write_all (p, num, (size_t) n) == -1)
      return reply_with_perror ("max_queued_events");
  }
  fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("inotify");
  if (inotify_fd >= 0)
    close (inotify_fd);
  inotify_fd = fd;
  pending_len = 0;
  return 0;
}

int
do_inotify_close (void)
{
  if (need_inotify () == -1)
    return -1;
  close (inotify_fd);
  inotify_fd = -1;
  pending_len = 0;
  return 0;
}

int64_t
do_inotify_add_watch (const char *path, int mask)
{
  unsigned int m = (unsigned int) mask;
  int flags = O_PATH;
  char buf[32];
  int wd;
  CLEANUP_CLOSE int fd = -1;

  if (need_inotify () == -1)
    return -1;
  if ((m & ~(unsigned int) WATCH_BITS) != 0 || (m & IN_ALL_EVENTS) == 0)
    return reply_with_error_errno (EINVAL, "%#x: not a "
                                   "mask of inotify events", m);
  if (m & IN_DONT_FOLLOW)
    flags |= O_NOFOLLOW;
  if (m & IN_ONLYDIR)
    flags |= O_DIRECTORY;
  fd = sysroot_open (path, flags, 0);
  if (fd == -1)
    return reply_with_perror ("%s", path);
  /* The /proc/self/fd name is followed to the very inode opened. */
  m &= ~(unsigned int) IN_DONT_FOLLOW;
  wd = inotify_add_watch (inotify_fd, fd_path (fd, buf), m);
  if (wd == -1)
    return reply_with_perror ("%s", path);
  return wd;
}

int
do_inotify_rm_watch (int wd)
{
  if (need_inotify () == -1)
    return -1;
  if (inotify_rm_watch (inotify_fd, wd) == -1)
    return reply_with_perror ("%d", wd);
  return 0;
}

DEFINE_VECTOR_TYPE (event_vector, struct drydock_inotify_event);

static void
free_event (struct drydock_inotify_event e)
{
  free (e.in_name);
}

/* Moves what the kernel has queued into pending (never waiting).  0, or
 * -1 with errno. */
static int
fill_pending (void)
{
  ssize_t n;

  if (pending_len > 0)
    return 0;
  n = read (inotify_fd, pending, sizeof pending);
  if (n == -1)
    return errno == EAGAIN ? 0 : -1;
  pending_len = (size_t) n;
  return 0;
}

/* Appends the events queued to v until none is left or the reply is
 * full.  0, or -1 with errno. */
static int
read_events (event_vector *v)
{
  size_t bytes = 0;

  for (;;) {
    size_t off = 0;

    if (fill_pending () == -1)
      return -1;
    if (pending_len == 0)
      return 0;
    while (off + sizeof (struct inotify_event) <= pending_len) {
      struct inotify_event ev;
      struct drydock_inotify_event e;
      size_t size;

      memcpy (&ev, pending + off, sizeof ev);
      size = sizeof ev + ev.len;
      if (bytes + size + 24 > INOTIFY_REPLY_MAX)
        break;
      e.in_wd = ev.wd;
      e.in_mask = ev.mask;
      e.in_cookie = ev.cookie;
      e.in_name = strndup (pending + off + sizeof ev, ev.len);
      if (e.in_name == NULL || event_vector_append (v, e) == -1) {
        free (e.in_name);
        return -1;
      }
      bytes += size + 24;
      off += size;
    }
    memmove (pending, pending + off, pending_len - off);
    pending_len -= off;
    if (pending_len > 0)        /* the reply is full */
      return 0;
  }
}

struct drydock_inotify_event_list *
do_inotify_read (void)
{
  event_vector v = EMPTY_VECTOR;
  struct drydock_inotify_event_list *r;

  if (need_inotify () == -1)
    return NULL;
  if (read_events (&v) == -1 ||
      (v.len == 0 && event_vector_reserve (&v, 1) == -1) ||
      (r = malloc (sizeof *r)) == NULL) {
    reply_with_perror ("reading the events");
    event_vector_iter (&v, free_event);
    event_vector_reset (&v);
    return NULL;
  }
  r->len = (uint32_t) v.len;
  r->val = v.ptr;
  return r;
}

char **
do_inotify_files (void)
{
  event_vector v = EMPTY_VECTOR;
  struct strlist l = STRLIST_INIT;
  char **names;
  size_t n = 0;

  if (need_inotify () == -1)
    return NULL;
  /* Everything queued, reply after reply's worth. */
  do {
    size_t from = v.len;

    if (read_events (&v) == -1)
      goto fail;
    if (v.len == from)
      break;
  } while (pending_len > 0);
  for (size_t i = 0; i < v.len; ++i)
    if (v.ptr[i].in_name[0] != '\0' &&
        strlist_add (&l, v.ptr[i].in_name) == -1)
      goto fail;
  names = strlist_take (&l);
  if (names == NULL)
    goto fail;
  n = count_strings (names);
  sort_strings (names);
  /* Each name once. */
  for (size_t i = 1, j = 1; i <= n; ++i) {
    if (i == n) {
      names[j] = NULL;
      break;
    }
    if (strcmp (names[i], names[j - 1]) == 0)
      free (names[i]);
    else
      names[j++] = names[i];
  }
  event_vector_iter (&v, free_event);
  event_vector_reset (&v);
  return names;

 fail:
  reply_with_perror ("reading the events");
  strlist_free (&l);
  event_vector_iter (&v, free_event);
  event_vector_reset (&v);
  return NULL;
}
