/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File streams between the host and the guest tree: upload and download
 * of one file, tar_in and tar_out of a directory, and any program's
 * stdout or stdin (stream_command_out/_in: ntfsclone, mksquashfs).
 * Data moves chunk by chunk (proto.c), so any size passes without being
 * held in memory.
 *
 * tar runs as a child with its working directory set to the guest
 * directory (opened inside /sysroot, then fchdir), fed or drained through
 * pipes polled together with its stderr; command.c's helpers collect all
 * output at the end, which a stream cannot wait for. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

#define CHUNK_SIZE WIRE_CHUNK_MAX

/* What is kept of a child's stderr for the error message. */
#define ERR_MAX (16 * 1024)

/* upload */

struct upload {
  int fd;
  uint64_t written;
};

static int
write_chunk (void *opaque, const void *buf, size_t n)
{
  struct upload *u = opaque;

  if (write_all (u->fd, buf, n) == -1)
    return -1;
  u->written += (uint64_t) n;
  notify_progress (u->written, 0);
  return 0;
}

/* Error reply for a file stream from the host that did not end well. */
static int
reply_receive_error (int r, const char *path)
{
  if (r == -2)
    return reply_with_error_errno (ECANCELED, "%s: transfer cancelled by the "
                                   "host", path);
  if (r == -3)
    return reply_with_error_errno (EPROTO, "%s: file transfer protocol error",
                                   path);
  return reply_with_perror ("%s", path);
}

int
do_upload (const char *remotefilename)
{
  struct upload u = { -1, 0 };
  struct stat st;
  int r;

  /* Only regular files are streamed: a FIFO would block the daemon, and
   * a device node in a guest tree is one of the appliance's own devices. */
  u.fd = sysroot_open_regular_write (remotefilename, O_TRUNC, 0644, &st);
  if (u.fd == -1)
    return reply_open_regular_error (remotefilename, &st);
  r = receive_file (write_chunk, &u);
  if (r != 0) {
    reply_receive_error (r, remotefilename);
    close (u.fd);
    return -1;
  }
  if (close (u.fd) == -1)
    return reply_with_perror ("%s", remotefilename);
  return 0;
}

/* download */

/* How far ahead of the chunk being sent the disk is kept busy: the
 * kernel's own readahead (128 KiB on the appliance's disks) would leave
 * it idle while a chunk travels. */
#define READ_AHEAD (16 * 1024 * 1024)

/* Sends [pos, end) of fd, read as it comes, all of it data. */
static int
send_range (int fd, char *buf, uint64_t pos, uint64_t end, uint64_t size,
            uint64_t *ahead)
{
  while (pos < end) {
    size_t want = end - pos < CHUNK_SIZE ? (size_t) (end - pos) : CHUNK_SIZE;
    ssize_t n;

    if (*ahead < pos + READ_AHEAD / 2 && *ahead < size) {
      posix_fadvise (fd, (off_t) *ahead, READ_AHEAD, POSIX_FADV_WILLNEED);
      *ahead += READ_AHEAD;
    }
    n = pread (fd, buf, want, (off_t) pos);
    if (n == -1 && errno == EINTR)
      continue;
    if (n == 0)                 /* shrunk meanwhile: zeros, as a hole */
      return send_file_hole (end - pos);
    if (n == -1 || send_file_write (buf, (size_t) n) == -1)
      return -1;
    pos += (uint64_t) n;
    notify_progress (pos, size);
  }
  return 0;
}

/* Sends the file's size bytes: its data read, its holes (SEEK_HOLE)
 * sent as their lengths, so a sparse guest file costs neither the
 * transfer of its zeros nor their blocks on the host.  A filesystem
 * that cannot tell holes has its file read whole. */
