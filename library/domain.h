/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt domains (add_domain): the lazily loaded libvirt and libxml2
 * (libvirt.c) and the disks read from a domain's XML (domain-xml.c).
 * Convention: functions returning int give 0, or -1 with the handle's
 * error set. */

#ifndef DRYDOCK_DOMAIN_H
#define DRYDOCK_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drydock-internal.h"

/* The libxml2 calls the XML reader makes, resolved at run time (libvirt
 * links libxml2, so it is in memory once libvirt is): neither library
 * is a dependency of libdrydock. */
struct domain_xml_api {
  __typeof__ (xmlReadMemory) *read_memory;
  __typeof__ (xmlFreeDoc) *free_doc;
  __typeof__ (xmlDocGetRootElement) *root_element;
  __typeof__ (xmlGetProp) *get_prop;
  xmlFreeFunc *free;          /* libxml2's xmlFree is a variable */
};

/* One disk of a domain, as its XML describes it. */
struct domain_disk {
  char *target;               /* "vda", or "disk N" when it has none */
  char *source;               /* absolute path, URI, or volume name */
  char *pool;                 /* the storage pool of a volume, else NULL */
  char *format;               /* <driver type=...>, NULL: probe */
  int readonly;               /* <readonly/> */
  int64_t offset, size;       /* a <slice> of a local source, else -1 */
};

/* The disks of the domain named dom (for messages) whose XML is xml,
 * in document order, into *disks and *n (domain_disks_free frees them,
 * also on error).  CD-ROMs, floppies, disks without a source and disk
 * types drydock does not read are skipped (the last with a warning);
 * a network protocol besides nbd, http and https, or a source that is
 * not well formed, is an error naming the disk. */
extern int drydock_int_domain_disks (drydock_h *h,
                                     const struct domain_xml_api *x,
                                     const char *dom, const char *xml,
                                     struct domain_disk **disks, size_t *n);
/* Frees the disks and the array; accepts NULL. */
extern void domain_disks_free (struct domain_disk *disks, size_t n);

#endif /* DRYDOCK_DOMAIN_H */
