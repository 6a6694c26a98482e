/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs administration: btrfstune, btrfs check, balance and scrub
 * control and status, quotas and quota groups, rescue and btrfs-image
 * (the btrfs actions of generator/actions_btrfs.py not in btrfs.c). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs.h"
#include "btrfs-parse.h"

/* btrfstune over an unmounted device: -f as the call is the
 * confirmation it would ask for. */
static int
btrfstune (const char *device, const char *opt, const char *val)
{
  if (need_btrfs () == -1)
    return -1;
  {
    char *const argv[] = {
      "btrfstune", "-f", (char *) opt, val ? (char *) val : (char *) device,
      val ? (char *) device : NULL, NULL
    };
    return run_btrfs (device, NULL, argv);
  }
}

int
do_btrfs_set_seeding (const char *device, int seeding)
{
  return btrfstune (device, "-S", seeding ? "1" : "0");
}

int
do_btrfstune_seeding (const char *device, int seeding)
{
  return btrfstune (device, "-S", seeding ? "1" : "0");
}

int
do_btrfstune_enable_extended_inode_refs (const char *device)
{
  return btrfstune (device, "-r", NULL);
}

int
do_btrfstune_enable_skinny_metadata_extent_refs (const char *device)
{
  return btrfstune (device, "-x", NULL);
}

int
do_btrfs_fsck (const char *device, uint64_t optmask, int64_t superblock,
               int repair)
{
  char sb[32];
  int s = (optmask & OPT_BTRFS_FSCK_SUPERBLOCK) != 0;
  int rep = (optmask & OPT_BTRFS_FSCK_REPAIR) && repair;

  if (s && (superblock < 0 || superblock > 2))
    return reply_with_error_errno (EINVAL, "superblock %" PRId64 ": not a "
                                   "superblock copy (0, 1 or 2)", superblock);
  if (need_btrfs () == -1)
    return -1;
  snprintf (sb, sizeof sb, "--super=%" PRId64, s ? superblock : 0);
  {
    char *const argv[] = {
      "btrfs", "check", rep ? "--repair" : "--readonly", sb,
      (char *) device, NULL
    };
    /* --repair counts 10 seconds down before it starts. */
    return run_btrfs (device, NULL, argv);
  }
}

int
do_btrfs_balance_pause (const char *path)
{
  return btrfs_on_path (path, "balance", "pause", NULL);
}

int
do_btrfs_balance_resume (const char *path)
{
  return btrfs_on_path (path, "balance", "resume", NULL);
}

int
do_btrfs_balance_cancel (const char *path)
{
  return btrfs_on_path (path, "balance", "cancel", NULL);
}

