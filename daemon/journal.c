/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The systemd journal of the guest (journal_*), read with libsystemd's
 * sd-journal, which is loaded with dlopen at the first journal_open: the
 * daemon does not link it, so a launch that reads no journal never maps
 * it (nor its compressors and libgcrypt).
 *
 * sd-journal is not given the guest directory: it would open the files
 * in it by name, following symlinks out of the guest and opening FIFOs.
 * The daemon lists the directory (and its machine-ID subdirectories, as
 * sd_journal_open_directory does), opens each journal file itself
 * through the sysroot helpers, which open regular files only, and hands
 * the fds to sd_journal_open_files_fd, which owns them from then on
 * (sd_journal_close closes them).  A file that is not a journal is
 * skipped, as sd_journal_open_directory skips it, rather than failing
 * the whole directory. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "daemon.h"
#include "dlib.h"
#include "actions-gen.h"
#include "journal.h"
#include "vector.h"

/* sd-journal's functions, through dlsym. */
static struct {
  int (*open_files_fd) (sd_journal **, int[], unsigned, int);
  void (*close) (sd_journal *);
  int (*next) (sd_journal *);
  int (*next_skip) (sd_journal *, uint64_t);
  int (*previous_skip) (sd_journal *, uint64_t);
  int (*get_realtime_usec) (sd_journal *, uint64_t *);
  int (*set_data_threshold) (sd_journal *, size_t);
  int (*get_data_threshold) (sd_journal *, size_t *);
  int (*enumerate_data) (sd_journal *, const void **, size_t *);
  void (*restart_data) (sd_journal *);
} sdj;

/* The threshold a journal opens with (sd-journal's default). */
#define DEFAULT_THRESHOLD 65536

/* A reply must fit in one message; each field costs two lengths. */
#define JOURNAL_REPLY_MAX (3584 * 1024)

/* The files opened are bounded, as sd-journal bounds them. */
#define MAX_FILES 7168

/* The open journal: j is NULL for one without files (an empty
 * directory), is_open says whether there is one at all. */
static struct {
  int is_open;
  sd_journal *j;
  size_t threshold;             /* kept for a journal without files */
} jr;

/* Loads libsystemd and the functions once.  0, or -1 with the reason in
 * *why. */
static int
sdj_load (const char **why)
{
  static const struct dlib_sym syms[] = {
#define SYM(f) { "sd_journal_" #f, (void **) &sdj.f }
    SYM (open_files_fd), SYM (close), SYM (next), SYM (next_skip),
    SYM (previous_skip), SYM (get_realtime_usec), SYM (set_data_threshold),
    SYM (get_data_threshold), SYM (enumerate_data), SYM (restart_data),
#undef SYM
  };
  static void *handle;

  return dlib_load (&handle, "libsystemd.so.0", syms,
                    sizeof syms / sizeof syms[0], why);
}

int
optgroup_journal_available (void)
{
  const char *why;

  if (sdj_load (&why) == 0)
    return 1;
  debug ("optional groups: no libsystemd: %s", why);
  return 0;
}

void
journal_close_internal (void)
{
  if (!jr.is_open)
    return;
  if (jr.j)
    sdj.close (jr.j);           /* and the files' fds */
  memset (&jr, 0, sizeof jr);
}

/* The names sd-journal takes for journal files: NAME.journal, and
 * NAME.journal~ (a file put aside after an unclean shutdown). */
static int
is_journal_name (const char *name)
{
  size_t n = strlen (name);

  return (n > 8 && strcmp (name + n - 8, ".journal") == 0) ||
    (n > 9 && strcmp (name + n - 9, ".journal~") == 0);
}

/* A machine ID (32 hexadecimal digits), maybe followed by ".NAMESPACE":
 * the subdirectories sd-journal reads. */
static int
is_machine_dir_name (const char *name)
{
  size_t i;

  for (i = 0; i < 32; ++i)
    if (!((name[i] >= '0' && name[i] <= '9') ||
          (name[i] >= 'a' && name[i] <= 'f')))
      return 0;
  return name[i] == '\0' || name[i] == '.';
}

/* 1 if sd-journal reads the open file fd as a journal file (tried on a
 * copy of fd, which the trial journal takes), else 0. */
