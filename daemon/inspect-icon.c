/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inspect_get_icon: the logo of a root's operating system, a PNG read
 * from the guest at the place its distribution keeps one.  The guest's
 * files are hostile: every candidate is read with openat2 inside the
 * root, bounded in size, and accepted only if its PNG header says a
 * sane geometry. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "inspect.h"

#define ICON_FAVICON "/etc/favicon.png"
/* No bound of its own: 4 bytes a pixel, as for an uncompressed RGBA. */
#define PER_PIXEL 0

struct icon_place {
  const char *path;
  size_t max;                   /* bytes; PER_PIXEL: 4 * width * height */
};

/* The PNG signature, then the IHDR chunk: length 13, "IHDR", width and
 * height big-endian.  1 with the geometry, or 0. */
static int
png_geometry (const unsigned char *p, size_t len, uint32_t *w, uint32_t *h)
{
  static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (len < 24 || memcmp (p, sig, 8) != 0 ||
      memcmp (p + 8, "\0\0\0\x0dIHDR", 8) != 0)
    return 0;
  *w = (uint32_t) p[16] << 24 | (uint32_t) p[17] << 16 | (uint32_t) p[18] << 8 | p[19];
  *h = (uint32_t) p[20] << 24 | (uint32_t) p[21] << 16 | (uint32_t) p[22] << 8 | p[23];
  return 1;
}

/* The icon at place, or NULL: errno ENOENT when it is absent or not
 * acceptable (not a regular file, not a PNG, too small or too large a
 * picture, too many bytes), ENOMEM. */
static char *
read_icon (int rootfd, const struct icon_place *place, size_t *size_r)
{
  /* Read at most what the place allows; PER_PIXEL: 1024 x 1024 x 4, the
   * most any acceptable icon may have, then the bound of its geometry. */
  size_t limit = place->max != PER_PIXEL ? place->max : 4 * 1024 * 1024;
  size_t len;
  uint32_t w, h;
  char *buf = guest_read (rootfd, place->path, limit + 1, &len);
  int ok;

  if (buf == NULL)
    return errno == ENOMEM ? NULL : (errno = ENOENT, NULL);
  ok = png_geometry ((unsigned char *) buf, len, &w, &h) &&
    w >= 16 && h >= 16 && w <= 1024 && h <= 1024;
  if (ok && place->max == PER_PIXEL)
    limit = 4 * (size_t) w * h;
  if (!ok || len > limit) {
    debug ("inspect_get_icon: %s: not an acceptable icon", place->path);
    free (buf);
    errno = ENOENT;
    return NULL;
  }
  *size_r = len;
  return buf;
}

/* Where the distribution of r keeps its logo; n set to the count. */
static const struct icon_place *
places_of (const struct inspect_root *r, int highquality, size_t *n)
{
  static const struct icon_place fedora[] = {
    { "/usr/share/icons/hicolor/96x96/apps/fedora-logo-icon.png", PER_PIXEL },
  };
  static const struct icon_place rhel_old[] = {
    { "/usr/share/pixmaps/redhat/shadowman-transparent.png", 102400 },
  };
  static const struct icon_place rhel[] = {
    { "/usr/share/icons/hicolor/96x96/apps/system-logo-icon.png", 102400 },
  };
  static const struct icon_place debian[] = {
    { "/usr/share/pixmaps/debian-logo.png", 2048 },
  };
  static const struct icon_place ubuntu[] = {
    { "/usr/share/icons/gnome/24x24/places/ubuntu-logo.png", 2048 },
    { "/usr/share/help/C/ubuntu-help/figures/ubuntu-logo.png", 2048 },
  };
  static const struct icon_place mageia[] = {
    { "/usr/share/icons/mageia.png", 10240 },
  };
  static const struct icon_place suse[] = {
    { "/usr/share/icons/hicolor/48x48/apps/distributor.png", 10240 },
    { "/usr/share/icons/hicolor/24x24/apps/distributor.png", 10240 },
  };
  static const struct icon_place voidlinux[] = {
    { "/usr/share/void-artwork/void-logo.png", 20480 },
  };
  static const struct icon_place altlinux[] = {
    { "/usr/share/icons/hicolor/48x48/apps/altlinux.png", 20480 },
  };
  static const struct icon_place gentoo[] = {
    { "/usr/share/icons/gentoo/48x48/gentoo.png", 10240 },
  };
  static const struct icon_place openmandriva[] = {
    { "/usr/share/icons/large/mandriva.png", 10240 },
    { "/usr/share/icons/mandriva.png", 10240 },
  };
#define PLACES(a) (*n = sizeof (a) / sizeof (a)[0], (a))
  const char *d = r->distro ? r->distro : "";

  *n = 0;
  if (r->type == NULL ||
      (strcmp (r->type, "linux") != 0 && strcmp (r->type, "hurd") != 0))
    return NULL;
  if (strcmp (d, "fedora") == 0)
    return PLACES (fedora);
  if (strcmp (d, "rhel") == 0 || strcmp (d, "redhat-based") == 0 ||
      strcmp (d, "centos") == 0 || strcmp (d, "scientificlinux") == 0 ||
      strcmp (d, "oraclelinux") == 0 || strcmp (d, "rocky") == 0)
    return r->major < 7 ? PLACES (rhel_old) : PLACES (rhel);
  if (strcmp (d, "debian") == 0)
    return PLACES (debian);
  if (strcmp (d, "ubuntu") == 0)
    return highquality ? NULL : PLACES (ubuntu);
  if (strcmp (d, "mageia") == 0)
    return PLACES (mageia);
  if (strcmp (d, "suse-based") == 0 || strcmp (d, "opensuse") == 0 ||
      strcmp (d, "sles") == 0)
    return PLACES (suse);
  if (strcmp (d, "voidlinux") == 0)
    return PLACES (voidlinux);
  if (strcmp (d, "altlinux") == 0)
    return PLACES (altlinux);
  if (strcmp (d, "gentoo") == 0)
    return PLACES (gentoo);
  if (strcmp (d, "openmandriva") == 0)
    return PLACES (openmandriva);
#undef PLACES
  return NULL;
}

