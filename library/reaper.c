/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The reaper: removes a handle's temporary files (its directory, socket
 * and overlays) when the calling process dies without drydock_close —
 * SIGKILL, a fatal signal, exit without close.  qemu dies with the
 * caller by itself (PR_SET_PDEATHSIG), but files need a living process
 * to remove them.  Separate from handle.c because it runs in a forked
 * child, where only async-signal-safe calls are allowed.
 *
 * The reaper is a child holding one end of a socket pair; only the
 * caller holds the other, so end of file means the caller is gone.
 * Each path is sent down the pair (NUL-terminated) when it is chosen (a
 * directory right after mkdtemp); the reaper removes them newest first
 * (files, then their directory).  It sits in its own process group and
 * ignores the terminal's signals, so a Ctrl-C or a group kill reaches
 * the caller and qemu, not it.  drydock_close removes the files itself
 * and then kills the reaper.  Everything here is best effort: a reaper
 * that cannot start costs a debug message, never a failed call. */

#include <config.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drydock-internal.h"

/* Room for the paths of one handle; a path that does not fit is left. */
#define REAPER_BUF 65536

/* So the reaper holds no image, socket or pipe of the caller. */
static void
close_all_but (int keep)
{
#ifdef SYS_close_range
  if ((keep == 0 ||
       syscall (SYS_close_range, 0U, (unsigned) keep - 1, 0U) == 0) &&
      syscall (SYS_close_range, (unsigned) keep + 1, ~0U, 0U) == 0)
    return;
#endif
  for (int fd = 0; fd < 65536; ++fd)
    if (fd != keep)
      close (fd);
}

/* Child side: only async-signal-safe calls. */
static void __attribute__((noreturn))
reaper_main (int fd)
{
  static char paths[REAPER_BUF];
  char discard[512];
  size_t len = 0, end;
  struct sigaction sa = { .sa_handler = SIG_IGN };
  const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                          SIGTSTP, SIGTTIN, SIGTTOU };

  for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; ++i)
    sigaction (ignored[i], &sa, NULL);
  setpgid (0, 0);
  prctl (PR_SET_NAME, "drydock-reaper");
  close_all_but (fd);
  for (;;) {
    ssize_t n = len < sizeof paths ?
      read (fd, paths + len, sizeof paths - len) :
      read (fd, discard, sizeof discard);

    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (len < sizeof paths)
      len += (size_t) n;
  }
  /* Only whole paths; the newest first. */
  for (end = len; end > 0 && paths[end - 1] != '\0'; --end)
    ;
  while (end > 0) {
    size_t start = end - 1;

    while (start > 0 && paths[start - 1] != '\0')
      --start;
    if (unlink (paths + start) == -1 && (errno == EISDIR || errno == EPERM))
      rmdir (paths + start);
    end = start;
  }
  _exit (0);
}

static int
start_reaper (drydock_h *h)
{
  int sv[2];
  pid_t pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
    return -1;
  pid = fork ();
  if (pid == -1) {
    close (sv[0]);
    close (sv[1]);
    return -1;
  }
  if (pid == 0)
    reaper_main (sv[1]);
  close (sv[1]);
  h->reaper_fd = sv[0];
  h->reaper_pid = pid;
  drydock_int_debug (h, "reaper: pid %d removes the temporary files if this "
                     "process dies", (int) pid);
  return 0;
}

void
drydock_int_reaper_start (drydock_h *h)
{
  if (h->reaper_fd < 0 && start_reaper (h) == -1)
    drydock_int_debug (h, "reaper: cannot start: %s", strerror (errno));
}

void
drydock_int_reaper_add (drydock_h *h, const char *path)
{
  size_t n = strlen (path) + 1;

  drydock_int_reaper_start (h);
  if (h->reaper_fd < 0)
    return;
  /* Never block, never SIGPIPE: a dead reaper only loses the cleanup. */
  if (send (h->reaper_fd, path, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t) n)
    drydock_int_debug (h, "reaper: %s will not be removed if this process "
                       "dies", path);
}

void
drydock_int_reaper_stop (drydock_h *h)
{
  if (h->reaper_pid > 0) {
    kill (h->reaper_pid, SIGKILL);
    while (waitpid (h->reaper_pid, NULL, 0) == -1 && errno == EINTR)
      ;
    h->reaper_pid = 0;
  }
  if (h->reaper_fd >= 0) {
    close (h->reaper_fd);
    h->reaper_fd = -1;
  }
}
