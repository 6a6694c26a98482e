/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Changing partition tables in place: part_del, part_resize,
 * part_expand_gpt and the part_set_* setters.  sfdisk does the writing
 * (its --delete, -N, --relocate, --part-* and --disk-id commands);
 * libblkid says beforehand what the table is and whether the partition
 * exists, so that a wrong table or number is EINVAL with a message
 * naming it rather than sfdisk's. */

#include <config.h>

#include <blkid.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>

#include "daemon.h"
#include "actions-gen.h"

#define ESP_GUID "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define LINUX_DATA_GUID "0FC63DAF-8483-4772-8E79-3D69D8477DE4"

/* What the table of device is and, for partnum > 0, that partition. */
struct table_info {
  char type[16];                /* "dos", "gpt" */
  int64_t start, size;          /* of the partition, in sectors */
  char parttype[64];            /* its type (GPT: the type GUID) */
};

/* Fills *t from device's table.  With partnum > 0 the partition must
 * exist.  0, or -1 (replied, EINVAL when there is no table or no such
 * partition). */
static int
read_table_info (const char *device, int partnum, struct table_info *t)
{
  blkid_probe pr = blkid_new_probe_from_filename (device);
  blkid_partlist ls;
  blkid_parttable tab;
  const char *type;
  int r = 0;

  memset (t, 0, sizeof *t);
  if (pr == NULL)
    return reply_with_perror ("%s", device);
  ls = blkid_probe_get_partitions (pr);
  tab = ls ? blkid_partlist_get_table (ls) : NULL;
  if (tab == NULL) {
    blkid_free_probe (pr);
    return reply_with_error_errno (EINVAL, "%s: no partition table found",
                                   device);
  }
  type = blkid_parttable_get_type (tab);
  snprintf (t->type, sizeof t->type, "%s", type ? type : "unknown");
  if (partnum > 0) {
    blkid_partition p = blkid_partlist_get_partition_by_partno (ls, partnum);

    if (p == NULL)
      r = reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                  partnum);
    else {
      const char *ts = blkid_partition_get_type_string (p);

      t->start = blkid_partition_get_start (p);
      t->size = blkid_partition_get_size (p);
      if (ts)
        snprintf (t->parttype, sizeof t->parttype, "%s", ts);
    }
  }
  blkid_free_probe (pr);
  return r;
}

/* read_table_info, and the table must be a GPT (partnum 0: the table
 * alone). */
static int
check_gpt (const char *device, int partnum, struct table_info *t)
{
  if (read_table_info (device, partnum, t) == -1)
    return -1;
  if (strcmp (t->type, "gpt") != 0)
    return reply_with_error_errno (EINVAL, "%s: a %s partition table, not "
                                   "gpt", device, t->type);
  return 0;
}

/* The same for partition partnum, which must be a number. */
static int
read_gpt (const char *device, int partnum, struct table_info *t)
{
  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                   partnum);
  return check_gpt (device, partnum, t);
}

/* The same for an MBR (msdos) table. */
static int
read_mbr (const char *device, int partnum, struct table_info *t)
{
  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                   partnum);
  if (read_table_info (device, partnum, t) == -1)
    return -1;
  if (strcmp (t->type, "dos") != 0)
    return reply_with_error_errno (EINVAL, "%s: a %s partition table, not "
                                   "an MBR", device, t->type);
  return 0;
}

/* Runs sfdisk with argv (input on its standard input, or none), then
 * lets the kernel catch up.  0, or -1 (replied). */
static int
run_sfdisk (const char *device, const char *input, char *const *argv)
{
  CLEANUP_FREE char *err = NULL;
  int r;

  r = input ? run_command_input (NULL, &err, input, argv)
    : run_command (NULL, &err, argv);
  part_settle (device);
  if (r != 0)
    return reply_command_error (device, argv, r, err);
  return 0;
}

/* A partition number as sfdisk takes it, in buf (16 bytes). */
static char *
num (char *buf, int partnum)
{
  snprintf (buf, 16, "%d", partnum);
  return buf;
}

/* sfdisk --part-XXX device partnum value. */
static int
set_part_field (const char *device, const char *option, int partnum,
                const char *value)
{
  char n[16];
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", (char *) option,
    (char *) device, num (n, partnum), (char *) value, NULL
  };

  return run_sfdisk (device, NULL, argv);
}

/* A GUID as 8-4-4-4-12 hex digits, either case. */
static int
valid_guid (const char *s)
{
  static const int groups[] = { 8, 4, 4, 4, 12 };

  for (size_t g = 0; g < 5; ++g) {
    for (int i = 0; i < groups[g]; ++i, ++s)
      if (!isxdigit ((unsigned char) *s))
        return 0;
    if (*s != (g < 4 ? '-' : '\0'))
      return 0;
    s += g < 4;
  }
  return 1;
}

static int
check_guid (const char *guid)
{
  if (!valid_guid (guid))
    return reply_with_error_errno (EINVAL, "%s: not a GUID (expected "
                                   "8-4-4-4-12 hexadecimal digits)", guid);
  return 0;
}

int
do_part_del (const char *device, int partnum)
{
  struct table_info t;
  char n[16];
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "--delete",
    (char *) device, num (n, partnum), NULL
  };

  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                   partnum);
  if (read_table_info (device, partnum, &t) == -1)
    return -1;
  return run_sfdisk (device, NULL, argv);
}

