/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* add_domain: the disks of a libvirt domain.  libvirt's C library (and
 * libxml2, which it links) is loaded with dlopen on the first call
 * and only the handful of functions used here are looked up, so a
 * program that never adds a domain neither needs libvirt installed nor
 * pays for loading it.  The few libvirt types and constants used are
 * declared here for the same reason: no libvirt headers at build
 * time. */

#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "domain.h"
#include "impl-gen.h"

/* libvirt's ABI (libvirt.so.0), as its public headers define it. */
typedef struct virConnect *virConnectPtr;
typedef struct virDomain *virDomainPtr;
typedef struct virStoragePool *virStoragePoolPtr;
typedef struct virStorageVol *virStorageVolPtr;
typedef void *virConnectAuthPtr;
/* virConnectCredential and virConnectAuth: set_libvirt_supported_credentials. */
struct libvirt_credential {
  int type;                   /* VIR_CRED_* */
  const char *prompt;
  const char *challenge;
  const char *defresult;
  char *result;               /* malloc'd; libvirt frees it */
  unsigned int resultlen;
};
struct libvirt_auth {
  int *credtype;
  unsigned int ncredtype;
  int (*cb) (struct libvirt_credential *, unsigned int, void *);
  void *cbdata;
};
typedef void (*virErrorFunc) (void *opaque, void *error);
#define VIR_CONNECT_RO 1
#define VIR_DOMAIN_XML_INACTIVE 2

static struct libvirt_api {
  const char *load_error;     /* NULL once loaded */
  virConnectPtr (*connect_open_auth) (const char *, virConnectAuthPtr,
                                      unsigned);
  int (*connect_close) (virConnectPtr);
  virConnectAuthPtr *auth_default;
  void (*set_error_func) (void *, virErrorFunc);
  const char *(*last_error_message) (void);
  virDomainPtr (*lookup_by_name) (virConnectPtr, const char *);
  virDomainPtr (*lookup_by_uuid_string) (virConnectPtr, const char *);
  int (*is_active) (virDomainPtr);
  char *(*get_xml_desc) (virDomainPtr, unsigned);
  int (*domain_free) (virDomainPtr);
  virStoragePoolPtr (*pool_lookup_by_name) (virConnectPtr, const char *);
  virStorageVolPtr (*vol_lookup_by_name) (virStoragePoolPtr, const char *);
  char *(*vol_get_path) (virStorageVolPtr);
  int (*pool_free) (virStoragePoolPtr);
  int (*vol_free) (virStorageVolPtr);
  struct domain_xml_api xml;
} lv;

static pthread_once_t lv_once = PTHREAD_ONCE_INIT;
static char lv_error[256];

/* libvirt prints every error on stderr unless a handler is set; its
 * messages reach the caller through the handle's error instead. */
static void
quiet (void *opaque, void *error)
{
}

static void *
sym (void *lib, const char *libname, const char *name)
{
  void *p = lib ? dlsym (lib, name) : NULL;

  if (p == NULL && lv.load_error == NULL) {
    snprintf (lv_error, sizeof lv_error, "%s has no %s", libname, name);
    lv.load_error = lv_error;
  }
  return p;
}

