/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock filesystems: the filesystems, partitions, block devices and
 * LVM volumes of disk images, as virt-filesystems: the same selection
 * options (filesystems by default), the same columns with --long
 * (Name, Type, VFS, Label, MBR, Size, Parent, UUID) and the same
 * lined-up text or CSV.  One read-only launch. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "strlist.h"
#include "tools.h"

#define FS_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS)

/* What is listed. */
#define OUT_FILESYSTEMS 0x01
#define OUT_EXTRA       0x02  /* swap and unknown contents too */
#define OUT_LVS         0x04
#define OUT_VGS         0x08
#define OUT_PVS         0x10
#define OUT_PARTITIONS  0x20
#define OUT_BLKDEVS     0x40
#define OUT_ALL         0x7f

/* The columns, in their order. */
enum { COL_NAME, COL_TYPE, COL_VFS, COL_LABEL, COL_MBR, COL_SIZE,
       COL_PARENT, COL_UUID, NR_COLS };

enum {
  OPT_ALL = TOOL_OWN_OPTION, OPT_BLKDEVS, OPT_CSV, OPT_EXTRA,
  OPT_FILESYSTEMS, OPT_LVS, OPT_NO_TITLE, OPT_PARTITIONS, OPT_PVS,
  OPT_UUID, OPT_VGS,
};

struct fs_options {
  unsigned output;
  int csv, human, long_mode, no_title, uuid;
  int column[NR_COLS];        /* shown? */
};

