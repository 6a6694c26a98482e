/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inspect_list_applications: the packages installed in a root, from
 * its package database.  The root's filesystems are mounted read-only
 * in a private directory for the time of the call (/var may be a
 * filesystem of its own).  dpkg, apk and pacman databases are text and
 * parsed here (inspect-parse.c); the rpm database (sqlite, Berkeley DB
 * or ndb) is read by the rpm tool in the appliance, on a private copy
 * so that nothing is ever written to the guest; Windows is
 * inspect-windows.c's. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "inspect.h"

/* Package databases read whole: a big distribution's dpkg status is a
 * few MiB. */
#define DB_MAX (64 * 1024 * 1024)
/* pacman keeps one directory per package. */
#define PACMAN_MAX_PKGS 100000
#define RPMDB_COPY "/run/drydock-rpmdb"

static void
app_free (struct drydock_application *a)
{
  char *strs[] = {
    a->name, a->display_name, a->version, a->release, a->arch,
    a->install_path, a->publisher, a->url, a->source_package, a->summary,
    a->description,
  };

  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; ++i)
    free (strs[i]);
}

static void
apps_free (struct drydock_application_list *l)
{
  if (l == NULL)
    return;
  for (uint32_t i = 0; i < l->len; ++i)
    app_free (&l->val[i]);
  free (l->val);
  free (l);
}

int
inspect_app_add (struct drydock_application_list *apps,
                 const struct inspect_pkg *p)
{
  struct drydock_application a = { .epoch = p->epoch }, *v;
  struct { char **dst; const char *src; } f[] = {
    { &a.name, p->name }, { &a.display_name, p->display_name },
    { &a.version, p->version }, { &a.release, p->release },
    { &a.arch, p->arch }, { &a.install_path, p->install_path },
    { &a.publisher, p->publisher }, { &a.url, p->url },
    { &a.source_package, p->source_package }, { &a.summary, p->summary },
    { &a.description, p->description },
  };

  for (size_t i = 0; i < sizeof f / sizeof f[0]; ++i) {
    *f[i].dst = strdup (f[i].src ? f[i].src : "");
    if (*f[i].dst == NULL) {
      app_free (&a);
      return -1;
    }
  }
  if (apps->len >= UINT32_MAX / 2) {
    app_free (&a);
    errno = EOVERFLOW;
    return -1;
  }
  v = realloc (apps->val, (apps->len + 1) * sizeof *v);
  if (v == NULL) {
    app_free (&a);
    return -1;
  }
  apps->val = v;
  apps->val[apps->len++] = a;
  return 0;
}

static int
add_cb (void *opaque, const struct inspect_pkg *p)
{
  return inspect_app_add (opaque, p);
}

/* A text database parsed by one of inspect-parse.c's parsers; a
 * missing file is an empty list. */
static int
from_text_db (int rootfd, const char *path,
              int (*parse) (const char *, size_t, inspect_pkg_cb, void *),
              struct drydock_application_list *apps)
{
  size_t len;
  CLEANUP_FREE char *buf = guest_read (rootfd, path, DB_MAX, &len);

  if (buf == NULL)
    return errno == ENOMEM ? -1 : 0;
  return parse (buf, len, add_cb, apps);
}

static int
from_pacman (int rootfd, struct drydock_application_list *apps)
{
  int fd = guest_open (rootfd, "/var/lib/pacman/local", O_RDONLY | O_DIRECTORY);
  DIR *d;
  struct dirent *e;
  unsigned n = 0;
  int r = 0;

  if (fd == -1)
    return 0;
  d = dir_stream (fd);
  if (d == NULL)
    return -1;
  while (r == 0 && n++ < PACMAN_MAX_PKGS && (e = readdir (d)) != NULL) {
    CLEANUP_FREE char *path = NULL;

    if (e->d_name[0] == '.' || strchr (e->d_name, '/'))
      continue;
    if (asprintf (&path, "/var/lib/pacman/local/%s/desc", e->d_name) == -1) {
      r = -1;
      break;
    }
    r = from_text_db (rootfd, path, inspect_parse_pacman_desc, apps);
  }
  closedir (d);
  return r;
}

/* Copies the regular files of the guest directory dir into RPMDB_COPY
 * (a tmpfs of the appliance).  -1 with errno. */
