/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a drive reads: a local image in any format qemu reads, a disk
 * inside an OVA read in place, or a remote NBD or HTTP(S) export.  Each
 * becomes a backing specification for the drive's overlay: a file
 * name, a URI, or a qemu "json:" description layering the format's
 * driver over a byte range of a file.  Apart from drives.c so that the
 * overlay policy stays in one short file. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "imginfo.h"
#include "source.h"

static const char *const local_formats[] = {
  "raw", "qcow2", "qcow", "vmdk", "vdi", "vhdx", "vpc", "qed", "dmg",
  "parallels", "luks", NULL
};

int
drydock_int_source_format_known (const char *format)
{
  for (size_t i = 0; local_formats[i]; ++i)
    if (strcmp (format, local_formats[i]) == 0)
      return 1;
  return 0;
}

static const char *const remote_schemes[] = {
  "nbd://", "nbd+tcp://", "nbd+unix://", "http://", "https://", NULL
};

int
drydock_int_source_is_remote (const char *filename)
{
  for (size_t i = 0; remote_schemes[i]; ++i)
    if (strncmp (filename, remote_schemes[i], strlen (remote_schemes[i])) == 0)
      return 1;
  return 0;
}

/* qemu's message without its "qemu-img: " prefixes, first line only. */
static const char *
qemu_message (char *err)
{
  char *m = err ? err : "";

  m[strcspn (m, "\n")] = '\0';
  while (strncmp (m, "qemu-img: ", 10) == 0)
    m += 10;
  return *m ? m : "qemu-img failed";
}

/* The block driver a URI needs, for the message when qemu lacks it. */
static const char *
missing_module (const char *spec, const char *err)
{
  if ((strncmp (spec, "http", 4) == 0) &&
      (strstr (err, "Unknown protocol") || strstr (err, "Unknown driver") ||
       strstr (err, "not whitelisted") || strstr (err, "curl")))
    return "curl";
  return NULL;
}

int
drydock_int_source_info (drydock_h *h, const char *name, const char *spec,
                         const char *format, struct imginfo *info)
{
  CLEANUP_FREE char *out = NULL, *err = NULL;
  char *argv[10];
  size_t n = 0;
  int r;

  argv[n++] = (char *) QEMU_IMG;
  argv[n++] = (char *) "info";
  argv[n++] = (char *) "--backing-chain";
  argv[n++] = (char *) "--output=json";
  /* -U: a read-only look, even while a VM holds the image. */
  argv[n++] = (char *) "-U";
  if (format) {
    argv[n++] = (char *) "-f";
    argv[n++] = (char *) format;
  }
  argv[n++] = (char *) spec;
  argv[n] = NULL;
  r = drydock_int_run (h, argv, &out, &err);
  if (r != 0) {
    const char *m = qemu_message (err);
    const char *mod = missing_module (spec, m);

    if (mod)
      drydock_int_error_errno (h, ENOTSUP, "add_drive: %s: qemu has no %s "
                               "block driver (install qemu-block-extra)",
                               name, mod);
    else
      drydock_int_error_errno (h, r == -1 ? errno : EINVAL, "add_drive: %s: "
                               "%s", name, m);
    return -1;
  }
  if (imginfo_parse (out ? out : "", info) == -1) {
    drydock_int_error_errno (h, EIO, "add_drive: %s: cannot read qemu-img "
                             "info's output", name);
    return -1;
  }
  return 0;
}

char *
drydock_int_source_slice_spec (const char *file, int64_t offset, int64_t size,
                               const char *format)
{
  CLEANUP_FREE char *jfile = drydock_int_json_string (file);
  CLEANUP_FREE char *slice = NULL;
  char *s = NULL;

  if (jfile == NULL ||
      asprintf (&slice, "{\"driver\":\"raw\",\"offset\":%" PRIi64 ","
                "\"size\":%" PRIi64 ",\"file\":{\"driver\":\"file\","
                "\"filename\":%s}}", offset, size, jfile) == -1)
    return NULL;
  /* The raw slice is the image itself when it is raw; any other format
   * is read by its driver over the slice. */
  if (strcmp (format, "raw") == 0) {
    if (asprintf (&s, "json:%s", slice) == -1)
      return NULL;
  }
  else if (asprintf (&s, "json:{\"driver\":\"%s\",\"file\":%s}", format,
                     slice) == -1)
    return NULL;
  return s;
}

/* ---- OVA: a tar read on the host, to find its disks' byte ranges ---- */

#define TAR_BLOCK 512

/* A tar number: octal digits, or GNU's base-256 for large values.  -1
 * for anything else. */
static int64_t
tar_number (const unsigned char *f, size_t len)
{
  int64_t v = 0;
  size_t i = 0;

  if (f[0] & 0x80) {
    if (f[0] != 0x80)
      return -1;
    for (i = 1; i < len; ++i) {
      if (v > (INT64_MAX >> 8))
        return -1;
      v = (v << 8) | f[i];
    }
    return v;
  }
  while (i < len && f[i] == ' ')
    ++i;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (v > (INT64_MAX >> 3))
      return -1;
    v = v * 8 + (f[i] - '0');
  }
  if (i < len && f[i] != ' ' && f[i] != '\0')
    return -1;
  return v;
}

