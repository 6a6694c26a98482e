/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ext2/ext3/ext4 tools: checking (e2fsck, fsck), the superblock
 * (tune2fs, tune2fs_l), resizing (resize2fs*, vfs_minimum_size),
 * mklost_and_found and zerofree, all through e2fsprogs' programs.  The
 * per-inode attributes and generation numbers are in e2attrs.c. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* Runs a checker whose status is a bit mask (e2fsck, fsck.fat): 0 and
 * 1 (fixed) succeed.  The status, or -1 (replied) when it could not
 * run. */
static int
run_checker (const char *dev, char *const *argv)
{
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int r = run_command (&out, &err, argv);

  if (r == -1)
    return reply_command_error (dev, argv, r, err);
  if (r >= 4 && err && *err == '\0' && out) {
    /* e2fsck reports what it found on stdout. */
    free (err);
    err = out;
    out = NULL;
  }
  if (r >= 4 || r == 127)
    return reply_command_error (dev, argv, r, err);
  return r;
}

int
do_e2fsck (const char *device, uint64_t optmask, int correct, int forceall)
{
  const char *mode = "-n";

  correct = (optmask & OPT_E2FSCK_CORRECT) && correct;
  forceall = (optmask & OPT_E2FSCK_FORCEALL) && forceall;
  if (correct && forceall)
    return reply_with_error_errno (EINVAL, "%s: only one of correct and "
                                   "forceall can be given", device);
  if (correct)
    mode = "-p";
  else if (forceall)
    mode = "-y";

  char *const argv[] = { "e2fsck", "-f", (char *) mode, (char *) device,
                         NULL };

  return run_checker (device, argv) == -1 ? -1 : 0;
}

int
do_e2fsck_f (const char *device)
{
  char *const argv[] = { "e2fsck", "-p", "-f", (char *) device, NULL };

  return run_checker (device, argv) == -1 ? -1 : 0;
}

int
do_fsck (const char *fstype, const char *device)
{
  CLEANUP_FREE char *err = NULL;
  char *const ext[] = { "e2fsck", "-p", (char *) device, NULL };
  char *const fat[] = { "fsck.fat", "-a", (char *) device, NULL };
  char *const xfs[] = { "xfs_repair", "-n", (char *) device, NULL };
  char *const *argv;
  int r;

  if (strcmp (fstype, "ext2") == 0 || strcmp (fstype, "ext3") == 0 ||
      strcmp (fstype, "ext4") == 0)
    argv = ext;
  else if (strcmp (fstype, "vfat") == 0 || strcmp (fstype, "msdos") == 0 ||
           strcmp (fstype, "fat") == 0)
    argv = fat;
  else if (strcmp (fstype, "xfs") == 0)
    argv = xfs;
  else
    return reply_with_error_errno (EINVAL, "%s: cannot check a filesystem "
                                   "of type %s (ext2, ext3, ext4, vfat or "
                                   "xfs)", device, fstype);
  if (!program_available (argv[0]))
    return reply_with_error_errno (ENOTSUP, "%s: not available in this "
                                   "appliance", argv[0]);
  r = run_command (NULL, &err, argv);
  if (r == -1)
    return reply_command_error (device, argv, r, err);
  /* xfs_repair -n says 1 for "errors found", as fsck's 4. */
  if (argv == xfs && r == 1)
    r = 4;
  return r;
}

char **
do_tune2fs_l (const char *device)
{
  char *const argv[] = { "tune2fs", "-l", (char *) device, NULL };
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist h = STRLIST_INIT;

  if (command_or_reply (device, &out, argv) == -1)
    return NULL;
  if ((lines = split_lines (out)) == NULL)
    goto nomem;
  /* The first line is tune2fs's version; then "Field name:   value". */
  for (size_t i = 1; lines[i]; ++i) {
    char *colon = strchr (lines[i], ':');
    char *v, *end;

    if (colon == NULL)
      continue;
    *colon = '\0';
    v = colon + 1 + strspn (colon + 1, " \t");
    end = v + strlen (v);
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
      *--end = '\0';
    if (strlist_add (&h, lines[i]) == -1 || strlist_add (&h, v) == -1)
      goto nomem;
  }
  if (h.v == NULL && (h.v = calloc (1, sizeof *h.v)) == NULL)
    goto nomem;
  return strlist_take (&h);
 nomem:
  reply_with_perror ("%s", device);
  strlist_free (&h);
  return NULL;
}

