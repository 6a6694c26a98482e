/* SPDX-License-Identifier: GPL-2.0-or-later */
/* readfilelist: the whole contents of many small regular files of one
 * directory in one reply, so that a FUSE mount reading a directory of
 * small files (tar, cp -a) costs one round trip a directory, not one a
 * file.  Each name is looked up in its directory, never followed, and
 * opened only when it is a regular file (open_regular_in_root): a
 * FIFO, device or symlink is answered "not read" without being
 * opened. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "wire.h"

/* What one reply holds, its framing left aside. */
#define FILELIST_MAX (WIRE_MESSAGE_MAX - 64 * 1024)
#define SIZE_BYTES 8

static void
put_be64 (char *p, int64_t v)
{
  uint64_t u = (uint64_t) v;

  for (int i = 7; i >= 0; --i, u >>= 8)
    p[i] = (char) (u & 0xff);
}

/* The contents of the regular file name (one component) of dirfd, if
 * it has at most maxsize bytes, into buf (which has room for them).
 * The bytes read, or -1 when it is not read. */
static int64_t
read_one (int dirfd, const char *name, int64_t maxsize, char *buf)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  size_t want, done = 0;

  if (*name == '\0' || strchr (name, '/') || strcmp (name, ".") == 0 ||
      strcmp (name, "..") == 0)
    return -1;
  fd = open_regular_in_root (dirfd, name, O_NOFOLLOW, &st);
  if (fd == -1 || st.st_size > maxsize)
    return -1;
  /* A file that grew since its stat: the bytes up to its stat's size. */
  want = (size_t) st.st_size;
  while (done < want) {
    ssize_t n = pread (fd, buf + done, want - done, (off_t) done);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0)
      break;
    done += (size_t) n;
  }
  return (int64_t) done;
}

char *
do_readfilelist (const char *path, char *const *names, int64_t maxsize,
                 size_t *size_r)
{
  CLEANUP_CLOSE int dirfd = -1;
  size_t n = count_strings (names), len = 0;
  CLEANUP_FREE char *buf = NULL;

  if (maxsize < 0)
    return (reply_with_error_errno (EINVAL, "%s: maxsize %" PRIi64 " is "
                                    "negative", path, maxsize), NULL);
  if (maxsize > FILELIST_MAX)
    maxsize = FILELIST_MAX;
  if (n > FILELIST_MAX / SIZE_BYTES)
    return (reply_with_error_errno (EMSGSIZE, "%s: %zu names: more than one "
                                    "reply holds", path, n), NULL);
  dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return (reply_with_perror ("%s", path), NULL);
  /* Every size field, and the largest file that may still fit. */
  buf = malloc (FILELIST_MAX + SIZE_BYTES);
  if (buf == NULL)
    return (reply_with_perror ("%s", path), NULL);
  for (size_t i = 0; i < n; ++i) {
    size_t room = FILELIST_MAX - len - (n - i) * SIZE_BYTES;
    /* A file must leave room for the size fields still to come. */
    int64_t got = read_one (dirfd, names[i],
                            maxsize < (int64_t) room ? maxsize : (int64_t) room,
                            buf + len + SIZE_BYTES);

    put_be64 (buf + len, got);
    len += SIZE_BYTES + (got > 0 ? (size_t) got : 0);
  }
  *size_r = len;
  return TAKE_PTR (buf);
}