static void
load (void)
{
  void *lib = dlopen ("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);

  if (lib == NULL) {
    snprintf (lv_error, sizeof lv_error, "libvirt.so.0 cannot be loaded "
              "(is libvirt0 installed?): %s", dlerror ());
    lv.load_error = lv_error;
    return;
  }
#define LV(field, name) \
  *(void **) &lv.field = sym (lib, "libvirt.so.0", name)
  LV (connect_open_auth, "virConnectOpenAuth");
  LV (connect_close, "virConnectClose");
  LV (auth_default, "virConnectAuthPtrDefault");
  LV (set_error_func, "virSetErrorFunc");
  LV (last_error_message, "virGetLastErrorMessage");
  LV (lookup_by_name, "virDomainLookupByName");
  LV (lookup_by_uuid_string, "virDomainLookupByUUIDString");
  LV (is_active, "virDomainIsActive");
  LV (get_xml_desc, "virDomainGetXMLDesc");
  LV (domain_free, "virDomainFree");
  LV (pool_lookup_by_name, "virStoragePoolLookupByName");
  LV (vol_lookup_by_name, "virStorageVolLookupByName");
  LV (vol_get_path, "virStorageVolGetPath");
  LV (pool_free, "virStoragePoolFree");
  LV (vol_free, "virStorageVolFree");
#undef LV
  /* libxml2 through libvirt's handle, which searches its dependencies
   * too: the libxml2 libvirt was built with, whatever its soname. */
#define XML(field, name) \
  *(void **) &lv.xml.field = sym (lib, "libvirt.so.0's libxml2", name)
  XML (read_memory, "xmlReadMemory");
  XML (free_doc, "xmlFreeDoc");
  XML (root_element, "xmlDocGetRootElement");
  XML (get_prop, "xmlGetProp");
  XML (free, "xmlFree");
#undef XML
  /* Both stay loaded for the life of the process: libvirt keeps
   * threads and state that cannot be unloaded safely. */
  if (lv.load_error == NULL)
    lv.set_error_func (NULL, quiet);
}

static const char *
lv_message (void)
{
  const char *m = lv.last_error_message ();

  return m && *m ? m : "unknown libvirt error";
}

/* The path libvirt gives the volume of pool.  Caller frees. */
static char *
volume_path (drydock_h *h, virConnectPtr conn, const char *dom,
             const struct domain_disk *d)
{
  virStoragePoolPtr pool = lv.pool_lookup_by_name (conn, d->pool);
  virStorageVolPtr vol = pool ? lv.vol_lookup_by_name (pool, d->source) : NULL;
  char *lvpath = vol ? lv.vol_get_path (vol) : NULL;
  char *path = NULL;

  if (lvpath == NULL)
    drydock_int_error_errno (h, ENOENT, "add_domain: %s: disk %s: volume "
                             "'%s' of pool '%s': %s", dom, d->target,
                             d->source, d->pool, lv_message ());
  else if (lvpath[0] != '/')
    drydock_int_error_errno (h, EINVAL, "add_domain: %s: disk %s: volume "
                             "'%s' of pool '%s' is not a local file ('%s')",
                             dom, d->target, d->source, d->pool, lvpath);
  else if ((path = strdup (lvpath)) == NULL)
    drydock_int_perror (h, "add_domain");
  free (lvpath);
  if (vol)
    lv.vol_free (vol);
  if (pool)
    lv.pool_free (pool);
  return path;
}

/* What add_domain's optional arguments say. */
struct domain_opts {
  const char *uri;
  int readonly, allowuuid, config, commit;
  const char *readonlydisk;   /* "error", "read", "write", "ignore" */
  const char *output_overlay;
};

/* The one-of checks of the optional arguments kept for compatibility. */
static int
check_choice (drydock_h *h, const char *name, const char *value,
              const char *const *choices)
{
  CLEANUP_FREE char *list = NULL;
  size_t len = 0;
  FILE *fp;

  for (size_t i = 0; choices[i]; ++i)
    if (strcmp (value, choices[i]) == 0)
      return 0;
  fp = open_memstream (&list, &len);
  for (size_t i = 0; fp && choices[i]; ++i)
    fprintf (fp, "%s%s", i ? ", " : "", choices[i]);
  if (fp)
    fclose (fp);
  drydock_int_error_errno (h, EINVAL, "add_domain: %s '%s': expected one of "
                           "%s", name, value, list ? list : "?");
  return -1;
}

static int
check_opts (drydock_h *h, const struct drydock_add_domain_opts_argv *o,
            struct domain_opts *d)
{
  static const char *const rodisk[] = { "write", "read", "error", "ignore", NULL };
  static const char *const cache[] = { "writeback", "unsafe", NULL };
  static const char *const discard[] = { "disable", "enable", "besteffort", NULL };
  static const char *const iface[] = { "virtio", "ide", "scsi", "sata",
                                       "virtio-scsi", "virtio-blk", NULL };
  uint64_t b = o->bitmask;

  d->uri = (b & DRYDOCK_ADD_DOMAIN_OPTS_LIBVIRTURI_BITMASK) ? o->libvirturi : NULL;
  d->readonly = (b & DRYDOCK_ADD_DOMAIN_OPTS_READONLY_BITMASK) && o->readonly;
  d->allowuuid = (b & DRYDOCK_ADD_DOMAIN_OPTS_ALLOWUUID_BITMASK) && o->allowuuid;
  d->config = (b & DRYDOCK_ADD_DOMAIN_OPTS_CONFIG_BITMASK) && o->config;
  d->commit = (b & DRYDOCK_ADD_DOMAIN_OPTS_COMMIT_BITMASK) && o->commit;
  d->readonlydisk = (b & DRYDOCK_ADD_DOMAIN_OPTS_READONLYDISK_BITMASK)
    ? o->readonlydisk : "write";
  d->output_overlay = (b & DRYDOCK_ADD_DOMAIN_OPTS_OUTPUT_OVERLAY_BITMASK)
    ? o->output_overlay : NULL;
  if ((b & DRYDOCK_ADD_DOMAIN_OPTS_LIVE_BITMASK) && o->live) {
    drydock_int_error_errno (h, ENOTSUP, "add_domain: live: attaching to a "
                             "daemon inside the running guest is not "
                             "supported");
    return -1;
  }
  if (d->readonly && (d->commit || d->output_overlay)) {
    drydock_int_error_errno (h, EINVAL, "add_domain: readonly excludes "
                             "commit and output_overlay");
    return -1;
  }
  if (d->commit && d->output_overlay) {
    drydock_int_error_errno (h, EINVAL, "add_domain: commit excludes "
                             "output_overlay");
    return -1;
  }
  if (check_choice (h, "readonlydisk", d->readonlydisk, rodisk) == -1 ||
      ((b & DRYDOCK_ADD_DOMAIN_OPTS_CACHEMODE_BITMASK) &&
       check_choice (h, "cachemode", o->cachemode, cache) == -1) ||
      ((b & DRYDOCK_ADD_DOMAIN_OPTS_DISCARD_BITMASK) &&
       check_choice (h, "discard", o->discard, discard) == -1) ||
      ((b & DRYDOCK_ADD_DOMAIN_OPTS_IFACE_BITMASK) &&
       check_choice (h, "iface", o->iface, iface) == -1))
    return -1;
  return 0;
}

/* The domain dom on conn, by UUID first with allowuuid. */
static virDomainPtr
lookup (drydock_h *h, virConnectPtr conn, const char *dom, int allowuuid)
{
  virDomainPtr d = allowuuid ? lv.lookup_by_uuid_string (conn, dom) : NULL;

  if (d == NULL)
    d = lv.lookup_by_name (conn, dom);
  if (d == NULL)
    drydock_int_error_errno (h, ENOENT, "add_domain: no libvirt domain "
                             "'%s'%s: %s", dom, allowuuid ? " (name or UUID)" :
                             "", lv_message ());
  return d;
}

/* The domain's disks from its XML, refusing a running domain unless
 * readonly. */
static int
domain_disks (drydock_h *h, virConnectPtr conn, const char *dom,
              const struct domain_opts *d, struct domain_disk **disks,
              size_t *n)
{
  virDomainPtr vd = lookup (h, conn, dom, d->allowuuid);
  char *xml = NULL;
  int active, r = -1;

  if (vd == NULL)
    return -1;
  active = lv.is_active (vd);
  if (active == -1)
    drydock_int_error (h, "add_domain: %s: %s", dom, lv_message ());
  else if (active && !d->readonly)
    drydock_int_error_errno (h, EBUSY, "add_domain: %s: the domain is "
                             "running: writing to the disks of a running "
                             "guest would corrupt them; add it read-only "
                             "(readonly, --ro in the tools)", dom);
  else if ((xml = lv.get_xml_desc (vd, d->config ? VIR_DOMAIN_XML_INACTIVE : 0)) == NULL)
    drydock_int_error (h, "add_domain: %s: cannot read the domain's XML: %s",
                       dom, lv_message ());
  else {
    drydock_int_debug (h, "domain %s (%s), XML:\n%s", dom,
                       active ? "running" : "not running", xml);
    r = drydock_int_domain_disks (h, &lv.xml, dom, xml, disks, n);
  }
  free (xml);
  lv.domain_free (vd);
  return r;
}

/* Whether a disk is added read-only (1), read-write (0), skipped (2),
 * as readonlydisk says for the disks the XML marks <readonly/>; -1 for
 * the error it asks for. */
static int
disk_mode (drydock_h *h, const char *dom, const struct domain_opts *d,
           const struct domain_disk *disk)
{
  if (!disk->readonly)
    return d->readonly;
  if (strcmp (d->readonlydisk, "ignore") == 0)
    return 2;
  if (d->readonly || strcmp (d->readonlydisk, "read") == 0)
    return 1;
  if (strcmp (d->readonlydisk, "write") == 0)
    return 0;
  drydock_int_error_errno (h, EROFS, "add_domain: %s: disk %s (%s) is "
                           "marked <readonly/> in the domain's XML, and "
                           "readonlydisk is error", dom, disk->target,
                           disk->source);
  return -1;
}

/* Adds the disks; the caller drops them all when one fails. */
static int
add_disks (drydock_h *h, virConnectPtr conn, const char *dom,
           const struct domain_opts *d, struct domain_disk *disks, size_t n)
{
  int added = 0;

  for (size_t i = 0; i < n; ++i) {
    struct drydock_add_drive_opts_argv a = { 0 };
    CLEANUP_FREE char *path = NULL;
    int mode = disk_mode (h, dom, d, &disks[i]);

    if (mode == -1)
      return -1;
    if (mode == 2)
      continue;
    if (disks[i].pool &&
        (path = volume_path (h, conn, dom, &disks[i])) == NULL)
      return -1;
    if (disks[i].format) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK;
      a.format = disks[i].format;
    }
    if (disks[i].offset >= 0) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_OFFSET_BITMASK |
        DRYDOCK_ADD_DRIVE_OPTS_SIZE_BITMASK;
      a.offset = disks[i].offset;
      a.size = disks[i].size;
    }
    if (mode == 1) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK;
      a.readonly = 1;
    }
    else if (d->commit) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK;
      a.commit = 1;
    }
    if (d->output_overlay && mode == 1) {
      drydock_int_error_errno (h, EROFS, "add_domain: %s: disk %s is added "
                               "read-only (<readonly/> and readonlydisk "
                               "read): it has no output_overlay", dom,
                               disks[i].target);
      return -1;
    }
    if (d->output_overlay) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK;
      a.output_overlay = d->output_overlay;
    }
    drydock_int_debug (h, "domain %s: disk %s: %s (%s%s)", dom,
                       disks[i].target, path ? path : disks[i].source,
                       disks[i].format ? disks[i].format : "format probed",
                       mode == 1 ? ", read-only" : "");
    if (drydock_add_drive_opts_argv (h, path ? path : disks[i].source, &a) == -1)
      return -1;
    added++;
  }
  return added;
}

