/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small questions about guest files and small changes to them, under
 * the names scripts know from head(1), tail(1), wc(1), cmp(1), ln(1),
 * mkfifo(1), mknod(1) and touch(1): equal, head, tail, wc_*, is_zero,
 * is_chardev/fifo/socket, rename, ln, mkfifo, mknod*, utimens, umask,
 * fill*.  Every guest path goes through sysroot.c; contents are read
 * from regular files only. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define BUFSIZE (64 * 1024)

/* Reads the regular file path in chunks, calling fn on each; fn returns
 * 0 to go on, 1 to stop.  0, or -1 (replied). */
static int
each_chunk (const char *path, int (*fn) (void *, const char *, size_t),
            void *opaque)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (path, 0, NULL);
  CLEANUP_FREE char *buf = malloc (BUFSIZE);
  ssize_t n;

  if (fd == -1)
    return -1;
  if (buf == NULL)
    return reply_with_perror ("%s", path);
  while ((n = read (fd, buf, BUFSIZE)) != 0) {
    if (n == -1) {
      if (errno == EINTR)
        continue;
      return reply_with_perror ("%s", path);
    }
    if (fn (opaque, buf, (size_t) n))
      break;
  }
  return 0;
}

struct wc {
  int64_t lines, words, chars;
  int in_word;
};

static int
count (void *opaque, const char *buf, size_t n)
{
  struct wc *w = opaque;

  w->chars += (int64_t) n;
  for (size_t i = 0; i < n; ++i) {
    /* wc's words: runs of bytes between blanks (the C locale). */
    int blank = buf[i] == ' ' || (buf[i] >= '\t' && buf[i] <= '\r');

    w->lines += buf[i] == '\n';
    if (!blank && !w->in_word)
      w->words++;
    w->in_word = !blank;
  }
  return 0;
}

static int
wc (const char *path, int64_t *lines, int64_t *words, int64_t *chars)
{
  struct wc w = { 0 };

  if (each_chunk (path, count, &w) == -1)
    return -1;
  *lines = w.lines;
  *words = w.words;
  *chars = w.chars;
  return 0;
}

/* The counts are ints in the API: a file past 2^31 is an error. */
static int
wc_result (const char *path, int64_t v)
{
  if (v > INT32_MAX)
    return reply_with_error_errno (EOVERFLOW, "%s: %lld is too large for the "
                                   "result", path, (long long) v);
  return (int) v;
}

int
do_wc_l (const char *path)
{
  int64_t l, w, c;

  return wc (path, &l, &w, &c) == -1 ? -1 : wc_result (path, l);
}

int
do_wc_w (const char *path)
{
  int64_t l, w, c;

  return wc (path, &l, &w, &c) == -1 ? -1 : wc_result (path, w);
}

int
do_wc_c (const char *path)
{
  int64_t l, w, c;

  return wc (path, &l, &w, &c) == -1 ? -1 : wc_result (path, c);
}

static int
find_nonzero (void *opaque, const char *buf, size_t n)
{
  int *zero = opaque;

  for (size_t i = 0; i < n; ++i)
    if (buf[i]) {
      *zero = 0;
      return 1;
    }
  return 0;
}

int
do_is_zero (const char *path)
{
  int zero = 1;

  return each_chunk (path, find_nonzero, &zero) == -1 ? -1 : zero;
}

int
do_equal (const char *file1, const char *file2)
{
  CLEANUP_CLOSE int fd1 = sysroot_open_regular_or_reply (file1, 0, NULL);
  CLEANUP_CLOSE int fd2 = -1;
  CLEANUP_FREE char *b1 = malloc (BUFSIZE);
  CLEANUP_FREE char *b2 = malloc (BUFSIZE);

  if (fd1 == -1)
    return -1;
  fd2 = sysroot_open_regular_or_reply (file2, 0, NULL);
  if (fd2 == -1)
    return -1;
  if (b1 == NULL || b2 == NULL)
    return reply_with_perror ("equal");
  for (;;) {
    ssize_t n1 = read_all (fd1, b1, BUFSIZE), n2 = read_all (fd2, b2, BUFSIZE);

    if (n1 == -1)
      return reply_with_perror ("%s", file1);
    if (n2 == -1)
      return reply_with_perror ("%s", file2);
    if (n1 != n2 || memcmp (b1, b2, (size_t) n1) != 0)
      return 0;
    if (n1 == 0)
      return 1;
  }
}

