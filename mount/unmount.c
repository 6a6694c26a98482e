/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock unmount, as guestunmount: unmounts a directory drydock mount
 * (or any FUSE mount) serves, with fusermount3, retrying while it is
 * busy; with --fd it first waits until that pipe is closed, to clean up
 * after a program that exits.  Its exit status says what happened, as
 * guestunmount's: 0 unmounted, 1 an error (fusermount3 could not run),
 * 2 still busy after the retries, 3 not mounted. */

#include <config.h>

#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "mount.h"
#include "options.h"

#define _(s) gettext (s)

#define EXIT_BUSY 2
#define EXIT_NOT_MOUNTED 3

enum { OPT_FD = TOOL_OWN_OPTION, OPT_RETRY, OPT_NO_RETRY };

struct unmount_options {
  int fd;                       /* --fd, or -1 */
  int retries;                  /* 5 unless told */
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s [--fd FD] [--retry N | --no-retry] [-q] "
                 "MOUNTPOINT\n"
                 "Unmount what drydock mount mounted on MOUNTPOINT, as "
                 "guestunmount.\n"
                 "Exit status: 0 unmounted, 1 error, 2 still busy after the "
                 "retries,\n"
                 "3 not mounted.\n\n"
                 "  --fd FD                wait until the pipe FD is closed, "
                 "then unmount\n"
                 "  --retry N              retry N times while busy (5), "
                 "waiting 1, 2, 4 ...\n"
                 "                         seconds\n"
                 "  --no-retry             try once\n"),
           tool_program_name ());
  tool_print_options_help (fp, 0);
  exit (status);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct unmount_options *uo = opaque;

  switch (c) {
  case OPT_FD: return tool_parse_count ("--fd", arg, &uo->fd);
  case OPT_RETRY: return tool_parse_count ("--retry", arg, &uo->retries);
  case OPT_NO_RETRY: uo->retries = 0; return 0;
  }
  return -1;
}

/* 1 if path is a mount point in /proc/self/mountinfo, 0 if not, -1
 * (printed) if that cannot be read. */
static int
is_mounted (const char *path)
{
  FILE *fp = fopen ("/proc/self/mountinfo", "re");
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0;
  int found = 0;

  if (fp == NULL)
    return tool_error ("/proc/self/mountinfo: %s", strerror (errno));
  while (!found && getline (&line, &cap, fp) != -1) {
    char mp[PATH_MAX + 1];
    char *o = mp;

    /* The fifth field, with octal escapes of spaces and such. */
    if (sscanf (line, "%*s %*s %*s %*s %4096s", mp) != 1)
      continue;
    for (const char *p = mp; *p; ++p) {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] && p[3]) {
        *o++ = (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) |
                       (p[3] - '0'));
        p += 3;
      }
      else
        *o++ = *p;
    }
    *o = '\0';
    found = strcmp (mp, path) == 0;
  }
  fclose (fp);
  return found;
}

/* Runs fusermount3 -u once: its exit status, or -1 (printed). */
static int
run_fusermount (const char *path, int quiet)
{
  pid_t pid = fork ();
  int status;

  if (pid == -1)
    return tool_error ("fork: %s", strerror (errno));
  if (pid == 0) {
    if (quiet) {
      FILE *null = freopen ("/dev/null", "w", stderr);
      (void) null;
    }
    execlp (FUSERMOUNT_PROG, FUSERMOUNT_PROG, "-u", path, (char *) NULL);
    fprintf (stderr, "%s: %s: %s\n", tool_program_name (), FUSERMOUNT_PROG,
             strerror (errno));
    _exit (127);
  }
  if (waitpid (pid, &status, 0) == -1)
    return tool_error ("waitpid: %s", strerror (errno));
  if (!WIFEXITED (status) || WEXITSTATUS (status) == 127)
    return -1;
  return WEXITSTATUS (status);
}

int
unmount_main (int argc, char *argv[])
{
  static const struct option longopts[] = {
    { "fd", required_argument, NULL, OPT_FD },
    { "retry", required_argument, NULL, OPT_RETRY },
    { "no-retry", no_argument, NULL, OPT_NO_RETRY },
    { NULL, 0, NULL, 0 },
  };
  struct unmount_options uo = { .fd = -1, .retries = 5 };
  const struct tool_spec spec = {
    .takes = 0, .long_options = longopts, .usage = usage,
    .option = own_option, .opaque = &uo,
  };
  struct tool_options o = { 0 };
  int first = tool_parse (&spec, argc, argv, &o);
  CLEANUP_FREE char *path = NULL;
  int quiet = o.quiet, r;

  tool_options_free (&o);
  if (first != argc - 1) {
    tool_error (_("%s (try '%s --help')"),
                first >= argc ? _("no mount point given")
                : _("one mount point, please"), tool_program_name ());
    return EXIT_FAILURE;
  }
  if (uo.fd >= 0) {
    struct pollfd p = { .fd = uo.fd, .events = POLLIN };
    char buf[256];

    /* Until the other end is closed, whatever is written meanwhile. */
    for (;;) {
      if (poll (&p, 1, -1) == -1) {
        if (errno == EINTR)
          continue;
        tool_error ("--fd %d: %s", uo.fd, strerror (errno));
        return EXIT_FAILURE;
      }
      if (p.revents & POLLNVAL) {
        tool_error (_("--fd %d: not an open file descriptor"), uo.fd);
        return EXIT_FAILURE;
      }
      if (read (uo.fd, buf, sizeof buf) <= 0)
        break;
    }
  }
  path = realpath (argv[first], NULL);
  if (path == NULL && errno == ENOTCONN) {
    /* A mount whose server is gone: still a mount, to unmount. */
    char cwd[PATH_MAX];

    if (argv[first][0] == '/')
      path = strdup (argv[first]);
    else if (getcwd (cwd, sizeof cwd) != NULL &&
             asprintf (&path, "%s/%s", cwd, argv[first]) == -1)
      path = NULL;
    errno = ENOTCONN;
  }
  if (path == NULL) {
    if (!quiet)
      tool_error ("'%s': %s", argv[first], strerror (errno));
    return EXIT_NOT_MOUNTED;
  }
  r = is_mounted (path);
  if (r == -1)
    return EXIT_FAILURE;
  if (r == 0) {
    if (!quiet)
      tool_error (_("'%s': not mounted"), argv[first]);
    return EXIT_NOT_MOUNTED;
  }
  for (int i = 0, wait = 1; ; ++i, wait *= 2) {
    r = run_fusermount (path, quiet || i < uo.retries);
    if (r == 0)
      return EXIT_SUCCESS;
    if (r < 0)
      return EXIT_FAILURE;
    if (i >= uo.retries)
      break;
    sleep ((unsigned) wait);
  }
  if (!quiet)
    tool_error (_("'%s': still busy after %d tries (a process has a file "
                  "or its working directory there?)"), argv[first],
                uo.retries + 1);
  return EXIT_BUSY;
}
