/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest work of drydock sparsify, in the one launched appliance:
 * measure what the filesystems use (for the copying modes' space
 * check), then trim each filesystem (zero-filling the ones that cannot
 * trim), discard swap areas but their headers, and discard the free
 * extents of each volume group through a temporary logical volume. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "strlist.h"
#include "sparsify.h"

/* The temporary LV over a volume group's free extents. */
#define FREE_LV "drydock_sparsify_free"
/* statvfs's ST_RDONLY. */
#define FLAG_RDONLY 1
/* What a swap area keeps: its header page (counted generously). */
#define SWAP_HEADER 65536

static int
is_luks (const char *type)
{
  return strcmp (type, "crypto_LUKS") == 0;
}

/* The /dev/mapper/NAME device dev was opened as, or NULL. */
static const char *
opened_as (const struct sparsify_guest *g, const char *dev)
{
  for (size_t i = 0; i < g->n_luks; ++i)
    if (strcmp (g->luks[2 * i], dev) == 0)
      return g->luks[2 * i + 1];
  return NULL;
}

/* Activating LVM costs a second under TCG: only when there is some. */
static int
list_guest (drydock_h *h, struct sparsify_guest *g)
{
  drydock_free_string_list (g->fs);
  drydock_free_string_list (g->vgs);
  g->fs = NULL;
  g->vgs = drydock_vgs (h);
  if (g->vgs == NULL ||
      (g->vgs[0] && drydock_vg_activate_all (h, 1) == -1) ||
      (g->fs = drydock_list_filesystems (h)) == NULL)
    return tool_lib_error (h);
  return 0;
}

/* Every volume is opened before anything is written: a wrong key stops
 * the run with the image as it was. */
int
sparsify_visit_prepare (drydock_h *h, struct sparsify_opts *o,
                        struct sparsify_guest *g)
{
  g->fs = g->vgs = g->luks = NULL;
  g->n_luks = 0;
  if (tool_open_encrypted (h, &o->tool, TOOL_LUKS_ALLOW_DISCARDS,
                           &g->luks) == -1 ||
      list_guest (h, g) == -1) {
    sparsify_visit_free (g);
    return -1;
  }
  g->n_luks = count_strings (g->luks) / 2;
  return 0;
}

void
sparsify_visit_free (struct sparsify_guest *g)
{
  drydock_free_string_list (g->fs);
  drydock_free_string_list (g->vgs);
  drydock_free_string_list (g->luks);
  g->fs = g->vgs = g->luks = NULL;
  g->n_luks = 0;
}

static int
is_filesystem (const char *type)
{
  return *type && strcmp (type, "unknown") != 0 && strcmp (type, "swap") != 0 &&
    !is_luks (type);
}

/* Bytes in use on the filesystem on dev (mounted read-only), or -1. */
static int64_t
fs_used (drydock_h *h, const char *dev)
{
  struct drydock_statvfs *sv;
  int64_t used = -1;

  if (drydock_mount_ro (h, dev, "/") == -1)
    return -1;
  sv = drydock_statvfs (h, "/");
  if (sv) {
    used = (sv->blocks - sv->bfree) * sv->frsize;
    drydock_free_statvfs (sv);
  }
  if (drydock_umount_all (h) == -1)
    return -1;
  return used;
}

/* Devices it cannot look into count at their full size. */
int
sparsify_visit_measure (drydock_h *h, const struct sparsify_guest *g,
                        int64_t *used)
{
  char **fs = g->fs;

  *used = 0;
  for (size_t i = 0; fs[i] && fs[i + 1]; i += 2) {
    int64_t n = -1;

    if (strcmp (fs[i + 1], "swap") == 0)
      n = SWAP_HEADER;
    else if (is_luks (fs[i + 1]) && opened_as (g, fs[i]))
      continue;                 /* what it holds is listed itself */
    else if (is_filesystem (fs[i + 1]))
      n = fs_used (h, fs[i]);
    if (n == -1 && (n = drydock_blockdev_getsize64 (h, fs[i])) == -1)
      return tool_lib_error (h);
    *used += n;
  }
  return 0;
}

/* Warns on stderr and records the device as left alone. */
static int
skip (struct sparsify_report *r, const char *dev, const char *type,
      const char *reason, int warn)
{
  if (warn)
    tool_warning (_("%s (%s) skipped: %s"), dev, type, reason);
  return sparsify_report_add (r, dev, type, ACT_SKIPPED, -1, reason);
}

/* Trims the filesystem mounted at /, or zero-fills it if it cannot. */
static int
trim_mounted (drydock_h *h, const char *dev, const char *type,
              int64_t free_bytes, struct sparsify_report *r)
{
  int64_t n;

  tool_progress_phase (_("trimming %s"), dev);
  n = drydock_fstrim_free (h, "/");
  if (n >= 0)
    return sparsify_report_add (r, dev, type, ACT_TRIMMED, n, NULL);
  if (drydock_last_errno (h) != EOPNOTSUPP)
    return tool_lib_error (h);
  tool_warning (_("%s (%s) cannot trim: filling its free space with zeros "
                 "instead"), dev, type);
  tool_progress_phase (_("zero-filling %s"), dev);
  if (drydock_zero_free_space (h, "/") == -1)
    return tool_lib_error (h);
  tool_progress_end ();
  return sparsify_report_add (r, dev, type, ACT_ZERO_FILLED, free_bytes, NULL);
}

/* A filesystem seen before under the same UUID is an LVM snapshot or a
 * clone: writing its free space could overflow a snapshot's store. */
