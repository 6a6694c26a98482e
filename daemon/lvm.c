/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM: listing and creating physical volumes, volume groups and logical
 * volumes, and activating them, all through the appliance's single "lvm"
 * binary.  There is no udev in the appliance: its lvm.conf makes LVM
 * create the /dev/mapper nodes and /dev/VG/LV links itself, and
 * vgmknodes repairs them should one be missing. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define NAME_MAX_LEN 127
#define NAME_CHARS \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+_.-"

/* Runs "lvm ..." after making sure device-mapper is there.  On failure
 * replies "SUBJECT: lvm COMMAND: its stderr".  0, or -1 (replied). */
int
run_lvm (const char *subject, char *const *argv, char **out)
{
  CLEANUP_FREE char *err = NULL;
  int r;

  load_module ("dm_mod");
  r = run_command (out, &err, argv);
  if (r == 0)
    return 0;
  if (out) {
    free (*out);
    *out = NULL;
  }
  if (r == -1)
    return reply_with_perror ("%s: lvm", subject);
  return reply_with_error ("%s: lvm %s: %s", subject, argv[1],
                           *squeeze_message (err, "lvm") ? err :
                           "failed with no message");
}

/* VG and LV names reach lvm's command line: letters, digits and + _ . -
 * only, not starting with "-", as LVM itself requires. */
int
lvm_check_name (const char *kind, const char *name)
{
  size_t n = strlen (name);

  if (n == 0 || n > NAME_MAX_LEN || name[0] == '-' ||
      strspn (name, NAME_CHARS) != n || strcmp (name, ".") == 0 ||
      strcmp (name, "..") == 0)
    return reply_with_error_errno (EINVAL, "\"%s\": invalid %s name (use "
                                   "letters, digits and + _ . -, not "
                                   "starting with -)", name, kind);
  return 0;
}

/* "vg-lv" as device-mapper spells it ('-' inside a name doubled) into
 * "vg/lv".  NULL if it is not of that shape. */
