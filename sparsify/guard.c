/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guard of a copying sparsify's working overlay: a child process
 * that removes it if drydock sparsify dies before the overlay is
 * unlinked, SIGKILL included.  The library's own reaper covers the
 * overlay only under its temporary name; from the shutdown, which gives
 * it its kept name, to hold_overlay, which unlinks it, nothing else
 * would.  Separate from copy.c because it runs in a forked child, where
 * only async-signal-safe calls are allowed.
 *
 * The guard holds the read end of a pipe: a byte on it means the
 * overlay is taken care of; end of file without it means the parent is
 * gone.  It sits in its own process group and ignores the terminal's
 * signals, so a Ctrl-C reaches drydock sparsify, not it. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sparsify.h"

static pid_t guard_pid = -1;
static int guard_fd = -1;

static void __attribute__((noreturn))
guard_main (int fd, const char *path)
{
  struct sigaction sa = { .sa_handler = SIG_IGN };
  const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                          SIGTSTP, SIGTTIN, SIGTTOU };
  char c;
  ssize_t n;

  for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; ++i)
    sigaction (ignored[i], &sa, NULL);
  setpgid (0, 0);
  /* Hold nothing of the parent's: its images, sockets and pipes. */
  for (int i = 0; i < 1024; ++i)
    if (i != fd)
      close (i);
  do
    n = read (fd, &c, 1);
  while (n == -1 && errno == EINTR);
  if (n != 1)
    unlink (path);
  _exit (0);
}

int
sparsify_guard_start (const char *path)
{
  int p[2];
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) == -1)
    return tool_error ("pipe: %s", strerror (errno));
  pid = fork ();
  if (pid == -1) {
    close (p[0]);
    close (p[1]);
    return tool_error ("fork: %s", strerror (errno));
  }
  if (pid == 0)
    guard_main (p[0], path);
  close (p[0]);
  guard_fd = p[1];
  guard_pid = pid;
  return 0;
}

void
sparsify_guard_stop (void)
{
  if (guard_fd >= 0) {
    ssize_t n;

    do
      n = write (guard_fd, "d", 1);
    while (n == -1 && errno == EINTR);
    close (guard_fd);
    guard_fd = -1;
  }
  if (guard_pid > 0) {
    while (waitpid (guard_pid, NULL, 0) == -1 && errno == EINTR)
      ;
    guard_pid = -1;
  }
}
