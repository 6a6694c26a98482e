/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program run as a filter over an open file: its standard input the
 * file (a guest file opened by sysroot.c's rules, or a device), its
 * standard output a pipe the daemon reads as it comes (compressing a
 * file out, decompressing an initrd).  command.c's helpers collect all
 * the output first, which a stream of any size cannot wait for. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"

pid_t
filter_start (char *const *argv, int in, int *out)
{
  int p[2];
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  pid_t pid;

  if (null == -1)
    return -1;
  if (pipe2 (p, O_CLOEXEC) == -1) {
    close (null);
    return -1;
  }
  pid = fork ();
  if (pid == -1) {
    int saved = errno;

    close (null);
    close (p[0]);
    close (p[1]);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    dup2 (in >= 0 ? in : null, 0);
    dup2 (p[1], 1);
    dup2 (null, 2);
    signal (SIGPIPE, SIG_DFL);
    execvp (argv[0], argv);
    _exit (127);
  }
  close (null);
  close (p[1]);
  *out = p[0];
  return pid;
}

int
filter_finish (pid_t pid, int out, int kill_it)
{
  int status;

  if (out >= 0)
    close (out);
  if (kill_it)
    kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

/* Sends everything readable from fd to the host.  0, or -1 with
 * errno. */
static int
pump (int fd)
{
  CLEANUP_FREE char *buf = malloc (WIRE_CHUNK_MAX);
  uint64_t sent = 0;

  if (buf == NULL)
    return -1;
  for (;;) {
    ssize_t n = read (fd, buf, WIRE_CHUNK_MAX);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0)
      return 0;
    if (send_file_write (buf, (size_t) n) == -1)
      return -1;
    sent += (uint64_t) n;
    notify_progress (sent, 0);
  }
}

int
filter_stream_out (char *const *argv, int in, const char *subject)
{
  int out = -1, r, saved, status;
  pid_t pid;

  pid = filter_start (argv, in, &out);
  if (pid == -1)
    return reply_with_perror ("%s", argv[0]);
  r = pump (out);
  saved = errno;
  status = filter_finish (pid, out, r == -1);
  if (r == 0 && status == 0)
    return send_file_end (0) == -1 ? reply_with_perror ("%s", subject) : 0;
  send_file_end (1);
  if (r == -1) {
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  return reply_with_error ("%s: %s failed (status %d)", subject, argv[0],
                           status);
}
