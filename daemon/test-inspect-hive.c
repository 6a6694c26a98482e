/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-inspect-hive: runs one inspect-hive.c query on a hive file and
 * prints what it found, one "field=value" line each, for
 * test-inspect-hive.sh to compare (the hives are built at test time).
 *
 *   test-inspect-hive os SOFTWARE
 *   test-inspect-hive system SYSTEM
 *   test-inspect-hive apps SOFTWARE
 *   test-inspect-hive utf16 HEXBYTES
 *   test-inspect-hive fuzz HIVE RUNS
 *
 * A query that fails prints "error: MESSAGE" and exits 1.  fuzz runs
 * the three queries on RUNS corrupted copies of HIVE (a fixed
 * pseudo-random sequence: offsets and lengths overwritten with values
 * on and around the edges, the header checksum fixed up so that hivex
 * looks further), for the test to see that nothing crashes, hangs or
 * leaks. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "inspect-hive.h"

static void
field (const char *name, const char *value)
{
  printf ("%s=%s\n", name, value ? value : "(none)");
}

static int
print_app (void *opaque, const struct inspect_pkg *p)
{
  printf ("app=%s|%s|%s|%s|%s|%s|%s\n", p->name,
          p->display_name ? p->display_name : "",
          p->version ? p->version : "", p->publisher ? p->publisher : "",
          p->install_path ? p->install_path : "", p->url ? p->url : "",
          p->description ? p->description : "");
  return 0;
}

static int
query_os (int fd)
{
  struct hive_os_version v;
  int r = hive_read_os_version (fd, &v);

  if (r == 0) {
    field ("product_name", v.product_name);
    printf ("major=%d\nminor=%d\n", v.major, v.minor);
    field ("current_version", v.current_version);
    field ("build", v.build);
    field ("installation_type", v.installation_type);
    field ("edition_id", v.edition_id);
  }
  hive_os_version_free (&v);
  return r;
}

static int
query_system (int fd)
{
  struct hive_system sys;
  int r = hive_read_system (fd, &sys);

  if (r == 0) {
    field ("control_set", sys.control_set);
    field ("hostname", sys.hostname);
    for (size_t i = 0; i < sys.nr_drives; ++i) {
      const struct hive_drive *d = &sys.drives[i];
      const unsigned char *s = d->disk_signature;

      if (d->gpt)
        printf ("drive=%c gpt %s\n", d->letter, d->guid);
      else
        printf ("drive=%c mbr %02x%02x%02x%02x %llu\n", d->letter,
                s[0], s[1], s[2], s[3], (unsigned long long) d->offset);
    }
  }
  hive_system_free (&sys);
  return r;
}

static int
query_utf16 (const char *hex)
{
  size_t n = strlen (hex) / 2;
  CLEANUP_FREE unsigned char *b = malloc (n + 1);
  CLEANUP_FREE char *s = NULL;

  if (b == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i) {
    unsigned x;

    if (sscanf (hex + 2 * i, "%2x", &x) != 1) {
      errno = EINVAL;
      return -1;
    }
    b[i] = x;
  }
  s = hive_utf16le_to_utf8 (b, n);
  if (s == NULL)
    return -1;
  field ("string", s);
  return 0;
}

static int
ignore_app (void *opaque, const struct inspect_pkg *p)
{
  return 0;
}

/* A small fixed PRNG (xorshift), so that every run corrupts alike. */
static uint32_t
next_random (uint32_t *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;
  return *state;
}

/* One corruption of the hive in b: a 32-bit value where offsets and
 * lengths live (aligned), or a byte anywhere past the header. */
static void
corrupt (unsigned char *b, size_t n, uint32_t *state)
{
  static const uint32_t edges[] = {
    0, 1, 0x20, 0xfff, 0x1000, 0x1020, 0x7fffffff, 0x80000000, 0xfffffff0,
    0xffffffff, 0x4000, 0x3fe0,
  };
  uint32_t r = next_random (state);
  size_t at = next_random (state) % n;

  if (r % 3 == 0 && n > 4096)
    b[4096 + at % (n - 4096)] = next_random (state);
  else {
    uint32_t v = r % 3 == 1 ? edges[next_random (state) % 12]
      : next_random (state) % (n + 64);

    at &= ~(size_t) 3;
    if (at + 4 <= n)
      memcpy (&b[at], &v, 4);     /* hives are little-endian, like us */
  }
}

static void
fix_checksum (unsigned char *b, size_t n)
{
  uint32_t sum = 0, w;

  if (n < 0x200)
    return;
  for (size_t i = 0; i < 0x1fc; i += 4) {
    memcpy (&w, &b[i], 4);
    sum ^= w;
  }
  memcpy (&b[0x1fc], &sum, 4);
}

static int
fuzz (int fd, long runs)
{
  struct stat st;
  CLEANUP_FREE unsigned char *seed = NULL, *b = NULL;
  char path[] = "/tmp/test-inspect-hive.XXXXXX";
  CLEANUP_CLOSE int out = -1;
  uint32_t state = 2463534242u;
  long opened = 0;

  if (fstat (fd, &st) == -1 || st.st_size < 0x200 || st.st_size > 1 << 24)
    return -1;
  seed = malloc (st.st_size);
  b = malloc (st.st_size);
  if (seed == NULL || b == NULL ||
      pread (fd, seed, st.st_size, 0) != st.st_size)
    return -1;
  out = mkstemp (path);
  if (out == -1)
    return -1;
  unlink (path);
  for (long i = 0; i < runs; ++i) {
    struct hive_os_version v;
    struct hive_system sys;
    unsigned k = 1 + next_random (&state) % 8;

    memcpy (b, seed, st.st_size);
    while (k--)
      corrupt (b, st.st_size, &state);
    fix_checksum (b, st.st_size);
    if (pwrite (out, b, st.st_size, 0) != st.st_size)
      return -1;
    if (hive_read_os_version (out, &v) == 0)
      opened++;
    hive_os_version_free (&v);
    hive_read_system (out, &sys);
    hive_system_free (&sys);
    hive_list_apps (out, ignore_app, NULL);
  }
  printf ("fuzz: %ld runs, %ld opened\n", runs, opened);
  return 0;
}

int
main (int argc, char *argv[])
{
  CLEANUP_CLOSE int fd = -1;
  int r;

  if (argc != 3 && !(argc == 4 && strcmp (argv[1], "fuzz") == 0)) {
    fprintf (stderr, "usage: %s os|system|apps|utf16|fuzz FILE|HEX [RUNS]\n",
             argv[0]);
    return 2;
  }
  if (strcmp (argv[1], "utf16") == 0)
    r = query_utf16 (argv[2]);
  else if ((fd = open (argv[2], O_RDONLY | O_CLOEXEC)) == -1)
    r = -1;
  else if (strcmp (argv[1], "os") == 0)
    r = query_os (fd);
  else if (strcmp (argv[1], "system") == 0)
    r = query_system (fd);
  else if (strcmp (argv[1], "apps") == 0)
    r = hive_list_apps (fd, print_app, NULL);
  else if (strcmp (argv[1], "fuzz") == 0)
    r = fuzz (fd, atol (argv[3]));
  else {
    fprintf (stderr, "%s: unknown query %s\n", argv[0], argv[1]);
    return 2;
  }
  if (r != 0) {
    printf ("error: %s\n", strerror (errno));
    return 1;
  }
  return 0;
}
