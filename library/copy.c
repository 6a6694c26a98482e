/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* copy_in and copy_out: whole trees between the host and the guest,
 * over the tar_in and tar_out streams.
 *
 * copy_in packs the local tree with the host's tar and streams its
 * output to tar_in as it comes (a pipe handed over as /dev/fd/N): the
 * local files are the caller's own, trusted.  copy_out goes the other
 * way, and there the archive is hostile (untar.h): tar_out's stream is
 * written into a pipe that a thread of ours unpacks with untar_stream,
 * never a host tar.  The thread touches neither the handle nor its
 * callbacks; its errors and warnings are reported once it is joined. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "full-rw.h"
#include "untar.h"

/* Longest part of tar's stderr put in a message. */
#define TAR_MSG_MAX 1024

/* The last component of path, trailing slashes ignored, into a new
 * string ("" for "/"); *dir gets what comes before it ("." if nothing,
 * "/" for the root), unless dir is NULL.  NULL with errno ENOMEM. */
static char *
split_path (const char *path, char **dir)
{
  size_t n = strlen (path);
  const char *slash;
  char *base;

  while (n > 1 && path[n - 1] == '/')
    n--;
  if (n == 1 && path[0] == '/') {
    if (dir && (*dir = strdup ("/")) == NULL)
      return NULL;
    return strdup ("");
  }
  slash = memrchr (path, '/', n);
  if (slash)
    base = strndup (slash + 1, n - (size_t) (slash + 1 - path));
  else
    base = strndup (path, n);
  if (base == NULL || dir == NULL)
    return base;
  if (slash == NULL)
    *dir = strdup (".");
  else if (slash == path)
    *dir = strdup ("/");
  else
    *dir = strndup (path, (size_t) (slash - path));
  if (*dir == NULL) {
    free (base);
    return NULL;
  }
  return base;
}

/* copy_in */

/* Starts "tar -c" of base in dir, its output on a pipe (*out, the read
 * end) and its stderr in the memory file err.  The pid, or -1 with
 * errno. */
static pid_t
start_tar_create (const char *dir, const char *base, int err, int *out)
{
  char *const argv[] = {
    "tar", "-c", "-f", "-", "-C", (char *) dir, "--", (char *) base, NULL
  };
  int p[2];
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) == -1)
    return -1;
  pid = fork ();
  if (pid == -1) {
    int e = errno;
    close (p[0]);
    close (p[1]);
    errno = e;
    return -1;
  }
  if (pid == 0) {
    int null = open ("/dev/null", O_RDONLY | O_CLOEXEC);

    dup2 (null, 0);
    dup2 (p[1], 1);
    dup2 (err, 2);
    signal (SIGPIPE, SIG_DFL);
    execvp (argv[0], argv);
    _exit (127);
  }
  close (p[1]);
  *out = p[0];
  return pid;
}

/* tar's stderr as one line (the memory file err), at most
 * TAR_MSG_MAX bytes; caller frees. */
static char *
tar_message (int err)
{
  size_t len;
  char *s;

  if (lseek (err, 0, SEEK_SET) == -1 ||
      (s = read_fd_max (err, TAR_MSG_MAX, &len)) == NULL)
    return strdup ("");
  for (size_t i = 0; i < len; ++i)
    if (s[i] == '\n' || s[i] == '\0')
      s[i] = i + 1 < len ? ' ' : '\0';
  return s;
}

int
drydock_impl_copy_in (drydock_h *h, const char *localpath,
                      const char *remotedir)
{
  CLEANUP_FREE char *dir = NULL, *base = NULL, *msg = NULL;
  CLEANUP_CLOSE int err = -1;
  char filein[32];
  struct stat st;
  int fd = -1, r, status;
  pid_t pid;

  if (lstat (localpath, &st) == -1) {
    drydock_int_perror (h, "copy_in: %s", localpath);
    return -1;
  }
  r = drydock_is_dir (h, remotedir);
  if (r == -1)
    return -1;
  if (r == 0) {
    drydock_int_error_errno (h, ENOTDIR, "copy_in: %s: not a directory in "
                             "the guest", remotedir);
    return -1;
  }
  base = split_path (localpath, &dir);
  if (base == NULL) {
    drydock_int_perror (h, "copy_in");
    return -1;
  }
  if (*base == '\0') {
    /* "/": the root's content, not a directory named "". */
    free (base);
    base = strdup (".");
    if (base == NULL) {
      drydock_int_perror (h, "copy_in");
      return -1;
    }
  }
  err = memfd_create ("drydock-tar-stderr", MFD_CLOEXEC);
  if (err == -1 || (pid = start_tar_create (dir, base, err, &fd)) == -1) {
    drydock_int_perror (h, "copy_in: tar");
    return -1;
  }
  snprintf (filein, sizeof filein, "/dev/fd/%d", fd);
  r = drydock_tar_in (h, filein, remotedir);
  /* If tar_in stopped reading, closing the pipe ends tar (EPIPE). */
  close (fd);
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR) {
      status = -1;
      break;
    }
  msg = tar_message (err);
  /* A host tar that could not run explains tar_in's failure too. */
  if (WIFEXITED (status) && WEXITSTATUS (status) == 127 && *msg == '\0') {
    drydock_int_error_errno (h, ENOENT, "copy_in: %s: tar: not found",
                             localpath);
    return -1;
  }
  if (r == -1)
    return -1;
  if (status == 0)
    return 0;
  drydock_int_error_errno (h, EIO, "copy_in: %s: %s", localpath,
                           *msg ? msg : "tar failed");
  return -1;
}

