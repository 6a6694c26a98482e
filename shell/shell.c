/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock shell: run any action by name, from the command line
 * (separated by ':'), a script (-f or standard input) or interactively.
 * As in guestfish, --format applies to the -a options after it, and -m
 * (or -i, which inspects the disks and mounts the one operating system
 * found) mounts after an automatic launch.
 *
 * Without --ro, drives are added with commit on success: the changes
 * reach the image only when every command worked and the shutdown
 * succeeded; any error leaves the image exactly as it was. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"

/* The shell's own options; the shared ones are the tool layer's. */
struct shell_options {
  int echo;
  const char *script;
  const char *overlay_out;
  int network;
};

/* The shared options the shell takes: all of guestfish's. */
#define SHELL_TAKES (TOOL_OPT_ADD | TOOL_OPT_RO | TOOL_OPT_INSPECTOR | \
                     TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

#define OPT_OUTPUT_OVERLAY TOOL_OWN_OPTION
#define OPT_NETWORK (TOOL_OWN_OPTION + 1)

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--ro] [--format FMT] -a IMAGE [-a IMAGE ...]\n"
                 "         [-i | -m DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]] ...] [-f SCRIPT]\n"
                 "         [--output-overlay NEW.qcow2] [COMMAND ARGS : COMMAND ARGS ...]\n"
                 "Run drydock actions on disk images.  Commands come from the command\n"
                 "line, from SCRIPT, or from standard input.  'help' lists them.\n"
                 "Without --ro, changes are committed to the image only if every\n"
                 "command succeeds.\n"
                 "-i (--inspector) finds the operating system on the disks and mounts\n"
                 "its filesystems (read-only with --ro), as 'guestfish -i' does.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, SHELL_TAKES);
  fprintf (fp, _("  -f, --file SCRIPT      read the commands from SCRIPT\n"
                 "  -e, --echo-keys        echo each command on stderr\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         keep the changes to the last image in a new\n"
                 "                         qcow2 backed by it\n"
                 "  --network              give the appliance a network (set-network)\n"));
  exit (status);
}

static const struct shell_command *
find_command (const char *name)
{
  char norm[128];
  size_t i;

  for (i = 0; name[i] && i + 1 < sizeof norm; ++i)
    norm[i] = name[i] == '-' ? '_' : name[i];
  norm[i] = '\0';
  for (const struct shell_command *c = shell_commands; c->name; ++c)
    if (strcmp (c->name, norm) == 0)
      return c;
  return NULL;
}

static void
help (int argc, char **argv)
{
  if (argc == 0) {
    printf (_("Commands (help COMMAND for details):\n"));
    for (const struct shell_command *c = shell_commands; c->name; ++c)
      printf ("  %-22s %s\n", c->name, c->shortdesc);
    printf ("  %-22s %s\n", "echo", _("print the arguments"));
    printf ("  %-22s %s\n", "help", _("list commands or describe one"));
    printf ("  %-22s %s\n", "quit", _("leave the shell (also exit)"));
    return;
  }
  const struct shell_command *c = find_command (argv[0]);
  if (c == NULL) {
    tool_error (_("help: unknown command '%s'"), argv[0]);
    return;
  }
  printf ("%s - %s\n\n  %s\n\n%s\n", c->name, c->shortdesc, c->usage, c->longdesc);
}

/* Runs one command.  0 ok, -1 failed, 1 quit. */
static int
run_one (drydock_h *h, int argc, char **argv, int echo)
{
  const char *name = argv[0];
  int ignore_errors = 0, r;
  const struct shell_command *c;

  if (name[0] == '-' && name[1]) {
    ignore_errors = 1;
    name++;
  }
  if (echo) {
    for (int i = 0; i < argc; ++i)
      fprintf (stderr, "%s%s", i ? " " : "", argv[i]);
    fputc ('\n', stderr);
  }
  if (strcmp (name, "quit") == 0 || strcmp (name, "exit") == 0 ||
      strcmp (name, "q") == 0)
    return 1;
  if (strcmp (name, "help") == 0) {
    help (argc - 1, argv + 1);
    return 0;
  }
  if (strcmp (name, "echo") == 0) {
    for (int i = 1; i < argc; ++i)
      printf ("%s%s", i > 1 ? " " : "", argv[i]);
    putchar ('\n');
    return 0;
  }
  c = find_command (name);
  if (c == NULL) {
    tool_error (_("unknown command '%s' (try 'help')"), name);
    return ignore_errors ? 0 : -1;
  }
  shell_error_reported = 0;
  r = c->run (h, name, argc - 1, argv + 1);
  if (r == -1 && !shell_error_reported && drydock_last_error (h))
    tool_lib_error (h);
  fflush (stdout);
  return r == -1 && !ignore_errors ? -1 : 0;
}

