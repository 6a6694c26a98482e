/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-untar: unpacks the tar archive on standard input into DIR with
 * untar_stream, as copy_out does, and says what happened; driven by
 * test-untar.sh with crafted, hostile archives.
 *
 *   test-untar [--root-mode] DIR < ARCHIVE
 *
 * Prints "error: MESSAGE" and exits 1 on an error, prints each warning
 * as "warning: MESSAGE", and "members: N" at the end. */

#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "untar.h"

int
main (int argc, char *argv[])
{
  struct untar_result res = UNTAR_RESULT_INIT;
  int root_mode = argc > 2 && strcmp (argv[1], "--root-mode") == 0;
  const char *dir = argv[argc - 1];
  int fd, r;

  if (argc < 2 || argc > 3) {
    fprintf (stderr, "usage: test-untar [--root-mode] DIR < ARCHIVE\n");
    return 2;
  }
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd == -1) {
    perror (dir);
    return 2;
  }
  r = untar_stream (0, fd, root_mode, &res);
  for (size_t i = 0; i < res.warnings.len; ++i)
    printf ("warning: %s\n", res.warnings.v[i]);
  printf ("members: %lu\n", res.members);
  if (r == -1)
    printf ("error: %s\n", res.error ? res.error : "(no message)");
  untar_result_free (&res);
  close (fd);
  /* untar_stream reads its input to the end, whatever happens. */
  if (read (0, &fd, 1) != 0) {
    printf ("the archive was not read to its end\n");
    return 3;
  }
  return r == -1;
}
