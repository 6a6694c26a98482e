/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tools' messages: the running tool's name, and one-line errors and
 * warnings on stderr.  Every tool of the `drydock` binary reports
 * through these so that a message never spans lines, whatever the
 * library, qemu or the guest put in it. */

#include <config.h>

#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cleanups.h"
#include "options.h"

#define _(s) gettext (s)

static const char *program_name = "drydock";

void
tool_set_program_name (const char *name)
{
  program_name = name;
}

const char *
tool_program_name (void)
{
  return program_name;
}

/* "PROGRAM: PREFIX MESSAGE" with the message's newlines made spaces. */
static void
vprint (const char *prefix, const char *fs, va_list args)
{
  CLEANUP_FREE char *msg = NULL;
  int n = vasprintf (&msg, fs, args);

  if (n == -1) {
    fprintf (stderr, "%s: %s%s\n", program_name, prefix, fs);
    return;
  }
  for (char *p = msg; *p; ++p)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  /* A message ending in a newline would end in a space now. */
  while (n > 0 && msg[n - 1] == ' ')
    msg[--n] = '\0';
  tool_progress_end ();
  fprintf (stderr, "%s: %s%s\n", program_name, prefix, msg);
}

int
tool_error (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vprint ("", fs, args);
  va_end (args);
  return -1;
}

int
tool_lib_error (drydock_h *h)
{
  const char *e = drydock_last_error (h);

  return tool_error ("%s", e ? e : gettext ("unknown error"));
}

void
tool_warning (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vprint (gettext ("warning: "), fs, args);
  va_end (args);
}

int
tool_parse_count (const char *option, const char *arg, int *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (arg, &end, 10);
  if (errno || end == arg || *end || v < 0 || v > INT_MAX)
    return tool_error (_("%s '%s': not a number from 0 to %d"), option, arg,
                       INT_MAX);
  *out = (int) v;
  return 0;
}