/* Counts the disks that would be added, for output_overlay and the
 * error of a domain without any. */
static size_t
count_added (const struct domain_opts *d, const struct domain_disk *disks,
             size_t n)
{
  size_t k = 0;

  for (size_t i = 0; i < n; ++i)
    if (!disks[i].readonly || strcmp (d->readonlydisk, "ignore") != 0)
      k++;
  return k;
}

/* ---- authentication ---- */

/* The VIR_CRED_* types by the names the API takes, in their order. */
static const char *const cred_names[] = {
  NULL, "username", "authname", "language", "cnonce", "passphrase",
  "echoprompt", "noechoprompt", "realm", "external",
};
#define N_CRED_NAMES (sizeof cred_names / sizeof cred_names[0])

/* libvirt's callback: the credentials are the handle's for the time of
 * the LIBVIRT_AUTH event, whose callbacks answer them with
 * set_libvirt_requested_credential.  One no callback answered stays
 * unanswered, which libvirt takes as a failed authentication. */
static int
auth_callback (struct libvirt_credential *cred, unsigned int ncred,
               void *opaque)
{
  drydock_h *h = opaque;

  h->libvirt_requested = cred;
  h->n_libvirt_requested = ncred;
  drydock_int_event (h, DRYDOCK_EVENT_LIBVIRT_AUTH, NULL, 0, NULL, 0);
  h->libvirt_requested = NULL;
  h->n_libvirt_requested = 0;
  return 0;
}

