/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit test of vector.h: growth, insertion, removal, sort and search on
 * a vector of ints and one of strings, and the overflow checks of
 * vector_new_capacity.  Every call is made outside assert () and its
 * result checked after. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vector.h"

DEFINE_VECTOR_TYPE (int_vector, int);
DEFINE_VECTOR_TYPE (string_vector, char *);

static int
compare_ints (const int *a, const int *b)
{
  return *a < *b ? -1 : *a > *b;
}

static int
compare_key (const void *key, const int *elem)
{
  return compare_ints (key, elem);
}

static int sum;

static void
add_to_sum (int x)
{
  sum += x;
}

static void
free_string (char *s)
{
  free (s);
}

static void
test_ints (void)
{
  int_vector v = EMPTY_VECTOR;
  const int key = 500, absent = -7;
  int *found;
  int r;

  for (int i = 0; i < 1000; ++i) {
    r = int_vector_append (&v, 999 - i);
    assert (r == 0);
  }
  assert (v.len == 1000 && v.cap >= 1000);
  assert (v.ptr[0] == 999 && v.ptr[999] == 0);

  int_vector_sort (&v, compare_ints);
  for (int i = 0; i < 1000; ++i)
    assert (v.ptr[i] == i);
  found = int_vector_search (&v, &key, compare_key);
  assert (found == &v.ptr[500]);
  found = int_vector_search (&v, &absent, compare_key);
  assert (found == NULL);

  r = int_vector_insert (&v, -1, 0);
  assert (r == 0 && v.len == 1001 && v.ptr[0] == -1 && v.ptr[1] == 0);
  r = int_vector_insert (&v, 1000, v.len);
  assert (r == 0 && v.len == 1002 && v.ptr[1001] == 1000);
  r = int_vector_insert (&v, 42, 500);
  assert (r == 0 && v.ptr[500] == 42 && v.ptr[499] == 498 &&
          v.ptr[501] == 499);
  int_vector_remove (&v, 500);
  int_vector_remove (&v, 0);
  int_vector_remove (&v, v.len - 1);
  assert (v.len == 1000);
  for (int i = 0; i < 1000; ++i)
    assert (v.ptr[i] == i);

  sum = 0;
  int_vector_iter (&v, add_to_sum);
  assert (sum == 999 * 1000 / 2);

  int_vector_reset (&v);
  assert (v.ptr == NULL && v.len == 0 && v.cap == 0);
  found = int_vector_search (&v, &key, compare_key);
  assert (found == NULL);
}

/* Reserving makes room without changing the length; a size that cannot
 * be allocated fails with ENOMEM and leaves the vector as it was. */
static void
test_reserve (void)
{
  int_vector v = EMPTY_VECTOR;
  int *before;
  size_t cap;
  int r;

  r = int_vector_reserve (&v, 100);
  assert (r == 0 && v.len == 0 && v.cap >= 100 && v.ptr != NULL);
  before = v.ptr;
  cap = v.cap;
  for (int i = 0; i < 100; ++i) {
    r = int_vector_append (&v, i);
    assert (r == 0);
  }
  assert (v.ptr == before && v.cap == cap);

  errno = 0;
  r = int_vector_reserve (&v, SIZE_MAX);
  assert (r == -1 && errno == ENOMEM);
  errno = 0;
  r = int_vector_reserve (&v, SIZE_MAX / sizeof (int));
  assert (r == -1 && errno == ENOMEM);
  assert (v.ptr == before && v.cap == cap && v.len == 100 &&
          v.ptr[99] == 99);
  int_vector_reset (&v);
}

static void
test_strings (void)
{
  string_vector v = EMPTY_VECTOR;
  int r;

  for (int i = 0; i < 20; ++i) {
    char *s = NULL;

    r = asprintf (&s, "s%d", i);
    assert (r > 0);
    r = string_vector_append (&v, s);
    assert (r == 0);
  }
  assert (v.len == 20 && strcmp (v.ptr[19], "s19") == 0);
  string_vector_iter (&v, free_string);
  string_vector_reset (&v);
  assert (v.ptr == NULL);
}

static void
test_new_capacity (void)
{
  size_t cap, bytes;
  int r;

  /* Fits: unchanged. */
  r = vector_new_capacity (10, 16, 6, 4, &cap, &bytes);
  assert (r == 0 && cap == 16 && bytes == 64);
  /* Small vectors start at 8 elements. */
  r = vector_new_capacity (0, 0, 1, 4, &cap, &bytes);
  assert (r == 0 && cap == 8 && bytes == 32);
  /* Half as much again. */
  r = vector_new_capacity (16, 16, 1, 4, &cap, &bytes);
  assert (r == 0 && cap == 24 && bytes == 96);
  /* More than half as much again is asked for: exactly that. */
  r = vector_new_capacity (16, 16, 100, 1, &cap, &bytes);
  assert (r == 0 && cap == 116 && bytes == 116);
  /* Near the top of size_t the growth is cut to what is needed. */
  r = vector_new_capacity (SIZE_MAX - 10, SIZE_MAX - 10, 5, 1, &cap, &bytes);
  assert (r == 0 && cap == SIZE_MAX - 5 && bytes == SIZE_MAX - 5);
  /* len + n overflows. */
  errno = 0;
  r = vector_new_capacity (SIZE_MAX, SIZE_MAX, 1, 1, &cap, &bytes);
  assert (r == -1 && errno == ENOMEM);
  /* The byte size overflows, even without growth. */
  errno = 0;
  r = vector_new_capacity (0, 0, SIZE_MAX / 2 + 1, 2, &cap, &bytes);
  assert (r == -1 && errno == ENOMEM);
  /* The grown size would overflow, the needed one does not. */
  r = vector_new_capacity (SIZE_MAX / 4, SIZE_MAX / 4, 1, 3, &cap, &bytes);
  assert (r == 0 && cap == SIZE_MAX / 4 + 1 && bytes == cap * 3);
}

int
main (void)
{
  test_ints ();
  test_reserve ();
  test_strings ();
  test_new_capacity ();
  printf ("test-vector: ok\n");
  return 0;
}
