/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The qemu command line and the qemu process.  A microvm machine with
 * virtio-mmio devices and the uncompressed kernel booted through PVH is
 * the fastest cold boot measured under TCG (see BENCHMARKS.md); the same
 * line works under KVM.  The appliance's root image is the last disk,
 * read-only, with the serial the daemon looks for.  The machine a
 * snapshot is made of (snapshot.c) has the same line with no drives but
 * an empty virtio-scsi controller, and a QMP monitor.  qemu dies with
 * the calling process. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock-internal.h"

/* The host TSC rate in kHz: under TCG the guest cannot calibrate on a
 * microvm machine without being told. */
static long
host_tsc_khz (void)
{
  char line[256];
  FILE *fp = fopen ("/sys/devices/system/cpu/cpu0/tsc_freq_khz", "re");
  long khz = 0;

  if (fp) {
    if (fgets (line, sizeof line, fp))
      khz = atol (line);
    fclose (fp);
    if (khz > 0)
      return khz;
  }
  fp = fopen ("/proc/cpuinfo", "re");
  if (fp == NULL)
    return 2000000;
  while (fgets (line, sizeof line, fp)) {
    double mhz;
    if (sscanf (line, "cpu MHz : %lf", &mhz) == 1) {
      khz = (long) (mhz * 1000.0 + 0.5);
      break;
    }
  }
  fclose (fp);
  return khz > 0 ? khz : 2000000;
}

/* Read-only drives are writable in the appliance too: their overlay is
 * always discarded, and a journal replay or a scratch write must work
 * on them, as libguestfs users expect of --ro.  An overlay is written
 * cache=unsafe unless the caller asked for writeback (it only matters
 * after a clean shutdown, which flushes it).  A direct drive is the
 * user's image itself: cache=writeback, not unsafe, so what the guest
 * flushes reaches the host, and qemu's exit flushes the rest.  An
 * error writing the host's file (ENOSPC above all) is reported to the
 * guest (werror=report): qemu's default stops the machine on ENOSPC,
 * which would leave the call waiting forever. */
static int
drive_unsafe (const struct drive *d)
{
  return d->cache == DRIVE_CACHE_DEFAULT ? !d->direct :
    d->cache == DRIVE_CACHE_UNSAFE;
}

static int
add_drives (drydock_h *h, struct strlist *a)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    struct drive *d = &h->drives[i];

    if (strlist_add (a, "-drive") == -1 ||
        strlist_addf (a, "file=%s,format=%s,if=none,id=d%zu,node-name=n%zu,"
                      "cache=%s,discard=%s,detect-zeroes=%s%s",
                      d->direct ? d->filename : d->overlay,
                      d->direct ? d->format : "qcow2", i, i,
                      drive_unsafe (d) ? "unsafe" : "writeback",
                      d->discard_ignore ? "ignore" : "unmap",
                      d->discard_ignore ? "on" : "unmap",
                      d->copyonread ? ",copy-on-read=on" : "") == -1 ||
        strlist_add (a, "-device") == -1 ||
        strlist_addf (a, "virtio-blk-device,drive=d%zu,werror=report,"
                      "rerror=report,serial=" APPLIANCE_DRIVE_SERIAL_FMT
                      ",logical_block_size=%d,physical_block_size=%d",
                      i, i, d->blocksize ? d->blocksize : 512,
                      d->blocksize ? d->blocksize : 512) == -1)
      return -1;
  }
  return 0;
}

/* A file protocol node of path: host_device for a host block device
 * (-drive picks it itself), with qemu's aio mode aio (a JSON string, or
 * NULL for qemu's default).  Caller frees; NULL with errno. */
static char *
file_node (const char *path, const char *aio)
{
  CLEANUP_FREE char *file = drydock_int_json_string (path);
  struct stat st;
  char *s;

  if (file == NULL ||
      asprintf (&s, "{\"driver\":\"%s\",\"filename\":%s%s%s}",
                stat (path, &st) == 0 && S_ISBLK (st.st_mode) ?
                "host_device" : "file", file,
                aio ? ",\"aio\":" : "", aio ? aio : "") == -1)
    return NULL;
  return s;
}

