/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file operations of drydock customize: --write, --append-line,
 * --mkdir, --touch, --delete, --chmod, --link, --upload, --copy-in,
 * --copy, --move, --truncate and --truncate-recursive, with the checks
 * of their arguments made before the appliance starts.  Each is one or
 * a few actions; the daemon resolves every guest path inside the
 * guest. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "customize.h"

/* ---- checks, before launch ---- */

static int
check_guest_path (const struct customize_op *op, const char *path)
{
  if (path[0] != '/')
    return customize_arg_error (op, _("'%s' is not an absolute guest path"),
                                path);
  return 0;
}

int
customize_check_path (struct customize_op *op)
{
  return check_guest_path (op, op->arg);
}

/* FILE:CONTENT, FILE:LINE, SOURCE:DEST: the first a guest path; the
 * second too for --copy and --move. */
int
customize_check_colon (struct customize_op *op)
{
  CLEANUP_FREE char *a = NULL, *b = NULL;
  int paths = strcmp (op->def->name, "copy") == 0 ||
    strcmp (op->def->name, "move") == 0;

  if (customize_split2 (op, op->def->metavar, &a, &b) == -1 ||
      check_guest_path (op, a) == -1)
    return -1;
  if (!paths)
    return 0;
  if (*b == '\0')
    return customize_arg_error (op, _("expected %s"), op->def->metavar);
  return check_guest_path (op, b);
}

static int
parse_mode (const char *s, int *mode)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (s, &end, 8);
  if (errno || end == s || *end || v < 0 || v > 07777)
    return -1;
  *mode = (int) v;
  return 0;
}

int
customize_check_chmod (struct customize_op *op)
{
  CLEANUP_FREE char *a = NULL, *b = NULL;
  int mode;

  if (customize_split2 (op, op->def->metavar, &a, &b) == -1)
    return -1;
  if (parse_mode (a, &mode) == -1)
    return customize_arg_error (op, _("'%s' is not an octal mode (e.g. "
                                      "0755)"), a);
  return check_guest_path (op, b);
}

int
customize_check_link (struct customize_op *op)
{
  CLEANUP_FREE char *copy = strdup (op->arg);
  char *p, *next;

  if (copy == NULL)
    return customize_arg_error (op, _("out of memory"));
  p = strchr (copy, ':');
  if (p == NULL || p == copy || p[1] == '\0')
    return customize_arg_error (op, _("expected %s"), op->def->metavar);
  for (p++; p; p = next) {
    next = strchr (p, ':');
    if (next)
      *next++ = '\0';
    if (check_guest_path (op, p) == -1)
      return -1;
  }
  return 0;
}

static int
check_local (const struct customize_op *op, const char *path, int dir_ok)
{
  struct stat st;

  if (stat (path, &st) == -1)
    return customize_arg_error (op, _("'%s': %s"), path, strerror (errno));
  if (!dir_ok && !S_ISREG (st.st_mode))
    return customize_arg_error (op, _("'%s' is not a regular file"), path);
  if (access (path, R_OK) == -1)
    return customize_arg_error (op, _("'%s': %s"), path, strerror (errno));
  return 0;
}

/* --upload FILE:DEST and --run SCRIPT: a readable local file. */
int
customize_check_host_file (struct customize_op *op)
{
  CLEANUP_FREE char *a = NULL, *b = NULL;

  if (strcmp (op->def->name, "run") == 0)
    return check_local (op, op->arg, 0);
  if (customize_split2 (op, op->def->metavar, &a, &b) == -1 ||
      check_local (op, a, 0) == -1)
    return -1;
  return check_guest_path (op, b);
}

int
customize_check_copy_in (struct customize_op *op)
{
  CLEANUP_FREE char *a = NULL, *b = NULL;

  if (customize_split2 (op, op->def->metavar, &a, &b) == -1 ||
      check_local (op, a, 1) == -1)
    return -1;
  return check_guest_path (op, b);
}

/* ---- runs ---- */

/* The two sides of a checked A:B argument.  -1 (printed) only when out
 * of memory. */
static int
split (struct customize_ctx *c, char **a, char **b)
{
  return customize_split2 (c->op, c->op->def->metavar, a, b);
}

/* The result of an action returning -1 on error, the error printed
 * as the running operation's. */
#define LIB(call) ((call) == -1 ? customize_op_lib_error (c) : 0)

int
customize_write (struct customize_ctx *c)
{
  CLEANUP_FREE char *file = NULL, *content = NULL;

  if (split (c, &file, &content) == -1)
    return -1;
  return LIB (drydock_write (c->h, file, content, strlen (content)));
}