/* Some of the lines of path (head, tail); NULL (replied).  The file
 * must fit in one message, as for read_lines. */
static char **
line_range (const char *path, int from_end, int nrlines)
{
  CLEANUP_FREE_STRING_LIST char **lines = do_read_lines (path);
  struct strlist out = STRLIST_INIT;
  int64_t n, k = nrlines, first, last;
  char **r;

  if (lines == NULL)
    return NULL;
  n = (int64_t) count_strings (lines);
  /* head: positive, the first K; negative, all but the last -K.  tail:
   * positive, the last K; negative, from line -K (counted from 1) on. */
  if (!from_end) {
    first = 0;
    last = k >= 0 ? k : n + k;
  }
  else {
    first = k >= 0 ? n - k : -k - 1;
    last = n;
  }
  first = first < 0 ? 0 : first;
  last = last > n ? n : last;
  for (int64_t i = first; i < last; ++i)
    if (strlist_add (&out, lines[i]) == -1) {
      strlist_free (&out);
      reply_with_perror ("%s", path);
      return NULL;
    }
  r = strlist_take (&out);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    reply_with_perror ("%s", path);
  return r;
}

char **
do_head (const char *path)
{
  return line_range (path, 0, 10);
}

char **
do_head_n (int nrlines, const char *path)
{
  return line_range (path, 0, nrlines);
}

char **
do_tail (const char *path)
{
  return line_range (path, 1, 10);
}

char **
do_tail_n (int nrlines, const char *path)
{
  return line_range (path, 1, nrlines);
}

/* is_chardev, is_fifo, is_socket. */
static int
is_type (const char *path, int follow, mode_t type)
{
  struct stat st;

  if (stat_guest (path, follow, &st) == -1)
    return errno == ENOENT || errno == ENOTDIR ? 0
      : reply_with_perror ("%s", path);
  return (st.st_mode & S_IFMT) == type;
}

int
do_is_chardev (const char *path, uint64_t optmask, int followsymlinks)
{
  return is_type (path, (optmask & OPT_IS_CHARDEV_FOLLOWSYMLINKS) &&
                  followsymlinks, S_IFCHR);
}

int
do_is_fifo (const char *path, uint64_t optmask, int followsymlinks)
{
  return is_type (path, (optmask & OPT_IS_FIFO_FOLLOWSYMLINKS) &&
                  followsymlinks, S_IFIFO);
}

int
do_is_socket (const char *path, uint64_t optmask, int followsymlinks)
{
  return is_type (path, (optmask & OPT_IS_SOCKET_FOLLOWSYMLINKS) &&
                  followsymlinks, S_IFSOCK);
}

int
do_rename (const char *oldpath, const char *newpath)
{
  CLEANUP_FREE char *oldbase = NULL, *newbase = NULL;
  CLEANUP_CLOSE int olddir = sysroot_open_parent (oldpath, &oldbase);
  CLEANUP_CLOSE int newdir = -1;

  if (olddir == -1)
    return reply_with_perror ("%s", oldpath);
  newdir = sysroot_open_parent (newpath, &newbase);
  if (newdir == -1)
    return reply_with_perror ("%s", newpath);
  if (renameat (olddir, oldbase, newdir, newbase) == -1)
    return reply_with_perror ("rename %s to %s", oldpath, newpath);
  return 0;
}

