/* The local Group Policy of a Windows guest given a startup script:
 * what runs the firstboot scripts of Windows guests (firstboot-win.c).
 * Windows runs the startup scripts of its Group Policy as SYSTEM at
 * every boot, before anyone can log on, with nothing but its own
 * programs; the local policy's are listed in
 * %SystemRoot%\System32\GroupPolicy\Machine\Scripts\scripts.ini, and
 * %SystemRoot%\System32\GroupPolicy\gpt.ini holds the policy's version
 * and the extensions it uses.  When the version is not the one last
 * applied, the Scripts extension reads scripts.ini again at the next
 * boot.  So the script is added to scripts.ini (after those already
 * there), the policy's version raised and the Scripts extension named
 * in gpt.ini; the files the guest has are edited, not replaced, and
 * kept in their encoding (ANSI, UTF-8 with a mark, or UTF-16LE, which
 * the policy editor writes), with CRLF line ends. */

#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanups.h"
#include "customize.h"

/* The Scripts extension of Group Policy, and its editor's part. */
#define SCRIPTS_CSE "{42B5FAAE-6536-11D2-AE5A-0000F87571E3}"
#define SCRIPTS_TOOL "{40B6664F-4972-11D1-A7CA-0000F87571E3}"
/* Bigger files are not the policy's. */
#define INI_MAX (1024 * 1024)

enum encoding { ANSI, UTF8_BOM, UTF16 };

struct lines {
  char **v;
  size_t n;
};

static void
lines_free (struct lines *l)
{
  for (size_t i = 0; i < l->n; ++i)
    free (l->v[i]);
  free (l->v);
  l->v = NULL;
  l->n = 0;
}

/* Inserts line (taken: freed on error) at index at. */
static int
lines_insert (struct lines *l, size_t at, char *line)
{
  char **v = line ? realloc (l->v, (l->n + 1) * sizeof *v) : NULL;

  if (v == NULL) {
    free (line);
    return -1;
  }
  l->v = v;
  memmove (v + at + 1, v + at, (l->n - at) * sizeof *v);
  v[at] = line;
  l->n++;
  return 0;
}

/* The lines of text, without their line ends. */
static int
lines_split (const char *text, struct lines *l)
{
  memset (l, 0, sizeof *l);
  while (*text) {
    size_t n = strcspn (text, "\n"), e = n;

    if (e > 0 && text[e - 1] == '\r')
      e--;
    if (lines_insert (l, l->n, strndup (text, e)) == -1)
      return -1;
    text += n + (text[n] == '\n');
  }
  return 0;
}

/* The lines, each ended by CRLF (caller frees). */
static char *
lines_join (const struct lines *l)
{
  size_t len = 1;
  char *out, *p;

  for (size_t i = 0; i < l->n; ++i)
    len += strlen (l->v[i]) + 2;
  p = out = malloc (len);
  if (out == NULL)
    return NULL;
  for (size_t i = 0; i < l->n; ++i)
    p += sprintf (p, "%s\r\n", l->v[i]);
  *p = '\0';
  return out;
}

/* Converts len bytes of in between the encodings; *out is
 * NUL-terminated (caller frees). */
static int
convert (const char *to, const char *from, const char *in, size_t len,
         char **out, size_t *outlen)
{
  iconv_t cd = iconv_open (to, from);
  size_t left = len * 2 + 4;
  char *ip = (char *) in, *op;
  int r = 0;

  if (cd == (iconv_t) -1)
    return -1;
  op = *out = malloc (left);
  if (*out == NULL || iconv (cd, &ip, &len, &op, &left) == (size_t) -1 ||
      left < 2)
    r = -1;
  iconv_close (cd);
  if (r == -1) {
    free (*out);
    *out = NULL;
    return -1;
  }
  *outlen = (size_t) (op - *out);
  op[0] = op[1] = '\0';
  return 0;
}

/* The lines of the guest's file path, and its encoding; no lines when
 * it is missing. */
static int
read_ini (struct customize_ctx *c, const char *path, struct lines *l,
          enum encoding *enc)
{
  CLEANUP_FREE char *data = NULL, *text = NULL;
  int64_t size;
  size_t len, tlen;
  int r;

