/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Metadata and whole files or trees of the guest: stat, size, mode and
 * owner, symbolic links, copying (cp, cp_a, cp_r) and moving (mv).
 *
 * As in dir.c, a path is resolved inside /sysroot by sysroot.c and its
 * last component handled with *at() calls; where a symlink must not be
 * followed the fd comes from O_PATH|O_NOFOLLOW and the call works on the
 * fd itself (AT_EMPTY_PATH), so a guest symlink never leads outside the
 * guest.  cp_a is done here in C because the appliance has no cp. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define COPY_BUFFER (256 * 1024)

static struct drydock_statns *
statns_guest (const char *path, int follow)
{
  struct drydock_statns *r;
  struct stat st;

  if (stat_guest (path, follow, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  statns_from_stat (r, &st);
  return r;
}

void
statns_from_stat (struct drydock_statns *r, const struct stat *st)
{
  *r = (struct drydock_statns) {
    .st_dev = (int64_t) st->st_dev, .st_ino = (int64_t) st->st_ino,
    .st_mode = st->st_mode, .st_nlink = (int64_t) st->st_nlink,
    .st_uid = st->st_uid, .st_gid = st->st_gid,
    .st_rdev = (int64_t) st->st_rdev, .st_size = st->st_size,
    .st_blksize = st->st_blksize, .st_blocks = st->st_blocks,
    .st_atime_sec = st->st_atim.tv_sec, .st_atime_nsec = st->st_atim.tv_nsec,
    .st_mtime_sec = st->st_mtim.tv_sec, .st_mtime_nsec = st->st_mtim.tv_nsec,
    .st_ctime_sec = st->st_ctim.tv_sec, .st_ctime_nsec = st->st_ctim.tv_nsec,
  };
}

struct drydock_statns *
do_statns (const char *path)
{
  return statns_guest (path, 1);
}

struct drydock_statns *
do_lstatns (const char *path)
{
  return statns_guest (path, 0);
}

int64_t
do_filesize (const char *path)
{
  struct stat st;

  if (stat_guest (path, 1, &st) == -1)
    return reply_with_perror ("%s", path);
  return st.st_size;
}

int
do_chmod (int mode, const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[32];

  if (mode < 0 || mode > 07777)
    return reply_with_error_errno (EINVAL, "%s: mode %d is not between 0 and "
                                   "07777", path, mode);
  /* fchmod refuses O_PATH fds; the /proc name of the fd reaches the
   * very file that was resolved (not a symlink: it was followed). */
  fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1 || chmod (fd_path (fd, buf), (mode_t) mode) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

static int
chown_guest (int owner, int group, const char *path, int follow)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH | (follow ? 0 : O_NOFOLLOW),
                                       0);

  if (fd == -1 ||
      fchownat (fd, "", (uid_t) owner, (gid_t) group, AT_EMPTY_PATH) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_chown (int owner, int group, const char *path)
{
  return chown_guest (owner, group, path, 1);
}

int
do_lchown (int owner, int group, const char *path)
{
  return chown_guest (owner, group, path, 0);
}

/* Symbolic links.  LINKNAME is always the link itself: ln_sf replaces a
 * file or symlink there but, unlike "ln -sf DIR", never puts the link
 * inside an existing directory. */

static int
symlink_guest (const char *target, const char *linkname, int replace)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (linkname, &base);

  if (dirfd == -1)
    return reply_with_perror ("%s", linkname);
  if (replace && unlinkat (dirfd, base, 0) == -1 && errno != ENOENT)
    return reply_with_perror ("%s", linkname);
  if (symlinkat (target, dirfd, base) == -1)
    return reply_with_perror ("%s", linkname);
  return 0;
}

int
do_ln_s (const char *target, const char *linkname)
{
  return symlink_guest (target, linkname, 0);
}

int
do_ln_sf (const char *target, const char *linkname)
{
  return symlink_guest (target, linkname, 1);
}

char *
read_link_at (int dirfd, const char *name)
{
  for (size_t size = 256; size <= 1024 * 1024; size *= 2) {
    char *buf = malloc (size);
    ssize_t n;

    if (buf == NULL)
      return NULL;
    n = readlinkat (dirfd, name, buf, size);
    if (n >= 0 && (size_t) n < size) {
      buf[n] = '\0';
      return buf;
    }
    free (buf);
    if (n == -1)
      return NULL;
  }
  errno = ENAMETOOLONG;
  return NULL;
}

char *
do_readlink (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH | O_NOFOLLOW, 0);
  struct stat st;
  char *r;

  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (!S_ISLNK (st.st_mode)) {
    reply_with_error_errno (EINVAL, "%s: not a symbolic link", path);
    return NULL;
  }
  r = read_link_at (fd, "");
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

/* Copying file data; holes are not kept. */

static int
copy_by_reading (int in, int out)
{
  CLEANUP_FREE char *buf = malloc (COPY_BUFFER);

  if (buf == NULL)
    return -1;
  for (;;) {
    ssize_t n = read (in, buf, COPY_BUFFER);

    if (n == 0)
      return 0;
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1 || write_all (out, buf, (size_t) n) == -1)
      return -1;
  }
}

/* Copies the rest of in to out.  -1 with errno. */
static int
copy_data (int in, int out)
{
  for (;;) {
    ssize_t n = copy_file_range (in, NULL, out, NULL, COPY_BUFFER * 64, 0);

    if (n == 0)
      return 0;
    if (n > 0 || errno == EINTR)
      continue;
    /* Not possible between these two files: copy through memory, from
     * the offsets reached so far. */
    if (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
        errno == EOPNOTSUPP)
      return copy_by_reading (in, out);
    return -1;
  }
}

/* Where a copy or move of src to dest goes: dest itself, or dest/NAME
 * (NAME being src's last component) when dest is an existing directory,
 * following a symlink to one as cp and mv do.  NULL with errno; caller
 * frees. */
static char *
target_path (const char *src, const char *dest)
{
  CLEANUP_FREE char *copy = strdup (src);
  struct stat st;
  const char *name;
  size_t n;
  char *r;

  if (copy == NULL)
    return NULL;
  if (stat_guest (dest, 1, &st) == -1 || !S_ISDIR (st.st_mode))
    return strdup (dest);
  n = strlen (copy);
  while (n > 1 && copy[n - 1] == '/')
    copy[--n] = '\0';
  name = strrchr (copy, '/') + 1;
  if (*name == '\0' || strcmp (name, ".") == 0 || strcmp (name, "..") == 0) {
    errno = EINVAL;
    return NULL;
  }
  if (asprintf (&r, "%s%s%s", dest, dest[strlen (dest) - 1] == '/' ? "" : "/",
                name) == -1)
    return NULL;
  return r;
}

/* cp: the source is followed if it is a symlink and must be a regular
 * file; an existing destination is written in place (through a symlink,
 * resolved inside the guest), a new one gets the source's permissions
 * less the umask and set-id bits. */

static int
open_source_or_reply (const char *src, struct stat *st)
{
  int fd = sysroot_open_regular (src, 0, st);

  if (fd >= 0)
    return fd;
  if (S_ISDIR (st->st_mode))
    return reply_with_error_errno (EISDIR, "%s: is a directory (use cp_a)",
                                   src);
  if (st->st_mode != 0)
    return reply_not_regular (src, st->st_mode);
  return reply_with_perror ("%s", src);
}

static int
open_dest_or_reply (const char *dest, const struct stat *src)
{
  struct stat st;
  int fd;

  if (stat_guest (dest, 1, &st) == 0) {
    if (!S_ISREG (st.st_mode))
      return reply_with_error_errno (S_ISDIR (st.st_mode) ? EISDIR : EINVAL,
                                     "%s: not a regular file", dest);
  }
  else if (errno == ENOENT && stat_guest (dest, 0, &st) == 0)
    return reply_with_error_errno (ENOENT, "%s: not writing through a "
                                   "dangling symlink", dest);
  fd = sysroot_open (dest, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK,
                     src->st_mode & 0777);
  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", dest);
    if (fd >= 0)
      close (fd);
    return -1;
  }
  if (st.st_dev == src->st_dev && st.st_ino == src->st_ino) {
    close (fd);
    return reply_with_error_errno (EINVAL, "%s: source and destination are "
                                   "the same file", dest);
  }
  return fd;
}

