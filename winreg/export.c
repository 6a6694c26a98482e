/* drydock win-reg: a key written as .reg text, and one value as plain
 * text.  The .reg text is what virt-win-reg prints: each key as
 * [PREFIX\PATH] with its values sorted by name, a blank line, then its
 * subkeys sorted by name; a DWORD as dword:%08x, everything else as
 * hex(TYPE):bytes (strings too: the registry does not say how they are
 * encoded, so the bytes are kept), no header, no line continuation.
 * Names are compared and written as UTF-8. */

#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "winreg.h"

/* One value of a key, read in full. */
struct value {
  char *key;
  int64_t type;
  char *data;
  size_t len;
};

static void
free_values (struct value *v, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    free (v[i].key);
    free (v[i].data);
  }
  free (v);
}

static int
compare_values (const void *x, const void *y)
{
  return strcmp (((const struct value *) x)->key,
                 ((const struct value *) y)->key);
}

static int
read_value (drydock_h *h, int64_t vh, struct value *v)
{
  v->key = drydock_hivex_value_key (h, vh);
  if (v->key == NULL)
    return -1;
  v->type = drydock_hivex_value_type (h, vh);
  if (v->type == -1)
    return -1;
  v->data = drydock_hivex_value_value (h, vh, &v->len);
  return v->data ? 0 : -1;
}

/* The values of node, sorted by name, in *out (*n of them; caller frees
 * with free_values). */
static int
read_values (struct winreg_ctx *c, int64_t node, struct value **out,
             size_t *n)
{
  struct drydock_hivex_value_list *l = drydock_hivex_node_values (c->h, node);
  struct value *v;

  *out = NULL;
  *n = 0;
  if (l == NULL)
    return winreg_lib_error (c->h);
  v = calloc (l->len ? l->len : 1, sizeof *v);
  if (v == NULL) {
    drydock_free_hivex_value_list (l);
    return winreg_error ("%s", _("out of memory"));
  }
  for (uint32_t i = 0; i < l->len; ++i)
    if (read_value (c->h, l->val[i].hivex_value_h, &v[i]) == -1) {
      free_values (v, l->len);
      drydock_free_hivex_value_list (l);
      return winreg_lib_error (c->h);
    }
  *n = l->len;
  drydock_free_hivex_value_list (l);
  qsort (v, *n, sizeof *v, compare_values);
  *out = v;
  return 0;
}

/* s with \ and " escaped by a backslash. */
static void
put_quoted (FILE *out, const char *s)
{
  fputc ('"', out);
  for (; *s; ++s) {
    if (*s == '\\' || *s == '"')
      fputc ('\\', out);
    fputc (*s, out);
  }
  fputc ('"', out);
}

/* Appends the UTF-8 of code point u. */
static void
put_utf8 (FILE *out, uint32_t u)
{
  if (u < 0x80)
    fputc ((int) u, out);
  else if (u < 0x800) {
    fputc ((int) (0xc0 | (u >> 6)), out);
    fputc ((int) (0x80 | (u & 0x3f)), out);
  }
  else if (u < 0x10000) {
    fputc ((int) (0xe0 | (u >> 12)), out);
    fputc ((int) (0x80 | ((u >> 6) & 0x3f)), out);
    fputc ((int) (0x80 | (u & 0x3f)), out);
  }
  else {
    fputc ((int) (0xf0 | (u >> 18)), out);
    fputc ((int) (0x80 | ((u >> 12) & 0x3f)), out);
    fputc ((int) (0x80 | ((u >> 6) & 0x3f)), out);
    fputc ((int) (0x80 | (u & 0x3f)), out);
  }
}

/* --unsafe-printable-strings: the data taken for UTF-16LE, one final
 * NUL dropped, " escaped; what is not UTF-16 (an unpaired surrogate, an
 * odd last byte) becomes U+FFFD. */
static void
put_utf16_string (FILE *out, const unsigned char *d, size_t len)
{
  size_t n = len / 2;

  if (n > 0 && d[2 * n - 2] == 0 && d[2 * n - 1] == 0 && len % 2 == 0)
    n--;
  fputc ('"', out);
  for (size_t i = 0; i < n; ++i) {
    uint32_t u = d[2 * i] | (uint32_t) d[2 * i + 1] << 8;

    if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
      uint32_t l = d[2 * i + 2] | (uint32_t) d[2 * i + 3] << 8;
      if (l >= 0xdc00 && l < 0xe000) {
        u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
        i++;
      }
    }
    if (u >= 0xd800 && u < 0xe000)
      u = 0xfffd;
    if (u == '"')
      fputc ('\\', out);
    put_utf8 (out, u);
  }
  if (len % 2)
    put_utf8 (out, 0xfffd);
  fputs ("\"\n", out);
}

