/* drydock customize: modify a guest in a disk image, as virt-customize.
 * The interfaces between the tool's files: options and the transaction
 * (customize.c), the operation table and its argument checks (ops.c),
 * the file operations (files.c), the system ones: hostname, timezone,
 * commands and scripts (system.c), and the password selectors and the
 * edit of /etc/shadow (password.c).
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error before returning -1: at parse time
 * "drydock customize: --OP 'ARG': REASON", while running
 * "drydock customize: --OP ARG: REASON" (customize_op_error).  Only
 * customize_main and the option parser exit. */

#ifndef DRYDOCK_CUSTOMIZE_H
#define DRYDOCK_CUSTOMIZE_H

#include <libintl.h>
#include <stddef.h>
#include <stdio.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

/* One operation of the command line, in the order given. */
struct customize_op {
  const struct customize_op_def *def;
  const char *arg;            /* points into argv */
  char *secret;               /* a password read at parse time (file:) */
};

/* What the user asked for. */
struct customize_opts {
  struct tool_options tool;   /* -a, --format, --key, -v -x -q */
  struct customize_op *ops;
  size_t n_ops;
  const char *output_overlay;
  const char *crypto;         /* --password-crypto: md5, sha256, sha512 */
  int dry_run, network, memsize;
};

/* What the operations share while they run. */
struct customize_ctx {
  drydock_h *h;
  const struct customize_opts *o;
  const struct customize_op *op;      /* the one running */
  const char *root;                   /* the inspected root filesystem */
  char *distro;                       /* its distro ("unknown" if not) */
};

/* An operation: its option name (without "--"), a summary for --help,
 * the check of its argument before launch, and its run (NULL for the
 * "last" ones, which customize_passwords runs together). */
struct customize_op_def {
  const char *name;
  const char *metavar;        /* NULL: no argument (none yet) */
  const char *help;
  int last;                   /* run after the others (passwords) */
  int (*check) (struct customize_op *op);
  int (*run) (struct customize_ctx *c);
};

/* ---- customize.c: customize's options, also taken by drydock sysprep ---- */

/* The getopt values of customize_add_options start here: a tool taking
 * them keeps its own long options below. */
#define CUSTOMIZE_OPTION_BASE (TOOL_OWN_OPTION + 0x1000)
/* Room enough for what customize_add_options adds. */
#define CUSTOMIZE_MAX_OPTIONS 128
/* Appends customize's long options (every operation, -m/--memsize,
 * --network, --no-network, --password-crypto) to longopts, which holds
 * n of them and has room for max; returns the new count.  The short
 * option is "m:". */
extern size_t customize_add_options (struct option *longopts, size_t n,
                                     size_t max);
/* Handles option c, one customize_add_options added, into *o (an
 * operation's argument is checked at once): 0, -1 (printed), or 1 if c
 * is not one of them. */
extern int customize_option (struct customize_opts *o, int c,
                             const char *arg);
/* Frees the operations and the tool options of *o. */
extern void customize_opts_free (struct customize_opts *o);

/* ---- ops.c ---- */

/* The operations, terminated by a NULL name. */
extern const struct customize_op_def customize_op_defs[];
/* The definition named name (without "--"), or NULL. */
extern const struct customize_op_def *customize_find_op (const char *name);
/* Prints the operations for --help. */
extern void customize_print_ops_help (FILE *fp);
/* Runs every operation: the others in order, then the "last" ones.
 * Prints each as a progress phase. */
extern int customize_run_ops (struct customize_ctx *c);
/* Prints "PROGRAM: --OP ARG: REASON" for the running operation;
 * returns -1. */
extern int customize_op_error (struct customize_ctx *c, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* The same with the handle's last error as REASON. */
extern int customize_op_lib_error (struct customize_ctx *c);
/* Parse-time: "PROGRAM: --OP 'ARG': REASON"; returns -1. */
extern int customize_arg_error (const struct customize_op *op,
                                const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* Splits op->arg at its first ':' into two new strings (caller frees
 * both); -1 (printed, naming want) when there is no ':' or a side is
 * empty. */
extern int customize_split2 (const struct customize_op *op, const char *want,
                             char **a, char **b);

/* ---- files.c ---- */
extern int customize_check_colon (struct customize_op *op);
extern int customize_check_path (struct customize_op *op);
extern int customize_check_chmod (struct customize_op *op);
extern int customize_check_link (struct customize_op *op);
extern int customize_check_host_file (struct customize_op *op);
extern int customize_check_copy_in (struct customize_op *op);
extern int customize_write (struct customize_ctx *c);
extern int customize_append_line (struct customize_ctx *c);
extern int customize_mkdir (struct customize_ctx *c);
extern int customize_touch (struct customize_ctx *c);
extern int customize_delete (struct customize_ctx *c);
extern int customize_chmod (struct customize_ctx *c);
extern int customize_link (struct customize_ctx *c);
extern int customize_upload (struct customize_ctx *c);
extern int customize_copy_in (struct customize_ctx *c);
extern int customize_copy (struct customize_ctx *c);
extern int customize_move (struct customize_ctx *c);
extern int customize_truncate (struct customize_ctx *c);
extern int customize_truncate_recursive (struct customize_ctx *c);

/* ---- system.c ---- */
extern int customize_check_hostname (struct customize_op *op);
extern int customize_check_timezone (struct customize_op *op);
extern int customize_check_nonempty (struct customize_op *op);
extern int customize_hostname (struct customize_ctx *c);
extern int customize_timezone (struct customize_ctx *c);
extern int customize_run_command (struct customize_ctx *c);
extern int customize_run_script (struct customize_ctx *c);

/* ---- password.c ---- */
/* Checks a --password-crypto value. */
extern int customize_check_crypto (const char *value);
extern int customize_check_root_password (struct customize_op *op);
extern int customize_check_password (struct customize_op *op);
/* Sets the password of the "last" operations, all of them in one edit
 * of /etc/shadow (runs as the first of them; the others do nothing). */
extern int customize_passwords (struct customize_ctx *c);

#endif /* DRYDOCK_CUSTOMIZE_H */
