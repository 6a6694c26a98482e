/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pseudo-random numbers of the fuzz targets' plain drivers (make
 * check runs each over a fixed corpus made with them): xorshift64, the
 * same sequence for a seed on every machine. */
#ifndef DRYDOCK_FUZZ_RNG_H
#define DRYDOCK_FUZZ_RNG_H

#include <stdint.h>

/* The next number of the sequence whose state is *s (never 0). */
static inline uint64_t
fuzz_next (uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

#endif /* DRYDOCK_FUZZ_RNG_H */
