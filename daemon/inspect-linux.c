/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux roots: which distribution and version (os-release, then the
 * legacy release files), the architecture of its binaries, its host
 * name, its package format and manager, and the filesystems its fstab
 * mounts.
 *
 * The order of the release-file tests and what each one sets follow
 * libguestfs's inspection, so that our answers match virt-inspector's
 * and its users can switch: a test may set fields and still let the
 * next one run (Debian's os-release gives "12", /etc/debian_version
 * then gives "12.5"). */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon.h"
#include "inspect.h"

/* Release files and the other small files read here. */
#define SMALL_FILE_MAX (64 * 1024)

enum { NOT_FOUND, PARTIAL, DONE };

struct os_info {
  char *distro;
  char *product_name;
  int have_version;
  int major, minor;
  char *build_id;
};

static void
os_info_free (struct os_info *o)
{
  free (o->distro);
  free (o->product_name);
  free (o->build_id);
}

static char *
read_small (int rootfd, const char *path, size_t *len)
{
  return guest_read (rootfd, path, SMALL_FILE_MAX, len);
}

/* os-release ID= to our distro names (those of libguestfs). */
static const char *
distro_of_id (const char *id)
{
  static const struct { const char *id, *distro; } map[] = {
    { "alpine", "alpinelinux" }, { "altlinux", "altlinux" },
    { "arch", "archlinux" }, { "centos", "centos" }, { "coreos", "coreos" },
    { "debian", "debian" }, { "fedora", "fedora" },
    { "frugalware", "frugalware" }, { "gentoo", "gentoo" },
    { "kali", "kalilinux" },
    { "mageia", "mageia" }, { "neokylin", "neokylin" },
    { "opensuse", "opensuse" }, { "pld", "pldlinux" }, { "rhel", "rhel" },
    { "rocky", "rocky" }, { "sles", "sles" }, { "sled", "sles" },
    { "ubuntu", "ubuntu" }, { "void", "voidlinux" },
    { "ol", "oraclelinux" },
  };

  if (strncmp (id, "opensuse-", 9) == 0)
    return "opensuse";
  for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
    if (strcmp (id, map[i].id) == 0)
      return map[i].distro;
  return NULL;
}

static int
set_version (struct os_info *o, const char *s)
{
  int major, minor;

  if (s == NULL || inspect_parse_version (s, &major, &minor) == -1)
    return 0;
  o->have_version = 1;
  o->major = major;
  o->minor = minor;
  return 1;
}

/* /etc/os-release: sets what it finds, and is enough only with a
 * distro, a product name and a full version. */
static int
test_os_release (const char *buf, size_t len, struct os_info *o)
{
  CLEANUP_FREE char *id = inspect_shell_var (buf, len, "ID");
  CLEANUP_FREE char *pretty = inspect_shell_var (buf, len, "PRETTY_NAME");
  CLEANUP_FREE char *version = inspect_shell_var (buf, len, "VERSION_ID");
  const char *distro = id ? distro_of_id (id) : NULL;

  if (distro)
    inspect_set (&o->distro, distro);
  inspect_set (&o->product_name, pretty);
  set_version (o, version);
  free (o->build_id);
  o->build_id = inspect_shell_var (buf, len, "BUILD_ID");
  if (o->distro == NULL || o->product_name == NULL)
    return PARTIAL;
  /* Debian and CentOS give only the major version here: the release
   * files have the rest. */
  if ((strcmp (o->distro, "debian") == 0 || strcmp (o->distro, "centos") == 0)
      && o->have_version && o->minor == 0)
    return PARTIAL;
  if (strcmp (o->distro, "voidlinux") == 0 && !o->have_version) {
    o->have_version = 1;
    return DONE;
  }
  return o->have_version ? DONE : PARTIAL;
}

