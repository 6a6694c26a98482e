/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* untar: unpacking a tar stream that comes from a guest, on the host,
 * without trusting it (copy_out).  See untar.c.
 *
 * Convention: -1 with the reason in the result (never the handle: this
 * runs in a thread of its own, and in the unit test without one). */

#ifndef DRYDOCK_UNTAR_H
#define DRYDOCK_UNTAR_H

#include "strlist.h"

struct untar_result {
  char *error;                  /* the first error, or NULL; caller frees */
  int error_errno;              /* its errno (0 if none fits) */
  struct strlist warnings;      /* what was skipped, for warning events */
  unsigned long members;        /* members created */
};
#define UNTAR_RESULT_INIT { NULL, 0, STRLIST_INIT, 0 }

/* Reads the tar stream from fd to its end and unpacks it under the
 * directory root (an fd opened with O_RDONLY | O_DIRECTORY, which stays
 * the caller's).  Nothing is created outside root: every member is
 * created relative to it without following any symbolic link on the
 * way, and absolute names and ".." are refused.  With set_root_mode,
 * the archive's own entry for its top ("." or "./") sets root's mode
 * and time, else it is left alone.
 *
 * The whole stream is always read, even after an error, so a writer on
 * the other end of a pipe never blocks.  Returns 0, or -1 with
 * res->error set: unpacking stops at the first error, what was created
 * before it stays.  Directories created get their modes and times at
 * the end either way.  res->warnings may be filled in both cases; free
 * with untar_result_free. */
extern int untar_stream (int fd, int root, int set_root_mode,
                         struct untar_result *res);
extern void untar_result_free (struct untar_result *res);

#endif /* DRYDOCK_UNTAR_H */
