/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Swap areas and finding filesystems by label or UUID: mkswap_L,
 * mkswap_U, mkswap_file, swapon_* and swapoff_* (the swapon(2) and
 * swapoff(2) calls themselves), findfs_label and findfs_uuid (libblkid
 * over the devices list_filesystems looks at). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

int
do_mkswap_L (const char *label, const char *device)
{
  return do_mkswap (device, OPT_MKSWAP_LABEL, label, NULL);
}

int
do_mkswap_U (const char *uuid, const char *device)
{
  return do_mkswap (device, OPT_MKSWAP_UUID, NULL, uuid);
}

/* The appliance path of the existing guest file PATH as the kernel
 * resolved it inside the guest, so that no guest symlink is left for
 * a program or syscall to follow; a regular file only.  NULL
 * (replied) on failure; caller frees. */
static char *
resolved_file (const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *gpath = NULL;
  struct stat st;
  char *r;

  fd = sysroot_open_regular (path, 0, &st);
  if (fd == -1) {
    reply_open_regular_error (path, &st);
    return NULL;
  }
  if ((gpath = guest_path_of_fd (fd)) == NULL ||
      asprintf (&r, SYSROOT "%s", gpath) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

int
do_mkswap_file (const char *path)
{
  CLEANUP_FREE char *file = resolved_file (path);
  char *const argv[] = { "mkswap", "-f", file, NULL };

  if (file == NULL)
    return -1;
  return command_or_reply (path, NULL, argv);
}

/* The first device (in device order) whose TAG is VALUE, or NULL
 * (replied: ENOENT if there is none).  Caller frees. */
static char *
find_tag (const char *tag, const char *value)
{
  struct strlist devs = STRLIST_INIT;
  char *r = NULL;

  lvm_auto_activate ();
  if (blkid_candidates (&devs) == -1) {
    reply_with_perror ("devices");
    goto out;
  }
  for (size_t i = 0; i < devs.len && r == NULL; ++i) {
    CLEANUP_FREE char *v = blkid_get (devs.v[i], tag);

    if (v && strcmp (v, value) == 0)
      r = strdup (devs.v[i]);
  }
  if (r == NULL)
    reply_with_error_errno (ENOENT, "%s=%s: no filesystem has this %s",
                            tag, value, tag);
 out:
  strlist_free (&devs);
  return r;
}

char *
do_findfs_label (const char *label)
{
  return find_tag ("LABEL", label);
}

char *
do_findfs_uuid (const char *uuid)
{
  return find_tag ("UUID", uuid);
}

static int
swap_on_off (const char *subject, const char *path, int on)
{
  if ((on ? swapon (path, 0) : swapoff (path)) == -1) {
    if (errno == EINVAL)
      return reply_with_error_errno (EINVAL, "%s: %s", subject,
                                     on ? "not a swap area (mkswap makes "
                                     "one), or already in use" :
                                     "not in use as swap");
    return reply_with_perror ("%s", subject);
  }
  return 0;
}

int
do_swapon_device (const char *device)
{
  return swap_on_off (device, device, 1);
}

int
do_swapoff_device (const char *device)
{
  return swap_on_off (device, device, 0);
}

static int
swap_file (const char *file, int on)
{
  CLEANUP_FREE char *path = resolved_file (file);

  if (path == NULL)
    return -1;
  return swap_on_off (file, path, on);
}

int
do_swapon_file (const char *file)
{
  return swap_file (file, 1);
}

int
do_swapoff_file (const char *file)
{
  return swap_file (file, 0);
}

static int
swap_tag (const char *tag, const char *value, int on)
{
  CLEANUP_FREE char *dev = find_tag (tag, value);

  if (dev == NULL)
    return -1;
  return swap_on_off (value, dev, on);
}

int
do_swapon_label (const char *label)
{
  return swap_tag ("LABEL", label, 1);
}

int
do_swapoff_label (const char *label)
{
  return swap_tag ("LABEL", label, 0);
}

int
do_swapon_uuid (const char *uuid)
{
  return swap_tag ("UUID", uuid, 1);
}

int
do_swapoff_uuid (const char *uuid)
{
  return swap_tag ("UUID", uuid, 0);
}
