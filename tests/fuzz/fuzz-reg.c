/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the .reg parser of drydock win-reg --merge
 * (winreg/merge.c): text a user hands the tool, often exported from
 * some other machine.  The parser reads it whole (continuation lines,
 * quoting, hex and hex(N) data, dword, strings encoded to UTF-16LE or
 * the --encoding given) before anything changes; then the merge walks
 * what it kept through hive calls, stubbed here with a fake hive that
 * has every parent and none of the keys (so each key is added, each
 * value set).  Promises checked: winreg_parse and winreg_merge print
 * exactly one message when they fail and none when they succeed; every
 * value handed to the hive has data of the length it says (its bytes
 * are read whole) and a type that fits in 32 bits (hex(N) may name
 * any); nothing leaks or overruns
 * (run under the sanitizers by `make fuzz`).  A broken promise aborts.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that mutates a .reg text with every
 * kind of line a fixed number of times from a fixed seed. */

#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winreg.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int messages;
static volatile unsigned sink;

/* What merge.c calls in hives.c and the library, stubbed. */

int
winreg_error (const char *fs, ...)
{
  messages++;
  return -1;
}

int
winreg_lib_error (drydock_h *h)
{
  messages++;
  return -1;
}

void
winreg_debug (const struct winreg_ctx *c, const char *fs, ...)
{
}

int
winreg_known_root (const char *regpath)
{
  return strncmp (regpath, "HKEY_LOCAL_MACHINE\\", 19) == 0;
}

int
winreg_unknown_root (const char *regpath)
{
  messages++;
  return -1;
}

/* HKEY_LOCAL_MACHINE\\HIVE\\... maps to one hive; the key's path is what
 * follows HIVE ("\\" for the hive itself). */
int
winreg_map_path (struct winreg_ctx *c, const char *regpath,
                 struct winreg_target *t)
{
  const char *slash;

  memset (t, 0, sizeof *t);
  if (!winreg_known_root (regpath)) {
    messages++;
    return -1;
  }
  slash = strchr (regpath + 19, '\\');
  if (slash == NULL)
    slash = regpath + strlen (regpath);
  t->file = strdup ("/Windows/System32/config/SOFTWARE");
  t->prefix = strndup (regpath, (size_t) (slash - regpath));
  t->path = strdup (*slash ? slash : "\\");
  if (t->file == NULL || t->prefix == NULL || t->path == NULL)
    abort ();
  return 0;
}

void
winreg_target_free (struct winreg_target *t)
{
  free (t->file);
  free (t->prefix);
  free (t->path);
  memset (t, 0, sizeof *t);
}

int
winreg_use_hive (struct winreg_ctx *c, const char *file)
{
  c->hive_root = 1;
  return 0;
}

/* The hive's root (node 1) and the keys right under it (node 3) exist,
 * no deeper key does. */
int64_t
winreg_lookup (struct winreg_ctx *c, const char *path, char **canonical)
{
  if (canonical)
    *canonical = NULL;
  if (strcmp (path, "\\") == 0)
    return 1;
  return strrchr (path, '\\') == path ? 3 : 0;
}

int64_t
drydock_hivex_node_add_child (drydock_h *h, int64_t parent, const char *name)
{
  sink += (unsigned) strlen (name);
  return 2;
}

int
drydock_hivex_node_delete_child (drydock_h *h, int64_t node)
{
  return 0;
}

int
drydock_hivex_node_delete_value (drydock_h *h, int64_t node, const char *key)
{
  sink += (unsigned) strlen (key);
  return 0;
}

int
drydock_hivex_node_set_value (drydock_h *h, int64_t node, const char *key,
                              int64_t t, const char *val, size_t val_size)
{
  if (t < 0 || t > UINT32_MAX)
    abort ();
  sink += (unsigned) strlen (key);
  for (size_t i = 0; i < val_size; ++i)
    sink += (unsigned char) val[i];
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct winreg_ctx c = { 0 };
  struct winreg_merge_text *m;
  /* The first byte picks the encoding strings are stored in. */
  const char *encoding = size > 0 && data[0] & 1 ? "UTF-8" : NULL;
  FILE *in = size > 0 ? fmemopen ((void *) data, size, "r")
                      : fopen ("/dev/null", "r");
  int r;

  if (in == NULL)
    abort ();
  messages = 0;
  m = winreg_parse (in, "fuzz.reg", encoding);
  fclose (in);
  if ((m == NULL) != (messages == 1) || messages > 1)
    abort ();
  if (m == NULL)
    return 0;
  r = winreg_merge (&c, m);
  if ((r == -1) != (messages == 1) || messages > 1)
    abort ();
  winreg_free_text (m);
  return 0;
}

#ifndef FUZZING_ENGINE
int
main (int argc, char *argv[])
{
  static const char good[] =
    "\xef\xbb\xbfWindows Registry Editor Version 5.00\r\n"
    "; a comment\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Drydock]\n"
    "@=\"default \\\"quoted\\\" \\\\ value\"\n"
    "\"Str\"=\"Z\xc3\xbcrich \xe2\x9c\x93\"\n"
    "\"Dword\"=dword:0000ffff\n"
    "\"Bin\"=hex:01,02,ff,\\\n"
    "  00,10\n"
    "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n"
    "\"Qword\"=hex(b):01,00,00,00,00,00,00,00\n"
    "\"Expand\"=hex(2):25,00,41,00,25,00,00,00\n"
    "\"Gone\"=-\n"
    "\n"
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Drydock\\Sub]\n"
    "\"x\"=hex(0):\n";
  uint64_t seed = 0x243f6a8885a308d3ULL;
  long iterations = argc == 2 ? atol (argv[1]) : 20000;
  static uint8_t buf[sizeof good];
  struct winreg_merge_text *m;
  struct winreg_ctx c = { 0 };
  FILE *in;

  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0) {
    char path[4096];
    FILE *fp;

    snprintf (path, sizeof path, "%s/merge.reg", argv[2]);
    fp = fopen (path, "w");
    if (fp == NULL || fputs (good, fp) == EOF || fclose (fp) == EOF) {
      perror (path);
      return 1;
    }
    return 0;
  }

  /* The good text parses and merges without a message. */
  messages = 0;
  in = fmemopen ((void *) good, sizeof good - 1, "r");
  if (in == NULL || (m = winreg_parse (in, "good.reg", NULL)) == NULL ||
      winreg_merge (&c, m) != 0 || messages != 0)
    abort ();
  fclose (in);
  winreg_free_text (m);

  for (long i = 0; i < iterations; ++i) {
    size_t n = sizeof good - 1 - fuzz_next (&seed) % 96 * (fuzz_next (&seed) & 1);
    int flips = 1 + (int) (fuzz_next (&seed) % 6);

    memcpy (buf, good, n);
    for (int j = 0; j < flips; ++j) {
      uint64_t v = fuzz_next (&seed);

      buf[v % n] = (v >> 32) % 3 ?
        (uint8_t) "\"\\[]-@=:,(\n\r0f7bx"[(v >> 40) % 18] : (uint8_t) (v >> 48);
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-reg: %ld inputs\n", iterations);
  return 0;
}
#endif
