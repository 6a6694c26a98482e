/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit test of the string list helpers.  Every call is made outside
 * assert () and its result checked after. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "strlist.h"

int
main (void)
{
  struct strlist l = STRLIST_INIT;
  char **v;
  size_t n;
  int r;

  r = strlist_add (&l, "b");
  assert (r == 0);
  r = strlist_addf (&l, "%s%d", "a", 1);
  assert (r == 0);
  v = strlist_take (&l);
  n = count_strings (v);
  assert (n == 2);
  sort_strings (v);
  assert (strcmp (v[0], "a1") == 0 && strcmp (v[1], "b") == 0);
  free_string_list (v);

  /* Past the first allocation, always NULL-terminated. */
  for (int i = 0; i < 100; ++i) {
    r = strlist_addf (&l, "%d", i);
    assert (r == 0 && l.len == (size_t) i + 1 && l.v[l.len] == NULL);
  }
  strlist_free (&l);
  assert (l.v == NULL && l.len == 0);

  v = split_lines ("one\r\ntwo\n\nthree\n");
  n = count_strings (v);
  assert (n == 4);
  assert (strcmp (v[0], "one") == 0 && strcmp (v[2], "") == 0 &&
          strcmp (v[3], "three") == 0);
  free_string_list (v);

  v = strlist_take (&l);
  assert (v && v[0] == NULL);
  free_string_list (v);
  printf ("test-strlist: ok\n");
  return 0;
}
