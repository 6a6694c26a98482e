/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launch: overlays, appliance, accelerator, qemu, hello.  Each phase is
 * timed and reported in debug output, so a slow launch can be diagnosed
 * from one run with DRYDOCK_DEBUG=1.  The appliance is restored from a
 * snapshot when possible (snapshot.c), booted cold otherwise or when
 * that fails.  A KVM launch that does not say hello in time is retried
 * under TCG. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "accel.h"

#define KVM_HELLO_TIMEOUT_MS 20000
#define TCG_HELLO_TIMEOUT_MS 300000

int
drydock_int_make_tmpdir (drydock_h *h)
{
  if (h->tmpdir)
    return 0;
  if (asprintf (&h->tmpdir, "%s/drydockXXXXXX",
                drydock_int_tmpdir_parent (h)) == -1) {
    h->tmpdir = NULL;
    drydock_int_perror (h, "launch");
    return -1;
  }
  /* The reaper runs before the directory exists: started after it, a
   * kill while it forks would leave the directory.  set_recovery_proc
   * false: none. */
  if (h->recovery_proc)
    drydock_int_reaper_start (h);
  if (mkdtemp (h->tmpdir) == NULL) {
    drydock_int_perror (h, "launch: %s", h->tmpdir);
    free (h->tmpdir);
    h->tmpdir = NULL;
    return -1;
  }
  drydock_int_reaper_add (h, h->tmpdir);
  return 0;
}

static int
listen_socket (drydock_h *h, const char *path)
{
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof sun.sun_path) {
    drydock_int_error_errno (h, ENAMETOOLONG, "launch: socket path %s too long "
                             "(set TMPDIR to a shorter directory)", path);
    return -1;
  }
  strcpy (sun.sun_path, path);
  unlink (path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1 || bind (fd, (struct sockaddr *) &sun, sizeof sun) == -1 ||
      listen (fd, 1) == -1) {
    drydock_int_perror (h, "launch: socket %s", path);
    if (fd >= 0)
      close (fd);
    return -1;
  }
  return fd;
}

/* Waits for qemu to connect.  -1 (error set) if qemu exits first. */
static int
accept_qemu (drydock_h *h, int lfd, int timeout_ms)
{
  struct timespec start;

  clock_gettime (CLOCK_MONOTONIC, &start);
  for (;;) {
    struct pollfd p[2] = { { lfd, POLLIN, 0 }, { h->console_fd, POLLIN, 0 } };
    int left = timeout_ms - (int) drydock_int_elapsed_ms (&start);

    if (left <= 0 || h->console_fd < 0)
      break;
    if (poll (p, 2, left) == -1 && errno != EINTR)
      break;
    if (p[0].revents) {
      h->sock = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC);
      if (h->sock >= 0)
        return 0;
    }
    if (p[1].revents)
      drydock_int_drain_console (h, 0);
  }
  errno = EPIPE;
  drydock_int_appliance_died (h, "launch");
  return -1;
}

static int
read_hello (drydock_h *h, int timeout_ms, struct launch_phases *ph)
{
  CLEANUP_FREE char *frame = NULL, *version = NULL;
  struct wire_reader r;
  size_t len;
  int n = drydock_int_recv_frame (h, &frame, &len, timeout_ms);

  if (n <= 0) {
    if (n == 0)
      errno = EPIPE;
    drydock_int_appliance_died (h, "launch");
    return -1;
  }
  wire_reader_init (&r, frame, len);
  if (wire_get_u32 (&r) != WIRE_HELLO || (version = wire_get_string (&r)) == NULL) {
    errno = EBADMSG;
    drydock_int_appliance_died (h, "launch");
    return -1;
  }
  ph->guest_boot_ms = wire_get_u64 (&r);
  ph->guest_init_ms = wire_get_u64 (&r);
  if (strcmp (version, PACKAGE_VERSION) != 0)
    drydock_int_warning (h, "appliance daemon version %s differs from the "
                         "library's %s", version, PACKAGE_VERSION);
  return 0;
}

/* How long a KVM launch may take to say hello before the fallback to
 * TCG: DRYDOCK_KVM_HELLO_TIMEOUT (ms) if valid, for tests and for hosts
 * known to be slow, else KVM_HELLO_TIMEOUT_MS.  warn: say when the
 * variable is ignored (once per launch). */
static int
kvm_hello_timeout_ms (drydock_h *h, int warn)
{
  const char *v = getenv ("DRYDOCK_KVM_HELLO_TIMEOUT");
  char *end;
  long ms;

  if (v == NULL || *v == '\0')
    return KVM_HELLO_TIMEOUT_MS;
  errno = 0;
  ms = strtol (v, &end, 10);
  if (errno != 0 || *end != '\0' || ms <= 0 || ms > TCG_HELLO_TIMEOUT_MS) {
    if (warn)
      drydock_int_warning (h, "DRYDOCK_KVM_HELLO_TIMEOUT=%s ignored (expected "
                           "milliseconds, 1 to %d)", v, TCG_HELLO_TIMEOUT_MS);
    return KVM_HELLO_TIMEOUT_MS;
  }
  return (int) ms;
}

