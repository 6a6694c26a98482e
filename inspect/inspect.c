/* drydock inspect: options and flow.  One launch with every image added
 * read-only, the inspection read into memory, a shutdown, and only then
 * the document printed; or, with --xpath and no image, a query on the
 * XML document read from standard input (as virt-inspector --xpath). */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "inspect.h"

/* Larger standard input is not an inspection document. */
#define MAX_STDIN_XML (256 * 1024 * 1024)

struct drive {
  const char *file;
  const char *format;         /* NULL: probed */
};

struct options {
  struct drive *drives;
  size_t n_drives;
  int json, apps, icon, verbose, trace;
  const char *xpath;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--format raw|qcow2] -a IMAGE [-a IMAGE ...]\n"
                 "         [--xml | --json] [--no-applications] [--no-icon] [--xpath EXPR]\n"
                 "         [-v] [-x]\n"
                 "       %s --xpath EXPR < INSPECTION.xml\n"
                 "Print what the operating systems on disk images are: type,\n"
                 "distribution, version, host name, mountpoints, filesystems, drive\n"
                 "letters, installed applications and logo, as the XML virt-inspector writes\n"
                 "(or JSON).  The images are only read.  No operating system found is\n"
                 "not an error: the list is empty.\n\n"
                 "  -a, --add IMAGE        a disk of the guest (several for several disks)\n"
                 "  --format raw|qcow2     the format of the -a options after it\n"
                 "                         (default: probed; give it for untrusted images)\n"
                 "  --xml                  XML, as virt-inspector (the default)\n"
                 "  --json                 JSON with the same information\n"
                 "  --no-applications      do not list the installed applications\n"
                 "  --no-icon              leave out the operating system's logo\n"
                 "                         (<icon>, a base64 PNG)\n"
                 "  --xpath EXPR           print what the XPath expression selects in the\n"
                 "                         XML (of the images, or of standard input)\n"
                 "  -v, --verbose, -x      debug messages, trace API calls\n"),
           program_name, program_name);
  exit (status);
}

static void
parse_options (int argc, char **argv, struct options *o)
{
  static const struct option longopts[] = {
    { "add", required_argument, NULL, 'a' },
    { "format", required_argument, NULL, 'F' },
    { "help", no_argument, NULL, 'h' },
    { "json", no_argument, NULL, 'j' },
    { "no-applications", no_argument, NULL, 'N' },
    { "no-icon", no_argument, NULL, 'I' },
    { "trace", no_argument, NULL, 'x' },
    { "verbose", no_argument, NULL, 'v' },
    { "xml", no_argument, NULL, 'X' },
    { "xpath", required_argument, NULL, 'P' },
    { NULL, 0, NULL, 0 },
  };
  const char *format = NULL;
  int c;

  o->apps = 1;
  o->icon = 1;
  /* At most one drive per argument. */
  o->drives = calloc (argc, sizeof *o->drives);
  if (o->drives == NULL) {
    tool_error ("%s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  while ((c = getopt_long (argc, argv, "a:hvx", longopts, NULL)) != -1) {
    switch (c) {
    case 'a':
      o->drives[o->n_drives].file = optarg;
      o->drives[o->n_drives++].format = format;
      break;
    case 'F':
      if (strcmp (optarg, "auto") == 0)
        format = NULL;
      else if (strcmp (optarg, "raw") == 0 || strcmp (optarg, "qcow2") == 0)
        format = optarg;
      else {
        tool_error (_("--format '%s': unsupported format (use raw or "
                         "qcow2)"), optarg);
        exit (EXIT_FAILURE);
      }
      break;
    case 'j': o->json = 1; break;
    case 'X': o->json = 0; break;
    case 'N': o->apps = 0; break;
    case 'I': o->icon = 0; break;
    case 'P': o->xpath = optarg; break;
    case 'v': o->verbose = 1; break;
    case 'x': o->trace = 1; break;
    case 'h': usage (EXIT_SUCCESS); break;
    default: usage (EXIT_FAILURE);
    }
  }
  if (optind < argc) {
    tool_error (_("unexpected argument '%s' (images are given with -a)"),
                   argv[optind]);
    exit (EXIT_FAILURE);
  }
  if (o->xpath && o->json) {
    tool_error ("%s", _("--xpath queries the XML document: it excludes "
                           "--json"));
    exit (EXIT_FAILURE);
  }
  if (o->n_drives == 0 && o->xpath == NULL)
    usage (EXIT_FAILURE);
}

/* Reads all of standard input into *buf (caller frees). */
static int
read_stdin (char **buf, size_t *len)
{
  /* One byte more than allowed tells a document that is too long. */
  *buf = read_fd_max (STDIN_FILENO, MAX_STDIN_XML + 1, len);
  if (*buf == NULL)
    return tool_error (_("standard input: %s"), strerror (errno));
  if (*len > MAX_STDIN_XML)
    return tool_error (_("standard input: more than %d MiB, not an "
                         "inspection document"),
                       MAX_STDIN_XML / (1024 * 1024));
  return 0;
}

static int
write_stdout (const char *buf, size_t len)
{
  if (write_all (STDOUT_FILENO, buf, len) == -1)
    return tool_error (_("standard output: %s"), strerror (errno));
  return 0;
}

/* The appliance part: launch, read everything, shut down.  0, or -1
 * (printed); *r is filled either way and the caller frees it. */
static int
inspect_images (const struct options *o, struct inspect_result *r)
{
  drydock_h *h = drydock_create ();
  int ret = -1;

  if (h == NULL)
    return tool_error (_("cannot create a handle: %s"), strerror (errno));
  if (o->verbose)
    drydock_set_verbose (h, 1);
  if (o->trace)
    drydock_set_trace (h, 1);
  for (size_t i = 0; i < o->n_drives; ++i) {
    struct drydock_add_drive_opts_argv a = { 0 };

    a.bitmask = DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK;
    a.readonly = 1;
    if (o->drives[i].format) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK;
      a.format = o->drives[i].format;
    }
    if (drydock_add_drive_opts_argv (h, o->drives[i].file, &a) == -1)
      goto out;
  }
  if (drydock_launch (h) == -1)
    goto out;
  if (collect_all (h, o->apps, o->icon, r) == -1) {
    drydock_close (h);
    return -1;
  }
  if (drydock_shutdown (h) == -1)
    goto out;
  ret = 0;
 out:
  if (ret == -1)
    tool_lib_error (h);
  drydock_close (h);
  return ret;
}

/* The document to print, from the images or from standard input. */
static char *
make_output (const struct options *o, size_t *len)
{
  struct inspect_result r = { NULL, 0 };
  CLEANUP_FREE char *doc = NULL;
  char *out;

  if (o->n_drives == 0) {
    if (read_stdin (&doc, len) == -1)
      return NULL;
    return xml_xpath (doc, *len, _("standard input"), o->xpath, len);
  }
  if (inspect_images (o, &r) == -1) {
    collect_free (&r);
    return NULL;
  }
  if (o->json)
    out = json_document (&r, len);
  else
    out = xml_document (&r, len);
  collect_free (&r);
  if (out && o->xpath) {
    doc = out;
    out = xml_xpath (doc, *len, _("the inspection document"), o->xpath, len);
  }
  return out;
}

int
inspect_main (int argc, char *argv[])
{
  struct options o = { 0 };
  CLEANUP_FREE char *out = NULL;
  size_t len = 0;

  parse_options (argc, argv, &o);
  out = make_output (&o, &len);
  free (o.drives);
  if (out == NULL || write_stdout (out, len) == -1)
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}