/* Whether the overlay's backing is a local image that the node can
 * open itself, read-only, rather than leave to the overlay's header:
 * then it reads with the same aio mode.  Only a path of a regular file
 * or block device, in a format that needs no options of its own;
 * anything else (URIs, byte ranges, OVA members) keeps the header's. */
static int
local_backing (const struct drive *d)
{
  static const char *const plain[] = {
    "raw", "qcow2", "vmdk", "vdi", "vhdx", "vpc", "qed",
  };
  struct stat st;

  if (d->direct || d->remote || d->backing == NULL ||
      d->backing[0] != '/' || d->backing_format == NULL ||
      stat (d->backing, &st) == -1 ||
      !(S_ISREG (st.st_mode) || S_ISBLK (st.st_mode)))
    return 0;
  for (size_t k = 0; k < sizeof plain / sizeof plain[0]; ++k)
    if (strcmp (d->backing_format, plain[k]) == 0)
      return 1;
  return 0;
}

/* The same node as add_drives' -drive, for QMP blockdev-add, under a
 * copy-on-read filter when the drive asks for it.  With aio (qemu's
 * name of an aio mode; NULL for its default), the image's file and,
 * when it is local, the file of the overlay's backing use that mode:
 * io_uring saves a reading guest a hop through qemu's thread pool for
 * each request. */
char *
drydock_int_blockdev_args (drydock_h *h, size_t i, const char *aio)
{
  const struct drive *d = &h->drives[i];
  const char *path = d->direct ? d->filename : d->overlay;
  CLEANUP_FREE char *mode = aio ? drydock_int_json_string (aio) : NULL;
  CLEANUP_FREE char *file = NULL, *backing = NULL, *node = NULL;
  char *s;

  if ((aio && mode == NULL) || (file = file_node (path, mode)) == NULL)
    return NULL;
  if (aio && local_backing (d)) {
    CLEANUP_FREE char *bfile = file_node (d->backing, mode);

    if (bfile == NULL ||
        asprintf (&backing, ",\"backing\":{\"driver\":\"%s\","
                  "\"read-only\":true,\"file\":%s}",
                  d->backing_format, bfile) == -1)
      return NULL;
  }
  if (asprintf (&node, "{\"driver\":\"%s\",\"node-name\":\"d%zu%s\","
                "\"discard\":\"%s\",\"detect-zeroes\":\"%s\","
                "\"cache\":{\"direct\":false,\"no-flush\":%s},"
                "\"file\":%s%s}",
                d->direct ? d->format : "qcow2", i,
                d->copyonread ? "-cor" : "",
                d->discard_ignore ? "ignore" : "unmap",
                d->discard_ignore ? "on" : "unmap",
                drive_unsafe (d) ? "true" : "false",
                file, backing ? backing : "") == -1)
    return NULL;
  if (!d->copyonread)
    return TAKE_PTR (node);
  if (asprintf (&s, "{\"driver\":\"copy-on-read\",\"node-name\":\"d%zu\","
                "\"file\":%s}", i, node) == -1)
    return NULL;
  return s;
}

/* Shared by every appliance of this cache: never written. */
static int
add_root_image (struct strlist *a, const char *root)
{
  if (strlist_add (a, "-drive") == -1 ||
      strlist_addf (a, "file=%s,format=raw,if=none,id=appliance,readonly=on,"
                    "cache=unsafe", root) == -1 ||
      strlist_add (a, "-device") == -1 ||
      strlist_add (a, "virtio-blk-device,drive=appliance,"
                   "serial=" APPLIANCE_ROOT_SERIAL) == -1)
    return -1;
  return 0;
}

/* The snapshot machine's drives are hot-added after a restore, to a
 * controller that sends no hotplug events: the daemon scans them one by
 * one, so that the kernel names them in drive order. */
static int
add_drives_or_controller (drydock_h *h, struct strlist *a,
                          const struct qemu_opts *o)
{
  if (!o->snapshot)
    return add_drives (h, a);
  if (strlist_add (a, "-device") == -1 ||
      strlist_add (a, "virtio-scsi-device,id=scsi0,hotplug=off") == -1)
    return -1;
  return 0;
}

