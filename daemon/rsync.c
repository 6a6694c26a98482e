/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rsync between two guest directories (rsync), or between one and an
 * rsync server reached over the appliance's network (rsync_in,
 * rsync_out); optional group rsync.
 *
 * rsync resolves the paths it is given itself, so it never gets guest
 * paths: each one's parent directory is opened inside the guest
 * (sysroot.c) and bound, in the child's own mount namespace, on a
 * directory of a private tmpfs, and rsync is given that directory and
 * the last component (with the caller's trailing "/", which means "the
 * content of").  The appliance's own filesystems are read-only in that
 * namespace (isolate_appliance).  Within the trees, rsync copies
 * symbolic links as links (with archive) and never follows them. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define BIND_TOP "/tmp"
#define ERR_MAX 4096

int
optgroup_rsync_available (void)
{
  return program_available ("rsync");
}

/* A guest path taken apart: its parent opened inside the guest, and the
 * argument rsync gets below the bind point at, keeping a trailing "/".
 * 0, or -1 (replied). */
struct side {
  int dir;
  char arg[4096 + 64];
};

static int
side_open (struct side *s, const char *path, const char *at)
{
  CLEANUP_FREE char *base = NULL;
  size_t n = strlen (path);
  int slash = n > 1 && path[n - 1] == '/';

  if (strcmp (path, "/") == 0) {
    s->dir = sysroot_open ("/", O_PATH | O_DIRECTORY, 0);
    snprintf (s->arg, sizeof s->arg, "%s/", at);
  }
  else {
    s->dir = sysroot_open_parent (path, &base);
    if (s->dir >= 0)
      snprintf (s->arg, sizeof s->arg, "%s/%s%s", at, base, slash ? "/" : "");
  }
  if (s->dir == -1)
    return reply_with_perror ("%s", path);
  return 0;
}

/* In the child: the bind mounts, then the appliance made read-only.
 * The directories are cloned as mount trees before the namespace is
 * made (a mount of another namespace cannot be bound), then moved in. */
static int
child_setup (const struct side *src, const struct side *dest)
{
  const unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
    AT_RECURSIVE;
  int s = -1, d = -1;

  if ((src && (s = open_tree (src->dir, "", flags)) == -1) ||
      (dest && (d = open_tree (dest->dir, "", flags)) == -1))
    return -1;
  if (unshare (CLONE_NEWNS) == -1 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
      mount ("tmpfs", BIND_TOP, "tmpfs", MS_NOSUID | MS_NODEV,
             "size=64k,mode=0700") == -1)
    return -1;
  if (s >= 0 && (mkdir (BIND_TOP "/s", 0700) == -1 ||
                 move_mount (s, "", AT_FDCWD, BIND_TOP "/s",
                             MOVE_MOUNT_F_EMPTY_PATH) == -1))
    return -1;
  if (d >= 0 && (mkdir (BIND_TOP "/d", 0700) == -1 ||
                 move_mount (d, "", AT_FDCWD, BIND_TOP "/d",
                             MOVE_MOUNT_F_EMPTY_PATH) == -1))
    return -1;
  return isolate_appliance ();
}

/* Runs rsync with argv; stderr kept for the message.  0, or -1
 * (replied). */
static int
run_rsync (char *const *argv, const struct side *src, const struct side *dest)
{
  char err[ERR_MAX + 1];
  size_t len = 0;
  int p[2], status;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) == -1)
    return reply_with_perror ("rsync");
  pid = fork ();
  if (pid == -1) {
    close (p[0]);
    close (p[1]);
    return reply_with_perror ("rsync");
  }
  if (pid == 0) {
    int null = open ("/dev/null", O_RDWR);

    dup2 (null, 0);
    dup2 (null, 1);
    dup2 (p[1], 2);
    if (child_setup (src, dest) == -1) {
      perror ("cannot set up the guest directories");
      _exit (126);
    }
    execvp (argv[0], argv);
    perror ("rsync");
    _exit (127);
  }
  close (p[1]);
  for (;;) {
    char tmp[1024];
    ssize_t n = read (p[0], tmp, sizeof tmp);

    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    notify_alive ();
    for (ssize_t i = 0; i < n && len < ERR_MAX; ++i)
      err[len++] = tmp[i];
  }
  close (p[0]);
  err[len] = '\0';
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return reply_with_perror ("rsync");
  status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  if (status != 0)
    return reply_command_error (NULL, argv, status, err);
  return 0;
}

/* The options, then the two arguments. */
static int
rsync_call (uint64_t archive_bit, uint64_t optmask, int archive,
            int deletedest, const char *from, const char *to,
            const struct side *src, const struct side *dest)
{
  char *argv[8];
  size_t n = 0;

  argv[n++] = "rsync";
  if ((optmask & archive_bit) && archive)
    argv[n++] = "--archive";
  if ((optmask & (archive_bit << 1)) && deletedest)
    argv[n++] = "--delete";
  argv[n++] = "--";
  argv[n++] = (char *) from;
  argv[n++] = (char *) to;
  argv[n] = NULL;
  return run_rsync (argv, src, dest);
}

static int
rsync_or_reply (void)
{
  if (!program_available ("rsync"))
    return reply_with_error_errno (ENOTSUP, "rsync: not in this appliance");
  return 0;
}

/* A remote as rsync takes it for a server: rsync://HOST/... or
 * HOST::MODULE..., never a local path of the appliance, nor an
 * option. */
static int
check_remote (const char *remote)
{
  if (*remote == '-' || strchr (remote, '\n') ||
      (strncmp (remote, "rsync://", 8) != 0 && strstr (remote, "::") == NULL))
    return reply_with_error_errno (EINVAL, "\"%s\": not an rsync remote "
                                   "(rsync://HOST/MODULE/PATH or "
                                   "HOST::MODULE/PATH)", remote);
  return 0;
}

int
do_rsync (const char *src, const char *dest, uint64_t optmask, int archive,
          int deletedest)
{
  struct side s = { -1, "" }, d = { -1, "" };
  int r = -1;

  if (rsync_or_reply () == -1)
    return -1;
  if (side_open (&s, src, BIND_TOP "/s") == 0 &&
      side_open (&d, dest, BIND_TOP "/d") == 0)
    r = rsync_call (OPT_RSYNC_ARCHIVE, optmask, archive, deletedest, s.arg,
                    d.arg, &s, &d);
  if (s.dir >= 0)
    close (s.dir);
  if (d.dir >= 0)
    close (d.dir);
  return r;
}

int
do_rsync_in (const char *remote, const char *dest, uint64_t optmask,
             int archive, int deletedest)
{
  struct side d = { -1, "" };
  int r;

  if (rsync_or_reply () == -1 || check_remote (remote) == -1 ||
      side_open (&d, dest, BIND_TOP "/d") == -1)
    return -1;
  r = rsync_call (OPT_RSYNC_IN_ARCHIVE, optmask, archive, deletedest, remote,
                  d.arg, NULL, &d);
  close (d.dir);
  return r;
}

int
do_rsync_out (const char *src, const char *remote, uint64_t optmask,
              int archive, int deletedest)
{
  struct side s = { -1, "" };
  int r;

  if (rsync_or_reply () == -1 || check_remote (remote) == -1 ||
      side_open (&s, src, BIND_TOP "/s") == -1)
    return -1;
  r = rsync_call (OPT_RSYNC_OUT_ARCHIVE, optmask, archive, deletedest, s.arg,
                  remote, &s, NULL);
  close (s.dir);
  return r;
}