  memset (l, 0, sizeof *l);
  *enc = ANSI;
  r = drydock_is_file (c->h, path);
  if (r <= 0)
    return r == 0 ? 0 : customize_op_lib_error (c);
  size = drydock_filesize (c->h, path);
  if (size == -1)
    return customize_op_lib_error (c);
  if (size > INI_MAX)
    return customize_op_error (c, _("%s: %" PRIi64 " bytes: too big to be "
                                    "a Group Policy file"), path, size);
  data = drydock_read_file (c->h, path, &len);
  if (data == NULL)
    return customize_op_lib_error (c);
  if (len >= 2 && (unsigned char) data[0] == 0xff &&
      (unsigned char) data[1] == 0xfe) {
    *enc = UTF16;
    if (convert ("UTF-8", "UTF-16LE", data + 2, len - 2, &text, &tlen) == -1)
      return customize_op_error (c, _("%s: not UTF-16LE text"), path);
  }
  else {
    if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
      *enc = UTF8_BOM;
    text = strndup (data + (*enc == UTF8_BOM ? 3 : 0),
                    len - (*enc == UTF8_BOM ? 3 : 0));
    if (text == NULL)
      return customize_op_error (c, "%s", strerror (errno));
    tlen = strlen (text);
  }
  if (strlen (text) != tlen)
    return customize_op_error (c, _("%s: not a text file (a NUL byte)"),
                               path);
  if (lines_split (text, l) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return 0;
}

static int
write_ini (struct customize_ctx *c, const char *path, const struct lines *l,
           enum encoding enc)
{
  CLEANUP_FREE char *text = lines_join (l), *data = NULL;
  size_t len;

