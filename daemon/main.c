/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydockd's entry point.  It is PID 1 of the appliance: it mounts the
 * kernel filesystems, loads the boot modules, finds the virtio-serial
 * channel, says hello to the library and serves calls until the library
 * goes away or asks for shutdown.  No shell, no udev.  An appliance
 * booted to be saved (drydock.snapshot=1) also loads the virtio-scsi
 * modules, and is restored later already past its hello (snapshot.c). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

int verbose;
/* drydock.network=1: bring up the network (network.c). */
static int network_mode;

void
debug (const char *fs, ...)
{
  va_list args;

  if (!verbose)
    return;
  fputs ("drydockd: ", stderr);
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

long
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
ms_since_boot (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
mount_kernel_filesystems (void)
{
  mkdir ("/proc", 0755);
  mkdir ("/sys", 0755);
  mkdir ("/dev", 0755);
  mkdir ("/run", 0755);
  mkdir ("/tmp", 01777);
  mkdir (SYSROOT, 0755);
  mount ("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount ("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount ("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  mount ("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  mount ("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  mkdir ("/dev/pts", 0755);
  mkdir ("/dev/shm", 01777);
}

static void
open_console (void)
{
  int fd = open ("/dev/console", O_RDWR | O_NOCTTY);

  if (fd == -1)
    return;
  dup2 (fd, 0);
  dup2 (fd, 1);
  dup2 (fd, 2);
  if (fd > 2)
    close (fd);
  setvbuf (stderr, NULL, _IOLBF, 0);
}

static void
read_cmdline (void)
{
  char buf[4096];
  int fd = open ("/proc/cmdline", O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd == -1)
    return;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return;
  buf[n] = '\0';
  if (strstr (buf, APPLIANCE_CMDLINE_VERBOSE))
    verbose = 1;
  if (strstr (buf, APPLIANCE_CMDLINE_SNAPSHOT))
    snapshot_mode = 1;
  if (strstr (buf, APPLIANCE_CMDLINE_NETWORK))
    network_mode = 1;
}

/* The port named APPLIANCE_CHANNEL_NAME:
 * /sys/class/virtio-ports/vportNpM/name. */
static int
open_channel (void)
{
  for (int tries = 0; tries < 500; ++tries) {
    CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/class/virtio-ports");
    struct dirent *e;

    while (d && (e = readdir (d)) != NULL) {
      char path[512], name[128] = "";
      int fd;
      ssize_t n;

      if (e->d_name[0] == '.')
        continue;
      snprintf (path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd == -1)
        continue;
      n = read (fd, name, sizeof name - 1);
      close (fd);
      if (n <= 0)
        continue;
      name[n] = '\0';
      name[strcspn (name, "\n")] = '\0';
      if (strcmp (name, APPLIANCE_CHANNEL_NAME) != 0)
        continue;
      snprintf (path, sizeof path, "/dev/%s", e->d_name);
      fd = open (path, O_RDWR | O_CLOEXEC);
      if (fd >= 0)
        return fd;
    }
    usleep (10000);
  }
  return -1;
}

static void
send_hello (long boot_ms, long init_ms)
{
  struct wire_buf w = WIRE_BUF_INIT;

  wire_put_u32 (&w, WIRE_HELLO);
  wire_put_string (&w, PACKAGE_VERSION);
  wire_put_u64 (&w, (uint64_t) boot_ms);
  wire_put_u64 (&w, (uint64_t) init_ms);
  if (wire_send_frame (chan_fd, &w) == -1)
    debug ("hello: %m");
  wire_buf_free (&w);
}

static void __attribute__((noreturn))
power_off (void)
{
  sync ();
  reboot (RB_AUTOBOOT);
  reboot (RB_POWER_OFF);
  for (;;)
    pause ();
}

int
main (int argc, char *argv[])
{
  long boot_ms = ms_since_boot (), t;

  (void) argc; (void) argv;
  if (getpid () == 1) {
    mount_kernel_filesystems ();
    open_console ();
  }
  setenv ("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setenv ("LC_ALL", "C", 1);
  setenv ("HOME", "/root", 1);
  umask (022);
  read_cmdline ();
  debug ("started at %ld ms after boot", boot_ms);

  t = ms_since_boot ();
  if (load_boot_modules () == -1)
    debug ("some boot modules did not load");
  debug ("boot modules loaded in %ld ms", ms_since_boot () - t);
  mount_appliance_root ();
  if (snapshot_mode && snapshot_prepare () == -1)
    power_off ();
  if (network_mode && network_up () == -1)
    fprintf (stderr, "drydockd: the network did not come up: %m\n");

  chan_fd = open_channel ();
  if (chan_fd == -1) {
    fprintf (stderr, "drydockd: virtio-serial channel %s not found\n",
             APPLIANCE_CHANNEL_NAME);
    power_off ();
  }
  if (devices_init () == -1)
    debug ("devices_init: %m");
  send_hello (boot_ms, ms_since_boot () - boot_ms);
  proto_serve ();
  if (shutdown_requested) {
    /* Let the reply reach the host: it closes the channel when it has it. */
    struct pollfd p = { chan_fd, POLLIN | POLLHUP, 0 };
    poll (&p, 1, 1000);
  }
  umount_all_internal ();
  power_off ();
}
