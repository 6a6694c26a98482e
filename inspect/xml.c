/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The XML document, element for element what virt-inspector writes
 * (libguestfs 1.48, and its RELAX NG schema virt-inspector.rng), so
 * programs reading its output can switch; and --xpath queries on such
 * a document, printed as virt-inspector --xpath prints them.
 *
 * Per root: root, name, arch, distro, product_name, product_variant,
 * major_version, minor_version, package_format, package_management,
 * windows_systemroot, windows_current_control_set, hostname, osinfo,
 * mountpoints, filesystems, drive_mappings, applications, icon.  An
 * "unknown" answer leaves its element out (the schema has no
 * "unknown"); so does an empty filesystem type, label or UUID, an
 * empty application field, a zero epoch, and a guest with no drive
 * letters.  build_id and format are not in the schema: only the JSON
 * document carries them. */

#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>

#include "cleanups.h"
#include "inspect.h"

/* A writer that remembers its first failure, so a document is written
 * straight through and checked once at the end. */
struct writer {
  xmlTextWriterPtr w;
  int failed;
};

static void
start (struct writer *x, const char *name)
{
  if (!x->failed && xmlTextWriterStartElement (x->w, BAD_CAST name) < 0)
    x->failed = 1;
}

static void
end (struct writer *x)
{
  if (!x->failed && xmlTextWriterEndElement (x->w) < 0)
    x->failed = 1;
}

static void
attribute (struct writer *x, const char *name, const char *value)
{
  CLEANUP_FREE char *v = inspect_text_xml (value);

  if (v == NULL)
    x->failed = 1;
  if (!x->failed &&
      xmlTextWriterWriteAttribute (x->w, BAD_CAST name, BAD_CAST v) < 0)
    x->failed = 1;
}

static void
text (struct writer *x, const char *value)
{
  CLEANUP_FREE char *v = inspect_text_xml (value);

  if (v == NULL)
    x->failed = 1;
  if (!x->failed && xmlTextWriterWriteString (x->w, BAD_CAST v) < 0)
    x->failed = 1;
}

/* <name>value</name> */
static void
element (struct writer *x, const char *name, const char *value)
{
  start (x, name);
  text (x, value);
  end (x);
}

/* The element only if the guest said something. */
static void
known (struct writer *x, const char *name, const char *value)
{
  if (value && value[0] && strcmp (value, "unknown") != 0)
    element (x, name, value);
}

static void
nonempty (struct writer *x, const char *name, const char *value)
{
  if (value && value[0])
    element (x, name, value);
}

static void
number (struct writer *x, const char *name, int n)
{
  char buf[16];

  snprintf (buf, sizeof buf, "%d", n);
  element (x, name, buf);
}

/* For each pair of l: <TAG ATTR="a">b</TAG>, where a is the pair's
 * key and b its value if attr_is_key, else the other way round. */
static void
pairs (struct writer *x, const char *tag, const char *attr, char **l,
       int attr_is_key)
{
  for (size_t i = 0; l && l[i] && l[i + 1]; i += 2) {
    start (x, tag);
    attribute (x, attr, attr_is_key ? l[i] : l[i + 1]);
    text (x, attr_is_key ? l[i + 1] : l[i]);
    end (x);
  }
}

static void
write_filesystems (struct writer *x, const struct inspect_os *os)
{
  start (x, "filesystems");
  for (size_t i = 0; i < os->n_fs; ++i) {
    start (x, "filesystem");
    attribute (x, "dev", os->fs[i].dev);
    nonempty (x, "type", os->fs[i].type);
    nonempty (x, "label", os->fs[i].label);
    nonempty (x, "uuid", os->fs[i].uuid);
    end (x);
  }
  end (x);
}

static void
write_applications (struct writer *x, const struct drydock_application_list *l)
{
  start (x, "applications");
  for (uint32_t i = 0; i < l->len; ++i) {
    const struct drydock_application *a = &l->val[i];

    start (x, "application");
    element (x, "name", a->name);
    nonempty (x, "display_name", a->display_name);
    if (a->epoch != 0)
      number (x, "epoch", a->epoch);
    nonempty (x, "version", a->version);
    nonempty (x, "release", a->release);
    nonempty (x, "arch", a->arch);
    nonempty (x, "install_path", a->install_path);
    nonempty (x, "publisher", a->publisher);
    nonempty (x, "url", a->url);
    nonempty (x, "source_package", a->source_package);
    nonempty (x, "summary", a->summary);
    nonempty (x, "description", a->description);
    end (x);
  }
  end (x);
}