  if (text == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  len = strlen (text);
  if (enc == UTF16) {
    CLEANUP_FREE char *u = NULL;
    size_t ulen;

    if (convert ("UTF-16LE", "UTF-8", text, len, &u, &ulen) == -1 ||
        (data = malloc (ulen + 2)) == NULL)
      return customize_op_error (c, _("%s: cannot be written as UTF-16LE"),
                                 path);
    memcpy (data, "\xff\xfe", 2);
    memcpy (data + 2, u, ulen);
    len = ulen + 2;
  }
  else if (enc == UTF8_BOM) {
    if (asprintf (&data, "\xef\xbb\xbf%s", text) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    len += 3;
  }
  if (drydock_write (c->h, path, data ? data : text, len) == -1)
    return customize_op_lib_error (c);
  return 0;
}

/* The index of the line "[name]" (any case, blanks around), or n. */
static size_t
find_section (const struct lines *l, const char *name)
{
  size_t len = strlen (name);

  for (size_t i = 0; i < l->n; ++i) {
    const char *s = l->v[i] + strspn (l->v[i], " \t");

    if (s[0] == '[' && strncasecmp (s + 1, name, len) == 0 &&
        s[1 + len] == ']')
      return i;
  }
  return l->n;
}

/* The end of the section starting at line i: the next section's line,
 * or n. */
static size_t
section_end (const struct lines *l, size_t i)
{
  for (++i; i < l->n; ++i)
    if (l->v[i][strspn (l->v[i], " \t")] == '[')
      break;
  return i;
}

/* The value of "key=" in line s (any case), or NULL. */
static const char *
key_value (const char *s, const char *key)
{
  size_t n = strlen (key);

  s += strspn (s, " \t");
  return strncasecmp (s, key, n) == 0 && s[n] == '=' ? s + n + 1 : NULL;
}

/* scripts.ini with cmdline as the last startup script; *present when
 * it is one already (nothing changed). */
static int
add_script (struct lines *l, const char *cmdline, int *present)
{
  size_t start = find_section (l, "Startup"), end, next = 0;
  char *line1, *line2;

  *present = 0;
  if (start == l->n && lines_insert (l, l->n, strdup ("[Startup]")) == -1)
    return -1;
  end = section_end (l, start);
  for (size_t i = start + 1; i < end; ++i) {
    const char *s = l->v[i] + strspn (l->v[i], " \t");
    char *rest;
    unsigned long k = strtoul (s, &rest, 10);
    const char *v;

    if (rest == s || (v = key_value (rest, "CmdLine")) == NULL)
      continue;
    if (strcasecmp (v, cmdline) == 0)
      *present = 1;
    if (k + 1 > next)
      next = k + 1;
  }
  if (*present)
    return 0;
  /* Blank lines stay at the section's end. */
  while (end > start + 1 && l->v[end - 1][0] == '\0')
    end--;
  if (asprintf (&line1, "%zuCmdLine=%s", next, cmdline) == -1)
    return -1;
  if (asprintf (&line2, "%zuParameters=", next) == -1) {
    free (line1);
    return -1;
  }
  if (lines_insert (l, end, line1) == -1) {
    free (line2);
    return -1;
  }
  return lines_insert (l, end + 1, line2);
}

/* The extension list "[{CSE}{TOOL}]..." of value v with the Scripts
 * extension's, kept in the order of the extensions' GUIDs, as the
 * policy editor writes it (caller frees). */
static char *
add_extension (const char *v)
{
  const char *ours = "[" SCRIPTS_CSE SCRIPTS_TOOL "]", *p = v;
  size_t len = strlen (ours);
  char *out;

  if (strcasestr (v, SCRIPTS_CSE))
    return strdup (v);
  /* Before the first group whose extension sorts after ours. */
  while (*p == '[' && strncasecmp (p + 1, SCRIPTS_CSE,
                                   strlen (SCRIPTS_CSE)) < 0) {
    const char *close = strchr (p, ']');

    if (close == NULL)
      break;
    p = close + 1;
  }
  out = malloc (strlen (v) + len + 1);
  if (out == NULL)
    return NULL;
  memcpy (out, v, (size_t) (p - v));
  memcpy (out + (p - v), ours, len);
  strcpy (out + (p - v) + len, p);
  return out;
}

/* gpt.ini with its machine version raised and the Scripts extension
 * among its machine extensions. */
static int
raise_version (struct lines *l)
{
  size_t start = find_section (l, "General"), end;
  int version = 0, extensions = 0;

  if (start == l->n) {
    start = 0;
    if (lines_insert (l, 0, strdup ("[General]")) == -1 ||
        lines_insert (l, 1, strdup ("gPCFunctionalityVersion=2")) == -1)
      return -1;
  }
  end = section_end (l, start);
  for (size_t i = start + 1; i < end; ++i) {
    const char *v;
    char *line = NULL;

    if ((v = key_value (l->v[i], "Version")) != NULL) {
      /* The user part in the high 16 bits, the machine's below. */
      unsigned long n = strtoul (v, NULL, 10) & 0xffffffffUL;
      unsigned long machine = (n & 0xffff) == 0xffff ? 1 : (n & 0xffff) + 1;

      if (asprintf (&line, "Version=%lu", (n & ~0xffffUL) | machine) == -1)
        return -1;
      version = 1;
    }
    else if ((v = key_value (l->v[i], "gPCMachineExtensionNames")) != NULL) {
      CLEANUP_FREE char *names = add_extension (v);

      if (names == NULL ||
          asprintf (&line, "gPCMachineExtensionNames=%s", names) == -1)
        return -1;
      extensions = 1;
    }
    if (line) {
      free (l->v[i]);
      l->v[i] = line;
    }
  }
  if (!extensions &&
      lines_insert (l, end++, strdup ("gPCMachineExtensionNames=["
                                      SCRIPTS_CSE SCRIPTS_TOOL "]")) == -1)
    return -1;
  if (!version && lines_insert (l, end, strdup ("Version=1")) == -1)
    return -1;
  return 0;
}

/* The guest path of the file name in the directory dir, as the guest
 * writes it if it is there (caller frees); NULL (printed). */
static char *
file_in (struct customize_ctx *c, const char *dir, const char *name)
{
  CLEANUP_FREE char *path = NULL;
  char *real;

  if (asprintf (&path, "%s/%s", dir, name) == -1) {
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  real = drydock_case_sensitive_path (c->h, path);
  if (real == NULL)
    customize_op_lib_error (c);
  return real;
}

int
customize_gpo_add_startup (struct customize_ctx *c, const char *systemroot,
                           const char *cmdline)
{
  CLEANUP_FREE char *gp = NULL, *scripts = NULL, *ini = NULL, *gpt = NULL;
  struct lines sl, gl = { NULL, 0 };
  enum encoding se, ge;
  int present = 0, r = -1;

  if (asprintf (&gp, "%s/System32/GroupPolicy", systemroot) == -1 ||
      asprintf (&scripts, "%s/Machine/Scripts", gp) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if ((ini = customize_win_mkdir (c, scripts)) == NULL)
    return -1;
  free (scripts);
  scripts = ini;
  if ((ini = file_in (c, scripts, "scripts.ini")) == NULL ||
      (gpt = file_in (c, gp, "gpt.ini")) == NULL ||
      read_ini (c, ini, &sl, &se) == -1)
    return -1;
  if (add_script (&sl, cmdline, &present) == -1) {
    customize_op_error (c, "%s", strerror (errno));
    goto out;
  }
  /* Already there: the policy needs no new version. */
  if (present) {
    r = 0;
    goto out;
  }
  if (read_ini (c, gpt, &gl, &ge) == -1)
    goto out;
  if (raise_version (&gl) == -1) {
    customize_op_error (c, "%s", strerror (errno));
    goto out;
  }
  if (write_ini (c, ini, &sl, se) == 0 && write_ini (c, gpt, &gl, ge) == 0)
    r = 0;
 out:
  lines_free (&sl);
  lines_free (&gl);
  return r;
}