static void
put_value (FILE *out, const struct value *v, int printable)
{
  const unsigned char *d = (const unsigned char *) v->data;

  if (v->key[0] == '\0')
    fputs ("@=", out);
  else {
    put_quoted (out, v->key);
    fputc ('=', out);
  }
  if (v->type == 4 && v->len == 4)
    fprintf (out, "dword:%08" PRIx32 "\n",
             d[0] | (uint32_t) d[1] << 8 | (uint32_t) d[2] << 16 |
             (uint32_t) d[3] << 24);
  else if (printable && (v->type == 1 || v->type == 2)) {
    fprintf (out, "str(%" PRIx64 "):", v->type);
    put_utf16_string (out, d, v->len);
  }
  else {
    fprintf (out, "hex(%" PRIx64 "):", v->type);
    for (size_t i = 0; i < v->len; ++i)
      fprintf (out, i ? ",%02x" : "%02x", d[i]);
    fputc ('\n', out);
  }
}

/* A child: its handle and name, for sorting. */
struct child {
  int64_t node;
  char *name;
};

static int
compare_children (const void *x, const void *y)
{
  return strcmp (((const struct child *) x)->name,
                 ((const struct child *) y)->name);
}

static void
free_children (struct child *ch, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    free (ch[i].name);
  free (ch);
}

/* The children of node sorted by name. */
static int
read_children (struct winreg_ctx *c, int64_t node, struct child **out,
               size_t *n)
{
  struct drydock_hivex_node_list *l = drydock_hivex_node_children (c->h, node);
  struct child *ch;

  *out = NULL;
  *n = 0;
  if (l == NULL)
    return winreg_lib_error (c->h);
  ch = calloc (l->len ? l->len : 1, sizeof *ch);
  if (ch == NULL) {
    drydock_free_hivex_node_list (l);
    return winreg_error ("%s", _("out of memory"));
  }
  for (uint32_t i = 0; i < l->len; ++i) {
    ch[i].node = l->val[i].hivex_node_h;
    ch[i].name = drydock_hivex_node_name (c->h, ch[i].node);
    if (ch[i].name == NULL) {
      free_children (ch, l->len);
      drydock_free_hivex_node_list (l);
      return winreg_lib_error (c->h);
    }
  }
  *n = l->len;
  drydock_free_hivex_node_list (l);
  qsort (ch, *n, sizeof *ch, compare_children);
  *out = ch;
  return 0;
}

/* The hive is guest data: a crafted one can make a key its own
 * descendant, or share subkeys until the tree is astronomically large.
 * Windows nests keys at most 512 deep; real hives have far fewer keys
 * than this. */
#define EXPORT_DEPTH_MAX 512
#define EXPORT_KEYS_MAX 1000000

/* How far the export went: depth of the current key, keys written. */
struct walk {
  unsigned depth;
  size_t keys;
};

static int
export_node (struct winreg_ctx *c, int64_t node, const char *prefix,
             const char *path, int printable, FILE *out, struct walk *w)
{
  struct value *v;
  struct child *ch;
  size_t n;
  int r = 0;

  if (w->depth > EXPORT_DEPTH_MAX || ++w->keys > EXPORT_KEYS_MAX)
    return winreg_error (_("%s%s: keys nested more than %d deep or more than "
                         "%d keys (a damaged hive?)"), prefix, path,
                         EXPORT_DEPTH_MAX, EXPORT_KEYS_MAX);
  if (read_values (c, node, &v, &n) == -1)
    return -1;
  fprintf (out, "[%s%s]\n", prefix, path);
  for (size_t i = 0; i < n; ++i)
    put_value (out, &v[i], printable);
  fputc ('\n', out);
  free_values (v, n);
  if (read_children (c, node, &ch, &n) == -1)
    return -1;
  for (size_t i = 0; i < n && r == 0; ++i) {
    CLEANUP_FREE char *sub = NULL;

    if (asprintf (&sub, "%s\\%s", strcmp (path, "\\") ? path : "",
                  ch[i].name) == -1)
      r = winreg_error ("%s", _("out of memory"));
    else {
      w->depth++;
      r = export_node (c, ch[i].node, prefix, sub, printable, out, w);
      w->depth--;
    }
  }
  free_children (ch, n);
  return r;
}

