/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Windows roots: finding the system root, reading the SOFTWARE and
 * SYSTEM hives (the registry part is inspect-hive.c) and mapping the
 * drive letters of MountedDevices to the appliance's devices.  Only
 * this file knows where Windows keeps things on disk. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "inspect.h"
#include "inspect-hive.h"

/* How much of an executable is read for its PE header. */
#define PE_HEAD_MAX (64 * 1024)

/* Where a Windows root keeps what inspection reads: guest paths as
 * they are spelled on disk. */
struct win_paths {
  char *systemroot;             /* "/Windows" */
  char *software, *system;      /* ".../System32/config/SOFTWARE" ... */
};

static void
win_paths_free (struct win_paths *p)
{
  free (p->systemroot);
  free (p->software);
  free (p->system);
}

/* Follows the NULL-terminated names down from the guest directory dir,
 * each matched ignoring ASCII case, and sets *path to the result as
 * spelled on disk (caller frees).  1 if every name is there, 0 if not,
 * -1 with errno ENOMEM. */
static int
lookup_path (int rootfd, const char *dir, const char *const *names,
             char **path)
{
  CLEANUP_FREE char *cur = strdup (dir);

  *path = NULL;
  if (cur == NULL)
    return -1;
  for (; *names; ++names) {
    CLEANUP_FREE char *entry = guest_case_lookup (rootfd, cur, *names);
    char *next;

    if (entry == NULL)
      return errno == ENOMEM ? -1 : 0;
    if (asprintf (&next, "%s/%s", strcmp (cur, "/") == 0 ? "" : cur,
                  entry) == -1)
      return -1;
    free (cur);
    cur = next;
  }
  *path = TAKE_PTR (cur);
  return 1;
}

/* Finds the system root: a directory windows or winnt at the top
 * whose system32/config holds the SOFTWARE and SYSTEM hives.  1 and p
 * filled, 0 if there is none, -1 with errno. */
static int
find_systemroot (int rootfd, struct win_paths *p)
{
  static const char *const roots[] = { "windows", "winnt" };
  static const char *const software[] = {
    "system32", "config", "software", NULL
  };
  static const char *const system[] = { "system32", "config", "system", NULL };

  for (size_t i = 0; i < sizeof roots / sizeof roots[0]; ++i) {
    const char *const name[] = { roots[i], NULL };
    int r;

    win_paths_free (p);
    memset (p, 0, sizeof *p);
    r = lookup_path (rootfd, "/", name, &p->systemroot);
    if (r == 1 && guest_is_dir (rootfd, p->systemroot))
      r = lookup_path (rootfd, p->systemroot, software, &p->software);
    if (r == 1)
      r = lookup_path (rootfd, p->systemroot, system, &p->system);
    if (r == -1)
      return -1;
    if (r == 1 && guest_is_file (rootfd, p->software) &&
        guest_is_file (rootfd, p->system))
      return 1;
  }
  win_paths_free (p);
  memset (p, 0, sizeof *p);
  return 0;
}

/* The architecture of System32/cmd.exe, else of ntoskrnl.exe, or NULL. */
static const char *
windows_arch (int rootfd, const char *systemroot)
{
  static const char *const exes[] = { "cmd.exe", "ntoskrnl.exe" };

  for (size_t i = 0; i < sizeof exes / sizeof exes[0]; ++i) {
    const char *const names[] = { "system32", exes[i], NULL };
    CLEANUP_FREE char *path = NULL;
    CLEANUP_FREE unsigned char *buf = NULL;
    CLEANUP_CLOSE int fd = -1;
    ssize_t n;
    size_t len = 0;
    const char *arch;

    if (lookup_path (rootfd, systemroot, names, &path) != 1 ||
        (fd = guest_open_regular (rootfd, path)) == -1 ||
        (buf = malloc (PE_HEAD_MAX)) == NULL)
      continue;
    while (len < PE_HEAD_MAX &&
           (n = pread (fd, buf + len, PE_HEAD_MAX - len, len)) > 0)
      len += n;
    arch = inspect_pe_arch (buf, len);
    if (arch)
      return arch;
  }
  return NULL;
}

