/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handle's life: create with defaults from the environment, close
 * with everything released (appliance killed, temporary files gone). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock-internal.h"

/* A call that hears nothing from the appliance for this long (no
 * reply, chunk, progress or keepalive: the daemon sends one every few
 * seconds while it waits on a program) is given up and the appliance
 * stopped.  Long enough for any single slow step under TCG, short
 * enough that a wedged appliance does not hang a tool for good. */
#define DEFAULT_CALL_TIMEOUT_S 600
/* The largest value poll's int milliseconds take. */
#define MAX_CALL_TIMEOUT_S (INT_MAX / 1000)

/* DRYDOCK_CALL_TIMEOUT: seconds, 0 for none; anything else keeps the
 * default. */
static int
env_call_timeout_ms (void)
{
  const char *v = getenv ("DRYDOCK_CALL_TIMEOUT");
  char *end;
  long s;

  if (v == NULL || *v == '\0')
    return DEFAULT_CALL_TIMEOUT_S * 1000;
  errno = 0;
  s = strtol (v, &end, 10);
  if (errno || *end || s < 0 || s > MAX_CALL_TIMEOUT_S)
    return DEFAULT_CALL_TIMEOUT_S * 1000;
  return (int) s * 1000;
}

PUBLIC drydock_h *
drydock_create (void)
{
  drydock_h *h = calloc (1, sizeof *h);

  if (h == NULL)
    return NULL;
  h->state = STATE_CONFIG;
  h->memsize = 512;
  h->smp = 1;
  h->sock = -1;
  h->console_fd = -1;
  h->stream_in = h->stream_out = -1;
  h->reaper_fd = -1;
  h->accel = strdup ("auto");
  h->call_timeout_ms = env_call_timeout_ms ();
  /* DRYDOCK_DEBUG, DRYDOCK_TRACE, DRYDOCK_MEMSIZE, DRYDOCK_UNTRUSTED and
   * the launch properties' variables (handle-props.c). */
  if (h->accel == NULL || drydock_int_props_init (h) == -1) {
    drydock_int_props_free (h);
    free (h->accel);
    free (h);
    return NULL;
  }
  return h;
}

static void
remove_tmpdir (const char *dir)
{
  CLEANUP_CLOSEDIR DIR *d = opendir (dir);
  struct dirent *e;

  while (d && (e = readdir (d)) != NULL) {
    CLEANUP_FREE char *p = NULL;

    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    if (asprintf (&p, "%s/%s", dir, e->d_name) != -1)
      unlink (p);
  }
  rmdir (dir);
}

PUBLIC void
drydock_close (drydock_h *h)
{
  if (h == NULL)
    return;
  drydock_int_event (h, DRYDOCK_EVENT_CLOSE, NULL, 0, NULL, 0);
  drydock_int_local_mount_close (h);
  /* set_autosync: what shutdown does, before the appliance is killed;
   * close cannot fail, so its error becomes a warning. */
  if (h->autosync && h->state == STATE_READY && drydock_shutdown (h) == -1)
    drydock_int_warning (h, "close: autosync: %s", drydock_last_error (h));
  drydock_int_kill_appliance (h);
  drydock_int_remove_overlays (h);
  if (h->tmpdir)
    remove_tmpdir (h->tmpdir);
  drydock_int_reaper_stop (h);
  drydock_int_drop_drives (h, 0);
  free (h->drives);
  free (h->events);
  free (h->tmpdir);
  free (h->cachedir);
  free (h->accel);
  free (h->accel_used);
  drydock_int_props_free (h);
  free (h->last_error);
  free (h);
}

PUBLIC void
drydock_free_string_list (char **list)
{
  free_string_list (list);
}

PUBLIC const char *
drydock_version (void)
{
  return PACKAGE_VERSION;
}

double
drydock_int_elapsed_ms (const struct timespec *since)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) (now.tv_sec - since->tv_sec) * 1000.0 +
    (double) (now.tv_nsec - since->tv_nsec) / 1e6;
}
