/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The little JSON reader of ldm.c, for ldmtool's answers: an array of
 * strings (scan) or an object of strings and arrays of strings (show).
 * Pure, so it is tested on the host (test-ldm-json.c); the names in
 * ldmtool's answers come from the disks' LDM metadata, so from the
 * guest. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "ldm-json.h"

static const char *
skip_ws (const char *p)
{
  while (isspace ((unsigned char) *p))
    p++;
  return p;
}

/* The value of the four hexadecimal digits at p, or -1. */
static int
hex4 (const char *p)
{
  int u = 0;

  for (int i = 0; i < 4; ++i) {
    int c = (unsigned char) p[i];

    if (!isxdigit (c))
      return -1;
    u = u * 16 + (isdigit (c) ? c - '0' : tolower (c) - 'a' + 10);
  }
  return u;
}

const char *
ldm_json_string (const char *p, char **s)
{
  struct { char *buf; size_t len, cap; } b = { NULL, 0, 0 };

  if (*p != '"')
    goto bad;
  for (p++; *p != '"'; p++) {
    char c = *p;

    if (c == '\0')
      goto bad;
    if (c == '\\') {
      int u;

      switch (*++p) {
      case 'n': c = '\n'; break;
      case 't': c = '\t'; break;
      case 'r': c = '\r'; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case '"': case '\\': case '/': c = *p; break;
      case 'u':
        u = hex4 (p + 1);
        if (u == -1)
          goto bad;
        c = u > 0 && u < 0x80 ? (char) u : '?';
        p += 4;
        break;
      default: goto bad;
      }
    }
    if (s == NULL)
      continue;
    if (b.len + 2 > b.cap) {
      char *n = realloc (b.buf, b.cap = b.cap * 2 + 32);

      if (n == NULL)
        goto nomem;
      b.buf = n;
    }
    b.buf[b.len++] = c;
  }
  if (s) {
    if (b.buf == NULL && (b.buf = malloc (1)) == NULL)
      goto nomem;
    b.buf[b.len] = '\0';
    *s = b.buf;
  }
  return p + 1;

 bad:
  errno = EINVAL;
 nomem:
  free (b.buf);
  return NULL;
}

/* Skips any value: the position of the ',', '}' or ']' after it, or
 * NULL. */
static const char *
skip_value (const char *p)
{
  int depth = 0;

  for (;;) {
    if (*p == '\0')
      return NULL;
    if (depth == 0 && (*p == ',' || *p == '}' || *p == ']'))
      return p;
    if (*p == '"') {
      p = ldm_json_string (p, NULL);
      if (p == NULL)
        return NULL;
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if (*p == '}' || *p == ']')
      depth--;
    p++;
  }
}

const char *
ldm_json_string_array (const char *p, struct strlist *l)
{
  p = skip_ws (p);
  if (*p != '[')
    goto bad;
  p = skip_ws (p + 1);
  if (*p == ']')
    return p + 1;
  for (;;) {
    char *s;

    p = ldm_json_string (skip_ws (p), &s);
    if (p == NULL)
      return NULL;
    if (strlist_add_take (l, s) == -1)
      return NULL;              /* ENOMEM */
    p = skip_ws (p);
    if (*p == ']')
      return p + 1;
    if (*p != ',')
      goto bad;
    p++;
  }

 bad:
  errno = EINVAL;
  return NULL;
}

const char *
ldm_json_find_key (const char *json, const char *key)
{
  const char *p = skip_ws (json);

  if (*p != '{')
    goto bad;
  p = skip_ws (p + 1);
  if (*p == '}') {
    errno = ENOENT;
    return NULL;
  }
  for (;;) {
    CLEANUP_FREE char *k = NULL;

    p = ldm_json_string (skip_ws (p), &k);
    if (p == NULL)
      return NULL;
    p = skip_ws (p);
    if (*p != ':')
      goto bad;
    p = skip_ws (p + 1);
    if (strcmp (k, key) == 0)
      return p;
    p = skip_value (p);
    if (p == NULL)
      goto bad;
    if (*p == '}') {
      errno = ENOENT;
      return NULL;
    }
    if (*p != ',')
      goto bad;
    p++;
  }

 bad:
  errno = EINVAL;
  return NULL;
}
