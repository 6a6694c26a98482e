/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing results the way guestfish users read them. */

#include <config.h>

#include <stdio.h>
#include <string.h>

#include "shell.h"

void
shell_print_string (const char *s)
{
  size_t n = strlen (s);

  fputs (s, stdout);
  if (n == 0 || s[n - 1] != '\n')
    putchar ('\n');
}

void
shell_print_list (char *const *l)
{
  for (size_t i = 0; l[i]; ++i)
    printf ("%s\n", l[i]);
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
