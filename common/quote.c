/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Escaping names for display (quote.h).  Its own file because the
 * daemon (ll) and the shell (ls, find on a terminal) both show guest
 * names to people. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 if the
 * byte there does not start one (overlong forms and surrogates are
 * not valid). */
static size_t
utf8_len (const unsigned char *p)
{
  size_t n;
  unsigned cp;

  if (p[0] < 0x80)
    return 1;
  if (p[0] >= 0xc2 && p[0] <= 0xdf) { n = 2; cp = p[0] & 0x1f; }
  else if (p[0] >= 0xe0 && p[0] <= 0xef) { n = 3; cp = p[0] & 0x0f; }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4) { n = 4; cp = p[0] & 0x07; }
  else
    return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
    return 0;
  return n;
}

static const char *
c_escape (unsigned char c)
{
  switch (c) {
  case '\a': return "\\a";
  case '\b': return "\\b";
  case '\t': return "\\t";
  case '\n': return "\\n";
  case '\v': return "\\v";
  case '\f': return "\\f";
  case '\r': return "\\r";
  case '\\': return "\\\\";
  default: return NULL;
  }
}

int
name_needs_quoting (const char *name)
{
  const unsigned char *p = (const unsigned char *) name;

  while (*p) {
    size_t n = utf8_len (p);

    if (n == 0 || *p < 0x20 || *p == 0x7f || *p == '\\')
      return 1;
    p += n;
  }
  return 0;
}

char *
quote_name (const char *name)
{
  const unsigned char *p = (const unsigned char *) name;
  /* At worst every byte becomes four. */
  char *r = malloc (strlen (name) * 4 + 1), *o = r;

  if (r == NULL)
    return NULL;
  while (*p) {
    size_t n = utf8_len (p);
    const char *e;

    if (n > 1 || (n == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\')) {
      memcpy (o, p, n);
      o += n;
      p += n;
      continue;
    }
    e = c_escape (*p);
    if (e) {
      memcpy (o, e, 2);
      o += 2;
    }
    else {
      *o++ = '\\';
      *o++ = (char) ('0' + (*p >> 6));
      *o++ = (char) ('0' + ((*p >> 3) & 7));
      *o++ = (char) ('0' + (*p & 7));
    }
    p++;
  }
  *o = '\0';
  return r;
}
