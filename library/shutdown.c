/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shutdown: the daemon unmounts and syncs, qemu exits by itself (so the
 * qcow2 overlays are closed cleanly), then each drive's overlay policy
 * is applied.  Nothing is kept or committed unless all of that worked. */

#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"

/* Waits up to timeout_ms for qemu to exit.  1 exited cleanly, 0 not yet,
 * -1 exited with an error status. */
static int
wait_qemu (drydock_h *h, int timeout_ms)
{
  struct timespec start;

  clock_gettime (CLOCK_MONOTONIC, &start);
  for (;;) {
    int status;
    pid_t r = waitpid (h->qemu_pid, &status, WNOHANG);

    if (r == h->qemu_pid) {
      h->qemu_pid = 0;
      return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 1 : -1;
    }
    if (r == -1 && errno != EINTR) {
      h->qemu_pid = 0;
      return -1;
    }
    if (drydock_int_elapsed_ms (&start) >= timeout_ms)
      return 0;
    drydock_int_drain_console (h, 10);
    if (h->console_fd < 0)
      usleep (2000);
  }
}

/* With debug on, what qemu cost until now, from /proc: its resident
 * memory, peak and current, and its page faults (a restore that touches
 * all of guest RAM shows here before it shows in a timing). */
static void
report_qemu_usage (drydock_h *h)
{
  char path[64], line[256], *p;
  unsigned long minflt = 0, majflt = 0;
  long hwm = -1, rss = -1;
  FILE *fp;

  if (!h->verbose || h->qemu_pid <= 0)
    return;
  snprintf (path, sizeof path, "/proc/%d/status", (int) h->qemu_pid);
  if ((fp = fopen (path, "re")) != NULL) {
    while (fgets (line, sizeof line, fp)) {
      sscanf (line, "VmHWM: %ld", &hwm);
      sscanf (line, "VmRSS: %ld", &rss);
    }
    fclose (fp);
  }
  snprintf (path, sizeof path, "/proc/%d/stat", (int) h->qemu_pid);
  if ((fp = fopen (path, "re")) != NULL) {
    /* Fields after the command name, which may hold spaces: state (3),
     * ... minflt (10), cminflt, majflt (12). */
    if (fgets (line, sizeof line, fp) && (p = strrchr (line, ')')) != NULL)
      sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %lu %*u %lu",
              &minflt, &majflt);
    fclose (fp);
  }
  drydock_int_debug (h, "qemu pid %d before shutdown: RSS %ld MB, peak %ld MB, "
                     "page faults %lu minor, %lu major", (int) h->qemu_pid,
                     rss / 1024, hwm / 1024, minflt, majflt);
}

static int
stop_qemu (drydock_h *h)
{
  int r;

  drydock_int_direct_close (h);
  if (h->sock >= 0) {
    close (h->sock);
    h->sock = -1;
  }
  r = wait_qemu (h, 10000);
  if (r == 0) {
    kill (h->qemu_pid, SIGTERM);
    r = wait_qemu (h, 5000);
  }
  if (r == 1)
    return 0;
  drydock_int_kill_appliance (h);
  drydock_int_error_errno (h, EIO, "shutdown: qemu did not exit cleanly; "
                           "the overlays were discarded");
  return -1;
}

int
drydock_impl_shutdown (drydock_h *h)
{
  int needs_settle = 0;

  for (size_t i = 0; i < h->n_drives; ++i)
    if (h->drives[i].commit || h->drives[i].output_overlay)
      needs_settle = 1;
  if (h->state == STATE_CONFIG)
    return 0;
  if (h->state != STATE_READY) {
    if (!needs_settle)
      return 0;
    drydock_int_error_errno (h, EIO, "shutdown: the appliance is not running "
                             "any more; nothing was committed or kept");
    return -1;
  }
  report_qemu_usage (h);
  if (drydock_int_shutdown (h) == -1) {
    drydock_int_kill_appliance (h);
    return -1;
  }
  if (stop_qemu (h) == -1)
    return -1;
  if (h->console_fd >= 0) {
    drydock_int_drain_console (h, 0);
  }
  h->state = STATE_DONE;
  {
    CLEANUP_FREE char *dir = NULL;
    ssize_t i = drydock_int_overlay_full (h, &dir);

    /* A read-only session keeps nothing, but the guest lost writes that
     * the calls reported done (the kernel writes back late): the
     * session did not do what it said. */
    if (i >= 0 && !needs_settle && i < 64 &&
        (h->nospace & (UINT64_C (1) << i))) {
      drydock_int_error_errno (h, ENOSPC, "shutdown: %s: no space left on "
                               "device for its overlay in %s: the guest's "
                               "writes did not all fit, and some of what "
                               "the session did was lost",
                               h->drives[i].filename, dir);
      return -1;
    }
    if (i >= 0 && needs_settle) {
      drydock_int_error_errno (h, ENOSPC, "shutdown: %s: no space left on "
                               "device for its overlay in %s: the guest's "
                               "writes did not all fit; nothing was "
                               "committed or kept", h->drives[i].filename,
                               dir);
      return -1;
    }
  }
  return drydock_int_settle_overlays (h);
}
