/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ext2/3/4 specifics: tune2fs_l (the superblock as pairs) and e2fsck,
 * run from the appliance on a device, never on a guest path; and the
 * inode generation number of a guest file (ioctls on an fd opened
 * through sysroot.c). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

/* tune2fs's words for an empty value. */
static int
empty_value (const char *v)
{
  return strcmp (v, "<none>") == 0 || strcmp (v, "<not available>") == 0 ||
    strcmp (v, "(none)") == 0;
}

char **
do_tune2fs_l (const char *device)
{
  char *const argv[] = { "tune2fs", "-l", (char *) device, NULL };
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist l = STRLIST_INIT;
  char **r;

  if (command_or_reply (device, &out, argv) == -1)
    return NULL;
  lines = split_lines (out);
  if (lines == NULL)
    goto nomem;
  /* "Key name:   value"; the first line, tune2fs's version, has no
   * colon. */
  for (size_t i = 0; lines[i]; ++i) {
    char *colon = strchr (lines[i], ':'), *v;

    if (colon == NULL)
      continue;
    *colon = '\0';
    v = colon + 1 + strspn (colon + 1, " \t");
    for (char *e = v + strlen (v); e > v && (e[-1] == ' ' || e[-1] == '\t'); )
      *--e = '\0';
    if (strlist_add (&l, lines[i]) == -1 ||
        strlist_add (&l, empty_value (v) ? "" : v) == -1)
      goto nomem;
  }
  r = strlist_take (&l);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    goto nomem;
  return r;
 nomem:
  strlist_free (&l);
  reply_with_perror ("%s", device);
  return NULL;
}

int
do_e2fsck (const char *device, uint64_t optmask, int correct, int forceall)
{
  int c = (optmask & OPT_E2FSCK_CORRECT) && correct;
  int y = (optmask & OPT_E2FSCK_FORCEALL) && forceall;
  /* Without either, -n: nothing is changed, and nothing waits for a
   * terminal to answer. */
  char *const argv[] = {
    "e2fsck", "-f", c ? "-p" : y ? "-y" : "-n", (char *) device, NULL
  };
  CLEANUP_FREE char *err = NULL;
  int r;

  if (c && y)
    return reply_with_error_errno (EINVAL, "%s: correct and forceall "
                                   "exclude each other", device);
  r = run_command (NULL, &err, argv);
  /* 1: errors were corrected; 2: and the system should reboot. */
  if (r == 0 || r == 1 || r == 2)
    return 0;
  return reply_command_error (device, argv, r, err);
}

/* An fd of the guest file path on which the ext attribute ioctls work:
 * a regular file or a directory, opened read-only; anything else is
 * refused without being opened.  -1 (replied). */
static int
open_for_ioctl (const char *path)
{
  struct stat st;
  int fd;

  if (stat_guest (path, 1, &st) == -1)
    return reply_with_perror ("%s", path);
  if (S_ISDIR (st.st_mode))
    fd = sysroot_open (path, O_RDONLY | O_DIRECTORY, 0);
  else if (S_ISREG (st.st_mode))
    return sysroot_open_regular_or_reply (path, 0, NULL);
  else
    return reply_not_regular (path, st.st_mode);
  if (fd == -1)
    return reply_with_perror ("%s", path);
  return fd;
}

int64_t
do_get_e2generation (const char *file)
{
  CLEANUP_CLOSE int fd = open_for_ioctl (file);
  int gen = 0;

  if (fd == -1)
    return -1;
  if (ioctl (fd, FS_IOC_GETVERSION, &gen) == -1)
    return reply_with_perror ("%s", file);
  return (int64_t) (unsigned) gen;
}

int
do_set_e2generation (const char *file, int64_t generation)
{
  CLEANUP_CLOSE int fd = -1;
  int gen = (int) generation;

  if (generation < 0 || generation > UINT32_MAX)
    return reply_with_error_errno (EINVAL, "%s: generation %lld: expected "
                                   "0 to 4294967295", file,
                                   (long long) generation);
  fd = open_for_ioctl (file);
  if (fd == -1)
    return -1;
  if (ioctl (fd, FS_IOC_SETVERSION, &gen) == -1)
    return reply_with_perror ("%s", file);
  return 0;
}
