/* The registry operations of drydock customize for Windows guests:
 * --reg-set, --reg-delete and --reg-import.  Their arguments are
 * parsed whole before the launch (and again when they run), the keys'
 * paths mapped to hive files as drydock win-reg maps them, and the
 * hives changed through the win-reg library (winreg/keys.c), each
 * committed and closed before the next operation runs.
 *
 *   --reg-set 'KEY\NAME=TYPE:VALUE'   (or 'KEY:NAME=TYPE:VALUE')
 *   --reg-delete 'KEY'                the key, with its keys and values
 *   --reg-delete 'KEY:NAME'           one value
 *   --reg-import FILE.reg             as drydock win-reg --merge
 *
 * The name is split from the type at the first "=TYPE:" whose TYPE is
 * one of the words below, and from the key at the first ':' before it,
 * else at the last '\'; "@" names the default value. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"
#include "winreg.h"

/* The types --reg-set takes, and how their VALUE is written. */
enum value_form { FORM_STRING, FORM_MULTI, FORM_NUMBER, FORM_HEX };

static const struct {
  const char *word;
  uint32_t type;
  enum value_form form;
  unsigned bytes;               /* of a number */
} types[] = {
  { "sz", 1, FORM_STRING, 0 },
  { "expand_sz", 2, FORM_STRING, 0 },
  { "binary", 3, FORM_HEX, 0 },
  { "dword", 4, FORM_NUMBER, 4 },
  { "multi_sz", 7, FORM_MULTI, 0 },
  { "qword", 11, FORM_NUMBER, 8 },
};
#define N_TYPES (sizeof types / sizeof types[0])

/* What --reg-set's argument says. */
struct reg_set {
  char *key;
  char *name;                   /* "" for the default value */
  size_t t;                     /* index in types[] */
  const char *value;            /* points into the argument */
};

static void
reg_set_free (struct reg_set *s)
{
  free (s->key);
  free (s->name);
}

/* The key and the name of "KEY\NAME" or "KEY:NAME" (n bytes at s);
 * colon_only: only the second form. */
static int
split_key_name (const struct customize_op *op, const char *s, size_t n,
                int colon_only, char **key, char **name)
{
  const char *colon = memchr (s, ':', n), *sep = colon;

  if (sep == NULL && !colon_only)
    for (const char *p = s; p < s + n; ++p)
      if (*p == '\\')
        sep = p;
  if (sep == NULL || sep == s || sep + 1 == s + n)
    return customize_arg_error (op, colon_only ?
                                _("expected KEY or KEY:NAME") :
                                _("expected KEY\\NAME=TYPE:VALUE"));
  *key = strndup (s, (size_t) (sep - s));
  *name = strndup (sep + 1, (size_t) (s + n - sep - 1));
  if (*key == NULL || *name == NULL)
    return customize_arg_error (op, _("out of memory"));
  if (strcmp (*name, "@") == 0)
    **name = '\0';
  if (!winreg_known_root (*key))
    return customize_arg_error (op, _("'%s' is in no hive drydock knows "
                                      "(HKLM\\SOFTWARE, HKLM\\SYSTEM, "
                                      "HKLM\\SAM, HKLM\\SECURITY, HKLM\\BCD, "
                                      "HKU\\NAME)"), *key);
  return 0;
}

static int
parse_reg_set (const struct customize_op *op, struct reg_set *s)
{
  const char *arg = op->arg;

  memset (s, 0, sizeof *s);
  for (const char *eq = strchr (arg, '='); eq; eq = strchr (eq + 1, '='))
    for (size_t t = 0; t < N_TYPES; ++t) {
      size_t n = strlen (types[t].word);

      if (strncmp (eq + 1, types[t].word, n) == 0 && eq[1 + n] == ':') {
        s->t = t;
        s->value = eq + 2 + n;
        return split_key_name (op, arg, (size_t) (eq - arg), 0, &s->key,
                               &s->name);
      }
    }
  return customize_arg_error (op, _("expected KEY\\NAME=TYPE:VALUE, TYPE "
                                    "one of sz, expand_sz, multi_sz, dword, "
                                    "qword, binary"));
}

