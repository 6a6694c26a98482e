/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the inspection parsers (daemon/inspect-parse.c): the
 * code that reads release files, fstab, binaries and package databases
 * straight from a guest.  Every input goes to every parser, and every
 * string they hand out is checked against the header's promise
 * (bounded, no control characters, valid UTF-8); a broken promise
 * aborts, so the fuzzer reports it like a crash.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that runs the seed files below and a
 * fixed number of mutations of them from a fixed seed, so a regression
 * is reproducible.  `fuzz-inspect --write-seeds DIR` writes the seeds
 * out as the libFuzzer starting corpus. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect-parse.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Aborts unless s is a string inspect-parse.h allows out. */
static void
check_clean (const char *s, int newlines_ok)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t n, i = 0, k;

  if (s == NULL)
    return;
  n = strlen (s);
  if (n > INSPECT_VALUE_MAX)
    abort ();
  while (i < n) {
    if (u[i] < 0x80) {
      if ((u[i] < 0x20 && !(newlines_ok && u[i] == '\n')) || u[i] == 0x7f)
        abort ();
      i++;
      continue;
    }
    k = u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 : u[i] >= 0xc2 ? 2 : 0;
    if (k == 0 || u[i] > 0xf4 || i + k > n)
      abort ();
    for (size_t j = 1; j < k; ++j)
      if ((u[i + j] & 0xc0) != 0x80)
        abort ();
    i += k;
  }
}

static void
check_free (char *s)
{
  check_clean (s, 0);
  free (s);
}

static int
fstab_cb (void *opaque, const char *spec, const char *file,
          const char *vfstype, const char *options)
{
  int *count = opaque;

  if (spec == NULL || file == NULL || vfstype == NULL || options == NULL ||
      spec[0] == '\0' || (file[0] != '/' && strcmp (vfstype, "swap") != 0))
    abort ();
  check_clean (spec, 0);
  check_clean (file, 0);
  check_clean (vfstype, 0);
  check_clean (options, 0);
  if (++*count > 1024)
    abort ();
  return 0;
}

static int
pkg_cb (void *opaque, const struct inspect_pkg *p)
{
  if (p->name == NULL || p->name[0] == '\0')
    abort ();
  check_clean (p->name, 0);
  check_clean (p->display_name, 0);
  check_clean (p->version, 0);
  check_clean (p->release, 0);
  check_clean (p->arch, 0);
  check_clean (p->install_path, 0);
  check_clean (p->publisher, 0);
  check_clean (p->url, 0);
  check_clean (p->source_package, 0);
  check_clean (p->summary, 0);
  check_clean (p->description, 1);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *buf = (const char *) data;
  char *s, *version, *release, *str;
  int major, minor, epoch, count = 0;

  check_free (inspect_clean_string (buf, size));
  check_free (inspect_shell_var (buf, size, "ID"));
  check_free (inspect_shell_var (buf, size, "VERSION_ID"));
  check_free (inspect_first_line (buf, size));
  s = inspect_parse_hostname (buf, size);
  if (s && (s[0] == '\0' || strspn (s, "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_") != strlen (s)))
    abort ();
  free (s);
  if (inspect_parse_release (buf, size, &s, &major, &minor) == 0)
    check_free (s);
  if (inspect_parse_fstab (buf, size, fstab_cb, &count) != 0)
    abort ();
  (void) inspect_elf_arch (data, size);
  (void) inspect_pe_arch (data, size);
  if (inspect_parse_dpkg_status (buf, size, pkg_cb, NULL) != 0 ||
      inspect_parse_apk_installed (buf, size, pkg_cb, NULL) != 0 ||
      inspect_parse_pacman_desc (buf, size, pkg_cb, NULL) != 0)
    abort ();

  /* The two parsers of C strings get the input up to its first NUL. */
  str = malloc (size + 1);
  if (str == NULL)
    return 0;
  memcpy (str, data, size);
  str[size] = '\0';
  (void) inspect_parse_version (str, &major, &minor);
  if (inspect_split_version (str, &epoch, &version, &release) == 0) {
    if (version == NULL || epoch < 0)
      abort ();
    check_free (version);
    check_free (release);
  }
  free (str);
  return 0;
}

