/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scrub_file: a guest file's content overwritten, then the file
 * removed.  libguestfs runs scrub(1) -r on the resolved path; scrub is
 * not in the appliance and would open the path itself, so the passes
 * of its default method ("nnsa": random data twice, then zeros, then a
 * check that zeros read back) are written here, into the one regular
 * file sysroot.c opened.  Each pass is flushed to the disk before the
 * next, or the page cache would only ever write the last. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define SCRUB_BUFFER (1024 * 1024)

enum pass { PASS_RANDOM, PASS_ZERO };

/* A fast pseudo-random generator (splitmix64) seeded from the kernel:
 * the random passes need noise, not secrets, and getrandom over a
 * whole file is slow under TCG. */
static uint64_t
next_random (uint64_t *state)
{
  uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
fill_random (uint64_t *state, unsigned char *buf, size_t n)
{
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = next_random (state);

    memcpy (buf + i, &v, n - i < 8 ? n - i : 8);
  }
}

struct scrub {
  int fd;
  off_t size;
  unsigned char *buf;
  uint64_t done, total;         /* for progress */
};

/* One pass over the whole file.  0, or -1 with errno. */
static int
write_pass (struct scrub *s, enum pass p)
{
  uint64_t state;

  if (getrandom (&state, sizeof state, GRND_NONBLOCK) != sizeof state)
    state = (uint64_t) time (NULL) ^ (uint64_t) (uintptr_t) s;
  if (p == PASS_ZERO)
    memset (s->buf, 0, SCRUB_BUFFER);
  for (off_t off = 0; off < s->size; ) {
    size_t n = s->size - off < SCRUB_BUFFER ?
      (size_t) (s->size - off) : SCRUB_BUFFER;

    if (p == PASS_RANDOM)
      fill_random (&state, s->buf, n);
    for (size_t w = 0; w < n; ) {
      ssize_t r = pwrite (s->fd, s->buf + w, n - w, off + (off_t) w);

      if (r == -1 && errno == EINTR)
        continue;
      if (r == -1)
        return -1;
      w += (size_t) r;
    }
    off += (off_t) n;
    s->done += n;
    notify_progress (s->done, s->total);
  }
  return fdatasync (s->fd);
}

/* The check of the last pass: zeros everywhere.  0, 1 if something
 * else was read back, or -1 with errno. */
static int
verify_zero (struct scrub *s)
{
  for (off_t off = 0; off < s->size; ) {
    ssize_t r = pread (s->fd, s->buf, SCRUB_BUFFER, off);

    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    if (r == 0)
      break;                    /* shrunk meanwhile: nothing more to check */
    for (ssize_t i = 0; i < r; ++i)
      if (s->buf[i] != 0)
        return 1;
    off += r;
    s->done += (uint64_t) r;
    notify_progress (s->done, s->total);
  }
  return 0;
}

/* Removes the name path resolves to, if it is still the file scrubbed
 * (st). */
static int
remove_scrubbed (const char *file, const char *path, const struct stat *st)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  struct stat now;

  if (dirfd == -1 || fstatat (dirfd, base, &now, AT_SYMLINK_NOFOLLOW) == -1)
    return reply_with_perror ("%s", file);
  if (now.st_dev != st->st_dev || now.st_ino != st->st_ino)
    return reply_with_error_errno (ESTALE, "%s: %s is no longer the file "
                                   "scrubbed: not removed", file, path);
  if (unlinkat (dirfd, base, 0) == -1)
    return reply_with_perror ("%s", file);
  return 0;
}

int
do_scrub_file (const char *file)
{
  CLEANUP_FREE unsigned char *buf = NULL;
  CLEANUP_FREE char *path = NULL;
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  struct scrub s;
  int r;

  fd = sysroot_open_regular_rw (file, O_RDWR, &st);
  if (fd == -1)
    return reply_open_regular_error (file, &st);
  /* A symlink's target is what is scrubbed and removed. */
  path = guest_path_of_fd (fd);
  buf = malloc (SCRUB_BUFFER);
  if (path == NULL || buf == NULL)
    return reply_with_perror ("%s", file);
  s = (struct scrub) { fd, st.st_size, buf, 0, 4 * (uint64_t) st.st_size };
  if (write_pass (&s, PASS_RANDOM) == -1 ||
      write_pass (&s, PASS_RANDOM) == -1 ||
      write_pass (&s, PASS_ZERO) == -1 || (r = verify_zero (&s)) == -1)
    return reply_with_perror ("%s", file);
  if (r == 1)
    return reply_with_error_errno (EIO, "%s: the zeros written did not read "
                                   "back: not removed", file);
  if (close (TAKE_FD (fd)) == -1)
    return reply_with_perror ("%s", file);
  return remove_scrubbed (file, path, &st);
}
