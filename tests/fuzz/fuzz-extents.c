/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the reader of extentlist's reply (library/
 * extent-map.c): where the appliance says a file's bytes lie on the
 * drives, which the library then reads straight from them.  The reply
 * comes from the appliance, which is not trusted: every extent the
 * reader accepts must lie inside its file, in file order, without
 * overlaps, on one of the drives or a hole; a file that is not regular
 * has no extents.  A broken promise aborts, so the fuzzer reports it
 * like a crash.
 *
 * Input: one byte, the number of names (0 to 7), one the number of
 * drives (0 to 3), then the reply.  Built two ways, as fuzz-ova.c is. */
#include <config.h>

#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extent-map.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_map (const struct fmap *m, size_t n_drives)
{
  uint64_t end = 0;

  if (m->size < -1 || m->n < -1 || (m->size == -1 && m->n != -1) ||
      (m->n <= 0 && m->v != NULL) || (m->n > 0 && m->v == NULL))
    abort ();
  for (int64_t k = 0; k < m->n; ++k) {
    const struct fext *x = &m->v[k];

    if (x->len == 0 || x->logical < end ||
        x->logical + x->len < x->logical ||
        x->logical + x->len > (uint64_t) m->size ||
        x->drive < -1 || (x->drive >= 0 && (size_t) x->drive >= n_drives) ||
        (x->drive >= 0 && x->physical > INT64_MAX))
      abort ();
    end = x->logical + x->len;
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  size_t n, n_drives;
  struct fmap *maps;

  if (size < 2)
    return 0;
  n = data[0] % 8;
  n_drives = data[1] % 4;
  maps = calloc (n ? n : 1, sizeof *maps);
  if (maps == NULL)
    abort ();
  if (extent_map_parse (data + 2, size - 2, n, n_drives, maps) == 0)
    for (size_t i = 0; i < n; ++i)
      check_map (&maps[i], n_drives);
  extent_map_free (maps, n);
  return 0;
}

#ifndef FUZZING_ENGINE
static size_t
put64 (uint8_t *p, size_t at, int64_t v)
{
  uint64_t be = htobe64 ((uint64_t) v);

  memcpy (p + at, &be, 8);
  return at + 8;
}

static size_t
put32 (uint8_t *p, size_t at, int32_t v)
{
  uint32_t be = htobe32 ((uint32_t) v);

  memcpy (p + at, &be, 4);
  return at + 4;
}

/* An extent record: logical, physical, length, drive. */
static size_t
put_extent (uint8_t *p, size_t at, int64_t logical, int64_t physical,
            int64_t len, int32_t drive)
{
  at = put64 (p, at, logical);
  at = put64 (p, at, physical);
  at = put64 (p, at, len);
  return put32 (p, at, drive);
}

/* Mutates good (len bytes) into buf: a cut, a few bytes changed, the
 * numbers of names and drives kept or changed. */
static void
mutate (uint64_t *seed, const uint8_t *good, size_t len, uint8_t *buf)
{
  size_t n = len - fuzz_next (seed) % 32 * (fuzz_next (seed) & 1);
  int flips = 1 + (int) (fuzz_next (seed) % 4);

  memcpy (buf, good, n);
  for (int j = 0; j < flips; ++j) {
    uint64_t v = fuzz_next (seed);

    buf[v % n] = (v >> 32) % 2 ? (uint8_t) (v >> 40) :
      (uint8_t) "\0\1\xff\x10\x80"[(v >> 40) % 5];
  }
  LLVMFuzzerTestOneInput (buf, n);
}

int
main (int argc, char *argv[])
{
  uint64_t seed = 0x2545f4914f6cdd1dULL;
  long iterations = argc > 1 ? atol (argv[1]) : 50000;
  static uint8_t good[512], buf[512];
  struct fmap maps[4] = { { 0 } };
  size_t len = 0;

  good[len++] = 4;              /* names */
  good[len++] = 2;              /* drives */
  /* A 10000-byte file: 4 KiB on drive 1, a hole, the rest on drive 0. */
  len = put64 (good, len, 10000);
  len = put32 (good, len, 3);
  len = put_extent (good, len, 0, 1 << 20, 4096, 1);
  len = put_extent (good, len, 4096, -1, 4096, -1);
  len = put_extent (good, len, 8192, 65536, 1808, 0);
  /* Not a regular file. */
  len = put64 (good, len, -1);
  /* Not mapped (inline data, say). */
  len = put64 (good, len, 60);
  len = put32 (good, len, -1);
  /* Empty. */
  len = put64 (good, len, 0);
  len = put32 (good, len, 0);

  if (extent_map_parse (good + 2, len - 2, 4, 2, maps) != 0 ||
      maps[0].n != 3 || maps[0].v[1].drive != -1 ||
      maps[0].v[2].physical != 65536 || maps[1].size != -1 ||
      maps[2].n != -1 || maps[3].n != 0) {
    fprintf (stderr, "fuzz-extents: the valid reply was not read right\n");
    return 1;
  }
  for (size_t i = 0; i < 4; ++i)
    free (maps[i].v);
  for (long i = 0; i < iterations; ++i)
    mutate (&seed, good, len, buf);
  printf ("fuzz-extents: %ld inputs\n", iterations);
  return 0;
}
#endif
