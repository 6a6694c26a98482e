/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turning the words typed in the shell into typed arguments: the line
 * into words (guestfish's quoting and escapes), and a word into a
 * boolean, a number with a size suffix or a string list. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"
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

/* The multiplier of a size suffix at s ("" is 1), or 0 if s is not one:
 * a letter of kKMGTPE alone or followed by "iB" is a power of 1024,
 * followed by "B" a power of 1000. */
static uint64_t
suffix_multiplier (const char *s)
{
  static const char letters[] = "KMGTPE";
  const char *l;
  uint64_t base, m = 1;
  int power;

  if (*s == '\0')
    return 1;
  l = strchr (letters, *s == 'k' ? 'K' : *s);
  if (l == NULL || *s == '\0')
    return 0;
  power = (int) (l - letters) + 1;
  if (s[1] == '\0' || strcmp (s + 1, "iB") == 0)
    base = 1024;
  else if (strcmp (s + 1, "B") == 0)
    base = 1000;
  else
    return 0;
  while (power-- > 0)
    m *= base;
  return m;
}

int
shell_strtoi64 (const char *s, int64_t *r)
{
  char *end;
  long long v;
  uint64_t m;
  int64_t out;

  errno = 0;
  /* Base 0: a leading 0 means octal, as modes are written (chmod 0755). */
  v = strtoll (s, &end, 0);
  if (end == s || isspace ((unsigned char) *s)) {
    errno = EINVAL;
    return -1;
  }
  if (errno)
    return -1;
  m = suffix_multiplier (end);
  if (m == 0) {
    errno = EINVAL;
    return -1;
  }
  if (__builtin_mul_overflow ((int64_t) v, (int64_t) m, &out)) {
    errno = ERANGE;
    return -1;
  }
  *r = out;
  return 0;
}

int
shell_parse_int64 (const char *cmd, const char *arg, const char *s, int64_t *r)
{
  if (shell_strtoi64 (s, r) == 0)
    return 0;
  if (errno == ERANGE)
    shell_error (cmd, _("%s: '%s' is out of range"), arg, s);
  else
    shell_error (cmd, _("%s: '%s' is not a number"), arg, s);
  return -1;
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
  struct strlist l = STRLIST_INIT;
  const char *p = s;

  for (;;) {
    char *w, *o;
    int quoted = 0;

    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if (*p == '\0')
      break;
    w = o = malloc (strlen (p) + 1);
    if (w == NULL)
      goto fail;
    while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
      if (*p == '\'')
        quoted = !quoted, p++;
      else if (*p == '\\' && p[1])
        p++, *o++ = *p++;
      else
        *o++ = *p++;
    }
    *o = '\0';
    if (quoted) {
      free (w);
      strlist_free (&l);
      shell_error (cmd, _("%s: unbalanced quotes in list"), arg);
      return NULL;
    }
    if (strlist_add_take (&l, w) == -1)
      goto fail;
  }
  return strlist_take (&l);
 fail:
  strlist_free (&l);
  shell_error (cmd, "%s: %s", arg, strerror (errno));
  return NULL;
}

const char *
shell_optarg (const char *word, const char *name)
{
  size_t n = strlen (name);

  if (strncmp (word, name, n) == 0 && word[n] == ':')
    return word + n + 1;
  return NULL;
}

/* ---- splitting a line ---- */

