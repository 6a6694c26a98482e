/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock mount, as guestmount: the filesystems of a guest (-i, or
 * those -m names) served on a host directory through the library's
 * mount_local, until that directory is unmounted (drydock unmount).
 *
 * The overlay rule holds: a mount is read-only unless --rw or
 * --output-overlay asks for writes, and the changes reach the image
 * (--rw) or the new overlay (--output-overlay) only when the mount
 * ends with its unmount and the appliance then shuts down cleanly; a
 * killed mount leaves the image as it was.
 *
 * Unless --no-fork, the command returns once the directory is ready,
 * leaving a worker process to serve it: the worker is forked before
 * anything starts (the appliance and its temporary files are the
 * worker's own), and tells the waiting parent through a pipe. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanups.h"
#include "mount.h"
#include "options.h"

#define _(s) gettext (s)

/* --ro and --rw are the tool's own: read-only is the default here. */
#define MOUNT_TAKES (TOOL_OPT_ADD | TOOL_OPT_INSPECTOR | TOOL_OPT_MOUNT | \
                     TOOL_OPT_KEYS)

enum {
  OPT_FD = TOOL_OWN_OPTION, OPT_NO_FORK, OPT_PID_FILE, OPT_DIR_CACHE_TIMEOUT,
  OPT_OUTPUT_OVERLAY,
};

struct mount_options {
  int rw;                       /* 1 --rw, 0 --ro, -1 neither */
  int fd;                       /* --fd, or -1 */
  int no_fork;
  const char *pid_file;
  int cache_timeout;            /* -1: the library's default */
  char *fuse_options;           /* the -o options, comma-joined */
  const char *overlay;          /* --output-overlay */
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] {-i | -m DEV[:MP] ...} "
                 "[OPTIONS] MOUNTPOINT\n"
                 "Mount the filesystems of a guest on the host directory "
                 "MOUNTPOINT, as\n"
                 "guestmount; 'drydock unmount MOUNTPOINT' ends it.  Read-only "
                 "unless\n"
                 "--rw (the changes are written into the images when the "
                 "mount ends\n"
                 "cleanly) or --output-overlay (into a new overlay instead).\n\n"
                 "  -r, --ro               read only (the default)\n"
                 "  -w, --rw               writable; the changes are committed "
                 "into the\n"
                 "                         images once unmounted\n"
                 "  --output-overlay NEW.qcow2\n"
                 "                         writable; the changes are kept in "
                 "NEW.qcow2\n"
                 "                         (backed by the last image), which "
                 "is left as is\n"
                 "  -o, --option OPT       a FUSE mount option (repeatable)\n"
                 "  --dir-cache-timeout N  trust attributes read for N "
                 "seconds (60)\n"
                 "  --fd FD                write a byte to FD once mounted\n"
                 "  --no-fork              serve in the foreground\n"
                 "  --pid-file FILE        write the serving process's pid "
                 "to FILE\n"),
           tool_program_name ());
  tool_print_options_help (fp, MOUNT_TAKES);
  exit (status);
}

static int
add_fuse_option (struct mount_options *mo, const char *opt)
{
  char *s;

  if (asprintf (&s, "%s%s%s", mo->fuse_options ? mo->fuse_options : "",
                mo->fuse_options ? "," : "", opt) == -1)
    return tool_error ("%s", strerror (errno));
  free (mo->fuse_options);
  mo->fuse_options = s;
  return 0;
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct mount_options *mo = opaque;

  switch (c) {
  case 'o':
    return add_fuse_option (mo, arg);
  case 'r':
    mo->rw = 0;
    return 0;
  case 'w':
    mo->rw = 1;
    return 0;
  case OPT_FD:
    return tool_parse_count ("--fd", arg, &mo->fd);
  case OPT_NO_FORK:
    mo->no_fork = 1;
    return 0;
  case OPT_PID_FILE:
    mo->pid_file = arg;
    return 0;
  case OPT_DIR_CACHE_TIMEOUT:
    return tool_parse_count ("--dir-cache-timeout", arg, &mo->cache_timeout);
  case OPT_OUTPUT_OVERLAY:
    mo->overlay = arg;
    return 0;
  }
  return -1;
}

static void __attribute__((noreturn))
usage_error (const char *msg)
{
  tool_error (_("%s (try '%s --help')"), msg, tool_program_name ());
  exit (EXIT_FAILURE);
}

/* Parses argv; returns the mount point.  Exits on a usage error. */
static const char *
parse_options (int argc, char **argv, struct tool_options *o,
               struct mount_options *mo)
{
  static const struct option longopts[] = {
    { "option", required_argument, NULL, 'o' },
    { "ro", no_argument, NULL, 'r' },
    { "rw", no_argument, NULL, 'w' },
    { "fd", required_argument, NULL, OPT_FD },
    { "no-fork", no_argument, NULL, OPT_NO_FORK },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "dir-cache-timeout", required_argument, NULL, OPT_DIR_CACHE_TIMEOUT },
    { "output-overlay", required_argument, NULL, OPT_OUTPUT_OVERLAY },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = MOUNT_TAKES, .short_options = "o:rw", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = mo,
  };
  int first;

  first = tool_parse (&spec, argc, argv, o);
  if (o->n_drives == 0)
    usage_error (_("no image given: use -a IMAGE or -d DOMAIN"));
  if (!o->inspector && o->n_mounts == 0)
    usage_error (_("say what to mount: -i (the operating system's "
                   "filesystems) or -m DEVICE"));
  if (first != argc - 1)
    usage_error (first >= argc ? _("no mount point given")
                 : _("one mount point, please"));
  if (mo->rw == 0 && mo->overlay) {
    tool_error (_("--ro and --output-overlay exclude each other (a --ro "
                  "mount keeps nothing)"));
    exit (EXIT_FAILURE);
  }
  mo->rw = mo->rw == 1;
  o->ro = !mo->rw && !mo->overlay;
  return argv[first];
}