/* The node of t's key in its hive, opened; *canonical its path. */
static int64_t
find_key (struct winreg_ctx *c, const struct winreg_target *t,
          char **canonical)
{
  int64_t node;

  if (winreg_use_hive (c, t->file) == -1)
    return -1;
  node = winreg_lookup (c, t->path, canonical);
  if (node == 0)
    winreg_error (_("'%s%s': no such key"), t->prefix,
                  strcmp (t->path, "\\") ? t->path : "");
  return node > 0 ? node : -1;
}

int
winreg_export (struct winreg_ctx *c, const struct winreg_target *t,
               int unsafe_printable_strings, FILE *out)
{
  CLEANUP_FREE char *path = NULL;
  int64_t node = find_key (c, t, &path);
  struct walk w = { 0, 0 };

  if (node == -1)
    return -1;
  winreg_debug (c, "exporting %s from %s with the prefix %s", path, t->file,
                t->prefix);
  return export_node (c, node, t->prefix, path, unsafe_printable_strings,
                      out, &w);
}

/* Multiple strings: each UTF-16LE string ended by a NUL on a line of
 * its own, empty ones too, up to the end of the data; what follows the
 * last NUL (a string without one, an odd byte) on a last line. */
static void
put_multi_sz (FILE *out, const unsigned char *d, size_t len)
{
  size_t n = len / 2, start = 0;

  for (size_t i = 0; i < n; ++i) {
    uint32_t u = d[2 * i] | (uint32_t) d[2 * i + 1] << 8;

    if (u == 0) {
      fputc ('\n', out);
      start = i + 1;
      continue;
    }
    if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
      uint32_t l = d[2 * i + 2] | (uint32_t) d[2 * i + 3] << 8;
      if (l >= 0xdc00 && l < 0xe000) {
        u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
        i++;
      }
    }
    put_utf8 (out, u >= 0xd800 && u < 0xe000 ? 0xfffd : u);
  }
  if (start < n || len % 2)
    fputc ('\n', out);
}

int
winreg_print_value (struct winreg_ctx *c, const struct winreg_target *t,
                    const char *name, FILE *out)
{
  CLEANUP_FREE char *path = NULL, *s = NULL;
  struct value v = { NULL, 0, NULL, 0 };
  const unsigned char *d;
  int64_t node = find_key (c, t, &path), vh;
  int r = 0;

  if (node == -1)
    return -1;
  if (strcmp (name, "@") == 0)
    name = "";
  vh = drydock_hivex_node_get_value (c->h, node, name);
  if (vh == -1)
    return winreg_lib_error (c->h);
  if (vh == 0)
    return winreg_error (_("'%s%s': no value named '%s'"), t->prefix,
                         strcmp (path, "\\") ? path : "", *name ? name : "@");
  if (read_value (c->h, vh, &v) == -1) {
    free (v.key);
    free (v.data);
    return winreg_lib_error (c->h);
  }
  d = (const unsigned char *) v.data;
  switch (v.type) {
  case 1: case 2: case 6:               /* strings */
    s = drydock_hivex_value_string (c->h, vh);
    if (s == NULL)
      r = winreg_lib_error (c->h);
    else
      fprintf (out, "%s\n", s);
    break;
  case 4: case 5:                       /* DWORD, little or big endian */
    if (v.len != 4) {
      r = winreg_error (_("value '%s': a DWORD of %zu bytes"), name, v.len);
      break;
    }
    fprintf (out, "%" PRIi32 "\n", (int32_t) (v.type == 4 ?
             d[0] | (uint32_t) d[1] << 8 | (uint32_t) d[2] << 16 |
             (uint32_t) d[3] << 24 :
             d[3] | (uint32_t) d[2] << 8 | (uint32_t) d[1] << 16 |
             (uint32_t) d[0] << 24));
    break;
  case 11: {                            /* QWORD */
    uint64_t q = 0;

    if (v.len != 8) {
      r = winreg_error (_("value '%s': a QWORD of %zu bytes"), name, v.len);
      break;
    }
    for (int i = 7; i >= 0; --i)
      q = q << 8 | d[i];
    fprintf (out, "%" PRIi64 "\n", (int64_t) q);
    break;
  }
  case 7:                               /* REG_MULTI_SZ */
    put_multi_sz (out, d, v.len);
    break;
  default:
    fwrite (v.data, 1, v.len, out);
  }
  free (v.key);
  free (v.data);
  return r;
}
