/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "win:" paths, as guestfish takes them where a guest path goes:
 * win:C:\Windows\System32 is the path, under where the C: drive is
 * mounted, of each component in the case it has on disk.  The drive
 * letter comes from the inspection's drive mappings (of the first
 * root); without one the path is under /. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell.h"
#include "cleanups.h"

/* Where the drive letter's device is mounted (caller frees), or NULL
 * (printed). */
static char *
drive_mountpoint (drydock_h *h, const char *cmd, char letter)
{
  CLEANUP_FREE_STRING_LIST char **roots = NULL, **map = NULL, **mps = NULL;
  const char *device = NULL;

  roots = drydock_inspect_get_roots (h);
  if (roots == NULL)
    return NULL;
  if (roots[0] == NULL) {
    shell_error (cmd, _("win:%c: drive letters come from the inspection: "
                        "run inspect-os first (or start with -i)"), letter);
    return NULL;
  }
  map = drydock_inspect_get_drive_mappings (h, roots[0]);
  if (map == NULL)
    return NULL;
  for (size_t i = 0; map[i] && map[i + 1]; i += 2)
    if (strcasecmp (map[i], (char[]) { letter, '\0' }) == 0)
      device = map[i + 1];
  if (device == NULL) {
    shell_error (cmd, _("win:%c: the guest has no drive %c:"), letter, letter);
    return NULL;
  }
  mps = drydock_mountpoints (h);
  if (mps == NULL)
    return NULL;
  for (size_t i = 0; mps[i] && mps[i + 1]; i += 2)
    if (strcmp (mps[i], device) == 0)
      return strdup (mps[i + 1]);
  shell_error (cmd, _("win:%c: drive %c: (%s) is not mounted"), letter, letter,
               device);
  return NULL;
}

char *
shell_win_path (drydock_h *h, const char *cmd, const char *arg)
{
  CLEANUP_FREE char *mp = NULL, *path = NULL;
  size_t n;
  char *o;

  if (isalpha ((unsigned char) arg[0]) && arg[1] == ':') {
    mp = drive_mountpoint (h, cmd, (char) toupper ((unsigned char) arg[0]));
    if (mp == NULL)
      return NULL;
    arg += 2;
  }
  else
    mp = strdup ("/");
  if (mp == NULL)
    return NULL;
  n = strlen (mp);
  path = malloc (n + strlen (arg) + 2);
  if (path == NULL) {
    shell_error (cmd, "%s", strerror (errno));
    return NULL;
  }
  o = stpcpy (path, mp);
  if (n == 0 || mp[n - 1] != '/')
    *o++ = '/';
  while (*arg == '\\' || *arg == '/')
    arg++;
  for (; *arg; ++arg)
    *o++ = *arg == '\\' ? '/' : *arg;
  *o = '\0';
  /* A trailing "/" would name a file "" to case_sensitive_path. */
  if (o > path + 1 && o[-1] == '/')
    o[-1] = '\0';
  return drydock_case_sensitive_path (h, path);
}
