/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Images from someone else.  An image's header may name other files:
 * a qcow2's backing file or external data file, a vmdk's extents, or a
 * "json:" specification with any qemu driver and protocol.  qemu then
 * reads those host files as the guest's disk, so whoever hands drydock
 * an image could read any file the tool can (/etc/shadow copied into a
 * sparsified output).  In untrusted mode (the add_drive option, the
 * tools' --untrusted, DRYDOCK_UNTRUSTED=1) such an image is refused
 * before qemu opens it for real, as are remote names and an image whose
 * format is not the one given.  Without the mode, a backing file
 * outside the image's own directory is warned about.  Apart from
 * drives.c, which attaches what passed. */

#include <config.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "imginfo.h"
#include "source.h"
#include "remote.h"

/* The qcow2 header fields read here (big-endian; qemu's docs/interop/
 * qcow2.txt). */
#define QCOW2_MAGIC 0x514649fbU
#define QCOW2_BACKING_OFFSET 8
#define QCOW2_BACKING_SIZE 16
#define QCOW2_BACKING_NAME_MAX 1023   /* qemu's limit */
#define QCOW2_INCOMPAT 72
#define QCOW2_INCOMPAT_DATA_FILE (1ULL << 2)
#define QCOW2_V3_HEADER 104

static int
refuse (drydock_h *h, const char *name, const char *why, const char *what)
{
  drydock_int_error_errno (h, EPERM, "add_drive: %s: untrusted image: %s%s%s%s",
                           name, why, what ? " '" : "", what ? what : "",
                           what ? "'" : "");
  return -1;
}

/* The backing file's name as the header records it, for the message:
 * bounded, control characters shown as '?'.  NULL if unreadable. */
static const char *
backing_name (int fd, const unsigned char *b, ssize_t n, char *what)
{
  uint64_t off;
  uint32_t len;
  ssize_t got;

  if (n < QCOW2_BACKING_SIZE + 4)
    return NULL;
  memcpy (&off, b + QCOW2_BACKING_OFFSET, 8);
  memcpy (&len, b + QCOW2_BACKING_SIZE, 4);
  off = be64toh (off);
  len = be32toh (len);
  if (len == 0 || off > INT64_MAX)
    return NULL;
  if (len > QCOW2_BACKING_NAME_MAX)
    len = QCOW2_BACKING_NAME_MAX;
  got = pread (fd, what, len, (off_t) off);
  if (got <= 0)
    return NULL;
  what[got] = '\0';
  for (char *p = what; *p; ++p)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return what;
}

/* A qcow2's header read by us, before any qemu opens the file (and the
 * files it names): a backing file or the external-data-file bit. */
static int
check_qcow2_header (drydock_h *h, const char *name, const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  unsigned char b[QCOW2_V3_HEADER];
  uint32_t magic, version;
  uint64_t backing, incompat;
  ssize_t n;

  if (fd == -1) {
    drydock_int_perror (h, "add_drive: %s", name);
    return -1;
  }
  n = pread (fd, b, sizeof b, 0);
  if (n < 8)
    return 0;                   /* too short for a qcow2: qemu decides */
  memcpy (&magic, b, 4);
  memcpy (&version, b + 4, 4);
  if (be32toh (magic) != QCOW2_MAGIC)
    return 0;
  if (n < QCOW2_BACKING_OFFSET + 8)
    return refuse (h, name, "its qcow2 header is cut short", NULL);
  memcpy (&backing, b + QCOW2_BACKING_OFFSET, 8);
  if (be64toh (backing) != 0) {
    char what[QCOW2_BACKING_NAME_MAX + 1];
    return refuse (h, name, "its qcow2 header names a backing file",
                   backing_name (fd, b, n, what));
  }
  if (be32toh (version) < 3)
    return 0;
  if (n < QCOW2_INCOMPAT + 8)
    return refuse (h, name, "its qcow2 header is cut short", NULL);
  memcpy (&incompat, b + QCOW2_INCOMPAT, 8);
  if (be64toh (incompat) & QCOW2_INCOMPAT_DATA_FILE)
    return refuse (h, name, "it keeps its data in an external data file",
                   NULL);
  return 0;
}

int
drydock_int_untrusted_check (drydock_h *h, const char *name, const char *path,
                             const char *format)
{
  CLEANUP_FREE char *out = NULL, *err = NULL;
  struct imginfo info = { 0 };
  const struct imginfo_link *l;
  /* Without --backing-chain: qemu-img info then opens no backing file. */
  char *argv[] = {
    (char *) QEMU_IMG, (char *) "info", (char *) "--output=json",
    (char *) "-U", (char *) path, NULL
  };
  int r = 0;

  if (format == NULL)
    return refuse (h, name, "its format must be given (the format of an "
                   "untrusted image is never probed)", NULL);
  if (strcmp (format, "ova") == 0)
    return 0;                   /* each disk inside is checked on its own */
  if (check_qcow2_header (h, name, path) == -1)
    return -1;
  if (drydock_int_run (h, argv, &out, &err) != 0) {
    const char *m = err ? err : "";
    const char *why;

    ((char *) m)[strcspn (m, "\n")] = '\0';
    while (strncmp (m, "qemu-img: ", 10) == 0)
      m += 10;
    why = drydock_int_open_reason (m);
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: qemu cannot open "
                             "it: %s", name, why ? why : m);
    return -1;
  }
  if (imginfo_parse (out ? out : "", &info) == -1 || info.n == 0) {
    drydock_int_error_errno (h, EIO, "add_drive: %s: cannot read qemu-img "
                             "info's output", name);
    return -1;
  }
  l = &info.links[0];
  if (strcmp (l->format, format) != 0) {
    drydock_int_error_errno (h, EPERM, "add_drive: %s: untrusted image: "
                             "format %s was given but the image is %s",
                             name, format, l->format);
    r = -1;
  }
  else if (l->backing)
    r = refuse (h, name, "it names a backing file", l->backing);
  else if (l->external)
    r = refuse (h, name, "it names another file for its data", l->external);
  imginfo_free (&info);
  return r;
}

