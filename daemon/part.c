/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partition tables.  Tables are written by sfdisk, which takes its script
 * on standard input, and read back through libblkid's partition probing,
 * which needs no program and no parsing of tool output.  Sectors in the
 * API are 512 bytes, as in libblkid and sfdisk's scripts. */

#include <config.h>

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define SECTOR 512

/* sfdisk's label name for an API table type, or NULL. */
static const char *
label_of (const char *parttype)
{
  if (strcmp (parttype, "msdos") == 0 || strcmp (parttype, "mbr") == 0 ||
      strcmp (parttype, "dos") == 0)
    return "dos";
  if (strcmp (parttype, "gpt") == 0 || strcmp (parttype, "efi") == 0)
    return "gpt";
  return NULL;
}

/* Feeds script to sfdisk on device, appending or replacing the table.
 * 0, or -1 (replied).  The kernel is told afterwards, by settle(), which
 * avoids sfdisk's fixed 250 ms pause before it rereads the table. */
static int
sfdisk (const char *device, const char *script, int append)
{
  char *const argv_new[] = {
    "sfdisk", "--quiet", "--wipe", "always", "--no-reread",
    "--no-tell-kernel", (char *) device, NULL
  };
  char *const argv_append[] = {
    "sfdisk", "--quiet", "--append", "--no-reread", "--no-tell-kernel",
    (char *) device, NULL
  };
  CLEANUP_FREE char *err = NULL;
  int r;

  debug ("sfdisk%s %s, script:\n%s", append ? " --append" : "", device,
         script);
  r = run_command_input (NULL, &err, script, append ? argv_append : argv_new);
  if (r != 0)
    return reply_command_error (device, append ? argv_append : argv_new, r, err);
  return 0;
}

/* Erases every signature libblkid finds on the disk itself (partition
 * tables, including the backup GPT at the end of the disk, which sfdisk
 * leaves behind when it writes an MBR over a GPT disk, and filesystems),
 * in process as wipefs would.  The exclusive open fails while the disk
 * or one of its partitions is mounted or used by LVM: a new table is
 * refused then, as the kernel could not take it.  0, or -1 (replied). */
static int
wipe_signatures (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDWR | O_EXCL | O_CLOEXEC);
  blkid_probe pr = NULL;
  int r = 0;

  if (fd == -1 && errno == EBUSY)
    return reply_with_error_errno (EBUSY, "%s: the disk is in use (a "
                                   "filesystem on it is mounted, or a "
                                   "volume group is active)", device);
  if (fd == -1 || (pr = blkid_new_probe ()) == NULL ||
      blkid_probe_set_device (pr, fd, 0, 0) == -1) {
    reply_with_perror ("%s", device);
    blkid_free_probe (pr);
    return -1;
  }
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_MAGIC |
                                     BLKID_SUBLKS_BADCSUM);
  blkid_probe_enable_partitions (pr, 1);
  blkid_probe_set_partitions_flags (pr, BLKID_PARTS_MAGIC |
                                    BLKID_PARTS_FORCE_GPT);
  while (r == 0 && blkid_do_probe (pr) == 0)
    if (blkid_do_wipe (pr, 0) != 0)
      r = reply_with_perror ("%s: erasing old signatures", device);
  blkid_free_probe (pr);
  if (r == 0 && fsync (fd) == -1)
    r = reply_with_perror ("%s", device);
  return r;
}

/* /dev/vda + 3 -> /dev/vda3; /dev/loop0 + 3 -> /dev/loop0p3. */
static void
part_node (const char *device, int num, char *buf, size_t n)
{
  size_t len = strlen (device);
  int digit = len > 0 && device[len - 1] >= '0' && device[len - 1] <= '9';

  snprintf (buf, n, "%s%s%d", device, digit ? "p" : "", num);
}

