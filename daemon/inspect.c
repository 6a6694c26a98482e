/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inspect_* actions: one scan of every filesystem for operating
 * system roots, its cache for the rest of the launch, and the getters
 * that read it.
 *
 * Candidates are mounted read-only one at a time in a private directory
 * under /run, never under /sysroot, so a scan leaves what the caller
 * mounted alone and leaves nothing mounted behind.  Each device is
 * probed once per scan (a libblkid probe costs ~60 ms under TCG), and
 * each disk's partition table read once: a partition's entry (its
 * PARTUUID and name) comes from its disk's table, which libblkid would
 * read whole again for each partition (for a chain of 2,000 logical
 * partitions, 2,000 reads for each of them). */

#include <config.h>

#include <blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "inspect.h"
#include "btrfs-parse.h"

#define INSPECT_DIR "/run/drydock-inspect"

/* At most this many subvolumes of one btrfs filesystem become
 * candidates, in the order btrfs lists them (by ID): a guest may hold
 * thousands (snapshots), and each candidate is a mount, slow under
 * TCG.  The rest are left out, with a debug line. */
#define MAX_SUBVOLUMES 256
/* Subvolumes with a longer path are left out. */
#define MAX_SUBVOL_PATH 1024
/* The ID of a btrfs filesystem's top level (BTRFS_FS_TREE_OBJECTID). */
#define TOP_LEVEL_ID 5

/* The last scan: candidates and roots.  done is 0 before the first. */
static struct inspect_scan scan;
static struct inspect_root *roots;
static size_t nr_roots;
static int done;

/* The entries of the partition tables of the disks the scan probed:
 * the partition's appliance name, its entry's UUID and name ("" if
 * none).  A disk probed is in disks_read, even with no table. */
struct part_entry {
  char *device, *uuid, *name;
};
static struct part_entry *entries;
static size_t nr_entries;
static struct strlist disks_read = STRLIST_INIT;
/* How many times the scan read a whole partition table (for the debug
 * line, which tests read: once per disk with a table). */
static unsigned tables_read;
/* The first damage inspect_note_damage was told of, or NULL. */
static char *damage;

static void
free_fs (struct inspect_fs *f)
{
  free (f->device);
  free (f->type);
  free (f->uuid);
  free (f->label);
  free (f->partuuid);
  free (f->partlabel);
  free (f->lv);
  free (f->subvol_dev);
}

static void
free_root (struct inspect_root *r)
{
  char **strs[] = {
    &r->device, &r->type, &r->distro, &r->product_name, &r->product_variant,
    &r->arch, &r->hostname, &r->package_format, &r->package_management,
    &r->build_id, &r->osinfo, &r->windows_systemroot,
    &r->windows_control_set, &r->windows_software_hive,
    &r->windows_system_hive,
  };

  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; ++i)
    free (*strs[i]);
  strlist_free (&r->mountpoints);
  strlist_free (&r->swaps);
  strlist_free (&r->drive_mappings);
}

static void
free_entries (void)
{
  for (size_t i = 0; i < nr_entries; ++i) {
    free (entries[i].device);
    free (entries[i].uuid);
    free (entries[i].name);
  }
  free (entries);
  entries = NULL;
  nr_entries = 0;
  strlist_free (&disks_read);
  tables_read = 0;
}

static void
free_scan (void)
{
  free_entries ();
  free (damage);
  damage = NULL;
  for (size_t i = 0; i < scan.nr_fs; ++i)
    free_fs (&scan.fs[i]);
  free (scan.fs);
  scan.fs = NULL;
  scan.nr_fs = 0;
  for (size_t i = 0; i < nr_roots; ++i)
    free_root (&roots[i]);
  free (roots);
  roots = NULL;
  nr_roots = 0;
  done = 0;
}

void
inspect_note_damage (const char *fs, ...)
{
  va_list ap;

  if (damage)
    return;
  va_start (ap, fs);
  if (vasprintf (&damage, fs, ap) == -1)
    damage = NULL;
  va_end (ap);
  if (damage)
    debug ("inspect: %s", damage);
}

