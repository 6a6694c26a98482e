/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed growable arrays: one definition of "a pointer, a length and a
 * capacity" for the whole tree, instead of a realloc loop per file.
 *
 * Convention: functions returning int give 0, or -1 with errno ENOMEM
 * (out of memory, or a size that would overflow size_t).  The vector
 * is left unchanged on failure.
 *
 * A short tutorial.  Declare a vector type once, at file scope:
 *
 *   DEFINE_VECTOR_TYPE (int_vector, int);
 *
 * This defines "struct int_vector" (also typedef'd as int_vector) with
 * the fields ptr (the elements), len (how many are in use) and cap (how
 * many fit before the next allocation), and static inline functions
 * named after it.  A vector starts empty, without any allocation:
 *
 *   int_vector v = EMPTY_VECTOR;
 *
 *   if (int_vector_append (&v, 42) == -1)
 *     return -1;                          (errno is ENOMEM)
 *   for (size_t i = 0; i < v.len; ++i)
 *     printf ("%d\n", v.ptr[i]);
 *   int_vector_reset (&v);                (frees the array)
 *
 * The vector owns its array, not what the elements point to: free a
 * vector of strings element by element (a loop, or _iter with a
 * function of one element), then reset it.  Elements move when the
 * vector grows, so keep indexes, not pointers into ptr, across an
 * append.  ptr is an ordinary malloc'd array: it may be handed on to
 * the caller (then forget it: v = (int_vector) EMPTY_VECTOR).
 * Indexes given to _insert and _remove must be in range.
 *
 *   _reserve (v, n)       room for n more elements without allocating
 *   _append (v, elem)     adds elem at the end
 *   _insert (v, elem, i)  adds elem before index i (i <= len)
 *   _remove (v, i)        drops element i, keeping the order
 *   _reset (v)            frees the array, the vector is empty again
 *   _iter (v, f)          calls f on each element, in order
 *   _sort (v, cmp)        qsort with a typed comparison function
 *   _search (v, key, cmp) bsearch in a sorted vector; NULL if absent
 */

#ifndef DRYDOCK_VECTOR_H
#define DRYDOCK_VECTOR_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY_VECTOR { .ptr = NULL, .len = 0, .cap = 0 }

/* The arithmetic of growth, shared by every vector type: the capacity
 * that fits len + n elements of itemsize bytes (at least 1.5 times the
 * old one, so appends cost amortised O(1)), and its size in bytes.
 * Sets *new_cap = cap when the elements already fit.  0, or -1 with
 * errno ENOMEM if len + n or the byte size overflows size_t. */
extern int vector_new_capacity (size_t len, size_t cap, size_t n,
                                size_t itemsize, size_t *new_cap,
                                size_t *bytes);

#define DEFINE_VECTOR_TYPE(name, type)                                  \
  struct name {                                                         \
    type *ptr;                                                          \
    size_t len;                                                         \
    size_t cap;                                                         \
  };                                                                    \
  typedef struct name name;                                             \
                                                                        \
  static inline __attribute__((unused)) int                             \
  name##_reserve (name *v, size_t n)                                    \
  {                                                                     \
    size_t cap, bytes;                                                  \
    type *p;                                                            \
                                                                        \
    if (vector_new_capacity (v->len, v->cap, n, sizeof (type),          \
                             &cap, &bytes) == -1)                       \
      return -1;                                                        \
    if (cap == v->cap)                                                  \
      return 0;                                                         \
    p = realloc (v->ptr, bytes);                                        \
    if (p == NULL)                                                      \
      return -1;                                                        \
    v->ptr = p;                                                         \
    v->cap = cap;                                                       \
    return 0;                                                           \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) int                             \
  name##_insert (name *v, type elem, size_t i)                          \
  {                                                                     \
    if (name##_reserve (v, 1) == -1)                                    \
      return -1;                                                        \
    memmove (&v->ptr[i + 1], &v->ptr[i], (v->len - i) * sizeof (type)); \
    v->ptr[i] = elem;                                                   \
    v->len++;                                                           \
    return 0;                                                           \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) int                             \
  name##_append (name *v, type elem)                                    \
  {                                                                     \
    if (name##_reserve (v, 1) == -1)                                    \
      return -1;                                                        \
    v->ptr[v->len++] = elem;                                            \
    return 0;                                                           \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) void                            \
  name##_remove (name *v, size_t i)                                     \
  {                                                                     \
    memmove (&v->ptr[i], &v->ptr[i + 1],                                \
             (v->len - i - 1) * sizeof (type));                         \
    v->len--;                                                           \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) void                            \
  name##_reset (name *v)                                                \
  {                                                                     \
    free (v->ptr);                                                      \
    v->ptr = NULL;                                                      \
    v->len = v->cap = 0;                                                \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) void                            \
  name##_iter (name *v, void (*f) (type elem))                          \
  {                                                                     \
    for (size_t i = 0; i < v->len; ++i)                                 \
      f (v->ptr[i]);                                                    \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) void                            \
  name##_sort (name *v, int (*cmp) (const type *, const type *))        \
  {                                                                     \
    if (v->len > 1)                                                     \
      qsort (v->ptr, v->len, sizeof (type),                             \
             (int (*) (const void *, const void *)) cmp);               \
  }                                                                     \
                                                                        \
  static inline __attribute__((unused)) type *                          \
  name##_search (const name *v, const void *key,                        \
                 int (*cmp) (const void *, const type *))               \
  {                                                                     \
    if (v->len == 0)                                                    \
      return NULL;                                                      \
    return bsearch (key, v->ptr, v->len, sizeof (type),                 \
                    (int (*) (const void *, const void *)) cmp);        \
  }

#endif /* DRYDOCK_VECTOR_H */
