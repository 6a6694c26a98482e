/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Handle set-up for the tools: a handle as -v, -x and -q say, with the
 * library's warnings in the tool's voice, the -a images added with
 * their formats under the tool's overlay policy, and the launch. */

#include <config.h>

#include <errno.h>
#include <libintl.h>
#include <string.h>

#include "options.h"

#define _(s) gettext (s)

static void
on_warning (drydock_h *h, void *opaque, uint64_t event, int event_handle,
            const char *buf, size_t len, const uint64_t *array, size_t n)
{
  tool_warning ("%.*s", (int) len, buf);
}

drydock_h *
tool_create_handle (const struct tool_options *o, int progress)
{
  drydock_h *h = drydock_create ();

  if (h == NULL) {
    tool_error (_("cannot create a handle: %s"), strerror (errno));
    return NULL;
  }
  if (o->verbose)
    drydock_set_verbose (h, 1);
  if (o->trace)
    drydock_set_trace (h, 1);
  drydock_set_event_callback (h, on_warning, DRYDOCK_EVENT_WARNING, 0, NULL);
  if (progress)
    tool_progress_attach (h, o->quiet);
  return h;
}

int
tool_add_drive (drydock_h *h, const struct tool_options *o, size_t i,
                const char *keep_last)
{
  struct drydock_add_drive_opts_argv a = { 0 };

  if (o->drives[i].format) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK;
    a.format = o->drives[i].format;
  }
  if (o->ro) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK;
    a.readonly = 1;
  }
  else if (keep_last && i == o->n_drives - 1) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK;
    a.output_overlay = keep_last;
  }
  else {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK;
    a.commit = 1;
  }
  if (o->untrusted) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_UNTRUSTED_BITMASK;
    a.untrusted = 1;
  }
  if (drydock_add_drive_opts_argv (h, o->drives[i].file, &a) == -1)
    return tool_lib_error (h);
  return 0;
}

int
tool_add_drives (drydock_h *h, const struct tool_options *o,
                 const char *keep_last)
{
  for (size_t i = 0; i < o->n_drives; ++i)
    if (tool_add_drive (h, o, i, keep_last) == -1)
      return -1;
  return 0;
}

int
tool_launch (drydock_h *h)
{
  tool_progress_phase (_("launching the appliance"));
  if (drydock_launch (h) == -1)
    return tool_lib_error (h);
  return 0;
}
