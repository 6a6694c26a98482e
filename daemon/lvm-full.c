/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM: the full reports (pvs_full, vgs_full, lvs_full) and the device
 * filter (lvm_set_filter, lvm_clear_filter).
 *
 * The appliance's /etc/lvm is on its read-only root image.  A filter is
 * a copy of its lvm.conf in FILTER_DIR with the "filter" line replaced,
 * and LVM_SYSTEM_DIR pointing there: every lvm the daemon runs after
 * inherits it, until lvm_clear_filter unsets it. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define FILTER_DIR "/tmp/drydock-lvm"
#define SEP "|"

/* One report: the fields of each line of "lvm COMMAND --noheadings
 * -o FIELDS", in bytes, split at SEP.  *rows gets the lines (each a
 * list of nfields strings; caller frees both levels).  0, or -1
 * (replied). */
static int
report_rows (const char *what, const char *command, const char *fields,
             const char *select, size_t nfields, char ****rows)
{
  char *const argv[] = {
    "lvm", (char *) command, "--noheadings", "--units", "b", "--nosuffix",
    "--separator", SEP, "-o", (char *) fields,
    select ? "-S" : NULL, (char *) select, NULL
  };
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  char ***r;
  size_t n = 0;

  *rows = NULL;
  if (!lvm_pv_seen ()) {
    /* No physical volume: an empty report without running lvm. */
    if ((*rows = calloc (1, sizeof **rows)) == NULL)
      return reply_with_perror ("%s", what);
    return 0;
  }
  if (run_lvm (what, argv, &out) == -1)
    return -1;
  if ((lines = split_lines (out)) == NULL ||
      (r = calloc (count_strings (lines) + 1, sizeof *r)) == NULL)
    return reply_with_perror ("%s", what);
  for (size_t i = 0; lines[i]; ++i) {
    char *p = lines[i] + strspn (lines[i], " \t");
    char **row;

    if (*p == '\0')
      continue;
    if ((row = calloc (nfields + 1, sizeof *row)) == NULL)
      goto nomem;
    r[n++] = (char **) row;
    for (size_t f = 0; f < nfields; ++f) {
      size_t len = strcspn (p, SEP);

      if ((row[f] = strndup (p, len)) == NULL)
        goto nomem;
      p += len + (p[len] != '\0');
    }
  }
  *rows = r;
  return 0;
 nomem:
  for (size_t i = 0; i < n; ++i)
    free_string_list (r[i]);
  free (r);
  return reply_with_perror ("%s", what);
}

static void
free_rows (char ***rows)
{
  for (size_t i = 0; rows && rows[i]; ++i)
    free_string_list (rows[i]);
  free (rows);
}

static size_t
count_rows (char ***rows)
{
  size_t n = 0;

  while (rows[n])
    ++n;
  return n;
}

/* Numbers as lvm prints them; an empty field is -1. */
static int64_t
num (const char *s)
{
  return *s ? strtoll (s, NULL, 10) : -1;
}

static uint64_t
unum (const char *s)
{
  return strtoull (s, NULL, 10);
}

static float
percent (const char *s)
{
  return *s ? strtof (s, NULL) : -1.0f;
}

/* A copy of s, or of an LVM UUID without its dashes; NULL on ENOMEM. */
static char *
dup_str (const char *s)
{
  return strdup (s);
}

static char *
uuid (const char *s)
{
  char *r = malloc (strlen (s) + 1), *o = r;

  if (r == NULL)
    return NULL;
  for (; *s; ++s)
    if (*s != '-')
      *o++ = *s;
  *o = '\0';
  return r;
}

/* A device LVM names, as the API names it. */
static char *
api_device (const char *s)
{
  char *d = strdup (s);

  return d && *d ? map_device_to_api (d) : d;
}

static void
free_pvs (struct drydock_lvm_pv_list *l)
{
  for (size_t i = 0; l && i < l->len; ++i) {
    struct drydock_lvm_pv *v = &l->val[i];

    free (v->pv_name), free (v->pv_uuid), free (v->pv_fmt);
    free (v->pv_attr), free (v->pv_tags);
  }
  if (l)
    free (l->val);
  free (l);
}

static void
free_vgs (struct drydock_lvm_vg_list *l)
{
  for (size_t i = 0; l && i < l->len; ++i) {
    struct drydock_lvm_vg *v = &l->val[i];

    free (v->vg_name), free (v->vg_uuid), free (v->vg_fmt);
    free (v->vg_attr), free (v->vg_sysid), free (v->vg_tags);
  }
  if (l)
    free (l->val);
  free (l);
}

static void
free_lvs (struct drydock_lvm_lv_list *l)
{
  for (size_t i = 0; l && i < l->len; ++i) {
    struct drydock_lvm_lv *v = &l->val[i];

    free (v->lv_name), free (v->lv_uuid), free (v->lv_attr);
    free (v->origin), free (v->move_pv), free (v->lv_tags);
    free (v->mirror_log), free (v->modules);
  }
  if (l)
    free (l->val);
  free (l);
}