static int
is_journal_file (int fd)
{
  int copy = fcntl (fd, F_DUPFD_CLOEXEC, 0);
  sd_journal *t;

  if (copy == -1)
    return 0;
  if (sdj.open_files_fd (&t, &copy, 1, 0) < 0) {
    close (copy);
    return 0;
  }
  sdj.close (t);
  return 1;
}

DEFINE_VECTOR_TYPE (fd_vector, int);

static void
close_fds (fd_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    close (v->ptr[i]);
  fd_vector_reset (v);
}

/* Opens the journal files of the guest directory dir (a guest path) and
 * appends their fds to v; with depth 0 also those of its machine-ID
 * subdirectories.  Files that cannot be opened as regular files are
 * skipped, as sd-journal skips what it cannot read.  0, or -1 with
 * errno. */
static int
add_dir (fd_vector *v, const char *dir, int depth)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  CLEANUP_FREE_STRING_LIST char **names = NULL;

  if (dirfd == -1)
    return -1;
  names = dir_names (dirfd, 0);
  dirfd = -1;                   /* dir_names took it */
  if (names == NULL)
    return -1;
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_FREE char *path = NULL;
    struct stat st;

    if (asprintf (&path, "%s%s%s", dir,
                  dir[strlen (dir) - 1] == '/' ? "" : "/", names[i]) == -1)
      return -1;
    if (is_journal_name (names[i])) {
      int fd = sysroot_open_regular (path, 0, &st);

      if (fd == -1) {
        debug ("journal_open: %s skipped: %m", path);
        continue;
      }
      if (!is_journal_file (fd)) {
        debug ("journal_open: %s skipped: not a journal file", path);
        close (fd);
        continue;
      }
      if (v->len >= MAX_FILES || fd_vector_append (v, fd) == -1) {
        close (fd);
        if (v->len >= MAX_FILES)
          errno = EMFILE;
        return -1;
      }
    }
    else if (depth == 0 && is_machine_dir_name (names[i]) &&
             stat_guest (path, 1, &st) == 0 && S_ISDIR (st.st_mode)) {
      if (add_dir (v, path, 1) == -1 && errno != ENOENT &&
          errno != ENOTDIR && errno != EACCES)
        return -1;
    }
  }
  return 0;
}

/* Replies the error of the sd-journal call that returned r (-errno). */
static int
reply_sd_error (int r)
{
  return reply_with_error_errno (-r, "the journal: %s", strerror (-r));
}

/* Replies unless a journal is open.  0, or -1 (replied, EINVAL). */
static int
need_journal (void)
{
  if (jr.is_open)
    return 0;
  return reply_with_error_errno (EINVAL, "no journal is open "
                                 "(journal_open opens one)");
}

int
do_journal_open (const char *directory)
{
  const char *why;
  fd_vector v = EMPTY_VECTOR;
  sd_journal *j = NULL;
  struct stat st;

  if (sdj_load (&why) == -1)
    return reply_with_error_errno (ENOTSUP, "not available in this "
                                   "appliance: %s", why);
  if (stat_guest (directory, 1, &st) == -1)
    return reply_with_perror ("%s", directory);
  if (!S_ISDIR (st.st_mode))
    return reply_with_error_errno (ENOTDIR, "%s: not a directory",
                                   directory);
  journal_close_internal ();
  if (add_dir (&v, directory, 0) == -1) {
    int e = errno;

    close_fds (&v);
    return reply_with_error_errno (e, "%s: %s", directory, strerror (e));
  }
  if (v.len > 0) {
    int r = sdj.open_files_fd (&j, v.ptr, (unsigned) v.len, 0);

    if (r < 0) {
      close_fds (&v);
      return reply_with_error_errno (-r, "%s: %s", directory, strerror (-r));
    }
    sdj.set_data_threshold (j, DEFAULT_THRESHOLD);
  }
  fd_vector_reset (&v);         /* the fds are the journal's now */
  jr.is_open = 1;
  jr.j = j;
  jr.threshold = DEFAULT_THRESHOLD;
  return 0;
}

int
do_journal_close (void)
{
  if (need_journal () == -1)
    return -1;
  journal_close_internal ();
  return 0;
}

int
do_journal_next (void)
{
  int r;

  if (need_journal () == -1)
    return -1;
  if (jr.j == NULL)
    return 0;
  r = sdj.next (jr.j);
  if (r < 0)
    return reply_sd_error (r);
  return r > 0;
}

