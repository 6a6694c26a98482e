/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inspection inside drydockd: the model of one scan and the interfaces
 * between its parts.
 *
 *   inspect.c          the scan (candidates, mounts, cache) and the
 *                      inspect_* actions
 *   inspect-guest.c    reading guest files safely (bounded, in-root)
 *   inspect-linux.c    Linux roots: release files, arch, host name, fstab
 *   inspect-windows.c  Windows roots: system root, hives, drive letters
 *   inspect-hive.c     the registry queries, through libhivex
 *   inspect-apps.c     the applications of a root
 *   inspect-parse.c    pure parsers (inspect-parse.h)
 *
 * Device names inside the daemon are appliance names (/dev/vda1,
 * /dev/mapper/vg-lv); the actions map them to API names on the way
 * out.  Convention: functions return 0 or -1 with errno set and never
 * reply, unless their name starts with reply_. */

#ifndef DRYDOCK_INSPECT_H
#define DRYDOCK_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "strlist.h"
#include "inspect-parse.h"

struct drydock_application_list;

/* One candidate filesystem, probed once per scan. */
struct inspect_fs {
  char *device;         /* appliance name */
  char *type;           /* blkid TYPE, "" if none */
  char *uuid, *label;   /* "" if none */
  char *partuuid;       /* GPT/MBR PART_ENTRY_UUID, "" if none */
  char *partlabel;      /* GPT PART_ENTRY_NAME, "" if none */
  char *lv;             /* "VG/LV" for a logical volume, else NULL */
  /* A btrfs subvolume: device is "btrfsvol:DEV/PATH", subvol_dev the
   * appliance device DEV holding it and subvol_id its ID (mounted by
   * ID, whatever its name); uuid, label and the partition fields are
   * "", so that only a subvol= or subvolid= option of an fstab entry
   * names it.  NULL and 0 for any other candidate. */
  char *subvol_dev;
  uint64_t subvol_id;
  /* The default subvolume of its filesystem: not inspected on its own,
   * as mounting the device mounts it. */
  int subvol_default;
};

/* One operating system.  Strings are never NULL once the scan is over
 * ("unknown" where nothing was found); the windows_* ones are NULL for
 * other roots. */
struct inspect_root {
  char *device;                 /* the root filesystem */
  char *type, *distro, *product_name, *product_variant;
  int major, minor;
  char *arch, *hostname, *package_format, *package_management;
  char *build_id, *osinfo;
  char *windows_systemroot;     /* "/Windows" as cased on disk */
  char *windows_control_set;    /* "ControlSet001" */
  char *windows_software_hive;  /* guest paths */
  char *windows_system_hive;
  /* mountpoint, device, mountpoint, device ...: "/" first, then sorted. */
  struct strlist mountpoints;
  /* Swap devices of the fstab: filesystems of the root without a
   * mountpoint (inspect_get_filesystems lists them too). */
  struct strlist swaps;
  /* letter, device ...: Windows drive letters. */
  struct strlist drive_mappings;
};

struct inspect_scan {
  struct inspect_fs *fs;
  size_t nr_fs;
};

/* inspect.c */
/* The root whose device is dev in the last scan, or NULL after replying
 * with an error (no scan yet, or dev is not a root). */
extern struct inspect_root *reply_unless_root (const char *dev);
/* The candidates of the last scan. */
extern const struct inspect_scan *inspect_current_scan (void);
/* Keeps why a candidate that looked like an operating system root was
 * not one (its registry hive is damaged): the first such reason of a
 * scan is inspect_os's error when the scan finds no root at all. */
