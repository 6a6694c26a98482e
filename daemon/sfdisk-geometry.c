/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sfdisk_kernel_geometry and sfdisk_disk_geometry: sfdisk -g's line. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "cleanups.h"
#include "daemon.h"
#include "actions-gen.h"

char *
do_sfdisk_kernel_geometry (const char *device)
{
  char *const argv[] = { (char *) "sfdisk", (char *) "-g", (char *) device,
                         NULL };
  char *out = NULL, *err = NULL;
  int r = run_command (&out, &err, argv);

  if (r == -1) {
    reply_with_perror ("sfdisk");
    return NULL;
  }
  if (r != 0) {
    reply_with_error_errno (EIO, "%s: %s", device,
                            squeeze_message (err, "sfdisk"));
    free (out);
    free (err);
    return NULL;
  }
  free (err);
  return out;
}

char *
do_sfdisk_disk_geometry (const char *device)
{
  /* An error (EINVAL) when DEVICE has no partition table. */
  CLEANUP_FREE char *type = do_part_get_parttype (device);

  return type ? do_sfdisk_kernel_geometry (device) : NULL;
}