int
do_tune2fs (const char *device, uint64_t optmask, int force,
            int maxmountcount, int mountcount, const char *errorbehavior,
            int64_t group, int intervalbetweenchecks,
            int reservedblockspercentage, const char *lastmounteddirectory,
            int64_t reservedblockscount, int64_t user)
{
  struct strlist argv = STRLIST_INIT;
  int r = -1;

  if ((optmask & OPT_TUNE2FS_ERRORBEHAVIOR) &&
      strcmp (errorbehavior, "continue") != 0 &&
      strcmp (errorbehavior, "remount-ro") != 0 &&
      strcmp (errorbehavior, "panic") != 0)
    return reply_with_error_errno (EINVAL, "%s: errorbehavior \"%s\": "
                                   "continue, remount-ro or panic", device,
                                   errorbehavior);
  if (((optmask & OPT_TUNE2FS_MOUNTCOUNT) && mountcount < 0) ||
      ((optmask & OPT_TUNE2FS_INTERVALBETWEENCHECKS) &&
       intervalbetweenchecks < 0) ||
      ((optmask & OPT_TUNE2FS_RESERVEDBLOCKSPERCENTAGE) &&
       (reservedblockspercentage < 0 || reservedblockspercentage > 50)) ||
      ((optmask & OPT_TUNE2FS_GROUP) && group < 0) ||
      ((optmask & OPT_TUNE2FS_USER) && user < 0) ||
      ((optmask & OPT_TUNE2FS_RESERVEDBLOCKSCOUNT) && reservedblockscount < 0))
    return reply_with_error_errno (EINVAL, "%s: a negative count, id or "
                                   "interval, or a reserved percentage over "
                                   "50", device);
  if (strlist_add (&argv, "tune2fs") == -1)
    goto nomem;
  if ((optmask & OPT_TUNE2FS_FORCE) && force && strlist_add (&argv, "-f") == -1)
    goto nomem;
  if (((optmask & OPT_TUNE2FS_MAXMOUNTCOUNT) &&
       strlist_addf (&argv, "-c%d", maxmountcount < 0 ? -1 : maxmountcount)
       == -1) ||
      ((optmask & OPT_TUNE2FS_MOUNTCOUNT) &&
       strlist_addf (&argv, "-C%d", mountcount) == -1) ||
      ((optmask & OPT_TUNE2FS_ERRORBEHAVIOR) &&
       strlist_addf (&argv, "-e%s", errorbehavior) == -1) ||
      ((optmask & OPT_TUNE2FS_GROUP) &&
       strlist_addf (&argv, "-g%" PRIi64, group) == -1) ||
      ((optmask & OPT_TUNE2FS_INTERVALBETWEENCHECKS) &&
       strlist_addf (&argv, "-i%ds", intervalbetweenchecks) == -1) ||
      ((optmask & OPT_TUNE2FS_RESERVEDBLOCKSPERCENTAGE) &&
       strlist_addf (&argv, "-m%d", reservedblockspercentage) == -1) ||
      ((optmask & OPT_TUNE2FS_LASTMOUNTEDDIRECTORY) &&
       (strlist_add (&argv, "-M") == -1 ||
        strlist_add (&argv, lastmounteddirectory) == -1)) ||
      ((optmask & OPT_TUNE2FS_RESERVEDBLOCKSCOUNT) &&
       strlist_addf (&argv, "-r%" PRIi64, reservedblockscount) == -1) ||
      ((optmask & OPT_TUNE2FS_USER) &&
       strlist_addf (&argv, "-u%" PRIi64, user) == -1) ||
      strlist_add (&argv, device) == -1)
    goto nomem;
  r = command_or_reply (device, NULL, argv.v);
  strlist_free (&argv);
  return r;
 nomem:
  strlist_free (&argv);
  return reply_with_perror ("%s", device);
}

/* resize2fs with one option or size (NULL: none). */
static int
resize2fs (const char *device, const char *arg)
{
  char *const argv[] = { "resize2fs", (char *) device, (char *) arg, NULL };
  char *const argv_m[] = { "resize2fs", (char *) arg, (char *) device, NULL };

  return command_or_reply (device, NULL,
                           arg && arg[0] == '-' ? argv_m : argv);
}

int
do_resize2fs (const char *device)
{
  return resize2fs (device, NULL);
}