/* VALUE of dword and qword: decimal, or hexadecimal after 0x. */
static int
number_value (const struct customize_op *op, const char *v, unsigned bytes,
              char **data, size_t *len)
{
  int hex = v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
  const char *digits = v + (hex ? 2 : 0);
  unsigned long long x;
  char *end;

  errno = 0;
  x = strtoull (digits, &end, hex ? 16 : 10);
  if (!isxdigit ((unsigned char) *digits) || *end || errno ||
      (bytes == 4 && x > UINT32_MAX))
    return customize_arg_error (op, _("'%s' is not a number of %u bits "
                                      "(decimal, or hexadecimal after 0x)"),
                                v, bytes * 8);
  *data = malloc (bytes);
  if (*data == NULL)
    return customize_arg_error (op, _("out of memory"));
  for (unsigned i = 0; i < bytes; ++i)
    (*data)[i] = (char) (x >> (8 * i));
  *len = bytes;
  return 0;
}

/* VALUE of binary: hex digits in pairs, ',', ':' or blanks between. */
static int
hex_value (const struct customize_op *op, const char *v, char **data,
           size_t *len)
{
  int hi = -1;

  *len = 0;
  *data = malloc (strlen (v) / 2 + 1);
  if (*data == NULL)
    return customize_arg_error (op, _("out of memory"));
  for (const char *p = v; *p; ++p) {
    int d;

    if (*p == ',' || *p == ':' || *p == ' ')
      continue;
    if (!isxdigit ((unsigned char) *p))
      return customize_arg_error (op, _("'%c' is not a hex digit"), *p);
    d = isdigit ((unsigned char) *p) ? *p - '0' : (*p | 0x20) - 'a' + 10;
    if (hi < 0)
      hi = d;
    else {
      (*data)[(*len)++] = (char) (hi << 4 | d);
      hi = -1;
    }
  }
  if (hi >= 0)
    return customize_arg_error (op, _("an odd number of hex digits"));
  return 0;
}

/* VALUE of multi_sz: the strings separated by ';', ";;" standing for a
 * ';' in a string.  REG_MULTI_SZ has no empty string but the one that
 * ends it, so ";;" can mean nothing else.  NULL-terminated list. */
static int
multi_value (const struct customize_op *op, const char *v, char ***list)
{
  size_t n = 0, len = strlen (v);
  char *cur;

  *list = calloc (len + 2, sizeof **list);
  if (*list == NULL)
    return customize_arg_error (op, _("out of memory"));
  if (*v == '\0')
    return 0;
  cur = (*list)[0] = calloc (1, len + 1);
  if (cur == NULL)
    return customize_arg_error (op, _("out of memory"));
  for (const char *p = v; ; ++p) {
    if (*p == ';' && p[1] == ';')
      *cur++ = *p++;
    else if (*p == ';' || *p == '\0') {
      if (cur == (*list)[n])
        return customize_arg_error (op, _("an empty string in the list "
                                          "(';' ends each but the last, "
                                          "\";;\" is a ';')"));
      if (*p == '\0')
        return 0;
      cur = (*list)[++n] = calloc (1, len + 1);
      if (cur == NULL)
        return customize_arg_error (op, _("out of memory"));
    }
    else
      *cur++ = *p;
  }
}

/* The bytes the value of s stands for (caller frees *data); for a
 * string, its checked UTF-16LE. */
static int
value_data (const struct customize_op *op, const struct reg_set *s,
            char **data, size_t *len)
{
  CLEANUP_FREE_STRING_LIST char **list = NULL;

  *data = NULL;
  switch (types[s->t].form) {
  case FORM_NUMBER:
    return number_value (op, s->value, types[s->t].bytes, data, len);
  case FORM_HEX:
    return hex_value (op, s->value, data, len);
  case FORM_MULTI:
    return multi_value (op, s->value, &list);
  case FORM_STRING:
    *data = winreg_utf16le (s->value, len);
    return *data ? 0 : -1;
  }
  return -1;
}

int
customize_check_reg_set (struct customize_op *op)
{
  struct reg_set s;
  CLEANUP_FREE char *data = NULL;
  size_t len;
  int r = parse_reg_set (op, &s);

  if (r == 0)
    r = value_data (op, &s, &data, &len);
  reg_set_free (&s);
  return r;
}

