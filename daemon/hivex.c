/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hivex_* actions: one Windows registry hive open at a time, read
 * and changed through libhivex, as libguestfs's calls of the same names.
 *
 * The hive is guest data.  Its file is opened only through the sysroot
 * helpers (a regular file, resolved inside the guest) and handed to
 * libhivex by its /proc/self/fd link.  libhivex always gets it with
 * HIVEX_OPEN_WRITE, which makes it read the whole file into memory
 * instead of mapping it: a mapped file that shrank under it (truncate,
 * write, upload on the same guest path) would kill the daemon with
 * SIGBUS.  So read-only is this file's rule, not libhivex's: without
 * write:true the calls that change the hive are refused here.
 *
 * Commit writes in place, never by a rename: a hive file's inode keeps
 * its owner, mode, NTFS security descriptor and other links, which a
 * new file next to it would not.  The new hive is made in a memfd
 * first, so nothing is written until it is complete, and a hive that
 * grew is lengthened before its start is overwritten, so a full
 * filesystem leaves the old hive whole.  libhivex never gets a guest
 * path to write to: it would follow the guest's symlinks out of the
 * guest. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "inspect-hive.h"

/* The largest data hivex_value_value and hivex_value_string reply
 * with: what fits in one message with room to spare. */
#define HIVE_REPLY_MAX (WIRE_MESSAGE_MAX - 64 * 1024)

static hive_h *hive;
static char *hive_path;     /* the guest path it was opened from */
static int hive_writable;   /* opened with write:true */

static void
close_hive (void)
{
  if (hive)
    hivex_close (hive);
  hive = NULL;
  free (hive_path);
  hive_path = NULL;
  hive_writable = 0;
}

static int
need_hive (void)
{
  if (hive == NULL)
    return reply_with_error_errno (ENOENT, "no hive is open (call hivex_open "
                                   "first)");
  return 0;
}

static int
need_writable (void)
{
  if (need_hive () == -1)
    return -1;
  if (!hive_writable)
    return reply_with_error_errno (EROFS, "%s: the hive was opened "
                                   "read-only (use hivex_open write:true)",
                                   hive_path);
  return 0;
}

/* Handles are offsets into the hive, which libhivex checks; only what
 * does not fit its type is refused here. */
static int
check_handle (const char *what, int64_t x)
{
  if (x <= 0 || (uint64_t) x > SIZE_MAX)
    return reply_with_error_errno (EINVAL, "%s %" PRIi64 ": not a %s of the "
                                   "open hive", what, x, what);
  return 0;
}

/* The reply for a libhivex call on the handle x that failed: EINVAL
 * means x is not a what of the hive.  -1. */
static int
reply_handle_error (const char *what, int64_t x)
{
  if (errno == EINVAL)
    return reply_with_error_errno (EINVAL, "%s %" PRIi64 ": not a %s of the "
                                   "open hive", what, x, what);
  return reply_with_perror ("%s %" PRIi64, what, x);
}

int
do_hivex_open (const char *filename, uint64_t optmask, int o_verbose,
               int o_debug, int o_write, int o_unsafe)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  char link[32];
  int flags = HIVEX_OPEN_WRITE, err;
  char *name;

  close_hive ();
  if ((optmask & OPT_HIVEX_OPEN_VERBOSE) && o_verbose)
    flags |= HIVEX_OPEN_VERBOSE;
  if ((optmask & OPT_HIVEX_OPEN_DEBUG) && o_debug)
    flags |= HIVEX_OPEN_DEBUG;
  if ((optmask & OPT_HIVEX_OPEN_UNSAFE) && o_unsafe)
    flags |= HIVEX_OPEN_UNSAFE;
  fd = sysroot_open_regular (filename, 0, &st);
  if (fd == -1)
    return reply_open_regular_error (filename, &st);
  if (st.st_size > HIVE_FILE_MAX)
    return reply_with_error_errno (EFBIG, "%s: %jd bytes, more than a hive "
                                   "may have here (%d)", filename,
                                   (intmax_t) st.st_size, HIVE_FILE_MAX);
  name = strdup (filename);
  if (name == NULL)
    return reply_with_perror ("%s", filename);
  errno = 0;
  hive = hivex_open (fd_path (fd, link), flags);
  if (hive == NULL) {
    err = errno ? errno : EINVAL;
    free (name);
    if (err == ENOMEM)
      return reply_with_perror ("%s", filename);
    return reply_with_error_errno (err, "%s: not a registry hive, or a "
                                   "damaged one (%s)", filename,
                                   strerror (err));
  }
  hive_path = name;
  hive_writable = (optmask & OPT_HIVEX_OPEN_WRITE) && o_write;
  return 0;
}

