/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NTFS images and files by inode: ntfsclone_out, ntfsclone_in (the
 * ntfsclone image format, streamed through ntfsclone's standard output
 * and input, stream.c's stream_command_out and stream_command_in) and
 * ntfscat_i (ntfscat -i). */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "daemon.h"
#include "actions-gen.h"

static int
need (const char *prog)
{
  if (!program_available (prog))
    return reply_with_error_errno (ENOTSUP, "%s: not available in this "
                                   "appliance", prog);
  return 0;
}

int
do_ntfsclone_out (const char *device, uint64_t optmask, int metadataonly,
                  int rescue, int ignorefscheck, int preservetimestamps,
                  int force)
{
  char *argv[16] = { "ntfsclone", "--save-image", "--output", "-" };
  size_t n = 4;

  if (need ("ntfsclone") == -1)
    return -1;
  if ((optmask & OPT_NTFSCLONE_OUT_METADATAONLY) && metadataonly)
    argv[n++] = "--metadata";
  if ((optmask & OPT_NTFSCLONE_OUT_RESCUE) && rescue)
    argv[n++] = "--rescue";
  if ((optmask & OPT_NTFSCLONE_OUT_IGNOREFSCHECK) && ignorefscheck)
    argv[n++] = "--ignore-fs-check";
  if ((optmask & OPT_NTFSCLONE_OUT_PRESERVETIMESTAMPS) && preservetimestamps)
    argv[n++] = "--preserve-timestamps";
  if ((optmask & OPT_NTFSCLONE_OUT_FORCE) && force)
    argv[n++] = "--force";
  argv[n++] = (char *) device;
  argv[n] = NULL;
  return stream_command_out (device, argv);
}

int
do_ntfsclone_in (const char *device)
{
  char *const argv[] = {
    "ntfsclone", "--restore-image", "--overwrite", (char *) device, "-", NULL
  };

  if (need ("ntfsclone") == -1)
    return -1;
  return stream_command_in (device, argv);
}

int
do_ntfscat_i (const char *device, int64_t inode)
{
  char num[32];
  char *const argv[] = { "ntfscat", "-i", num, (char *) device, NULL };

  if (inode < 0)
    return reply_with_error_errno (EINVAL, "%" PRIi64 ": not an inode "
                                   "number", inode);
  if (need ("ntfscat") == -1)
    return -1;
  snprintf (num, sizeof num, "%" PRIi64, inode);
  return stream_command_out (device, argv);
}
