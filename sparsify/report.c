/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report of drydock sparsify: per device what was done, and the
 * image's allocation before and after, as text or JSON on stdout.
 * Device names and types come from the guest: JSON strings are escaped
 * and text is printed as is but never interpreted. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparsify.h"

static const char *const action_names[] = {
  [ACT_TRIMMED] = "trimmed",
  [ACT_ZERO_FILLED] = "zero-filled",
  [ACT_SWAP] = "swap-discarded",
  [ACT_LVM_FREE] = "free-space-discarded",
  [ACT_SKIPPED] = "skipped",
};

int
sparsify_report_add (struct sparsify_report *r, const char *device,
                     const char *type, enum sparsify_action action,
                     int64_t bytes, const char *reason)
{
  struct sparsify_entry *v = realloc (r->entries,
                                      (r->n_entries + 1) * sizeof *v);
  struct sparsify_entry *e;

  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  r->entries = v;
  e = &v[r->n_entries];
  e->device = strdup (device);
  e->type = strdup (type);
  e->reason = reason ? strdup (reason) : NULL;
  e->action = action;
  e->bytes = bytes;
  if (e->device == NULL || e->type == NULL || (reason && e->reason == NULL)) {
    free (e->device);
    free (e->type);
    free (e->reason);
    return tool_error ("%s", strerror (errno));
  }
  r->n_entries++;
  return 0;
}

void
sparsify_report_free (struct sparsify_report *r)
{
  for (size_t i = 0; i < r->n_entries; ++i) {
    free (r->entries[i].device);
    free (r->entries[i].type);
    free (r->entries[i].reason);
  }
  free (r->entries);
  r->entries = NULL;
  r->n_entries = 0;
}

static const char *
size_or_unknown (int64_t n, char *buf)
{
  if (n < 0)
    return strcpy (buf, "?");
  return sparsify_human_size (n, buf);
}

void
sparsify_report_print_text (const struct sparsify_report *r)
{
  char b1[32], b2[32];

  for (size_t i = 0; i < r->n_entries; ++i) {
    const struct sparsify_entry *e = &r->entries[i];

    printf ("%-24s %-12s ", e->device, e->type);
    switch (e->action) {
    case ACT_TRIMMED:
      printf (_("trimmed %s\n"), size_or_unknown (e->bytes, b1));
      break;
    case ACT_ZERO_FILLED:
      printf (_("zero-filled %s of free space (it cannot trim)\n"),
              size_or_unknown (e->bytes, b1));
      break;
    case ACT_SWAP:
      printf (_("discarded %s, header (UUID, label) kept\n"),
              size_or_unknown (e->bytes, b1));
      break;
    case ACT_LVM_FREE:
      printf (_("discarded %s of free extents\n"),
              size_or_unknown (e->bytes, b1));
      break;
    case ACT_SKIPPED:
      printf (_("skipped: %s\n"), e->reason);
      break;
    }
  }
  printf (_("allocated on the host (du): %s before, %s after\n"),
          size_or_unknown (r->alloc_before, b1),
          size_or_unknown (r->alloc_after, b2));
  printf (_("data clusters (qemu-img map): %s before, %s after\n"),
          size_or_unknown (r->data_before, b1),
          size_or_unknown (r->data_after, b2));
}

static void
json_string (const char *s)
{
  putchar ('"');
  for (const unsigned char *p = (const unsigned char *) s; *p; ++p) {
    if (*p == '"' || *p == '\\')
      printf ("\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      printf ("\\u%04x", *p);
    else
      putchar (*p);
  }
  putchar ('"');
}

static void
json_field (const char *name, const char *value, int comma)
{
  printf ("  \"%s\": ", name);
  if (value)
    json_string (value);
  else
    fputs ("null", stdout);
  puts (comma ? "," : "");
}

static void
json_number (const char *name, int64_t n, int comma)
{
  printf ("  \"%s\": ", name);
  if (n < 0)
    fputs ("null", stdout);
  else
    printf ("%" PRIi64, n);
  puts (comma ? "," : "");
}

void
sparsify_report_print_json (const struct sparsify_opts *o,
                            const struct sparsify_report *r)
{
  static const char *const modes[] = {
    [MODE_COPY] = "copy", [MODE_IN_PLACE] = "in-place",
    [MODE_OVERLAY] = "output-overlay",
  };

  puts ("{");
  json_field ("mode", modes[o->mode], 1);
  json_field ("input", o->input, 1);
  json_field ("output", o->mode == MODE_IN_PLACE ? NULL : o->output, 1);
  json_number ("allocated_before", r->alloc_before, 1);
  json_number ("allocated_after", r->alloc_after, 1);
  json_number ("data_before", r->data_before, 1);
  json_number ("data_after", r->data_after, 1);
  json_number ("guest_used", r->guest_used, 1);
  puts ("  \"devices\": [");
  for (size_t i = 0; i < r->n_entries; ++i) {
    const struct sparsify_entry *e = &r->entries[i];

    fputs ("    { \"device\": ", stdout);
    json_string (e->device);
    fputs (", \"type\": ", stdout);
    json_string (e->type);
    printf (", \"action\": \"%s\", \"bytes\": ", action_names[e->action]);
    if (e->bytes < 0)
      fputs ("null", stdout);
    else
      printf ("%" PRIi64, e->bytes);
    fputs (", \"reason\": ", stdout);
    if (e->reason)
      json_string (e->reason);
    else
      fputs ("null", stdout);
    printf (" }%s\n", i + 1 < r->n_entries ? "," : "");
  }
  puts ("  ]");
  puts ("}");
}