int
do_part_resize (const char *device, int partnum, int64_t endsect)
{
  struct table_info t;
  char n[16], script[96];
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "-N",
    num (n, partnum), (char *) device, NULL
  };

  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                   partnum);
  if (read_table_info (device, partnum, &t) == -1)
    return -1;
  if (endsect < 0) {
    /* Counts back from the end of the disk: -1 is the last sector. */
    CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
    uint64_t bytes;

    if (fd == -1 || ioctl (fd, BLKGETSIZE64, &bytes) == -1)
      return reply_with_perror ("%s", device);
    endsect += (int64_t) (bytes / 512);
  }
  if (endsect < t.start)
    return reply_with_error_errno (EINVAL, "%s: partition %d starts at "
                                   "sector %" PRIi64 ", after sector %"
                                   PRIi64, device, partnum, t.start, endsect);
  snprintf (script, sizeof script, "start=%" PRIi64 ", size=%" PRIi64 "\n",
            t.start, endsect - t.start + 1);
  return run_sfdisk (device, script, argv);
}

int
do_part_expand_gpt (const char *device)
{
  struct table_info t;
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "--relocate",
    "gpt-bak-std", (char *) device, NULL
  };

  if (check_gpt (device, 0, &t) == -1)
    return -1;
  return run_sfdisk (device, NULL, argv);
}

int
do_part_set_bootable (const char *device, int partnum, int bootable)
{
  struct table_info t;
  char n[16];
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "-N",
    num (n, partnum), (char *) device, NULL
  };

  if (partnum <= 0)
    return reply_with_error_errno (EINVAL, "%s: no partition %d", device,
                                   partnum);
  if (read_table_info (device, partnum, &t) == -1)
    return -1;
  if (strcmp (t.type, "gpt") == 0) {
    /* An EFI system partition is what makes a GPT partition bootable
     * (part_get_bootable). */
    if (bootable)
      return set_part_field (device, "--part-type", partnum, ESP_GUID);
    if (strcasecmp (t.parttype, ESP_GUID) == 0)
      return set_part_field (device, "--part-type", partnum, LINUX_DATA_GUID);
    return 0;
  }
  if (strcmp (t.type, "dos") != 0)
    return reply_with_error_errno (EINVAL, "%s: a %s partition table has no "
                                   "bootable flag", device, t.type);
  /* The fourth field of a script line: "*" active, "-" not. */
  return run_sfdisk (device, bootable ? ",,,*\n" : ",,,-\n", argv);
}

int
do_part_set_mbr_id (const char *device, int partnum, int idbyte)
{
  struct table_info t;
  char hex[8];

  if (idbyte < 0 || idbyte > 255)
    return reply_with_error_errno (EINVAL, "%d: an MBR type byte is 0 to "
                                   "255", idbyte);
  if (read_mbr (device, partnum, &t) == -1)
    return -1;
  snprintf (hex, sizeof hex, "%x", (unsigned) idbyte);
  return set_part_field (device, "--part-type", partnum, hex);
}

int
do_part_set_name (const char *device, int partnum, const char *name)
{
  struct table_info t;

  if (read_gpt (device, partnum, &t) == -1)
    return -1;
  return set_part_field (device, "--part-label", partnum, name);
}

int
do_part_set_gpt_type (const char *device, int partnum, const char *guid)
{
  struct table_info t;

  if (check_guid (guid) == -1 || read_gpt (device, partnum, &t) == -1)
    return -1;
  return set_part_field (device, "--part-type", partnum, guid);
}

int
do_part_set_gpt_guid (const char *device, int partnum, const char *guid)
{
  struct table_info t;

  if (check_guid (guid) == -1 || read_gpt (device, partnum, &t) == -1)
    return -1;
  return set_part_field (device, "--part-uuid", partnum, guid);
}

int
do_part_set_gpt_attributes (const char *device, int partnum,
                            int64_t attributes)
{
  static const char *const named[] = {
    "RequiredPartition", "NoBlockIOProtocol", "LegacyBIOSBootable"
  };
  uint64_t bits = (uint64_t) attributes;
  struct table_info t;
  char list[400] = "";
  size_t len = 0;

  if (bits & UINT64_C (0x0000fffffffffff8))
    return reply_with_error_errno (EINVAL, "0x%" PRIx64 ": bits 3 to 47 of "
                                   "the attributes are reserved", bits);
  if (read_gpt (device, partnum, &t) == -1)
    return -1;
  /* sfdisk's list: the names of bits 0 to 2, "GUID:N" for 48 to 63. */
  for (int b = 0; b < 64; ++b) {
    if (!(bits & (UINT64_C (1) << b)))
      continue;
    if (b < 3)
      len += (size_t) snprintf (list + len, sizeof list - len, "%s%s",
                                len ? "," : "", named[b]);
    else
      len += (size_t) snprintf (list + len, sizeof list - len, "%sGUID:%d",
                                len ? "," : "", b);
  }
  return set_part_field (device, "--part-attrs", partnum, list);
}

static int
set_disk_guid (const char *device, const char *guid)
{
  struct table_info t;
  char *const argv[] = {
    "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "--disk-id",
    (char *) device, (char *) guid, NULL
  };

  if (check_guid (guid) == -1 || check_gpt (device, 0, &t) == -1)
    return -1;
  return run_sfdisk (device, NULL, argv);
}

int
do_part_set_disk_guid (const char *device, const char *guid)
{
  return set_disk_guid (device, guid);
}

int
do_part_set_disk_guid_random (const char *device)
{
  unsigned char b[16];
  char guid[40];

  if (getrandom (b, sizeof b, 0) != (ssize_t) sizeof b)
    return reply_with_perror ("getrandom");
  b[6] = (unsigned char) ((b[6] & 0x0f) | 0x40);     /* version 4 */
  b[8] = (unsigned char) ((b[8] & 0x3f) | 0x80);     /* RFC 4122 variant */
  snprintf (guid, sizeof guid,
            "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-"
            "%02X%02X%02X%02X%02X%02X",
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
            b[10], b[11], b[12], b[13], b[14], b[15]);
  return set_disk_guid (device, guid);
}
