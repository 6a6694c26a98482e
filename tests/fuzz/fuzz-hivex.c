/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for what win-reg makes of the hivex replies (winreg/
 * export.c): key names, value names, types and data as a guest's hive
 * holds them, any bytes, turned into .reg text (both string modes) and
 * into one value's plain text.  The hive calls are stubbed with a fake
 * hive built from the input: keys (any bytes in their names, siblings
 * sharing names), values of any type and length.  Promises checked:
 *  - export and print-value print exactly one message when they fail
 *    and none when they succeed;
 *  - the .reg text export writes, parsed back by the .reg parser
 *    (merge.c) and merged into the same fake hive, sets every value
 *    with its type and bytes, once, whenever the names can be written
 *    in a .reg text at all (no control character, no "\" or "]" in a
 *    key name, no two siblings or values of one key with one name);
 *  - nothing leaks or overruns (the sanitizers of `make fuzz`).
 * A broken promise aborts.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that runs a fixed number of
 * pseudo-random hives from a fixed seed. */

#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winreg.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define NODES_MAX 48
#define VALUES_MAX 128
#define NODE_BASE 1000          /* node i's handle */
#define VALUE_BASE 5000         /* value j's handle */

struct fnode {
  char name[16];
  int parent;                   /* -1 for the root */
};
struct fvalue {
  int node;
  char key[12];
  int64_t type;
  unsigned char data[40];
  size_t len;
  int set;                      /* times the merge set it */
};

static struct fnode nodes[NODES_MAX];
static struct fvalue values[VALUES_MAX];
static int n_nodes, n_values;
static int messages;
static int merging;             /* the stubs answer the merge, not export */
static const char prefix[] = "HKEY_LOCAL_MACHINE\\SOFTWARE";
static long read_back, values_back;   /* for the plain driver's summary */

/* What export.c and merge.c call in hives.c, stubbed. */

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
winreg_use_hive (struct winreg_ctx *c, const char *file)
{
  c->hive_root = NODE_BASE;
  return 0;
}

int
winreg_known_root (const char *regpath)
{
  return strncmp (regpath, prefix, strlen (prefix)) == 0;
}

int
winreg_unknown_root (const char *regpath)
{
  messages++;
  return -1;
}

int
winreg_map_path (struct winreg_ctx *c, const char *regpath,
                 struct winreg_target *t)
{
  size_t n = strlen (prefix);

