/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module drydock._drydock: the handle type and what every generated
 * method (actions-gen.c) shares, written once: argument conversion, the
 * call protocol (one call at a time per handle, the GIL released around
 * it, the error raised with its errno), return values, close, the
 * context manager and event callbacks into Python. */

#include "drydock-py.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static PyObject *error_type;           /* drydock.Error (RuntimeError) */
static PyObject *closed_type;          /* drydock.ClosedHandle (ValueError) */

/* ------------------------------------------------------ arguments --- */

int
pydd_get_string (PyObject *o, struct pydd_arg *a, const char *what,
                 int none_ok)
{
  if (o == Py_None && none_ok) {
    a->s = NULL;
    return 0;
  }
  /* str (encoded as the file system encoding, so a name read back from
   * a guest round-trips), bytes or a path-like object; no NUL inside. */
  if (!PyUnicode_FSConverter (o, &a->bytes)) {
    if (PyErr_ExceptionMatches (PyExc_TypeError)) {
      PyErr_Clear ();
      PyErr_Format (PyExc_TypeError, "%s: expected a string, not %s",
                    what, Py_TYPE (o)->tp_name);
    }
    return -1;
  }
  a->s = PyBytes_AS_STRING (a->bytes);
  return 0;
}

int
pydd_get_list (PyObject *o, struct pydd_arg *a, const char *what)
{
  PyObject *seq;
  Py_ssize_t n;

  if (PyUnicode_Check (o) || PyBytes_Check (o) ||
      (seq = PySequence_Fast (o, "")) == NULL) {
    PyErr_Clear ();
    PyErr_Format (PyExc_TypeError, "%s: expected a list of strings, not %s",
                  what, Py_TYPE (o)->tp_name);
    return -1;
  }
  n = PySequence_Fast_GET_SIZE (seq);
  a->items = PyList_New (n);
  a->list = PyMem_Calloc ((size_t) n + 1, sizeof (char *));
  if (a->items == NULL || a->list == NULL) {
    Py_DECREF (seq);
    if (a->list == NULL)
      PyErr_NoMemory ();
    return -1;
  }
  for (Py_ssize_t i = 0; i < n; ++i) {
    struct pydd_arg item = PYDD_ARG_INIT;

    if (pydd_get_string (PySequence_Fast_GET_ITEM (seq, i), &item, what, 0) == -1) {
      Py_DECREF (seq);
      return -1;
    }
    PyList_SET_ITEM (a->items, i, item.bytes);  /* the list owns it now */
    a->list[i] = (char *) item.s;
  }
  Py_DECREF (seq);
  return 0;
}

int
pydd_get_buffer (PyObject *o, struct pydd_arg *a, const char *what)
{
  Py_ssize_t len;

  if (PyUnicode_Check (o)) {
    /* Text is written as UTF-8. */
    a->bytes = PyUnicode_AsEncodedString (o, "utf-8", "surrogateescape");
    if (a->bytes == NULL)
      return -1;
    a->s = PyBytes_AS_STRING (a->bytes);
    a->len = (size_t) PyBytes_GET_SIZE (a->bytes);
    return 0;
  }
  if (PyObject_GetBuffer (o, &a->buf, PyBUF_SIMPLE) == -1) {
    PyErr_Clear ();
    PyErr_Format (PyExc_TypeError, "%s: expected bytes or str, not %s",
                  what, Py_TYPE (o)->tp_name);
    return -1;
  }
  a->has_buf = 1;
  len = a->buf.len;
  a->len = (size_t) len;
  a->s = len ? NULL : "";         /* the call needs a non-NULL pointer */
  return 0;
}

int
pydd_get_bool (PyObject *o, struct pydd_arg *a, const char *what)
{
  int v = PyObject_IsTrue (o);

  if (v == -1)
    return -1;
  a->n = v;
  return 0;
}

