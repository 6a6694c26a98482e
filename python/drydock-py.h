/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime of the Python binding (handle.c), which the generated
 * methods (actions-gen.c) stand on: the handle object, argument
 * conversion, the call protocol (lock, GIL, error) and return values.
 *
 * Error convention: functions returning int return 0 or -1 with a
 * Python exception set; those returning PyObject * return a new
 * reference or NULL with an exception set. */

#ifndef DRYDOCK_PY_H
#define DRYDOCK_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdint.h>

#include "drydock.h"

/* A handle.  One call runs at a time: `lock` is held across it, with
 * the GIL released, and close() takes it too, so a close from another
 * thread waits for the call in progress and later calls raise
 * ClosedHandle.  An event callback that calls back into its own handle
 * gets an error, not a deadlock (handle.c knows the handle each thread
 * is in a call on). */
typedef struct {
  PyObject_HEAD
  drydock_h *h;                 /* NULL once closed */
  pthread_mutex_t lock;
  int hash_as_dict;             /* RHashtable: dict, or list of pairs */
  int struct_as_dict;           /* RStruct: dict, or a struct object */
  int bool_as_int;              /* RBool: 0 and 1, or False and True */
  PyObject *callbacks;          /* dict: event handle -> callable */
  PyObject *weakrefs;
} PyddHandle;

/* One converted argument.  Zero it (PYDD_ARG_INIT), convert it with a
 * pydd_get_* function, use the C field for its kind, pydd_arg_free it. */
struct pydd_arg {
  PyObject *bytes;              /* owns what `s` points to */
  const char *s;                /* strings; NULL for None */
  PyObject *items;              /* owns what `list`'s strings point to */
  char **list;                  /* string lists, NULL-terminated */
  Py_buffer buf;                /* buffers */
  int has_buf;
  size_t len;                   /* buffers */
  int64_t n;                    /* Bool, Int, Int64 */
};
#define PYDD_ARG_INIT { 0 }

extern int pydd_get_string (PyObject *o, struct pydd_arg *a,
                            const char *what, int none_ok);
extern int pydd_get_list (PyObject *o, struct pydd_arg *a, const char *what);
extern int pydd_get_buffer (PyObject *o, struct pydd_arg *a, const char *what);
extern int pydd_get_bool (PyObject *o, struct pydd_arg *a, const char *what);
extern int pydd_get_int (PyObject *o, struct pydd_arg *a, const char *what,
                         int64_t min, int64_t max);
extern void pydd_arg_free (struct pydd_arg *a);

/* A call: pydd_begin checks the handle is open, releases the GIL and
 * takes the handle's lock; pydd_end takes the error while still holding
 * it (FAILED true), drops the lock, takes the GIL back and raises the
 * error.  Between the two, only drydock_* calls on c->h. */
struct pydd_call {
  PyddHandle *self;
  drydock_h *h;
  PyThreadState *ts;
  PyddHandle *outer;            /* the call this one runs inside, if any */
};
extern int pydd_begin (PyObject *self, struct pydd_call *c);
extern int pydd_end (struct pydd_call *c, int failed);

/* Return values.  The pydd_put_* functions take borrowed C data; the
 * caller frees it after. */
extern PyObject *pydd_put_string (const char *s);
extern PyObject *pydd_put_list (char *const *l);
extern PyObject *pydd_put_hash (PyddHandle *self, char *const *l);
extern PyObject *pydd_put_bool (PyddHandle *self, int b);
/* Steals the N references in VALS (some may be NULL: then it fails). */
extern PyObject *pydd_put_struct (PyddHandle *self, PyTypeObject *type,
                                  const PyStructSequence_Field *fields,
                                  PyObject **vals, size_t n);

/* Generated (actions-gen.c). */
extern PyMethodDef pydd_action_methods[];
extern int pydd_init_structs (PyObject *module);

#endif /* DRYDOCK_PY_H */
