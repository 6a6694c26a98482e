/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interactive shell's input and looks: GNU readline (line editing,
 * completion, the history kept in ~/.drydock_history) when drydock is
 * built with it, a plain reader otherwise; the banner; the prompt,
 * "><fs> " or DRYDOCK_PS1, and the strings DRYDOCK_INIT, DRYDOCK_OUTPUT
 * and DRYDOCK_RESTORE, with guestfish's escapes.  Their colours (escape
 * sequences) are used only on a terminal, and not with --no-color or
 * NO_COLOR. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBREADLINE
#include <readline/readline.h>
#include <readline/history.h>
#endif

#include "shell.h"
#include "cleanups.h"

#define HISTORY_FILE ".drydock_history"
#define HISTORY_SIZE 500

static char *prompt;

/* readline's markers of a part of the prompt that takes no room. */
#define IGNORE_START '\001'
#define IGNORE_END '\002'

static int
octal (char c)
{
  return c >= '0' && c <= '7';
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* s with guestfish's prompt escapes (\\ \[ \] \a \e \n \r \NNN \xNN)
 * decoded; caller frees.  Without colour, what \[...\] encloses and the
 * escape sequences (ESC [ ... letter) are dropped; in_prompt keeps
 * readline's markers around \[...\] (outside the prompt they are
 * dropped). */
static char *
decode (const char *s, int in_prompt)
{
  char *r = malloc (strlen (s) + 1), *o = r;
  int hidden = 0;

  if (r == NULL)
    return NULL;
  for (const char *p = s; *p; ) {
    char c;

    if (*p != '\\' || p[1] == '\0') {
      c = *p++;
    }
    else {
      p++;
      switch (*p) {
      case '[':
        p++;
        hidden = 1;
        if (shell.color && in_prompt)
          *o++ = IGNORE_START;
        continue;
      case ']':
        p++;
        hidden = 0;
        if (shell.color && in_prompt)
          *o++ = IGNORE_END;
        continue;
      case 'a': c = '\a'; p++; break;
      case 'e': c = '\033'; p++; break;
      case 'n': c = '\n'; p++; break;
      case 'r': c = '\r'; p++; break;
      case 'x':
        if (hexval (p[1]) >= 0 && hexval (p[2]) >= 0) {
          c = (char) (hexval (p[1]) * 16 + hexval (p[2]));
          p += 3;
          break;
        }
        c = '\\';
        break;
      default:
        if (octal (p[0]) && octal (p[1]) && octal (p[2])) {
          c = (char) ((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
          p += 3;
          break;
        }
        c = *p++;               /* \\ and any other: the character */
      }
    }
    if (!shell.color && (hidden || c == '\033')) {
      /* An escape sequence outside \[...\]: skip to its final letter. */
      if (c == '\033' && !hidden && *p == '[') {
        p++;
        while (*p && !(*p >= '@' && *p <= '~'))
          p++;
        if (*p)
          p++;
      }
      continue;
    }
    *o++ = c;
  }
  *o = '\0';
  return r;
}

/* One of DRYDOCK_INIT, DRYDOCK_OUTPUT, DRYDOCK_RESTORE (colour codes:
 * printed only with colour). */
static void
print_env_string (const char *name)
{
  const char *v = getenv (name);
  CLEANUP_FREE char *d = NULL;

  if (v == NULL || !shell.color)
    return;
  d = decode (v, 0);
  if (d) {
    fputs (d, stdout);
    fflush (stdout);
  }
}

static void
banner (void)
{
  print_env_string ("DRYDOCK_INIT");
  printf (_("\n"
            "Welcome to drydock shell, for inspecting and editing virtual\n"
            "machine disk images and their filesystems.\n"
            "\n"
            "Type: 'help' for help on commands\n"
            "      'man' to read the manual\n"
            "      'quit' to quit the shell\n"
            "\n"));
}

#ifdef HAVE_LIBREADLINE
static char *
history_path (void)
{
  const char *home = getenv ("HOME");
  char *p;

  if (home == NULL || *home == '\0')
    return NULL;
  if (asprintf (&p, "%s/%s", home, HISTORY_FILE) == -1)
    return NULL;
  return p;
}
#endif

void
shell_input_start (void)
{
  const char *ps1 = getenv ("DRYDOCK_PS1");

  prompt = decode (ps1 ? ps1 : "><fs> ", 1);
  banner ();
#ifdef HAVE_LIBREADLINE
  {
    CLEANUP_FREE char *path = history_path ();

    rl_readline_name = "drydock";
    using_history ();
    if (path)
      read_history (path);
    stifle_history (HISTORY_SIZE);
    shell_complete_init ();
  }
#endif
}

char *
shell_input_line (void)
{
#ifdef HAVE_LIBREADLINE
  char *line = readline (prompt ? prompt : "><fs> ");

  if (line && *line) {
    HIST_ENTRY *last = history_length > 0
      ? history_get (history_base + history_length - 1) : NULL;

    if (last == NULL || strcmp (last->line, line) != 0)
      add_history (line);
  }
  if (line)
    shell_output_start ();
  return line;
#else
  char *line = NULL;
  size_t cap = 0;

  printf ("%s", prompt ? prompt : "><fs> ");
  fflush (stdout);
  if (getline (&line, &cap, stdin) == -1) {
    free (line);
    return NULL;
  }
  line[strcspn (line, "\n")] = '\0';
  shell_output_start ();
  return line;
#endif
}

void
shell_output_start (void)
{
  print_env_string ("DRYDOCK_OUTPUT");
}

void
shell_input_end (void)
{
#ifdef HAVE_LIBREADLINE
  CLEANUP_FREE char *path = history_path ();

  if (path && write_history (path) != 0)
    tool_warning (_("cannot save the history in %s: %s"), path,
                  strerror (errno));
#endif
  putchar ('\n');
  print_env_string ("DRYDOCK_RESTORE");
  free (prompt);
  prompt = NULL;
}

char *
shell_read_key (const char *cmd, const char *name)
{
  CLEANUP_FREE char *p = NULL;
  FILE *fp = stdin;
  char *key;

  if (asprintf (&p, _("Enter key or passphrase (\"%s\"): "), name) == -1) {
    shell_error (cmd, "%s", strerror (errno));
    return NULL;
  }
  if (!shell.o->keys_from_stdin) {
    fp = fopen ("/dev/tty", "r+e");
    if (fp == NULL) {
      shell_error (cmd, _("%s: no terminal to ask the passphrase on (give it "
                          "as an argument, or use --keys-from-stdin)"), name);
      return NULL;
    }
  }
  key = tool_read_passphrase (fp, p, shell.o->echo_keys);
  if (fp != stdin)
    fclose (fp);
  else
    /* A file: what stdio read ahead is given back, for the commands
     * that read standard input next (upload -). */
    fflush (stdin);
  if (key == NULL)
    shell_error (cmd, _("%s: no passphrase given"), name);
  return key;
}
