/* Reading and writing whole files: cat, read_file, read_lines, write,
 * write_append.  Results travel in one message, so reads are bounded
 * and refuse with a pointer to download when a file is too large. */

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

/* The whole file, NUL-terminated; NULL after replying. */
static char *
read_whole (const char *path, size_t *size_r)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_RDONLY, 0);
  struct stat st;
  size_t len = 0, cap;
  char *buf;

  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (S_ISDIR (st.st_mode)) {
    reply_with_error_errno (EISDIR, "%s: is a directory", path);
    return NULL;
  }
  if (st.st_size > READ_MAX) {
    reply_with_error_errno (EFBIG, "%s: file too large for one message "
                            "(%lld bytes, limit %d): use download", path,
                            (long long) st.st_size, READ_MAX);
    return NULL;
  }
  cap = (size_t) st.st_size + 1;
  buf = malloc (cap + 1);
  if (buf == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  for (;;) {
    ssize_t n = read (fd, buf + len, cap - len);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1) {
      reply_with_perror ("%s", path);
      free (buf);
      return NULL;
    }
    if (n == 0)
      break;
    len += (size_t) n;
    if (len == cap) {
      /* The file grew while we read it (or is a special file). */
      char *nb;
      if (cap > READ_MAX) {
        free (buf);
        reply_with_error_errno (EFBIG, "%s: file too large for one message: "
                                "use download", path);
        return NULL;
      }
      cap *= 2;
      nb = realloc (buf, cap + 1);
      if (nb == NULL) {
        free (buf);
        reply_with_perror ("%s", path);
        return NULL;
      }
      buf = nb;
    }
  }
  buf[len] = '\0';
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
  /* Through a symlink: write its target in place, as open(2) would. */
  if (fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)) {
    CLEANUP_CLOSE int fd = sysroot_open (path, O_WRONLY | O_TRUNC | O_CREAT, 0644);

    if (fd == -1 || write_all (fd, content, content_size) == -1)
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
  CLEANUP_CLOSE int fd = sysroot_open (path, O_WRONLY | O_APPEND | O_CREAT, 0644);

  if (fd == -1 || write_all (fd, content, content_size) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}
