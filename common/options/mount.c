/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mounting for the tools, as guestfish does it: -m DEV[:MOUNTPOINT
 * [:OPTIONS[:FSTYPE]]] in the order given, or -i, which inspects the
 * disks and mounts the filesystems of the one operating system found;
 * read-only with --ro.  Encrypted volumes a key is given for are opened
 * first. */

#include <config.h>

#include <errno.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "options.h"
#include "strlist.h"

#define _(s) gettext (s)

int
tool_parse_mount (const char *arg, struct tool_mount *m)
{
  const char *field[4] = { NULL, NULL, NULL, NULL };
  CLEANUP_FREE char *copy = strdup (arg);
  char *p = copy;
  int n = 0;

  memset (m, 0, sizeof *m);
  if (copy == NULL)
    return tool_error ("%s", strerror (errno));
  /* The fourth field (FSTYPE) takes the rest.  A btrfs subvolume
   * (btrfsvol:DEV/SUBVOL, as inspection names it) has a colon of its
   * own in the device field. */
  while (n < 4) {
    field[n++] = p;
    if (n == 1 && strncmp (p, "btrfsvol:", 9) == 0)
      p += 9;
    if (n == 4 || (p = strchr (p, ':')) == NULL)
      break;
    *p++ = '\0';
  }
  if (*field[0] == '\0')
    return tool_error (_("-m '%s': no device (expected DEV[:MOUNTPOINT"
                         "[:OPTIONS[:FSTYPE]]])"), arg);
  if (field[1] && *field[1] && field[1][0] != '/')
    return tool_error (_("-m '%s': the mountpoint '%s' is not an absolute "
                         "path"), arg, field[1]);
  m->device = strdup (field[0]);
  m->mountpoint = strdup (field[1] && *field[1] ? field[1] : "/");
  m->options = field[2] && *field[2] ? strdup (field[2]) : NULL;
  m->fstype = field[3] && *field[3] ? strdup (field[3]) : NULL;
  if (m->device == NULL || m->mountpoint == NULL ||
      (field[2] && *field[2] && m->options == NULL) ||
      (field[3] && *field[3] && m->fstype == NULL)) {
    tool_mount_free (m);
    return tool_error ("%s", strerror (errno));
  }
  return 0;
}

void
tool_mount_free (struct tool_mount *m)
{
  free (m->device);
  free (m->mountpoint);
  free (m->options);
  free (m->fstype);
  memset (m, 0, sizeof *m);
}

int
tool_mount_each (drydock_h *h, const struct tool_mount *m, size_t n,
                 int readonly)
{
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *ro_options = NULL;
    const char *options = m[i].options;
    int r;

    /* --ro adds "ro" to the options given. */
    if (readonly) {
      if (asprintf (&ro_options, "ro%s%s", options ? "," : "",
                    options ? options : "") == -1)
        return tool_error ("%s", strerror (errno));
      options = ro_options;
    }
    if (m[i].fstype)
      r = drydock_mount_vfs (h, options ? options : "", m[i].fstype,
                             m[i].device, m[i].mountpoint);
    else if (options)
      r = drydock_mount_options (h, options, m[i].device, m[i].mountpoint);
    else
      r = drydock_mount (h, m[i].device, m[i].mountpoint);
    if (r == -1)
      return tool_lib_error (h);
  }
  return 0;
}

int
tool_inspect_mount (drydock_h *h, int readonly)
{
  CLEANUP_FREE_STRING_LIST char **roots = drydock_inspect_os (h);
  size_t n;

  if (roots == NULL)
    return tool_lib_error (h);
  n = count_strings (roots);
  if (n == 0)
    return tool_error (_("-i: no operating system was found on the disks "
                         "(mount filesystems with -m instead)"));
  if (n > 1)
    return tool_error (_("-i: %zu operating systems were found (%s, %s%s); "
                         "choose with -m"), n, roots[0], roots[1],
                       n > 2 ? ", ..." : "");
  if (drydock_inspect_mount_root_opts (h, roots[0],
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       readonly, -1) == -1)
    return tool_lib_error (h);
  return 0;
}

int
tool_mount_filesystems (drydock_h *h, struct tool_options *o)
{
  CLEANUP_FREE_STRING_LIST char **opened = NULL;

  if (tool_open_encrypted (h, o, 0, &opened) == -1)
    return -1;
  if (o->inspector)
    return tool_inspect_mount (h, o->ro);
  return tool_mount_each (h, o->mounts, o->n_mounts, o->ro);
}
