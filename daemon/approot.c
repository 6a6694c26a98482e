/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The appliance's root image.  The initrd holds only what the daemon
 * needs to start (itself, its libraries, the boot modules); the tools
 * with their libraries, the other modules and lvm.conf are on a
 * read-only ext4 disk that the library attaches with the virtio serial
 * "appliance".  Mounting it on /approot and binding its directories over
 * the initrd's puts them at their usual paths.  The daemon itself keeps
 * running from the initrd: its loader and libraries are mapped already,
 * and the image holds the same files for whatever runs later.
 *
 * Separate from devices.c: this disk is not a guest drive and never
 * gets an API name (devices_init only maps the serials "dN"). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define APPROOT "/approot"

/* Directories of the image that replace the initrd's.  On a merged-/usr
 * host /bin, /sbin, /lib and /lib64 are symlinks into /usr in both, so
 * only /usr and /etc/lvm are bound; the others are for hosts without
 * merged /usr. */
static const char *const bound_dirs[] = {
  "usr", "bin", "sbin", "lib", "lib64", "etc/lvm",
};

static int
has_root_serial (const char *disk)
{
  char path[300], serial[64];
  int fd;
  ssize_t n;

  snprintf (path, sizeof path, "/sys/block/%s/serial", disk);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return 0;
  n = read (fd, serial, sizeof serial - 1);
  close (fd);
  if (n <= 0)
    return 0;
  serial[n] = '\0';
  serial[strcspn (serial, "\n")] = '\0';
  return strcmp (serial, APPLIANCE_ROOT_SERIAL) == 0;
}

/* Writes "/dev/vdX" into dev.  -1 with errno ENOENT if there is none. */
static int
find_root_disk (char *dev, size_t n)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct dirent *e;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    if (strncmp (e->d_name, "vd", 2) == 0 && has_root_serial (e->d_name)) {
      snprintf (dev, n, "/dev/%s", e->d_name);
      return 0;
    }
  errno = ENOENT;
  return -1;
}

/* Binds APPROOT/name over /name when the image has that directory and
 * the initrd's /name is a directory (or missing), not a symlink into
 * one that is bound already. */
static int
bind_dir (const char *name)
{
  char src[64], dst[64];
  struct stat st;

  snprintf (src, sizeof src, APPROOT "/%s", name);
  snprintf (dst, sizeof dst, "/%s", name);
  if (lstat (src, &st) == -1 || !S_ISDIR (st.st_mode))
    return 0;
  if (lstat (dst, &st) == 0 && !S_ISDIR (st.st_mode))
    return 0;
  if (mkdir (dst, 0755) == -1 && errno != EEXIST)
    return -1;
  if (mount (src, dst, NULL, MS_BIND, NULL) == -1)
    return -1;
  debug ("%s bound on %s", src, dst);
  return 0;
}

int
mount_appliance_root (void)
{
  long t0 = now_ms ();
  char dev[300];
  int tries;

  /* virtio_blk probes while it loads, so the disk is normally there
   * already; give a late probe a moment anyway. */
  for (tries = 0; find_root_disk (dev, sizeof dev) == -1; ++tries) {
    if (tries == 100) {
      fprintf (stderr, "drydockd: no disk with serial \"%s\": the appliance "
               "tools are missing\n", APPLIANCE_ROOT_SERIAL);
      return -1;
    }
    usleep (10000);
  }
  mkdir (APPROOT, 0755);
  if (mount (dev, APPROOT, "ext4", MS_RDONLY | MS_NODEV | MS_NOSUID,
             NULL) == -1) {
    fprintf (stderr, "drydockd: mount %s on " APPROOT ": %m\n", dev);
    return -1;
  }
  for (size_t i = 0; i < sizeof bound_dirs / sizeof bound_dirs[0]; ++i)
    if (bind_dir (bound_dirs[i]) == -1) {
      fprintf (stderr, "drydockd: bind " APPROOT "/%s: %m\n", bound_dirs[i]);
      return -1;
    }
  debug ("appliance root %s mounted in %ld ms", dev, now_ms () - t0);
  return 0;
}
