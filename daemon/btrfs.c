/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs: the btrfs, mkfs.btrfs, btrfstune and btrfs-image programs run
 * over guest paths and devices.  Guest paths are resolved inside the
 * guest (sysroot.c) and handed to the programs as the appliance paths
 * the kernel resolved them to; what the programs print is parsed by
 * btrfs-parse.c. */

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
#include "btrfs-parse.h"

#define BTRFS_MAGIC 0x9123683EUL

static int
need_btrfs (void)
{
  if (!optgroup_btrfs_available ())
    return reply_with_error_errno (ENOTSUP, "btrfs: not available in this "
                                   "appliance");
  return 0;
}

/* The appliance path of the existing guest file or directory PATH,
 * which must be on a btrfs filesystem, as the kernel resolved it inside
 * the guest: no guest symlink is left for a program to follow.  NULL
 * (replied) on failure; caller frees. */
static char *
btrfs_path (const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *gpath = NULL;
  struct statfs sf;
  char *r;

  if (need_btrfs () == -1)
    return NULL;
  fd = sysroot_open (path, O_PATH, 0);
  if (fd == -1 || fstatfs (fd, &sf) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if ((unsigned long) sf.f_type != BTRFS_MAGIC) {
    reply_with_error_errno (EINVAL, "%s: not on a btrfs filesystem", path);
    return NULL;
  }
  if ((gpath = guest_path_of_fd (fd)) == NULL ||
      asprintf (&r, SYSROOT "%s", gpath) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

/* The appliance path of PATH, a guest file or subvolume about to be
 * made: its directory resolved inside the guest, plus its last
 * component, which must not be there already unless it is a regular
 * file and regular is set (an image is written over one).  With
 * on_btrfs the directory must be on btrfs.  NULL (replied); caller
 * frees. */
static char *
new_path (const char *path, int on_btrfs, int regular)
{
  CLEANUP_FREE char *base = NULL;
  CLEANUP_FREE char *gdir = NULL;
  CLEANUP_CLOSE int fd = -1;
  struct statfs sf;
  struct stat st;
  char *r;

  if (need_btrfs () == -1)
    return NULL;
  fd = sysroot_open_parent (path, &base);
  if (fd == -1 || fstatfs (fd, &sf) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (on_btrfs && (unsigned long) sf.f_type != BTRFS_MAGIC) {
    reply_with_error_errno (EINVAL, "%s: not on a btrfs filesystem", path);
    return NULL;
  }
  if (fstatat (fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!regular) {
      reply_with_error_errno (EEXIST, "%s: already exists", path);
      return NULL;
    }
    if (!S_ISREG (st.st_mode)) {
      reply_not_regular (path, st.st_mode);
      return NULL;
    }
  }
  if ((gdir = guest_path_of_fd (fd)) == NULL ||
      asprintf (&r, SYSROOT "%s/%s", strcmp (gdir, "/") ? gdir : "",
                base) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

/* The appliance paths in a message of a program, /sysroot/x, as the
 * guest paths they are (/x), in place. */
static void
guest_paths_in (char *msg)
{
  const size_t n = sizeof SYSROOT - 1;
  char *p = msg;

  while (msg && (p = strstr (p, SYSROOT)) != NULL) {
    if (p[n] == '/')
      memmove (p, p + n, strlen (p + n) + 1);
    else if (p[n] == '\0' || p[n] == '"' || p[n] == '\'' || p[n] == ' ' ||
             p[n] == ':' || p[n] == ',') {
      memmove (p + 1, p + n, strlen (p + n) + 1);
      ++p;
    }
    else
      p += n;
  }
}

/* Runs argv; on failure replies "SUBJECT: PROG: its message" (its
 * stderr, or its stdout when that is empty: some btrfs commands say
 * why there).  Its stdout in *out unless out is NULL.  0, or -1
 * (replied). */
static int
run_btrfs (const char *subject, char **out, char *const *argv)
{
  CLEANUP_FREE char *o = NULL;
  CLEANUP_FREE char *err = NULL;
  int r = run_command (&o, &err, argv);

  if (r != 0) {
    char *msg = r > 0 && (err == NULL || err[strspn (err, " \t\n")] == '\0')
      ? o : err;

    guest_paths_in (msg);
    return reply_command_error (subject, argv, r, msg);
  }
  if (out) {
    *out = o;
    o = NULL;
  }
  return 0;
}

/* A filesystem named by a guest directory or a device (or
 * btrfsvol:DEVICE/SUBVOLUME), the latter mounted for the call on a
 * directory of the appliance. */
struct fs_at {
  char *path;                   /* the appliance path to work on */
  char tmp[32];                 /* the temporary mount point, or "" */
};

/* 0, or -1 (replied). */
static int
fs_at_open (struct fs_at *f, const char *fs)
{
  CLEANUP_FREE char *dev = NULL;
  CLEANUP_FREE char *subvol = NULL;
  CLEANUP_FREE char *data = NULL;

  f->path = NULL;
  f->tmp[0] = '\0';
  if (strncmp (fs, "/dev/", 5) != 0 && strncmp (fs, "btrfsvol:", 9) != 0)
    return (f->path = btrfs_path (fs)) ? 0 : -1;
  if (need_btrfs () == -1)
    return -1;
  if (strncmp (fs, "btrfsvol:", 9) == 0) {
    if (split_btrfsvol (fs, 1, &dev, &subvol) == -1)
      return -1;
  }
  else if ((dev = resolve_device ("btrfs", fs)) == NULL)
    return -1;
  if (subvol && asprintf (&data, "subvol=%s", subvol) == -1)
    return reply_with_perror ("%s", fs);
  snprintf (f->tmp, sizeof f->tmp, "/tmp/btrfsXXXXXX");
  if (mkdtemp (f->tmp) == NULL) {
    f->tmp[0] = '\0';
    return reply_with_perror ("%s: mkdtemp", fs);
  }
  if (mount_fs (dev, f->tmp, "btrfs", 0, data) == -1) {
    int e = errno;
    rmdir (f->tmp);
    f->tmp[0] = '\0';
    errno = e;
    return reply_with_perror ("%s: mount", fs);
  }
  if ((f->path = strdup (f->tmp)) == NULL) {
    reply_with_perror ("%s", fs);
    umount2 (f->tmp, 0);
    rmdir (f->tmp);
    f->tmp[0] = '\0';
    return -1;
  }
  return 0;
}

static void
fs_at_close (struct fs_at *f)
{
  if (f->tmp[0]) {
    if (umount_fs (f->tmp, 0) == -1)
      debug ("umount %s: %m", f->tmp);
    rmdir (f->tmp);
  }
  free (f->path);
}

/* The appliance devices of a list of API device names, or NULL
 * (replied).  Caller frees. */
static char **
resolve_devices (const char *action, char *const *devices)
{
  struct strlist l = STRLIST_INIT;
  char **r;

  for (size_t i = 0; devices && devices[i]; ++i) {
    char *dev = resolve_device (action, devices[i]);

    if (dev == NULL || strlist_add_take (&l, dev) == -1) {
      if (dev == NULL) {
        strlist_free (&l);
        return NULL;
      }
      strlist_free (&l);
      reply_with_perror ("%s", action);
      return NULL;
    }
  }
  if ((r = strlist_take (&l)) == NULL && (r = calloc (1, sizeof *r)) == NULL)
    reply_with_perror ("%s", action);
  return r;
}

/* argv as a strlist: adds, and checks once at the end. */
static void
arg (struct strlist *argv, int *oom, const char *s)
{
  if (strlist_add (argv, s) == -1)
    *oom = 1;
}

static void
argf (struct strlist *argv, int *oom, const char *fs, int64_t v)
{
  if (strlist_addf (argv, fs, v) == -1)
    *oom = 1;
}

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
  arg (&argv, &oom, "mkfs.btrfs");
  arg (&argv, &oom, "-f");
  if (optmask & OPT_MKFS_BTRFS_BYTECOUNT)
    argf (&argv, &oom, "--byte-count=%" PRId64, bytecount);
  if (optmask & OPT_MKFS_BTRFS_DATATYPE) {
    arg (&argv, &oom, "--data");
    arg (&argv, &oom, datatype);
  }
  if (optmask & OPT_MKFS_BTRFS_LABEL) {
    arg (&argv, &oom, "--label");
    arg (&argv, &oom, label);
  }
  if (optmask & OPT_MKFS_BTRFS_METADATA) {
    arg (&argv, &oom, "--metadata");
    arg (&argv, &oom, metadata);
  }
  if (optmask & (OPT_MKFS_BTRFS_NODESIZE | OPT_MKFS_BTRFS_LEAFSIZE))
    argf (&argv, &oom, "--nodesize=%" PRId64,
          (int64_t) ((optmask & OPT_MKFS_BTRFS_NODESIZE) ? nodesize
                     : leafsize));
  if (optmask & OPT_MKFS_BTRFS_SECTORSIZE)
    argf (&argv, &oom, "--sectorsize=%" PRId64, (int64_t) sectorsize);
  for (size_t i = 0; devs[i]; ++i)
    arg (&argv, &oom, devs[i]);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("mkfs_btrfs");
  }
  r = run_btrfs (devices[0], NULL, argv.v);
  strlist_free (&argv);
  return r;
}

/* A quota group ID: LEVEL/ID in decimal.  0, or -1 (replied, EINVAL). */
static int
check_qgroupid (const char *q)
{
  size_t a = strspn (q, "0123456789");

  if (a == 0 || q[a] != '/' || q[a + 1] == '\0' ||
      strspn (q + a + 1, "0123456789") != strlen (q + a + 1))
    return reply_with_error_errno (EINVAL, "\"%s\": not a quota group ID "
                                   "(LEVEL/ID, e.g. 1/0)", q);
  return 0;
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
  arg (&argv, &oom, "btrfs");
  arg (&argv, &oom, "subvolume");
  arg (&argv, &oom, "create");
  if (optmask & OPT_BTRFS_SUBVOLUME_CREATE_QGROUPID) {
    arg (&argv, &oom, "-i");
    arg (&argv, &oom, qgroupid);
  }
  arg (&argv, &oom, path);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_subvolume_create");
  }
  r = run_btrfs (dest, NULL, argv.v);
  strlist_free (&argv);
  return r;
}

int
do_btrfs_subvolume_delete (const char *subvolume)
{
  CLEANUP_FREE char *path = btrfs_path (subvolume);

  if (path == NULL)
    return -1;
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
  arg (&argv, &oom, "btrfs");
  arg (&argv, &oom, "subvolume");
  arg (&argv, &oom, "snapshot");
  if ((optmask & OPT_BTRFS_SUBVOLUME_SNAPSHOT_RO) && ro)
    arg (&argv, &oom, "-r");
  if (optmask & OPT_BTRFS_SUBVOLUME_SNAPSHOT_QGROUPID) {
    arg (&argv, &oom, "-i");
    arg (&argv, &oom, qgroupid);
  }
  arg (&argv, &oom, src);
  arg (&argv, &oom, dst);
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
  if (!S_ISDIR (st.st_mode) || st.st_ino != 256) {
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

/* Runs "btrfs WORDS... PATH" over the btrfs guest path. */
static int
btrfs_on_path (const char *path, const char *w1, const char *w2,
               const char *w3)
{
  CLEANUP_FREE char *p = btrfs_path (path);

  if (p == NULL)
    return -1;
  {
    char *const argv[] = {
      "btrfs", (char *) w1, (char *) w2, w3 ? (char *) w3 : p,
      w3 ? p : NULL, NULL
    };
    return run_btrfs (path, NULL, argv);
  }
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
  arg (&argv, &oom, "btrfs");
  arg (&argv, &oom, "filesystem");
  arg (&argv, &oom, "defragment");
  if (S_ISDIR (st.st_mode))
    arg (&argv, &oom, "-r");
  if ((optmask & OPT_BTRFS_FILESYSTEM_DEFRAGMENT_FLUSH) && flush)
    arg (&argv, &oom, "-f");
  if (c && strlist_addf (&argv, "-c%s", compress) == -1)
    oom = 1;
  arg (&argv, &oom, p);
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
  arg (&argv, &oom, "btrfs");
  arg (&argv, &oom, "device");
  arg (&argv, &oom, op);
  if (strcmp (op, "add") == 0)
    arg (&argv, &oom, "-f");
  for (size_t i = 0; devs[i]; ++i)
    arg (&argv, &oom, devs[i]);
  arg (&argv, &oom, path);
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
  arg (&argv, &oom, "btrfs-image");
  if (optmask & OPT_BTRFS_IMAGE_COMPRESSLEVEL)
    argf (&argv, &oom, "-c%" PRId64, (int64_t) compresslevel);
  /* btrfs-image reads the filesystem through its first device and
   * finds the others itself. */
  arg (&argv, &oom, devs[0]);
  arg (&argv, &oom, out);
  if (oom) {
    strlist_free (&argv);
    return reply_with_perror ("btrfs_image");
  }
  r = run_btrfs (source[0], NULL, argv.v);
  strlist_free (&argv);
  return r;
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
  if (mount_fs (dev, tmp, "btrfs", MS_RDONLY, NULL) == -1) {
    debug ("list_filesystems: mount %s: %m", dev);
    rmdir (tmp);
    return;
  }
  if (run_command (&out, NULL, argv) == 0)
    subs = parse_subvolume_list (out);
  if (umount_fs (tmp, 0) == -1)
    debug ("umount %s: %m", tmp);
  rmdir (tmp);
  for (uint32_t i = 0; subs && i < subs->len; ++i) {
    strlist_addf (l, "btrfsvol:%s/%s", dev, subs->val[i].btrfssubvolume_path);
    strlist_add (l, "btrfs");
  }
  for (uint32_t i = 0; subs && i < subs->len; ++i)
    free (subs->val[i].btrfssubvolume_path);
  if (subs)
    free (subs->val);
  free (subs);
}