/* set_network: qemu's user networking (outgoing only, no listening
 * port on the host), on a virtio-net device the daemon configures
 * (daemon/network.c).  Part of the snapshot machine's command line, so
 * a snapshot with a network is kept apart from one without. */
static int
add_network (drydock_h *h, struct strlist *a)
{
  if (!h->network)
    return 0;
  if (strlist_add (a, "-netdev") == -1 ||
      strlist_add (a, "user,id=net0") == -1 ||
      strlist_add (a, "-device") == -1 ||
      strlist_add (a, "virtio-net-device,netdev=net0") == -1)
    return -1;
  return 0;
}

/* The monitor, and a machine that waits for its state (snapshot.c
 * sets the migration capabilities over QMP, then starts the incoming
 * migration from the inherited fd; the machine then waits for cont).
 * The fds are inherited by qemu (see start_qemu). */
static int
add_qmp_and_incoming (struct strlist *a, const struct qemu_opts *o)
{
  if (o->qmp_fd >= 0 &&
      (strlist_add (a, "-chardev") == -1 ||
       strlist_addf (a, "socket,id=qmp,fd=%d", o->qmp_fd) == -1 ||
       strlist_add (a, "-mon") == -1 ||
       strlist_add (a, "chardev=qmp,mode=control") == -1))
    return -1;
  if (o->incoming_fd >= 0 &&
      (strlist_add (a, "-incoming") == -1 ||
       strlist_add (a, "defer") == -1 ||
       strlist_add (a, "-S") == -1))
    return -1;
  return 0;
}

/* config's parameters, last: they may add devices, not change ours.
 * Part of the snapshot machine's command line, so its key. */
static int
add_hv_params (drydock_h *h, struct strlist *a)
{
  for (size_t i = 0; h->hv_params[i]; ++i)
    if (strlist_add (a, h->hv_params[i]) == -1)
      return -1;
  return 0;
}

/* The snapshot machine's guest RAM is a file (snapshot.c): written
 * through while the machine that saves boots (share=on), mapped
 * privately on a restore, so the guest reads pages from the page cache
 * that every restore of this snapshot shares, on first touch only, and
 * its writes stay in this qemu.  qemu opens the file through the fd
 * the library inherited it (no path to escape, and the file is the one
 * snapshot.c opened next to the state). */
static int
add_ram (drydock_h *h, struct strlist *a, const struct qemu_opts *o)
{
  if (!o->snapshot)
    return 0;
  if (strlist_add (a, "-object") == -1 ||
      strlist_addf (a, "memory-backend-file,id=ram,size=%dM,"
                    "mem-path=/proc/self/fd/%d,share=%s", h->memsize,
                    o->ram_fd, o->ram_shared ? "on" : "off") == -1)
    return -1;
  return 0;
}

/* The snapshot machine always boots quiet (its daemon's debug output is
 * switched on by the attach call after a restore); scsi_mod.scan=sync
 * makes the empty controller's scan end before the daemon says hello.
 * Not init_on_free=1: it would make the saved state smaller (67 MB
 * instead of 86) and a restore 14 MB lighter, but it zeroes all guest
 * RAM at boot, so the launch that saves peaks at 650 MB RSS instead of
 * 240 (measured; see BENCHMARKS.md). */
static const char *
append_mode (drydock_h *h, const struct qemu_opts *o)
{
  if (o->snapshot)
    return "quiet " APPLIANCE_CMDLINE_SNAPSHOT " scsi_mod.scan=sync";
  return h->verbose ? APPLIANCE_CMDLINE_VERBOSE : "quiet";
}

