/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure parsers of the guest files inspection reads (inspect-parse.h).
 *
 * Kept apart from the code that reads the files so that everything
 * touching guest bytes is libc-only, builds on the host, and is unit
 * tested and fuzzed there.  Inputs are (buf, len): never assumed to be
 * NUL-terminated or text.  Each parser makes one pass over its input and
 * copies at most a bounded amount per value, so a huge or hostile file
 * costs linear time and bounded memory per value. */

#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect-parse.h"

/* How many raw bytes of one value are looked at before cleaning: the
 * cleaned value is at most INSPECT_VALUE_MAX, and dropped control bytes
 * or broken sequences are allowed to eat some of the budget. */
#define RAW_MAX (4 * INSPECT_VALUE_MAX)

/* At most this many fstab entries are reported. */
#define FSTAB_MAX 1024

/* A byte range of the input: [off, off + len) of the buffer. */
struct span {
  size_t off, len;
};

/* Walks the lines of buf: *line is the next line without its '\n' (nor
 * a '\r' before it).  0 when there are no more lines. */
static int
next_line (const char *buf, size_t len, size_t *pos, struct span *line)
{
  const char *nl;
  size_t end;

  if (*pos >= len)
    return 0;
  nl = memchr (buf + *pos, '\n', len - *pos);
  end = nl ? (size_t) (nl - buf) : len;
  line->off = *pos;
  line->len = end - *pos;
  if (line->len > 0 && buf[end - 1] == '\r')
    line->len--;
  *pos = nl ? end + 1 : len;
  return 1;
}

/* Skips a UTF-8 byte order mark at the start of a text file (files
 * edited on Windows have one); tolerates buf == NULL. */
static void
skip_bom (const char **buf, size_t *len)
{
  if (*buf == NULL)
    *len = 0;
  else if (*len >= 3 && memcmp (*buf, "\xef\xbb\xbf", 3) == 0) {
    *buf += 3;
    *len -= 3;
  }
}

static int
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Bytes that can't start or end a meaningful value: whitespace, control
 * characters, NUL. */
static int
is_trimmed (char c)
{
  unsigned char u = (unsigned char) c;
  return u <= 0x20 || u == 0x7f;
}

static struct span
trim (const char *buf, struct span s)
{
  while (s.len > 0 && is_trimmed (buf[s.off])) {
    s.off++;
    s.len--;
  }
  while (s.len > 0 && is_trimmed (buf[s.off + s.len - 1]))
    s.len--;
  return s;
}

/* Does the span hold exactly the NUL-terminated string str? */
static int
span_eq (const char *buf, struct span s, const char *str)
{
  return s.len == strlen (str) && memcmp (buf + s.off, str, s.len) == 0;
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if it is broken
 * (truncated, overlong, a surrogate, beyond U+10FFFF, a stray
 * continuation byte). */
static size_t
utf8_len (const unsigned char *s, size_t n)
{
  unsigned char lo = 0x80, hi = 0xbf;
  size_t need, i;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    need = 1;
  else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    need = 2;
    if (s[0] == 0xe0)
      lo = 0xa0;                /* overlong */
    else if (s[0] == 0xed)
      hi = 0x9f;                /* surrogates */
  }
  else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    need = 3;
    if (s[0] == 0xf0)
      lo = 0x90;                /* overlong */
    else if (s[0] == 0xf4)
      hi = 0x8f;                /* > U+10FFFF */
  }
  else
    return 0;
  if (n < need + 1)
    return 0;
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (i = 2; i <= need; ++i)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return need + 1;
}

/* inspect_clean_string, optionally keeping '\n' (package descriptions
 * are several lines). */
static char *
clean_text (const char *s, size_t n, int keep_newlines)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t cap = n < INSPECT_VALUE_MAX ? n : INSPECT_VALUE_MAX;
  size_t i = 0, o = 0, k;
  char *out;

  out = malloc (cap + 1);
  if (out == NULL)
    return NULL;
  while (i < n) {
    k = utf8_len (u + i, n - i);
    if (k == 0) {
      i++;
      continue;
    }
    /* C0 controls, DEL, C1 controls (U+0080..U+009F), and U+FEFF (a
     * byte order mark, invisible). */
    if ((k == 1 && (u[i] < 0x20 || u[i] == 0x7f) &&
         !(keep_newlines && u[i] == '\n')) ||
        (k == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) ||
        (k == 3 && u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf)) {
      i += k;
      continue;
    }
    if (o + k > cap)
      break;
    memcpy (out + o, s + i, k);
    o += k;
    i += k;
  }
  out[o] = '\0';
  return out;
}