extern void inspect_note_damage (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
/* The candidate filesystem with that appliance name, or NULL. */
extern const struct inspect_fs *inspect_find_fs (const struct inspect_scan *s,
                                                 const char *device);
/* Mounts the candidate f read-only at a new private directory and
 * returns an O_PATH fd of it; -1 with errno.  inspect_umount undoes it. */
extern int inspect_mount (const struct inspect_fs *f, char **dir);
/* Mounts the candidate f (a btrfs subvolume by its ID) at the
 * appliance path dir with flags as mount(2).  0, or -1 with errno. */
extern int inspect_mount_at (const struct inspect_fs *f, const char *dir,
                             unsigned long flags);
extern void inspect_umount (char *dir, int fd);

/* inspect-guest.c: guest files, always relative to a root fd, resolved
 * with openat2(RESOLVE_IN_ROOT): symlinks and ".." stay inside. */
/* Reads at most max bytes of a regular file; the buffer is NUL-
 * terminated (not counted in *len).  NULL with errno (ENOENT, EISDIR
 * for a directory, EINVAL for any other file that is not regular,
 * ENOMEM).  Caller frees. */
extern char *guest_read (int rootfd, const char *path, size_t max, size_t *len);
/* Opens a guest path (flags as open(2), O_CLOEXEC added).  -1, errno. */
extern int guest_open (int rootfd, const char *path, int flags);
/* Opens a regular file of the guest read-only, refusing anything else
 * without opening it (open_regular_in_root).  -1 with errno. */
extern int guest_open_regular (int rootfd, const char *path);
/* 1 if path is a directory / regular file in the guest, else 0. */
extern int guest_is_dir (int rootfd, const char *path);
extern int guest_is_file (int rootfd, const char *path);
/* The entry of directory dir whose name equals name ignoring ASCII
 * case, as it is spelled on disk; NULL (errno ENOENT) if none.  Caller
 * frees. */
extern char *guest_case_lookup (int rootfd, const char *dir, const char *name);

/* inspect-linux.c */
/* If the filesystem at rootfd is a Linux root, fills r (device already
 * set) and returns 1; 0 if it is not one; -1 with errno on failure. */
extern int inspect_linux (int rootfd, const struct inspect_scan *s,
                          struct inspect_root *r);

/* inspect-fstab.c */
/* Fills r->mountpoints from the guest's /etc/fstab: "/" (r->device),
 * then each entry whose device is one of the scan's filesystems, sorted
 * by mountpoint.  0, or -1 with errno (ENOMEM). */
extern int inspect_linux_fstab (int rootfd, const struct inspect_scan *s,
                                struct inspect_root *r);

/* inspect-windows.c */
/* If the filesystem at rootfd holds a Windows system root, fills r
 * (device already set): type, distro "windows", product name and
 * variant, versions, build id, arch, host name, osinfo, the windows_*
 * fields, drive_mappings; returns 1.  0 if not Windows, -1 with errno. */
extern int inspect_windows (int rootfd, const struct inspect_scan *s,
                            struct inspect_root *r);
/* Adds the Uninstall keys of the SOFTWARE hive (and WOW6432Node) of a
 * Windows root mounted at rootfd to apps.  0 or -1 with errno. */
extern int inspect_windows_apps (int rootfd, const struct inspect_root *r,
                                 struct drydock_application_list *apps);

/* inspect-apps.c */
/* Mounts the root's filesystems read-only under a private directory,
 * shortest mountpoint first: all of them, or with paths (a NULL-
 * terminated list of guest paths) the root and those the paths lie in.
 * The fd of the root's directory, dirs getting each mount's directory;
 * -1 with errno if the root itself cannot be mounted (other
 * filesystems that fail are left out).  Undo with inspect_umount_tree. */
extern int inspect_mount_tree (const struct inspect_root *r,
                               const struct inspect_scan *s,
                               const char *const *paths,
                               struct strlist *dirs);
extern void inspect_umount_tree (int rootfd, struct strlist *dirs);
/* Appends a copy of pkg to apps (NULL strings become "").  0 or -1. */
extern int inspect_app_add (struct drydock_application_list *apps,
                            const struct inspect_pkg *pkg);

#endif /* DRYDOCK_INSPECT_H */
