/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding the appliance: the builder (drydock-make-appliance) answers
 * from its cache in milliseconds and rebuilds only when an input's
 * content changed.  It prints three paths: the kernel, the initrd and the
 * root image.  Also the one helper the library uses to run a program and
 * wait for it. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"

const char *
drydock_int_cachedir (drydock_h *h)
{
  const char *v;

  if (h->cachedir)
    return h->cachedir;
  if ((v = getenv ("DRYDOCK_CACHEDIR")) != NULL && *v)
    h->cachedir = strdup (v);
  else if ((v = getenv ("XDG_CACHE_HOME")) != NULL && *v)
    asprintf (&h->cachedir, "%s/drydock", v);
  else if ((v = getenv ("HOME")) != NULL && *v)
    asprintf (&h->cachedir, "%s/.cache/drydock", v);
  else
    asprintf (&h->cachedir, "/var/tmp/drydock-%d", (int) getuid ());
  return h->cachedir;
}

/* Appends what fd has to *buf (up to 1 MiB kept).  Returns 0 at EOF. */
static int
collect (int fd, char **buf, size_t *len)
{
  char tmp[4096];
  ssize_t n = read (fd, tmp, sizeof tmp);
  char *b;

  if (n == -1 && errno == EINTR)
    return 1;
  if (n <= 0)
    return 0;
  if (*len > 1024 * 1024)
    return 1;
  b = realloc (*buf, *len + (size_t) n + 1);
  if (b == NULL)
    return 1;
  memcpy (b + *len, tmp, (size_t) n);
  *len += (size_t) n;
  b[*len] = '\0';
  *buf = b;
  return 1;
}

int
drydock_int_run (drydock_h *h, char *const *argv, char **out, char **err)
{
  return drydock_int_run_flags (h, argv, out, err, 0);
}

