/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* drydock - KVM usability probe.
 *
 * A /dev/kvm that opens fine is not enough to choose KVM over TCG: on
 * some hosts the vCPU never comes back from KVM_RUN, and on others
 * (seen on these build machines: a nested "PVM" KVM with no VMX) every
 * guest instruction is emulated at ~1 us, so KVM_RUN "hangs" at 100 %
 * CPU through a Linux boot.  This file runs a tiny 64-bit guest with a
 * speed test in a forked child under a deadline, and caches the
 * verdict per boot.  It is separate from the launch code because it
 * must stay cheap, self-contained and safe to run before anything else
 * about the appliance is known.
 */

#ifdef HAVE_CONFIG_H
#include <config.h>
#elif !defined (_GNU_SOURCE)
#define _GNU_SOURCE 1   /* standalone build: pipe2, mkostemp, secure_getenv */
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/kvm.h>

#include "accel.h"

#define KVM_DEVICE "/dev/kvm"
#define VERDICT_FILE "kvm-verdict"
#define BOOT_ID_FILE "/proc/sys/kernel/random/boot_id"

/* After the child has answered (or been killed), how long we keep
 * trying to reap it before giving up and leaving it behind.
 */
#define REAP_GRACE_MS 50

/* Guest layout (guest physical addresses): identity-mapped 4 KiB
 * pages, code in page 1, the four levels of page tables after it.
 */
#define GUEST_PAGES 8
#define GUEST_PAGE_SIZE 0x1000
#define GUEST_CODE_ADDR 0x1000
#define GUEST_PML4_ADDR 0x2000
#define GUEST_PDPT_ADDR 0x3000
#define GUEST_PD_ADDR 0x4000
#define GUEST_PT_ADDR 0x5000
#define TEST_PORT 0x10
#define TEST_HELLO 0x42
#define TEST_LOOP_DONE 0x43

/* The speed test: a loop of SPEED_LOOP_ITERATIONS x (dec; jnz) takes
 * well under 1 ms on hardware virtualization.  Hosts whose KVM
 * emulates guest instructions in software (seen: a nested "PVM" KVM,
 * ~1 us per instruction, so a Linux boot never finishes) need seconds.
 * The limit is process CPU time, so a loaded host does not fail it.
 */
#define SPEED_LOOP_ITERATIONS 1000000
#define SPEED_LIMIT_MS 20
#define STR(x) STR_ (x)
#define STR_(x) #x

/* Everything the probe can conclude.  The values travel from the child
 * to the parent as one byte, so keep them below CHILD_RAN.
 */
enum probe_result {
  PROBE_OK = 0,
  PROBE_NOT_PRESENT,
  PROBE_PERMISSION,
  PROBE_OPEN_FAILED,
  PROBE_API_VERSION,
  PROBE_CREATE_VM,
  PROBE_MEMORY,
  PROBE_CREATE_VCPU,
  PROBE_REGISTERS,
  PROBE_RUN_FAILED,
  PROBE_WRONG_EXIT,
  PROBE_TIMEOUT,
  PROBE_TOO_SLOW,
  PROBE_CHILD_FAILED,
  NR_PROBE_RESULTS
};

/* Sent by the child once the vCPU has executed its first instruction,
 * so that a timeout can say "too slow" rather than "did not run".
 */
#define CHILD_RAN 0xff

#define TOO_SLOW_REASON \
  "KVM vCPU too slow: " STR (SPEED_LOOP_ITERATIONS) \
  " test loop iterations need more than " STR (SPEED_LIMIT_MS) \
  " ms (instructions emulated, not hardware-virtualized)"

/* token: the word stored in the cache file; results made with
 * TRANSIENT are cheap to recompute or may change any time, and are
 * never cached.
 */
#define CACHEABLE(token, text) { token, text, "cached verdict: " text }
#define TRANSIENT(text) { NULL, text, NULL }

