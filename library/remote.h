/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Remote images (remote.c).  Convention: functions returning int give
 * 0, or -1 with the handle's error set. */

#ifndef DRYDOCK_REMOTE_H
#define DRYDOCK_REMOTE_H

#include <stdint.h>

/* What add_drive says about a remote image besides its URI. */
struct remote_opts {
  const char *protocol;       /* NULL or "file": FILENAME is local or a URI */
  char *const *server;
  const char *username;
  const char *secret;
  int sslverify;              /* -1: not given */
  const char *cookie;
  int64_t readahead;          /* -1: not given */
  int timeout;                /* seconds; -1: not given */
};

/* A remote image ready for qemu. */
struct remote {
  char *uri;                  /* as named in messages: no secret */
  char *spec;                 /* what qemu opens: the URI or json: */
  const char *module;         /* qemu's block module ("curl"), or NULL */
  int writable;               /* the protocol can take a commit */
  int has_secret;
  int timeout;                /* seconds qemu-img may take to look */
};

/* 1 if filename is a URI of a remote image drydock reads (nbd://,
 * http://, ssh://, rbd: ...). */
extern int drydock_int_remote_is_uri (const char *filename);
/* 1 if o names a protocol other than "file". */
extern int drydock_int_remote_has_protocol (const struct remote_opts *o);
/* The remote image filename (a URI, or with o->protocol the export on
 * o->server) with its options, into *r (drydock_int_remote_free frees
 * it).  Errors: "add_drive: NAME: REASON". */
extern int drydock_int_remote_resolve (drydock_h *h, const char *filename,
                                       const struct remote_opts *o,
                                       struct remote *r);
extern void drydock_int_remote_free (struct remote *r);
/* The block module a qemu error about spec means is missing, or NULL. */
extern const char *drydock_int_remote_missing_module (const char *spec,
                                                      const char *err);

/* 1 if a qemu error about a remote image says it was not reached
 * (refused, timed out, TLS or ssh authentication failed). */
extern int drydock_int_remote_unreached (const char *err);

#endif /* DRYDOCK_REMOTE_H */
