/* Unit test of the string list helpers. */

#include <config.h>

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "strlist.h"

int
main (void)
{
  struct strlist l = STRLIST_INIT;
  char **v;

  assert (strlist_add (&l, "b") == 0);
  assert (strlist_addf (&l, "%s%d", "a", 1) == 0);
  v = strlist_take (&l);
  assert (count_strings (v) == 2);
  sort_strings (v);
  assert (strcmp (v[0], "a1") == 0 && strcmp (v[1], "b") == 0);
  free_string_list (v);

  v = split_lines ("one\r\ntwo\n\nthree\n");
  assert (count_strings (v) == 4);
  assert (strcmp (v[0], "one") == 0 && strcmp (v[2], "") == 0 &&
          strcmp (v[3], "three") == 0);
  free_string_list (v);

  v = strlist_take (&l);
  assert (v && v[0] == NULL);
  free_string_list (v);
  printf ("test-strlist: ok\n");
  return 0;
}