/* Opens a probe of device's partitions; NULL (replied) on failure. */
static blkid_probe
probe_partitions (const char *device, blkid_partlist *ls)
{
  blkid_probe pr = blkid_new_probe_from_filename (device);

  if (pr == NULL) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  *ls = blkid_probe_get_partitions (pr);
  if (*ls == NULL || blkid_partlist_get_table (*ls) == NULL) {
    blkid_free_probe (pr);
    reply_with_error_errno (EINVAL, "%s: no partition table found", device);
    return NULL;
  }
  return pr;
}

static int
node_exists (const char *device, int num)
{
  char node[300];
  struct stat st;

  part_node (device, num, node, sizeof node);
  return stat (node, &st) == 0;
}

/* Waits up to tries * 50 ms for a node of every partition; 1 if all are
 * there. */
static int
wait_nodes (const char *device, blkid_partlist ls, int tries)
{
  int n = blkid_partlist_numof_partitions (ls);

  for (int t = 0; t < tries; ++t) {
    int missing = 0;

    for (int i = 0; i < n && !missing; ++i) {
      blkid_partition p = blkid_partlist_get_partition (ls, i);
      missing = !node_exists (device, blkid_partition_get_partno (p));
    }
    if (!missing)
      return 1;
    usleep (50000);
  }
  return 0;
}

/* BLKRRPART fails while a partition of the disk is in use (mounted);
 * partitions still unknown to the kernel are then added one by one. */
static void
add_missing (const char *device, blkid_partlist ls)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);

  for (int i = 0; fd >= 0 && i < blkid_partlist_numof_partitions (ls); ++i) {
    blkid_partition p = blkid_partlist_get_partition (ls, i);
    int num = blkid_partition_get_partno (p);
    /* The kernel gives an extended partition's node 2 sectors only, so
     * that it does not overlap the logical partitions inside. */
    struct blkpg_partition part = {
      .start = (long long) blkid_partition_get_start (p) * SECTOR,
      .length = blkid_partition_is_extended (p) ? 2 * SECTOR :
        (long long) blkid_partition_get_size (p) * SECTOR,
      .pno = num,
    };
    struct blkpg_ioctl_arg arg = {
      .op = BLKPG_ADD_PARTITION, .datalen = sizeof part, .data = &part,
    };

    if (!node_exists (device, num) && ioctl (fd, BLKPG, &arg) == -1)
      debug ("%s: BLKPG add partition %d: %m", device, num);
  }
}

/* The kernel's view catches up with the table on the disk, and devtmpfs
 * shows a node for every partition (up to about 2 s). */
static void
settle (const char *device)
{
  blkid_probe pr;
  blkid_partlist ls;

  reread_partitions (device);
  pr = blkid_new_probe_from_filename (device);
  if (pr == NULL)
    return;
  ls = blkid_probe_get_partitions (pr);
  if (ls && !wait_nodes (device, ls, 10)) {
    add_missing (device, ls);
    wait_nodes (device, ls, 30);
  }
  blkid_free_probe (pr);
}

static int
init_table (const char *device, const char *parttype, const char *rest)
{
  const char *label = label_of (parttype);
  CLEANUP_FREE char *script = NULL;
  int r;

  if (label == NULL)
    return reply_with_error_errno (EINVAL, "%s: unknown partition table type "
                                   "(use \"msdos\" or \"gpt\")", parttype);
  /* GPT: first usable sector 34 as parted makes it, so partitions can
   * start below 2048 (sfdisk's default) as they can on an MBR disk. */
  if (asprintf (&script, "label: %s\n%s%s", label,
                strcmp (label, "gpt") == 0 ? "first-lba: 34\n" : "",
                rest) == -1)
    return reply_with_perror ("%s", device);
  if (wipe_signatures (device) == -1)
    return -1;
  r = sfdisk (device, script, 0);
  settle (device);
  return r;
}

int
do_part_init (const char *device, const char *parttype)
{
  return init_table (device, parttype, "");
}

int
do_part_disk (const char *device, const char *parttype)
{
  /* One partition from 1 MiB to the end, size rounded down to whole
   * MiB by sfdisk (within the last usable sector for GPT). */
  return init_table (device, parttype, "start=2048\n");
}

