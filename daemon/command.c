/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running programs: the appliance's own tools (mkfs, lvm, sfdisk, tar)
 * and, chrooted, the guest's.  Output is collected through pipes polled
 * together, so a chatty stderr cannot block a program writing stdout. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#include "daemon.h"

#ifndef MOUNT_ATTR_NODEV
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
struct mount_attr {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define OUTPUT_MAX (WIRE_MESSAGE_MAX - 4096)
/* How long a wait on a program's output lasts before the host is told
 * the call is alive (notify_alive sends at most one every 2 s). */
#define KEEPALIVE_POLL_MS 1000

struct sink {
  int fd;
  char *buf;
  size_t len, cap;
  int want;
  int lost;                     /* output was dropped: over the limit */
};

static int
sink_read (struct sink *s)
{
  char tmp[65536];
  ssize_t n = read (s->fd, tmp, sizeof tmp);

  if (n <= 0) {
    if (n == -1 && errno == EINTR)
      return 1;
    close (s->fd);
    s->fd = -1;
    return 0;
  }
  /* Once a chunk is dropped nothing more is kept, so what was kept is
   * a prefix of the output, never output with a hole in it. */
  if (!s->want || s->lost)
    return 1;
  if (s->len + (size_t) n > OUTPUT_MAX) {
    s->lost = 1;
    return 1;
  }
  if (s->len + (size_t) n + 1 > s->cap) {
    size_t cap = (s->len + (size_t) n + 1) * 2;
    char *b = realloc (s->buf, cap);
    if (b == NULL) {
      s->lost = 1;
      return 1;
    }
    s->buf = b;
    s->cap = cap;
  }
  memcpy (s->buf + s->len, tmp, (size_t) n);
  s->len += (size_t) n;
  s->buf[s->len] = '\0';
  return 1;
}

/* In the child that becomes a guest command, and only there: the
 * guest's mounts in a mount namespace of its own, with device nodes and
 * set-user-ID files working as in the booted guest (the daemon's own
 * view keeps GUEST_MOUNT_FLAGS).  mount_setattr (Linux 5.12) changes
 * the whole tree at once. */
static int
guest_mounts_native (void)
{
  struct mount_attr attr = { .attr_clr = MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID };

  if (unshare (CLONE_NEWNS) == -1 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
    return -1;
  if (syscall (SYS_mount_setattr, AT_FDCWD, SYSROOT, AT_RECURSIVE, &attr,
               sizeof attr) == -1 && errno != EINVAL)
    return -1;
  return 0;
}

static void
setup_child (int in, int out, int err, const char *dir, int chroot_guest)
{
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);

  dup2 (in >= 0 ? in : null, 0);
  dup2 (out, 1);
  dup2 (err, 2);
  signal (SIGPIPE, SIG_DFL);
  if (chroot_guest) {
    if (guest_mounts_native () == -1) {
      perror ("mount namespace of the guest command");
      _exit (126);
    }
    if (chroot (SYSROOT) == -1 || chdir ("/") == -1) {
      perror ("chroot " SYSROOT);
      _exit (126);
    }
  }
  else if (dir && chdir (dir) == -1) {
    perror (dir);
    _exit (126);
  }
}

/* stdin gets input (through a memory file, so nothing can block), or
 * else in_fd (the caller's, left open), or /dev/null when it is -1. */
static int
run (char **out, char **err, const char *input, int in_fd, const char *dir,
     int chroot_guest, char *const *argv)
{
  CLEANUP_CLOSE int mem = -1;
  int in = in_fd;
  int po[2], pe[2], status;
  struct sink s[2] = { { -1, NULL, 0, 0, out != NULL, 0 },
                       { -1, NULL, 0, 0, err != NULL, 0 } };
  pid_t pid;

  if (out) *out = NULL;
  if (err) *err = NULL;
  if (input) {
    size_t len = strlen (input);
    in = mem = memfd_create ("drydock-stdin", MFD_CLOEXEC);
    if (in == -1 || write_all (in, input, len) == -1 ||
        lseek (in, 0, SEEK_SET) == -1)
      return -1;
  }
  if (pipe2 (po, O_CLOEXEC) == -1)
    return -1;
  if (pipe2 (pe, O_CLOEXEC) == -1) {
    close (po[0]); close (po[1]);
    return -1;
  }
  if (verbose) {
    fprintf (stderr, "drydockd: run:");
    for (size_t i = 0; argv[i]; ++i)
      fprintf (stderr, " %s", argv[i]);
    fputc ('\n', stderr);
  }
  pid = fork ();
  if (pid == -1) {
    int e = errno;
    close (po[0]); close (po[1]); close (pe[0]); close (pe[1]);
    errno = e;
    return -1;
  }
  if (pid == 0) {
    setup_child (in, po[1], pe[1], dir, chroot_guest);
    execvp (argv[0], argv);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (po[1]);
  close (pe[1]);
  s[0].fd = po[0];
  s[1].fd = pe[0];
  while (s[0].fd >= 0 || s[1].fd >= 0) {
    struct pollfd p[2];
    int n = 0;

    for (int i = 0; i < 2; ++i)
      if (s[i].fd >= 0)
        p[n++] = (struct pollfd) { .fd = s[i].fd, .events = POLLIN };
    int r = poll (p, (nfds_t) n, KEEPALIVE_POLL_MS);

    if (r == -1 && errno != EINTR)
      break;
    notify_alive ();
    if (r <= 0)
      continue;
    for (int i = 0, j = 0; i < 2; ++i)
      if (s[i].fd >= 0 && p[j++].revents)
        sink_read (&s[i]);
  }
  for (int i = 0; i < 2; ++i)
    if (s[i].fd >= 0)
      close (s[i].fd);
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  /* A truncated standard output would pass for the whole of it; a
   * truncated stderr is still a fine error message. */
  if (s[0].lost) {
    free (s[0].buf);
    free (s[1].buf);
    errno = EOVERFLOW;
    return -1;
  }
  if (out) *out = s[0].buf ? s[0].buf : strdup ("");
  else free (s[0].buf);
  if (err) *err = s[1].buf ? s[1].buf : strdup ("");
  else free (s[1].buf);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

int
run_command (char **out, char **err, char *const *argv)
{
  return run (out, err, NULL, -1, NULL, 0, argv);
}

int
run_command_input (char **out, char **err, const char *input,
                   char *const *argv)
{
  return run (out, err, input, -1, NULL, 0, argv);
}

int
run_command_fd (char **out, char **err, int in, char *const *argv)
{
  return run (out, err, NULL, in, NULL, 0, argv);
}

int
run_command_in (char **out, char **err, const char *dir, char *const *argv)
{
  return run (out, err, NULL, -1, dir, 0, argv);
}

/* /dev, /proc, /sys of the appliance bound into the guest tree while a
 * guest program runs; undone afterwards so they never show up in
 * listings or get unpacked into. */
static const char *const binds[] = { "/dev", "/proc", "/sys" };

static int
bind_guest_dirs (int *done)
{
  *done = 0;
  for (size_t i = 0; i < 3; ++i) {
    char target[64], fdbuf[32];
    int fd = sysroot_open (binds[i], O_PATH | O_DIRECTORY, 0);

    if (fd == -1)
      continue;               /* the guest has no such directory: skip */
    snprintf (target, sizeof target, "%s", fd_path (fd, fdbuf));
    if (mount (binds[i], target, NULL, MS_BIND | MS_REC, NULL) == -1) {
      close (fd);
      continue;
    }
    close (fd);
    *done |= 1 << i;
  }
  return 0;
}

static void
unbind_guest_dirs (int done)
{
  for (size_t i = 3; i-- > 0;) {
    char path[64];

    if (!(done & (1 << i)))
      continue;
    snprintf (path, sizeof path, SYSROOT "%s", binds[i]);
    if (umount2 (path, MNT_DETACH) == -1)
      debug ("umount %s: %m", path);
  }
}

int
run_in_guest (char **out, char **err, char *const *argv)
{
  struct guest_resolver res;
  int done, r, e;

  bind_guest_dirs (&done);
  guest_resolver_set (&res);
  r = run (out, err, NULL, -1, NULL, 1, argv);
  e = errno;
  guest_resolver_undo (&res);
  unbind_guest_dirs (done);
  errno = e;
  return r;
}

/* Longest program message passed on. */
#define MSG_MAX 1024

const char *
squeeze_message (char *s, const char *prog)
{
  size_t n = strlen (prog);
  char *w = s;
  int bol = 1;

  if (s == NULL)
    return "";
  for (const char *r = s; *r; ++r) {
    if (bol && strncmp (r, prog, n) == 0 && r[n] == ':' && r[n + 1] == ' ')
      r += n + 1;
    bol = *r == '\n';
    if (!strchr (" \t\n", *r))
      *w++ = *r;
    else if (w > s && w[-1] != ' ')
      *w++ = ' ';
  }
  if (w > s && w[-1] == ' ')
    w--;
  *w = '\0';
  if (w - s > MSG_MAX)
    strcpy (s + MSG_MAX - 4, " ...");
  return s;
}

int
reply_command_error (const char *subject, char *const *argv, int status,
                     char *err)
{
  const char *prog = strrchr (argv[0], '/') ? strrchr (argv[0], '/') + 1 : argv[0];
  const char *msg = squeeze_message (err, prog);

  if (status == -1 && errno == EOVERFLOW)
    return reply_with_error_errno (EOVERFLOW, "%s%s%s: its output is larger "
                                   "than the protocol limit",
                                   subject ? subject : "",
                                   subject ? ": " : "", prog);
  if (status == -1)
    return reply_with_perror ("%s%s%s", subject ? subject : "",
                              subject ? ": " : "", prog);
  if (status == 127 && *msg == '\0')
    return reply_with_error_errno (ENOENT, "%s%s%s: program not found",
                                   subject ? subject : "", subject ? ": " : "",
                                   prog);
  return reply_with_error ("%s%s%s: %s", subject ? subject : "",
                           subject ? ": " : "", prog,
                           *msg ? msg : "failed with no message");
}

int
command_or_reply (const char *subject, char **out, char *const *argv)
{
  CLEANUP_FREE char *err = NULL;
  int r = run_command (out, &err, argv);

  if (r != 0) {
    if (out) {
      free (*out);
      *out = NULL;
    }
    return reply_command_error (subject, argv, r, err);
  }
  return 0;
}
