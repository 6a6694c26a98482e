/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the wire decoders, the first code that touches bytes
 * from the other side of the trust boundary.  The input drives which
 * decoder runs next, so every decoder meets every kind of garbage.
 *
 * Built two ways: with clang -fsanitize=fuzzer (LLVMFuzzerTestOneInput,
 * `make fuzz`), and as a plain program for make check that runs a fixed
 * number of pseudo-random inputs from a fixed seed, so a regression is
 * reproducible. */

#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "wire.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct wire_reader r;

  if (size == 0)
    return 0;
  wire_reader_init (&r, data + 1, size - 1);
  for (unsigned op = data[0]; !r.err && r.left > 0; op = op * 7 + 3) {
    switch (op % 6) {
    case 0: (void) wire_get_u32 (&r); break;
    case 1: (void) wire_get_i64 (&r); break;
    case 2: free (wire_get_string (&r)); break;
    case 3: {
      size_t n;
      char *b = wire_get_buffer (&r, &n);
      if (b && b[n] != '\0')
        abort ();
      free (b);
      break;
    }
    case 4: free_string_list (wire_get_string_list (&r)); break;
    case 5: (void) wire_get_count (&r, 8); break;
    }
  }
  return 0;
}

#ifndef FUZZING_ENGINE
int
main (int argc, char *argv[])
{
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  long iterations = argc > 1 ? atol (argv[1]) : 200000;
  uint8_t buf[512];

  for (long i = 0; i < iterations; ++i) {
    size_t n = fuzz_next (&seed) % sizeof buf;
    for (size_t j = 0; j < n; ++j) {
      uint64_t v = fuzz_next (&seed);
      /* Bias towards small lengths so strings and lists parse often. */
      buf[j] = (v & 3) == 0 ? 0 : (uint8_t) (v >> 8);
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-wire: %ld inputs\n", iterations);
  return 0;
}
#endif