/* A hard link linkname to target (not following a symlink target, as
 * ln does); with force, linkname is replaced. */
static int
hard_link (const char *target, const char *linkname, int force)
{
  CLEANUP_FREE char *tbase = NULL, *lbase = NULL;
  CLEANUP_CLOSE int tdir = sysroot_open_parent (target, &tbase);
  CLEANUP_CLOSE int ldir = -1;

  if (tdir == -1)
    return reply_with_perror ("%s", target);
  ldir = sysroot_open_parent (linkname, &lbase);
  if (ldir == -1)
    return reply_with_perror ("%s", linkname);
  if (force && unlinkat (ldir, lbase, 0) == -1 && errno != ENOENT)
    return reply_with_perror ("%s", linkname);
  if (linkat (tdir, tbase, ldir, lbase, 0) == -1)
    return reply_with_perror ("link %s to %s", linkname, target);
  return 0;
}

int
do_ln (const char *target, const char *linkname)
{
  return hard_link (target, linkname, 0);
}

int
do_ln_f (const char *target, const char *linkname)
{
  return hard_link (target, linkname, 1);
}

/* mknod of a FIFO or device node; type is S_IF* or 0 (in mode). */
static int
make_node (const char *path, int mode, mode_t type, int major, int minor)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dir = -1;

  if (mode < 0 || (type && (mode & S_IFMT)) ||
      (type == 0 && !S_ISREG (mode) && !S_ISCHR (mode) && !S_ISBLK (mode) &&
       !S_ISFIFO (mode) && !S_ISSOCK (mode)))
    return reply_with_error_errno (EINVAL, "%s: mode 0%o: %s", path,
                                   (unsigned) mode,
                                   type ? "must be permission bits only"
                                   : "needs a file type (S_IFCHR, S_IFBLK, "
                                   "S_IFIFO ...)");
  if (major < 0 || minor < 0)
    return reply_with_error_errno (EINVAL, "%s: device %d:%d: must not be "
                                   "negative", path, major, minor);
  dir = sysroot_open_parent (path, &base);
  if (dir == -1)
    return reply_with_perror ("%s", path);
  if (mknodat (dir, base, (mode_t) mode | type,
               makedev ((unsigned) major, (unsigned) minor)) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_mkfifo (int mode, const char *path)
{
  return make_node (path, mode, S_IFIFO, 0, 0);
}

int
do_mknod (int mode, int devmajor, int devminor, const char *path)
{
  return make_node (path, mode, 0, devmajor, devminor);
}

int
do_mknod_b (int mode, int devmajor, int devminor, const char *path)
{
  return make_node (path, mode, S_IFBLK, devmajor, devminor);
}

int
do_mknod_c (int mode, int devmajor, int devminor, const char *path)
{
  return make_node (path, mode, S_IFCHR, devmajor, devminor);
}

/* nsecs -1 is "now" (UTIME_NOW), -2 "leave it" (UTIME_OMIT). */
static int
timespec_of (const char *path, int64_t secs, int64_t nsecs,
             struct timespec *ts)
{
  if (nsecs == -1)
    nsecs = UTIME_NOW;
  else if (nsecs == -2)
    nsecs = UTIME_OMIT;
  else if (nsecs < 0 || nsecs > 999999999)
    return reply_with_error_errno (EINVAL, "%s: %lld nanoseconds: expected "
                                   "0 to 999999999, -1 or -2", path,
                                   (long long) nsecs);
  ts->tv_sec = (time_t) secs;
  ts->tv_nsec = (long) nsecs;
  return 0;
}

int
do_utimens (const char *path, int64_t atsecs, int64_t atnsecs,
            int64_t mtsecs, int64_t mtnsecs)
{
  struct timespec ts[2];
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dir = -1;

  if (timespec_of (path, atsecs, atnsecs, &ts[0]) == -1 ||
      timespec_of (path, mtsecs, mtnsecs, &ts[1]) == -1)
    return -1;
  /* A symlink gets the times itself (a FUSE mount's lutimes). */
  dir = sysroot_open_parent (path, &base);
  if (dir == -1 ||
      utimensat (dir, *base ? base : ".", ts, AT_SYMLINK_NOFOLLOW) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_umask (int mask)
{
  if (mask < 0 || mask > 0777)
    return reply_with_error_errno (EINVAL, "umask 0%o: expected 0 to 0777",
                                   (unsigned) mask);
  return (int) umask ((mode_t) mask);
}

/* Writes len bytes of pattern repeated into path, created or
 * truncated.  0, or -1 (replied). */
static int
fill_file (const char *path, const char *pattern, size_t plen, int64_t len)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *buf = malloc (BUFSIZE);
  struct stat st;
  int64_t done = 0;

  if (len < 0)
    return reply_with_error_errno (EINVAL, "%s: length %lld: must not be "
                                   "negative", path, (long long) len);
  if (plen == 0 || plen > BUFSIZE)
    return reply_with_error_errno (EINVAL, "%s: the pattern must have 1 to "
                                   "%d bytes", path, BUFSIZE);
  if (buf == NULL)
    return reply_with_perror ("%s", path);
  for (size_t i = 0; i < BUFSIZE; ++i)
    buf[i] = pattern[i % plen];
  fd = sysroot_open_regular_write (path, O_TRUNC, 0666, &st);
  if (fd == -1)
    return reply_open_regular_error (path, &st);
  /* Each write starts where the pattern does. */
  while (done < len) {
    size_t chunk = BUFSIZE - BUFSIZE % plen;
    size_t n = len - done < (int64_t) chunk ? (size_t) (len - done) : chunk;

    if (write_all (fd, buf, n) == -1)
      return reply_with_perror ("%s", path);
    done += (int64_t) n;
    notify_progress ((uint64_t) done, (uint64_t) len);
  }
  if (close (fd) == -1) {
    fd = -1;
    return reply_with_perror ("%s", path);
  }
  fd = -1;
  return 0;
}

int
do_fill (int c, int len, const char *path)
{
  char byte = (char) c;

  if (c < 0 || c > 255)
    return reply_with_error_errno (EINVAL, "%s: byte %d: expected 0 to 255",
                                   path, c);
  return fill_file (path, &byte, 1, len);
}

int
do_fill_pattern (const char *pattern, int len, const char *path)
{
  return fill_file (path, pattern, strlen (pattern), len);
}

/* mkdtemp: six random letters and digits in place of tmpl's XXXXXX. */
char *
do_mkdtemp (const char *tmpl)
{
  static const char chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  size_t n = strlen (tmpl);
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = -1;
  char *r;

  if (n < 6 || strcmp (tmpl + n - 6, "XXXXXX") != 0) {
    reply_with_error_errno (EINVAL, "%s: the template must end with XXXXXX",
                            tmpl);
    return NULL;
  }
  dirfd = sysroot_open_parent (tmpl, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", tmpl);
    return NULL;
  }
  for (int tries = 0; tries < 100; ++tries) {
    unsigned char rnd[6];
    char *x = base + strlen (base) - 6;

    if (getrandom (rnd, sizeof rnd, 0) != (ssize_t) sizeof rnd) {
      reply_with_perror ("getrandom");
      return NULL;
    }
    for (size_t i = 0; i < sizeof rnd; ++i)
      x[i] = chars[rnd[i] % (sizeof chars - 1)];
    if (mkdirat (dirfd, base, 0700) == 0) {
      if (asprintf (&r, "%.*s%.6s", (int) (n - 6), tmpl, x) == -1) {
        reply_with_perror ("%s", tmpl);
        return NULL;
      }
      return r;
    }
    if (errno != EEXIST)
      break;
  }
  reply_with_perror ("%s", tmpl);
  return NULL;
}
