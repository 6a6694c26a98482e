/* drydock win-reg --merge: .reg text read, then merged.  The whole text
 * is parsed before anything is touched (a syntax error costs no
 * launch), into a list of keys to delete and keys to merge with their
 * values to set and delete, as virt-win-reg reads it: header and
 * comment lines skipped, "\" at the end of a line joining the next,
 * [KEY] and [-KEY], "NAME"=VALUE, @=VALUE, "NAME"=- and @=-, where VALUE
 * is "STRING", str:"..." or str(TYPE):"...", dword:XXXXXXXX, hex:BYTES
 * or hex(TYPE):BYTES.  The text is UTF-8; strings are stored in the
 * --encoding, with a final NUL.  Every key's root must be one a hive
 * is known for (winreg_known_root). */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "winreg.h"

struct reg_value {
  char *name;               /* "" for the default value */
  uint32_t type;
  char *data;
  size_t len;
};

/* One [KEY] or [-KEY] of the text. */
struct reg_key {
  char *path;
  size_t line;
  int delete;
  struct reg_value *set;
  size_t n_set;
  char **unset;             /* names of values to delete */
  size_t n_unset;
};

struct reg_text {
  const char *name;         /* for messages */
  const char *encoding;
  struct reg_key *keys;
  size_t n_keys;
};

static void
free_text (struct reg_text *t)
{
  for (size_t i = 0; i < t->n_keys; ++i) {
    struct reg_key *k = &t->keys[i];

    for (size_t j = 0; j < k->n_set; ++j) {
      free (k->set[j].name);
      free (k->set[j].data);
    }
    for (size_t j = 0; j < k->n_unset; ++j)
      free (k->unset[j]);
    free (k->set);
    free (k->unset);
    free (k->path);
  }
  free (t->keys);
}

static int
parse_error (const struct reg_text *t, size_t line, const char *why,
             const char *text)
{
  return winreg_error (_("%s:%zu: %s near '%.80s'"), t->name, line, why, text);
}

/* A double-quoted string at s, \ quoting the next character: the string
 * in *out (caller frees), and where it ends after the closing quote.
 * NULL when there is no closing quote (or no memory: *out NULL). */
static const char *
quoted (const char *s, char **out)
{
  char *o;

  *out = NULL;
  if (*s != '"')
    return NULL;
  o = *out = malloc (strlen (s));
  if (o == NULL)
    return NULL;
  for (s++; *s && *s != '"'; s++) {
    if (*s == '\\' && s[1])
      s++;
    *o++ = *s;
  }
  *o = '\0';
  if (*s != '"') {
    free (*out);
    *out = (char *) "";     /* not NULL: a parse error, not no memory */
    return NULL;
  }
  return s + 1;
}

/* The string s with its final NUL, in encoding.  -1 (printed) when s is
 * not UTF-8 or cannot be written in encoding. */
static int
encode_string (const struct reg_text *t, size_t line, const char *s,
               struct reg_value *v)
{
  iconv_t cd = iconv_open (t->encoding, "UTF-8");
  size_t inleft = strlen (s) + 1, outleft = inleft * 4 + 4;
  char *in = (char *) s, *out;

  if (cd == (iconv_t) -1)
    return winreg_error (_("--encoding '%s': %m"), t->encoding);
  v->data = out = malloc (outleft);
  if (v->data == NULL) {
    iconv_close (cd);
    return winreg_error ("%s", _("out of memory"));
  }
  if (iconv (cd, &in, &inleft, &out, &outleft) == (size_t) -1) {
    iconv_close (cd);
    return parse_error (t, line, errno == EILSEQ ?
                        _("a string that is not UTF-8, or not in the "
                          "--encoding,") : _("a string that cannot be "
                                              "converted"), s);
  }
  iconv_close (cd);
  v->len = (size_t) (out - v->data);
  return 0;
}

/* Hex bytes "01,02, 03" (blanks and commas anywhere). */
static int
hex_bytes (const struct reg_text *t, size_t line, const char *s,
           struct reg_value *v)
{
  size_t n = 0;
  int hi = -1;