int
pydd_get_int (PyObject *o, struct pydd_arg *a, const char *what,
              int64_t min, int64_t max)
{
  PyObject *i = PyNumber_Index (o);
  int overflow = 0;
  long long v;

  if (i == NULL) {
    PyErr_Clear ();
    PyErr_Format (PyExc_TypeError, "%s: expected an integer, not %s",
                  what, Py_TYPE (o)->tp_name);
    return -1;
  }
  v = PyLong_AsLongLongAndOverflow (i, &overflow);
  Py_DECREF (i);
  if (v == -1 && PyErr_Occurred ())
    return -1;
  if (overflow || v < min || v > max) {
    PyErr_Format (PyExc_OverflowError, "%s: %R is out of range", what, o);
    return -1;
  }
  a->n = (int64_t) v;
  return 0;
}

void
pydd_arg_free (struct pydd_arg *a)
{
  Py_CLEAR (a->bytes);
  Py_CLEAR (a->items);
  PyMem_Free (a->list);
  a->list = NULL;
  if (a->has_buf)
    PyBuffer_Release (&a->buf);
  a->has_buf = 0;
}

/* ------------------------------------------------------------ calls --- */

/* The handle this thread is in a call on, if any: an event callback
 * runs inside the call, and must not call (or close) that handle. */
static _Thread_local PyddHandle *in_call;

static int
check_not_in_callback (PyddHandle *hd, const char *what)
{
  if (in_call == hd) {
    PyErr_Format (error_type, "drydock: %s called from the handle's own "
                  "event callback", what);
    return -1;
  }
  return 0;
}

static void
raise_closed (void)
{
  PyErr_SetString (closed_type, "drydock: method called on a closed handle");
}

/* Raise drydock.Error (MESSAGE, ERRNUM): args[0] is the message, so
 * str(e) is the message as for any RuntimeError. */
static void
raise_error (const char *message, int errnum)
{
  PyObject *msg = pydd_put_string (message ? message : "unknown error");
  PyObject *exc;

  if (msg == NULL)
    return;
  exc = PyObject_CallOneArg (error_type, msg);
  if (exc) {
    PyObject *e = PyLong_FromLong (errnum);

    if (e && PyObject_SetAttrString (exc, "errno", e) == 0 &&
        PyObject_SetAttrString (exc, "message", msg) == 0)
      PyErr_SetObject (error_type, exc);
    Py_XDECREF (e);
    Py_DECREF (exc);
  }
  Py_DECREF (msg);
}

int
pydd_begin (PyObject *self, struct pydd_call *c)
{
  PyddHandle *hd = (PyddHandle *) self;

  c->self = hd;
  if (hd->h == NULL) {
    raise_closed ();
    return -1;
  }
  if (check_not_in_callback (hd, "a method") == -1)
    return -1;
  c->ts = PyEval_SaveThread ();
  pthread_mutex_lock (&hd->lock);
  if (hd->h == NULL) {          /* closed while we waited */
    pthread_mutex_unlock (&hd->lock);
    PyEval_RestoreThread (c->ts);
    raise_closed ();
    return -1;
  }
  c->outer = in_call;
  in_call = hd;
  c->h = hd->h;
  return 0;
}

int
pydd_end (struct pydd_call *c, int failed)
{
  PyddHandle *hd = c->self;
  const char *m = NULL;
  char *msg = NULL;
  int errnum = 0;

  if (failed) {
    m = drydock_last_error (c->h);
    msg = m ? strdup (m) : NULL;
    errnum = drydock_last_errno (c->h);
  }
  in_call = c->outer;
  pthread_mutex_unlock (&hd->lock);
  PyEval_RestoreThread (c->ts);
  if (!failed)
    return 0;
  if (m && msg == NULL)
    PyErr_NoMemory ();
  else
    raise_error (msg, errnum);
  free (msg);
  return -1;
}

/* ---------------------------------------------------- return values --- */

PyObject *
pydd_put_string (const char *s)
{
  /* Guest data is not always UTF-8: undecodable bytes become lone
   * surrogates, and round-trip when passed back. */
  if (s == NULL)
    s = "";
  return PyUnicode_DecodeUTF8 (s, (Py_ssize_t) strlen (s), "surrogateescape");
}

PyObject *
pydd_put_list (char *const *l)
{
  PyObject *list = PyList_New (0);

  for (size_t i = 0; list && l[i]; ++i) {
    PyObject *s = pydd_put_string (l[i]);

    if (s == NULL || PyList_Append (list, s) == -1) {
      Py_XDECREF (s);
      Py_CLEAR (list);
      break;
    }
    Py_DECREF (s);
  }
  return list;
}

