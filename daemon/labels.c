/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filesystem labels and UUIDs: set_label, set_uuid, set_uuid_random.
 * Each filesystem type has its own tool and its own limits; they are
 * checked here, before the tool runs, so a refusal names the limit and
 * nothing is half-written.  The type is what libblkid finds on the
 * device, never what the caller says. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "daemon.h"
#include "actions-gen.h"

enum fs_kind { FS_OTHER, FS_EXT, FS_XFS, FS_BTRFS, FS_VFAT, FS_NTFS, FS_SWAP };

static enum fs_kind
fs_kind (const char *type)
{
  static const struct { const char *type; enum fs_kind kind; } table[] = {
    { "ext2", FS_EXT }, { "ext3", FS_EXT }, { "ext4", FS_EXT },
    { "xfs", FS_XFS }, { "btrfs", FS_BTRFS }, { "vfat", FS_VFAT },
    { "msdos", FS_VFAT }, { "ntfs", FS_NTFS }, { "swap", FS_SWAP },
  };

  for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    if (strcmp (table[i].type, type) == 0)
      return table[i].kind;
  return FS_OTHER;
}

/* The filesystem type on dev (caller frees), or NULL (replied). */
static char *
device_type (const char *dev)
{
  char *type = blkid_get (dev, "TYPE");

  if (type == NULL)
    reply_with_perror ("%s", dev);
  return type;
}

/* ENOTSUP for a type without a tool, naming what is there. */
static int
reply_unsupported (const char *dev, const char *type, const char *what)
{
  if (*type == '\0')
    return reply_with_error_errno (ENOTSUP, "%s: no filesystem found, so no "
                                   "%s to set", dev, what);
  return reply_with_error_errno (ENOTSUP, "%s: cannot set the %s of a %s "
                                 "filesystem (ext2/3/4, xfs, btrfs, vfat, "
                                 "ntfs or swap)", dev, what, type);
}

/* XFS and btrfs tools write the superblock of an unmounted filesystem
 * only; say so rather than let them fail obscurely.  0, or -1 (replied)
 * if dev is mounted. */
static int
check_unmounted (const char *dev, const char *type)
{
  CLEANUP_FCLOSE FILE *fp = NULL;
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0;
  struct stat st;

  if (stat (dev, &st) == -1)
    return reply_with_perror ("%s", dev);
  fp = fopen ("/proc/self/mountinfo", "re");
  while (fp && getline (&line, &cap, fp) != -1) {
    unsigned int maj, min;

    /* "ID PARENT MAJOR:MINOR ..." */
    if (sscanf (line, "%*u %*u %u:%u", &maj, &min) == 2 &&
        maj == major (st.st_rdev) && min == minor (st.st_rdev))
      return reply_with_error_errno (EBUSY, "%s: the %s filesystem is "
                                     "mounted: unmount it first", dev, type);
  }
  return 0;
}

/* Runs argv; on failure replies "DEVICE: PROGRAM: its stderr".  0, or
 * -1 (replied). */
static int
run_tool (const char *dev, char *const *argv)
{
  CLEANUP_FREE char *err = NULL;
  int r = run_command (NULL, &err, argv);

  if (r == 0)
    return 0;
  return reply_command_error (dev, argv, r, err);
}

static int
reply_too_long (const char *dev, const char *type, size_t max)
{
  return reply_with_error_errno (EINVAL, "%s: %s labels are limited to %zu "
                                 "bytes", dev, type, max);
}

/* Characters, counting UTF-8 sequences as one. */
static size_t
utf8_length (const char *s)
{
  size_t n = 0;

  for (; *s; ++s)
    if (((unsigned char) *s & 0xc0) != 0x80)
      n++;
  return n;
}