char **
drydock_int_qemu_argv (drydock_h *h, const char *kernel, const char *initrd,
                       const char *root, const char *sockpath, int use_kvm,
                       const struct qemu_opts *o)
{
  static const struct qemu_opts cold = { 0, -1, -1, -1, 0 };
  struct strlist a = STRLIST_INIT;
  long khz = host_tsc_khz ();
  CLEANUP_FREE char *append = NULL;
  char tsc[64] = "";
  int ok;

  if (o == NULL)
    o = &cold;
  /* Under TCG, tb-size=64 (MB of translated code): a boot fills about
   * 45 MB of it.  32 saves 12 MB of qemu RSS but cost 0.2-0.5 s of
   * retranslation in interleaved runs (appliance/README.md). */
  if (!use_kvm)
    snprintf (tsc, sizeof tsc, " tsc_early_khz=%ld lpj=%ld", khz, khz * 4);
  /* lsm=capability: no AppArmor, Yama, Landlock or BPF hooks in each
   * lookup and stat (the appliance loads no policy): a cold walk of a
   * tree's 4876 names took 0.37 s instead of 0.39 s in 8 interleaved
   * pairs.  SMAP and SMEP stay: the kernel parses hostile images. */
  if (asprintf (&append, "console=ttyS0 panic=1 reboot=t rodata=off "
                "cryptomgr.notests init_on_alloc=0 8250.nr_uarts=1 "
                "lsm=capability "
                "initcall_blacklist=init_kprobe_trace %s%s%s%s%s",
                append_mode (h, o), h->network ? " " APPLIANCE_CMDLINE_NETWORK :
                "", tsc, h->append ? " " : "", h->append ? h->append : "") == -1)
    return NULL;

  ok = strlist_add (&a, drydock_int_hv (h)) == 0 &&
    strlist_add (&a, "-machine") == 0 &&
    strlist_addf (&a, "microvm,pit=on,pic=on,rtc=on%s",
                  o->snapshot ? ",memory-backend=ram" : "") == 0 &&
    strlist_add (&a, "-accel") == 0 &&
    strlist_add (&a, use_kvm ? "kvm" : "tcg,tb-size=64") == 0 &&
    strlist_add (&a, "-cpu") == 0 &&
    strlist_add (&a, use_kvm ? "host" : "max") == 0 &&
    strlist_add (&a, "-m") == 0 && strlist_addf (&a, "%d", h->memsize) == 0 &&
    strlist_add (&a, "-smp") == 0 && strlist_addf (&a, "%d", h->smp) == 0 &&
    add_ram (h, &a, o) == 0 &&
    strlist_add (&a, "-nodefaults") == 0 &&
    strlist_add (&a, "-no-user-config") == 0 &&
    strlist_add (&a, "-display") == 0 && strlist_add (&a, "none") == 0 &&
    strlist_add (&a, "-no-reboot") == 0 &&
    strlist_add (&a, "-serial") == 0 && strlist_add (&a, "stdio") == 0 &&
    strlist_add (&a, "-device") == 0 &&
    strlist_add (&a, "virtio-serial-device") == 0 &&
    strlist_add (&a, "-chardev") == 0 &&
    strlist_addf (&a, "socket,id=ch0,path=%s", sockpath) == 0 &&
    strlist_add (&a, "-device") == 0 &&
    strlist_add (&a, "virtserialport,chardev=ch0,"
                 "name=" APPLIANCE_CHANNEL_NAME) == 0 &&
    add_drives_or_controller (h, &a, o) == 0 &&
    add_network (h, &a) == 0 &&
    add_root_image (&a, root) == 0 &&
    strlist_add (&a, "-kernel") == 0 && strlist_add (&a, kernel) == 0 &&
    strlist_add (&a, "-initrd") == 0 && strlist_add (&a, initrd) == 0 &&
    strlist_add (&a, "-append") == 0 &&
    strlist_add (&a, append) == 0 &&
    add_qmp_and_incoming (&a, o) == 0 &&
    add_hv_params (h, &a) == 0;
  if (!ok) {
    strlist_free (&a);
    return NULL;
  }
  return strlist_take (&a);
}

/* In the child: the fds named on the command line stay open in qemu. */
/* qemu's environment: the caller's, and, unless the caller tuned it
 * already, glibc's malloc told to keep what it frees.  qemu's NBD
 * server (direct.c's reads) takes a buffer for each request and frees
 * it after the reply; with glibc's own thresholds, a few requests in
 * flight at once (a mount's stream asks 4 pieces ahead) leave the heap
 * top past its trim threshold, it is given back, and the next request
 * faults in and zeroes its megabyte again: 13,000-23,000 page faults in
 * qemu for a 100 MiB cat through a mount, 2,000-2,700 with these
 * (buffers up to 32 MiB from the heap, and 32 MiB of free heap kept).
 * NULL when out of memory; caller frees the array only. */
