/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Swap areas on devices, by device, label or UUID: swapon(2) and
 * swapoff(2) in the appliance.  The appliance never pages to them on
 * its own; a caller that turns one on turns it off (umount_all and
 * shutdown do not). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/swap.h>

#include "daemon.h"
#include "actions-gen.h"

static int
swap (const char *device, int on)
{
  if ((on ? swapon (device, 0) : swapoff (device)) == -1)
    return reply_with_perror ("%s", device);
  return 0;
}

int
do_swapon_device (const char *device)
{
  return swap (device, 1);
}

int
do_swapoff_device (const char *device)
{
  return swap (device, 0);
}

/* The device findfs finds (replied when none), then swap. */
static int
swap_found (char *device, int on)
{
  int r;

  if (device == NULL)
    return -1;
  r = swap (device, on);
  free (device);
  return r;
}

int
do_swapon_label (const char *label)
{
  return swap_found (do_findfs_label (label), 1);
}

int
do_swapoff_label (const char *label)
{
  return swap_found (do_findfs_label (label), 0);
}

int
do_swapon_uuid (const char *uuid)
{
  return swap_found (do_findfs_uuid (uuid), 1);
}

int
do_swapoff_uuid (const char *uuid)
{
  return swap_found (do_findfs_uuid (uuid), 0);
}
