/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device names.  The library attaches drive N with the serial "dN":
 * a virtio-blk disk (cold boot) or a SCSI disk hot-added after a
 * snapshot restore (see snapshot.c), so whatever order the kernel probes
 * them in, drive N is /dev/sdX with X the N-th letter in the API.  Here
 * API names (/dev/sdX, /dev/vdX, /dev/hdX, with partition numbers)
 * become appliance names and back. */

#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define MAX_DISKS APPLIANCE_MAX_DRIVES

/* disk_name[i]: appliance kernel name ("vdb") of drive i, or NULL. */
static char *disk_name[MAX_DISKS];
static int n_disks;

int
read_sysfs_line (const char *path, char *buf, size_t n)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t k;

  if (fd == -1)
    return -1;
  k = read (fd, buf, n - 1);
  close (fd);
  if (k < 0)
    return -1;
  buf[k] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return 0;
}

static void
drive_letters (int idx, char *out)
{
  char tmp[8];
  int n = 0;

  idx++;
  while (idx > 0) {
    idx--;
    tmp[n++] = (char) ('a' + idx % 26);
    idx /= 26;
  }
  for (int i = 0; i < n; ++i)
    out[i] = tmp[n - 1 - i];
  out[n] = '\0';
}

/* The serial of a SCSI disk: the unit serial number VPD page (0x80),
 * 4 header bytes then the serial, which qemu pads with blanks. */
static int
read_scsi_serial (const char *disk, char *serial, size_t n)
{
  char path[300];
  unsigned char page[260];
  size_t len;
  ssize_t k;
  int fd;

  snprintf (path, sizeof path, "/sys/block/%s/device/vpd_pg80", disk);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return -1;
  k = read (fd, page, sizeof page);
  close (fd);
  if (k < 4 || page[1] != 0x80)
    return -1;
  len = (size_t) page[2] << 8 | page[3];
  if (len > (size_t) k - 4 || len >= n)
    return -1;
  memcpy (serial, page + 4, len);
  while (len > 0 && serial[len - 1] == ' ')
    len--;
  serial[len] = '\0';
  return 0;
}

/* The drive index of a whole disk from its serial "dN", or -1. */
static int
drive_index (const char *disk)
{
  const size_t prefix = strlen (APPLIANCE_DRIVE_SERIAL_PREFIX);
  char path[300], serial[256];
  char *end;
  long i;
  int r;

  if (strncmp (disk, "vd", 2) == 0) {
    snprintf (path, sizeof path, "/sys/block/%s/serial", disk);
    r = read_sysfs_line (path, serial, sizeof serial);
  }
  else if (strncmp (disk, "sd", 2) == 0)
    r = read_scsi_serial (disk, serial, sizeof serial);
  else
    return -1;
  if (r == -1 || strncmp (serial, APPLIANCE_DRIVE_SERIAL_PREFIX, prefix) != 0)
    return -1;
  i = strtol (serial + prefix, &end, 10);
  if (end == serial + prefix || *end || i < 0 || i >= MAX_DISKS)
    return -1;
  return (int) i;
}

/* 1 if the kernel found partitions on the whole disk name ("sda"). */
static int
has_partitions (const char *name)
{
  char path[300];
  CLEANUP_CLOSEDIR DIR *d = NULL;
  struct dirent *e;

  snprintf (path, sizeof path, "/sys/block/%s", name);
  d = opendir (path);
  while (d && (e = readdir (d)) != NULL)
    if (strncmp (e->d_name, name, strlen (name)) == 0)
      return 1;
  return 0;
}

/* 1 if sector 0 of dev is a protective MBR (an entry of type 0xee):
 * the disk says it holds a GPT. */