int
do_cp (const char *src, const char *dest)
{
  CLEANUP_CLOSE int in = -1;
  CLEANUP_FREE char *target = NULL;
  struct stat st;
  int out;

  in = open_source_or_reply (src, &st);
  if (in == -1)
    return -1;
  target = target_path (src, dest);
  if (target == NULL)
    return reply_with_perror ("%s", dest);
  out = open_dest_or_reply (target, &st);
  if (out == -1)
    return -1;
  if (ftruncate (out, 0) == -1 || copy_data (in, out) == -1) {
    reply_with_perror ("%s", target);
    close (out);
    return -1;
  }
  if (close (out) == -1)
    return reply_with_perror ("%s", target);
  return 0;
}

/* cp_a: a tree copied entry by entry with *at() calls, never following
 * a symlink, keeping types, owners, modes, times and (best effort, as cp
 * -a) extended attributes of files and directories.  Hard links are not
 * preserved: each name gets its own copy.  A non-directory already at a
 * destination name is replaced; an existing directory is merged into. */

static void
copy_xattr (int from, int to, const char *name)
{
  CLEANUP_FREE char *value = NULL;
  ssize_t n = fgetxattr (from, name, NULL, 0);

  if (n >= 0)
    value = malloc (n > 0 ? (size_t) n : 1);
  if (value)
    n = fgetxattr (from, name, value, (size_t) n);
  if (value == NULL || n == -1 ||
      fsetxattr (to, name, value, (size_t) n, 0) == -1)
    debug ("cp_a: extended attribute %s not copied: %m", name);
}

