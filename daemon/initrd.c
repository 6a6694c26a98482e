/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux initramfs images read without unpacking them: initrd_list,
 * initrd_cat, and the walk file_architecture looks into.
 *
 * An initramfs is one or more "newc" cpio archives, each plain or
 * compressed (gzip, xz, lzma, zstd, bzip2, lz4, lzop), one after the
 * other with zeros between them, as the kernel reads it (early
 * microcode comes as a plain archive before the compressed one).  A
 * compressed part goes through its decompressor as a filter (filter.c)
 * and the cpio headers are parsed here as they stream by: no size or
 * name is trusted beyond the checks below, nothing is written, and only
 * the member asked for is kept in memory. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define NAME_MAX_CPIO 4096
/* What initrd_cat can return: a member must fit in a reply. */
#define CAT_MAX (3584 * 1024)

struct initrd {
  int file;                     /* the guest file */
  int src;                      /* what is read: file, or a filter's pipe */
  pid_t pid;                    /* the filter, or -1 */
  uint64_t pos;                 /* bytes taken from src */
  unsigned char buf[65536];
  size_t len, off;
  uint64_t left;                /* data bytes of the current member */
};

static ssize_t
take (struct initrd *r, void *p, size_t n)
{
  size_t got = 0;

  while (got < n) {
    size_t k;

    if (r->off == r->len) {
      ssize_t m = read (r->src, r->buf, sizeof r->buf);

      if (m == -1 && errno == EINTR)
        continue;
      if (m == -1)
        return -1;
      if (m == 0)
        break;
      r->len = (size_t) m;
      r->off = 0;
    }
    k = r->len - r->off < n - got ? r->len - r->off : n - got;
    memcpy ((char *) p + got, r->buf + r->off, k);
    r->off += k;
    got += k;
  }
  r->pos += got;
  return (ssize_t) got;
}

/* Exactly n bytes, or -1 (EINVAL: the archive ends early). */
static int
take_all (struct initrd *r, void *p, size_t n)
{
  ssize_t got = take (r, p, n);

  if (got == -1)
    return -1;
  if ((size_t) got != n) {
    errno = EINVAL;
    return -1;
  }
  return 0;
}

static int
skip (struct initrd *r, uint64_t n)
{
  char tmp[4096];

  while (n > 0) {
    size_t k = n < sizeof tmp ? (size_t) n : sizeof tmp;

    if (take_all (r, tmp, k) == -1)
      return -1;
    n -= k;
  }
  return 0;
}

ssize_t
initrd_read (struct initrd *r, void *buf, size_t n)
{
  ssize_t got;

  if (n > r->left)
    n = (size_t) r->left;
  if (take_all (r, buf, n) == -1)
    return -1;
  got = (ssize_t) n;
  r->left -= n;
  return got;
}

static int
hex_field (const char *p, uint32_t *v)
{
  *v = 0;
  for (int i = 0; i < 8; ++i) {
    int c = p[i], d;

    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    *v = *v * 16 + (uint32_t) d;
  }
  return 0;
}

/* The members of the archives in src from here to its end.  1 if fn
 * stopped the walk, 0 at the end, -1 with errno. */
static int
walk_archives (struct initrd *r, initrd_fn fn, void *opaque)
{
  for (;;) {
    char h[110], name[NAME_MAX_CPIO + 1];
    uint32_t mode, size, namesize;
    ssize_t got;
    int s;

    /* Zeros pad between archives, in steps of 4. */
    do {
      got = take (r, h, 4);
      if (got == -1)
        return -1;
      if (got == 0)
        return 0;
    } while (got == 4 && memcmp (h, "\0\0\0\0", 4) == 0);
    /* A plain archive may be followed by a compressed one: the caller
     * looks at it from where it starts. */
    if (r->pid == -1 && got == 4 && memcmp (h, "0707", 4) != 0) {
      r->pos -= 4;
      return 0;
    }
    if (got != 4 || take_all (r, h + 4, 106) == -1 ||
        (memcmp (h, "070701", 6) != 0 && memcmp (h, "070702", 6) != 0) ||
        hex_field (h + 14, &mode) == -1 || hex_field (h + 54, &size) == -1 ||
        hex_field (h + 94, &namesize) == -1 ||
        namesize == 0 || namesize > NAME_MAX_CPIO) {
      errno = EINVAL;
      return -1;
    }
    if (take_all (r, name, namesize) == -1 ||
        skip (r, (4 - r->pos % 4) % 4) == -1)
      return -1;
    name[namesize] = '\0';
    if (strcmp (name, "TRAILER!!!") == 0)
      continue;
    r->left = size;
    s = fn (opaque, name, mode, size, r);
    if (s != 0)
      return s;
    if (skip (r, r->left) == -1 || skip (r, (4 - r->pos % 4) % 4) == -1)
      return -1;
  }
}

/* The decompressor for the bytes at the start of a part; NULL for a
 * plain archive, and errno EINVAL for neither. */
