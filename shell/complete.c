/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tab completion (with readline): the first word is a command; the
 * others are completed as the command's arguments are (the action
 * table's kinds): guest paths, devices, mountables, host paths, booleans,
 * the names of optional arguments ("name:").  Words after '!' or '|'
 * are host paths.
 *
 * What the appliance is asked is remembered: one ls per guest directory
 * and one listing of the devices, until a command that may change them
 * runs (shell_complete_forget).  Whether a path is a directory (to add
 * its "/") is asked only for the one match of a completion. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

#ifdef HAVE_LIBREADLINE

#include <readline/readline.h>

#include "cleanups.h"
#include "strlist.h"

/* Directories listed, at most this many: the oldest is dropped. */
#define MAX_DIRS 64

struct dir_listing {
  char *dir;                    /* "/" or "/a/b/" (with its final '/') */
  char **names;                 /* as ls gives them, sorted */
  signed char *is_dir;          /* per name: -1 not asked yet */
  size_t n;
};

static struct dir_listing dirs[MAX_DIRS];
static size_t n_dirs;
static char **devices;          /* devices, partitions, LVs */
static char **filesystems;      /* list_filesystems' names */

static void
free_listing (struct dir_listing *d)
{
  free (d->dir);
  drydock_free_string_list (d->names);
  free (d->is_dir);
  memset (d, 0, sizeof *d);
}

void
shell_complete_forget (void)
{
  for (size_t i = 0; i < n_dirs; ++i)
    free_listing (&dirs[i]);
  n_dirs = 0;
  drydock_free_string_list (devices);
  drydock_free_string_list (filesystems);
  devices = filesystems = NULL;
}

/* Is the appliance up (the guest can be asked)? */
static int
ready (void)
{
  if (!shell.guest_paths || shell.h == NULL)
    return 0;
  return drydock_is_ready (shell.h) == 1;
}

/* The listing of dir (ending in '/'), asked once. */
static struct dir_listing *
listing (const char *dir)
{
  struct dir_listing *d;
  CLEANUP_FREE char *path = NULL;
  size_t len = strlen (dir);
  char **names;

  for (size_t i = 0; i < n_dirs; ++i)
    if (strcmp (dirs[i].dir, dir) == 0)
      return &dirs[i];
  /* ls wants "/a/b", not "/a/b/". */
  path = strndup (dir, len > 1 ? len - 1 : len);
  if (path == NULL)
    return NULL;
  names = drydock_ls (shell.h, path);
  if (names == NULL)
    return NULL;
  if (n_dirs == MAX_DIRS) {
    free_listing (&dirs[0]);
    memmove (&dirs[0], &dirs[1], (MAX_DIRS - 1) * sizeof dirs[0]);
    n_dirs--;
  }
  d = &dirs[n_dirs];
  d->n = count_strings (names);
  d->dir = strdup (dir);
  d->is_dir = malloc (d->n + 1);
  d->names = names;
  if (d->dir == NULL || d->is_dir == NULL) {
    free_listing (d);
    return NULL;
  }
  memset (d->is_dir, -1, d->n + 1);
  n_dirs++;
  return d;
}

/* The candidates of the completion running, and what follows the one
 * match. */
static struct strlist found = STRLIST_INIT;
/* Are they guest paths (listed by their last component)? */
static int found_paths;

static void
add_candidate (const char *s)
{
  strlist_add (&found, s);
}

/* Guest paths starting with text ("" is "/"). */
static void
guest_paths (const char *text)
{
  const char *slash;
  CLEANUP_FREE char *dir = NULL;
  struct dir_listing *d;
  size_t baselen, first = found.len, match = 0;

  if (*text == '\0')
    text = "/";
  if (text[0] != '/' || !ready ())
    return;
  slash = strrchr (text, '/');
  dir = strndup (text, (size_t) (slash - text) + 1);
  if (dir == NULL || (d = listing (dir)) == NULL)
    return;
  baselen = strlen (slash + 1);
  found_paths = 1;
  for (size_t i = 0; i < d->n; ++i)
    if (strncmp (d->names[i], slash + 1, baselen) == 0) {
      strlist_addf (&found, "%s%s", dir, d->names[i]);
      match = i;
    }
  /* One match: a directory gets its "/" (and no space after it). */
  if (found.len == first + 1) {
    if (d->is_dir[match] == -1) {
      struct drydock_is_dir_opts_argv o = {
        .bitmask = DRYDOCK_IS_DIR_OPTS_FOLLOWSYMLINKS_BITMASK,
        .followsymlinks = 1,
      };
      d->is_dir[match] = drydock_is_dir_opts_argv (shell.h, found.v[first], &o) == 1;
    }
    if (d->is_dir[match]) {
      char *with = NULL;

      if (asprintf (&with, "%s/", found.v[first]) != -1) {
        free (found.v[first]);
        found.v[first] = with;
        rl_completion_suppress_append = 1;
      }
    }
  }
}

/* Devices, partitions and LVs (and with mountables the filesystems'
 * names) starting with text. */
