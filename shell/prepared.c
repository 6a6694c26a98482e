/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -N [FILENAME=]TYPE[:PARAM...]: prepared disks, as guestfish makes
 * them: a new sparse raw file (test1.img, test2.img ... in the current
 * directory unless named; an existing one is overwritten) added as a
 * drive, and once the appliance is up, partitioned and formatted as TYPE
 * says (disk, part, fs, lv, lvfs, bootroot, bootrootlv).  What is made
 * reaches the file when the session ends well, as every change does. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"

#define MAX_PARAMS 6

struct param {
  const char *name;
  const char *dflt;
  const char *doc;
};

struct prepared_type {
  const char *name;
  const char *shortdesc;
  const char *longdesc;
  struct param params[MAX_PARAMS];
  /* Makes the layout on dev; p holds the parameters by their order. */
  int (*make) (drydock_h *h, const char *dev, char *const *p);
};

struct prepared_disk {
  char *file;
  const struct prepared_type *type;
  char *params[MAX_PARAMS];
  int64_t size;
  size_t before_drive;          /* how many -a came before it */
  char device[32];              /* set when added */
};

static struct prepared_disk *disks;
static size_t n_disks;
/* Drives added so far (the -a ones and these), for the device names. */
static size_t n_added;

/* ---- the layouts ---- */

static int
partition (drydock_h *h, const char *dev, const char *parttype)
{
  return drydock_part_disk (h, dev, parttype);
}

static int
mkfs (drydock_h *h, const char *fs, const char *dev)
{
  return drydock_mkfs (h, fs, dev);
}

/* "/dev/VG/LV" into vg and lv (pointing into buf). */
static int
vg_lv (const char *name, char *buf, size_t size, char **vg, char **lv)
{
  char *slash;

  if (strncmp (name, "/dev/", 5) != 0 || strlen (name) >= size) {
    tool_error (_("-N: '%s': a logical volume is named /dev/VG/LV"), name);
    return -1;
  }
  strcpy (buf, name + 5);
  slash = strchr (buf, '/');
  if (slash == NULL || slash == buf || slash[1] == '\0' || strchr (slash + 1, '/')) {
    tool_error (_("-N: '%s': a logical volume is named /dev/VG/LV"), name);
    return -1;
  }
  *slash = '\0';
  *vg = buf;
  *lv = slash + 1;
  return 0;
}

/* A volume group and one logical volume over all of pv. */
static int
make_lv (drydock_h *h, const char *pv, const char *name)
{
  char buf[256], *vg, *lv;
  char *pvs[] = { (char *) pv, NULL };

  if (vg_lv (name, buf, sizeof buf, &vg, &lv) == -1)
    return -1;
  if (drydock_pvcreate (h, pv) == -1 || drydock_vgcreate (h, vg, pvs) == -1 ||
      drydock_lvcreate_free (h, lv, vg, 100) == -1)
    return tool_lib_error (h);
  return 0;
}

static int
make_disk (drydock_h *h, const char *dev, char *const *p)
{
  return 0;
}

/* part: size, partition */
static int
make_part (drydock_h *h, const char *dev, char *const *p)
{
  return partition (h, dev, p[1]) == -1 ? tool_lib_error (h) : 0;
}

static int
part1 (const char *dev, char *buf, size_t size)
{
  return snprintf (buf, size, "%s1", dev) < (int) size ? 0 : -1;
}

/* fs: filesystem, size, partition */
static int
make_fs (drydock_h *h, const char *dev, char *const *p)
{
  char p1[40];

  part1 (dev, p1, sizeof p1);
  if (partition (h, dev, p[2]) == -1 || mkfs (h, p[0], p1) == -1)
    return tool_lib_error (h);
  return 0;
}

/* lv: name, size, partition */
static int
make_lvdisk (drydock_h *h, const char *dev, char *const *p)
{
  char p1[40];

  part1 (dev, p1, sizeof p1);
  if (partition (h, dev, p[2]) == -1)
    return tool_lib_error (h);
  return make_lv (h, p1, p[0]);
}

/* lvfs: name, filesystem, size, partition */
static int
make_lvfs (drydock_h *h, const char *dev, char *const *p)
{
  char p1[40];

  part1 (dev, p1, sizeof p1);
  if (partition (h, dev, p[3]) == -1)
    return tool_lib_error (h);
  if (make_lv (h, p1, p[0]) == -1)
    return -1;
  return mkfs (h, p[1], p[0]) == -1 ? tool_lib_error (h) : 0;
}

/* Two partitions: boot of bootsize bytes from sector 64, root the rest
 * but the last 64 sectors (room for GPT's copy). */
static int
two_partitions (drydock_h *h, const char *dev, const char *bootsize_s,
                const char *parttype)
{
  int64_t bootsize;

  if (shell_strtoi64 (bootsize_s, &bootsize) == -1 || bootsize < 512) {
    tool_error (_("-N: bootsize '%s': not a size"), bootsize_s);
    return -1;
  }
  if (drydock_part_init (h, dev, parttype) == -1 ||
      drydock_part_add (h, dev, "p", 64, 64 + bootsize / 512 - 1) == -1 ||
      drydock_part_add (h, dev, "p", 64 + bootsize / 512, -64) == -1)
    return tool_lib_error (h);
  return 0;
}