/* The connection to uri, with the handle's credential callback when
 * set_libvirt_supported_credentials gave it types, else libvirt's
 * default one (a terminal's prompts).  NULL with libvirt's error. */
static virConnectPtr
open_connection (drydock_h *h, const char *uri)
{
  struct libvirt_auth auth = {
    h->libvirt_creds, (unsigned) h->n_libvirt_creds, auth_callback, h,
  };

  if (h->n_libvirt_creds == 0)
    return lv.connect_open_auth (uri, *lv.auth_default, VIR_CONNECT_RO);
  return lv.connect_open_auth (uri, (virConnectAuthPtr) &auth, VIR_CONNECT_RO);
}

int
drydock_impl_set_libvirt_supported_credentials (drydock_h *h,
                                                char *const *creds)
{
  size_t n = count_strings (creds);
  int *types = calloc (n ? n : 1, sizeof *types);

  if (types == NULL) {
    drydock_int_perror (h, "set_libvirt_supported_credentials");
    return -1;
  }
  for (size_t i = 0; i < n; ++i) {
    size_t t = 1;

    while (t < N_CRED_NAMES && strcmp (creds[i], cred_names[t]) != 0)
      t++;
    if (t == N_CRED_NAMES) {
      drydock_int_error_errno (h, EINVAL, "set_libvirt_supported_credentials: "
                               "'%s': not a credential type (username, "
                               "authname, language, cnonce, passphrase, "
                               "echoprompt, noechoprompt, realm, external)",
                               creds[i]);
      free (types);
      return -1;
    }
    types[i] = (int) t;
  }
  free (h->libvirt_creds);
  h->libvirt_creds = n ? types : NULL;
  h->n_libvirt_creds = n;
  if (n == 0)
    free (types);
  return 0;
}