int
drydock_int_run_flags (drydock_h *h, char *const *argv, char **out, char **err,
                       int flags)
{
  return drydock_int_run_timeout (h, argv, out, err, flags, 0);
}

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline (now_ms's clock), at least 0. */
static int
ms_left (int64_t deadline)
{
  int64_t now = now_ms ();

  return deadline > now ? (int) (deadline - now) : 0;
}

int
drydock_int_run_timeout (drydock_h *h, char *const *argv, char **out,
                         char **err, int flags, int timeout_s)
{
  return drydock_int_run_full (h, argv, out, err, flags, timeout_s, -1);
}

int
drydock_int_run_keep (drydock_h *h, char *const *argv, char **out, char **err,
                      int flags, int keep_fd)
{
  return drydock_int_run_full (h, argv, out, err, flags, 0, keep_fd);
}

int
drydock_int_run_full (drydock_h *h, char *const *argv, char **out, char **err,
                      int flags, int timeout_s, int keep_fd)
{
  int po[2], pe[2], status, timed_out = 0;
  size_t lo = 0, le = 0;
  int64_t deadline = 0;
  pid_t pid;

  if (out) *out = NULL;
  if (err) *err = NULL;
  if (pipe2 (po, O_CLOEXEC) == -1)
    return -1;
  if (pipe2 (pe, O_CLOEXEC) == -1) {
    close (po[0]); close (po[1]);
    return -1;
  }
  drydock_int_debug (h, "run: %s %s", argv[0], argv[1] ? argv[1] : "");
  pid = fork ();
  if (pid == -1) {
    close (po[0]); close (po[1]); close (pe[0]); close (pe[1]);
    return -1;
  }
  if (pid == 0) {
    int null = open ("/dev/null", O_RDONLY);
    dup2 (null, 0);
    dup2 (po[1], 1);
    dup2 (pe[1], 2);
    signal (SIGPIPE, SIG_DFL);
    if (keep_fd >= 0)
      fcntl (keep_fd, F_SETFD, 0);
    if (flags & RUN_SURVIVE_CALLER) {
      /* Finish even if the caller is killed: signals meant for the
       * caller's group do not reach it. */
      setpgid (0, 0);
      signal (SIGINT, SIG_IGN);
      signal (SIGTERM, SIG_IGN);
      signal (SIGHUP, SIG_IGN);
    }
    else
      prctl (PR_SET_PDEATHSIG, SIGKILL);
    execvp (argv[0], argv);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (po[1]);
  close (pe[1]);
  {
    struct pollfd p[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
    int open_fds = 2;
    char *ob = NULL, *eb = NULL;

    if (timeout_s > 0)
      deadline = now_ms () + (int64_t) timeout_s * 1000;
    while (open_fds > 0) {
      int r = poll (p, 2, timeout_s > 0 ? ms_left (deadline) : -1);

      if (r == 0) {
        /* The program's output is not awaited any longer: a child
         * holding the pipes open dies with it (PR_SET_PDEATHSIG). */
        kill (pid, SIGKILL);
        timed_out = 1;
        break;
      }
      if (r == -1) {
        if (errno == EINTR)
          continue;
        break;
      }
      for (int i = 0; i < 2; ++i)
        if (p[i].fd >= 0 && p[i].revents &&
            collect (p[i].fd, i == 0 ? &ob : &eb, i == 0 ? &lo : &le) == 0) {
          close (p[i].fd);
          p[i].fd = -1;
          open_fds--;
        }
    }
    for (int i = 0; i < 2; ++i)
      if (p[i].fd >= 0)
        close (p[i].fd);
    if (out) *out = ob; else free (ob);
    if (err) *err = eb; else free (eb);
  }
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return -1;
  if (timed_out) {
    errno = ETIMEDOUT;
    return -1;
  }
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static const char *
env_or (const char *name, const char *def)
{
  const char *v = getenv (name);

  return v && *v ? v : def;
}

const char *
drydock_int_qemu_img (void)
{
  return env_or ("DRYDOCK_QEMU_IMG", QEMU_IMG);
}

/* One of the programs of the libexec directory: set_path's directory
 * (DIR/name, in *buf, caller frees) when it was set; else the variable
 * env names; else DRYDOCK_PATH's directory; else the installed one.
 * NULL out of memory. */
static const char *
libexec_program (drydock_h *h, const char *env, const char *name, char **buf)
{
  const char *dir = h->path, *v = getenv (env);

  *buf = NULL;
  if (dir == NULL && v && *v)
    return v;
  if (dir == NULL && (v = getenv ("DRYDOCK_PATH")) != NULL && *v)
    dir = v;
  if (dir == NULL)
    dir = LIBEXECDIR;
  if (asprintf (buf, "%s/%s", dir, name) == -1)
    *buf = NULL;
  return *buf;
}

/* The next line of *p (without its newline), advancing *p; NULL if
 * there is none.  Caller frees. */
static char *
next_line (const char **p)
{
  size_t n = strcspn (*p, "\n");
  char *line;

  if ((*p)[n] != '\n' || n == 0)
    return NULL;
  line = strndup (*p, n);
  *p += n + 1;
  return line;
}

/* Touches the appliance's directory: the builder of another build tree
 * (another daemon, so another appliance in the same cache) leaves an
 * appliance used within the hour in place, rather than removing it
 * under a launch that is about to start qemu on it. */
static void
mark_in_use (const char *kernel)
{
  const char *slash = strrchr (kernel, '/');
  char dir[4096];

  if (slash == NULL || (size_t) (slash - kernel) >= sizeof dir)
    return;
  memcpy (dir, kernel, (size_t) (slash - kernel));
  dir[slash - kernel] = '\0';
  utimensat (AT_FDCWD, dir, NULL, 0);
}

int
drydock_int_build_appliance (drydock_h *h, char **kernel, char **initrd,
                             char **root)
{
  CLEANUP_FREE char *builder_in = NULL, *daemon_in = NULL;
  const char *builder = libexec_program (h, "DRYDOCK_MAKE_APPLIANCE",
                                         "drydock-make-appliance",
                                         &builder_in);
  const char *daemon = libexec_program (h, "DRYDOCK_DAEMON", "drydockd",
                                        &daemon_in);
  const char *cachedir = drydock_int_cachedir (h);
  CLEANUP_FREE char *out = NULL, *err = NULL;
  char *const argv[] = { (char *) builder, "--daemon", (char *) daemon,
                         "--cachedir", (char *) cachedir, NULL };
  const char *p;
  int r;

  *kernel = *initrd = *root = NULL;
  if (builder == NULL || daemon == NULL) {
    drydock_int_perror (h, "launch");
    return -1;
  }
  if (cachedir == NULL) {
    drydock_int_perror (h, "launch: cache directory");
    return -1;
  }
  r = drydock_int_run (h, argv, &out, &err);
  if (r != 0) {
    if (err)
      err[strcspn (err, "\n")] = '\0';
    if (r == 127 && (err == NULL || strstr (err, builder)))
      drydock_int_error_errno (h, ENOENT, "launch: appliance builder %s not "
                               "found (is drydock installed?)", builder);
    else
      drydock_int_error_errno (h, EIO, "launch: cannot build the appliance: %s",
                               err && *err ? err : "builder failed");
    return -1;
  }
  p = out ? out : "";
  errno = 0;
  *kernel = next_line (&p);
  *initrd = *kernel ? next_line (&p) : NULL;
  *root = *initrd ? next_line (&p) : NULL;
  if (*root == NULL) {
    if (errno == ENOMEM)
      drydock_int_perror (h, "launch");
    else
      drydock_int_error_errno (h, EIO, "launch: appliance builder %s did "
                               "not print the kernel, initrd and root image "
                               "paths", builder);
    free (*kernel);
    free (*initrd);
    *kernel = *initrd = NULL;
    return -1;
  }
  mark_in_use (*kernel);
  return 0;
}
