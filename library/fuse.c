/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mount_local, mount_local_run and umount_local: the guest filesystem
 * served on a host directory with libfuse3's high-level API.  Every
 * FUSE operation becomes calls through the protocol.  This file holds
 * the mount and its loop, attributes, directories, extended attributes
 * and changes; what makes them fast is here: a directory read fetches
 * its names' lstats (and, when asked for, link targets and extended
 * attributes) in batches, or a read-only mount's whole tree in one
 * call, kept in fuse-cache.c's caches and handed to the kernel with
 * the entries (readdirplus).  Open files and reads (small files in
 * batches, big ones streamed) are fuse-read.c's; fuse-int.h holds
 * what the two share.
 *
 * The loop is single-threaded: the handle serves one call at a time,
 * and so does the loop.  The one exception is a stream's or a batch's
 * thread (fuse-read.c), which makes the handle's calls while it runs:
 * anything else that needs a call stops it first (handle ()).  Without
 * libfuse3 the three calls fail with ENOTSUP. */

#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"

#ifdef HAVE_FUSE

#include "fuse-int.h"

/* The longest pwrite: what one call holds. */
#define READ_MAX (WIRE_MESSAGE_MAX - 64 * 1024)
/* Names a batched call takes at once. */
#define BATCH_STAT 8192
#define BATCH_LINK 512
#define BATCH_XATTR 1024

static void raise_readahead (drydock_h *h, const char *mountpoint);
static void statfs_keep (struct drydock_local_mount *m, drydock_h *h);

void
lmount_trace_op (const char *op, const char *path)
{
  struct drydock_local_mount *m = lm ();

  /* The kernel sets the mount's readahead when the INIT is answered:
   * it is raised at the first operation after that. */
  if (m->readahead_pending) {
    m->readahead_pending = 0;
    raise_readahead (m->h, m->h->local_mountpoint);
  }
  if (m->debugcalls)
    drydock_int_debug (m->h, "mount_local: %s %s", op, path);
}

void
lmount_stat_from_statns (struct stat *st, const struct drydock_statns *s)
{
  memset (st, 0, sizeof *st);
  st->st_dev = (dev_t) s->st_dev;
  st->st_ino = (ino_t) s->st_ino;
  st->st_mode = (mode_t) s->st_mode;
  st->st_nlink = (nlink_t) s->st_nlink;
  st->st_uid = (uid_t) s->st_uid;
  st->st_gid = (gid_t) s->st_gid;
  st->st_rdev = (dev_t) s->st_rdev;
  st->st_size = (off_t) s->st_size;
  st->st_blksize = (blksize_t) s->st_blksize;
  st->st_blocks = (blkcnt_t) s->st_blocks;
  st->st_atim.tv_sec = s->st_atime_sec;
  st->st_atim.tv_nsec = s->st_atime_nsec;
  st->st_mtim.tv_sec = s->st_mtime_sec;
  st->st_mtim.tv_nsec = s->st_mtime_nsec;
  st->st_ctim.tv_sec = s->st_ctime_sec;
  st->st_ctim.tv_nsec = s->st_ctime_nsec;
}

void
lmount_changed (const char *path, int whole_tree)
{
  struct drydock_local_mount *m = lm ();

  if (whole_tree)
    lcache_clear (m->cache);
  else
    lcache_forget (m->cache, path);
  for (struct lfile *f = m->files; f; f = f->next)
    if (whole_tree || strcmp (f->path, path) == 0)
      f->len = f->old_len = 0;
}

/* Attributes. */

static int
op_getattr (const char *path, struct stat *st, struct fuse_file_info *fi)
{
  drydock_h *h;
  struct lcache_entry *e = lcache_get (lm ()->cache, path);
  struct drydock_statns *s;

  (void) fi;
  lmount_trace_op ("getattr", path);
  if (e && (e->have & LCACHE_STAT)) {
    *st = e->st;
    return 0;
  }
  /* A name of a tree on its way comes with its directory. */
  if (lm ()->tree) {
    const char *base;
    CLEANUP_FREE char *dir = parent_of (path, &base);

    if (dir && lmount_tree_wait_dir (lm (), dir) &&
        (e = lcache_get (lm ()->cache, path)) && (e->have & LCACHE_STAT)) {
      *st = e->st;
      return 0;
    }
  }
  h = handle ();
  s = drydock_lstatns (h, path);
  if (s == NULL)
    return neg_errno (h);
  lmount_stat_from_statns (st, s);
  drydock_free_statns (s);
  e = lcache_make (lm ()->cache, path);
  if (e) {
    e->st = *st;
    e->have |= LCACHE_STAT;
  }
  return 0;
}

