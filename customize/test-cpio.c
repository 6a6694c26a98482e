/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of the cpio reader (cpio.c): archives written here, entry
 * by entry, listed back from memory and from files; an early archive
 * followed by the main one compressed by each host compressor there is
 * (gzip, xz, lzma, zstd, lz4 in the kernel's legacy format, bzip2);
 * archives written by GNU cpio, when it is installed; and the refusals:
 * every truncation of a good archive, damaged headers, names and
 * compressed data, a missing decompressor, and a fixed run of random
 * mutations that must each give a listing or an error, nothing else.
 * Every call is made outside assert () and its result checked after,
 * and assert () stays on in every build, so that no check can silently
 * vanish. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"

static char dir[] = "/tmp/test-cpio.XXXXXX";
static int failures;

#define CHECK(cond, ...) do {                                   \
    if (!(cond)) {                                              \
      fprintf (stderr, "test-cpio: FAIL line %d: ", __LINE__);  \
      fprintf (stderr, __VA_ARGS__);                            \
      fputc ('\n', stderr);                                     \
      failures++;                                               \
    }                                                           \
  } while (0)

/* ---- writing archives ---- */

struct buf {
  unsigned char *p;
  size_t len, cap;
};

static void
put (struct buf *b, const void *data, size_t n)
{
  if (b->len + n > b->cap) {
    b->cap = (b->len + n) * 2 + 64;
    b->p = realloc (b->p, b->cap);
    assert (b->p != NULL);
  }
  memcpy (b->p + b->len, data, n);
  b->len += n;
}

static void
pad (struct buf *b, size_t base, size_t to)
{
  static const unsigned char zeros[512];

  put (b, zeros, (to - (b->len - base) % to) % to);
}

/* One newc member, offsets counted from base (the archive's start). */
static void
put_entry (struct buf *b, size_t base, const char *name, unsigned mode,
           const char *data, size_t size)
{
  char h[128];

  snprintf (h, sizeof h, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X"
            "%08X%08X%08X%08X", 1u, mode, 0u, 0u, 1u, 1700000000u,
            (unsigned) size, 8u, 1u, 0u, 0u, (unsigned) strlen (name) + 1, 0u);
  put (b, h, 110);
  put (b, name, strlen (name) + 1);
  pad (b, base, 4);
  put (b, data, size);
  pad (b, base, 4);
}

static void
put_trailer (struct buf *b, size_t base)
{
  put_entry (b, base, "TRAILER!!!", 0, "", 0);
  pad (b, base, 512);
}

/* The main archive of the tests: a directory, two modules, a symlink. */
static void
put_main (struct buf *b)
{
  size_t base = b->len;

  put_entry (b, base, ".", 040755, "", 0);
  put_entry (b, base, "usr/lib/modules/6.1.0/kernel/virtio_blk.ko", 0100644,
             "ELF-module", 10);
  put_entry (b, base, "./usr/lib/modules/6.1.0/kernel/virtio-net.ko.xz",
             0100644, "xz", 2);
  put_entry (b, base, "init", 0120777, "usr/lib/systemd/systemd", 23);
  put_trailer (b, base);
}

static void
put_early (struct buf *b)
{
  size_t base = b->len;

  put_entry (b, base, "kernel/x86/microcode/GenuineIntel.bin", 0100644,
             "microcode", 9);
  put_trailer (b, base);
}

/* ---- listing ---- */

struct listing {
  char names[4096];
  size_t n;
  uint64_t sizes;
  int stop_at;                /* stop (returning 7) at this entry */
};

static int
collect (const struct cpio_entry *e, void *opaque)
{
  struct listing *l = opaque;
  size_t used = strlen (l->names);

  snprintf (l->names + used, sizeof l->names - used, "%s%s",
            used ? "|" : "", e->name);
  l->sizes += e->size;
  if (++l->n == (size_t) l->stop_at)
    return 7;
  return 0;
}

static const char main_names[] =
  ".|usr/lib/modules/6.1.0/kernel/virtio_blk.ko|"
  "./usr/lib/modules/6.1.0/kernel/virtio-net.ko.xz|init";
static const char early_names[] = "kernel/x86/microcode/GenuineIntel.bin";

static int
list_mem (const struct buf *b, struct listing *l, char *err, size_t errlen)
{
  memset (l, 0, sizeof *l);
  err[0] = '\0';
  return cpio_list_memory (b->p, b->len, collect, l, err, errlen);
}

