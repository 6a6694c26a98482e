/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Making filesystems and swap areas: mkfs and mkswap turn the optional
 * arguments into the command line of each filesystem's own mkfs
 * program.  Every program is told to overwrite what is on the device
 * (-F, -f, -I), as the caller has chosen the device. */

#include <config.h>

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

#define MAX_ARGS 24

/* A command line being built; numbers are formatted into nums. */
struct cmdline {
  char *argv[MAX_ARGS];
  size_t n;
  char nums[4][32];
  size_t n_nums;
};

static void
add (struct cmdline *c, const char *arg)
{
  if (c->n < MAX_ARGS - 1)
    c->argv[c->n++] = (char *) arg;
  c->argv[c->n] = NULL;
}

/* Appends opt, then the number after prefix ("", "size="). */
static void
add_num (struct cmdline *c, const char *opt, const char *prefix, int value)
{
  char *buf;

  if (c->n_nums >= sizeof c->nums / sizeof c->nums[0])
    return;
  buf = c->nums[c->n_nums++];
  snprintf (buf, sizeof c->nums[0], "%s%d", prefix, value);
  add (c, opt);
  add (c, buf);
}

/* Runs the command line; "DEVICE: PROGRAM: its stderr" on failure.
 * 0, or -1 (replied). */
static int
run_mkfs (const char *device, struct cmdline *c)
{
  CLEANUP_FREE char *err = NULL;
  int r = run_command (NULL, &err, c->argv);
  char *usage;

  if (r == 0)
    return 0;
  /* mkfs.xfs follows its one-line reason with 40 lines of usage, which
   * would push the reason out of sight. */
  if (err && (usage = strstr (err, "\nUsage: ")) != NULL)
    *usage = '\0';
  return reply_command_error (device, c->argv, r, err);
}

static int
is_power_of_2 (int v)
{
  return v > 0 && (v & (v - 1)) == 0;
}

static int
is_ext (const char *fstype)
{
  return strcmp (fstype, "ext2") == 0 || strcmp (fstype, "ext3") == 0 ||
         strcmp (fstype, "ext4") == 0;
}

static int
is_fat (const char *fstype)
{
  return strcmp (fstype, "vfat") == 0 || strcmp (fstype, "fat") == 0 ||
         strcmp (fstype, "msdos") == 0;
}

/* Options a filesystem type does not take are refused here, by name. */
static int
check_optargs (const char *fstype, uint64_t optmask, int blocksize, int inode,
               int sectorsize)
{
  const char *bad = NULL;

  if ((optmask & OPT_MKFS_BLOCKSIZE) && !is_power_of_2 (blocksize))
    return reply_with_error_errno (EINVAL, "block size %d: must be a power "
                                   "of 2", blocksize);
  if ((optmask & OPT_MKFS_INODE) && inode <= 0)
    return reply_with_error_errno (EINVAL, "inode size %d: must be positive",
                                   inode);
  if ((optmask & OPT_MKFS_SECTORSIZE) && !is_power_of_2 (sectorsize))
    return reply_with_error_errno (EINVAL, "sector size %d: must be a "
                                   "power of 2", sectorsize);
  if ((optmask & OPT_MKFS_FEATURES) && !is_ext (fstype))
    bad = "features";
  else if ((optmask & OPT_MKFS_INODE) && !is_ext (fstype))
    bad = "inode";
  else if ((optmask & OPT_MKFS_SECTORSIZE) &&
           strcmp (fstype, "xfs") != 0 && strcmp (fstype, "btrfs") != 0)
    bad = "sectorsize";
  else if ((optmask & OPT_MKFS_BLOCKSIZE) &&
           (strcmp (fstype, "btrfs") == 0 || strcmp (fstype, "swap") == 0 ||
            strcmp (fstype, "minix") == 0 || strcmp (fstype, "f2fs") == 0))
    bad = "blocksize";
  else if ((optmask & OPT_MKFS_LABEL) && strcmp (fstype, "minix") == 0)
    bad = "label";
  if (bad)
    return reply_with_error_errno (EINVAL, "%s: option %s cannot be set on "
                                   "this filesystem type", fstype, bad);
  return 0;
}

/* FAT has clusters of a number of sectors rather than a block size. */
static int
fat_cluster_sectors (const char *device, int blocksize)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  int ss;

  if (fd == -1 || ioctl (fd, BLKSSZGET, &ss) == -1)
    return reply_with_perror ("%s", device);
  if (ss <= 0 || blocksize / ss < 1 || blocksize / ss > 128)
    return reply_with_error_errno (EINVAL, "%s: block size %d: FAT clusters "
                                   "are 1 to 128 sectors of %d bytes",
                                   device, blocksize, ss);
  return blocksize / ss;
}

static void
ext_args (struct cmdline *c, const char *fstype, uint64_t optmask,
          int blocksize, const char *features, int inode, const char *label)
{
  add (c, "mke2fs");
  add (c, "-q");
  add (c, "-F");
  add (c, "-t");
  add (c, fstype);
  if (optmask & OPT_MKFS_BLOCKSIZE)
    add_num (c, "-b", "", blocksize);
  if (optmask & OPT_MKFS_FEATURES) {
    add (c, "-O");
    add (c, features);
  }
  if (optmask & OPT_MKFS_INODE)
    add_num (c, "-I", "", inode);
  if (optmask & OPT_MKFS_LABEL) {
    add (c, "-L");
    add (c, label);
  }
}

