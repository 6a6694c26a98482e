/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the readers of what a drive reads from: the tar
 * walker of OVAs (library/ova.c), whose archive is untrusted, and the
 * reader of qemu-img info's JSON (common/imginfo.c).  Every disk the
 * walker hands out must lie inside the file, after its header, with a
 * name; a failure must say why (EINVAL, EIO or ENOMEM).  A parsed chain
 * has at least one link, each with a format.  A broken promise aborts,
 * so the fuzzer reports it like a crash.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that runs a valid OVA and a valid JSON
 * document with a fixed number of mutations from a fixed seed. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "imginfo.h"
#include "ova.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int memfd = -1;

static void
check_tar (const uint8_t *data, size_t size)
{
  struct ova_disk *disks;
  size_t n;
  int has_ovf;
  int64_t bad_at;

  if (memfd == -1 && (memfd = memfd_create ("fuzz-ova", MFD_CLOEXEC)) == -1)
    abort ();
  if (ftruncate (memfd, 0) == -1 ||
      pwrite (memfd, data, size, 0) != (ssize_t) size)
    abort ();
  if (ova_scan (memfd, size, &disks, &n, &has_ovf, &bad_at) == -1) {
    if (errno != EINVAL && errno != EIO && errno != ENOMEM)
      abort ();
    return;
  }
  for (size_t i = 0; i < n; ++i)
    if (disks[i].name == NULL || disks[i].offset < 512 ||
        disks[i].size < 0 || disks[i].offset > (int64_t) size ||
        disks[i].size > (int64_t) size - disks[i].offset)
      abort ();
  ova_disks_free (disks, n);
}

static void
check_json (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 1);
  struct imginfo info;

  if (s == NULL)
    abort ();
  memcpy (s, data, size);
  s[size] = '\0';
  if (imginfo_parse (s, &info) == 0) {
    if (info.n == 0)
      abort ();
    for (size_t i = 0; i < info.n; ++i)
      if (info.links[i].format == NULL)
        abort ();
    imginfo_free (&info);
  }
  free (s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check_tar (data, size);
  check_json (data, size);
  return 0;
}

#ifndef FUZZING_ENGINE
/* A ustar member (type, name, size bytes of 'x') at buf + len. */
static size_t
put_member (uint8_t *buf, size_t len, char type, const char *name,
            const char *body, size_t size)
{
  uint8_t *h = buf + len;

  memset (h, 0, 512);
  snprintf ((char *) h, 100, "%s", name);
  snprintf ((char *) h + 124, 12, "%011o", (unsigned) size);
  h[156] = (uint8_t) type;
  memcpy (h + 257, "ustar\0" "00", 8);
  len += 512;
  if (body)
    memcpy (buf + len, body, size);
  else
    memset (buf + len, 'x', size);
  len += (size + 511) / 512 * 512;
  return len;
}

static void
mutate (uint64_t *seed, const uint8_t *good, size_t len, uint8_t *buf)
{
  size_t n = len - fuzz_next (seed) % 64 * (fuzz_next (seed) & 1);
  int flips = 1 + (int) (fuzz_next (seed) % 6);

  memcpy (buf, good, n);
  for (int j = 0; j < flips; ++j) {
    uint64_t v = fuzz_next (seed);

    buf[v % n] = (v >> 32) % 3 ?
      (uint8_t) "01234567 \n\"{}[],:x\0"[(v >> 40) % 20] : (uint8_t) (v >> 48);
  }
  LLVMFuzzerTestOneInput (buf, n);
}

int
main (int argc, char *argv[])
{
  static const char pax[] = "30 path=a-long-name-disk.vmdk\n11 size=3\n";
  static const char json[] =
    "[{\"virtual-size\": 1048576, \"filename\": \"t.qcow2\", "
    "\"format\": \"qcow2\", \"actual-size\": 4096, "
    "\"backing-filename\": \"b.img\", \"format-specific\": "
    "{\"type\": \"vmdk\", \"data\": {\"create-type\": \"streamOptimized\"}}},"
    " {\"filename\": \"b\\u0041.img\", \"format\": \"raw\"}]";
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  long iterations = argc > 1 ? atol (argv[1]) : 20000;
  static uint8_t good[8192], buf[8192];
  size_t len = 0;

  len = put_member (good, len, '0', "vm.ovf", NULL, 20);
  len = put_member (good, len, 'x', "PaxHeader", pax, sizeof pax - 1);
  len = put_member (good, len, '0', "short", NULL, 3);
  len = put_member (good, len, '0', "disk2.img", NULL, 700);
  memset (good + len, 0, 1024);
  len += 1024;
  LLVMFuzzerTestOneInput (good, len);
  for (long i = 0; i < iterations; ++i)
    mutate (&seed, good, len, buf);
  for (long i = 0; i < iterations; ++i)
    mutate (&seed, (const uint8_t *) json, sizeof json - 1, buf);
  printf ("fuzz-ova: %ld inputs\n", 2 * iterations);
  return 0;
}
#endif