const struct inspect_scan *
inspect_current_scan (void)
{
  return &scan;
}

const struct inspect_fs *
inspect_find_fs (const struct inspect_scan *s, const char *device)
{
  for (size_t i = 0; i < s->nr_fs; ++i)
    if (strcmp (s->fs[i].device, device) == 0)
      return &s->fs[i];
  return NULL;
}

/* Adds one entry of disk's table.  -1 on allocation failure. */
static int
add_entry (const char *disk, blkid_partition par)
{
  const char *uuid = blkid_partition_get_uuid (par);
  const char *name = blkid_partition_get_name (par);
  struct part_entry e = { NULL, strdup (uuid ? uuid : ""),
                          strdup (name ? name : "") }, *p;

  if (asprintf (&e.device, "%s%d", disk,
                blkid_partition_get_partno (par)) == -1)
    e.device = NULL;
  p = realloc (entries, (nr_entries + 1) * sizeof *p);
  if (p)
    entries = p;
  if (e.device == NULL || e.uuid == NULL || e.name == NULL || p == NULL) {
    free (e.device);
    free (e.uuid);
    free (e.name);
    return -1;
  }
  entries[nr_entries++] = e;
  return 0;
}

/* Keeps the entries of the partition table of the whole disk (none,
 * or one libblkid cannot read, is no error: its partitions are then
 * probed with their details, as any device).  -1 on allocation
 * failure. */
static int
read_entries (const char *disk)
{
  blkid_probe pr = blkid_new_probe_from_filename (disk);
  blkid_partlist ls = pr ? blkid_probe_get_partitions (pr) : NULL;
  int n = ls ? blkid_partlist_numof_partitions (ls) : 0, r = 0;

  if (ls)
    tables_read++;
  if (ls && strlist_add (&disks_read, disk) == -1)
    r = -1;
  for (int i = 0; r == 0 && i < n; ++i) {
    blkid_partition par = blkid_partlist_get_partition (ls, i);

    if (par)
      r = add_entry (disk, par);
  }
  if (pr)
    blkid_free_probe (pr);
  return r;
}

/* The entry of partition dev if its disk's table was read: 1 with
 * *e (NULL for a partition the table does not list); 2 for a
 * partition of a disk whose table was not read; 0 for a device that is
 * no partition. */
static int
find_entry (const char *dev, const struct part_entry **e)
{
  CLEANUP_FREE char *disk = NULL;
  int num, read = 0;

  *e = NULL;
  if (partition_parent (dev, &disk, &num) == -1)
    return 0;
  for (size_t i = 0; i < disks_read.len && !read; ++i)
    read = strcmp (disks_read.v[i], disk) == 0;
  for (size_t i = 0; read && i < nr_entries && *e == NULL; ++i)
    if (strcmp (entries[i].device, dev) == 0)
      *e = &entries[i];
  return read ? 1 : 2;
}

/* One probe of a device for everything the scan needs. */
static int
probe (const char *dev, struct inspect_fs *f)
{
  blkid_probe pr = blkid_new_probe_from_filename (dev);
  static const char *const tags[] = {
    "TYPE", "UUID", "LABEL", "PART_ENTRY_UUID", "PART_ENTRY_NAME",
  };
  char **fields[] = { &f->type, &f->uuid, &f->label, &f->partuuid,
                      &f->partlabel };
  const struct part_entry *e;
  int ok, known = find_entry (dev, &e);

  if (pr == NULL)
    return -1;
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                     BLKID_SUBLKS_TYPE);
  blkid_probe_enable_partitions (pr, 1);
  if (known != 1)
    blkid_probe_set_partitions_flags (pr, BLKID_PARTS_ENTRY_DETAILS);
  if (known == 2)
    tables_read++;              /* libblkid reads the disk's table */
  ok = blkid_do_safeprobe (pr) == 0;
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; ++i) {
    const char *v = NULL;

    if (known == 1 && i >= 3)
      v = e ? (i == 3 ? e->uuid : e->name) : NULL;
    else if (ok)
      blkid_probe_lookup_value (pr, tags[i], &v, NULL);
    *fields[i] = strdup (v ? v : "");
    if (*fields[i] == NULL) {
      blkid_free_probe (pr);
      return -1;
    }
  }

  /* A whole disk with a partition table holds no filesystem itself. */
  if (ok && blkid_probe_lookup_value (pr, "PTTYPE", NULL, NULL) == 0 &&
      f->type[0] == '\0') {
    free (f->type);
    f->type = strdup ("partition-table");
  }
  blkid_free_probe (pr);
  return f->type ? 0 : -1;
}

