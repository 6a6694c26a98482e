/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shell's own commands, guestfish's: help, quit, echo, alloc and
 * sparse, copy-in and copy-out, glob, time, lcd, man, reopen, setenv,
 * unsetenv, supported, and the aliases guestfish has for actions drydock
 * does not (refused with one line).  edit.c holds the ones that run a
 * host program on a downloaded file, events.c the event commands. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"
#include "strlist.h"

/* ---- help ---- */

static void
general_help (void)
{
  printf (_("Add disk images to examine using the '-a' option or the 'add'\n"
            "command, or create a new disk image using '-N', or the 'alloc' or\n"
            "'sparse' commands.  Once you have done this, use the 'run' command.\n"
            "\n"
            "For the list of commands, use 'help -l'; for one command, 'help CMD'.\n"
            "\n"
            "To read the manual, type 'man'.\n"));
}

static int
cmp_name (const void *a, const void *b)
{
  const struct shell_command *const *x = a, *const *y = b;

  return strcmp ((*x)->name, (*y)->name);
}

/* Every command, the shell's and the actions, sorted. */
static void
list_commands (void)
{
  size_t n = 0, i;
  const struct shell_command **all;

  for (const struct shell_command *c = shell_local_commands; c->name; ++c)
    n++;
  all = malloc ((n + shell_n_commands) * sizeof *all);
  if (all == NULL) {
    tool_error ("%s", strerror (errno));
    return;
  }
  n = 0;
  for (const struct shell_command *c = shell_local_commands; c->name; ++c)
    all[n++] = c;
  for (i = 0; i < shell_n_commands; ++i)
    if (shell_find_command (shell_commands[i].name) == &shell_commands[i])
      all[n++] = &shell_commands[i];
  qsort (all, n, sizeof *all, cmp_name);
  printf ("    %-20s %s\n", _("Command"), _("Description"));
  for (i = 0; i < n; ++i) {
    if (all[i]->alias_of)
      printf ("%-20s %s '%s'\n", all[i]->name, _("alias for"),
              all[i]->alias_of);
    else
      printf ("%-20s %s\n", all[i]->name, _(all[i]->shortdesc));
  }
  free (all);
}

/* The other names of c's command. */
static void
print_aliases (const struct shell_command *c)
{
  const char *canonical = c->alias_of ? c->alias_of : c->name;
  struct strlist names = STRLIST_INIT;
  CLEANUP_FREE char *joined = NULL;
  size_t len = 0;

  for (const struct shell_command *l = shell_local_commands; l->name; ++l)
    if (l->alias_of && strcmp (l->alias_of, canonical) == 0 &&
        !(l->flags & SHELL_CMD_MISSING))
      strlist_addf (&names, "'%s'", l->name);
  for (size_t i = 0; i < shell_n_commands; ++i)
    if (shell_commands[i].alias_of &&
        strcmp (shell_commands[i].alias_of, canonical) == 0)
      strlist_addf (&names, "'%s'", shell_commands[i].name);
  if (names.len == 0) {
    strlist_free (&names);
    return;
  }
  for (size_t i = 0; i < names.len; ++i)
    len += strlen (names.v[i]) + 5;
  joined = calloc (1, len + 1);
  for (size_t i = 0; joined && i < names.len; ++i) {
    if (i)
      strcat (joined, i + 1 == names.len ? " or " : ", ");
    strcat (joined, names.v[i]);
  }
  if (joined)
    printf (_("\n    You can use %s as an alias for this command.\n"), joined);
  strlist_free (&names);
}

/* s with each line indented by four spaces. */
static void
print_indented (const char *s)
{
  const char *p = s;

  while (*p) {
    const char *nl = strchr (p, '\n');
    size_t n = nl ? (size_t) (nl - p) : strlen (p);

    if (n)
      printf ("    %.*s\n", (int) n, p);
    else
      putchar ('\n');
    p += n + (nl != NULL);
  }
}

int
shell_help (const char *name)
{
  const struct shell_command *c = shell_find_command (name);

  if (c == NULL) {
    tool_error (_("help: unknown command '%s' (try 'help -l')"), name);
    return -1;
  }
  if (c->flags & SHELL_CMD_MISSING) {
    printf (_("%s: guestfish's alias for '%s', which drydock does not have\n"),
            c->name, c->alias_of);
    return 0;
  }
  if (c->alias_of && shell_find_command (c->alias_of))
    c = shell_find_command (c->alias_of);
  printf ("NAME\n    %s - %s\n\nSYNOPSIS\n     %s\n\nDESCRIPTION\n",
          c->name, _(c->shortdesc), c->usage);
  print_indented (_(c->longdesc));
  if (strcmp (c->name, "add-drive") == 0)
    printf (_("\n    In the shell, without readonly, commit, output_overlay or direct,\n"
              "    the drive is committed, as an -a image of a session without --ro.\n"));
  print_aliases (c);
  return 0;
}

