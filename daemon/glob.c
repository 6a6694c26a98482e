/* SPDX-License-Identifier: GPL-2.0-or-later */
/* glob_expand: wildcard patterns matched against the guest tree.
 *
 * glob(3) on "/sysroot" + pattern would resolve every directory on the
 * way as an appliance path, so a guest symlink (absolute, or climbing
 * with "..") could take it out of the guest.  Here the pattern is cut
 * into components and matched one directory at a time: each directory
 * is opened inside the guest with openat2(RESOLVE_IN_ROOT) and its
 * names matched with fnmatch(3).  The rules are glob(3)'s with
 * GLOB_BRACE and, by default, GLOB_MARK, as libguestfs calls it:
 * braces expanded first, each alternative's matches sorted, "." and
 * ".." matched by ".*", unreadable directories skipped. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The result must fit in one reply. */
#define GLOB_LIST_MAX (3584 * 1024)

/* Brace expansion is exponential in the number of brace groups. */
#define GLOB_MAX_PATTERNS 4096

struct glob {
  int root;                     /* /sysroot */
  int mark;                     /* GLOB_MARK: a "/" after directories */
  struct strlist paths;
  size_t bytes;
};

/* One component of a pattern, and what separates it from the previous
 * one ("/", or "//" as written). */
struct component {
  char *sep;
  char *pat;
};

/* Skips an escaped character: the next character of p after *p. */
static const char *
next_char (const char *p)
{
  return (p[0] == '\\' && p[1] != '\0') ? p + 2 : p + 1;
}

/* The closing brace matching the one at open, or NULL. */
static const char *
closing_brace (const char *open)
{
  int depth = 0;

  for (const char *p = open; *p; p = next_char (p)) {
    if (*p == '{')
      depth++;
    else if (*p == '}' && --depth == 0)
      return p;
  }
  return NULL;
}

/* Adds the brace-free patterns that pattern expands to, in order.  A
 * "{" without its "}" is an ordinary character, as in glibc.  0, or -1
 * with errno (E2BIG: too many). */
static int
expand_braces (const char *pattern, struct strlist *out)
{
  const char *open = NULL, *close = NULL, *p;

  for (p = pattern; *p; p = next_char (p)) {
    if (*p == '{' && (close = closing_brace (p)) != NULL) {
      open = p;
      break;
    }
  }
  if (open == NULL) {
    if (out->len >= GLOB_MAX_PATTERNS) {
      errno = E2BIG;
      return -1;
    }
    return strlist_add (out, pattern);
  }
  /* Each alternative: the text between open and close, cut at the
   * commas of this level. */
  for (const char *alt = open + 1; alt <= close; ) {
    const char *end = alt;
    int depth = 0;
    CLEANUP_FREE char *sub = NULL;

    while (end < close && (*end != ',' || depth > 0)) {
      if (*end == '{')
        depth++;
      else if (*end == '}')
        depth--;
      end = next_char (end);
    }
    if (asprintf (&sub, "%.*s%.*s%s", (int) (open - pattern), pattern,
                  (int) (end - alt), alt, close + 1) == -1)
      return -1;
    if (expand_braces (sub, out) == -1)
      return -1;
    alt = end + 1;
  }
  return 0;
}

/* Whether a component has wildcards, as glob(3) decides: "*", "?", or
 * a "[" with a "]" after it, none of them escaped. */
static int
has_wildcards (const char *pat)
{
  int open = 0;

  for (const char *p = pat; *p; p = next_char (p)) {
    if (*p == '\\')
      continue;
    if (*p == '*' || *p == '?' || (*p == ']' && open))
      return 1;
    if (*p == '[')
      open = 1;
  }
  return 0;
}

/* A component without wildcards, its backslashes removed. */
static void
unescape (char *s)
{
  char *w = s;

  for (const char *p = s; *p; p = next_char (p))
    *w++ = (p[0] == '\\' && p[1] != '\0') ? p[1] : p[0];
  *w = '\0';
}

static int
is_directory (struct glob *g, const char *path)
{
  CLEANUP_CLOSE int fd = openat2_in_root (g->root, *path ? path : "/",
                                          O_PATH, 0);
  struct stat st;

  return fd >= 0 && fstat (fd, &st) == 0 && S_ISDIR (st.st_mode);
}

/* Adds a match.  slash: the pattern's own trailing "/".  0, or -1 with
 * errno. */
static int
add_match (struct glob *g, const char *path, const char *slash)
{
  char *s;

  if (*slash == '\0' && g->mark && is_directory (g, path))
    slash = "/";
  if (asprintf (&s, "%s%s", *path ? path : "/", *path ? slash : "") == -1)
    return -1;
  g->bytes += strlen (s) + 4;
  if (g->bytes > GLOB_LIST_MAX) {
    free (s);
    errno = EMSGSIZE;
    return -1;
  }
  return strlist_add_take (&g->paths, s);
}

/* The names in the guest directory path, "." and ".." included as
 * readdir gives them.  NULL with errno; caller frees. */
static char **
guest_dir_names (struct glob *g, const char *path)
{
  return dir_names (openat2_in_root (g->root, *path ? path : "/",
                                     O_RDONLY | O_DIRECTORY, 0), 1);
}

/* Matches components c[i..n-1] below the guest directory prefix ("" for
 * the root).  slash is the pattern's trailing "/" ("" if none): the
 * last component then matches directories only.  0, or -1 with errno
 * on a failure that is not just "no match". */
