/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest file or a device compressed on its way out (compress_out,
 * compress_device_out): the compressor runs as a filter over the open
 * file and its output is streamed to the host chunk by chunk
 * (filter.c), so any size passes. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

struct ctype {
  const char *name;
  const char *prog;
  int min, max;                 /* compression levels; max 0: none */
};

static const struct ctype ctypes[] = {
  { "gzip", "gzip", 1, 9 }, { "bzip2", "bzip2", 1, 9 },
  { "xz", "xz", 0, 9 }, { "lzop", "lzop", 1, 9 },
  { "compress", "compress", 0, 0 }, { "lz4", "lz4", 1, 12 },
  { "zstd", "zstd", 1, 19 },
};

/* The program's argv for ctype and level (level_given: the optional
 * argument was passed) in argv (5 slots), level text in lbuf.  0, or
 * -1 after replying. */
static int
compress_argv (const char *ctype, int level_given, int level, char **argv,
               char *lbuf, size_t lsize)
{
  const struct ctype *c = NULL;
  size_t n = 0;

  for (size_t i = 0; i < sizeof ctypes / sizeof ctypes[0]; ++i)
    if (strcmp (ctype, ctypes[i].name) == 0)
      c = &ctypes[i];
  if (c == NULL)
    return reply_with_error_errno (EINVAL, "ctype \"%s\": not supported "
                                   "(gzip, bzip2, xz, lzop, compress, lz4 "
                                   "or zstd)", ctype);
  if (level_given && c->max == 0)
    return reply_with_error_errno (EINVAL, "%s: no compression level can be "
                                   "given", ctype);
  if (level_given && (level < c->min || level > c->max))
    return reply_with_error_errno (EINVAL, "%s: level %d is not between %d "
                                   "and %d", ctype, level, c->min, c->max);
  if (!program_available (c->prog))
    return reply_with_error_errno (ENOTSUP, "%s: not supported: no %s "
                                   "program in this appliance", ctype,
                                   c->prog);
  argv[n++] = (char *) c->prog;
  argv[n++] = "-c";
  if (level_given) {
    snprintf (lbuf, lsize, "-%d", level);
    argv[n++] = lbuf;
  }
  argv[n] = NULL;
  return 0;
}

/* Compresses what in holds and streams it out.  0, or -1 (replied). */
static int
compress_fd (const char *ctype, uint64_t given, int level, int in,
             const char *subject)
{
  char *argv[5], lbuf[16];

  if (compress_argv (ctype, given != 0, level, argv, lbuf, sizeof lbuf) == -1)
    return -1;
  return filter_stream_out (argv, in, subject);
}

int
do_compress_out (const char *ctype, const char *file, uint64_t optmask,
                 int level)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (file, 0, NULL);

  if (fd == -1)
    return -1;
  return compress_fd (ctype, optmask & OPT_COMPRESS_OUT_LEVEL, level, fd,
                      file);
}

int
do_compress_device_out (const char *ctype, const char *device,
                        uint64_t optmask, int level)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);

  if (fd == -1)
    return reply_with_perror ("%s", device);
  return compress_fd (ctype, optmask & OPT_COMPRESS_DEVICE_OUT_LEVEL, level,
                      fd, device);
}
