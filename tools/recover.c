/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock recover: finishes the commits into images that were cut short
 * (a killed process, a killed qemu-img, a power cut), through the
 * library's recover_image.  Every drydock command does the same before
 * it reads such an image, when it may write it; this command is the way
 * to do it on purpose, and to clear the overlays a crashed session left
 * beside an image.  No appliance is started. */

#include <config.h>

#include <stdlib.h>

#include "tools.h"

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s IMAGE [IMAGE ...]\n"
                 "Finish each commit into IMAGE that was interrupted, so that IMAGE\n"
                 "holds all of the session's changes, and remove what a crashed\n"
                 "session left beside it.  An image without an interrupted commit\n"
                 "is left as it is.\n\n"), tool_program_name ());
  tool_print_options_help (fp, 0);
  exit (status);
}

static int
no_option (int c, const char *arg, void *opaque)
{
  return -1;
}

int
recover_main (int argc, char *argv[])
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  const struct tool_spec spec = {
    .takes = 0, .long_options = longopts, .usage = usage,
    .option = no_option,
  };
  struct tool_options o = { 0 };
  int first = tool_parse (&spec, argc, argv, &o), failed = 0;
  drydock_h *h;

  if (first == argc)
    tools_usage_error (_("no image given"));
  h = tool_create_handle (&o, 0);
  if (h == NULL)
    exit (EXIT_FAILURE);
  for (int i = first; i < argc; ++i) {
    int r = drydock_recover_image (h, argv[i]);

    if (r == -1) {
      tool_lib_error (h);
      failed = 1;
    }
    else if (!o.quiet)
      printf (r ? _("%s: the interrupted commit was finished\n")
              : _("%s: no interrupted commit\n"), argv[i]);
  }
  drydock_close (h);
  tool_options_free (&o);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