static void
write_file (const char *path, const void *data, size_t n)
{
  FILE *f = fopen (path, "wb");
  size_t written;
  int r;

  assert (f != NULL);
  written = fwrite (data, 1, n, f);
  assert (written == n);
  r = fclose (f);
  assert (r == 0);
}

static int
have (const char *prog)
{
  char cmd[256];

  snprintf (cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
  return system (cmd) == 0;
}

static int
run (const char *cmd)
{
  return system (cmd);
}

/* ---- the tests ---- */

static void
test_memory (void)
{
  struct buf b = { 0 };
  struct listing l;
  char err[256];
  size_t early_end, main_start, main_end;
  int r;

  put_early (&b);
  early_end = b.len;                   /* the end of its trailer */
  while (memcmp (b.p + early_end - 10, "TRAILER!!!", 10) != 0)
    early_end--;
  early_end = (early_end + 1 + 3) & ~(size_t) 3;
  put (&b, "\0\0\0\0\0\0\0\0", 8);     /* padding between the parts */
  main_start = b.len;
  put_main (&b);
  /* The end of the main part's trailer, before its padding. */
  main_end = b.len;
  while (memcmp (b.p + main_end - 10, "TRAILER!!!", 10) != 0)
    main_end--;
  main_end = main_start + ((main_end + 1 - main_start + 3) & ~(size_t) 3);
  r = list_mem (&b, &l, err, sizeof err);
  CHECK (r == 0, "early + main: %d %s", r, err);
  CHECK (strcmp (l.names, "kernel/x86/microcode/GenuineIntel.bin|.|"
                 "usr/lib/modules/6.1.0/kernel/virtio_blk.ko|"
                 "./usr/lib/modules/6.1.0/kernel/virtio-net.ko.xz|init")
         == 0, "names: %s", l.names);
  CHECK (l.sizes == 9 + 10 + 2 + 23, "sizes: %llu",
         (unsigned long long) l.sizes);

  /* The callback stops the walk with its value. */
  memset (&l, 0, sizeof l);
  l.stop_at = 2;
  r = cpio_list_memory (b.p, b.len, collect, &l, err, sizeof err);
  CHECK (r == 7 && l.n == 2, "stop: %d after %zu", r, l.n);

  /* Every cut inside a part is refused: a part without its trailer.
   * A cut between the parts, or in the padding after the last, leaves
   * whole parts. */
  for (size_t cut = 0; cut < b.len; ++cut) {
    struct buf t = { .p = b.p, .len = cut };
    int between = cut >= early_end && cut <= main_start;

    r = list_mem (&t, &l, err, sizeof err);
    if (cut == 0)
      CHECK (r == -1 && strcmp (err, "no cpio archive") == 0,
             "empty: %d %s", r, err);
    else if (between)
      CHECK (r == 0 && strcmp (l.names, early_names) == 0,
             "cut at %zu between the parts: %d %s", cut, r, err);
    else if (cut >= main_end)
      CHECK (r == 0 && l.n == 5, "cut at %zu in the last padding: %d %s",
             cut, r, err);
    else
      CHECK (r == -1 && strstr (err, "is cut short (no trailer)"),
             "cut at %zu: %d %s", cut, r, err);
  }
  free (b.p);
}

/* A damaged copy of the main archive must give the error want. */
static void
damaged (size_t at, const char *bytes, size_t n, const char *want)
{
  struct buf b = { 0 };
  struct listing l;
  char err[256];
  int r;

  put_main (&b);
  memcpy (b.p + at, bytes, n);
  r = list_mem (&b, &l, err, sizeof err);
  CHECK (r == -1 && strstr (err, want) != NULL,
         "damage at %zu: want '%s', got %d '%s'", at, want, r, err);
  free (b.p);
}

static void
test_damage (void)
{
  struct buf b = { 0 };
  struct listing l;
  char err[256], big[CPIO_NAME_MAX + 8];
  int r;

  damaged (0, "070707", 6, "offset 0: not a cpio newc header");
  damaged (0, "x", 1, "offset 0: neither a cpio archive nor compressed "
           "data");
  damaged (0, "\x1f\x8b", 2, "gzip data (not unpacked here)");
  damaged (6 + 8, "0000G000", 8, "offset 0: a header field is not hex");
  /* The second entry's header is at 112 ("." and its padding). */
  damaged (112, "070701x", 7, "offset 112: a header field is not hex");
  damaged (112 + 5, "7", 1, "offset 112: not a cpio newc header");
  /* namesize of the first entry: 1 (no name), then too long. */
  damaged (6 + 11 * 8, "00000001", 8, "offset 0: a name of 1 bytes");
  damaged (6 + 11 * 8, "00001001", 8, "a name of 4097 bytes");
  /* The name's NUL overwritten. */
  damaged (111, "x", 1, "offset 0: a name that is not one string");
  /* A size past the end. */
  damaged (112 + 6 + 6 * 8, "7FFFFFFF", 8, "is cut short (no trailer)");

  /* The longest name is taken, one more byte is not. */
  memset (big, 'a', CPIO_NAME_MAX - 1);
  big[CPIO_NAME_MAX - 1] = '\0';
  put_entry (&b, 0, big, 0100644, "", 0);
  put_trailer (&b, 0);
  r = list_mem (&b, &l, err, sizeof err);
  CHECK (r == 0 && l.n == 1, "longest name: %d %s", r, err);
  free (b.p);
  b = (struct buf) { 0 };
  big[CPIO_NAME_MAX - 1] = 'a';
  big[CPIO_NAME_MAX] = '\0';
  put_entry (&b, 0, big, 0100644, "", 0);
  put_trailer (&b, 0);
  r = list_mem (&b, &l, err, sizeof err);
  CHECK (r == -1 && strstr (err, "a name of 4097 bytes"), "long name: %s",
         err);
  free (b.p);
}

/* early + main compressed with cmd (a shell command from stdin to
 * stdout), listed from a file. */
static void
test_compressed (const char *prog, const char *cmd)
{
  struct buf early = { 0 }, main = { 0 };
  struct listing l = { 0 };
  char path[256], raw[256], shell[1024], err[256];
  int r;

  if (!have (prog)) {
    printf ("test-cpio: %s is not installed, not tested\n", prog);
    return;
  }
  put_early (&early);
  put_main (&main);
  snprintf (raw, sizeof raw, "%s/main.cpio", dir);
  snprintf (path, sizeof path, "%s/initrd-%s", dir, prog);
  write_file (raw, main.p, main.len);
  write_file (path, early.p, early.len);
  snprintf (shell, sizeof shell, "%s < %s >> %s", cmd, raw, path);
  CHECK (run (shell) == 0, "%s", shell);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == 0, "%s: %d %s", cmd, r, err);
  CHECK (l.n == 5 && strncmp (l.names, early_names,
                              strlen (early_names)) == 0 &&
         strcmp (l.names + strlen (early_names) + 1, main_names) == 0,
         "%s: %s", cmd, l.names);
  free (early.p);
  free (main.p);
}

