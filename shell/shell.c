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
#include "strlist.h"

struct drive_opt {
  const char *file;
  const char *format;
};

struct options {
  int ro, trace, verbose, echo, inspector;
  const char *script;
  const char *overlay_out;
  struct drive_opt drives[64];
  int n_drives;
  const char *mounts[64];
  int n_mounts;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--ro] [--format FMT] -a IMAGE [-a IMAGE ...]\n"
                 "         [-i | -m DEV[:MOUNTPOINT[:OPTIONS]] ...] [-f SCRIPT] [-x] [-v]\n"
                 "         [--output-overlay NEW.qcow2] [COMMAND ARGS : COMMAND ARGS ...]\n"
                 "Run drydock actions on disk images.  Commands come from the command\n"
                 "line, from SCRIPT, or from standard input.  'help' lists them.\n"
                 "Without --ro, changes are committed to the image only if every\n"
                 "command succeeds.\n"
                 "-i (--inspector) finds the operating system on the disks and mounts\n"
                 "its filesystems (read-only with --ro), as 'guestfish -i' does.\n"),
           program_name);
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
    fprintf (stderr, _("%s: help: unknown command '%s'\n"), program_name, argv[0]);
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
    fprintf (stderr, _("%s: unknown command '%s' (try 'help')\n"),
             program_name, name);
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
    fprintf (stderr, _("%s: unbalanced quotes in: %s\n"), program_name, line);
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
add_drives (drydock_h *h, const struct options *o)
{
  for (int i = 0; i < o->n_drives; ++i) {
    struct drydock_add_drive_opts_argv a = { 0 };

    if (o->drives[i].format) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK;
      a.format = o->drives[i].format;
    }
    if (o->ro) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK;
      a.readonly = 1;
    }
    else if (o->overlay_out && i == o->n_drives - 1) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK;
      a.output_overlay = o->overlay_out;
    }
    else {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK;
      a.commit = 1;
    }
    if (drydock_add_drive_opts_argv (h, o->drives[i].file, &a) == -1) {
      tool_lib_error (h);
      return -1;
    }
  }
  return 0;
}

static int
mount_requested (drydock_h *h, const struct options *o)
{
  for (int i = 0; i < o->n_mounts; ++i) {
    CLEANUP_FREE char *spec = strdup (o->mounts[i]);
    char *mp, *opts = NULL;
    int r;

    if (spec == NULL)
      return -1;
    mp = strchr (spec, ':');
    if (mp) {
      *mp++ = '\0';
      opts = strchr (mp, ':');
      if (opts)
        *opts++ = '\0';
    }
    if (mp == NULL || *mp == '\0')
      mp = (char *) "/";
    if (opts || o->ro)
      r = drydock_mount_options (h, opts ? opts : "ro", spec, mp);
    else
      r = drydock_mount (h, spec, mp);
    if (r == -1) {
      tool_lib_error (h);
      return -1;
    }
  }
  return 0;
}

/* -i: the one operating system's filesystems at their mountpoints. */
static int
mount_inspected (drydock_h *h, const struct options *o)
{
  CLEANUP_FREE_STRING_LIST char **roots = drydock_inspect_os (h);
  size_t n;

  if (roots == NULL) {
    tool_lib_error (h);
    return -1;
  }
  n = count_strings (roots);
  if (n == 0) {
    fprintf (stderr, _("%s: -i: no operating system was found on the "
                       "disks (mount filesystems with -m instead)\n"),
             program_name);
    return -1;
  }
  if (n > 1) {
    fprintf (stderr, _("%s: -i: %zu operating systems were found (%s, %s%s); "
                       "choose with -m\n"), program_name, n, roots[0],
             roots[1], n > 2 ? ", ..." : "");
    return -1;
  }
  if (drydock_inspect_mount_root_opts (h, roots[0],
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       o->ro, -1) == -1) {
    tool_lib_error (h);
    return -1;
  }
  return 0;
}