char *
inspect_clean_string (const char *s, size_t n)
{
  if (s == NULL)
    n = 0;
  return clean_text (n ? s : "", n, 0);
}

/* The span of buf cleaned and trimmed of whitespace both before
 * cleaning (so a value padded with a megabyte of blanks still gets
 * through) and after (cleaning can expose blanks).  NULL on ENOMEM. */
static char *
clean_span (const char *buf, struct span s, int keep_newlines)
{
  char *out;
  size_t n, start = 0;

  s = trim (buf, s);
  if (s.len > RAW_MAX)
    s.len = RAW_MAX;
  out = clean_text (s.len ? buf + s.off : "", s.len, keep_newlines);
  if (out == NULL)
    return NULL;
  n = strlen (out);
  while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n'))
    out[--n] = '\0';
  while (out[start] == ' ' || out[start] == '\n')
    start++;
  if (start > 0)
    memmove (out, out + start, n - start + 1);
  return out;
}

/* Like clean_span, but an empty result is *out = NULL.  -1 on ENOMEM. */
static int
take_value (const char *buf, struct span s, int keep_newlines, char **out)
{
  *out = clean_span (buf, s, keep_newlines);
  if (*out == NULL)
    return -1;
  if (**out == '\0') {
    free (*out);
    *out = NULL;
  }
  return 0;
}

/* If line is "[export ]KEY=...", the span after '='.  SuSE-release's
 * "KEY = VALUE" is allowed too: blanks before '=' mean blanks after it
 * are not part of the value (in a shell "KEY= x" is an empty KEY). */
static int
match_assignment (const char *buf, struct span line, const char *key,
                  size_t klen, struct span *value)
{
  size_t i = line.off, end = line.off + line.len, eq;

  while (i < end && is_blank (buf[i]))
    i++;
  if (end - i > 7 && memcmp (buf + i, "export", 6) == 0 &&
      is_blank (buf[i + 6])) {
    i += 7;
    while (i < end && is_blank (buf[i]))
      i++;
  }
  if (end - i < klen + 1 || memcmp (buf + i, key, klen) != 0)
    return 0;
  for (eq = i + klen; eq < end && is_blank (buf[eq]); ++eq)
    ;
  if (eq == end || buf[eq] != '=')
    return 0;
  value->off = eq + 1;
  if (eq > i + klen)
    while (value->off < end && is_blank (buf[value->off]))
      value->off++;
  value->len = end - value->off;
  return 1;
}

/* Undoes shell quoting of one value: stops at the first unquoted blank
 * (what follows is another word or a comment); an unterminated quote
 * runs to the end of the line. */
static char *
unquote (const char *buf, struct span v)
{
  size_t n = v.len < RAW_MAX ? v.len : RAW_MAX;
  size_t i = v.off, end = v.off + v.len, o = 0;
  char quote = 0, c;
  char *raw, *out;

  raw = malloc (n + 1);
  if (raw == NULL)
    return NULL;
  while (i < end && o < n) {
    c = buf[i++];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        raw[o++] = c;
    }
    else if (quote == '"') {
      if (c == '"')
        quote = 0;
      else if (c == '\\' && i < end && buf[i] != '\0' &&
               strchr ("\"\\$`", buf[i]))
        raw[o++] = buf[i++];
      else
        raw[o++] = c;
    }
    else if (c == '"' || c == '\'')
      quote = c;
    else if (c == '\\' && i < end)
      raw[o++] = buf[i++];
    else if (is_blank (c))
      break;
    else
      raw[o++] = c;
  }
  out = clean_span (raw, (struct span) { 0, o }, 0);
  free (raw);
  return out;
}

