/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock shell: guestfish's shell over drydock.  Commands come from
 * the command line (separated by ':'), a script (-f or standard input),
 * a terminal (with line editing, completion and history), or --remote
 * clients of a --listen server.  As in guestfish, --format applies to
 * the -a options after it; -i, -m and -N launch the appliance at once,
 * otherwise it waits for 'run'.
 *
 * Without --ro, drives are added with commit on success: the changes
 * reach the images only when the session ends without an error (an
 * interactive session goes on after errors and commits at quit) and the
 * shutdown succeeded; anything else leaves the images as they were. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"

struct shell_session shell;

/* The shell's own options; the shared ones are the tool layer's. */
struct shell_options {
  struct tool_options *o;
  int argc;
  char **argv;
  const char *script;
  const char *overlay_out;
  int network;
  int cmd_help;
  const char *cmd_help_name;
  int listen, csh, remote;
  const char *remote_pid;
  int progress;                 /* -1 default, 0 off, 1 on */
  int color;                    /* -1 default */
};

/* The shared options the shell takes: all of guestfish's. */
#define SHELL_TAKES (TOOL_OPT_ADD | TOOL_OPT_RO | TOOL_OPT_INSPECTOR | \
                     TOOL_OPT_MOUNT | TOOL_OPT_KEYS)

enum {
  OPT_OUTPUT_OVERLAY = TOOL_OWN_OPTION,
  OPT_NETWORK,
  OPT_NO_DEST_PATHS,
  OPT_PIPE_ERROR,
  OPT_PROGRESS_BARS,
  OPT_NO_PROGRESS_BARS,
  OPT_LISTEN,
  OPT_REMOTE,
  OPT_CSH,
  OPT_COLOR,
  OPT_NO_COLOR,
  OPT_CMD_HELP,
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--ro] [--format FMT] -a IMAGE [-a IMAGE ...]\n"
                 "         [-i | -m DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]] ...] [-f SCRIPT]\n"
                 "         [-N [FILE=]TYPE] [--output-overlay NEW.qcow2]\n"
                 "         [COMMAND ARGS : COMMAND ARGS ...]\n"
                 "Run drydock actions on disk images, as guestfish.  Commands come from\n"
                 "the command line, from SCRIPT, from standard input, or typed at the\n"
                 "prompt.  'help -l' lists them.  Without --ro, changes are committed\n"
                 "to the images only if the session ends without an error.\n"
                 "-i (--inspector) finds the operating system on the disks and mounts\n"
                 "its filesystems (read-only with --ro), as 'guestfish -i' does.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, SHELL_TAKES);
  fprintf (fp, _("  -h, --cmd-help [CMD]   list the commands, or describe CMD\n"
                 "  -f, --file SCRIPT      read the commands from SCRIPT\n"
                 "  -N, --new [FILE=]TYPE  create a prepared disk (-N help lists them)\n"
                 "  -n, --no-sync          do not shut down (commit) at the end\n"
                 "  -e, --echo-commands    echo each command on stderr\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         keep the changes to the one -a image in a\n"
                 "                         new qcow2 backed by it\n"
                 "  --network              give the appliance a network (set-network)\n"
                 "  --listen               serve commands in the background (--remote)\n"
                 "  --csh                  --listen prints a csh command\n"
                 "  --remote[=PID]         send the commands to a --listen shell\n"
                 "                         ($DRYDOCK_PID)\n"
                 "  --pipe-error           CMD | HOSTCMD fails if HOSTCMD does not read\n"
                 "                         all of the output\n"
                 "  --progress-bars        progress bars even when not interactive\n"
                 "  --no-progress-bars     no progress bars\n"
                 "  --no-dest-paths        do not complete guest paths and devices\n"
                 "  --color, --no-color    use (or not) the colours of DRYDOCK_PS1 ...\n"
                 "                         (default: on a terminal, unless NO_COLOR)\n"));
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct shell_options *so = opaque;

  switch (c) {
  case 'e': shell.echo_commands = 1; return 0;
  case 'f': so->script = arg; return 0;
  case 'n': shell.autosync = 0; return 0;
  case 'N': {
    int r = shell_prepared_add (arg, so->o->n_drives);
    if (r == 1)
      exit (EXIT_SUCCESS);
    return r;
  }
  case 'h':
  case OPT_CMD_HELP:
    so->cmd_help = 1;
    /* "-h CMD": the next word, if it is not an option. */
    if (arg == NULL && optind < so->argc && so->argv[optind][0] != '-')
      arg = so->argv[optind++];
    so->cmd_help_name = arg;
    return 0;
  case OPT_OUTPUT_OVERLAY: so->overlay_out = arg; return 0;
  case OPT_NETWORK: so->network = 1; return 0;
  case OPT_NO_DEST_PATHS: shell.guest_paths = 0; return 0;
  case OPT_PIPE_ERROR: shell.pipe_error = 1; return 0;
  case OPT_PROGRESS_BARS: so->progress = 1; return 0;
  case OPT_NO_PROGRESS_BARS: so->progress = 0; return 0;
  case OPT_LISTEN: so->listen = 1; return 0;
  case OPT_CSH: so->csh = 1; return 0;
  case OPT_REMOTE: so->remote = 1; so->remote_pid = arg; return 0;
  case OPT_COLOR: so->color = 1; return 0;
  case OPT_NO_COLOR: so->color = 0; return 0;
  default: return -1;
  }
}

