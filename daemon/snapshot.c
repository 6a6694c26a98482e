/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's side of a snapshot launch.  The library boots an
 * appliance without drives (drydock.snapshot=1), saves it once it has
 * said hello, and later restores that state instead of booting.  The
 * drives then arrive after the restore, as SCSI disks hot-added to a
 * virtio-scsi controller; the internal attach call finds them and
 * refreshes what a restore leaves stale: the clock and the random pool.
 *
 * Separate from devices.c, which maps names: this file makes the disks
 * appear, in an order that gives them their API names. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* From the attach call until every disk is there. */
#define ATTACH_TIMEOUT_MS 5000
#define MAX_ATTACH 255
#define POLL_US 2000

int snapshot_mode;

int
snapshot_prepare (void)
{
  /* load_module says 0 for a module it does not know (built in): the
   * check that the controller works is the host scan in attach. */
  if (load_module ("virtio_scsi") == -1 || load_module ("sd_mod") == -1) {
    fprintf (stderr, "drydockd: cannot load the virtio-scsi modules\n");
    return -1;
  }
  /* Loaded once here, it is in every restored appliance: inspection
   * always loads dm_mod (for LVM), and a module loaded after a restore
   * costs each launch its relocation and init under TCG.  Filesystem
   * modules are not preloaded: xfs, vfat and fuse together added about
   * 1 s to the boot that saves (the first launch), for the launches on
   * those filesystems only.  Failures are left to the first use. */
  load_module ("dm_mod");
  return 0;
}

int
snapshot_wait_for_host (void)
{
  static int said;

  if (!snapshot_mode)
    return -1;
  /* A port the host has closed reads as end of file at once and polls
   * readable until the host opens it again: nothing to wait on but time.
   * The machine is stopped for the save itself; this only covers a host
   * that closes early. */
  if (!said) {
    debug ("host closed the channel: waiting for it to reopen");
    said = 1;
  }
  usleep (10000);
  return 0;
}

/* 0 once path exists, -1 with errno ETIMEDOUT after the deadline. */
static int
wait_for_path (const char *path, long deadline)
{
  struct stat st;

  while (stat (path, &st) == -1) {
    if (now_ms () > deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    usleep (POLL_US);
  }
  return 0;
}

/* The SCSI host number of the virtio-scsi controller, or -1. */
static int
find_scsi_host (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/class/scsi_host");
  struct dirent *e;

  while (d && (e = readdir (d)) != NULL) {
    char path[300], name[64] = "";
    int fd;
    ssize_t n;

    if (strncmp (e->d_name, "host", 4) != 0)
      continue;
    snprintf (path, sizeof path, "/sys/class/scsi_host/%s/proc_name", e->d_name);
    fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
      continue;
    n = read (fd, name, sizeof name - 1);
    close (fd);
    if (n > 0 && strncmp (name, "virtio_scsi", 11) == 0)
      return atoi (e->d_name + 4);
  }
  return -1;
}

/* Scans target (LUN 0) of the host and waits for its SCSI disk to be
 * probed far enough to have its index: the sd driver probes
 * asynchronously, so scanning the next target before that could give
 * the later drive the earlier name. */
static int
scan_target (int host, int target, long deadline)
{
  char path[64], req[32], disk[64];
  int fd, len, r;

  snprintf (path, sizeof path, "/sys/class/scsi_host/host%d/scan", host);
  len = snprintf (req, sizeof req, "0 %d 0", target);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd == -1)
    return -1;
  r = write (fd, req, (size_t) len) == len ? 0 : -1;
  close (fd);
  if (r == -1)
    return -1;
  snprintf (disk, sizeof disk, "/sys/class/scsi_disk/%d:0:%d:0", host, target);
  return wait_for_path (disk, deadline);
}

/* Opens dev once it can be opened: its node appears before the kernel
 * has finished adding the disk (ENXIO until then).  The open itself
 * waits for the partition scan, so the partitions are there after. */
