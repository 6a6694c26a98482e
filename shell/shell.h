/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock shell: the command table (generated, cmds-gen.c), and the
 * helpers its runners use to parse words and print results.
 * Convention: parse helpers print their own one-line error and return
 * -1 (or NULL). */

#ifndef DRYDOCK_SHELL_H
#define DRYDOCK_SHELL_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)
#define N_(s) (s)

struct shell_command {
  const char *name;
  const char *shortdesc;
  const char *usage;
  const char *longdesc;
  int (*run) (drydock_h *h, const char *cmd, int argc, char **argv);
};

extern const struct shell_command shell_commands[];

extern void shell_error (const char *cmd, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* Set by shell_error: the failure of the running command is already on
 * stderr, and the handle's last error (an older one) must not follow. */
extern int shell_error_reported;
extern int shell_check_argc (const char *cmd, int argc, int min, int max);
extern int shell_parse_bool (const char *cmd, const char *arg, const char *s, int *r);
extern int shell_parse_int (const char *cmd, const char *arg, const char *s, int *r);
extern int shell_parse_int64 (const char *cmd, const char *arg, const char *s,
                              int64_t *r);
/* Splits "a b 'c d'" into a list; caller frees. */
extern char **shell_parse_list (const char *cmd, const char *arg, const char *s);
/* The value if word is "name:value", else NULL. */
extern const char *shell_optarg (const char *word, const char *name);
/* Splits a line into words with shell-like quoting.  Returns the word
 * count (0 for a blank or comment line) or -1 on a quoting error. */
extern int shell_split_words (const char *line, char ***words);

extern void shell_print_string (const char *s);
extern void shell_print_list (char *const *l);
extern void shell_print_hash (char *const *l);
extern void shell_print_buffer (const char *buf, size_t n);

/* shell.c */
extern int shell_main (int argc, char *argv[]);

#endif /* DRYDOCK_SHELL_H */