  v->data = malloc (strlen (s) / 2 + 1);
  if (v->data == NULL)
    return winreg_error ("%s", _("out of memory"));
  for (const char *p = s; *p; ++p) {
    int d;

    if (*p == ',' || isspace ((unsigned char) *p))
      continue;
    if (!isxdigit ((unsigned char) *p))
      return parse_error (t, line, _("bad hex data"), s);
    d = isdigit ((unsigned char) *p) ? *p - '0' : (*p | 0x20) - 'a' + 10;
    if (hi < 0)
      hi = d;
    else {
      v->data[n++] = (char) (hi << 4 | d);
      hi = -1;
    }
  }
  if (hi >= 0)
    return parse_error (t, line, _("an odd number of hex digits"), s);
  v->len = n;
  return 0;
}

/* "(TYPE):" at s, TYPE in hex: the type, and s moved past it. */
static int
hex_type (const char **s, uint32_t *type)
{
  char *end;
  unsigned long long x;

  if (**s != '(' || !isxdigit ((unsigned char) (*s)[1]))
    return -1;
  errno = 0;
  x = strtoull (*s + 1, &end, 16);
  if (errno || x > UINT32_MAX || end[0] != ')' || end[1] != ':')
    return -1;
  *type = (uint32_t) x;
  *s = end + 2;
  return 0;
}

/* A quoted string that must end the line. */
static int
string_value (const struct reg_text *t, size_t line, const char *s,
              struct reg_value *v)
{
  CLEANUP_FREE char *str = NULL;
  const char *end = quoted (s, &str);

  if (end == NULL || *end != '\0') {
    if (end == NULL && str == NULL)
      return winreg_error ("%s", _("out of memory"));
    if (end == NULL)
      str = NULL;
    return parse_error (t, line, _("a badly quoted string"), s);
  }
  return encode_string (t, line, str, v);
}

static int
parse_value (const struct reg_text *t, size_t line, const char *s,
             struct reg_value *v)
{
  if (strncmp (s, "dword:", 6) == 0) {
    const char *x = s + 6;
    unsigned long d;

    if (strlen (x) != 8 || strspn (x, "0123456789abcdefABCDEF") != 8)
      return parse_error (t, line, _("a DWORD is 8 hex digits"), s);
    d = strtoul (x, NULL, 16);
    v->type = 4;
    v->len = 4;
    v->data = malloc (4);
    if (v->data == NULL)
      return winreg_error ("%s", _("out of memory"));
    for (int i = 0; i < 4; ++i)
      v->data[i] = (char) (d >> (8 * i));
    return 0;
  }
  if (strncmp (s, "hex:", 4) == 0) {
    v->type = 3;
    return hex_bytes (t, line, s + 4, v);
  }
  if (strncmp (s, "hex(", 4) == 0) {
    const char *p = s + 3;
    if (hex_type (&p, &v->type) == -1)
      return parse_error (t, line, _("a bad hex(TYPE)"), s);
    return hex_bytes (t, line, p, v);
  }
  if (strncmp (s, "str:", 4) == 0) {
    v->type = 1;
    return string_value (t, line, s + 4, v);
  }
  if (strncmp (s, "str(", 4) == 0) {
    const char *p = s + 3;
    if (hex_type (&p, &v->type) == -1)
      return parse_error (t, line, _("a bad str(TYPE)"), s);
    return string_value (t, line, p, v);
  }
  if (*s == '"') {
    v->type = 1;
    return string_value (t, line, s, v);
  }
  return parse_error (t, line, _("a value of no known form"), s);
}

/* A line ending with "=-" and blanks. */
static int
is_unset (const char *s)
{
  const char *e = s + strlen (s);

  while (e > s && isspace ((unsigned char) e[-1]))
    e--;
  return e - s >= 2 && e[-1] == '-' && e[-2] == '=';
}