/* The link targets of the symlinks among names[0..n) of dir, into the
 * cache; failures leave them to readlink. */
static void
fetch_links (drydock_h *h, const char *dir, char **names, size_t n)
{
  char **targets = drydock_readlinklist (h, dir, names);

  if (targets == NULL)
    return;
  for (size_t i = 0; i < n && targets[i]; ++i) {
    char *p = join (dir, names[i]);
    struct lcache_entry *e = p ? lcache_make (lm ()->cache, p) : NULL;

    if (e && *targets[i])
      lcache_set_link (e, targets[i]);
    free (p);
  }
  drydock_free_string_list (targets);
}

/* The lstats of names[0..n) of dir into the cache and sts[0..n)
 * (st_ino 0: gone meanwhile); symlinks gathered in links.  -errno. */
static int
fill_batch (drydock_h *h, const char *dir, char **names, size_t n,
            struct stat *sts, struct strlist *links)
{
  struct drydock_statns_list *l;
  char *saved = names[n];
  int r = 0;

  names[n] = NULL;
  l = drydock_lstatnslist (h, dir, names);
  names[n] = saved;
  if (l == NULL)
    return neg_errno (h);
  for (size_t i = 0; i < n && i < l->len; ++i) {
    struct stat st;
    char *p;
    struct lcache_entry *e;

    if (l->val[i].st_ino == -1)       /* gone meanwhile */
      continue;
    lmount_stat_from_statns (&st, &l->val[i]);
    sts[i] = st;
    p = join (dir, names[i]);
    e = p ? lcache_make (lm ()->cache, p) : NULL;
    if (e) {
      e->st = st;
      e->have |= LCACHE_STAT;
      if (S_ISLNK (st.st_mode) && !(e->have & LCACHE_LINK))
        strlist_add (links, names[i]);
    }
    free (p);
  }
  drydock_free_statns_list (l);
  return r;
}

/* Fills a directory listing from the caches, from entry offset on
 * ("." is 0, ".." 1, then the names), each with the offset of the
 * next, until the kernel's buffer is full: 1 if the caches held all
 * of it, 0 if not (nothing was filled).  With offsets, libfuse gives
 * the kernel each entry's attributes and node, so that it looks none
 * of the names up after (without, it drops them). */
static int
readdir_cached (const char *path, void *buf, fuse_fill_dir_t filler,
                off_t offset)
{
  struct lcache *c = lm ()->cache;
  struct lcache_entry *d = lcache_get (c, path);
  size_t n;

  if (d == NULL || !(d->have & LCACHE_NAMES))
    return 0;
  n = count_strings (d->names);
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *p = join (path, d->names[i]);
    struct lcache_entry *e = p ? lcache_get (c, p) : NULL;

    if (e == NULL || !(e->have & LCACHE_STAT))
      return 0;
  }
  if (offset < 0)
    return 1;
  for (size_t k = (size_t) offset; k < n + 2; ++k) {
    CLEANUP_FREE char *p = NULL;
    struct lcache_entry *e;

    if (k < 2) {
      if (filler (buf, k ? ".." : ".", NULL, (off_t) k + 1, 0))
        break;
      continue;
    }
    p = join (path, d->names[k - 2]);
    e = p ? lcache_get (c, p) : NULL;
    if (e == NULL ||
        filler (buf, d->names[k - 2], &e->st, (off_t) k + 1,
                FUSE_FILL_DIR_PLUS))
      break;
  }
  return 1;
}

static int
op_readdir (const char *path, void *buf, fuse_fill_dir_t filler,
            off_t offset, struct fuse_file_info *fi,
            enum fuse_readdir_flags flags)
{
  drydock_h *h;
  struct drydock_dirent_list *d;
  struct strlist names = STRLIST_INIT, links = STRLIST_INIT;
  struct lcache_entry *e;
  struct stat *sts;
  char **v;
  size_t n;
  int r = 0;

