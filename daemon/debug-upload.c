/* SPDX-License-Identifier: GPL-2.0-or-later */
/* debug_upload: a file from the host into the appliance's own /tmp (not
 * the guest's), for debugging the appliance.  Apart from stream.c,
 * whose streams all go into the guest tree through the sysroot
 * helpers: this one never touches it. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

struct debug_upload {
  int fd;
};

static int
write_chunk (void *opaque, const void *buf, size_t n)
{
  struct debug_upload *u = opaque;

  return write_all (u->fd, buf, n);
}

int
do_debug_upload (const char *tmpname, int mode)
{
  struct debug_upload u;
  CLEANUP_FREE char *path = NULL;
  int r;

  if (*tmpname == '\0' || strchr (tmpname, '/') ||
      strcmp (tmpname, ".") == 0 || strcmp (tmpname, "..") == 0)
    return reply_with_error_errno (EINVAL, "debug_upload: '%s': a plain "
                                   "file name is needed", tmpname);
  if (mode < 0 || mode > 07777)
    return reply_with_error_errno (EINVAL, "debug_upload: mode %#o: not a "
                                   "file mode", (unsigned) mode);
  if (asprintf (&path, "/tmp/%s", tmpname) == -1)
    return reply_with_perror ("debug_upload");
  /* A symlink or a device left in /tmp is not followed or written. */
  unlink (path);
  u.fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               0600);
  if (u.fd == -1)
    return reply_with_perror ("debug_upload: %s", path);
  r = receive_file (write_chunk, &u);
  if (r != 0) {
    close (u.fd);
    unlink (path);
    if (r == -2)
      return reply_with_error_errno (ECANCELED, "debug_upload: %s: transfer "
                                     "cancelled by the host", path);
    if (r == -3)
      return reply_with_error_errno (EPROTO, "debug_upload: %s: file "
                                     "transfer protocol error", path);
    return reply_with_perror ("debug_upload: %s", path);
  }
  if (fchmod (u.fd, (mode_t) mode) == -1 || close (u.fd) == -1)
    return reply_with_perror ("debug_upload: %s", path);
  return 0;
}
