/* SPDX-License-Identifier: GPL-2.0-or-later */
/* grep: the lines of a guest file matching a regular expression, found
 * by the appliance's grep(1).  The daemon opens the file (regular files
 * only, through sysroot.c) and grep reads it on its standard input, so
 * grep never resolves a guest path itself.  With compressed, the file
 * first goes through "gzip -cdfq" as zgrep(1) does, in a pipe between
 * the two programs. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* What is kept of gzip's messages. */
#define GZIP_ERR_MAX 4096

struct gunzip {
  pid_t pid;
  int out;                      /* the read end of its output */
  int err;                      /* a memory file: its stderr never blocks */
};

static char *const gzip_argv[] = { "gzip", "-cdfq", NULL };

/* Starts gzip reading fd.  0, or -1 with errno. */
static int
gunzip_start (struct gunzip *g, int fd)
{
  int p[2];

  g->pid = -1;
  g->out = -1;
  g->err = memfd_create ("drydock-gzip-stderr", MFD_CLOEXEC);
  if (g->err == -1)
    return -1;
  if (pipe2 (p, O_CLOEXEC) == -1) {
    close (g->err);
    return -1;
  }
  g->pid = fork ();
  if (g->pid == 0) {
    dup2 (fd, 0);
    dup2 (p[1], 1);
    dup2 (g->err, 2);
    signal (SIGPIPE, SIG_DFL);
    execvp (gzip_argv[0], gzip_argv);
    fprintf (stderr, "%s: %s\n", gzip_argv[0], strerror (errno));
    _exit (127);
  }
  close (p[1]);
  if (g->pid == -1) {
    int saved = errno;
    close (p[0]);
    close (g->err);
    errno = saved;
    return -1;
  }
  g->out = p[0];
  return 0;
}

/* Waits for gzip.  Returns its exit status (0, or 2 for a warning, is
 * success; so is SIGPIPE, when grep stopped reading early, e.g. at the
 * first match of a binary file), and its messages in *msg (caller
 * frees). */
static int
gunzip_finish (struct gunzip *g, char **msg)
{
  size_t n;
  int status;

  *msg = NULL;
  if (g->out >= 0)
    close (g->out);
  while (waitpid (g->pid, &status, 0) == -1)
    if (errno != EINTR) {
      status = -1;
      break;
    }
  if (lseek (g->err, 0, SEEK_SET) == 0)
    *msg = read_fd_max (g->err, GZIP_ERR_MAX, &n);
  close (g->err);
  if (status == -1)
    return 1;
  if (WIFSIGNALED (status))
    return WTERMSIG (status) == SIGPIPE ? 0 : 128 + WTERMSIG (status);
  return WEXITSTATUS (status) == 2 ? 0 : WEXITSTATUS (status);
}

char **
do_grep (const char *regex, const char *path, uint64_t optmask,
         int extended, int fixed, int insensitive, int compressed)
{
  const char *argv[8];
  size_t i = 0;
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *out = NULL, *err = NULL, *gzmsg = NULL;
  struct gunzip g = { -1, -1, -1 };
  int status, saved, gzstatus = 0;
  char **lines;

  extended = (optmask & OPT_GREP_EXTENDED) && extended;
  fixed = (optmask & OPT_GREP_FIXED) && fixed;
  insensitive = (optmask & OPT_GREP_INSENSITIVE) && insensitive;
  compressed = (optmask & OPT_GREP_COMPRESSED) && compressed;
  if (extended && fixed) {
    reply_with_error_errno (EINVAL, "extended and fixed cannot be used "
                            "together");
    return NULL;
  }
  argv[i++] = "grep";
  if (extended)
    argv[i++] = "-E";
  if (fixed)
    argv[i++] = "-F";
  if (insensitive)
    argv[i++] = "-i";
  argv[i++] = "--";
  argv[i++] = regex;
  argv[i] = NULL;

  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1)
    return NULL;
  if (compressed && gunzip_start (&g, fd) == -1) {
    reply_with_perror ("%s: gzip", path);
    return NULL;
  }
  status = run_command_fd (&out, &err, compressed ? g.out : fd,
                           (char *const *) argv);
  saved = errno;
  if (compressed)
    gzstatus = gunzip_finish (&g, &gzmsg);
  errno = saved;
  if (gzstatus != 0) {
    reply_command_error (path, gzip_argv, gzstatus, gzmsg);
    return NULL;
  }
  /* grep: 0 lines matched, 1 none did, 2 trouble. */
  if (status == -1 || status > 1) {
    reply_command_error (path, (char *const *) argv, status, err);
    return NULL;
  }
  lines = split_lines (status == 0 ? out : "");
  if (lines == NULL)
    reply_with_perror ("%s", path);
  return lines;
}
