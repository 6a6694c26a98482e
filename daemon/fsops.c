/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The filesystem calls a FUSE mount of the guest needs besides the
 * file and tree actions: a directory read with types and inodes
 * (readdir), times (utimens), rename(2), hard links (ln) and mknod.
 * As everywhere, paths resolve inside the guest; a final component is
 * acted on itself, never followed. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "vector.h"

/* A reply must fit in one message (4 MiB): an entry costs its inode,
 * type and name length besides the name. */
#define READDIR_REPLY_MAX (3584 * 1024)
#define DIRENT_WIRE_OVERHEAD 16

DEFINE_VECTOR_TYPE (dirent_vector, struct drydock_dirent);

static void
dirent_free_fields (struct drydock_dirent e)
{
  free (e.name);
}

/* The type letter of a d_type, or of an lstat when the directory does
 * not record it. */
static char
type_letter (int dirfd, const struct dirent *d)
{
  unsigned char t = d->d_type;
  struct stat st;

  if (t == DT_UNKNOWN &&
      fstatat (dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    t = IFTODT (st.st_mode);
  switch (t) {
  case DT_BLK: return 'b';
  case DT_CHR: return 'c';
  case DT_DIR: return 'd';
  case DT_FIFO: return 'f';
  case DT_LNK: return 'l';
  case DT_REG: return 'r';
  case DT_SOCK: return 's';
  default: return 'u';
  }
}

struct drydock_dirent_list *
do_readdir (const char *dir)
{
  int fd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  CLEANUP_CLOSEDIR DIR *d = dir_stream (fd);
  dirent_vector v = EMPTY_VECTOR;
  struct drydock_dirent_list *r;
  struct dirent *e;
  size_t bytes = 0;

  if (d == NULL)
    goto fail;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    struct drydock_dirent x;

    bytes += strlen (e->d_name) + DIRENT_WIRE_OVERHEAD;
    if (bytes > READDIR_REPLY_MAX) {
      errno = EMSGSIZE;
      goto fail;
    }
    x.ino = (int64_t) e->d_ino;
    x.ftyp = type_letter (dirfd (d), e);
    x.name = strdup (e->d_name);
    if (x.name == NULL || dirent_vector_append (&v, x) == -1) {
      free (x.name);
      goto fail;
    }
  }
  if (errno)
    goto fail;
  r = malloc (sizeof *r);
  if (r == NULL)
    goto fail;
  r->len = (uint32_t) v.len;
  r->val = v.ptr;
  return r;

 fail:
  if (errno == EMSGSIZE)
    reply_with_error_errno (EMSGSIZE, "%s: the entries are more than one "
                            "reply holds (%d bytes)", dir, READDIR_REPLY_MAX);
  else
    reply_with_perror ("%s", dir);
  dirent_vector_iter (&v, dirent_free_fields);
  dirent_vector_reset (&v);
  return NULL;
}

/* One time of utimens: a time, or -1 now, -2 unchanged.  -1 (replied)
 * if nsecs is none of those. */
static int
make_time (const char *path, int64_t secs, int64_t nsecs, struct timespec *t)
{
  if (nsecs == -1)
    t->tv_nsec = UTIME_NOW;
  else if (nsecs == -2)
    t->tv_nsec = UTIME_OMIT;
  else if (nsecs < 0 || nsecs > 999999999)
    return reply_with_error_errno (EINVAL, "%s: nanoseconds %lld are not "
                                   "between 0 and 999999999 (nor -1 or -2)",
                                   path, (long long) nsecs);
  else
    t->tv_nsec = (long) nsecs;
  t->tv_sec = (time_t) secs;
  return 0;
}

int
do_utimens (const char *path, int64_t atsecs, int64_t atnsecs,
            int64_t mtsecs, int64_t mtnsecs)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = -1;
  struct timespec t[2];

  if (make_time (path, atsecs, atnsecs, &t[0]) == -1 ||
      make_time (path, mtsecs, mtnsecs, &t[1]) == -1)
    return -1;
  dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1 ||
      utimensat (dirfd, *base ? base : ".", t, AT_SYMLINK_NOFOLLOW) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_rename (const char *oldpath, const char *newpath)
{
  CLEANUP_FREE char *oname = NULL, *nname = NULL;
  CLEANUP_CLOSE int odir = sysroot_open_parent (oldpath, &oname);
  CLEANUP_CLOSE int ndir = -1;

  if (odir == -1)
    return reply_with_perror ("%s", oldpath);
  ndir = sysroot_open_parent (newpath, &nname);
  if (ndir == -1)
    return reply_with_perror ("%s", newpath);
  if (renameat (odir, oname, ndir, nname) == -1)
    return reply_with_error_errno (errno, "%s to %s: %s", oldpath, newpath,
                                   strerror (errno));
  return 0;
}

int
do_ln (const char *target, const char *linkname)
{
  CLEANUP_FREE char *tname = NULL, *lname = NULL;
  CLEANUP_CLOSE int tdir = -1, ldir = -1;

  if (*target != '/')
    return reply_with_error_errno (EINVAL, "%s: the target must be an "
                                   "absolute guest path", target);
  tdir = sysroot_open_parent (target, &tname);
  if (tdir == -1)
    return reply_with_perror ("%s", target);
  ldir = sysroot_open_parent (linkname, &lname);
  if (ldir == -1)
    return reply_with_perror ("%s", linkname);
  if (linkat (tdir, tname, ldir, lname, 0) == -1)
    return reply_with_error_errno (errno, "%s to %s: %s", linkname, target,
                                   strerror (errno));
  return 0;
}

int
do_mknod (int mode, int devmajor, int devminor, const char *path)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = -1;
  mode_t type = (mode_t) mode & S_IFMT;
  char buf[32];
  int fd;

  if (mode < 0 || (type != S_IFIFO && type != S_IFCHR && type != S_IFBLK &&
                   type != S_IFREG) || (mode & ~(S_IFMT | 07777)))
    return reply_with_error_errno (EINVAL, "%s: mode 0%o is not a FIFO, a "
                                   "device or a regular file with permission "
                                   "bits", path, (unsigned) mode);
  if (devmajor < 0 || devminor < 0)
    return reply_with_error_errno (EINVAL, "%s: negative device numbers",
                                   path);
  dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1 ||
      mknodat (dirfd, base, (mode_t) mode,
               makedev ((unsigned) devmajor, (unsigned) devminor)) == -1)
    return reply_with_perror ("%s", path);
  /* Exactly the bits asked for, whatever the umask took. */
  fd = openat (dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1 || chmod (fd_path (fd, buf), (mode_t) mode & 07777) == -1) {
    int e = errno;
    if (fd >= 0)
      close (fd);
    errno = e;
    return reply_with_perror ("%s", path);
  }
  close (fd);
  return 0;
}