int
do_hivex_close (void)
{
  if (need_hive () == -1)
    return -1;
  close_hive ();
  return 0;
}

static int
pwrite_all (int fd, const char *buf, size_t n, off_t off)
{
  while (n > 0) {
    ssize_t r = pwrite (fd, buf, n, off);

    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    buf += r;
    n -= (size_t) r;
    off += r;
  }
  return 0;
}

/* Writes the n bytes of data over the file fd of old bytes, the part
 * past old first (undone when it fails), then the start, then cuts
 * what is left of the old one, then syncs.  -1 with errno. */
static int
write_in_place (int fd, const char *data, size_t n, off_t old)
{
  size_t head = (off_t) n < old ? n : (size_t) old;

  if ((off_t) n > old &&
      pwrite_all (fd, data + old, n - (size_t) old, old) == -1) {
    int err = errno;
    if (ftruncate (fd, old) == -1)
      debug ("hivex_commit: cannot cut the file back: %m");
    errno = err;
    return -1;
  }
  if (pwrite_all (fd, data, head, 0) == -1)
    return -1;
  if ((off_t) n < old && ftruncate (fd, (off_t) n) == -1)
    return -1;
  return fsync (fd);
}

/* Writes the hive made in the memfd mfd into the guest file target
 * (created when create is set).  -1 after replying. */
static int
commit_to (int mfd, const char *target, int create)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat m, st;
  void *data;
  int r, err;

  if (fstat (mfd, &m) == -1)
    return reply_with_perror ("the new hive");
  if (m.st_size <= 0)
    return reply_with_error_errno (EIO, "libhivex made an empty hive");
  data = mmap (NULL, (size_t) m.st_size, PROT_READ, MAP_SHARED, mfd, 0);
  if (data == MAP_FAILED)
    return reply_with_perror ("the new hive");
  if (create)
    fd = sysroot_open_regular_write (target, 0, 0666, &st);
  else
    fd = sysroot_open_regular_rw (target, O_WRONLY, &st);
  if (fd == -1) {
    err = errno;
    munmap (data, (size_t) m.st_size);
    errno = err;
    return reply_open_regular_error (target, &st);
  }
  r = write_in_place (fd, data, (size_t) m.st_size, st.st_size);
  err = errno;
  munmap (data, (size_t) m.st_size);
  if (r == -1) {
    errno = err;
    return reply_with_perror ("%s", target);
  }
  return 0;
}

int
do_hivex_commit (const char *filename)
{
  CLEANUP_CLOSE int mfd = -1;
  char link[32];

  if (need_writable () == -1)
    return -1;
  if (filename && check_path ("hivex_commit", filename) == -1)
    return -1;
  mfd = memfd_create ("hive", MFD_CLOEXEC);
  if (mfd == -1)
    return reply_with_perror ("memfd_create");
  if (hivex_commit (hive, fd_path (mfd, link), 0) == -1)
    return reply_with_perror ("%s: cannot make the new hive",
                              filename ? filename : hive_path);
  return commit_to (mfd, filename ? filename : hive_path, filename != NULL);
}

int64_t
do_hivex_root (void)
{
  hive_node_h r;

  if (need_hive () == -1)
    return -1;
  r = hivex_root (hive);
  if (r == 0)
    return reply_with_perror ("%s: no root node", hive_path);
  return (int64_t) r;
}

char *
do_hivex_node_name (int64_t nodeh)
{
  char *r;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return NULL;
  r = hivex_node_name (hive, (hive_node_h) nodeh);
  if (r == NULL)
    reply_handle_error ("node", nodeh);
  return r;
}

/* How many handles the 0-terminated array a holds, or -1 (errno
 * E2BIG) when they would not fit a list. */
static int64_t
count_handles (const size_t *a)
{
  size_t n = 0;

  while (a[n] != 0)
    n++;
  if (n > UINT32_MAX) {
    errno = E2BIG;
    return -1;
  }
  return (int64_t) n;
}

