/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON document: the XML document's information in JSON, indented
 * by two spaces.  Keys are the XML element names; an answer the XML
 * leaves out (unknown, empty, a zero epoch) is left out here too, but
 * the lists are always present (possibly []), applications unless
 * --no-applications.  build_id and format, which virt-inspector's
 * schema has no room for, are here.
 *
 *   {"operatingsystems": [{"root": "/dev/sda1", "name": "linux", ...,
 *     "major_version": 12, "mountpoints": [{"dev": .., "mountpoint": ..}],
 *     "filesystems": [{"dev": .., "type": .., "label": .., "uuid": ..}],
 *     "drive_mappings": [{"name": "C", "dev": ..}],
 *     "applications": [{"name": .., "epoch": 1, "version": .., ...}],
 *     "icon": "iVBORw0..."}]}                     (base64 PNG, if any)
 *
 * Strings are the guest's, made valid UTF-8 (collect.c) and kept as
 * UTF-8; quotes, backslashes and control characters are escaped. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

#define MAX_DEPTH 8

struct json {
  FILE *fp;
  int depth;
  int has_items[MAX_DEPTH];   /* per open level: an item was written */
};

static void
quoted (struct json *j, const char *s)
{
  fputc ('"', j->fp);
  for (const unsigned char *p = (const unsigned char *) s; *p; ++p) {
    if (*p == '"' || *p == '\\')
      fprintf (j->fp, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf (j->fp, "\\u%04x", *p);
    else
      fputc (*p, j->fp);
  }
  fputc ('"', j->fp);
}

/* Starts an item of the open level: separator, indent, "key": . */
static void
item (struct json *j, const char *key)
{
  fputs (j->has_items[j->depth] ? ",\n" : "\n", j->fp);
  j->has_items[j->depth] = 1;
  for (int i = 0; i < j->depth; ++i)
    fputs ("  ", j->fp);
  if (key) {
    quoted (j, key);
    fputs (": ", j->fp);
  }
}

static void
open_level (struct json *j, const char *key, char bracket)
{
  if (j->depth > 0)
    item (j, key);
  fputc (bracket, j->fp);
  /* The document is 5 levels deep at most, below MAX_DEPTH. */
  j->has_items[++j->depth] = 0;
}

static void
close_level (struct json *j, char bracket)
{
  if (j->has_items[j->depth]) {
    fputc ('\n', j->fp);
    for (int i = 1; i < j->depth; ++i)
      fputs ("  ", j->fp);
  }
  fputc (bracket, j->fp);
  j->depth--;
}

static void
string (struct json *j, const char *key, const char *value)
{
  item (j, key);
  quoted (j, value);
}

static void
known (struct json *j, const char *key, const char *value)
{
  if (value && value[0] && strcmp (value, "unknown") != 0)
    string (j, key, value);
}

static void
nonempty (struct json *j, const char *key, const char *value)
{
  if (value && value[0])
    string (j, key, value);
}

/* Standard base64 (RFC 4648, padded, no line breaks). */
static void
base64 (struct json *j, const char *key, const unsigned char *p, size_t n)
{
  static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  item (j, key);
  fputc ('"', j->fp);
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned) p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned) p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    fputc (b64[v >> 18 & 63], j->fp);
    fputc (b64[v >> 12 & 63], j->fp);
    fputc (i + 1 < n ? b64[v >> 6 & 63] : '=', j->fp);
    fputc (i + 2 < n ? b64[v & 63] : '=', j->fp);
  }
  fputc ('"', j->fp);
}

static void
integer (struct json *j, const char *key, int n)
{
  item (j, key);
  fprintf (j->fp, "%d", n);
}

/* [{"KEY_NAME": key, "VALUE_NAME": value}, ...] from a list of pairs. */
static void
pairs (struct json *j, const char *list, const char *key_name,
       const char *value_name, char **l)
{
  open_level (j, list, '[');
  for (size_t i = 0; l && l[i] && l[i + 1]; i += 2) {
    open_level (j, NULL, '{');
    string (j, key_name, l[i]);
    string (j, value_name, l[i + 1]);
    close_level (j, '}');
  }
  close_level (j, ']');
}