static int
parse_options (int argc, char **argv, struct tool_options *o,
               struct shell_options *so)
{
  static const struct option longopts[] = {
    { "echo-commands", no_argument, NULL, 'e' },
    { "file", required_argument, NULL, 'f' },
    { "new", required_argument, NULL, 'N' },
    { "no-sync", no_argument, NULL, 'n' },
    { "cmd-help", optional_argument, NULL, OPT_CMD_HELP },
    { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
    { "network", no_argument, NULL, OPT_NETWORK },
    { "no-dest-paths", no_argument, NULL, OPT_NO_DEST_PATHS },
    { "pipe-error", no_argument, NULL, OPT_PIPE_ERROR },
    { "progress-bars", no_argument, NULL, OPT_PROGRESS_BARS },
    { "no-progress-bars", no_argument, NULL, OPT_NO_PROGRESS_BARS },
    { "listen", no_argument, NULL, OPT_LISTEN },
    { "csh", no_argument, NULL, OPT_CSH },
    { "remote", optional_argument, NULL, OPT_REMOTE },
    { "color", no_argument, NULL, OPT_COLOR },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = SHELL_TAKES, .short_options = "ef:hN:n", .long_options = longopts,
    .in_order = 1,              /* the commands follow the options */
    .usage = usage, .option = own_option, .opaque = so,
  };

  so->o = o;
  so->argc = argc;
  so->argv = argv;
  return tool_parse (&spec, argc, argv, o);
}

/* A handle with the command line's settings, the progress bars and the
 * event commands' handlers.  NULL (printed). */
static drydock_h *
create_handle (void)
{
  drydock_h *h = tool_create_handle (shell.o, 0);

  if (h == NULL)
    return NULL;
  shell_progress_attach (h);
  shell_events_attach (h);
  return h;
}

/* The options that make the shell launch at once. */
static struct shell_options *opts;

/* The drives in the order given (-a and -N), then (with -i, -m or -N)
 * the launch, the prepared disks, the mounts. */
static int
set_up (void)
{
  struct tool_options *o = shell.o;

  shell.h = create_handle ();
  if (shell.h == NULL)
    return -1;
  for (size_t i = 0; i < o->n_drives; ++i) {
    int n;

    if (shell_prepared_add_drives (shell.h, i) == -1 ||
        (n = tool_add_drive (shell.h, o, i, opts->overlay_out)) == -1)
      return -1;
    /* A -d domain is as many disks as it has. */
    while (n-- > 0)
      shell_prepared_count_drive ();
  }
  if (shell_prepared_add_drives (shell.h, o->n_drives) == -1)
    return -1;
  if (opts->network && drydock_set_network (shell.h, 1) == -1)
    return tool_lib_error (shell.h);
  if (o->n_mounts == 0 && !o->inspector && shell_prepared_count () == 0)
    return 0;
  if (tool_launch (shell.h) == -1 || shell_prepared_make (shell.h) == -1)
    return -1;
  return tool_mount_filesystems (shell.h, o);
}

/* The end of a session: without a failure (and without -n) the shutdown,
 * which commits; then the handle is closed.  0 or -1. */
static int
finish (int failed)
{
  int r = failed ? -1 : 0;

  if (shell.h && !failed && shell.autosync &&
      drydock_shutdown (shell.h) == -1)
    r = tool_lib_error (shell.h);
  drydock_close (shell.h);
  shell.h = NULL;
  return r;
}

int
shell_reopen (void)
{
  drydock_h *h;

  if (shell.autosync && drydock_shutdown (shell.h) == -1)
    return -1;
  h = create_handle ();
  if (h == NULL)
    return -1;
  drydock_close (shell.h);
  shell.h = h;
  shell_complete_forget ();
  return 0;
}

/* After -i at a terminal, what was found, as guestfish says it. */
static void
print_inspection (void)
{
  CLEANUP_FREE_STRING_LIST char **roots = drydock_inspect_get_roots (shell.h);
  CLEANUP_FREE_STRING_LIST char **mps = drydock_mountpoints (shell.h);

  for (size_t i = 0; roots && roots[i]; ++i) {
    CLEANUP_FREE char *name = drydock_inspect_get_product_name (shell.h, roots[i]);

    printf (_("Operating system: %s\n"), name ? name : roots[i]);
  }
  for (size_t i = 0; mps && mps[i] && mps[i + 1]; i += 2)
    printf (_("%s mounted on %s\n"), mps[i], mps[i + 1]);
  if (roots && roots[0])
    putchar ('\n');
}

static int
interactive (void)
{
  char *line;

  shell_input_start ();
  if (shell.o->inspector)
    print_inspection ();
  while ((line = shell_input_line ()) != NULL) {
    int r = shell_run_line (line);

    free (line);
    if (r == 1)
      break;
  }
  shell_input_end ();
  return 0;
}

/* The commands of a script or of the command line.  0 or -1. */
static int
run_commands (int argc, char **argv)
{
  FILE *fp;
  int r;

  if (argc > 0)
    return shell_run_argv (argc, argv) == -1 ? -1 : 0;
  if (opts->script == NULL)
    return shell_run_stream (stdin, 1);
  fp = fopen (opts->script, "re");
  if (fp == NULL)
    return tool_error ("%s: %s", opts->script, strerror (errno));
  r = shell_run_stream (fp, 1);
  fclose (fp);
  return r;
}

/* Checks of the command line that need all of it. */
static int
check_options (const struct tool_options *o, const struct shell_options *so,
               int n_commands)
{
  /* A --ro overlay is always discarded: never drop the output silently. */
  if (o->ro && so->overlay_out)
    return tool_error (_("--ro and --output-overlay exclude each other (a "
                         "--ro session keeps nothing)"));
  /* One output overlay keeps one image's changes: with more images the
   * others would be committed, which the user did not ask for. */
  if (so->overlay_out && o->n_drives != 1)
    return tool_error (_("--output-overlay takes one image (%zu given): "
                         "run one session per image"), o->n_drives);
  if (so->remote && (o->n_drives || o->n_mounts || o->inspector ||
                     shell_prepared_count () || so->listen))
    return tool_error (_("--remote sends commands only: -a, -i, -m, -N and "
                         "--listen are the server's (send add-drive ... "
                         "instead)"));
  if (so->listen && (n_commands || so->script))
    return tool_error (_("--listen takes no commands: send them with "
                         "--remote"));
  return 0;
}

static int
isatty_all (void)
{
  return isatty (STDIN_FILENO) && isatty (STDOUT_FILENO);
}

int
shell_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct shell_options so = { .progress = -1, .color = -1 };
  int first, r;
  const char *no_color = getenv ("NO_COLOR");

  shell.autosync = 1;
  shell.guest_paths = 1;
  shell.o = &o;
  opts = &so;
  first = parse_options (argc, argv, &o, &so);
  if (so.cmd_help) {
    r = so.cmd_help_name ? shell_help (so.cmd_help_name)
      : shell_run_argv (2, (char *[]) { (char *) "help", (char *) "-l", NULL });
    exit (r == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
  }
  if (check_options (&o, &so, argc - first) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  if (so.remote) {
    r = shell_remote (so.remote_pid, argc - first, argv + first);
    tool_options_free (&o);
    return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
  }
  shell.interactive = first == argc && so.script == NULL && !so.listen &&
    isatty (STDIN_FILENO);
  shell.progress_bars = so.progress != -1 ? so.progress
    : shell.interactive && isatty (STDERR_FILENO);
  shell.color = so.color != -1 ? so.color
    : isatty_all () && !(no_color && *no_color);
  if (so.listen)
    shell_listen (so.csh, set_up, finish);
  r = set_up ();
  if (r == 0)
    r = shell.interactive ? interactive () : run_commands (argc - first,
                                                           argv + first);
  r = finish (r == -1);
  shell_prepared_free ();
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
