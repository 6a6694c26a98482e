/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A Linux guest's /etc/fstab, turned into the mountpoints of its root:
 * each entry's device (UUID=, LABEL=, PARTUUID=, PARTLABEL=,
 * /dev/disk/by-*, /dev/mapper/VG-LV, /dev/VG/LV, /dev/sdX, /dev/vdX,
 * /dev/hdX, /dev/xvdX, /dev/nvmeXnY) is looked up among the filesystems
 * of the scan, by what was probed, never by what the guest's names
 * point to on the appliance.  An entry of a btrfs with subvol=NAME or
 * subvolid=N names that subvolume (btrfsvol:DEV/NAME), one without
 * either the device (whose default subvolume a mount gives).  Swap
 * entries give filesystems of the root that have no mountpoint;
 * network and pseudo entries, devices not on our drives and subvolumes
 * the scan did not find are left out. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon.h"
#include "inspect.h"

#define FSTAB_MAX (256 * 1024)

struct fstab_ctx {
  const struct inspect_scan *s;
  struct inspect_root *r;
};

typedef const char *(*fs_field) (const struct inspect_fs *f);
static const char *f_uuid (const struct inspect_fs *f) { return f->uuid; }
static const char *f_label (const struct inspect_fs *f) { return f->label; }
static const char *f_partuuid (const struct inspect_fs *f) { return f->partuuid; }
static const char *f_partlabel (const struct inspect_fs *f) { return f->partlabel; }
static const char *f_lv (const struct inspect_fs *f) { return f->lv ? f->lv : ""; }

/* The length of the whole-disk part of a partition's name ("/dev/sdb"
 * of "/dev/sdb2"); 0 for other devices (logical volumes). */
static size_t
disk_part (const char *dev)
{
  size_t n;

  if (strncmp (dev, "/dev/sd", 7) != 0)
    return 0;
  n = 7 + strspn (dev + 7, "abcdefghijklmnopqrstuvwxyz");
  return n > 7 ? n : 0;
}

static int
same_disk (const char *a, const char *b)
{
  size_t n = disk_part (a);

  return n > 0 && n == disk_part (b) && strncmp (a, b, n) == 0;
}

/* The filesystem whose field is value.  Several drives may hold
 * filesystems with the same UUID or label (an image and its copy, side
 * by side): the one on the disk of the root being inspected wins, then
 * the first. */
static const struct inspect_fs *
find_by (const struct inspect_scan *s, fs_field field, const char *value,
         int nocase, const char *root)
{
  const struct inspect_fs *first = NULL;

  if (*value == '\0')
    return NULL;
  for (size_t i = 0; i < s->nr_fs; ++i) {
    const char *v = field (&s->fs[i]);

    if (nocase ? strcasecmp (v, value) != 0 : strcmp (v, value) != 0)
      continue;
    if (same_disk (s->fs[i].device, root))
      return &s->fs[i];
    if (first == NULL)
      first = &s->fs[i];
  }
  return first;
}

/* /dev/xvdb1 -> /dev/sdb1, /dev/nvme1n1p2 -> /dev/sdb2: the API name
 * of the drive at the same position.  NULL if not of these shapes. */
static char *
api_name_of (const char *spec)
{
  const char *p;
  char *r = NULL;

  if (strncmp (spec, "/dev/sd", 7) == 0 || strncmp (spec, "/dev/vd", 7) == 0 ||
      strncmp (spec, "/dev/hd", 7) == 0) {
    if (asprintf (&r, "/dev/sd%s", spec + 7) == -1)
      return NULL;
    return r;
  }
  if (strncmp (spec, "/dev/xvd", 8) == 0) {
    if (asprintf (&r, "/dev/sd%s", spec + 8) == -1)
      return NULL;
    return r;
  }
  if (strncmp (spec, "/dev/nvme", 9) == 0 && isdigit ((unsigned char) spec[9])) {
    long ctrl = strtol (spec + 9, (char **) &p, 10);
    long part = 0;

    if (ctrl < 0 || ctrl > 25 || *p != 'n' || !isdigit ((unsigned char) p[1]))
      return NULL;
    strtol (p + 1, (char **) &p, 10);
    if (*p == 'p')
      part = strtol (p + 1, (char **) &p, 10);
    if (*p != '\0' || part < 0 || part > 4096)
      return NULL;
    int n = part ? asprintf (&r, "/dev/sd%c%ld", (char) ('a' + ctrl), part)
      : asprintf (&r, "/dev/sd%c", (char) ('a' + ctrl));
    return n == -1 ? NULL : r;
  }
  return NULL;
}