static void
parse_options (int argc, char **argv, struct options *o)
{
  static const struct option longopts[] = {
    { "add", required_argument, NULL, 'a' },
    { "file", required_argument, NULL, 'f' },
    { "format", required_argument, NULL, 'F' },
    { "help", no_argument, NULL, 'h' },
    { "inspector", no_argument, NULL, 'i' },
    { "mount", required_argument, NULL, 'm' },
    { "output-overlay", required_argument, NULL, 'O' },
    { "ro", no_argument, NULL, 'r' },
    { "rw", no_argument, NULL, 'w' },
    { "trace", no_argument, NULL, 'x' },
    { "verbose", no_argument, NULL, 'v' },
    { "echo-keys", no_argument, NULL, 'e' },
    { NULL, 0, NULL, 0 },
  };
  const char *format = NULL;
  int c;

  while ((c = getopt_long (argc, argv, "+a:ef:him:rvwx", longopts, NULL)) != -1) {
    switch (c) {
    case 'a':
      if (o->n_drives == 64)
        usage (EXIT_FAILURE);
      o->drives[o->n_drives].file = optarg;
      o->drives[o->n_drives++].format =
        format && strcmp (format, "auto") != 0 ? format : NULL;
      break;
    case 'F': format = optarg; break;
    case 'f': o->script = optarg; break;
    case 'm':
      if (o->n_mounts == 64)
        usage (EXIT_FAILURE);
      o->mounts[o->n_mounts++] = optarg;
      break;
    case 'O': o->overlay_out = optarg; break;
    case 'r': o->ro = 1; break;
    case 'w': o->ro = 0; break;
    case 'v': o->verbose = 1; break;
    case 'x': o->trace = 1; break;
    case 'e': o->echo = 1; break;
    case 'h': usage (EXIT_SUCCESS); break;
    case 'i': o->inspector = 1; break;
    default: usage (EXIT_FAILURE);
    }
  }
}

int
shell_main (int argc, char *argv[])
{
  struct options o = { 0 };
  drydock_h *h;
  int r = 0;

  parse_options (argc, argv, &o);
  /* A --ro overlay is always discarded: never drop the output silently. */
  if (o.ro && o.overlay_out) {
    fprintf (stderr, _("%s: --ro and --output-overlay exclude each other "
                       "(a --ro session keeps nothing)\n"), program_name);
    return EXIT_FAILURE;
  }
  if (o.inspector && o.n_mounts > 0) {
    fprintf (stderr, _("%s: -i and -m exclude each other (-i mounts what "
                       "the inspection finds)\n"), program_name);
    return EXIT_FAILURE;
  }
  h = drydock_create ();
  if (h == NULL) {
    perror ("drydock_create");
    return EXIT_FAILURE;
  }
  if (o.verbose)
    drydock_set_verbose (h, 1);
  if (o.trace)
    drydock_set_trace (h, 1);
  if (add_drives (h, &o) == -1)
    r = -1;
  if (r == 0 && (o.n_mounts > 0 || o.inspector)) {
    if (drydock_launch (h) == -1) {
      tool_lib_error (h);
      r = -1;
    }
    else if (o.inspector)
      r = mount_inspected (h, &o);
    else
      r = mount_requested (h, &o);
  }
  if (r == 0) {
    if (optind < argc)
      r = run_argv (h, argc - optind, argv + optind, o.echo);
    else if (o.script) {
      FILE *fp = fopen (o.script, "re");
      if (fp == NULL) {
        fprintf (stderr, "%s: %s: %s\n", program_name, o.script, strerror (errno));
        r = -1;
      }
      else {
        r = run_stream (h, fp, 0, o.echo);
        fclose (fp);
      }
    }
    else
      r = run_stream (h, stdin, isatty (0), o.echo);
  }
  /* Only a run without errors settles the drives (commit or keep). */
  if (r == 0 && drydock_shutdown (h) == -1) {
    tool_lib_error (h);
    r = -1;
  }
  drydock_close (h);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