PyObject *
pydd_put_hash (PyddHandle *self, char *const *l)
{
  PyObject *r = self->hash_as_dict ? PyDict_New () : PyList_New (0);

  for (size_t i = 0; r && l[i] && l[i + 1]; i += 2) {
    PyObject *k = pydd_put_string (l[i]);
    PyObject *v = pydd_put_string (l[i + 1]);
    PyObject *pair = NULL;
    int ok;

    if (k && v && !self->hash_as_dict)
      pair = PyTuple_Pack (2, k, v);
    ok = self->hash_as_dict ? (k && v && PyDict_SetItem (r, k, v) == 0)
                            : (pair && PyList_Append (r, pair) == 0);
    Py_XDECREF (k);
    Py_XDECREF (v);
    Py_XDECREF (pair);
    if (!ok)
      Py_CLEAR (r);
  }
  return r;
}

PyObject *
pydd_put_bool (PyddHandle *self, int b)
{
  return self->bool_as_int ? PyLong_FromLong (b) : PyBool_FromLong (b);
}

PyObject *
pydd_put_struct (PyddHandle *self, PyTypeObject *type,
                 const PyStructSequence_Field *fields, PyObject **vals,
                 size_t n)
{
  PyObject *r = NULL;
  size_t i;

  for (i = 0; i < n; ++i)
    if (vals[i] == NULL)
      goto out;
  if (self->struct_as_dict) {
    r = PyDict_New ();
    for (i = 0; r && i < n; ++i)
      if (PyDict_SetItemString (r, fields[i].name, vals[i]) == -1)
        Py_CLEAR (r);
  }
  else if ((r = PyStructSequence_New (type)) != NULL) {
    for (i = 0; i < n; ++i) {
      PyStructSequence_SET_ITEM (r, (Py_ssize_t) i, vals[i]);
      vals[i] = NULL;           /* stolen */
    }
  }
 out:
  for (i = 0; i < n; ++i)
    Py_XDECREF (vals[i]);
  return r;
}

/* ----------------------------------------------------------- events --- */

/* Runs in the thread of the call that raised the event, which released
 * the GIL: take it, call the Python callable, print what it raises
 * (nobody else could see it). */
static void
event_trampoline (drydock_h *h, void *opaque, uint64_t event, int eh,
                  const char *buf, size_t buf_len, const uint64_t *array,
                  size_t array_len)
{
  PyGILState_STATE st = PyGILState_Ensure ();
  PyObject *cb = opaque;
  PyObject *pybuf = PyBytes_FromStringAndSize (buf ? buf : "",
                                               buf ? (Py_ssize_t) buf_len : 0);
  PyObject *pyarray = PyList_New ((Py_ssize_t) array_len);
  PyObject *r = NULL;

  for (size_t i = 0; pyarray && i < array_len; ++i) {
    PyObject *v = PyLong_FromUnsignedLongLong (array[i]);

    if (v == NULL) {
      Py_CLEAR (pyarray);
      break;
    }
    PyList_SET_ITEM (pyarray, (Py_ssize_t) i, v);
  }
  if (pybuf && pyarray)
    r = PyObject_CallFunction (cb, "KiOO", (unsigned long long) event, eh,
                               pybuf, pyarray);
  if (r == NULL)
    PyErr_WriteUnraisable (cb);
  Py_XDECREF (r);
  Py_XDECREF (pybuf);
  Py_XDECREF (pyarray);
  PyGILState_Release (st);
}