#define PV_FIELDS \
  "pv_name,pv_uuid,pv_fmt,pv_size,dev_size,pv_free,pv_used,pv_attr," \
  "pv_pe_count,pv_pe_alloc_count,pv_tags,pe_start,pv_mda_count,pv_mda_free"

struct drydock_lvm_pv_list *
do_pvs_full (void)
{
  char ***rows;
  struct drydock_lvm_pv_list *l;
  size_t n;

  if (report_rows ("physical volumes", "pvs", PV_FIELDS, NULL, 14,
                   &rows) == -1)
    return NULL;
  n = count_rows (rows);
  if ((l = calloc (1, sizeof *l)) == NULL ||
      (n && (l->val = calloc (n, sizeof *l->val)) == NULL))
    goto nomem;
  for (size_t i = 0; i < n; ++i) {
    char **f = rows[i];
    struct drydock_lvm_pv *v = &l->val[l->len++];

    v->pv_name = api_device (f[0]);
    v->pv_uuid = uuid (f[1]);
    v->pv_fmt = dup_str (f[2]);
    v->pv_size = unum (f[3]);
    v->dev_size = unum (f[4]);
    v->pv_free = unum (f[5]);
    v->pv_used = unum (f[6]);
    v->pv_attr = dup_str (f[7]);
    v->pv_pe_count = num (f[8]);
    v->pv_pe_alloc_count = num (f[9]);
    v->pv_tags = dup_str (f[10]);
    v->pe_start = unum (f[11]);
    v->pv_mda_count = num (f[12]);
    v->pv_mda_free = unum (f[13]);
    if (!v->pv_name || !v->pv_uuid || !v->pv_fmt || !v->pv_attr ||
        !v->pv_tags)
      goto nomem;
  }
  free_rows (rows);
  return l;
 nomem:
  free_rows (rows);
  reply_with_perror ("pvs_full");
  free_pvs (l);
  return NULL;
}

#define VG_FIELDS \
  "vg_name,vg_uuid,vg_fmt,vg_attr,vg_size,vg_free,vg_sysid," \
  "vg_extent_size,vg_extent_count,vg_free_count,max_lv,max_pv,pv_count," \
  "lv_count,snap_count,vg_seqno,vg_tags,vg_mda_count,vg_mda_free"

struct drydock_lvm_vg_list *
do_vgs_full (void)
{
  char ***rows;
  struct drydock_lvm_vg_list *l;
  size_t n;

  if (report_rows ("volume groups", "vgs", VG_FIELDS, NULL, 19, &rows) == -1)
    return NULL;
  n = count_rows (rows);
  if ((l = calloc (1, sizeof *l)) == NULL ||
      (n && (l->val = calloc (n, sizeof *l->val)) == NULL))
    goto nomem;
  for (size_t i = 0; i < n; ++i) {
    char **f = rows[i];
    struct drydock_lvm_vg *v = &l->val[l->len++];

    v->vg_name = dup_str (f[0]);
    v->vg_uuid = uuid (f[1]);
    v->vg_fmt = dup_str (f[2]);
    v->vg_attr = dup_str (f[3]);
    v->vg_size = unum (f[4]);
    v->vg_free = unum (f[5]);
    v->vg_sysid = dup_str (f[6]);
    v->vg_extent_size = unum (f[7]);
    v->vg_extent_count = num (f[8]);
    v->vg_free_count = num (f[9]);
    v->max_lv = num (f[10]);
    v->max_pv = num (f[11]);
    v->pv_count = num (f[12]);
    v->lv_count = num (f[13]);
    v->snap_count = num (f[14]);
    v->vg_seqno = num (f[15]);
    v->vg_tags = dup_str (f[16]);
    v->vg_mda_count = num (f[17]);
    v->vg_mda_free = unum (f[18]);
    if (!v->vg_name || !v->vg_uuid || !v->vg_fmt || !v->vg_attr ||
        !v->vg_sysid || !v->vg_tags)
      goto nomem;
  }
  free_rows (rows);
  return l;
 nomem:
  free_rows (rows);
  reply_with_perror ("vgs_full");
  free_vgs (l);
  return NULL;
}

#define LV_FIELDS \
  "lv_name,lv_uuid,lv_attr,lv_major,lv_minor,lv_kernel_major," \
  "lv_kernel_minor,lv_size,seg_count,origin,snap_percent,copy_percent," \
  "move_pv,lv_tags,mirror_log,lv_modules"

