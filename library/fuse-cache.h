/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The caches of a local mount (mount_local): what was learnt about each
 * guest path (its lstat, a symlink's target, its extended attributes, a
 * directory's names) for a time, so that a directory read answers the
 * stat, readlink and getxattr calls that follow without a round trip
 * each, and the contents of small files read a directory at a time.  Keyed by the guest path; entries expire lazily.
 *
 * Convention: functions returning int give 0, or -1 with errno
 * (ENOMEM); lookups return NULL when nothing fresh is known. */

#ifndef DRYDOCK_FUSE_CACHE_H
#define DRYDOCK_FUSE_CACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "drydock.h"

#define LCACHE_STAT   0x01
#define LCACHE_LINK   0x02
#define LCACHE_XATTRS 0x04
#define LCACHE_NAMES  0x08
#define LCACHE_DATA   0x10

struct lcache_entry {
  struct lcache_entry *next;
  char *path;
  double expires;               /* monotonic seconds */
  unsigned have;                /* LCACHE_* */
  struct stat st;
  char *link;
  struct drydock_xattr *xattrs; /* owned copies */
  size_t n_xattrs;
  char **names;                 /* a directory's, without . and .. */
  char *data;                   /* a small file's whole contents */
  size_t data_len;
};

struct lcache;

/* A new cache whose entries live timeout seconds (0: nothing is kept).
 * NULL with errno. */
extern struct lcache *lcache_new (double timeout);
extern void lcache_free (struct lcache *c);
/* The fresh entry of path, or NULL. */
extern struct lcache_entry *lcache_get (struct lcache *c, const char *path);
/* The entry of path, made (empty, fresh) if there is none or it
 * expired.  NULL with errno, or when the cache keeps nothing (ENOSPC). */
extern struct lcache_entry *lcache_make (struct lcache *c, const char *path);
/* Sets what an entry holds (copies are made; the old value dropped). */
extern int lcache_set_link (struct lcache_entry *e, const char *target);
extern int lcache_set_xattrs (struct lcache_entry *e,
                              const struct drydock_xattr *x, size_t n);
/* Takes names (a NULL-terminated list). */
extern void lcache_set_names (struct lcache_entry *e, char **names);
/* Takes data, len bytes, as the whole contents of the file of e.  The
 * contents the cache holds are bounded: past the bound, all of them
 * are dropped first. */
extern void lcache_set_data (struct lcache *c, struct lcache_entry *e,
                             char *data, size_t len);
/* Drops the contents e holds. */
extern void lcache_drop_data (struct lcache *c, struct lcache_entry *e);
/* Forgets path and its parent directory (whose times and link count
 * a change of path changes). */
extern void lcache_forget (struct lcache *c, const char *path);
/* Forgets everything (a rename or removal of a directory changes the
 * paths of a whole tree). */
extern void lcache_clear (struct lcache *c);
/* The monotonic clock in seconds. */
extern double lcache_now (void);

#endif /* DRYDOCK_FUSE_CACHE_H */
