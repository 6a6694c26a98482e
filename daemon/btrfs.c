/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs: making filesystems, subvolumes and snapshots, the filesystem
 * (sync, balance, resize, defragment, show), its devices, and the
 * subvolumes list_filesystems lists.  The rest (btrfstune, check,
 * balance and scrub control, quotas, rescue, images) is in
 * btrfs-admin.c; what the programs print is parsed by btrfs-parse.c. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs.h"
#include "btrfs-parse.h"

static int
check_profile (const char *what, const char *p)
{
  static const char *const ok[] = {
    "single", "dup", "raid0", "raid1", "raid1c3", "raid1c4", "raid5",
    "raid6", "raid10", NULL
  };

  for (size_t i = 0; ok[i]; ++i)
    if (strcmp (p, ok[i]) == 0)
      return 0;
  return reply_with_error_errno (EINVAL, "%s \"%s\": not a btrfs profile "
                                 "(single, dup, raid0, raid1, raid1c3, "
                                 "raid1c4, raid5, raid6, raid10)", what, p);
}

int
do_mkfs_btrfs (char *const *devices, uint64_t optmask, int64_t allocstart,
               int64_t bytecount, const char *datatype, int leafsize,
               const char *label, const char *metadata, int nodesize,
               int sectorsize)
{
  CLEANUP_FREE_STRING_LIST char **devs = NULL;
  struct strlist argv = STRLIST_INIT;
  int oom = 0, r;

  (void) allocstart;
  if (devices == NULL || devices[0] == NULL)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: no devices");
  if (optmask & OPT_MKFS_BTRFS_ALLOCSTART)
    return reply_with_error_errno (ENOTSUP, "mkfs_btrfs: allocstart: "
                                   "mkfs.btrfs no longer has -A");
  if ((optmask & OPT_MKFS_BTRFS_BYTECOUNT) && bytecount <= 0)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: bytecount must be "
                                   "positive");
  if ((optmask & OPT_MKFS_BTRFS_LEAFSIZE) && leafsize <= 0)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: leafsize must be "
                                   "positive");
  if ((optmask & OPT_MKFS_BTRFS_NODESIZE) && nodesize <= 0)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: nodesize must be "
                                   "positive");
  if ((optmask & OPT_MKFS_BTRFS_SECTORSIZE) && sectorsize <= 0)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: sectorsize must be "
                                   "positive");
  if ((optmask & OPT_MKFS_BTRFS_LEAFSIZE) &&
      (optmask & OPT_MKFS_BTRFS_NODESIZE) && leafsize != nodesize)
    return reply_with_error_errno (EINVAL, "mkfs_btrfs: leafsize %d and "
                                   "nodesize %d differ (leafsize is the "
                                   "old name of nodesize)", leafsize,
                                   nodesize);
  if ((optmask & OPT_MKFS_BTRFS_DATATYPE) &&
      check_profile ("datatype", datatype) == -1)
    return -1;
  if ((optmask & OPT_MKFS_BTRFS_METADATA) &&
      check_profile ("metadata", metadata) == -1)
    return -1;
  if (need_btrfs () == -1 ||
      (devs = resolve_devices ("mkfs_btrfs", devices)) == NULL)
    return -1;
  add_arg (&argv, &oom, "mkfs.btrfs");
  add_arg (&argv, &oom, "-f");
  if (optmask & OPT_MKFS_BTRFS_BYTECOUNT)
    add_argf (&argv, &oom, "--byte-count=%" PRId64, bytecount);
  if (optmask & OPT_MKFS_BTRFS_DATATYPE) {
    add_arg (&argv, &oom, "--data");
    add_arg (&argv, &oom, datatype);
  }
  if (optmask & OPT_MKFS_BTRFS_LABEL) {
    add_arg (&argv, &oom, "--label");
    add_arg (&argv, &oom, label);
  }
  if (optmask & OPT_MKFS_BTRFS_METADATA) {
    add_arg (&argv, &oom, "--metadata");
    add_arg (&argv, &oom, metadata);
  }
  if (optmask & (OPT_MKFS_BTRFS_NODESIZE | OPT_MKFS_BTRFS_LEAFSIZE))
    add_argf (&argv, &oom, "--nodesize=%" PRId64,
          (int64_t) ((optmask & OPT_MKFS_BTRFS_NODESIZE) ? nodesize
                     : leafsize));
  if (optmask & OPT_MKFS_BTRFS_SECTORSIZE)
    add_argf (&argv, &oom, "--sectorsize=%" PRId64, (int64_t) sectorsize);
  for (size_t i = 0; devs[i]; ++i)
    add_arg (&argv, &oom, devs[i]);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("mkfs_btrfs");
  }
  r = run_btrfs (devices[0], NULL, argv.v);
  strlist_free (&argv);
  return r;
}