/* The scan's filesystem an fstab spec names, or NULL. */
static const struct inspect_fs *
resolve_spec (const struct inspect_scan *s, const char *spec,
              const char *root)
{
  static const struct { const char *prefix; fs_field field; int nocase; }
  tags[] = {
    { "UUID=", f_uuid, 1 }, { "LABEL=", f_label, 0 },
    { "PARTUUID=", f_partuuid, 1 }, { "PARTLABEL=", f_partlabel, 0 },
    { "/dev/disk/by-uuid/", f_uuid, 1 }, { "/dev/disk/by-label/", f_label, 0 },
    { "/dev/disk/by-partuuid/", f_partuuid, 1 },
    { "/dev/disk/by-partlabel/", f_partlabel, 0 },
  };
  CLEANUP_FREE char *api = NULL, *dev = NULL;
  const char *v;

  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; ++i) {
    size_t n = strlen (tags[i].prefix);

    if (strncmp (spec, tags[i].prefix, n) == 0) {
      v = spec + n;
      /* UUID="..." is allowed by mount(8). */
      if (*v == '"') {
        CLEANUP_FREE char *q = strndup (v + 1, strcspn (v + 1, "\""));
        return q ? find_by (s, tags[i].field, q, tags[i].nocase, root) : NULL;
      }
      return find_by (s, tags[i].field, v, tags[i].nocase, root);
    }
  }
  if (strncmp (spec, "/dev/mapper/", 12) == 0) {
    const struct inspect_fs *f;
    CLEANUP_FREE char *lv = NULL;
    size_t n = strlen (spec + 12);

    /* vg-lv with '-' in names doubled. */
    lv = malloc (n + 1);
    if (lv == NULL)
      return NULL;
    for (size_t i = 0, o = 0, split = 0; i <= n; ++i) {
      char c = spec[12 + i];

      if (c == '-' && spec[12 + i + 1] == '-')
        lv[o++] = spec[12 + i++];
      else if (c == '-' && !split) {
        lv[o++] = '/';
        split = 1;
      }
      else
        lv[o++] = c;
    }
    f = find_by (s, f_lv, lv, 0, root);
    if (f)
      return f;
  }
  if (strncmp (spec, "/dev/", 5) == 0 && strchr (spec + 5, '/')) {
    const struct inspect_fs *f = find_by (s, f_lv, spec + 5, 0, root);
    if (f)
      return f;
  }
  api = api_name_of (spec);
  if (api == NULL)
    return NULL;
  dev = resolve_device_quiet (api);
  if (dev == NULL)
    return NULL;
  for (size_t i = 0; i < s->nr_fs; ++i)
    if (strcmp (s->fs[i].device, dev) == 0)
      return &s->fs[i];
  return NULL;
}

/* The subvolume of the btrfs f that an entry's options name: subvol=
 * NAME (leading and trailing slashes ignored) or subvolid=N, the first
 * of them; f itself for neither, or for the top level; NULL for one the
 * scan does not hold (a name or ID that is no subvolume of f). */
