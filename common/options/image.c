/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checks of an image named on the command line, in one place so
 * that every tool refuses a missing file, a directory, an unreadable
 * file or a wrong format with the same line, before any appliance
 * starts: "'FILE': REASON". */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "options.h"

#define _(s) gettext (s)

const char *const tool_formats[] = { "raw", "qcow2", NULL };

/* Signatures of formats drydock does not take, so that a probed image
 * in one of them is refused by name instead of read as a raw disk. */
static const struct {
  const char *name;
  const char *magic;
  size_t len;
} other_formats[] = {
  { "vmdk", "KDMV", 4 },
  { "vmdk", "# Disk DescriptorFile", 21 },
  { "vdi", "<<< ", 4 },
  { "vhdx", "vhdxfile", 8 },
  { "vpc", "conectix", 8 },
  { "qed", "QED\0", 4 },
  { "luks", "LUKS\xba\xbe", 6 },
};

int
tool_format_known (const char *name)
{
  for (size_t i = 0; tool_formats[i]; ++i)
    if (strcmp (name, tool_formats[i]) == 0)
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
  if (!tool_format_known (value))
    return tool_error (_("--format '%s': unsupported format (use raw or "
                         "qcow2)"), value);
  *format = value;
  return 0;
}

int
tool_check_image (const char *file, const char *format, const char **resolved)
{
  CLEANUP_CLOSE int fd = -1;
  char buf[64] = "";
  struct stat st;
  int qcow2;

  /* stat first: opening a FIFO would block. */
  if (stat (file, &st) == -1)
    return tool_error ("'%s': %s", file, strerror (errno));
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode))
    return tool_error (_("'%s': not a regular file or block device"), file);
  fd = open (file, O_RDONLY | O_CLOEXEC);
  if (fd == -1 || pread (fd, buf, sizeof buf, 0) == -1)
    return tool_error ("'%s': %s", file, strerror (errno));
  qcow2 = memcmp (buf, "QFI\xfb", 4) == 0;
  if (format) {
    if (strcmp (format, "qcow2") == 0 && !qcow2)
      return tool_error (_("'%s': not a qcow2 image (--format qcow2 was "
                           "given)"), file);
    if (resolved)
      *resolved = format;
    return 0;
  }
  for (size_t i = 0; i < sizeof other_formats / sizeof other_formats[0]; ++i)
    if (memcmp (buf, other_formats[i].magic, other_formats[i].len) == 0)
      return tool_error (_("'%s': unsupported format %s (convert it to raw "
                           "or qcow2 first, or give --format raw if it "
                           "really is a raw disk)"), file,
                         other_formats[i].name);
  if (resolved)
    *resolved = qcow2 ? "qcow2" : "raw";
  return 0;
}
