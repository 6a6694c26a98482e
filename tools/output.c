/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the small tools print the way the virt tools do: sizes with -h,
 * CSV fields, ls's mode strings, and the lined-up tables of
 * virt-filesystems.  Kept apart from the tools so that each format has
 * one definition. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "quote.h"
#include "tools.h"

/* n / d rounded to the nearest, a half to the even neighbour. */
static unsigned __int128
div_nearest (unsigned __int128 n, unsigned __int128 d)
{
  unsigned __int128 q = n / d, r = n % d;

  if (2 * r > d || (2 * r == d && (q & 1)))
    q++;
  return q;
}

void
tools_human_size (uint64_t bytes, char *buf, size_t len)
{
  static const char suffix[] = "KMGTPE";
  unsigned __int128 unit = 1024, tenths, whole;
  int e = 0;

  if (bytes < 1024) {
    snprintf (buf, len, "%" PRIu64, bytes);
    return;
  }
  while (e < 5 && (unsigned __int128) bytes >= unit * 1024) {
    unit *= 1024;
    e++;
  }
  /* Under 10 units, one decimal. */
  tenths = div_nearest ((unsigned __int128) bytes * 10, unit);
  if (tenths < 100) {
    snprintf (buf, len, "%u.%u%c", (unsigned) (tenths / 10),
              (unsigned) (tenths % 10), suffix[e]);
    return;
  }
  whole = div_nearest (bytes, unit);
  if (whole >= 1024 && e < 5)
    snprintf (buf, len, "1.0%c", suffix[e + 1]);
  else
    snprintf (buf, len, "%u%c", (unsigned) whole, suffix[e]);
}

void
tools_put_name (const char *name)
{
  static int tty = -1;
  CLEANUP_FREE char *q = NULL;

  if (tty == -1)
    tty = isatty (STDOUT_FILENO);
  if (tty && name_needs_quoting (name))
    q = quote_name (name);
  fputs (q ? q : name, stdout);
}

void
tools_csv_field (FILE *fp, const char *s)
{
  if (strpbrk (s, " \",\n") == NULL) {
    fputs (s, fp);
    return;
  }
  fputc ('"', fp);
  for (; *s; ++s) {
    if (*s == '"')
      fputc ('"', fp);
    fputc (*s, fp);
  }
  fputc ('"', fp);
}

const char *
tools_file_type (int64_t mode)
{
  switch (mode & S_IFMT) {
  case S_IFREG: return "-";
  case S_IFDIR: return "d";
  case S_IFLNK: return "l";
  case S_IFCHR: return "c";
  case S_IFBLK: return "b";
  case S_IFIFO: return "p";
  case S_IFSOCK: return "s";
  default: return "u";
  }
}

/* The x of a mode string: x, s (with the special bit), S (without x). */
static char
exec_char (int64_t mode, int64_t x, int64_t special, char with)
{
  if (mode & special)
    return (mode & x) ? with : (char) (with - 'a' + 'A');
  return (mode & x) ? 'x' : '-';
}

void
tools_mode_string (int64_t mode, char *buf)
{
  const char *t = tools_file_type (mode);

  buf[0] = *t == '-' ? '-' : *t == 'u' ? '?' : *t;
  buf[1] = (mode & S_IRUSR) ? 'r' : '-';
  buf[2] = (mode & S_IWUSR) ? 'w' : '-';
  buf[3] = exec_char (mode, S_IXUSR, S_ISUID, 's');
  buf[4] = (mode & S_IRGRP) ? 'r' : '-';
  buf[5] = (mode & S_IWGRP) ? 'w' : '-';
  buf[6] = exec_char (mode, S_IXGRP, S_ISGID, 's');
  buf[7] = (mode & S_IROTH) ? 'r' : '-';
  buf[8] = (mode & S_IWOTH) ? 'w' : '-';
  buf[9] = exec_char (mode, S_IXOTH, S_ISVTX, 't');
  buf[10] = '\0';
}

/* ---- tables ---- */

struct tools_table {
  size_t ncols, nominal;
  int csv;
  char **cells;               /* rows * ncols, NULL for none */
  size_t rows;
  size_t *width;
};

struct tools_table *
tools_table_new (size_t ncols, size_t nominal, int csv)
{
  struct tools_table *t = calloc (1, sizeof *t);

  if (t == NULL || (t->width = calloc (ncols, sizeof *t->width)) == NULL) {
    free (t);
    tool_error ("%s", strerror (errno));
    return NULL;
  }
  t->ncols = ncols;
  t->nominal = nominal > ncols ? nominal : ncols;
  t->csv = csv;
  return t;
}

int
tools_table_add (struct tools_table *t, const char *const *cells)
{
  char **v = realloc (t->cells, (t->rows + 1) * t->ncols * sizeof *v);

  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  t->cells = v;
  v += t->rows * t->ncols;
  for (size_t i = 0; i < t->ncols; ++i) {
    v[i] = NULL;
    if (cells[i] == NULL)
      continue;
    if ((v[i] = strdup (cells[i])) == NULL) {
      while (i-- > 0)
        free (v[i]);
      return tool_error ("%s", strerror (errno));
    }
    /* "" is shown as "-". */
    if (t->width[i] < (*cells[i] ? strlen (cells[i]) : 1))
      t->width[i] = *cells[i] ? strlen (cells[i]) : 1;
  }
  t->rows++;
  return 0;
}

static void
print_csv_row (FILE *fp, char *const *row, size_t ncols)
{
  for (size_t i = 0; i < ncols; ++i) {
    if (i > 0)
      fputc (',', fp);
    if (row[i])
      tools_csv_field (fp, row[i]);
  }
  fputc ('\n', fp);
}

void
tools_table_print (struct tools_table *t, FILE *fp)
{
  size_t total = 2 * t->nominal, gap = 2;

  for (size_t i = 0; i < t->ncols; ++i)
    total += t->width[i];
  if (total > 72)
    gap = 1;
  for (size_t r = 0; r < t->rows; ++r) {
    char *const *row = t->cells + r * t->ncols;
    size_t pad = 0;

    if (t->csv) {
      print_csv_row (fp, row, t->ncols);
      continue;
    }
    for (size_t i = 0; i < t->ncols; ++i) {
      const char *s = row[i] && *row[i] ? row[i] : "-";

      if (t->width[i] == 0)
        continue;
      fprintf (fp, "%*s%s", (int) pad, "", s);
      pad = t->width[i] - strlen (s) + gap;
    }
    fputc ('\n', fp);
  }
  tools_table_free (t);
}

void
tools_table_free (struct tools_table *t)
{
  if (t == NULL)
    return;
  for (size_t i = 0; i < t->rows * t->ncols; ++i)
    free (t->cells[i]);
  free (t->cells);
  free (t->width);
  free (t);
}