static const struct inspect_fs *
btrfs_subvol (const struct inspect_scan *s, const struct inspect_fs *f,
              const char *options)
{
  const char *name = NULL;
  size_t name_len = 0;
  uint64_t id = 0;
  int by_id = 0;

  if (options == NULL || strcmp (f->type, "btrfs") != 0)
    return f;
  for (const char *o = options; *o && !name && !by_id; ) {
    size_t n = strcspn (o, ",");

    if (n > 7 && strncmp (o, "subvol=", 7) == 0) {
      name = o + 7;
      name_len = n - 7;
    }
    else if (n > 9 && strncmp (o, "subvolid=", 9) == 0) {
      char *end;

      by_id = 1;
      errno = 0;
      id = isdigit ((unsigned char) o[9]) ? strtoull (o + 9, &end, 10) : 0;
      if (errno || id == 0 || end != o + n)
        return NULL;
    }
    o += n;
    if (*o == ',')
      ++o;
  }
  if (name) {
    while (name_len > 0 && *name == '/')
      ++name, --name_len;
    while (name_len > 0 && name[name_len - 1] == '/')
      --name_len;
    if (name_len == 0)
      return f;
  }
  else if (!by_id || id == 5)
    return f;
  for (size_t i = 0; i < s->nr_fs; ++i) {
    const struct inspect_fs *g = &s->fs[i];
    const char *path;

    if (g->subvol_dev == NULL || strcmp (g->subvol_dev, f->device) != 0)
      continue;
    if (by_id && !name) {
      if (g->subvol_id == id)
        return g;
      continue;
    }
    /* g->device is btrfsvol:DEV/PATH. */
    path = g->device + strlen ("btrfsvol:") + strlen (g->subvol_dev) + 1;
    if (strlen (path) == name_len && memcmp (path, name, name_len) == 0)
      return g;
  }
  return NULL;
}

static int
pseudo_type (const char *type)
{
  static const char *const pseudo[] = {
    "swap", "proc", "sysfs", "devpts", "tmpfs", "devtmpfs", "nfs", "nfs4",
    "cifs", "smbfs", "autofs", "debugfs", "securityfs", "cgroup", "cgroup2",
    "binfmt_misc", "fuse.sshfs", "none", "bind", "efivarfs", "hugetlbfs",
    "mqueue", "pstore", "configfs", "tracefs", "fusectl", "rpc_pipefs",
  };

  for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; ++i)
    if (strcmp (type, pseudo[i]) == 0)
      return 1;
  return 0;
}

static int
on_entry (void *opaque, const char *spec, const char *file,
          const char *vfstype, const char *options)
{
  struct fstab_ctx *c = opaque;
  const struct inspect_fs *f;

  if (strchr (spec, ':') || strncmp (spec, "//", 2) == 0)
    return 0;
  if (vfstype && strcmp (vfstype, "swap") == 0) {
    /* Listed among the root's filesystems, not its mountpoints. */
    f = resolve_spec (c->s, spec, c->r->device);
    if (f && strlist_add (&c->r->swaps, f->device) == -1)
      return -1;
    return 0;
  }
  if (strcmp (file, "/") == 0 || (vfstype && pseudo_type (vfstype)))
    return 0;
  f = resolve_spec (c->s, spec, c->r->device);
  if (f == NULL) {
    debug ("inspect: fstab %s on %s: not on our drives", spec, file);
    return 0;
  }
  f = btrfs_subvol (c->s, f, options);
  if (f == NULL) {
    debug ("inspect: fstab %s on %s: no such subvolume", spec, file);
    return 0;
  }
  /* A mountpoint listed twice keeps its first entry. */
  for (size_t i = 0; i < c->r->mountpoints.len; i += 2)
    if (strcmp (c->r->mountpoints.v[i], file) == 0)
      return 0;
  if (strlist_add (&c->r->mountpoints, file) == -1 ||
      strlist_add (&c->r->mountpoints, f->device) == -1)
    return -1;
  return 0;
}

static int
compare_pairs (const void *a, const void *b)
{
  const char *const *pa = a, *const *pb = b;

  return strcmp (pa[0], pb[0]);
}

int
inspect_linux_fstab (int rootfd, const struct inspect_scan *s,
                     struct inspect_root *r)
{
  struct fstab_ctx c = { .s = s, .r = r };
  size_t len;
  CLEANUP_FREE char *buf = guest_read (rootfd, "/etc/fstab", FSTAB_MAX, &len);

  if (strlist_add (&r->mountpoints, "/") == -1 ||
      strlist_add (&r->mountpoints, r->device) == -1)
    return -1;
  if (buf == NULL)
    return errno == ENOMEM ? -1 : 0;
  if (inspect_parse_fstab (buf, len, on_entry, &c) == -1)
    return -1;
  /* "/" stays first; the rest sorted by mountpoint. */
  if (r->mountpoints.len > 4)
    qsort (r->mountpoints.v + 2, r->mountpoints.len / 2 - 1,
           2 * sizeof (char *), compare_pairs);
  return 0;
}