/* The libosinfo short ID for a Windows version, or NULL. */
static const char *
windows_osinfo (int major, int minor, int server, const char *build)
{
  long b = build ? strtol (build, NULL, 10) : 0;

  switch (major * 100 + minor) {
  case 501: return server ? NULL : "winxp";
  case 502: return server ? "win2k3" : "winxp";
  case 600: return server ? "win2k8" : "winvista";
  case 601: return server ? "win2k8r2" : "win7";
  case 602: return server ? "win2k12" : "win8";
  case 603: return server ? "win2k12r2" : "win8.1";
  case 1000:
    if (!server)
      return b >= 22000 ? "win11" : "win10";
    if (b >= 26100)
      return "win2k25";
    if (b >= 20348)
      return "win2k22";
    if (b >= 17763)
      return "win2k19";
    return "win2k16";
  default: return NULL;
  }
}

/* Fills r from the SOFTWARE hive: product, variant, versions, build,
 * osinfo.  1, or 0 if that file is no hive hivex can read (then the
 * filesystem is not taken for a Windows root: a look-alike tree of
 * junk is not one), or -1 with errno ENOMEM. */
static int
read_software (int rootfd, const char *path, struct inspect_root *r)
{
  CLEANUP_CLOSE int fd = guest_open_regular (rootfd, path);
  struct hive_os_version v = { .major = -1, .minor = -1 };
  int server, ret = -1;

  if (fd == -1 || hive_read_os_version (fd, &v) == -1) {
    int err = errno;

    hive_os_version_free (&v);
    debug ("inspect_windows: %s: %m", path);
    if (fd >= 0 && err != ENOMEM) {
      char *dev = strdup (r->device);
      CLEANUP_FREE char *api = dev ? map_device_to_api (dev) : NULL;

      inspect_note_damage ("%s: %s: not a registry hive, or a damaged one "
                           "(%s)", api ? api : r->device, path,
                           strerror (err));
    }
    return 0;
  }
  if (v.major >= 0) {
    r->major = v.major;
    r->minor = v.minor >= 0 ? v.minor : 0;
  }
  else if (v.current_version)
    inspect_parse_version (v.current_version, &r->major, &r->minor);
  /* InstallationType is "Client", "Server", "Server Core", "Nano
   * Server" ...; older systems only say it in their product name. */
  server = v.installation_type ? strstr (v.installation_type, "Server") != NULL
    : v.product_name && strstr (v.product_name, "Server") != NULL;
  if (inspect_set (&r->product_name, v.product_name) == 0 &&
      inspect_set (&r->product_variant, v.installation_type) == 0 &&
      inspect_set (&r->build_id, v.build) == 0 &&
      inspect_set (&r->osinfo, windows_osinfo (r->major, r->minor, server,
                                               v.build)) == 0)
    ret = 1;
  hive_os_version_free (&v);
  return ret;
}

/* The start of partition part (/dev/vda1) in bytes, from sysfs, or
 * -1 if it cannot be read. */
static int64_t
partition_start (const char *part)
{
  char path[300], buf[32];
  CLEANUP_CLOSE int fd = -1;
  ssize_t n;
  char *end;
  unsigned long long sectors;

  snprintf (path, sizeof path, "/sys/class/block/%s/start",
            strncmp (part, "/dev/", 5) == 0 ? part + 5 : part);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1 || (n = read (fd, buf, sizeof buf - 1)) <= 0)
    return -1;
  buf[n] = '\0';
  errno = 0;
  sectors = strtoull (buf, &end, 10);
  if (errno || end == buf || sectors > INT64_MAX / 512)
    return -1;
  return sectors * 512;
}

/* The disks and partitions of the appliance, listed once per root. */
struct devices {
  char **disks, **parts;
};

/* The partition an MBR entry names: on the disk whose signature (at
 * 0x1B8 of a disk with a boot signature) matches, the one starting at
 * its byte offset.  NULL (errno 0) if none, or ENOMEM. */
static char *
mbr_device (const struct hive_drive *d, struct devices *dev)
{
  if (dev->disks == NULL && (dev->disks = appliance_disks ()) == NULL)
    return NULL;
  if (dev->parts == NULL && (dev->parts = appliance_partitions ()) == NULL)
    return NULL;
  for (size_t i = 0; dev->disks[i]; ++i) {
    CLEANUP_CLOSE int fd = open (dev->disks[i], O_RDONLY | O_CLOEXEC);
    unsigned char mbr[512];

    if (fd == -1 || pread (fd, mbr, sizeof mbr, 0) != sizeof mbr ||
        mbr[510] != 0x55 || mbr[511] != 0xAA ||
        memcmp (mbr + 0x1B8, d->disk_signature, 4) != 0)
      continue;
    for (size_t j = 0; dev->parts[j]; ++j) {
      CLEANUP_FREE char *parent = NULL;
      int num;

      if (partition_parent (dev->parts[j], &parent, &num) == 0 &&
          strcmp (parent, dev->disks[i]) == 0 &&
          partition_start (dev->parts[j]) == (int64_t) d->offset)
        return strdup (dev->parts[j]);
    }
  }
  errno = 0;
  return NULL;
}