static const struct {
  const char *token;
  const char *reason;
  const char *cached_reason;
} results[NR_PROBE_RESULTS] = {
  [PROBE_OK] = { "ok", NULL, NULL },
  [PROBE_NOT_PRESENT] = TRANSIENT ("/dev/kvm not present"),
  [PROBE_PERMISSION] = TRANSIENT ("/dev/kvm: permission denied"),
  [PROBE_OPEN_FAILED] = TRANSIENT ("/dev/kvm: cannot be opened"),
  [PROBE_API_VERSION] = CACHEABLE ("api-version",
                                   "KVM API version is not 12"),
  [PROBE_CREATE_VM] = TRANSIENT ("KVM_CREATE_VM failed"),
  [PROBE_MEMORY] = TRANSIENT ("KVM guest memory setup failed"),
  [PROBE_CREATE_VCPU] = TRANSIENT ("KVM_CREATE_VCPU failed"),
  [PROBE_REGISTERS] = TRANSIENT ("KVM vCPU register setup failed"),
  [PROBE_RUN_FAILED] = CACHEABLE ("run-failed", "KVM_RUN failed"),
  [PROBE_WRONG_EXIT] =
    CACHEABLE ("wrong-exit",
               "KVM vCPU did not exit as the test instructions require"),
  [PROBE_TIMEOUT] =
    CACHEABLE ("timeout",
               "KVM vCPU did not run a test instruction within the deadline"),
  [PROBE_TOO_SLOW] = CACHEABLE ("too-slow", TOO_SLOW_REASON),
  [PROBE_CHILD_FAILED] = TRANSIENT ("KVM probe process failed"),
};

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms (long ms)
{
  struct timespec ts = {
    .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000
  };

  while (nanosleep (&ts, &ts) == -1 && errno == EINTR)
    ;
}

/* --- Child side: only async-signal-safe calls from here to run_in_child. */

#ifdef __x86_64__
/* 64-bit mode, as the appliance kernel will run (some KVMs emulate only
 * real mode, so testing real mode would prove little):
 *   mov $0x42,%al; out %al,$0x10
 *   mov $N,%ecx; 1: dec %ecx; jnz 1b
 *   mov $0x43,%al; out %al,$0x10; hlt
 */
static const unsigned char guest_code[] = {
  0xb0, TEST_HELLO, 0xe6, TEST_PORT,
  0xb9,
  SPEED_LOOP_ITERATIONS & 0xff, (SPEED_LOOP_ITERATIONS >> 8) & 0xff,
  (SPEED_LOOP_ITERATIONS >> 16) & 0xff, (SPEED_LOOP_ITERATIONS >> 24) & 0xff,
  0xff, 0xc9, 0x75, 0xfc,
  0xb0, TEST_LOOP_DONE, 0xe6, TEST_PORT,
  0xf4
};

static void
on_timer (int sig)
{
  (void) sig;                   /* only here to interrupt KVM_RUN */
}

/* Returns 0, or -1 with errno set (EINTR when interrupted_ok). */
static int
run_vcpu (int vcpu_fd, bool interrupted_ok)
{
  int tries;

  for (tries = 0; tries < 8; tries++) {
    if (ioctl (vcpu_fd, KVM_RUN, 0) == 0)
      return 0;
    if ((errno != EINTR && errno != EAGAIN) || interrupted_ok)
      return -1;
  }
  return -1;
}

static bool
is_out_exit (const struct kvm_run *run, int mmap_size, unsigned char value)
{
  const unsigned char *data;

  if (run->exit_reason != KVM_EXIT_IO ||
      run->io.direction != KVM_EXIT_IO_OUT ||
      run->io.port != TEST_PORT || run->io.size != 1 ||
      run->io.count != 1 || run->io.data_offset > (uint64_t) mmap_size - 1)
    return false;
  data = (const unsigned char *) run + run->io.data_offset;
  return *data == value;
}

