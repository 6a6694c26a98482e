/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The disks of a libvirt domain, read from its XML.  Apart from the
 * connection (libvirt.c) because this is a parser of input drydock
 * does not control: every element and attribute may be missing, empty
 * or odd, and each is checked before it becomes a path or a URI that
 * add_drive opens. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "domain.h"

/* What one <disk> is read into while it is looked at. */
struct disk_reader {
  drydock_h *h;
  const struct domain_xml_api *x;
  const char *dom;
  const char *target;
};

/* Parsing options: no network, and libxml2 never prints. */
#define PARSE_FLAGS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static int
is_element (xmlNodePtr n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && n->name &&
    strcmp ((const char *) n->name, name) == 0;
}

/* The first child element of node called name, or NULL. */
static xmlNodePtr
child (xmlNodePtr node, const char *name)
{
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (is_element (c, name))
      return c;
  return NULL;
}

/* The attribute name of node as a malloc'd string (caller frees), or
 * NULL when node is NULL, the attribute is missing or memory ran out. */
static char *
prop (const struct domain_xml_api *x, xmlNodePtr node, const char *name)
{
  xmlChar *v;
  char *r;

  if (node == NULL)
    return NULL;
  v = x->get_prop (node, (const xmlChar *) name);
  if (v == NULL)
    return NULL;
  r = strdup ((const char *) v);
  (*x->free) (v);
  return r;
}

static int
bad_disk (struct disk_reader *r, const char *why)
{
  drydock_int_error_errno (r->h, EINVAL, "add_domain: %s: disk %s: %s",
                           r->dom, r->target, why);
  return -1;
}

/* Writes s to fp with every byte outside [A-Za-z0-9-._~] and keep as
 * %XX, as a URI component. */
static void
append_escaped (FILE *fp, const char *s, const char *keep)
{
  for (; *s; ++s) {
    unsigned char c = *s;

    if (isalnum (c) || strchr ("-._~", c) || (c && strchr (keep, c)))
      fputc (c, fp);
    else
      fprintf (fp, "%%%02X", c);
  }
}

/* A host name as a URI takes it: letters, digits, '.', '-', '_', and an
 * IPv6 address (with ':') in brackets.  NULL if it is not one. */
static const char *
host_ok (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 253)
    return NULL;
  for (const char *p = name; *p; ++p)
    if (!isalnum ((unsigned char) *p) && !strchr (".-_:", *p))
      return NULL;
  return name;
}

static int
port_ok (const char *port)
{
  size_t len = port ? strlen (port) : 0;

  if (port == NULL)
    return 1;
  return len >= 1 && len <= 5 && strspn (port, "0123456789") == len &&
    atoi (port) >= 1 && atoi (port) <= 65535;
}

/* The network protocols whose disks become a URI add_drive reads; rbd
 * and disks that need a libvirt secret are refused. */
static const char *const uri_protocols[] = {
  "nbd", "http", "https", "ftp", "ftps", "ssh", "iscsi", "gluster", NULL
};

/* The URI of a network disk: NBD over TCP or a unix socket, HTTP(S),
 * FTP(S), SSH (the agent's key), iSCSI and Gluster over TCP. */
