/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running the guest's own programs: command and sh run a program of the
 * mounted guest tree, chrooted into it (run_in_guest binds the
 * appliance's /dev, /proc and /sys in for the duration). */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

/* How much of a failed program's stderr goes into the error message. */
#define ERR_SHOWN 2048

/* Something is mounted on /sysroot when it is another filesystem than
 * the appliance's root. */
static int
guest_root_mounted (void)
{
  struct stat root, sysroot;

  return stat ("/", &root) == 0 && stat (SYSROOT, &sysroot) == 0 &&
         root.st_dev != sysroot.st_dev;
}

/* Cuts s to at most max bytes, not inside a UTF-8 sequence, and drops
 * trailing newlines and blanks. */
static void
shorten (char *s, size_t max)
{
  size_t n = strlen (s);

  if (n > max) {
    n = max;
    while (n > 0 && ((unsigned char) s[n] & 0xc0) == 0x80)
      n--;
  }
  while (n > 0 && strchr (" \t\r\n", s[n - 1]))
    n--;
  s[n] = '\0';
}

/* Whether err is what run_in_guest's child says when exec fails with
 * ENOENT ("PROG: No such file or directory"). */
static int
not_found (const char *err, const char *prog)
{
  char expect[512];

  snprintf (expect, sizeof expect, "%s: %s", prog, strerror (ENOENT));
  return strncmp (err, expect, strlen (expect)) == 0;
}

static int
reply_guest_error (char *const *argv, int status, char *err)
{
  if (status == -1 && errno == EOVERFLOW)
    return reply_with_error_errno (EOVERFLOW, "%s: its output is larger than "
                                   "the protocol limit (write it to a file "
                                   "in the guest and download that)",
                                   argv[0]);
  if (status == -1)
    return reply_with_perror ("%s", argv[0]);
  if (status == 127 && err && not_found (err, argv[0]))
    return reply_with_error_errno (ENOENT, "%s: program not found in the "
                                   "guest", argv[0]);
  if (err)
    shorten (err, ERR_SHOWN);
  return reply_with_error ("%s: exited with status %d: %s", argv[0], status,
                           err && *err ? err : "no error output");
}

char *
do_command (char *const *arguments)
{
  CLEANUP_FREE char *err = NULL;
  char *out = NULL;
  int r;

  if (arguments == NULL || arguments[0] == NULL) {
    reply_with_error_errno (EINVAL, "no command given: the argument list "
                            "is empty");
    return NULL;
  }
  if (!guest_root_mounted ()) {
    reply_with_error_errno (EINVAL, "no guest filesystem is mounted on /");
    return NULL;
  }
  r = run_in_guest (&out, &err, arguments);
  if (r != 0) {
    free (out);
    reply_guest_error (arguments, r, err);
    return NULL;
  }
  return out;
}

char **
do_command_lines (char *const *arguments)
{
  CLEANUP_FREE char *out = do_command (arguments);
  char **lines;

  if (out == NULL)
    return NULL;
  lines = split_lines (out);
  if (lines == NULL)
    reply_with_perror ("%s", arguments[0]);
  return lines;
}

char *
do_sh (const char *command)
{
  char *const argv[] = { "/bin/sh", "-c", (char *) command, NULL };

  return do_command (argv);
}

char **
do_sh_lines (const char *command)
{
  char *const argv[] = { "/bin/sh", "-c", (char *) command, NULL };

  return do_command_lines (argv);
}