static void
test_file_errors (void)
{
  struct buf b = { 0 };
  struct listing l = { 0 };
  char path[256], shell[1024], err[256];
  int r;

  snprintf (path, sizeof path, "%s/none", dir);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == -1 && strstr (err, "No such file"), "missing: %s", err);
  write_file (path, "", 0);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == -1 && strcmp (err, "the file is empty") == 0, "empty: %s", err);
  write_file (path, "initrd placeholder\n", 19);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == -1 && strcmp (err, "offset 0: neither a cpio archive nor "
                            "compressed data") == 0, "text: %s", err);

  if (!have ("gzip"))
    return;
  /* Damaged gzip data: gzip's complaint is named. */
  put_main (&b);
  snprintf (path, sizeof path, "%s/main.cpio", dir);
  write_file (path, b.p, b.len);
  snprintf (path, sizeof path, "%s/bad.gz", dir);
  write_file (path, b.p, b.len);
  snprintf (shell, sizeof shell, "gzip -n < %s/bad.gz > %s/bad.gz.1 && "
            "mv %s/bad.gz.1 %s/bad.gz && printf 'XXXXXXXX' | "
            "dd of=%s/bad.gz bs=1 seek=20 conv=notrunc 2>/dev/null",
            dir, dir, dir, dir, dir);
  CHECK (run (shell) == 0, "%s", shell);
  memset (&l, 0, sizeof l);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == -1 && strstr (err, "the gzip data at offset 0 cannot be "
                            "unpacked (gzip: "), "bad gzip: %s", err);

  /* A cpio inside gzip cut short. */
  snprintf (shell, sizeof shell, "head -c 300 %s/main.cpio | gzip -n > %s",
            dir, path);
  CHECK (run (shell) == 0, "%s", shell);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == -1 && strstr (err, "the archive at offset 0 of the gzip data "
                            "is cut short"), "short gzip: %s", err);

  /* No gzip on the host. */
  snprintf (shell, sizeof shell, "gzip -n < %s/main.cpio > %s", dir, path);
  CHECK (run (shell) == 0, "%s", shell);
  {
    char *old = getenv ("PATH") ? strdup (getenv ("PATH")) : NULL;

    setenv ("PATH", dir, 1);
    r = cpio_list_file (path, collect, &l, err, sizeof err);
    if (old)
      setenv ("PATH", old, 1);
    free (old);
  }
  CHECK (r == -1 && strcmp (err, "gzip data at offset 0, and gzip is not "
                            "installed on this host") == 0, "no gzip: %s",
         err);
  free (b.p);
}

