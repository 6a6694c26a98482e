/* Shutdown: the daemon unmounts and syncs, qemu exits by itself (so the
 * qcow2 overlays are closed cleanly), then each drive's overlay policy
 * is applied.  Nothing is kept or committed unless all of that worked. */

#include <config.h>

#include <errno.h>
#include <signal.h>
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

static int
stop_qemu (drydock_h *h)
{
  int r;

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
  return drydock_int_settle_overlays (h);
}
