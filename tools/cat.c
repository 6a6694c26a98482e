/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock cat: print guest files, as virt-cat.  One read-only launch,
 * the guest's filesystems mounted as inspection finds them (or as -m
 * says), each file streamed to standard output in turn.  A file that
 * cannot be read is reported and the others are still printed; the
 * exit status says whether all were. */

#include <config.h>

#include <stdlib.h>

#include "cleanups.h"
#include "tools.h"

#define CAT_TAKES (TOOL_OPT_ADD | TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS] FILE ...\n"
                 "Print files of the guest in disk images, as virt-cat.  The\n"
                 "filesystems of the operating system found on the images are\n"
                 "mounted (or those -m names); the images are only read.  On a\n"
                 "Windows guest a path may be written C:\\Windows\\win.ini, its\n"
                 "case is then matched as Windows does.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, CAT_TAKES);
  exit (status);
}

static int
no_option (int c, const char *arg, void *opaque)
{
  return -1;
}

int
cat_main (int argc, char *argv[])
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  const struct tool_spec spec = {
    .takes = CAT_TAKES, .long_options = longopts, .usage = usage,
    .option = no_option,
  };
  struct tool_options o = { 0 };
  struct tools_session s;
  int first, errors = 0;

  first = tool_parse (&spec, argc, argv, &o);
  tools_need_images (&o);
  if (first >= argc)
    tools_usage_error (_("no file given"));
  if (tools_start (&s, &o, TOOLS_MOUNT) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  for (int i = first; i < argc; ++i) {
    CLEANUP_FREE char *path = tools_guest_path (&s, argv[i]);

    fflush (stdout);
    if (path == NULL)
      errors++;
    else if (drydock_download (s.h, path, "-") == -1)
      errors += tool_lib_error (s.h) != 0;
  }
  tools_finish (&s, 0);
  tool_options_free (&o);
  return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