static void
copy_xattrs (int from, int to)
{
  CLEANUP_FREE char *names = NULL;
  ssize_t n = flistxattr (from, NULL, 0);

  if (n > 0)
    names = malloc ((size_t) n);
  if (names)
    n = flistxattr (from, names, (size_t) n);
  if (names == NULL || n <= 0)
    return;
  for (char *p = names; p < names + n; p += strlen (p) + 1)
    copy_xattr (from, to, p);
}

/* Whether a tree copy keeps owners, times and extended attributes (cp_a,
 * mv), or gives the copies the source's permission bits under the umask
 * and nothing else, as cp -r does (cp_r).  Set around one copy. */
static int copy_keep_attrs = 1;

static mode_t
plain_mode (const struct stat *st)
{
  mode_t mask = umask (0);

  umask (mask);
  return st->st_mode & 0777 & ~mask;
}

/* Attributes of st onto the open file or directory to.  Owner first:
 * chown clears the set-id bits. */
static int
set_attrs_fd (int to, int from, const struct stat *st)
{
  const struct timespec t[2] = { st->st_atim, st->st_mtim };

  if (!copy_keep_attrs)
    return fchmod (to, plain_mode (st));
  if (fchown (to, st->st_uid, st->st_gid) == -1 ||
      fchmod (to, st->st_mode & 07777) == -1)
    return -1;
  copy_xattrs (from, to);
  return futimens (to, t);
}

