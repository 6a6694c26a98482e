/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Windows dynamic disks (LDM) through ldmtool: scans, the disk groups
 * and volumes it finds, and their device-mapper devices.  ldmtool
 * answers in JSON, read by ldm-json.c. */

#include <config.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"
#include "ldm-json.h"

int
optgroup_ldm_available (void)
{
  return program_available ("ldmtool");
}

/* Runs ldmtool with args (NULL-terminated, after "ldmtool"); its stdout
 * in *out unless out is NULL.  On failure replies "ldmtool: its
 * message", ENOENT for a disk group or volume it does not know.
 * 0, or -1 (replied). */
static int
run_ldmtool (const char *const *args, char **out)
{
  struct strlist argv = STRLIST_INIT;
  CLEANUP_FREE_STRING_LIST char **v = NULL;
  CLEANUP_FREE char *err = NULL;
  int r;

  if (!program_available ("ldmtool"))
    return reply_with_error_errno (ENOTSUP, "ldmtool: not available in this "
                                   "appliance");
  if (strlist_add (&argv, "ldmtool") == -1)
    goto oom;
  for (size_t i = 0; args[i]; ++i)
    if (strlist_add (&argv, args[i]) == -1)
      goto oom;
  v = strlist_take (&argv);
  if (v == NULL)
    goto oom;
  load_module ("dm_mod");
  r = run_command (out, &err, v);
  if (r == 0)
    return 0;
  if (out) {
    free (*out);
    *out = NULL;
  }
  if (r > 0 && err && strstr (err, "No such"))
    return reply_with_error_errno (ENOENT, "ldmtool: %s",
                                   squeeze_message (err, "ldmtool"));
  return reply_command_error (NULL, v, r, err);

 oom:
  strlist_free (&argv);
  return reply_with_perror ("ldmtool");
}

/* Replies that ldmtool's answer was not what was expected. */
static void
reply_bad_output (const char *what)
{
  if (errno == ENOMEM)
    reply_with_perror ("ldmtool");
  else
    reply_with_error_errno (EPROTO, "ldmtool: unexpected output (%s)",
                            what);
}

/* An array of strings from ldmtool's output: the whole output (key
 * NULL) or the member key of its object.  NULL (replied). */
static char **
string_array (const char *out, const char *key)
{
  struct strlist l = STRLIST_INIT;
  const char *p = key ? ldm_json_find_key (out, key) : out;
  char **r;

  if (p == NULL || ldm_json_string_array (p, &l) == NULL) {
    strlist_free (&l);
    reply_bad_output (key ? key : "a list");
    return NULL;
  }
  r = strlist_take (&l);
  if (r == NULL)
    reply_with_perror ("ldmtool");
  return r;
}

/* The string member key of ldmtool's object, "" when it is absent or
 * null.  NULL (replied). */
static char *
string_member (const char *out, const char *key)
{
  const char *p = ldm_json_find_key (out, key);
  char *s = NULL;

  if ((p == NULL && errno == ENOENT) || (p && strncmp (p, "null", 4) == 0)) {
    s = strdup ("");
    if (s == NULL)
      reply_with_perror ("ldmtool");
    return s;
  }
  if (p == NULL || ldm_json_string (p, &s) == NULL) {
    reply_bad_output (key);
    return NULL;
  }
  return s;
}

/* The actions. */

int
do_ldmtool_create_all (void)
{
  static const char *const args[] = { "create", "all", NULL };

  return run_ldmtool (args, NULL);
}

int
do_ldmtool_remove_all (void)
{
  static const char *const args[] = { "remove", "all", NULL };

  return run_ldmtool (args, NULL);
}

/* ldmtool scan over devs (appliance names). */
static char **
scan (char *const *devs)
{
  struct strlist args = STRLIST_INIT;
  CLEANUP_FREE_STRING_LIST char **a = NULL;
  CLEANUP_FREE char *out = NULL;

  if (strlist_add (&args, "scan") == -1)
    goto oom;
  for (size_t i = 0; devs[i]; ++i)
    if (strlist_add (&args, devs[i]) == -1)
      goto oom;
  a = strlist_take (&args);
  if (a == NULL)
    goto oom;
  if (run_ldmtool ((const char *const *) a, &out) == -1)
    return NULL;
  return string_array (out, NULL);

 oom:
  strlist_free (&args);
  reply_with_perror ("ldmtool");
  return NULL;
}

