/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extended attributes of guest files: one file's, of a symbolic link
 * itself (lgetxattrs, lgetxattr, lsetxattr, lremovexattr) or of what it
 * points to inside the guest (getxattrs, getxattr, setxattr,
 * removexattr), and many names' of one directory in one reply
 * (lxattrlist, for a FUSE mount's directory reads).  The files are reached as O_PATH fds resolved inside the
 * guest; the *xattr calls go through their /proc/self/fd names, which
 * name the very inode opened (a symlink itself under O_NOFOLLOW). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "vector.h"

/* A reply must fit in one message (4 MiB); each struct costs its two
 * lengths besides its bytes. */
#define XATTR_REPLY_MAX (3584 * 1024)
#define XATTR_WIRE_OVERHEAD 8

DEFINE_VECTOR_TYPE (xattr_vector, struct drydock_xattr);

static void
xattr_free_fields (struct drydock_xattr x)
{
  free (x.attrname);
  free (x.attrval);
}

static void
xattr_vector_free (xattr_vector *v)
{
  xattr_vector_iter (v, xattr_free_fields);
  xattr_vector_reset (v);
}

/* Appends one struct (name and len bytes of val copied), counting its
 * wire size in *bytes.  -1 with errno (EMSGSIZE past one reply). */
static int
add_xattr (xattr_vector *v, size_t *bytes, const char *name,
           const char *val, size_t len)
{
  struct drydock_xattr x;

  *bytes += strlen (name) + len + XATTR_WIRE_OVERHEAD;
  if (*bytes > XATTR_REPLY_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  x.attrname = strdup (name);
  x.attrval = malloc (len + 1);
  x.attrval_len = (uint32_t) len;
  if (x.attrname == NULL || x.attrval == NULL ||
      xattr_vector_append (v, x) == -1) {
    xattr_free_fields (x);
    return -1;
  }
  memcpy (x.attrval, val, len);
  x.attrval[len] = '\0';
  return 0;
}

/* The attribute names of the file at host path p (a /proc/self/fd
 * name), NUL-separated, into a new buffer (*len bytes).  NULL with
 * errno. */
static char *
list_names (const char *p, size_t *len)
{
  for (int tries = 0; tries < 8; ++tries) {
    ssize_t n = listxattr (p, NULL, 0);
    char *buf;

    if (n == -1)
      return NULL;
    buf = malloc ((size_t) n + 1);
    if (buf == NULL)
      return NULL;
    n = n ? listxattr (p, buf, (size_t) n) : 0;
    if (n >= 0) {
      *len = (size_t) n;
      return buf;
    }
    free (buf);
    if (errno != ERANGE)        /* ERANGE: it grew meanwhile */
      return NULL;
  }
  errno = ERANGE;
  return NULL;
}

/* The value of the attribute name of p into a new buffer (*len
 * bytes).  NULL with errno. */
static char *
get_value (const char *p, const char *name, size_t *len)
{
  for (int tries = 0; tries < 8; ++tries) {
    ssize_t n = getxattr (p, name, NULL, 0);
    char *buf;

    if (n == -1)
      return NULL;
    buf = malloc ((size_t) n + 1);
    if (buf == NULL)
      return NULL;
    n = n ? getxattr (p, name, buf, (size_t) n) : 0;
    if (n >= 0) {
      *len = (size_t) n;
      return buf;
    }
    free (buf);
    if (errno != ERANGE)
      return NULL;
  }
  errno = ERANGE;
  return NULL;
}

/* Appends every attribute of the file fd to v; their number in *count.
 * -1 with errno. */
static int
add_file_xattrs (xattr_vector *v, size_t *bytes, int fd, size_t *count)
{
  char buf[32];
  const char *p = fd_path (fd, buf);
  size_t len;
  CLEANUP_FREE char *names = list_names (p, &len);

  *count = 0;
  if (names == NULL)
    return -1;
  for (size_t i = 0; i < len; i += strlen (names + i) + 1) {
    size_t vlen;
    CLEANUP_FREE char *val = get_value (p, names + i, &vlen);

    if (val == NULL) {
      if (errno == ENODATA)     /* removed meanwhile */
        continue;
      return -1;
    }
    if (add_xattr (v, bytes, names + i, val, vlen) == -1)
      return -1;
    (*count)++;
  }
  return 0;
}

static struct drydock_xattr_list *
take_list (xattr_vector *v)
{
  struct drydock_xattr_list *r = malloc (sizeof *r);

  if (r == NULL)
    return NULL;
  if (v->len == 0 && xattr_vector_reserve (v, 1) == -1) {
    free (r);
    return NULL;
  }
  r->len = (uint32_t) v->len;
  r->val = v->ptr;
  *v = (xattr_vector) EMPTY_VECTOR;
  return r;
}

/* The file a call names, as an O_PATH fd: a final symlink itself
 * unless follow.  -1 with errno. */
static int
open_xattr_file (const char *path, int follow)
{
  return sysroot_open (path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
}

static struct drydock_xattr_list *
get_all (const char *path, int follow)
{
  CLEANUP_CLOSE int fd = open_xattr_file (path, follow);
  xattr_vector v = EMPTY_VECTOR;
  struct drydock_xattr_list *r;
  size_t bytes = 0, count;

  if (fd == -1 || add_file_xattrs (&v, &bytes, fd, &count) == -1 ||
      (r = take_list (&v)) == NULL) {
    reply_with_perror ("%s", path);
    xattr_vector_free (&v);
    return NULL;
  }
  return r;
}

struct drydock_xattr_list *
do_lgetxattrs (const char *path)
{
  return get_all (path, 0);
}

struct drydock_xattr_list *
do_getxattrs (const char *path)
{
  return get_all (path, 1);
}

static char *
get_one (const char *path, const char *name, int follow, size_t *size_r)
{
  CLEANUP_CLOSE int fd = open_xattr_file (path, follow);
  char buf[32];
  char *r;

  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = get_value (fd_path (fd, buf), name, size_r);
  if (r == NULL) {
    reply_with_perror ("%s: %s", path, name);
    return NULL;
  }
  if (*size_r > XATTR_REPLY_MAX) {
    free (r);
    reply_with_error_errno (EMSGSIZE, "%s: %s: the value is more than one "
                            "reply holds (%d bytes)", path, name,
                            XATTR_REPLY_MAX);
    return NULL;
  }
  return r;
}

char *
do_getxattr (const char *path, const char *name, size_t *size_r)
{
  return get_one (path, name, 1, size_r);
}

char *
do_lgetxattr (const char *path, const char *name, size_t *size_r)
{
  return get_one (path, name, 0, size_r);
}

struct drydock_xattr_list *
do_lxattrlist (const char *path, char *const *names)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  xattr_vector v = EMPTY_VECTOR;
  struct drydock_xattr_list *r;
  size_t bytes = 0;

  if (dirfd == -1)
    goto fail;
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_CLOSE int fd = -1;
    size_t head = v.len, count = 0;
    char num[32] = "";

    /* The head struct first, its count filled in once known. */
    if (add_xattr (&v, &bytes, "", num, 0) == -1)
      goto fail;
    bytes += 20;                /* the count's digits, at most */
    if (*names[i] == '\0' || strchr (names[i], '/') ||
        strcmp (names[i], "..") == 0)
      continue;
    fd = openat (dirfd, names[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1)
      continue;
    if (add_file_xattrs (&v, &bytes, fd, &count) == -1) {
      if (errno == EMSGSIZE || errno == ENOMEM)
        goto fail;
      /* Unreadable: its partial list dropped, the head left empty. */
      while (v.len > head + 1) {
        xattr_free_fields (v.ptr[v.len - 1]);
        v.len--;
      }
      continue;
    }
    snprintf (num, sizeof num, "%zu", count);
    free (v.ptr[head].attrval);
    v.ptr[head].attrval = strdup (num);
    if (v.ptr[head].attrval == NULL)
      goto fail;
    v.ptr[head].attrval_len = (uint32_t) strlen (num);
  }
  r = take_list (&v);
  if (r == NULL)
    goto fail;
  return r;

 fail:
  if (errno == EMSGSIZE)
    reply_with_error_errno (EMSGSIZE, "%s: the attributes are more than one "
                            "reply holds (%d bytes)", path, XATTR_REPLY_MAX);
  else
    reply_with_perror ("%s", path);
  xattr_vector_free (&v);
  return NULL;
}

static int
set_one (const char *xattr, const char *val, size_t val_size, int vallen,
         const char *path, int follow)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[32];

  if (vallen < 0 || (size_t) vallen > val_size)
    return reply_with_error_errno (EINVAL, "%s: vallen %d is not between 0 "
                                   "and the value's length (%zu)", path,
                                   vallen, val_size);
  fd = open_xattr_file (path, follow);
  if (fd == -1 ||
      setxattr (fd_path (fd, buf), xattr, val, (size_t) vallen, 0) == -1)
    return reply_with_perror ("%s: %s", path, xattr);
  return 0;
}

int
do_lsetxattr (const char *xattr, const char *val, size_t val_size, int vallen,
              const char *path)
{
  return set_one (xattr, val, val_size, vallen, path, 0);
}

int
do_setxattr (const char *xattr, const char *val, size_t val_size, int vallen,
             const char *path)
{
  return set_one (xattr, val, val_size, vallen, path, 1);
}

static int
remove_one (const char *xattr, const char *path, int follow)
{
  CLEANUP_CLOSE int fd = open_xattr_file (path, follow);
  char buf[32];

  if (fd == -1 || removexattr (fd_path (fd, buf), xattr) == -1)
    return reply_with_perror ("%s: %s", path, xattr);
  return 0;
}

int
do_lremovexattr (const char *xattr, const char *path)
{
  return remove_one (xattr, path, 0);
}

int
do_removexattr (const char *xattr, const char *path)
{
  return remove_one (xattr, path, 1);
}

/* Always there: the calls are the kernel's. */
int
optgroup_linuxxattrs_available (void)
{
  return 1;
}
