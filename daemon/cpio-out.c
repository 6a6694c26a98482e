/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cpio_out: a guest directory packed as a cpio archive in the "newc"
 * (SVR4) format, or "crc" (the same with a sum of each file's bytes),
 * and streamed to the host.  The archive is written here while the tree
 * is walked (walk.c), so no cpio program is needed and no guest path is
 * handed to one: every regular file is opened by sysroot.c's rules, a
 * symlink's target is its data and other special files are headers
 * only.  Names are "." and "./PATH", as find(1) in the directory lists
 * them; each entry gets its own inode number (hard links are copies). */

#include <config.h>

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

#define CPIO_BLOCK 512
#define READ_BUFFER (256 * 1024)

struct cpio {
  struct chunk_out out;
  int crc;                      /* "070702" with sums */
  uint32_t ino;
  uint64_t written;
  char *buf;                    /* READ_BUFFER bytes */
  char *failed;                 /* what could not be read (caller frees) */
};

static int
put (struct cpio *c, const void *p, size_t n)
{
  if (chunk_out_add (&c->out, p, n) == -1)
    return -1;
  c->written += n;
  return 0;
}

static int
pad4 (struct cpio *c)
{
  static const char zeros[4];

  return put (c, zeros, (4 - c->written % 4) % 4);
}

static int
header (struct cpio *c, const char *name, const struct stat *st,
        uint64_t size, uint32_t sum)
{
  char h[111];

  if (size > UINT32_MAX) {
    errno = EFBIG;              /* newc sizes have 32 bits */
    return -1;
  }
  snprintf (h, sizeof h, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
            "%08X%08X", c->crc ? "070702" : "070701", ++c->ino,
            (unsigned) st->st_mode, (unsigned) st->st_uid,
            (unsigned) st->st_gid,
            S_ISDIR (st->st_mode) ? (unsigned) st->st_nlink : 1u,
            (unsigned) st->st_mtim.tv_sec, (unsigned) size, 0u, 0u,
            major (st->st_rdev), minor (st->st_rdev),
            (unsigned) strlen (name) + 1, c->crc ? sum : 0u);
  if (put (c, h, 110) == -1 || put (c, name, strlen (name) + 1) == -1)
    return -1;
  return pad4 (c);
}

/* The sum of the first size bytes of fd (from offset 0). */
static int
sum_file (struct cpio *c, int fd, uint64_t size, uint32_t *sum)
{
  uint64_t done = 0;

  *sum = 0;
  while (done < size) {
    size_t want = size - done < READ_BUFFER ? size - done : READ_BUFFER;
    ssize_t n = pread (fd, c->buf, want, (off_t) done);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0)
      break;
    for (ssize_t i = 0; i < n; ++i)
      *sum += (unsigned char) c->buf[i];
    done += (uint64_t) n;
  }
  return 0;
}

/* Exactly size bytes of fd, zeros after a file that shrank meanwhile. */
static int
put_file (struct cpio *c, int fd, uint64_t size)
{
  uint64_t done = 0;

  while (done < size) {
    size_t want = size - done < READ_BUFFER ? size - done : READ_BUFFER;
    ssize_t n = pread (fd, c->buf, want, (off_t) done);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0) {
      memset (c->buf, 0, want);
      n = (ssize_t) want;
    }
    if (put (c, c->buf, (size_t) n) == -1)
      return -1;
    done += (uint64_t) n;
  }
  return pad4 (c);
}

static int
add_entry (void *opaque, int dirfd, const char *name, const char *rel,
           const struct stat *st)
{
  struct cpio *c = opaque;
  CLEANUP_FREE char *path = NULL, *target = NULL;
  CLEANUP_CLOSE int fd = -1;
  uint32_t sum = 0;

  if (asprintf (&path, "./%s", rel) == -1)
    return -1;
  if (S_ISREG (st->st_mode)) {
    struct stat now;

    fd = open_regular_in_root (dirfd, name, O_NOFOLLOW, &now);
    if (fd == -1 || (c->crc && sum_file (c, fd, (uint64_t) now.st_size,
                                         &sum) == -1))
      goto fail;
    if (header (c, path, &now, (uint64_t) now.st_size, sum) == -1)
      return -1;
    return put_file (c, fd, (uint64_t) now.st_size);
  }
  if (S_ISLNK (st->st_mode)) {
    target = read_link_at (dirfd, name);
    if (target == NULL)
      goto fail;
    for (const char *p = target; *p; ++p)
      sum += (unsigned char) *p;
    if (header (c, path, st, strlen (target), sum) == -1 ||
        put (c, target, strlen (target)) == -1)
      return -1;
    return pad4 (c);
  }
  return header (c, path, st, 0, 0);

 fail:
  free (c->failed);
  c->failed = strdup (rel);
  return -1;
}

static int
trailer (struct cpio *c)
{
  static const char zeros[CPIO_BLOCK];
  struct stat st = { .st_nlink = 1 };

  c->ino = UINT32_MAX;          /* so that ++ gives 0 */
  if (header (c, "TRAILER!!!", &st, 0, 0) == -1)
    return -1;
  return put (c, zeros, (CPIO_BLOCK - c->written % CPIO_BLOCK) % CPIO_BLOCK);
}

int
do_cpio_out (const char *directory, uint64_t optmask, const char *format)
{
  CLEANUP_CLOSE int dirfd = -1;
  CLEANUP_FREE char *where = NULL, *buf = NULL;
  struct cpio c = { .out = CHUNK_OUT_INIT };
  struct stat st;
  int err;

  if ((optmask & OPT_CPIO_OUT_FORMAT) && strcmp (format, "newc") != 0 &&
      strcmp (format, "crc") != 0)
    return reply_with_error_errno (EINVAL, "format \"%s\": expected \"newc\" "
                                   "or \"crc\"", format);
  c.crc = (optmask & OPT_CPIO_OUT_FORMAT) && strcmp (format, "crc") == 0;
  dirfd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  if (dirfd == -1 || fstat (dirfd, &st) == -1)
    return reply_with_perror ("%s", directory);
  c.buf = buf = malloc (READ_BUFFER);
  if (buf == NULL)
    return reply_with_perror ("%s", directory);
  if (header (&c, ".", &st, 0, 0) == -1 ||
      walk_tree (dirfd, add_entry, &c, &where) == -1 || trailer (&c) == -1) {
    err = errno;
    chunk_out_end (&c.out, 1);
    if (c.failed) {
      reply_with_error_errno (err, "%s/%s: %s", directory, c.failed,
                              strerror (err));
      free (c.failed);
      return -1;
    }
    if (where)
      return reply_with_error_errno (err, "%s/%s: %s", directory, where,
                                     strerror (err));
    return reply_with_error_errno (err, "%s: %s", directory, strerror (err));
  }
  if (chunk_out_end (&c.out, 0) == -1)
    return reply_with_perror ("%s", directory);
  return 0;
}
