/* SPDX-License-Identifier: GPL-2.0-or-later */
/* readfilelist: the whole contents of many small regular files under
 * one directory in one reply, so that a FUSE mount reading directories
 * of small files (tar, cp -a) costs one round trip for many of them,
 * not one a file.  Each name is resolved inside the directory (which
 * it cannot leave), its last component never followed, and opened only
 * when it is a regular file (open_regular_in_root): a FIFO, device or
 * symlink is answered "not read" without being opened. */

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
/* Files opened at once. */
#define GROUP 128

int
relative_name (const char *name)
{
  for (const char *p = name; ; ) {
    size_t k = strcspn (p, "/");

    if (k == 0 || (k == 1 && p[0] == '.') ||
        (k == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    if (p[k] == '\0')
      return 1;
    p += k + 1;
  }
}

/* The regular file name (a relative path) under dirfd opened, if it has at
 * most maxsize bytes (its size in *size); -1 otherwise. */
static int
open_one (int dirfd, const char *name, int64_t maxsize, size_t *size)
{
  struct stat st;
  int fd;

  if (!relative_name (name))
    return -1;
  fd = open_regular_in_root (dirfd, name, O_NOFOLLOW, &st);
  if (fd >= 0 && st.st_size > maxsize) {
    close (fd);
    return -1;
  }
  if (fd >= 0)
    *size = (size_t) st.st_size;
  return fd;
}

/* Up to size bytes of fd into buf: the bytes read (a file that grew
 * since its stat: the bytes up to its stat's size), or -1. */
static int64_t
read_upto (int fd, char *buf, size_t size)
{
  size_t done = 0;

  while (done < size) {
    ssize_t n = pread (fd, buf + done, size - done, (off_t) done);

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
  /* A group of files is opened and its reads all asked of the disk
   * before the first is read, so that they are read together rather
   * than one disk request after another. */
  for (size_t g = 0; g < n; g += GROUP) {
    size_t k = n - g < GROUP ? n - g : GROUP, sizes[GROUP];
    int fds[GROUP];

    for (size_t i = 0; i < k; ++i) {
      fds[i] = open_one (dirfd, names[g + i], maxsize, &sizes[i]);
      if (fds[i] >= 0 && sizes[i] > 0)
        posix_fadvise (fds[i], 0, (off_t) sizes[i], POSIX_FADV_WILLNEED);
    }
    for (size_t i = 0; i < k; ++i) {
      /* A file must leave room for the size fields still to come. */
      size_t room = FILELIST_MAX - len - (n - g - i) * SIZE_BYTES;
      int64_t got = -1;

      if (fds[i] >= 0) {
        if (sizes[i] <= room)
          got = read_upto (fds[i], buf + len + SIZE_BYTES, sizes[i]);
        close (fds[i]);
      }
      put_be64 (buf + len, got);
      len += SIZE_BYTES + (got > 0 ? (size_t) got : 0);
    }
  }
  *size_r = len;
  return TAKE_PTR (buf);
}