/* Where an msdos table's extended partition lies; start 0 when none. */
struct extended {
  uint64_t start, end;
};

/* Table type ("dos", "gpt" ...) of device in type (at least 16 bytes),
 * and its extended partition.  0, or -1 (replied). */
static int
read_table (const char *device, char *type, struct extended *ext)
{
  blkid_partlist ls;
  blkid_probe pr = probe_partitions (device, &ls);
  const char *t;

  if (pr == NULL)
    return -1;
  t = blkid_parttable_get_type (blkid_partlist_get_table (ls));
  snprintf (type, 16, "%s", t ? t : "");
  *ext = (struct extended) { 0, 0 };
  for (int i = 0; i < blkid_partlist_numof_partitions (ls); ++i) {
    blkid_partition p = blkid_partlist_get_partition (ls, i);
    blkid_loff_t s = blkid_partition_get_start (p);
    blkid_loff_t n = blkid_partition_get_size (p);

    if (blkid_partition_is_extended (p) && s > 0 && n > 0)
      *ext = (struct extended) { (uint64_t) s, (uint64_t) (s + n - 1) };
  }
  blkid_free_probe (pr);
  return 0;
}

/* 'p', 'l' or 'e' for the prlogex argument, 0 if invalid. */
static char
kind_of (const char *prlogex)
{
  if (strcmp (prlogex, "p") == 0 || strcmp (prlogex, "primary") == 0)
    return 'p';
  if (strcmp (prlogex, "l") == 0 || strcmp (prlogex, "logical") == 0)
    return 'l';
  if (strcmp (prlogex, "e") == 0 || strcmp (prlogex, "extended") == 0)
    return 'e';
  return 0;
}

/* sfdisk decides by position whether a new MBR partition is primary or
 * logical: check the position agrees with what was asked for. */
static int
check_kind (const char *device, const char *type, char kind,
            const struct extended *ext, uint64_t start)
{
  int inside = ext->start && start >= ext->start && start <= ext->end;

  if (strcmp (type, "dos") != 0) {
    if (kind != 'p')
      return reply_with_error_errno (EINVAL, "%s: logical and extended "
                                     "partitions exist only in msdos "
                                     "tables", device);
    return 0;
  }
  if (kind == 'l' && ext->start == 0)
    return reply_with_error_errno (EINVAL, "%s: no extended partition to "
                                   "hold a logical one", device);
  if (kind == 'l' && !inside)
    return reply_with_error_errno (EINVAL, "%s: sector %" PRIu64 " is outside "
                                   "the extended partition", device, start);
  if (kind != 'l' && inside)
    return reply_with_error_errno (EINVAL, "%s: sector %" PRIu64 " is inside "
                                   "the extended partition", device, start);
  if (kind == 'e' && ext->start)
    return reply_with_error_errno (EEXIST, "%s: there is already an "
                                   "extended partition", device);
  return 0;
}

/* Size of device in sectors, or -1 (replied). */
static int64_t
device_sectors (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  uint64_t size;

  if (fd == -1 || ioctl (fd, BLKGETSIZE64, &size) == -1)
    return reply_with_perror ("%s", device);
  return (int64_t) (size / SECTOR);
}

int
do_part_add (const char *device, const char *prlogex, int64_t startsect,
             int64_t endsect)
{
  char kind = kind_of (prlogex), type[16], script[128];
  struct extended ext;

  if (kind == 0)
    return reply_with_error_errno (EINVAL, "%s: unknown partition kind "
                                   "(use \"p\", \"l\" or \"e\")", prlogex);
  if (endsect < 0) {
    /* Counts back from the end of the disk: -1 is the last sector. */
    int64_t total = device_sectors (device);
    if (total == -1)
      return -1;
    endsect += total;
  }
  if (startsect < 0 || endsect < startsect || endsect >= INT64_MAX / SECTOR)
    return reply_with_error_errno (EINVAL, "%s: invalid sector range "
                                   "%" PRIi64 "-%" PRIi64, device, startsect,
                                   endsect);
  if (read_table (device, type, &ext) == -1 ||
      check_kind (device, type, kind, &ext, (uint64_t) startsect) == -1)
    return -1;
  snprintf (script, sizeof script, "start=%" PRIi64 ", size=%" PRIi64 "%s\n",
            startsect, endsect - startsect + 1, kind == 'e' ? ", type=5" : "");
  if (sfdisk (device, script, 1) == -1)
    return -1;
  settle (device);
  return 0;
}

