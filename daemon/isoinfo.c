/* SPDX-License-Identifier: GPL-2.0-or-later */
/* isoinfo and isoinfo_device: the primary volume descriptor of an ISO
 * 9660 filesystem (in sector 16, 2048-byte sectors), read and decoded
 * here from fixed offsets: its identifiers, sizes and dates. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define PVD_OFFSET (16 * 2048)
#define PVD_SIZE 2048

/* A field of n characters, without its padding blanks. */
static char *
id_field (const unsigned char *p, size_t n)
{
  while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\0'))
    n--;
  return strndup ((const char *) p, n);
}

/* The little-endian half of a both-endian number. */
static uint32_t
le32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
    (uint32_t) p[3] << 24;
}

static uint32_t
le16 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8;
}

/* A 17-byte date: 16 digits YYYYMMDDhhmmsscc and the offset from UTC in
 * quarters of an hour.  Seconds since the epoch, or -1 when it is not
 * set (or not a date). */
static int64_t
date_field (const unsigned char *p)
{
  struct tm tm = { 0 };
  int v[6];
  static const int width[6] = { 4, 2, 2, 2, 2, 2 };
  size_t at = 0;

  for (int i = 0; i < 6; ++i) {
    v[i] = 0;
    for (int j = 0; j < width[i]; ++j, ++at) {
      if (p[at] < '0' || p[at] > '9')
        return -1;
      v[i] = v[i] * 10 + (p[at] - '0');
    }
  }
  if (v[0] == 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
    return -1;
  tm.tm_year = v[0] - 1900;
  tm.tm_mon = v[1] - 1;
  tm.tm_mday = v[2];
  tm.tm_hour = v[3];
  tm.tm_min = v[4];
  tm.tm_sec = v[5];
  return (int64_t) timegm (&tm) - (int64_t) (signed char) p[16] * 15 * 60;
}

static struct drydock_isoinfo *
isoinfo_fd (int fd, const char *subject)
{
  unsigned char d[PVD_SIZE];
  struct drydock_isoinfo *r;
  ssize_t n = pread (fd, d, sizeof d, PVD_OFFSET);

  if (n == -1) {
    reply_with_perror ("%s", subject);
    return NULL;
  }
  if (n != (ssize_t) sizeof d || d[0] != 1 || memcmp (d + 1, "CD001", 5) != 0) {
    reply_with_error_errno (EINVAL, "%s: not an ISO 9660 filesystem (no "
                            "primary volume descriptor)", subject);
    return NULL;
  }
  r = calloc (1, sizeof *r);
  if (r == NULL) {
    reply_with_perror ("%s", subject);
    return NULL;
  }
  r->iso_system_id = id_field (d + 8, 32);
  r->iso_volume_id = id_field (d + 40, 32);
  r->iso_volume_space_size = le32 (d + 80);
  r->iso_volume_set_size = le16 (d + 120);
  r->iso_volume_sequence_number = le16 (d + 124);
  r->iso_logical_block_size = le16 (d + 128);
  r->iso_volume_set_id = id_field (d + 190, 128);
  r->iso_publisher_id = id_field (d + 318, 128);
  r->iso_data_preparer_id = id_field (d + 446, 128);
  r->iso_application_id = id_field (d + 574, 128);
  r->iso_copyright_file_id = id_field (d + 702, 37);
  r->iso_abstract_file_id = id_field (d + 739, 37);
  r->iso_bibliographic_file_id = id_field (d + 776, 37);
  r->iso_volume_creation_t = date_field (d + 813);
  r->iso_volume_modification_t = date_field (d + 830);
  r->iso_volume_expiration_t = date_field (d + 847);
  r->iso_volume_effective_t = date_field (d + 864);
  if (!r->iso_system_id || !r->iso_volume_id || !r->iso_volume_set_id ||
      !r->iso_publisher_id || !r->iso_data_preparer_id ||
      !r->iso_application_id || !r->iso_copyright_file_id ||
      !r->iso_abstract_file_id || !r->iso_bibliographic_file_id) {
    reply_with_perror ("%s", subject);
    free (r->iso_system_id);
    free (r->iso_volume_id);
    free (r->iso_volume_set_id);
    free (r->iso_publisher_id);
    free (r->iso_data_preparer_id);
    free (r->iso_application_id);
    free (r->iso_copyright_file_id);
    free (r->iso_abstract_file_id);
    free (r->iso_bibliographic_file_id);
    free (r);
    return NULL;
  }
  return r;
}

struct drydock_isoinfo *
do_isoinfo (const char *isofile)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (isofile, 0, NULL);

  if (fd == -1)
    return NULL;
  return isoinfo_fd (fd, isofile);
}

struct drydock_isoinfo *
do_isoinfo_device (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);

  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  return isoinfo_fd (fd, device);
}
