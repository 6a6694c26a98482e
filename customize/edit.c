/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --edit FILE:EXPR of drydock customize.  virt-customize evaluates a
 * Perl expression on each line of the file, the line with its newline
 * in $_ (as perl -pe does); drydock takes the expression people write
 * there, one substitution s/PATTERN/REPLACEMENT/FLAGS, and runs it on
 * the host with PCRE2, line by line with the same meaning:
 *
 *  - any punctuation delimiter (s|a|b|, s#a#b#), or brackets
 *    (s{a}{b}, s(a)[b]), a backslash before a delimiter removed as Perl
 *    removes it;
 *  - in the replacement $1..$N, ${N}, \1..\9 and $& (the match), the
 *    escapes \n \t \r \f \e \a \0NN \xHH \x{HH}, \\ \$ \@; with ' as the
 *    delimiter nothing is interpolated;
 *  - the flags g, i, m, s and x.
 *
 * The expression is compiled when the command line is read, so a
 * malformed one is a usage error before the appliance starts.  What
 * Perl would interpolate and drydock cannot ($name, @name, \U ...) is
 * refused rather than silently taken literally.  The file is read from
 * the guest, edited on the host and written back as a new file renamed
 * over the old one, with its mode, owner and extended attributes.  The
 * same s/// serves drydock edit -e, through subst.h. */

#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"
#include "subst.h"

/* A parsed s///: the pattern as PCRE2 takes it, the replacement in
 * PCRE2's substitute syntax ($$ a dollar, ${N} a group). */
struct subst {
  char *pattern;
  size_t pattern_len;
  char *repl;
  size_t repl_len;
  uint32_t options;           /* PCRE2_CASELESS ... */
  int global;
};

static void
subst_free (struct subst *s)
{
  free (s->pattern);
  free (s->repl);
}

/* ---- parsing the expression ---- */

/* The growing strings of the parser. */
struct buf {
  char *s;
  size_t len, cap;
};

static int
buf_add (struct buf *b, const char *p, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *s = realloc (b->s, cap);

    if (s == NULL)
      return -1;
    b->s = s;
    b->cap = cap;
  }
  memcpy (b->s + b->len, p, n);
  b->len += n;
  b->s[b->len] = '\0';
  return 0;
}

static int
buf_addc (struct buf *b, char ch)
{
  return buf_add (b, &ch, 1);
}

static char
closing (char open)
{
  switch (open) {
  case '(': return ')';
  case '[': return ']';
  case '{': return '}';
  case '<': return '>';
  default: return open;
  }
}

/* Reads the delimited part that starts after the delimiter open at *p
 * into out: a backslash before a delimiter is removed, others are
 * kept with what they escape; bracketing delimiters nest.  *p is left
 * after the closing delimiter.  -1 with *err set. */
static int
read_part (const char **p, char open, struct buf *out, const char **err)
{
  char close = closing (open);
  int depth = 0;
  const char *s = *p;

  for (; *s; ++s) {
    if (*s == '\\' && s[1]) {
      if (s[1] == open || s[1] == close) {
        if (buf_addc (out, s[1]) == -1)
          goto nomem;
      }
      else if (buf_add (out, s, 2) == -1)
        goto nomem;
      s++;
      continue;
    }
    if (*s == close && depth == 0) {
      *p = s + 1;
      return 0;
    }
    if (open != close && *s == open)
      depth++;
    else if (open != close && *s == close)
      depth--;
    if (buf_addc (out, *s) == -1)
      goto nomem;
  }
  *err = _("the expression is not terminated");
  return -1;
 nomem:
  *err = strerror (ENOMEM);
  return -1;
}

/* 1 if ch may be a delimiter. */
static int
delimiter (char ch)
{
  return ispunct ((unsigned char) ch) && ch != '\\';
}

/* What Perl interpolates in a pattern and drydock does not: $name,
 * ${name}, @name.  NULL if there is none. */