  (void) fi;
  (void) flags;
  lmount_trace_op ("readdir", path);
  if (readdir_cached (path, buf, filler, offset))
    return 0;
  /* A tree on its way, or the first directory read: its tree. */
  if (lmount_tree_wait_dir (lm (), path) &&
      readdir_cached (path, buf, filler, offset))
    return 0;
  statfs_keep (lm (), handle ());
  if (lmount_tree_start (lm (), path) == 0 &&
      lmount_tree_wait_dir (lm (), path) &&
      readdir_cached (path, buf, filler, offset))
    return 0;
  h = handle ();
  d = drydock_readdir (h, path);
  if (d == NULL)
    return neg_errno (h);
  for (uint32_t i = 0; i < d->len; ++i)
    if (strcmp (d->val[i].name, ".") && strcmp (d->val[i].name, "..") &&
        strlist_add (&names, d->val[i].name) == -1) {
      r = -ENOMEM;
      break;
    }
  drydock_free_dirent_list (d);
  v = strlist_take (&names);
  if (r || v == NULL) {
    strlist_free (&names);
    return r ? r : -ENOMEM;
  }
  n = count_strings (v);
  sts = calloc (n ? n : 1, sizeof *sts);
  if (sts == NULL) {
    free_string_list (v);
    return -ENOMEM;
  }
  for (size_t i = 0; i < n && r == 0; i += BATCH_STAT)
    r = fill_batch (h, path, v + i, n - i < BATCH_STAT ? n - i : BATCH_STAT,
                    sts + i, &links);
  if (links.len) {
    char **lv = strlist_take (&links);
    size_t ln = lv ? count_strings (lv) : 0;

    for (size_t i = 0; i < ln; i += BATCH_LINK) {
      size_t k = ln - i < BATCH_LINK ? ln - i : BATCH_LINK;
      char *saved = lv[i + k];

      lv[i + k] = NULL;
      fetch_links (h, path, lv + i, k);
      lv[i + k] = saved;
    }
    free_string_list (lv);
  }
  strlist_free (&links);
  /* The names stay for the next reads and a later getxattr, which
   * fetches them all. */
  e = lcache_make (lm ()->cache, path);
  if (e)
    lcache_set_names (e, v);
  if (r == 0 && e && readdir_cached (path, buf, filler, offset)) {
    free (sts);
    return 0;
  }
  /* The caches keep nothing, or a name went meanwhile: the listing as
   * fetched, all of it at once (libfuse serves the offsets). */
  if (r == 0) {
    filler (buf, ".", NULL, 0, 0);
    filler (buf, "..", NULL, 0, 0);
    for (size_t i = 0; i < n; ++i)
      filler (buf, v[i], sts[i].st_ino ? &sts[i] : NULL, 0,
              sts[i].st_ino ? FUSE_FILL_DIR_PLUS : 0);
  }
  if (e == NULL)
    free_string_list (v);
  free (sts);
  return r;
}

static int
op_readlink (const char *path, char *buf, size_t size)
{
  struct lcache_entry *e = lcache_get (lm ()->cache, path);
  char *target = NULL;
  const char *t;

  lmount_trace_op ("readlink", path);
  if (size == 0)
    return -EINVAL;
  if (e && (e->have & LCACHE_LINK))
    t = e->link;
  else {
    drydock_h *h = handle ();

    target = drydock_readlink (h, path);
    if (target == NULL)
      return neg_errno (h);
    t = target;
  }
  strncpy (buf, t, size - 1);
  buf[size - 1] = '\0';
  free (target);
  return 0;
}

/* Extended attributes. */

/* The attributes of every name of the directory dir whose names the
 * cache knows, in one lxattrlist per batch. */