int
do_set_label (const char *mountable, const char *label)
{
  CLEANUP_FREE char *type = device_type (mountable);
  /* A btrfs subvolume: the label is its filesystem's. */
  CLEANUP_FREE char *vdev = IS_BTRFSVOL (mountable)
    ? mountable_dev (mountable) : NULL;
  size_t len = strlen (label);
  const char *dev = vdev ? vdev : mountable;

  if (type == NULL)
    return -1;
  switch (fs_kind (type)) {
  case FS_EXT: {
    char *const argv[] = { "tune2fs", "-L", (char *) label, (char *) dev,
                           NULL };
    if (len > 16)
      return reply_too_long (dev, type, 16);
    return run_tool (dev, argv);
  }
  case FS_XFS: {
    CLEANUP_FREE char *cmd = NULL;
    char *argv[] = { "xfs_db", "-x", "-c", NULL, (char *) dev, NULL };
    if (len > 12)
      return reply_too_long (dev, type, 12);
    /* xfs_db splits its command at blanks; "" is its empty label. */
    if (strpbrk (label, " \t\n\r\v\f"))
      return reply_with_error_errno (EINVAL, "%s: an xfs label cannot "
                                     "contain blanks", dev);
    if (check_unmounted (dev, type) == -1)
      return -1;
    if (asprintf (&cmd, "label %s", len ? label : "\"\"") == -1)
      return reply_with_perror ("%s", dev);
    argv[3] = cmd;
    return run_tool (dev, argv);
  }
  case FS_BTRFS: {
    char *const argv[] = { "btrfs", "filesystem", "label", (char *) dev,
                           (char *) label, NULL };
    if (len > 255)
      return reply_too_long (dev, type, 255);
    if (strchr (label, '\n'))
      return reply_with_error_errno (EINVAL, "%s: a btrfs label cannot "
                                     "contain a newline", dev);
    if (check_unmounted (dev, type) == -1)
      return -1;
    return run_tool (dev, argv);
  }
  case FS_VFAT: {
    char *const set[] = { "fatlabel", "--", (char *) dev, (char *) label,
                          NULL };
    char *const clear[] = { "fatlabel", "-r", (char *) dev, NULL };
    if (len > 11)
      return reply_too_long (dev, type, 11);
    return run_tool (dev, len ? set : clear);
  }
  case FS_NTFS: {
    char *const argv[] = { "ntfslabel", (char *) dev, (char *) label, NULL };
    if (utf8_length (label) > 128)
      return reply_with_error_errno (EINVAL, "%s: ntfs labels are limited "
                                     "to 128 characters", dev);
    /* ntfslabel takes no "--": a label starting with "-" is an option. */
    if (label[0] == '-')
      return reply_with_error_errno (EINVAL, "%s: an ntfs label cannot "
                                     "start with \"-\"", dev);
    return run_tool (dev, argv);
  }
  case FS_SWAP: {
    char *const argv[] = { "swaplabel", "-L", (char *) label, (char *) dev,
                           NULL };
    if (len > 16)
      return reply_too_long (dev, type, 16);
    return run_tool (dev, argv);
  }
  default:
    return reply_unsupported (dev, type, "label");
  }
}

/* UUID forms. */

static int
is_hex (const char *s, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    if (!isxdigit ((unsigned char) s[i]))
      return 0;
  return 1;
}

/* 8-4-4-4-12 hexadecimal digits. */
static int
is_std_uuid (const char *s)
{
  if (strlen (s) != 36)
    return 0;
  for (size_t i = 0; i < 36; ++i) {
    int dash = i == 8 || i == 13 || i == 18 || i == 23;

    if (dash ? s[i] != '-' : !is_hex (&s[i], 1))
      return 0;
  }
  return 1;
}

/* A vfat volume ID, "XXXX-XXXX" or 8 digits, into out as 8 digits.
 * 0, or -1 if it is not one. */
static int
vfat_id (const char *s, char out[9])
{
  size_t n = strlen (s);

  if (n == 9 && s[4] == '-' && is_hex (s, 4) && is_hex (s + 5, 4))
    snprintf (out, 9, "%.4s%.4s", s, s + 5);
  else if (n == 8 && is_hex (s, 8))
    memcpy (out, s, 9);
  else
    return -1;
  return 0;
}

/* tune2fs -U.  With metadata_csum it rewrites every checksum and so
 * wants a filesystem checked since it was last mounted: when it
 * refuses, e2fsck -f -p (which fixes only what is safe to fix) runs
 * first, and tune2fs again. */
static int
set_ext_uuid (const char *dev, const char *uuid)
{
  char *const tune[] = { "tune2fs", "-U", (char *) uuid, (char *) dev, NULL };
  char *const fsck[] = { "e2fsck", "-f", "-p", (char *) dev, NULL };
  CLEANUP_FREE char *out = NULL, *err = NULL;
  int r;

  r = run_command (&out, &err, tune);
  if (r == 0)
    return 0;
  /* tune2fs says why on stdout. */
  if (r == -1 || out == NULL || strstr (out, "e2fsck -f") == NULL)
    return reply_command_error (dev, tune, r, err && *err ? err : out);
  free (err);
  err = NULL;
  /* 1: errors were corrected, which preen mode only does when safe. */
  r = run_command (NULL, &err, fsck);
  if (r != 0 && r != 1)
    return reply_command_error (dev, fsck, r, err);
  return run_tool (dev, tune);
}

