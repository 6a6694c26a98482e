/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fstrim: the FITRIM ioctl on a mounted guest filesystem, so the blocks
 * it does not use are discarded down to the qcow2 overlay (which then
 * releases the clusters).  Done directly rather than through the fstrim
 * program: one ioctl needs no process. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

int
do_fstrim (const char *mountpoint, uint64_t optmask, int64_t offset,
           int64_t length, int64_t minimumfreeextent)
{
  CLEANUP_CLOSE int fd = -1;
  struct fstrim_range range = { .start = 0, .len = UINT64_MAX, .minlen = 0 };

  if (((optmask & OPT_FSTRIM_OFFSET) && offset < 0) ||
      ((optmask & OPT_FSTRIM_LENGTH) && length <= 0) ||
      ((optmask & OPT_FSTRIM_MINIMUMFREEEXTENT) && minimumfreeextent < 0))
    return reply_with_error_errno (EINVAL, "%s: offset and minimum free "
                                   "extent must not be negative, length "
                                   "must be positive", mountpoint);
  if (optmask & OPT_FSTRIM_OFFSET)
    range.start = (uint64_t) offset;
  if (optmask & OPT_FSTRIM_LENGTH)
    range.len = (uint64_t) length;
  if (optmask & OPT_FSTRIM_MINIMUMFREEEXTENT)
    range.minlen = (uint64_t) minimumfreeextent;

  fd = sysroot_open (mountpoint, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1)
    return reply_with_perror ("%s", mountpoint);
  /* Blocks freed by writes still in the page cache are only free once
   * those writes reach the filesystem. */
  sync ();
  if (ioctl (fd, FITRIM, &range) == -1) {
    if (errno == EOPNOTSUPP || errno == ENOTTY)
      return reply_with_error_errno (EOPNOTSUPP, "%s: filesystem does not "
                                     "support discard", mountpoint);
    return reply_with_perror ("%s: FITRIM", mountpoint);
  }
  /* The discards are complete; flush so the overlay sees them now. */
  sync ();
  return 0;
}

/* One sync + FITRIM pass over the whole filesystem; the bytes trimmed,
 * or -1 with errno. */
static int64_t
trim_pass (int fd)
{
  struct fstrim_range range = { .start = 0, .len = UINT64_MAX, .minlen = 0 };

  syncfs (fd);
  if (ioctl (fd, FITRIM, &range) == -1)
    return -1;
  return range.len > INT64_MAX ? INT64_MAX : (int64_t) range.len;
}

int64_t
do_fstrim_free (const char *mountpoint)
{
  CLEANUP_CLOSE int fd = sysroot_open (mountpoint, O_RDONLY | O_DIRECTORY, 0);
  int64_t best = 0, prev = -1;

  if (fd == -1)
    return reply_with_perror ("%s", mountpoint);
  for (int pass = 0; pass < 4; ++pass) {
    int64_t n = trim_pass (fd);

    if (n == -1) {
      if (errno == EOPNOTSUPP || errno == ENOTTY)
        return reply_with_error_errno (EOPNOTSUPP, "%s: filesystem does not "
                                       "support discard", mountpoint);
      return reply_with_perror ("%s: FITRIM", mountpoint);
    }
    if (n > best)
      best = n;
    if (n == 0 || n == prev)
      break;
    prev = n;
  }
  syncfs (fd);
  return best;
}