static int
open_disk (const char *dev, long deadline)
{
  int fd;

  while ((fd = open (dev, O_RDONLY | O_CLOEXEC)) == -1) {
    if (errno != ENXIO && errno != ENOENT)
      return -1;
    if (now_ms () > deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    usleep (POLL_US);
  }
  close (fd);
  return 0;
}

/* Waits until the disk of host:0:target:0 is a block device that opens. */
static int
wait_disk (int host, int target, long deadline)
{
  char dir[96], dev[300] = "";
  struct stat st;

  snprintf (dir, sizeof dir, "/sys/class/scsi_disk/%d:0:%d:0/device/block",
            host, target);
  while (dev[0] == '\0' || stat (dev, &st) == -1 || !S_ISBLK (st.st_mode)) {
    CLEANUP_CLOSEDIR DIR *d = NULL;
    struct dirent *e;

    if (now_ms () > deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    if (dev[0] == '\0' && (d = opendir (dir)) != NULL)
      while ((e = readdir (d)) != NULL)
        if (e->d_name[0] != '.')
          snprintf (dev, sizeof dev, "/dev/%s", e->d_name);
    usleep (POLL_US);
  }
  return open_disk (dev, deadline);
}

static void
set_clock (int64_t now_ns)
{
  struct timespec ts = { .tv_sec = now_ns / 1000000000,
                         .tv_nsec = now_ns % 1000000000 };

  if (now_ns > 0 && clock_settime (CLOCK_REALTIME, &ts) == -1)
    debug ("clock_settime: %m");
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Every restore starts from the same random pool: mix in the host's
 * bytes and make the kernel rekey now rather than within a minute. */
static void
reseed_random (const char *hex)
{
  unsigned char buf[64];
  size_t n = 0;
  int fd;

  for (; n < sizeof buf && hex_value (hex[0]) >= 0 && hex_value (hex[1]) >= 0;
       hex += 2)
    buf[n++] = (unsigned char) (hex_value (hex[0]) << 4 | hex_value (hex[1]));
  fd = open ("/dev/urandom", O_WRONLY | O_CLOEXEC);
  if (fd == -1)
    return;
  if ((n && write (fd, buf, n) != (ssize_t) n) ||
      ioctl (fd, RNDRESEEDCRNG) == -1)
    debug ("reseeding the random pool: %m");
  close (fd);
}

static void
set_verbose (int v)
{
  int fd;

  verbose = v;
  if (!v)
    return;
  /* The saved kernel was booted quiet. */
  fd = open ("/proc/sys/kernel/printk", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (write (fd, "7", 1) != 1)
      debug ("printk level: %m");
    close (fd);
  }
}

int
do_internal_attach_drives (int n, int64_t now_ns, int v, const char *entropy)
{
  long t0 = now_ms (), deadline = t0 + ATTACH_TIMEOUT_MS;
  int host = -1;

  set_verbose (v);
  set_clock (now_ns);
  reseed_random (entropy);
  if (n < 0 || n > MAX_ATTACH)
    return reply_with_error_errno (EINVAL, "%d drives: expected 0 to %d",
                                   n, MAX_ATTACH);
  if (n > 0 && (host = find_scsi_host ()) == -1)
    return reply_with_error_errno (ENODEV, "no virtio-scsi controller");
  for (int k = 0; k < n; ++k)
    if (scan_target (host, k, deadline) == -1)
      return reply_with_perror ("drive %d: SCSI target %d of host %d", k, k, host);
  for (int k = 0; k < n; ++k)
    if (wait_disk (host, k, deadline) == -1)
      return reply_with_perror ("drive %d: disk of SCSI target %d", k, k);
  if (devices_init () == -1)
    return reply_with_perror ("/sys/block");
  if (!devices_named_as_api (n))
    return reply_with_error_errno (EIO, "the SCSI disks did not get the "
                                   "names of their drives");
  debug ("%d drives attached in %ld ms", n, now_ms () - t0);
  return 0;
}