int
customize_append_line (struct customize_ctx *c)
{
  CLEANUP_FREE char *file = NULL, *line = NULL, *old = NULL, *add = NULL;
  size_t size = 0;
  int exists;

  if (split (c, &file, &line) == -1)
    return -1;
  exists = drydock_exists (c->h, file);
  if (exists == -1)
    return customize_op_lib_error (c);
  if (exists) {
    old = drydock_read_file (c->h, file, &size);
    if (old == NULL)
      return customize_op_lib_error (c);
  }
  /* A last line without its newline gets one first, as virt-customize
   * does; a file that uses CRLF keeps using it. */
  {
    const char *eol = size >= 2 && old[size - 2] == '\r' &&
      old[size - 1] == '\n' ? "\r\n" : "\n";
    int need = size > 0 && old[size - 1] != '\n';

    if (asprintf (&add, "%s%s%s", need ? eol : "", line, eol) == -1)
      return customize_op_error (c, "%s", strerror (errno));
  }
  if (!exists)
    return LIB (drydock_write (c->h, file, add, strlen (add)));
  return LIB (drydock_write_append (c->h, file, add, strlen (add)));
}

int
customize_mkdir (struct customize_ctx *c)
{
  return LIB (drydock_mkdir_p (c->h, c->op->arg));
}

int
customize_touch (struct customize_ctx *c)
{
  return LIB (drydock_touch (c->h, c->op->arg));
}

int
customize_delete (struct customize_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **paths =
    drydock_glob_expand_opts (c->h, c->op->arg,
                              DRYDOCK_GLOB_EXPAND_OPTS_DIRECTORYSLASH, 0, -1);

  if (paths == NULL)
    return customize_op_lib_error (c);
  for (char **p = paths; *p; ++p)
    if (drydock_rm_rf (c->h, *p) == -1)
      return customize_op_lib_error (c);
  return 0;
}

int
customize_chmod (struct customize_ctx *c)
{
  CLEANUP_FREE char *mode_s = NULL, *file = NULL;
  int mode = 0;

  if (split (c, &mode_s, &file) == -1)
    return -1;
  parse_mode (mode_s, &mode);
  return LIB (drydock_chmod (c->h, mode, file));
}

int
customize_link (struct customize_ctx *c)
{
  CLEANUP_FREE char *target = NULL, *links = NULL;
  char *p, *next;

  if (split (c, &target, &links) == -1)
    return -1;
  for (p = links; p; p = next) {
    next = strchr (p, ':');
    if (next)
      *next++ = '\0';
    if (drydock_ln_sf (c->h, target, p) == -1)
      return customize_op_lib_error (c);
  }
  return 0;
}

int
customize_upload (struct customize_ctx *c)
{
  CLEANUP_FREE char *local = NULL, *dest = NULL, *full = NULL;
  const char *base;
  int dir;

  if (split (c, &local, &dest) == -1)
    return -1;
  /* DEST may be a directory, the file then keeps its name. */
  dir = drydock_is_dir (c->h, dest);
  if (dir == -1)
    return customize_op_lib_error (c);
  if (dir) {
    base = strrchr (local, '/');
    base = base ? base + 1 : local;
    if (asprintf (&full, "%s%s%s", dest,
                  dest[strlen (dest) - 1] == '/' ? "" : "/", base) == -1)
      return customize_op_error (c, "%s", strerror (errno));
  }
  return LIB (drydock_upload (c->h, local, full ? full : dest));
}

int
customize_copy_in (struct customize_ctx *c)
{
  CLEANUP_FREE char *local = NULL, *dir = NULL;

  if (split (c, &local, &dir) == -1)
    return -1;
  return LIB (drydock_copy_in (c->h, local, dir));
}

int
customize_copy (struct customize_ctx *c)
{
  CLEANUP_FREE char *src = NULL, *dest = NULL;

  if (split (c, &src, &dest) == -1)
    return -1;
  return LIB (drydock_cp_a (c->h, src, dest));
}

int
customize_move (struct customize_ctx *c)
{
  CLEANUP_FREE char *src = NULL, *dest = NULL;

  if (split (c, &src, &dest) == -1)
    return -1;
  return LIB (drydock_mv (c->h, src, dest));
}

int
customize_truncate (struct customize_ctx *c)
{
  return LIB (drydock_truncate (c->h, c->op->arg));
}

/* Every regular file under PATH (symlinks are not followed), or PATH
 * itself when it is a file. */
int
customize_truncate_recursive (struct customize_ctx *c)
{
  const char *top = c->op->arg;
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  int r = drydock_is_file_opts (c->h, top,
                                DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 0, -1);

  if (r == -1)
    return customize_op_lib_error (c);
  if (r)
    return LIB (drydock_truncate (c->h, top));
  names = drydock_find (c->h, top);
  if (names == NULL)
    return customize_op_lib_error (c);
  for (char **n = names; *n; ++n) {
    CLEANUP_FREE char *path = NULL;

    if (asprintf (&path, "%s%s%s", top,
                  top[strlen (top) - 1] == '/' ? "" : "/", *n) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    r = drydock_is_file_opts (c->h, path,
                              DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 0, -1);
    if (r == -1 || (r == 1 && drydock_truncate (c->h, path) == -1))
      return customize_op_lib_error (c);
  }
  return 0;
}
