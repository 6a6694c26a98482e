/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names in the guest tree: listing directories (ls0, ll0: streamed, so
 * any size passes; ls, ll and find are the library's), creating
 * and removing (mkdir*, rm*, rmdir, touch) and the exists/is_* tests.
 *
 * Paths are resolved inside /sysroot by sysroot.c; the last component is
 * then handled with *at() calls that never follow a symlink (unlinkat,
 * mkdirat, fstatat with AT_SYMLINK_NOFOLLOW, openat with O_NOFOLLOW), so
 * a guest symlink, absolute or full of "..", cannot lead outside the
 * guest. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "quote.h"

/* ls -l shows the year instead of the time beyond half a year. */
#define HALF_YEAR (31556952 / 2)

/* The names in the directory dirfd (an O_PATH fd is fine), without "."
 * and "..", unsorted.  Fails with EMSGSIZE once the names take more than
 * max bytes.  NULL with errno; caller frees. */
static char **
read_names (int dirfd, size_t max)
{
  struct strlist l = STRLIST_INIT;
  int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct dirent *e;
  size_t bytes = 0;
  int saved;
  DIR *d;

  d = dir_stream (fd);
  if (d == NULL)
    return NULL;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    bytes += strlen (e->d_name) + 4;
    if (bytes > max) {
      errno = EMSGSIZE;
      break;
    }
    if (strlist_add (&l, e->d_name) == -1)
      break;
  }
  saved = errno;
  closedir (d);
  if (saved) {
    strlist_free (&l);
    errno = saved;
    return NULL;
  }
  return strlist_take (&l);
}

int
do_ls0 (const char *directory)
{
  CLEANUP_CLOSE int fd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  struct chunk_out out = CHUNK_OUT_INIT;
  struct dirent *e;
  DIR *d;
  int err = 0;

  if (fd == -1)
    return reply_with_perror ("%s", directory);
  d = dir_stream (TAKE_FD (fd));
  if (d == NULL)
    return reply_with_perror ("%s", directory);
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    if (chunk_out_add (&out, e->d_name, strlen (e->d_name) + 1) == -1)
      break;
  }
  err = errno;
  closedir (d);
  if (err) {
    chunk_out_end (&out, 1);
    errno = err;
    return reply_with_perror ("%s", directory);
  }
  if (chunk_out_end (&out, 0) == -1)
    return reply_with_perror ("%s", directory);
  return 0;
}

/* ll: one line of ls -la per name, formatted here (the appliance has no
 * ls).  Owners are numeric, times UTC. */

struct ll_entry {
  const char *name;
  struct stat st;
  char nlink[24], uid[16], gid[16], size[32];
};

static char
exec_char (mode_t m, mode_t x, mode_t special, char c)
{
  if (m & special)
    return (m & x) ? c : (char) (c - 'a' + 'A');
  return (m & x) ? 'x' : '-';
}

/* "drwxr-xr-x" into s (11 bytes). */
static void
mode_string (mode_t m, char *s)
{
  s[0] = S_ISDIR (m) ? 'd' : S_ISLNK (m) ? 'l' : S_ISCHR (m) ? 'c' :
    S_ISBLK (m) ? 'b' : S_ISFIFO (m) ? 'p' : S_ISSOCK (m) ? 's' : '-';
  s[1] = (m & S_IRUSR) ? 'r' : '-';
  s[2] = (m & S_IWUSR) ? 'w' : '-';
  s[3] = exec_char (m, S_IXUSR, S_ISUID, 's');
  s[4] = (m & S_IRGRP) ? 'r' : '-';
  s[5] = (m & S_IWGRP) ? 'w' : '-';
  s[6] = exec_char (m, S_IXGRP, S_ISGID, 's');
  s[7] = (m & S_IROTH) ? 'r' : '-';
  s[8] = (m & S_IWOTH) ? 'w' : '-';
  s[9] = exec_char (m, S_IXOTH, S_ISVTX, 't');
  s[10] = '\0';
}

static void
format_time (time_t t, time_t now, char *buf, size_t n)
{
  struct tm tm;
  int recent = t <= now && now - t < HALF_YEAR;

  if (gmtime_r (&t, &tm) == NULL ||
      strftime (buf, n, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm) == 0)
    snprintf (buf, n, "%jd", (intmax_t) t);
}

