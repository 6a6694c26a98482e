/* One-line error messages for the command-line tools. */

#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "toolmsg.h"
#include "cleanups.h"
#include <libintl.h>

int
tool_error (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *msg = NULL;

  va_start (args, fs);
  int n = vasprintf (&msg, fs, args);
  va_end (args);
  if (n == -1) {
    fprintf (stderr, "%s: %s\n", program_name, fs);
    return -1;
  }
  for (char *p = msg; *p; ++p)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  /* A message ending in a newline would end in a space now. */
  while (n > 0 && msg[n - 1] == ' ')
    msg[--n] = '\0';
  fprintf (stderr, "%s: %s\n", program_name, msg);
  return -1;
}

int
tool_lib_error (drydock_h *h)
{
  const char *e = drydock_last_error (h);

  return tool_error ("%s", e ? e : gettext ("unknown error"));
}