static void
build_page_tables (unsigned char *mem)
{
  uint64_t *pml4 = (uint64_t *) (mem + GUEST_PML4_ADDR);
  uint64_t *pdpt = (uint64_t *) (mem + GUEST_PDPT_ADDR);
  uint64_t *pd = (uint64_t *) (mem + GUEST_PD_ADDR);
  uint64_t *pt = (uint64_t *) (mem + GUEST_PT_ADDR);
  const uint64_t present_rw = 3;
  unsigned i;

  pml4[0] = GUEST_PDPT_ADDR | present_rw;
  pdpt[0] = GUEST_PD_ADDR | present_rw;
  pd[0] = GUEST_PT_ADDR | present_rw;
  for (i = 0; i < GUEST_PAGES; i++)
    pt[i] = (uint64_t) i * GUEST_PAGE_SIZE | present_rw;
}

/* Flat 64-bit segments and paging set directly, so no GDT or mode
 * switching code is needed in the guest.
 */
static int
enter_long_mode (int vcpu_fd)
{
  struct kvm_segment code = {
    .base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
    .present = 1, .s = 1, .l = 1, .g = 1
  };
  struct kvm_segment data = {
    .base = 0, .limit = 0xffffffff, .selector = 16, .type = 3,
    .present = 1, .s = 1, .db = 1, .g = 1
  };
  struct kvm_sregs sregs;
  struct kvm_regs regs;

  if (ioctl (vcpu_fd, KVM_GET_SREGS, &sregs) == -1)
    return -1;
  sregs.cs = code;
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
  sregs.cr3 = GUEST_PML4_ADDR;
  sregs.cr4 = 0x20;             /* PAE */
  sregs.cr0 = 0x80050033;       /* PG WP AM NE ET MP PE */
  sregs.efer = 0x500;           /* LMA LME */
  if (ioctl (vcpu_fd, KVM_SET_SREGS, &sregs) == -1)
    return -1;

  memset (&regs, 0, sizeof regs);
  regs.rip = GUEST_CODE_ADDR;
  regs.rflags = 2;              /* bit 1 is reserved and must be set */
  return ioctl (vcpu_fd, KVM_SET_REGS, &regs);
}

/* Time the loop in CPU time, and arm a CPU-time timer so that an
 * emulating KVM is interrupted at the limit instead of running on to
 * the parent's deadline.
 */
static enum probe_result
run_speed_loop (int vcpu_fd, const struct kvm_run *run, int mmap_size)
{
  struct itimerval limit = {
    .it_value = {
      .tv_sec = SPEED_LIMIT_MS / 1000,
      .tv_usec = SPEED_LIMIT_MS % 1000 * 1000
    }
  };
  struct sigaction sa;
  struct timespec t0, t1;
  int64_t used_ns;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;     /* no SA_RESTART: KVM_RUN must return */
  if (sigaction (SIGPROF, &sa, NULL) == -1 ||
      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t0) == -1 ||
      setitimer (ITIMER_PROF, &limit, NULL) == -1)
    return PROBE_CHILD_FAILED;
  if (run_vcpu (vcpu_fd, true) == -1)
    return errno == EINTR ? PROBE_TOO_SLOW : PROBE_RUN_FAILED;
  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t1) == -1)
    return PROBE_CHILD_FAILED;
  if (!is_out_exit (run, mmap_size, TEST_LOOP_DONE))
    return PROBE_WRONG_EXIT;
  used_ns = (int64_t) (t1.tv_sec - t0.tv_sec) * 1000000000 +
    (t1.tv_nsec - t0.tv_nsec);
  return used_ns > (int64_t) SPEED_LIMIT_MS * 1000000 ? PROBE_TOO_SLOW
    : PROBE_OK;
}

