/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the parsers of what btrfs prints
 * (daemon/btrfs-parse.c): subvolume names, labels and paths in that
 * output come from the guest.  Every input goes to every parser, and
 * what they hand out is checked against btrfs-parse.h: lists as long as
 * the input has lines at most, strings without a newline, hashes of
 * pairs, a balance status one of the three words.  A broken promise
 * aborts, so the fuzzer reports it like a crash.
 *
 * Built two ways, as fuzz-inspect.c: with clang -fsanitize=fuzzer
 * (`make fuzz`), and as a plain program for make check that runs the
 * seeds below and a fixed number of mutations of them from a fixed
 * seed. */

#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs-parse.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_line (const char *s, size_t max)
{
  if (s == NULL || strlen (s) > max || strchr (s, '\n'))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = malloc (size + 1);
  size_t lines = 1;
  int missing;

  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';
  for (size_t i = 0; i < size; ++i)
    lines += text[i] == '\n';

  {
    struct drydock_btrfssubvolume_list *l = parse_subvolume_list (text);

    if (l && l->len > lines)
      abort ();
    for (uint32_t i = 0; l && i < l->len; ++i) {
      check_line (l->val[i].btrfssubvolume_path, size);
      free (l->val[i].btrfssubvolume_path);
    }
    if (l)
      free (l->val);
    free (l);
  }
  if (parse_get_default (text) < -1)
    abort ();
  {
    char **h = parse_subvolume_show (text);
    size_t n = h ? count_strings (h) : 0;

    if (n % 2 != 0 || n > 2 * lines + 2)
      abort ();
    for (size_t i = 0; i < n; ++i)
      check_line (h[i], 2 * size + 16);
    free_string_list (h);
  }
  {
    char **l = parse_filesystem_show (text, &missing);

    if (l && count_strings (l) > lines)
      abort ();
    for (size_t i = 0; l && l[i]; ++i)
      check_line (l[i], size);
    free_string_list (l);
  }
  {
    struct drydock_btrfsbalance b = { 0 };

    if (parse_balance_status (text, &b) == 0 &&
        (b.btrfsbalance_status == NULL ||
         (strcmp (b.btrfsbalance_status, "none") != 0 &&
          strcmp (b.btrfsbalance_status, "running") != 0 &&
          strcmp (b.btrfsbalance_status, "paused") != 0)))
      abort ();
  }
  {
    struct drydock_btrfsscrub s;

    memset (&s, 0, sizeof s);
    parse_scrub_status (text, &s);
  }
  {
    struct drydock_btrfsqgroup_list *l = parse_qgroup_show (text);

    if (l && l->len > lines)
      abort ();
    for (uint32_t i = 0; l && i < l->len; ++i) {
      check_line (l->val[i].btrfsqgroup_id, size);
      if (strchr (l->val[i].btrfsqgroup_id, '/') == NULL)
        abort ();
      free (l->val[i].btrfsqgroup_id);
    }
    if (l)
      free (l->val);
    free (l);
  }
  free (text);
  return 0;
}

#ifndef FUZZING_ENGINE
/* Seeds: what btrfs-progs 6.2 prints for each command parsed. */
static const char *const seeds[] = {
  "ID 256 gen 9 top level 5 path sub\nID 257 gen 10 top level 256 path "
  "sub/a b\n",
  "ID 5 (FS_TREE)\n",
  "sub\n\tName: \t\t\tsub\n\tUUID: \t\t\t8f5f4a2e\n\tParent UUID: \t\t-\n"
  "\tSubvolume ID: \t\t256\n\tSnapshot(s):\n\t\t\t\ts1\n\t\t\t\ts2\n"
  "\tQuota group:\t\t0/256\n\t  Limit referenced:\t-\n",
  "Label: none  uuid: 99b95cd8\n\tTotal devices 2 FS bytes used 144.00KiB\n"
  "\tdevid    1 size 512.00MiB used 88.00MiB path /dev/sda1\n"
  "\tdevid    2 size 0 used 0 path /dev/sdb MISSING\n"
  "\t*** Some devices missing\n",
  "Balance on '/sysroot/' is paused\n3 out of about 9 chunks balanced "
  "(4 considered),  67% left\n",
  "No balance found on '/sysroot/'\n",
  "UUID: 1f\nStatus: finished\n\tdata_extents_scrubbed: 1\n"
  "\ttree_bytes_scrubbed: 278528\n\tlast_physical: 1234567\n",
  "Qgroupid    Referenced    Exclusive   Path \n"
  "--------    ----------    ---------   ---- \n"
  "0/5              16384        16384   <toplevel>\n"
  "1/0                  0            0   <0 member qgroups>\n",
};

#define NR_SEEDS (sizeof seeds / sizeof seeds[0])

static size_t
get_seed (size_t i, uint8_t *buf, size_t max)
{
  size_t n = strlen (seeds[i]);

  if (n > max)
    n = max;
  memcpy (buf, seeds[i], n);
  return n;
}

static int
write_seeds (const char *dir)
{
  uint8_t buf[1024];
  char path[4096];
  FILE *fp;

  for (size_t i = 0; i < NR_SEEDS; ++i) {
    size_t n = get_seed (i, buf, sizeof buf);

    snprintf (path, sizeof path, "%s/seed-%zu", dir, i);
    fp = fopen (path, "w");
    if (fp == NULL || fwrite (buf, 1, n, fp) != n || fclose (fp) != 0) {
      perror (path);
      return 1;
    }
  }
  return 0;
}

int
main (int argc, char *argv[])
{
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  long iterations = 100000;
  uint8_t buf[2048];
  size_t n;

  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0)
    return write_seeds (argv[2]);
  if (argc > 1)
    iterations = atol (argv[1]);

  for (size_t i = 0; i < NR_SEEDS; ++i)
    LLVMFuzzerTestOneInput (buf, get_seed (i, buf, sizeof buf));

  /* Mutations of the seeds: bytes overwritten, truncations, growth. */
  for (long it = 0; it < iterations; ++it) {
    n = get_seed (fuzz_next (&seed) % NR_SEEDS, buf, sizeof buf);
    for (int k = fuzz_next (&seed) % 8; k >= 0; --k) {
      uint64_t v = fuzz_next (&seed);

      if (n == 0)
        break;
      switch (v % 4) {
      case 0: buf[(v >> 8) % n] = v >> 32; break;
      case 1: buf[(v >> 8) % n] = "\n\0 \t/:0123456789"[(v >> 32) % 16]; break;
      case 2: n = (v >> 8) % n; break;
      case 3:
        if (n < sizeof buf)
          buf[n++] = v >> 32;
        break;
      }
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-btrfs: %zu seeds, %ld mutations\n", NR_SEEDS, iterations);
  return 0;
}
#endif
