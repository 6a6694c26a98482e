/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the btrfs actions (btrfs.c, btrfs-admin.c) share: guest paths
 * resolved inside the guest and handed to the btrfs programs as the
 * appliance paths the kernel resolved them to, filesystems named by a
 * device mounted for a call, and running the programs. */

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

#define BTRFS_MAGIC 0x9123683EUL

int
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
char *
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
char *
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
int
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

/* 0, or -1 (replied). */
int
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

void
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
char **
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
void
add_arg (struct strlist *argv, int *oom, const char *s)
{
  if (strlist_add (argv, s) == -1)
    *oom = 1;
}

void
add_argf (struct strlist *argv, int *oom, const char *fs, int64_t v)
{
  if (strlist_addf (argv, fs, v) == -1)
    *oom = 1;
}

/* A quota group ID: LEVEL/ID in decimal.  0, or -1 (replied, EINVAL). */
int
check_qgroupid (const char *q)
{
  size_t a = strspn (q, "0123456789");

  if (a == 0 || q[a] != '/' || q[a + 1] == '\0' ||
      strspn (q + a + 1, "0123456789") != strlen (q + a + 1))
    return reply_with_error_errno (EINVAL, "\"%s\": not a quota group ID "
                                   "(LEVEL/ID, e.g. 1/0)", q);
  return 0;
}

/* Runs "btrfs WORDS... PATH" over the btrfs guest path. */
int
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
