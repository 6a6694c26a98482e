/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Optional groups: available, feature_available, available_all_groups,
 * and the probe of each group (optgroup_<name>_available, one per group
 * of the action table).  A probe looks at what this appliance really
 * has, since the appliance is built from the host's files: a program in
 * its root, a kernel module it can load, a data directory.  Probes never
 * reply; they may load a module, which the group's actions would load
 * anyway. */

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

/* The directories run_command searches (main.c sets PATH to them). */
static const char *const bin_dirs[] = {
  "/usr/sbin", "/usr/bin", "/sbin", "/bin",
};

int
program_available (const char *name)
{
  for (size_t i = 0; i < sizeof bin_dirs / sizeof bin_dirs[0]; ++i) {
    char path[256];
    struct stat st;

    snprintf (path, sizeof path, "%s/%s", bin_dirs[i], name);
    if (stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
        access (path, X_OK) == 0)
      return 1;
  }
  return 0;
}

/* 1 if every program of the NULL-terminated list is there. */
static int
programs_available (const char *const *names)
{
  for (size_t i = 0; names[i]; ++i)
    if (!program_available (names[i])) {
      debug ("optional groups: no program %s", names[i]);
      return 0;
    }
  return 1;
}

/* 1 if the kernel knows the filesystem type once its module is loaded
 * (a module, or built in). */
static int
kernel_has_fs (const char *fstype, const char *module)
{
  CLEANUP_FCLOSE FILE *fp = NULL;
  char line[128];

  load_module (module);
  fp = fopen ("/proc/filesystems", "re");
  while (fp && fgets (line, sizeof line, fp)) {
    char *name = strrchr (line, '\t');

    name = name ? name + 1 : line;
    name[strcspn (name, "\n")] = '\0';
    if (strcmp (name, fstype) == 0)
      return 1;
  }
  debug ("optional groups: the kernel has no %s filesystem", fstype);
  return 0;
}

/* 1 if the module is loaded once asked for (/sys/module/NAME: loaded,
 * or built in with parameters, as device-mapper's are). */
static int
kernel_has_module (const char *module)
{
  char path[128];
  struct stat st;

  load_module (module);
  snprintf (path, sizeof path, "/sys/module/%s", module);
  if (stat (path, &st) == 0)
    return 1;
  debug ("optional groups: no kernel module %s", module);
  return 0;
}

/* The probes, one per group of generator/actions.py. */

/* libaugeas is linked into the daemon; it is of no use without the
 * lenses, which the appliance copies from the host. */
int
optgroup_augeas_available (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/usr/share/augeas/lenses/dist");
  struct dirent *e;

  while (d && (e = readdir (d)) != NULL) {
    size_t n = strlen (e->d_name);

    if (n > 4 && strcmp (e->d_name + n - 4, ".aug") == 0)
      return 1;
  }
  debug ("optional groups: no Augeas lenses");
  return 0;
}

int
optgroup_lvm2_available (void)
{
  static const char *const progs[] = { "lvm", NULL };

  return programs_available (progs) && kernel_has_module ("dm_mod");
}

int
optgroup_luks_available (void)
{
  static const char *const progs[] = { "cryptsetup", NULL };

  return programs_available (progs) && kernel_has_module ("dm_mod") &&
         kernel_has_module ("dm_crypt");
}

/* fstrim and blkdiscard are single ioctls (FITRIM, BLKDISCARD) that
 * every kernel since 2.6.37 has: no program, no module.  Whether a given
 * filesystem or device honours them is up to it, as for any group. */
int
optgroup_fstrim_available (void)
{
  return 1;
}

int
optgroup_blkdiscard_available (void)
{
  return 1;
}

int
optgroup_xfs_available (void)
{
  static const char *const progs[] = { "mkfs.xfs", "xfs_db", NULL };

  return programs_available (progs) && kernel_has_fs ("xfs", "xfs");
}

int
optgroup_btrfs_available (void)
{
  static const char *const progs[] = {
    "mkfs.btrfs", "btrfs", "btrfstune", NULL
  };

  return programs_available (progs) && kernel_has_fs ("btrfs", "btrfs");
}