/* Tells whoever waits that the directory is ready: the --fd byte, the
 * --pid-file, and the parent's pipe (ready_fd, -1 if none). */
static int
announce (const struct mount_options *mo, int ready_fd)
{
  char byte = 0;

  if (mo->pid_file) {
    FILE *fp = fopen (mo->pid_file, "we");

    if (fp == NULL || fprintf (fp, "%ld\n", (long) getpid ()) < 0 ||
        fclose (fp) != 0)
      return tool_error ("%s: %s", mo->pid_file, strerror (errno));
  }
  if (mo->fd >= 0) {
    if (write (mo->fd, &byte, 1) != 1)
      return tool_error ("--fd %d: %s", mo->fd, strerror (errno));
    close (mo->fd);
  }
  if (ready_fd >= 0) {
    if (write (ready_fd, &byte, 1) != 1)
      return tool_error ("%s", strerror (errno));
    close (ready_fd);
  }
  return 0;
}

/* The whole session: launch, mount, serve, and at the end shut down
 * (writing the changes when asked).  Exit status. */
static int
serve (struct tool_options *o, struct mount_options *mo,
       const char *mountpoint, int ready_fd)
{
  drydock_h *h = tool_create_handle (o, 0);
  struct drydock_mount_local_opts_argv ml = { 0 };
  int writes = mo->rw || mo->overlay;

  if (h == NULL)
    return EXIT_FAILURE;
  if (tool_add_drives (h, o, mo->overlay) == -1 || tool_launch (h) == -1 ||
      tool_mount_filesystems (h, o) == -1)
    goto fail;
  ml.bitmask = DRYDOCK_MOUNT_LOCAL_OPTS_READONLY_BITMASK |
    DRYDOCK_MOUNT_LOCAL_OPTS_DEBUGCALLS_BITMASK;
  ml.readonly = !writes;
  ml.debugcalls = o->trace;
  if (mo->fuse_options) {
    ml.bitmask |= DRYDOCK_MOUNT_LOCAL_OPTS_OPTIONS_BITMASK;
    ml.options = mo->fuse_options;
  }
  if (mo->cache_timeout >= 0) {
    ml.bitmask |= DRYDOCK_MOUNT_LOCAL_OPTS_CACHETIMEOUT_BITMASK;
    ml.cachetimeout = mo->cache_timeout;
  }
  if (drydock_mount_local_opts_argv (h, mountpoint, &ml) == -1) {
    tool_lib_error (h);
    goto fail;
  }
  if (announce (mo, ready_fd) == -1) {
    drydock_umount_local_opts (h, DRYDOCK_UMOUNT_LOCAL_OPTS_RETRY, 0, -1);
    goto fail;
  }
  if (drydock_mount_local_run (h) == -1) {
    tool_lib_error (h);
    goto fail;
  }
  /* Unmounted: the one clean end, after which the changes are kept. */
  if (writes && drydock_shutdown (h) == -1) {
    tool_lib_error (h);
    goto fail;
  }
  drydock_close (h);
  return EXIT_SUCCESS;

 fail:
  drydock_close (h);
  return EXIT_FAILURE;
}

/* Forks the worker; the parent waits for its word that the directory
 * is ready and exits (0 if it is).  Returns in the worker, with the
 * pipe's write end in *ready_fd. */
static void
fork_worker (int *ready_fd)
{
  int fds[2];
  pid_t pid;
  char byte;

  if (pipe2 (fds, O_CLOEXEC) == -1) {
    tool_error ("pipe: %s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  fflush (NULL);
  pid = fork ();
  if (pid == -1) {
    tool_error ("fork: %s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  if (pid > 0) {
    close (fds[1]);
    if (read (fds[0], &byte, 1) == 1)
      exit (EXIT_SUCCESS);
    /* The worker failed (and said why) before the mount was ready. */
    waitpid (pid, NULL, 0);
    exit (EXIT_FAILURE);
  }
  close (fds[0]);
  setsid ();
  *ready_fd = fds[1];
}

int
mount_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct mount_options mo = { .rw = -1, .fd = -1, .cache_timeout = -1 };
  const char *mp = parse_options (argc, argv, &o, &mo);
  CLEANUP_FREE char *mountpoint = realpath (mp, NULL);
  struct stat st;
  int ready_fd = -1, r;

  if (mountpoint == NULL || stat (mountpoint, &st) == -1) {
    tool_error ("'%s': %s", mp, strerror (errno));
    return EXIT_FAILURE;
  }
  if (!S_ISDIR (st.st_mode)) {
    tool_error (_("'%s': not a directory"), mp);
    return EXIT_FAILURE;
  }
  if (!mo.no_fork)
    fork_worker (&ready_fd);
  r = serve (&o, &mo, mountpoint, ready_fd);
  free (mo.fuse_options);
  tool_options_free (&o);
  return r;
}
