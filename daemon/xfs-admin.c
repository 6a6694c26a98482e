/* SPDX-License-Identifier: GPL-2.0-or-later */
/* XFS administration: xfs_info (the geometry, from xfs_spaceman on a
 * mounted filesystem or xfs_db on a device), xfs_growfs, xfs_admin
 * (xfs_db's version, label and uuid commands and xfs_repair -c, run
 * directly rather than through the xfs_admin script, whose eval would
 * read a label as shell words) and xfs_repair. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The appliance path of the guest directory or file path: /sysroot and
 * its canonical guest path (symlinks resolved inside the guest).  NULL
 * (replied) on failure; caller frees. */
static char *
appliance_path (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  CLEANUP_FREE char *g = NULL;
  char *r;

  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if ((g = guest_path_of_fd (fd)) == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (asprintf (&r, "%s%s", SYSROOT, strcmp (g, "/") == 0 ? "" : g) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

/* The value of "key=" in the text s (of one section), as a number, or
 * -1.  "version 2" (naming) is read with key "version ". */
static int64_t
field (const char *s, const char *key)
{
  size_t n = strlen (key);

  for (const char *p = s; (p = strstr (p, key)) != NULL; p += n)
    if ((p == s || isspace ((unsigned char) p[-1]) || p[-1] == ',' ||
         p[-1] == '=') && isdigit ((unsigned char) p[n]))
      return strtoll (p + n, NULL, 10);
  return -1;
}

/* The name after "SECTION =" up to two blanks ("internal log", "none",
 * "/dev/sda1"), in a new string; "" when absent. */
static char *
section_name (const char *s)
{
  const char *eq = strchr (s, '=');
  const char *end;

  if (eq == NULL)
    return strdup ("");
  ++eq;
  end = strstr (eq, "  ");
  if (end == NULL)
    end = eq + strcspn (eq, "\n");
  return strndup (eq, (size_t) (end - eq));
}

/* The sections of xfs_info's report (meta-data, data, naming, log,
 * realtime): each one's lines joined, the first line's name kept. */
enum { META, DATA, NAMING, LOG, RT, NSECT };

static int
split_sections (char *out, char *sect[NSECT])
{
  static const char *const names[NSECT] = {
    "meta-data", "data", "naming", "log", "realtime"
  };
  int cur = -1;

  for (int i = 0; i < NSECT; ++i)
    sect[i] = NULL;
  for (char *line = strtok (out, "\n"); line; line = strtok (NULL, "\n")) {
    size_t n = strcspn (line, " =");

    if (n > 0) {
      cur = -1;
      for (int i = 0; i < NSECT; ++i)
        if (strlen (names[i]) == n && strncmp (line, names[i], n) == 0)
          cur = i;
    }
    if (cur >= 0) {
      char *joined;

      if (asprintf (&joined, "%s%s%s", sect[cur] ? sect[cur] : "",
                    sect[cur] ? "\n" : "", line) == -1)
        return -1;
      free (sect[cur]);
      sect[cur] = joined;
    }
  }
  return 0;
}

struct drydock_xfsinfo *
do_xfs_info (const char *pathordevice)
{
  CLEANUP_FREE char *target = NULL, *out = NULL, *err = NULL;
  char *sect[NSECT];
  struct drydock_xfsinfo *r;
  int status, is_dev = strncmp (pathordevice, "/dev/", 5) == 0;

  if (is_dev)
    target = resolve_device ("xfs_info", pathordevice);
  else if (check_path ("xfs_info", pathordevice) == 0)
    target = appliance_path (pathordevice);
  if (target == NULL)
    return NULL;
  {
    char *const spaceman[] = {
      "xfs_spaceman", "-p", "xfs_info", "-c", "info", target, NULL
    };
    char *const db[] = {
      "xfs_db", "-r", "-p", "xfs_info", "-c", "info", target, NULL
    };

    status = run_command (&out, &err, is_dev ? db : spaceman);
    if (status != 0) {
      reply_command_error (pathordevice, is_dev ? db : spaceman, status, err);
      return NULL;
    }
  }
  if (split_sections (out, sect) == -1 || (r = calloc (1, sizeof *r)) == NULL)
    goto nomem;
  for (int i = 0; i < NSECT; ++i)
    if (sect[i] == NULL && (sect[i] = strdup ("")) == NULL)
      goto nomem;
  r->xfs_mntpoint = section_name (sect[META]);
  r->xfs_inodesize = (uint32_t) field (sect[META], "isize=");
  r->xfs_agcount = (uint32_t) field (sect[META], "agcount=");
  r->xfs_agsize = (uint32_t) field (sect[META], "agsize=");
  r->xfs_sectsize = (uint32_t) field (sect[META], "sectsz=");
  r->xfs_attr = (uint32_t) field (sect[META], "attr=");
  r->xfs_blocksize = (uint32_t) field (sect[DATA], "bsize=");
  r->xfs_datablocks = (uint64_t) field (sect[DATA], "blocks=");
  r->xfs_imaxpct = (uint32_t) field (sect[DATA], "imaxpct=");
  r->xfs_sunit = (uint32_t) field (sect[DATA], "sunit=");
  r->xfs_swidth = (uint32_t) field (sect[DATA], "swidth=");
  r->xfs_dirversion = (uint32_t) field (sect[NAMING], "version ");
  r->xfs_dirblocksize = (uint32_t) field (sect[NAMING], "bsize=");
  r->xfs_cimode = (uint32_t) field (sect[NAMING], "ascii-ci=");
  r->xfs_logname = section_name (sect[LOG]);
  r->xfs_logblocksize = (uint32_t) field (sect[LOG], "bsize=");
  r->xfs_logblocks = (uint32_t) field (sect[LOG], "blocks=");
  r->xfs_logversion = (uint32_t) field (sect[LOG], "version=");
  r->xfs_logsectsize = (uint32_t) field (sect[LOG], "sectsz=");
  r->xfs_logsunit = (uint32_t) field (sect[LOG], "sunit=");
  r->xfs_lazycount = (uint32_t) field (sect[LOG], "lazy-count=");
  r->xfs_rtname = section_name (sect[RT]);
  r->xfs_rtextsize = (uint32_t) field (sect[RT], "extsz=");
  r->xfs_rtblocks = (uint64_t) field (sect[RT], "blocks=");
  r->xfs_rtextents = (uint64_t) field (sect[RT], "rtextents=");
  for (int i = 0; i < NSECT; ++i)
    free (sect[i]);
  if (r->xfs_mntpoint == NULL || r->xfs_logname == NULL ||
      r->xfs_rtname == NULL) {
    free (r->xfs_mntpoint), free (r->xfs_logname), free (r->xfs_rtname);
    free (r);
    reply_with_perror ("xfs_info");
    return NULL;
  }
  return r;
 nomem:
  for (int i = 0; i < NSECT; ++i)
    free (sect[i]);
  reply_with_perror ("xfs_info");
  return NULL;
}

/* Appends "-OPT" and, when value >= 0, the number. */
static int
add_num (struct strlist *a, const char *opt, int64_t value)
{
  if (strlist_add (a, opt) == -1 ||
      strlist_addf (a, "%" PRIi64, value) == -1)
    return -1;
  return 0;
}

int
do_xfs_growfs (const char *path, uint64_t optmask, int datasec, int logsec,
               int rtsec, int64_t datasize, int64_t logsize, int64_t rtsize,
               int64_t rtextsize, int maxpct)
{
  CLEANUP_FREE char *target = NULL;
  struct strlist a = STRLIST_INIT;
  int r = -1;

  if (((optmask & OPT_XFS_GROWFS_DATASIZE) && datasize < 0) ||
      ((optmask & OPT_XFS_GROWFS_LOGSIZE) && logsize < 0) ||
      ((optmask & OPT_XFS_GROWFS_RTSIZE) && rtsize < 0) ||
      ((optmask & OPT_XFS_GROWFS_RTEXTSIZE) && rtextsize < 0) ||
      ((optmask & OPT_XFS_GROWFS_MAXPCT) && (maxpct < 0 || maxpct > 100)))
    return reply_with_error_errno (EINVAL, "%s: sizes must not be negative, "
                                   "maxpct 0 to 100", path);
  if ((target = appliance_path (path)) == NULL)
    return -1;
  if (strlist_add (&a, "xfs_growfs") == -1 ||
      ((optmask & OPT_XFS_GROWFS_DATASEC) && datasec &&
       strlist_add (&a, "-d") == -1) ||
      ((optmask & OPT_XFS_GROWFS_LOGSEC) && logsec &&
       strlist_add (&a, "-l") == -1) ||
      ((optmask & OPT_XFS_GROWFS_RTSEC) && rtsec &&
       strlist_add (&a, "-r") == -1) ||
      ((optmask & OPT_XFS_GROWFS_DATASIZE) &&
       add_num (&a, "-D", datasize) == -1) ||
      ((optmask & OPT_XFS_GROWFS_LOGSIZE) &&
       add_num (&a, "-L", logsize) == -1) ||
      ((optmask & OPT_XFS_GROWFS_RTSIZE) &&
       add_num (&a, "-R", rtsize) == -1) ||
      ((optmask & OPT_XFS_GROWFS_RTEXTSIZE) &&
       add_num (&a, "-e", rtextsize) == -1) ||
      ((optmask & OPT_XFS_GROWFS_MAXPCT) &&
       add_num (&a, "-m", maxpct) == -1) ||
      strlist_add (&a, target) == -1) {
    reply_with_perror ("xfs_growfs");
    goto out;
  }
  r = command_or_reply (path, NULL, a.v);
 out:
  strlist_free (&a);
  return r;
}

/* xfs_db -x on device with the commands in cmds.  0, or -1 (replied). */
static int
xfs_db_commands (const char *device, struct strlist *cmds, int imgfile)
{
  struct strlist a = STRLIST_INIT;
  int r = -1;

  if (strlist_add (&a, "xfs_db") == -1 || strlist_add (&a, "-x") == -1 ||
      (imgfile && strlist_add (&a, "-f") == -1))
    goto nomem;
  for (size_t i = 0; i < cmds->len; ++i)
    if (strlist_add (&a, "-c") == -1 || strlist_add (&a, cmds->v[i]) == -1)
      goto nomem;
  if (strlist_add (&a, device) == -1)
    goto nomem;
  r = command_or_reply (device, NULL, a.v);
  strlist_free (&a);
  return r;
 nomem:
  strlist_free (&a);
  return reply_with_perror ("xfs_admin");
}

/* A label or UUID reaches xfs_db's command line, which it splits at
 * blanks: none may be in it. */
static int
check_word (const char *what, const char *s, size_t max)
{
  size_t n = strlen (s);

  if (n > max || strpbrk (s, " \t\n\"'\\") != NULL)
    return reply_with_error_errno (EINVAL, "\"%s\": an xfs %s is at most "
                                   "%zu bytes without blanks or quotes",
                                   s, what, max);
  return 0;
}

int
do_xfs_admin (const char *device, uint64_t optmask, int extunwritten,
              int imgfile, int v2log, int projid32bit, int lazycounter,
              const char *label, const char *uuid)
{
  struct strlist cmds = STRLIST_INIT;
  int r = 0;

  imgfile = (optmask & OPT_XFS_ADMIN_IMGFILE) && imgfile;
  if (((optmask & OPT_XFS_ADMIN_LABEL) && check_word ("label", label, 12)) ||
      ((optmask & OPT_XFS_ADMIN_UUID) && check_word ("UUID", uuid, 36)))
    return -1;
  if (((optmask & OPT_XFS_ADMIN_EXTUNWRITTEN) && extunwritten &&
       strlist_add (&cmds, "version extflg") == -1) ||
      ((optmask & OPT_XFS_ADMIN_V2LOG) && v2log &&
       strlist_add (&cmds, "version log2") == -1) ||
      ((optmask & OPT_XFS_ADMIN_PROJID32BIT) && projid32bit &&
       strlist_add (&cmds, "version projid32bit") == -1) ||
      ((optmask & OPT_XFS_ADMIN_LABEL) &&
       strlist_addf (&cmds, "label %s", *label ? label : "\"\"") == -1) ||
      ((optmask & OPT_XFS_ADMIN_UUID) &&
       strlist_addf (&cmds, "uuid %s", uuid) == -1)) {
    strlist_free (&cmds);
    return reply_with_perror ("xfs_admin");
  }
  if (cmds.len > 0)
    r = xfs_db_commands (device, &cmds, imgfile);
  strlist_free (&cmds);
  if (r == 0 && (optmask & OPT_XFS_ADMIN_LAZYCOUNTER)) {
    char *const argv[] = {
      "xfs_repair", "-c", lazycounter ? "lazycount=1" : "lazycount=0",
      (char *) device, NULL
    };

    r = command_or_reply (device, NULL, argv);
  }
  return r;
}

int
do_xfs_repair (const char *device, uint64_t optmask, int forcelogzero,
               int nomodify, int noprefetch, int forcegeometry,
               int64_t maxmem, int64_t ihashsize, int64_t bhashsize,
               int64_t agstride, const char *logdev, const char *rtdev)
{
  CLEANUP_FREE char *target = NULL, *log = NULL, *rt = NULL, *err = NULL;
  struct strlist a = STRLIST_INIT;
  int is_dev = strncmp (device, "/dev/", 5) == 0;
  int status;

  if (((optmask & OPT_XFS_REPAIR_MAXMEM) && maxmem < 0) ||
      ((optmask & OPT_XFS_REPAIR_IHASHSIZE) && ihashsize < 0) ||
      ((optmask & OPT_XFS_REPAIR_BHASHSIZE) && bhashsize < 0) ||
      ((optmask & OPT_XFS_REPAIR_AGSTRIDE) && agstride < 0))
    return reply_with_error_errno (EINVAL, "%s: the numbers must not be "
                                   "negative", device);
  /* A device, or an image file in the guest (-f). */
  if (is_dev)
    target = resolve_device ("xfs_repair", device);
  else if (check_path ("xfs_repair", device) == 0)
    target = appliance_path (device);
  if (target == NULL)
    return -1;
  if ((optmask & OPT_XFS_REPAIR_LOGDEV) &&
      (log = resolve_device ("xfs_repair", logdev)) == NULL)
    return -1;
  if ((optmask & OPT_XFS_REPAIR_RTDEV) &&
      (rt = resolve_device ("xfs_repair", rtdev)) == NULL)
    return -1;
  if (strlist_add (&a, "xfs_repair") == -1 ||
      (!is_dev && strlist_add (&a, "-f") == -1) ||
      ((optmask & OPT_XFS_REPAIR_FORCELOGZERO) && forcelogzero &&
       strlist_add (&a, "-L") == -1) ||
      ((optmask & OPT_XFS_REPAIR_NOMODIFY) && nomodify &&
       strlist_add (&a, "-n") == -1) ||
      ((optmask & OPT_XFS_REPAIR_NOPREFETCH) && noprefetch &&
       strlist_add (&a, "-P") == -1) ||
      ((optmask & OPT_XFS_REPAIR_FORCEGEOMETRY) && forcegeometry &&
       (strlist_add (&a, "-o") == -1 ||
        strlist_add (&a, "force_geometry") == -1)) ||
      ((optmask & OPT_XFS_REPAIR_MAXMEM) && add_num (&a, "-m", maxmem) == -1) ||
      ((optmask & OPT_XFS_REPAIR_IHASHSIZE) &&
       (strlist_add (&a, "-o") == -1 ||
        strlist_addf (&a, "ihash=%" PRIi64, ihashsize) == -1)) ||
      ((optmask & OPT_XFS_REPAIR_BHASHSIZE) &&
       (strlist_add (&a, "-o") == -1 ||
        strlist_addf (&a, "bhash=%" PRIi64, bhashsize) == -1)) ||
      ((optmask & OPT_XFS_REPAIR_AGSTRIDE) &&
       (strlist_add (&a, "-o") == -1 ||
        strlist_addf (&a, "ag_stride=%" PRIi64, agstride) == -1)) ||
      (log && (strlist_add (&a, "-l") == -1 || strlist_add (&a, log) == -1)) ||
      (rt && (strlist_add (&a, "-r") == -1 || strlist_add (&a, rt) == -1)) ||
      strlist_add (&a, target) == -1) {
    strlist_free (&a);
    return reply_with_perror ("xfs_repair");
  }
  /* 0: no corruption; 1: corruption found (and not fixed, with -n); any
   * other status is a failure. */
  status = run_command (NULL, &err, a.v);
  if (status != 0 && status != 1) {
    reply_command_error (device, a.v, status, err);
    strlist_free (&a);
    return -1;
  }
  strlist_free (&a);
  return status;
}