/* The same for a symlink or special file, by name. */
static int
set_attrs_at (int dir, const char *name, const struct stat *st)
{
  const struct timespec t[2] = { st->st_atim, st->st_mtim };

  if (!copy_keep_attrs)
    return S_ISLNK (st->st_mode) ? 0 :
      fchmodat (dir, name, plain_mode (st), AT_SYMLINK_NOFOLLOW);
  if (fchownat (dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  if (!S_ISLNK (st->st_mode) &&
      fchmodat (dir, name, st->st_mode & 07777, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  return utimensat (dir, name, t, AT_SYMLINK_NOFOLLOW);
}

static int copy_entry (int sdir, const char *sname, const struct stat *st,
                       int ddir, const char *dname);

static int
copy_children (int from, int to)
{
  int fd = openat (from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  CLEANUP_CLOSEDIR DIR *d = NULL;
  struct dirent *e;

  d = dir_stream (fd);
  if (d == NULL)
    return -1;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    struct stat st;

    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    if (fstatat (from, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
        copy_entry (from, e->d_name, &st, to, e->d_name) == -1)
      return -1;
  }
  return errno ? -1 : 0;
}

static int
copy_dir (int sdir, const char *sname, const struct stat *st,
          int ddir, const char *dname)
{
  CLEANUP_CLOSE int from = openat (sdir, sname, O_RDONLY | O_DIRECTORY |
                                   O_NOFOLLOW | O_CLOEXEC);
  CLEANUP_CLOSE int to = -1;

  if (from == -1)
    return -1;
  if (mkdirat (ddir, dname, 0700) == -1 && errno != EEXIST)
    return -1;
  to = openat (ddir, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (to == -1 || copy_children (from, to) == -1)
    return -1;
  /* Last, as adding the entries changed the times. */
  return set_attrs_fd (to, from, st);
}

static int
copy_regular (int sdir, const char *sname, const struct stat *st,
              int ddir, const char *dname)
{
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  /* st said regular, but the entry may have changed since: checked
   * again as it is opened. */
  CLEANUP_CLOSE int from = open_regular_in_root (sdir, sname, O_NOFOLLOW,
                                                 NULL);
  CLEANUP_CLOSE int to = -1;

  if (from == -1)
    return -1;
  to = openat (ddir, dname, flags, 0600);
  if (to == -1 && errno == EEXIST && unlinkat (ddir, dname, 0) == 0)
    to = openat (ddir, dname, flags, 0600);
  if (to == -1 || copy_data (from, to) == -1)
    return -1;
  return set_attrs_fd (to, from, st);
}

/* Symlinks, FIFOs, sockets and device nodes. */
static int
copy_other (int sdir, const char *sname, const struct stat *st,
            int ddir, const char *dname)
{
  CLEANUP_FREE char *target = NULL;
  int r;

  if (S_ISLNK (st->st_mode)) {
    target = read_link_at (sdir, sname);
    if (target == NULL)
      return -1;
  }
  for (int tries = 0; tries < 2; ++tries) {
    r = target ? symlinkat (target, ddir, dname)
      : mknodat (ddir, dname, st->st_mode & (S_IFMT | 0600), st->st_rdev);
    if (r == 0 || errno != EEXIST || unlinkat (ddir, dname, 0) == -1)
      break;
  }
  if (r == -1)
    return -1;
  return set_attrs_at (ddir, dname, st);
}

static int
copy_entry (int sdir, const char *sname, const struct stat *st,
            int ddir, const char *dname)
{
  if (S_ISDIR (st->st_mode))
    return copy_dir (sdir, sname, st, ddir, dname);
  if (S_ISREG (st->st_mode))
    return copy_regular (sdir, sname, st, ddir, dname);
  return copy_other (sdir, sname, st, ddir, dname);
}

static int
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether the directory dir is top or below it, going up by ".." until
 * the guest's root.  ".." is never a symlink, so the walk only meets
 * real parents; nothing is changed on the way. */
static int
inside_tree (int dir, const struct stat *top)
{
  CLEANUP_CLOSE int rootfd = sysroot_open ("/", O_PATH | O_DIRECTORY, 0);
  int fd = openat (dir, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct stat root, cur;
  int r = 0;

  if (rootfd == -1 || fd == -1 || fstat (rootfd, &root) == -1) {
    if (fd >= 0)
      close (fd);
    return 0;
  }
  for (int depth = 0; depth < 4096 && fstat (fd, &cur) == 0; ++depth) {
    int up;

    if (same_file (&cur, top))
      r = 1;
    if (r || same_file (&cur, &root))
      break;
    up = openat (fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    close (fd);
    fd = up;
    if (fd == -1)
      break;
  }
  if (fd >= 0)
    close (fd);
  return r;
}

/* Copies the entry sname of sdir (not followed) to dname of ddir, for
 * cp_a and a move across filesystems.  Replies on error. */
static int
copy_tree_or_reply (int sdir, const char *sname, int ddir, const char *dname,
                    const char *src, const char *target)
{
  struct stat st, dst;

  if (fstatat (sdir, sname, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return reply_with_perror ("%s", src);
  if (fstatat (ddir, dname, &dst, AT_SYMLINK_NOFOLLOW) == 0 &&
      same_file (&st, &dst))
    return reply_with_error_errno (EINVAL, "%s: source and destination are "
                                   "the same file", target);
  if (S_ISDIR (st.st_mode) && inside_tree (ddir, &st))
    return reply_with_error_errno (EINVAL, "cannot copy the directory %s "
                                   "into itself (%s)", src, target);
  if (copy_entry (sdir, sname, &st, ddir, dname) == -1)
    return reply_with_error_errno (errno, "copying %s to %s: %s", src, target,
                                   strerror (errno));
  return 0;
}

static int
copy_tree (const char *src, const char *dest)
{
  CLEANUP_FREE char *sname = NULL, *dname = NULL, *target = NULL;
  CLEANUP_CLOSE int sdir = sysroot_open_parent (src, &sname);
  CLEANUP_CLOSE int ddir = -1;

  if (sdir == -1)
    return reply_with_perror ("%s", src);
  target = target_path (src, dest);
  if (target == NULL)
    return reply_with_perror ("%s", dest);
  ddir = sysroot_open_parent (target, &dname);
  if (ddir == -1)
    return reply_with_perror ("%s", target);
  return copy_tree_or_reply (sdir, sname, ddir, dname, src, target);
}

int
do_cp_a (const char *src, const char *dest)
{
  return copy_tree (src, dest);
}

int
do_cp_r (const char *src, const char *dest)
{
  int r;

  copy_keep_attrs = 0;
  r = copy_tree (src, dest);
  copy_keep_attrs = 1;
  return r;
}

/* mv: rename inside the guest; across filesystems, copy as cp_a then
 * remove the source as rm_rf. */
int
do_mv (const char *src, const char *dest)
{
  CLEANUP_FREE char *sname = NULL, *dname = NULL, *target = NULL;
  CLEANUP_CLOSE int sdir = sysroot_open_parent (src, &sname);
  CLEANUP_CLOSE int ddir = -1;

  if (sdir == -1)
    return reply_with_perror ("%s", src);
  target = target_path (src, dest);
  if (target == NULL)
    return reply_with_perror ("%s", dest);
  ddir = sysroot_open_parent (target, &dname);
  if (ddir == -1)
    return reply_with_perror ("%s", target);
  if (renameat (sdir, sname, ddir, dname) == 0)
    return 0;
  if (errno != EXDEV)
    return reply_with_error_errno (errno, "%s to %s: %s", src, target,
                                   strerror (errno));
  if (copy_tree_or_reply (sdir, sname, ddir, dname, src, target) == -1)
    return -1;
  return do_rm_rf (src);
}
