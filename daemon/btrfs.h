/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the btrfs actions share (btrfs-util.c).
 *
 * Convention: functions reply on failure (the daemon's reply_*) and
 * return -1 or NULL, unless said otherwise. */

#ifndef DRYDOCK_BTRFS_H
#define DRYDOCK_BTRFS_H

#include <stdint.h>

struct strlist;

/* 0 if the appliance has the btrfs programs and module, else -1
 * (replied, ENOTSUP). */
extern int need_btrfs (void);
/* The appliance path of the existing guest file or directory PATH,
 * which must be on a btrfs filesystem (EINVAL otherwise), as the
 * kernel resolved it inside the guest: no guest symlink is left for a
 * program to follow.  Caller frees. */
extern char *btrfs_path (const char *path);
/* The appliance path of PATH, a guest file or subvolume about to be
 * made: its directory resolved inside the guest, plus its last
 * component, which must not be there already (EEXIST) unless it is a
 * regular file and regular is set.  With on_btrfs the directory must be
 * on btrfs.  Caller frees. */
extern char *new_path (const char *path, int on_btrfs, int regular);
/* Runs argv; on failure replies "SUBJECT: PROG: its message" (its
 * stderr, or its stdout when that is empty), appliance paths turned
 * back into guest paths.  Its stdout in *out (caller frees) unless out
 * is NULL.  0 or -1. */
extern int run_btrfs (const char *subject, char **out, char *const *argv);
/* Runs "btrfs W1 W2 [W3] PATH" over the btrfs guest path PATH. */
extern int btrfs_on_path (const char *path, const char *w1, const char *w2,
                          const char *w3);

/* A filesystem named by a guest directory or a device (or
 * btrfsvol:DEVICE/SUBVOLUME, API names), the latter mounted for the
 * call on a directory of the appliance. */
struct fs_at {
  char *path;                   /* the appliance path to work on */
  char tmp[32];                 /* the temporary mount point, or "" */
};
/* 0 or -1; fs_at_close after a 0. */
extern int fs_at_open (struct fs_at *f, const char *fs);
extern void fs_at_close (struct fs_at *f);

/* The appliance devices of a list of API device names (an empty list
 * for NULL).  Caller frees. */
extern char **resolve_devices (const char *action, char *const *devices);
/* A quota group ID, LEVEL/ID in decimal.  0, or -1 (EINVAL). */
extern int check_qgroupid (const char *q);

/* Building an argv: a copy of s (or the number v printed with the
 * format fs) is added to argv; *oom is set when out of memory, to be
 * checked once at the end.  They never reply. */
extern void add_arg (struct strlist *argv, int *oom, const char *s);
extern void add_argf (struct strlist *argv, int *oom, const char *fs,
                      int64_t v);

#endif /* DRYDOCK_BTRFS_H */