static void
fetch_dir_xattrs (drydock_h *h, const char *dir, char **names)
{
  size_t n = count_strings (names);

  for (size_t i = 0; i < n; i += BATCH_XATTR) {
    size_t k = n - i < BATCH_XATTR ? n - i : BATCH_XATTR;
    char *saved = names[i + k];
    struct drydock_xattr_list *l;
    size_t j = 0;

    names[i + k] = NULL;
    l = drydock_lxattrlist (h, dir, names + i);
    names[i + k] = saved;
    if (l == NULL)
      return;
    for (size_t f = 0; f < k && j < l->len; ++f) {
      const struct drydock_xattr *head = &l->val[j++];
      char *end;
      unsigned long count;
      char *p;
      struct lcache_entry *e;

      if (head->attrval_len == 0)
        continue;               /* could not be read */
      count = strtoul (head->attrval, &end, 10);
      if (*end || count > l->len - j)
        break;                  /* malformed: trust nothing after */
      p = join (dir, names[i + f]);
      e = p ? lcache_make (lm ()->cache, p) : NULL;
      if (e)
        lcache_set_xattrs (e, &l->val[j], count);
      free (p);
      j += count;
    }
    drydock_free_xattr_list (l);
  }
}

/* The cache entry holding path's attributes, fetched if needed; NULL
 * with *err when they cannot be had. */
static struct lcache_entry *
xattrs_of (const char *path, int *err)
{
  drydock_h *h;
  struct lcache *c = lm ()->cache;
  struct lcache_entry *e = lcache_get (c, path);
  const char *base;
  CLEANUP_FREE char *dir = NULL;
  struct drydock_xattr_list *l;

  if (e && (e->have & LCACHE_XATTRS))
    return e;
  h = handle ();
  dir = parent_of (path, &base);
  if (dir) {
    struct lcache_entry *d = lcache_get (c, dir);
    if (d && (d->have & LCACHE_NAMES)) {
      fetch_dir_xattrs (h, dir, d->names);
      e = lcache_get (c, path);
      if (e && (e->have & LCACHE_XATTRS))
        return e;
    }
  }
  l = drydock_lgetxattrs (h, path);
  if (l == NULL) {
    *err = neg_errno (h);
    return NULL;
  }
  e = lcache_make (c, path);
  if (e == NULL || lcache_set_xattrs (e, l->val, l->len) == -1) {
    drydock_free_xattr_list (l);
    *err = -ENOMEM;
    return NULL;
  }
  drydock_free_xattr_list (l);
  return e;
}

static int
op_getxattr (const char *path, const char *name, char *value, size_t size)
{
  int err = 0;
  struct lcache_entry *e;

  lmount_trace_op ("getxattr", path);
  e = xattrs_of (path, &err);
  if (e == NULL)
    return err == -ENOTSUP ? -ENODATA : err;
  for (size_t i = 0; i < e->n_xattrs; ++i) {
    const struct drydock_xattr *x = &e->xattrs[i];

    if (strcmp (x->attrname, name) != 0)
      continue;
    if (size == 0)
      return (int) x->attrval_len;
    if (size < x->attrval_len)
      return -ERANGE;
    memcpy (value, x->attrval, x->attrval_len);
    return (int) x->attrval_len;
  }
  return -ENODATA;
}

static int
op_listxattr (const char *path, char *list, size_t size)
{
  int err = 0;
  struct lcache_entry *e;
  size_t need = 0;

  lmount_trace_op ("listxattr", path);
  e = xattrs_of (path, &err);
  if (e == NULL)
    return err == -ENOTSUP ? 0 : err;
  for (size_t i = 0; i < e->n_xattrs; ++i)
    need += strlen (e->xattrs[i].attrname) + 1;
  if (size == 0)
    return (int) need;
  if (size < need)
    return -ERANGE;
  for (size_t i = 0; i < e->n_xattrs; ++i) {
    size_t k = strlen (e->xattrs[i].attrname) + 1;
    memcpy (list, e->xattrs[i].attrname, k);
    list += k;
  }
  return (int) need;
}


static int
op_write (const char *path, const char *buf, size_t size, off_t offset,
          struct fuse_file_info *fi)
{
  drydock_h *h = handle ();
  size_t done = 0;