static const char *
check_pattern (const char *pat)
{
  for (const char *s = pat; *s; ++s) {
    if (*s == '\\' && s[1]) {
      s++;
      continue;
    }
    if (*s == '$' && (isalpha ((unsigned char) s[1]) || s[1] == '_' ||
                      s[1] == '{'))
      return _("Perl variables ($name) are not supported in the pattern");
    if (*s == '@' && (isalpha ((unsigned char) s[1]) || s[1] == '_' ||
                      s[1] == '{'))
      return _("'@' before a name would be an array: write \\@");
  }
  return NULL;
}

/* The value of up to max digits of base at *p (advanced). */
static unsigned
read_number (const char **p, int base, int max)
{
  unsigned v = 0;

  for (int i = 0; i < max && **p; ++i, ++*p) {
    unsigned char ch = (unsigned char) **p;
    int d = isdigit (ch) ? ch - '0' :
      isxdigit (ch) ? tolower (ch) - 'a' + 10 : 99;

    if (d >= base)
      break;
    v = v * base + d;
  }
  return v;
}

/* A group reference in the replacement. */
static int
add_group (struct buf *out, unsigned n)
{
  char ref[32];

  snprintf (ref, sizeof ref, "${%u}", n);
  return buf_add (out, ref, strlen (ref));
}

/* One character of the replacement, a '$' doubled for PCRE2. */
static int
add_literal (struct buf *out, char ch)
{
  return ch == '$' ? buf_add (out, "$$", 2) : buf_addc (out, ch);
}

/* One backslash escape of a double-quoted replacement at *p (after the
 * backslash). */
static int
repl_escape (const char **p, struct buf *out, const char **err)
{
  char ch = *(*p)++;
  unsigned v;

  switch (ch) {
  case 'n': return add_literal (out, '\n');
  case 't': return add_literal (out, '\t');
  case 'r': return add_literal (out, '\r');
  case 'f': return add_literal (out, '\f');
  case 'e': return add_literal (out, '\033');
  case 'a': return add_literal (out, '\a');
  case '0':
    return add_literal (out, (char) read_number (p, 8, 2));
  case 'x':
    if (**p == '{') {
      ++*p;
      v = read_number (p, 16, 2);
      if (**p != '}') {
        *err = _("\\x{...} takes one or two hex digits");
        return -1;
      }
      ++*p;
    }
    else
      v = read_number (p, 16, 2);
    return add_literal (out, (char) v);
  case 'u': case 'l': case 'U': case 'L': case 'E': case 'Q':
    *err = _("case changes (\\U, \\L, \\u, \\l, \\E) and \\Q are not "
             "supported");
    return -1;
  default:
    if (ch >= '1' && ch <= '9')
      return add_group (out, (unsigned) (ch - '0'));
    return add_literal (out, ch);
  }
}

/* A $ of a double-quoted replacement at *p (after the dollar). */
static int
repl_dollar (const char **p, struct buf *out, const char **err)
{
  const char *s = *p;
  unsigned n = 0;

  if (isdigit ((unsigned char) *s)) {
    while (isdigit ((unsigned char) *s) && n < 100000)
      n = n * 10 + (unsigned) (*s++ - '0');
    *p = s;
    return n == 0 ? buf_add (out, "$0", 2) : add_group (out, n);
  }
  if (*s == '{' && isdigit ((unsigned char) s[1])) {
    s++;
    while (isdigit ((unsigned char) *s) && n < 100000)
      n = n * 10 + (unsigned) (*s++ - '0');
    if (*s == '}') {
      *p = s + 1;
      return n == 0 ? buf_add (out, "$0", 2) : add_group (out, n);
    }
  }
  else if (*s == '&') {
    *p = s + 1;
    return buf_add (out, "$0", 2);
  }
  *err = _("in the replacement only $1, ${1} ... and $& are supported "
           "(write \\$ for a dollar)");
  return -1;
}

/* The replacement part as written (backslashes before delimiters
 * already removed) into PCRE2's syntax. */