static int
add_fs (const char *dev, const char *lv)
{
  struct inspect_fs f = { 0 }, *p;

  f.device = strdup (dev);
  if (f.device == NULL || (lv && (f.lv = strdup (lv)) == NULL))
    goto fail;
  if (probe (dev, &f) == -1)
    goto fail;
  p = realloc (scan.fs, (scan.nr_fs + 1) * sizeof *p);
  if (p == NULL)
    goto fail;
  scan.fs = p;
  scan.fs[scan.nr_fs++] = f;
  return 0;
 fail:
  free_fs (&f);
  return -1;
}

static int
read_line_at (int dirfd, const char *path, char *buf, size_t n)
{
  CLEANUP_CLOSE int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  ssize_t r;

  if (fd == -1 || (r = read (fd, buf, n - 1)) <= 0)
    return -1;
  buf[r] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return 0;
}

/* Activates the volume groups (only when some PV was seen: lvm costs
 * a second under TCG) and adds their public logical volumes. */
static int
add_logical_volumes (void)
{
  char *const argv[] = { "lvm", "vgchange", "-a", "y", NULL };
  CLEANUP_FREE_STRING_LIST char **lvs = NULL;

  load_module ("dm_mod");
  if (run_command (NULL, NULL, argv) != 0)
    debug ("inspect: vgchange -ay failed, looking at active LVs only");
  lvs = lvm_active_lvs ();
  if (lvs == NULL)
    return -1;
  for (size_t i = 0; lvs[i]; ++i)
    if (add_fs (lvs[i], lvs[i] + 5) == -1)
      return -1;
  return 0;
}

/* Opened encrypted volumes (cryptsetup_open: a dm uuid "CRYPT-"),
 * as /dev/mapper/NAME, in name order: what they hold is inspected like
 * any device, an LVM PV inside one included. */