/* lstat of one name of the listed directory.  ".." goes through the
 * guest path, so that at the guest's root it stays the root. */
static int
ll_stat (const char *directory, int dirfd, struct ll_entry *e)
{
  CLEANUP_FREE char *up = NULL;
  struct stat *st = &e->st;

  if (strcmp (e->name, "..") != 0)
    return fstatat (dirfd, e->name, st, AT_SYMLINK_NOFOLLOW);
  if (asprintf (&up, "%s/..", directory) == -1)
    return -1;
  return stat_guest (up, 0, st);
}

static int
ll_fill (const char *directory, int dirfd, struct ll_entry *e)
{
  const struct stat *st = &e->st;

  if (ll_stat (directory, dirfd, e) == -1)
    return -1;
  snprintf (e->nlink, sizeof e->nlink, "%ju", (uintmax_t) st->st_nlink);
  snprintf (e->uid, sizeof e->uid, "%ju", (uintmax_t) st->st_uid);
  snprintf (e->gid, sizeof e->gid, "%ju", (uintmax_t) st->st_gid);
  if (S_ISCHR (st->st_mode) || S_ISBLK (st->st_mode))
    snprintf (e->size, sizeof e->size, "%u, %u",
              major (st->st_rdev), minor (st->st_rdev));
  else
    snprintf (e->size, sizeof e->size, "%jd", (intmax_t) st->st_size);
  return 0;
}

static int
compare_entries (const void *a, const void *b)
{
  return strcmp (((const struct ll_entry *) a)->name,
                 ((const struct ll_entry *) b)->name);
}

struct ll_widths {
  int nlink, uid, gid, size;
};

static int
max_width (int w, const char *s)
{
  int n = (int) strlen (s);

  return n > w ? n : w;
}