/* /etc/lsb-release (Ubuntu, Mint, CoreOS, Mageia). */
static int
test_lsb_release (const char *buf, size_t len, struct os_info *o)
{
  static const struct { const char *id, *distro; } map[] = {
    { "CoreOS", "coreos" }, { "LinuxMint", "linuxmint" },
    { "Mageia", "mageia" }, { "Ubuntu", "ubuntu" },
  };
  CLEANUP_FREE char *id = inspect_shell_var (buf, len, "DISTRIB_ID");
  CLEANUP_FREE char *rel = inspect_shell_var (buf, len, "DISTRIB_RELEASE");
  CLEANUP_FREE char *desc = inspect_shell_var (buf, len,
                                               "DISTRIB_DESCRIPTION");
  int ok = 0;

  for (size_t i = 0; id && i < sizeof map / sizeof map[0]; ++i)
    if (strcmp (id, map[i].id) == 0) {
      inspect_set (&o->distro, map[i].distro);
      ok = 1;
    }
  set_version (o, rel);
  if (desc) {
    inspect_set (&o->product_name, desc);
    ok = 1;
  }
  return ok ? DONE : PARTIAL;
}

/* Does line match "<prefix>.*release <version>" with these words? */
static int
release_matches (const char *line, const char *prefix, int need_minor,
                 int *major, int *minor)
{
  const char *p = strstr (line, prefix), *rel;

  if (p == NULL)
    return 0;
  rel = strstr (p, "release ");
  if (rel == NULL)
    return 0;
  rel += 8;
  if (!isdigit ((unsigned char) *rel))
    return 0;
  *major = atoi (rel);
  *minor = 0;
  while (isdigit ((unsigned char) *rel))
    rel++;
  if (need_minor == 1) {
    if (*rel != '.' || !isdigit ((unsigned char) rel[1]))
      return 0;
    *minor = atoi (rel + 1);
  }
  else if (need_minor == 2) {
    /* "... release 4 (Nahant Update 9)" */
    const char *u = strstr (rel, "Update ");
    if (u == NULL || !isdigit ((unsigned char) u[7]))
      return 0;
    *minor = atoi (u + 7);
  }
  return 1;
}

/* A release file whose first line is the product name and must name
 * one of these families; tries the old "Update N", then "X.Y", then
 * "X" forms, as in the files of each family's history. */
static int
test_family (const char *buf, size_t len, struct os_info *o,
             const char *const *prefixes, const char *distro)
{
  CLEANUP_FREE char *line = inspect_first_line (buf, len);
  static const int forms[] = { 2, 1, 0 };

  if (line == NULL)
    return PARTIAL;
  for (size_t f = 0; f < 3; ++f)
    for (size_t i = 0; prefixes[i]; ++i) {
      int major, minor;

      if (release_matches (line, prefixes[i], forms[f], &major, &minor)) {
        inspect_set (&o->product_name, line);
        inspect_set (&o->distro, distro);
        o->have_version = 1;
        o->major = major;
        o->minor = minor;
        return DONE;
      }
    }
  return PARTIAL;
}

/* Any other release file: the first line is the product name, and a
 * version in it is used if there is one. */
static int
test_generic (const char *buf, size_t len, struct os_info *o,
              const char *distro)
{
  CLEANUP_FREE char *line = inspect_first_line (buf, len);
  int major, minor;
  char *product = NULL;

  if (line == NULL)
    return PARTIAL;
  inspect_set (&o->product_name, line);
  inspect_set (&o->distro, distro);
  if (inspect_parse_release (buf, len, &product, &major, &minor) == 0 &&
      (major || minor)) {
    o->have_version = 1;
    o->major = major;
    o->minor = minor;
  }
  free (product);
  return DONE;
}

/* SUSE's old /etc/SuSE-release: product, then VERSION = and
 * PATCHLEVEL = lines. */