static void
write_os (struct writer *x, const struct inspect_os *os)
{
  start (x, "operatingsystem");
  element (x, "root", os->root);
  known (x, "name", os->type);
  known (x, "arch", os->arch);
  known (x, "distro", os->distro);
  known (x, "product_name", os->product_name);
  known (x, "product_variant", os->product_variant);
  number (x, "major_version", os->major_version);
  number (x, "minor_version", os->minor_version);
  known (x, "package_format", os->package_format);
  known (x, "package_management", os->package_management);
  if (os->windows_systemroot)
    element (x, "windows_systemroot", os->windows_systemroot);
  if (os->windows_current_control_set)
    element (x, "windows_current_control_set",
             os->windows_current_control_set);
  known (x, "hostname", os->hostname);
  known (x, "osinfo", os->osinfo);

  start (x, "mountpoints");
  pairs (x, "mountpoint", "dev", os->mountpoints, 0);
  end (x);
  write_filesystems (x, os);
  if (os->drive_mappings && os->drive_mappings[0]) {
    start (x, "drive_mappings");
    pairs (x, "drive_mapping", "name", os->drive_mappings, 1);
    end (x);
  }
  if (os->apps)
    write_applications (x, os->apps);
  if (os->icon) {
    /* base64 as libxml2 writes it, lines of 72 ending in CR LF: what
     * virt-inspector prints. */
    start (x, "icon");
    if (!x->failed &&
        xmlTextWriterWriteBase64 (x->w, os->icon, 0, (int) os->icon_len) < 0)
      x->failed = 1;
    end (x);
  }
  end (x);
}

char *
inspect_xml_document (const struct inspect_result *r, size_t *len)
{
  xmlBufferPtr buf = xmlBufferCreate ();
  struct writer x = { NULL, buf == NULL };
  char *out = NULL;

  if (buf)
    x.w = xmlNewTextWriterMemory (buf, 0);
  if (x.w == NULL ||
      xmlTextWriterSetIndent (x.w, 1) < 0 ||
      xmlTextWriterSetIndentString (x.w, BAD_CAST "  ") < 0 ||
      xmlTextWriterStartDocument (x.w, NULL, NULL, NULL) < 0)
    x.failed = 1;
  start (&x, "operatingsystems");
  for (size_t i = 0; i < r->n_os; ++i)
    write_os (&x, &r->os[i]);
  end (&x);
  if (!x.failed && xmlTextWriterEndDocument (x.w) < 0)
    x.failed = 1;
  /* Freeing the writer flushes it into buf. */
  if (x.w)
    xmlFreeTextWriter (x.w);
  if (!x.failed) {
    *len = xmlBufferLength (buf);
    out = malloc (*len + 1);
    if (out) {
      memcpy (out, xmlBufferContent (buf), *len);
      out[*len] = '\0';
    }
  }
  if (buf)
    xmlBufferFree (buf);
  if (out == NULL)
    tool_error ("%s", _("cannot build the XML document (out of memory)"));
  return out;
}

/* libxml2 prints its errors itself unless told not to: ours are one
 * line, from xmlGetLastError. */
static void
quiet_generic (void *ctx, const char *msg, ...)
{
}

static void
quiet_structured (void *ctx, const xmlError *error)
{
}

/* libxml2's last message without its newline, after "line N: " if
 * with_line is set. */