static int
add_crypt_mappings (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct strlist names = STRLIST_INIT;
  struct dirent *e;
  int r = 0;

  if (d == NULL)
    return 0;
  while ((e = readdir (d)) != NULL) {
    char uuid[256], name[256];
    CLEANUP_CLOSE int bfd = -1;

    if (strncmp (e->d_name, "dm-", 3) != 0)
      continue;
    bfd = openat (dirfd (d), e->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (bfd == -1 || read_line_at (bfd, "dm/uuid", uuid, sizeof uuid) == -1 ||
        read_line_at (bfd, "dm/name", name, sizeof name) == -1 ||
        strncmp (uuid, "CRYPT-", 6) != 0)
      continue;
    if (strlist_addf (&names, "/dev/mapper/%s", name) == -1) {
      r = -1;
      break;
    }
  }
  if (r == 0 && names.len > 0) {
    CLEANUP_FREE_STRING_LIST char **l = strlist_take (&names);

    if (l == NULL)
      return -1;
    sort_strings (l);
    for (size_t i = 0; r == 0 && l[i]; ++i)
      r = add_fs (l[i], NULL);
  }
  strlist_free (&names);
  return r;
}

/* Adds the subvolume id at path of the btrfs on dev, mounted at topfd
 * (its top level), if path leads there (btrfs_subvol_at: the listing
 * is text a guest's names can forge).  0 also for one left out; -1 on
 * allocation failure. */
static int
add_subvolume (const char *dev, int topfd, uint64_t id, const char *path,
               uint64_t default_id)
{
  struct inspect_fs f = { 0 }, *p;
  size_t n = strlen (path);

  if (n == 0 || n > MAX_SUBVOL_PATH) {
    debug ("inspect: %s: subvolume %" PRIu64 ": path of %zu bytes left out",
           dev, id, n);
    return 0;
  }
  if (!btrfs_subvol_at (topfd, path, id)) {
    debug ("inspect: %s: subvolume %" PRIu64 ": its listed path does not "
           "lead to it, left out", dev, id);
    return 0;
  }
  if (asprintf (&f.device, "btrfsvol:%s/%s", dev, path) == -1) {
    f.device = NULL;
    return -1;
  }
  f.type = strdup ("btrfs");
  f.uuid = strdup ("");
  f.label = strdup ("");
  f.partuuid = strdup ("");
  f.partlabel = strdup ("");
  f.subvol_dev = strdup (dev);
  f.subvol_id = id;
  f.subvol_default = id == default_id;
  p = realloc (scan.fs, (scan.nr_fs + 1) * sizeof *p);
  if (p)
    scan.fs = p;
  if (!f.type || !f.uuid || !f.label || !f.partuuid || !f.partlabel ||
      !f.subvol_dev || !p) {
    free_fs (&f);
    return -1;
  }
  scan.fs[scan.nr_fs++] = f;
  return 0;
}

/* The subvolumes of the btrfs on dev (the device itself is a candidate
 * already: mounting it mounts the default subvolume).  A filesystem
 * that cannot be mounted or listed adds none; -1 on allocation
 * failure. */
static int
add_subvolumes (const char *dev)
{
  struct inspect_fs top = { .device = (char *) dev, .type = (char *) "btrfs",
                            .subvol_dev = (char *) dev,
                            .subvol_id = TOP_LEVEL_ID };
  CLEANUP_FREE char *list = NULL, *def = NULL, *dir = NULL;
  struct drydock_btrfssubvolume_list *subs = NULL;
  int64_t default_id;
  int topfd, r = 0;

  if (!optgroup_btrfs_available ())
    return 0;
  topfd = inspect_mount (&top, &dir);
  if (topfd == -1) {
    debug ("inspect: %s: cannot mount its top level: %m", dev);
    return 0;
  }
  {
    char *const ls[] = { "btrfs", "subvolume", "list", dir, NULL };
    char *const gd[] = { "btrfs", "subvolume", "get-default", dir, NULL };

    if (run_command (&list, NULL, ls) == 0)
      subs = parse_subvolume_list (list);
    default_id = run_command (&def, NULL, gd) == 0 ?
      parse_get_default (def) : -1;
  }
  if (subs == NULL)
    debug ("inspect: %s: cannot list its subvolumes", dev);
  for (uint32_t i = 0; subs && i < subs->len && r == 0; ++i) {
    if (i == MAX_SUBVOLUMES) {
      debug ("inspect: %s: %" PRIu32 " subvolumes, only the first %d "
             "inspected", dev, subs->len, MAX_SUBVOLUMES);
      break;
    }
    r = add_subvolume (dev, topfd, subs->val[i].btrfssubvolume_id,
                       subs->val[i].btrfssubvolume_path,
                       default_id < 0 ? TOP_LEVEL_ID : (uint64_t) default_id);
  }
  for (uint32_t i = 0; subs && i < subs->len; ++i)
    free (subs->val[i].btrfssubvolume_path);
  if (subs)
    free (subs->val);
  free (subs);
  inspect_umount (dir, topfd);
  dir = NULL;
  return r;
}

/* Whole disks, partitions, opened encrypted volumes, logical volumes,
 * then the subvolumes of each btrfs among them. */
static int
find_candidates (void)
{
  CLEANUP_FREE_STRING_LIST char **disks = appliance_disks ();
  CLEANUP_FREE_STRING_LIST char **parts = appliance_partitions ();
  int have_pv = 0;

  if (disks == NULL || parts == NULL)
    return -1;
  for (size_t i = 0; disks[i]; ++i)
    if (add_fs (disks[i], NULL) == -1 || read_entries (disks[i]) == -1)
      return -1;
  for (size_t i = 0; parts[i]; ++i)
    if (add_fs (parts[i], NULL) == -1)
      return -1;
  if (add_crypt_mappings () == -1)
    return -1;
  for (size_t i = 0; i < scan.nr_fs; ++i)
    if (strcmp (scan.fs[i].type, "LVM2_member") == 0)
      have_pv = 1;
  if (have_pv && add_logical_volumes () == -1)
    return -1;
  for (size_t i = 0, n = scan.nr_fs; i < n; ++i)
    if (strcmp (scan.fs[i].type, "btrfs") == 0) {
      CLEANUP_FREE char *dev = strdup (scan.fs[i].device);

      if (dev == NULL || add_subvolumes (dev) == -1)
        return -1;
    }
  return 0;
}

/* Types that can hold an operating system root we recognise. */
static int
mountable_type (const char *type)
{
  static const char *const skip[] = {
    "", "partition-table", "swap", "LVM2_member", "crypto_LUKS",
    "linux_raid_member", "iso9660", "udf", "squashfs",
  };

  for (size_t i = 0; i < sizeof skip / sizeof skip[0]; ++i)
    if (strcmp (type, skip[i]) == 0)
      return 0;
  return 1;
}

/* dev is mounted read-write already (the guest mounted under /sysroot),
 * which a read-only mount of it refuses (EBUSY): mounted again as it
 * is, sharing that mount's filesystem, then this mount point made
 * read-only. */
static int
mount_again_ro (const struct inspect_fs *f, const char *dir)
{
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

  /* ntfs-3g would start a second server on the device. */
  if (strcmp (f->type, "ntfs") == 0 || inspect_mount_at (f, dir, flags) == -1) {
    errno = EBUSY;
    return -1;
  }
  if (mount (NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags,
             NULL) == -1) {
    int saved = errno;

    umount_fs (dir, MNT_DETACH);
    errno = saved;
    return -1;
  }
  return 0;
}

int
inspect_mount_at (const struct inspect_fs *f, const char *dir,
                  unsigned long flags)
{
  char data[40];

  if (f->subvol_dev == NULL)
    return mount_fs (f->device, dir, f->type, flags, NULL);
  /* By ID: the name is the guest's, and could hold a comma. */
  snprintf (data, sizeof data, "subvolid=%" PRIu64, f->subvol_id);
  return mount_fs (f->subvol_dev, dir, "btrfs", flags, data);
}

int
inspect_mount (const struct inspect_fs *f, char **dir)
{
  static unsigned counter;
  int fd;

  *dir = NULL;
  if (mkdir ("/run", 0755) == -1 && errno != EEXIST)
    return -1;
  if (mkdir (INSPECT_DIR, 0700) == -1 && errno != EEXIST)
    return -1;
  if (asprintf (dir, INSPECT_DIR "/%u", counter++) == -1) {
    *dir = NULL;
    return -1;
  }
  if (mkdir (*dir, 0700) == -1 && errno != EEXIST)
    goto fail;
  if (inspect_mount_at (f, *dir, MS_RDONLY | MS_NOSUID | MS_NODEV |
                        MS_NOEXEC) == -1 &&
      !(errno == EBUSY && mount_again_ro (f, *dir) == 0))
    goto fail;
  fd = open (*dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd == -1) {
    int saved = errno;
    umount_fs (*dir, MNT_DETACH);
    errno = saved;
    goto fail;
  }
  return fd;
 fail:
  {
    int saved = errno;
    rmdir (*dir);
    free (*dir);
    *dir = NULL;
    errno = saved;
  }
  return -1;
}

void
inspect_umount (char *dir, int fd)
{
  if (fd >= 0)
    close (fd);
  if (dir == NULL)
    return;
  if (umount_fs (dir, 0) == -1)
    umount_fs (dir, MNT_DETACH);
  rmdir (dir);
  free (dir);
}

static const char *
or_unknown (const char *s)
{
  return s ? s : "unknown";
}

/* Fills the fields a module left unset with "unknown". */
static int
finish_root (struct inspect_root *r)
{
  char **strs[] = {
    &r->type, &r->distro, &r->product_name, &r->product_variant, &r->arch,
    &r->hostname, &r->package_format, &r->package_management, &r->build_id,
    &r->osinfo,
  };

  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; ++i)
    if (*strs[i] == NULL && (*strs[i] = strdup (or_unknown (NULL))) == NULL)
      return -1;
  if (r->mountpoints.len == 0 &&
      (strlist_add (&r->mountpoints, "/") == -1 ||
       strlist_add (&r->mountpoints, r->device) == -1))
    return -1;
  return 0;
}