  (void) fi;
  lmount_trace_op ("write", path);
  if (lm ()->readonly)
    return -EROFS;
  lmount_changed (path, 0);
  while (done < size) {
    size_t k = size - done > READ_MAX ? READ_MAX : size - done;
    int r = drydock_pwrite (h, path, buf + done, k, offset + (off_t) done);

    if (r <= 0)
      return done ? (int) done : (r < 0 ? neg_errno (h) : -EIO);
    done += (size_t) r;
  }
  return (int) done;
}

/* The filesystem's numbers, from the appliance. */
static int
statfs_fetch (drydock_h *h, struct statvfs *sv)
{
  struct drydock_statvfs *s = drydock_statvfs (h, "/");

  if (s == NULL)
    return neg_errno (h);
  memset (sv, 0, sizeof *sv);
  sv->f_bsize = (unsigned long) s->bsize;
  sv->f_frsize = (unsigned long) s->frsize;
  sv->f_blocks = (fsblkcnt_t) s->blocks;
  sv->f_bfree = (fsblkcnt_t) s->bfree;
  sv->f_bavail = (fsblkcnt_t) s->bavail;
  sv->f_files = (fsfilcnt_t) s->files;
  sv->f_ffree = (fsfilcnt_t) s->ffree;
  sv->f_favail = (fsfilcnt_t) s->favail;
  sv->f_fsid = (unsigned long) s->fsid;
  sv->f_flag = (unsigned long) s->flag;
  sv->f_namemax = (unsigned long) s->namemax;
  drydock_free_statvfs (s);
  return 0;
}

/* A read-only mount's numbers do not change: they are kept as long as
 * attributes are, and fetched before a tree (find asks for them at its
 * first directory, which must not wait for the whole walk). */
static void
statfs_keep (struct drydock_local_mount *m, drydock_h *h)
{
  if (m->readonly && m->timeout > 0 && lcache_now () >= m->statfs_until &&
      statfs_fetch (h, &m->statfs) == 0)
    m->statfs_until = lcache_now () + m->timeout;
}

static int
op_statfs (const char *path, struct statvfs *sv)
{
  struct drydock_local_mount *m = lm ();
  drydock_h *h;

  lmount_trace_op ("statfs", path);
  if (lcache_now () < m->statfs_until) {
    *sv = m->statfs;
    return 0;
  }
  h = handle ();
  statfs_keep (m, h);
  if (lcache_now () < m->statfs_until) {
    *sv = m->statfs;
    return 0;
  }
  return statfs_fetch (h, sv);
}

/* Changes.  Each fails with EROFS on a read-only mount, drops what the
 * caches knew of what it touched, and maps the call's error. */

#define CHANGE_BEGIN(op, path, tree)            \
  drydock_h *h = handle ();                     \
  lmount_trace_op (op, path);                          \
  if (lm ()->readonly)                          \
    return -EROFS;                              \
  lmount_changed (path, tree)

#define CHANGE_END(r) return (r) == -1 ? neg_errno (h) : 0

static int
op_truncate (const char *path, off_t size, struct fuse_file_info *fi)
{
  (void) fi;
  CHANGE_BEGIN ("truncate", path, 0);
  CHANGE_END (drydock_truncate_size (h, path, size));
}

static int
op_chmod (const char *path, mode_t mode, struct fuse_file_info *fi)
{
  (void) fi;
  CHANGE_BEGIN ("chmod", path, 0);
  CHANGE_END (drydock_chmod (h, (int) (mode & 07777), path));
}

static int
op_chown (const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
  struct stat st;

  if (uid == (uid_t) -1 || gid == (gid_t) -1) {
    int r = op_getattr (path, &st, fi);
    if (r < 0)
      return r;
    if (uid == (uid_t) -1)
      uid = st.st_uid;
    if (gid == (gid_t) -1)
      gid = st.st_gid;
  }
  CHANGE_BEGIN ("chown", path, 0);
  CHANGE_END (drydock_lchown (h, (int) uid, (int) gid, path));
}

static int64_t
nsecs_of (const struct timespec *t)
{
  if (t->tv_nsec == UTIME_NOW)
    return -1;
  if (t->tv_nsec == UTIME_OMIT)
    return -2;
  return t->tv_nsec;
}