int64_t
do_journal_skip (int64_t skip)
{
  int r;

  if (need_journal () == -1)
    return -1;
  if (jr.j == NULL)
    return 0;
  if (skip >= 0)
    r = sdj.next_skip (jr.j, (uint64_t) skip);
  else
    r = sdj.previous_skip (jr.j, -(uint64_t) skip);
  if (r < 0)
    return reply_sd_error (r);
  return r;
}

/* Without a current entry, sd-journal says EADDRNOTAVAIL. */
static int
reply_no_entry (void)
{
  return reply_with_error_errno (EADDRNOTAVAIL, "no current journal "
                                 "entry (journal_next moves to one)");
}

DEFINE_VECTOR_TYPE (field_vector, struct drydock_xattr);

static void
free_field (struct drydock_xattr x)
{
  free (x.attrname);
  free (x.attrval);
}

struct drydock_xattr_list *
do_journal_get (void)
{
  field_vector v = EMPTY_VECTOR;
  struct drydock_xattr_list *ret;
  size_t bytes = 0;
  const void *data;
  size_t len;
  int r;

  if (need_journal () == -1)
    return NULL;
  if (jr.j == NULL) {
    reply_no_entry ();
    return NULL;
  }
  sdj.restart_data (jr.j);
  while ((r = sdj.enumerate_data (jr.j, &data, &len)) > 0) {
    const char *eq = memchr (data, '=', len);
    struct drydock_xattr x;
    size_t nlen, vlen;

    if (eq == NULL)             /* not a field: skipped */
      continue;
    nlen = (size_t) (eq - (const char *) data);
    vlen = len - nlen - 1;
    bytes += len + 8;
    if (bytes > JOURNAL_REPLY_MAX) {
      reply_with_error_errno (EMSGSIZE, "the entry does not "
                              "fit in one reply (journal_set_data_threshold "
                              "cuts its values)");
      goto fail;
    }
    x.attrname = strndup (data, nlen);
    x.attrval = malloc (vlen + 1);
    x.attrval_len = (uint32_t) vlen;
    if (x.attrname == NULL || x.attrval == NULL ||
        field_vector_append (&v, x) == -1) {
      free_field (x);
      reply_with_perror ("the entry");
      goto fail;
    }
    memcpy (x.attrval, eq + 1, vlen);
    x.attrval[vlen] = '\0';
  }
  if (r == -EADDRNOTAVAIL) {
    reply_no_entry ();
    goto fail;
  }
  if (r < 0) {
    reply_sd_error (r);
    goto fail;
  }
  ret = malloc (sizeof *ret);
  if (ret == NULL || (v.len == 0 && field_vector_reserve (&v, 1) == -1)) {
    free (ret);
    reply_with_perror ("the entry");
    goto fail;
  }
  ret->len = (uint32_t) v.len;
  ret->val = v.ptr;
  return ret;

 fail:
  field_vector_iter (&v, free_field);
  field_vector_reset (&v);
  return NULL;
}

int64_t
do_journal_get_data_threshold (void)
{
  size_t sz;
  int r;

  if (need_journal () == -1)
    return -1;
  if (jr.j == NULL)
    return (int64_t) jr.threshold;
  r = sdj.get_data_threshold (jr.j, &sz);
  if (r < 0)
    return reply_sd_error (r);
  return (int64_t) sz;
}

int
do_journal_set_data_threshold (int64_t threshold)
{
  int r;

  if (need_journal () == -1)
    return -1;
  if (threshold < 0 || (uint64_t) threshold > SIZE_MAX)
    return reply_with_error_errno (EINVAL, "%" PRId64 ": not a "
                                   "size in bytes",
                                   threshold);
  if (jr.j) {
    r = sdj.set_data_threshold (jr.j, (size_t) threshold);
    if (r < 0)
      return reply_sd_error (r);
  }
  jr.threshold = (size_t) threshold;
  return 0;
}

int64_t
do_journal_get_realtime_usec (void)
{
  uint64_t usec;
  int r;

  if (need_journal () == -1)
    return -1;
  if (jr.j == NULL)
    return reply_no_entry ();
  r = sdj.get_realtime_usec (jr.j, &usec);
  if (r == -EADDRNOTAVAIL)
    return reply_no_entry ();
  if (r < 0)
    return reply_sd_error (r);
  return (int64_t) usec;
}
