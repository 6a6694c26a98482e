/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading and writing whole files: cat, read_file, read_lines, write,
 * write_append.  Results travel in one message, so reads are bounded
 * and refuse with a pointer to download when a file is too large.  Only
 * regular files are read or written in place (sysroot.c's
 * sysroot_open_regular*); write replaces any other file. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define READ_MAX (WIRE_MESSAGE_MAX - 64 * 1024)

static char *
reply_too_large (const char *path, long long size)
{
  if (size >= 0)
    reply_with_error_errno (EFBIG, "%s: file too large for one message "
                            "(%lld bytes, limit %d): use download", path,
                            size, READ_MAX);
  else
    reply_with_error_errno (EFBIG, "%s: file too large for one message "
                            "(limit %d bytes): use download", path, READ_MAX);
  return NULL;
}

/* The whole of a regular file, NUL-terminated; NULL after replying. */
static char *
read_whole (const char *path, size_t *size_r)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  size_t len;
  char *buf;

  fd = sysroot_open_regular_or_reply (path, 0, &st);
  if (fd == -1)
    return NULL;
  if (st.st_size > READ_MAX)
    return reply_too_large (path, (long long) st.st_size);
  /* One byte more than the limit tells a file that grew while it was
   * read from one that fits. */
  buf = read_fd_max (fd, READ_MAX + 1, &len);
  if (buf == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (len > READ_MAX) {
    free (buf);
    return reply_too_large (path, -1);
  }
  *size_r = len;
  return buf;
}

char *
do_read_file (const char *path, size_t *size_r)
{
  return read_whole (path, size_r);
}

char *
do_cat (const char *path)
{
  size_t n;
  char *buf = read_whole (path, &n);

  if (buf && memchr (buf, '\0', n)) {
    free (buf);
    reply_with_error_errno (EINVAL, "%s: file contains NUL bytes: use "
                            "read_file or download", path);
    return NULL;
  }
  return buf;
}

char **
do_read_lines (const char *path)
{
  CLEANUP_FREE char *buf = do_cat (path);
  char **l;

  if (buf == NULL)
    return NULL;
  l = split_lines (buf);
  if (l == NULL)
    reply_with_perror ("%s", path);
  return l;
}

/* Writes into a new file beside the target and renames it over, keeping
 * the old file's mode and owner; a crash never leaves half a file. */
static int
write_replace (int dirfd, const char *base, const char *path,
               const char *content, size_t size)
{
  struct stat old;
  char tmp[64];
  unsigned int rnd;
  int fd, have_old = fstatat (dirfd, base, &old, AT_SYMLINK_NOFOLLOW) == 0;

  if (getrandom (&rnd, sizeof rnd, 0) != sizeof rnd)
    rnd = (unsigned int) getpid ();
  snprintf (tmp, sizeof tmp, ".drydock-%08x.tmp", rnd);
  fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               have_old ? old.st_mode & 07777 : 0644);
  if (fd == -1)
    return reply_with_perror ("%s", path);
  if (have_old) {
    if (fchown (fd, old.st_uid, old.st_gid) == 0)
      fchmod (fd, old.st_mode & 07777);
  }
  if (write_all (fd, content, size) == -1 || close (fd) == -1) {
    int err = errno;
    unlinkat (dirfd, tmp, 0);
    errno = err;
    return reply_with_perror ("%s", path);
  }
  if (renameat (dirfd, tmp, dirfd, base) == -1) {
    int err = errno;
    unlinkat (dirfd, tmp, 0);
    errno = err;
    return reply_with_perror ("%s", path);
  }
  return 0;
}

int
do_write (const char *path, const char *content, size_t content_size)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  struct stat st;

  if (dirfd == -1)
    return reply_with_perror ("%s", path);
  /* Through a symlink: write its target in place, as open(2) would, if
   * it is a regular file. */
  if (fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)) {
    CLEANUP_CLOSE int fd = sysroot_open_regular_write (path, O_TRUNC, 0644,
                                                       &st);

    if (fd == -1)
      return reply_open_regular_error (path, &st);
    if (write_all (fd, content, content_size) == -1)
      return reply_with_perror ("%s", path);
    return 0;
  }
  if (fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode))
    return reply_with_error_errno (EISDIR, "%s: is a directory", path);
  return write_replace (dirfd, base, path, content, content_size);
}

int
do_write_append (const char *path, const char *content, size_t content_size)
{
  struct stat st;
  CLEANUP_CLOSE int fd = sysroot_open_regular_write (path, O_APPEND, 0644, &st);

  if (fd == -1)
    return reply_open_regular_error (path, &st);
  if (write_all (fd, content, content_size) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}
