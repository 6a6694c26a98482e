/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading libaugeas at run time (see augeas-lib.h for why). */

#include <config.h>

#include <dlfcn.h>
#include <stddef.h>

#include "augeas-lib.h"

struct augeas_lib augeas_lib;

int
augeas_lib_load (const char **why)
{
  static const struct { const char *name; size_t offset; } syms[] = {
#define SYM(f) { "aug_" #f, offsetof (struct augeas_lib, f) }
    SYM (init), SYM (close), SYM (defvar), SYM (defnode), SYM (get),
    SYM (label), SYM (set), SYM (setm), SYM (insert), SYM (rm), SYM (mv),
    SYM (match), SYM (save), SYM (load), SYM (transform), SYM (error),
    SYM (error_message), SYM (error_minor_message), SYM (error_details),
#undef SYM
  };
  static void *handle;

  if (handle)
    return 0;
  handle = dlopen ("libaugeas.so.0", RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    *why = dlerror ();
    return -1;
  }
  for (size_t i = 0; i < sizeof syms / sizeof syms[0]; ++i) {
    void *f = dlsym (handle, syms[i].name);

    if (f == NULL) {
      *why = dlerror ();
      dlclose (handle);
      handle = NULL;
      return -1;
    }
    *(void **) ((char *) &augeas_lib + syms[i].offset) = f;
  }
  return 0;
}