struct drydock_hivex_node_list *
do_hivex_node_children (int64_t nodeh)
{
  CLEANUP_FREE hive_node_h *a = NULL;
  struct drydock_hivex_node_list *r;
  int64_t n;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return NULL;
  a = hivex_node_children (hive, (hive_node_h) nodeh);
  if (a == NULL) {
    reply_handle_error ("node", nodeh);
    return NULL;
  }
  n = count_handles (a);
  r = n == -1 ? NULL : calloc (1, sizeof *r);
  if (r == NULL ||
      (r->val = calloc (n ? (size_t) n : 1, sizeof *r->val)) == NULL) {
    reply_handle_error ("node", nodeh);
    free (r);
    return NULL;
  }
  for (r->len = 0; r->len < n; r->len++)
    r->val[r->len].hivex_node_h = (int64_t) a[r->len];
  return r;
}

int64_t
do_hivex_node_get_child (int64_t nodeh, const char *name)
{
  hive_node_h r;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  errno = 0;
  r = hivex_node_get_child (hive, (hive_node_h) nodeh, name);
  if (r == 0 && errno != 0)
    return reply_handle_error ("node", nodeh);
  return (int64_t) r;
}

int64_t
do_hivex_node_parent (int64_t nodeh)
{
  hive_node_h r;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  if ((hive_node_h) nodeh == hivex_root (hive))
    return reply_with_error_errno (EINVAL, "node %" PRIi64 ": the root node "
                                   "has no parent", nodeh);
  r = hivex_node_parent (hive, (hive_node_h) nodeh);
  if (r == 0)
    return reply_handle_error ("node", nodeh);
  return (int64_t) r;
}

struct drydock_hivex_value_list *
do_hivex_node_values (int64_t nodeh)
{
  CLEANUP_FREE hive_value_h *a = NULL;
  struct drydock_hivex_value_list *r;
  int64_t n;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return NULL;
  a = hivex_node_values (hive, (hive_node_h) nodeh);
  if (a == NULL) {
    reply_handle_error ("node", nodeh);
    return NULL;
  }
  n = count_handles (a);
  r = n == -1 ? NULL : calloc (1, sizeof *r);
  if (r == NULL ||
      (r->val = calloc (n ? (size_t) n : 1, sizeof *r->val)) == NULL) {
    reply_handle_error ("node", nodeh);
    free (r);
    return NULL;
  }
  for (r->len = 0; r->len < n; r->len++)
    r->val[r->len].hivex_value_h = (int64_t) a[r->len];
  return r;
}

