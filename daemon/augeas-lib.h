/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libaugeas, loaded with dlopen by the first aug_init rather than linked
 * into the daemon: linking it would pull libaugeas, libfa, libxml2 and
 * ICU's 30 MB data library into the initrd, which every cold boot
 * unpacks and every launch carries (the initrd went from 3 to 25 MB).
 * From the root image, only the pages Augeas uses are read, and only in
 * a launch that uses it.
 *
 * augeas-server.c calls the functions by their usual names; the macros
 * below send them through the table.  Types and constants come from
 * <augeas.h> at compile time. */

#ifndef DRYDOCK_DAEMON_AUGEAS_LIB_H
#define DRYDOCK_DAEMON_AUGEAS_LIB_H

#include <augeas.h>

struct augeas_lib {
  augeas *(*init) (const char *, const char *, unsigned int);
  void (*close) (augeas *);
  int (*defvar) (augeas *, const char *, const char *);
  int (*defnode) (augeas *, const char *, const char *, const char *, int *);
  int (*get) (const augeas *, const char *, const char **);
  int (*label) (const augeas *, const char *, const char **);
  int (*set) (augeas *, const char *, const char *);
  int (*setm) (augeas *, const char *, const char *, const char *);
  int (*insert) (augeas *, const char *, const char *, int);
  int (*rm) (augeas *, const char *);
  int (*mv) (augeas *, const char *, const char *);
  int (*match) (const augeas *, const char *, char ***);
  int (*save) (augeas *);
  int (*load) (augeas *);
  int (*transform) (augeas *, const char *, const char *, int);
  int (*error) (augeas *);
  const char *(*error_message) (augeas *);
  const char *(*error_minor_message) (augeas *);
  const char *(*error_details) (augeas *);
};

extern struct augeas_lib augeas_lib;

/* Loads the library and every function once.  0, or -1 with the reason
 * in *why (static text or dlerror's, valid until the next dl call). */
extern int augeas_lib_load (const char **why);

#define aug_init (augeas_lib.init)
#define aug_close (augeas_lib.close)
#define aug_defvar (augeas_lib.defvar)
#define aug_defnode (augeas_lib.defnode)
#define aug_get (augeas_lib.get)
#define aug_label (augeas_lib.label)
#define aug_set (augeas_lib.set)
#define aug_setm (augeas_lib.setm)
#define aug_insert (augeas_lib.insert)
#define aug_rm (augeas_lib.rm)
#define aug_mv (augeas_lib.mv)
#define aug_match (augeas_lib.match)
#define aug_save (augeas_lib.save)
#define aug_load (augeas_lib.load)
#define aug_transform (augeas_lib.transform)
#define aug_error (augeas_lib.error)
#define aug_error_message (augeas_lib.error_message)
#define aug_error_minor_message (augeas_lib.error_minor_message)
#define aug_error_details (augeas_lib.error_details)

#endif /* DRYDOCK_DAEMON_AUGEAS_LIB_H */