/* bootroot: bootfs, rootfs, size, bootsize, partition */
static int
make_bootroot (drydock_h *h, const char *dev, char *const *p)
{
  char p1[40], p2[40];

  snprintf (p1, sizeof p1, "%s1", dev);
  snprintf (p2, sizeof p2, "%s2", dev);
  if (two_partitions (h, dev, p[3], p[4]) == -1)
    return -1;
  if (mkfs (h, p[0], p1) == -1 || mkfs (h, p[1], p2) == -1)
    return tool_lib_error (h);
  return 0;
}

/* bootrootlv: name, bootfs, rootfs, size, bootsize, partition */
static int
make_bootrootlv (drydock_h *h, const char *dev, char *const *p)
{
  char p1[40], p2[40];

  snprintf (p1, sizeof p1, "%s1", dev);
  snprintf (p2, sizeof p2, "%s2", dev);
  if (two_partitions (h, dev, p[4], p[5]) == -1 ||
      make_lv (h, p2, p[0]) == -1)
    return -1;
  if (mkfs (h, p[1], p1) == -1 || mkfs (h, p[2], p[0]) == -1)
    return tool_lib_error (h);
  return 0;
}

#define SIZE { "size", "1G", N_("the size of the disk image") }
#define PARTITION { "partition", "mbr", N_("partition table type") }
#define FILESYSTEM { "filesystem", "ext2", N_("the type of filesystem to use") }
#define LVNAME(what) { "name", "/dev/VG/LV", what }
#define BOOTFS { "bootfs", "ext2", N_("the type of filesystem to use for boot") }
#define ROOTFS { "rootfs", "ext2", N_("the type of filesystem to use for root") }
#define BOOTSIZE { "bootsize", "128M", N_("the size of the boot filesystem") }

static const struct prepared_type types[] = {
  { "disk", N_("create a blank disk"),
    N_("Create a blank disk, size 1G (by default)."),
    { SIZE }, make_disk },
  { "part", N_("create a partitioned disk"),
    N_("Create a disk with a single partition.  By default the size of the\n"
       "disk is 1G (the partition a little smaller) and the partition table\n"
       "is MBR (DOS-style)."),
    { SIZE, PARTITION }, make_part },
  { "fs", N_("create a filesystem"),
    N_("Create a disk with a single partition holding an empty filesystem:\n"
       "by default a 1G disk with an MBR partition table and ext2."),
    { FILESYSTEM, SIZE, PARTITION }, make_fs },
  { "lv", N_("create a disk with logical volume"),
    N_("Create a disk with a single partition, an LVM physical volume on it,\n"
       "and a volume group and logical volume over it, /dev/VG/LV by default.\n"
       "No filesystem: lvfs makes one."),
    { LVNAME (N_("the name of the VG and LV to use")), SIZE, PARTITION },
    make_lvdisk },
  { "lvfs", N_("create a disk with logical volume and filesystem"),
    N_("As lv, with a filesystem (ext2 by default) on the logical volume."),
    { LVNAME (N_("the name of the VG and LV to use")), FILESYSTEM, SIZE,
      PARTITION }, make_lvfs },
  { "bootroot", N_("create a boot and root filesystem"),
    N_("Create a disk with two partitions, for a boot and a root\n"
       "filesystem, each formatted on its own."),
    { BOOTFS, ROOTFS, SIZE, BOOTSIZE, PARTITION }, make_bootroot },
  { "bootrootlv", N_("create a boot and root filesystem using LVM"),
    N_("As bootroot, but the root filesystem is on a logical volume,\n"
       "/dev/VG/LV by default."),
    { LVNAME (N_("the name of the VG and LV for root")), BOOTFS, ROOTFS, SIZE,
      BOOTSIZE, PARTITION }, make_bootrootlv },
};
#define N_TYPES (sizeof types / sizeof types[0])

static void
print_help (void)
{
  printf (_("List of available prepared disk images:\n\n"));
  for (size_t i = 0; i < N_TYPES; ++i) {
    const struct prepared_type *t = &types[i];
    const char *p = _(t->longdesc);

    printf ("drydock shell -N %-10s - %s\n\n", t->name, _(t->shortdesc));
    while (*p) {
      const char *nl = strchr (p, '\n');
      size_t n = nl ? (size_t) (nl - p) : strlen (p);

      printf ("  %.*s\n", (int) n, p);
      p += n + (nl != NULL);
    }
    printf (_("\n  Optional parameters:\n    -N %s"), t->name);
    for (size_t j = 0; j < MAX_PARAMS && t->params[j].name; ++j)
      printf (":<%s>", t->params[j].name);
    putchar ('\n');
    for (size_t j = 0; j < MAX_PARAMS && t->params[j].name; ++j)
      printf (_("      <%s> %s (default: %s)\n"), t->params[j].name,
              _(t->params[j].doc), t->params[j].dflt);
    putchar ('\n');
  }
}