static int
has_protective_mbr (const char *dev)
{
  unsigned char mbr[512];
  int fd = open (dev, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd == -1)
    return 0;
  n = pread (fd, mbr, sizeof mbr, 0);
  close (fd);
  if (n != (ssize_t) sizeof mbr || mbr[510] != 0x55 || mbr[511] != 0xaa)
    return 0;
  for (int i = 0; i < 4; ++i)
    if (mbr[446 + 16 * i + 4] == 0xee)
      return 1;
  return 0;
}

/* A disk whose primary GPT is damaged but whose backup (at its end) is
 * valid: the kernel reads the backup only with "gpt" on its command
 * line, which would also make it take a stale GPT over a valid MBR.
 * partx (libblkid) reads the backup of a disk with a protective MBR, as
 * parted and sfdisk do, and adds its partitions to the kernel's view of
 * the disk (BLKPG): nothing is written to the disk. */
static void
add_backup_gpt_partitions (const char *name)
{
  char dev[300];
  char *argv[] = { "partx", "--add", dev, NULL };
  CLEANUP_FREE char *err = NULL;
  int r;

  if (has_partitions (name))
    return;
  snprintf (dev, sizeof dev, "/dev/%s", name);
  if (!has_protective_mbr (dev))
    return;
  r = run_command (NULL, &err, argv);
  debug ("%s: no partitions from the primary GPT; partx from the backup: "
         "status %d%s%s", dev, r, err && *err ? ": " : "", err ? err : "");
}

int
devices_init (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct dirent *e;

  for (int i = 0; i < n_disks; ++i) {
    free (disk_name[i]);
    disk_name[i] = NULL;
  }
  n_disks = 0;
  lvm_auto_reset ();
  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL) {
    int i = drive_index (e->d_name);

    if (i == -1)
      continue;
    free (disk_name[i]);
    disk_name[i] = strdup (e->d_name);
    if (i + 1 > n_disks)
      n_disks = i + 1;
    debug ("drive %d is /dev/%s", i, e->d_name);
  }
  for (int i = 0; i < n_disks; ++i)
    if (disk_name[i])
      add_backup_gpt_partitions (disk_name[i]);
  return 0;
}

int
appliance_drive_of (const char *name)
{
  for (int i = 0; i < n_disks; ++i)
    if (disk_name[i] && strcmp (disk_name[i], name) == 0)
      return i;
  return -1;
}

int
devices_named_as_api (int n)
{
  for (int i = 0; i < n; ++i) {
    char api[16] = "sd";

    drive_letters (i, api + 2);
    if (i >= n_disks || disk_name[i] == NULL ||
        (strncmp (disk_name[i], "sd", 2) == 0 && strcmp (disk_name[i], api) != 0))
      return 0;
  }
  return 1;
}

/* "sdab12" style: prefix of 2 letters, drive letters, optional number.
 * Returns the drive index and sets *part (0 = whole disk), or -1. */
static int
parse_api_name (const char *name, int *part)
{
  const char *p;
  int idx = 0, n = 0;

  if (strncmp (name, "/dev/", 5) != 0)
    return -1;
  name += 5;
  if (!(strncmp (name, "sd", 2) == 0 || strncmp (name, "vd", 2) == 0 ||
        strncmp (name, "hd", 2) == 0))
    return -1;
  p = name + 2;
  while (*p >= 'a' && *p <= 'z') {
    idx = idx * 26 + (*p - 'a' + 1);
    p++;
    if (++n > 3)
      return -1;
  }
  if (n == 0)
    return -1;
  *part = 0;
  if (*p) {
    char *end;
    long k = strtol (p, &end, 10);
    if (*end || k <= 0 || k > 4096 || !isdigit ((unsigned char) *p))
      return -1;
    *part = (int) k;
  }
  return idx - 1;
}

static int
is_block_device (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISBLK (st.st_mode);
}

