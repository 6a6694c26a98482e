/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock inspect: options and flow.  One launch with every image added
 * read-only, the inspection read into memory, a shutdown, and only then
 * the document printed; or, with --xpath and no image, a query on the
 * XML document read from standard input (as virt-inspector --xpath). */

#include <config.h>

#include <errno.h>
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

/* The shared options inspect takes: the images, and the keys of their
 * encrypted volumes, as virt-inspector. */
#define INSPECT_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS)

enum {
  OPT_JSON = TOOL_OWN_OPTION,
  OPT_XML,
  OPT_NO_APPLICATIONS,
  OPT_NO_ICON,
  OPT_XPATH,
};

/* The tool's own options. */
struct inspect_options {
  int json, apps, icon;
  const char *xpath;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--format FORMAT] -a IMAGE [-a IMAGE ...] | -d DOMAIN\n"
                 "         [--xml | --json] [--no-applications] [--no-icon] [--xpath EXPR]\n"
                 "         [-v] [-x]\n"
                 "       %s --xpath EXPR < INSPECTION.xml\n"
                 "Print what the operating systems on disk images are: type,\n"
                 "distribution, version, host name, mountpoints, filesystems, drive\n"
                 "letters, installed applications and logo, as the XML virt-inspector writes\n"
                 "(or JSON).  The images are only read.  No operating system found is\n"
                 "not an error: the list is empty.\n\n"),
           tool_program_name (), tool_program_name ());
  tool_print_options_help (fp, INSPECT_TAKES);
  fprintf (fp, _("  --xml                  XML, as virt-inspector (the default)\n"
                 "  --json                 JSON with the same information\n"
                 "  --no-applications      do not list the installed applications\n"
                 "  --no-icon              leave out the operating system's logo\n"
                 "                         (<icon>, a base64 PNG)\n"
                 "  --xpath EXPR           print what the XPath expression selects in the\n"
                 "                         XML (of the images, or of standard input)\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct inspect_options *io = opaque;

  switch (c) {
  case OPT_JSON: io->json = 1; return 0;
  case OPT_XML: io->json = 0; return 0;
  case OPT_NO_APPLICATIONS: io->apps = 0; return 0;
  case OPT_NO_ICON: io->icon = 0; return 0;
  case OPT_XPATH: io->xpath = arg; return 0;
  default: return -1;
  }
}

static void
parse_options (int argc, char **argv, struct tool_options *o,
               struct inspect_options *io)
{
  static const struct option longopts[] = {
    { "json", no_argument, NULL, OPT_JSON },
    { "no-applications", no_argument, NULL, OPT_NO_APPLICATIONS },
    { "no-icon", no_argument, NULL, OPT_NO_ICON },
    { "xml", no_argument, NULL, OPT_XML },
    { "xpath", required_argument, NULL, OPT_XPATH },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = INSPECT_TAKES, .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = io,
  };
  int first;

  io->apps = 1;
  io->icon = 1;
  first = tool_parse (&spec, argc, argv, o);
  /* The images are only read, whatever happens. */
  o->ro = 1;
  if (first < argc) {
    tool_error (_("unexpected argument '%s' (images are given with -a)"),
                argv[first]);
    exit (EXIT_FAILURE);
  }
  if (io->xpath && io->json) {
    tool_error ("%s", _("--xpath queries the XML document: it excludes "
                        "--json"));
    exit (EXIT_FAILURE);
  }
  if (o->n_drives == 0 && io->xpath == NULL)
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
inspect_images (struct tool_options *o, const struct inspect_options *io,
                struct inspect_result *r)
{
  drydock_h *h = tool_create_handle (o, 0);
  CLEANUP_FREE_STRING_LIST char **opened = NULL;
  int ret = -1;

  if (h == NULL)
    return -1;
  if (tool_add_drives (h, o, NULL) == -1 || tool_launch (h) == -1 ||
      tool_open_encrypted (h, o, 0, &opened) == -1 ||
      inspect_collect (h, io->apps, io->icon, r) == -1)
    goto out;
  if (drydock_shutdown (h) == -1) {
    tool_lib_error (h);
    goto out;
  }
  ret = 0;
 out:
  drydock_close (h);
  return ret;
}

/* The document to print, from the images or from standard input. */
static char *
make_output (struct tool_options *o, const struct inspect_options *io,
             size_t *len)
{
  struct inspect_result r = { NULL, 0 };
  CLEANUP_FREE char *doc = NULL;
  char *out;

  if (o->n_drives == 0) {
    if (read_stdin (&doc, len) == -1)
      return NULL;
    return inspect_xml_xpath (doc, *len, _("standard input"), io->xpath, len);
  }
  if (inspect_images (o, io, &r) == -1) {
    inspect_collect_free (&r);
    return NULL;
  }
  if (io->json)
    out = inspect_json_document (&r, len);
  else
    out = inspect_xml_document (&r, len);
  inspect_collect_free (&r);
  if (out && io->xpath) {
    doc = out;
    out = inspect_xml_xpath (doc, *len, _("the inspection document"),
                             io->xpath, len);
  }
  return out;
}

int
inspect_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct inspect_options io = { 0 };
  CLEANUP_FREE char *out = NULL;
  size_t len = 0;

  parse_options (argc, argv, &o, &io);
  out = make_output (&o, &io, &len);
  tool_options_free (&o);
  if (out == NULL || write_stdout (out, len) == -1)
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}