static int
send_contents (int fd, uint64_t size)
{
  CLEANUP_FREE char *buf = malloc (CHUNK_SIZE);
  uint64_t pos = 0, ahead = 0;

  if (buf == NULL)
    return -1;
  while (pos < size) {
    off_t data = lseek (fd, (off_t) pos, SEEK_DATA), hole;

    if (data == -1 && errno == ENXIO)
      data = (off_t) size;      /* only a hole left */
    else if (data == -1)
      return send_range (fd, buf, pos, size, size, &ahead);
    if ((uint64_t) data > size)
      data = (off_t) size;
    if (send_file_hole ((uint64_t) data - pos) == -1)
      return -1;
    pos = (uint64_t) data;
    if (pos == size)
      break;
    hole = lseek (fd, data, SEEK_HOLE);
    if (hole <= data || (uint64_t) hole > size)
      hole = (off_t) size;
    if (send_range (fd, buf, pos, (uint64_t) hole, size, &ahead) == -1)
      return -1;
    pos = (uint64_t) hole;
    notify_progress (pos, size);
  }
  return 0;
}

int
do_download (const char *remotefilename)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;

  fd = sysroot_open_regular_or_reply (remotefilename, 0, &st);
  if (fd == -1)
    return -1;
  if (send_contents (fd, (uint64_t) st.st_size) == -1) {
    int saved = errno;

    send_file_end (1);
    errno = saved;
    return reply_with_perror ("%s", remotefilename);
  }
  if (send_file_end (0) == -1)
    return reply_with_perror ("%s", remotefilename);
  return 0;
}

int
do_download_offset (const char *remotefilename, int64_t offset, int64_t size)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *buf = NULL;
  struct stat st;
  uint64_t done = 0;

  if (offset < 0 || size < 0)
    return reply_with_error_errno (EINVAL, "%s: offset and size must not "
                                   "be negative", remotefilename);
  fd = sysroot_open_regular_or_reply (remotefilename, 0, &st);
  if (fd == -1)
    return -1;
  buf = malloc (CHUNK_SIZE);
  if (buf == NULL)
    return reply_with_perror ("%s", remotefilename);
  /* The whole region is asked of the disk at once, so that it arrives
   * while the first chunks travel. */
  posix_fadvise (fd, (off_t) offset, (off_t) size, POSIX_FADV_WILLNEED);
  while (done < (uint64_t) size) {
    size_t want = (uint64_t) size - done < CHUNK_SIZE ?
      (size_t) ((uint64_t) size - done) : CHUNK_SIZE;
    ssize_t n = pread (fd, buf, want, (off_t) ((uint64_t) offset + done));

    if (n == -1 && errno == EINTR)
      continue;
    if (n == 0)
      break;
    if (n == -1 || send_file_write (buf, (size_t) n) == -1) {
      int saved = errno;

      send_file_end (1);
      errno = saved;
      return reply_with_perror ("%s", remotefilename);
    }
    done += (uint64_t) n;
    notify_progress (done, (uint64_t) size);
  }
  /* A part is usually one of a sequence (a FUSE mount reading a file):
   * the next one is started on its way from the disk meanwhile. */
  if (done == (uint64_t) size)
    posix_fadvise (fd, (off_t) (offset + size), (off_t) size,
                   POSIX_FADV_WILLNEED);
  if (send_file_end (0) == -1)
    return reply_with_perror ("%s", remotefilename);
  return 0;
}

/* Running a program with a pipe to its stdin (tar_in,
 * stream_command_in) or from its stdout (tar_out, stream_command_out),
 * and its stderr collected. */

struct child {
  pid_t pid;
  int data;                     /* our end of its stdin or stdout */
  int err;                      /* our end of its stderr */
  char *errbuf;                 /* NUL-terminated, at most ERR_MAX */
  size_t errlen;
};

/* In tar_in's child: a private mount namespace in which the appliance's
 * own filesystems are read-only.  tar resolves member names itself, so a
 * guest symlink on the way to a member (an absolute one starts at the
 * appliance's root) could otherwise make it write appliance files.  The
 * guest's mounts, all under /sysroot, stay writable. */