/* Mounts one candidate and asks each module whether it is a root. */
static int
check_candidate (const struct inspect_fs *f)
{
  struct inspect_root r = { 0 };
  char *dir;
  int fd, found;

  fd = inspect_mount (f, &dir);
  if (fd == -1) {
    debug ("inspect: %s (%s): cannot mount: %m", f->device, f->type);
    return 0;
  }
  r.device = strdup (f->device);
  if (r.device == NULL)
    found = -1;
  else {
    found = inspect_linux (fd, &scan, &r);
    if (found == 0)
      found = inspect_windows (fd, &scan, &r);
  }
  inspect_umount (dir, fd);
  if (found == 1) {
    struct inspect_root *p = realloc (roots, (nr_roots + 1) * sizeof *p);

    if (p == NULL || finish_root (&r) == -1) {
      free_root (&r);
      return -1;
    }
    roots = p;
    roots[nr_roots++] = r;
    return 0;
  }
  free_root (&r);
  return found;
}

static int
compare_roots (const void *a, const void *b)
{
  const struct inspect_root *ra = a, *rb = b;

  return device_order (ra->device, rb->device);
}

static char **
root_list (void)
{
  struct strlist l = STRLIST_INIT;

  for (size_t i = 0; i < nr_roots; ++i)
    if (strlist_add (&l, roots[i].device) == -1) {
      strlist_free (&l);
      reply_with_perror ("inspect_os");
      return NULL;
    }
  return strlist_take (&l);
}

