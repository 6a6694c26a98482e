/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit test of the wire encoding: round trips, and every kind of
 * malformed input the decoders must refuse.  Every call is made outside
 * assert () and its result checked after, and assert () stays on in
 * every build, so that no check can silently vanish. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "wire.h"

static void
round_trip (void)
{
  struct wire_buf w = WIRE_BUF_INIT;
  struct wire_reader r;
  char *const list[] = { "a", "", "hello world", NULL };
  char **l, *s, *b;
  size_t n, count;
  uint32_t u32;
  int64_t i64;
  int ret;

  wire_put_u32 (&w, 0xdeadbeef);
  wire_put_i64 (&w, -5);
  wire_put_string (&w, "é/x");
  wire_put_string_list (&w, list);
  wire_put_bytes (&w, "a\0b", 3);
  ret = wire_buf_ok (&w);
  assert (ret == 0);

  wire_reader_init (&r, w.data, w.len);
  u32 = wire_get_u32 (&r);
  assert (u32 == 0xdeadbeef);
  i64 = wire_get_i64 (&r);
  assert (i64 == -5);
  s = wire_get_string (&r);
  assert (s && strcmp (s, "é/x") == 0);
  l = wire_get_string_list (&r);
  assert (l != NULL);
  count = count_strings (l);
  assert (count == 3 && strcmp (l[2], "hello world") == 0);
  b = wire_get_buffer (&r, &n);
  assert (b && n == 3 && b[1] == '\0' && b[2] == 'b');
  ret = wire_reader_finish (&r);
  assert (ret == 0);
  free (s);
  free (b);
  free_string_list (l);
  wire_buf_free (&w);
}

static void
malformed (void)
{
  struct wire_reader r;
  /* A string claiming 100 bytes with 2 present. */
  const char s1[] = { 0, 0, 0, 100, 'a', 'b' };
  /* A string with an embedded NUL. */
  const char s2[] = { 0, 0, 0, 3, 'a', 0, 'b' };
  /* A list claiming 2^32-1 items. */
  const char s3[] = { (char) 0xff, (char) 0xff, (char) 0xff, (char) 0xff, 0 };
  /* Trailing bytes. */
  const char s4[] = { 0, 0, 0, 1, 9 };
  char *s, **l;
  uint64_t u64;
  uint32_t u32;
  int ret;

  wire_reader_init (&r, s1, sizeof s1);
  s = wire_get_string (&r);
  assert (s == NULL && r.err);
  wire_reader_init (&r, s2, sizeof s2);
  s = wire_get_string (&r);
  assert (s == NULL && r.err);
  wire_reader_init (&r, s3, sizeof s3);
  l = wire_get_string_list (&r);
  assert (l == NULL && r.err);
  wire_reader_init (&r, s4, sizeof s4);
  u32 = wire_get_u32 (&r);
  assert (u32 == 1);
  ret = wire_reader_finish (&r);
  assert (ret == -1);
  /* Reads past the end keep returning zero with the error set. */
  wire_reader_init (&r, s4, 2);
  u64 = wire_get_u64 (&r);
  assert (u64 == 0 && r.err);
  u32 = wire_get_u32 (&r);
  assert (u32 == 0);
}

static void
oversize (void)
{
  struct wire_buf w = WIRE_BUF_INIT;
  char *big = calloc (1, WIRE_MESSAGE_MAX + 1);
  int ret;

  assert (big);
  wire_put_bytes (&w, big, WIRE_MESSAGE_MAX + 1);
  ret = wire_buf_ok (&w);
  assert (ret == -1);
  wire_buf_free (&w);
  free (big);
}

int
main (void)
{
  round_trip ();
  malformed ();
  oversize ();
  printf ("test-wire: ok\n");
  return 0;
}
