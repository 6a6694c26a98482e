/* drydock sparsify: options, the checks made before any work, and the
 * in-place flow.  Everything bad about the input is refused here, with
 * one line naming it, before the appliance starts. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sparsify.h"

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [OPTIONS] IN OUT\n"
                 "       %s [OPTIONS] --in-place IMAGE\n"
                 "       %s [OPTIONS] --output-overlay NEW.qcow2 IN\n"
                 "Discard the space a disk image's guest does not use: trim every\n"
                 "filesystem (zero-filling those that cannot trim), discard swap\n"
                 "areas keeping their header and the free extents of volume groups.\n"
                 "Copying, IN is never written: the work happens in a qcow2 overlay in\n"
                 "--tmp and OUT is written without its zero and discarded clusters.\n"
                 "--in-place writes IMAGE itself (killed half way, it is left as a power\n"
                 "cut would leave it).\n\n"
                 "  --format raw|qcow2     the input's format (default: probed; give it\n"
                 "                         for untrusted images)\n"
                 "  --convert raw|qcow2    the output's format (default: the input's)\n"
                 "  --compress             compress the qcow2 output\n"
                 "  --tmp DIR              where the working overlay goes (default $TMPDIR\n"
                 "                         or /var/tmp)\n"
                 "  --key SELECTOR         open an encrypted (LUKS) volume, its free space\n"
                 "                         discarded like any other: SELECTOR is\n"
                 "                         DEVICE:key:PASSPHRASE or DEVICE:file:FILENAME\n"
                 "                         (the file's first line), DEVICE a device as\n"
                 "                         the appliance names it (/dev/sda2, /dev/VG/LV),\n"
                 "                         the volume's LUKS UUID, or all; repeatable\n"
                 "                         (keys naming the volume are tried first).\n"
                 "                         Without a key a volume is skipped with a warning\n"
                 "  --json                 print the report as JSON\n"
                 "  -q, --quiet            no report, no progress bar\n"
                 "  -v, --verbose, -x      debug messages, trace API calls\n"),
           program_name, program_name, program_name);
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
check_format_name (const char *what, const char *f)
{
  if (f && strcmp (f, "raw") != 0 && strcmp (f, "qcow2") != 0)
    return tool_error (_("%s '%s': unsupported format (use raw or qcow2)"),
                           what, f);
  return 0;
}

/* Usage errors exit at once; the rest is checked by check_input. */
static void
parse_options (int argc, char **argv, struct sparsify_opts *o)
{
  static const struct option longopts[] = {
    { "compress", no_argument, NULL, 'c' },
    { "convert", required_argument, NULL, 'C' },
    { "format", required_argument, NULL, 'F' },
    { "help", no_argument, NULL, 'h' },
    { "in-place", no_argument, NULL, 'i' },
    { "json", no_argument, NULL, 'j' },
    { "key", required_argument, NULL, 'K' },
    { "output-overlay", required_argument, NULL, 'O' },
    { "quiet", no_argument, NULL, 'q' },
    { "tmp", required_argument, NULL, 'T' },
    { "trace", no_argument, NULL, 'x' },
    { "verbose", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  int c, want;

  while ((c = getopt_long (argc, argv, "hqvx", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': o->compress = 1; break;
    case 'C': o->convert = optarg; break;
    case 'F': o->format = strcmp (optarg, "auto") ? optarg : NULL; break;
    case 'i': o->mode = MODE_IN_PLACE; break;
    case 'j': o->json = 1; break;
    case 'K': sparsify_key_add (o, optarg); break;
    case 'O': o->output = optarg; break;
    case 'q': o->quiet = 1; break;
    case 'T': o->tmpdir = optarg; break;
    case 'v': o->verbose = 1; break;
    case 'x': o->trace = 1; break;
    case 'h': usage (EXIT_SUCCESS); break;
    default: usage (EXIT_FAILURE);
    }
  }
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
  if (argc - optind != want) {
    if (argc == optind)
      usage (EXIT_FAILURE);
    tool_error (_("%s: %d arguments given (try --help)"),
                    o->mode == MODE_COPY ? _("expected IN OUT") :
                    o->mode == MODE_IN_PLACE ? _("--in-place takes one image") :
                    _("--output-overlay takes one input image"),
                    argc - optind);
    exit (EXIT_FAILURE);
  }
  o->input = argv[optind];
  if (o->mode == MODE_COPY)
    o->output = argv[optind + 1];
}

/* Everything that can be known about the input and the output before
 * the appliance starts. */
static int
check_input (struct sparsify_opts *o, const char **format)
{
  struct stat st;

  if (check_format_name ("--format", o->format) == -1 ||
      check_format_name ("--convert", o->convert) == -1)
    return -1;
  if (stat (o->input, &st) == -1)
    return tool_error ("'%s': %s", o->input, strerror (errno));
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode))
    return tool_error (_("'%s': not a regular file or block device"),
                           o->input);
  *format = o->format;
  if (sparsify_image_check_format (o->input, format) == -1)
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
  if (sparsify_keys_load (o) == -1)
    return -1;
  if (o->tmpdir && (stat (o->tmpdir, &st) == -1 || !S_ISDIR (st.st_mode) ||
                    access (o->tmpdir, W_OK | X_OK) == -1))
    return tool_error (_("--tmp '%s': not a writable directory"),
                           o->tmpdir);
  return 0;
}

/* A handle with the drive not yet added: verbose, trace, progress. */
drydock_h *
sparsify_handle (const struct sparsify_opts *o)
{
  drydock_h *h = drydock_create ();

  if (h == NULL) {
    tool_error (_("cannot create a handle: %s"), strerror (errno));
    return NULL;
  }
  if (o->verbose)
    drydock_set_verbose (h, 1);
  if (o->trace)
    drydock_set_trace (h, 1);
  sparsify_progress_attach (h, o->quiet);
  return h;
}

/* The image itself, attached without an overlay. */
static int
in_place_run (const struct sparsify_opts *o, const char *format,
              struct sparsify_report *r)
{
  drydock_h *h = sparsify_handle (o);
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
  sparsify_progress_phase (_("launching the appliance"));
  if (drydock_launch (h) == -1) {
    tool_lib_error (h);
    goto out;
  }
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
    sparsify_keys_free (&o);
    return EXIT_FAILURE;
  }
  r.alloc_before = sparsify_image_allocated (o.input);
  r.data_before = sparsify_image_data_bytes (o.input, format,
                                            o.mode == MODE_IN_PLACE);
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
    else if (!o.quiet)
      sparsify_report_print_text (&r);
  }
  sparsify_report_free (&r);
  sparsify_keys_free (&o);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