static int
test_suse_release (const char *buf, size_t len, struct os_info *o)
{
  CLEANUP_FREE char *line = inspect_first_line (buf, len);
  CLEANUP_FREE char *ver = inspect_shell_var (buf, len, "VERSION");
  CLEANUP_FREE char *patch = inspect_shell_var (buf, len, "PATCHLEVEL");

  if (line == NULL)
    return PARTIAL;
  inspect_set (&o->product_name, line);
  if (strncmp (line, "SUSE Linux Enterprise", 21) == 0 ||
      strncmp (line, "SUSE LINUX Enterprise", 21) == 0) {
    inspect_set (&o->distro, "sles");
    if (ver && set_version (o, ver) && patch)
      o->minor = atoi (patch);
  }
  else if (strncmp (line, "openSUSE", 8) == 0 ||
           strncmp (line, "SuSE Linux", 10) == 0 ||
           strncmp (line, "SUSE LINUX", 10) == 0) {
    inspect_set (&o->distro, "opensuse");
    set_version (o, ver);
  }
  return DONE;
}

static const char *const oracle[] = { "Oracle Linux", NULL };
static const char *const centos[] = { "CentOS", NULL };
static const char *const fedora[] = { "Fedora release", NULL };
static const char *const redhat[] = { "Red Hat", NULL };
static const char *const scientific[] = { "Scientific Linux", NULL };

/* The release tests, in order: each runs if its file exists, and the
 * first that returns DONE ends the search. */
static int
run_release_tests (int rootfd, struct os_info *o)
{
  static const char *const files[] = {
    "/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release",
    "/etc/oracle-release", "/etc/centos-release", "/etc/altlinux-release",
    "/etc/redhat-release", "/etc/debian_version", "/etc/pardus-release",
    "/etc/arch-release", "/etc/gentoo-release", "/etc/meego-release",
    "/etc/slackware-version", "/etc/SuSE-release", "/etc/alpine-release",
    "/etc/frugalware-release", "/etc/pld-release",
  };
  int found = 0;

  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
    const char *f = files[i];
    size_t len;
    CLEANUP_FREE char *buf = read_small (rootfd, f, &len);
    int r = PARTIAL;

    if (buf == NULL)
      continue;
    found = 1;
    /* /usr/lib/os-release stands in for a missing /etc/os-release only. */
    if (strcmp (f, "/usr/lib/os-release") == 0) {
      if (guest_is_file (rootfd, "/etc/os-release"))
        continue;
      r = test_os_release (buf, len, o);
    }
    else if (strcmp (f, "/etc/os-release") == 0)
      r = test_os_release (buf, len, o);
    else if (strcmp (f, "/etc/lsb-release") == 0)
      r = test_lsb_release (buf, len, o);
    else if (strcmp (f, "/etc/oracle-release") == 0)
      r = test_family (buf, len, o, oracle, "oraclelinux");
    else if (strcmp (f, "/etc/centos-release") == 0)
      r = test_family (buf, len, o, centos, "centos");
    else if (strcmp (f, "/etc/altlinux-release") == 0)
      r = test_generic (buf, len, o, "altlinux");
    else if (strcmp (f, "/etc/redhat-release") == 0) {
      r = test_family (buf, len, o, fedora, "fedora");
      if (r != DONE)
        r = test_family (buf, len, o, redhat, "rhel");
      if (r != DONE)
        r = test_family (buf, len, o, centos, "centos");
      if (r != DONE)
        r = test_family (buf, len, o, scientific, "scientificlinux");
      if (r != DONE) {
        r = test_generic (buf, len, o, "redhat-based");
        inspect_set (&o->distro, "redhat-based");
        r = DONE;
      }
    }
    else if (strcmp (f, "/etc/debian_version") == 0)
      r = test_generic (buf, len, o, "debian");
    else if (strcmp (f, "/etc/pardus-release") == 0)
      r = test_generic (buf, len, o, "pardus");
    else if (strcmp (f, "/etc/arch-release") == 0) {
      inspect_set (&o->distro, "archlinux");
      r = DONE;
    }
    else if (strcmp (f, "/etc/gentoo-release") == 0)
      r = test_generic (buf, len, o, "gentoo");
    else if (strcmp (f, "/etc/meego-release") == 0)
      r = test_generic (buf, len, o, "meego");
    else if (strcmp (f, "/etc/slackware-version") == 0)
      r = test_generic (buf, len, o, "slackware");
    else if (strcmp (f, "/etc/SuSE-release") == 0)
      r = test_suse_release (buf, len, o);
    else if (strcmp (f, "/etc/alpine-release") == 0)
      r = test_generic (buf, len, o, "alpinelinux");
    else if (strcmp (f, "/etc/frugalware-release") == 0)
      r = test_generic (buf, len, o, "frugalware");
    else if (strcmp (f, "/etc/pld-release") == 0)
      r = test_generic (buf, len, o, "pldlinux");
    if (r == DONE)
      break;
  }
  return found;
}

