/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OVAs read in place: the tar headers (ustar, pax extended headers,
 * GNU long names and base-256 sizes) walked on the host to find each
 * disk's byte range.  The archive is untrusted: every size and offset
 * is checked against the file before use, in tar_entry.  Pure libc so
 * that a fuzz target can run it. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ova.h"

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
ova_is_tar (int fd)
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

/* Reads a pax or GNU long-name entry's data (at most 1 MiB). */
static char *
read_meta (int fd, int64_t off, int64_t size)
{
  char *buf;

  if (size > 1024 * 1024) {
    errno = EINVAL;
    return NULL;
  }
  buf = malloc (size + 1);
  if (buf == NULL)
    return NULL;
  if (pread (fd, buf, size, off) != size) {
    free (buf);
    errno = EIO;
    return NULL;
  }
  buf[size] = '\0';
  return buf;
}

/* The name of an ordinary entry: a pending pax or GNU long name, else
 * the ustar prefix and name. */
static char *
entry_name (const unsigned char *hdr, char **pending)
{
  char *name = NULL;

  if (*pending) {
    name = *pending;
    *pending = NULL;
  }
  else if (memcmp (hdr + 257, "ustar", 5) == 0 && hdr[345]) {
    if (asprintf (&name, "%.155s/%.100s", (const char *) hdr + 345,
                  (const char *) hdr) == -1)
      name = NULL;
  }
  else
    name = strndup ((const char *) hdr, 100);
  return name;
}

int
ova_scan (int fd, int64_t file_size, struct ova_disk **disks, size_t *n,
          int *has_ovf, int64_t *bad_at)
{
  unsigned char hdr[TAR_BLOCK];
  int64_t pos = 0, pax_size = -1;
  char *pending = NULL;

  *disks = NULL;
  *n = 0;
  *has_ovf = 0;
  while (pos <= file_size - TAR_BLOCK) {
    int64_t size, data = pos + TAR_BLOCK;
    char type, *name;

    *bad_at = pos;
    if (pread (fd, hdr, TAR_BLOCK, pos) != TAR_BLOCK) {
      errno = EIO;
      goto fail;
    }
    if (hdr[0] == '\0')
      break;                    /* the end-of-archive blocks */
    size = tar_number (hdr + 124, 12);
    if (size < 0 || size > file_size - data)
      goto bad;
    type = (char) hdr[156];
    if (type == 'x' || type == 'L') {
      char *buf = read_meta (fd, data, size);

      if (buf == NULL)
        goto fail;
      if (type == 'L') {
        free (pending);
        pending = buf;
      }
      else {
        int r = pax_records (buf, size, &pending, &pax_size);

        free (buf);
        if (r == -1)
          goto bad;
      }
    }
    else if (type != 'g') {
      name = entry_name (hdr, &pending);
      if (name == NULL)
        goto fail;
      if (pax_size >= 0) {
        if (pax_size > file_size - data) {
          free (name);
          goto bad;
        }
        size = pax_size;
      }
      pax_size = -1;
      if ((type == '0' || type == '\0') && has_suffix (name, ".ovf"))
        *has_ovf = 1;
      if ((type == '0' || type == '\0') && is_disk_name (name)) {
        if (add_disk (disks, n, name, data, size) == -1) {
          free (name);
          goto fail;
        }
      }
      else
        free (name);
    }
    /* size <= file_size - data: no overflow here. */
    pos = data + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
  }
  free (pending);
  return 0;
 bad:
  errno = EINVAL;
 fail:
  {
    int e = errno;

    free (pending);
    ova_disks_free (*disks, *n);
    *disks = NULL;
    *n = 0;
    errno = e;
  }
  return -1;
}

void
ova_disks_free (struct ova_disk *disks, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    free (disks[i].name);
  free (disks);
}
