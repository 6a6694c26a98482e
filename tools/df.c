/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock df: the size and use of each filesystem of the images, as
 * virt-df: one row per filesystem (swap and unknown contents left out),
 * each mounted read-only in turn and its statvfs read.  All -a images
 * are one guest, named after the first ("disk.img+" for several), as
 * virt-df names them.  One read-only launch. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "tools.h"

#define DF_TAKES TOOL_OPT_ADD

enum { OPT_CSV = TOOL_OWN_OPTION };

struct df_options {
  int human, csv, inodes;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS]\n"
                 "The size, used and available space of each filesystem of the\n"
                 "disk images, as virt-df (and df).  All the images are one guest,\n"
                 "named after the first.  The images are only read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, DF_TAKES);
  fprintf (fp, _("  -h, --human-readable   sizes as 40K, 3.9M, 12G\n"
                 "  -i, --inodes           inodes instead of blocks\n"
                 "  --csv                  comma-separated values\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct df_options *d = opaque;

  switch (c) {
  case 'h': d->human = 1; return 0;
  case 'i': d->inodes = 1; return 0;
  case OPT_CSV: d->csv = 1; return 0;
  default: return -1;
  }
}

static void
print_title (const struct df_options *d)
{
  const char *cols[6] = {
    _("VirtualMachine"), _("Filesystem"),
    d->inodes ? _("Inodes") : d->human ? _("Size") : _("1K-blocks"),
    d->inodes ? _("IUsed") : _("Used"),
    d->inodes ? _("IFree") : _("Available"),
    d->inodes ? _("IUse%") : _("Use%"),
  };

  if (!d->csv) {
    printf ("%-36s%10s %10s %10s %5s\n", cols[1], cols[2], cols[3], cols[4],
            cols[5]);
    return;
  }
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0)
      putchar (',');
    tools_csv_field (stdout, cols[i]);
  }
  putchar ('\n');
}

/* One count of blocks of bsize bytes as a column: in KiB, or with -h
 * as a size. */
static void
blocks_column (const struct df_options *d, int64_t blocks, int64_t bsize,
               char *buf, size_t len)
{
  uint64_t n = blocks > 0 ? (uint64_t) blocks : 0;
  uint64_t b = bsize > 0 ? (uint64_t) bsize : 1;

  if (d->human)
    tools_human_size (n * b, buf, len);
  else
    snprintf (buf, len, "%" PRIu64, b >= 1024 ? n * (b / 1024) :
              n / (1024 / b));
}

static void
print_row (const struct df_options *d, const char *name, const char *dev,
           const struct drydock_statvfs *st)
{
  char col[3][64], pct[32];
  double percent;

  if (d->inodes) {
    snprintf (col[0], sizeof col[0], "%" PRId64, st->files);
    snprintf (col[1], sizeof col[1], "%" PRId64, st->files - st->ffree);
    snprintf (col[2], sizeof col[2], "%" PRId64, st->ffree);
    percent = st->files ? 100. - 100. * st->ffree / st->files : 0;
  }
  else {
    blocks_column (d, st->blocks, st->bsize, col[0], sizeof col[0]);
    blocks_column (d, st->blocks - st->bfree, st->bsize, col[1],
                   sizeof col[1]);
    blocks_column (d, st->bavail, st->bsize, col[2], sizeof col[2]);
    percent = st->blocks ? 100. - 100. * st->bfree / st->blocks : 0;
  }
  if (d->csv) {
    snprintf (pct, sizeof pct, "%.1f", percent);
    tools_csv_field (stdout, name);
    putchar (',');
    tools_csv_field (stdout, dev);
    for (size_t i = 0; i < 3; ++i)
      printf (",%s", col[i]);
    printf (",%s\n", pct);
    return;
  }
  /* As df: the percentage rounded up. */
  snprintf (pct, sizeof pct, "%3d%%",
            (int) percent + (percent > (double) (int) percent));
  printf ("%s:%s", name, dev);
  if (strlen (name) + strlen (dev) + 1 <= 36)
    printf ("%*s", (int) (36 - strlen (name) - strlen (dev) - 1), "");
  else
    printf ("\n%36s", "");
  printf ("%10s %10s %10s %5s\n", col[0], col[1], col[2], pct);
}

static int
df (struct tools_session *s, const struct df_options *d, const char *name)
{
  CLEANUP_FREE_STRING_LIST char **fses = drydock_list_filesystems (s->h);

  if (fses == NULL)
    return tool_lib_error (s->h);
  print_title (d);
  for (size_t i = 0; fses[i] && fses[i + 1]; i += 2) {
    const char *type = fses[i + 1];
    struct drydock_statvfs *st = NULL;

    if (*type == '\0' || strcmp (type, "swap") == 0 ||
        strcmp (type, "unknown") == 0)
      continue;
    /* A filesystem that does not mount is left out, as virt-df does. */
    if (drydock_mount_ro (s->h, fses[i], "/") == 0) {
      st = drydock_statvfs (s->h, "/");
      if (drydock_umount_all (s->h) == -1) {
        drydock_free_statvfs (st);
        return tool_lib_error (s->h);
      }
    }
    if (st)
      print_row (d, name, fses[i], st);
    drydock_free_statvfs (st);
  }
  return 0;
}

int
df_main (int argc, char *argv[])
{
  static const struct option longopts[] = {
    { "csv", no_argument, NULL, OPT_CSV },
    { "human-readable", no_argument, NULL, 'h' },
    { "inodes", no_argument, NULL, 'i' },
    { NULL, 0, NULL, 0 },
  };
  struct df_options d = { 0 };
  const struct tool_spec spec = {
    .takes = DF_TAKES, .short_options = "hi", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = &d,
  };
  struct tool_options o = { 0 };
  struct tools_session s;
  CLEANUP_FREE char *copy = NULL, *name = NULL;
  int first, r;

  first = tool_parse (&spec, argc, argv, &o);
  if (first < argc)
    tools_usage_error (_("unexpected argument '%s' (images are given "
                         "with -a)"), argv[first]);
  tools_need_images (&o);
  if (d.human && d.csv)
    tools_usage_error (_("-h and --csv exclude each other (spreadsheets "
                         "would misread the sizes)"));
  copy = strdup (o.drives[0].file);
  if (copy == NULL ||
      asprintf (&name, "%s%s", basename (copy), o.n_drives > 1 ? "+" : "")
      == -1) {
    tool_error ("%s", strerror (errno));
    return EXIT_FAILURE;
  }
  if (tools_start (&s, &o, TOOLS_LVM) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  r = df (&s, &d, name);
  if (fflush (stdout) == EOF)
    r = tool_error (_("standard output: %s"), strerror (errno));
  tools_finish (&s, 0);
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