/* --reg-delete's key, and its value's name or NULL. */
static int
parse_reg_delete (const struct customize_op *op, char **key, char **name)
{
  const char *p;

  *key = *name = NULL;
  if (strchr (op->arg, ':'))
    return split_key_name (op, op->arg, strlen (op->arg), 1, key, name);
  *key = strdup (op->arg);
  if (*key == NULL)
    return customize_arg_error (op, _("out of memory"));
  if (!winreg_known_root (*key))
    return customize_arg_error (op, _("'%s' is in no hive drydock knows "
                                      "(HKLM\\SOFTWARE, HKLM\\SYSTEM, "
                                      "HKLM\\SAM, HKLM\\SECURITY, HKLM\\BCD, "
                                      "HKU\\NAME)"), *key);
  /* Past the root key and the hive's name, a key must be named. */
  p = *key + (**key == '\\');
  for (int i = 0; i < 2; ++i)
    p += strcspn (p, "\\") + (strchr (p, '\\') != NULL);
  if (p[strspn (p, "\\")] == '\0')
    return customize_arg_error (op, _("the root of a hive cannot be "
                                      "deleted"));
  return 0;
}

int
customize_check_reg_delete (struct customize_op *op)
{
  CLEANUP_FREE char *key = NULL, *name = NULL;

  return parse_reg_delete (op, &key, &name);
}

/* The .reg file parsed, or NULL (printed). */
static struct winreg_merge_text *
parse_reg_file (const struct customize_op *op)
{
  struct winreg_merge_text *m;
  FILE *fp = fopen (op->arg, "re");

  if (fp == NULL) {
    customize_arg_error (op, "%s", strerror (errno));
    return NULL;
  }
  m = winreg_parse (fp, op->arg, NULL);
  fclose (fp);
  return m;
}

/* The messages of the .reg parser as the operation's. */
static void
print_arg_error (const char *msg, void *opaque)
{
  customize_arg_error (opaque, "%s", msg);
}

int
customize_check_reg_import (struct customize_op *op)
{
  struct winreg_merge_text *m;

  winreg_set_printer (print_arg_error, op);
  m = parse_reg_file (op);
  winreg_set_printer (NULL, NULL);
  winreg_free_text (m);
  return m ? 0 : -1;
}

/* ---- running them ---- */

/* The messages of the registry as the running operation's. */
static void
print_op_error (const char *msg, void *opaque)
{
  customize_op_error (opaque, "%s", msg);
}

int
customize_winreg_begin (struct customize_ctx *c, struct winreg_ctx *r)
{
  winreg_set_printer (print_op_error, c);
  return winreg_begin (r, c->h, c->root);
}

int
customize_winreg_end (struct customize_ctx *c, struct winreg_ctx *r)
{
  int ret = winreg_end (r);

  (void) c;
  winreg_set_printer (NULL, NULL);
  return ret;
}

/* Runs the registry change of the running operation in a session of
 * its own, committed at its end. */
static int
in_session (struct customize_ctx *c,
            int (*change) (struct customize_ctx *c, struct winreg_ctx *r))
{
  struct winreg_ctx r;
  int ret = customize_winreg_begin (c, &r);

  if (ret == 0)
    ret = change (c, &r);
  if (customize_winreg_end (c, &r) == -1)
    ret = -1;
  return ret;
}

static int
set_value (struct customize_ctx *c, struct winreg_ctx *r)
{
  struct reg_set s;
  CLEANUP_FREE char *data = NULL;
  CLEANUP_FREE_STRING_LIST char **list = NULL;
  size_t len = 0;
  int64_t node;
  int ret = parse_reg_set (c->op, &s);

  if (ret == 0 && types[s.t].form == FORM_MULTI)
    ret = multi_value (c->op, s.value, &list);
  else if (ret == 0)
    ret = value_data (c->op, &s, &data, &len);
  if (ret == 0) {
    node = winreg_key (r, s.key, 1);
    if (node <= 0)
      ret = -1;
    else if (list)
      ret = winreg_set_multi (r, node, s.name, (const char *const *) list);
    else
      ret = winreg_set_value (r, node, s.name, types[s.t].type, data, len);
  }
  reg_set_free (&s);
  return ret;
}

static int
delete (struct customize_ctx *c, struct winreg_ctx *r)
{
  CLEANUP_FREE char *key = NULL, *name = NULL;

  if (parse_reg_delete (c->op, &key, &name) == -1)
    return -1;
  return name ? winreg_delete_value (r, key, name)
    : winreg_delete_key (r, key);
}

static int
import (struct customize_ctx *c, struct winreg_ctx *r)
{
  struct winreg_merge_text *m = parse_reg_file (c->op);
  int ret = m ? winreg_merge (r, m) : -1;

  winreg_free_text (m);
  return ret;
}

int
customize_reg_set (struct customize_ctx *c)
{
  return in_session (c, set_value);
}

int
customize_reg_delete (struct customize_ctx *c)
{
  return in_session (c, delete);
}

int
customize_reg_import (struct customize_ctx *c)
{
  return in_session (c, import);
}
