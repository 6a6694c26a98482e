/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock rescue: the place of virt-rescue, an interactive shell in the
 * appliance.  drydock's appliance has none to offer: its daemon is PID 1
 * and speaks only the protocol, the only shell in it is the dash GNU
 * tar needs (no ls, cat or mount: no busybox), and its serial console
 * carries the kernel's and the daemon's messages to the library, with
 * nothing to connect a terminal to it.  So the command takes
 * virt-rescue's options and refuses in one line, pointing at what
 * works: drydock shell (every action, interactively), its sh action
 * (the guest's own shell, chrooted) and the other tools. */

#include <config.h>

#include <stdlib.h>

#include "tools.h"

#define RESCUE_TAKES (TOOL_OPT_ADD | TOOL_OPT_RO | TOOL_OPT_INSPECTOR | \
                      TOOL_OPT_MOUNT)

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [-i | -m DEV[:MP]] "
                 "[--ro]\n"
                 "Where virt-rescue gives an interactive shell in its appliance,\n"
                 "drydock has none: its appliance runs the drydock daemon alone,\n"
                 "without a console for a terminal.  Use 'drydock shell' (the same\n"
                 "options: -a, -i, -m, --ro) to work on the guest interactively,\n"
                 "its sh action to run the guest's own shell, and the other\n"
                 "commands (cat, ls, edit, copy-in ...).  This command always\n"
                 "fails, after checking its options.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, RESCUE_TAKES);
  exit (status);
}

static int
no_option (int c, const char *arg, void *opaque)
{
  return -1;
}

int
rescue_main (int argc, char *argv[])
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  const struct tool_spec spec = {
    .takes = RESCUE_TAKES, .long_options = longopts, .usage = usage,
    .option = no_option,
  };
  struct tool_options o = { 0 };
  int first = tool_parse (&spec, argc, argv, &o);

  if (first < argc)
    tools_usage_error (_("unexpected argument '%s'"), argv[first]);
  tools_need_images (&o);
  tool_error (_("no rescue shell: the appliance has no console a terminal "
                "can use (work on the guest with 'drydock shell' instead, "
                "with the same -a, -i, -m and --ro)"));
  tool_options_free (&o);
  return EXIT_FAILURE;
}