/* Archives GNU cpio writes, listed as it lists them. */
static void
test_gnu_cpio (void)
{
  char shell[1024], path[256], err[256], *want = NULL;
  struct listing l = { 0 };
  size_t n = 0;
  ssize_t got;
  FILE *f;
  int r;

  if (!have ("cpio")) {
    printf ("test-cpio: GNU cpio is not installed, not tested\n");
    return;
  }
  snprintf (shell, sizeof shell,
            "cd %s && mkdir -p tree/lib/modules/6.1.0/kernel && "
            "printf 'x%%.0s' $(seq 1 1001) > tree/lib/modules/6.1.0/kernel/"
            "a.ko && ln -sf a.ko tree/lib/modules/6.1.0/kernel/b.ko && "
            "printf '' > tree/empty && cd tree && "
            "find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../gnu.cpio && "
            "cpio -t --quiet < ../gnu.cpio | tr '\\n' '|' > ../gnu.list", dir);
  CHECK (run (shell) == 0, "%s", shell);
  snprintf (path, sizeof path, "%s/gnu.list", dir);
  f = fopen (path, "r");
  assert (f != NULL);
  got = getline (&want, &n, f);
  assert (got > 0);
  fclose (f);
  want[strlen (want) - 1] = '\0';     /* the last '|' */
  snprintf (path, sizeof path, "%s/gnu.cpio", dir);
  r = cpio_list_file (path, collect, &l, err, sizeof err);
  CHECK (r == 0 && strcmp (l.names, want) == 0,
         "GNU cpio: %d %s: '%s' against '%s'", r, err, l.names, want);
  CHECK (l.sizes == 1001 + 4, "GNU cpio sizes: %llu",
         (unsigned long long) l.sizes);
  free (want);
}

/* Random damage: a listing or an error, never anything else.  The
 * seed is fixed, so a failure is reproducible. */
static void
test_mutations (void)
{
  struct buf b = { 0 }, m = { 0 };
  struct listing l;
  char err[256];
  unsigned seed = 12345;

  put_early (&b);
  put_main (&b);
  m.p = malloc (b.len);
  assert (m.p != NULL);
  for (int i = 0; i < 20000; ++i) {
    int r, flips;

    memcpy (m.p, b.p, b.len);
    m.len = b.len - rand_r (&seed) % 64 * (rand_r (&seed) % 2);
    flips = 1 + rand_r (&seed) % 4;
    for (int j = 0; j < flips; ++j) {
      size_t at = rand_r (&seed) % m.len;

      m.p[at] = rand_r (&seed) % 3 == 0 ? (unsigned char) rand_r (&seed) :
        (unsigned char) "0123456789abcdefF\0\xff"[rand_r (&seed) % 20];
    }
    r = list_mem (&m, &l, err, sizeof err);
    CHECK (r == 0 || (r == -1 && *err), "mutation %d: %d", i, r);
    CHECK (l.n <= 6, "mutation %d: %zu entries", i, l.n);
  }
  free (m.p);
  free (b.p);
}

int
main (void)
{
  char shell[256];
  char *made;

  made = mkdtemp (dir);
  assert (made != NULL);
  test_memory ();
  test_damage ();
  test_file_errors ();
  test_compressed ("gzip", "gzip -n -9");
  test_compressed ("xz", "xz -c --check=crc32");
  test_compressed ("xz", "xz -c --format=lzma");
  test_compressed ("zstd", "zstd -q -c");
  test_compressed ("lz4", "lz4 -q -l -c");
  test_compressed ("bzip2", "bzip2 -c");
  test_gnu_cpio ();
  test_mutations ();
  snprintf (shell, sizeof shell, "rm -rf %s", dir);
  run (shell);
  if (failures) {
    fprintf (stderr, "test-cpio: %d failures\n", failures);
    return 1;
  }
  return 0;
}