static PyObject *
handle_set_event_callback (PyObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { (char *) "cb", (char *) "event_bitmask", NULL };
  PyddHandle *hd = (PyddHandle *) self;
  PyObject *cb, *key;
  unsigned long long events;
  struct pydd_call c;
  int eh;

  if (!PyArg_ParseTupleAndKeywords (args, kw, "OK:set_event_callback", kwlist,
                                    &cb, &events))
    return NULL;
  if (!PyCallable_Check (cb)) {
    PyErr_SetString (PyExc_TypeError, "set_event_callback: cb is not callable");
    return NULL;
  }
  /* The dict keeps CB alive while the library holds the pointer. */
  if (pydd_begin (self, &c) == -1)
    return NULL;
  eh = drydock_set_event_callback (c.h, event_trampoline, events, 0, cb);
  if (pydd_end (&c, eh == -1) == -1)
    return NULL;
  key = PyLong_FromLong (eh);
  if (key == NULL || PyDict_SetItem (hd->callbacks, key, cb) == -1) {
    /* Out of memory: the library keeps the callback, so keep it alive
     * for good rather than let the library call freed memory. */
    Py_XDECREF (key);
    Py_INCREF (cb);
    return NULL;
  }
  return key;
}

static PyObject *
handle_delete_event_callback (PyObject *self, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { (char *) "event_handle", NULL };
  PyddHandle *hd = (PyddHandle *) self;
  struct pydd_call c;
  PyObject *key;
  int eh;

  if (!PyArg_ParseTupleAndKeywords (args, kw, "i:delete_event_callback", kwlist,
                                    &eh))
    return NULL;
  if (pydd_begin (self, &c) == -1)
    return NULL;
  drydock_delete_event_callback (c.h, eh);
  pydd_end (&c, 0);
  /* Only now, with the library no longer calling it, let it go. */
  key = PyLong_FromLong (eh);
  if (key == NULL)
    return NULL;
  if (PyDict_DelItem (hd->callbacks, key) == -1)
    PyErr_Clear ();
  Py_DECREF (key);
  Py_RETURN_NONE;
}

/* ----------------------------------------------------------- handle --- */

/* Close: wait for a call in progress on another thread, then close the
 * library handle (which kills the appliance and removes its files; the
 * close event reaches the callbacks). */
static void
close_handle (PyddHandle *hd)
{
  PyThreadState *ts;
  drydock_h *h;

  if (hd->h == NULL)
    return;
  /* Taken from the handle under the GIL, before waiting for a call in
   * progress: user_cancel, which holds the GIL and not the lock, sees
   * either the live handle or none. */
  h = hd->h;
  hd->h = NULL;
  ts = PyEval_SaveThread ();
  pthread_mutex_lock (&hd->lock);
  {
    PyddHandle *outer = in_call;

    in_call = hd;                 /* for the close event's callbacks */
    drydock_close (h);
    in_call = outer;
  }
  pthread_mutex_unlock (&hd->lock);
  PyEval_RestoreThread (ts);
  if (hd->callbacks)
    PyDict_Clear (hd->callbacks);
}

static PyObject *
handle_close (PyObject *self, PyObject *unused)
{
  PyddHandle *hd = (PyddHandle *) self;

  if (check_not_in_callback (hd, "close") == -1)
    return NULL;
  close_handle (hd);
  Py_RETURN_NONE;
}

static PyObject *
handle_enter (PyObject *self, PyObject *unused)
{
  if (((PyddHandle *) self)->h == NULL) {
    raise_closed ();
    return NULL;
  }
  return Py_NewRef (self);
}

static PyObject *
handle_exit (PyObject *self, PyObject *args)
{
  if (check_not_in_callback ((PyddHandle *) self, "__exit__") == -1)
    return NULL;
  close_handle ((PyddHandle *) self);
  Py_RETURN_FALSE;
}

/* For the guestfs-compatible face: hashes as dicts or lists of pairs,
 * structs as dicts or struct objects, booleans as ints or bools. */
static PyObject *
handle_set_return_kinds (PyObject *self, PyObject *args)
{
  PyddHandle *hd = (PyddHandle *) self;
  int hash_as_dict, struct_as_dict, bool_as_int;

  if (!PyArg_ParseTuple (args, "ppp:_set_return_kinds", &hash_as_dict,
                         &struct_as_dict, &bool_as_int))
    return NULL;
  hd->hash_as_dict = hash_as_dict;
  hd->struct_as_dict = struct_as_dict;
  hd->bool_as_int = bool_as_int;
  Py_RETURN_NONE;
}

static PyObject *
handle_is_closed (PyObject *self, void *unused)
{
  return PyBool_FromLong (((PyddHandle *) self)->h == NULL);
}

