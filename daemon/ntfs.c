/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NTFS maintenance through ntfs-3g's tools: ntfsresize, ntfsfix and
 * ntfs_3g_probe.  Each tool is optional in the appliance: a missing one
 * is ENOTSUP. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
do_ntfsresize (const char *device, uint64_t optmask, int64_t size, int force)
{
  char sizearg[32];
  char *argv[8];
  size_t n = 0;
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int r;

  if (need ("ntfsresize") == -1)
    return -1;
  argv[n++] = "ntfsresize";
  argv[n++] = "--no-progress-bar";
  if ((optmask & OPT_NTFSRESIZE_SIZE)) {
    if (size <= 0)
      return reply_with_error_errno (EINVAL, "%s: size %" PRIi64 ": must be "
                                     "positive", device, size);
    snprintf (sizearg, sizeof sizearg, "%" PRIi64, size);
    argv[n++] = "--size";
    argv[n++] = sizearg;
  }
  if ((optmask & OPT_NTFSRESIZE_FORCE) && force)
    argv[n++] = "--force";
  argv[n++] = (char *) device;
  argv[n] = NULL;
  /* It asks before changing anything: the caller asked already. */
  r = run_command_input (&out, &err, "y\n", argv);
  if (r != 0) {
    /* Its reasons go to stdout as often as to stderr. */
    if (r > 0 && err && *err == '\0' && out)
      return reply_command_error (device, argv, r, out);
    return reply_command_error (device, argv, r, err);
  }
  return 0;
}

int
do_ntfsfix (const char *device, uint64_t optmask, int clearbadsectors)
{
  char *argv[] = { "ntfsfix", NULL, NULL, NULL };
  size_t n = 1;

  if (need ("ntfsfix") == -1)
    return -1;
  if ((optmask & OPT_NTFSFIX_CLEARBADSECTORS) && clearbadsectors)
    argv[n++] = "-b";
  argv[n] = (char *) device;
  return command_or_reply (device, NULL, argv);
}

int
do_ntfs_3g_probe (int rw, const char *device)
{
  char *const argv[] = {
    "ntfs-3g.probe", rw ? "--readwrite" : "--readonly", (char *) device, NULL
  };
  CLEANUP_FREE char *err = NULL;
  int r;

  if (need ("ntfs-3g.probe") == -1)
    return -1;
  load_module ("fuse");
  r = run_command (NULL, &err, argv);
  if (r == -1)
    return reply_command_error (device, argv, r, err);
  return r;
}