static int
match_from (struct glob *g, const char *prefix, struct component *c,
            size_t i, size_t n, const char *slash)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  int last = i + 1 == n;

  if (!has_wildcards (c[i].pat)) {
    CLEANUP_FREE char *path = NULL;
    CLEANUP_CLOSE int fd = -1;

    if (asprintf (&path, "%s%s%s", prefix, c[i].sep, c[i].pat) == -1)
      return -1;
    if (!last)
      return match_from (g, path, c, i + 1, n, slash);
    /* As glob(3): a name that exists, a dangling symlink too. */
    fd = openat2_in_root (g->root, path, O_PATH | O_NOFOLLOW, 0);
    if (fd == -1 || (*slash && !is_directory (g, path)))
      return 0;
    return add_match (g, path, slash);
  }
  names = guest_dir_names (g, prefix);
  if (names == NULL)
    return errno == ENOMEM ? -1 : 0;
  for (size_t k = 0; names[k]; ++k) {
    CLEANUP_FREE char *path = NULL;

    if (fnmatch (c[i].pat, names[k], FNM_PERIOD) != 0)
      continue;
    if (asprintf (&path, "%s%s%s", prefix, c[i].sep, names[k]) == -1)
      return -1;
    if (!last) {
      if (match_from (g, path, c, i + 1, n, slash) == -1)
        return -1;
    }
    else if (!*slash || is_directory (g, path)) {
      if (add_match (g, path, slash) == -1)
        return -1;
    }
  }
  return 0;
}

/* Cuts pattern (absolute, brace-free) into components; *slash is set to
 * its trailing separator.  The number of components, or -1 with errno.
 * The strings point into pattern, which is changed. */
static ssize_t
split_pattern (char *pattern, struct component **cv, char **slash)
{
  size_t n = 0, len = strlen (pattern);
  char *p = pattern;
  struct component *c = calloc (len / 2 + 2, sizeof *c);

  *cv = c;
  if (c == NULL)
    return -1;
  /* The trailing slashes, moved to their own string. */
  while (len > 0 && pattern[len - 1] == '/')
    len--;
  *slash = strdup (pattern + len);
  if (*slash == NULL)
    return -1;
  pattern[len] = '\0';
  while (*p) {
    size_t s = strspn (p, "/");

    /* The separator is copied with all its slashes before its first
     * one becomes the NUL that ends the previous name. */
    c[n].sep = strndup (p, s);
    if (c[n].sep == NULL)
      return -1;
    if (n > 0)
      *p = '\0';
    p += s;
    c[n].pat = p;
    p += strcspn (p, "/");
    n++;
  }
  return (ssize_t) n;
}

/* Matches one brace-free pattern; its matches sorted. */
static int
glob_one (struct glob *g, const char *pattern)
{
  CLEANUP_FREE char *copy = strdup (pattern), *slash = NULL;
  struct component *c = NULL;
  size_t start = g->paths.len;
  ssize_t n;
  int r = 0;

  if (copy == NULL)
    return -1;
  n = split_pattern (copy, &c, &slash);
  if (n == 0) {
    /* "/" itself. */
    r = strlist_add (&g->paths, "/");
  }
  else if (n > 0) {
    for (ssize_t i = 0; i < n; ++i)
      if (!has_wildcards (c[i].pat))
        unescape (c[i].pat);
    r = match_from (g, "", c, 0, (size_t) n, slash);
  }
  else
    r = -1;
  /* calloc'd with room for one more than the most components. */
  for (size_t i = 0; c && c[i].sep; ++i)
    free (c[i].sep);
  free (c);
  if (r == 0 && g->paths.len > start)
    sort_strings (g->paths.v + start);
  return r;
}

char **
do_glob_expand (const char *pattern, uint64_t optmask, int directoryslash)
{
  CLEANUP_FREE_STRING_LIST char **patterns = NULL;
  struct strlist alts = STRLIST_INIT;
  struct glob g = { .root = -1, .paths = STRLIST_INIT };
  char **r = NULL;

  g.mark = (optmask & OPT_GLOB_EXPAND_DIRECTORYSLASH) ? directoryslash : 1;
  if (expand_braces (pattern, &alts) == -1) {
    strlist_free (&alts);
    if (errno == E2BIG)
      reply_with_error_errno (E2BIG, "%s: more than %d patterns after "
                              "brace expansion", pattern, GLOB_MAX_PATTERNS);
    else
      reply_with_perror ("%s", pattern);
    return NULL;
  }
  patterns = strlist_take (&alts);
  g.root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (patterns == NULL || g.root == -1)
    goto fail;
  for (size_t i = 0; patterns[i]; ++i)
    if (glob_one (&g, patterns[i]) == -1)
      goto fail;
  close (g.root);
  r = strlist_take (&g.paths);
  if (r == NULL)
    reply_with_perror ("%s", pattern);
  return r;

 fail: {
    int saved = errno;

    if (g.root >= 0)
      close (g.root);
    strlist_free (&g.paths);
    if (saved == EMSGSIZE)
      reply_with_error_errno (EMSGSIZE, "%s: too many matches for one reply "
                              "(limit %d bytes)", pattern, GLOB_LIST_MAX);
    else {
      errno = saved;
      reply_with_perror ("%s", pattern);
    }
    return NULL;
  }
}
