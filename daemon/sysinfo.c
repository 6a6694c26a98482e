/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small questions about the appliance and its devices: modprobe,
 * filesystem_available, get_umask, is_whole_device. */

#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* Module names are letters, digits, "_" and "-" ("-" and "_" the
 * same). */
static int
module_name_ok (const char *name)
{
  if (*name == '\0' || strlen (name) > 64)
    return 0;
  for (const char *p = name; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
      return 0;
  return 1;
}

int
do_modprobe (const char *modulename)
{
  char path[128], name[65];
  struct stat st;

  if (!module_name_ok (modulename))
    return reply_with_error_errno (EINVAL, "\"%s\": not a module name",
                                   modulename);
  snprintf (name, sizeof name, "%s", modulename);
  for (char *p = name; *p; ++p)
    if (*p == '-')
      *p = '_';
  if (load_module (name) == -1)
    return reply_with_perror ("modprobe %s", modulename);
  /* load_module takes a name it does not know for a built-in one. */
  snprintf (path, sizeof path, "/sys/module/%s", name);
  if (stat (path, &st) == -1)
    return reply_with_error_errno (ENOENT, "modprobe %s: no such module in "
                                   "this appliance", modulename);
  return 0;
}

int
optgroup_linuxmodules_available (void)
{
  return 1;
}

/* 1 if /proc/filesystems lists fstype. */
static int
kernel_lists_fs (const char *fstype)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/filesystems", "re");
  char line[128];

  while (fp && fgets (line, sizeof line, fp)) {
    char *name = strrchr (line, '\t');

    name = name ? name + 1 : line;
    name[strcspn (name, "\n")] = '\0';
    if (strcmp (name, fstype) == 0)
      return 1;
  }
  return 0;
}

int
do_filesystem_available (const char *filesystem)
{
  if (*filesystem == '\0' || strchr (filesystem, '/'))
    return reply_with_error_errno (EINVAL, "\"%s\": not a filesystem type",
                                   filesystem);
  load_modules_for_fstype (filesystem);
  if (module_name_ok (filesystem))
    load_module (filesystem);
  /* NTFS is served by ntfs-3g over FUSE; ext2 and ext3 by ext4. */
  if (strcmp (filesystem, "ntfs") == 0)
    return program_available ("ntfs-3g") && kernel_lists_fs ("fuse");
  if (strcmp (filesystem, "ext2") == 0 || strcmp (filesystem, "ext3") == 0)
    return kernel_lists_fs (filesystem) || kernel_lists_fs ("ext4");
  return kernel_lists_fs (filesystem);
}

int
do_get_umask (void)
{
  mode_t mask = umask (0);

  umask (mask);
  return (int) mask;
}

int
do_is_whole_device (const char *device)
{
  char real[PATH_MAX], path[PATH_MAX + 32];
  struct stat st;
  const char *name;

  if (realpath (device, real) == NULL)
    return reply_with_perror ("%s", device);
  name = strrchr (real, '/');
  name = name ? name + 1 : real;
  /* A disk has a device below it; a partition is not in /sys/block, a
   * device-mapper volume has no device. */
  snprintf (path, sizeof path, "/sys/block/%s/device", name);
  return stat (path, &st) == 0;
}
