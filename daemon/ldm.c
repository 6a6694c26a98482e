/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Windows dynamic disks (LDM) through ldmtool: scans, the disk groups
 * and volumes it finds, and their device-mapper devices.  ldmtool
 * answers in JSON: an array of strings (scan) or an object (show); the
 * little reader below takes just those shapes. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"

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

/* The JSON reader. */

static const char *
skip_ws (const char *p)
{
  while (isspace ((unsigned char) *p))
    p++;
  return p;
}

/* Reads the string at p (after its opening quote's position) into a new
 * string (*s, unless s is NULL); escapes are decoded for ASCII (\uXXXX
 * above 0x7f becomes "?": ldmtool's names are ASCII).  The position
 * after it, or NULL. */
static const char *
read_string (const char *p, char **s)
{
  struct { char *buf; size_t len, cap; } b = { NULL, 0, 0 };

  if (*p != '"')
    return NULL;
  for (p++; *p != '"'; p++) {
    char c = *p;

    if (c == '\0')
      goto bad;
    if (c == '\\') {
      p++;
      switch (*p) {
      case 'n': c = '\n'; break;
      case 't': c = '\t'; break;
      case 'r': c = '\r'; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'u': {
        unsigned int u = 0;

        for (int i = 1; i <= 4; ++i) {
          if (!isxdigit ((unsigned char) p[i]))
            goto bad;
          u = u * 16 + (unsigned int) (isdigit ((unsigned char) p[i]) ?
                                       p[i] - '0' :
                                       (tolower ((unsigned char) p[i]) -
                                        'a' + 10));
        }
        c = u < 0x80 ? (char) u : '?';
        p += 4;
        break;
      }
      case '\0': goto bad;
      default: c = *p;          /* \" \\ \/ */
      }
    }
    if (s) {
      if (b.len + 2 > b.cap) {
        char *n = realloc (b.buf, b.cap = b.cap * 2 + 32);

        if (n == NULL)
          goto bad;
        b.buf = n;
      }
      b.buf[b.len++] = c;
    }
  }
  if (s) {
    if (b.buf == NULL && (b.buf = malloc (1)) == NULL)
      return NULL;
    b.buf[b.len] = '\0';
    *s = b.buf;
  }
  return p + 1;

 bad:
  free (b.buf);
  return NULL;
}

/* Skips any value: the position of the ',', '}' or ']' after it, or
 * NULL. */
static const char *
skip_value (const char *p)
{
  int depth = 0;

  for (;;) {
    if (*p == '\0')
      return NULL;
    if (depth == 0 && (*p == ',' || *p == '}' || *p == ']'))
      return p;
    if (*p == '"') {
      p = read_string (p, NULL);
      if (p == NULL)
        return NULL;
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if (*p == '}' || *p == ']')
      depth--;
    p++;
  }
}

/* Reads an array of strings at p into l.  The position after it, or
 * NULL (EINVAL: not that, or ENOMEM). */
static const char *
read_string_array (const char *p, struct strlist *l)
{
  p = skip_ws (p);
  if (*p != '[')
    goto bad;
  p = skip_ws (p + 1);
  if (*p == ']')
    return p + 1;
  for (;;) {
    char *s;

    p = read_string (skip_ws (p), &s);
    if (p == NULL)
      goto bad;
    if (strlist_add_take (l, s) == -1)
      return NULL;
    p = skip_ws (p);
    if (*p == ']')
      return p + 1;
    if (*p != ',')
      goto bad;
    p++;
  }

 bad:
  errno = EINVAL;
  return NULL;
}

/* The value of key in the JSON object json, positioned at it: NULL
 * (errno ENOENT: no such key, EINVAL: not an object). */
static const char *
find_key (const char *json, const char *key)
{
  const char *p = skip_ws (json);

  if (*p != '{')
    goto bad;
  p = skip_ws (p + 1);
  if (*p == '}') {
    errno = ENOENT;
    return NULL;
  }
  for (;;) {
    CLEANUP_FREE char *k = NULL;

    p = read_string (skip_ws (p), &k);
    if (p == NULL)
      goto bad;
    p = skip_ws (p);
    if (*p != ':')
      goto bad;
    p = skip_ws (p + 1);
    if (strcmp (k, key) == 0)
      return p;
    p = skip_value (p);
    if (p == NULL)
      goto bad;
    if (*p == '}') {
      errno = ENOENT;
      return NULL;
    }
    if (*p != ',')
      goto bad;
    p++;
  }

 bad:
  errno = EINVAL;
  return NULL;
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
  const char *p = key ? find_key (out, key) : out;
  char **r;

  if (p == NULL || read_string_array (p, &l) == NULL) {
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
  const char *p = find_key (out, key);
  char *s = NULL;

  if ((p == NULL && errno == ENOENT) || (p && strncmp (p, "null", 4) == 0)) {
    s = strdup ("");
    if (s == NULL)
      reply_with_perror ("ldmtool");
    return s;
  }
  if (p == NULL || read_string (p, &s) == NULL) {
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