/* A row under construction: the cells of every column. */
struct row {
  const char *cell[NR_COLS];
  char size[64], mbr[16];
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS]\n"
                 "List the filesystems, partitions, block devices and LVM volumes\n"
                 "of disk images, as virt-filesystems.  Without a selection, the\n"
                 "filesystems.  The images are only read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, FS_TAKES);
  fprintf (fp, _("  --all                  everything below\n"
                 "  --filesystems          the filesystems (the default)\n"
                 "  --extra                the filesystems, swap and unknown\n"
                 "                         contents included\n"
                 "  --partitions, --parts  the partitions\n"
                 "  --blkdevs, --block-devices\n"
                 "                         the block devices (disks)\n"
                 "  --lvs, --logvols, --logical-volumes\n"
                 "                         the LVM logical volumes\n"
                 "  --vgs, --volgroups, --volume-groups\n"
                 "                         the LVM volume groups\n"
                 "  --pvs, --physvols, --physical-volumes\n"
                 "                         the LVM physical volumes\n"
                 "  -l, --long             type, filesystem, label, MBR id, size and\n"
                 "                         parent too\n"
                 "  --uuid, --uuids        with --long, the UUIDs too\n"
                 "  -h, --human-readable   sizes as 40K, 3.9M, 12G\n"
                 "  --csv                  comma-separated values\n"
                 "  --no-title             no title line in --long\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct fs_options *f = opaque;

  switch (c) {
  case OPT_ALL: f->output = OUT_ALL; return 0;
  case OPT_BLKDEVS: f->output |= OUT_BLKDEVS; return 0;
  case OPT_CSV: f->csv = 1; return 0;
  case OPT_EXTRA: f->output |= OUT_FILESYSTEMS | OUT_EXTRA; return 0;
  case OPT_FILESYSTEMS: f->output |= OUT_FILESYSTEMS; return 0;
  case OPT_LVS: f->output |= OUT_LVS; return 0;
  case OPT_NO_TITLE: f->no_title = 1; return 0;
  case OPT_PARTITIONS: f->output |= OUT_PARTITIONS; return 0;
  case OPT_PVS: f->output |= OUT_PVS; return 0;
  case OPT_UUID: f->uuid = 1; return 0;
  case OPT_VGS: f->output |= OUT_VGS; return 0;
  case 'h': f->human = 1; return 0;
  case 'l': f->long_mode = 1; return 0;
  default: return -1;
  }
}

static void
parse_options (int argc, char **argv, struct tool_options *o,
               struct fs_options *f)
{
  static const struct option longopts[] = {
    { "all", no_argument, NULL, OPT_ALL },
    { "blkdevs", no_argument, NULL, OPT_BLKDEVS },
    { "block-devices", no_argument, NULL, OPT_BLKDEVS },
    { "csv", no_argument, NULL, OPT_CSV },
    { "extra", no_argument, NULL, OPT_EXTRA },
    { "filesystems", no_argument, NULL, OPT_FILESYSTEMS },
    { "human-readable", no_argument, NULL, 'h' },
    { "logical-volumes", no_argument, NULL, OPT_LVS },
    { "logvols", no_argument, NULL, OPT_LVS },
    { "long", no_argument, NULL, 'l' },
    { "lvs", no_argument, NULL, OPT_LVS },
    { "no-title", no_argument, NULL, OPT_NO_TITLE },
    { "partitions", no_argument, NULL, OPT_PARTITIONS },
    { "parts", no_argument, NULL, OPT_PARTITIONS },
    { "physical-volumes", no_argument, NULL, OPT_PVS },
    { "physvols", no_argument, NULL, OPT_PVS },
    { "pvs", no_argument, NULL, OPT_PVS },
    { "uuid", no_argument, NULL, OPT_UUID },
    { "uuids", no_argument, NULL, OPT_UUID },
    { "vgs", no_argument, NULL, OPT_VGS },
    { "volgroups", no_argument, NULL, OPT_VGS },
    { "volume-groups", no_argument, NULL, OPT_VGS },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = FS_TAKES, .short_options = "hl", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = f,
  };
  int first = tool_parse (&spec, argc, argv, o);

  if (first < argc)
    tools_usage_error (_("unexpected argument '%s' (images are given "
                         "with -a)"), argv[first]);
  tools_need_images (o);
  if (f->human && f->csv)
    tools_usage_error (_("-h and --csv exclude each other (spreadsheets "
                         "would misread the sizes)"));
  if (f->output == 0)
    f->output = OUT_FILESYSTEMS;
  f->column[COL_NAME] = 1;
  if (f->long_mode) {
    f->column[COL_TYPE] = f->column[COL_SIZE] = f->column[COL_PARENT] = 1;
    f->column[COL_VFS] = f->column[COL_LABEL] =
      (f->output & OUT_FILESYSTEMS) != 0;
    f->column[COL_MBR] = (f->output & OUT_PARTITIONS) != 0;
    f->column[COL_UUID] = f->uuid;
  }
}

/* Adds r's cells of the columns shown. */
static int
add_row (struct tools_table *t, const struct fs_options *f,
         const struct row *r)
{
  const char *cells[NR_COLS];
  size_t n = 0;

  for (size_t i = 0; i < NR_COLS; ++i)
    if (f->column[i])
      cells[n++] = r->cell[i];
  return tools_table_add (t, cells);
}

static void
set_size (const struct fs_options *f, struct row *r, int64_t size)
{
  if (size < 0)
    return;
  if (f->human)
    tools_human_size ((uint64_t) size, r->size, sizeof r->size);
  else
    snprintf (r->size, sizeof r->size, "%" PRId64, size);
  r->cell[COL_SIZE] = r->size;
}

/* An LVM UUID as virt-filesystems prints it: 32 characters, no dashes
 * (in place). */
static char *
plain_uuid (char *uuid)
{
  char *o = uuid;

  for (char *p = uuid; *p; ++p)
    if (*p != '-')
      *o++ = *p;
  *o = '\0';
  return uuid;
}

/* A filesystem's size: its blocks when it mounts, else its device's. */
static int64_t
filesystem_size (drydock_h *h, const char *dev)
{
  struct drydock_statvfs *st = NULL;
  int64_t size;

  if (drydock_mount_ro (h, dev, "/") == 0) {
    st = drydock_statvfs (h, "/");
    if (drydock_umount_all (h) == -1) {
      drydock_free_statvfs (st);
      return -1;
    }
  }
  size = st ? st->blocks * st->bsize : drydock_blockdev_getsize64 (h, dev);
  drydock_free_statvfs (st);
  return size;
}

static int
list_filesystems (drydock_h *h, const struct fs_options *f,
                  struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **fses = drydock_list_filesystems (h);

  if (fses == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; fses[i] && fses[i + 1]; i += 2) {
    CLEANUP_FREE char *label = NULL, *uuid = NULL;
    struct row r = { .cell = { fses[i], "filesystem", fses[i + 1] } };

    if (!(f->output & OUT_EXTRA) && (strcmp (fses[i + 1], "swap") == 0 ||
                                     strcmp (fses[i + 1], "unknown") == 0))
      continue;
    if (f->column[COL_LABEL])
      r.cell[COL_LABEL] = label = drydock_vfs_label (h, fses[i]);
    if (f->column[COL_UUID])
      r.cell[COL_UUID] = uuid = drydock_vfs_uuid (h, fses[i]);
    if (f->column[COL_SIZE]) {
      int64_t size = filesystem_size (h, fses[i]);

      if (size == -1)
        return tool_lib_error (h);
      set_size (f, &r, size);
    }
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

static int
list_lvs (drydock_h *h, const struct fs_options *f, struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **lvs = drydock_lvs (h);

  if (lvs == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; lvs[i]; ++i) {
    CLEANUP_FREE char *uuid = NULL, *parent = strdup (lvs[i]);
    struct row r = { .cell = { lvs[i], "lv" } };

    if (parent == NULL)
      return tool_error ("%s", strerror (errno));
    *strrchr (parent, '/') = '\0';
    r.cell[COL_PARENT] = parent;
    if (f->column[COL_SIZE]) {
      set_size (f, &r, drydock_blockdev_getsize64 (h, lvs[i]));
      if (r.cell[COL_SIZE] == NULL)
        return tool_lib_error (h);
    }
    if (f->column[COL_UUID]) {
      if ((uuid = drydock_lvuuid (h, lvs[i])) == NULL)
        return tool_lib_error (h);
      r.cell[COL_UUID] = plain_uuid (uuid);
    }
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

/* The devices of a list joined by commas (caller frees). */
static char *
join_commas (char *const *l)
{
  size_t n = 1;
  char *r;

  for (size_t i = 0; l[i]; ++i)
    n += strlen (l[i]) + 1;
  r = calloc (1, n);
  for (size_t i = 0; r && l[i]; ++i) {
    if (i > 0)
      strcat (r, ",");
    strcat (r, l[i]);
  }
  return r;
}

static int
list_vgs (drydock_h *h, const struct fs_options *f, struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **vgs = drydock_vgs (h);

  if (vgs == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; vgs[i]; ++i) {
    CLEANUP_FREE char *name = NULL, *uuid = NULL, *parents = NULL;
    CLEANUP_FREE_STRING_LIST char **pvs = NULL;
    struct row r = { .cell = { NULL, "vg" } };

    if (asprintf (&name, "/dev/%s", vgs[i]) == -1)
      return tool_error ("%s", strerror (errno));
    r.cell[COL_NAME] = name;
    if (f->column[COL_SIZE]) {
      set_size (f, &r, drydock_vg_size (h, vgs[i]));
      if (r.cell[COL_SIZE] == NULL)
        return tool_lib_error (h);
    }
    if (f->column[COL_UUID]) {
      if ((uuid = drydock_vguuid (h, vgs[i])) == NULL)
        return tool_lib_error (h);
      r.cell[COL_UUID] = plain_uuid (uuid);
    }
    if (f->column[COL_PARENT]) {
      if ((pvs = drydock_vg_pvs (h, vgs[i])) == NULL)
        return tool_lib_error (h);
      if ((r.cell[COL_PARENT] = parents = join_commas (pvs)) == NULL)
        return tool_error ("%s", strerror (errno));
    }
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

static int
list_pvs (drydock_h *h, const struct fs_options *f, struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **pvs = drydock_pvs (h);

  if (pvs == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; pvs[i]; ++i) {
    CLEANUP_FREE char *uuid = NULL;
    struct row r = { .cell = { pvs[i], "pv" } };

    if (f->column[COL_SIZE]) {
      set_size (f, &r, drydock_pv_size (h, pvs[i]));
      if (r.cell[COL_SIZE] == NULL)
        return tool_lib_error (h);
    }
    if (f->column[COL_UUID]) {
      if ((uuid = drydock_pvuuid (h, pvs[i])) == NULL)
        return tool_lib_error (h);
      r.cell[COL_UUID] = plain_uuid (uuid);
    }
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

/* The MBR type byte of partition part of disk as "83", or nothing for
 * other partition tables. */
static int
mbr_id (drydock_h *h, const char *disk, const char *part, struct row *r)
{
  CLEANUP_FREE char *type = drydock_part_get_parttype (h, disk);
  int id;

  if (type == NULL)
    return tool_lib_error (h);
  if (strcmp (type, "msdos") != 0)
    return 0;
  id = drydock_part_get_mbr_id (h, disk, atoi (part + strlen (disk)));
  if (id == -1)
    return tool_lib_error (h);
  snprintf (r->mbr, sizeof r->mbr, "%02x", (unsigned) id & 0xff);
  r->cell[COL_MBR] = r->mbr;
  return 0;
}

static int
list_partitions (drydock_h *h, const struct fs_options *f,
                 struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **parts = drydock_list_partitions (h);

  if (parts == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; parts[i]; ++i) {
    /* /dev/sdb2 is partition 2 of /dev/sdb. */
    CLEANUP_FREE char *disk = strndup (parts[i], strcspn (parts[i],
                                                          "0123456789"));
    struct row r = { .cell = { parts[i], "partition" } };

    if (disk == NULL)
      return tool_error ("%s", strerror (errno));
    r.cell[COL_PARENT] = disk;
    if (f->column[COL_SIZE]) {
      set_size (f, &r, drydock_blockdev_getsize64 (h, parts[i]));
      if (r.cell[COL_SIZE] == NULL)
        return tool_lib_error (h);
    }
    if (f->column[COL_MBR] && mbr_id (h, disk, parts[i], &r) == -1)
      return -1;
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

static int
list_blkdevs (drydock_h *h, const struct fs_options *f, struct tools_table *t)
{
  CLEANUP_FREE_STRING_LIST char **devs = drydock_list_devices (h);

  if (devs == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; devs[i]; ++i) {
    struct row r = { .cell = { devs[i], "device" } };

    if (f->column[COL_SIZE]) {
      set_size (f, &r, drydock_blockdev_getsize64 (h, devs[i]));
      if (r.cell[COL_SIZE] == NULL)
        return tool_lib_error (h);
    }
    if (add_row (t, f, &r) == -1)
      return -1;
  }
  return 0;
}

static int
list (drydock_h *h, const struct fs_options *f)
{
  static const struct row title = { .cell =
    { "Name", "Type", "VFS", "Label", "MBR", "Size", "Parent", "UUID" }
  };
  struct tools_table *t;
  size_t ncols = 0;

  for (size_t i = 0; i < NR_COLS; ++i)
    ncols += f->column[i] != 0;
  if ((t = tools_table_new (ncols, NR_COLS, f->csv)) == NULL)
    return -1;
  /* Most specific first, as virt-filesystems. */
  if ((f->long_mode && !f->no_title && add_row (t, f, &title) == -1) ||
      ((f->output & OUT_FILESYSTEMS) && list_filesystems (h, f, t) == -1) ||
      ((f->output & OUT_LVS) && list_lvs (h, f, t) == -1) ||
      ((f->output & OUT_VGS) && list_vgs (h, f, t) == -1) ||
      ((f->output & OUT_PVS) && list_pvs (h, f, t) == -1) ||
      ((f->output & OUT_PARTITIONS) && list_partitions (h, f, t) == -1) ||
      ((f->output & OUT_BLKDEVS) && list_blkdevs (h, f, t) == -1)) {
    tools_table_free (t);
    return -1;
  }
  tools_table_print (t, stdout);
  return 0;
}

int
filesystems_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct fs_options f = { 0 };
  struct tools_session s;
  int r;

  parse_options (argc, argv, &o, &f);
  if (tools_start (&s, &o, TOOLS_LVM) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  r = list (s.h, &f);
  if (fflush (stdout) == EOF)
    r = tool_error (_("standard output: %s"), strerror (errno));
  tools_finish (&s, 0);
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