struct drydock_lvm_lv_list *
do_lvs_full (void)
{
  char ***rows;
  struct drydock_lvm_lv_list *l;
  size_t n;

  /* The logical volumes lvs lists: public ones only. */
  if (report_rows ("logical volumes", "lvs", LV_FIELDS,
                   "lv_role=public && lv_skip_activation!=yes", 16,
                   &rows) == -1)
    return NULL;
  n = count_rows (rows);
  if ((l = calloc (1, sizeof *l)) == NULL ||
      (n && (l->val = calloc (n, sizeof *l->val)) == NULL))
    goto nomem;
  for (size_t i = 0; i < n; ++i) {
    char **f = rows[i];
    struct drydock_lvm_lv *v = &l->val[l->len++];

    v->lv_name = dup_str (f[0]);
    v->lv_uuid = uuid (f[1]);
    v->lv_attr = dup_str (f[2]);
    v->lv_major = num (f[3]);
    v->lv_minor = num (f[4]);
    v->lv_kernel_major = num (f[5]);
    v->lv_kernel_minor = num (f[6]);
    v->lv_size = unum (f[7]);
    v->seg_count = num (f[8]);
    v->origin = dup_str (f[9]);
    v->snap_percent = percent (f[10]);
    v->copy_percent = percent (f[11]);
    v->move_pv = api_device (f[12]);
    v->lv_tags = dup_str (f[13]);
    v->mirror_log = dup_str (f[14]);
    v->modules = dup_str (f[15]);
    if (!v->lv_name || !v->lv_uuid || !v->lv_attr || !v->origin ||
        !v->move_pv || !v->lv_tags || !v->mirror_log || !v->modules)
      goto nomem;
  }
  free_rows (rows);
  return l;
 nomem:
  free_rows (rows);
  reply_with_perror ("lvs_full");
  free_lvs (l);
  return NULL;
}

/* vgchange ARG on every volume group.  0, or -1 (replied). */
static int
vgchange (const char *arg)
{
  char *const argv[] = { "lvm", "vgchange", (char *) arg, NULL };

  return run_lvm ("volume groups", argv, NULL);
}

static int
rescan (void)
{
  char *const argv[] = { "lvm", "vgscan", NULL };

  if (run_lvm ("volume groups", argv, NULL) == -1)
    return -1;
  return vgchange ("-ay");
}

/* Is line "filter = ..." (not global_filter)? */
static int
filter_line (const char *line)
{
  line += strspn (line, " \t");
  if (strncmp (line, "filter", 6) != 0)
    return 0;
  line += 6;
  line += strspn (line, " \t");
  return *line == '=';
}

/* FILTER_DIR/lvm.conf: the appliance's, its filter line replaced by
 * "filter = [ FILTER ]".  0, or -1 (replied). */
static int
write_conf (const char *filter)
{
  CLEANUP_FCLOSE FILE *in = fopen ("/etc/lvm/lvm.conf", "r");
  FILE *out;
  CLEANUP_FREE char *line = NULL;
  size_t n = 0;
  int r = 0;

  if (in == NULL)
    return reply_with_perror ("/etc/lvm/lvm.conf");
  if (mkdir (FILTER_DIR, 0700) == -1 && errno != EEXIST)
    return reply_with_perror ("%s", FILTER_DIR);
  if ((out = fopen (FILTER_DIR "/lvm.conf.new", "w")) == NULL)
    return reply_with_perror ("%s/lvm.conf.new", FILTER_DIR);
  while (getline (&line, &n, in) != -1) {
    if (filter_line (line))
      fprintf (out, "    filter = [ %s ]\n", filter);
    else
      fputs (line, out);
  }
  if (ferror (in) || ferror (out))
    r = -1;
  if (fclose (out) == EOF || r == -1 ||
      rename (FILTER_DIR "/lvm.conf.new", FILTER_DIR "/lvm.conf") == -1) {
    reply_with_perror ("%s/lvm.conf", FILTER_DIR);
    unlink (FILTER_DIR "/lvm.conf.new");
    return -1;
  }
  return 0;
}

int
do_lvm_set_filter (char *const *devices)
{
  CLEANUP_FREE char *filter = NULL;
  size_t size = 16, len = 0;

  for (size_t i = 0; devices[i]; ++i)
    size += 2 * strlen (devices[i]) + 64;
  if ((filter = malloc (size)) == NULL)
    return reply_with_perror ("lvm_set_filter");
  for (size_t i = 0; devices[i]; ++i) {
    CLEANUP_FREE char *dev = resolve_device ("lvm_set_filter", devices[i]);
    size_t n;

    if (dev == NULL)
      return -1;
    /* LVM's own regular expressions: a partition alone, or a whole
     * disk and its partitions.  Appliance device names hold no
     * metacharacter. */
    n = strlen (dev);
    if (2 * n + 32 > size - len)
      return reply_with_error_errno (EINVAL, "%s: name too long", dev);
    if (isdigit ((unsigned char) dev[n - 1]))
      len += (size_t) snprintf (filter + len, size - len, "\"a|^%s$|\", ",
                                dev);
    else
      len += (size_t) snprintf (filter + len, size - len,
                                "\"a|^%s$|\", \"a|^%s[0-9]|\", ", dev, dev);
  }
  snprintf (filter + len, size - len, "\"r|.*|\"");
  /* Nothing may stay active on a device the filter hides. */
  if (vgchange ("-an") == -1 || write_conf (filter) == -1)
    return -1;
  setenv ("LVM_SYSTEM_DIR", FILTER_DIR, 1);
  return rescan ();
}

int
do_lvm_clear_filter (void)
{
  if (getenv ("LVM_SYSTEM_DIR") == NULL)
    return 0;
  if (vgchange ("-an") == -1)
    return -1;
  unsetenv ("LVM_SYSTEM_DIR");
  return rescan ();
}
