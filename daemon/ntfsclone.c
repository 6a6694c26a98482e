/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NTFS images and files by inode: ntfsclone_out, ntfsclone_in (the
 * ntfsclone image format, streamed through ntfsclone's standard output
 * and input) and ntfscat_i (ntfscat -i).  Also the two streams between a
 * program and the host that mksquashfs uses: a program's standard output
 * sent to the host as a FileOut (stream_command_out), a FileIn fed to a
 * program's standard input (stream_command_in). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define ERR_MAX 4096

struct prog {
  pid_t pid;
  int data;                     /* its stdin (to_child) or its stdout */
  int err;                      /* its stderr */
  char errbuf[ERR_MAX + 1];
  size_t errlen;
};

/* Starts argv with a pipe to its stdin (to_child) or from its stdout,
 * and one from its stderr; the other standard stream is /dev/null.  0,
 * or -1 with errno. */
static int
prog_start (struct prog *p, char *const *argv, int to_child)
{
  int pd[2] = { -1, -1 }, pe[2] = { -1, -1 };
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);

  memset (p, 0, sizeof *p);
  p->pid = -1;
  if (null == -1 || pipe2 (pd, O_CLOEXEC) == -1 ||
      pipe2 (pe, O_CLOEXEC) == -1 ||
      (p->pid = fork ()) == -1) {
    int saved = errno;

    for (int i = 0; i < 2; ++i) {
      if (pd[i] >= 0)
        close (pd[i]);
      if (pe[i] >= 0)
        close (pe[i]);
    }
    if (null >= 0)
      close (null);
    errno = saved;
    return -1;
  }
  if (p->pid == 0) {
    dup2 (to_child ? pd[0] : null, 0);
    dup2 (to_child ? null : pd[1], 1);
    dup2 (pe[1], 2);
    signal (SIGPIPE, SIG_DFL);
    execvp (argv[0], argv);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (null);
  close (to_child ? pd[0] : pd[1]);
  close (pe[1]);
  p->data = to_child ? pd[1] : pd[0];
  p->err = pe[0];
  return 0;
}

/* Reads what stderr has (keeping the first ERR_MAX bytes); closes it at
 * its end. */
static void
prog_read_err (struct prog *p)
{
  char tmp[1024];
  ssize_t n = read (p->err, tmp, sizeof tmp);

  if (n == -1 && errno == EINTR)
    return;
  if (n <= 0) {
    close (p->err);
    p->err = -1;
    return;
  }
  if ((size_t) n > ERR_MAX - p->errlen)
    n = (ssize_t) (ERR_MAX - p->errlen);
  memcpy (p->errbuf + p->errlen, tmp, (size_t) n);
  p->errlen += (size_t) n;
}

/* Closes our ends, drains stderr, waits: the exit status (128+N for
 * signal N), or -1 with errno. */
