/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM UUIDs: reading those of physical volumes, volume groups and
 * logical volumes, and giving PVs and VGs new random ones, so a cloned
 * disk's LVM no longer clashes with the original's.  Separate from
 * lvm.c, which creates and lists; both run lvm through run_lvm. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"

/* The one value a report of one object prints ("lvm pvs --noheadings -o
 * FIELD OBJECT"), blanks trimmed; caller frees.  NULL (replied) on
 * failure, or when the report is not one word on one line. */
static char *
report_one (const char *subject, char *const *argv)
{
  CLEANUP_FREE char *out = NULL;
  char *p, *end;

  if (run_lvm (subject, argv, &out) == -1)
    return NULL;
  p = out + strspn (out, " \t\n");
  end = p + strcspn (p, " \t\n");
  if (end == p || end[strspn (end, " \t\n")] != '\0') {
    reply_with_error_errno (EIO, "%s: lvm %s: unexpected report \"%s\"",
                            subject, argv[1], out);
    return NULL;
  }
  *end = '\0';
  p = strdup (p);
  if (p == NULL)
    reply_with_perror ("%s", subject);
  return p;
}

char *
do_pvuuid (const char *device)
{
  char *const argv[] = {
    "lvm", "pvs", "--noheadings", "-o", "pv_uuid", (char *) device, NULL
  };

  return report_one (device, argv);
}

char *
do_vguuid (const char *vgname)
{
  char *const argv[] = {
    "lvm", "vgs", "--noheadings", "-o", "vg_uuid", (char *) vgname, NULL
  };

  if (lvm_check_name ("volume group", vgname) == -1)
    return NULL;
  return report_one (vgname, argv);
}

char *
do_lvuuid (const char *device)
{
  char *const argv[] = {
    "lvm", "lvs", "--noheadings", "-o", "lv_uuid", (char *) device, NULL
  };

  return report_one (device, argv);
}

int
do_pvchange_uuid (const char *device)
{
  char *const argv[] = { "lvm", "pvchange", "-u", (char *) device, NULL };

  return run_lvm (device, argv, NULL);
}

int
do_pvchange_uuid_all (void)
{
  char *const argv[] = { "lvm", "pvchange", "-u", "-a", NULL };

  return run_lvm ("physical volumes", argv, NULL);
}

int
do_vgchange_uuid (const char *vg)
{
  char *const argv[] = { "lvm", "vgchange", "-u", (char *) vg, NULL };

  if (lvm_check_name ("volume group", vg) == -1)
    return -1;
  return run_lvm (vg, argv, NULL);
}

int
do_vgchange_uuid_all (void)
{
  char *const argv[] = { "lvm", "vgchange", "-u", NULL };

  return run_lvm ("volume groups", argv, NULL);
}