#define QEMU_TUNABLES "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:" \
  "glibc.malloc.trim_threshold=33554432"

static char **
qemu_environment (void)
{
  size_t n = 0;
  char **env;

  while (environ[n])
    n++;
  env = calloc (n + 2, sizeof *env);
  if (env == NULL)
    return NULL;
  memcpy (env, environ, n * sizeof *env);
  if (getenv ("GLIBC_TUNABLES") == NULL)
    env[n] = (char *) QEMU_TUNABLES;
  return env;
}

static void
inherit (int fd)
{
  if (fd >= 0)
    fcntl (fd, F_SETFD, 0);
}

int
drydock_int_start_qemu (drydock_h *h, const char *kernel, const char *initrd,
                        const char *root, const char *sockpath, int use_kvm,
                        const struct qemu_opts *o)
{
  CLEANUP_FREE_STRING_LIST char **argv =
    drydock_int_qemu_argv (h, kernel, initrd, root, sockpath, use_kvm, o);
  CLEANUP_FREE char **env = qemu_environment ();
  int con[2], watch;
  pid_t pid;

  if (argv == NULL || env == NULL) {
    drydock_int_perror (h, "launch");
    return -1;
  }
  /* A missing qemu is named as such, not reported as a dead appliance. */
  if (strchr (argv[0], '/') && access (argv[0], X_OK) == -1) {
    drydock_int_perror (h, "launch: qemu %s", argv[0]);
    return -1;
  }
  if (h->verbose) {
    CLEANUP_FREE char *line = NULL;
    size_t n = 0;
    FILE *fp = open_memstream (&line, &n);
    if (fp) {
      for (size_t i = 0; argv[i]; ++i)
        fprintf (fp, "%s%s", i ? " " : "", argv[i]);
      fclose (fp);
      drydock_int_debug (h, "%s", line);
    }
  }
  if (pipe2 (con, O_CLOEXEC) == -1) {
    drydock_int_perror (h, "launch: pipe");
    return -1;
  }
  /* Who kills qemu if the caller dies: the reaper when it can watch it
   * (reaper.c), else the kernel when the forking thread ends. */
  watch = drydock_int_reaper_can_watch (h);
  pid = fork ();
  if (pid == -1) {
    drydock_int_perror (h, "launch: fork");
    close (con[0]);
    close (con[1]);
    return -1;
  }
  if (pid == 0) {
    int null = open ("/dev/null", O_RDONLY);
    dup2 (null, 0);
    dup2 (con[1], 1);
    dup2 (con[1], 2);
    signal (SIGPIPE, SIG_DFL);
    signal (SIGINT, SIG_IGN);   /* the library decides when qemu stops */
    /* set_recovery_proc false: qemu outlives the launching thread. */
    if (!watch && h->recovery_proc)
      prctl (PR_SET_PDEATHSIG, SIGKILL);
    /* set_pgroup: the caller's ^C does not reach qemu. */
    if (h->pgroup)
      setpgid (0, 0);
    if (o) {
      inherit (o->qmp_fd);
      inherit (o->incoming_fd);
      inherit (o->ram_fd);
    }
    /* qemu asks for transparent huge pages for its memory.  The guest
     * RAM of a snapshot machine is a file mapping, which gets none, but
     * qemu's own buffers (translated code) would: a restored launch is
     * then 4 MB larger for a third fewer page faults, each of them
     * zeroing 2 MB.  Under KVM huge pages speed the guest up, so they
     * stay. */
    if (o && o->snapshot && !use_kvm)
      prctl (PR_SET_THP_DISABLE, 1, 0, 0, 0);
    execvpe (argv[0], argv, env);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (con[1]);
  if (watch && drydock_int_reaper_watch (h, pid) == -1)
    drydock_int_debug (h, "reaper: qemu (pid %d) will outlive this process "
                       "if it dies", (int) pid);
  h->console_fd = con[0];
  fcntl (h->console_fd, F_SETFL, O_NONBLOCK);
  h->qemu_pid = pid;
  return 0;
}
