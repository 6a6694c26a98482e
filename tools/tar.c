/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock tar-in and tar-out: unpack a local tarball into a guest
 * directory, and pack a guest directory into a local tarball, as
 * virt-tar-in and virt-tar-out ("-" for standard input or output).
 * The tarball is uncompressed as theirs are, unless -z or --compress
 * says how it is compressed.  tar-in writes the images only when the
 * whole tarball was unpacked; tar-out only reads them. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "tools.h"

#define TAR_TAKES (TOOL_OPT_ADD | TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

enum { OPT_COMPRESS = TOOL_OWN_OPTION };

static void
options_help (FILE *fp)
{
  tool_print_options_help (fp, TAR_TAKES);
  fprintf (fp, _("  --compress gzip|xz|zstd|bzip2\n"
                 "                         the tarball is compressed so\n"
                 "  -z, --gzip             the same as --compress gzip\n"));
}

static void
usage_in (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] TARFILE "
                 "REMOTEDIR\n"
                 "Unpack the tarball TARFILE (- for standard input) into the guest\n"
                 "directory REMOTEDIR, as virt-tar-in.  The images are written only\n"
                 "when the whole tarball was unpacked.\n\n"),
           tool_program_name ());
  options_help (fp);
  exit (status);
}

static void
usage_out (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] REMOTEDIR "
                 "TARFILE\n"
                 "Pack the guest directory REMOTEDIR into the tarball TARFILE (-\n"
                 "for standard output), as virt-tar-out.  A TARFILE is written\n"
                 "under a temporary name and appears only when complete.  The\n"
                 "images are only read.\n\n"),
           tool_program_name ());
  options_help (fp);
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  static const char *const types[] = { "gzip", "xz", "zstd", "bzip2", NULL };
  const char **compress = opaque;

  switch (c) {
  case 'z': *compress = "gzip"; return 0;
  case OPT_COMPRESS:
    for (size_t i = 0; types[i]; ++i)
      if (strcmp (arg, types[i]) == 0) {
        *compress = types[i];
        return 0;
      }
    return tool_error (_("--compress '%s': unknown compression (use gzip, "
                         "xz, zstd or bzip2)"), arg);
  default: return -1;
  }
}

/* Parses the options; argv[first] and argv[first + 1] are then the two
 * paths. */
static int
parse (int argc, char **argv, struct tool_options *o, void (*usage) (int),
       const char **compress)
{
  static const struct option longopts[] = {
    { "compress", required_argument, NULL, OPT_COMPRESS },
    { "gzip", no_argument, NULL, 'z' },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = TAR_TAKES, .short_options = "z", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = compress,
  };
  int first = tool_parse (&spec, argc, argv, o);

  tools_need_images (o);
  if (argc - first != 2)
    tools_usage_error (_("expected two paths, %d given"), argc - first);
  return first;
}

int
tar_in_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct tools_session s;
  const char *compress = NULL;
  int first = parse (argc, argv, &o, usage_in, &compress), ok;
  const char *tarfile = argv[first];
  CLEANUP_FREE char *dir = NULL;

  if (strcmp (tarfile, "-") != 0 && access (tarfile, R_OK) == -1) {
    tool_error (_("'%s': %s"), tarfile, strerror (errno));
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  if (tools_start (&s, &o, TOOLS_WRITE | TOOLS_MOUNT | TOOLS_PROGRESS) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  dir = tools_guest_dir (&s, argv[first + 1]);
  ok = dir != NULL;
  tool_progress_phase (_("unpacking %s"), tarfile);
  if (ok && drydock_tar_in_opts (s.h, tarfile, dir,
                                 DRYDOCK_TAR_IN_OPTS_COMPRESS,
                                 compress ? compress : "none", -1) == -1)
    ok = tool_lib_error (s.h) == 0;
  if (tools_finish (&s, ok) == -1)
    ok = 0;
  tool_options_free (&o);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
tar_out_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct tools_session s;
  const char *compress = NULL;
  int first = parse (argc, argv, &o, usage_out, &compress), ok;
  CLEANUP_FREE char *dir = NULL;

  if (tools_start (&s, &o, TOOLS_MOUNT | TOOLS_PROGRESS) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  dir = tools_guest_dir (&s, argv[first]);
  ok = dir != NULL;
  tool_progress_phase (_("packing %s"), argv[first]);
  if (ok && drydock_tar_out_opts (s.h, dir, argv[first + 1],
                                  DRYDOCK_TAR_OUT_OPTS_COMPRESS,
                                  compress ? compress : "none", -1) == -1)
    ok = tool_lib_error (s.h) == 0;
  tools_finish (&s, 0);
  tool_options_free (&o);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
