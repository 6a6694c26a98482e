/* --commands-from-file FILENAME of drydock customize: operations read
 * from a file when the command line is read, in virt-customize's
 * format.  Each line is an operation's name without "--", a space and
 * its argument ("delete /some/file"); leading blanks are skipped,
 * blank lines and lines starting with '#' are ignored, and a backslash
 * at the end of a line continues the argument on the next one (the
 * newline kept, the backslash dropped).  The operations take the
 * place of the option among the others; a bad one is reported as
 * FILE:LINE.  As in virt-customize's, every operation and flag but
 * commands-from-file itself may be given, and password-crypto too
 * (the last one given counts, as on the command line). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "customize.h"

/* A commands file larger than this is not one. */
#define MAX_FILE (16 * 1024 * 1024)

int
customize_check_commands_file (struct customize_op *op)
{
  (void) op;
  return 0;
}

/* The whole file (caller frees), NUL-terminated; -1 printed. */
static char *
read_all (const char *file, size_t *size)
{
  CLEANUP_FCLOSE FILE *fp = fopen (file, "re");
  struct stat st;
  char *buf;

  if (fp == NULL || fstat (fileno (fp), &st) == -1) {
    tool_error ("--commands-from-file '%s': %s", file, strerror (errno));
    return NULL;
  }
  if (!S_ISREG (st.st_mode) || st.st_size > MAX_FILE) {
    tool_error (_("--commands-from-file '%s': not a regular file of at most "
                  "16 MiB"), file);
    return NULL;
  }
  buf = malloc ((size_t) st.st_size + 1);
  if (buf == NULL) {
    tool_error ("%s", strerror (errno));
    return NULL;
  }
  *size = fread (buf, 1, (size_t) st.st_size, fp);
  if (ferror (fp)) {
    tool_error ("--commands-from-file '%s': %s", file, strerror (errno));
    free (buf);
    return NULL;
  }
  buf[*size] = '\0';
  return buf;
}

/* The next logical line at *p (advanced past it) into *line (caller
 * frees): continuation lines joined, *lines counting the physical
 * lines it took.  1, 0 at the end of the text, -1 out of memory. */
static int
next_line (const char **p, const char *end, char **line, size_t *lines)
{
  const char *s = *p;
  char *w;

  if (s >= end)
    return 0;
  *line = w = malloc ((size_t) (end - s) + 1);
  if (w == NULL)
    return -1;
  *lines = 1;
  while (s < end && *s != '\n') {
    if (*s == '\\' && (s + 1 == end || s[1] == '\n')) {
      *w++ = '\n';
      s += s + 1 == end ? 1 : 2;
      if (s < end)
        (*lines)++;
      continue;
    }
    *w++ = *s++;
  }
  *w = '\0';
  *p = s < end ? s + 1 : end;
  return 1;
}

/* password-crypto in a file: its value kept as an operation that does
 * nothing (so it is freed with the others), and made the session's. */
static int
check_crypto (struct customize_op *op)
{
  if (!customize_crypto_known (op->arg))
    return customize_arg_error (op, _("unknown (use md5, sha256 or "
                                      "sha512)"));
  return 0;
}

static const struct customize_op_def crypto_def = {
  "password-crypto", "md5|sha256|sha512", NULL, 0, check_crypto, NULL,
};

static int
add_crypto (struct customize_opts *o, char *value)
{
  if (customize_add_owned_op (o, &crypto_def, value) == -1)
    return -1;
  o->crypto = o->ops[o->n_ops - 1].arg;
  return 0;
}

/* Adds the operation of one logical line (owned by the callee). */
static int
add_line (struct customize_opts *o, char *line, const char *where)
{
  char *p = line + strspn (line, " \t\n\r\v\f"), *space, *arg;
  const struct customize_op_def *def;

  if (*p == '\0' || *p == '#') {
    free (line);
    return 0;
  }
  space = strchr (p, ' ');
  if (space)
    *space = '\0';
  def = strcmp (p, crypto_def.name) == 0 ? &crypto_def :
    customize_find_op (p);
  if (def == NULL || strcmp (def->name, "commands-from-file") == 0) {
    int r = tool_error (def ? _("%s: '%s' cannot be used in a commands file")
                        : _("%s: unknown operation '%s'"), where, p);
    free (line);
    return r;
  }
  arg = strdup (space ? space + 1 : "");
  free (line);
  if (arg == NULL)
    return tool_error ("%s", strerror (errno));
  return def == &crypto_def ? add_crypto (o, arg) :
    customize_add_owned_op (o, def, arg);
}

int
customize_commands_from_file (struct customize_opts *o, const char *file)
{
  size_t size = 0, at = 1, lines;
  CLEANUP_FREE char *text = read_all (file, &size);
  const char *p = text, *end;
  char *line, where[1024];
  int r = 0, more = 0;

  if (text == NULL)
    return -1;
  end = text + size;
  while (r == 0 && (more = next_line (&p, end, &line, &lines)) == 1) {
    snprintf (where, sizeof where, "%s:%zu", file, at);
    customize_set_arg_source (where);
    r = add_line (o, line, where);
    customize_set_arg_source (NULL);
    at += lines;
  }
  if (r == 0 && more == -1)
    return tool_error ("%s", strerror (ENOMEM));
  return r;
}