int64_t
do_hivex_node_get_value (int64_t nodeh, const char *key)
{
  hive_value_h r;

  if (need_hive () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  errno = 0;
  r = hivex_node_get_value (hive, (hive_node_h) nodeh, key);
  if (r == 0 && errno != 0)
    return reply_handle_error ("node", nodeh);
  return (int64_t) r;
}

char *
do_hivex_value_key (int64_t valueh)
{
  char *r;

  if (need_hive () == -1 || check_handle ("value", valueh) == -1)
    return NULL;
  r = hivex_value_key (hive, (hive_value_h) valueh);
  if (r == NULL)
    reply_handle_error ("value", valueh);
  return r;
}

/* The type and length of a value.  -1 after replying. */
static int
value_type (int64_t valueh, hive_type *t, size_t *len)
{
  if (need_hive () == -1 || check_handle ("value", valueh) == -1)
    return -1;
  if (hivex_value_type (hive, (hive_value_h) valueh, t, len) == -1)
    return reply_handle_error ("value", valueh);
  return 0;
}

int64_t
do_hivex_value_type (int64_t valueh)
{
  hive_type t;
  size_t len;

  if (value_type (valueh, &t, &len) == -1)
    return -1;
  return (int64_t) (uint32_t) t;
}

char *
do_hivex_value_value (int64_t valueh, size_t *size_r)
{
  hive_type t;
  size_t len;
  char *r;

  if (value_type (valueh, &t, &len) == -1)
    return NULL;
  if (len > HIVE_REPLY_MAX) {
    reply_with_error_errno (EFBIG, "value %" PRIi64 ": %zu bytes of data, "
                            "more than fit in a reply (%d)", valueh, len,
                            HIVE_REPLY_MAX);
    return NULL;
  }
  r = hivex_value_value (hive, (hive_value_h) valueh, &t, size_r);
  if (r == NULL)
    reply_handle_error ("value", valueh);
  return r;
}

char *
do_hivex_value_string (int64_t valueh)
{
  hive_type t;
  size_t len;
  char *r;

  if (value_type (valueh, &t, &len) == -1)
    return NULL;
  if (t != hive_t_REG_SZ && t != hive_t_REG_EXPAND_SZ &&
      t != hive_t_REG_LINK) {
    reply_with_error_errno (EINVAL, "value %" PRIi64 ": of type %u, not a "
                            "string (REG_SZ, REG_EXPAND_SZ or REG_LINK)",
                            valueh, (unsigned) t);
    return NULL;
  }
  /* UTF-8 takes at most 3 bytes where UTF-16 takes 2. */
  if (len > HIVE_REPLY_MAX / 3 * 2) {
    reply_with_error_errno (EFBIG, "value %" PRIi64 ": %zu bytes of data, "
                            "more than fit in a reply", valueh, len);
    return NULL;
  }
  r = hivex_value_string (hive, (hive_value_h) valueh);
  if (r == NULL)
    reply_with_perror ("value %" PRIi64 ": not a UTF-16LE string", valueh);
  return r;
}

char *
do_hivex_value_utf8 (int64_t valueh)
{
  return do_hivex_value_string (valueh);
}

int64_t
do_hivex_node_add_child (int64_t parent, const char *name)
{
  hive_node_h r;

  if (need_writable () == -1 || check_handle ("node", parent) == -1)
    return -1;
  if (name[0] == '\0' || strchr (name, '\\'))
    return reply_with_error_errno (EINVAL, "'%s': a key name is not empty "
                                   "and has no backslash", name);
  errno = 0;
  r = hivex_node_add_child (hive, (hive_node_h) parent, name);
  if (r == 0 && errno == EEXIST)
    return reply_with_error_errno (EEXIST, "node %" PRIi64 ": has a child "
                                   "named '%s' already", parent, name);
  if (r == 0)
    return reply_with_perror ("node %" PRIi64 ": '%s'", parent, name);
  return (int64_t) r;
}

int
do_hivex_node_delete_child (int64_t nodeh)
{
  if (need_writable () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  if ((hive_node_h) nodeh == hivex_root (hive))
    return reply_with_error_errno (EINVAL, "node %" PRIi64 ": the root node "
                                   "cannot be deleted", nodeh);
  if (hivex_node_delete_child (hive, (hive_node_h) nodeh) == -1)
    return reply_handle_error ("node", nodeh);
  return 0;
}

int
do_hivex_node_set_value (int64_t nodeh, const char *key, int64_t t,
                         const char *val, size_t val_size)
{
  hive_set_value v = {
    .key = (char *) key, .t = (hive_type) (uint32_t) t,
    .len = val_size, .value = (char *) val,
  };

  if (need_writable () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  if (t < 0 || t > UINT32_MAX)
    return reply_with_error_errno (EINVAL, "type %" PRIi64 ": not from 0 to "
                                   "4294967295", t);
  if (hivex_node_set_value (hive, (hive_node_h) nodeh, &v, 0) == -1)
    return reply_with_perror ("node %" PRIi64 ": value '%s'", nodeh, key);
  return 0;
}

static void
free_set_values (hive_set_value *v, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    free (v[i].key);
    free (v[i].value);
  }
  free (v);
}

/* There is no libhivex call for it: the node's values are read and set
 * again without the one deleted. */
int
do_hivex_node_delete_value (int64_t nodeh, const char *key)
{
  CLEANUP_FREE hive_value_h *a = NULL;
  hive_set_value *keep = NULL;
  size_t n = 0, kept = 0;
  int found = 0, r = -1;

  if (need_writable () == -1 || check_handle ("node", nodeh) == -1)
    return -1;
  a = hivex_node_values (hive, (hive_node_h) nodeh);
  if (a == NULL)
    return reply_handle_error ("node", nodeh);
  while (a[n] != 0)
    n++;
  keep = calloc (n ? n : 1, sizeof *keep);
  if (keep == NULL)
    return reply_with_perror ("node %" PRIi64, nodeh);
  for (size_t i = 0; i < n; ++i) {
    hive_set_value *v = &keep[kept];

    v->key = hivex_value_key (hive, a[i]);
    if (v->key == NULL)
      goto read_error;
    if (strcasecmp (v->key, key) == 0) {
      found = 1;
      free (v->key);
      v->key = NULL;
      continue;
    }
    v->value = hivex_value_value (hive, a[i], &v->t, &v->len);
    if (v->value == NULL)
      goto read_error;
    kept++;
  }
  if (found &&
      hivex_node_set_values (hive, (hive_node_h) nodeh, kept, keep, 0) == -1)
    reply_with_perror ("node %" PRIi64 ": value '%s'", nodeh, key);
  else
    r = 0;
  free_set_values (keep, n);
  return r;

 read_error:
  reply_with_perror ("node %" PRIi64 ": its values cannot be read", nodeh);
  free_set_values (keep, n);
  return -1;
}