int
optgroup_ntfs3g_available (void)
{
  static const char *const progs[] = { "ntfs-3g", "mkntfs", NULL };

  return programs_available (progs) && kernel_has_fs ("fuse", "fuse");
}

int
optgroup_ntfsprogs_available (void)
{
  static const char *const progs[] = { "ntfslabel", NULL };

  return programs_available (progs);
}

int
optgroup_xz_available (void)
{
  static const char *const progs[] = { "xz", NULL };

  return programs_available (progs);
}

int
optgroup_zstd_available (void)
{
  static const char *const progs[] = { "zstd", NULL };

  return programs_available (progs);
}

int
optgroup_bzip2_available (void)
{
  static const char *const progs[] = { "bzip2", NULL };

  return programs_available (progs);
}

int
optgroup_selinuxrelabel_available (void)
{
  static const char *const progs[] = { "setfiles", NULL };

  return programs_available (progs);
}

/* The gate: the answer of each probe, kept for the daemon's life (the
 * appliance it looks at does not change), so that available,
 * feature_available and the dispatcher's gate of each group's actions
 * (need_optgroup) always agree and a probe loads its modules once. */
/* 0 not asked yet, 1 available, -1 not (+ 1: a table without groups) */
static signed char known[N_OPTGROUPS + 1];

int
optgroup_available (size_t i)
{
  if (i >= n_optgroups)
    return 0;
  if (known[i] == 0)
    known[i] = optgroups[i].available () ? 1 : -1;
  return known[i] == 1;
}

int
need_optgroup (size_t i)
{
  if (optgroup_available (i))
    return 0;
  return reply_with_error_errno (ENOTSUP, "not available in this appliance "
                                 "(group %s: needs %s)", optgroups[i].name,
                                 optgroups[i].needs);
}

/* The actions. */

/* The index of the group NAME in optgroups, or -1. */
static ssize_t
find_group (const char *name)
{
  for (size_t i = 0; i < n_optgroups; ++i)
    if (strcmp (optgroups[i].name, name) == 0)
      return i;
  return -1;
}

/* Checks the names first, so an unknown one is always the error.  The
 * unavailable groups go to *missing (space-separated, caller frees;
 * NULL when there is none).  Returns their number, or -1 (replied). */
static int
check_groups (char *const *groups, char **missing)
{
  size_t len = 0;
  int n = 0;

  *missing = NULL;
  for (size_t i = 0; groups[i]; ++i)
    if (find_group (groups[i]) == -1)
      return reply_with_error_errno (EINVAL, "%s: unknown group (see "
                                     "available_all_groups)", groups[i]);
  for (size_t i = 0; groups[i]; ++i) {
    size_t k = strlen (groups[i]);
    char *p;

    if (optgroup_available (find_group (groups[i])))
      continue;
    n++;
    p = realloc (*missing, len + k + 2);
    if (p == NULL) {
      free (*missing);
      *missing = NULL;
      return reply_with_perror ("available");
    }
    if (len > 0)
      p[len++] = ' ';
    memcpy (p + len, groups[i], k + 1);
    len += k;
    *missing = p;
  }
  return n;
}

int
do_available (char *const *groups)
{
  CLEANUP_FREE char *missing = NULL;
  int n = check_groups (groups, &missing);

  if (n <= 0)
    return n;
  return reply_with_error_errno (ENOTSUP, "%s: not available in this "
                                 "appliance", missing);
}

int
do_feature_available (char *const *groups)
{
  CLEANUP_FREE char *missing = NULL;
  int n = check_groups (groups, &missing);

  if (n == -1)
    return -1;
  return n == 0;
}

char **
do_available_all_groups (void)
{
  struct strlist l = STRLIST_INIT;
  char **r;

  /* The generated table is sorted by name. */
  for (size_t i = 0; i < n_optgroups; ++i)
    if (strlist_add (&l, optgroups[i].name) == -1)
      break;
  r = strlist_take (&l);
  if (r == NULL || count_strings (r) != n_optgroups) {
    free_string_list (r);
    reply_with_perror ("available_all_groups");
    return NULL;
  }
  return r;
}
