/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A reader of qemu-img info's JSON, just large enough for the keys
 * drydock needs: a small recursive-descent parser that keeps the
 * scalar members of each link object and one flag from deeper down
 * (a vmdk's create-type).  Its own file because the library and the
 * chain tool both read this output. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "imginfo.h"

struct parser {
  const char *p;
  struct imginfo_link *link;  /* the link being read, NULL outside */
  int depth;
};

#define MAX_DEPTH 64

static void
skip_ws (struct parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
    ps->p++;
}

static int
fail (void)
{
  errno = EINVAL;
  return -1;
}

/* A JSON string at ps->p into *out (malloc'd).  \u escapes outside
 * ASCII become '?': only names are read, for display. */
static int
parse_string (struct parser *ps, char **out)
{
  const char *s = ps->p + 1;
  size_t n = 0;
  char *r;

  if (*ps->p != '"')
    return fail ();
  r = malloc (strlen (s) + 1);
  if (r == NULL)
    return -1;
  for (; *s && *s != '"'; ++s) {
    if (*s != '\\') {
      r[n++] = *s;
      continue;
    }
    ++s;
    switch (*s) {
    case 'n': r[n++] = '\n'; break;
    case 't': r[n++] = '\t'; break;
    case 'r': r[n++] = '\r'; break;
    case 'b': r[n++] = '\b'; break;
    case 'f': r[n++] = '\f'; break;
    case 'u': {
      unsigned v = 0;
      for (int i = 1; i <= 4; ++i) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
              (c >= 'A' && c <= 'F'))) {
          free (r);
          return fail ();
        }
        v = v * 16 + (unsigned) (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
      }
      r[n++] = v < 0x80 ? (char) v : '?';
      s += 4;
      break;
    }
    case '\0': free (r); return fail ();
    default: r[n++] = *s; break;
    }
  }
  if (*s != '"') {
    free (r);
    return fail ();
  }
  r[n] = '\0';
  ps->p = s + 1;
  *out = r;
  return 0;
}

static int parse_value (struct parser *ps, const char *key);

/* A scalar member of the link object itself. */
static void
keep_member (struct imginfo_link *l, const char *key, char **str,
             const char *num)
{
  char **slot = NULL;

  if (num) {
    if (strcmp (key, "virtual-size") == 0)
      l->virtual_size = strtoll (num, NULL, 10);
    else if (strcmp (key, "actual-size") == 0)
      l->actual_size = strtoll (num, NULL, 10);
    return;
  }
  if (strcmp (key, "filename") == 0) slot = &l->filename;
  else if (strcmp (key, "format") == 0) slot = &l->format;
  else if (strcmp (key, "backing-filename") == 0) slot = &l->backing;
  else if (strcmp (key, "backing-filename-format") == 0)
    slot = &l->backing_format;
  if (slot && *slot == NULL) {
    *slot = *str;
    *str = NULL;
  }
}

/* A file the image names from inside its format's own data (deeper
 * than the link's members): a qcow2's external data file, a vmdk's
 * extent in another file than the descriptor (the link's filename
 * comes first in qemu's output). */
static void
keep_external (struct imginfo_link *l, const char *key, char **str)
{
  if (l->external == NULL &&
      (strcmp (key, "data-file") == 0 ||
       (strcmp (key, "filename") == 0 &&
        (l->filename == NULL || strcmp (*str, l->filename) != 0)))) {
    l->external = *str;
    *str = NULL;
  }
}