static enum probe_result
run_test_code (int kvm_fd, int vcpu_fd, unsigned char *mem, int result_fd)
{
  const unsigned char ran = CHILD_RAN;
  enum probe_result r;
  struct kvm_run *run;
  int mmap_size;

  mmap_size = ioctl (kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (mmap_size < (int) sizeof *run)
    return PROBE_CREATE_VCPU;
  run = mmap (NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
              vcpu_fd, 0);
  if (run == MAP_FAILED)
    return PROBE_CREATE_VCPU;

  memcpy (mem + GUEST_CODE_ADDR, guest_code, sizeof guest_code);
  build_page_tables (mem);
  if (enter_long_mode (vcpu_fd) == -1)
    return PROBE_REGISTERS;

  if (run_vcpu (vcpu_fd, false) == -1)
    return PROBE_RUN_FAILED;
  if (!is_out_exit (run, mmap_size, TEST_HELLO))
    return PROBE_WRONG_EXIT;
  if (write (result_fd, &ran, 1) != 1)
    return PROBE_CHILD_FAILED;

  r = run_speed_loop (vcpu_fd, run, mmap_size);
  if (r != PROBE_OK)
    return r;

  if (run_vcpu (vcpu_fd, false) == -1)
    return PROBE_RUN_FAILED;
  return run->exit_reason == KVM_EXIT_HLT ? PROBE_OK : PROBE_WRONG_EXIT;
}
#else
/* Other architectures: creating the VM and vCPU is all we check. */
static enum probe_result
run_test_code (int kvm_fd, int vcpu_fd, unsigned char *mem, int result_fd)
{
  (void) kvm_fd; (void) vcpu_fd; (void) mem; (void) result_fd;
  return PROBE_OK;
}
#endif

/* Nothing is closed or unmapped on purpose: the child exits at once. */
static enum probe_result
probe_device (int kvm_fd, int result_fd)
{
  struct kvm_userspace_memory_region region;
  unsigned char *mem;
  int vm_fd, vcpu_fd;

  if (ioctl (kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
    return PROBE_API_VERSION;
  vm_fd = ioctl (kvm_fd, KVM_CREATE_VM, 0);
  if (vm_fd == -1)
    return PROBE_CREATE_VM;

  mem = mmap (NULL, GUEST_PAGES * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    return PROBE_MEMORY;
  memset (&region, 0, sizeof region);
  region.slot = 0;
  region.guest_phys_addr = 0;
  region.memory_size = GUEST_PAGES * GUEST_PAGE_SIZE;
  region.userspace_addr = (uintptr_t) mem;
  if (ioctl (vm_fd, KVM_SET_USER_MEMORY_REGION, &region) == -1)
    return PROBE_MEMORY;

  vcpu_fd = ioctl (vm_fd, KVM_CREATE_VCPU, 0);
  if (vcpu_fd == -1)
    return PROBE_CREATE_VCPU;
  return run_test_code (kvm_fd, vcpu_fd, mem, result_fd);
}

static void
close_fd_range (unsigned first, unsigned last)
{
  struct rlimit rl;
  unsigned fd;

  if (first > last)
    return;
#ifdef __NR_close_range
  if (syscall (__NR_close_range, first, last, 0) == 0)
    return;
#endif
  /* Kernels before 5.9: close one by one up to the fd limit. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur - 1 < last)
    last = rl.rlim_cur - 1;
  if (last > 65535)
    last = 65535;
  for (fd = first; fd <= last; fd++)
    close (fd);
}

static void __attribute__ ((noreturn))
run_in_child (pid_t parent, int kvm_fd, int result_fd)
{
  struct sigaction sa;
  unsigned lo, hi;
  unsigned char byte;
  int sig;

  /* The caller's signal handlers must not run in this copy of it. */
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (sig = 1; sig < NSIG; sig++)
    sigaction (sig, &sa, NULL);

  /* Die with the parent, and hold none of the caller's descriptors:
   * a child stuck in KVM_RUN must not keep pipes or images open.
   */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
  lo = kvm_fd < result_fd ? kvm_fd : result_fd;
  hi = kvm_fd < result_fd ? result_fd : kvm_fd;
  if (lo > 0)
    close_fd_range (0, lo - 1);
  if (hi > lo + 1)
    close_fd_range (lo + 1, hi - 1);
  close_fd_range (hi + 1, ~0U);

  byte = probe_device (kvm_fd, result_fd);
  if (write (result_fd, &byte, 1) != 1)
    _exit (1);
  _exit (0);
}

/* --- Parent side. */

/* Reap without ever blocking for long: a child stuck in the kernel may
 * not die promptly even after SIGKILL.  If it is still there after the
 * grace period it is left as a (future) zombie.  ECHILD means the
 * caller reaps children itself (or ignores SIGCHLD): nothing to do.
 */
static void
reap_child (pid_t pid)
{
  int64_t give_up = now_ms () + REAP_GRACE_MS;
  int status;
  pid_t r;

  for (;;) {
    r = waitpid (pid, &status, WNOHANG);
    if (r == pid || (r == -1 && errno != EINTR))
      return;
    if (now_ms () >= give_up)
      return;
    if (r == 0)
      sleep_ms (1);
  }
}

/* Wait for the child's one-byte answer, then for end-of-file on the
 * pipe, which comes when the child has exited.  Returns the answer, or
 * PROBE_TIMEOUT / PROBE_TOO_SLOW (deadline passed before / after the
 * vCPU ran its first instruction) or PROBE_CHILD_FAILED (it died
 * without answering).  *exited says whether EOF came.
 */
static enum probe_result
read_answer (int fd, int deadline_ms, bool *exited)
{
  enum probe_result timeout_result = PROBE_TIMEOUT;
  int64_t deadline = now_ms () + deadline_ms;
  int64_t remaining;
  struct pollfd pfd;
  unsigned char byte;
  int answer = -1;
  ssize_t n;
  int r;

  *exited = false;
  while ((remaining = deadline - now_ms ()) > 0) {
    pfd.fd = fd;
    pfd.events = POLLIN;
    r = poll (&pfd, 1, remaining > INT32_MAX ? INT32_MAX : (int) remaining);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    n = read (fd, &byte, 1);
    if (n == -1 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n == 0) {
      *exited = true;
      break;
    }
    if (n == -1 || answer >= 0)
      break;
    if (byte == CHILD_RAN)
      timeout_result = PROBE_TOO_SLOW;
    else {
      answer = byte < NR_PROBE_RESULTS ? byte : PROBE_CHILD_FAILED;
      deadline = now_ms () + REAP_GRACE_MS;
    }
  }
  if (answer >= 0)
    return answer;
  return *exited ? PROBE_CHILD_FAILED : timeout_result;
}

static enum probe_result
run_probe_child (int kvm_fd, int deadline_ms)
{
  enum probe_result result;
  pid_t parent = getpid ();
  int fds[2];
  bool exited;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) == -1)
    return PROBE_CHILD_FAILED;
  pid = fork ();
  if (pid == -1) {
    close (fds[0]);
    close (fds[1]);
    return PROBE_CHILD_FAILED;
  }
  if (pid == 0)
    run_in_child (parent, kvm_fd, fds[1]);

  close (fds[1]);
  result = read_answer (fds[0], deadline_ms, &exited);
  close (fds[0]);
  if (!exited)
    kill (pid, SIGKILL);
  reap_child (pid);
  return result;
}

/* --- Verdict cache. */

/* Fill key with "BOOT_ID RELEASE".  Returns 0, or -1 if either part is
 * unavailable or would not survive a round trip through the file.
 */
static int
host_key (char *key, size_t size)
{
  char boot_id[64];
  struct utsname u;
  ssize_t n;
  size_t i;
  int fd;

  fd = open (BOOT_ID_FILE, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return -1;
  n = read (fd, boot_id, sizeof boot_id - 1);
  close (fd);
  if (n <= 0)
    return -1;
  boot_id[n] = '\0';
  boot_id[strcspn (boot_id, "\n")] = '\0';
  if (boot_id[0] == '\0' ||
      boot_id[strspn (boot_id, "0123456789abcdef-")] != '\0')
    return -1;

  if (uname (&u) == -1 || u.release[0] == '\0')
    return -1;
  for (i = 0; u.release[i] != '\0'; i++) {
    if (u.release[i] <= ' ' || u.release[i] > '~')
      return -1;
  }

  n = snprintf (key, size, "%s %s", boot_id, u.release);
  return n > 0 && (size_t) n < size ? 0 : -1;
}

static int
verdict_path (char *path, size_t size, const char *cachedir,
              const char *suffix)
{
  int n = snprintf (path, size, "%s/" VERDICT_FILE "%s", cachedir, suffix);

  return n > 0 && (size_t) n < size ? 0 : -1;
}

/* The file is "KEY VERDICT TOKEN\n".  Returns 0 and sets *result if it
 * holds a well-formed entry for this key, -1 otherwise (missing,
 * stale, truncated or garbage: all just mean "probe again").
 */
static int
cache_lookup (const char *cachedir, const char *key,
              enum probe_result *result)
{
  char path[4096], buf[512], token[32];
  size_t keylen = strlen (key);
  int verdict, fd, end = 0;
  ssize_t n;
  unsigned i;

  if (verdict_path (path, sizeof path, cachedir, "") == -1)
    return -1;
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd == -1)
    return -1;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0 || buf[n - 1] != '\n' || memchr (buf, '\0', n) != NULL)
    return -1;
  buf[n] = '\0';

  if ((size_t) n <= keylen + 1 || memcmp (buf, key, keylen) != 0 ||
      buf[keylen] != ' ')
    return -1;
  if (sscanf (buf + keylen + 1, "%d %31[a-z-]\n%n", &verdict, token,
              &end) != 2 ||
      end == 0 || buf[keylen + 1 + end] != '\0')
    return -1;

  for (i = 0; i < NR_PROBE_RESULTS; i++) {
    if (results[i].token && strcmp (results[i].token, token) == 0 &&
        verdict == (i == PROBE_OK)) {
      *result = i;
      return 0;
    }
  }
  return -1;
}

/* Write to a temporary file and rename it, so readers see either the
 * old entry or the new one, never half of one.  Not fsynced: after a
 * crash an empty or missing file only costs one more probe.
 */
static void
cache_store (const char *cachedir, const char *key, enum probe_result result)
{
  char path[4096], tmp[4096], line[256];
  int fd, len;
  bool ok;

  if (verdict_path (path, sizeof path, cachedir, "") == -1 ||
      verdict_path (tmp, sizeof tmp, cachedir, ".XXXXXX") == -1)
    return;
  len = snprintf (line, sizeof line, "%s %d %s\n",
                  key, result == PROBE_OK, results[result].token);
  if (len <= 0 || (size_t) len >= sizeof line)
    return;

  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd == -1)
    return;
  ok = write (fd, line, len) == len;
  ok = close (fd) == 0 && ok;
  if (!ok || rename (tmp, path) == -1)
    unlink (tmp);
}