/* The requested credential index, or NULL (error set) outside the
 * LIBVIRT_AUTH event or out of range. */
static struct libvirt_credential *
requested (drydock_h *h, const char *name, int index)
{
  if (h->libvirt_requested == NULL) {
    drydock_int_error_errno (h, EINVAL, "%s: only a LIBVIRT_AUTH event's "
                             "callback may call this", name);
    return NULL;
  }
  if (index < 0 || (size_t) index >= h->n_libvirt_requested) {
    drydock_int_error_errno (h, EINVAL, "%s: index %d: libvirt asked for %zu "
                             "credentials", name, index,
                             h->n_libvirt_requested);
    return NULL;
  }
  return &h->libvirt_requested[index];
}

char **
drydock_impl_get_libvirt_requested_credentials (drydock_h *h)
{
  struct strlist l = STRLIST_INIT;
  char **r;

  if (h->libvirt_requested == NULL) {
    drydock_int_error_errno (h, EINVAL, "get_libvirt_requested_credentials: "
                             "only a LIBVIRT_AUTH event's callback may call "
                             "this");
    return NULL;
  }
  for (size_t i = 0; i < h->n_libvirt_requested; ++i) {
    int t = h->libvirt_requested[i].type;

    if (strlist_add (&l, t > 0 && (size_t) t < N_CRED_NAMES ?
                     cred_names[t] : "unknown") == -1) {
      strlist_free (&l);
      drydock_int_perror (h, "get_libvirt_requested_credentials");
      return NULL;
    }
  }
  r = strlist_take (&l);
  if (r == NULL)
    drydock_int_perror (h, "get_libvirt_requested_credentials");
  return r;
}

