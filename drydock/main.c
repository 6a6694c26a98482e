/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `drydock` command: one binary, one subcommand per tool.  This file
 * only dispatches: each tool (shell/, inspect/, sparsify/, customize/,
 * winreg/, sysprep/, and the small tools of tools/) is a library of its
 * own with one entry point, run with argv[0] set to the subcommand's
 * name. */

#include <config.h>

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)
#define N_(s) (s)

/* The tools' entry points, each declared in its own folder's header
 * (the small tools' in tools/tools.h). */
extern int shell_main (int argc, char *argv[]);
extern int inspect_main (int argc, char *argv[]);
extern int sparsify_main (int argc, char *argv[]);
extern int customize_main (int argc, char *argv[]);
extern int convert_guest_main (int argc, char *argv[]);
extern int sysprep_main (int argc, char *argv[]);
extern int win_reg_main (int argc, char *argv[]);
extern int cat_main (int argc, char *argv[]);
extern int ls_main (int argc, char *argv[]);
extern int df_main (int argc, char *argv[]);
extern int filesystems_main (int argc, char *argv[]);
extern int edit_main (int argc, char *argv[]);
extern int copy_in_main (int argc, char *argv[]);
extern int copy_out_main (int argc, char *argv[]);
extern int tar_in_main (int argc, char *argv[]);
extern int tar_out_main (int argc, char *argv[]);
extern int log_main (int argc, char *argv[]);
extern int diff_main (int argc, char *argv[]);
extern int rescue_main (int argc, char *argv[]);
extern int recover_main (int argc, char *argv[]);
extern int chain_main (int argc, char *argv[]);
extern int mount_main (int argc, char *argv[]);
extern int unmount_main (int argc, char *argv[]);

struct subcommand {
  const char *name;
  const char *program_name;   /* how its messages start */
  const char *summary;
  int (*main) (int argc, char *argv[]);
};

static const struct subcommand subcommands[] = {
  { "cat", "drydock cat", N_("print guest files (as virt-cat)"), cat_main },
  { "chain", "drydock chain",
    N_("show an image's backing chain"), chain_main },
  { "convert-guest", "drydock convert-guest",
    N_("make a guest ready for KVM's virtio devices"), convert_guest_main },
  { "copy-in", "drydock copy-in",
    N_("copy local files into a guest (as virt-copy-in)"), copy_in_main },
  { "copy-out", "drydock copy-out",
    N_("copy guest files out (as virt-copy-out)"), copy_out_main },
  { "customize", "drydock customize",
    N_("modify a guest: files, hostname, passwords ... (as "
       "virt-customize)"), customize_main },
  { "diff", "drydock diff",
    N_("the differences between two guests' files (as virt-diff)"),
    diff_main },
  { "df", "drydock df",
    N_("the free space of each filesystem (as virt-df)"), df_main },
  { "edit", "drydock edit",
    N_("edit guest files (as virt-edit)"), edit_main },
  { "filesystems", "drydock filesystems",
    N_("the filesystems, partitions and LVM volumes (as "
       "virt-filesystems)"), filesystems_main },
  { "inspect", "drydock inspect",
    N_("what operating systems are on images (as virt-inspector)"),
    inspect_main },
  { "log", "drydock log", N_("print a guest's log (as virt-log)"),
    log_main },
  { "ls", "drydock ls", N_("list guest directories (as virt-ls)"), ls_main },
  { "mount", "drydock mount",
    N_("mount a guest's filesystems on a host directory (as guestmount)"),
    mount_main },
  { "recover", "drydock recover",
    N_("finish commits into images that were interrupted"), recover_main },
  { "rescue", "drydock rescue",
    N_("a root shell in the appliance (as virt-rescue)"), rescue_main },
  { "shell", "drydock shell",
    N_("run actions on images (scripts or interactive)"), shell_main },
  { "sparsify", "drydock sparsify",
    N_("discard the space a guest does not use"), sparsify_main },
  { "sysprep", "drydock sysprep",
    N_("reset a guest so that clones can be made (as virt-sysprep)"),
    sysprep_main },
  { "tar-in", "drydock tar-in",
    N_("unpack a tarball into a guest (as virt-tar-in)"), tar_in_main },
  { "tar-out", "drydock tar-out",
    N_("pack a guest directory into a tarball (as virt-tar-out)"),
    tar_out_main },
  { "unmount", "drydock unmount",
    N_("unmount what drydock mount mounted (as guestunmount)"),
    unmount_main },
  { "win-reg", "drydock win-reg",
    N_("export and merge the Windows registry (as virt-win-reg)"),
    win_reg_main },
  { NULL, NULL, NULL, NULL },
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: drydock COMMAND [OPTIONS]\n"
                 "Inspect and modify virtual machine disk images.\n\n"
                 "Commands:\n"));
  for (const struct subcommand *s = subcommands; s->name; ++s)
    fprintf (fp, "  %-14s %s\n", s->name, _(s->summary));
  fprintf (fp, "  %-14s %s\n", "version", _("print the version"));
  fprintf (fp, _("\n'drydock COMMAND --help' describes each command.\n"));
  exit (status);
}

static const struct subcommand *
find_subcommand (const char *name)
{
  for (const struct subcommand *s = subcommands; s->name; ++s)
    if (strcmp (s->name, name) == 0)
      return s;
  return NULL;
}

int
main (int argc, char *argv[])
{
  const struct subcommand *s;

  setlocale (LC_ALL, "");
  bindtextdomain (PACKAGE, LOCALEDIR);
  textdomain (PACKAGE);

  if (argc < 2)
    usage (EXIT_FAILURE);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      (strcmp (argv[1], "help") == 0 && argc == 2))
    usage (EXIT_SUCCESS);
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0 ||
      strcmp (argv[1], "version") == 0) {
    printf ("drydock %s\n", drydock_version ());
    return EXIT_SUCCESS;
  }
  /* "drydock help COMMAND" is "drydock COMMAND --help". */
  if (strcmp (argv[1], "help") == 0) {
    argv[1] = argv[2];
    argv[2] = (char *) "--help";
    argc = 3;
  }
  s = find_subcommand (argv[1]);
  if (s == NULL) {
    fprintf (stderr, _("drydock: unknown command '%s' (try 'drydock --help')\n"),
             argv[1]);
    return EXIT_FAILURE;
  }
  tool_set_program_name (s->program_name);
  return s->main (argc - 1, argv + 1);
}