/* --- Entry point. */

static int
verdict (enum probe_result result, bool cached, const char **reason)
{
  if (reason)
    *reason = cached ? results[result].cached_reason : results[result].reason;
  return result == PROBE_OK;
}

static enum probe_result
open_result (int err)
{
  switch (err) {
  case ENOENT: case ENODEV: case ENXIO: case ENOTDIR:
    return PROBE_NOT_PRESENT;
  case EACCES: case EPERM: case EROFS:
    return PROBE_PERMISSION;
  default:
    return PROBE_OPEN_FAILED;
  }
}

int
drydock_int_kvm_probe (const char *cachedir, int deadline_ms,
                       const char **reason)
{
  const char *device = secure_getenv (DRYDOCK_INT_FAKE_KVM_DEVICE_ENV);
  enum probe_result result;
  bool use_cache;
  char key[256];
  int kvm_fd;

  use_cache = cachedir != NULL && device == NULL &&
    host_key (key, sizeof key) == 0;
  if (device == NULL)
    device = KVM_DEVICE;
  if (deadline_ms <= 0)
    deadline_ms = DRYDOCK_INT_KVM_PROBE_DEFAULT_DEADLINE_MS;

  kvm_fd = open (device, O_RDWR | O_CLOEXEC);
  if (kvm_fd == -1)
    return verdict (open_result (errno), false, reason);

  if (use_cache && cache_lookup (cachedir, key, &result) == 0) {
    close (kvm_fd);
    return verdict (result, true, reason);
  }

  result = run_probe_child (kvm_fd, deadline_ms);
  close (kvm_fd);
  if (use_cache && results[result].token != NULL)
    cache_store (cachedir, key, result);
  return verdict (result, false, reason);
}