static int
run_help (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 0, 1) == -1)
    return -1;
  if (argc == 0)
    general_help ();
  else if (strcmp (argv[0], "-l") == 0 || strcmp (argv[0], "--list") == 0)
    list_commands ();
  else
    return shell_help (argv[0]);
  return 0;
}

/* ---- small ones ---- */

static int
run_quit (drydock_h *h, const char *cmd, int argc, char **argv)
{
  return 1;
}

static int
run_echo (drydock_h *h, const char *cmd, int argc, char **argv)
{
  for (int i = 0; i < argc; ++i)
    printf ("%s%s", i ? " " : "", argv[i]);
  putchar ('\n');
  return 0;
}

static int
run_lcd (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 1, 1) == -1)
    return -1;
  if (chdir (argv[0]) == -1) {
    shell_error (cmd, "%s: %s", argv[0], strerror (errno));
    return -1;
  }
  return 0;
}

static int
run_man (drydock_h *h, const char *cmd, int argc, char **argv)
{
  int r;

  if (shell_check_argc (cmd, argc, 0, 0) == -1)
    return -1;
  fflush (stdout);
  r = system ("man 1 drydock-shell");
  if (r != 0) {
    shell_error (cmd, _("could not show the manual page drydock-shell(1)"));
    return -1;
  }
  return 0;
}

static int
run_reopen (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 0, 0) == -1)
    return -1;
  return shell_reopen ();
}

static int
run_setenv (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 2, 2) == -1)
    return -1;
  if (setenv (argv[0], argv[1], 1) == -1) {
    shell_error (cmd, "%s: %s", argv[0], strerror (errno));
    return -1;
  }
  return 0;
}

static int
run_unsetenv (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 1, 1) == -1)
    return -1;
  if (unsetenv (argv[0]) == -1) {
    shell_error (cmd, "%s: %s", argv[0], strerror (errno));
    return -1;
  }
  return 0;
}

static int
run_supported (drydock_h *h, const char *cmd, int argc, char **argv)
{
  CLEANUP_FREE_STRING_LIST char **groups = NULL;

  if (shell_check_argc (cmd, argc, 0, 0) == -1)
    return -1;
  groups = drydock_available_all_groups (h);
  if (groups == NULL)
    return -1;
  for (size_t i = 0; groups[i]; ++i) {
    char *one[] = { groups[i], NULL };
    int r = drydock_feature_available (h, one);

    if (r == -1)
      return -1;
    printf ("%10s %s\n", r ? _("yes") : _("no"), groups[i]);
  }
  return 0;
}

static int
run_time (drydock_h *h, const char *cmd, int argc, char **argv)
{
  struct timespec start, end;
  int r;

  if (argc < 1) {
    shell_error (cmd, _("expects a command to run (time COMMAND ARGS...)"));
    return -1;
  }
  clock_gettime (CLOCK_MONOTONIC, &start);
  r = shell_run_command (argc, argv);
  clock_gettime (CLOCK_MONOTONIC, &end);
  printf (_("elapsed time: %.2f seconds\n"),
          (double) (end.tv_sec - start.tv_sec) +
          (end.tv_nsec - start.tv_nsec) / 1e9);
  return r;
}

/* ---- glob ---- */

static int
has_wildcard (const char *s)
{
  return s[0] == '/' && strpbrk (s, "*?[{") != NULL;
}

/* Runs argv with word i onwards expanded (words before it fixed in
 * out); the Cartesian product of the expansions. */
static int
glob_product (drydock_h *h, int argc, char **argv, int i, char **out)
{
  CLEANUP_FREE_STRING_LIST char **matches = NULL;

  if (i == argc)
    return shell_run_command (argc, out);
  if (i == 0 || !has_wildcard (argv[i])) {
    out[i] = argv[i];
    return glob_product (h, argc, argv, i + 1, out);
  }
  matches = drydock_glob_expand (h, argv[i]);
  if (matches == NULL)
    return -1;
  /* No match: the pattern itself, as guestfish (the command says what
   * it makes of it). */
  if (matches[0] == NULL) {
    out[i] = argv[i];
    return glob_product (h, argc, argv, i + 1, out);
  }
  for (size_t j = 0; matches[j]; ++j) {
    int r;

    out[i] = matches[j];
    r = glob_product (h, argc, argv, i + 1, out);
    if (r != 0)
      return r;
  }
  return 0;
}