int
isolate_appliance (void)
{
  static const char *const ro[] = { "/dev", "/run", "/tmp", "/proc", "/sys" };

  if (unshare (CLONE_NEWNS) == -1 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
      mount (NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == -1)
    return -1;
  for (size_t i = 0; i < sizeof ro / sizeof ro[0]; ++i)
    mount (NULL, ro[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
  return 0;
}

static void __attribute__((noreturn))
child_exec (char *const *argv, int dirfd, int in, int out, int err,
            int isolate)
{
  dup2 (in, 0);
  dup2 (out, 1);
  dup2 (err, 2);
  signal (SIGPIPE, SIG_DFL);
  /* fchdir before unshare: the new namespace then holds the cwd. */
  if (dirfd >= 0 && fchdir (dirfd) == -1) {
    perror ("fchdir");
    _exit (126);
  }
  if (isolate && isolate_appliance () == -1) {
    perror ("cannot protect the appliance's files");
    _exit (126);
  }
  execvp (argv[0], argv);
  fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
  _exit (127);
}

static void
close_pair (int p[2])
{
  for (int i = 0; i < 2; ++i)
    if (p[i] >= 0)
      close (p[i]);
}

/* Starts argv in dirfd (-1: the daemon's directory); to_child: we write
 * its stdin (non-blocking, so a full pipe never stops us from reading
 * its stderr), else we read its stdout; isolate: in a namespace where
 * the appliance's own filesystems are read-only (isolate_appliance).
 * -1 with errno. */
static int
child_start (struct child *c, char *const *argv, int dirfd, int to_child,
             int isolate)
{
  int pd[2] = { -1, -1 }, pe[2] = { -1, -1 };
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);

  *c = (struct child) { .pid = -1, .data = -1, .err = -1 };
  if (null == -1 || pipe2 (pd, O_CLOEXEC) == -1 ||
      pipe2 (pe, O_CLOEXEC) == -1 ||
      (to_child && fcntl (pd[1], F_SETFL, O_NONBLOCK) == -1))
    goto fail;
  c->pid = fork ();
  if (c->pid == -1)
    goto fail;
  if (c->pid == 0)
    child_exec (argv, dirfd, to_child ? pd[0] : null, to_child ? null : pd[1],
                pe[1], isolate);
  close (null);
  close (to_child ? pd[0] : pd[1]);
  close (pe[1]);
  c->data = to_child ? pd[1] : pd[0];
  c->err = pe[0];
  return 0;

 fail: {
    int saved = errno;
    if (null >= 0)
      close (null);
    close_pair (pd);
    close_pair (pe);
    errno = saved;
    return -1;
  }
}

static void
child_read_err (struct child *c)
{
  char tmp[4096];
  ssize_t n = read (c->err, tmp, sizeof tmp);
  size_t k;

  if (n == -1 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    close (c->err);
    c->err = -1;
    return;
  }
  if (c->errbuf == NULL && (c->errbuf = calloc (ERR_MAX + 1, 1)) == NULL)
    return;
  k = ERR_MAX - c->errlen < (size_t) n ? ERR_MAX - c->errlen : (size_t) n;
  memcpy (c->errbuf + c->errlen, tmp, k);
  c->errlen += k;
}

/* Closes our ends, reads the rest of stderr and waits.  Returns the exit
 * status (128+N if killed by signal N), or -1 with errno. */
static int
child_finish (struct child *c)
{
  int status;

  if (c->data >= 0)
    close (c->data);
  c->data = -1;
  while (c->err >= 0)
    child_read_err (c);
  while (waitpid (c->pid, &status, 0) == -1)
    if (errno != EINTR)
      return -1;
  c->pid = -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

/* tar's option for a compression method; -1 if unknown. */
static int
compress_option (uint64_t given, const char *compress, const char **opt)
{
  static const char *const methods[][2] = {
    { "none", NULL }, { "gzip", "-z" }, { "xz", "-J" }, { "zstd", "--zstd" },
    { "bzip2", "-j" },
  };

  *opt = NULL;
  if (!given)
    return 0;
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; ++i) {
    if (strcmp (compress, methods[i][0]) == 0) {
      *opt = methods[i][1];
      return 0;
    }
  }
  return reply_with_error_errno (EINVAL, "compress: unknown method \"%s\" "
                                 "(none, gzip, xz, zstd or bzip2)", compress);
}

/* tar_in */

static int
feed_chunk (void *opaque, const void *buf, size_t n)
{
  struct child *c = opaque;
  const char *p = buf;

  while (n > 0) {
    struct pollfd pfd[2] = {
      { .fd = c->data, .events = POLLOUT }, { .fd = c->err, .events = POLLIN },
    };
    ssize_t w;

    if (poll (pfd, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (pfd[1].revents)
      child_read_err (c);
    if (pfd[0].revents == 0)
      continue;
    w = write (c->data, p, n);
    if (w == -1) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      return -1;              /* EPIPE: the child has gone */
    }
    p += w;
    n -= (size_t) w;
  }
  return 0;
}

/* tar's options for the xattrs, selinux and acls optional arguments of
 * tar_in and tar_out, appended to argv from *n on. */
static void
attr_options (char **argv, size_t *n, int extract, int xattrs, int selinux,
              int acls)
{
  if (xattrs) {
    argv[(*n)++] = "--xattrs";
    /* Extracting, tar would set the user namespace only. */
    if (extract)
      argv[(*n)++] = "--xattrs-include=*";
  }
  if (selinux)
    argv[(*n)++] = "--selinux";
  if (acls)
    argv[(*n)++] = "--acls";
}

/* Owners and permissions as in the archive (we are root), numerically:
 * the appliance's user database means nothing to the guest. */
int
do_tar_in (const char *directory, uint64_t optmask, const char *compress,
           int xattrs, int selinux, int acls)
{
  char *argv[16] = { "tar", "-x", "-f", "-", "--same-owner",
                     "--numeric-owner", "-p" };
  size_t n = 7;
  CLEANUP_CLOSE int dirfd = -1;
  CLEANUP_FREE char *errbuf = NULL;
  const char *z;
  struct child c;
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  int r, saved, status;

  if (compress_option (optmask & OPT_TAR_IN_COMPRESS, compress, &z) == -1)
    return -1;
  if (z)
    argv[n++] = (char *) z;
  attr_options (argv, &n, 1, (optmask & OPT_TAR_IN_XATTRS) && xattrs,
                (optmask & OPT_TAR_IN_SELINUX) && selinux,
                (optmask & OPT_TAR_IN_ACLS) && acls);
  argv[n] = NULL;
  dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return reply_with_perror ("%s", directory);
  if (child_start (&c, argv, dirfd, 1, 1) == -1)
    return reply_with_perror ("tar");
  /* A tar that exits early must give EPIPE, not kill us. */
  sigaction (SIGPIPE, &ign, &old);
  r = receive_file (feed_chunk, &c);
  saved = errno;
  status = child_finish (&c);
  sigaction (SIGPIPE, &old, NULL);
  errbuf = c.errbuf;
  if (r == -2 || r == -3)
    return reply_receive_error (r, directory);
  if (status != 0)
    return reply_command_error (NULL, argv, status, errbuf);
  /* tar may stop reading after the archive's end marker: that EPIPE is
   * not an error when tar itself succeeded. */
  if (r == -1 && saved != EPIPE) {
    errno = saved;
    return reply_with_perror ("%s", directory);
  }
  return 0;
}

/* tar_out */

/* Sends the child's stdout as it comes.  -1 with errno if reading it
 * or sending to the host failed. */
static int
pump_out (struct child *c)
{
  CLEANUP_FREE char *buf = malloc (CHUNK_SIZE);

  if (buf == NULL)
    return -1;
  while (c->data >= 0 || c->err >= 0) {
    struct pollfd pfd[2] = {
      { .fd = c->data, .events = POLLIN }, { .fd = c->err, .events = POLLIN },
    };
    ssize_t n;

    if (poll (pfd, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (pfd[1].revents)
      child_read_err (c);
    if (pfd[0].revents == 0)
      continue;
    n = read (c->data, buf, CHUNK_SIZE);
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1 || (n > 0 && send_file_write (buf, (size_t) n) == -1))
      return -1;
    if (n == 0) {
      close (c->data);
      c->data = -1;
    }
  }
  return 0;
}

static char **
tar_out_argv (const char *z, int numericowner, char *const *excludes,
              char *const *attrs)
{
  struct strlist l = STRLIST_INIT;
  int r = 0;

  r |= strlist_add (&l, "tar");
  r |= strlist_add (&l, "-c");
  r |= strlist_add (&l, "-f");
  r |= strlist_add (&l, "-");
  /* A sparse file's holes are stored as its map (GNU 'S' members), so
   * the archive and what is unpacked from it stay as small as it is. */
  r |= strlist_add (&l, "--sparse");
  if (z)
    r |= strlist_add (&l, z);
  if (numericowner)
    r |= strlist_add (&l, "--numeric-owner");
  for (size_t i = 0; attrs[i]; ++i)
    r |= strlist_add (&l, attrs[i]);
  for (size_t i = 0; excludes && excludes[i]; ++i)
    r |= strlist_addf (&l, "--exclude=%s", excludes[i]);
  r |= strlist_add (&l, ".");
  if (r) {
    strlist_free (&l);
    return NULL;
  }
  return strlist_take (&l);
}

int
do_tar_out (const char *directory, uint64_t optmask, const char *compress,
            int numericowner, char *const *excludes, int xattrs, int selinux,
            int acls)
{
  CLEANUP_CLOSE int dirfd = -1;
  CLEANUP_FREE_STRING_LIST char **argv = NULL;
  CLEANUP_FREE char *errbuf = NULL;
  char *attrs[8];
  size_t n = 0;
  const char *z;
  struct child c;
  int r, saved, status;

  if (compress_option (optmask & OPT_TAR_OUT_COMPRESS, compress, &z) == -1)
    return -1;
  attr_options (attrs, &n, 0, (optmask & OPT_TAR_OUT_XATTRS) && xattrs,
                (optmask & OPT_TAR_OUT_SELINUX) && selinux,
                (optmask & OPT_TAR_OUT_ACLS) && acls);
  attrs[n] = NULL;
  argv = tar_out_argv (z, (optmask & OPT_TAR_OUT_NUMERICOWNER) && numericowner,
                       (optmask & OPT_TAR_OUT_EXCLUDES) ? excludes : NULL,
                       attrs);
  if (argv == NULL)
    return reply_with_perror ("tar");
  dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return reply_with_perror ("%s", directory);
  if (child_start (&c, argv, dirfd, 0, 0) == -1)
    return reply_with_perror ("tar");
  r = pump_out (&c);
  saved = errno;
  if (r == -1)
    kill (c.pid, SIGKILL);
  status = child_finish (&c);
  errbuf = c.errbuf;
  if (r == 0 && status == 0)
    return send_file_end (0) == -1 ? reply_with_perror ("%s", directory) : 0;
  send_file_end (1);
  if (r == -1) {
    errno = saved;
    return reply_with_perror ("%s", directory);
  }
  return reply_command_error (NULL, argv, status, errbuf);
}

/* A program's stdout streamed to the host as a FileOut, and a FileIn
 * fed to a program's stdin: what ntfsclone_out/_in and mksquashfs use. */

int
stream_command_out (const char *subject, char *const *argv)
{
  struct child c;
  int r, saved, status;

  if (child_start (&c, argv, -1, 0, 0) == -1)
    return reply_with_perror ("%s", argv[0]);
  r = pump_out (&c);
  saved = errno;
  if (r == -1)
    kill (c.pid, SIGKILL);
  status = child_finish (&c);
  if (r == 0 && status == 0) {
    free (c.errbuf);
    return send_file_end (0) == -1 ? reply_with_perror ("%s", subject) : 0;
  }
  send_file_end (1);
  if (r == -1) {
    free (c.errbuf);
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  r = reply_command_error (subject, argv, status, c.errbuf);
  free (c.errbuf);
  return r;
}

int
stream_command_in (const char *subject, char *const *argv)
{
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  CLEANUP_FREE char *errbuf = NULL;
  struct child c;
  int r, saved, status;

  if (child_start (&c, argv, -1, 1, 0) == -1)
    return reply_with_perror ("%s", argv[0]);
  sigaction (SIGPIPE, &ign, &old);
  r = receive_file (feed_chunk, &c);
  saved = errno;
  status = child_finish (&c);
  errbuf = c.errbuf;
  sigaction (SIGPIPE, &old, NULL);
  if (r == -2 || r == -3)
    return reply_receive_error (r, subject);
  if (status != 0)
    return reply_command_error (subject, argv, status, errbuf);
  if (r == -1 && saved != EPIPE) {
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  return 0;
}
