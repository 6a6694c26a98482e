/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM administration beyond creating and listing (lvm.c): resizing,
 * renaming and removing physical volumes, volume groups and logical
 * volumes, scanning and activating, the UUIDs of a group's members,
 * its metadata, and telling logical volumes from other devices. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* A logical volume named as /dev/VG/LV: 0, or -1 (replied, EINVAL). */
static int
check_lv_path (const char *path)
{
  const char *vg = path + 5, *slash;
  char name[256];

  if (strncmp (path, "/dev/", 5) != 0 || (slash = strchr (vg, '/')) == NULL ||
      (size_t) (slash - vg) >= sizeof name)
    return reply_with_error_errno (EINVAL, "%s: not a logical volume path "
                                   "(/dev/VG/LV)", path);
  snprintf (name, sizeof name, "%.*s", (int) (slash - vg), vg);
  if (lvm_check_name ("volume group", name) == -1 ||
      lvm_check_name ("logical volume", slash + 1) == -1)
    return -1;
  return 0;
}

int
do_lvresize (const char *device, int mbytes)
{
  char size[32];
  char *const argv[] = {
    "lvm", "lvresize", "-f", "-L", size, (char *) device, NULL
  };

  if (mbytes <= 0)
    return reply_with_error_errno (EINVAL, "%s: size %d MB: must be "
                                   "positive", device, mbytes);
  snprintf (size, sizeof size, "%dm", mbytes);
  return run_lvm (device, argv, NULL);
}

int
do_lvresize_free (const char *lv, int percent)
{
  char size[32];
  char *const argv[] = {
    "lvm", "lvresize", "-l", size, (char *) lv, NULL
  };

  if (percent <= 0 || percent > 100)
    return reply_with_error_errno (EINVAL, "%s: %d%%: the percentage must "
                                   "be 1 to 100", lv, percent);
  snprintf (size, sizeof size, "+%d%%FREE", percent);
  return run_lvm (lv, argv, NULL);
}

int
do_pvresize (const char *device)
{
  char *const argv[] = { "lvm", "pvresize", "-y", (char *) device, NULL };

  return run_lvm (device, argv, NULL);
}

int
do_pvresize_size (const char *device, int64_t size)
{
  char arg[32];
  char *const argv[] = {
    "lvm", "pvresize", "-y", "--setphysicalvolumesize", arg,
    (char *) device, NULL
  };

  if (size < 1024)
    return reply_with_error_errno (EINVAL, "%s: size %" PRIi64 ": too "
                                   "small", device, size);
  snprintf (arg, sizeof arg, "%" PRIi64 "k", size / 1024);
  return run_lvm (device, argv, NULL);
}

int
do_pvremove (const char *device)
{
  char *const argv[] = {
    "lvm", "pvremove", "-ff", "-y", (char *) device, NULL
  };

  return run_lvm (device, argv, NULL);
}

int
do_vgremove (const char *vgname)
{
  char *const argv[] = { "lvm", "vgremove", "-f", "-y", (char *) vgname, NULL };

  if (lvm_check_name ("volume group", vgname) == -1)
    return -1;
  return run_lvm (vgname, argv, NULL);
}

int
do_lvrename (const char *logvol, const char *newlogvol)
{
  char *const argv[] = {
    "lvm", "lvrename", (char *) logvol, (char *) newlogvol, NULL
  };

  if (check_lv_path (logvol) == -1 || check_lv_path (newlogvol) == -1)
    return -1;
  return run_lvm (logvol, argv, NULL);
}

int
do_vgrename (const char *volgroup, const char *newvolgroup)
{
  char *const argv[] = {
    "lvm", "vgrename", (char *) volgroup, (char *) newvolgroup, NULL
  };
  char *const mknodes[] = { "lvm", "vgmknodes", (char *) newvolgroup, NULL };

  if (lvm_check_name ("volume group", volgroup) == -1 ||
      lvm_check_name ("volume group", newvolgroup) == -1)
    return -1;
  if (run_lvm (volgroup, argv, NULL) == -1)
    return -1;
  /* The active LVs' /dev/NEWVG/LV links. */
  return run_lvm (newvolgroup, mknodes, NULL);
}

int
do_vgscan (void)
{
  char *const argv[] = { "lvm", "vgscan", NULL };

  return run_lvm ("volume groups", argv, NULL);
}

int
do_lvm_scan (int activate)
{
  char *const argv[] = { "lvm", "pvscan", NULL };

  if (run_lvm ("physical volumes", argv, NULL) == -1)
    return -1;
  return activate ? do_vg_activate_all (1) : 0;
}

int
do_vg_activate (int activate, char *const *volgroups)
{
  struct strlist argv = STRLIST_INIT;
  int r = -1;

  /* No volume group given: libguestfs's meaning, all of them. */
  if (volgroups == NULL || volgroups[0] == NULL)
    return do_vg_activate_all (activate);
  /* The lazy activation at launch is done first, never after. */
  lvm_auto_activate ();
  if (strlist_add (&argv, "lvm") == -1 ||
      strlist_add (&argv, "vgchange") == -1 ||
      strlist_add (&argv, "-a") == -1 ||
      strlist_add (&argv, activate ? "y" : "n") == -1)
    goto nomem;
  for (size_t i = 0; volgroups[i]; ++i) {
    if (lvm_check_name ("volume group", volgroups[i]) == -1)
      goto out;
    if (strlist_add (&argv, volgroups[i]) == -1)
      goto nomem;
  }
  if ((r = run_lvm ("volume groups", argv.v, NULL)) == 0 && activate) {
    char *const mknodes[] = { "lvm", "vgmknodes", NULL };

    r = run_lvm ("volume groups", mknodes, NULL);
  }
  goto out;
 nomem:
  reply_with_perror ("volume groups");
 out:
  strlist_free (&argv);
  return r;
}