static int
op_utimens (const char *path, const struct timespec tv[2],
            struct fuse_file_info *fi)
{
  (void) fi;
  CHANGE_BEGIN ("utimens", path, 0);
  if (tv == NULL)
    CHANGE_END (drydock_utimens (h, path, 0, -1, 0, -1));
  CHANGE_END (drydock_utimens (h, path, tv[0].tv_sec, nsecs_of (&tv[0]),
                               tv[1].tv_sec, nsecs_of (&tv[1])));
}

static int
op_mkdir (const char *path, mode_t mode)
{
  CHANGE_BEGIN ("mkdir", path, 0);
  CHANGE_END (drydock_mkdir_mode (h, path, (int) (mode & 07777)));
}

static int
op_mknod (const char *path, mode_t mode, dev_t rdev)
{
  CHANGE_BEGIN ("mknod", path, 0);
  CHANGE_END (drydock_mknod (h, (int) mode, (int) major (rdev),
                             (int) minor (rdev), path));
}

static int
op_unlink (const char *path)
{
  CHANGE_BEGIN ("unlink", path, 0);
  CHANGE_END (drydock_rm (h, path));
}

static int
op_rmdir (const char *path)
{
  CHANGE_BEGIN ("rmdir", path, 1);
  CHANGE_END (drydock_rmdir (h, path));
}

static int
op_symlink (const char *target, const char *path)
{
  CHANGE_BEGIN ("symlink", path, 0);
  CHANGE_END (drydock_ln_s (h, target, path));
}

static int
op_rename (const char *from, const char *to, unsigned int flags)
{
  CHANGE_BEGIN ("rename", from, 1);
  if (flags)
    return -EINVAL;
  CHANGE_END (drydock_rename (h, from, to));
}

static int
op_link (const char *from, const char *to)
{
  CHANGE_BEGIN ("link", to, 0);
  lcache_forget (lm ()->cache, from);
  CHANGE_END (drydock_ln (h, from, to));
}

static int
op_setxattr (const char *path, const char *name, const char *value,
             size_t size, int flags)
{
  (void) flags;
  CHANGE_BEGIN ("setxattr", path, 0);
  if (size > INT32_MAX)
    return -E2BIG;
  CHANGE_END (drydock_lsetxattr (h, name, value, size, (int) size, path));
}

static int
op_removexattr (const char *path, const char *name)
{
  CHANGE_BEGIN ("removexattr", path, 0);
  CHANGE_END (drydock_lremovexattr (h, name, path));
}

static int
op_fsync (const char *path, int datasync, struct fuse_file_info *fi)
{
  drydock_h *h = handle ();

  (void) datasync;
  (void) fi;
  lmount_trace_op ("fsync", path);
  if (lm ()->readonly)
    return 0;
  return drydock_sync (h) == -1 ? neg_errno (h) : 0;
}

static void *
op_init (struct fuse_conn_info *conn, struct fuse_config *cfg)
{
  struct drydock_local_mount *m = lm ();
  double t = m->timeout;

  /* Every directory read carries its entries' attributes (the caches
   * have them), so the kernel need not look each name up after it. */
  if (conn->capable & FUSE_CAP_READDIRPLUS)
    conn->want = (conn->want | FUSE_CAP_READDIRPLUS) &
      ~FUSE_CAP_READDIRPLUS_AUTO;
  cfg->use_ino = 1;
  cfg->entry_timeout = t;
  cfg->attr_timeout = t;
  cfg->negative_timeout = t;
  cfg->kernel_cache = m->readonly;
  cfg->nullpath_ok = 0;
  m->no_open = m->readonly && (conn->capable & FUSE_CAP_NO_OPEN_SUPPORT);
  return m;
}

static const struct fuse_operations ops = {
  .getattr = op_getattr,
  .readlink = op_readlink,
  .mknod = op_mknod,
  .mkdir = op_mkdir,
  .unlink = op_unlink,
  .rmdir = op_rmdir,
  .symlink = op_symlink,
  .rename = op_rename,
  .link = op_link,
  .chmod = op_chmod,
  .chown = op_chown,
  .truncate = op_truncate,
  .open = lmount_open,
  .read = lmount_read,
  .write = op_write,
  .statfs = op_statfs,
  .release = lmount_release,
  .fsync = op_fsync,
  .setxattr = op_setxattr,
  .getxattr = op_getxattr,
  .listxattr = op_listxattr,
  .removexattr = op_removexattr,
  .readdir = op_readdir,
  .init = op_init,
  .utimens = op_utimens,
};