static int
parse_replacement (const char *in, int literal, struct buf *out,
                   const char **err)
{
  const char *p = in;

  while (*p) {
    char ch = *p++;

    if (literal) {
      /* '...': only \\ and \' are escapes. */
      if (ch == '\\' && (*p == '\\' || *p == '\''))
        ch = *p++;
      if (add_literal (out, ch) == -1)
        goto nomem;
      continue;
    }
    if (ch == '\\' && *p) {
      if (repl_escape (&p, out, err) == -1)
        return *err ? -1 : (*err = strerror (ENOMEM), -1);
    }
    else if (ch == '$') {
      if (repl_dollar (&p, out, err) == -1)
        return *err ? -1 : (*err = strerror (ENOMEM), -1);
    }
    else if (ch == '@' && (isalpha ((unsigned char) *p) || *p == '_' ||
                           *p == '{')) {
      *err = _("'@' before a name would be an array: write \\@");
      return -1;
    }
    else if (add_literal (out, ch) == -1)
      goto nomem;
  }
  return 0;
 nomem:
  *err = strerror (ENOMEM);
  return -1;
}

/* The flags after the last delimiter, then only blanks and one ';'. */
static int
parse_flags (const char *p, struct subst *s, const char **err)
{
  static char bad[64];

  for (; isalpha ((unsigned char) *p); ++p)
    switch (*p) {
    case 'g': s->global = 1; break;
    case 'i': s->options |= PCRE2_CASELESS; break;
    case 'm': s->options |= PCRE2_MULTILINE; break;
    case 's': s->options |= PCRE2_DOTALL; break;
    case 'x': s->options |= PCRE2_EXTENDED; break;
    default:
      snprintf (bad, sizeof bad, _("unsupported flag '%c' (g, i, m, s and "
                                   "x are)"), *p);
      *err = bad;
      return -1;
    }
  p += strspn (p, " \t\n");
  if (*p == ';')
    p += 1 + strspn (p + 1, " \t\n");
  if (*p) {
    *err = _("only one s/PATTERN/REPLACEMENT/FLAGS expression is "
             "supported");
    return -1;
  }
  return 0;
}

/* Parses expr into *s (subst_free frees it).  -1 with *err set to a
 * message (static or translated, not to be freed). */
static int
parse_expr (const char *expr, struct subst *s, const char **err)
{
  struct buf pat = { 0 }, raw = { 0 }, repl = { 0 };
  const char *p = expr + strspn (expr, " \t\n");
  char open;
  int literal;

  *s = (struct subst) { 0 };
  *err = NULL;
  if (*p != 's' || !(delimiter (p[1]) || strchr (" \t\n", p[1]))) {
    *err = _("expected s/PATTERN/REPLACEMENT/FLAGS");
    goto fail;
  }
  p++;
  if (*p != '#')
    p += strspn (p, " \t\n");
  open = *p++;
  if (!delimiter (open) || (open == '#' && p[-2] != 's')) {
    *err = _("expected s/PATTERN/REPLACEMENT/FLAGS");
    goto fail;
  }
  if (read_part (&p, open, &pat, err) == -1)
    goto fail;
  /* With brackets the replacement has delimiters of its own. */
  if (closing (open) != open) {
    p += strspn (p, " \t\n");
    open = *p++;
    if (!delimiter (open)) {
      *err = _("expected the replacement's delimiter");
      goto fail;
    }
  }
  literal = open == '\'';
  if (read_part (&p, open, &raw, err) == -1 ||
      parse_flags (p, s, err) == -1)
    goto fail;
  if ((*err = check_pattern (pat.s ? pat.s : "")) != NULL)
    goto fail;
  if (parse_replacement (raw.s ? raw.s : "", literal, &repl, err) == -1)
    goto fail;
  s->pattern = pat.s ? pat.s : strdup ("");
  s->pattern_len = pat.len;
  s->repl = repl.s ? repl.s : strdup ("");
  s->repl_len = repl.len;
  free (raw.s);
  if (s->pattern == NULL || s->repl == NULL) {
    subst_free (s);
    *err = strerror (ENOMEM);
    return -1;
  }
  return 0;
 fail:
  free (pat.s);
  free (raw.s);
  free (repl.s);
  return -1;
}