static char *
network_uri (struct disk_reader *r, xmlNodePtr source)
{
  CLEANUP_FREE char *protocol = prop (r->x, source, "protocol");
  CLEANUP_FREE char *name = prop (r->x, source, "name");
  CLEANUP_FREE char *query = prop (r->x, source, "query");
  xmlNodePtr hostn = child (source, "host");
  CLEANUP_FREE char *host = prop (r->x, hostn, "name");
  CLEANUP_FREE char *port = prop (r->x, hostn, "port");
  CLEANUP_FREE char *transport = prop (r->x, hostn, "transport");
  CLEANUP_FREE char *socket = prop (r->x, hostn, "socket");
  xmlNodePtr auth = child (source, "auth");
  int nbd, unix_socket, known = 0;
  char *uri = NULL;
  size_t len = 0;
  FILE *fp;

  if (protocol == NULL)
    return bad_disk (r, "a network disk without a protocol"), NULL;
  nbd = strcmp (protocol, "nbd") == 0;
  for (size_t i = 0; uri_protocols[i]; ++i)
    known |= strcmp (protocol, uri_protocols[i]) == 0;
  if (!known) {
    drydock_int_error_errno (r->h, ENOTSUP, "add_domain: %s: disk %s: "
                             "network protocol '%s' is not supported (nbd, "
                             "http, https, ftp, ftps, ssh, iscsi and gluster "
                             "are)", r->dom, r->target, protocol);
    return NULL;
  }
  if (auth) {
    drydock_int_error_errno (r->h, ENOTSUP, "add_domain: %s: disk %s: a "
                             "disk that needs a libvirt secret is not "
                             "supported (add it with add_drive's secret)",
                             r->dom, r->target);
    return NULL;
  }
  unix_socket = nbd && transport && strcmp (transport, "unix") == 0;
  if (unix_socket && (socket == NULL || socket[0] != '/'))
    return bad_disk (r, "an NBD unix socket without an absolute path"), NULL;
  if (!unix_socket && host_ok (host) == NULL)
    return bad_disk (r, "a network disk without a valid host name"), NULL;
  if (!unix_socket && !port_ok (port))
    return bad_disk (r, "a network disk with an invalid port"), NULL;
  if (transport && !unix_socket && strcmp (transport, "tcp") != 0)
    return bad_disk (r, "a network disk over a transport besides tcp and "
                     "unix"), NULL;
  fp = open_memstream (&uri, &len);
  if (fp == NULL) {
    drydock_int_perror (r->h, "add_domain");
    return NULL;
  }
  if (unix_socket)
    fputs ("nbd+unix://", fp);
  else
    fprintf (fp, strchr (host, ':') ? "%s://[%s]" : "%s://%s", protocol, host);
  if (!unix_socket && port)
    fprintf (fp, ":%s", port);
  fputc ('/', fp);
  append_escaped (fp, name && name[0] == '/' ? name + 1 : name ? name : "",
                  nbd ? "" : "/");
  if (unix_socket) {
    fputs ("?socket=", fp);
    append_escaped (fp, socket, "/");
  }
  else if (!nbd && query && *query) {
    fputc ('?', fp);
    append_escaped (fp, query, "=&");
  }
  if (fclose (fp) != 0 || uri == NULL) {
    free (uri);
    drydock_int_perror (r->h, "add_domain");
    return NULL;
  }
  return uri;
}

/* A byte count of a <slice>: decimal, 0 or more. */
static int
parse_bytes (const char *s, int64_t *v)
{
  char *end;
  intmax_t n;

  if (s == NULL || !isdigit ((unsigned char) *s))
    return -1;
  errno = 0;
  n = strtoimax (s, &end, 10);
  if (errno || *end || n > INT64_MAX)
    return -1;
  *v = (int64_t) n;
  return 0;
}

/* <slices><slice type='storage' offset= size=/></slices>: the disk is
 * that byte range of its source (libvirt's slices), which add_drive
 * reads with its offset and size; without one, the whole source. */
static int
read_slice (struct disk_reader *r, xmlNodePtr source, struct domain_disk *d)
{
  xmlNodePtr slices = child (source, "slices");
  CLEANUP_FREE char *type = NULL, *offset = NULL, *size = NULL;
  xmlNodePtr slice;

  d->offset = d->size = -1;
  if (slices == NULL)
    return 0;
  for (slice = child (slices, "slice"); slice; slice = slice->next) {
    if (!is_element (slice, "slice"))
      continue;
    free (type);
    type = prop (r->x, slice, "type");
    if (type && strcmp (type, "storage") == 0)
      break;
  }
  if (slice == NULL)
    return 0;
  offset = prop (r->x, slice, "offset");
  size = prop (r->x, slice, "size");
  if (parse_bytes (offset, &d->offset) == -1 ||
      parse_bytes (size, &d->size) == -1 || d->size == 0)
    return bad_disk (r, "a storage slice without a valid offset and size");
  return 0;
}