struct drydock_btrfsbalance *
do_btrfs_balance_status (const char *path)
{
  CLEANUP_FREE char *p = btrfs_path (path);
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE char *err = NULL;
  struct drydock_btrfsbalance *r;
  char *const argv[] = { "btrfs", "balance", "status", p, NULL };
  int status;

  if (p == NULL)
    return NULL;
  /* Its status is 1 while a balance runs or is paused. */
  status = run_command (&out, &err, argv);
  if (status != 0 && status != 1) {
    reply_command_error (path, argv, status, err);
    return NULL;
  }
  if ((r = calloc (1, sizeof *r)) == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (parse_balance_status (out ? out : "", r) == -1) {
    free (r);
    if (status)
      reply_command_error (path, argv, status, err);
    else
      reply_with_error_errno (EINVAL, "%s: cannot parse what btrfs balance "
                              "status printed", path);
    return NULL;
  }
  return r;
}

int
do_btrfs_scrub_start (const char *path)
{
  return btrfs_on_path (path, "scrub", "start", NULL);
}

int
do_btrfs_scrub_cancel (const char *path)
{
  return btrfs_on_path (path, "scrub", "cancel", NULL);
}

int
do_btrfs_scrub_resume (const char *path)
{
  return btrfs_on_path (path, "scrub", "resume", NULL);
}

struct drydock_btrfsscrub *
do_btrfs_scrub_status (const char *path)
{
  CLEANUP_FREE char *p = btrfs_path (path);
  CLEANUP_FREE char *out = NULL;
  struct drydock_btrfsscrub *r;

  if (p == NULL)
    return NULL;
  {
    char *const argv[] = { "btrfs", "scrub", "status", "-R", p, NULL };
    if (run_btrfs (path, &out, argv) == -1)
      return NULL;
  }
  if ((r = calloc (1, sizeof *r)) == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  parse_scrub_status (out, r);
  return r;
}

int
do_btrfs_quota_enable (const char *fs, int enable)
{
  struct fs_at f;
  int r;

  if (fs_at_open (&f, fs) == -1)
    return -1;
  {
    char *const argv[] = {
      "btrfs", "quota", enable ? "enable" : "disable", f.path, NULL
    };
    r = run_btrfs (fs, NULL, argv);
  }
  fs_at_close (&f);
  return r;
}

int
do_btrfs_quota_rescan (const char *fs)
{
  struct fs_at f;
  int r;

  if (fs_at_open (&f, fs) == -1)
    return -1;
  {
    /* -w: the counts are right when it returns. */
    char *const argv[] = {
      "btrfs", "quota", "rescan", "-w", f.path, NULL
    };
    r = run_btrfs (fs, NULL, argv);
  }
  fs_at_close (&f);
  return r;
}

/* btrfs qgroup OP QGROUPIDS... PATH. */
static int
qgroup_op (const char *op, const char *q1, const char *q2, const char *path)
{
  CLEANUP_FREE char *p = NULL;

  if (check_qgroupid (q1) == -1 || (q2 && check_qgroupid (q2) == -1) ||
      (p = btrfs_path (path)) == NULL)
    return -1;
  {
    char *const argv[] = {
      "btrfs", "qgroup", (char *) op, (char *) q1,
      q2 ? (char *) q2 : p, q2 ? p : NULL, NULL
    };
    return run_btrfs (path, NULL, argv);
  }
}

int
do_btrfs_qgroup_create (const char *qgroupid, const char *subvolume)
{
  return qgroup_op ("create", qgroupid, NULL, subvolume);
}

int
do_btrfs_qgroup_destroy (const char *qgroupid, const char *subvolume)
{
  return qgroup_op ("destroy", qgroupid, NULL, subvolume);
}

int
do_btrfs_qgroup_assign (const char *src, const char *dst, const char *path)
{
  return qgroup_op ("assign", src, dst, path);
}

int
do_btrfs_qgroup_remove (const char *src, const char *dst, const char *path)
{
  return qgroup_op ("remove", src, dst, path);
}

struct drydock_btrfsqgroup_list *
do_btrfs_qgroup_show (const char *path)
{
  CLEANUP_FREE char *p = btrfs_path (path);
  CLEANUP_FREE char *out = NULL;
  struct drydock_btrfsqgroup_list *r;

  if (p == NULL)
    return NULL;
  {
    char *const argv[] = { "btrfs", "qgroup", "show", "--raw", p, NULL };
    if (run_btrfs (path, &out, argv) == -1)
      return NULL;
  }
  if ((r = parse_qgroup_show (out)) == NULL)
    reply_with_error_errno (errno == ENOMEM ? ENOMEM : EINVAL,
                            "%s: cannot parse what btrfs qgroup show "
                            "printed", path);
  return r;
}

int
do_btrfs_qgroup_limit (const char *subvolume, int64_t size)
{
  CLEANUP_FREE char *p = NULL;
  char sz[32];

  if (size < 0)
    return reply_with_error_errno (EINVAL, "%" PRId64 ": not a size", size);
  if ((p = btrfs_path (subvolume)) == NULL)
    return -1;
  snprintf (sz, sizeof sz, "%" PRId64, size);
  {
    char *const argv[] = { "btrfs", "qgroup", "limit", sz, p, NULL };
    return run_btrfs (subvolume, NULL, argv);
  }
}

int
do_btrfs_rescue_chunk_recover (const char *device)
{
  if (need_btrfs () == -1)
    return -1;
  {
    char *const argv[] = {
      "btrfs", "rescue", "chunk-recover", "-y", (char *) device, NULL
    };
    return run_btrfs (device, NULL, argv);
  }
}

int
do_btrfs_rescue_super_recover (const char *device)
{
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE char *err = NULL;
  char *const argv[] = {
    "btrfs", "rescue", "super-recover", "-y", (char *) device, NULL
  };
  int r;

  if (need_btrfs () == -1)
    return -1;
  /* Its status is 2 when it recovered superblocks: a success. */
  r = run_command (&out, &err, argv);
  if (r == 0 || (r == 2 && out && strstr (out, "Recovered bad superblocks "
                                          "successful")))
    return 0;
  return reply_command_error (device, argv, r, err);
}

int
do_btrfs_image (char *const *source, const char *image, uint64_t optmask,
                int compresslevel)
{
  CLEANUP_FREE_STRING_LIST char **devs = NULL;
  CLEANUP_FREE char *out = NULL;
  struct strlist argv = STRLIST_INIT;
  int oom = 0, r;

  if (source == NULL || source[0] == NULL)
    return reply_with_error_errno (EINVAL, "btrfs_image: no devices");
  if ((optmask & OPT_BTRFS_IMAGE_COMPRESSLEVEL) &&
      (compresslevel < 0 || compresslevel > 9))
    return reply_with_error_errno (EINVAL, "compresslevel %d: not 0 to 9",
                                   compresslevel);
  if (!program_available ("btrfs-image"))
    return reply_with_error_errno (ENOTSUP, "btrfs-image: not available in "
                                   "this appliance");
  if ((devs = resolve_devices ("btrfs_image", source)) == NULL ||
      (out = new_path (image, 0, 1)) == NULL)
    return -1;
  add_arg (&argv, &oom, "btrfs-image");
  if (optmask & OPT_BTRFS_IMAGE_COMPRESSLEVEL)
    add_argf (&argv, &oom, "-c%" PRId64, (int64_t) compresslevel);
  /* btrfs-image reads the filesystem through its first device and
   * finds the others itself. */
  add_arg (&argv, &oom, devs[0]);
  add_arg (&argv, &oom, out);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_image");
  }
  r = run_btrfs (source[0], NULL, argv.v);
  strlist_free (&argv);
  return r;
}