static void
local_mount_free (struct drydock_local_mount *m)
{
  if (m == NULL)
    return;
  lmount_stream_stop (m);
  lmount_batch_end (m, -1);
  lmount_tree_end (m, 0);
  if (m->fuse) {
    if (m->mounted)
      fuse_unmount (m->fuse);
    fuse_destroy (m->fuse);
  }
  lmount_files_free (m);
  lcache_free (m->cache);
  free (m);
}

void
drydock_int_local_mount_close (drydock_h *h)
{
  local_mount_free (h->local_mount);
  h->local_mount = NULL;
  free (h->local_mountpoint);
  h->local_mountpoint = NULL;
}

/* The kernel reads ahead on a FUSE mount 128 KiB at a time, one
 * request (and a wake-up of this process) each; its readahead is raised
 * to READAHEAD_KB, so that a file read in sequence costs few requests.
 * The mount's device number is found in mountinfo (a stat of the
 * mount point would wait for this very loop).
 * Best effort: a host that does not let us is only slower. */
#define READAHEAD_KB 4096

static void
raise_readahead (drydock_h *h, const char *mountpoint)
{
  FILE *fp = fopen ("/proc/self/mountinfo", "re");
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0;
  unsigned maj, min;
  char mp[4097], path[64];

  if (fp == NULL)
    return;
  while (getline (&line, &cap, fp) != -1) {
    if (sscanf (line, "%*s %*s %u:%u %*s %4096s", &maj, &min, mp) == 3 &&
        strcmp (mp, mountpoint) == 0) {
      FILE *ra;

      snprintf (path, sizeof path, "/sys/class/bdi/%u:%u/read_ahead_kb",
                maj, min);
      ra = fopen (path, "we");
      if (ra) {
        fprintf (ra, "%d\n", READAHEAD_KB);
        if (fclose (ra) == 0)
          drydock_int_debug (h, "mount_local: readahead %d KiB", READAHEAD_KB);
      }
    }
  }
  fclose (fp);
}

int
drydock_impl_mount_local (drydock_h *h, const char *localmountpoint,
                          const struct drydock_mount_local_opts_argv *o)
{
  struct fuse_args args = FUSE_ARGS_INIT (0, NULL);
  struct drydock_local_mount *m;
  CLEANUP_FREE char *mopts = NULL;
  int timeout = 60;

  if (h->local_mount || h->local_mountpoint)
    return (drydock_int_error_errno (h, EBUSY, "mount_local: %s is mounted "
                                     "already (one local mount a handle)",
                                     h->local_mountpoint), -1);
  if (o->bitmask & DRYDOCK_MOUNT_LOCAL_OPTS_CACHETIMEOUT_BITMASK)
    timeout = o->cachetimeout;
  if (timeout < 0)
    return (drydock_int_error_errno (h, EINVAL, "mount_local: cachetimeout "
                                     "%d is negative", timeout), -1);
  if (access ("/dev/fuse", R_OK | W_OK) == -1)
    return (drydock_int_perror (h, "mount_local: /dev/fuse (is the fuse "
                                "module loaded?)"), -1);
  m = calloc (1, sizeof *m);
  if (m == NULL || (m->cache = lcache_new (timeout)) == NULL) {
    drydock_int_perror (h, "mount_local");
    free (m);
    return -1;
  }
  m->h = h;
  m->timeout = timeout;
  m->readonly = (o->bitmask & DRYDOCK_MOUNT_LOCAL_OPTS_READONLY_BITMASK) &&
    o->readonly;
  m->debugcalls = (o->bitmask & DRYDOCK_MOUNT_LOCAL_OPTS_DEBUGCALLS_BITMASK) &&
    o->debugcalls;
  if (asprintf (&mopts, "fsname=drydock,subtype=drydock%s%s%s",
                m->readonly ? ",ro" : "",
                o->options && *o->options ? "," : "",
                o->options ? o->options : "") == -1 ||
      fuse_opt_add_arg (&args, "drydock") == -1 ||
      fuse_opt_add_arg (&args, "-o") == -1 ||
      fuse_opt_add_arg (&args, mopts) == -1) {
    drydock_int_perror (h, "mount_local");
    fuse_opt_free_args (&args);
    local_mount_free (m);
    return -1;
  }
  m->fuse = fuse_new (&args, &ops, sizeof ops, m);
  fuse_opt_free_args (&args);
  if (m->fuse == NULL) {
    local_mount_free (m);
    return (drydock_int_error_errno (h, EINVAL, "mount_local: the FUSE "
                                     "options '%s' were refused",
                                     mopts), -1);
  }
  if (fuse_mount (m->fuse, localmountpoint) == -1) {
    local_mount_free (m);
    return (drydock_int_error_errno (h, EIO, "mount_local: %s: cannot "
                                     "mount there (not an empty directory "
                                     "we may mount on?)", localmountpoint),
            -1);
  }
  m->mounted = 1;
  m->readahead_pending = 1;
  h->local_mountpoint = strdup (localmountpoint);
  if (h->local_mountpoint == NULL) {
    local_mount_free (m);
    return (drydock_int_perror (h, "mount_local"), -1);
  }
  h->local_mount = m;
  drydock_int_debug (h, "mount_local: %s mounted%s, cache %d s",
                     localmountpoint, m->readonly ? " read-only" : "", timeout);
  return 0;
}

