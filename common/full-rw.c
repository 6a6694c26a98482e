/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole reads and writes (see full-rw.h).  Separate from wire.c because
 * the library, the daemon, the tools and the appliance builder all need
 * them, not only the protocol. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "vector.h"

/* How much read_fd_max asks for at a time when the size is unknown
 * (pipes, /proc and sysfs files); the buffer still grows geometrically
 * (vector.h), so a long stream costs few reallocations. */
#define READ_CHUNK (64 * 1024)

DEFINE_VECTOR_TYPE (byte_vector, char);

int
write_all (int fd, const void *buf, size_t n)
{
  const char *p = buf;

  while (n > 0) {
    ssize_t r = write (fd, p, n);

    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += r;
    n -= (size_t) r;
  }
  return 0;
}

ssize_t
read_all (int fd, void *buf, size_t n)
{
  char *p = buf;
  size_t got = 0;

  /* A count above SSIZE_MAX could not be returned. */
  if (n > SSIZE_MAX) {
    errno = EINVAL;
    return -1;
  }
  while (got < n) {
    ssize_t r = read (fd, p + got, n - got);

    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (r == 0)
      break;
    got += (size_t) r;
  }
  return (ssize_t) got;
}

/* How many bytes to make room for first: the whole file if it says its
 * size (one read then, and one more to see its end), else a chunk. */
static size_t
first_reserve (int fd, size_t max)
{
  struct stat st;

  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0 &&
      (uintmax_t) st.st_size < max)
    return (size_t) st.st_size + 1;
  return max < READ_CHUNK ? max : READ_CHUNK;
}

char *
read_fd_max (int fd, size_t max, size_t *len)
{
  byte_vector v = EMPTY_VECTOR;
  size_t want = first_reserve (fd, max);

  while (v.len < max) {
    size_t room;
    ssize_t r;

    /* Grow only when full (a file of known size is read into the room
     * made for it, its end included); always one byte more than is
     * read, for the final NUL. */
    if (v.cap - v.len <= 1 && byte_vector_reserve (&v, want + 1) == -1)
      goto fail;
    room = v.cap - v.len - 1;
    if (room > max - v.len)
      room = max - v.len;
    r = read (fd, v.ptr + v.len, room);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      goto fail;
    if (r == 0)
      break;
    v.len += (size_t) r;
    want = max - v.len < READ_CHUNK ? max - v.len : READ_CHUNK;
  }
  if (byte_vector_reserve (&v, 1) == -1)
    goto fail;
  v.ptr[v.len] = '\0';
  *len = v.len;
  return v.ptr;

 fail: {
    int saved = errno;

    byte_vector_reset (&v);
    errno = saved;
    return NULL;
  }
}

char *
read_file_max (const char *path, size_t max, size_t *len)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd == -1)
    return NULL;
  return read_fd_max (fd, max, len);
}

int
fsync_path (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC), r;

  if (fd == -1)
    return -1;
  r = fsync (fd);
  close (fd);
  return r;
}

int
fsync_dir_of (const char *path)
{
  const char *slash = strrchr (path, '/');
  char *dir = slash == NULL ? strdup (".") :
    strndup (path, slash == path ? 1 : (size_t) (slash - path));
  int fd, r;

  if (dir == NULL)
    return -1;
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free (dir);
  if (fd == -1)
    return -1;
  r = fsync (fd);
  close (fd);
  return r;
}
