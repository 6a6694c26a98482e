/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing the output of a copying sparsify: qemu-img convert from the
 * working overlay, an unlinked file (skipping zero and discarded
 * clusters), into a file that has no name until it is complete
 * (O_TMPFILE), so even a SIGKILL leaves no partial output behind; it
 * is synced before it gets its name, and the name is synced, so a power
 * cut leaves the old output or the whole new one.
 * Where the output's filesystem has no O_TMPFILE, a temporary name is
 * used, removed on SIGINT, SIGTERM and SIGHUP. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "sparsify.h"

static const char *volatile doomed[2];

static void
remove_doomed (int sig)
{
  for (int i = 0; i < 2; ++i)
    if (doomed[i])
      unlink (doomed[i]);
  signal (sig, SIG_DFL);
  raise (sig);
}

void
sparsify_image_remove_on_signal (int slot, const char *path)
{
  doomed[slot] = path;
  signal (SIGINT, remove_doomed);
  signal (SIGTERM, remove_doomed);
  signal (SIGHUP, remove_doomed);
}

/* An unnamed file in the directory of path, inherited by qemu-img (no
 * O_CLOEXEC); -1 if the filesystem cannot. */
static int
open_unnamed (const char *path)
{
  CLEANUP_FREE char *dir = strdup (path);
  char *slash = dir ? strrchr (dir, '/') : NULL;

  if (dir == NULL)
    return -1;
  if (slash == dir)
    slash[1] = '\0';
  else if (slash)
    *slash = '\0';
  return open (slash ? dir : ".", O_TMPFILE | O_RDWR, 0666);
}

/* Gives the finished unnamed file its name once its bytes are on disk:
 * a link under tmp, then a rename over out (a link cannot replace a
 * file), then the directory synced.  A crash leaves the old out or the
 * whole new one. */
static int
publish (int fd, const char *tmp, const char *out)
{
  char proc[64];

  if (fsync (fd) == -1)
    return -1;
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
  unlink (tmp);
  if (linkat (AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == -1)
    return -1;
  if (rename (tmp, out) == -1) {
    int saved = errno;
    unlink (tmp);
    errno = saved;
    return -1;
  }
  return fsync_dir_of (out);
}

/* The same for a named temporary file. */
static int
publish_named (const char *tmp, const char *out)
{
  if (fsync_path (tmp) == -1 || rename (tmp, out) == -1)
    return -1;
  return fsync_dir_of (out);
}

static int
convert (const char *src, const char *dst, const char *format, int compress,
         int progress, char **err)
{
  CLEANUP_CLOSE int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  char *argv[16];
  int n = 0;

  argv[n++] = (char *) QEMU_IMG;
  argv[n++] = (char *) "convert";
  if (progress)
    argv[n++] = (char *) "-p";
  if (compress)
    argv[n++] = (char *) "-c";
  argv[n++] = (char *) "-f";
  argv[n++] = (char *) "qcow2";
  argv[n++] = (char *) "-O";
  argv[n++] = (char *) format;
  argv[n++] = (char *) src;
  argv[n++] = (char *) dst;
  argv[n] = NULL;
  /* The progress (on stdout) goes to stderr: stdout is for the report. */
  return sparsify_image_run_qemu_img (argv, progress ? 2 : null, NULL, NULL,
                                      err);
}

int
sparsify_image_convert (int ofd, const char *out, const char *format,
                        int compress, int progress)
{
  CLEANUP_FREE char *tmp = NULL, *err = NULL;
  CLEANUP_CLOSE int tfd = -1;
  char src[32], dst[32];
  int r;

  if (asprintf (&tmp, "%s.drydock-tmp-%d", out, (int) getpid ()) == -1)
    return tool_error ("%s", strerror (errno));
  snprintf (src, sizeof src, "/dev/fd/%d", ofd);
  tfd = open_unnamed (out);
  if (tfd >= 0)
    snprintf (dst, sizeof dst, "/dev/fd/%d", tfd);
  else
    sparsify_image_remove_on_signal (1, tmp);
  r = convert (src, tfd >= 0 ? dst : tmp, format, compress, progress, &err);
  if (progress)
    fputc ('\n', stderr);      /* after qemu-img's last "(100.00/100%)" */
  if (r == 0 && (tfd >= 0 ? publish (tfd, tmp, out)
                 : publish_named (tmp, out)) == -1) {
    tool_error ("'%s': %s", out, strerror (errno));
    r = -2;
  }
  if (r != 0 && tfd < 0)
    unlink (tmp);
  sparsify_image_remove_on_signal (1, NULL);
  if (r == -2)
    return -1;
  if (r != 0)
    return tool_error (_("'%s': writing the output failed: %s"), out,
                           err && *err ? err : r == -1 ? strerror (errno) :
                           _("qemu-img convert failed"));
  return 0;
}
