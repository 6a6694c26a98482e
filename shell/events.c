/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event, list-events, delete-event: shell scripts run on the library's
 * events (close, progress, appliance, library, trace, warning), as
 * guestfish's.  The script runs with $SHELL -c (or /bin/sh), $EVENT
 * naming the event, and as $1, $2 ...: the event's text when it has
 * one, then its numbers. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"

static const struct {
  const char *name;
  uint64_t bit;
} event_names[] = {
  { "close", DRYDOCK_EVENT_CLOSE },
  { "progress", DRYDOCK_EVENT_PROGRESS },
  { "appliance", DRYDOCK_EVENT_APPLIANCE },
  { "library", DRYDOCK_EVENT_LIBRARY },
  { "trace", DRYDOCK_EVENT_TRACE },
  { "warning", DRYDOCK_EVENT_WARNING },
};
#define N_EVENT_NAMES (sizeof event_names / sizeof event_names[0])

struct handler {
  char *name;
  char *script;
  uint64_t events;
  int eh;                       /* the library's event handle, or -1 */
};

/* Each handler allocated on its own: the library holds its address. */
static struct handler **handlers;
static size_t n_handlers;

static const char *
event_name (uint64_t event)
{
  for (size_t i = 0; i < N_EVENT_NAMES; ++i)
    if (event_names[i].bit == event)
      return event_names[i].name;
  return "unknown";
}

/* "close,trace" or "*" as a bitmask; 0 (printed) for an unknown name. */
static uint64_t
parse_events (const char *cmd, const char *s)
{
  CLEANUP_FREE char *copy = strdup (s);
  char *save = NULL, *tok;
  uint64_t r = 0;

  if (copy == NULL)
    return 0;
  for (tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save)) {
    size_t i;

    if (strcmp (tok, "*") == 0) {
      r |= DRYDOCK_EVENT_ALL;
      continue;
    }
    for (i = 0; i < N_EVENT_NAMES; ++i)
      if (strcmp (tok, event_names[i].name) == 0)
        break;
    if (i == N_EVENT_NAMES) {
      shell_error (cmd, _("unknown event '%s' (close, progress, appliance, "
                          "library, trace, warning, or * for all)"), tok);
      return 0;
    }
    r |= event_names[i].bit;
  }
  if (r == 0)
    shell_error (cmd, _("no event in '%s'"), s);
  return r;
}

static void
on_event (drydock_h *h, void *opaque, uint64_t event, int event_handle,
          const char *buf, size_t len, const uint64_t *array, size_t n)
{
  const struct handler *hd = opaque;
  const char *sh = getenv ("SHELL");
  char **argv = calloc (n + 6, sizeof *argv);
  size_t a = 0;
  pid_t pid;

  if (argv == NULL)
    return;
  argv[a++] = (char *) (sh && *sh ? sh : "/bin/sh");
  argv[a++] = (char *) "-c";
  argv[a++] = hd->script;
  argv[a++] = (char *) "";
  if (len > 0)
    argv[a++] = strndup (buf, len);
  for (size_t i = 0; i < n; ++i)
    if (asprintf (&argv[a], "%" PRIu64, array[i]) != -1)
      a++;
  argv[a] = NULL;
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid == 0) {
    setenv ("EVENT", event_name (event), 1);
    execvp (argv[0], argv);
    _exit (127);
  }
  if (pid > 0)
    while (waitpid (pid, NULL, 0) == -1 && errno == EINTR)
      ;
  for (size_t i = 4; i < a; ++i)
    free (argv[i]);
  free (argv);
}

static void
attach (drydock_h *h, struct handler *hd)
{
  hd->eh = drydock_set_event_callback (h, on_event, hd->events, 0, hd);
}

void
shell_events_attach (drydock_h *h)
{
  for (size_t i = 0; i < n_handlers; ++i)
    attach (h, handlers[i]);
}

static void
handler_free (struct handler *hd)
{
  if (hd) {
    free (hd->name);
    free (hd->script);
    free (hd);
  }
}

int
shell_run_event (drydock_h *h, const char *cmd, int argc, char **argv)
{
  struct handler **v, *hd;
  uint64_t events;

  if (shell_check_argc (cmd, argc, 3, 3) == -1)
    return -1;
  events = parse_events (cmd, argv[1]);
  if (events == 0)
    return -1;
  hd = calloc (1, sizeof *hd);
  v = realloc (handlers, (n_handlers + 1) * sizeof *v);
  if (v)
    handlers = v;
  if (hd == NULL || v == NULL || (hd->name = strdup (argv[0])) == NULL ||
      (hd->script = strdup (argv[2])) == NULL) {
    handler_free (hd);
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  hd->events = events;
  attach (h, hd);
  if (hd->eh == -1) {
    handler_free (hd);
    shell_error (cmd, _("cannot register the handler"));
    return -1;
  }
  handlers[n_handlers++] = hd;
  return 0;
}

/* The events of a bitmask as "close,trace", or "*". */
static void
print_events (uint64_t events)
{
  int first = 1;

  if (events == DRYDOCK_EVENT_ALL) {
    printf ("*");
    return;
  }
  for (size_t i = 0; i < N_EVENT_NAMES; ++i)
    if (events & event_names[i].bit) {
      printf ("%s%s", first ? "" : ",", event_names[i].name);
      first = 0;
    }
}

int
shell_run_list_events (drydock_h *h, const char *cmd, int argc, char **argv)
{
  if (shell_check_argc (cmd, argc, 0, 0) == -1)
    return -1;
  for (size_t i = 0; i < n_handlers; ++i) {
    printf ("\"%s\" (%d): ", handlers[i]->name, handlers[i]->eh);
    print_events (handlers[i]->events);
    printf (": %s\n", handlers[i]->script);
  }
  return 0;
}

int
shell_run_delete_event (drydock_h *h, const char *cmd, int argc, char **argv)
{
  size_t kept = 0;
  int found = 0;

  if (shell_check_argc (cmd, argc, 1, 1) == -1)
    return -1;
  for (size_t i = 0; i < n_handlers; ++i) {
    if (strcmp (handlers[i]->name, argv[0]) == 0) {
      drydock_delete_event_callback (h, handlers[i]->eh);
      handler_free (handlers[i]);
      found = 1;
    }
    else
      handlers[kept++] = handlers[i];
  }
  n_handlers = kept;
  if (!found) {
    shell_error (cmd, _("%s: no such event handler"), argv[0]);
    return -1;
  }
  return 0;
}
