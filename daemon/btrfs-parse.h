/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers of what btrfs-progs (6.x) prints, pure functions of the text
 * (btrfs-parse.c), listing subvolumes (btrfs.c) and the btrfsvol:
 * mountables (mountable.c).
 *
 * Convention: functions returning a pointer give NULL with errno
 * (ENOMEM, or EINVAL for text they do not understand); those returning
 * int give 0 or -1 with errno, unless said otherwise. */

#ifndef DRYDOCK_BTRFS_PARSE_H
#define DRYDOCK_BTRFS_PARSE_H

#include <stdint.h>

struct drydock_btrfssubvolume_list;
struct drydock_btrfsqgroup_list;
struct drydock_btrfsbalance;
struct drydock_btrfsscrub;

/* "ID 256 gen 7 top level 5 path sub" lines.  Caller frees (the
 * generated free_btrfssubvolume_list). */
extern struct drydock_btrfssubvolume_list *
  parse_subvolume_list (const char *out);
/* "ID 5 (FS_TREE)" or "ID 256 gen ... path sub": the ID, or -1. */
extern int64_t parse_get_default (const char *out);
/* btrfs subvolume show: a hash list of field names and values, the
 * snapshot lines joined by ", " as the value of "Snapshot(s)".  Caller
 * frees. */
extern char **parse_subvolume_show (const char *out);
/* btrfs filesystem show: the devices of the "devid N ... path DEV"
 * lines, in devid order; *missing set when a device is reported
 * missing.  Caller frees. */
extern char **parse_filesystem_show (const char *out, int *missing);
/* btrfs balance status into *r (its status is a static string). */
extern int parse_balance_status (const char *out,
                                 struct drydock_btrfsbalance *r);
/* btrfs scrub status -R: the counters it prints into *r (the others
 * stay as they are: "no stats available" leaves them all). */
extern void parse_scrub_status (const char *out, struct drydock_btrfsscrub *r);
/* btrfs qgroup show --raw: the rows below the heading.  Caller frees. */
extern struct drydock_btrfsqgroup_list *parse_qgroup_show (const char *out);

/* btrfs.c */
struct strlist;
/* Adds "btrfsvol:DEV/PATH", "btrfs" to l for each subvolume of the
 * btrfs filesystem on the appliance device dev (mounted for the
 * purpose).  Best effort: a filesystem that cannot be listed adds
 * nothing; never replies. */
extern void btrfs_add_subvolumes (const char *dev, struct strlist *l);
/* 1 if path, relative to the top level of a btrfs mounted at the
 * directory fd topfd (resolved inside it, symlinks staying in), leads
 * to the top of the subvolume id, else 0.  Paths come from the text of
 * "btrfs subvolume list", where a guest's name holding a newline gives
 * a line whose path is wrong (or a forged one): only checked paths are
 * used.  Never replies. */
extern int btrfs_subvol_at (int topfd, const char *path, uint64_t id);

/* mountable.c */
/* Splits the mountable btrfsvol:DEVICE/SUBVOLUME into the appliance
 * device and the subvolume (without leading slashes), the device being
 * the longest leading part of the rest that names an existing device:
 * an API name with api set (as the caller gave it), else an appliance
 * device (as resolve_mountable passed it on).  0, or -1 with errno
 * (EINVAL for a malformed one, ENOENT when no device is found).
 * Caller frees both. */
extern int split_btrfsvol_quiet (const char *mountable, int api, char **dev,
                                 char **subvol);
/* The same, replying on failure. */
extern int split_btrfsvol (const char *mountable, int api, char **dev,
                           char **subvol);

#endif /* DRYDOCK_BTRFS_PARSE_H */
