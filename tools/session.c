/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session of a small tool: one launch over the -a images, the
 * guest's filesystems mounted as -m says or as inspection finds them,
 * and at the end either a shutdown, which commits the changes of a
 * writing tool into the images, or a close, which discards them.  A
 * reading tool adds its images read-only, so whatever happens they are
 * never written. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "strlist.h"
#include "tools.h"

void
tools_usage_error (const char *fs, ...)
{
  CLEANUP_FREE char *msg = NULL;
  va_list ap;
  int r;

  va_start (ap, fs);
  r = vasprintf (&msg, fs, ap);
  va_end (ap);
  tool_error (_("%s (try '%s --help')"), r == -1 ? fs : msg,
              tool_program_name ());
  exit (EXIT_FAILURE);
}

void
tools_need_images (const struct tool_options *o)
{
  if (o->n_drives == 0)
    tools_usage_error (_("no image given: use -a IMAGE or -d DOMAIN"));
}

/* Mounts the filesystems of the one operating system on the disks. */
static int
inspect_mount (struct tools_session *s)
{
  CLEANUP_FREE_STRING_LIST char **roots = drydock_inspect_os (s->h);
  size_t n;

  if (roots == NULL)
    return tool_lib_error (s->h);
  n = count_strings (roots);
  if (n == 0)
    return tool_error (_("no operating system was found on the disks "
                         "(mount filesystems with -m DEVICE instead)"));
  if (n > 1)
    return tool_error (_("%zu operating systems were found (%s, %s%s): "
                         "choose the filesystems with -m"), n, roots[0],
                       roots[1], n > 2 ? ", ..." : "");
  if (drydock_inspect_mount_root_opts (s->h, roots[0],
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       !(s->flags & TOOLS_WRITE), -1) == -1)
    return tool_lib_error (s->h);
  s->type = drydock_inspect_get_type (s->h, roots[0]);
  if (s->type == NULL)
    return tool_lib_error (s->h);
  s->root = strdup (roots[0]);
  if (s->root == NULL)
    return tool_error ("%s", strerror (errno));
  return 0;
}

static int
mount_filesystems (struct tools_session *s)
{
  if (s->o->n_mounts > 0)
    return tool_mount_each (s->h, s->o->mounts, s->o->n_mounts,
                            !(s->flags & TOOLS_WRITE));
  return inspect_mount (s);
}

int
tools_start (struct tools_session *s, struct tool_options *o, unsigned flags)
{
  return tools_start_with (s, o, flags, NULL, NULL);
}

int
tools_start_with (struct tools_session *s, struct tool_options *o,
                  unsigned flags, int (*setup) (drydock_h *h, void *opaque),
                  void *opaque)
{
  CLEANUP_FREE_STRING_LIST char **opened = NULL;

  *s = (struct tools_session) { .o = o, .flags = flags };
  /* Read-only drives: their overlays are always discarded. */
  o->ro = !(flags & TOOLS_WRITE);
  s->h = tool_create_handle (o, (flags & TOOLS_PROGRESS) != 0);
  if (s->h == NULL)
    return -1;
  if (tool_add_drives (s->h, o, NULL) == -1 ||
      (setup && setup (s->h, opaque) == -1) || tool_launch (s->h) == -1 ||
      tool_open_encrypted (s->h, o, 0, &opened) == -1)
    goto fail;
  if ((flags & TOOLS_LVM) && drydock_vg_activate_all (s->h, 1) == -1) {
    tool_lib_error (s->h);
    goto fail;
  }
  if ((flags & TOOLS_MOUNT) && mount_filesystems (s) == -1)
    goto fail;
  return 0;
 fail:
  tools_finish (s, 0);
  return -1;
}

int
tools_finish (struct tools_session *s, int commit)
{
  int ret = 0;

  if (s->h && commit && (s->flags & TOOLS_WRITE)) {
    tool_progress_phase (_("writing the changes"));
    if (drydock_shutdown (s->h) == -1)
      ret = tool_lib_error (s->h);
  }
  /* Without a successful shutdown nothing reaches the images. */
  drydock_close (s->h);
  tool_progress_end ();
  free (s->root);
  free (s->type);
  *s = (struct tools_session) { NULL };
  return ret;
}
