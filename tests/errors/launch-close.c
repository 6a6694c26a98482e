/* SPDX-License-Identifier: GPL-2.0-or-later */
/* launch-close - one whole session through the public API, for
 * test-valgrind-launch.sh: create, add a drive read-only, launch, mount,
 * cat (one failing, one working), download and download_offset (read
 * from the drives), shutdown, close.  Every allocation the
 * library makes on this path, the error path included, must be released
 * by drydock_close (or by the caller, for cat's result).
 *
 *   launch-close IMAGE FORMAT DEVICE PATH
 *
 * Prints the file's content; exits 0 on success, 1 on any error (with
 * the library's message), 2 on a usage error. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "drydock.h"

/* The library's message names the call that failed. */
static int
fail (drydock_h *h, const char *what)
{
  const char *msg = drydock_last_error (h);

  fprintf (stderr, "launch-close: %s\n", msg ? msg : what);
  drydock_close (h);
  return EXIT_FAILURE;
}

int
main (int argc, char *argv[])
{
  drydock_h *h;
  char *content;

  if (argc != 5) {
    fprintf (stderr, "usage: launch-close IMAGE FORMAT DEVICE PATH\n");
    return 2;
  }
  h = drydock_create ();
  if (h == NULL) {
    perror ("launch-close: drydock_create");
    return EXIT_FAILURE;
  }
  if (drydock_add_drive_opts (h, argv[1],
                              DRYDOCK_ADD_DRIVE_OPTS_FORMAT, argv[2],
                              DRYDOCK_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1)
    return fail (h, "add_drive_opts");
  if (drydock_launch (h) == -1)
    return fail (h, "launch");
  if (drydock_mount (h, argv[3], "/") == -1)
    return fail (h, "mount");
  /* An error reply on the way: its message must be freed too. */
  content = drydock_cat (h, "/drydock-no-such-file");
  if (content != NULL) {
    fprintf (stderr, "launch-close: cat of a missing file succeeded\n");
    free (content);
    drydock_close (h);
    return EXIT_FAILURE;
  }
  content = drydock_cat (h, argv[4]);
  if (content == NULL)
    return fail (h, "cat");
  fputs (content, stdout);
  free (content);
  /* Read from the drives (qemu's NBD export, direct.c) where the
   * appliance maps the file: the monitor, the export and the
   * connection are closed by shutdown. */
  if (drydock_download (h, argv[4], "/dev/null") == -1)
    return fail (h, "download");
  if (drydock_download_offset (h, argv[4], "/dev/null", 1, 3) == -1)
    return fail (h, "download_offset");
  if (drydock_shutdown (h) == -1)
    return fail (h, "shutdown");
  drydock_close (h);
  return EXIT_SUCCESS;
}
