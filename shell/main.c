/* The `drydock` command: one binary, one subcommand per tool. */

#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

extern int sparsify_main (int argc, char *argv[]);
extern int inspect_main (int argc, char *argv[]);

const char *program_name = "drydock";

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: drydock COMMAND [OPTIONS]\n"
                 "Inspect and modify virtual machine disk images.\n\n"
                 "Commands:\n"
                 "  inspect    what operating systems are on images (as virt-inspector)\n"
                 "  shell      run actions on images (scripts or interactive)\n"
                 "  sparsify   discard the space a guest does not use\n"
                 "  version    print the version\n\n"
                 "'drydock COMMAND --help' describes each command.\n"));
  exit (status);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (PACKAGE, LOCALEDIR);
  textdomain (PACKAGE);

  if (argc < 2)
    usage (EXIT_FAILURE);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    usage (EXIT_SUCCESS);
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "version") == 0) {
    printf ("drydock %s\n", drydock_version ());
    return EXIT_SUCCESS;
  }
  if (strcmp (argv[1], "shell") == 0) {
    program_name = "drydock shell";
    return shell_main (argc - 1, argv + 1);
  }
  if (strcmp (argv[1], "inspect") == 0) {
    program_name = "drydock inspect";
    return inspect_main (argc - 1, argv + 1);
  }
  if (strcmp (argv[1], "sparsify") == 0) {
    program_name = "drydock sparsify";
    return sparsify_main (argc - 1, argv + 1);
  }
  fprintf (stderr, _("drydock: unknown command '%s' (try 'drydock --help')\n"),
           argv[1]);
  return EXIT_FAILURE;
}