/* The favicon path of a Windows root, spelled as on disk. */
static char *
windows_favicon (int rootfd)
{
  CLEANUP_FREE char *etc = guest_case_lookup (rootfd, "/", "etc");
  CLEANUP_FREE char *name = NULL;
  char *path;

  if (etc == NULL)
    return NULL;
  if (asprintf (&path, "/%s", etc) == -1)
    return NULL;
  name = guest_case_lookup (rootfd, path, "favicon.png");
  free (path);
  if (name == NULL || asprintf (&path, "/%s/%s", etc, name) == -1)
    return NULL;
  return path;
}

char *
do_inspect_get_icon (const char *root, size_t *size_r, uint64_t optmask,
                     int favicon, int highquality)
{
  struct inspect_root *r = reply_unless_root (root);
  struct strlist dirs = STRLIST_INIT;
  const struct icon_place *places;
  char *icon = NULL;
  size_t n;
  int rootfd;

  if (r == NULL)
    return NULL;
  if (!(optmask & OPT_INSPECT_GET_ICON_FAVICON))
    favicon = 1;
  if (!(optmask & OPT_INSPECT_GET_ICON_HIGHQUALITY))
    highquality = 0;
  /* A favicon is never of high quality. */
  if (highquality)
    favicon = 0;
  places = places_of (r, highquality, &n);
  if (n == 0 && !favicon)
    goto none;                  /* nothing to look at: no mounts */
  {
    /* Only the filesystems these paths lie in are mounted. */
    const char *paths[n + 2];
    size_t k = 0;

    if (favicon)
      paths[k++] = ICON_FAVICON;
    for (size_t i = 0; i < n; ++i)
      paths[k++] = places[i].path;
    paths[k] = NULL;
    rootfd = inspect_mount_tree (r, inspect_current_scan (), paths, &dirs);
  }
  if (rootfd == -1) {
    reply_with_perror ("inspect_get_icon: mounting %s", root);
    strlist_free (&dirs);
    return NULL;
  }
  errno = ENOENT;
  if (favicon) {
    CLEANUP_FREE char *path = strcmp (r->type, "windows") == 0 ?
      windows_favicon (rootfd) : strdup (ICON_FAVICON);
    if (path) {
      struct icon_place fav = { path, PER_PIXEL };
      icon = read_icon (rootfd, &fav, size_r);
    }
  }
  for (size_t i = 0; icon == NULL && errno != ENOMEM && i < n; ++i)
    icon = read_icon (rootfd, &places[i], size_r);
  inspect_umount_tree (rootfd, &dirs);
  if (icon == NULL && errno == ENOMEM) {
    reply_with_perror ("inspect_get_icon");
    return NULL;
  }
 none:
  if (icon == NULL) {
    /* None: an empty buffer, not an error. */
    icon = malloc (1);
    if (icon == NULL) {
      reply_with_perror ("inspect_get_icon");
      return NULL;
    }
    *size_r = 0;
  }
  return icon;
}