char **
do_inspect_os (void)
{
  long t0 = now_ms ();

  free_scan ();
  if (find_candidates () == -1) {
    reply_with_perror ("inspect_os: listing the filesystems");
    free_scan ();
    return NULL;
  }
  for (size_t i = 0; i < scan.nr_fs; ++i) {
    if (!mountable_type (scan.fs[i].type) || scan.fs[i].subvol_default)
      continue;
    if (check_candidate (&scan.fs[i]) == -1) {
      reply_with_perror ("inspect_os: %s", scan.fs[i].device);
      free_scan ();
      return NULL;
    }
  }
  qsort (roots, nr_roots, sizeof *roots, compare_roots);
  /* What looked like a system but could not be read is no operating
   * system, and saying only that would hide why. */
  if (nr_roots == 0 && damage) {
    reply_with_error_errno (EUCLEAN, "%s", damage);
    free_scan ();
    return NULL;
  }
  done = 1;
  debug ("inspect: %zu filesystems, %zu roots, %u partition tables read, "
         "%ld ms", scan.nr_fs, nr_roots, tables_read, now_ms () - t0);
  return root_list ();
}

char **
do_inspect_get_roots (void)
{
  if (!done) {
    reply_with_error_errno (EINVAL, "no inspection yet: call inspect_os first");
    return NULL;
  }
  return root_list ();
}

struct inspect_root *
reply_unless_root (const char *dev)
{
  struct stat st;

  if (!done) {
    reply_with_error_errno (EINVAL, "no inspection yet: call inspect_os first");
    return NULL;
  }
  /* Compare device numbers, so /dev/mapper/vg-lv names /dev/vg/lv. */
  if (stat (dev, &st) == 0 && S_ISBLK (st.st_mode))
    for (size_t i = 0; i < nr_roots; ++i) {
      struct stat rst;

      if (stat (roots[i].device, &rst) == 0 && rst.st_rdev == st.st_rdev)
        return &roots[i];
    }
  for (size_t i = 0; i < nr_roots; ++i)
    if (strcmp (roots[i].device, dev) == 0)
      return &roots[i];
  reply_with_error_errno (EINVAL, "%s: not the root of an operating system "
                          "found by inspect_os", dev);
  return NULL;
}