int
drydock_int_start_appliance (drydock_h *h, const struct launch_appliance *a,
                             const struct qemu_opts *o, struct launch_phases *ph)
{
  CLEANUP_FREE char *sockpath = NULL;
  struct timespec t;
  int lfd, r;

  if (asprintf (&sockpath, "%s/sock", h->tmpdir) == -1) {
    drydock_int_perror (h, "launch");
    return -1;
  }
  drydock_int_reaper_add (h, sockpath);
  lfd = listen_socket (h, sockpath);
  if (lfd == -1)
    return -1;
  clock_gettime (CLOCK_MONOTONIC, &t);
  h->console_tail_len = 0;
  if (drydock_int_start_qemu (h, a->kernel, a->initrd, a->root, sockpath,
                              a->kvm, o) == -1) {
    close (lfd);
    return -1;
  }
  r = accept_qemu (h, lfd, 30000);
  close (lfd);
  unlink (sockpath);
  if (r == -1)
    return -1;
  ph->connect = drydock_int_elapsed_ms (&t);
  return 0;
}

int
drydock_int_wait_hello (drydock_h *h, int use_kvm, struct launch_phases *ph)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  if (read_hello (h, use_kvm ? kvm_hello_timeout_ms (h, 1) : TCG_HELLO_TIMEOUT_MS,
                  ph) == -1)
    return -1;
  ph->hello = drydock_int_elapsed_ms (&t);
  return 0;
}

#define BOOT_QMP_TIMEOUT_MS 10000

/* A cold boot, with qemu's monitor for direct reads (direct.c): a
 * monitor that does not answer only turns those off. */
static int
boot (drydock_h *h, const struct launch_appliance *a, struct launch_phases *ph)
{
  struct qemu_opts o = { .snapshot = 0, .qmp_fd = -1, .incoming_fd = -1,
                         .ram_fd = -1, .ram_shared = 0 };
  int fd, r;

  ph->path = "cold boot";
  ph->restore = ph->save = ph->hotplug = ph->attach = 0;
  h->drives_hotplugged = 0;
  fd = drydock_int_qmp_pair (h, &o.qmp_fd);
  if (fd == -1)
    return -1;
  r = drydock_int_start_appliance (h, a, &o, ph);
  close (o.qmp_fd);
  if (r == 0)
    r = drydock_int_wait_hello (h, a->kvm, ph);
  if (r == -1) {
    close (fd);
    return -1;
  }
  h->qmp = drydock_int_qmp_open (h, fd, BOOT_QMP_TIMEOUT_MS);
  if (h->qmp == NULL)
    drydock_int_debug (h, "qemu's monitor did not answer (%s): no direct "
                       "reads", h->last_error ? h->last_error : "");
  return 0;
}

/* The snapshot path, then a cold boot if it was not tried or failed.
 * Under KVM a timeout of the snapshot path is returned as is: KVM is too
 * slow, and the caller retries everything under TCG. */
static int
launch_with (drydock_h *h, const struct launch_appliance *a,
             struct launch_phases *ph)
{
  int r = drydock_int_snapshot_launch (h, a, ph);

  if (r == 0)
    return 0;
  if (r == -1) {
    if (a->kvm && h->last_errno == ETIMEDOUT)
      return -1;
    drydock_int_debug (h, "snapshot launch failed (%s): booting cold",
                       h->last_error ? h->last_error : "no error message");
    drydock_int_kill_appliance (h);
    h->state = STATE_LAUNCHING;
  }
  if (boot (h, a, ph) == -1)
    return -1;
  if (r == -1)
    drydock_int_snapshot_failed (h, a);
  return 0;
}

/* Where a forced accelerator comes from, for messages. */
static const char *
accel_source (void)
{
  const char *env = getenv ("DRYDOCK_ACCEL");

  return env && *env ? "DRYDOCK_ACCEL" : "set_accel";
}

static void
free_appliance (struct launch_appliance *a)
{
  free (a->kernel);
  free (a->initrd);
  free (a->root);
}

/* 1 for KVM, 0 for TCG; sets *forced when the choice was explicit.
 * DRYDOCK_KVM_PROBE=yes is a test hook: it takes KVM without probing,
 * so the fallback to TCG can be tested on a host whose KVM is slow. */
static int
choose_accel (drydock_h *h, int *forced)
{
  const char *env = getenv ("DRYDOCK_ACCEL");
  const char *want = env && *env ? env : h->accel;

  /* The backend settings force_tcg and force_kvm, under set_accel's
   * "auto" only. */
  if (strcmp (want, "auto") == 0 && drydock_int_backend_setting (h, "force_tcg"))
    want = "tcg";
  else if (strcmp (want, "auto") == 0 &&
           drydock_int_backend_setting (h, "force_kvm"))
    want = "kvm";
  const char *hook = getenv ("DRYDOCK_KVM_PROBE");
  const char *reason = NULL;
  int kvm;

  *forced = strcmp (want, "auto") != 0;
  if (*forced) {
    drydock_int_debug (h, "accelerator %s forced by %s: KVM probe skipped",
                       want, accel_source ());
    return strcmp (want, "kvm") == 0;
  }
  if (hook && strcmp (hook, "yes") == 0) {
    drydock_int_debug (h, "KVM probe skipped (DRYDOCK_KVM_PROBE=yes): "
                       "trying KVM");
    return 1;
  }
  kvm = drydock_int_kvm_probe (drydock_int_cachedir (h), 0, &reason);
  if (!kvm)
    drydock_int_debug (h, "KVM not used: %s", reason ? reason : "unknown");
  return kvm;
}

