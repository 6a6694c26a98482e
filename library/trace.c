/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Call tracing: the generated wrappers describe each call and its result
 * here; with tracing on, one TRACE event per line. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"

static void
emit (drydock_h *h, const char *line, size_t n)
{
  CLEANUP_FREE char *named = NULL;

  /* set_identifier: "ID: " before the call. */
  if (h->identifier && *h->identifier) {
    int r = asprintf (&named, "%s: %.*s", h->identifier, (int) n, line);

    if (r == -1)
      return;
    line = named;
    n = (size_t) r;
  }
  if (drydock_int_event (h, DRYDOCK_EVENT_TRACE, line, n, NULL, 0) == 0)
    fprintf (stderr, "libdrydock: trace: %.*s\n", (int) n, line);
}

int
drydock_int_trace_begin (drydock_h *h, struct drydock_trace *t, const char *name)
{
  t->fp = NULL;
  if (!h->trace)
    return 0;
  t->buf = NULL;
  t->fp = open_memstream (&t->buf, &t->len);
  if (t->fp == NULL)
    return 0;
  fputs (name, t->fp);
  return 1;
}

static void
quoted (FILE *fp, const char *s)
{
  fputc ('"', fp);
  for (; s && *s; ++s) {
    if (*s == '"' || *s == '\\')
      fputc ('\\', fp);
    if ((unsigned char) *s < 32)
      fprintf (fp, "\\x%02x", (unsigned char) *s);
    else
      fputc (*s, fp);
  }
  fputc ('"', fp);
}

void
drydock_int_trace_str (struct drydock_trace *t, const char *s)
{
  fputc (' ', t->fp);
  quoted (t->fp, s);
}

void
drydock_int_trace_bool (struct drydock_trace *t, int b)
{
  fputs (b ? " true" : " false", t->fp);
}

void
drydock_int_trace_int (struct drydock_trace *t, int64_t i)
{
  fprintf (t->fp, " %" PRIi64, i);
}

void
drydock_int_trace_list (struct drydock_trace *t, char *const *l)
{
  fputs (" [", t->fp);
  for (size_t i = 0; l && l[i]; ++i) {
    if (i)
      fputc (',', t->fp);
    quoted (t->fp, l[i]);
  }
  fputc (']', t->fp);
}

void
drydock_int_trace_buffer (struct drydock_trace *t, const char *b, size_t n)
{
  (void) b;
  fprintf (t->fp, " <%zu bytes>", n);
}

void
drydock_int_trace_opt_str (struct drydock_trace *t, const char *n, const char *s)
{
  fprintf (t->fp, " %s:", n);
  quoted (t->fp, s);
}

void
drydock_int_trace_opt_bool (struct drydock_trace *t, const char *n, int b)
{
  fprintf (t->fp, " %s:%s", n, b ? "true" : "false");
}

void
drydock_int_trace_opt_int (struct drydock_trace *t, const char *n, int64_t i)
{
  fprintf (t->fp, " %s:%" PRIi64, n, i);
}

void
drydock_int_trace_opt_list (struct drydock_trace *t, const char *n,
                            char *const *l)
{
  fprintf (t->fp, " %s:", n);
  drydock_int_trace_list (t, l);
}

void
drydock_int_trace_end (drydock_h *h, struct drydock_trace *t)
{
  if (t->fp == NULL)
    return;
  fclose (t->fp);
  emit (h, t->buf, t->len);
  free (t->buf);
  t->fp = NULL;
}

static void
ret_line (drydock_h *h, const char *name, const char *fs, const char *v)
{
  char *line;
  int n;

  if (!h->trace)
    return;
  n = asprintf (&line, fs, name, v);
  if (n == -1)
    return;
  emit (h, line, (size_t) n);
  free (line);
}

void
drydock_int_trace_ret_int (drydock_h *h, const char *name, int64_t r)
{
  char v[32];

  snprintf (v, sizeof v, "%" PRIi64, r);
  ret_line (h, name, r == -1 ? "%s = %s (error)" : "%s = %s", v);
}

void
drydock_int_trace_ret_str (drydock_h *h, const char *name, const char *r)
{
  CLEANUP_FREE char *buf = NULL;
  size_t n = 0;
  FILE *fp;

  if (!h->trace)
    return;
  if (r == NULL) {
    ret_line (h, name, "%s = %s (error)", "NULL");
    return;
  }
  fp = open_memstream (&buf, &n);
  if (fp == NULL)
    return;
  quoted (fp, r);
  fclose (fp);
  ret_line (h, name, "%s = %s", buf);
}

void
drydock_int_trace_ret_list (drydock_h *h, const char *name, char *const *r)
{
  CLEANUP_FREE char *buf = NULL;
  struct drydock_trace t;
  size_t n = 0;

  if (!h->trace)
    return;
  if (r == NULL) {
    ret_line (h, name, "%s = %s (error)", "NULL");
    return;
  }
  t.fp = open_memstream (&buf, &n);
  if (t.fp == NULL)
    return;
  drydock_int_trace_list (&t, r);
  fclose (t.fp);
  ret_line (h, name, "%s =%s", buf);
}

void
drydock_int_trace_ret_ptr (drydock_h *h, const char *name, const void *r)
{
  ret_line (h, name, r ? "%s = %s" : "%s = %s (error)", r ? "<struct>" : "NULL");
}
