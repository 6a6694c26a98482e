/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-inspect-windows: runs inspect_windows and inspect_windows_apps
 * (inspect-windows.c) on the host over a directory tree that looks like
 * a Windows filesystem, and prints the root, one "field=value" line
 * each, for test-inspect-hive.sh to compare.
 *
 *   test-inspect-windows DIR [PARTUUID=DEVICE ...]
 *
 * The appliance's side is stubbed below: guest paths are plain
 * openat(2) paths under DIR, the scan holds one filesystem per
 * PARTUUID=DEVICE argument, and there are no appliance disks (so MBR
 * drive letters stay unmapped; GPT ones map through the scan). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "daemon.h"
#include "inspect.h"

/* A guest path relative to the root fd. */
static const char *
rel (const char *path)
{
  while (*path == '/')
    path++;
  return *path ? path : ".";
}

char *
guest_case_lookup (int rootfd, const char *dir, const char *name)
{
  int fd = openat (rootfd, rel (dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  CLEANUP_CLOSEDIR DIR *d = fd == -1 ? NULL : fdopendir (fd);
  struct dirent *e;

  if (d == NULL) {
    if (fd != -1)
      close (fd);
    return NULL;
  }
  while ((e = readdir (d)) != NULL)
    if (strcasecmp (e->d_name, name) == 0)
      return strdup (e->d_name);
  errno = ENOENT;
  return NULL;
}

/* Plain files of a host tree: opened non-blocking, then checked. */
int
guest_open_regular (int rootfd, const char *path)
{
  int fd = openat (rootfd, rel (path), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;

  if (fd == -1)
    return -1;
  if (fstat (fd, &st) == -1 || !S_ISREG (st.st_mode)) {
    close (fd);
    errno = EINVAL;
    return -1;
  }
  return fd;
}

static int
is_type (int rootfd, const char *path, mode_t type)
{
  struct stat st;

  return fstatat (rootfd, rel (path), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
    (st.st_mode & S_IFMT) == type;
}

int
guest_is_dir (int rootfd, const char *path)
{
  return is_type (rootfd, path, S_IFDIR);
}

int
guest_is_file (int rootfd, const char *path)
{
  return is_type (rootfd, path, S_IFREG);
}

int
inspect_app_add (struct drydock_application_list *apps,
                 const struct inspect_pkg *p)
{
  printf ("app=%s|%s|%s\n", p->name, p->display_name ? p->display_name : "",
          p->version ? p->version : "");
  return 0;
}

void
debug (const char *fs, ...)
{
}

char **
appliance_disks (void)
{
  return calloc (1, sizeof (char *));
}

char **
appliance_partitions (void)
{
  return calloc (1, sizeof (char *));
}

int
partition_parent (const char *part, char **disk, int *num)
{
  errno = EINVAL;
  return -1;
}

/* Devices keep their appliance names here. */
char *
map_device_to_api (char *dev)
{
  return dev;
}

/* A damaged hive is one "damage=" line, before the root's fields. */
void
inspect_note_damage (const char *fs, ...)
{
  va_list ap;

  va_start (ap, fs);
  fputs ("damage=", stdout);
  vprintf (fs, ap);
  putchar ('\n');
  va_end (ap);
}

static void
field (const char *name, const char *value)
{
  printf ("%s=%s\n", name, value ? value : "(none)");
}

static void
free_root (struct inspect_root *r)
{
  char **strings[] = {
    &r->type, &r->distro, &r->product_name, &r->product_variant, &r->arch,
    &r->hostname, &r->package_format, &r->package_management, &r->build_id,
    &r->osinfo, &r->windows_systemroot, &r->windows_control_set,
    &r->windows_software_hive, &r->windows_system_hive,
  };

  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i)
    free (*strings[i]);
  strlist_free (&r->drive_mappings);
}

int
main (int argc, char *argv[])
{
  CLEANUP_CLOSE int rootfd = -1;
  struct inspect_fs fs[8];
  struct inspect_scan scan = { fs, 0 };
  struct inspect_root r = { .device = (char *) "/dev/sda1" };
  int found;

  if (argc < 2 || argc > 2 + 8) {
    fprintf (stderr, "usage: %s DIR [PARTUUID=DEVICE ...]\n", argv[0]);
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    char *eq = strchr (argv[i], '=');

    if (eq == NULL)
      return 2;
    *eq = '\0';
    memset (&fs[scan.nr_fs], 0, sizeof fs[0]);
    fs[scan.nr_fs].partuuid = argv[i];
    fs[scan.nr_fs++].device = eq + 1;
  }
  rootfd = open (argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd == -1) {
    perror (argv[1]);
    return 2;
  }

  found = inspect_windows (rootfd, &scan, &r);
  printf ("found=%d\n", found);
  if (found == 1) {
    field ("type", r.type);
    field ("distro", r.distro);
    field ("product_name", r.product_name);
    field ("product_variant", r.product_variant);
    printf ("version=%d.%d\n", r.major, r.minor);
    field ("build_id", r.build_id);
    field ("osinfo", r.osinfo);
    field ("arch", r.arch);
    field ("hostname", r.hostname);
    field ("package_format", r.package_format);
    field ("package_management", r.package_management);
    field ("systemroot", r.windows_systemroot);
    field ("control_set", r.windows_control_set);
    field ("software_hive", r.windows_software_hive);
    field ("system_hive", r.windows_system_hive);
    for (size_t i = 0; i + 1 < r.drive_mappings.len; i += 2)
      printf ("drive=%s %s\n", r.drive_mappings.v[i], r.drive_mappings.v[i + 1]);
    if (inspect_windows_apps (rootfd, &r, NULL) == -1)
      printf ("apps: error: %s\n", strerror (errno));
  }
  free_root (&r);
  return found == -1;
}
