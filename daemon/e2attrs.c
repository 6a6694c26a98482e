/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inode attributes (lsattr/chattr letters) and generation numbers of
 * guest files: get/set_e2attrs, get/set_e2generation, through the
 * FS_IOC_* ioctls on the file itself.  Separate from ext.c because it
 * works on guest files, not on devices. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The attributes in get_e2attrs' order; settable is 0 for those only
 * the kernel sets. */
static const struct {
  char letter;
  unsigned flag;
  int settable;
} attrs[] = {
  { 's', FS_SECRM_FL, 1 }, { 'u', FS_UNRM_FL, 1 }, { 'S', FS_SYNC_FL, 1 },
  { 'D', FS_DIRSYNC_FL, 1 }, { 'i', FS_IMMUTABLE_FL, 1 },
  { 'a', FS_APPEND_FL, 1 }, { 'd', FS_NODUMP_FL, 1 },
  { 'A', FS_NOATIME_FL, 1 }, { 'c', FS_COMPR_FL, 1 },
  { 'E', 0x800 /* FS_ENCRYPT_FL */, 0 }, { 'j', FS_JOURNAL_DATA_FL, 1 },
  { 'I', FS_INDEX_FL, 0 }, { 't', FS_NOTAIL_FL, 1 },
  { 'T', FS_TOPDIR_FL, 1 }, { 'e', FS_EXTENT_FL, 1 },
  { 'C', FS_NOCOW_FL, 1 }, { 'x', 0x2000000 /* FS_DAX_FL */, 1 },
  { 'N', FS_INLINE_DATA_FL, 0 }, { 'P', FS_PROJINHERIT_FL, 1 },
  { 'F', 0x40000000 /* FS_CASEFOLD_FL */, 1 },
  { 'V', 0x100000 /* FS_VERITY_FL */, 0 },
};
#define N_ATTRS (sizeof attrs / sizeof attrs[0])

/* Opens the guest file PATH for the ioctls: a regular file or a
 * directory, anything else refused without being opened for real (a
 * FIFO would block, a device node would reach an appliance device).
 * The fd, or -1 (replied). */
static int
open_inode (const char *path)
{
  CLEANUP_CLOSE int pfd = sysroot_open (path, O_PATH, 0);
  char buf[32];
  struct stat st;
  int fd;

  if (pfd == -1 || fstat (pfd, &st) == -1)
    return reply_with_perror ("%s", path);
  if (!S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    return reply_not_regular (path, st.st_mode);
  fd = open (fd_path (pfd, buf), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("%s", path);
  return fd;
}

static int
get_flags (const char *path, int fd, unsigned *flags)
{
  int v;

  if (ioctl (fd, FS_IOC_GETFLAGS, &v) == -1)
    return reply_with_perror ("%s: reading its attributes", path);
  *flags = (unsigned) v;
  return 0;
}

char *
do_get_e2attrs (const char *file)
{
  CLEANUP_CLOSE int fd = open_inode (file);
  char out[N_ATTRS + 1], *o = out;
  unsigned flags = 0;
  char *r;

  if (fd == -1 || get_flags (file, fd, &flags) == -1)
    return NULL;
  for (size_t i = 0; i < N_ATTRS; ++i)
    if (flags & attrs[i].flag)
      *o++ = attrs[i].letter;
  *o = '\0';
  if ((r = strdup (out)) == NULL)
    reply_with_perror ("%s", file);
  return r;
}

int
do_set_e2attrs (const char *file, const char *letters, uint64_t optmask,
                int clear)
{
  CLEANUP_CLOSE int fd = -1;
  unsigned flags = 0, change = 0;
  int v;

  for (const char *p = letters; *p; ++p) {
    size_t i;

    for (i = 0; i < N_ATTRS && attrs[i].letter != *p; ++i)
      ;
    if (i == N_ATTRS || !attrs[i].settable)
      return reply_with_error_errno (EINVAL, "%s: '%c': %s", file, *p,
                                     i == N_ATTRS ? "not an attribute" :
                                     "only the kernel sets this attribute");
    change |= attrs[i].flag;
  }
  if ((fd = open_inode (file)) == -1 || get_flags (file, fd, &flags) == -1)
    return -1;
  if ((optmask & OPT_SET_E2ATTRS_CLEAR) && clear)
    flags &= ~change;
  else
    flags |= change;
  v = (int) flags;
  if (ioctl (fd, FS_IOC_SETFLAGS, &v) == -1)
    return reply_with_perror ("%s: setting its attributes", file);
  return 0;
}

int64_t
do_get_e2generation (const char *file)
{
  CLEANUP_CLOSE int fd = open_inode (file);
  int v;

  if (fd == -1)
    return -1;
  if (ioctl (fd, FS_IOC_GETVERSION, &v) == -1)
    return reply_with_perror ("%s: reading its generation", file);
  return (int64_t) (unsigned) v;
}

int
do_set_e2generation (const char *file, int64_t generation)
{
  CLEANUP_CLOSE int fd = -1;
  int v;

  if (generation < 0 || generation > UINT32_MAX)
    return reply_with_error_errno (EINVAL, "%s: generation %" PRIi64
                                   ": 0 to 4294967295", file, generation);
  if ((fd = open_inode (file)) == -1)
    return -1;
  v = (int) (unsigned) generation;
  if (ioctl (fd, FS_IOC_SETVERSION, &v) == -1) {
    if (errno == ENOTTY)
      return reply_with_error_errno (ENOTSUP, "%s: this filesystem keeps "
                                     "generations fixed (ext4 with metadata "
                                     "checksums does)", file);
    return reply_with_perror ("%s: setting its generation", file);
  }
  return 0;
}