static PyObject *
handle_new (PyTypeObject *type, PyObject *args, PyObject *kw)
{
  PyddHandle *hd = (PyddHandle *) type->tp_alloc (type, 0);

  if (hd == NULL)
    return NULL;
  pthread_mutex_init (&hd->lock, NULL);
  hd->hash_as_dict = 1;
  hd->callbacks = PyDict_New ();
  if (hd->callbacks == NULL) {
    Py_DECREF (hd);
    return NULL;
  }
  hd->h = drydock_create ();
  if (hd->h == NULL) {
    Py_DECREF (hd);
    return PyErr_SetFromErrno (PyExc_OSError);
  }
  return (PyObject *) hd;
}

/* Subclasses define their own __init__ with their own arguments. */
static int
handle_init (PyObject *self, PyObject *args, PyObject *kw)
{
  return 0;
}

static int
handle_traverse (PyObject *self, visitproc visit, void *arg)
{
  Py_VISIT (((PyddHandle *) self)->callbacks);
  return 0;
}

static int
handle_clear (PyObject *self)
{
  Py_CLEAR (((PyddHandle *) self)->callbacks);
  return 0;
}

static void
handle_dealloc (PyObject *self)
{
  PyddHandle *hd = (PyddHandle *) self;
  PyTypeObject *type = Py_TYPE (self);

  PyObject_GC_UnTrack (self);
  if (hd->weakrefs)
    PyObject_ClearWeakRefs (self);
  close_handle (hd);
  pthread_mutex_destroy (&hd->lock);
  handle_clear (self);
  /* A subclass's dealloc (subtype_dealloc) drops its type's reference. */
  type->tp_free (self);
}

/* user_cancel is made to stop a call in progress in another thread:
 * unlike the generated methods it does not wait for the handle's lock
 * (the call holds it), and keeps the GIL, so that close cannot free
 * the handle meanwhile (close_handle).  The library's user_cancel only
 * sets a flag. */
static PyObject *
handle_user_cancel (PyObject *self, PyObject *unused)
{
  PyddHandle *hd = (PyddHandle *) self;

  if (hd->h == NULL) {
    raise_closed ();
    return NULL;
  }
  drydock_user_cancel (hd->h);
  Py_RETURN_NONE;
}

static PyMethodDef handle_methods[] = {
  { "close", handle_close, METH_NOARGS,
    "close($self)\n--\n\nClose the handle: stop the appliance, discard the "
    "overlays not settled by shutdown, remove temporary files.  Waits for "
    "a call in progress in another thread; later calls raise ClosedHandle." },
  { "__enter__", handle_enter, METH_NOARGS, NULL },
  { "__exit__", handle_exit, METH_VARARGS, NULL },
  { "set_event_callback",
    (PyCFunction) (void (*) (void)) handle_set_event_callback,
    METH_VARARGS | METH_KEYWORDS,
    "set_event_callback($self, cb, event_bitmask)\n--\n\n"
    "Call cb(event, event_handle, buf, array) for the events in "
    "event_bitmask (EVENT_* values or'd).  buf is bytes, array a list of "
    "integers.  Returns an event handle for delete_event_callback.  The "
    "callback runs in the thread of the call that raised the event and "
    "must not call methods of the same handle." },
  { "delete_event_callback",
    (PyCFunction) (void (*) (void)) handle_delete_event_callback,
    METH_VARARGS | METH_KEYWORDS,
    "delete_event_callback($self, event_handle)\n--\n\n"
    "Remove an event callback." },
  { "_set_return_kinds", handle_set_return_kinds, METH_VARARGS, NULL },
  { "user_cancel", handle_user_cancel, METH_NOARGS,
    "user_cancel($self)\n--\n\nCancel the upload or download running in "
    "another thread of this handle: it raises Error with errno EINTR soon "
    "after.  Does not wait for the handle: safe while a call runs." },
  { NULL, NULL, 0, NULL }
};

static PyGetSetDef handle_getset[] = {
  { "closed", handle_is_closed, NULL, "True once the handle is closed.", NULL },
  { NULL, NULL, NULL, NULL, NULL }
};