int
do_btrfs_subvolume_create (const char *dest, uint64_t optmask,
                           const char *qgroupid)
{
  CLEANUP_FREE char *path = NULL;
  struct strlist argv = STRLIST_INIT;
  int oom = 0, r;

  if ((optmask & OPT_BTRFS_SUBVOLUME_CREATE_QGROUPID) &&
      check_qgroupid (qgroupid) == -1)
    return -1;
  if ((path = new_path (dest, 1, 0)) == NULL)
    return -1;
  add_arg (&argv, &oom, "btrfs");
  add_arg (&argv, &oom, "subvolume");
  add_arg (&argv, &oom, "create");
  if (optmask & OPT_BTRFS_SUBVOLUME_CREATE_QGROUPID) {
    add_arg (&argv, &oom, "-i");
    add_arg (&argv, &oom, qgroupid);
  }
  add_arg (&argv, &oom, path);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_subvolume_create");
  }
  r = run_btrfs (dest, NULL, argv.v);
  strlist_free (&argv);
  return r;
}

/* The ID of the subvolume holding the directory path (an appliance
 * path), or -1 with errno. */
static int64_t
subvolume_id (const char *path)
{
  struct btrfs_ioctl_ino_lookup_args args = {
    .treeid = 0, .objectid = BTRFS_FIRST_FREE_OBJECTID,
  };
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int r;

  if (fd == -1)
    return -1;
  r = ioctl (fd, BTRFS_IOC_INO_LOOKUP, &args);
  close (fd);
  return r == -1 ? -1 : (int64_t) args.treeid;
}

int
do_btrfs_subvolume_delete (const char *subvolume)
{
  CLEANUP_FREE char *path = btrfs_path (subvolume);
  struct stat st;

  if (path == NULL)
    return -1;
  /* The root directory of every subvolume has inode 256. */
  if (lstat (path, &st) == -1)
    return reply_with_perror ("%s", subvolume);
  if (!S_ISDIR (st.st_mode) || st.st_ino != BTRFS_FIRST_FREE_OBJECTID)
    return reply_with_error_errno (EINVAL, "%s: not a btrfs subvolume",
                                   subvolume);
  if (subvolume_id (path) == BTRFS_FS_TREE_OBJECTID)
    return reply_with_error_errno (EINVAL, "%s: the top level of a btrfs "
                                   "filesystem cannot be deleted",
                                   subvolume);
  {
    char *const argv[] = { "btrfs", "subvolume", "delete", path, NULL };
    return run_btrfs (subvolume, NULL, argv);
  }
}