static int
copy_rpmdb (int rootfd, const char *dir)
{
  int fd = guest_open (rootfd, dir, O_RDONLY | O_DIRECTORY);
  DIR *d;
  struct dirent *e;
  int r = 0, files = 0;

  d = dir_stream (fd);
  if (d == NULL)
    return -1;
  if (mkdir (RPMDB_COPY, 0700) == -1 && errno != EEXIST) {
    closedir (d);
    return -1;
  }
  while (r == 0 && files < 64 && (e = readdir (d)) != NULL) {
    CLEANUP_FREE char *src = NULL, *dst = NULL, *buf = NULL;
    size_t len;
    FILE *out;

    if (e->d_name[0] == '.' || strchr (e->d_name, '/'))
      continue;
    if (asprintf (&src, "%s/%s", dir, e->d_name) == -1 ||
        asprintf (&dst, RPMDB_COPY "/%s", e->d_name) == -1)
      return -1;
    buf = guest_read (rootfd, src, 256 * 1024 * 1024, &len);
    if (buf == NULL)
      continue;
    files++;
    out = fopen (dst, "we");
    if (out == NULL || fwrite (buf, 1, len, out) != len)
      r = -1;
    if (out && fclose (out) == EOF)
      r = -1;
  }
  closedir (d);
  return files ? r : (errno = ENOENT, -1);
}

static void
remove_rpmdb_copy (void)
{
  DIR *d = opendir (RPMDB_COPY);
  struct dirent *e;

  if (d == NULL)
    return;
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      unlinkat (dirfd (d), e->d_name, 0);
  closedir (d);
  rmdir (RPMDB_COPY);
}

/* One record per package from rpm's query format: fields separated by
 * tabs, the multi-line description last, records ended by a marker
 * line. */
#define RPM_END "\n@@drydock-end@@\n"
#define RPM_QF "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}" \
  "\\t%{URL}\\t%{SOURCERPM}\\t%{VENDOR}\\t%{SUMMARY}\\t%{DESCRIPTION}" RPM_END

static int
parse_rpm_record (char *rec, struct drydock_application_list *apps)
{
  char *f[10];
  CLEANUP_FREE char *clean[10] = { 0 };
  struct inspect_pkg p = { 0 };

  for (int i = 0; i < 10; ++i) {
    f[i] = rec;
    if (i < 9) {
      char *tab = strchr (rec, '\t');
      if (tab == NULL)
        return 0;
      *tab = '\0';
      rec = tab + 1;
    }
  }
  for (int i = 0; i < 10; ++i) {
    /* rpm prints "(none)" for an absent tag. */
    if (strcmp (f[i], "(none)") == 0)
      f[i] = (char *) "";
    clean[i] = inspect_clean_string (f[i], strlen (f[i]));
    if (clean[i] == NULL)
      return -1;
  }
  p.name = clean[0];
  p.epoch = atoi (clean[1]);
  p.version = clean[2];
  p.release = clean[3];
  p.arch = clean[4];
  p.url = clean[5];
  p.source_package = clean[6];
  p.publisher = clean[7];
  p.summary = clean[8];
  p.description = clean[9];
  return *p.name ? inspect_app_add (apps, &p) : 0;
}

static int
from_rpm (int rootfd, struct drydock_application_list *apps)
{
  static const char *const dirs[] = { "/usr/lib/sysimage/rpm", "/var/lib/rpm" };
  char *const argv[] = {
    "rpm", "--dbpath", RPMDB_COPY, "-qa", "--qf", RPM_QF, NULL,
  };
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int r = -1, st;
  char *rec, *end;

  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && r == -1; ++i) {
    remove_rpmdb_copy ();
    r = copy_rpmdb (rootfd, dirs[i]);
  }
  if (r == -1) {
    remove_rpmdb_copy ();
    return errno == ENOMEM ? -1 : 0;
  }
  st = run_command (&out, &err, argv);
  remove_rpmdb_copy ();
  if (st != 0) {
    debug ("inspect: rpm -qa failed: %s", err ? err : "");
    errno = EIO;
    return -1;
  }
  for (rec = out; (end = strstr (rec, RPM_END)) != NULL;
       rec = end + strlen (RPM_END)) {
    *end = '\0';
    if (parse_rpm_record (rec, apps) == -1)
      return -1;
  }
  return 0;
}

/* Is a filesystem mounted at mp needed to reach one of paths (NULL:
 * all are needed)? */