static void
ll_print (FILE *fp, int dirfd, const struct ll_entry *e,
          const struct ll_widths *w, time_t now)
{
  char mode[11], when[64];

  mode_string (e->st.st_mode, mode);
  format_time (e->st.st_mtim.tv_sec, now, when, sizeof when);
  CLEANUP_FREE char *name = quote_name (e->name);

  /* Names as ls -b shows them: a newline or an escape sequence in a
   * guest's name must not break the listing or reach a terminal. */
  fprintf (fp, "%s %*s %-*s %-*s %*s %s %s", mode, w->nlink, e->nlink,
           w->uid, e->uid, w->gid, e->gid, w->size, e->size, when,
           name ? name : "?");
  if (S_ISLNK (e->st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlinkat (dirfd, e->name, target, sizeof target - 1);
    CLEANUP_FREE char *qt = NULL;

    /* The kernel keeps targets below PATH_MAX; a longer one is cut. */
    if (n >= 0) {
      target[n] = '\0';
      qt = quote_name (target);
      fprintf (fp, " -> %s", qt ? qt : "?");
    }
  }
  fputc ('\n', fp);
}

/* A stdio stream whose bytes go to the host as a FileOut. */
static ssize_t
chunk_write (void *cookie, const char *buf, size_t n)
{
  return chunk_out_add (cookie, buf, n) == -1 ? -1 : (ssize_t) n;
}

/* The listing of entries, sorted, streamed to the host; the end of the
 * stream is the caller's.  0, or -1 with errno. */
static int
ll_format (int dirfd, struct ll_entry *v, size_t n, struct chunk_out *out)
{
  cookie_io_functions_t io = { .write = chunk_write };
  struct ll_widths w = { 0, 0, 0, 0 };
  uintmax_t blocks = 0;
  FILE *fp;
  time_t now = time (NULL);

  qsort (v, n, sizeof *v, compare_entries);
  for (size_t i = 0; i < n; ++i) {
    w.nlink = max_width (w.nlink, v[i].nlink);
    w.uid = max_width (w.uid, v[i].uid);
    w.gid = max_width (w.gid, v[i].gid);
    w.size = max_width (w.size, v[i].size);
    blocks += (uintmax_t) v[i].st.st_blocks / 2;
  }
  fp = fopencookie (out, "w", io);
  if (fp == NULL)
    return -1;
  fprintf (fp, "total %ju\n", blocks);
  for (size_t i = 0; i < n; ++i)
    ll_print (fp, dirfd, &v[i], &w, now);
  return fclose (fp) == EOF ? -1 : 0;
}

int
do_ll0 (const char *directory)
{
  CLEANUP_CLOSE int fd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  CLEANUP_FREE struct ll_entry *v = NULL;
  struct chunk_out out = CHUNK_OUT_INIT;
  size_t n;

  if (fd == -1)
    return reply_with_perror ("%s", directory);
  /* Every entry is held here to sort them and size the columns: some
   * 200 bytes a name, 20 MB for 100,000. */
  names = read_names (fd, SIZE_MAX);
  if (names == NULL)
    return reply_with_perror ("%s", directory);
  n = count_strings (names) + 2;
  v = calloc (n, sizeof *v);
  if (v == NULL)
    return reply_with_perror ("calloc");
  v[0].name = ".";
  v[1].name = "..";
  for (size_t i = 2; i < n; ++i)
    v[i].name = names[i - 2];
  for (size_t i = 0; i < n; ++i)
    if (ll_fill (directory, fd, &v[i]) == -1)
      return reply_with_perror ("%s/%s", directory, v[i].name);
  if (ll_format (fd, v, n, &out) == -1) {
    int err = errno;
    chunk_out_end (&out, 1);
    errno = err;
    return reply_with_perror ("%s", directory);
  }
  if (chunk_out_end (&out, 0) == -1)
    return reply_with_perror ("%s", directory);
  return 0;
}

/* Creating directories. */

static int
mkdir_guest (const char *path, mode_t mode)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  struct stat st;

  /* "/", "/x/..": no last component to create, but something there. */
  if (dirfd == -1 && errno == EINVAL && stat_guest (path, 1, &st) == 0)
    errno = EEXIST;
  if (dirfd == -1 || mkdirat (dirfd, base, mode) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

int
do_mkdir (const char *path)
{
  return mkdir_guest (path, 0777);
}

int
do_mkdir_mode (const char *path, int mode)
{
  if (mode < 0 || mode > 07777)
    return reply_with_error_errno (EINVAL, "%s: mode %d is not between 0 and "
                                   "07777", path, mode);
  return mkdir_guest (path, (mode_t) mode);
}

/* Makes sure path (whose parent exists) is a directory, following a
 * symlink to one.  -1 with errno (EEXIST: something else is there). */
static int
make_one_dir (const char *path)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  struct stat st;

  if (dirfd == -1)
    return -1;
  if (mkdirat (dirfd, base, 0777) == 0)
    return 0;
  if (errno != EEXIST)
    return -1;
  if (stat_guest (path, 1, &st) == 0 && S_ISDIR (st.st_mode))
    return 0;
  errno = EEXIST;
  return -1;
}

int
do_mkdir_p (const char *path)
{
  CLEANUP_FREE char *prefix = strdup (path);
  size_t n = strlen (path);
  struct stat st;

  if (prefix == NULL)
    return reply_with_perror ("strdup");
  if (stat_guest (path, 1, &st) == 0 && S_ISDIR (st.st_mode))
    return 0;
  /* One component at a time, each resolved afresh inside the guest. */
  for (size_t i = 1; i <= n; ++i) {
    const char *last;

    if (i < n && path[i] != '/')
      continue;
    prefix[i] = '\0';
    last = strrchr (prefix, '/') + 1;
    if (*last != '\0' && strcmp (last, ".") != 0 && strcmp (last, "..") != 0 &&
        make_one_dir (prefix) == -1)
      return reply_with_perror ("%s", prefix);
    prefix[i] = path[i];
  }
  return 0;
}

/* Removing. */

static int
unlink_guest (const char *path, int flags, int missing_ok)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);

  if (dirfd == -1 || unlinkat (dirfd, base, flags) == -1) {
    if (missing_ok && errno == ENOENT)
      return 0;
    return reply_with_perror ("%s", path);
  }
  return 0;
}

int
do_rm (const char *path)
{
  return unlink_guest (path, 0, 0);
}

int
do_rm_f (const char *path)
{
  return unlink_guest (path, 0, 1);
}