static int
run_line (drydock_h *h, const char *line, int echo)
{
  CLEANUP_FREE_STRING_LIST char **words = NULL;
  int n = shell_split_words (line, &words);

  if (n == -1) {
    tool_error (_("unbalanced quotes in: %s"), line);
    return -1;
  }
  if (n == 0)
    return 0;
  return run_one (h, n, words, echo);
}

/* Script or interactive input.  Returns 0, or -1 after an error in a
 * script (an interactive session goes on after errors). */
static int
run_stream (drydock_h *h, FILE *fp, int interactive, int echo)
{
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0;
  int failed = 0;

  for (;;) {
    int r;

    if (interactive) {
      printf ("><drydock> ");
      fflush (stdout);
    }
    if (getline (&line, &cap, fp) == -1)
      break;
    r = run_line (h, line, echo);
    if (r == 1)
      break;
    if (r == -1) {
      failed = 1;
      if (!interactive)
        return -1;
    }
  }
  if (interactive)
    putchar ('\n');
  return failed && !interactive ? -1 : 0;
}

/* COMMAND ARGS : COMMAND ARGS from the command line. */
static int
run_argv (drydock_h *h, int argc, char **argv, int echo)
{
  int start = 0;

  for (int i = 0; i <= argc; ++i)
    if (i == argc || strcmp (argv[i], ":") == 0) {
      if (i > start) {
        int r = run_one (h, i - start, argv + start, echo);
        if (r == -1)
          return -1;
        if (r == 1)
          return 0;
      }
      start = i + 1;
    }
  return 0;
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct shell_options *so = opaque;

  switch (c) {
  case 'e': so->echo = 1; return 0;
  case 'f': so->script = arg; return 0;
  case OPT_OUTPUT_OVERLAY: so->overlay_out = arg; return 0;
  case OPT_NETWORK: so->network = 1; return 0;
  default: return -1;
  }
}

static int
parse_options (int argc, char **argv, struct tool_options *o,
               struct shell_options *so)
{
  static const struct option longopts[] = {
    { "echo-keys", no_argument, NULL, 'e' },
    { "file", required_argument, NULL, 'f' },
    { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
    { "network", no_argument, NULL, OPT_NETWORK },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = SHELL_TAKES, .short_options = "ef:", .long_options = longopts,
    .in_order = 1,              /* the commands follow the options */
    .usage = usage, .option = own_option, .opaque = so,
  };

  return tool_parse (&spec, argc, argv, o);
}

/* Drives, then (with -i or -m) the launch and the mounts. */
static int
set_up (drydock_h *h, struct tool_options *o, const struct shell_options *so)
{
  if (tool_add_drives (h, o, so->overlay_out) == -1)
    return -1;
  if (so->network && drydock_set_network (h, 1) == -1)
    return tool_lib_error (h);
  if (o->n_mounts == 0 && !o->inspector)
    return 0;
  if (tool_launch (h) == -1)
    return -1;
  return tool_mount_filesystems (h, o);
}

int
shell_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct shell_options so = { 0 };
  drydock_h *h;
  int first, r;

  first = parse_options (argc, argv, &o, &so);
  /* A --ro overlay is always discarded: never drop the output silently. */
  if (o.ro && so.overlay_out) {
    tool_error (_("--ro and --output-overlay exclude each other (a --ro "
                  "session keeps nothing)"));
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  h = tool_create_handle (&o, 0);
  if (h == NULL) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  r = set_up (h, &o, &so);
  if (r == 0) {
    if (first < argc)
      r = run_argv (h, argc - first, argv + first, so.echo);
    else if (so.script) {
      FILE *fp = fopen (so.script, "re");
      if (fp == NULL)
        r = tool_error ("%s: %s", so.script, strerror (errno));
      else {
        r = run_stream (h, fp, 0, so.echo);
        fclose (fp);
      }
    }
    else
      r = run_stream (h, stdin, isatty (0), so.echo);
  }
  /* Only a run without errors settles the drives (commit or keep). */
  if (r == 0 && drydock_shutdown (h) == -1)
    r = tool_lib_error (h);
  drydock_close (h);
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
