/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mountables: a device, or a btrfs subvolume written
 * btrfsvol:DEVICE/SUBVOLUME (btrfsvol:/dev/sda2/root is the subvolume
 * root of the btrfs on /dev/sda2).  The dispatcher hands a Mountable
 * argument to the actions as the appliance device, or as btrfsvol: with
 * the appliance device; split_btrfsvol takes the latter apart again. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs-parse.h"

#define PREFIX "btrfsvol:"
#define PREFIX_LEN (sizeof PREFIX - 1)

/* An appliance device path, or NULL with errno. */
static char *
appliance_device (const char *path)
{
  struct stat st;

  if (stat (path, &st) == -1)
    return NULL;
  if (!S_ISBLK (st.st_mode)) {
    errno = ENOTBLK;
    return NULL;
  }
  return strdup (path);
}

int
split_btrfsvol_quiet (const char *mountable, int api, char **dev,
                      char **subvol)
{
  const char *rest = mountable + PREFIX_LEN;
  CLEANUP_FREE char *copy = NULL;

  *dev = *subvol = NULL;
  if (strncmp (mountable, PREFIX, PREFIX_LEN) != 0 ||
      strncmp (rest, "/dev/", 5) != 0) {
    errno = EINVAL;
    return -1;
  }
  if ((copy = strdup (rest)) == NULL)
    return -1;
  /* The device is the longest leading part, up to a slash, that names
   * one: /dev/VG/LV/sub as well as /dev/sda1/sub. */
  for (char *slash = strrchr (copy, '/'); slash && slash > copy + 5;
       slash = strrchr (copy, '/')) {
    const char *sv = rest + (slash - copy) + 1;

    *slash = '\0';
    while (*sv == '/')
      ++sv;
    if (*sv == '\0')
      continue;
    *dev = api ? resolve_device_quiet (copy) : appliance_device (copy);
    if (*dev == NULL)
      continue;
    if ((*subvol = strdup (sv)) == NULL) {
      free (*dev);
      *dev = NULL;
      return -1;
    }
    return 0;
  }
  errno = ENOENT;
  return -1;
}

int
split_btrfsvol (const char *mountable, int api, char **dev, char **subvol)
{
  if (split_btrfsvol_quiet (mountable, api, dev, subvol) == 0)
    return 0;
  if (errno == EINVAL)
    return reply_with_error_errno (EINVAL, "%s: not a btrfs subvolume "
                                   "(btrfsvol:DEVICE/SUBVOLUME)", mountable);
  if (errno == ENOENT)
    return reply_with_error_errno (ENOENT, "%s: no such device", mountable);
  return reply_with_perror ("%s", mountable);
}

char *
mountable_dev (const char *mountable)
{
  char *dev, *subvol;

  if (!IS_BTRFSVOL (mountable))
    return strdup (mountable);
  if (split_btrfsvol_quiet (mountable, 0, &dev, &subvol) == -1)
    return NULL;
  free (subvol);
  return dev;
}

char *
resolve_mountable (const char *action, const char *name)
{
  CLEANUP_FREE char *dev = NULL;
  CLEANUP_FREE char *subvol = NULL;
  char *r;

  if (!IS_BTRFSVOL (name))
    return resolve_device (action, name);
  if (split_btrfsvol (name, 1, &dev, &subvol) == -1)
    return NULL;
  if (asprintf (&r, PREFIX "%s/%s", dev, subvol) == -1) {
    reply_with_perror ("%s", name);
    return NULL;
  }
  return r;
}

char *
do_mountable_device (const char *mountable)
{
  char *r = mountable_dev (mountable);

  if (r == NULL)
    reply_with_perror ("%s", mountable);
  return r;
}

char *
do_mountable_subvolume (const char *mountable)
{
  char *dev, *subvol;

  if (!IS_BTRFSVOL (mountable)) {
    reply_with_error_errno (EINVAL, "%s: not a btrfs subvolume", mountable);
    return NULL;
  }
  if (split_btrfsvol (mountable, 0, &dev, &subvol) == -1)
    return NULL;
  free (dev);
  return subvol;
}
