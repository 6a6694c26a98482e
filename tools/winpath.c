/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guest paths as a Windows user writes them, for cat, ls and edit (as
 * the virt tools take them): "C:\Windows\win.ini" or
 * "/windows/system32/DRIVERS/etc/hosts".  Backslashes become slashes,
 * each component is matched regardless of case as NTFS would (the
 * appliance's ntfs-3g is case-sensitive), and a drive letter other
 * than the system's mounts that drive at / in its place. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "strlist.h"
#include "tools.h"

/* The device mounted at / (caller frees), or NULL (not printed). */
static char *
root_device (drydock_h *h)
{
  CLEANUP_FREE_STRING_LIST char **mps = drydock_mountpoints (h);

  for (size_t i = 0; mps && mps[i] && mps[i + 1]; i += 2)
    if (strcmp (mps[i + 1], "/") == 0)
      return strdup (mps[i]);
  return NULL;
}

/* Makes the drive letter's filesystem the one at /. */
static int
use_drive (struct tools_session *s, char letter)
{
  CLEANUP_FREE_STRING_LIST char **map =
    drydock_inspect_get_drive_mappings (s->h, s->root);
  CLEANUP_FREE char *current = NULL;
  const char *dev = NULL;

  if (map == NULL)
    return tool_lib_error (s->h);
  for (size_t i = 0; map[i] && map[i + 1]; i += 2)
    if (toupper ((unsigned char) map[i][0]) == letter && map[i][1] == '\0')
      dev = map[i + 1];
  if (dev == NULL)
    return tool_error (_("drive %c: is not a drive of the guest"), letter);
  current = root_device (s->h);
  if (current && strcmp (current, dev) == 0)
    return 0;
  if (drydock_umount_all (s->h) == -1 ||
      ((s->flags & TOOLS_WRITE) ? drydock_mount (s->h, dev, "/") :
       drydock_mount_ro (s->h, dev, "/")) == -1)
    return tool_lib_error (s->h);
  return 0;
}

char *
tools_guest_path (struct tools_session *s, const char *path)
{
  CLEANUP_FREE char *unix_path = NULL;
  char *r;

  if (s->type == NULL || strcmp (s->type, "windows") != 0) {
    r = strdup (path);
    if (r == NULL)
      tool_error ("%s", strerror (errno));
    return r;
  }
  if (isalpha ((unsigned char) path[0]) && path[1] == ':') {
    if (use_drive (s, (char) toupper ((unsigned char) path[0])) == -1)
      return NULL;
    path += 2;
  }
  if (asprintf (&unix_path, "%s%s", path[0] == '/' || path[0] == '\\' ?
                "" : "/", path) == -1) {
    tool_error ("%s", strerror (errno));
    return NULL;
  }
  for (char *p = unix_path; *p; ++p)
    if (*p == '\\')
      *p = '/';
  r = drydock_case_sensitive_path (s->h, unix_path);
  if (r == NULL)
    tool_lib_error (s->h);
  return r;
}

char *
tools_guest_dir (struct tools_session *s, const char *path)
{
  char *dir = tools_guest_path (s, path);
  int r;

  if (dir == NULL)
    return NULL;
  r = drydock_is_dir_opts (s->h, dir, DRYDOCK_IS_DIR_OPTS_FOLLOWSYMLINKS, 1,
                           -1);
  if (r == 1)
    return dir;
  if (r == -1)
    tool_lib_error (s->h);
  else
    tool_error (_("%s: not a directory in the guest"), path);
  free (dir);
  return NULL;
}