/* A "NAME"=... or @=... line of the key k. */
static int
parse_value_line (struct reg_text *t, struct reg_key *k, size_t line,
                  const char *s)
{
  char *name = NULL;
  const char *rest;

  if (*s == '@') {
    name = strdup ("");
    rest = s + 1;
  }
  else {
    rest = quoted (s, &name);
    if (rest == NULL && name == NULL)
      return winreg_error ("%s", _("out of memory"));
    if (rest == NULL)
      return parse_error (t, line, _("a badly quoted name"), s);
  }
  if (name == NULL)
    return winreg_error ("%s", _("out of memory"));
  if (*rest != '=') {
    free (name);
    return parse_error (t, line, _("no '=' after the name"), s);
  }
  if (is_unset (s)) {
    char **u = realloc (k->unset, (k->n_unset + 1) * sizeof *u);
    if (u == NULL) {
      free (name);
      return winreg_error ("%s", _("out of memory"));
    }
    k->unset = u;
    u[k->n_unset++] = name;
    return 0;
  }
  struct reg_value *v = realloc (k->set, (k->n_set + 1) * sizeof *v);
  if (v == NULL) {
    free (name);
    return winreg_error ("%s", _("out of memory"));
  }
  k->set = v;
  v += k->n_set++;
  *v = (struct reg_value) { .name = name };
  return parse_value (t, line, rest + 1, v);
}

/* A [KEY] or [-KEY] line: a new key of the list, or 0 if it is none. */
static int
parse_key_line (struct reg_text *t, size_t line, const char *s)
{
  const char *e = s + strlen (s);
  struct reg_key *k;
  int del;

  while (e > s && isspace ((unsigned char) e[-1]))
    e--;
  if (*s != '[' || e - s < 2 || e[-1] != ']')
    return 0;
  del = s[1] == '-';
  k = realloc (t->keys, (t->n_keys + 1) * sizeof *k);
  if (k == NULL)
    return winreg_error ("%s", _("out of memory"));
  t->keys = k;
  k += t->n_keys++;
  *k = (struct reg_key) { .line = line, .delete = del };
  k->path = strndup (s + 1 + del, (size_t) (e - s - 2 - del));
  if (k->path == NULL)
    return winreg_error ("%s", _("out of memory"));
  /* A root no hive is found for fails before anything is changed. */
  if (!winreg_known_root (k->path))
    return winreg_unknown_root (k->path);
  return 1;
}

/* Blank lines and comments. */
static int
is_blank (const char *s)
{
  while (isspace ((unsigned char) *s))
    s++;
  return *s == '\0' || *s == ';';
}

/* The next logical line: a line ending with "\" and blanks is joined to
 * the next.  *line counts the lines read.  -1 at the end. */
static ssize_t
next_line (FILE *in, char **buf, size_t *size, size_t *line)
{
  size_t len = 0;

  for (;;) {
    CLEANUP_FREE char *part = NULL;
    size_t psize = 0;
    ssize_t n = getline (&part, &psize, in);
    char *joined;

    if (n == -1)
      return len ? (ssize_t) len : -1;
    (*line)++;
    while (n > 0 && (part[n - 1] == '\n' || part[n - 1] == '\r'))
      part[--n] = '\0';
    joined = realloc (*buf, len + (size_t) n + 1);
    if (joined == NULL)
      return -1;
    *buf = joined;
    *size = len + (size_t) n + 1;
    memcpy (*buf + len, part, (size_t) n + 1);
    len += (size_t) n;
    size_t e = len;
    while (e > 0 && isspace ((unsigned char) (*buf)[e - 1]))
      e--;
    if (e == 0 || (*buf)[e - 1] != '\\')
      return (ssize_t) len;
    len = e - 1;
    (*buf)[len] = '\0';
  }
}

static int
parse_text (struct reg_text *t, FILE *in)
{
  CLEANUP_FREE char *buf = NULL;
  size_t size = 0, line = 0;
  struct reg_key *k = NULL;     /* the key whose values come */

  while (next_line (in, &buf, &size, &line) != -1) {
    char *s = buf;
    int r;

    /* A UTF-8 byte order mark. */
    if (line == 1 && strncmp (s, "\xef\xbb\xbf", 3) == 0)
      s += 3;
    if (k && is_blank (s)) {
      k = NULL;
      continue;
    }
    if (k && (*s == '"' || *s == '@')) {
      if (parse_value_line (t, k, line, s) == -1)
        return -1;
      continue;
    }
    if (is_blank (s) || strstr (s, "Windows Registry Editor Version") ||
        strncmp (s, "REGEDIT", 7) == 0)
      continue;
    r = parse_key_line (t, line, s);
    if (r == -1)
      return -1;
    if (r == 0)
      return parse_error (t, line, _("unexpected text"), s);
    k = t->keys[t->n_keys - 1].delete ? NULL : &t->keys[t->n_keys - 1];
  }
  if (ferror (in))
    return winreg_error (_("%s: %m"), t->name);
  return 0;
}

