/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checks of an image named on the command line, in one place so
 * that every tool refuses a missing file, a directory, an unreadable
 * file or a wrong format with the same line, before any appliance
 * starts: "'FILE': REASON". */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "options.h"

#define _(s) gettext (s)

const char *const tool_formats[] = { "raw", "qcow2", NULL };

/* What -a and --format take: every format qemu reads that drydock
 * attaches, and an OVA read in place. */
const char *const tool_input_formats[] = {
  "raw", "qcow2", "qcow", "vmdk", "vdi", "vhdx", "vpc", "qed", "dmg",
  "parallels", "luks", "ova", NULL
};

/* Signatures of the formats besides raw and qcow2, so that a probed
 * image is named on stderr (the library probes with qemu's own rules;
 * this is only the note), and so that sparsify, which takes raw and
 * qcow2 alone, refuses them by name instead of reading them as raw. */
static const struct {
  const char *name;
  const char *magic;
  size_t len;
  size_t offset;
} other_formats[] = {
  { "vmdk", "KDMV", 4, 0 },
  { "vmdk", "# Disk DescriptorFile", 21, 0 },
  { "vdi", "\x7f\x10\xda\xbe", 4, 64 },
  { "vhdx", "vhdxfile", 8, 0 },
  { "vpc", "conectix", 8, 0 },
  { "qed", "QED\0", 4, 0 },
  { "qcow", "QFI\xfb\0\0\0\x01", 8, 0 },
  { "parallels", "WithoutFreeSpace", 16, 0 },
  { "parallels", "WithouFreSpacExt", 16, 0 },
  { "luks", "LUKS\xba\xbe", 6, 0 },
  { "ova", "ustar", 5, 257 },
};

static const char *
other_format (const char *buf, size_t len)
{
  for (size_t i = 0; i < sizeof other_formats / sizeof other_formats[0]; ++i)
    if (other_formats[i].offset + other_formats[i].len <= len &&
        memcmp (buf + other_formats[i].offset, other_formats[i].magic,
                other_formats[i].len) == 0)
      return other_formats[i].name;
  return NULL;
}

int
tool_format_known (const char *name)
{
  for (size_t i = 0; tool_formats[i]; ++i)
    if (strcmp (name, tool_formats[i]) == 0)
      return 1;
  return 0;
}

int
tool_input_format_known (const char *name)
{
  for (size_t i = 0; tool_input_formats[i]; ++i)
    if (strcmp (name, tool_input_formats[i]) == 0)
      return 1;
  return 0;
}

int
tool_check_format (const char *value, const char **format)
{
  if (value == NULL || *value == '\0' || strcmp (value, "auto") == 0) {
    *format = NULL;
    return 0;
  }
  if (!tool_input_format_known (value))
    return tool_error (_("--format '%s': unsupported format (use raw, "
                         "qcow2, qcow, vmdk, vdi, vhdx, vpc, qed, dmg, "
                         "parallels, luks or ova)"), value);
  *format = value;
  return 0;
}

int
tool_is_remote (const char *file)
{
  static const char *const schemes[] = {
    "nbd://", "nbd+tcp://", "nbd+unix://", "http://", "https://", "ftp://",
    "ftps://", "ssh://", "iscsi://", "gluster://", "gluster+tcp://",
    "gluster+unix://", "rbd:", "nfs://", NULL
  };

  for (size_t i = 0; schemes[i]; ++i)
    if (strncmp (file, schemes[i], strlen (schemes[i])) == 0)
      return 1;
  return 0;
}

int
tool_check_image (const char *file, const char *format, const char **resolved)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[512] = "";
  struct stat st;
  ssize_t n;
  const char *other;
  int qcow2;

  if (tool_is_remote (file)) {
    if (resolved)
      return tool_error (_("'%s': a remote image cannot be used here"), file);
    return 0;
  }
  /* stat first: opening a FIFO would block. */
  if (stat (file, &st) == -1)
    return tool_error ("'%s': %s", file, strerror (errno));
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode))
    return tool_error (_("'%s': not a regular file or block device"), file);
  fd = open (file, O_RDONLY | O_CLOEXEC);
  if (fd == -1 || (n = pread (fd, buf, sizeof buf, 0)) == -1)
    return tool_error ("'%s': %s", file, strerror (errno));
  qcow2 = n >= 8 && memcmp (buf, "QFI\xfb", 4) == 0 && buf[7] != 1;
  other = other_format (buf, n);
  /* A given format the signature contradicts, named with the one
   * found; the library has qemu check the rest. */
  if (format && strcmp (format, "raw") != 0) {
    const char *found = qcow2 ? "qcow2" : other ? other :
      strcmp (format, "qcow2") == 0 ? "raw" : NULL;

    if (found && strcmp (found, format) != 0)
      return tool_error (_("'%s': format %s was given but the image is %s"),
                         file, format, found);
  }
  if (resolved == NULL) {
    if (format == NULL && other)
      fprintf (stderr, _("%s: '%s': format probed: %s\n"),
               tool_program_name (), file, other);
    return 0;
  }
  if (format) {
    if (!tool_format_known (format))
      return tool_error (_("--format '%s': unsupported format (use raw or "
                           "qcow2)"), format);
    *resolved = format;
    return 0;
  }
  if (other)
    return tool_error (_("'%s': unsupported format %s (convert it to raw "
                         "or qcow2 first, or give --format raw if it "
                         "really is a raw disk)"), file, other);
  *resolved = qcow2 ? "qcow2" : "raw";
  return 0;
}