int
do_btrfs_subvolume_snapshot (const char *source, const char *dest,
                             uint64_t optmask, int ro, const char *qgroupid)
{
  CLEANUP_FREE char *src = NULL;
  CLEANUP_FREE char *dst = NULL;
  struct strlist argv = STRLIST_INIT;
  int oom = 0, r;

  if ((optmask & OPT_BTRFS_SUBVOLUME_SNAPSHOT_QGROUPID) &&
      check_qgroupid (qgroupid) == -1)
    return -1;
  if ((src = btrfs_path (source)) == NULL ||
      (dst = new_path (dest, 1, 0)) == NULL)
    return -1;
  add_arg (&argv, &oom, "btrfs");
  add_arg (&argv, &oom, "subvolume");
  add_arg (&argv, &oom, "snapshot");
  if ((optmask & OPT_BTRFS_SUBVOLUME_SNAPSHOT_RO) && ro)
    add_arg (&argv, &oom, "-r");
  if (optmask & OPT_BTRFS_SUBVOLUME_SNAPSHOT_QGROUPID) {
    add_arg (&argv, &oom, "-i");
    add_arg (&argv, &oom, qgroupid);
  }
  add_arg (&argv, &oom, src);
  add_arg (&argv, &oom, dst);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_subvolume_snapshot");
  }
  r = run_btrfs (source, NULL, argv.v);
  strlist_free (&argv);
  return r;
}

struct drydock_btrfssubvolume_list *
do_btrfs_subvolume_list (const char *fs)
{
  struct fs_at f;
  CLEANUP_FREE char *out = NULL;
  struct drydock_btrfssubvolume_list *r = NULL;

  if (fs_at_open (&f, fs) == -1)
    return NULL;
  {
    char *const argv[] = { "btrfs", "subvolume", "list", f.path, NULL };

    if (run_btrfs (fs, &out, argv) == 0 &&
        (r = parse_subvolume_list (out)) == NULL)
      reply_with_error_errno (errno == ENOMEM ? ENOMEM : EINVAL,
                              "%s: cannot parse what btrfs subvolume list "
                              "printed", fs);
  }
  fs_at_close (&f);
  return r;
}

int
do_btrfs_subvolume_set_default (int64_t id, const char *fs)
{
  CLEANUP_FREE char *path = btrfs_path (fs);
  char idbuf[32];

  if (path == NULL)
    return -1;
  if (id < 0)
    return reply_with_error_errno (EINVAL, "%" PRId64 ": not a subvolume "
                                   "ID", id);
  snprintf (idbuf, sizeof idbuf, "%" PRId64, id);
  {
    char *const argv[] = {
      "btrfs", "subvolume", "set-default", idbuf, path, NULL
    };
    return run_btrfs (fs, NULL, argv);
  }
}

int64_t
do_btrfs_subvolume_get_default (const char *fs)
{
  struct fs_at f;
  CLEANUP_FREE char *out = NULL;
  int64_t r = -1;

  if (fs_at_open (&f, fs) == -1)
    return -1;
  {
    char *const argv[] = {
      "btrfs", "subvolume", "get-default", f.path, NULL
    };

    if (run_btrfs (fs, &out, argv) == 0 &&
        (r = parse_get_default (out)) == -1)
      reply_with_error_errno (EINVAL, "%s: cannot parse what btrfs subvolume "
                              "get-default printed", fs);
  }
  fs_at_close (&f);
  return r;
}

char **
do_btrfs_subvolume_show (const char *subvolume)
{
  CLEANUP_FREE char *path = btrfs_path (subvolume);
  CLEANUP_FREE char *out = NULL;
  struct stat st;
  char **r;

  if (path == NULL)
    return NULL;
  /* The root directory of every subvolume has inode 256. */
  if (stat (path, &st) == -1) {
    reply_with_perror ("%s", subvolume);
    return NULL;
  }
  if (!S_ISDIR (st.st_mode) || st.st_ino != BTRFS_FIRST_FREE_OBJECTID) {
    reply_with_error_errno (EINVAL, "%s: not a btrfs subvolume", subvolume);
    return NULL;
  }
  {
    char *const argv[] = { "btrfs", "subvolume", "show", path, NULL };

    if (run_btrfs (subvolume, &out, argv) == -1)
      return NULL;
  }
  if ((r = parse_subvolume_show (out)) == NULL)
    reply_with_perror ("%s", subvolume);
  return r;
}

int
do_btrfs_filesystem_sync (const char *fs)
{
  return btrfs_on_path (fs, "filesystem", "sync", NULL);
}