static char *
check_arch (int rootfd)
{
  static const char *const bins[] = {
    "/bin/bash", "/bin/ls", "/bin/echo", "/bin/rm", "/bin/sh",
    "/usr/bin/bash", "/usr/bin/ls", "/usr/bin/sh", "/bin/busybox",
  };

  for (size_t i = 0; i < sizeof bins / sizeof bins[0]; ++i) {
    size_t len;
    CLEANUP_FREE char *buf = guest_read (rootfd, bins[i], 4096, &len);
    const char *arch;

    if (buf && (arch = inspect_elf_arch ((unsigned char *) buf, len)))
      return strdup (arch);
  }
  return NULL;
}

static char *
check_hostname (int rootfd)
{
  static const char *const files[] = { "/etc/HOSTNAME", "/etc/hostname" };
  static const struct { const char *file, *var; } vars[] = {
    { "/etc/sysconfig/network", "HOSTNAME" },
    { "/etc/conf.d/hostname", "hostname" },
  };

  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
    size_t len;
    CLEANUP_FREE char *buf = read_small (rootfd, files[i], &len);
    char *h = buf ? inspect_first_line (buf, len) : NULL;

    if (h && *h)
      return h;
    free (h);
  }
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; ++i) {
    size_t len;
    CLEANUP_FREE char *buf = read_small (rootfd, vars[i].file, &len);
    char *h = buf ? inspect_shell_var (buf, len, vars[i].var) : NULL;

    if (h)
      return h;
  }
  return NULL;
}

static const char *
package_format (const char *distro)
{
  static const struct { const char *distro, *fmt; } map[] = {
    { "fedora", "rpm" }, { "rhel", "rpm" }, { "centos", "rpm" },
    { "rocky", "rpm" }, { "redhat-based", "rpm" }, { "oraclelinux", "rpm" },
    { "scientificlinux", "rpm" }, { "opensuse", "rpm" }, { "sles", "rpm" },
    { "suse-based", "rpm" }, { "mageia", "rpm" }, { "altlinux", "rpm" },
    { "neokylin", "rpm" },
    { "debian", "deb" }, { "ubuntu", "deb" }, { "linuxmint", "deb" },
    { "kalilinux", "deb" },
    { "archlinux", "pacman" }, { "frugalware", "pacman" },
    { "gentoo", "ebuild" }, { "alpinelinux", "apk" },
    { "voidlinux", "xbps" },
    { "pardus", "pisi" },
  };

  for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
    if (strcmp (distro, map[i].distro) == 0)
      return map[i].fmt;
  return NULL;
}

