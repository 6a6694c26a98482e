/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turning the words typed in the shell into typed arguments. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell.h"
#include "strlist.h"

int shell_error_reported;

void
shell_error (const char *cmd, const char *fs, ...)
{
  va_list args;
  char *msg;
  int n;

  shell_error_reported = 1;
  va_start (args, fs);
  n = vasprintf (&msg, fs, args);
  va_end (args);
  if (n == -1) {
    tool_error ("%s: %s", cmd, fs);
    return;
  }
  tool_error ("%s: %s", cmd, msg);
  free (msg);
}

int
shell_check_argc (const char *cmd, int argc, int min, int max)
{
  if (argc >= min && argc <= max)
    return 0;
  if (min == max)
    shell_error (cmd, _("expects %d argument(s), got %d (see 'help %s')"),
                 min, argc, cmd);
  else
    shell_error (cmd, _("expects %d to %d arguments, got %d (see 'help %s')"),
                 min, max, argc, cmd);
  return -1;
}

int
shell_parse_bool (const char *cmd, const char *arg, const char *s, int *r)
{
  static const char *const yes[] = { "1", "true", "t", "yes", "y", "on" };
  static const char *const no[] = { "0", "false", "f", "no", "n", "off" };

  for (size_t i = 0; i < 6; ++i) {
    if (strcasecmp (s, yes[i]) == 0) {
      *r = 1;
      return 0;
    }
    if (strcasecmp (s, no[i]) == 0) {
      *r = 0;
      return 0;
    }
  }
  shell_error (cmd, _("%s: '%s' is not a boolean (true or false)"), arg, s);
  return -1;
}

int
shell_parse_int64 (const char *cmd, const char *arg, const char *s, int64_t *r)
{
  char *end;
  long long v;

  errno = 0;
  /* Base 0: a leading 0 means octal, as modes are written (chmod 0755). */
  v = strtoll (s, &end, 0);
  if (errno || end == s || *end) {
    shell_error (cmd, _("%s: '%s' is not a number"), arg, s);
    return -1;
  }
  *r = v;
  return 0;
}

int
shell_parse_int (const char *cmd, const char *arg, const char *s, int *r)
{
  int64_t v;

  if (shell_parse_int64 (cmd, arg, s, &v) == -1)
    return -1;
  if (v < INT32_MIN || v > INT32_MAX) {
    shell_error (cmd, _("%s: '%s' is out of range"), arg, s);
    return -1;
  }
  *r = (int) v;
  return 0;
}

char **
shell_parse_list (const char *cmd, const char *arg, const char *s)
{
  char **words;
  int n = shell_split_words (s, &words);

  if (n == -1) {
    shell_error (cmd, _("%s: unbalanced quotes in list"), arg);
    return NULL;
  }
  return words;
}

const char *
shell_optarg (const char *word, const char *name)
{
  size_t n = strlen (name);

  if (strncmp (word, name, n) == 0 && word[n] == ':')
    return word + n + 1;
  return NULL;
}

int
shell_split_words (const char *line, char ***words)
{
  struct strlist l = STRLIST_INIT;
  const char *p = line;

  *words = NULL;
  for (;;) {
    char *w, *o;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (*p == '\0' || *p == '#')
      break;
    w = o = malloc (strlen (p) + 1);
    if (w == NULL)
      goto fail;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      if (*p == '\'') {
        const char *e = strchr (p + 1, '\'');
        if (e == NULL) {
          free (w);
          goto fail;
        }
        memcpy (o, p + 1, (size_t) (e - p - 1));
        o += e - p - 1;
        p = e + 1;
      }
      else if (*p == '"') {
        p++;
        while (*p && *p != '"') {
          if (*p == '\\' && p[1]) {
            p++;
            *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            p++;
          }
          else
            *o++ = *p++;
        }
        if (*p != '"') {
          free (w);
          goto fail;
        }
        p++;
      }
      else if (*p == '\\' && p[1])
        p++, *o++ = *p++;
      else
        *o++ = *p++;
    }
    *o = '\0';
    if (strlist_add_take (&l, w) == -1)
      goto fail;
  }
  *words = strlist_take (&l);
  return *words ? (int) count_strings (*words) : -1;
 fail:
  strlist_free (&l);
  return -1;
}
