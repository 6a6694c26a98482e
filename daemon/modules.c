/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules.  The appliance builder leaves the modules flat in
 * /lib/modules/drydock with two lists: "boot" (load order for boot) and
 * "deps" ("name: dep1 dep2 ..." with every transitive dependency in load
 * order).  Filesystem and device-mapper modules are loaded on first use,
 * which keeps them off the boot path. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"

#define MODDIR "/lib/modules/drydock"

static struct strlist loaded = STRLIST_INIT;

static int
is_loaded (const char *name)
{
  for (size_t i = 0; i < loaded.len; ++i)
    if (strcmp (loaded.v[i], name) == 0)
      return 1;
  return 0;
}

static int
insert_one (const char *name)
{
  char path[256];
  int fd, r;

  if (is_loaded (name))
    return 0;
  snprintf (path, sizeof path, MODDIR "/%s.ko", name);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    debug ("module %s: %m", name);
    return -1;
  }
  r = (int) syscall (SYS_finit_module, fd, "", 0);
  close (fd);
  if (r == -1 && errno != EEXIST) {
    debug ("module %s: %m", name);
    return -1;
  }
  strlist_add (&loaded, name);
  return 0;
}

int
load_boot_modules (void)
{
  CLEANUP_FCLOSE FILE *fp = fopen (MODDIR "/boot", "re");
  char line[256];
  int r = 0;

  if (fp == NULL)
    return -1;
  while (fgets (line, sizeof line, fp)) {
    line[strcspn (line, "\n")] = '\0';
    if (line[0] && insert_one (line) == -1)
      r = -1;
  }
  return r;
}

int
load_module (const char *name)
{
  CLEANUP_FCLOSE FILE *fp = NULL;
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0, n = strlen (name);

  if (is_loaded (name))
    return 0;
  fp = fopen (MODDIR "/deps", "re");
  if (fp == NULL)
    return -1;
  while (getline (&line, &cap, fp) != -1) {
    char *p, *tok, *save = NULL;

    if (strncmp (line, name, n) != 0 || line[n] != ':')
      continue;
    p = line + n + 1;
    for (tok = strtok_r (p, " \n", &save); tok; tok = strtok_r (NULL, " \n", &save))
      insert_one (tok);
    return insert_one (name);
  }
  /* Not in the list: built in, or not available at all. */
  strlist_add (&loaded, name);
  return 0;
}

void
load_modules_for_fstype (const char *fstype)
{
  /* vfat also needs the kernel's default iocharset (FAT_DEFAULT_IOCHARSET,
   * "ascii" on Debian) or the mount fails with EINVAL. */
  static const struct { const char *type; const char *mods[4]; } table[] = {
    { "xfs", { "xfs" } },
    { "vfat", { "vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1" } },
    { "msdos", { "msdos", "nls_cp437" } },
    { "btrfs", { "btrfs" } },
    { "ntfs", { "fuse" } },       /* served by ntfs-3g */
    { "ntfs3", { "ntfs3" } },
    { "iso9660", { "isofs" } },
    { "squashfs", { "squashfs" } },
    { "udf", { "udf" } },
    { "exfat", { "exfat" } },
    { "f2fs", { "f2fs" } },
    { "ext2", { "ext4" } },
    { "ext3", { "ext4" } },
    { "LVM2_member", { "dm_mod" } },
    { "crypto_LUKS", { "dm_crypt" } },
    { "minix", { "minix" } },
  };

  for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    if (strcmp (table[i].type, fstype) == 0)
      for (size_t j = 0; j < 4 && table[i].mods[j]; ++j)
        load_module (table[i].mods[j]);
}