static int
prog_finish (struct prog *p)
{
  int status;

  if (p->data >= 0)
    close (p->data);
  p->data = -1;
  while (p->err >= 0)
    prog_read_err (p);
  while (waitpid (p->pid, &status, 0) == -1)
    if (errno != EINTR)
      return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Sends the program's stdout to the host as it comes.  0, or -1 with
 * errno. */
static int
pump (struct prog *p)
{
  CLEANUP_FREE char *buf = malloc (WIRE_CHUNK_MAX);

  if (buf == NULL)
    return -1;
  while (p->data >= 0 || p->err >= 0) {
    struct pollfd pfd[2] = {
      { .fd = p->data, .events = POLLIN }, { .fd = p->err, .events = POLLIN },
    };
    ssize_t n;

    if (poll (pfd, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (pfd[1].revents)
      prog_read_err (p);
    if (pfd[0].revents == 0)
      continue;
    n = read (p->data, buf, WIRE_CHUNK_MAX);
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1 || (n > 0 && send_file_write (buf, (size_t) n) == -1))
      return -1;
    if (n == 0) {
      close (p->data);
      p->data = -1;
    }
  }
  return 0;
}

int
stream_command_out (const char *subject, char *const *argv)
{
  struct prog p;
  int r, saved, status;

  if (prog_start (&p, argv, 0) == -1)
    return reply_with_perror ("%s", argv[0]);
  r = pump (&p);
  saved = errno;
  if (r == -1)
    kill (p.pid, SIGKILL);
  status = prog_finish (&p);
  if (r == 0 && status == 0)
    return send_file_end (0) == -1 ? reply_with_perror ("%s", subject) : 0;
  send_file_end (1);
  if (r == -1) {
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  return reply_command_error (subject, argv, status, p.errbuf);
}

/* Writes one chunk of the FileIn to the program's stdin, reading its
 * stderr meanwhile.  0, or -1 with errno (EPIPE: it has gone). */
static int
feed (void *opaque, const void *buf, size_t n)
{
  struct prog *p = opaque;
  const char *s = buf;

  while (n > 0) {
    struct pollfd pfd[2] = {
      { .fd = p->data, .events = POLLOUT }, { .fd = p->err, .events = POLLIN },
    };
    ssize_t w;

    if (poll (pfd, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (pfd[1].revents)
      prog_read_err (p);
    if (pfd[0].revents == 0)
      continue;
    w = write (p->data, s, n);
    if (w == -1) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return -1;
    }
    s += w;
    n -= (size_t) w;
  }
  return 0;
}

int
stream_command_in (const char *subject, char *const *argv)
{
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  struct prog p;
  int r, saved, status;

  if (prog_start (&p, argv, 1) == -1)
    return reply_with_perror ("%s", argv[0]);
  if (fcntl (p.data, F_SETFL, O_NONBLOCK) == -1) {
    saved = errno;
    kill (p.pid, SIGKILL);
    prog_finish (&p);
    errno = saved;
    return reply_with_perror ("%s", argv[0]);
  }
  sigaction (SIGPIPE, &ign, &old);
  r = receive_file (feed, &p);
  saved = errno;
  status = prog_finish (&p);
  sigaction (SIGPIPE, &old, NULL);
  if (r == -2)
    return reply_with_error_errno (ECANCELED, "%s: transfer cancelled by "
                                   "the host", subject);
  if (r == -3)
    return reply_with_error_errno (EPROTO, "%s: file transfer protocol "
                                   "error", subject);
  if (status != 0)
    return reply_command_error (subject, argv, status, p.errbuf);
  if (r == -1 && saved != EPIPE) {
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  return 0;
}

static int
need (const char *prog)
{
  if (!program_available (prog))
    return reply_with_error_errno (ENOTSUP, "%s: not available in this "
                                   "appliance", prog);
  return 0;
}

int
do_ntfsclone_out (const char *device, uint64_t optmask, int metadataonly,
                  int rescue, int ignorefscheck, int preservetimestamps,
                  int force)
{
  char *argv[16] = { "ntfsclone", "--save-image", "--output", "-" };
  size_t n = 4;

  if (need ("ntfsclone") == -1)
    return -1;
  if ((optmask & OPT_NTFSCLONE_OUT_METADATAONLY) && metadataonly)
    argv[n++] = "--metadata";
  if ((optmask & OPT_NTFSCLONE_OUT_RESCUE) && rescue)
    argv[n++] = "--rescue";
  if ((optmask & OPT_NTFSCLONE_OUT_IGNOREFSCHECK) && ignorefscheck)
    argv[n++] = "--ignore-fs-check";
  if ((optmask & OPT_NTFSCLONE_OUT_PRESERVETIMESTAMPS) && preservetimestamps)
    argv[n++] = "--preserve-timestamps";
  if ((optmask & OPT_NTFSCLONE_OUT_FORCE) && force)
    argv[n++] = "--force";
  argv[n++] = (char *) device;
  argv[n] = NULL;
  return stream_command_out (device, argv);
}

int
do_ntfsclone_in (const char *device)
{
  char *const argv[] = {
    "ntfsclone", "--restore-image", "--overwrite", (char *) device, "-", NULL
  };

  if (need ("ntfsclone") == -1)
    return -1;
  return stream_command_in (device, argv);
}

int
do_ntfscat_i (const char *device, int64_t inode)
{
  char num[32];
  char *const argv[] = { "ntfscat", "-i", num, (char *) device, NULL };

  if (inode < 0)
    return reply_with_error_errno (EINVAL, "%" PRIi64 ": not an inode "
                                   "number", inode);
  if (need ("ntfscat") == -1)
    return -1;
  snprintf (num, sizeof num, "%" PRIi64, inode);
  return stream_command_out (device, argv);
}