char *
resolve_device_quiet (const char *name)
{
  char *dev = NULL;
  int part, idx = parse_api_name (name, &part);

  if (idx >= 0) {
    if (idx >= n_disks || disk_name[idx] == NULL) {
      errno = ENOENT;
      return NULL;
    }
    int r = part ? asprintf (&dev, "/dev/%s%d", disk_name[idx], part)
      : asprintf (&dev, "/dev/%s", disk_name[idx]);
    if (r == -1)
      return NULL;
  }
  else if (strncmp (name, "/dev/", 5) == 0 && strstr (name, "/..") == NULL &&
           strstr (name, "//") == NULL) {
    dev = strdup (name);
    if (dev == NULL)
      return NULL;
  }
  else {
    errno = EINVAL;
    return NULL;
  }
  /* /dev/VG/LV or /dev/mapper/VG-LV of a volume group not activated
   * yet. */
  if (!is_block_device (dev) &&
      !(idx < 0 && lvm_auto_activate () == 1 && is_block_device (dev))) {
    free (dev);
    errno = ENOENT;
    return NULL;
  }
  return dev;
}

char *
resolve_device (const char *action, const char *name)
{
  char *dev = resolve_device_quiet (name);

  (void) action;
  if (dev)
    return dev;
  if (errno == ENOENT && *lvm_auto_complaint () &&
      strncmp (name, "/dev/sd", 7) != 0 && strncmp (name, "/dev/vd", 7) != 0)
    /* A logical volume's path: lvm may have said why it is missing. */
    reply_with_error_errno (ENOENT, "%s: no such device (lvm: %s)", name,
                            lvm_auto_complaint ());
  else if (errno == ENOENT)
    reply_with_error_errno (ENOENT, "%s: no such device", name);
  else if (errno == EINVAL)
    reply_with_error_errno (EINVAL, "%s: not a device name (expected "
                            "/dev/sdX, /dev/sdXN or an LV path)", name);
  else
    reply_with_perror ("%s", name);
  return NULL;
}

char *
map_device_to_api (char *dev)
{
  /* btrfsvol:DEVICE/SUBVOLUME: its device part. */
  if (IS_BTRFSVOL (dev)) {
    char *inner = strdup (dev + 9), *out;

    if (inner == NULL)
      return dev;
    inner = map_device_to_api (inner);
    if (asprintf (&out, "btrfsvol:%s", inner) == -1) {
      free (inner);
      return dev;
    }
    free (inner);
    free (dev);
    return out;
  }
  for (int i = 0; i < n_disks; ++i) {
    size_t n;
    char letters[8], *out;

    if (disk_name[i] == NULL || strncmp (dev, "/dev/", 5) != 0)
      continue;
    n = strlen (disk_name[i]);
    if (strncmp (dev + 5, disk_name[i], n) != 0 ||
        (dev[5 + n] && !isdigit ((unsigned char) dev[5 + n])))
      continue;
    drive_letters (i, letters);
    if (asprintf (&out, "/dev/sd%s%s", letters, dev + 5 + n) == -1)
      return dev;
    free (dev);
    return out;
  }
  return dev;
}

void
map_devices_to_api (char **l, int stride)
{
  for (size_t i = 0; l && l[i]; i += (size_t) stride) {
    l[i] = map_device_to_api (l[i]);
    if (stride == 2 && l[i + 1] == NULL)
      break;
  }
}

int
device_order (const char *x, const char *y)
{
  size_t lx = strcspn (x, "0123456789"), ly = strcspn (y, "0123456789");

  /* vdb < vdaa; vda2 < vda10 */
  if (lx != ly)
    return lx < ly ? -1 : 1;
  int c = strncmp (x, y, lx);
  if (c)
    return c;
  c = atoi (x + lx) - atoi (y + ly);
  return c ? c : strcmp (x, y);
}

static int
compare_devices (const void *a, const void *b)
{
  return device_order (*(char *const *) a, *(char *const *) b);
}

