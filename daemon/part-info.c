/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What partition tables say, read with libblkid and never written:
 * part_get_bootable, part_get_name, part_get_mbr_part_type,
 * part_get_gpt_type/guid/attributes, part_get_disk_guid; and finding
 * devices: list_dm_devices (mountable_device and mountable_subvolume
 * are in mountable.c). */

#include <config.h>

#include <blkid.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

#define ESP_GUID "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

/* A probe of device's partition table and its partition partnum (in
 * *part), *table its type ("dos", "gpt").  NULL (replied) if there is no
 * table or no such partition; free with blkid_free_probe. */
static blkid_probe
find_partition (const char *device, int partnum, blkid_partition *part,
                const char **table)
{
  blkid_probe pr = blkid_new_probe_from_filename (device);
  blkid_partlist ls;
  blkid_parttable t;

  if (pr == NULL) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  ls = blkid_probe_get_partitions (pr);
  t = ls ? blkid_partlist_get_table (ls) : NULL;
  if (t == NULL) {
    blkid_free_probe (pr);
    reply_with_error_errno (EINVAL, "%s: no partition table found", device);
    return NULL;
  }
  *table = blkid_parttable_get_type (t);
  if (part == NULL)
    return pr;
  *part = blkid_partlist_get_partition_by_partno (ls, partnum);
  if (*part == NULL) {
    blkid_free_probe (pr);
    reply_with_error_errno (EINVAL, "%s: no partition %d", device, partnum);
    return NULL;
  }
  return pr;
}

/* A copy of s in upper case, or "" for NULL; NULL (replied) on ENOMEM. */
static char *
upper (const char *s)
{
  char *r = strdup (s ? s : "");

  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  for (char *p = r; *p; ++p)
    *p = (char) toupper ((unsigned char) *p);
  return r;
}

static int
not_gpt (const char *device, const char *table)
{
  return reply_with_error_errno (EINVAL, "%s: a %s partition table, not "
                                 "gpt", device, table);
}

int
do_part_get_bootable (const char *device, int partnum)
{
  blkid_partition p;
  const char *table;
  blkid_probe pr = find_partition (device, partnum, &p, &table);
  int r;

  if (pr == NULL)
    return -1;
  /* MBR: the active flag; GPT: an EFI system partition. */
  if (strcmp (table, "gpt") == 0) {
    const char *type = blkid_partition_get_type_string (p);

    r = type && strcasecmp (type, ESP_GUID) == 0;
  }
  else
    r = (blkid_partition_get_flags (p) & 0x80) != 0;
  blkid_free_probe (pr);
  return r;
}

/* One string of a GPT partition, in upper case if up. */
static char *
gpt_string (const char *device, int partnum,
            const char *(*get) (blkid_partition), int up)
{
  blkid_partition p;
  const char *table;
  blkid_probe pr = find_partition (device, partnum, &p, &table);
  char *r;

  if (pr == NULL)
    return NULL;
  if (strcmp (table, "gpt") != 0) {
    not_gpt (device, table);
    r = NULL;
  }
  else if (up)
    r = upper (get (p));
  else if ((r = strdup (get (p) ? get (p) : "")) == NULL)
    reply_with_perror ("malloc");
  blkid_free_probe (pr);
  return r;
}

char *
do_part_get_name (const char *device, int partnum)
{
  return gpt_string (device, partnum, blkid_partition_get_name, 0);
}

char *
do_part_get_gpt_type (const char *device, int partnum)
{
  return gpt_string (device, partnum, blkid_partition_get_type_string, 1);
}

char *
do_part_get_gpt_guid (const char *device, int partnum)
{
  return gpt_string (device, partnum, blkid_partition_get_uuid, 1);
}

int64_t
do_part_get_gpt_attributes (const char *device, int partnum)
{
  blkid_partition p;
  const char *table;
  blkid_probe pr = find_partition (device, partnum, &p, &table);
  int64_t r;

  if (pr == NULL)
    return -1;
  if (strcmp (table, "gpt") != 0)
    r = not_gpt (device, table);
  else
    r = (int64_t) blkid_partition_get_flags (p);
  blkid_free_probe (pr);
  return r;
}

char *
do_part_get_disk_guid (const char *device)
{
  const char *table;
  blkid_probe pr = find_partition (device, 0, NULL, &table);
  char *r = NULL;

  if (pr == NULL)
    return NULL;
  if (strcmp (table, "gpt") != 0)
    not_gpt (device, table);
  else
    r = upper (blkid_parttable_get_id (blkid_partlist_get_table
                                       (blkid_probe_get_partitions (pr))));
  blkid_free_probe (pr);
  return r;
}

char *
do_part_get_mbr_part_type (const char *device, int partnum)
{
  blkid_partition p;
  const char *table, *kind;
  blkid_probe pr = find_partition (device, partnum, &p, &table);
  char *r = NULL;

  if (pr == NULL)
    return NULL;
  if (strcmp (table, "dos") != 0) {
    reply_with_error_errno (EINVAL, "%s: a %s partition table, not an MBR",
                            device, table);
    blkid_free_probe (pr);
    return NULL;
  }
  kind = blkid_partition_is_extended (p) ? "extended" :
    blkid_partition_is_logical (p) ? "logical" : "primary";
  if ((r = strdup (kind)) == NULL)
    reply_with_perror ("malloc");
  blkid_free_probe (pr);
  return r;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char **
do_list_dm_devices (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct strlist l = STRLIST_INIT;
  struct dirent *e;
  char **r;

  while (d && (e = readdir (d)) != NULL) {
    char path[300], name[256];
    struct stat st;

    if (strncmp (e->d_name, "dm-", 3) != 0)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s/dm/name", e->d_name);
    if (read_sysfs_line (path, name, sizeof name) == -1 || strchr (name, '/'))
      continue;
    snprintf (path, sizeof path, "/dev/mapper/%s", name);
    if (stat (path, &st) == 0 && S_ISBLK (st.st_mode) &&
        strlist_add (&l, path) == -1) {
      strlist_free (&l);
      reply_with_perror ("list_dm_devices");
      return NULL;
    }
  }
  r = strlist_take (&l);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    reply_with_perror ("list_dm_devices");
  else
    qsort (r, count_strings (r), sizeof *r, compare_names);
  return r;
}