static char *
copy_or_reply (const char *s)
{
  char *r = strdup (s);

  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

#define STRING_GETTER(name, field)                      \
  char *                                                \
  do_inspect_get_##name (const char *root)              \
  {                                                     \
    struct inspect_root *r = reply_unless_root (root);  \
                                                        \
    return r ? copy_or_reply (r->field) : NULL;         \
  }

STRING_GETTER (type, type)
STRING_GETTER (distro, distro)
STRING_GETTER (product_name, product_name)
STRING_GETTER (product_variant, product_variant)
STRING_GETTER (arch, arch)
STRING_GETTER (hostname, hostname)
STRING_GETTER (package_format, package_format)
STRING_GETTER (package_management, package_management)
STRING_GETTER (build_id, build_id)
STRING_GETTER (osinfo, osinfo)

char *
do_inspect_get_format (const char *root)
{
  return reply_unless_root (root) ? copy_or_reply ("installed") : NULL;
}

int
do_inspect_get_major_version (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);

  return r ? r->major : -1;
}

int
do_inspect_get_minor_version (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);

  return r ? r->minor : -1;
}

/* The windows_* getters: an error for other roots. */
#define WINDOWS_GETTER(name, field)                                     \
  char *                                                                \
  do_inspect_get_##name (const char *root)                              \
  {                                                                     \
    struct inspect_root *r = reply_unless_root (root);                  \
                                                                        \
    if (r == NULL)                                                      \
      return NULL;                                                      \
    if (r->field == NULL) {                                             \
      reply_with_error_errno (EINVAL, "%s: not a Windows root", root);  \
      return NULL;                                                      \
    }                                                                   \
    return copy_or_reply (r->field);                                    \
  }

WINDOWS_GETTER (windows_systemroot, windows_systemroot)
WINDOWS_GETTER (windows_current_control_set, windows_control_set)
WINDOWS_GETTER (windows_software_hive, windows_software_hive)
WINDOWS_GETTER (windows_system_hive, windows_system_hive)

/* A copy of a list of pairs with the device of each pair mapped to its
 * API name (the device is the second of each pair). */
static char **
pairs_for_api (const struct strlist *l)
{
  struct strlist out = STRLIST_INIT;

  for (size_t i = 0; i + 1 < l->len; i += 2) {
    char *dev = strdup (l->v[i + 1]);

    if (dev == NULL || strlist_add (&out, l->v[i]) == -1 ||
        strlist_add_take (&out, map_device_to_api (dev)) == -1) {
      strlist_free (&out);
      reply_with_perror ("inspect");
      return NULL;
    }
  }
  return strlist_take (&out);
}

char **
do_inspect_get_mountpoints (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);

  return r ? pairs_for_api (&r->mountpoints) : NULL;
}

char **
do_inspect_get_drive_mappings (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);

  return r ? pairs_for_api (&r->drive_mappings) : NULL;
}

/* Appends to out the items from..., every step-th, of l that out does
 * not hold yet.  0, or -1 with errno. */
static int
add_once (struct strlist *out, const struct strlist *l, size_t from,
          size_t step)
{
  for (size_t i = from; i < l->len; i += step) {
    int seen = 0;

    for (size_t j = 0; j < out->len && !seen; ++j)
      seen = strcmp (out->v[j], l->v[i]) == 0;
    if (!seen && strlist_add (out, l->v[i]) == -1)
      return -1;
  }
  return 0;
}

char **
do_inspect_get_filesystems (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);
  struct strlist out = STRLIST_INIT;

  if (r == NULL)
    return NULL;
  /* The mounted devices, then the swap devices, each once. */
  if (add_once (&out, &r->mountpoints, 1, 2) == -1 ||
      add_once (&out, &r->swaps, 0, 1) == -1) {
    strlist_free (&out);
    reply_with_perror ("inspect_get_filesystems");
    return NULL;
  }
  return strlist_take (&out);
}

