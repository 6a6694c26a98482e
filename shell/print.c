/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing results the way guestfish users read them. */

#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "quote.h"
#include "shell.h"

void
shell_print_string (const char *s)
{
  size_t n = strlen (s);

  fputs (s, stdout);
  if (n == 0 || s[n - 1] != '\n')
    putchar ('\n');
}

/* On a terminal, names are shown as ls -b shows them (quote.h): a
 * guest's name holding a newline or an escape sequence must not reach
 * the user's terminal as such.  Into a pipe or a file they pass as
 * they are, for scripts. */
void
shell_print_list (char *const *l)
{
  int tty = isatty (STDOUT_FILENO);

  for (size_t i = 0; l[i]; ++i) {
    CLEANUP_FREE char *q = NULL;

    if (tty && name_needs_quoting (l[i]))
      q = quote_name (l[i]);
    printf ("%s\n", q ? q : l[i]);
  }
}

void
shell_print_hash (char *const *l)
{
  for (size_t i = 0; l[i] && l[i + 1]; i += 2)
    printf ("%s: %s\n", l[i], l[i + 1]);
}

void
shell_print_buffer (const char *buf, size_t n)
{
  fwrite (buf, 1, n, stdout);
}

void
shell_print_field_buffer (const char *buf, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char) buf[i];

    if (c >= 0x20 && c < 0x7f && c != '\\')
      putchar (c);
    else
      printf ("\\x%02x", c);
  }
  putchar ('\n');
}