int
do_btrfs_filesystem_balance (const char *fs)
{
  return btrfs_on_path (fs, "balance", "start", "--full-balance");
}

int
do_btrfs_filesystem_resize (const char *mountpoint, uint64_t optmask,
                            int64_t size)
{
  CLEANUP_FREE char *path = NULL;
  char sz[32];

  if ((optmask & OPT_BTRFS_FILESYSTEM_RESIZE_SIZE) && size <= 0)
    return reply_with_error_errno (EINVAL, "btrfs_filesystem_resize: size "
                                   "must be positive");
  if ((path = btrfs_path (mountpoint)) == NULL)
    return -1;
  if (optmask & OPT_BTRFS_FILESYSTEM_RESIZE_SIZE)
    snprintf (sz, sizeof sz, "%" PRId64, size);
  else
    snprintf (sz, sizeof sz, "max");
  {
    char *const argv[] = {
      "btrfs", "filesystem", "resize", sz, path, NULL
    };
    return run_btrfs (mountpoint, NULL, argv);
  }
}

int
do_btrfs_filesystem_defragment (const char *path, uint64_t optmask,
                                int flush, const char *compress)
{
  CLEANUP_FREE char *p = NULL;
  struct strlist argv = STRLIST_INIT;
  struct stat st;
  int c = (optmask & OPT_BTRFS_FILESYSTEM_DEFRAGMENT_COMPRESS) != 0;
  int oom = 0, r;

  if (c && strcmp (compress, "zlib") != 0 && strcmp (compress, "lzo") != 0 &&
      strcmp (compress, "zstd") != 0)
    return reply_with_error_errno (EINVAL, "compress \"%s\": not zlib, lzo "
                                   "or zstd", compress);
  if ((p = btrfs_path (path)) == NULL)
    return -1;
  if (lstat (p, &st) == -1)
    return reply_with_perror ("%s", path);
  add_arg (&argv, &oom, "btrfs");
  add_arg (&argv, &oom, "filesystem");
  add_arg (&argv, &oom, "defragment");
  if (S_ISDIR (st.st_mode))
    add_arg (&argv, &oom, "-r");
  if ((optmask & OPT_BTRFS_FILESYSTEM_DEFRAGMENT_FLUSH) && flush)
    add_arg (&argv, &oom, "-f");
  if (c && strlist_addf (&argv, "-c%s", compress) == -1)
    oom = 1;
  add_arg (&argv, &oom, p);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_filesystem_defragment");
  }
  r = run_btrfs (path, NULL, argv.v);
  strlist_free (&argv);
  return r;
}

char **
do_btrfs_filesystem_show (const char *device)
{
  CLEANUP_FREE char *out = NULL;
  char **r;
  int missing = 0;

  if (need_btrfs () == -1)
    return NULL;
  {
    char *const argv[] = {
      "btrfs", "filesystem", "show", (char *) device, NULL
    };
    if (run_btrfs (device, &out, argv) == -1)
      return NULL;
  }
  if ((r = parse_filesystem_show (out, &missing)) == NULL) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  if (missing) {
    free_string_list (r);
    reply_with_error_errno (ENODEV, "%s: some devices of the btrfs "
                            "filesystem are missing", device);
    return NULL;
  }
  if (r[0] == NULL) {
    free_string_list (r);
    reply_with_error_errno (EINVAL, "%s: btrfs filesystem show listed no "
                            "device", device);
    return NULL;
  }
  return r;
}

/* btrfs device add|delete DEVICES FS. */
static int
device_op (const char *action, const char *op, char *const *devices,
           const char *fs)
{
  CLEANUP_FREE_STRING_LIST char **devs = NULL;
  CLEANUP_FREE char *path = NULL;
  struct strlist argv = STRLIST_INIT;
  int oom = 0, r;

  if ((devs = resolve_devices (action, devices)) == NULL ||
      (path = btrfs_path (fs)) == NULL)
    return -1;
  if (devs[0] == NULL)
    return 0;
  add_arg (&argv, &oom, "btrfs");
  add_arg (&argv, &oom, "device");
  add_arg (&argv, &oom, op);
  if (strcmp (op, "add") == 0)
    add_arg (&argv, &oom, "-f");
  for (size_t i = 0; devs[i]; ++i)
    add_arg (&argv, &oom, devs[i]);
  add_arg (&argv, &oom, path);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("%s", action);
  }
  r = run_btrfs (fs, NULL, argv.v);
  strlist_free (&argv);
  return r;
}

