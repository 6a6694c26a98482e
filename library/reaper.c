/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The reaper: removes a handle's temporary files (its directory, socket
 * and overlays) when the calling process dies without drydock_close —
 * SIGKILL, a fatal signal, exit without close.  qemu dies with the
 * caller (see below), but files need a living process
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
 * that cannot start costs a debug message, never a failed call.
 *
 * The reaper also kills qemu when the caller dies.  PR_SET_PDEATHSIG
 * would do it, but it fires when the *thread* that forked qemu ends,
 * so a program launching from a short-lived thread (a Python
 * threading.Thread) lost its appliance.  qemu's pidfd goes down the
 * pair instead (with a NUL byte, an empty path); a pidfd, unlike a pid,
 * never names another process, so a qemu that already exited is
 * harmless. */

#include <config.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drydock-internal.h"

/* Room for the paths of one handle; a path that does not fit is left. */
#define REAPER_BUF 65536
/* The qemu processes of one handle (one per launch); the oldest pidfd
 * is closed when more come (its qemu is long gone). */
#define REAPER_PIDFDS 8

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

/* Receives into buf what the caller sent, keeping any pidfd that came
 * with it in pidfds (a ring of REAPER_PIDFDS). */
static ssize_t
receive (int fd, char *buf, size_t size, int *pidfds, size_t *n_pidfds)
{
  union {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { buf, size };
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = control.buf, .msg_controllen = sizeof control.buf,
  };
  ssize_t n = recvmsg (fd, &msg, MSG_CMSG_CLOEXEC);

  for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR (&msg) : NULL; c;
       c = CMSG_NXTHDR (&msg, c)) {
    int pidfd;

    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN (sizeof pidfd))
      continue;
    memcpy (&pidfd, CMSG_DATA (c), sizeof pidfd);
    if (pidfds[*n_pidfds % REAPER_PIDFDS] >= 0)
      close (pidfds[*n_pidfds % REAPER_PIDFDS]);
    pidfds[(*n_pidfds)++ % REAPER_PIDFDS] = pidfd;
  }
  return n;
}

/* Child side: only async-signal-safe calls. */
static void __attribute__((noreturn))
reaper_main (int fd)
{
  static char paths[REAPER_BUF];
  char discard[512];
  int pidfds[REAPER_PIDFDS];
  size_t len = 0, end, n_pidfds = 0;
  struct sigaction sa = { .sa_handler = SIG_IGN };
  const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                          SIGTSTP, SIGTTIN, SIGTTOU };

  for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; ++i)
    sigaction (ignored[i], &sa, NULL);
  setpgid (0, 0);
  prctl (PR_SET_NAME, "drydock-reaper");
  close_all_but (fd);
  for (size_t i = 0; i < REAPER_PIDFDS; ++i)
    pidfds[i] = -1;
  for (;;) {
    ssize_t n = len < sizeof paths ?
      receive (fd, paths + len, sizeof paths - len, pidfds, &n_pidfds) :
      receive (fd, discard, sizeof discard, pidfds, &n_pidfds);

    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (len < sizeof paths)
      len += (size_t) n;
  }
  /* qemu first: it holds the files open. */
  for (size_t i = 0; i < REAPER_PIDFDS; ++i)
    if (pidfds[i] >= 0)
      syscall (SYS_pidfd_send_signal, pidfds[i], SIGKILL, NULL, 0U);
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

int
drydock_int_reaper_can_watch (drydock_h *h)
{
  static int pidfds = -1;       /* does the kernel have pidfd_open */

  if (pidfds == -1) {
    int fd = (int) syscall (SYS_pidfd_open, getpid (), 0U);

    pidfds = fd >= 0;
    if (fd >= 0)
      close (fd);
  }
  return pidfds && h->reaper_fd >= 0;
}

int
drydock_int_reaper_watch (drydock_h *h, pid_t pid)
{
  int pidfd = (int) syscall (SYS_pidfd_open, pid, 0U);
  union {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  char nul = '\0';
  struct iovec iov = { &nul, 1 };
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = control.buf, .msg_controllen = sizeof control.buf,
  };
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  int ok;

  if (pidfd == -1 || h->reaper_fd < 0) {
    if (pidfd != -1)
      close (pidfd);
    return -1;
  }
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof pidfd);
  memcpy (CMSG_DATA (c), &pidfd, sizeof pidfd);
  ok = sendmsg (h->reaper_fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == 1;
  close (pidfd);
  return ok ? 0 : -1;
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