static const char *const *
filter_for (const unsigned char *m, size_t n)
{
  static const struct {
    const char *magic;
    size_t len;
    const char *argv[5];
  } filters[] = {
    { "\x1f\x8b", 2, { "gzip", "-dc", NULL } },
    { "\xfd" "7zXZ\0", 6, { "xz", "-dc", NULL } },
    { "\x5d\0\0", 3, { "xz", "-dc", "--format=lzma", NULL } },
    { "\x28\xb5\x2f\xfd", 4, { "zstd", "-dcq", NULL } },
    { "BZh", 3, { "bzip2", "-dc", NULL } },
    { "\x02\x21\x4c\x18", 4, { "lz4", "-dc", NULL } },
    { "\x89LZO", 4, { "lzop", "-dc", NULL } },
  };

  if (n >= 6 && memcmp (m, "07070", 5) == 0)
    return NULL;
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; ++i)
    if (n >= filters[i].len && memcmp (m, filters[i].magic, filters[i].len) == 0)
      return filters[i].argv;
  errno = EINVAL;
  return NULL;
}

int
initrd_walk (int fd, initrd_fn fn, void *opaque)
{
  CLEANUP_FREE struct initrd *r = calloc (1, sizeof *r);
  uint64_t at = 0;
  int parts = 0;

  if (r == NULL)
    return -1;
  for (;;) {
    unsigned char m[8];
    const char *const *argv;
    ssize_t n = pread (fd, m, sizeof m, (off_t) at);
    int s, status;

    if (n == -1)
      return -1;
    if (n == 0 || (n < 6 && parts > 0))
      return 0;
    errno = 0;
    argv = filter_for (m, (size_t) n);
    if (argv == NULL && errno == EINVAL) {
      if (parts > 0)
        return 0;               /* what follows is not ours */
      return -1;
    }
    *r = (struct initrd) { .file = fd, .src = fd, .pid = -1 };
    if (lseek (fd, (off_t) at, SEEK_SET) == -1)
      return -1;
    if (argv) {
      if (!program_available (argv[0])) {
        errno = ENOTSUP;
        return -1;
      }
      r->pid = filter_start ((char *const *) argv, fd, &r->src);
      if (r->pid == -1)
        return -1;
    }
    parts++;
    s = walk_archives (r, fn, opaque);
    if (r->pid == -1) {
      if (s != 0)
        return s == 1 ? 0 : -1;
      /* A plain archive, up to its end or to the part after it. */
      if (r->pos == 0)
        return 0;
      at += r->pos;
      continue;
    }
    {
      int saved = errno;

      status = filter_finish (r->pid, r->src, s != 0);
      errno = saved;
    }
    if (s == 1)
      return 0;
    if (s == -1)
      return -1;
    if (status != 0) {
      errno = EINVAL;           /* not what its header said */
      return -1;
    }
    return 0;                   /* a compressed part runs to the end */
  }
}

/* The reply for a failed walk of path.  Returns -1. */
static int
reply_walk_error (const char *path)
{
  if (errno == EINVAL)
    return reply_with_error_errno (EINVAL, "%s: not an initramfs (a cpio "
                                   "archive, plain or compressed)", path);
  if (errno == ENOTSUP)
    return reply_with_error_errno (ENOTSUP, "%s: its decompressor is not in "
                                   "this appliance", path);
  return reply_with_perror ("%s", path);
}

static int
list_member (void *opaque, const char *name, uint32_t mode, uint64_t size,
             struct initrd *r)
{
  (void) mode;
  (void) size;
  (void) r;
  return strlist_add (opaque, name) == -1 ? -1 : 0;
}

char **
do_initrd_list (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (path, 0, NULL);
  struct strlist l = STRLIST_INIT;

  if (fd == -1)
    return NULL;
  if (initrd_walk (fd, list_member, &l) == -1) {
    strlist_free (&l);
    reply_walk_error (path);
    return NULL;
  }
  return strlist_take (&l);
}

struct cat {
  const char *want;
  char *data;
  size_t size;
  int found;
};

/* Names in an archive may start with "./" or "/". */
static const char *
plain_name (const char *name)
{
  while (name[0] == '.' && name[1] == '/')
    name += 2;
  while (name[0] == '/')
    name++;
  return name;
}

static int
cat_member (void *opaque, const char *name, uint32_t mode, uint64_t size,
            struct initrd *r)
{
  struct cat *c = opaque;

  if (strcmp (plain_name (name), plain_name (c->want)) != 0 ||
      (mode & 0170000) != 0100000)
    return 0;
  c->found = 1;
  if (size > CAT_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  c->data = malloc (size ? size : 1);
  if (c->data == NULL || initrd_read (r, c->data, size) == -1)
    return -1;
  c->size = size;
  return 1;
}

char *
do_initrd_cat (const char *initrdpath, const char *filename, size_t *size_r)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (initrdpath, 0, NULL);
  struct cat c = { filename, NULL, 0, 0 };

  if (fd == -1)
    return NULL;
  if (initrd_walk (fd, cat_member, &c) == -1) {
    free (c.data);
    if (errno == EMSGSIZE)
      reply_with_error_errno (EMSGSIZE, "%s: %s: bigger than a reply holds "
                              "(%d bytes)", initrdpath, filename, CAT_MAX);
    else
      reply_walk_error (initrdpath);
    return NULL;
  }
  if (!c.found) {
    reply_with_error_errno (ENOENT, "%s: no file %s in the initramfs",
                            initrdpath, filename);
    return NULL;
  }
  *size_r = c.size;
  return c.data;
}