/* The path= and size= records of a pax extended header. */
static int
pax_records (const char *buf, size_t len, char **path, int64_t *size)
{
  size_t pos = 0;

  while (pos < len) {
    char *end;
    unsigned long rl = strtoul (buf + pos, &end, 10);
    const char *kv;

    if (end == buf + pos || *end != ' ' || rl == 0 || rl > len - pos)
      return -1;
    kv = end + 1;
    if (buf[pos + rl - 1] != '\n')
      return -1;
    if (strncmp (kv, "path=", 5) == 0) {
      free (*path);
      *path = strndup (kv + 5, buf + pos + rl - 1 - (kv + 5));
      if (*path == NULL)
        return -1;
    }
    else if (strncmp (kv, "size=", 5) == 0)
      *size = strtoll (kv + 5, NULL, 10);
    pos += rl;
  }
  return 0;
}

static int
has_suffix (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);

  return n >= m && strcasecmp (s + n - m, suffix) == 0;
}

static const char *const disk_suffixes[] = {
  ".vmdk", ".img", ".raw", ".qcow2", ".vhd", ".vhdx", ".vdi", NULL
};

static int
is_disk_name (const char *name)
{
  for (size_t i = 0; disk_suffixes[i]; ++i)
    if (has_suffix (name, disk_suffixes[i]))
      return 1;
  return 0;
}

int
drydock_int_is_tar (int fd)
{
  char magic[6];

  return pread (fd, magic, 6, 257) == 6 &&
    (memcmp (magic, "ustar\0", 6) == 0 || memcmp (magic, "ustar ", 6) == 0);
}

static int
add_disk (struct ova_disk **disks, size_t *n, char *name, int64_t offset,
          int64_t size)
{
  struct ova_disk *v = realloc (*disks, (*n + 1) * sizeof *v);

  if (v == NULL)
    return -1;
  *disks = v;
  v[(*n)++] = (struct ova_disk) { name, offset, size };
  return 0;
}

int
drydock_int_ova_disks (drydock_h *h, const char *file, int fd,
                       int64_t file_size, struct ova_disk **disks, size_t *n)
{
  unsigned char hdr[TAR_BLOCK];
  int64_t pos = 0, pax_size = -1;
  CLEANUP_FREE char *pax_path = NULL;
  int ovf = 0;

  *disks = NULL;
  *n = 0;
  while (pos + TAR_BLOCK <= file_size) {
    CLEANUP_FREE char *name = NULL;
    int64_t size, data = pos + TAR_BLOCK;
    char type;

    if (pread (fd, hdr, TAR_BLOCK, pos) != TAR_BLOCK)
      goto bad;
    if (hdr[0] == '\0')
      break;                    /* the end-of-archive blocks */
    size = tar_number (hdr + 124, 12);
    if (size < 0 || size > file_size - data)
      goto bad;
    type = (char) hdr[156];
    if (type == 'x' || type == 'L') {
      CLEANUP_FREE char *buf = malloc (size + 1);

      if (buf == NULL || size > 1024 * 1024 ||
          pread (fd, buf, size, data) != size)
        goto bad;
      buf[size] = '\0';
      if (type == 'L') {
        free (pax_path);
        pax_path = strndup (buf, size);
      }
      else if (pax_records (buf, size, &pax_path, &pax_size) == -1)
        goto bad;
    }
    else {
      if (pax_path)
        name = pax_path, pax_path = NULL;
      else if (memcmp (hdr + 257, "ustar", 5) == 0 && hdr[345])
        asprintf (&name, "%.155s/%.100s", (char *) hdr + 345, (char *) hdr);
      else
        name = strndup ((char *) hdr, 100);
      if (name == NULL)
        goto nomem;
      if (pax_size >= 0) {
        if (pax_size > file_size - data)
          goto bad;
        size = pax_size;
      }
      pax_size = -1;
      if (type == '0' || type == '\0') {
        if (has_suffix (name, ".ovf"))
          ovf = 1;
        else if (is_disk_name (name)) {
          if (add_disk (disks, n, name, data, size) == -1)
            goto nomem;
          name = NULL;
        }
      }
    }
    pos = data + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
  }
  if (!ovf) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: a tar without an "
                             ".ovf file is not an OVA", file);
    goto fail;
  }
  if (*n == 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: the OVA holds no "
                             "disk image", file);
    goto fail;
  }
  return 0;
 nomem:
  drydock_int_perror (h, "add_drive: %s", file);
  goto fail;
 bad:
  drydock_int_error_errno (h, EINVAL, "add_drive: %s: a damaged tar header "
                           "at byte %" PRIi64, file, pos);
 fail:
  drydock_int_ova_disks_free (*disks, *n);
  *disks = NULL;
  *n = 0;
  return -1;
}

void
drydock_int_ova_disks_free (struct ova_disk *disks, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    free (disks[i].name);
  free (disks);
}