/* Bytes from libblkid's 512-byte sectors; the values come from the
 * guest's table, so refuse what does not fit. */
static int
fill_partition (blkid_partition p, struct drydock_partition *out)
{
  blkid_loff_t start = blkid_partition_get_start (p);
  blkid_loff_t size = blkid_partition_get_size (p);

  if (start < 0 || size < 0 || start > INT64_MAX / SECTOR ||
      size > INT64_MAX / SECTOR - start)
    return -1;
  out->part_num = blkid_partition_get_partno (p);
  out->part_start = (uint64_t) start * SECTOR;
  out->part_size = (uint64_t) size * SECTOR;
  out->part_end = out->part_start + (size ? out->part_size - 1 : 0);
  return 0;
}

static int
compare_num (const void *a, const void *b)
{
  const struct drydock_partition *x = a, *y = b;

  return (x->part_num > y->part_num) - (x->part_num < y->part_num);
}

static struct drydock_partition_list *
make_list (const char *device, blkid_partlist ls)
{
  int n = blkid_partlist_numof_partitions (ls);
  struct drydock_partition_list *r = calloc (1, sizeof *r);

  if (r == NULL || n < 0 ||
      (n > 0 && (r->val = calloc ((size_t) n, sizeof *r->val)) == NULL)) {
    reply_with_perror ("%s", device);
    free (r);
    return NULL;
  }
  for (int i = 0; i < n; ++i)
    if (fill_partition (blkid_partlist_get_partition (ls, i),
                        &r->val[r->len++]) == -1) {
      reply_with_error_errno (EINVAL, "%s: partition %d has an invalid "
                              "start or size", device, i + 1);
      free (r->val);
      free (r);
      return NULL;
    }
  qsort (r->val, r->len, sizeof *r->val, compare_num);
  return r;
}

struct drydock_partition_list *
do_part_list (const char *device)
{
  blkid_partlist ls;
  blkid_probe pr = probe_partitions (device, &ls);
  struct drydock_partition_list *r;

  if (pr == NULL)
    return NULL;
  r = make_list (device, ls);
  blkid_free_probe (pr);
  return r;
}

char *
do_part_get_parttype (const char *device)
{
  blkid_partlist ls;
  blkid_probe pr = probe_partitions (device, &ls);
  const char *t;
  char *r;

  if (pr == NULL)
    return NULL;
  t = blkid_parttable_get_type (blkid_partlist_get_table (ls));
  if (t == NULL)
    t = "unknown";
  else if (strcmp (t, "dos") == 0)
    t = "msdos";
  r = strdup (t);
  if (r == NULL)
    reply_with_perror ("%s", device);
  blkid_free_probe (pr);
  return r;
}

int
do_part_get_mbr_id (const char *device, int partnum)
{
  blkid_partlist ls;
  blkid_probe pr = probe_partitions (device, &ls);
  blkid_partition p;
  const char *t;
  int r = -1;

  if (pr == NULL)
    return -1;
  t = blkid_parttable_get_type (blkid_partlist_get_table (ls));
  p = blkid_partlist_get_partition_by_partno (ls, partnum);
  if (t == NULL || strcmp (t, "dos") != 0)
    reply_with_error_errno (EINVAL, "%s: not an MBR partition table (%s)",
                            device, t ? t : "unknown");
  else if (p == NULL)
    reply_with_error_errno (EINVAL, "%s: no partition %d", device, partnum);
  else
    r = blkid_partition_get_type (p) & 0xff;
  blkid_free_probe (pr);
  return r;
}

/* For the setters of part-set.c. */
void
part_settle (const char *device)
{
  settle (device);
}
