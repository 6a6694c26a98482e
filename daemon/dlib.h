/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Libraries the daemon loads with dlopen when an action first needs
 * them (libaugeas, libsystemd, libyara, libacl, libcap): the appliance
 * carries them only as optional files, and the daemon links none. */

#ifndef DLIB_H
#define DLIB_H

#include <stddef.h>

/* A function to look up, and where to store its address. */
struct dlib_sym {
  const char *name;
  void **slot;
};

/* Loads SONAME into *handle once and fills the N slots from its
 * symbols.  0 (also when it was loaded before), or -1 with *why a
 * static string saying why (dlerror's), *handle left NULL. */
extern int dlib_load (void **handle, const char *soname,
                      const struct dlib_sym *syms, size_t n,
                      const char **why);

#endif /* DLIB_H */