int
do_btrfs_device_add (char *const *devices, const char *fs)
{
  return device_op ("btrfs_device_add", "add", devices, fs);
}

int
do_btrfs_device_delete (char *const *devices, const char *fs)
{
  return device_op ("btrfs_device_delete", "delete", devices, fs);
}

int
do_btrfs_replace (const char *srcdev, const char *targetdev,
                  const char *mntpoint)
{
  CLEANUP_FREE char *p = btrfs_path (mntpoint);

  if (p == NULL)
    return -1;
  {
    /* -B: it returns when the copy is done; -f: TARGETDEV may hold a
     * filesystem, it is overwritten. */
    char *const argv[] = {
      "btrfs", "replace", "start", "-B", "-f", (char *) srcdev,
      (char *) targetdev, p, NULL
    };
    return run_btrfs (srcdev, NULL, argv);
  }
}

int
btrfs_subvol_at (int topfd, const char *path, uint64_t id)
{
  struct btrfs_ioctl_ino_lookup_args a = {
    .treeid = 0, .objectid = BTRFS_FIRST_FREE_OBJECTID,
  };
  CLEANUP_CLOSE int fd = -1;
  struct stat st;

  if (*path == '\0')
    return 0;
  fd = openat2_in_root (topfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
  /* A subvolume's top directory is inode 256 of its own tree. */
  if (fd == -1 || fstat (fd, &st) == -1 ||
      st.st_ino != BTRFS_FIRST_FREE_OBJECTID ||
      ioctl (fd, BTRFS_IOC_INO_LOOKUP, &a) == -1)
    return 0;
  return a.treeid == id;
}

void
btrfs_add_subvolumes (const char *dev, struct strlist *l)
{
  char tmp[] = "/tmp/btrfsXXXXXX";
  CLEANUP_FREE char *out = NULL;
  struct drydock_btrfssubvolume_list *subs = NULL;
  char *const argv[] = { "btrfs", "subvolume", "list", tmp, NULL };

  if (!optgroup_btrfs_available () || mkdtemp (tmp) == NULL)
    return;
  /* The top level, which the listed paths are relative to, whatever
   * the default subvolume. */
  if (mount_fs (dev, tmp, "btrfs", MS_RDONLY, "subvolid=5") == -1) {
    debug ("list_filesystems: mount %s: %m", dev);
    rmdir (tmp);
    return;
  }
  if (run_command (&out, NULL, argv) == 0)
    subs = parse_subvolume_list (out);
  {
    CLEANUP_CLOSE int topfd = open (tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);

    for (uint32_t i = 0; subs && topfd >= 0 && i < subs->len; ++i) {
      if (!btrfs_subvol_at (topfd, subs->val[i].btrfssubvolume_path,
                            subs->val[i].btrfssubvolume_id)) {
        debug ("list_filesystems: %s: subvolume %" PRIu64 " left out: "
               "its listed path does not lead to it", dev,
               subs->val[i].btrfssubvolume_id);
        continue;
      }
      strlist_addf (l, "btrfsvol:%s/%s", dev,
                    subs->val[i].btrfssubvolume_path);
      strlist_add (l, "btrfs");
    }
  }
  if (umount_fs (tmp, 0) == -1)
    debug ("umount %s: %m", tmp);
  rmdir (tmp);
  for (uint32_t i = 0; subs && i < subs->len; ++i)
    free (subs->val[i].btrfssubvolume_path);
  if (subs)
    free (subs->val);
  free (subs);
}