char **
do_ldmtool_scan (void)
{
  CLEANUP_FREE_STRING_LIST char **disks = appliance_disks ();

  if (disks == NULL) {
    reply_with_perror ("listing the disks");
    return NULL;
  }
  return scan (disks);
}

char **
do_ldmtool_scan_devices (char *const *devices)
{
  struct strlist devs = STRLIST_INIT;
  CLEANUP_FREE_STRING_LIST char **d = NULL;

  if (devices[0] == NULL)
    return do_ldmtool_scan ();
  for (size_t i = 0; devices[i]; ++i) {
    char *dev = resolve_device ("ldmtool_scan_devices", devices[i]);

    if (dev == NULL || strlist_add_take (&devs, dev) == -1) {
      if (dev)
        reply_with_perror ("ldmtool");
      strlist_free (&devs);
      return NULL;
    }
  }
  d = strlist_take (&devs);
  if (d == NULL) {
    reply_with_perror ("ldmtool");
    return NULL;
  }
  return scan (d);
}

/* ldmtool show diskgroup GUID, or show volume GUID NAME: its JSON in
 * a new string.  NULL (replied). */
static char *
show (const char *diskgroup, const char *volume)
{
  const char *args[] = { "show", volume ? "volume" : "diskgroup", diskgroup,
                         volume, NULL };
  char *out = NULL;

  if (*diskgroup == '\0' || (volume && *volume == '\0')) {
    reply_with_error_errno (EINVAL, "an empty %s",
                            *diskgroup ? "volume name" : "disk group");
    return NULL;
  }
  if (run_ldmtool (args, &out) == -1)
    return NULL;
  return out;
}

char *
do_ldmtool_diskgroup_name (const char *diskgroup)
{
  CLEANUP_FREE char *out = show (diskgroup, NULL);

  return out ? string_member (out, "name") : NULL;
}

char **
do_ldmtool_diskgroup_volumes (const char *diskgroup)
{
  CLEANUP_FREE char *out = show (diskgroup,
                                 NULL);

  return out ? string_array (out, "volumes") :
    NULL;
}

char **
do_ldmtool_diskgroup_disks (const char *diskgroup)
{
  CLEANUP_FREE char *out = show (diskgroup, NULL);

  return out ? string_array (out, "disks") : NULL;
}

char *
do_ldmtool_volume_type (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show (diskgroup, volume);

  return out ? string_member (out, "type") : NULL;
}

char *
do_ldmtool_volume_hint (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show (diskgroup, volume);

  return out ? string_member (out, "hint") : NULL;
}

char **
do_ldmtool_volume_partitions (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show (diskgroup,
                                 volume);

  return out ? string_array (out, "partitions")
    : NULL;
}

/* The device-mapper devices ldmtool_create_all made, whose names start
 * with prefix, sorted. */
static char **
list_mapper (const char *prefix)
{
  char pattern[64];
  glob_t g;
  struct strlist l = STRLIST_INIT;
  char **r;
  int e;

  snprintf (pattern, sizeof pattern, "/dev/mapper/%s*", prefix);
  e = glob (pattern, 0, NULL, &g);
  if (e != 0 && e != GLOB_NOMATCH) {
    reply_with_error_errno (EIO, "cannot list /dev/mapper");
    return NULL;
  }
  for (size_t i = 0; e == 0 && i < g.gl_pathc; ++i)
    if (strlist_add (&l, g.gl_pathv[i]) == -1) {
      globfree (&g);
      strlist_free (&l);
      reply_with_perror ("ldmtool");
      return NULL;
    }
  if (e == 0)
    globfree (&g);
  r = strlist_take (&l);
  if (r == NULL)
    reply_with_perror ("ldmtool");
  return r;
}

char **
do_list_ldm_volumes (void)
{
  return list_mapper ("ldm_vol_");
}

char **
do_list_ldm_partitions (void)
{
  return list_mapper ("ldm_part_");
}