/* Compiles s's pattern; NULL with msg (of size len) set. */
static pcre2_code *
compile (const struct subst *s, char *msg, size_t len)
{
  pcre2_compile_context *cc = pcre2_compile_context_create (NULL);
  pcre2_code *re;
  PCRE2_SIZE offset;
  int code;

  if (cc == NULL) {
    snprintf (msg, len, "%s", strerror (ENOMEM));
    return NULL;
  }
  /* Perl's lines end with \n only. */
  pcre2_set_newline (cc, PCRE2_NEWLINE_LF);
  re = pcre2_compile ((PCRE2_SPTR) s->pattern, s->pattern_len, s->options,
                      &code, &offset, cc);
  pcre2_compile_context_free (cc);
  if (re == NULL) {
    PCRE2_UCHAR text[256];

    pcre2_get_error_message (code, text, sizeof text);
    snprintf (msg, len, _("the pattern '%s' does not compile at offset "
                          "%zu: %s"), s->pattern, (size_t) offset,
              (char *) text);
  }
  return re;
}

/* FILE:EXPR with FILE an absolute guest path; the expression parsed
 * and compiled (and dropped: the run compiles it again). */
static int
check_edit (const struct customize_op *op, char **file, struct subst *s,
            pcre2_code **re)
{
  CLEANUP_FREE char *expr = NULL;
  const char *err;
  char msg[512];

  *file = NULL;
  if (customize_split2 (op, op->def->metavar, file, &expr) == -1)
    return -1;
  if (**file != '/')
    return customize_arg_error (op, _("'%s' is not an absolute guest path"),
                                *file);
  if (parse_expr (expr, s, &err) == -1)
    return customize_arg_error (op, "%s", err);
  *re = compile (s, msg, sizeof msg);
  if (*re == NULL) {
    subst_free (s);
    return customize_arg_error (op, "%s", msg);
  }
  return 0;
}

int
customize_check_edit (struct customize_op *op)
{
  CLEANUP_FREE char *file = NULL;
  struct subst s;
  pcre2_code *re;

  if (check_edit (op, &file, &s, &re) == -1)
    return -1;
  pcre2_code_free (re);
  subst_free (&s);
  return 0;
}

/* ---- editing ---- */

/* Appends to out line, with the substitution made.  -1 with msg set. */
static int
edit_line (const struct subst *s, pcre2_code *re, pcre2_match_data *md,
           const char *line, size_t len, struct buf *out, char *msg,
           size_t msglen)
{
  uint32_t opts = PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
    PCRE2_SUBSTITUTE_UNKNOWN_UNSET | PCRE2_SUBSTITUTE_UNSET_EMPTY |
    (s->global ? PCRE2_SUBSTITUTE_GLOBAL : 0);
  size_t room = len + s->repl_len + 64;
  int r;

  for (;;) {
    PCRE2_SIZE outlen;

    if (out->len + room + 1 > out->cap) {
      char *p = realloc (out->s, out->len + room + 1);

      if (p == NULL) {
        snprintf (msg, msglen, "%s", strerror (ENOMEM));
        return -1;
      }
      out->s = p;
      out->cap = out->len + room + 1;
    }
    outlen = out->cap - out->len;
    r = pcre2_substitute (re, (PCRE2_SPTR) line, len, 0, opts, md, NULL,
                          (PCRE2_SPTR) s->repl, s->repl_len,
                          (PCRE2_UCHAR *) out->s + out->len, &outlen);
    if (r >= 0) {
      out->len += outlen;
      return 0;
    }
    if (r != PCRE2_ERROR_NOMEMORY) {
      PCRE2_UCHAR text[256];

      pcre2_get_error_message (r, text, sizeof text);
      snprintf (msg, msglen, "%s", (char *) text);
      return -1;
    }
    /* outlen is the size needed, with its terminating NUL. */
    room = outlen;
  }
}

/* The edited content (out->s, out->len), each line with its newline
 * edited on its own.  -1 with msg set. */