static int
set_uuid_of (const char *dev, const char *type, const char *uuid)
{
  enum fs_kind kind = fs_kind (type);

  if ((kind == FS_EXT || kind == FS_XFS || kind == FS_BTRFS ||
       kind == FS_SWAP) && !is_std_uuid (uuid))
    return reply_with_error_errno (EINVAL, "%s: \"%s\" is not a UUID "
                                   "(8-4-4-4-12 hexadecimal digits)", dev,
                                   uuid);
  switch (kind) {
  case FS_EXT:
    return set_ext_uuid (dev, uuid);
  case FS_XFS: {
    char cmd[64];
    char *const argv[] = { "xfs_db", "-x", "-c", cmd, (char *) dev, NULL };
    if (check_unmounted (dev, type) == -1)
      return -1;
    snprintf (cmd, sizeof cmd, "uuid %s", uuid);
    return run_tool (dev, argv);
  }
  case FS_BTRFS: {
    /* -f: do not ask on the terminal, there is none. */
    char *const argv[] = { "btrfstune", "-f", "-U", (char *) uuid,
                           (char *) dev, NULL };
    if (check_unmounted (dev, type) == -1)
      return -1;
    return run_tool (dev, argv);
  }
  case FS_SWAP: {
    char *const argv[] = { "swaplabel", "-U", (char *) uuid, (char *) dev,
                           NULL };
    return run_tool (dev, argv);
  }
  case FS_VFAT: {
    char id[9];
    char *const argv[] = { "fatlabel", "-i", (char *) dev, id, NULL };
    if (vfat_id (uuid, id) == -1)
      return reply_with_error_errno (EINVAL, "%s: \"%s\" is not a vfat "
                                     "volume ID (XXXX-XXXX, 8 hexadecimal "
                                     "digits)", dev, uuid);
    return run_tool (dev, argv);
  }
  case FS_NTFS: {
    char opt[32];
    char *const argv[] = { "ntfslabel", opt, (char *) dev, NULL };
    if (strlen (uuid) != 16 || !is_hex (uuid, 16))
      return reply_with_error_errno (EINVAL, "%s: \"%s\" is not an ntfs "
                                     "serial number (16 hexadecimal "
                                     "digits)", dev, uuid);
    snprintf (opt, sizeof opt, "--new-serial=%s", uuid);
    return run_tool (dev, argv);
  }
  default:
    return reply_unsupported (dev, type, "UUID");
  }
}

int
do_set_uuid (const char *device, const char *uuid)
{
  CLEANUP_FREE char *type = device_type (device);

  if (type == NULL)
    return -1;
  return set_uuid_of (device, type, uuid);
}

/* A random identifier of the form the type takes, into out (at least
 * 37 bytes): a version 4 UUID, a vfat volume ID or an NTFS serial.
 * 0, or -1 with errno. */
static int
random_uuid (enum fs_kind kind, char *out)
{
  unsigned char b[16];

  if (getrandom (b, sizeof b, 0) != (ssize_t) sizeof b)
    return -1;
  if (kind == FS_VFAT) {
    sprintf (out, "%02x%02x-%02x%02x", b[0], b[1], b[2], b[3]);
    return 0;
  }
  if (kind == FS_NTFS) {
    for (size_t i = 0; i < 8; ++i)
      sprintf (out + 2 * i, "%02x", b[i]);
    return 0;
  }
  b[6] = (unsigned char) ((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char) ((b[8] & 0x3f) | 0x80);
  for (size_t i = 0, o = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out[o++] = '-';
    sprintf (out + o, "%02x", b[i]);
    o += 2;
  }
  return 0;
}

int
do_set_uuid_random (const char *device)
{
  CLEANUP_FREE char *type = device_type (device);
  char uuid[40];

  if (type == NULL)
    return -1;
  if (random_uuid (fs_kind (type), uuid) == -1)
    return reply_with_perror ("%s: random UUID", device);
  return set_uuid_of (device, type, uuid);
}