static void
write_application (struct json *j, const struct drydock_application *a)
{
  open_level (j, NULL, '{');
  string (j, "name", a->name);
  nonempty (j, "display_name", a->display_name);
  if (a->epoch != 0)
    integer (j, "epoch", a->epoch);
  nonempty (j, "version", a->version);
  nonempty (j, "release", a->release);
  nonempty (j, "arch", a->arch);
  nonempty (j, "install_path", a->install_path);
  nonempty (j, "publisher", a->publisher);
  nonempty (j, "url", a->url);
  nonempty (j, "source_package", a->source_package);
  nonempty (j, "summary", a->summary);
  nonempty (j, "description", a->description);
  close_level (j, '}');
}

static void
write_os (struct json *j, const struct inspect_os *os)
{
  open_level (j, NULL, '{');
  string (j, "root", os->root);
  known (j, "name", os->type);
  known (j, "arch", os->arch);
  known (j, "distro", os->distro);
  known (j, "product_name", os->product_name);
  known (j, "product_variant", os->product_variant);
  integer (j, "major_version", os->major_version);
  integer (j, "minor_version", os->minor_version);
  known (j, "package_format", os->package_format);
  known (j, "package_management", os->package_management);
  if (os->windows_systemroot)
    string (j, "windows_systemroot", os->windows_systemroot);
  if (os->windows_current_control_set)
    string (j, "windows_current_control_set",
            os->windows_current_control_set);
  known (j, "hostname", os->hostname);
  known (j, "build_id", os->build_id);
  known (j, "osinfo", os->osinfo);
  known (j, "format", os->format);

  /* Mountpoints are mountpoint, device pairs: the device comes first
   * here as in the XML's <mountpoint dev=...>. */
  open_level (j, "mountpoints", '[');
  for (size_t i = 0; os->mountpoints && os->mountpoints[i] &&
         os->mountpoints[i + 1]; i += 2) {
    open_level (j, NULL, '{');
    string (j, "dev", os->mountpoints[i + 1]);
    string (j, "mountpoint", os->mountpoints[i]);
    close_level (j, '}');
  }
  close_level (j, ']');

  open_level (j, "filesystems", '[');
  for (size_t i = 0; i < os->n_fs; ++i) {
    open_level (j, NULL, '{');
    string (j, "dev", os->fs[i].dev);
    nonempty (j, "type", os->fs[i].type);
    nonempty (j, "label", os->fs[i].label);
    nonempty (j, "uuid", os->fs[i].uuid);
    close_level (j, '}');
  }
  close_level (j, ']');

  pairs (j, "drive_mappings", "name", "dev", os->drive_mappings);

  if (os->apps) {
    open_level (j, "applications", '[');
    for (uint32_t i = 0; i < os->apps->len; ++i)
      write_application (j, &os->apps->val[i]);
    close_level (j, ']');
  }
  if (os->icon)
    base64 (j, "icon", (const unsigned char *) os->icon, os->icon_len);
  close_level (j, '}');
}

char *
inspect_json_document (const struct inspect_result *r, size_t *len)
{
  struct json j = { NULL, 0, { 0 } };
  char *buf = NULL;
  int failed;

  j.fp = open_memstream (&buf, len);
  if (j.fp == NULL) {
    tool_error ("%s", _("cannot build the JSON document (out of memory)"));
    return NULL;
  }
  open_level (&j, NULL, '{');
  open_level (&j, "operatingsystems", '[');
  for (size_t i = 0; i < r->n_os; ++i)
    write_os (&j, &r->os[i]);
  close_level (&j, ']');
  close_level (&j, '}');
  fputc ('\n', j.fp);
  failed = ferror (j.fp);
  if (fclose (j.fp) != 0 || failed) {
    free (buf);
    tool_error ("%s", _("cannot build the JSON document (out of memory)"));
    return NULL;
  }
  return buf;
}
