/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Questions about device names and what a device holds, and the small
 * erasures: nr_devices, device_index, part_to_dev, part_to_partnum,
 * canonical_device_name, blkid, is_zero_device, zero, wipefs. */

#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define CHUNK (1024 * 1024)
/* What zero overwrites: the first 64 KiB, where partition tables,
 * boot sectors and most filesystem and RAID signatures are. */
#define ZERO_BYTES (64 * 1024)

int
do_nr_devices (void)
{
  CLEANUP_FREE_STRING_LIST char **disks = appliance_disks ();

  if (disks == NULL)
    return reply_with_perror ("/sys/block");
  return (int) count_strings (disks);
}

int
do_device_index (const char *device)
{
  CLEANUP_FREE_STRING_LIST char **disks = appliance_disks ();

  if (disks == NULL)
    return reply_with_perror ("/sys/block");
  for (size_t i = 0; disks[i]; ++i)
    if (strcmp (disks[i], device) == 0)
      return (int) i;
  return reply_with_error_errno (EINVAL, "%s: not a whole disk (see "
                                 "list_devices)", device);
}

char *
do_part_to_dev (const char *partition)
{
  char *disk;
  int num;

  if (partition_parent (partition, &disk, &num) == -1) {
    reply_with_error_errno (EINVAL, "%s: not a partition", partition);
    return NULL;
  }
  return disk;
}

int
do_part_to_partnum (const char *partition)
{
  CLEANUP_FREE char *disk = NULL;
  int num;

  if (partition_parent (partition, &disk, &num) == -1)
    return reply_with_error_errno (EINVAL, "%s: not a partition", partition);
  return num;
}

/* "vg-lv" as device-mapper names the LV /dev/vg/lv ('-' doubled). */
static char *
dm_name_of (const char *lvpath)
{
  const char *vg = lvpath + 5, *slash = strchr (vg, '/');
  char *r, *o;

  if (slash == NULL || (r = malloc (2 * strlen (vg) + 1)) == NULL)
    return NULL;
  o = r;
  for (const char *p = vg; *p; ++p) {
    if (p == slash)
      *o++ = '-';
    else {
      if (*p == '-')
        *o++ = '-';
      *o++ = *p;
    }
  }
  *o = '\0';
  return r;
}

char *
do_canonical_device_name (const char *device)
{
  char *r;

  if (strncmp (device, "/dev/mapper/", 12) == 0) {
    CLEANUP_FREE_STRING_LIST char **lvs = lvm_active_lvs ();

    for (size_t i = 0; lvs && lvs[i]; ++i) {
      CLEANUP_FREE char *dm = dm_name_of (lvs[i]);

      if (dm && strcmp (dm, device + 12) == 0) {
        r = strdup (lvs[i]);
        if (r == NULL)
          reply_with_perror ("%s", device);
        return r;
      }
    }
  }
  /* /dev/hdX and /dev/vdX are /dev/sdX in the API. */
  if ((strncmp (device, "/dev/hd", 7) == 0 ||
       strncmp (device, "/dev/vd", 7) == 0) &&
      device[7] >= 'a' && device[7] <= 'z') {
    if (asprintf (&r, "/dev/sd%s", device + 7) == -1)
      r = NULL;
  }
  else
    r = strdup (device);
  if (r == NULL)
    reply_with_perror ("%s", device);
  return r;
}

char **
do_blkid (const char *device)
{
  blkid_probe pr = blkid_new_probe_from_filename (device);
  struct strlist l = STRLIST_INIT;
  int n;
  char **r;

  if (pr == NULL) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_LABEL |
                                     BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE |
                                     BLKID_SUBLKS_SECTYPE |
                                     BLKID_SUBLKS_USAGE |
                                     BLKID_SUBLKS_VERSION);
  blkid_probe_enable_partitions (pr, 1);
  blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
  if (blkid_do_safeprobe (pr) < 0) {
    blkid_free_probe (pr);
    reply_with_error_errno (EIO, "%s: cannot probe the device", device);
    return NULL;
  }
  n = blkid_probe_numof_values (pr);
  for (int i = 0; i < n; ++i) {
    const char *name, *data;

    if (blkid_probe_get_value (pr, i, &name, &data, NULL) == 0 &&
        (strlist_add (&l, name) == -1 || strlist_add (&l, data) == -1)) {
      strlist_free (&l);
      blkid_free_probe (pr);
      reply_with_perror ("%s", device);
      return NULL;
    }
  }
  blkid_free_probe (pr);
  r = strlist_take (&l);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    reply_with_perror ("%s", device);
  return r;
}

int
do_is_zero_device (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  CLEANUP_FREE char *buf = malloc (CHUNK);
  ssize_t n;

  if (fd == -1 || buf == NULL)
    return reply_with_perror ("%s", device);
  while ((n = read_all (fd, buf, CHUNK)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      if (buf[i])
        return 0;
  if (n == -1)
    return reply_with_perror ("%s", device);
  return 1;
}

int
do_zero (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDWR | O_CLOEXEC);
  char buf[ZERO_BYTES], zeros[ZERO_BYTES] = { 0 };
  uint64_t size;
  size_t n;

  if (fd == -1)
    return reply_with_perror ("%s", device);
  if (ioctl (fd, BLKGETSIZE64, &size) == -1)
    return reply_with_perror ("%s", device);
  n = size < ZERO_BYTES ? (size_t) size : ZERO_BYTES;
  /* Blocks of zeros already are not written: the overlay stays small. */
  if (pread (fd, buf, n, 0) != (ssize_t) n)
    return reply_with_perror ("%s: read", device);
  if (memcmp (buf, zeros, n) == 0)
    return 0;
  if (pwrite (fd, zeros, n, 0) != (ssize_t) n || fsync (fd) == -1)
    return reply_with_perror ("%s: write", device);
  return 0;
}

int
do_wipefs (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDWR | O_CLOEXEC);
  blkid_probe pr;
  int r = 0;

  if (fd == -1)
    return reply_with_perror ("%s", device);
  pr = blkid_new_probe ();
  if (pr == NULL || blkid_probe_set_device (pr, fd, 0, 0) == -1) {
    if (pr)
      blkid_free_probe (pr);
    return reply_with_perror ("%s", device);
  }
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_MAGIC);
  blkid_probe_enable_partitions (pr, 1);
  blkid_probe_set_partitions_flags (pr, BLKID_PARTS_MAGIC);
  /* Each wipe makes the probe look again from where it stopped. */
  while (r == 0 && blkid_do_probe (pr) == 0)
    r = blkid_do_wipe (pr, 0);
  blkid_free_probe (pr);
  if (r != 0 || fsync (fd) == -1)
    return reply_with_perror ("%s: wiping signatures", device);
  if (ioctl (fd, BLKRRPART, NULL) == -1 && errno != EINVAL)
    debug ("wipefs: %s: BLKRRPART: %m", device);
  return 0;
}
