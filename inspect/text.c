/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Valid text out of guest strings.  Package descriptions, host names
 * and Windows registry values come from the guest in whatever encoding
 * it used (or from a hostile guest in none): both output formats need
 * UTF-8, and XML 1.0 further refuses most control characters.  Bad
 * bytes become U+FFFD, so the document stays valid and shows where the
 * guest's text was broken. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

static const char replacement[] = "\xef\xbf\xbd";  /* U+FFFD */

/* Length of the well-formed UTF-8 sequence at s (1 to 4) and its code
 * point in *cp, or 0 when s does not start one (overlong forms,
 * surrogates and code points past U+10FFFF are not well-formed). */
static size_t
utf8_decode (const unsigned char *s, uint32_t *cp)
{
  uint32_t c = s[0], min;
  size_t n;

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, c &= 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, c &= 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, c &= 0x07, min = 0x10000;
  else
    return 0;
  /* The NUL ending s is not a continuation byte: no read past it. */
  for (size_t i = 1; i < n; ++i) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return n;
}

/* Copies s, replacing what is not UTF-8, and with xml set what XML 1.0
 * cannot hold. */
static char *
clean (const char *s, int xml)
{
  const unsigned char *p = (const unsigned char *) (s ? s : "");
  size_t len = strlen ((const char *) p);
  /* Each bad byte grows to 3 bytes at most. */
  char *out = malloc (len * 3 + 1), *q = out;

  if (out == NULL)
    return NULL;
  while (*p) {
    uint32_t cp;
    size_t n = utf8_decode (p, &cp);
    int bad = n == 0 ||
      (xml && ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
               cp == 0xfffe || cp == 0xffff));

    if (bad) {
      memcpy (q, replacement, 3);
      q += 3;
      p += n ? n : 1;
    }
    else {
      memcpy (q, p, n);
      q += n;
      p += n;
    }
  }
  *q = '\0';
  return out;
}

char *
inspect_text_utf8 (const char *s)
{
  return clean (s, 0);
}

char *
inspect_text_xml (const char *s)
{
  return clean (s, 1);
}

int
inspect_text_fix (char **s)
{
  const unsigned char *p = (const unsigned char *) (*s ? *s : "");
  char *fixed;
  uint32_t cp;
  size_t n;

  if (*s) {
    while (*p && (n = utf8_decode (p, &cp)) > 0)
      p += n;
    if (*p == '\0')
      return 0;
  }
  fixed = inspect_text_utf8 (*s);
  if (fixed == NULL)
    return -1;
  free (*s);
  *s = fixed;
  return 0;
}