static const char *
package_management (int rootfd, const struct os_info *o)
{
  const char *d = o->distro;

  if (strcmp (d, "fedora") == 0)
    return o->major >= 22 && guest_is_file (rootfd, "/usr/bin/dnf") ?
      "dnf" : "yum";
  if (strcmp (d, "rhel") == 0 || strcmp (d, "centos") == 0 ||
      strcmp (d, "rocky") == 0 || strcmp (d, "redhat-based") == 0 ||
      strcmp (d, "oraclelinux") == 0 || strcmp (d, "scientificlinux") == 0) {
    if (o->major >= 8)
      return "dnf";
    return o->major >= 5 ? "yum" : o->major >= 2 ? "up2date" : NULL;
  }
  static const struct { const char *distro, *mgr; } map[] = {
    { "opensuse", "zypper" }, { "sles", "zypper" }, { "suse-based", "zypper" },
    { "debian", "apt" }, { "ubuntu", "apt" }, { "linuxmint", "apt" },
    { "kalilinux", "apt" }, { "archlinux", "pacman" },
    { "frugalware", "pacman" }, { "gentoo", "portage" },
    { "alpinelinux", "apk" },
    { "mageia", "urpmi" }, { "voidlinux", "xbps" }, { "pardus", "pisi" },
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
    if (strcmp (d, map[i].distro) == 0)
      return map[i].mgr;
  return NULL;
}

/* libosinfo's short ids, as libguestfs guesses them: a few
 * distributions have ids of their own shape, the others are DISTRO
 * followed by MAJOR.MINOR when there is a version.  NULL: no guess. */
static char *
osinfo (const struct os_info *o)
{
  const char *d = o->distro;
  char *r = NULL;
  int n = -1;

  if (strcmp (d, "centos") == 0 && o->major >= 6) {
    /* libosinfo knows CentOS 7 as 7.0 only, and 8 on without minor. */
    if (o->major >= 8)
      n = asprintf (&r, "centos%d", o->major);
    else if (o->major == 7)
      n = asprintf (&r, "centos7.0");
    else
      n = asprintf (&r, "centos6.%d", o->minor);
  }
  else if ((strcmp (d, "rocky") == 0 && o->major >= 8) ||
           (strcmp (d, "debian") == 0 && o->major >= 4) ||
           strcmp (d, "fedora") == 0 || strcmp (d, "mageia") == 0)
    n = asprintf (&r, "%s%d", d, o->major);
  else if (strcmp (d, "ubuntu") == 0)
    n = asprintf (&r, "ubuntu%d.%02d", o->major, o->minor);
  else if (strcmp (d, "oraclelinux") == 0)
    n = asprintf (&r, "ol%d.%d", o->major, o->minor);
  else if (strcmp (d, "sles") == 0)
    n = o->minor ? asprintf (&r, "sles%dsp%d", o->major, o->minor) :
      asprintf (&r, "sles%d", o->major);
  else if (strcmp (d, "archlinux") == 0 || strcmp (d, "gentoo") == 0 ||
           strcmp (d, "voidlinux") == 0)
    n = asprintf (&r, "%s", d);
  else if (strcmp (d, "altlinux") == 0 && o->major >= 8)
    n = asprintf (&r, "alt%d.%d", o->major, o->minor);
  else if (o->major > 0 || o->minor > 0)
    n = asprintf (&r, "%s%d.%d", d, o->major, o->minor);
  return n == -1 ? NULL : r;
}

int
inspect_linux (int rootfd, const struct inspect_scan *s, struct inspect_root *r)
{
  struct os_info o = { 0 };
  const char *fmt, *mgr;

  if (!guest_is_dir (rootfd, "/etc"))
    return 0;
  if (!run_release_tests (rootfd, &o) && !guest_is_file (rootfd, "/etc/fstab")) {
    os_info_free (&o);
    return 0;
  }
  if (inspect_set (&r->type, "linux") == -1)
    goto nomem;
  if (o.distro) {
    fmt = package_format (o.distro);
    mgr = package_management (rootfd, &o);
    if (inspect_set (&r->package_format, fmt) == -1 ||
        inspect_set (&r->package_management, mgr) == -1)
      goto nomem;
    r->osinfo = osinfo (&o);
  }
  r->distro = o.distro;
  r->product_name = o.product_name;
  r->build_id = o.build_id;
  o.distro = o.product_name = o.build_id = NULL;
  r->major = o.major;
  r->minor = o.minor;
  r->arch = check_arch (rootfd);
  r->hostname = check_hostname (rootfd);
  if (inspect_linux_fstab (rootfd, s, r) == -1)
    goto nomem;
  return 1;
 nomem:
  os_info_free (&o);
  return -1;
}