static int
run_glob (drydock_h *h, const char *cmd, int argc, char **argv)
{
  CLEANUP_FREE char **out = NULL;

  if (argc < 1) {
    shell_error (cmd, _("expects a command to run (glob COMMAND ARGS...)"));
    return -1;
  }
  out = calloc ((size_t) argc + 1, sizeof *out);
  if (out == NULL) {
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  return glob_product (h, argc, argv, 0, out);
}

/* ---- alloc, sparse ---- */

int
shell_alloc (const char *cmd, const char *file, int64_t size, int sparse)
{
  struct drydock_add_drive_opts_argv a = {
    .bitmask = DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK |
               DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK,
    .format = "raw", .commit = 1,
  };
  int fd, r;

  if (size <= 0) {
    shell_error (cmd, _("%s: the size must be positive"), file);
    return -1;
  }
  fd = open (file, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC, 0644);
  if (fd == -1) {
    shell_error (cmd, "%s: %s", file, strerror (errno));
    return -1;
  }
  r = sparse ? ftruncate (fd, size) : posix_fallocate (fd, 0, size);
  if (r != 0) {
    int e = sparse ? errno : r;

    close (fd);
    unlink (file);
    shell_error (cmd, "%s: %s", file, strerror (e));
    return -1;
  }
  if (close (fd) == -1) {
    shell_error (cmd, "%s: %s", file, strerror (errno));
    return -1;
  }
  return drydock_add_drive_opts_argv (shell.h, file, &a);
}

static int
alloc_or_sparse (const char *cmd, int argc, char **argv, int sparse)
{
  int64_t size;

  if (shell_check_argc (cmd, argc, 2, 2) == -1 ||
      shell_parse_int64 (cmd, "size", argv[1], &size) == -1)
    return -1;
  return shell_alloc (cmd, argv[0], size, sparse);
}

static int
run_alloc (drydock_h *h, const char *cmd, int argc, char **argv)
{
  return alloc_or_sparse (cmd, argc, argv, 0);
}

static int
run_sparse (drydock_h *h, const char *cmd, int argc, char **argv)
{
  return alloc_or_sparse (cmd, argc, argv, 1);
}

/* ---- copy-in, copy-out ---- */

static int
run_copy_in (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (argc < 2) {
    shell_error (cmd, _("expects LOCAL [LOCAL ...] REMOTEDIR"));
    return -1;
  }
  for (int i = 0; i < argc - 1; ++i)
    if (drydock_copy_in (h, argv[i], argv[argc - 1]) == -1)
      return -1;
  return 0;
}

static int
run_copy_out (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (argc < 2) {
    shell_error (cmd, _("expects REMOTE [REMOTE ...] LOCALDIR"));
    return -1;
  }
  for (int i = 0; i < argc - 1; ++i)
    if (drydock_copy_out (h, argv[i], argv[argc - 1]) == -1)
      return -1;
  return 0;
}

/* ---- guestfish's aliases of actions drydock does not have ---- */

static int
run_missing (drydock_h *h, const char *cmd, int argc, char **argv)
{
  const struct shell_command *c = shell_find_command (cmd);

  shell_error (cmd, _("not available: guestfish's alias for '%s', which "
                      "drydock does not have"), c ? c->alias_of : "?");
  return -1;
}

/* ---- the table ---- */

static const struct shell_arg arg_command[] = { { "command", SHELL_ARG_COMMAND } };
static const struct shell_arg arg_guest_file[] = { { "filename", SHELL_ARG_PATHNAME } };
static const struct shell_arg args_hexedit[] = {
  { "filename", SHELL_ARG_DEV_OR_PATH }, { "start", SHELL_ARG_INT64 },
  { "max", SHELL_ARG_INT64 },
};
static const struct shell_arg args_copy_in[] = {
  { "local", SHELL_ARG_HOSTPATH }, { "remotedir", SHELL_ARG_PATHNAME },
};
static const struct shell_arg args_copy_out[] = {
  { "remote", SHELL_ARG_PATHNAME }, { "localdir", SHELL_ARG_HOSTPATH },
};
static const struct shell_arg args_alloc[] = {
  { "filename", SHELL_ARG_HOSTPATH }, { "size", SHELL_ARG_INT64 },
};
static const struct shell_arg arg_local_dir[] = { { "directory", SHELL_ARG_HOSTPATH } };
static const struct shell_arg args_setenv[] = {
  { "var", SHELL_ARG_STRING }, { "value", SHELL_ARG_STRING },
};
static const struct shell_arg args_event[] = {
  { "name", SHELL_ARG_STRING }, { "eventset", SHELL_ARG_EVENTS },
  { "script", SHELL_ARG_STRING },
};
static const struct shell_arg arg_words[] = { { "words", SHELL_ARG_STRING } };

#define ARGS(a) a, sizeof a / sizeof a[0]
#define NOARGS NULL, 0
#define LOCAL(name, run, shortdesc, usage, longdesc, args, flags) \
  { name, shortdesc, usage, longdesc, run, args, NULL, 0, flags, NULL }
#define LOCAL_ALIAS(name, run, of, args, flags) \
  { name, NULL, NULL, NULL, run, args, NULL, 0, flags, of }
#define MISSING(name, of) \
  { name, NULL, NULL, NULL, run_missing, NULL, 0, NULL, 0, SHELL_CMD_MISSING, of }

const struct shell_command shell_local_commands[] = {
  LOCAL ("help", run_help, N_("display a list of commands or help on a command"),
         "help [CMD|-l]",
         N_("Without an argument, general help.  With CMD, the help of\n"
            "that command.  With -l or --list, the list of all commands."),
         ARGS (arg_command), 0),
  LOCAL ("quit", run_quit, N_("quit the shell"), "quit",
         N_("Leave the shell (also ^D).  Without -n, a session that had no\n"
            "error then shuts the appliance down, which commits the changes\n"
            "into the images."), NOARGS, 0),
  LOCAL_ALIAS ("exit", run_quit, "quit", NOARGS, 0),
  LOCAL_ALIAS ("q", run_quit, "quit", NOARGS, 0),
  LOCAL ("echo", run_echo, N_("display a line of text"), "echo [PARAMS ...]",
         N_("Print the parameters, separated by spaces."),
         ARGS (arg_words), SHELL_CMD_VARARGS),
  LOCAL ("alloc", run_alloc, N_("allocate and add a disk file"),
         "alloc FILENAME SIZE",
         N_("Create an empty (zeroed) raw file FILENAME of SIZE bytes (with a\n"
            "suffix: 1M, 10G ...), its blocks allocated, and add it as the\n"
            "next drive.  Its contents reach the file when the session ends\n"
            "well.  'sparse' makes a sparse one."),
         ARGS (args_alloc), SHELL_CMD_WRITES),
  LOCAL_ALIAS ("allocate", run_alloc, "alloc", ARGS (args_alloc), SHELL_CMD_WRITES),
  LOCAL ("sparse", run_sparse, N_("create a sparse disk image and add"),
         "sparse FILENAME SIZE",
         N_("As alloc, but the file is sparse: blocks are allocated when\n"
            "they are written."),
         ARGS (args_alloc), SHELL_CMD_WRITES),
  LOCAL ("copy-in", run_copy_in, N_("copy local files or directories into an image"),
         "copy-in LOCAL [LOCAL ...] /REMOTEDIR",
         N_("Copy the local files or directories, recursively, into the guest\n"
            "directory REMOTEDIR, which must exist (copy_in, for each)."),
         ARGS (args_copy_in), SHELL_CMD_WRITES | SHELL_CMD_REPEAT),
  LOCAL ("copy-out", run_copy_out, N_("copy remote files or directories out of an image"),
         "copy-out REMOTE [REMOTE ...] LOCALDIR",
         N_("Copy the guest files or directories, recursively, into the local\n"
            "directory LOCALDIR, which must exist (copy_out, for each).  With\n"
            "wildcards: glob copy-out /home/* ."),
         ARGS (args_copy_out), SHELL_CMD_REPEAT),
  LOCAL ("display", shell_run_display, N_("display an image"), "display FILENAME",
         N_("Download the guest file FILENAME and show it with display(1), or\n"
            "the program $DRYDOCK_DISPLAY_IMAGE names."),
         ARGS (arg_guest_file), 0),
  LOCAL ("edit", shell_run_edit, N_("edit a file"), "edit FILENAME",
         N_("Download the guest file FILENAME, edit it with $EDITOR (vi when\n"
            "unset), and upload it if it changed, keeping its owner, mode and\n"
            "attributes.  'vi' and 'emacs' use those editors."),
         ARGS (arg_guest_file), SHELL_CMD_WRITES),
  LOCAL_ALIAS ("vi", shell_run_edit, "edit", ARGS (arg_guest_file), SHELL_CMD_WRITES),
  LOCAL_ALIAS ("emacs", shell_run_edit, "edit", ARGS (arg_guest_file), SHELL_CMD_WRITES),
  LOCAL ("hexedit", shell_run_hexedit, N_("edit with a hex editor"),
         "hexedit FILENAME|DEVICE [[START] MAX]",
         N_("Edit the guest file FILENAME or the device DEVICE (a /dev/\n"
            "name), or MAX bytes of it from START (0 when not given), with\n"
            "hexedit(1) or the program $HEXEDITOR names; the bytes that\n"
            "changed are written back in place.  START and MAX take size\n"
            "suffixes (1M)."),
         ARGS (args_hexedit), SHELL_CMD_WRITES),
  LOCAL ("more", shell_run_more, N_("view a file"), "more FILENAME",
         N_("Download the guest file FILENAME and show it with $PAGER (more\n"
            "when unset).  'less' uses less."),
         ARGS (arg_guest_file), 0),
  LOCAL_ALIAS ("less", shell_run_more, "more", ARGS (arg_guest_file), 0),
  LOCAL ("glob", run_glob, N_("expand wildcards in command"), "glob COMMAND ARGS...",
         N_("Expand the wildcards (* ? [..] {a,b}) of the guest paths among\n"
            "ARGS and run COMMAND on each combination of the matches (a\n"
            "pattern matching nothing is passed as it is)."),
         NOARGS, SHELL_CMD_PREFIX),
  LOCAL ("lcd", run_lcd, N_("change working directory"), "lcd DIRECTORY",
         N_("Change the shell's own (local) directory.  '!cd' cannot: it runs\n"
            "in a child process."),
         ARGS (arg_local_dir), 0),
  LOCAL ("man", run_man, N_("open the manual"), "man",
         N_("Show the manual page drydock-shell(1)."), NOARGS, 0),
  LOCAL_ALIAS ("manual", run_man, "man", NOARGS, 0),
  LOCAL ("reopen", run_reopen, N_("close and reopen the handle"), "reopen",
         N_("Shut the appliance down (committing, as at the end of a session),\n"
            "close the handle and open a new one, without drives."),
         NOARGS, SHELL_CMD_WRITES),
  LOCAL ("setenv", run_setenv, N_("set an environment variable"), "setenv VAR VALUE",
         N_("Set the environment variable VAR to VALUE (for the commands the\n"
            "shell runs)."), ARGS (args_setenv), 0),
  LOCAL ("unsetenv", run_unsetenv, N_("unset an environment variable"), "unsetenv VAR",
         N_("Remove VAR from the environment."), ARGS (args_setenv), 0),
  LOCAL ("supported", run_supported, N_("list supported groups of commands"),
         "supported",
         N_("The optional groups of actions, and whether this appliance has\n"
            "what each needs."), NOARGS, 0),
  LOCAL ("time", run_time, N_("print elapsed time taken to run a command"),
         "time COMMAND ARGS...",
         N_("Run the command, then print how long it took."), NOARGS,
         SHELL_CMD_PREFIX),
  LOCAL ("event", shell_run_event, N_("register a handler for an event or events"),
         "event NAME EVENTSET \"SHELL SCRIPT ...\"",
         N_("Run the shell script (with $SHELL -c, or /bin/sh) when one of the\n"
            "events of EVENTSET, a comma-separated list, occurs: close,\n"
            "progress, appliance, library, trace, warning, or * for all.  The\n"
            "script gets the event's name in $EVENT, and as $1, $2 ...: the\n"
            "event's text when it has one (a trace line, a message), then\n"
            "its numbers (progress: the action's number, the position, the\n"
            "total).  NAME is for delete-event; several handlers may share it."),
         ARGS (args_event), 0),
  LOCAL ("list-events", shell_run_list_events, N_("list event handlers"),
         "list-events", N_("The handlers event registered."), NOARGS, 0),
  LOCAL ("delete-event", shell_run_delete_event, N_("delete a previously registered event handler"),
         "delete-event NAME", N_("Delete every handler named NAME."),
         ARGS (args_setenv), 0),
  MISSING ("attach-method", "set-attach-method"),
  MISSING ("btrfs-balance", "btrfs-filesystem-balance"),
  MISSING ("direct", "set-direct"),
  MISSING ("pid", "get-pid"),
  MISSING ("qemu", "set-qemu"),
  MISSING ("selinux", "set-selinux"),
  { NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, NULL },
};