char **
appliance_disks (void)
{
  struct strlist l = STRLIST_INIT;

  for (int i = 0; i < n_disks; ++i)
    if (disk_name[i] && strlist_addf (&l, "/dev/%s", disk_name[i]) == -1) {
      strlist_free (&l);
      return NULL;
    }
  return strlist_take (&l);
}

char **
appliance_partitions (void)
{
  struct strlist l = STRLIST_INIT;

  for (int i = 0; i < n_disks; ++i) {
    char path[300];
    CLEANUP_CLOSEDIR DIR *d = NULL;
    struct dirent *e;

    if (disk_name[i] == NULL)
      continue;
    snprintf (path, sizeof path, "/sys/block/%s", disk_name[i]);
    d = opendir (path);
    while (d && (e = readdir (d)) != NULL) {
      if (strncmp (e->d_name, disk_name[i], strlen (disk_name[i])) != 0)
        continue;
      if (strlist_addf (&l, "/dev/%s", e->d_name) == -1) {
        strlist_free (&l);
        return NULL;
      }
    }
  }
  if (l.v)
    qsort (l.v, l.len, sizeof (char *), compare_devices);
  return strlist_take (&l);
}

int
partition_parent (const char *part, char **disk, int *num)
{
  for (int i = 0; i < n_disks; ++i) {
    size_t n;

    if (disk_name[i] == NULL || strncmp (part, "/dev/", 5) != 0)
      continue;
    n = strlen (disk_name[i]);
    if (strncmp (part + 5, disk_name[i], n) == 0 &&
        isdigit ((unsigned char) part[5 + n])) {
      *num = atoi (part + 5 + n);
      if (asprintf (disk, "/dev/%s", disk_name[i]) == -1)
        return -1;
      return 0;
    }
  }
  errno = EINVAL;
  return -1;
}

void
reread_partitions (const char *disk)
{
  int fd = open (disk, O_RDONLY | O_CLOEXEC);

  if (fd == -1)
    return;
  sync ();
  for (int i = 0; i < 3 && ioctl (fd, BLKRRPART, NULL) == -1 && errno == EBUSY; ++i)
    usleep (20000);
  close (fd);
  if (strncmp (disk, "/dev/", 5) == 0)
    add_backup_gpt_partitions (disk + 5);
}

char **
do_list_devices (void)
{
  char **l = appliance_disks ();

  if (l == NULL)
    reply_with_perror ("/sys/block");
  return l;
}

char **
do_list_partitions (void)
{
  char **l = appliance_partitions ();

  if (l == NULL)
    reply_with_perror ("/sys/block");
  return l;
}

int64_t
do_blockdev_getsize64 (const char *device)
{
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  uint64_t size;

  if (fd == -1)
    return reply_with_perror ("%s", device);
  if (ioctl (fd, BLKGETSIZE64, &size) == -1) {
    reply_with_perror ("%s", device);
    close (fd);
    return -1;
  }
  close (fd);
  return (int64_t) size;
}

/* Rewrites appliance device names in a message (an error from a tool
 * that saw /dev/vda1) to the names the caller used.  SCSI disks of a
 * restored appliance already have the API names (devices_named_as_api). */
void
map_devices_in_text (char *msg, size_t size)
{
  char out[4096];
  size_t o = 0;
  const char *p = msg;

  while (*p && o + 1 < sizeof out) {
    if (strncmp (p, "/dev/vd", 7) == 0) {
      size_t n = 7 + strspn (p + 7, "abcdefghijklmnopqrstuvwxyz");
      char *dev, *api;

      n += strspn (p + n, "0123456789");
      dev = strndup (p, n);
      api = dev ? map_device_to_api (dev) : NULL;
      if (api) {
        o += (size_t) snprintf (out + o, sizeof out - o, "%s", api);
        free (api);
        p += n;
        continue;
      }
    }
    out[o++] = *p++;
  }
  if (o >= sizeof out)
    o = sizeof out - 1;
  out[o] = '\0';
  snprintf (msg, size, "%s", out);
}
