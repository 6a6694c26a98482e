/* SPDX-License-Identifier: GPL-2.0-or-later */
/* More file operations of drydock customize, as virt-customize's:
 * --chown UID:GID:PATH (numeric IDs), --scrub FILE and --tar-in
 * TARFILE:REMOTEDIR (an uncompressed tar file, as virt-customize takes
 * it: a compressed one is refused before the appliance starts). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "customize.h"

/* ---- --chown ---- */

/* A decimal ID from 0 to INT_MAX; -1 when s is not one. */
static int
parse_id (const char *s)
{
  char *end;
  long v;

  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtol (s, &end, 10);
  if (errno || *end || v > INT_MAX)
    return -1;
  return (int) v;
}

/* Splits UID:GID:PATH; the PATH keeps any further ':'.  The strings
 * are copies (caller frees); -1 printed. */
static int
split_chown (const struct customize_op *op, int *uid, int *gid, char **path)
{
  CLEANUP_FREE char *copy = strdup (op->arg);
  char *g, *p;

  if (copy == NULL)
    return customize_arg_error (op, "%s", strerror (errno));
  g = strchr (copy, ':');
  p = g ? strchr (g + 1, ':') : NULL;
  if (p == NULL)
    return customize_arg_error (op, _("expected UID:GID:PATH"));
  *g++ = '\0';
  *p++ = '\0';
  *uid = parse_id (copy);
  *gid = parse_id (g);
  if (*uid == -1)
    return customize_arg_error (op, _("'%s' is not a numeric user ID"), copy);
  if (*gid == -1)
    return customize_arg_error (op, _("'%s' is not a numeric group ID"), g);
  if (*p != '/')
    return customize_arg_error (op, _("'%s' is not an absolute guest path"),
                                p);
  *path = strdup (p);
  if (*path == NULL)
    return customize_arg_error (op, "%s", strerror (errno));
  return 0;
}

int
customize_check_chown (struct customize_op *op)
{
  CLEANUP_FREE char *path = NULL;
  int uid, gid;

  return split_chown (op, &uid, &gid, &path);
}

int
customize_chown (struct customize_ctx *c)
{
  CLEANUP_FREE char *path = NULL;
  int uid, gid;

  if (split_chown (c->op, &uid, &gid, &path) == -1)
    return -1;
  return drydock_chown (c->h, uid, gid, path) == -1 ?
    customize_op_lib_error (c) : 0;
}

/* ---- --scrub ---- */

int
customize_scrub (struct customize_ctx *c)
{
  return drydock_scrub_file (c->h, c->op->arg) == -1 ?
    customize_op_lib_error (c) : 0;
}

/* ---- --tar-in ---- */

/* The compression whose magic starts the file, or NULL. */
static const char *
compression (const unsigned char *b, size_t n)
{
  if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
    return "gzip";
  if (n >= 6 && memcmp (b, "\xfd" "7zXZ\0", 6) == 0)
    return "xz";
  if (n >= 3 && memcmp (b, "BZh", 3) == 0)
    return "bzip2";
  if (n >= 4 && memcmp (b, "\x28\xb5\x2f\xfd", 4) == 0)
    return "zstd";
  if (n >= 4 && memcmp (b, "\x04\x22\x4d\x18", 4) == 0)
    return "lz4";
  if (n >= 2 && b[0] == 0x1f && b[1] == 0x9d)
    return "compress";
  return NULL;
}

int
customize_check_tar_in (struct customize_op *op)
{
  CLEANUP_FREE char *tar = NULL, *dir = NULL;
  CLEANUP_CLOSE int fd = -1;
  unsigned char head[8];
  struct stat st;
  ssize_t n;
  const char *z;

  if (customize_split2 (op, op->def->metavar, &tar, &dir) == -1)
    return -1;
  if (*dir != '/')
    return customize_arg_error (op, _("'%s' is not an absolute guest path"),
                                dir);
  fd = open (tar, O_RDONLY | O_CLOEXEC);
  if (fd == -1 || fstat (fd, &st) == -1)
    return customize_arg_error (op, "'%s': %s", tar, strerror (errno));
  if (!S_ISREG (st.st_mode))
    return customize_arg_error (op, _("'%s' is not a regular file"), tar);
  n = read (fd, head, sizeof head);
  if (n == -1)
    return customize_arg_error (op, "'%s': %s", tar, strerror (errno));
  z = compression (head, (size_t) n);
  if (z)
    return customize_arg_error (op, _("'%s' is compressed (%s): the tar file "
                                      "must be uncompressed"), tar, z);
  return 0;
}

int
customize_tar_in (struct customize_ctx *c)
{
  CLEANUP_FREE char *tar = NULL, *dir = NULL;

  if (customize_split2 (c->op, c->op->def->metavar, &tar, &dir) == -1)
    return -1;
  return drydock_tar_in (c->h, tar, dir) == -1 ?
    customize_op_lib_error (c) : 0;
}