static int
edit_content (const struct subst *s, pcre2_code *re, const char *in,
              size_t size, struct buf *out, char *msg, size_t msglen)
{
  pcre2_match_data *md = pcre2_match_data_create_from_pattern (re, NULL);
  int r = 0;

  if (md == NULL) {
    snprintf (msg, msglen, "%s", strerror (ENOMEM));
    return -1;
  }
  for (size_t i = 0; i < size && r == 0;) {
    const char *nl = memchr (in + i, '\n', size - i);
    size_t len = nl ? (size_t) (nl - in - i) + 1 : size - i;

    r = edit_line (s, re, md, in + i, len, out, msg, msglen);
    i += len;
  }
  pcre2_match_data_free (md);
  if (r == 0 && out->s == NULL && buf_add (out, "", 0) == -1) {
    snprintf (msg, msglen, "%s", strerror (ENOMEM));
    return -1;
  }
  return r;
}

int
customize_replace_file (struct customize_ctx *c, const char *path,
                        const char *content, size_t size)
{
  CLEANUP_FREE char *real = drydock_realpath (c->h, path), *tmpl = NULL,
    *tmp = NULL;

  if (real == NULL)
    return customize_op_lib_error (c);
  if (asprintf (&tmpl, "%s.XXXXXX", real) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  tmp = drydock_mktemp (c->h, tmpl);
  if (tmp == NULL)
    return customize_op_lib_error (c);
  if (drydock_write (c->h, tmp, content, size) == -1 ||
      drydock_copy_attributes_opts (c->h, real, tmp,
                                    DRYDOCK_COPY_ATTRIBUTES_OPTS_ALL, 1,
                                    -1) == -1 ||
      drydock_mv (c->h, tmp, real) == -1) {
    customize_op_lib_error (c);
    drydock_rm_f (c->h, tmp);
    return -1;
  }
  return 0;
}

int
customize_edit (struct customize_ctx *c)
{
  CLEANUP_FREE char *file = NULL, *content = NULL;
  struct buf out = { 0 };
  struct subst s;
  pcre2_code *re;
  size_t size;
  char msg[512];
  int r;

  if (check_edit (c->op, &file, &s, &re) == -1)
    return -1;
  r = drydock_is_file_opts (c->h, file, DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS,
                            1, -1);
  if (r == 0)
    r = drydock_exists (c->h, file) == 1 ?
      customize_op_error (c, _("%s is not a regular file in the guest"),
                          file) :
      customize_op_error (c, _("%s does not exist in the guest"), file);
  else if (r == -1)
    customize_op_lib_error (c);
  else if ((content = drydock_read_file (c->h, file, &size)) == NULL)
    r = customize_op_lib_error (c);
  else if (edit_content (&s, re, content, size, &out, msg, sizeof msg) == -1)
    r = customize_op_error (c, "%s", msg);
  /* An edit that changes nothing leaves the file as it was. */
  else if (out.len == size && memcmp (out.s, content, size) == 0)
    r = 0;
  else
    r = customize_replace_file (c, file, out.s, out.len);
  free (out.s);
  pcre2_code_free (re);
  subst_free (&s);
  return r == -1 ? -1 : 0;
}

/* ---- the s/// for the other tools (subst.h) ---- */

struct customize_subst {
  struct subst s;
  pcre2_code *re;
};

struct customize_subst *
customize_subst_new (const char *expr, char *msg, size_t len)
{
  struct customize_subst *cs = calloc (1, sizeof *cs);
  const char *err;

  if (cs == NULL) {
    snprintf (msg, len, "%s", strerror (errno));
    return NULL;
  }
  if (parse_expr (expr, &cs->s, &err) == -1) {
    snprintf (msg, len, "%s", err);
    free (cs);
    return NULL;
  }
  cs->re = compile (&cs->s, msg, len);
  if (cs->re == NULL) {
    subst_free (&cs->s);
    free (cs);
    return NULL;
  }
  return cs;
}

int
customize_subst_apply (const struct customize_subst *cs, const char *in,
                       size_t size, char **out, size_t *outlen, char *msg,
                       size_t len)
{
  struct buf b = { 0 };

  if (edit_content (&cs->s, cs->re, in, size, &b, msg, len) == -1) {
    free (b.s);
    return -1;
  }
  *out = b.s;
  *outlen = b.len;
  return 0;
}

void
customize_subst_free (struct customize_subst *cs)
{
  if (cs == NULL)
    return;
  pcre2_code_free (cs->re);
  subst_free (&cs->s);
  free (cs);
}