static PyTypeObject handle_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "drydock._drydock.Handle",
  .tp_basicsize = sizeof (PyddHandle),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
  .tp_doc = "A drydock handle: one session (drives, appliance, overlays).",
  .tp_new = handle_new,
  .tp_init = handle_init,
  .tp_dealloc = handle_dealloc,
  .tp_traverse = handle_traverse,
  .tp_clear = handle_clear,
  .tp_weaklistoffset = offsetof (PyddHandle, weakrefs),
  .tp_getset = handle_getset,
};

/* The handle's methods: its own and the generated ones, in one table
 * that lives as long as the process. */
static PyMethodDef *
all_methods (void)
{
  size_t n1 = 0, n2 = 0;
  PyMethodDef *m;

  while (handle_methods[n1].ml_name)
    n1++;
  while (pydd_action_methods[n2].ml_name)
    n2++;
  m = PyMem_RawCalloc (n1 + n2 + 1, sizeof *m);
  if (m == NULL)
    return NULL;
  memcpy (m, handle_methods, n1 * sizeof *m);
  /* A generated method the handle has its own of (user_cancel) is
   * left out. */
  for (size_t i = 0, n = n1; i < n2; ++i) {
    size_t j = 0;

    while (j < n1 && strcmp (handle_methods[j].ml_name,
                             pydd_action_methods[i].ml_name) != 0)
      j++;
    if (j == n1)
      m[n++] = pydd_action_methods[i];
  }
  return m;
}

static struct PyModuleDef module_def = {
  PyModuleDef_HEAD_INIT,
  .m_name = "drydock._drydock",
  .m_doc = "The C part of the drydock binding; use the drydock package.",
  .m_size = -1,
};

static int
add_event (PyObject *m, const char *name, uint64_t v)
{
  return PyModule_AddObject (m, name, PyLong_FromUnsignedLongLong (v));
}

PyMODINIT_FUNC
PyInit__drydock (void)
{
  PyObject *m;

  if (handle_type.tp_methods == NULL &&
      (handle_type.tp_methods = all_methods ()) == NULL)
    return PyErr_NoMemory ();
  if (PyType_Ready (&handle_type) == -1)
    return NULL;
  m = PyModule_Create (&module_def);
  if (m == NULL)
    return NULL;
  error_type = PyErr_NewExceptionWithDoc (
    "drydock.Error",
    "A failed call: str(e) and e.message are the message, e.errno the "
    "errno (0 when none applies).", PyExc_RuntimeError, NULL);
  closed_type = PyErr_NewExceptionWithDoc (
    "drydock.ClosedHandle", "A method called on a closed handle.",
    PyExc_ValueError, NULL);
  if (error_type == NULL || closed_type == NULL ||
      PyModule_AddObjectRef (m, "Error", error_type) == -1 ||
      PyModule_AddObjectRef (m, "ClosedHandle", closed_type) == -1 ||
      PyModule_AddObjectRef (m, "Handle", (PyObject *) &handle_type) == -1 ||
      PyModule_AddStringConstant (m, "__version__", drydock_version ()) == -1 ||
      add_event (m, "EVENT_CLOSE", DRYDOCK_EVENT_CLOSE) == -1 ||
      add_event (m, "EVENT_PROGRESS", DRYDOCK_EVENT_PROGRESS) == -1 ||
      add_event (m, "EVENT_APPLIANCE", DRYDOCK_EVENT_APPLIANCE) == -1 ||
      add_event (m, "EVENT_LIBRARY", DRYDOCK_EVENT_LIBRARY) == -1 ||
      add_event (m, "EVENT_TRACE", DRYDOCK_EVENT_TRACE) == -1 ||
      add_event (m, "EVENT_WARNING", DRYDOCK_EVENT_WARNING) == -1 ||
      add_event (m, "EVENT_LIBVIRT_AUTH", DRYDOCK_EVENT_LIBVIRT_AUTH) == -1 ||
      add_event (m, "EVENT_ALL", DRYDOCK_EVENT_ALL) == -1 ||
      pydd_init_structs (m) == -1) {
    Py_DECREF (m);
    return NULL;
  }
  return m;
}