int
do_resize2fs_size (const char *device, int64_t size)
{
  char arg[32];

  if (size < 1024)
    return reply_with_error_errno (EINVAL, "%s: size %" PRIi64 ": too "
                                   "small", device, size);
  /* In KiB: resize2fs rounds down to whole blocks. */
  snprintf (arg, sizeof arg, "%" PRIi64 "K", size / 1024);
  return resize2fs (device, arg);
}

int
do_resize2fs_M (const char *device)
{
  return resize2fs (device, "-M");
}

/* The number after "LABEL" on a line of out, or -1. */
static int64_t
find_number (const char *out, const char *label)
{
  const char *p = out ? strstr (out, label) : NULL;
  char *end;
  long long v;

  if (p == NULL)
    return -1;
  p += strlen (label);
  p += strspn (p, " \t:");
  errno = 0;
  v = strtoll (p, &end, 10);
  if (errno || end == p || v < 0)
    return -1;
  return v;
}

static int64_t
ext_minimum_size (const char *dev)
{
  char *const minimum[] = { "resize2fs", "-P", (char *) dev, NULL };
  char *const sb[] = { "tune2fs", "-l", (char *) dev, NULL };
  CLEANUP_FREE char *out = NULL, *out2 = NULL;
  int64_t blocks, bsize;

  if (command_or_reply (dev, &out, minimum) == -1 ||
      command_or_reply (dev, &out2, sb) == -1)
    return -1;
  blocks = find_number (out, "minimum size of the filesystem");
  bsize = find_number (out2, "\nBlock size");
  if (blocks < 0 || bsize <= 0 || blocks > INT64_MAX / bsize)
    return reply_with_error_errno (EIO, "%s: resize2fs -P: no minimum size "
                                   "in its output", dev);
  return blocks * bsize;
}

static int64_t
ntfs_minimum_size (const char *dev)
{
  char *const argv[] = { "ntfsresize", "--info", "--force", "--no-progress-bar",
                         (char *) dev, NULL };
  CLEANUP_FREE char *out = NULL;
  int64_t v;

  if (!program_available ("ntfsresize"))
    return reply_with_error_errno (ENOTSUP, "ntfsresize: not available in "
                                   "this appliance");
  if (command_or_reply (dev, &out, argv) == -1)
    return -1;
  v = find_number (out, "You might resize at");
  if (v < 0)
    return reply_with_error_errno (EIO, "%s: ntfsresize: no minimum size in "
                                   "its output", dev);
  return v;
}

int64_t
do_vfs_minimum_size (const char *mountable)
{
  CLEANUP_FREE char *type = blkid_get (mountable, "TYPE");

  if (type == NULL)
    return reply_with_perror ("%s", mountable);
  if (strncmp (type, "ext", 3) == 0)
    return ext_minimum_size (mountable);
  if (strcmp (type, "ntfs") == 0)
    return ntfs_minimum_size (mountable);
  return reply_with_error_errno (ENOTSUP, "%s: cannot tell the minimum size "
                                 "of %s%s", mountable,
                                 *type ? "a filesystem of type " :
                                 "a device without a filesystem", type);
}

int
do_mklost_and_found (const char *mountpoint)
{
  CLEANUP_CLOSE int fd = sysroot_open (mountpoint, O_PATH | O_DIRECTORY, 0);
  CLEANUP_FREE char *dir = NULL;
  CLEANUP_FREE char *path = NULL;
  char *const argv[] = { "mklost+found", NULL };

  if (fd == -1)
    return reply_with_perror ("%s", mountpoint);
  /* The directory as the kernel resolved it inside the guest: no
   * symlink of the guest's left to follow. */
  if ((path = guest_path_of_fd (fd)) == NULL ||
      asprintf (&dir, SYSROOT "%s", path) == -1)
    return reply_with_perror ("%s", mountpoint);
  {
    CLEANUP_FREE char *err = NULL;
    int r = run_command_in (NULL, &err, dir, argv);

    if (r != 0)
      return reply_command_error (mountpoint, argv, r, err);
  }
  return 0;
}

int
optgroup_zerofree_available (void)
{
  return program_available ("zerofree");
}

int
do_zerofree (const char *device)
{
  char *const argv[] = { "zerofree", (char *) device, NULL };

  return command_or_reply (device, NULL, argv);
}