static void
guest_devices (const char *text, int mountables)
{
  size_t n = strlen (text);

  if (!ready ())
    return;
  if (devices == NULL) {
    struct strlist l = STRLIST_INIT;
    char **(*lists[]) (drydock_h *) = {
      drydock_list_devices, drydock_list_partitions, drydock_lvs,
    };

    for (size_t i = 0; i < 3; ++i) {
      CLEANUP_FREE_STRING_LIST char **v = lists[i] (shell.h);

      for (size_t j = 0; v && v[j]; ++j)
        strlist_add (&l, v[j]);
    }
    devices = strlist_take (&l);
  }
  if (mountables && filesystems == NULL) {
    CLEANUP_FREE_STRING_LIST char **fs = drydock_list_filesystems (shell.h);
    struct strlist l = STRLIST_INIT;

    for (size_t j = 0; fs && fs[j] && fs[j + 1]; j += 2)
      strlist_add (&l, fs[j]);
    filesystems = strlist_take (&l);
  }
  for (size_t i = 0; devices && devices[i]; ++i)
    if (strncmp (devices[i], text, n) == 0)
      add_candidate (devices[i]);
  for (size_t i = 0; mountables && filesystems && filesystems[i]; ++i)
    if (strncmp (filesystems[i], text, n) == 0)
      add_candidate (filesystems[i]);
}

/* Command names (with the '-' of "go on after an error" kept). */
static void
command_names (const char *text)
{
  const char *t = text;
  const char *dash = "";
  char norm[128];
  size_t n;

  if (t[0] == '-') {
    dash = "-";
    t++;
  }
  for (n = 0; t[n] && n + 1 < sizeof norm; ++n)
    norm[n] = t[n] == '_' ? '-' : t[n];
  norm[n] = '\0';
  for (const struct shell_command *c = shell_local_commands; c->name; ++c)
    if (strncmp (c->name, norm, n) == 0)
      strlist_addf (&found, "%s%s", dash, c->name);
  for (size_t i = 0; i < shell_n_commands; ++i)
    if (strncmp (shell_commands[i].name, norm, n) == 0)
      strlist_addf (&found, "%s%s", dash, shell_commands[i].name);
}

static void
words_from (const char *text, const char *const *list)
{
  size_t n = strlen (text);

  for (size_t i = 0; list[i]; ++i)
    if (strncmp (list[i], text, n) == 0)
      add_candidate (list[i]);
}

/* The optional arguments of c not given yet, as "name:" (no space after
 * it); "name:true" and "name:false" for a boolean being typed. */
static void
optarg_names (const struct shell_command *c, char **words, int nwords,
              const char *text)
{
  const char *colon = strchr (text, ':');

  for (size_t j = 0; j < c->n_optargs; ++j) {
    const char *name = c->optargs[j].name;
    size_t n = strlen (name);
    int given = 0;

    for (int i = 1; i < nwords; ++i)
      given |= shell_optarg (words[i], name) != NULL;
    if (given)
      continue;
    if (colon && (size_t) (colon - text) == n && strncmp (text, name, n) == 0) {
      if (c->optargs[j].kind == SHELL_ARG_BOOL) {
        static const char *const tf[] = { "true", "false", NULL };
        for (size_t k = 0; tf[k]; ++k)
          if (strncmp (tf[k], colon + 1, strlen (colon + 1)) == 0)
            strlist_addf (&found, "%s:%s", name, tf[k]);
      }
      continue;
    }
    if (colon == NULL && strncmp (name, text, strlen (text)) == 0)
      strlist_addf (&found, "%s:", name);
  }
  if (found.len == 1 && found.v[0][strlen (found.v[0]) - 1] == ':')
    rl_completion_suppress_append = 1;
}

/* Is text "name:..." of one of c's optional arguments? */
static int
is_optarg (const struct shell_command *c, const char *text)
{
  for (size_t j = 0; j < c->n_optargs; ++j)
    if (shell_optarg (text, c->optargs[j].name))
      return 1;
  return 0;
}

/* Host paths: readline's own filename completion. */
static char **
host_paths (const char *text)
{
  rl_filename_completion_desired = 1;
  return rl_completion_matches (text, rl_filename_completion_function);
}

/* The candidates of one argument kind. */
static int
by_kind (int kind, const char *text)
{
  static const char *const booleans[] = { "true", "false", NULL };
  static const char *const events[] = {
    "close", "progress", "appliance", "library", "trace", "warning", "*", NULL,
  };

  switch (kind) {
  case SHELL_ARG_COMMAND: command_names (text); break;
  case SHELL_ARG_PATHNAME: guest_paths (text); break;
  case SHELL_ARG_DEVICE: guest_devices (text, 0); break;
  case SHELL_ARG_MOUNTABLE: guest_devices (text, 1); break;
  case SHELL_ARG_DEV_OR_PATH:
    if (strncmp (text, "/dev/", strlen (text) < 5 ? strlen (text) : 5) == 0)
      guest_devices (text, 0);
    guest_paths (text);
    break;
  case SHELL_ARG_BOOL: words_from (text, booleans); break;
  case SHELL_ARG_EVENTS: words_from (text, events); break;
  case SHELL_ARG_FILEIN: case SHELL_ARG_FILEOUT: case SHELL_ARG_HOSTPATH:
    return 1;
  default:
    /* A string that looks like a guest path is completed as one. */
    if (text[0] == '/')
      guest_paths (text);
  }
  return 0;
}