static int
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = (char) tolower ((unsigned char) c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One escape after a backslash at *pp (moved past it) into *out: 0, or
 * -1 for an escape guestfish refuses (unknown, short, or a NUL). */
static int
unescape (const char **pp, char *out)
{
  const char *p = *pp;
  static const char from[] = "abfnrtv\\\"'";
  static const char to[] = "\a\b\f\n\r\t\v\\\"'";
  const char *e = strchr (from, *p);
  int v;

  if (*p && e) {
    *out = to[e - from];
    *pp = p + 1;
    return 0;
  }
  if (p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' &&
      p[2] >= '0' && p[2] <= '7') {
    v = (p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0');
    *pp = p + 3;
  }
  else if (p[0] == 'x' && hexval (p[1]) >= 0 && hexval (p[2]) >= 0) {
    v = hexval (p[1]) * 16 + hexval (p[2]);
    *pp = p + 3;
  }
  else
    return -1;
  if (v == 0)                   /* arguments are C strings */
    return -1;
  *out = (char) v;
  return 0;
}

/* ~ or ~USER at the start of an unquoted word, as the host's home
 * directory; the word as it is when there is no such user. */
static char *
expand_tilde (const char *w)
{
  const char *slash = strchr (w, '/');
  size_t n = slash ? (size_t) (slash - w) : strlen (w);
  const char *home = NULL;
  char *r;

  if (n == 1) {
    home = getenv ("HOME");
    if (home == NULL || *home == '\0') {
      struct passwd *pw = getpwuid (getuid ());
      home = pw ? pw->pw_dir : NULL;
    }
  }
  else {
    CLEANUP_FREE char *user = strndup (w + 1, n - 1);
    struct passwd *pw = user ? getpwnam (user) : NULL;
    home = pw ? pw->pw_dir : NULL;
  }
  if (home == NULL)
    return strdup (w);
  if (asprintf (&r, "%s%s", home, w + n) == -1)
    return NULL;
  return r;
}

/* A word starting at *pp: quoted (*pp at the quote) or not.  The word
 * (caller frees) or NULL with *why set (NULL: out of memory). */
static char *
next_word (const char **pp, const char **why)
{
  const char *p = *pp;
  char *w, *o;

  *why = NULL;
  w = o = malloc (strlen (p) + 1);
  if (w == NULL)
    return NULL;
  if (*p == '"' || *p == '\'') {
    char q = *p++;

    while (*p && *p != q) {
      if (q == '"' && *p == '\\') {
        p++;
        if (unescape (&p, o) == -1) {
          *why = _("invalid escape sequence in double quotes (\\a \\b \\f "
                   "\\n \\r \\t \\v \\\\ \\\" \\ooo \\xhh, not \\000)");
          goto fail;
        }
        o++;
      }
      else
        *o++ = *p++;
    }
    if (*p != q) {
      *why = _("unbalanced quotes");
      goto fail;
    }
    p++;
    if (*p && !is_blank (*p)) {
      *why = _("command arguments not separated by whitespace");
      goto fail;
    }
    *o = '\0';
  }
  else {
    while (*p && !is_blank (*p))
      *o++ = *p++;
    *o = '\0';
    if (w[0] == '~') {
      char *e = expand_tilde (w);
      free (w);
      w = e;
    }
  }
  *pp = p;
  return w;
 fail:
  free (w);
  return NULL;
}

int
shell_split_line (const char *line, char ***words, char **pipe)
{
  struct strlist l = STRLIST_INIT;
  const char *p = line;

  *words = NULL;
  *pipe = NULL;
  for (;;) {
    const char *why;
    char *w;

    while (is_blank (*p))
      p++;
    if (*p == '\0')
      break;
    if (*p == '|') {
      size_t n;

      do
        p++;
      while (is_blank (*p));
      n = strlen (p);
      while (n > 0 && is_blank (p[n - 1]))
        n--;
      *pipe = strndup (p, n);
      if (*pipe == NULL)
        goto oom;
      break;
    }
    w = next_word (&p, &why);
    if (w == NULL) {
      strlist_free (&l);
      free (*pipe);
      *pipe = NULL;
      if (why == NULL)
        goto oom;
      tool_error ("%s: %s", why, line);
      return -1;
    }
    if (strlist_add_take (&l, w) == -1)
      goto oom;
  }
  *words = strlist_take (&l);
  if (*words == NULL)
    goto oom;
  return (int) count_strings (*words);
 oom:
  strlist_free (&l);
  free (*pipe);
  *pipe = NULL;
  tool_error ("%s", strerror (errno));
  return -1;
}