int
do_rmdir (const char *path)
{
  return unlink_guest (path, AT_REMOVEDIR, 0);
}

static int remove_tree (int dirfd, const char *name);

/* Removes everything in the directory name of dirfd (not following a
 * symlink there).  -1 with errno. */
static int
empty_dir (int dirfd, const char *name)
{
  CLEANUP_CLOSE int fd = openat (dirfd, name,
                                 O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  CLEANUP_FREE_STRING_LIST char **names = NULL;

  if (fd == -1)
    return -1;
  names = read_names (fd, SIZE_MAX);
  if (names == NULL)
    return -1;
  for (size_t i = 0; names[i]; ++i)
    if (remove_tree (fd, names[i]) == -1 && errno != ENOENT)
      return -1;
  return 0;
}

/* Removes name in dirfd and, if it is a directory, all below it; a
 * symlink is removed, never followed.  -1 with errno. */
static int
remove_tree (int dirfd, const char *name)
{
  struct stat st;

  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
    return -1;
  if (!S_ISDIR (st.st_mode))
    return unlinkat (dirfd, name, 0);
  if (empty_dir (dirfd, name) == -1)
    return -1;
  return unlinkat (dirfd, name, AT_REMOVEDIR);
}

static int
is_root (const char *path)
{
  return path[strspn (path, "/")] == '\0';
}

/* Like libguestfs, the guest's root is refused: removing its entries one
 * by one (ls + rm_rf) states that intent explicitly. */
int
do_rm_rf (const char *path)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = -1;

  if (is_root (path))
    return reply_with_error_errno (EINVAL, "%s: refusing to remove the root "
                                   "directory", path);
  dirfd = sysroot_open_parent (path, &base);
  if (dirfd == -1) {
    if (errno == ENOENT || errno == ENOTDIR)
      return 0;
    return reply_with_perror ("%s", path);
  }
  if (remove_tree (dirfd, base) == -1 && errno != ENOENT)
    return reply_with_perror ("%s", path);
  return 0;
}

/* As libguestfs: only regular files are touched (a FIFO would block, a
 * device has no business being created or timestamped this way), and a
 * symlink is refused rather than followed. */
int
do_touch (const char *path)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_CLOSE int dirfd = sysroot_open_parent (path, &base);
  CLEANUP_CLOSE int fd = -1;
  struct stat st;

  if (dirfd == -1)
    return reply_with_perror ("%s", path);
  if (fstatat (dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISREG (st.st_mode))
    return reply_with_error_errno (EINVAL, "%s: not a regular file", path);
  fd = openat (dirfd, base, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK |
               O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd == -1 || futimens (fd, NULL) == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

/* Tests: a path that does not exist is simply not of that type. */

static int
has_type (const char *path, int follow, mode_t type)
{
  struct stat st;

  if (stat_guest (path, follow, &st) == -1) {
    if (errno == ENOENT || errno == ENOTDIR)
      return 0;
    return reply_with_perror ("%s", path);
  }
  return (st.st_mode & S_IFMT) == type;
}

int
do_exists (const char *path)
{
  struct stat st;

  if (stat_guest (path, 1, &st) == 0)
    return 1;
  /* A dangling or looping symlink does not name anything. */
  if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
    return 0;
  return reply_with_perror ("%s", path);
}

int
do_is_file (const char *path, uint64_t optmask, int followsymlinks)
{
  int follow = (optmask & OPT_IS_FILE_FOLLOWSYMLINKS) && followsymlinks;

  return has_type (path, follow, S_IFREG);
}

int
do_is_dir (const char *path, uint64_t optmask, int followsymlinks)
{
  int follow = (optmask & OPT_IS_DIR_FOLLOWSYMLINKS) && followsymlinks;

  return has_type (path, follow, S_IFDIR);
}

int
do_is_blockdev (const char *path, uint64_t optmask, int followsymlinks)
{
  int follow = (optmask & OPT_IS_BLOCKDEV_FOLLOWSYMLINKS) && followsymlinks;

  return has_type (path, follow, S_IFBLK);
}

int
do_is_symlink (const char *path)
{
  return has_type (path, 0, S_IFLNK);
}