static char *
dm_name_to_lv (const char *name)
{
  size_t n = strlen (name);
  char *out = malloc (n + 1), *o = out;
  int split = 0;

  if (out == NULL)
    return NULL;
  for (size_t i = 0; i < n; ++i) {
    if (name[i] == '-' && name[i + 1] == '-')
      *o++ = name[i++];
    else if (name[i] == '-' && !split) {
      *o++ = '/';
      split = 1;
    }
    else
      *o++ = name[i];
  }
  *o = '\0';
  if (!split || out[0] == '/' || o[-1] == '/') {
    free (out);
    return NULL;
  }
  return out;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char **
lvm_active_lvs (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct strlist l = STRLIST_INIT;
  struct dirent *e;
  char **r;

  while (d && (e = readdir (d)) != NULL) {
    char path[300], uuid[256], name[256];
    CLEANUP_FREE char *lv = NULL;

    if (strncmp (e->d_name, "dm-", 3) != 0)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s/dm/uuid", e->d_name);
    if (read_sysfs_line (path, uuid, sizeof uuid) == -1 ||
        strncmp (uuid, "LVM-", 4) != 0 || strlen (uuid) != 68)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s/dm/name", e->d_name);
    if (read_sysfs_line (path, name, sizeof name) == -1 ||
        (lv = dm_name_to_lv (name)) == NULL)
      continue;
    if (strlist_addf (&l, "/dev/%s", lv) == -1) {
      strlist_free (&l);
      return NULL;
    }
  }
  r = strlist_take (&l);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    return NULL;
  qsort (r, count_strings (r), sizeof *r, compare_strings);
  return r;
}

/* One report column per line, blanks trimmed, prefixed, sorted.  NULL
 * (replied) on failure. */
static char **
report (const char *what, char *const *argv, const char *prefix)
{
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist l = STRLIST_INIT;

  /* Without a physical volume the report is empty. */
  if (!lvm_pv_seen ()) {
    char **empty = calloc (1, sizeof *empty);

    if (empty == NULL)
      reply_with_perror ("%s", what);
    return empty;
  }
  if (run_lvm (what, argv, &out) == -1)
    return NULL;
  lines = split_lines (out);
  if (lines == NULL)
    goto nomem;
  for (size_t i = 0; lines[i]; ++i) {
    char *p = lines[i] + strspn (lines[i], " \t");
    size_t n = strcspn (p, " \t");

    if (n > 0 && strlist_addf (&l, "%s%.*s", prefix, (int) n, p) == -1)
      goto nomem;
  }
  if (l.v)
    sort_strings (l.v);
  return strlist_take (&l);
 nomem:
  reply_with_perror ("%s", what);
  strlist_free (&l);
  return NULL;
}

char **
do_lvs (void)
{
  /* Public LVs only: no thin pools, no LVs that are never activated. */
  char *const argv[] = {
    "lvm", "lvs", "--noheadings", "-o", "vg_name,lv_name", "--separator", "/",
    "-S", "lv_role=public && lv_skip_activation!=yes", NULL
  };

  return report ("logical volumes", argv, "/dev/");
}

char **
do_vgs (void)
{
  char *const argv[] = {
    "lvm", "vgs", "--noheadings", "-o", "vg_name", NULL
  };

  return report ("volume groups", argv, "");
}

char **
do_pvs (void)
{
  char *const argv[] = {
    "lvm", "pvs", "--noheadings", "-o", "pv_name", NULL
  };

  return report ("physical volumes", argv, "");
}

/* Creates missing /dev/VG/LV links and /dev/mapper nodes of vg (every
 * VG if NULL).  0, or -1 (replied). */
static int
make_nodes (const char *vg)
{
  char *const argv[] = { "lvm", "vgmknodes", (char *) vg, NULL };

  return run_lvm (vg ? vg : "volume groups", argv, NULL);
}

/* 1 if every active logical volume has its /dev/VG/LV: libdevmapper
 * made them, and vgmknodes (another lvm run) is not needed. */
static int
nodes_present (void)
{
  CLEANUP_FREE_STRING_LIST char **lvs = lvm_active_lvs ();
  struct stat st;

  for (size_t i = 0; lvs && lvs[i]; ++i)
    if (stat (lvs[i], &st) == -1 || !S_ISBLK (st.st_mode))
      return 0;
  return lvs != NULL;
}

/* Whether the volume groups found on the drives were activated since
 * they were attached (see lvm_auto_activate). */
static int auto_activated;

void
lvm_auto_reset (void)
{
  auto_activated = 0;
}

/* What lvm said against the volume groups it found when it activated
 * them behind the caller's back: a damaged metadata area is the reason
 * a logical volume is missing. */
static char lvm_complaint[512];

const char *
lvm_auto_complaint (void)
{
  return lvm_complaint;
}

int
lvm_auto_activate (void)
{
  static const char *const damaged[] = {
    "Checksum error", "invalid metadata", "parse error",
    "Failed to read metadata",
  };
  char *const argv[] = { "lvm", "vgchange", "-a", "y", NULL };
  CLEANUP_FREE char *err = NULL;
  int r;

  if (auto_activated)
    return 0;
  auto_activated = 1;
  lvm_complaint[0] = '\0';
  if (!lvm_pv_seen ())
    return 0;
  load_module ("dm_mod");
  r = run_command (NULL, &err, argv);
  if (r != 0)
    debug ("vgchange -ay failed: only the active LVs are there");
  /* Only what says the metadata is damaged (lvm's other warnings, no
   * udev here, would mislead), one line of it: the checksum error if
   * there is one, the clearest of the several lines a damaged
   * metadata area gives. */
  for (size_t i = 0; err && i < sizeof damaged / sizeof damaged[0]; ++i) {
    char *line = strstr (err, damaged[i]);

    if (line == NULL)
      continue;
    line[strcspn (line, "\n")] = '\0';
    snprintf (lvm_complaint, sizeof lvm_complaint, "%s", line);
    break;
  }
  if (!nodes_present ()) {
    char *const mknodes[] = { "lvm", "vgmknodes", NULL };

    run_command (NULL, NULL, mknodes);
  }
  return 1;
}

int
do_vg_activate_all (int activate)
{
  char *const argv[] = {
    "lvm", "vgchange", "-a", activate ? "y" : "n", NULL
  };

  /* The caller decides from now on: no later activation behind its
   * back. */
  auto_activated = 1;
  /* Without a physical volume there is nothing to activate. */
  if (!lvm_pv_seen ())
    return 0;
  if (run_lvm ("volume groups", argv, NULL) == -1)
    return -1;
  return activate && !nodes_present () ? make_nodes (NULL) : 0;
}

int
do_pvcreate (const char *device)
{
  /* -ff -y: the caller chose the device, replace an old PV without
   * asking. */
  char *const argv[] = {
    "lvm", "pvcreate", "-ff", "-y", (char *) device, NULL
  };

  return run_lvm (device, argv, NULL);
}

/* physvols are API names (a string list, which the dispatcher does not
 * translate): each is resolved here. */
int
do_vgcreate (const char *volgroup, char *const *physvols)
{
  struct strlist argv = STRLIST_INIT;
  int r = -1;

  if (lvm_check_name ("volume group", volgroup) == -1)
    return -1;
  if (physvols == NULL || physvols[0] == NULL)
    return reply_with_error_errno (EINVAL, "%s: no physical volumes given",
                                   volgroup);
  if (strlist_add (&argv, "lvm") == -1 ||
      strlist_add (&argv, "vgcreate") == -1 ||
      strlist_add (&argv, volgroup) == -1)
    goto nomem;
  for (size_t i = 0; physvols[i]; ++i) {
    char *dev = resolve_device ("vgcreate", physvols[i]);

    if (dev == NULL)
      goto out;
    if (strlist_add_take (&argv, dev) == -1)
      goto nomem;
  }
  r = run_lvm (volgroup, argv.v, NULL);
  goto out;
 nomem:
  reply_with_perror ("%s", volgroup);
 out:
  strlist_free (&argv);
  return r;
}

/* lvcreate with size_opt ("-L" or "-l") = size, then the LV's nodes. */
static int
lvcreate (const char *logvol, const char *volgroup, const char *size_opt,
          const char *size)
{
  char *const argv[] = {
    "lvm", "lvcreate", "-y", (char *) size_opt, (char *) size,
    "-n", (char *) logvol, (char *) volgroup, NULL
  };
  char path[300];
  struct stat st;

  if (lvm_check_name ("logical volume", logvol) == -1 ||
      lvm_check_name ("volume group", volgroup) == -1)
    return -1;
  snprintf (path, sizeof path, "%s/%s", volgroup, logvol);
  if (run_lvm (path, argv, NULL) == -1)
    return -1;
  snprintf (path, sizeof path, "/dev/%s/%s", volgroup, logvol);
  if (stat (path, &st) == -1 && make_nodes (volgroup) == -1)
    return -1;
  return 0;
}

int
do_lvcreate (const char *logvol, const char *volgroup, int mbytes)
{
  char size[32];

  if (mbytes <= 0)
    return reply_with_error_errno (EINVAL, "%s/%s: size %d MB: must be "
                                   "positive", volgroup, logvol, mbytes);
  snprintf (size, sizeof size, "%dm", mbytes);
  return lvcreate (logvol, volgroup, "-L", size);
}

int
do_lvcreate_free (const char *logvol, const char *volgroup, int percent)
{
  char size[32];

  if (percent <= 0 || percent > 100)
    return reply_with_error_errno (EINVAL, "%s/%s: %d%%: the percentage "
                                   "must be 1 to 100", volgroup, logvol,
                                   percent);
  snprintf (size, sizeof size, "%d%%FREE", percent);
  return lvcreate (logvol, volgroup, "-l", size);
}

/* DEVICE is /dev/VG/LV (one logical volume) or /dev/VG (every logical
 * volume of VG); the dispatcher leaves it as the caller wrote it. */
int
do_lvremove (const char *device)
{
  CLEANUP_FREE char *dev = resolve_device_quiet (device);
  const char *vg = device + 5;
  const char *target = dev;

  if (dev == NULL) {
    if (strncmp (device, "/dev/", 5) != 0 || strchr (vg, '/') != NULL) {
      free (resolve_device ("lvremove", device));
      return -1;
    }
    if (lvm_check_name ("volume group", vg) == -1)
      return -1;
    target = vg;
  }

  char *const argv[] = { "lvm", "lvremove", "-f", (char *) target, NULL };

  return run_lvm (device, argv, NULL);
}

/* The one size in bytes a report prints ("lvm vgs --noheadings
 * --nosuffix --units b -o FIELD OBJECT"); -1 (replied) on failure or
 * when the report is not one number. */
static int64_t
report_bytes (const char *subject, char *const *argv)
{
  CLEANUP_FREE char *out = NULL;
  char *end;
  long long v;

  if (run_lvm (subject, argv, &out) == -1)
    return -1;
  errno = 0;
  v = strtoll (out, &end, 10);
  if (errno || end == out || v < 0 || *(end + strspn (end, " \t\n")) != '\0')
    return reply_with_error_errno (EIO, "%s: lvm %s: unexpected %s \"%s\"",
                                   subject, argv[1], argv[7], out);
  return v;
}

int64_t
do_vg_free (const char *volgroup)
{
  char *const argv[] = {
    "lvm", "vgs", "--noheadings", "--nosuffix", "--units", "b",
    "-o", "vg_free", (char *) volgroup, NULL
  };

  if (lvm_check_name ("volume group", volgroup) == -1)
    return -1;
  return report_bytes (volgroup, argv);
}

int64_t
do_vg_size (const char *volgroup)
{
  char *const argv[] = {
    "lvm", "vgs", "--noheadings", "--nosuffix", "--units", "b",
    "-o", "vg_size", (char *) volgroup, NULL
  };

  if (lvm_check_name ("volume group", volgroup) == -1)
    return -1;
  return report_bytes (volgroup, argv);
}

int64_t
do_pv_size (const char *device)
{
  char *const argv[] = {
    "lvm", "pvs", "--noheadings", "--nosuffix", "--units", "b",
    "-o", "pv_size", (char *) device, NULL
  };

  return report_bytes (device, argv);
}

char **
do_vg_pvs (const char *volgroup)
{
  CLEANUP_FREE char *sel = NULL;
  char *argv[] = {
    "lvm", "pvs", "--noheadings", "-o", "pv_name", "-S", NULL, NULL
  };

  if (lvm_check_name ("volume group", volgroup) == -1)
    return NULL;
  if (asprintf (&sel, "vg_name=%s", volgroup) == -1) {
    reply_with_perror ("%s", volgroup);
    return NULL;
  }
  argv[6] = sel;
  return report (volgroup, argv, "");
}
