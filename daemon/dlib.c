/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading an optional library at run time (see dlib.h). */

#include <config.h>

#include <dlfcn.h>

#include "dlib.h"

int
dlib_load (void **handle, const char *soname, const struct dlib_sym *syms,
           size_t n, const char **why)
{
  if (*handle)
    return 0;
  *handle = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (*handle == NULL) {
    *why = dlerror ();
    return -1;
  }
  for (size_t i = 0; i < n; ++i) {
    *syms[i].slot = dlsym (*handle, syms[i].name);
    if (*syms[i].slot == NULL) {
      *why = dlerror ();
      dlclose (*handle);
      *handle = NULL;
      return -1;
    }
  }
  return 0;
}