/* The parent's path of path ("\A\B" -> "\A", "\A" -> "\"), and its
 * last name. */
static int
split_path (const char *path, char **parent, const char **name)
{
  const char *slash = strrchr (path, '\\');

  *name = slash ? slash + 1 : path;
  *parent = slash && slash > path ? strndup (path, (size_t) (slash - path))
    : strdup ("\\");
  return *parent ? 0 : winreg_error ("%s", _("out of memory"));
}

static int
merge_key (struct winreg_ctx *c, const struct reg_text *t,
           const struct reg_key *k, const struct winreg_target *tg)
{
  int64_t node = winreg_lookup (c, tg->path, NULL);

  if (node == -1)
    return -1;
  if (node == 0) {
    CLEANUP_FREE char *parent = NULL;
    const char *name;
    int64_t up;

    if (split_path (tg->path, &parent, &name) == -1)
      return -1;
    up = winreg_lookup (c, parent, NULL);
    if (up == -1)
      return -1;
    if (up == 0 || *name == '\0')
      return winreg_error (_("%s:%zu: '%s': cannot add the key, its parent "
                           "does not exist"), t->name, k->line, k->path);
    winreg_debug (c, "adding %s", k->path);
    node = drydock_hivex_node_add_child (c->h, up, name);
    if (node == -1)
      return winreg_lib_error (c->h);
  }
  c->dirty = 1;
  for (size_t i = 0; i < k->n_unset; ++i)
    if (drydock_hivex_node_delete_value (c->h, node, k->unset[i]) == -1)
      return winreg_lib_error (c->h);
  for (size_t i = 0; i < k->n_set; ++i) {
    const struct reg_value *v = &k->set[i];
    if (drydock_hivex_node_set_value (c->h, node, v->name, v->type, v->data,
                                      v->len) == -1)
      return winreg_lib_error (c->h);
  }
  return 0;
}

static int
delete_key (struct winreg_ctx *c, const struct reg_text *t,
            const struct reg_key *k, const struct winreg_target *tg)
{
  int64_t node = winreg_lookup (c, tg->path, NULL);

  /* A key that is not there is not an error, as with regedit. */
  if (node <= 0)
    return (int) node;
  if (node == c->hive_root)
    return winreg_error (_("%s:%zu: '%s': the root of a hive cannot be "
                         "deleted"), t->name, k->line, k->path);
  winreg_debug (c, "deleting %s", k->path);
  c->dirty = 1;
  if (drydock_hivex_node_delete_child (c->h, node) == -1)
    return winreg_lib_error (c->h);
  return 0;
}

static int
apply_text (struct winreg_ctx *c, const struct reg_text *t)
{
  for (size_t i = 0; i < t->n_keys; ++i) {
    const struct reg_key *k = &t->keys[i];
    struct winreg_target tg;
    int r = winreg_map_path (c, k->path, &tg);

    if (r == 0)
      r = winreg_use_hive (c, tg.file);
    if (r == 0)
      r = k->delete ? delete_key (c, t, k, &tg) : merge_key (c, t, k, &tg);
    winreg_target_free (&tg);
    if (r == -1)
      return -1;
  }
  return 0;
}

struct winreg_merge_text {
  struct reg_text t;
};

struct winreg_merge_text *
winreg_parse (FILE *in, const char *name, const char *encoding)
{
  struct winreg_merge_text *m = calloc (1, sizeof *m);

  if (m == NULL) {
    winreg_error ("%s", _("out of memory"));
    return NULL;
  }
  m->t.name = name;
  m->t.encoding = encoding ? encoding : "UTF-16LE";
  if (parse_text (&m->t, in) == -1) {
    winreg_free_text (m);
    return NULL;
  }
  return m;
}

void
winreg_free_text (struct winreg_merge_text *m)
{
  if (m == NULL)
    return;
  free_text (&m->t);
  free (m);
}

int
winreg_merge (struct winreg_ctx *c, const struct winreg_merge_text *m)
{
  return apply_text (c, &m->t);
}