#ifndef FUZZING_ENGINE
/* Seeds: one of each kind of file, small. */
static const char *const seeds[] = {
  "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n"
  "ID=debian\nexport K='a b'\nX=\"esc \\\" \\\\ \\$ \\`\"\n",
  "Fedora release 38 (Thirty Eight)\n",
  "CentOS Linux release 7.9.2009 (Core)\n",
  "# comment\nweb1.example.com\n",
  "UUID=0b3b7e38 / ext4 errors=remount-ro 0 1\n"
  "LABEL=DATA /srv/my\\040data xfs defaults 0 0\n# x\n/dev/sr0 none swap\n",
  "Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9)\n"
  "Version: 1:2.36-9+deb12u3\nArchitecture: amd64\nMaintainer: X <x@y>\n"
  "Description: GNU C Library\n Shared libraries.\n .\n More.\n"
  "Homepage: https://www.gnu.org/\n\nPackage: old\nStatus: deinstall ok "
  "config-files\n",
  "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nT:the musl c library\n"
  "U:https://musl.libc.org/\no:musl\nm:T <t@e>\n\nP:busybox\nV:1.36.1-r5\n",
  "%NAME%\nzlib\n\n%VERSION%\n1:1.3-1\n\n%BASE%\nzlib\n\n%DESC%\nzlib\n\n"
  "%URL%\nhttps://zlib.net\n\n%ARCH%\nx86_64\n\n%PACKAGER%\nA <a@b>\n",
  "1:2.3-4ubuntu1",
  "caf\xc3\xa9 \xc3\x28 \xed\xa0\x80 \xf0\x9f\x98\x80 \x1b[0m",
};

/* The binary seeds: ELF x86_64 and PE arm64 headers. */
static size_t
binary_seed (int which, uint8_t *buf)
{
  memset (buf, 0, 128);
  if (which == 0) {
    memcpy (buf, "\177ELF\2\1\1", 7);
    buf[16] = 2;
    buf[18] = 62;
    return 64;
  }
  buf[0] = 'M';
  buf[1] = 'Z';
  buf[0x3c] = 0x40;
  memcpy (buf + 0x40, "PE\0\0\x64\xaa", 6);
  return 128;
}

#define NR_SEEDS (sizeof seeds / sizeof seeds[0] + 2)

static size_t
get_seed (size_t i, uint8_t *buf, size_t max)
{
  size_t n;

  if (i >= NR_SEEDS - 2)
    return binary_seed (i - (NR_SEEDS - 2), buf);
  n = strlen (seeds[i]);
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
  long iterations = 200000;
  uint8_t buf[2048];
  size_t n;

  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0)
    return write_seeds (argv[2]);
  if (argc > 1)
    iterations = atol (argv[1]);

  for (size_t i = 0; i < NR_SEEDS; ++i)
    LLVMFuzzerTestOneInput (buf, get_seed (i, buf, sizeof buf));

  /* Mutations of the seeds: bytes overwritten, truncations. */
  for (long it = 0; it < iterations; ++it) {
    n = get_seed (fuzz_next (&seed) % NR_SEEDS, buf, sizeof buf);
    for (int k = fuzz_next (&seed) % 8; k >= 0; --k) {
      uint64_t v = fuzz_next (&seed);
      if (n == 0)
        break;
      switch (v % 4) {
      case 0: buf[(v >> 8) % n] = v >> 32; break;
      case 1: buf[(v >> 8) % n] = "\n\0 \"'\\:=-."[(v >> 32) % 10]; break;
      case 2: n = (v >> 8) % n; break;
      case 3:
        if (n < sizeof buf)
          buf[n++] = v >> 32;
        break;
      }
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-inspect: %zu seeds, %ld mutations\n", NR_SEEDS, iterations);
  return 0;
}
#endif