static int
needed (const char *mp, const char *const *paths)
{
  size_t n = strlen (mp);

  if (paths == NULL)
    return 1;
  for (size_t i = 0; paths[i]; ++i)
    if (strncmp (paths[i], mp, n) == 0 && paths[i][n] == '/')
      return 1;
  return 0;
}

int
inspect_mount_tree (const struct inspect_root *r, const struct inspect_scan *s,
                    const char *const *paths, struct strlist *dirs)
{
  const struct inspect_fs *f = inspect_find_fs (s, r->device);
  char *dir;
  int rootfd;

  if (f == NULL) {
    errno = ENOENT;
    return -1;
  }
  rootfd = inspect_mount (f, &dir);
  if (rootfd == -1)
    return -1;
  strlist_add_take (dirs, dir);
  /* mountpoints are "/" first, then sorted: a parent before its
   * children. */
  for (size_t i = 2; i + 1 < r->mountpoints.len; i += 2) {
    const struct inspect_fs *g = inspect_find_fs (s, r->mountpoints.v[i + 1]);
    CLEANUP_CLOSE int mfd = -1;
    char buf[32];

    if (g == NULL || strcmp (g->device, r->device) == 0 ||
        !needed (r->mountpoints.v[i], paths))
      continue;
    mfd = guest_open (rootfd, r->mountpoints.v[i], O_PATH | O_DIRECTORY);
    if (mfd == -1 ||
        inspect_mount_at (g, fd_path (mfd, buf),
                          MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC) == -1) {
      debug ("inspect: %s on %s: %m", g->device, r->mountpoints.v[i]);
      continue;
    }
    {
      char *path = NULL;
      if (asprintf (&path, "%s%s", dirs->v[0], r->mountpoints.v[i]) != -1)
        strlist_add_take (dirs, path);
    }
  }
  return rootfd;
}

void
inspect_umount_tree (int rootfd, struct strlist *dirs)
{
  close (rootfd);
  for (size_t i = dirs->len; i-- > 1; )
    if (umount_fs (dirs->v[i], 0) == -1)
      umount_fs (dirs->v[i], MNT_DETACH);
  if (dirs->len > 0) {
    inspect_umount (dirs->v[0], -1);
    dirs->v[0] = NULL;
  }
  for (size_t i = 1; i < dirs->len; ++i)
    free (dirs->v[i]);
  free (dirs->v);
  dirs->v = NULL;
  dirs->len = dirs->cap = 0;
}

static int
compare_apps (const void *a, const void *b)
{
  const struct drydock_application *x = a, *y = b;
  int c = strcmp (x->name, y->name);

  return c ? c : strcmp (x->version, y->version);
}

struct drydock_application_list *
do_inspect_list_applications (const char *root)
{
  struct inspect_root *r = reply_unless_root (root);
  struct drydock_application_list *apps;
  struct strlist dirs = STRLIST_INIT;
  const char *fmt;
  int rootfd, res = 0;

  if (r == NULL)
    return NULL;
  apps = calloc (1, sizeof *apps);
  if (apps == NULL) {
    reply_with_perror ("inspect_list_applications");
    return NULL;
  }
  rootfd = inspect_mount_tree (r, inspect_current_scan (), NULL, &dirs);
  if (rootfd == -1) {
    reply_with_perror ("inspect_list_applications: mounting %s", root);
    apps_free (apps);
    strlist_free (&dirs);
    return NULL;
  }
  fmt = r->package_format;
  if (strcmp (r->type, "windows") == 0)
    res = inspect_windows_apps (rootfd, r, apps);
  else if (strcmp (fmt, "deb") == 0)
    res = from_text_db (rootfd, "/var/lib/dpkg/status",
                        inspect_parse_dpkg_status, apps);
  else if (strcmp (fmt, "apk") == 0)
    res = from_text_db (rootfd, "/lib/apk/db/installed",
                        inspect_parse_apk_installed, apps);
  else if (strcmp (fmt, "pacman") == 0)
    res = from_pacman (rootfd, apps);
  else if (strcmp (fmt, "rpm") == 0)
    res = from_rpm (rootfd, apps);
  inspect_umount_tree (rootfd, &dirs);
  if (res == -1) {
    reply_with_perror ("inspect_list_applications: %s", root);
    apps_free (apps);
    return NULL;
  }
  if (apps->len > 1)
    qsort (apps->val, apps->len, sizeof *apps->val, compare_apps);
  return apps;
}