/* The index of the "size" parameter of t. */
static int
size_param (const struct prepared_type *t)
{
  for (int j = 0; j < MAX_PARAMS && t->params[j].name; ++j)
    if (strcmp (t->params[j].name, "size") == 0)
      return j;
  return -1;
}

static int
create_file (struct prepared_disk *d)
{
  int fd = open (d->file, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC,
                 0644);

  if (fd == -1)
    return tool_error ("-N: %s: %s", d->file, strerror (errno));
  if (ftruncate (fd, d->size) == -1) {
    int e = errno;
    close (fd);
    return tool_error ("-N: %s: %s", d->file, strerror (e));
  }
  if (close (fd) == -1)
    return tool_error ("-N: %s: %s", d->file, strerror (errno));
  return 0;
}

int
shell_prepared_add (const char *spec, size_t before_drive)
{
  const char *eq = strchr (spec, '=');
  const char *colon = strchr (spec, ':');
  const char *type = spec;
  struct prepared_disk d = { 0 }, *v;
  CLEANUP_FREE char *rest = NULL;
  char *save = NULL, *tok;
  size_t tlen, j = 0;
  int sj;

  if (strcmp (spec, "help") == 0) {
    print_help ();
    return 1;
  }
  if (eq && (colon == NULL || eq < colon)) {
    d.file = strndup (spec, (size_t) (eq - spec));
    type = eq + 1;
  }
  else if (asprintf (&d.file, "test%zu.img", n_disks + 1) == -1)
    d.file = NULL;
  if (d.file == NULL)
    return tool_error ("%s", strerror (errno));
  colon = strchr (type, ':');
  tlen = colon ? (size_t) (colon - type) : strlen (type);
  for (size_t i = 0; i < N_TYPES; ++i)
    if (strlen (types[i].name) == tlen && strncmp (types[i].name, type, tlen) == 0)
      d.type = &types[i];
  if (d.type == NULL || *d.file == '\0') {
    free (d.file);
    return tool_error (_("-N '%s': unknown type (see -N help)"), spec);
  }
  rest = strdup (colon ? colon + 1 : "");
  for (tok = rest ? strtok_r (rest, ":", &save) : NULL; tok;
       tok = strtok_r (NULL, ":", &save), ++j) {
    if (j == MAX_PARAMS || d.type->params[j].name == NULL)
      goto too_many;
    d.params[j] = strdup (tok);
  }
  for (; j < MAX_PARAMS && d.type->params[j].name; ++j)
    d.params[j] = strdup (d.type->params[j].dflt);
  sj = size_param (d.type);
  if (shell_strtoi64 (d.params[sj], &d.size) == -1 || d.size < 1024 * 1024) {
    tool_error (_("-N '%s': size '%s' is not a size of at least 1M"), spec,
                d.params[sj]);
    goto fail;
  }
  d.before_drive = before_drive;
  if (create_file (&d) == -1)
    goto fail;
  v = realloc (disks, (n_disks + 1) * sizeof *v);
  if (v == NULL) {
    tool_error ("%s", strerror (errno));
    goto fail;
  }
  disks = v;
  disks[n_disks++] = d;
  return 0;
 too_many:
  tool_error (_("-N '%s': too many parameters (see -N help)"), spec);
 fail:
  free (d.file);
  for (size_t k = 0; k < MAX_PARAMS; ++k)
    free (d.params[k]);
  return -1;
}

size_t
shell_prepared_count (void)
{
  return n_disks;
}

/* The device the next drive gets: /dev/sda, ... /dev/sdz, /dev/sdaa ... */
static void
next_device (char *buf, size_t size)
{
  size_t i = n_added++;

  if (i < 26)
    snprintf (buf, size, "/dev/sd%c", (char) ('a' + i));
  else
    snprintf (buf, size, "/dev/sd%c%c", (char) ('a' + i / 26 - 1),
              (char) ('a' + i % 26));
}

int
shell_prepared_add_drives (drydock_h *h, size_t before_drive)
{
  for (size_t i = 0; i < n_disks; ++i) {
    struct drydock_add_drive_opts_argv a = {
      .bitmask = DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK |
                 DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK,
      .format = "raw", .commit = 1,
    };

    if (disks[i].before_drive != before_drive)
      continue;
    if (drydock_add_drive_opts_argv (h, disks[i].file, &a) == -1)
      return tool_lib_error (h);
    next_device (disks[i].device, sizeof disks[i].device);
  }
  return 0;
}

void
shell_prepared_count_drive (void)
{
  char ignored[32];

  next_device (ignored, sizeof ignored);
}

int
shell_prepared_make (drydock_h *h)
{
  for (size_t i = 0; i < n_disks; ++i)
    if (disks[i].type->make (h, disks[i].device, disks[i].params) == -1)
      return -1;
  return 0;
}

void
shell_prepared_free (void)
{
  for (size_t i = 0; i < n_disks; ++i) {
    free (disks[i].file);
    for (size_t k = 0; k < MAX_PARAMS; ++k)
      free (disks[i].params[k]);
  }
  free (disks);
  disks = NULL;
  n_disks = n_added = 0;
}
