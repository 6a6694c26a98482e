/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filesystem identification through libblkid, read-only, never
 * mounting: vfs_type, vfs_label, vfs_uuid and list_filesystems. */

#include <config.h>

#include <blkid.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs-parse.h"

char *
blkid_get (const char *dev, const char *tag)
{
  CLEANUP_FREE char *vdev = IS_BTRFSVOL (dev) ? mountable_dev (dev) : NULL;
  blkid_probe pr;
  const char *v = NULL;
  char *r;

  /* A btrfs subvolume: what its device holds. */
  if (IS_BTRFSVOL (dev) && vdev == NULL)
    return NULL;
  pr = blkid_new_probe_from_filename (vdev ? vdev : dev);
  if (pr == NULL)
    return NULL;
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                     BLKID_SUBLKS_TYPE);
  blkid_probe_enable_partitions (pr, 1);
  /* The details of a partition's entry are read from its disk's whole
   * table, every time: asked for only when they are the answer (a
   * chain of 2,000 logical partitions is 2,000 reads each). */
  if (strncmp (tag, "PART_ENTRY_", 11) == 0)
    blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
  if (blkid_do_safeprobe (pr) == 0)
    blkid_probe_lookup_value (pr, tag, &v, NULL);
  r = strdup (v ? v : "");
  blkid_free_probe (pr);
  return r;
}

char *
blkid_damaged_type (const char *dev)
{
  blkid_probe pr = blkid_new_probe_from_filename (dev);
  const char *v = NULL;
  char *r;

  if (pr == NULL)
    return NULL;
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_TYPE |
                                     BLKID_SUBLKS_BADCSUM);
  if (blkid_do_safeprobe (pr) == 0 &&
      blkid_probe_lookup_value (pr, "SBBADCSUM", NULL, NULL) == 0)
    blkid_probe_lookup_value (pr, "TYPE", &v, NULL);
  r = strdup (v ? v : "");
  blkid_free_probe (pr);
  return r;
}

static char *
get_or_reply (const char *dev, const char *tag)
{
  char *r = blkid_get (dev, tag);

  if (r == NULL)
    reply_with_perror ("%s", dev);
  return r;
}

char *
do_vfs_type (const char *mountable)
{
  return get_or_reply (mountable, "TYPE");
}

char *
do_vfs_label (const char *mountable)
{
  return get_or_reply (mountable, "LABEL");
}

char *
do_vfs_uuid (const char *mountable)
{
  return get_or_reply (mountable, "UUID");
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Opened encrypted volumes: device-mapper devices whose UUID says
 * cryptsetup made them ("CRYPT-..."), by their /dev/mapper name, sorted. */
static void
add_crypt_devices (struct strlist *devs)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct dirent *e;
  size_t first = devs->len;

  while (d && (e = readdir (d)) != NULL) {
    char path[300], uuid[256], name[256];
    struct stat st;

    if (strncmp (e->d_name, "dm-", 3) != 0)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s/dm/uuid", e->d_name);
    if (read_sysfs_line (path, uuid, sizeof uuid) == -1 ||
        strncmp (uuid, "CRYPT-", 6) != 0)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s/dm/name", e->d_name);
    if (read_sysfs_line (path, name, sizeof name) == -1 || strchr (name, '/'))
      continue;
    snprintf (path, sizeof path, "/dev/mapper/%s", name);
    if (stat (path, &st) == 0 && S_ISBLK (st.st_mode))
      strlist_add (devs, path);
  }
  if (devs->len > first)
    qsort (devs->v + first, devs->len - first, sizeof (char *), compare_names);
}

/* Whole disks without a partition table, partitions that are not
 * extended containers and opened encrypted volumes: what may hold a
 * filesystem or an LVM physical volume. */
static int
add_block_candidates (struct strlist *devs)
{
  CLEANUP_FREE_STRING_LIST char **disks = appliance_disks ();
  CLEANUP_FREE_STRING_LIST char **parts = appliance_partitions ();

  if (disks == NULL || parts == NULL)
    return -1;
  for (size_t i = 0; disks[i]; ++i) {
    CLEANUP_FREE char *pt = blkid_get (disks[i], "PTTYPE");
    size_t n = strlen (disks[i]);
    int has_parts = 0;

    for (size_t j = 0; parts[j]; ++j)
      if (strncmp (parts[j], disks[i], n) == 0)
        has_parts = 1;
    if (!has_parts && (pt == NULL || *pt == '\0'))
      strlist_add (devs, disks[i]);
  }
  for (size_t j = 0; parts[j]; ++j)
    strlist_add (devs, parts[j]);
  add_crypt_devices (devs);
  return 0;
}

/* 1 if one of devs holds an LVM physical volume. */
static int
has_pv (const struct strlist *devs)
{
  for (size_t i = 0; i < devs->len; ++i) {
    CLEANUP_FREE char *type = blkid_get (devs->v[i], "TYPE");

    if (type && strcmp (type, "LVM2_member") == 0)
      return 1;
  }
  return 0;
}

int
lvm_pv_seen (void)
{
  struct strlist devs = STRLIST_INIT;
  int r = add_block_candidates (&devs) == -1 || has_pv (&devs);

  strlist_free (&devs);
  return r;
}

/* The block candidates and the active logical volumes (from sysfs:
 * lvm costs a second under TCG). */
static int
add_candidates (struct strlist *devs)
{
  CLEANUP_FREE_STRING_LIST char **lvs = NULL;

  if (add_block_candidates (devs) == -1)
    return -1;
  if ((lvs = lvm_active_lvs ()) == NULL)
    return -1;
  for (size_t i = 0; lvs[i]; ++i) {
    struct stat st;

    /* A missing node has no filesystem to report. */
    if (stat (lvs[i], &st) == 0 && S_ISBLK (st.st_mode))
      strlist_add (devs, lvs[i]);
  }
  return 0;
}

int
blkid_candidates (struct strlist *devs)
{
  return add_candidates (devs);
}

char **
do_list_filesystems (void)
{
  struct strlist devs = STRLIST_INIT, out = STRLIST_INIT;

  lvm_auto_activate ();
  if (add_candidates (&devs) == -1) {
    strlist_free (&devs);
    reply_with_perror ("list_filesystems");
    return NULL;
  }
  for (size_t i = 0; i < devs.len; ++i) {
    CLEANUP_FREE char *type = blkid_get (devs.v[i], "TYPE");
    CLEANUP_FREE char *pttype = blkid_get (devs.v[i], "PTTYPE");

    if (type && strcmp (type, "LVM2_member") == 0)
      continue;
    if (pttype && *pttype && (type == NULL || *type == '\0'))
      continue;                 /* an extended partition or a nested table */
    strlist_add (&out, devs.v[i]);
    strlist_add (&out, type && *type ? type : "unknown");
    /* Each btrfs subvolume is a filesystem too (btrfsvol:DEV/PATH). */
    if (type && strcmp (type, "btrfs") == 0)
      btrfs_add_subvolumes (devs.v[i], &out);
  }
  strlist_free (&devs);
  return strlist_take (&out);
}
