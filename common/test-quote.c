/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit test of quote_name.  Every call is made outside assert () and
 * its result checked after. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"

static void
check (const char *in, const char *want)
{
  char *got = quote_name (in);
  int needs = name_needs_quoting (in);

  assert (got != NULL);
  if (strcmp (got, want) != 0) {
    fprintf (stderr, "quote_name: got '%s', want '%s'\n", got, want);
    abort ();
  }
  assert (needs == (strcmp (in, want) != 0));
  free (got);
}

int
main (void)
{
  check ("plain name.txt", "plain name.txt");
  check ("new\nline", "new\\nline");
  check ("esc\033[31mred", "esc\\033[31mred");
  check ("tab\there", "tab\\there");
  check ("back\\slash", "back\\\\slash");
  check ("bad\xff\xfeutf8", "bad\\377\\376utf8");
  check ("caf\xc3\xa9", "caf\xc3\xa9");                 /* valid UTF-8 */
  check ("\xe2\x82\xac euro", "\xe2\x82\xac euro");
  check ("overlong\xc0\xaf", "overlong\\300\\257");
  check ("surrogate\xed\xa0\x80", "surrogate\\355\\240\\200");
  check ("cut\xe2\x82", "cut\\342\\202");
  check ("del\x7f", "del\\177");
  check ("", "");
  return 0;
}