static const char *
last_xml_error (int with_line)
{
  static char msg[256];
  const xmlError *e = xmlGetLastError ();
  size_t n;

  if (e == NULL || e->message == NULL)
    return with_line ? _("not well-formed") : _("syntax error");
  if (with_line)
    snprintf (msg, sizeof msg, "line %d: %s", e->line, e->message);
  else
    snprintf (msg, sizeof msg, "%s", e->message);
  n = strlen (msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  return msg;
}

/* Each node as a document of its own, indented, without declaration:
 * an element prints as XML, an attribute as ` name="value"`, a text
 * node as its text. */
static int
save_nodes (xmlNodeSetPtr nodes, xmlBufferPtr out)
{
  xmlSaveCtxtPtr save = xmlSaveToBuffer (out, NULL,
                                         XML_SAVE_NO_DECL | XML_SAVE_FORMAT);
  int ret = 0;

  if (save == NULL)
    return -1;
  for (int i = 0; nodes && i < nodes->nodeNr && ret == 0; ++i) {
    xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode (nodes->nodeTab[i], doc, 1) : NULL;

    if (copy == NULL)
      ret = -1;
    else {
      xmlDocSetRootElement (doc, copy);
      if (xmlSaveDoc (save, doc) < 0)
        ret = -1;
    }
    xmlFreeDoc (doc);
  }
  if (xmlSaveClose (save) < 0)
    ret = -1;
  return ret;
}

/* A string result: as is, with a final newline if it has none (none at
 * all for the empty string). */
static int
save_string (const char *s, xmlBufferPtr out)
{
  size_t n = strlen (s);

  if (xmlBufferCCat (out, s) != 0)
    return -1;
  if (n > 0 && s[n - 1] != '\n' && xmlBufferCCat (out, "\n") != 0)
    return -1;
  return 0;
}

static int
save_result (xmlXPathObjectPtr obj, xmlBufferPtr out)
{
  xmlChar *s;
  int r;

  switch (obj->type) {
  case XPATH_NODESET:
    return save_nodes (obj->nodesetval, out);
  case XPATH_STRING:
    return save_string ((const char *) obj->stringval, out);
  default:
    /* Numbers and booleans: their string value on one line. */
    s = xmlXPathCastToString (obj);
    if (s == NULL)
      return -1;
    r = xmlBufferCCat (out, (const char *) s) != 0 ||
      xmlBufferCCat (out, "\n") != 0 ? -1 : 0;
    xmlFree (s);
    return r;
  }
}

char *
inspect_xml_xpath (const char *buf, size_t len, const char *name,
                   const char *expr, size_t *out_len)
{
  xmlDocPtr doc;
  xmlXPathContextPtr ctx = NULL;
  xmlXPathObjectPtr obj = NULL;
  xmlBufferPtr out = NULL;
  char *ret = NULL;

  xmlSetGenericErrorFunc (NULL, quiet_generic);
  xmlSetStructuredErrorFunc (NULL, (xmlStructuredErrorFunc) quiet_structured);
  if (len == 0) {
    tool_error (_("%s: empty, not an XML document"), name);
    return NULL;
  }
  if (len > INT32_MAX) {
    tool_error (_("%s: the XML document is too large"), name);
    return NULL;
  }
  /* NONET: a document naming an external DTD or entity is not fetched. */
  doc = xmlReadMemory (buf, (int) len, name, NULL,
                       XML_PARSE_NOBLANKS | XML_PARSE_NONET);
  if (doc == NULL) {
    tool_error (_("%s: not an XML document: %s"), name,
                   last_xml_error (1));
    return NULL;
  }
  ctx = xmlXPathNewContext (doc);
  if (ctx == NULL) {
    tool_error ("%s", _("out of memory"));
    goto out;
  }
  obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  if (obj == NULL) {
    tool_error (_("--xpath '%s': invalid expression: %s"), expr,
                   last_xml_error (0));
    goto out;
  }
  out = xmlBufferCreate ();
  if (out == NULL || save_result (obj, out) == -1) {
    tool_error ("%s", _("cannot print the --xpath result (out of memory)"));
    goto out;
  }
  *out_len = xmlBufferLength (out);
  ret = malloc (*out_len + 1);
  if (ret == NULL) {
    tool_error ("%s", _("out of memory"));
    goto out;
  }
  memcpy (ret, xmlBufferContent (out), *out_len);
  ret[*out_len] = '\0';
 out:
  if (out)
    xmlBufferFree (out);
  if (obj)
    xmlXPathFreeObject (obj);
  if (ctx)
    xmlXPathFreeContext (ctx);
  if (doc)
    xmlFreeDoc (doc);
  return ret;
}
