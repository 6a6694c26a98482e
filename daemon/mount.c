/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mounting guest filesystems under /sysroot, and the calls that depend
 * on what is mounted: mounts, mountpoints, umount, umount_all, sync and
 * the shutdown the library asks for at the end.
 *
 * The kernel's mount table is the truth: mounts and umount read
 * /proc/self/mounts, never a list of our own that could drift.
 *
 * NTFS is served by ntfs-3g over FUSE (the appliance kernel has no
 * ntfs3).  ntfs-3g mounts, then detaches into the background; being PID
 * 1 the daemon inherits it.  Unmounting a FUSE mount waits for its
 * ntfs-3g to exit (and reaps it), so what it wrote is on the disk before
 * the next call, or before the appliance powers off. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "aug-session.h"
#include "journal.h"
#include "actions-gen.h"
#include "btrfs-parse.h"

int shutdown_requested;

struct mount_ent {
  char *dev;
  char *dir;                  /* host path, /sysroot/... */
};

/* Decodes the octal escapes of /proc/mounts in place. */
static void
unescape (char *s)
{
  char *o = s;

  for (; *s; ++s) {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
      *o++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 3;
    }
    else
      *o++ = *s;
  }
  *o = '\0';
}

static int
under_sysroot (const char *dir)
{
  size_t n = strlen (SYSROOT);

  return strncmp (dir, SYSROOT, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

/* The guest mounts in mount order; *n set.  Caller frees with free_mounts. */
static struct mount_ent *
read_mounts (size_t *n)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/self/mounts", "re");
  CLEANUP_FREE char *line = NULL;
  struct mount_ent *v = NULL;
  size_t cap = 0;

  *n = 0;
  if (fp == NULL)
    return NULL;
  while (getline (&line, &cap, fp) != -1) {
    char dev[4096], dir[4096];
    struct mount_ent *nv;

    if (sscanf (line, "%4095s %4095s", dev, dir) != 2)
      continue;
    unescape (dev);
    unescape (dir);
    if (!under_sysroot (dir))
      continue;
    nv = realloc (v, (*n + 1) * sizeof *v);
    if (nv == NULL)
      break;
    v = nv;
    v[*n].dev = strdup (dev);
    v[*n].dir = strdup (dir);
    (*n)++;
  }
  if (v == NULL)
    v = calloc (1, sizeof *v);
  return v;
}

static void
free_mounts (struct mount_ent *v, size_t n)
{
  for (size_t i = 0; v && i < n; ++i) {
    free (v[i].dev);
    free (v[i].dir);
  }
  free (v);
}

static const char *
guest_dir (const char *dir)
{
  const char *p = dir + strlen (SYSROOT);

  return *p ? p : "/";
}

/* mount(8) options: the flags the kernel takes as bits, the rest as data. */
static unsigned long
parse_options (const char *options, char *data, size_t n)
{
  static const struct { const char *name; unsigned long set, clear; } flags[] = {
    { "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
    { "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
    { "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
    { "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
    { "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
    { "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
    { "nodiratime", MS_NODIRATIME, 0 }, { "relatime", MS_RELATIME, 0 },
    { "strictatime", MS_STRICTATIME, 0 }, { "dirsync", MS_DIRSYNC, 0 },
    { "defaults", 0, 0 },
  };
  CLEANUP_FREE char *copy = strdup (options);
  char *tok, *save = NULL;
  unsigned long f = 0;

  data[0] = '\0';
  if (copy == NULL)
    return 0;
  for (tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save)) {
    size_t i;

    for (i = 0; i < sizeof flags / sizeof flags[0]; ++i)
      if (strcmp (tok, flags[i].name) == 0) {
        f = (f | flags[i].set) & ~flags[i].clear;
        break;
      }
    if (i == sizeof flags / sizeof flags[0]) {
      size_t l = strlen (data);
      snprintf (data + l, n - l, "%s%s", l ? "," : "", tok);
    }
  }
  return f;
}

#define FUSE_SUPER_MAGIC 0x65735546
#define FUSE_MINOR 229             /* /dev/fuse is misc (10) 229 */

/* devtmpfs makes /dev/fuse when the module loads; this covers a /dev
 * that is not devtmpfs. */
static void
ensure_dev_fuse (void)
{
  struct stat st;

  if (stat ("/dev/fuse", &st) == 0)
    return;
  if (mknod ("/dev/fuse", S_IFCHR | 0666, makedev (10, FUSE_MINOR)) == -1)
    debug ("mknod /dev/fuse: %m");
}

/* Why the last ntfs-3g failed (its stderr, squeezed), for the reply. */
static char ntfs_error[512];

/* NTFS through ntfs-3g.  dir may be /proc/self/fd/N, which means
 * nothing to another process: ntfs-3g gets the path it points to. */
static int
mount_ntfs (const char *dev, const char *dir, unsigned long flags,
            const char *data)
{
  CLEANUP_FREE char *err = NULL;
  char target[PATH_MAX], opts[1024] = "";
  const char *argv[7];
  size_t n = 0;
  int r;

  if (strncmp (dir, "/proc/self/fd/", 14) == 0) {
    ssize_t len = readlink (dir, target, sizeof target - 1);
    if (len == -1)
      return -1;
    target[len] = '\0';
  }
  else if (snprintf (target, sizeof target, "%s", dir) >= (int) sizeof target) {
    errno = ENAMETOOLONG;
    return -1;
  }
  ensure_dev_fuse ();
  snprintf (opts, sizeof opts, "nodev,nosuid");
  if (flags & MS_RDONLY)
    snprintf (opts + strlen (opts), sizeof opts - strlen (opts), ",ro");
  if (flags & MS_NOATIME)
    snprintf (opts + strlen (opts), sizeof opts - strlen (opts), "%snoatime",
              opts[0] ? "," : "");
  if (data && *data)
    snprintf (opts + strlen (opts), sizeof opts - strlen (opts), "%s%s",
              opts[0] ? "," : "", data);
  argv[n++] = "ntfs-3g";
  argv[n++] = "-o";
  argv[n++] = opts;
  argv[n++] = dev;
  argv[n++] = target;
  argv[n] = NULL;
  ntfs_error[0] = '\0';
  r = run_command (NULL, &err, (char *const *) argv);
  if (r == 0)
    return 0;
  debug ("ntfs-3g %s %s: exit %d: %s", dev, target, r, err ? err : "");
  if (r == -1 || r == 127)
    snprintf (ntfs_error, sizeof ntfs_error, "ntfs-3g: cannot be run");
  else if (err && *err) {
    /* Its reason, without the advice it adds on an inconsistent
     * volume (chkdsk, SoftRAID, dmraid: a paragraph). */
    char *advice = strstr (err, "NTFS is either inconsistent");

    if (advice)
      *advice = '\0';
    snprintf (ntfs_error, sizeof ntfs_error, "ntfs-3g: %s",
              squeeze_message (err, "ntfs-3g"));
  }
  /* The kernel's answers for the same failures. */
  if (r == 127)
    errno = ENODEV;             /* no ntfs-3g in the appliance */
  else if (r == 16 || (err && (strstr (err, "busy") ||
                                strstr (err, "exclusively opened"))))
    errno = EBUSY;
  else if (err && (strstr (err, "read-only") || strstr (err, "Read-only") ||
                   strstr (err, "hibernat") || strstr (err, "unclean")))
    errno = EROFS;
  else if (err && strstr (err, "No such file"))
    errno = ENOENT;
  else
    errno = EINVAL;
  return -1;
}

int
mount_fs (const char *dev, const char *dir, const char *type,
          unsigned long flags, const char *data)
{
  int r;

  /* Whatever the options say: a device node in a guest must never
   * reach an appliance device (another drive, the appliance's own),
   * nor a set-user-ID file gain anything.  A guest command lifts both
   * in its own mount namespace (command.c). */
  flags |= GUEST_MOUNT_FLAGS;
  load_modules_for_fstype (type);
  if (strcmp (type, "ntfs") == 0)
    return mount_ntfs (dev, dir, flags, data);
  r = mount (dev, dir, type, flags, data);
  /* ext2 and ext3 are served by the ext4 driver when they are not
   * built separately. */
  if (r == -1 && (strcmp (type, "ext2") == 0 || strcmp (type, "ext3") == 0))
    r = mount (dev, dir, "ext4", flags, data);
  return r;
}

/* The ntfs-3g serving the mount at dir (an appliance path): its
 * command line ends with dir.  0 when there is none. */
static pid_t
fuse_server (const char *dir)
{
  DIR *d = opendir ("/proc");
  struct dirent *e;
  pid_t found = 0;

  if (d == NULL)
    return 0;
  while ((e = readdir (d)) != NULL && found == 0) {
    char path[300], buf[8192];
    const char *last = NULL, *prog;
    ssize_t len;
    int fd;

    if (e->d_name[0] < '1' || e->d_name[0] > '9')
      continue;
    snprintf (path, sizeof path, "/proc/%s/cmdline", e->d_name);
    fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
      continue;
    len = read (fd, buf, sizeof buf - 1);
    close (fd);
    if (len <= 0)
      continue;
    buf[len] = '\0';
    prog = strrchr (buf, '/');
    prog = prog ? prog + 1 : buf;
    if (strcmp (prog, "ntfs-3g") != 0)
      continue;
    for (ssize_t i = 0; i < len; i += (ssize_t) strlen (buf + i) + 1)
      last = buf + i;
    if (last && strcmp (last, dir) == 0)
      found = (pid_t) atoi (e->d_name);
  }
  closedir (d);
  return found;
}

/* Waits (at most 30 s) for pid to exit, reaping it when it is our
 * child. */
static void
wait_server (pid_t pid)
{
  for (int i = 0; i < 3000; ++i) {
    pid_t r = waitpid (pid, NULL, WNOHANG);

    if (r == pid || (r == -1 && errno == ECHILD && kill (pid, 0) == -1 &&
                     errno == ESRCH)) {
      debug ("ntfs-3g (pid %d) exited after %d ms", (int) pid, i * 10);
      return;
    }
    usleep (10000);
  }
  debug ("ntfs-3g (pid %d) still running after umount", (int) pid);
}

int
umount_fs (const char *dir, int flags)
{
  struct statfs sf;
  pid_t server = 0;

  if (statfs (dir, &sf) == 0 && (unsigned long) sf.f_type == FUSE_SUPER_MAGIC)
    server = fuse_server (dir);
  if (umount2 (dir, flags) == -1)
    return -1;
  if (server > 0)
    wait_server (server);
  return 0;
}

/* The kernel's log, read from its end: what a mount that fails logs
 * there ("EXT4-fs (sda): Invalid log block size", "XFS (sda): bad
 * magic number") is the reason the mount call's errno does not give.
 * -1 if there is no log to read. */
static int
kmsg_open (void)
{
  int fd = open ("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  if (fd >= 0)
    lseek (fd, 0, SEEK_END);
  return fd;
}

/* The last message logged since kmsg_open that names dev's kernel name
 * ("sda" of /dev/sda), control characters dropped, in buf ("" if none);
 * closes fd. */
static void
kmsg_reason (int fd, const char *dev, char *buf, size_t n)
{
  const char *name = strrchr (dev, '/') ? strrchr (dev, '/') + 1 : dev;
  char rec[1024];
  ssize_t k;

  buf[0] = '\0';
  if (fd == -1)
    return;
  /* One record a read: "PRIO,SEQ,TIME,FLAGS;MESSAGE\n" and then
   * continuation lines, which are skipped. */
  while ((k = read (fd, rec, sizeof rec - 1)) > 0 || (k == -1 && errno == EPIPE)) {
    char *msg;
    size_t j = 0;

    if (k <= 0)
      continue;
    rec[k] = '\0';
    rec[strcspn (rec, "\n")] = '\0';
    msg = strchr (rec, ';');
    if (msg == NULL || strstr (++msg, name) == NULL)
      continue;
    for (; *msg && j + 1 < n; ++msg)
      if ((unsigned char) *msg >= 0x20 && *msg != 0x7f)
        buf[j++] = *msg;
    buf[j] = '\0';
  }
  close (fd);
}

static int
mount_at (const char *options, const char *vfstype, const char *dev,
          const char *mountpoint)
{
  CLEANUP_FREE char *type = NULL;
  CLEANUP_FREE char *vdev = NULL;
  CLEANUP_FREE char *subvol = NULL;
  char data[1024], fdbuf[32], why[512];
  unsigned long flags = parse_options (options, data, sizeof data);
  int fd, r, kmsg;

  const char *what = dev;       /* as the caller named it */

  /* A btrfs subvolume: its device, with the subvol option. */
  if (IS_BTRFSVOL (dev)) {
    size_t l = strlen (data);

    if (split_btrfsvol (dev, 0, &vdev, &subvol) == -1)
      return -1;
    /* The kernel splits its options at commas, with no way to quote
     * one. */
    if (strchr (subvol, ','))
      return reply_with_error_errno (EINVAL, "%s: a subvolume name with a "
                                     "comma cannot be mounted", dev);
    if (snprintf (data + l, sizeof data - l, "%ssubvol=%s", l ? "," : "",
                  subvol) >= (int) (sizeof data - l))
      return reply_with_error_errno (EINVAL, "%s: options too long", dev);
    dev = vdev;
    if (vfstype == NULL)
      vfstype = "btrfs";
  }
  type = vfstype ? strdup (vfstype) : blkid_get (dev, "TYPE");
  if (type == NULL)
    return reply_with_perror ("%s", dev);
  if (*type == '\0') {
    CLEANUP_FREE char *damaged = blkid_damaged_type (dev);

    if (damaged && *damaged)
      return reply_with_error_errno (EUCLEAN, "%s: a damaged %s filesystem "
                                     "(its superblock's checksum is wrong)",
                                     dev, damaged);
    return reply_with_error_errno (EINVAL, "%s: no filesystem found on the "
                                   "device", dev);
  }
  if (strcmp (type, "swap") == 0 || strcmp (type, "LVM2_member") == 0)
    return reply_with_error_errno (EINVAL, "%s: %s is not a mountable "
                                   "filesystem", dev, type);
  fd = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  if (fd == -1)
    return reply_with_perror ("mount point %s", mountpoint);
  kmsg = kmsg_open ();
  r = mount_fs (dev, fd_path (fd, fdbuf), type, flags, data[0] ? data : NULL);
  if (r == -1) {
    int err = errno;
    close (fd);
    kmsg_reason (kmsg, dev, why, sizeof why);
    if (strcmp (type, "ntfs") == 0 && ntfs_error[0])
      return reply_with_error_errno (err, "%s on %s (type ntfs): %s", what,
                                     mountpoint, ntfs_error);
    if (why[0])
      return reply_with_error_errno (err, "%s on %s (type %s): %s: the "
                                     "kernel says \"%s\"", what, mountpoint,
                                     type, strerror (err), why);
    errno = err;
    return reply_with_perror ("%s on %s (type %s)", what, mountpoint, type);
  }
  if (kmsg >= 0)
    close (kmsg);
  close (fd);
  return 0;
}

int
do_mount (const char *mountable, const char *mountpoint)
{
  return mount_at ("", NULL, mountable, mountpoint);
}

int
do_mount_ro (const char *mountable, const char *mountpoint)
{
  return mount_at ("ro", NULL, mountable, mountpoint);
}

int
do_mount_options (const char *options, const char *mountable,
                  const char *mountpoint)
{
  return mount_at (options, NULL, mountable, mountpoint);
}

int
do_mount_vfs (const char *options, const char *vfstype, const char *mountable,
              const char *mountpoint)
{
  return mount_at (options, vfstype, mountable, mountpoint);
}

/* Devices, or device and guest mountpoint pairs, in mount order. */
static char **
mount_list (int with_dirs)
{
  size_t n;
  struct mount_ent *v = read_mounts (&n);
  struct strlist l = STRLIST_INIT;

  if (v == NULL) {
    reply_with_perror ("/proc/self/mounts");
    return NULL;
  }
  for (size_t i = 0; i < n; ++i) {
    strlist_add (&l, v[i].dev);
    if (with_dirs)
      strlist_add (&l, guest_dir (v[i].dir));
  }
  free_mounts (v, n);
  return strlist_take (&l);
}

char **
do_mounts (void)
{
  return mount_list (0);
}

char **
do_mountpoints (void)
{
  return mount_list (1);
}

/* "/boot/" and "//boot" name the same mountpoint as "/boot". */
static void
normalize (const char *in, char *out, size_t n)
{
  size_t o = 0;

  for (; *in && o + 1 < n; ++in)
    if (!(*in == '/' && o > 0 && out[o - 1] == '/'))
      out[o++] = *in;
  while (o > 1 && out[o - 1] == '/')
    o--;
  out[o] = '\0';
}

int
do_umount (const char *pathordevice, uint64_t optmask, int force, int lazy)
{
  size_t n;
  struct mount_ent *v = read_mounts (&n);
  char want[4096];
  int flags = 0, r;
  ssize_t hit = -1;

  augeas_close_session ();
  journal_close_internal ();
  if (v == NULL)
    return reply_with_perror ("/proc/self/mounts");
  if ((optmask & OPT_UMOUNT_FORCE) && force)
    flags |= MNT_FORCE;
  if ((optmask & OPT_UMOUNT_LAZYUNMOUNT) && lazy)
    flags |= MNT_DETACH;
  normalize (pathordevice, want, sizeof want);
  /* The last mount wins: it is the one visible at that point. */
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *dev = NULL;
    if (strcmp (guest_dir (v[i].dir), want) == 0)
      hit = (ssize_t) i;
    else if (strncmp (want, "/dev/", 5) == 0 &&
             (dev = resolve_device_quiet (want)) != NULL &&
             strcmp (dev, v[i].dev) == 0)
      hit = (ssize_t) i;
  }
  if (hit < 0) {
    free_mounts (v, n);
    return reply_with_error_errno (EINVAL, "%s: not mounted", pathordevice);
  }
  r = umount_fs (v[hit].dir, flags);
  if (r == -1) {
    int err = errno;
    free_mounts (v, n);
    errno = err;
    return reply_with_perror ("%s", pathordevice);
  }
  free_mounts (v, n);
  return 0;
}

int
umount_all_internal (void)
{
  size_t n;
  struct mount_ent *v = read_mounts (&n);
  int r = 0;

  augeas_close_session ();
  journal_close_internal ();
  if (v == NULL)
    return -1;
  sync ();
  /* Reverse mount order unmounts children before their parents. */
  for (size_t i = n; i-- > 0;)
    if (umount_fs (v[i].dir, 0) == -1) {
      debug ("umount %s: %m", v[i].dir);
      r = -1;
    }
  free_mounts (v, n);
  return r;
}

int
do_umount_all (void)
{
  if (umount_all_internal () == -1)
    return reply_with_perror ("umount_all");
  return 0;
}

int
do_sync (void)
{
  sync ();
  return 0;
}

int
do_internal_shutdown (void)
{
  if (umount_all_internal () == -1)
    return reply_with_perror ("unmounting the guest filesystems");
  sync ();
  shutdown_requested = 1;
  return 0;
}

int
do_debug_append_log (const char *message)
{
  fprintf (stderr, "%s\n", message);
  return 0;
}
