/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock shell: guestfish's shell over drydock.  The command table
 * (generated, cmds-gen.c, and the shell's own commands, local.c), the
 * session every part works on, and the helpers that turn typed words
 * into arguments, run lines and print results.
 *
 * Convention: functions returning int give 0, or -1 after printing one
 * line "drydock shell: ..." on stderr (the parse helpers too, naming the
 * command); the ones that print nothing on failure say so. */

#ifndef DRYDOCK_SHELL_H
#define DRYDOCK_SHELL_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)
#define N_(s) (s)

/* What a word of a command is, for parsing it (numbers with size
 * suffixes, win: paths, "-" as standard input or output, a passphrase
 * asked for) and for completing it. */
enum shell_arg_kind {
  SHELL_ARG_STRING,
  SHELL_ARG_OPTSTRING,
  SHELL_ARG_KEY,
  SHELL_ARG_STRINGLIST,
  SHELL_ARG_BOOL,
  SHELL_ARG_INT,
  SHELL_ARG_INT64,
  SHELL_ARG_BUFFERIN,
  SHELL_ARG_PATHNAME,           /* a guest path */
  SHELL_ARG_DEVICE,             /* a device, partition or LV */
  SHELL_ARG_MOUNTABLE,          /* a device or a filesystem's name */
  SHELL_ARG_DEV_OR_PATH,        /* either (umount) */
  SHELL_ARG_FILEIN,             /* a host file read ("-": standard input) */
  SHELL_ARG_FILEOUT,            /* a host file written ("-": output) */
  SHELL_ARG_HOSTPATH,           /* any host path */
  /* The shell's own commands only. */
  SHELL_ARG_COMMAND,            /* a command's name (help) */
  SHELL_ARG_EVENTS,             /* event names, comma-separated */
};

struct shell_arg {
  const char *name;
  enum shell_arg_kind kind;
};

/* shell_command.flags */
#define SHELL_CMD_WRITES  0x01  /* may change guest files or devices: the
                                   completion forgets what it listed */
#define SHELL_CMD_REPEAT  0x02  /* the first argument may be given several
                                   times (copy-in, copy-out) */
#define SHELL_CMD_PREFIX  0x04  /* the arguments are a command line to run
                                   (glob, time) */
#define SHELL_CMD_VARARGS 0x08  /* any number of arguments of the last
                                   kind (echo, setenv) */
#define SHELL_CMD_MISSING 0x10  /* guestfish's alias of an action drydock
                                   does not have: refused */

struct shell_command {
  const char *name;             /* as typed: "tar-in" ('_' works too) */
  const char *shortdesc;
  const char *usage;
  const char *longdesc;
  /* Runs with the words after the command's name; cmd is the name as
   * typed (for messages).  0, or -1 (printed, or the handle's error). */
  int (*run) (drydock_h *h, const char *cmd, int argc, char **argv);
  const struct shell_arg *args;         /* the required ones, in order */
  size_t n_args;
  const struct shell_arg *optargs;      /* name:value, any order */
  size_t n_optargs;
  unsigned flags;                       /* SHELL_CMD_* */
  const char *alias_of;                 /* NULL, or the command it names */
};

/* cmds-gen.c: every action, sorted by name, NULL-terminated. */
extern const struct shell_command shell_commands[];
extern const size_t shell_n_commands;
/* local.c: the shell's own commands, NULL-terminated. */
extern const struct shell_command shell_local_commands[];

/* The session.  One per process; reopen replaces the handle. */
struct shell_session {
  drydock_h *h;
  struct tool_options *o;       /* the command line's shared options */
  int interactive;              /* typed at a terminal: a prompt, and
                                   errors do not end the session */
  int echo_commands;            /* -e: each command on stderr first */
  int pipe_error;               /* --pipe-error */
  int progress_bars;            /* bars for long actions */
  int guest_paths;              /* complete guest paths and devices */
  int autosync;                 /* shut down (commit) at the end */
  int color;                    /* escapes of DRYDOCK_PS1 ... used */
  int remote;                   /* serving --listen */
};
extern struct shell_session shell;

/* ---- parse.c ---- */

extern void shell_error (const char *cmd, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* Set by shell_error: the failure of the running command is already on
 * stderr, and the handle's last error (an older one) must not follow. */
extern int shell_error_reported;
extern int shell_check_argc (const char *cmd, int argc, int min, int max);
extern int shell_parse_bool (const char *cmd, const char *arg, const char *s, int *r);
/* Integers as guestfish reads them: decimal, 0octal, 0xhex, with a size
 * suffix (k K M G T P E, KiB ... binary, KB ... decimal). */
extern int shell_parse_int (const char *cmd, const char *arg, const char *s, int *r);
extern int shell_parse_int64 (const char *cmd, const char *arg, const char *s,
                              int64_t *r);
/* The same without a message: 0, or -1 (EINVAL or ERANGE in errno). */
extern int shell_strtoi64 (const char *s, int64_t *r);
/* A string list typed as one word: "a b 'c d'" (a backslash quotes the
 * next character).  Caller frees. */
extern char **shell_parse_list (const char *cmd, const char *arg, const char *s);
/* The value if word is "name:value", else NULL. */
extern const char *shell_optarg (const char *word, const char *name);
/* Splits a command line into words as guestfish does: blanks separate
 * words; '...' is literal, "..." takes the escapes \a \b \f \n \r \t \v
 * \\ \" \' \ooo \xhh; a quote opens only at the start of a word and
 * must be followed by a blank or the end; an unquoted word starting
 * with '~' is a host home directory; an unquoted word starting with '|'
 * ends the command: the rest of the line goes to *pipe (a host command;
 * NULL without one).  Returns the word count (caller frees *words and
 * *pipe), or -1 (printed; nothing to free). */
extern int shell_split_line (const char *line, char ***words, char **pipe);

/* ---- print.c ---- */

extern void shell_print_string (const char *s);
extern void shell_print_list (char *const *l);
extern void shell_print_hash (char *const *l);
extern void shell_print_buffer (const char *buf, size_t n);
/* A struct's buffer field on one line: printable ASCII as it is, other
 * bytes and the backslash as \xNN. */
extern void shell_print_field_buffer (const char *buf, size_t n);

/* ---- run.c ---- */

/* The command named name ('-' and '_' alike): the shell's own first,
 * then the actions.  NULL if none. */
extern const struct shell_command *shell_find_command (const char *name);
/* The kind of the positional word at index i (0: the first after the
 * name) of a command given argc positional words: a SHELL_ARG_*, or -1
 * when it has none (beyond the arguments; the words of glob and time
 * but the first, which are the command they run). */
extern int shell_arg_kind_at (const struct shell_command *c, int argc, int i);
/* Runs one line: '#' comments, '!' host commands, '<!' host commands
 * whose output is run as commands, '-' to go on after an error, and
 * "CMD | HOSTCMD".  0 ok, -1 failed, 1 quit. */
extern int shell_run_line (const char *line);
/* Runs one command already split into words (argv[0] its name, maybe
 * with a leading '-').  0 ok, -1 failed, 1 quit. */
extern int shell_run_command (int argc, char **argv);
/* Commands from fp until its end, or quit.  exit_on_error: the first
 * failure ends it (scripts).  0, or -1 after a failure. */
extern int shell_run_stream (FILE *fp, int exit_on_error);
/* COMMAND ARGS : COMMAND ARGS (the command line, --remote). */
extern int shell_run_argv (int argc, char **argv);
/* A new temporary file (kind names it: "heredoc") in $TMPDIR or /tmp:
 * its path (caller unlinks and frees) and an open fd in *fd.  NULL
 * (printed, naming cmd). */
extern char *shell_mkstemp (const char *cmd, const char *kind, int *fd);
/* The same for a directory (caller removes it). */
extern char *shell_mkdtemp (const char *cmd, const char *kind);

/* ---- local.c ---- */

/* help [CMD] / help -l: the general help, a command's, or the list. */
extern int shell_help (const char *name);
/* Creates (sparse or allocated) and adds a new raw image; the changes
 * reach it when the session ends well.  0 or -1 (printed). */
extern int shell_alloc (const char *cmd, const char *file, int64_t size,
                        int sparse);

/* ---- winpath.c ---- */

/* A "win:[D:]\path" argument as the guest path it names (caller frees):
 * the drive's mountpoint from the inspection's drive mappings, '\' as
 * '/', each component's case as on disk.  NULL (printed). */
extern char *shell_win_path (drydock_h *h, const char *cmd, const char *arg);

/* ---- input.c ---- */

/* Interactive input: readline (when built with it) with the history in
 * ~/.drydock_history, the banner, the prompt (DRYDOCK_PS1). */
extern void shell_input_start (void);
/* The next line (caller frees), or NULL at the end of input. */
extern char *shell_input_line (void);
/* Saves the history, prints DRYDOCK_RESTORE. */
extern void shell_input_end (void);
/* Before a command's output, DRYDOCK_OUTPUT (on a terminal). */
extern void shell_output_start (void);
/* A passphrase for the Key argument name of cmd: from standard input
 * with --keys-from-stdin, else from the terminal, without echo unless
 * --echo-keys.  Caller frees (and wipes).  NULL (printed). */
extern char *shell_read_key (const char *cmd, const char *name);

/* ---- complete.c ---- */

/* Installs the completion (readline only). */
extern void shell_complete_init (void);
/* Forgets the directories and devices listed for completion (after a
 * command that may have changed them). */
extern void shell_complete_forget (void);

/* ---- edit.c: the commands that run a host program on a guest file,
 * as the table's run functions ---- */

extern int shell_run_edit (drydock_h *h, const char *cmd, int argc, char **argv);
extern int shell_run_more (drydock_h *h, const char *cmd, int argc, char **argv);
extern int shell_run_display (drydock_h *h, const char *cmd, int argc,
                              char **argv);
extern int shell_run_hexedit (drydock_h *h, const char *cmd, int argc,
                              char **argv);

/* ---- events.c ---- */

/* event, list-events, delete-event, as the table's run functions. */
extern int shell_run_event (drydock_h *h, const char *cmd, int argc, char **argv);
extern int shell_run_list_events (drydock_h *h, const char *cmd, int argc,
                                  char **argv);
extern int shell_run_delete_event (drydock_h *h, const char *cmd, int argc,
                                   char **argv);
/* Registers the event commands' handlers on a new handle (reopen). */
extern void shell_events_attach (drydock_h *h);

/* ---- progress.c ---- */

/* Progress bars on h's progress events, when shell.progress_bars. */
extern void shell_progress_attach (drydock_h *h);
/* A command starts (the bar's clock) / ended (the bar's line closed). */
extern void shell_progress_begin (void);
extern void shell_progress_finish (void);
/* The total of the next command's progress when its events do not say
 * it (the size of the file it uploads). */
extern void shell_progress_hint (uint64_t total);

/* ---- remote.c ---- */

/* --listen: forks a server that runs the commands --remote sends; the
 * parent prints DRYDOCK_PID=...; and exits once the server is ready
 * (set_up, run in the server, succeeded).  The server ends at quit or
 * at a failed command, after finish (which shuts down, and returns 0 or
 * -1); neither returns. */
extern void shell_listen (int csh, int (*set_up) (void),
                         int (*finish) (int failed))
  __attribute__((noreturn));
/* --remote[=PID]: sends argv (or, without words, the lines of standard
 * input) to the server; the exit status of the commands. */
extern int shell_remote (const char *pid, int argc, char **argv);

/* ---- prepared.c ---- */

/* -N [FILE=]TYPE[:PARAM...]: parses one, creates its file; it will be
 * added after before_drive -a images.  0, -1 (printed), or 1 after
 * printing the types for "-N help". */
extern int shell_prepared_add (const char *spec, size_t before_drive);
extern size_t shell_prepared_count (void);
/* Adds the prepared disks that come after before_drive -a images. */
extern int shell_prepared_add_drives (drydock_h *h, size_t before_drive);
/* Counts an -a drive added (for the prepared disks' device names). */
extern void shell_prepared_count_drive (void);
/* After the launch: partitions and formats each prepared disk. */
extern int shell_prepared_make (drydock_h *h);
extern void shell_prepared_free (void);

/* ---- shell.c ---- */

extern int shell_main (int argc, char *argv[]);
/* Closes the handle and makes a new one with the command line's
 * settings (no drives).  0 or -1. */
extern int shell_reopen (void);

#endif /* DRYDOCK_SHELL_H */