static int
visit_fs (drydock_h *h, const char *dev, const char *type,
          struct strlist *uuids, struct sparsify_report *r)
{
  CLEANUP_FREE char *uuid = drydock_vfs_uuid (h, dev);
  struct drydock_statvfs *sv;
  int64_t free_bytes;
  int ret, rdonly;

  for (size_t i = 0; uuid && *uuid && i < uuids->len; ++i)
    if (strcmp (uuids->v[i], uuid) == 0)
      return skip (r, dev, type, _("same UUID as a filesystem already done "
                                   "(a snapshot or a copy)"), 1);
  if (uuid && *uuid && strlist_add (uuids, uuid) == -1)
    return tool_error ("%s", strerror (errno));
  if (drydock_mount (h, dev, "/") == -1) {
    CLEANUP_FREE char *why = NULL;
    if (asprintf (&why, _("cannot be mounted read-write: %s"),
                  drydock_last_error (h)) == -1)
      return tool_error ("%s", strerror (errno));
    return skip (r, dev, type, why, 1);
  }
  sv = drydock_statvfs (h, "/");
  if (sv == NULL)
    ret = tool_lib_error (h);
  else {
    free_bytes = sv->bfree * sv->frsize;
    rdonly = (sv->flag & FLAG_RDONLY) != 0;
    drydock_free_statvfs (sv);
    if (rdonly)
      ret = skip (r, dev, type, _("mounted read-only"), 1);
    else
      ret = trim_mounted (h, dev, type, free_bytes, r);
  }
  if (drydock_umount_all (h) == -1)
    return tool_lib_error (h);
  return ret;
}

static int
visit_swap (drydock_h *h, const char *dev, struct sparsify_report *r)
{
  int64_t size = drydock_blockdev_getsize64 (h, dev);

  tool_progress_phase (_("discarding swap %s"), dev);
  if (size == -1 || drydock_swap_discard (h, dev) == -1)
    return tool_lib_error (h);
  return sparsify_report_add (r, dev, "swap", ACT_SWAP, size - 4096, NULL);
}

/* A temporary LV over all free extents, discarded, removed. */
static int
visit_vg (drydock_h *h, const char *vg, char **lvs, struct sparsify_report *r)
{
  CLEANUP_FREE char *lv = NULL;
  int64_t free_bytes = drydock_vg_free (h, vg);
  int ok;

  if (free_bytes == -1)
    return tool_lib_error (h);
  if (free_bytes == 0)
    return 0;
  if (asprintf (&lv, "/dev/%s/%s", vg, FREE_LV) == -1)
    return tool_error ("%s", strerror (errno));
  for (size_t i = 0; lvs[i]; ++i)
    if (strcmp (lvs[i], lv) == 0)
      return skip (r, vg, "lvm-free", _("a logical volume named "
                                        FREE_LV " exists (left by an "
                                        "interrupted run? remove it)"), 1);
  tool_progress_phase (_("discarding the free space of %s"), vg);
  if (drydock_lvcreate_free (h, FREE_LV, vg, 100) == -1)
    return tool_lib_error (h);
  ok = drydock_blkdiscard (h, lv) == 0 || drydock_zero_device (h, lv) == 0;
  if (!ok)
    tool_lib_error (h);
  if (drydock_lvremove (h, lv) == -1)
    return tool_lib_error (h);
  if (!ok)
    return -1;
  return sparsify_report_add (r, vg, "lvm-free", ACT_LVM_FREE, free_bytes,
                              NULL);
}

static int
visit_lvm (drydock_h *h, char **vgs, struct sparsify_report *r)
{
  CLEANUP_FREE_STRING_LIST char **lvs = NULL;

  if (vgs[0] == NULL)
    return 0;
  lvs = drydock_lvs (h);
  if (lvs == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; vgs[i]; ++i)
    if (visit_vg (h, vgs[i], lvs, r) == -1)
      return -1;
  return 0;
}

int
sparsify_visit_sparsify (drydock_h *h, const struct sparsify_guest *g,
                         struct sparsify_report *r)
{
  struct strlist uuids = STRLIST_INIT;
  char **fs = g->fs;
  int ret = 0;

  for (size_t i = 0; ret == 0 && fs[i] && fs[i + 1]; i += 2) {
    const char *dev = fs[i], *type = fs[i + 1];

    if (strcmp (type, "swap") == 0)
      ret = visit_swap (h, dev, r);
    else if (is_luks (type) && opened_as (g, dev))
      continue;                 /* what it holds is listed itself */
    else if (is_luks (type)) {
      CLEANUP_FREE char *why = NULL;
      if (asprintf (&why, _("encrypted (give --key %s:key:PASSPHRASE or "
                            "--key %s:file:FILENAME to open it)"),
                    dev, dev) == -1)
        ret = tool_error ("%s", strerror (errno));
      else
        ret = skip (r, dev, type, why, 1);
    }
    else if (!is_filesystem (type))
      ret = skip (r, dev, type, _("no filesystem"), 0);
    else
      ret = visit_fs (h, dev, type, &uuids, r);
  }
  strlist_free (&uuids);
  if (ret == 0)
    ret = visit_lvm (h, g->vgs, r);
  if (ret == 0)
    ret = tool_close_encrypted (h, g->luks);
  return ret;
}

int
sparsify_visit_end (drydock_h *h, struct sparsify_guest *g, int ret)
{
  if (ret == 0 && drydock_shutdown (h) == -1) {
    tool_lib_error (h);
    ret = -1;
  }
  sparsify_visit_free (g);
  drydock_close (h);
  return ret;
}
