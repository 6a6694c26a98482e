/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shell of rescue: busybox's sh, a root shell in the appliance
 * with the guest's filesystems where the host mounted them (under
 * /sysroot), on a pty (tty) or on pipes (a script), its input and
 * output relayed as chunks over the channel while it runs (see
 * library/rescue.c for the host's end).  Its own file because it is
 * the one call that keeps the channel for itself: until the shell has
 * exited and both ends have sent their end marker no other call runs.
 *
 * In tty mode the host's bytes carry control sequences after 0x1d:
 * 0x1d itself, "s" (sync), "u" (the guest's filesystems remounted
 * read-only) and "w" + rows + columns (16 bits each, big endian). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define BUSYBOX "/usr/bin/busybox"
#define OUTPUT_MAX (64 * 1024)
/* Once the shell has exited, output that does not come within this
 * long is a background job's: the relay ends. */
#define LINGER_MS 200
#define CTL 0x1d
/* A shell still there this long after its terminal hung up is killed. */
#define HANGUP_GRACE_MS 1000
/* Input the shell has not read yet, at most: the host's frames wait
 * past this, so a shell busy writing is never blocked by its input. */
#define PENDING_MAX (256 * 1024)

struct rescue {
  int tty;
  pid_t pid;                    /* the shell; -1 once reaped */
  int status;                   /* its exit status (128+N for signal N) */
  int in;                       /* the shell's input: pty master or pipe */
  int out;                      /* its output: the same master, or a pipe */
  int host_ended;               /* the host's end marker came */
  char *pend;                   /* input for the shell not written yet */
  size_t pend_len;
  long hangup_ms;               /* when the terminal was hung up, or 0 */
  int ctl_state;                /* 0, after 0x1d 1, "w" 2 to 5 */
  unsigned char ctl[4];         /* the size that "w" carries */
};

static int
open_pty (int *master, int *slave)
{
  struct stat st;

  if (stat ("/dev/pts/ptmx", &st) == -1) {
    mkdir ("/dev/pts", 0755);
    if (mount ("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
               "newinstance,ptmxmode=0666,mode=0620") == -1)
      return -1;
  }
  *master = open ("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*master == -1)
    return -1;
  if (unlockpt (*master) == -1 ||
      (*slave = ioctl (*master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) == -1) {
    close (*master);
    return -1;
  }
  return 0;
}

static void
set_size (int fd, int rows, int cols)
{
  struct winsize ws = {
    .ws_row = (unsigned short) (rows > 0 ? rows : 24),
    .ws_col = (unsigned short) (cols > 0 ? cols : 80),
  };

  ioctl (fd, TIOCSWINSZ, &ws);
}

/* The names people type for the appliance's tools, as links in a
 * directory at the head of the shell's PATH: lvm's commands, and the
 * ext filesystems' mkfs and fsck (the appliance has only the programs
 * the daemon runs, under their own names). */
#define RESCUE_BIN "/run/rescue-bin"

static void
make_links (void)
{
  static const char *const lvm_cmds[] = {
    "lvs", "vgs", "pvs", "lvscan", "vgscan", "pvscan", "lvdisplay",
    "vgdisplay", "pvdisplay", "lvcreate", "lvremove", "lvresize",
    "lvextend", "lvreduce", "lvrename", "lvchange", "vgchange", "vgcreate",
    "vgremove", "vgrename", "vgextend", "vgreduce", "pvcreate", "pvremove",
    "pvresize", "pvmove",
  };
  static const char *const ext[] = { "ext2", "ext3", "ext4" };
  char path[64];

  if (mkdir (RESCUE_BIN, 0755) == -1)
    return;                     /* there already, or no room: not needed */
  for (size_t i = 0; i < sizeof lvm_cmds / sizeof lvm_cmds[0]; ++i) {
    snprintf (path, sizeof path, RESCUE_BIN "/%s", lvm_cmds[i]);
    symlink ("/usr/sbin/lvm", path);
  }
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; ++i) {
    snprintf (path, sizeof path, RESCUE_BIN "/mkfs.%s", ext[i]);
    symlink ("/usr/sbin/mke2fs", path);
    snprintf (path, sizeof path, RESCUE_BIN "/fsck.%s", ext[i]);
    symlink ("/usr/sbin/e2fsck", path);
  }
}

static void __attribute__((noreturn))
child (int tty, int in, int out, const char *term)
{
  static const int defaults[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
                                  SIGHUP, SIGCHLD, SIGTSTP };

  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; ++i)
    signal (defaults[i], SIG_DFL);
  setsid ();
  if (tty)
    ioctl (in, TIOCSCTTY, 0);
  dup2 (in, 0);
  dup2 (out, 1);
  dup2 (out, 2);
  if (chdir ("/") == -1)
    _exit (126);
  clearenv ();
  setenv ("PATH", RESCUE_BIN ":/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setenv ("HOME", "/", 1);
  setenv ("SHELL", BUSYBOX, 1);
  setenv ("TERM", tty && *term ? term : "dumb", 1);
  setenv ("PS1", "><rescue> ", 1);
  execl (BUSYBOX, "sh", (char *) NULL);
  fprintf (stderr, "%s: %s\n", BUSYBOX, strerror (errno));
  _exit (127);
}

/* Starts the shell.  -1 with errno. */
static int
start (struct rescue *r, int rows, int cols, const char *term)
{
  int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, slave = -1;

  make_links ();
  if (r->tty) {
    if (open_pty (&r->in, &slave) == -1)
      return -1;
    r->out = r->in;
    set_size (slave, rows, cols);
  }
  else if (pipe2 (pin, O_CLOEXEC) == -1 || pipe2 (pout, O_CLOEXEC) == -1) {
    int saved = errno;
    if (pin[0] >= 0) {
      close (pin[0]);
      close (pin[1]);
    }
    errno = saved;
    return -1;
  }
  r->pid = fork ();
  if (r->pid == 0)
    child (r->tty, r->tty ? slave : pin[0], r->tty ? slave : pout[1], term);
  if (r->tty)
    close (slave);
  else {
    close (pin[0]);
    close (pout[1]);
    r->in = pin[1];
    r->out = pout[0];
  }
  if (r->pid == -1)
    return -1;
  fcntl (r->in, F_SETFL, O_NONBLOCK);
  return 0;
}

/* Every mount under /sysroot, deepest first, remounted read-only. */
static void
remount_guest_ro (void)
{
  FILE *fp = setmntent ("/proc/self/mounts", "re");
  struct strlist mps = STRLIST_INIT;
  struct mntent *m;

  if (fp == NULL)
    return;
  while ((m = getmntent (fp)) != NULL)
    if (strncmp (m->mnt_dir, SYSROOT, strlen (SYSROOT)) == 0)
      strlist_add (&mps, m->mnt_dir);
  endmntent (fp);
  for (size_t i = mps.len; i > 0; --i)
    mount (NULL, mps.v[i - 1], NULL, MS_REMOUNT | MS_RDONLY, NULL);
  strlist_free (&mps);
}

/* Queues bytes for the shell (dropped when memory runs out: a person
 * types them again). */
static void
queue (struct rescue *r, const void *p, size_t n)
{
  char *v = realloc (r->pend, r->pend_len + n);

  if (v == NULL)
    return;
  memcpy (v + r->pend_len, p, n);
  r->pend = v;
  r->pend_len += n;
}

/* One control byte after 0x1d (tty mode). */
static void
control (struct rescue *r, unsigned char c)
{
  if (r->ctl_state >= 2) {
    r->ctl[r->ctl_state - 2] = c;
    if (++r->ctl_state == 6) {
      set_size (r->in, r->ctl[0] << 8 | r->ctl[1], r->ctl[2] << 8 | r->ctl[3]);
      if (r->pid > 0)
        kill (-r->pid, SIGWINCH);
      r->ctl_state = 0;
    }
    return;
  }
  r->ctl_state = 0;
  if (c == CTL)
    queue (r, &c, 1);
  else if (c == 's')
    sync ();
  else if (c == 'u') {
    sync ();
    remount_guest_ro ();
  }
  else if (c == 'w')
    r->ctl_state = 2;
}

/* Writes what the shell takes now of the queued input. */
static void
flush_input (struct rescue *r)
{
  ssize_t n = write (r->in, r->pend, r->pend_len);

  if (n == -1 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n <= 0) {
    r->pend_len = 0;            /* the shell is gone: nobody reads it */
    return;
  }
  memmove (r->pend, r->pend + n, r->pend_len - (size_t) n);
  r->pend_len -= (size_t) n;
}

/* The host's bytes for the shell. */
static void
to_shell (struct rescue *r, const unsigned char *p, size_t n)
{
  size_t i = 0;

  if (r->in < 0)
    return;
  if (!r->tty) {
    queue (r, p, n);
    return;
  }
  while (i < n) {
    size_t j = i;

    if (r->ctl_state > 0) {
      control (r, p[i++]);
      continue;
    }
    while (j < n && p[j] != CTL)
      j++;
    if (j > i)
      queue (r, p + i, j - i);
    if (j < n) {
      r->ctl_state = 1;
      j++;
    }
    i = j;
  }
}

static void close_fds (struct rescue *r);

/* One frame from the host.  0, or -1 (the channel failed). */
static int
host_frame (struct rescue *r)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader rd;
  uint32_t flags, n;
  size_t len;

  if (wire_recv_frame (chan_fd, &frame, &len) != 1)
    return -1;
  wire_reader_init (&rd, frame, len);
  if (wire_get_u32 (&rd) != WIRE_CHUNK)
    return -1;
  flags = wire_get_u32 (&rd);
  n = wire_get_u32 (&rd);
  if (rd.err || n != rd.left)
    return -1;
  if (flags != CHUNK_DATA) {
    r->host_ended = 1;
    /* A terminal's end hangs it up (its programs get SIGHUP from the
     * kernel); a script's input is closed once the shell has read it
     * (relay). */
    if (r->tty) {
      close_fds (r);
      r->hangup_ms = now_ms ();
    }
    return 0;
  }
  if (r->pid > 0)
    to_shell (r, (const unsigned char *) rd.p, n);
  return 0;
}

/* The shell's output to the host.  1 more may come, 0 its end, -1 the
 * channel failed. */
static int
from_shell (struct rescue *r)
{
  static char buf[OUTPUT_MAX];
  ssize_t n = read (r->out, buf, sizeof buf);

  if (n == -1 && (errno == EINTR || errno == EAGAIN))
    return 1;
  if (n <= 0)                   /* EIO: a pty whose other side is gone */
    return 0;
  return send_file_write (buf, (size_t) n) == -1 ? -1 : 1;
}

static void
reap (struct rescue *r, int options)
{
  int st;

  if (r->pid > 0 && waitpid (r->pid, &st, options) == r->pid) {
    r->status = WIFEXITED (st) ? WEXITSTATUS (st) : 128 + WTERMSIG (st);
    /* Its background jobs go with it. */
    kill (-r->pid, SIGKILL);
    r->pid = -1;
  }
}

/* Relays until the shell has exited and its output ended (or
 * lingered).  -1: the channel failed. */
static int
relay (struct rescue *r)
{
  int out_open = 1;

  while (r->pid > 0 || out_open) {
    int take = !r->host_ended && r->pend_len < PENDING_MAX;
    struct pollfd p[3] = {
      { take ? chan_fd : -1, POLLIN, 0 },
      { out_open ? r->out : -1, POLLIN, 0 },
      { r->pend_len > 0 && r->in >= 0 ? r->in : -1, POLLOUT, 0 },
    };
    int n = poll (p, 3, r->pid > 0 ? LINGER_MS : LINGER_MS / 4);

    if (n == -1 && errno != EINTR)
      return -1;
    if (n > 0 && p[2].revents)
      flush_input (r);
    if (!r->tty && r->host_ended && r->pend_len == 0 && r->in >= 0) {
      close (r->in);
      r->in = -1;
    }
    if (n > 0 && p[0].revents && host_frame (r) == -1)
      return -1;
    if (n > 0 && p[1].revents) {
      int k = from_shell (r);
      if (k == -1)
        return -1;
      out_open = k;
    }
    if (r->out < 0)
      out_open = 0;
    if (r->hangup_ms && r->pid > 0 && now_ms () - r->hangup_ms > HANGUP_GRACE_MS)
      kill (-r->pid, SIGKILL);
    reap (r, WNOHANG);
    if (n == 0 && r->pid <= 0)
      break;                    /* exited, and nothing more came */
  }
  return 0;
}

/* The end of the call's stream: ours, then the host's (what it sends
 * before it is dropped).  -1: the channel failed. */
static int
end_stream (struct rescue *r)
{
  if (send_file_end (0) == -1)
    return -1;
  while (!r->host_ended) {
    CLEANUP_FREE char *frame = NULL;
    struct wire_reader rd;
    size_t len;

    if (wire_recv_frame (chan_fd, &frame, &len) != 1)
      return -1;
    wire_reader_init (&rd, frame, len);
    if (wire_get_u32 (&rd) != WIRE_CHUNK)
      return -1;
    if (wire_get_u32 (&rd) != CHUNK_DATA)
      r->host_ended = 1;
  }
  return 0;
}

static void
close_fds (struct rescue *r)
{
  if (r->in >= 0)
    close (r->in);
  if (r->out >= 0 && r->out != r->in)
    close (r->out);
  r->in = r->out = -1;
  free (r->pend);
  r->pend = NULL;
  r->pend_len = 0;
}

int
do_internal_rescue (int tty, int rows, int cols, const char *term)
{
  struct rescue r = { .tty = tty, .pid = -1, .in = -1, .out = -1 };
  int err = 0, broken;

  if (access (BUSYBOX, X_OK) == -1 || start (&r, rows, cols, term) == -1)
    err = errno ? errno : EIO;
  broken = err == 0 && relay (&r) == -1;
  if (r.pid > 0) {
    kill (-r.pid, SIGKILL);
    reap (&r, 0);
  }
  close_fds (&r);
  if (broken || end_stream (&r) == -1)
    /* The host is gone, or out of step: the reply is a formality. */
    return reply_with_error_errno (EPROTO, "the channel failed during the "
                                   "shell");
  if (err)
    return reply_with_error_errno (err, "%s: cannot start the shell: %s",
                                   BUSYBOX, strerror (err));
  return r.status;
}
