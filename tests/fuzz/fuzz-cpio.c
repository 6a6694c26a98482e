/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the cpio reader of drydock customize
 * (customize/cpio.c), which reads an initramfs made in a guest.  Every
 * entry it hands out must keep the header's promise (a name of at most
 * CPIO_NAME_MAX - 1 bytes, at most CPIO_ENTRIES_MAX entries), an error
 * must come with a reason, and nothing else may come back; a broken
 * promise aborts, so the fuzzer reports it like a crash.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that runs valid archives with a fixed
 * number of mutations from a fixed seed. */

#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpio.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
check_entry (const struct cpio_entry *e, void *opaque)
{
  size_t *n = opaque;

  if (strlen (e->name) >= CPIO_NAME_MAX || e->size > UINT32_MAX ||
      ++*n > CPIO_ENTRIES_MAX)
    abort ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char err[256] = "";
  size_t n = 0;
  int r = cpio_list_memory (data, size, check_entry, &n, err, sizeof err);

  if (r != 0 && (r != -1 || err[0] == '\0'))
    abort ();
  return 0;
}

#ifndef FUZZING_ENGINE
/* A member of a newc archive at the end of buf (len bytes used). */
static size_t
put_entry (uint8_t *buf, size_t len, const char *name, unsigned size)
{
  size_t n = strlen (name) + 1;

  len += (size_t) sprintf ((char *) buf + len,
                           "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X"
                           "%08X%08X%08X%08X", 1u, 0100644u, 0u, 0u, 1u,
                           0u, size, 0u, 0u, 0u, 0u, (unsigned) n, 0u);
  memcpy (buf + len, name, n);
  len += n;
  while (len & 3)
    buf[len++] = 0;
  memset (buf + len, 'x', size);
  len += size;
  while (len & 3)
    buf[len++] = 0;
  return len;
}

int
main (int argc, char *argv[])
{
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  long iterations = argc > 1 ? atol (argv[1]) : 100000;
  uint8_t good[2048], buf[2048];
  size_t len = 0;

  len = put_entry (good, len, "usr/lib/modules/6.1/virtio_blk.ko", 13);
  len = put_entry (good, len, "init", 5);
  len = put_entry (good, len, "TRAILER!!!", 0);
  memset (good + len, 0, 16);
  len += 16;
  len = put_entry (good, len, "early.bin", 3);
  len = put_entry (good, len, "TRAILER!!!", 0);
  LLVMFuzzerTestOneInput (good, len);
  for (long i = 0; i < iterations; ++i) {
    size_t n = len - fuzz_next (&seed) % 32 * (fuzz_next (&seed) & 1);
    int flips = 1 + (int) (fuzz_next (&seed) % 6);

    memcpy (buf, good, n);
    for (int j = 0; j < flips; ++j) {
      uint64_t v = fuzz_next (&seed);

      buf[v % n] = (v >> 32) % 3 ?
        (uint8_t) "0123456789ABCDEFfx\0"[(v >> 40) % 19] : (uint8_t) (v >> 48);
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-cpio: %ld inputs\n", iterations);
  return 0;
}
#endif
