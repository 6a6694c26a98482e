/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Events: progress, appliance console, debug, trace and warnings go to
 * the callbacks the caller registered.  Debug and trace output exist only
 * when the caller turned them on; with no callback for them they go to
 * standard error, as the caller asked for them. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"

PUBLIC int
drydock_set_event_callback (drydock_h *h, drydock_event_callback cb,
                            uint64_t events, int flags, void *opaque)
{
  struct event_cb *e;

  if (h == NULL || cb == NULL || flags != 0 || (events & ~DRYDOCK_EVENT_ALL)) {
    if (h)
      drydock_int_error_errno (h, EINVAL, "set_event_callback: invalid arguments");
    return -1;
  }
  for (size_t i = 0; i < h->n_events; ++i)
    if (h->events[i].cb == NULL) {
      h->events[i] = (struct event_cb) { cb, events, opaque };
      return (int) i;
    }
  e = realloc (h->events, (h->n_events + 1) * sizeof *e);
  if (e == NULL) {
    drydock_int_perror (h, "set_event_callback");
    return -1;
  }
  h->events = e;
  h->events[h->n_events] = (struct event_cb) { cb, events, opaque };
  return (int) h->n_events++;
}

PUBLIC void
drydock_delete_event_callback (drydock_h *h, int event_handle)
{
  if (h && event_handle >= 0 && (size_t) event_handle < h->n_events)
    h->events[event_handle].cb = NULL;
}

int
drydock_int_event (drydock_h *h, uint64_t event, const char *buf, size_t len,
                   const uint64_t *array, size_t n)
{
  int called = 0;

  for (size_t i = 0; i < h->n_events; ++i)
    if (h->events[i].cb && (h->events[i].events & event)) {
      h->events[i].cb (h, h->events[i].opaque, event, (int) i, buf, len, array, n);
      called++;
    }
  return called;
}

static void
vmessage (drydock_h *h, uint64_t event, const char *prefix, const char *fs,
          va_list args)
{
  char *msg, *named;
  int n = vasprintf (&msg, fs, args);

  if (n == -1)
    return;
  /* set_identifier: "ID: " before the message. */
  if (h->identifier && *h->identifier) {
    int r = asprintf (&named, "%s: %s", h->identifier, msg);

    free (msg);
    if (r == -1)
      return;
    msg = named;
    n = r;
  }
  if (drydock_int_event (h, event, msg, (size_t) n, NULL, 0) == 0)
    fprintf (stderr, "%s%s\n", prefix, msg);
  free (msg);
}

void
drydock_int_debug (drydock_h *h, const char *fs, ...)
{
  va_list args;

  if (!h->verbose)
    return;
  va_start (args, fs);
  vmessage (h, DRYDOCK_EVENT_LIBRARY, "libdrydock: ", fs, args);
  va_end (args);
}

void
drydock_int_warning (drydock_h *h, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vmessage (h, DRYDOCK_EVENT_WARNING, "drydock: warning: ", fs, args);
  va_end (args);
}