int
drydock_impl_mount_local_run (drydock_h *h)
{
  struct drydock_local_mount *m = h->local_mount;
  int r;

  if (m == NULL)
    return (drydock_int_error_errno (h, EINVAL, "mount_local_run: call "
                                     "mount_local first"), -1);
  r = fuse_loop (m->fuse);
  /* The kernel ended the session: the directory is unmounted. */
  m->mounted = 0;
  drydock_int_local_mount_close (h);
  if (r != 0)
    return (drydock_int_error_errno (h, EIO, "mount_local_run: the FUSE "
                                     "loop failed (%d)", r), -1);
  return 0;
}

int
drydock_impl_umount_local (drydock_h *h,
                           const struct drydock_umount_local_opts_argv *o)
{
  int retry = !(o->bitmask & DRYDOCK_UMOUNT_LOCAL_OPTS_RETRY_BITMASK) ||
    o->retry;
  const char *mp = h->local_mountpoint;

  if (mp == NULL)
    return (drydock_int_error_errno (h, EINVAL, "umount_local: nothing is "
                                     "mounted (mount_local)"), -1);
  for (int tries = 0; ; ++tries) {
    char *argv[] = { (char *) FUSERMOUNT, (char *) "-u", (char *) "-q",
                     (char *) mp, NULL };
    CLEANUP_FREE char *err = NULL;
    int st = drydock_int_run (h, argv, NULL, &err);

    if (st == 0)
      return 0;
    if (!retry || tries >= 4) {
      if (st == -1)
        return (drydock_int_perror (h, "umount_local: %s", FUSERMOUNT), -1);
      return (drydock_int_error_errno (h, EBUSY, "umount_local: %s: cannot "
                                       "unmount (busy?)%s%s", mp,
                                       err && *err ? ": " : "",
                                       err ? err : ""), -1);
    }
    sleep (1);
  }
}

#else /* !HAVE_FUSE */

static int
no_fuse (drydock_h *h, const char *name)
{
  drydock_int_error_errno (h, ENOTSUP, "%s: this libdrydock was built "
                           "without FUSE (libfuse3)", name);
  return -1;
}

void
drydock_int_local_mount_close (drydock_h *h)
{
  (void) h;
}

int
drydock_impl_mount_local (drydock_h *h, const char *localmountpoint,
                          const struct drydock_mount_local_opts_argv *o)
{
  (void) localmountpoint;
  (void) o;
  return no_fuse (h, "mount_local");
}

int
drydock_impl_mount_local_run (drydock_h *h)
{
  return no_fuse (h, "mount_local_run");
}

int
drydock_impl_umount_local (drydock_h *h,
                           const struct drydock_umount_local_opts_argv *o)
{
  (void) o;
  return no_fuse (h, "umount_local");
}

#endif /* !HAVE_FUSE */