int
do_lvm_remove_all (void)
{
  CLEANUP_FREE_STRING_LIST char **vgs = do_vgs ();
  CLEANUP_FREE_STRING_LIST char **pvs = NULL;

  if (vgs == NULL)
    return -1;
  for (size_t i = 0; vgs[i]; ++i) {
    char *const lvremove[] = { "lvm", "lvremove", "-f", "-y", vgs[i], NULL };

    if (run_lvm (vgs[i], lvremove, NULL) == -1 || do_vgremove (vgs[i]) == -1)
      return -1;
  }
  if ((pvs = do_pvs ()) == NULL)
    return -1;
  for (size_t i = 0; pvs[i]; ++i)
    if (do_pvremove (pvs[i]) == -1)
      return -1;
  return 0;
}

/* The uuids of a report (-o FIELD) of the VG's members. */
static char **
member_uuids (const char *cmd, const char *field, const char *vgname)
{
  CLEANUP_FREE char *out = NULL, *sel = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist l = STRLIST_INIT;

  if (lvm_check_name ("volume group", vgname) == -1)
    return NULL;
  if (asprintf (&sel, "vg_name=%s", vgname) == -1)
    goto nomem;
  {
    char *const argv[] = {
      "lvm", (char *) cmd, "--noheadings", "-o", (char *) field,
      "-S", sel, NULL
    };

    if (run_lvm (vgname, argv, &out) == -1)
      return NULL;
  }
  if ((lines = split_lines (out)) == NULL)
    goto nomem;
  for (size_t i = 0; lines[i]; ++i) {
    char *p = lines[i] + strspn (lines[i], " \t");
    size_t n = strcspn (p, " \t");

    if (n > 0 && strlist_addf (&l, "%.*s", (int) n, p) == -1)
      goto nomem;
  }
  if (l.v == NULL && (l.v = calloc (1, sizeof *l.v)) == NULL)
    goto nomem;
  return strlist_take (&l);
 nomem:
  reply_with_perror ("%s", vgname);
  strlist_free (&l);
  return NULL;
}

char **
do_vglvuuids (const char *vgname)
{
  return member_uuids ("lvs", "lv_uuid", vgname);
}

char **
do_vgpvuuids (const char *vgname)
{
  return member_uuids ("pvs", "pv_uuid", vgname);
}

char *
do_vgmeta (const char *vgname, size_t *size_r)
{
  char tmp[] = "/tmp/vgmetaXXXXXX";
  int fd = mkostemp (tmp, O_CLOEXEC);
  char *const argv[] = { "lvm", "vgcfgbackup", "-f", tmp, (char *) vgname,
                         NULL };
  char *buf = NULL;

  if (fd == -1) {
    reply_with_perror ("%s", vgname);
    return NULL;
  }
  close (fd);
  if (lvm_check_name ("volume group", vgname) == -1 ||
      run_lvm (vgname, argv, NULL) == -1)
    goto out;
  /* vgcfgbackup wrote a new file at the name. */
  buf = read_file_max (tmp, 16 * 1024 * 1024, size_r);
  if (buf == NULL)
    reply_with_perror ("%s: reading its metadata", vgname);
 out:
  unlink (tmp);
  return buf;
}

/* The device-mapper name of an LV device ("VG-LV"), or NULL if dev is
 * not a logical volume.  Caller frees. */
static char *
lv_dm_name (const char *dev)
{
  struct stat st;
  char path[128], uuid[256], name[256];

  if (stat (dev, &st) == -1 || !S_ISBLK (st.st_mode))
    return NULL;
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/dm/uuid",
            major (st.st_rdev), minor (st.st_rdev));
  if (read_sysfs_line (path, uuid, sizeof uuid) == -1 ||
      strncmp (uuid, "LVM-", 4) != 0 || strlen (uuid) != 68)
    return NULL;
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/dm/name",
            major (st.st_rdev), minor (st.st_rdev));
  if (read_sysfs_line (path, name, sizeof name) == -1)
    return NULL;
  return strdup (name);
}

int
do_is_lv (const char *mountable)
{
  CLEANUP_FREE char *name = lv_dm_name (mountable);

  return name != NULL;
}

char *
do_lvm_canonical_lv_name (const char *lvname)
{
  CLEANUP_FREE char *dev = resolve_device_quiet (lvname);
  CLEANUP_FREE char *name = dev ? lv_dm_name (dev) : NULL;
  char *r, *p;
  int split = 0;

  if (dev == NULL) {
    free (resolve_device ("lvm_canonical_lv_name", lvname));
    return NULL;
  }
  if (name == NULL) {
    reply_with_error_errno (EINVAL, "%s: not a logical volume", lvname);
    return NULL;
  }
  if ((r = malloc (strlen (name) + 6)) == NULL) {
    reply_with_perror ("%s", lvname);
    return NULL;
  }
  /* "VG-LV", a '-' inside a name doubled, into /dev/VG/LV. */
  p = r + sprintf (r, "/dev/");
  for (size_t i = 0; name[i]; ++i) {
    if (name[i] == '-' && name[i + 1] == '-')
      *p++ = name[i++];
    else if (name[i] == '-' && !split) {
      *p++ = '/';
      split = 1;
    }
    else
      *p++ = name[i];
  }
  *p = '\0';
  return r;
}