char *
inspect_shell_var (const char *buf, size_t len, const char *key)
{
  size_t klen = strlen (key), pos = 0;
  struct span line, value, last = { 0, 0 };
  int found = 0;
  char *out;

  skip_bom (&buf, &len);
  while (next_line (buf, len, &pos, &line))
    if (match_assignment (buf, line, key, klen, &value)) {
      last = value;
      found = 1;
    }
  errno = 0;
  if (!found)
    return NULL;
  out = unquote (buf, last);
  if (out == NULL) {
    errno = ENOMEM;
    return NULL;
  }
  if (*out == '\0') {
    free (out);
    errno = 0;
    return NULL;
  }
  return out;
}

/* Reads a decimal number of at most 9 digits at s; the number of digits
 * read, 0 if none (or too many). */
static size_t
read_number (const char *s, int *n)
{
  size_t i = 0;
  int v = 0;

  while (s[i] >= '0' && s[i] <= '9') {
    if (i == 9)
      return 0;
    v = v * 10 + (s[i] - '0');
    i++;
  }
  if (i > 0)
    *n = v;
  return i;
}

int
inspect_parse_version (const char *s, int *major, int *minor)
{
  int ma, mi = 0;
  size_t k;

  if (s == NULL)
    return -1;
  k = read_number (s, &ma);
  if (k == 0)
    return -1;
  if (s[k] == '.' && read_number (s + k + 1, &mi) == 0)
    mi = 0;
  *major = ma;
  *minor = mi;
  return 0;
}

/* The first line of buf holding anything but blanks. */
static int
first_text_line (const char *buf, size_t len, struct span *line)
{
  size_t pos = 0;

  while (next_line (buf, len, &pos, line)) {
    *line = trim (buf, *line);
    if (line->len > 0)
      return 1;
  }
  return 0;
}

char *
inspect_first_line (const char *buf, size_t len)
{
  struct span line;
  char *out;

  errno = 0;
  skip_bom (&buf, &len);
  if (!first_text_line (buf, len, &line))
    return NULL;
  out = clean_span (buf, line, 0);
  if (out && *out == '\0') {
    free (out);
    errno = 0;
    return NULL;
  }
  return out;
}

/* Where the version of a release line starts: the first digit after
 * the word "release", or without that word the first digit. */
static const char *
release_version (const char *product)
{
  const char *p = product, *w;

  for (w = strstr (p, "release"); w; w = strstr (w + 1, "release"))
    if (w == p || w[-1] == ' ') {
      p = w + 7;
      break;
    }
  while (*p && !(*p >= '0' && *p <= '9'))
    p++;
  return p;
}

int
inspect_parse_release (const char *buf, size_t len, char **product,
                       int *major, int *minor)
{
  *product = NULL;
  *major = *minor = 0;
  *product = inspect_first_line (buf, len);
  if (*product == NULL)
    return errno == ENOMEM ? -1 : 0;
  if (inspect_parse_version (release_version (*product), major, minor) == -1)
    *major = *minor = 0;
  return 0;
}