/* Order of mounting: shorter mountpoints first ("/" < "/var" <
 * "/var/log"), then by name for a stable order. */
static int
compare_mountpoints (const void *a, const void *b)
{
  const char *const *pa = a, *const *pb = b;
  size_t la = strlen (pa[0]), lb = strlen (pb[0]);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (pa[0], pb[0]);
}

/* The directory a root's filesystems are mounted under, as an O_PATH
 * fd: the guest tree's / itself, or with prefix the new directory
 * /PREFIX of the appliance's own root, which nothing may be mounted
 * over.  -1 (replied). */
static int
open_mount_base (const char *prefix)
{
  static const char chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
  CLEANUP_CLOSE int root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct stat top, sysroot;
  size_t n;
  int fd;

  if (root == -1)
    return reply_with_perror ("%s", SYSROOT);
  if (prefix == NULL)
    return TAKE_FD (root);
  n = strlen (prefix);
  if (n == 0 || n > 64 || strspn (prefix, chars) != n ||
      strcmp (prefix, ".") == 0 || strcmp (prefix, "..") == 0)
    return reply_with_error_errno (EINVAL, "inspect_mount_root: prefix "
                                   "\"%s\": one name of letters, digits "
                                   "and -_. is expected", prefix);
  /* A guest filesystem at / would be written to, and hold the prefix. */
  if (stat ("/", &top) == -1 || fstat (root, &sysroot) == -1)
    return reply_with_perror ("inspect_mount_root");
  if (top.st_dev != sysroot.st_dev)
    return reply_with_error_errno (EBUSY, "inspect_mount_root: prefix %s: "
                                   "a filesystem is mounted at /", prefix);
  if (mkdirat (root, prefix, 0755) == -1 && errno != EEXIST)
    return reply_with_perror ("inspect_mount_root: /%s", prefix);
  fd = openat (root, prefix, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("inspect_mount_root: /%s", prefix);
  return fd;
}

int
do_inspect_mount_root (const char *root, uint64_t optmask, int readonly,
                       const char *prefix)
{
  struct inspect_root *r = reply_unless_root (root);
  CLEANUP_FREE char **pairs = NULL;
  CLEANUP_FREE char *failed = NULL;
  size_t n;

  if (r == NULL)
    return -1;
  if (!(optmask & OPT_INSPECT_MOUNT_ROOT_PREFIX))
    prefix = NULL;
  n = r->mountpoints.len / 2;
  pairs = malloc (r->mountpoints.len * sizeof *pairs);
  if (pairs == NULL)
    return reply_with_perror ("inspect_mount_root");
  memcpy (pairs, r->mountpoints.v, r->mountpoints.len * sizeof *pairs);
  qsort (pairs, n, 2 * sizeof *pairs, compare_mountpoints);
  for (size_t i = 0; i < n; ++i) {
    const char *mp = pairs[2 * i], *dev = pairs[2 * i + 1];
    const struct inspect_fs *f = inspect_find_fs (&scan, dev);
    /* Opened again for each mountpoint, so that it is the filesystem
     * mounted there by now, not the directory under it. */
    CLEANUP_CLOSE int base = open_mount_base (prefix);
    CLEANUP_CLOSE int fd = -1;
    char buf[32];
    unsigned long flags = (readonly ? MS_RDONLY : 0);

    if (base == -1)
      return -1;
    /* Resolved inside base: a guest's symlink stops at its top. */
    fd = openat2_in_root (base, mp, O_PATH | O_DIRECTORY, 0);
    if (fd == -1 || f == NULL ||
        inspect_mount_at (f, fd_path (fd, buf), flags) == -1) {
      if (failed == NULL && asprintf (&failed, "%s on %s: %m", dev, mp) == -1)
        failed = NULL;
    }
  }
  if (failed) {
    reply_with_error ("inspect_mount_root: %s", failed);
    return -1;
  }
  return 0;
}
