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

/* The disks of the i-th drive, a -d domain, under the same policy. */
static int
add_domain (drydock_h *h, const struct tool_options *o, size_t i,
            const char *keep_last)
{
  struct drydock_add_domain_opts_argv a = { 0 };
  int n;

  if (o->libvirt_uri) {
    a.bitmask |= DRYDOCK_ADD_DOMAIN_OPTS_LIBVIRTURI_BITMASK;
    a.libvirturi = o->libvirt_uri;
  }
  /* A name that reads as a UUID is tried as one first, as the virt
   * tools do. */
  a.bitmask |= DRYDOCK_ADD_DOMAIN_OPTS_ALLOWUUID_BITMASK;
  a.allowuuid = 1;
  if (o->ro) {
    a.bitmask |= DRYDOCK_ADD_DOMAIN_OPTS_READONLY_BITMASK;
    a.readonly = 1;
  }
  else if (keep_last && i == o->n_drives - 1) {
    a.bitmask |= DRYDOCK_ADD_DOMAIN_OPTS_OUTPUT_OVERLAY_BITMASK;
    a.output_overlay = keep_last;
  }
  else {
    a.bitmask |= DRYDOCK_ADD_DOMAIN_OPTS_COMMIT_BITMASK;
    a.commit = 1;
  }
  n = drydock_add_domain_opts_argv (h, o->drives[i].file, &a);
  if (n == -1)
    return tool_lib_error (h);
  return n;
}

int
tool_add_drive (drydock_h *h, const struct tool_options *o, size_t i,
                const char *keep_last)
{
  struct drydock_add_drive_opts_argv a = { 0 };

  if (o->drives[i].domain)
    return add_domain (h, o, i, keep_last);
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
    if (o->remote_commit && tool_is_remote (o->drives[i].file)) {
      a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_REMOTE_COMMIT_BITMASK;
      a.remote_commit = 1;
    }
  }
  if (o->untrusted) {
    a.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_UNTRUSTED_BITMASK;
    a.untrusted = 1;
  }
  if (drydock_add_drive_opts_argv (h, o->drives[i].file, &a) == -1)
    return tool_lib_error (h);
  return 1;
}

int
tool_add_drives (drydock_h *h, const struct tool_options *o,
                 const char *keep_last)
{
  int n = 0;

  /* The others would be committed: never silently. */
  if (keep_last && o->n_drives != 1) {
    tool_error (_("an output overlay takes one image (%zu given)"),
                o->n_drives);
    return -1;
  }
  for (size_t i = 0; i < o->n_drives; ++i) {
    int r = tool_add_drive (h, o, i, keep_last);

    if (r == -1)
      return -1;
    n += r;
  }
  return n;
}

int
tool_launch (drydock_h *h)
{
  tool_progress_phase (_("launching the appliance"));
  if (drydock_launch (h) == -1)
    return tool_lib_error (h);
  return 0;
}