/* The source of one disk into d: 0, 1 when it is skipped, or -1. */
static int
read_source (struct disk_reader *r, xmlNodePtr disk, struct domain_disk *d)
{
  CLEANUP_FREE char *type = prop (r->x, disk, "type");
  xmlNodePtr source = child (disk, "source");

  if (type == NULL) {
    drydock_int_warning (r->h, "domain %s: disk %s has no type: skipped",
                         r->dom, r->target);
    return 1;
  }
  if (source == NULL) {
    drydock_int_debug (r->h, "domain %s: disk %s has no source (an empty "
                       "drive): skipped", r->dom, r->target);
    return 1;
  }
  if (strcmp (type, "file") == 0 || strcmp (type, "block") == 0) {
    d->source = prop (r->x, source, type[0] == 'f' ? "file" : "dev");
    if (d->source == NULL) {
      drydock_int_debug (r->h, "domain %s: disk %s has no source (an empty "
                         "drive): skipped", r->dom, r->target);
      return 1;
    }
    /* Only an absolute path: anything else could be read as a URI. */
    if (d->source[0] != '/')
      return bad_disk (r, "the source is not an absolute path");
    return read_slice (r, source, d);
  }
  /* A slice of a volume or a remote image is not read (yet). */
  if (child (source, "slices"))
    return bad_disk (r, "a storage slice of a volume or a network disk is "
                     "not supported");
  d->offset = d->size = -1;
  if (strcmp (type, "volume") == 0) {
    d->pool = prop (r->x, source, "pool");
    d->source = prop (r->x, source, "volume");
    if (d->pool == NULL || d->source == NULL || !*d->pool || !*d->source)
      return bad_disk (r, "a volume disk without its pool and volume");
    return 0;
  }
  if (strcmp (type, "network") == 0) {
    d->source = network_uri (r, source);
    return d->source ? 0 : -1;
  }
  drydock_int_warning (r->h, "domain %s: disk %s: disk type '%s' is not "
                       "supported: skipped", r->dom, r->target, type);
  return 1;
}

/* One <disk>: appended to *disks unless it is skipped. */
static int
read_disk (drydock_h *h, const struct domain_xml_api *x, const char *dom,
           xmlNodePtr disk, size_t index, struct domain_disk **disks, size_t *n)
{
  CLEANUP_FREE char *device = prop (x, disk, "device");
  CLEANUP_FREE char *target = prop (x, child (disk, "target"), "dev");
  CLEANUP_FREE char *fallback = NULL;
  struct disk_reader r = { h, x, dom, target };
  struct domain_disk d = { 0 }, *v;
  int s;

  if (target == NULL || *target == '\0') {
    if (asprintf (&fallback, "%zu", index + 1) == -1)
      fallback = NULL;
    r.target = fallback ? fallback : "?";
  }
  if (device && (strcmp (device, "cdrom") == 0 ||
                 strcmp (device, "floppy") == 0)) {
    drydock_int_debug (h, "domain %s: disk %s is a %s: skipped", dom,
                       r.target, device);
    return 0;
  }
  s = read_source (&r, disk, &d);
  if (s != 0) {
    free (d.source);
    free (d.pool);
    return s == 1 ? 0 : -1;
  }
  d.target = strdup (r.target);
  d.format = prop (x, child (disk, "driver"), "type");
  d.readonly = child (disk, "readonly") != NULL;
  v = d.target ? realloc (*disks, (*n + 1) * sizeof *v) : NULL;
  if (v == NULL) {
    drydock_int_perror (h, "add_domain");
    free (d.target);
    free (d.source);
    free (d.pool);
    free (d.format);
    return -1;
  }
  *disks = v;
  (*disks)[(*n)++] = d;
  return 0;
}

int
drydock_int_domain_disks (drydock_h *h, const struct domain_xml_api *x,
                          const char *dom, const char *xml,
                          struct domain_disk **disks, size_t *n)
{
  size_t len = strlen (xml);
  xmlDocPtr doc;
  xmlNodePtr root, devices;
  size_t index = 0;
  int r = 0;

  *disks = NULL;
  *n = 0;
  if (len > INT32_MAX ||
      (doc = x->read_memory (xml, (int) len, NULL, NULL, PARSE_FLAGS)) == NULL) {
    drydock_int_error_errno (h, EINVAL, "add_domain: %s: libvirt's XML of "
                             "the domain cannot be parsed", dom);
    return -1;
  }
  root = x->root_element (doc);
  if (root == NULL || !is_element (root, "domain")) {
    drydock_int_error_errno (h, EINVAL, "add_domain: %s: libvirt's XML of "
                             "the domain has no <domain> element", dom);
    x->free_doc (doc);
    return -1;
  }
  devices = child (root, "devices");
  for (xmlNodePtr c = devices ? devices->children : NULL; r == 0 && c;
       c = c->next)
    if (is_element (c, "disk"))
      r = read_disk (h, x, dom, c, index++, disks, n);
  x->free_doc (doc);
  return r;
}

void
domain_disks_free (struct domain_disk *disks, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    free (disks[i].target);
    free (disks[i].source);
    free (disks[i].pool);
    free (disks[i].format);
  }
  free (disks);
}