/* The filesystem of the scan whose partition GUID a GPT entry names. */
static char *
gpt_device (const struct hive_drive *d, const struct inspect_scan *s)
{
  for (size_t i = 0; i < s->nr_fs; ++i)
    if (strcasecmp (s->fs[i].partuuid, d->guid) == 0)
      return strdup (s->fs[i].device);
  errno = 0;
  return NULL;
}

static int
add_drive_mappings (const struct hive_system *sys,
                    const struct inspect_scan *s, struct inspect_root *r)
{
  struct devices dev = { NULL, NULL };
  int ret = 0;

  for (size_t i = 0; i < sys->nr_drives && ret == 0; ++i) {
    const struct hive_drive *d = &sys->drives[i];
    char *device = d->gpt ? gpt_device (d, s) : mbr_device (d, &dev);

    if (device == NULL) {
      if (errno == ENOMEM)
        ret = -1;
      continue;
    }
    if (strlist_addf (&r->drive_mappings, "%c", d->letter) == -1 ||
        strlist_add_take (&r->drive_mappings, device) == -1)
      ret = -1;
  }
  free_string_list (dev.disks);
  free_string_list (dev.parts);
  return ret;
}

/* Fills r from the SYSTEM hive: control set, host name, drive letters.
 * A hive that cannot be read leaves them unknown.  0, or -1 with errno
 * ENOMEM. */
static int
read_system (int rootfd, const char *path, const struct inspect_scan *s,
             struct inspect_root *r)
{
  CLEANUP_CLOSE int fd = guest_open_regular (rootfd, path);
  struct hive_system sys = { NULL, NULL, NULL, 0 };
  int ret = -1;

  if (fd == -1 || hive_read_system (fd, &sys) == -1) {
    hive_system_free (&sys);
    debug ("inspect_windows: %s: %m", path);
    return inspect_set (&r->windows_control_set, "unknown");
  }
  /* NULL windows_* fields mark the roots that are not Windows. */
  if (inspect_set (&r->windows_control_set,
                   sys.control_set ? sys.control_set : "unknown") == 0 &&
      inspect_set (&r->hostname, sys.hostname) == 0 &&
      add_drive_mappings (&sys, s, r) == 0)
    ret = 0;
  hive_system_free (&sys);
  return ret;
}

int
inspect_windows (int rootfd, const struct inspect_scan *s,
                 struct inspect_root *r)
{
  struct win_paths p = { NULL, NULL, NULL };
  int found = find_systemroot (rootfd, &p);

  if (found == 1)
    found = read_software (rootfd, p.software, r);
  if (found == 1) {
    debug ("inspect_windows: %s: system root %s", r->device, p.systemroot);
    if (inspect_set (&r->type, "windows") == -1 ||
        inspect_set (&r->distro, "windows") == -1 ||
        inspect_set (&r->package_format, "unknown") == -1 ||
        inspect_set (&r->package_management, "unknown") == -1 ||
        inspect_set (&r->arch, windows_arch (rootfd, p.systemroot)) == -1 ||
        inspect_set (&r->windows_systemroot, p.systemroot) == -1 ||
        inspect_set (&r->windows_software_hive, p.software) == -1 ||
        inspect_set (&r->windows_system_hive, p.system) == -1 ||
        read_system (rootfd, p.system, s, r) == -1)
      found = -1;
  }
  win_paths_free (&p);
  return found;
}

static int
add_app (void *opaque, const struct inspect_pkg *pkg)
{
  return inspect_app_add (opaque, pkg);
}

int
inspect_windows_apps (int rootfd, const struct inspect_root *r,
                      struct drydock_application_list *apps)
{
  CLEANUP_CLOSE int fd = -1;

  if (r->windows_software_hive == NULL) {
    errno = EINVAL;
    return -1;
  }
  fd = guest_open_regular (rootfd, r->windows_software_hive);
  if (fd == -1)
    return -1;
  return hive_list_apps (fd, add_app, apps) == 0 ? 0 : -1;
}