static int
is_hostname_char (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Longest host name kept (a DNS name is at most 253 bytes). */
#define HOSTNAME_MAX 255

char *
inspect_parse_hostname (const char *buf, size_t len)
{
  size_t pos = 0, i, n;
  struct span line;
  char *out;

  skip_bom (&buf, &len);
  while (next_line (buf, len, &pos, &line)) {
    line = trim (buf, line);
    if (line.len == 0 || buf[line.off] == '#')
      continue;
    for (n = 0; n < line.len && !is_trimmed (buf[line.off + n]) &&
           buf[line.off + n] != '.'; ++n)
      ;
    if (n == 0 || n > HOSTNAME_MAX)
      return NULL;
    for (i = 0; i < n; ++i)
      if (!is_hostname_char (buf[line.off + i]))
        return NULL;
    out = malloc (n + 1);
    if (out == NULL)
      return NULL;
    memcpy (out, buf + line.off, n);
    out[n] = '\0';
    return out;
  }
  return NULL;
}

/* One fstab field: splits off the next blank-separated word of the
 * line at *i and returns it cleaned, with \NNN escapes decoded ("" if
 * the line has no more words).  NULL on ENOMEM. */
static char *
fstab_field (const char *buf, size_t end, size_t *i)
{
  char raw[RAW_MAX];
  size_t o = 0;
  unsigned v;

  while (*i < end && is_blank (buf[*i]))
    ++*i;
  while (*i < end && !is_blank (buf[*i])) {
    if (buf[*i] == '\\' && end - *i >= 4 &&
        buf[*i + 1] >= '0' && buf[*i + 1] <= '3' &&
        buf[*i + 2] >= '0' && buf[*i + 2] <= '7' &&
        buf[*i + 3] >= '0' && buf[*i + 3] <= '7') {
      v = (buf[*i + 1] - '0') * 64 + (buf[*i + 2] - '0') * 8 +
        (buf[*i + 3] - '0');
      *i += 4;
    }
    else
      v = (unsigned char) buf[(*i)++];
    if (o < sizeof raw)
      raw[o++] = (char) v;
  }
  return clean_span (raw, (struct span) { 0, o }, 0);
}

int
inspect_parse_fstab (const char *buf, size_t len,
                     inspect_fstab_cb cb, void *opaque)
{
  size_t pos = 0, i, reported = 0;
  struct span line;
  char *f[4];
  int k, r = 0;

  skip_bom (&buf, &len);
  while (r == 0 && reported < FSTAB_MAX &&
         next_line (buf, len, &pos, &line)) {
    line = trim (buf, line);
    if (line.len == 0 || buf[line.off] == '#')
      continue;
    i = line.off;
    for (k = 0; k < 4; ++k) {
      f[k] = fstab_field (buf, line.off + line.len, &i);
      if (f[k] == NULL) {
        while (k-- > 0)
          free (f[k]);
        errno = ENOMEM;
        return -1;
      }
    }
    if (f[0][0] != '\0' &&
        (f[1][0] == '/' || strcmp (f[2], "swap") == 0)) {
      r = cb (opaque, f[0], f[1], f[2], f[3]);
      reported++;
    }
    for (k = 0; k < 4; ++k)
      free (f[k]);
  }
  return r;
}

/* Readers of little- and big-endian integers at a checked offset. */
static int
get_u16 (const unsigned char *buf, size_t len, size_t off, int big_endian,
         unsigned *v)
{
  if (len < 2 || off > len - 2)
    return -1;
  *v = big_endian ? (unsigned) buf[off] << 8 | buf[off + 1]
                  : (unsigned) buf[off + 1] << 8 | buf[off];
  return 0;
}

static int
get_u32le (const unsigned char *buf, size_t len, size_t off, uint32_t *v)
{
  if (len < 4 || off > len - 4)
    return -1;
  *v = (uint32_t) buf[off] | (uint32_t) buf[off + 1] << 8 |
    (uint32_t) buf[off + 2] << 16 | (uint32_t) buf[off + 3] << 24;
  return 0;
}

const char *
inspect_elf_arch (const unsigned char *buf, size_t len)
{
  unsigned machine;
  int is64, big;

  if (buf == NULL || len < 20 || memcmp (buf, "\177ELF", 4) != 0)
    return NULL;
  if (buf[4] != 1 && buf[4] != 2)       /* EI_CLASS */
    return NULL;
  if (buf[5] != 1 && buf[5] != 2)       /* EI_DATA */
    return NULL;
  is64 = buf[4] == 2;
  big = buf[5] == 2;
  if (get_u16 (buf, len, 18, big, &machine) == -1)
    return NULL;
  switch (machine) {
  case 2: return is64 ? "sparc64" : "sparc";
  case 3: return "i386";
  case 8: return is64 ? "mips64" : "mips";
  case 20: return "ppc";
  case 21: return big ? "ppc64" : "ppc64le";
  case 22: return is64 ? "s390x" : "s390";
  case 40: return "arm";
  case 43: return "sparc64";
  case 50: return "ia64";
  case 62: return "x86_64";
  case 183: return "aarch64";
  case 243: return is64 ? "riscv64" : "riscv32";
  case 258: return "loongarch64";
  default: return NULL;
  }
}

const char *
inspect_pe_arch (const unsigned char *buf, size_t len)
{
  uint32_t lfanew;
  unsigned machine;

  if (buf == NULL || len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
    return NULL;
  if (get_u32le (buf, len, 0x3c, &lfanew) == -1)
    return NULL;
  /* "PE\0\0" then the 2-byte Machine: 6 bytes from lfanew. */
  if (lfanew > len || len - lfanew < 6 ||
      memcmp (buf + lfanew, "PE\0\0", 4) != 0)
    return NULL;
  if (get_u16 (buf, len, (size_t) lfanew + 4, 0, &machine) == -1)
    return NULL;
  switch (machine) {
  case 0x014c: return "i386";
  case 0x8664: return "x86_64";
  case 0xaa64: return "aarch64";
  case 0x01c0: case 0x01c2: case 0x01c4: return "arm";
  case 0x0200: return "ia64";
  default: return NULL;
  }
}

int
inspect_split_version (const char *s, int *epoch, char **version,
                       char **release)
{
  const char *colon, *dash;
  size_t k;
  int e = 0;

  *epoch = 0;
  *version = *release = NULL;
  if (s == NULL)
    s = "";
  colon = strchr (s, ':');
  if (colon && colon > s) {
    k = read_number (s, &e);
    if (s + k == colon)
      s = colon + 1;
    else
      e = 0;
  }
  dash = strrchr (s, '-');
  *version = clean_span (s, (struct span) { 0, dash ? (size_t) (dash - s)
                                                 : strlen (s) }, 0);
  if (*version == NULL)
    goto enomem;
  if (dash) {
    if (take_value (dash + 1, (struct span) { 0, strlen (dash + 1) }, 0,
                    release) == -1)
      goto enomem;
  }
  *epoch = e;
  return 0;

 enomem:
  free (*version);
  *version = NULL;
  errno = ENOMEM;
  return -1;
}

/* The strings of one package while a database is read; all owned. */
struct pkg_values {
  char *name, *version, *release, *arch, *url, *source, *summary,
    *description, *publisher;
  int epoch;
};

static void
pkg_values_free (struct pkg_values *v)
{
  free (v->name);
  free (v->version);
  free (v->release);
  free (v->arch);
  free (v->url);
  free (v->source);
  free (v->summary);
  free (v->description);
  free (v->publisher);
  memset (v, 0, sizeof *v);
}

static int
pkg_emit (struct pkg_values *v, inspect_pkg_cb cb, void *opaque)
{
  struct inspect_pkg pkg = {
    .name = v->name, .epoch = v->epoch, .version = v->version,
    .release = v->release, .arch = v->arch, .publisher = v->publisher,
    .url = v->url, .source_package = v->source, .summary = v->summary,
    .description = v->description,
  };
  return cb (opaque, &pkg);
}

/* Cleans span s of buf then splits it as a "[EPOCH:]VER[-REL]". */
static int
take_version (const char *buf, struct span s, struct pkg_values *v)
{
  char *full = clean_span (buf, s, 0);
  int r;

  if (full == NULL)
    return -1;
  r = inspect_split_version (full, &v->epoch, &v->version, &v->release);
  free (full);
  return r;
}

/* The fields of one dpkg stanza, as spans of the buffer. */
struct dpkg_stanza {
  struct span package, status, version, arch, source, homepage,
    maintainer, description;
  int in_description;   /* continuation lines belong to Description */
};

/* Turns the continuation lines of a Description into text: one leading
 * blank dropped, " ." standing for an empty line. */
static char *
dpkg_long_description (const char *buf, struct span d)
{
  size_t pos = 0, o = 0, n;
  struct span line;
  const char *p = buf + d.off;
  char raw[RAW_MAX];

  next_line (p, d.len, &pos, &line);  /* the summary */
  while (next_line (p, d.len, &pos, &line) && o < sizeof raw) {
    if (line.len > 0 && is_blank (p[line.off])) {
      line.off++;
      line.len--;
    }
    if (line.len == 1 && p[line.off] == '.')
      line.len = 0;
    if (o > 0)
      raw[o++] = '\n';
    n = line.len < sizeof raw - o ? line.len : sizeof raw - o;
    memcpy (raw + o, p + line.off, n);
    o += n;
  }
  return clean_span (raw, (struct span) { 0, o }, 1);
}

static int
dpkg_emit (const char *buf, const struct dpkg_stanza *st,
           inspect_pkg_cb cb, void *opaque)
{
  struct pkg_values v = { 0 };
  struct span summary = st->description, word = st->source;
  const char *nl;
  int r = 0;

  if (st->package.len == 0 ||
      !span_eq (buf, trim (buf, st->status), "install ok installed"))
    return 0;
  if (summary.len > 0 && (nl = memchr (buf + summary.off, '\n', summary.len)))
    summary.len = nl - (buf + summary.off);
  word = trim (buf, word);
  for (size_t i = 0; i < word.len; ++i)
    if (is_blank (buf[word.off + i]))
      word.len = i;
  if (take_value (buf, st->package, 0, &v.name) == -1 ||
      take_version (buf, st->version, &v) == -1 ||
      take_value (buf, st->arch, 0, &v.arch) == -1 ||
      take_value (buf, word, 0, &v.source) == -1 ||
      take_value (buf, st->homepage, 0, &v.url) == -1 ||
      take_value (buf, st->maintainer, 0, &v.publisher) == -1 ||
      take_value (buf, summary, 0, &v.summary) == -1)
    goto enomem;
  if (st->description.len > 0) {
    v.description = dpkg_long_description (buf, st->description);
    if (v.description == NULL)
      goto enomem;
    if (*v.description == '\0') {
      free (v.description);
      v.description = NULL;
    }
  }
  if (v.name)
    r = pkg_emit (&v, cb, opaque);
  pkg_values_free (&v);
  return r;

 enomem:
  pkg_values_free (&v);
  errno = ENOMEM;
  return -1;
}

/* Is the "Key:" of a stanza line key (dpkg field names ignore case)? */
static int
key_is (const char *buf, struct span k, const char *key)
{
  size_t n = strlen (key);

  if (k.len != n)
    return 0;
  for (size_t i = 0; i < n; ++i) {
    char c = buf[k.off + i];
    if (c >= 'A' && c <= 'Z')
      c += 'a' - 'A';
    if (c != key[i])
      return 0;
  }
  return 1;
}

static void
dpkg_field (const char *buf, struct span line, struct dpkg_stanza *st)
{
  const char *colon = memchr (buf + line.off, ':', line.len);
  struct span k, v;
  static const struct {
    const char *key;
    size_t field;
  } fields[] = {
    { "package", offsetof (struct dpkg_stanza, package) },
    { "status", offsetof (struct dpkg_stanza, status) },
    { "version", offsetof (struct dpkg_stanza, version) },
    { "architecture", offsetof (struct dpkg_stanza, arch) },
    { "source", offsetof (struct dpkg_stanza, source) },
    { "homepage", offsetof (struct dpkg_stanza, homepage) },
    { "maintainer", offsetof (struct dpkg_stanza, maintainer) },
    { "description", offsetof (struct dpkg_stanza, description) },
  };

  st->in_description = 0;
  if (colon == NULL || colon == buf + line.off)
    return;
  k.off = line.off;
  k.len = colon - (buf + line.off);
  v.off = k.off + k.len + 1;
  v.len = line.len - k.len - 1;
  while (v.len > 0 && is_blank (buf[v.off])) {
    v.off++;
    v.len--;
  }
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
    if (key_is (buf, k, fields[i].key)) {
      *(struct span *) ((char *) st + fields[i].field) = v;
      st->in_description = strcmp (fields[i].key, "description") == 0;
    }
}

int
inspect_parse_dpkg_status (const char *buf, size_t len,
                           inspect_pkg_cb cb, void *opaque)
{
  struct dpkg_stanza st = { 0 };
  struct span line;
  size_t pos = 0;
  int r = 0;

  skip_bom (&buf, &len);
  while (r == 0 && next_line (buf, len, &pos, &line)) {
    if (trim (buf, line).len == 0) {
      r = dpkg_emit (buf, &st, cb, opaque);
      memset (&st, 0, sizeof st);
    }
    else if (is_blank (buf[line.off])) {
      /* A continuation line: only Description's are kept. */
      if (st.in_description)
        st.description.len = line.off + line.len - st.description.off;
    }
    else
      dpkg_field (buf, line, &st);
  }
  if (r == 0)
    r = dpkg_emit (buf, &st, cb, opaque);
  return r;
}

/* apk's "V:" is "VER-rREL": the release loses its 'r'. */
static int
apk_version (const char *buf, struct span s, struct pkg_values *v)
{
  struct span ver = trim (buf, s), rel = { 0, 0 };
  size_t i;

  for (i = ver.len; i > 0; --i)
    if (buf[ver.off + i - 1] == '-') {
      rel.off = ver.off + i;
      rel.len = ver.len - i;
      ver.len = i - 1;
      if (rel.len > 0 && buf[rel.off] == 'r') {
        rel.off++;
        rel.len--;
      }
      break;
    }
  if (take_value (buf, ver, 0, &v->version) == -1 ||
      take_value (buf, rel, 0, &v->release) == -1)
    return -1;
  return 0;
}

int
inspect_parse_apk_installed (const char *buf, size_t len,
                             inspect_pkg_cb cb, void *opaque)
{
  struct pkg_values v = { 0 };
  struct span line, val;
  size_t pos = 0;
  int r = 0, more = 1, enomem = 0;
  char **field;

  skip_bom (&buf, &len);
  while (r == 0 && more) {
    more = next_line (buf, len, &pos, &line);
    if (!more || trim (buf, line).len == 0) {
      if (v.name)
        r = pkg_emit (&v, cb, opaque);
      pkg_values_free (&v);
      continue;
    }
    if (line.len < 2 || buf[line.off + 1] != ':')
      continue;
    val.off = line.off + 2;
    val.len = line.len - 2;
    switch (buf[line.off]) {
    case 'P': field = &v.name; break;
    case 'A': field = &v.arch; break;
    case 'T': field = &v.summary; break;
    case 'U': field = &v.url; break;
    case 'o': field = &v.source; break;
    case 'm': field = &v.publisher; break;
    case 'V':
      free (v.version);
      free (v.release);
      v.version = v.release = NULL;
      if (apk_version (buf, val, &v) == -1)
        r = enomem = -1;
      continue;
    default: continue;
    }
    free (*field);
    if (take_value (buf, val, 0, field) == -1)
      r = enomem = -1;
  }
  pkg_values_free (&v);
  if (enomem)
    errno = ENOMEM;
  return r;
}

int
inspect_parse_pacman_desc (const char *buf, size_t len,
                           inspect_pkg_cb cb, void *opaque)
{
  struct pkg_values v = { 0 };
  struct span line, version = { 0, 0 };
  size_t pos = 0;
  char **field = NULL;
  int want_version = 0, have_version = 0, r = 0;

  skip_bom (&buf, &len);
  while (next_line (buf, len, &pos, &line)) {
    if (field) {
      free (*field);
      if (take_value (buf, line, 0, field) == -1)
        goto enomem;
      field = NULL;
      continue;
    }
    if (want_version) {
      version = line;
      have_version = 1;
      want_version = 0;
      continue;
    }
    if (span_eq (buf, line, "%NAME%"))
      field = &v.name;
    else if (span_eq (buf, line, "%VERSION%"))
      want_version = 1;
    else if (span_eq (buf, line, "%DESC%"))
      field = &v.summary;
    else if (span_eq (buf, line, "%URL%"))
      field = &v.url;
    else if (span_eq (buf, line, "%ARCH%"))
      field = &v.arch;
    else if (span_eq (buf, line, "%BASE%"))
      field = &v.source;
    else if (span_eq (buf, line, "%PACKAGER%"))
      field = &v.publisher;
  }
  if (have_version && take_version (buf, version, &v) == -1)
    goto enomem;
  if (v.name && v.version)
    r = pkg_emit (&v, cb, opaque);
  pkg_values_free (&v);
  return r;

 enomem:
  pkg_values_free (&v);
  errno = ENOMEM;
  return -1;
}

int
inspect_set (char **field, const char *value)
{
  char *copy;

  if (value == NULL)
    return 0;
  copy = strdup (value);
  if (copy == NULL)
    return -1;
  free (*field);
  *field = copy;
  return 0;
}