static void
xfs_args (struct cmdline *c, uint64_t optmask, int blocksize, int sectorsize,
          const char *label)
{
  add (c, "mkfs.xfs");
  add (c, "-q");
  add (c, "-f");
  if (optmask & OPT_MKFS_BLOCKSIZE)
    add_num (c, "-b", "size=", blocksize);
  if (optmask & OPT_MKFS_SECTORSIZE)
    add_num (c, "-s", "size=", sectorsize);
  if (optmask & OPT_MKFS_LABEL) {
    add (c, "-L");
    add (c, label);
  }
}

static int
fat_args (struct cmdline *c, const char *device, uint64_t optmask,
          int blocksize, const char *label)
{
  add (c, "mkfs.fat");
  add (c, "-I");
  if (optmask & OPT_MKFS_BLOCKSIZE) {
    int spc = fat_cluster_sectors (device, blocksize);
    if (spc == -1)
      return -1;
    add_num (c, "-s", "", spc);
  }
  if (optmask & OPT_MKFS_LABEL) {
    add (c, "-n");
    add (c, label);
  }
  return 0;
}

/* -Q: quick (no zeroing, no bad-sector scan), -F: a partition or a
 * whole disk alike. */
static void
ntfs_args (struct cmdline *c, uint64_t optmask, int blocksize,
           const char *label)
{
  add (c, "mkntfs");
  add (c, "-Q");
  add (c, "-F");
  if (optmask & OPT_MKFS_BLOCKSIZE)
    add_num (c, "-c", "", blocksize);
  if (optmask & OPT_MKFS_LABEL) {
    add (c, "-L");
    add (c, label);
  }
}

static void
other_args (struct cmdline *c, const char *fstype, uint64_t optmask,
            int sectorsize, const char *label)
{
  if (strcmp (fstype, "minix") == 0) {
    add (c, "mkfs.minix");
    add (c, "-3");
    return;
  }
  if (strcmp (fstype, "f2fs") == 0) {
    /* f2fs-tools: its label option is -l. */
    add (c, "mkfs.f2fs");
    add (c, "-q");
    add (c, "-f");
    if (optmask & OPT_MKFS_LABEL) {
      add (c, "-l");
      add (c, label);
    }
    return;
  }
  if (strcmp (fstype, "btrfs") == 0) {
    add (c, "mkfs.btrfs");
    add (c, "-q");
    add (c, "-f");
    if (optmask & OPT_MKFS_SECTORSIZE)
      add_num (c, "-s", "", sectorsize);
  }
  else {
    add (c, "mkswap");
    add (c, "-f");
  }
  if (optmask & OPT_MKFS_LABEL) {
    add (c, "-L");
    add (c, label);
  }
}

int
do_mkfs (const char *fstype, const char *device, uint64_t optmask,
         int blocksize, const char *features, int inode, int sectorsize,
         const char *label)
{
  struct cmdline c = { .n = 0 };

  if (!is_ext (fstype) && !is_fat (fstype) && strcmp (fstype, "xfs") != 0 &&
      strcmp (fstype, "btrfs") != 0 && strcmp (fstype, "swap") != 0 &&
      strcmp (fstype, "minix") != 0 && strcmp (fstype, "ntfs") != 0 &&
      strcmp (fstype, "f2fs") != 0)
    return reply_with_error_errno (EINVAL, "%s: unsupported filesystem type "
                                   "(ext2, ext3, ext4, xfs, vfat, btrfs, "
                                   "ntfs, f2fs, minix or swap)", fstype);
  if (check_optargs (fstype, optmask, blocksize, inode, sectorsize) == -1)
    return -1;
  if (is_ext (fstype))
    ext_args (&c, fstype, optmask, blocksize, features, inode, label);
  else if (strcmp (fstype, "xfs") == 0)
    xfs_args (&c, optmask, blocksize, sectorsize, label);
  else if (strcmp (fstype, "ntfs") == 0)
    ntfs_args (&c, optmask, blocksize, label);
  else if (is_fat (fstype)) {
    if (fat_args (&c, device, optmask, blocksize, label) == -1)
      return -1;
  }
  else
    other_args (&c, fstype, optmask, sectorsize, label);
  add (&c, device);
  return run_mkfs (device, &c);
}

int
do_mkswap (const char *device, uint64_t optmask, const char *label,
           const char *uuid)
{
  struct cmdline c = { .n = 0 };

  add (&c, "mkswap");
  add (&c, "-f");
  if (optmask & OPT_MKSWAP_LABEL) {
    add (&c, "-L");
    add (&c, label);
  }
  if (optmask & OPT_MKSWAP_UUID) {
    add (&c, "-U");
    add (&c, uuid);
  }
  add (&c, device);
  return run_mkfs (device, &c);
}
