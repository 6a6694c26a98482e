/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one non-inline part of vector.h: how much a vector grows.  Kept
 * out of the macro so that the overflow checks exist once and are unit
 * tested (test-vector.c), whatever the element type. */

#include <config.h>

#include <errno.h>

#include "vector.h"

/* Fewest elements allocated at once: small vectors do not realloc at
 * every append. */
#define MIN_CAPACITY 8

int
vector_new_capacity (size_t len, size_t cap, size_t n, size_t itemsize,
                     size_t *new_cap, size_t *bytes)
{
  size_t need, grown;

  if (__builtin_add_overflow (len, n, &need))
    goto overflow;
  if (need <= cap) {
    *new_cap = cap;
    if (__builtin_mul_overflow (cap, itemsize, bytes))
      goto overflow;
    return 0;
  }
  /* Half as much again, but never less than needed; near the top of
   * size_t, exactly what is needed. */
  if (__builtin_add_overflow (cap, cap / 2, &grown) || grown < need)
    grown = need;
  if (grown < MIN_CAPACITY)
    grown = MIN_CAPACITY;
  if (__builtin_mul_overflow (grown, itemsize, bytes)) {
    grown = need;
    if (__builtin_mul_overflow (grown, itemsize, bytes))
      goto overflow;
  }
  *new_cap = grown;
  return 0;

 overflow:
  errno = ENOMEM;
  return -1;
}
