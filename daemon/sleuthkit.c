/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a filesystem below its files, with the Sleuth Kit's programs
 * (optional group sleuthkit): one inode's data, deleted or not
 * (download_inode, icat), and a range of data units, all or only the
 * unallocated ones (download_blocks, blkls).  The device is read, never
 * mounted; the output streams to the host as it comes (filter.c). */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "daemon.h"
#include "actions-gen.h"

int
optgroup_sleuthkit_available (void)
{
  return program_available ("icat") && program_available ("blkls");
}

static int
sleuthkit_or_reply (const char *prog)
{
  if (!program_available (prog))
    return reply_with_error_errno (ENOTSUP, "%s: the Sleuth Kit is not in "
                                   "this appliance", prog);
  return 0;
}

int
do_download_inode (const char *device, int64_t inode)
{
  char num[32];
  char *argv[] = { "icat", "-r", (char *) device, num, NULL };

  if (inode < 0)
    return reply_with_error_errno (EINVAL, "%s: inode %" PRId64 " is not a "
                                   "number of an inode", device, inode);
  if (sleuthkit_or_reply ("icat") == -1)
    return -1;
  snprintf (num, sizeof num, "%" PRId64, inode);
  return filter_stream_out (argv, -1, device);
}

int
do_download_blocks (const char *device, int64_t start, int64_t stop,
                    uint64_t optmask, int unallocated)
{
  char range[64];
  char *argv[] = { "blkls", "-e", (char *) device, range, NULL };

  if (start < 0 || stop < start)
    return reply_with_error_errno (EINVAL, "%s: %" PRId64 " to %" PRId64
                                   " is not a range of data units", device,
                                   start, stop);
  if (sleuthkit_or_reply ("blkls") == -1)
    return -1;
  if ((optmask & OPT_DOWNLOAD_BLOCKS_UNALLOCATED) && unallocated)
    argv[1] = "-A";
  snprintf (range, sizeof range, "%" PRId64 "-%" PRId64, start, stop);
  return filter_stream_out (argv, -1, device);
}
