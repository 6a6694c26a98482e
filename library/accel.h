/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* drydock - KVM usability probe (internal to libdrydock).
 *
 * Convention of this module: functions return a verdict, not an error
 * code.  drydock_int_kvm_probe returns 1 (KVM runs guest code) or 0
 * (it does not, or the probe could not tell); it never returns -1,
 * never prints, never exits and does not leave errno meaningful.  The
 * reason for a 0 verdict is a static string the caller must not free.
 */

#ifndef DRYDOCK_ACCEL_H
#define DRYDOCK_ACCEL_H

/* Deadline callers should pass unless they have a reason not to.  A
 * working KVM answers in a few milliseconds, so this only matters on
 * hosts where the vCPU hangs.
 */
#define DRYDOCK_INT_KVM_PROBE_DEFAULT_DEADLINE_MS 300

/* Test hook: if this environment variable is set, its value is opened
 * instead of /dev/kvm and the verdict cache is neither read nor
 * written (the cache key does not cover the device path).
 */
#define DRYDOCK_INT_FAKE_KVM_DEVICE_ENV "DRYDOCK_FAKE_KVM_DEVICE"

/* Decide whether KVM can actually run guest code, at hardware speed.
 *
 * Opening the device is checked on every call (it is cheap and its
 * answer can change, e.g. after a group change).  The expensive part
 * runs in a forked child: create a VM with one vCPU in 64-bit mode,
 * run "out 0x42 to port 0x10", then a loop of a million iterations
 * that must take under 20 ms of CPU time (hardware: well under 1 ms; a
 * KVM that emulates instructions: seconds), then "out 0x43" and "hlt",
 * checking each exit.  A child that is too slow is interrupted by a
 * CPU-time timer, so an emulating KVM is detected in about 20 ms.
 * Because a vCPU can also hang inside KVM_RUN for good, the parent
 * waits at most deadline_ms (<= 0 means the default above), then
 * SIGKILLs the child and tries to reap it for a short grace period (at
 * most ~50 ms).  A child that is stuck in the kernel and cannot be
 * reaped in that time is left behind: it becomes a zombie of the
 * calling process once the kernel lets it die (it is never reaped
 * unless the caller waits for all children).  The child closes every
 * inherited file descriptor first, so a stuck child never holds the
 * caller's pipes, sockets or disk images open, and it dies with the
 * caller (PR_SET_PDEATHSIG).
 *
 * If cachedir is not NULL (it must already exist), a definitive
 * verdict from the child is stored atomically in CACHEDIR/kvm-verdict
 * as one line "BOOT_ID KERNEL_RELEASE 0|1 TOKEN", and later calls whose
 * boot id and kernel release match reuse it without forking.  Transient
 * failures (fork failed, KVM_CREATE_VM ran out of memory, ...) are not
 * cached.  Cache errors are ignored: the verdict is still returned.
 *
 * Returns 1 if KVM works, 0 if not.  If reason is not NULL it receives
 * NULL for a 1 verdict, or a static string saying why not, e.g.
 * "/dev/kvm not present", "/dev/kvm: permission denied",
 * "KVM vCPU did not run a test instruction within the deadline",
 * "KVM vCPU too slow: ..."; a verdict taken from the cache is
 * prefixed with "cached verdict: ".
 *
 * Must not be called between fork and exec in a child of a
 * multithreaded process (it forks and waits).  Thread-safe otherwise;
 * concurrent callers sharing a cachedir may both probe, and the last
 * rename wins.  While it runs, SIGCHLD may be delivered to the caller.
 */
extern int drydock_int_kvm_probe (const char *cachedir, int deadline_ms,
                                  const char **reason);

#endif /* DRYDOCK_ACCEL_H */