/* copy_out */

struct unpacker {
  pthread_t thread;
  int in;                       /* read end of the pipe */
  int root;
  int set_root_mode;
  struct untar_result res;
};

static void *
unpack_thread (void *opaque)
{
  struct unpacker *un = opaque;

  untar_stream (un->in, un->root, un->set_root_mode, &un->res);
  return NULL;
}

/* The directory a tree copied out lands in: localdir itself for the
 * guest's root (name ""), else localdir/name, made if needed but never
 * through a symbolic link.  An fd, or -1 with the error set. */
static int
open_target (drydock_h *h, const char *localdir, const char *name)
{
  CLEANUP_CLOSE int dirfd = open (localdir, O_RDONLY | O_DIRECTORY |
                                  O_CLOEXEC);
  int fd;

  if (dirfd == -1) {
    drydock_int_perror (h, "copy_out: %s", localdir);
    return -1;
  }
  if (*name == '\0')
    return TAKE_FD (dirfd);
  /* 0700 while it fills; the archive's "./" gives it its mode. */
  if (mkdirat (dirfd, name, 0700) == -1 && errno != EEXIST) {
    drydock_int_perror (h, "copy_out: %s/%s", localdir, name);
    return -1;
  }
  fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1) {
    if (errno == ENOTDIR || errno == ELOOP)
      drydock_int_error_errno (h, ENOTDIR, "copy_out: %s/%s: exists and is "
                               "not a directory", localdir, name);
    else
      drydock_int_perror (h, "copy_out: %s/%s", localdir, name);
  }
  return fd;
}

static int
copy_out_tree (drydock_h *h, const char *remotepath, const char *localdir,
               const char *name)
{
  struct unpacker un = { .in = -1, .set_root_mode = *name != '\0',
                         .res = UNTAR_RESULT_INIT };
  char fileout[32];
  int p[2], r;

  un.root = open_target (h, localdir, name);
  if (un.root == -1)
    return -1;
  if (pipe2 (p, O_CLOEXEC) == -1) {
    drydock_int_perror (h, "copy_out");
    close (un.root);
    return -1;
  }
  un.in = p[0];
  errno = pthread_create (&un.thread, NULL, unpack_thread, &un);
  if (errno != 0) {
    drydock_int_perror (h, "copy_out");
    close (p[0]);
    close (p[1]);
    close (un.root);
    return -1;
  }
  snprintf (fileout, sizeof fileout, "/dev/fd/%d", p[1]);
  r = drydock_tar_out (h, remotepath, fileout);
  /* The end of the stream for the thread, which reads to the end. */
  close (p[1]);
  pthread_join (un.thread, NULL);
  close (p[0]);
  close (un.root);
  for (size_t i = 0; i < un.res.warnings.len; ++i)
    drydock_int_warning (h, "copy_out: %s: %s", remotepath,
                         un.res.warnings.v[i]);
  if (r == 0 && un.res.error) {
    drydock_int_error_errno (h, un.res.error_errno, "copy_out: %s: %s",
                             remotepath, un.res.error);
    r = -1;
  }
  untar_result_free (&un.res);
  return r;
}

int
drydock_impl_copy_out (drydock_h *h, const char *remotepath,
                       const char *localdir)
{
  CLEANUP_FREE char *name = NULL, *target = NULL;
  struct stat st;
  int r;

  if (stat (localdir, &st) == -1) {
    drydock_int_perror (h, "copy_out: %s", localdir);
    return -1;
  }
  if (!S_ISDIR (st.st_mode)) {
    drydock_int_error_errno (h, ENOTDIR, "copy_out: %s: not a directory",
                             localdir);
    return -1;
  }
  name = split_path (remotepath, NULL);
  if (name == NULL) {
    drydock_int_perror (h, "copy_out");
    return -1;
  }
  r = drydock_is_file (h, remotepath);
  if (r == -1)
    return -1;
  if (r == 1) {
    if (asprintf (&target, "%s/%s", localdir, name) == -1) {
      drydock_int_perror (h, "copy_out");
      return -1;
    }
    return drydock_download (h, remotepath, target);
  }
  r = drydock_is_dir (h, remotepath);
  if (r == -1)
    return -1;
  if (r == 0) {
    drydock_int_error_errno (h, EINVAL, "copy_out: %s: not a file or a "
                             "directory (a symbolic link, a device, a FIFO "
                             "or nothing)", remotepath);
    return -1;
  }
  return copy_out_tree (h, remotepath, localdir, name);
}