/* The words before the one being completed (a lenient split: quotes
 * group, an unfinished one ends the line). *host is set after '!' or
 * a pipe. */
static int
split_before (const char *line, int end, struct strlist *words, int *host)
{
  const char *p = line, *stop = line + end;

  *host = 0;
  while (p < stop && (*p == ' ' || *p == '\t'))
    p++;
  if (p < stop && (*p == '!' || (*p == '<' && p + 1 < stop && p[1] == '!'))) {
    *host = 1;
    return 0;
  }
  while (p < stop) {
    const char *w;

    while (p < stop && (*p == ' ' || *p == '\t'))
      p++;
    if (p >= stop)
      break;
    if (*p == '|') {
      *host = 1;
      return 0;
    }
    w = p;
    if (*p == '"' || *p == '\'') {
      char q = *p++;

      w = p;
      while (p < stop && *p != q)
        p++;
      if (strlist_add_take (words, strndup (w, (size_t) (p - w))) == -1)
        return -1;
      if (p < stop)
        p++;
      continue;
    }
    while (p < stop && *p != ' ' && *p != '\t')
      p++;
    if (strlist_add_take (words, strndup (w, (size_t) (p - w))) == -1)
      return -1;
  }
  return 0;
}

/* The matches for the word text of the line (words before it in w). */
static char **
complete_words (char **w, int nwords, const char *text)
{
  const struct shell_command *c;
  int kind;

  if (nwords == 0) {
    command_names (text);
    return NULL;
  }
  c = shell_find_command (w[0][0] == '-' && w[0][1] ? w[0] + 1 : w[0]);
  if (c == NULL || (c->flags & SHELL_CMD_MISSING))
    return NULL;
  /* glob, time: the rest is a command line of its own. */
  if (c->flags & SHELL_CMD_PREFIX)
    return complete_words (w + 1, nwords - 1, text);
  kind = shell_arg_kind_at (c, nwords, nwords - 1);
  if (kind == -1 || is_optarg (c, text)) {
    if ((size_t) (nwords - 1) >= c->n_args)
      optarg_names (c, w, nwords, text);
    return NULL;
  }
  /* copy-in, copy-out: a later word may be either kind. */
  if ((c->flags & SHELL_CMD_REPEAT) && nwords > 2 &&
      by_kind (c->args[0].kind, text))
    return host_paths (text);
  if (by_kind (kind, text))
    return host_paths (text);
  return NULL;
}

/* Guest paths are listed as host paths are: by their last component. */
static void
display_matches (char **matches, int n, int max)
{
  char **names;
  int longest = 0;

  if (!found_paths) {
    rl_display_match_list (matches, n, max);
    rl_forced_update_display ();
    return;
  }
  names = calloc ((size_t) n + 2, sizeof *names);
  if (names == NULL)
    return;
  for (int i = 0; i <= n; ++i) {
    const char *m = matches[i];
    size_t len = strlen (m);
    const char *slash;

    /* "/a/b/" is a directory b: its name is "b/". */
    slash = len > 1 && m[len - 1] == '/' ? memrchr (m, '/', len - 1)
                                         : strrchr (m, '/');
    names[i] = (char *) (slash && slash[1] ? slash + 1 : m);
    if (i > 0 && (int) strlen (names[i]) > longest)
      longest = (int) strlen (names[i]);
  }
  rl_display_match_list (names, n, longest);
  rl_forced_update_display ();
  free (names);
}

static char *
next_found (const char *text, int state)
{
  static size_t i;

  if (state == 0)
    i = 0;
  return i < found.len ? strdup (found.v[i++]) : NULL;
}

static char **
attempt (const char *text, int start, int end)
{
  struct strlist words = STRLIST_INIT;
  char **r = NULL;
  int host;

  rl_attempted_completion_over = 1;
  rl_completion_suppress_append = 0;
  strlist_free (&found);
  found_paths = 0;
  if (split_before (rl_line_buffer, start, &words, &host) == -1)
    goto out;
  if (host) {
    r = host_paths (text);
    goto out;
  }
  r = complete_words (words.v, (int) words.len, text);
  if (r == NULL && found.len > 0) {
    int keep = rl_completion_suppress_append;

    r = rl_completion_matches (text, next_found);
    rl_completion_suppress_append = keep;
  }
 out:
  strlist_free (&words);
  strlist_free (&found);
  return r;
}

void
shell_complete_init (void)
{
  rl_attempted_completion_function = attempt;
  rl_completion_display_matches_hook = display_matches;
  rl_completer_word_break_characters = (char *) " \t\n";
  rl_completer_quote_characters = "\"'";
}

#else /* !HAVE_LIBREADLINE */

void
shell_complete_init (void)
{
}

void
shell_complete_forget (void)
{
}

#endif