/* A copy of one of the credential's strings ("" for none). */
static char *
cred_string (drydock_h *h, const char *name, int index, int which)
{
  struct libvirt_credential *c = requested (h, name, index);
  const char *s;
  char *r;

  if (c == NULL)
    return NULL;
  s = which == 0 ? c->prompt : which == 1 ? c->challenge : c->defresult;
  r = strdup (s ? s : "");
  if (r == NULL)
    drydock_int_perror (h, "%s", name);
  return r;
}

char *
drydock_impl_get_libvirt_requested_credential_prompt (drydock_h *h, int index)
{
  return cred_string (h, "get_libvirt_requested_credential_prompt", index, 0);
}

char *
drydock_impl_get_libvirt_requested_credential_challenge (drydock_h *h,
                                                         int index)
{
  return cred_string (h, "get_libvirt_requested_credential_challenge", index,
                      1);
}

char *
drydock_impl_get_libvirt_requested_credential_defresult (drydock_h *h,
                                                         int index)
{
  return cred_string (h, "get_libvirt_requested_credential_defresult", index,
                      2);
}

int
drydock_impl_set_libvirt_requested_credential (drydock_h *h, int index,
                                               const char *cred,
                                               size_t cred_size)
{
  struct libvirt_credential *c =
    requested (h, "set_libvirt_requested_credential", index);
  char *copy;

  if (c == NULL)
    return -1;
  if (cred_size > UINT32_MAX - 1) {
    drydock_int_error_errno (h, EINVAL, "set_libvirt_requested_credential: "
                             "the credential is too long");
    return -1;
  }
  /* NUL-terminated as well: libvirt reads some results as strings. */
  copy = malloc (cred_size + 1);
  if (copy == NULL) {
    drydock_int_perror (h, "set_libvirt_requested_credential");
    return -1;
  }
  memcpy (copy, cred, cred_size);
  copy[cred_size] = '\0';
  free (c->result);
  c->result = copy;
  c->resultlen = (unsigned) cred_size;
  return 0;
}

int
drydock_impl_add_domain (drydock_h *h, const char *dom,
                         const struct drydock_add_domain_opts_argv *o)
{
  struct domain_opts d;
  struct domain_disk *disks = NULL;
  size_t n = 0, n_before = h->n_drives, k;
  virConnectPtr conn;
  int r = -1;

  if (check_opts (h, o, &d) == -1)
    return -1;
  pthread_once (&lv_once, load);
  if (lv.load_error) {
    drydock_int_error_errno (h, ENOTSUP, "add_domain: cannot use libvirt: "
                             "%s", lv.load_error);
    return -1;
  }
  conn = open_connection (h, d.uri);
  if (conn == NULL) {
    drydock_int_error_errno (h, ECONNREFUSED, "add_domain: cannot connect "
                             "to libvirt%s%s: %s", d.uri ? " at " : "",
                             d.uri ? d.uri : "", lv_message ());
    return -1;
  }
  if (domain_disks (h, conn, dom, &d, &disks, &n) == 0) {
    k = count_added (&d, disks, n);
    if (k == 0)
      drydock_int_error_errno (h, ENOENT, "add_domain: %s: the domain has "
                               "no disk to add", dom);
    else if (k > 1 && d.output_overlay)
      drydock_int_error_errno (h, EINVAL, "add_domain: %s: output_overlay "
                               "needs a single disk, the domain has %zu",
                               dom, k);
    else
      r = add_disks (h, conn, dom, &d, disks, n);
  }
  if (r == -1)
    drydock_int_drop_drives (h, n_before);
  domain_disks_free (disks, n);
  lv.connect_close (conn);
  return r;
}
