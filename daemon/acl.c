/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX ACLs (acl_get_file, acl_set_file, acl_delete_def_file) and
 * file capabilities (cap_get_file, cap_set_file) of guest files.
 *
 * Both are kept in extended attributes in binary forms whose text forms
 * (acl(5), cap_from_text(3)) only libacl and libcap read and write the
 * way every tool shows them; the two small libraries are loaded with
 * dlopen when first used, as libaugeas is, so the daemon links neither
 * and needs no development headers: the few functions are declared
 * below.  The files are reached as fds opened inside the guest and
 * handed to the libraries by their /proc/self/fd names. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "daemon.h"
#include "dlib.h"
#include "actions-gen.h"

/* acl_type_t values of <sys/acl.h>. */
#define ACL_TYPE_ACCESS 0x8000
#define ACL_TYPE_DEFAULT 0x4000

static struct {
  void *(*get_file) (const char *, unsigned int);
  int (*set_file) (const char *, unsigned int, void *);
  int (*delete_def_file) (const char *);
  void *(*from_text) (const char *);
  char *(*to_text) (void *, ssize_t *);
  int (*free) (void *);
} acl_lib;

static struct {
  void *(*get_fd) (int);
  int (*set_fd) (int, void *);
  void *(*from_text) (const char *);
  char *(*to_text) (void *, ssize_t *);
  int (*free) (void *);
} cap_lib;

static int
load_acl (const char **why)
{
  static void *handle;
  const struct dlib_sym syms[] = {
    { "acl_get_file", (void **) &acl_lib.get_file },
    { "acl_set_file", (void **) &acl_lib.set_file },
    { "acl_delete_def_file", (void **) &acl_lib.delete_def_file },
    { "acl_from_text", (void **) &acl_lib.from_text },
    { "acl_to_text", (void **) &acl_lib.to_text },
    { "acl_free", (void **) &acl_lib.free },
  };

  return dlib_load (&handle, "libacl.so.1", syms, sizeof syms / sizeof syms[0],
                   why);
}

static int
load_cap (const char **why)
{
  static void *handle;
  const struct dlib_sym syms[] = {
    { "cap_get_fd", (void **) &cap_lib.get_fd },
    { "cap_set_fd", (void **) &cap_lib.set_fd },
    { "cap_from_text", (void **) &cap_lib.from_text },
    { "cap_to_text", (void **) &cap_lib.to_text },
    { "cap_free", (void **) &cap_lib.free },
  };

  return dlib_load (&handle, "libcap.so.2", syms, sizeof syms / sizeof syms[0],
                   why);
}

int
optgroup_acl_available (void)
{
  const char *why;

  return load_acl (&why) == 0;
}

int
optgroup_linuxcaps_available (void)
{
  const char *why;

  return load_cap (&why) == 0;
}

/* The library for a call, or a reply saying why it is missing.  0 or
 * -1 (replied). */
static int
acl_or_reply (void)
{
  const char *why = NULL;

  if (load_acl (&why) == -1)
    return reply_with_error_errno (ENOTSUP, "POSIX ACLs are not available "
                                   "in this appliance: %s", why);
  return 0;
}

static int
cap_or_reply (void)
{
  const char *why = NULL;

  if (load_cap (&why) == -1)
    return reply_with_error_errno (ENOTSUP, "file capabilities are not "
                                   "available in this appliance: %s", why);
  return 0;
}

/* The acl_type_t for acltype; -1 after replying. */
static int
acl_type_or_reply (const char *acltype, unsigned int *type)
{
  if (strcmp (acltype, "access") == 0)
    *type = ACL_TYPE_ACCESS;
  else if (strcmp (acltype, "default") == 0)
    *type = ACL_TYPE_DEFAULT;
  else
    return reply_with_error_errno (EINVAL, "acltype \"%s\": expected "
                                   "\"access\" or \"default\"", acltype);
  return 0;
}

char *
do_acl_get_file (const char *path, const char *acltype)
{
  CLEANUP_CLOSE int fd = -1;
  unsigned int type = 0;
  char buf[32], *text, *r;
  void *acl;

  if (acl_or_reply () == -1 || acl_type_or_reply (acltype, &type) == -1)
    return NULL;
  fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1 ||
      (acl = acl_lib.get_file (fd_path (fd, buf), type)) == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  text = acl_lib.to_text (acl, NULL);
  acl_lib.free (acl);
  if (text == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  /* The library's string goes back with its own free. */
  r = strdup (text);
  acl_lib.free (text);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

int
do_acl_set_file (const char *path, const char *acltype, const char *acltext)
{
  CLEANUP_CLOSE int fd = -1;
  unsigned int type = 0;
  char buf[32];
  void *acl;
  int r;

  if (acl_or_reply () == -1 || acl_type_or_reply (acltype, &type) == -1)
    return -1;
  acl = acl_lib.from_text (acltext);
  if (acl == NULL)
    return reply_with_error_errno (EINVAL, "%s: \"%s\" is not an ACL in "
                                   "text form", path, acltext);
  fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1) {
    acl_lib.free (acl);
    return reply_with_perror ("%s", path);
  }
  r = acl_lib.set_file (fd_path (fd, buf), type, acl);
  acl_lib.free (acl);
  if (r == -1)
    return reply_with_perror ("%s: %s ACL", path, acltype);
  return 0;
}

int
do_acl_delete_def_file (const char *dir)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[32];

  if (acl_or_reply () == -1)
    return -1;
  /* Only a directory has a default ACL: the kernel would say nothing
   * for another file. */
  fd = sysroot_open (dir, O_PATH | O_DIRECTORY, 0);
  if (fd == -1 || acl_lib.delete_def_file (fd_path (fd, buf)) == -1)
    return reply_with_perror ("%s", dir);
  return 0;
}

char *
do_cap_get_file (const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  char *text, *r;
  void *cap;

  if (cap_or_reply () == -1)
    return NULL;
  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1)
    return NULL;
  cap = cap_lib.get_fd (fd);
  if (cap == NULL) {
    if (errno == ENODATA)
      return strdup ("");
    reply_with_perror ("%s", path);
    return NULL;
  }
  text = cap_lib.to_text (cap, NULL);
  cap_lib.free (cap);
  if (text == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = strdup (text);
  cap_lib.free (text);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

int
do_cap_set_file (const char *path, const char *captext)
{
  CLEANUP_CLOSE int fd = -1;
  void *cap;
  int r;

  if (cap_or_reply () == -1)
    return -1;
  cap = cap_lib.from_text (captext);
  if (cap == NULL)
    return reply_with_error_errno (EINVAL, "%s: \"%s\" is not a set of "
                                   "capabilities in text form", path,
                                   captext);
  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1) {
    cap_lib.free (cap);
    return -1;
  }
  r = cap_lib.set_fd (fd, cap);
  cap_lib.free (cap);
  if (r == -1)
    return reply_with_perror ("%s", path);
  return 0;
}
