/* Launch: overlays, appliance, accelerator, qemu, hello.  Each phase is
 * timed and reported in debug output, so a slow launch can be diagnosed
 * from one run with DRYDOCK_DEBUG=1.  A KVM launch that does not say
 * hello in time is retried under TCG. */

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

struct phases {
  struct timespec t0;
  double overlays, appliance, accel, connect, hello;
  uint64_t guest_boot_ms, guest_init_ms;
};

static int
make_tmpdir (drydock_h *h)
{
  const char *t = getenv ("TMPDIR");

  if (h->tmpdir)
    return 0;
  if (asprintf (&h->tmpdir, "%s/drydockXXXXXX", t && *t ? t : "/tmp") == -1) {
    h->tmpdir = NULL;
    drydock_int_perror (h, "launch");
    return -1;
  }
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
read_hello (drydock_h *h, int timeout_ms, struct phases *ph)
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

static int
boot (drydock_h *h, const char *kernel, const char *initrd, const char *root,
      int use_kvm, struct phases *ph)
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
  if (drydock_int_start_qemu (h, kernel, initrd, root, sockpath,
                              use_kvm) == -1) {
    close (lfd);
    return -1;
  }
  r = accept_qemu (h, lfd, 30000);
  close (lfd);
  unlink (sockpath);
  if (r == -1)
    return -1;
  ph->connect = drydock_int_elapsed_ms (&t);
  clock_gettime (CLOCK_MONOTONIC, &t);
  if (read_hello (h, use_kvm ? KVM_HELLO_TIMEOUT_MS : TCG_HELLO_TIMEOUT_MS, ph) == -1)
    return -1;
  ph->hello = drydock_int_elapsed_ms (&t);
  return 0;
}

/* 1 for KVM, 0 for TCG; sets *forced when the choice was explicit. */
static int
choose_accel (drydock_h *h, int *forced)
{
  const char *env = getenv ("DRYDOCK_ACCEL");
  const char *want = env && *env ? env : h->accel;
  const char *reason = NULL;
  int kvm;

  *forced = strcmp (want, "auto") != 0;
  if (strcmp (want, "tcg") == 0)
    return 0;
  if (strcmp (want, "kvm") == 0)
    return 1;
  kvm = drydock_int_kvm_probe (drydock_int_cachedir (h), 0, &reason);
  if (!kvm)
    drydock_int_debug (h, "KVM not used: %s", reason ? reason : "unknown");
  return kvm;
}

static void
report (drydock_h *h, const struct phases *ph)
{
  drydock_int_debug (h, "launch phases: overlays %.0f ms, appliance %.0f ms, "
                     "accel %s %.0f ms, qemu start %.0f ms, guest kernel %"
                     PRIu64 " ms, daemon init %" PRIu64 " ms, hello after %.0f ms; "
                     "total %.0f ms",
                     ph->overlays, ph->appliance, h->accel_used, ph->accel,
                     ph->connect, ph->guest_boot_ms,
                     ph->guest_init_ms > ph->guest_boot_ms ? 0 : ph->guest_init_ms,
                     ph->hello, drydock_int_elapsed_ms (&ph->t0));
}

int
drydock_impl_launch (drydock_h *h)
{
  CLEANUP_FREE char *kernel = NULL, *initrd = NULL, *root = NULL;
  struct phases ph = { 0 };
  struct timespec t;
  int kvm, forced;

  if (drydock_int_check_config (h, "launch") == -1)
    return -1;
  clock_gettime (CLOCK_MONOTONIC, &ph.t0);
  h->state = STATE_LAUNCHING;
  if (make_tmpdir (h) == -1 || drydock_int_create_overlays (h) == -1)
    goto fail;
  ph.overlays = drydock_int_elapsed_ms (&ph.t0);
  clock_gettime (CLOCK_MONOTONIC, &t);
  if (drydock_int_build_appliance (h, &kernel, &initrd, &root) == -1)
    goto fail;
  ph.appliance = drydock_int_elapsed_ms (&t);
  clock_gettime (CLOCK_MONOTONIC, &t);
  kvm = choose_accel (h, &forced);
  ph.accel = drydock_int_elapsed_ms (&t);
  free (h->accel_used);
  h->accel_used = strdup (kvm ? "kvm" : "tcg");
  if (boot (h, kernel, initrd, root, kvm, &ph) == -1) {
    if (!kvm || forced || h->last_errno != ETIMEDOUT)
      goto fail;
    drydock_int_warning (h, "KVM launch did not answer in %d s: retrying with TCG",
                         KVM_HELLO_TIMEOUT_MS / 1000);
    h->state = STATE_LAUNCHING;
    free (h->accel_used);
    h->accel_used = strdup ("tcg");
    if (boot (h, kernel, initrd, root, 0, &ph) == -1)
      goto fail;
  }
  h->state = STATE_READY;
  report (h, &ph);
  return 0;
 fail:
  drydock_int_kill_appliance (h);
  drydock_int_remove_overlays (h);
  h->state = STATE_CONFIG;
  return -1;
}