  memset (t, 0, sizeof *t);
  if (strncmp (regpath, prefix, n) != 0 ||
      (regpath[n] != '\0' && regpath[n] != '\\')) {
    messages++;
    return -1;
  }
  t->file = strdup ("SOFTWARE");
  t->prefix = strdup (prefix);
  t->path = strdup (regpath[n] ? regpath + n : "\\");
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

/* The key of path ("\A\B"), names compared exactly: its handle or 0. */
int64_t
winreg_lookup (struct winreg_ctx *c, const char *path, char **canonical)
{
  int node = 0;

  if (canonical && (*canonical = strdup (path)) == NULL)
    abort ();
  if (path[0] != '\\')
    return 0;
  for (const char *p = path + 1; *p;) {
    size_t len = strcspn (p, "\\");
    int found = -1;

    for (int i = 1; i < n_nodes && found == -1; ++i)
      if (nodes[i].parent == node && strlen (nodes[i].name) == len &&
          memcmp (nodes[i].name, p, len) == 0)
        found = i;
    if (found == -1)
      return 0;
    node = found;
    p += len;
    if (*p == '\\')
      p++;
  }
  return NODE_BASE + node;
}

static int
node_of (int64_t h)
{
  if (h < NODE_BASE || h >= NODE_BASE + n_nodes)
    abort ();
  return (int) (h - NODE_BASE);
}

static struct fvalue *
value_of (int64_t h)
{
  if (h < VALUE_BASE || h >= VALUE_BASE + n_values)
    abort ();
  return &values[h - VALUE_BASE];
}

struct drydock_hivex_node_list *
drydock_hivex_node_children (drydock_h *h, int64_t nodeh)
{
  struct drydock_hivex_node_list *l = calloc (1, sizeof *l);
  int node = node_of (nodeh);

  if (l == NULL || (l->val = calloc (NODES_MAX, sizeof *l->val)) == NULL)
    abort ();
  for (int i = 1; i < n_nodes; ++i)
    if (nodes[i].parent == node)
      l->val[l->len++].hivex_node_h = NODE_BASE + i;
  return l;
}

char *
drydock_hivex_node_name (drydock_h *h, int64_t nodeh)
{
  return strdup (nodes[node_of (nodeh)].name);
}

struct drydock_hivex_value_list *
drydock_hivex_node_values (drydock_h *h, int64_t nodeh)
{
  struct drydock_hivex_value_list *l = calloc (1, sizeof *l);
  int node = node_of (nodeh);

  if (l == NULL || (l->val = calloc (VALUES_MAX, sizeof *l->val)) == NULL)
    abort ();
  for (int j = 0; j < n_values; ++j)
    if (values[j].node == node)
      l->val[l->len++].hivex_value_h = VALUE_BASE + j;
  return l;
}

void
drydock_free_hivex_node_list (struct drydock_hivex_node_list *l)
{
  if (l)
    free (l->val);
  free (l);
}

void
drydock_free_hivex_value_list (struct drydock_hivex_value_list *l)
{
  if (l)
    free (l->val);
  free (l);
}

int64_t
drydock_hivex_node_get_value (drydock_h *h, int64_t nodeh, const char *key)
{
  int node = node_of (nodeh);

  for (int j = 0; j < n_values; ++j)
    if (values[j].node == node && strcmp (values[j].key, key) == 0)
      return VALUE_BASE + j;
  return 0;
}

char *
drydock_hivex_value_key (drydock_h *h, int64_t valueh)
{
  return strdup (value_of (valueh)->key);
}

int64_t
drydock_hivex_value_type (drydock_h *h, int64_t valueh)
{
  return value_of (valueh)->type;
}

char *
drydock_hivex_value_value (drydock_h *h, int64_t valueh, size_t *size_r)
{
  struct fvalue *v = value_of (valueh);
  char *d = malloc (v->len + 1);

  if (d == NULL)
    abort ();
  memcpy (d, v->data, v->len);
  *size_r = v->len;
  return d;
}

/* The daemon decodes strings; here the bytes as they are, up to a
 * NUL. */
char *
drydock_hivex_value_string (drydock_h *h, int64_t valueh)
{
  struct fvalue *v = value_of (valueh);

  return strndup ((const char *) v->data, v->len);
}

int64_t
drydock_hivex_node_add_child (drydock_h *h, int64_t parent, const char *name)
{
  /* Every key the export wrote is in the hive already. */
  abort ();
}

int
drydock_hivex_node_delete_child (drydock_h *h, int64_t node)
{
  abort ();
}

int
drydock_hivex_node_delete_value (drydock_h *h, int64_t node, const char *key)
{
  abort ();
}

int
drydock_hivex_node_set_value (drydock_h *h, int64_t nodeh, const char *key,
                              int64_t t, const char *val, size_t val_size)
{
  int node = node_of (nodeh);

  if (!merging)
    abort ();
  for (int j = 0; j < n_values; ++j) {
    struct fvalue *v = &values[j];

    if (v->node == node && strcmp (v->key, key) == 0) {
      if (v->type != t || v->len != val_size ||
          memcmp (v->data, val, val_size) != 0)
        abort ();
      v->set++;
      return 0;
    }
  }
  abort ();
}

/* The fake hive from the input: a byte picks the kind of each record,
 * the next ones its parts. */
struct input {
  const uint8_t *p;
  size_t left;
};

static unsigned
take (struct input *in)
{
  if (in->left == 0)
    return 0;
  in->left--;
  return *in->p++;
}

static void
take_name (struct input *in, char *name, size_t max)
{
  size_t n = take (in) % max;

  for (size_t i = 0; i < n; ++i)
    name[i] = (char) (take (in) ? : 'x');    /* names hold no NUL */
  name[n] = '\0';
}

static void
build (const uint8_t *data, size_t size)
{
  struct input in = { data, size };

  n_nodes = 1;
  n_values = 0;
  memset (&nodes[0], 0, sizeof nodes[0]);
  nodes[0].parent = -1;
  while (in.left > 0) {
    unsigned kind = take (&in);

    if (kind % 2 == 0 && n_nodes < NODES_MAX) {
      struct fnode *n = &nodes[n_nodes];

      n->parent = (int) (take (&in) % (unsigned) n_nodes);
      take_name (&in, n->name, sizeof n->name);
      if (n->name[0])
        n_nodes++;
    }
    else if (kind % 2 == 1 && n_values < VALUES_MAX) {
      struct fvalue *v = &values[n_values++];

      memset (v, 0, sizeof *v);
      v->node = (int) (take (&in) % (unsigned) n_nodes);
      take_name (&in, v->key, sizeof v->key);
      v->type = kind & 0x80 ? (int64_t) (take (&in) | take (&in) << 8 |
                                         take (&in) << 16 |
                                         (uint32_t) take (&in) << 24)
                            : (int64_t) (take (&in) % 12);
      v->len = take (&in) % sizeof v->data;
      for (size_t i = 0; i < v->len; ++i)
        v->data[i] = (unsigned char) take (&in);
    }
  }
}

/* 1 if every name can be written in .reg text and read back as it is. */
static int
writable_names (void)
{
  for (int i = 1; i < n_nodes; ++i) {
    for (const char *p = nodes[i].name; *p; ++p)
      if ((unsigned char) *p < 0x20 || *p == 0x7f || *p == '\\' || *p == ']')
        return 0;
    for (int k = 1; k < i; ++k)
      if (nodes[k].parent == nodes[i].parent &&
          strcmp (nodes[k].name, nodes[i].name) == 0)
        return 0;
  }
  for (int j = 0; j < n_values; ++j) {
    for (const char *p = values[j].key; *p; ++p)
      if ((unsigned char) *p < 0x20 || *p == 0x7f)
        return 0;
    for (int k = 0; k < j; ++k)
      if (values[k].node == values[j].node &&
          strcmp (values[k].key, values[j].key) == 0)
        return 0;
  }
  return 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct winreg_ctx c = { 0 };
  struct winreg_target t = { (char *) "SOFTWARE", (char *) prefix,
                             (char *) "\\" };
  char *text = NULL;
  size_t len = 0;
  FILE *out;
  int r, exported = -1;

  build (data, size);
  merging = 0;
  for (int printable = 1; printable >= 0; --printable) {
    messages = 0;
    out = open_memstream (&text, &len);
    if (out == NULL)
      abort ();
    r = winreg_export (&c, &t, printable, out);
    fclose (out);
    if ((r == -1) != (messages == 1) || messages > 1)
      abort ();
    if (printable)
      free (text);
    exported = r;
  }
  /* One value of the root as plain text. */
  if (n_values > 0 && values[0].node == 0) {
    FILE *null = fopen ("/dev/null", "w");

    messages = 0;
    r = winreg_print_value (&c, &t, values[0].key[0] ? values[0].key : "@",
                            null);
    fclose (null);
    if ((r == -1) != (messages == 1) || messages > 1)
      abort ();
  }
  /* The export read back sets every value as it is. */
  if (exported == 0 && writable_names ()) {
    FILE *in = fmemopen (text, len, "r");
    struct winreg_merge_text *m;

    messages = 0;
    merging = 1;
    if (in == NULL || (m = winreg_parse (in, "export.reg", NULL)) == NULL ||
        winreg_merge (&c, m) != 0 || messages != 0)
      abort ();
    fclose (in);
    winreg_free_text (m);
    for (int j = 0; j < n_values; ++j)
      if (values[j].set != 1)
        abort ();
    read_back++;
    values_back += n_values;
  }
  free (text);
  return 0;
}

#ifndef FUZZING_ENGINE
int
main (int argc, char *argv[])
{
  uint64_t seed = 0x13198a2e03707344ULL;
  long iterations = argc == 2 ? atol (argv[1]) : 20000;
  uint8_t buf[512];

  for (long i = 0; i < iterations; ++i) {
    size_t n = fuzz_next (&seed) % sizeof buf;

    /* Mostly bytes a name can have in .reg text (quotes, "=", "@" and
     * "[" among them), so that many hives can be read back. */
    for (size_t k = 0; k < n; ++k) {
      static const char alphabet[] = "abcXYZ019 -_.\"@=:,[{";
      uint64_t v = fuzz_next (&seed);

      buf[k] = v % 16 ? (uint8_t) alphabet[(v >> 8) % (sizeof alphabet - 1)]
                      : (uint8_t) (v >> 16);
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-hivex: %ld inputs, %ld exports read back (%ld values)\n",
          iterations, read_back, values_back);
  /* The read-back promise must have been put to the test. */
  if (iterations >= 1000 && values_back < iterations)
    abort ();
  return 0;
}
#endif
