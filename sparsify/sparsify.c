/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock sparsify: options, the checks made before any work, and the
 * in-place flow.  Everything bad about the input is refused here, with
 * one line naming it, before the appliance starts. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sparsify.h"

/* The shared options sparsify takes: the input's format and the keys of
 * its encrypted volumes, as virt-sparsify (the images are arguments). */
#define SPARSIFY_TAKES (TOOL_OPT_FORMAT | TOOL_OPT_KEYS)

enum {
  OPT_COMPRESS = TOOL_OWN_OPTION,
  OPT_CONVERT,
  OPT_IN_PLACE,
  OPT_JSON,
  OPT_OUTPUT_OVERLAY,
  OPT_TMP,
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;
  const char *p = tool_program_name ();

  fprintf (fp, _("Usage: %s [OPTIONS] IN OUT\n"
                 "       %s [OPTIONS] --in-place IMAGE\n"
                 "       %s [OPTIONS] --output-overlay NEW.qcow2 IN\n"
                 "Discard the space a disk image's guest does not use: trim every\n"
                 "filesystem (zero-filling those that cannot trim), discard swap\n"
                 "areas keeping their header and the free extents of volume groups.\n"
                 "Copying, IN is never written: the work happens in a qcow2 overlay in\n"
                 "--tmp and OUT is written without its zero and discarded clusters.\n"
                 "--in-place writes IMAGE itself (killed half way, it is left as a power\n"
                 "cut would leave it).  Encrypted volumes without a --key are skipped\n"
                 "with a warning.  IN and IMAGE are raw or qcow2 images; IN may\n"
                 "be a remote image (nbd://, https://, ssh:// ...), copied with\n"
                 "--convert or given --output-overlay.\n\n"),
           p, p, p);
  tool_print_options_help (fp, SPARSIFY_TAKES);
  fprintf (fp, _("  --convert raw|qcow2    the output's format (default: the input's)\n"
                 "  --compress             compress the qcow2 output\n"
                 "  --tmp DIR              where the working overlay goes (default $TMPDIR\n"
                 "                         or /var/tmp)\n"
                 "  --in-place             sparsify IMAGE itself\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         the result as a qcow2 backed by IN\n"
                 "  --json                 print the report as JSON\n"));
  exit (status);
}

const char *
sparsify_human_size (int64_t bytes, char *buf)
{
  static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
  double v = (double) bytes;
  int u = -1;

  if (bytes < 1024) {
    snprintf (buf, 32, "%lld B", (long long) bytes);
    return buf;
  }
  while (v >= 1024.0 && u < 3) {
    v /= 1024.0;
    u++;
  }
  snprintf (buf, 32, "%.1f %s", v, units[u]);
  return buf;
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct sparsify_opts *o = opaque;

  switch (c) {
  case OPT_COMPRESS: o->compress = 1; return 0;
  case OPT_CONVERT: o->convert = arg; return 0;
  case OPT_IN_PLACE: o->mode = MODE_IN_PLACE; return 0;
  case OPT_JSON: o->json = 1; return 0;
  case OPT_OUTPUT_OVERLAY: o->output = arg; return 0;
  case OPT_TMP: o->tmpdir = arg; return 0;
  default: return -1;
  }
}