/* One line: the path taken, then its phases in order. */
static void
report (drydock_h *h, const struct launch_phases *ph)
{
  char boot[160] = "", snap[256] = "";
  int n = 0;

  if (ph->hello > 0)
    snprintf (boot, sizeof boot, ", guest kernel %" PRIu64 " ms, daemon init %"
              PRIu64 " ms, hello after %.0f ms", ph->guest_boot_ms,
              ph->guest_init_ms > ph->guest_boot_ms ? 0 : ph->guest_init_ms,
              ph->hello);
  if (ph->save > 0)
    n += snprintf (snap + n, sizeof snap - (size_t) n, ", save %.0f ms (state %"
                   PRIu64 " KB, RAM %" PRIu64 " MB)", ph->save,
                   ph->saved_bytes >> 10, ph->ram_bytes >> 20);
  if (ph->restore > 0)
    n += snprintf (snap + n, sizeof snap - (size_t) n, ", restore %.0f ms",
                   ph->restore);
  if (strncmp (ph->path, "snapshot", 8) == 0)
    snprintf (snap + n, sizeof snap - (size_t) n, ", hotplug %.0f ms, "
              "attach %.0f ms", ph->hotplug, ph->attach);
  drydock_int_debug (h, "launch phases: %s: overlays %.0f ms, appliance %.0f ms, "
                     "accel %s %.0f ms, qemu start %.0f ms%s%s; total %.0f ms",
                     ph->path, ph->overlays, ph->appliance, h->accel_used,
                     ph->accel, ph->connect, boot, snap,
                     drydock_int_elapsed_ms (&ph->t0));
}

int
drydock_impl_launch (drydock_h *h)
{
  struct launch_appliance a = { NULL, NULL, NULL, 0 };
  struct launch_phases ph = { 0 };
  struct timespec t;
  int forced;

  if (drydock_int_check_backend_env (h) == -1)
    return -1;
  clock_gettime (CLOCK_MONOTONIC, &ph.t0);
  h->state = STATE_LAUNCHING;
  h->io_errors = h->nospace = 0;
  if (drydock_int_make_tmpdir (h) == -1 || drydock_int_create_overlays (h) == -1)
    goto fail;
  ph.overlays = drydock_int_elapsed_ms (&ph.t0);
  clock_gettime (CLOCK_MONOTONIC, &t);
  if (drydock_int_build_appliance (h, &a.kernel, &a.initrd, &a.root) == -1)
    goto fail;
  ph.appliance = drydock_int_elapsed_ms (&t);
  clock_gettime (CLOCK_MONOTONIC, &t);
  a.kvm = choose_accel (h, &forced);
  ph.accel = drydock_int_elapsed_ms (&t);
  free (h->accel_used);
  h->accel_used = strdup (a.kvm ? "kvm" : "tcg");
  if (launch_with (h, &a, &ph) == -1) {
    /* A broken KVM either hangs the guest (no hello in time) or makes
     * qemu die before the daemon says hello (an assertion in qemu's
     * KVM code, seen on these build machines): both are retried under
     * TCG unless KVM was forced. */
    int died = h->last_errno == EPIPE || h->last_errno == EBADMSG;

    if (!a.kvm || (h->last_errno != ETIMEDOUT && !died))
      goto fail;
    if (died) {
      if (forced)
        goto fail;
      drydock_int_warning (h, "KVM launch failed (%s): retrying with TCG",
                           drydock_last_error (h));
    }
    else if (forced) {
      /* The generic timeout becomes the cause and what to do about it. */
      drydock_int_error_errno (h, ETIMEDOUT, "launch: the appliance did not "
                               "say hello within %d ms under KVM, and %s "
                               "forces KVM, so there is no fallback to TCG "
                               "(use tcg or auto)", kvm_hello_timeout_ms (h, 0),
                               accel_source ());
      goto fail;
    }
    else
      drydock_int_warning (h, "KVM launch did not say hello within %d ms: "
                           "retrying with TCG", kvm_hello_timeout_ms (h, 0));
    drydock_int_kill_appliance (h);
    h->state = STATE_LAUNCHING;
    free (h->accel_used);
    h->accel_used = strdup ("tcg");
    a.kvm = 0;
    if (launch_with (h, &a, &ph) == -1)
      goto fail;
  }
  h->state = STATE_READY;
  report (h, &ph);
  free_appliance (&a);
  return 0;
 fail:
  drydock_int_kill_appliance (h);
  drydock_int_remove_overlays (h);
  h->state = STATE_CONFIG;
  free_appliance (&a);
  return -1;
}