static int
parse_scalar (struct parser *ps, const char *key)
{
  char *str = NULL;
  const char *start = ps->p;

  if (*ps->p == '"') {
    if (parse_string (ps, &str) == -1)
      return -1;
    if (ps->link && key && strcmp (key, "create-type") == 0 &&
        strcmp (str, "streamOptimized") == 0)
      ps->link->stream_optimized = 1;
    if (ps->link && key && ps->depth > 1)
      keep_external (ps->link, key, &str);
    if (ps->link && key && ps->depth == 1)
      keep_member (ps->link, key, &str, NULL);
    free (str);
    return 0;
  }
  while (*ps->p && strchr ("-+.eE0123456789truefalsn", *ps->p))
    ps->p++;
  if (ps->p == start)
    return fail ();
  if (ps->link && key && ps->depth == 1 &&
      (*start == '-' || (*start >= '0' && *start <= '9')))
    keep_member (ps->link, key, NULL, start);
  return 0;
}

static int
parse_object (struct parser *ps)
{
  ps->p++;
  skip_ws (ps);
  if (*ps->p == '}') {
    ps->p++;
    return 0;
  }
  for (;;) {
    char *key = NULL;
    int r;

    skip_ws (ps);
    if (parse_string (ps, &key) == -1)
      return -1;
    skip_ws (ps);
    if (*ps->p != ':') {
      free (key);
      return fail ();
    }
    ps->p++;
    r = parse_value (ps, key);
    free (key);
    if (r == -1)
      return -1;
    skip_ws (ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p != '}')
      return fail ();
    ps->p++;
    return 0;
  }
}

static int
parse_array (struct parser *ps)
{
  ps->p++;
  skip_ws (ps);
  if (*ps->p == ']') {
    ps->p++;
    return 0;
  }
  for (;;) {
    if (parse_value (ps, NULL) == -1)
      return -1;
    skip_ws (ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p != ']')
      return fail ();
    ps->p++;
    return 0;
  }
}

static int
parse_value (struct parser *ps, const char *key)
{
  int r;

  skip_ws (ps);
  if (*ps->p != '{' && *ps->p != '[')
    return parse_scalar (ps, key);
  if (++ps->depth > MAX_DEPTH)
    return fail ();
  r = *ps->p == '{' ? parse_object (ps) : parse_array (ps);
  ps->depth--;
  return r;
}

static int
parse_link (struct parser *ps, struct imginfo *info)
{
  struct imginfo_link *v;

  skip_ws (ps);
  if (*ps->p != '{')
    return fail ();
  v = realloc (info->links, (info->n + 1) * sizeof *v);
  if (v == NULL)
    return -1;
  info->links = v;
  ps->link = &v[info->n++];
  *ps->link = (struct imginfo_link) { .actual_size = -1 };
  ps->depth = 1;
  if (parse_object (ps) == -1)
    return -1;
  ps->depth = 0;
  ps->link = NULL;
  if (info->links[info->n - 1].format == NULL)
    return fail ();
  return 0;
}

int
imginfo_parse (const char *json, struct imginfo *info)
{
  struct parser ps = { .p = json };

  *info = (struct imginfo) { 0 };
  skip_ws (&ps);
  if (*ps.p == '{') {
    if (parse_link (&ps, info) == -1)
      goto fail;
  }
  else if (*ps.p == '[') {
    ps.p++;
    for (;;) {
      if (parse_link (&ps, info) == -1)
        goto fail;
      skip_ws (&ps);
      if (*ps.p == ',') {
        ps.p++;
        continue;
      }
      if (*ps.p != ']')
        goto fail_inval;
      ps.p++;
      break;
    }
  }
  else
    goto fail_inval;
  skip_ws (&ps);
  if (*ps.p == '\0' && info->n > 0)
    return 0;
 fail_inval:
  errno = EINVAL;
 fail:
  {
    int e = errno;
    imginfo_free (info);
    errno = e;
  }
  return -1;
}

void
imginfo_free (struct imginfo *info)
{
  for (size_t i = 0; i < info->n; ++i) {
    free (info->links[i].filename);
    free (info->links[i].format);
    free (info->links[i].backing);
    free (info->links[i].backing_format);
    free (info->links[i].external);
  }
  free (info->links);
  *info = (struct imginfo) { 0 };
}
