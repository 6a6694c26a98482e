/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --listen and --remote: a shell in the background that later
 * "drydock shell --remote CMD ARGS" calls drive, for shell scripts that
 * issue one command at a time without paying for a launch each time:
 *
 *   eval "$(drydock shell --listen -a disk.img)"
 *   drydock shell --remote run : mount /dev/sda1 /
 *   drydock shell --remote cat /etc/hostname
 *   drydock shell --remote exit
 *
 * The server listens on a Unix socket, DIR/socket-PID, DIR being
 * $XDG_RUNTIME_DIR/drydock or /tmp/.drydock-UID (a directory of the
 * user's alone, mode 0700); it answers only its own user (the peer's
 * credentials).  A client passes its standard input, output and error
 * (SCM_RIGHTS), its directory, and the words of the commands (or none:
 * the server then reads commands from the client's standard input); the
 * server runs them there and answers their status.  As a script, the
 * server ends at the first command that fails (one with a leading '-'
 * does not), or at exit, having shut down first, so that the changes are
 * in the images when "--remote exit" returns.
 *
 * Wire format, client to server: "DDK1", u32 word count (0: read
 * standard input), u32-length-prefixed strings: the directory, then the
 * words; the three descriptors ride on the first byte.  Server to
 * client: one byte, 0 success, 1 failure. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"
#include "full-rw.h"

#define MAGIC "DDK1"
/* Bounds on what a client may send (a command line, not a file). */
#define MAX_WORDS 4096
#define MAX_WORD (1024 * 1024)

/* The directory of the sockets, created if needed and checked to be
 * the user's alone (caller frees).  NULL (printed). */
static char *
socket_dir (void)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  char *dir;
  struct stat st;

  if (xdg && *xdg == '/' && stat (xdg, &st) == 0 && S_ISDIR (st.st_mode)) {
    if (asprintf (&dir, "%s/drydock", xdg) == -1)
      return NULL;
  }
  else if (asprintf (&dir, "/tmp/.drydock-%u", (unsigned) geteuid ()) == -1)
    return NULL;
  if (mkdir (dir, 0700) == -1 && errno != EEXIST) {
    tool_error ("%s: %s", dir, strerror (errno));
    free (dir);
    return NULL;
  }
  if (lstat (dir, &st) == -1 || !S_ISDIR (st.st_mode) ||
      st.st_uid != geteuid () || (st.st_mode & 077) != 0) {
    tool_error (_("%s: not a private directory of this user (mode 0700, "
                  "owned by uid %u): refusing to use it for sockets"), dir,
                (unsigned) geteuid ());
    free (dir);
    return NULL;
  }
  return dir;
}

static int
socket_address (const char *pid, struct sockaddr_un *sun)
{
  CLEANUP_FREE char *dir = socket_dir ();
  int n;

  if (dir == NULL)
    return -1;
  memset (sun, 0, sizeof *sun);
  sun->sun_family = AF_UNIX;
  n = snprintf (sun->sun_path, sizeof sun->sun_path, "%s/socket-%s", dir, pid);
  if (n < 0 || (size_t) n >= sizeof sun->sun_path)
    return tool_error (_("%s: the socket's path is too long"), dir);
  return 0;
}

/* ---- the server ---- */

static int
read_u32 (int fd, uint32_t *v)
{
  return read_all (fd, v, sizeof *v) == (ssize_t) sizeof *v ? 0 : -1;
}

static char *
read_string (int fd)
{
  uint32_t len;
  char *s;

  if (read_u32 (fd, &len) == -1 || len > MAX_WORD)
    return NULL;
  s = malloc ((size_t) len + 1);
  if (s == NULL)
    return NULL;
  if (len && read_all (fd, s, len) != (ssize_t) len) {
    free (s);
    return NULL;
  }
  s[len] = '\0';
  if (strlen (s) != len) {      /* no NUL inside a word */
    free (s);
    return NULL;
  }
  return s;
}