/* Usage errors exit at once; the rest is checked by check_input. */
static void
parse_options (int argc, char **argv, struct sparsify_opts *o)
{
  static const struct option longopts[] = {
    { "compress", no_argument, NULL, OPT_COMPRESS },
    { "convert", required_argument, NULL, OPT_CONVERT },
    { "in-place", no_argument, NULL, OPT_IN_PLACE },
    { "json", no_argument, NULL, OPT_JSON },
    { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
    { "tmp", required_argument, NULL, OPT_TMP },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = SPARSIFY_TAKES, .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = o,
  };
  int first = tool_parse (&spec, argc, argv, &o->tool), want;

  if (o->output && o->mode == MODE_IN_PLACE) {
    tool_error (_("--in-place and --output-overlay exclude each other"));
    exit (EXIT_FAILURE);
  }
  if (o->output)
    o->mode = MODE_OVERLAY;
  if (o->mode != MODE_COPY && (o->convert || o->compress || o->tmpdir)) {
    tool_error (_("--convert, --compress and --tmp are for copying "
                  "(IN OUT), not %s"), o->mode == MODE_IN_PLACE ?
                "--in-place" : "--output-overlay");
    exit (EXIT_FAILURE);
  }
  want = o->mode == MODE_COPY ? 2 : 1;
  if (argc - first != want) {
    if (argc == first)
      usage (EXIT_FAILURE);
    tool_error (_("%s: %d arguments given (try --help)"),
                o->mode == MODE_COPY ? _("expected IN OUT") :
                o->mode == MODE_IN_PLACE ? _("--in-place takes one image") :
                _("--output-overlay takes one input image"),
                argc - first);
    exit (EXIT_FAILURE);
  }
  o->input = argv[first];
  if (o->mode == MODE_COPY)
    o->output = argv[first + 1];
}

/* A remote IN is read through the library's overlay alone: never in
 * place, and its format is the library's to probe when not given, so
 * the output's format must then be said. */
static int
check_remote_input (struct sparsify_opts *o, const char **format)
{
  if (o->mode == MODE_IN_PLACE)
    return tool_error (_("'%s': a remote image cannot be sparsified in "
                         "place"), o->input);
  *format = o->tool.format;
  if (*format && !tool_format_known (*format))
    return tool_error (_("--format '%s': unsupported format (use raw or "
                         "qcow2)"), *format);
  if (o->mode == MODE_COPY && o->convert == NULL && *format == NULL)
    return tool_error (_("'%s': a remote input needs --convert raw|qcow2 "
                         "(or --format)"), o->input);
  if (o->mode == MODE_COPY && o->convert == NULL)
    o->convert = *format;
  if (o->compress && strcmp (o->convert, "qcow2") != 0)
    return tool_error (_("--compress needs a qcow2 output (--convert "
                         "qcow2)"));
  return 0;
}

/* Everything that can be known about the input and the output before
 * the appliance starts. */
static int
check_input (struct sparsify_opts *o, const char **format)
{
  struct stat st;

  if (o->convert && !tool_format_known (o->convert))
    return tool_error (_("--convert '%s': unsupported format (use raw or "
                         "qcow2)"), o->convert);
  if (tool_is_remote (o->input))
    return check_remote_input (o, format);
  if (tool_check_image (o->input, o->tool.format, format) == -1)
    return -1;
  if (o->mode == MODE_COPY && o->convert == NULL)
    o->convert = *format;
  if (o->compress && strcmp (o->convert, "qcow2") != 0)
    return tool_error (_("--compress needs a qcow2 output (--convert "
                         "qcow2)"));
  if (o->output && (strcmp (o->output, o->input) == 0 ||
                    sparsify_image_same_file (o->input, o->output)))
    return tool_error (_("'%s': the output is the input image itself "
                         "(use --in-place to sparsify it in place)"),
                       o->output);
  if (o->output) {
    int r = sparsify_image_chain_holds (o->input, *format, o->output);
    if (r == -1)
      return -1;
    if (r == 1)
      return tool_error (_("'%s': the output is a backing file of the "
                           "input '%s': writing it would corrupt the "
                           "input"), o->output, o->input);
  }
  if (o->tmpdir && (stat (o->tmpdir, &st) == -1 || !S_ISDIR (st.st_mode) ||
                    access (o->tmpdir, W_OK | X_OK) == -1))
    return tool_error (_("--tmp '%s': not a writable directory"),
                       o->tmpdir);
  return 0;
}

/* The image itself, attached without an overlay. */
static int
in_place_run (struct sparsify_opts *o, const char *format,
              struct sparsify_report *r)
{
  drydock_h *h = tool_create_handle (&o->tool, 1);
  struct sparsify_guest g = { NULL, NULL, NULL, 0 };
  int ret = -1;

  if (h == NULL)
    return -1;
  if (drydock_add_drive_opts (h, o->input,
                              DRYDOCK_ADD_DRIVE_OPTS_FORMAT, format,
                              DRYDOCK_ADD_DRIVE_OPTS_DIRECT, 1, -1) == -1) {
    tool_lib_error (h);
    goto out;
  }
  if (tool_launch (h) == -1)
    goto out;
  if (sparsify_visit_prepare (h, o, &g) == -1 ||
      sparsify_visit_sparsify (h, &g, r) == -1)
    goto out;
  ret = 0;
 out:
  return sparsify_visit_end (h, &g, ret);
}

int
sparsify_main (int argc, char *argv[])
{
  struct sparsify_opts o = { .mode = MODE_COPY };
  struct sparsify_report r = {
    .alloc_before = -1, .alloc_after = -1, .data_before = -1,
    .data_after = -1, .guest_used = -1,
  };
  const char *format;
  int ret;

  parse_options (argc, argv, &o);
  if (check_input (&o, &format) == -1) {
    tool_options_free (&o.tool);
    return EXIT_FAILURE;
  }
  if (!tool_is_remote (o.input)) {
    r.alloc_before = sparsify_image_allocated (o.input);
    r.data_before = sparsify_image_data_bytes (o.input, format,
                                              o.mode == MODE_IN_PLACE);
  }
  if (o.mode == MODE_IN_PLACE)
    ret = in_place_run (&o, format, &r);
  else
    ret = sparsify_copy_run (&o, format, &r);
  if (ret == 0) {
    const char *result = o.mode == MODE_IN_PLACE ? o.input : o.output;
    const char *rfmt = o.mode == MODE_IN_PLACE ? format :
      o.mode == MODE_OVERLAY ? "qcow2" : o.convert;

    r.alloc_after = sparsify_image_allocated (result);
    r.data_after = sparsify_image_data_bytes (result, rfmt, 1);
    if (o.json)
      sparsify_report_print_json (&o, &r);
    else if (!o.tool.quiet)
      sparsify_report_print_text (&r);
  }
  sparsify_report_free (&r);
  tool_options_free (&o.tool);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