int
drydock_int_untrusted_name (drydock_h *h, const char *filename)
{
  if (strncmp (filename, "json:", 5) == 0)
    return refuse (h, filename, "a json: specification may name any file "
                   "or protocol", NULL);
  if (drydock_int_remote_is_uri (filename) || strstr (filename, "://"))
    return refuse (h, filename, "a protocol name is not a local file", NULL);
  return 0;
}

void
drydock_int_warn_backing (drydock_h *h, const char *name, const char *path,
                          const struct imginfo *info)
{
  CLEANUP_FREE char *copy = strdup (path);
  CLEANUP_FREE char *link = NULL;
  const char *dir, *backing;
  char *real, *slash;

  if (copy == NULL || info->n < 2 || info->links[0].backing == NULL)
    return;
  dir = dirname (copy);
  /* The link as qemu opened it: relative names are the image's. */
  backing = info->links[1].filename ? info->links[1].filename :
    info->links[0].backing;
  if (strncmp (backing, "json:", 5) == 0 || strstr (backing, "://")) {
    drydock_int_warning (h, "%s: its backing file is '%s', not a file in "
                         "the image's own directory", name, backing);
    return;
  }
  if (backing[0] != '/' &&
      asprintf (&link, "%s/%s", dir, backing) == -1)
    return;
  real = realpath (link ? link : backing, NULL);
  if (real == NULL)
    return;
  slash = strrchr (real, '/');
  if (slash && (size_t) (slash - real) == strlen (dir) &&
      strncmp (real, dir, strlen (dir)) == 0) {
    free (real);
    return;
  }
  drydock_int_warning (h, "%s: its backing file '%s' is outside the "
                       "image's directory %s: an image from someone else "
                       "can name any host file this way (use --untrusted)",
                       name, real, dir);
  free (real);
}
