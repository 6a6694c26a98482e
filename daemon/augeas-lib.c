/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading libaugeas at run time (see augeas-lib.h for why). */

#include <config.h>

#include "augeas-lib.h"
#include "dlib.h"

struct augeas_lib augeas_lib;

int
augeas_lib_load (const char **why)
{
  static const struct dlib_sym syms[] = {
#define SYM(f) { "aug_" #f, (void **) &augeas_lib.f }
    SYM (init), SYM (close), SYM (defvar), SYM (defnode), SYM (get),
    SYM (label), SYM (set), SYM (setm), SYM (insert), SYM (rm), SYM (mv),
    SYM (match), SYM (save), SYM (load), SYM (transform), SYM (error),
    SYM (error_message), SYM (error_minor_message), SYM (error_details),
#undef SYM
  };
  static void *handle;

  return dlib_load (&handle, "libaugeas.so.0", syms,
                    sizeof syms / sizeof syms[0], why);
}