/* The header and the client's three descriptors (fds, -1 if absent). */
static int
read_header (int conn, int fds[3])
{
  char magic[4];
  struct iovec iov = { magic, sizeof magic };
  union {
    char buf[CMSG_SPACE (3 * sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = u.buf, .msg_controllen = sizeof u.buf,
  };
  struct cmsghdr *cm;
  ssize_t n;

  fds[0] = fds[1] = fds[2] = -1;
  do
    n = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
  while (n == -1 && errno == EINTR);
  cm = CMSG_FIRSTHDR (&msg);
  if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
      cm->cmsg_len == CMSG_LEN (3 * sizeof (int)))
    memcpy (fds, CMSG_DATA (cm), 3 * sizeof (int));
  if (n != (ssize_t) sizeof magic || memcmp (magic, MAGIC, 4) != 0 ||
      fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
    return -1;
  return 0;
}

/* Runs the client's commands with its descriptors and directory as the
 * shell's own.  The commands' status: 0, -1, or 1 (quit). */
static int
serve_commands (int conn, const int fds[3])
{
  CLEANUP_FREE char *cwd = read_string (conn);
  char **words = NULL;
  uint32_t n = 0;
  int saved[3], here, r = -1;

  if (cwd == NULL || read_u32 (conn, &n) == -1 || n > MAX_WORDS)
    return -1;
  words = calloc ((size_t) n + 1, sizeof *words);
  for (uint32_t i = 0; words && i < n; ++i)
    if ((words[i] = read_string (conn)) == NULL)
      goto out;
  if (words == NULL)
    return -1;
  here = open (".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  fflush (stdout);
  fflush (stderr);
  for (int i = 0; i < 3; ++i) {
    saved[i] = fcntl (i, F_DUPFD_CLOEXEC, 3);
    dup2 (fds[i], i);
  }
  if (chdir (cwd) == -1)
    r = tool_error ("%s: %s", cwd, strerror (errno));
  else if (n > 0)
    r = shell_run_argv ((int) n, words);
  else {
    FILE *in = fdopen (fcntl (0, F_DUPFD_CLOEXEC, 3), "r");

    r = in ? shell_run_stream (in, 1) : -1;
    if (in)
      fclose (in);
  }
  fflush (stdout);
  fflush (stderr);
  for (int i = 0; i < 3; ++i) {
    dup2 (saved[i], i);
    close (saved[i]);
  }
  if (here >= 0) {
    if (fchdir (here) == -1)
      r = -1;
    close (here);
  }
 out:
  for (uint32_t i = 0; words && i < n; ++i)
    free (words[i]);
  free (words);
  return r;
}

/* Is the peer this user? */
static int
peer_is_us (int conn)
{
  struct ucred cred;
  socklen_t len = sizeof cred;

  return getsockopt (conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
    cred.uid == geteuid ();
}

/* Serves until a quit or a failure; finish settles the session (with
 * the client's descriptors, so that its messages reach the client) and
 * gives the status to answer. */
static int
serve (int lfd, int (*finish) (int failed))
{
  for (;;) {
    int conn = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC), fds[3];
    unsigned char status;
    int r;

    if (conn == -1) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      return finish (1);
    }
    if (!peer_is_us (conn) || read_header (conn, fds) == -1) {
      for (int i = 0; i < 3; ++i)
        if (fds[i] >= 0)
          close (fds[i]);
      close (conn);
      continue;
    }
    r = serve_commands (conn, fds);
    if (r != 0) {
      int saved[3];

      for (int i = 0; i < 3; ++i) {
        saved[i] = fcntl (i, F_DUPFD_CLOEXEC, 3);
        dup2 (fds[i], i);
      }
      r = finish (r == -1) == 0 && r == 1 ? 0 : -1;
      fflush (stdout);
      fflush (stderr);
      for (int i = 0; i < 3; ++i) {
        dup2 (saved[i], i);
        close (saved[i]);
      }
      status = r == 0 ? 0 : 1;
      write_all (conn, &status, 1);
      for (int i = 0; i < 3; ++i)
        close (fds[i]);
      close (conn);
      return r;
    }
    status = 0;
    write_all (conn, &status, 1);
    for (int i = 0; i < 3; ++i)
      close (fds[i]);
    close (conn);
  }
}

void
shell_listen (int csh, int (*set_up) (void), int (*finish) (int failed))
{
  struct sockaddr_un sun;
  int ready[2], lfd, devnull, r;
  char pidstr[32], ok = 0;
  pid_t pid;

  if (pipe2 (ready, O_CLOEXEC) == -1) {
    tool_error ("pipe: %s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  fflush (stdout);
  pid = fork ();
  if (pid == -1) {
    tool_error ("fork: %s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  if (pid > 0) {
    /* The parent: tell the shell where the server is, once it is. */
    close (ready[1]);
    if (read_all (ready[0], &ok, 1) != 1 || ok != 1)
      exit (EXIT_FAILURE);
    if (csh)
      printf ("setenv DRYDOCK_PID %d\n", (int) pid);
    else
      printf ("DRYDOCK_PID=%d; export DRYDOCK_PID\n", (int) pid);
    exit (EXIT_SUCCESS);
  }
  close (ready[0]);
  setsid ();
  signal (SIGPIPE, SIG_IGN);
  snprintf (pidstr, sizeof pidstr, "%d", (int) getpid ());
  if (socket_address (pidstr, &sun) == -1)
    exit (EXIT_FAILURE);
  lfd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink (sun.sun_path);
  if (lfd == -1 || bind (lfd, (struct sockaddr *) &sun, sizeof sun) == -1 ||
      listen (lfd, 8) == -1) {
    tool_error ("%s: %s", sun.sun_path, strerror (errno));
    exit (EXIT_FAILURE);
  }
  if (set_up () == -1) {
    unlink (sun.sun_path);
    exit (EXIT_FAILURE);
  }
  /* Detached: nothing of the caller's is held open. */
  devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  for (int i = 0; i < 3 && devnull >= 0; ++i)
    dup2 (devnull, i);
  if (devnull > 2)
    close (devnull);
  ok = 1;
  write_all (ready[1], &ok, 1);
  close (ready[1]);
  shell.remote = 1;
  r = serve (lfd, finish);
  unlink (sun.sun_path);
  close (lfd);
  exit (r == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}

/* ---- the client ---- */

static int
write_string (int fd, const char *s)
{
  uint32_t len = (uint32_t) strlen (s);

  if (write_all (fd, &len, sizeof len) == -1 || write_all (fd, s, len) == -1)
    return -1;
  return 0;
}

static int
send_header (int fd)
{
  int fds[3] = { 0, 1, 2 };
  struct iovec iov = { (char *) MAGIC, 4 };
  union {
    char buf[CMSG_SPACE (sizeof fds)];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = u.buf, .msg_controllen = sizeof u.buf,
  };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&msg);

  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof fds);
  memcpy (CMSG_DATA (cm), fds, sizeof fds);
  return sendmsg (fd, &msg, MSG_NOSIGNAL) == 4 ? 0 : -1;
}

int
shell_remote (const char *pid, int argc, char **argv)
{
  struct sockaddr_un sun;
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *cwd = getcwd (NULL, 0);
  uint32_t n = (uint32_t) argc;
  unsigned char status;

  if (pid == NULL)
    pid = getenv ("DRYDOCK_PID");
  if (pid == NULL || *pid == '\0')
    return tool_error (_("--remote: no server: give --remote=PID, or set "
                         "DRYDOCK_PID (eval \"$(drydock shell --listen ...)\")"));
  if (strspn (pid, "0123456789") != strlen (pid))
    return tool_error (_("--remote: '%s' is not a process ID"), pid);
  if (socket_address (pid, &sun) == -1)
    return -1;
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1 || connect (fd, (struct sockaddr *) &sun, sizeof sun) == -1)
    return tool_error (_("--remote: cannot reach the shell of process %s "
                         "(%s): %s"), pid, sun.sun_path, strerror (errno));
  fflush (stdout);
  if (send_header (fd) == -1 || write_string (fd, cwd ? cwd : "/") == -1 ||
      write_all (fd, &n, sizeof n) == -1)
    return tool_error ("--remote: %s", strerror (errno));
  for (int i = 0; i < argc; ++i)
    if (write_string (fd, argv[i]) == -1)
      return tool_error ("--remote: %s", strerror (errno));
  if (read_all (fd, &status, 1) != 1)
    return tool_error (_("--remote: the shell of process %s ended without "
                         "answering"), pid);
  return status == 0 ? 0 : -1;
}
