/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* String lists: the shape in which most action results travel. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "vector.h"

void
free_string_list (char **l)
{
  if (l == NULL)
    return;
  for (size_t i = 0; l[i]; ++i)
    free (l[i]);
  free (l);
}

size_t
count_strings (char *const *l)
{
  size_t n = 0;

  while (l && l[n])
    n++;
  return n;
}

static int
compare (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
sort_strings (char **l)
{
  qsort (l, count_strings (l), sizeof (char *), compare);
}

int
strlist_add_take (struct strlist *l, char *s)
{
  size_t cap, bytes;

  if (s == NULL)
    return -1;
  /* Room for s and the NULL after it; vector.h's checked growth. */
  if (vector_new_capacity (l->len, l->cap, 2, sizeof (char *), &cap,
                           &bytes) == -1)
    goto fail;
  if (cap != l->cap) {
    char **v = realloc (l->v, bytes);

    if (v == NULL)
      goto fail;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->len++] = s;
  l->v[l->len] = NULL;
  return 0;

 fail:
  free (s);
  return -1;
}

int
strlist_add (struct strlist *l, const char *s)
{
  return strlist_add_take (l, strdup (s));
}

int
strlist_addf (struct strlist *l, const char *fs, ...)
{
  va_list args;
  char *s;
  int r;

  va_start (args, fs);
  r = vasprintf (&s, fs, args);
  va_end (args);
  if (r == -1)
    return -1;
  return strlist_add_take (l, s);
}

char **
strlist_take (struct strlist *l)
{
  char **v;

  if (l->v == NULL)
    return calloc (1, sizeof (char *));
  v = l->v;
  l->v = NULL;
  l->len = l->cap = 0;
  return v;
}

void
strlist_free (struct strlist *l)
{
  free_string_list (l->v);
  l->v = NULL;
  l->len = l->cap = 0;
}

char **
split_lines (const char *s)
{
  struct strlist l = STRLIST_INIT;

  while (*s) {
    const char *nl = strchr (s, '\n');
    size_t n = nl ? (size_t) (nl - s) : strlen (s);
    size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;

    if (strlist_add_take (&l, strndup (s, k)) == -1) {
      strlist_free (&l);
      return NULL;
    }
    s += n;
    if (*s == '\n')
      s++;
  }
  return strlist_take (&l);
}
