/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The commands that run a host program on a copy of a guest file: edit
 * (vi, emacs) and hexedit, which write the result back if it changed,
 * more (less) and display, which only look.  The copy lives in a private
 * temporary directory, under the guest file's own name (editors choose
 * their mode by it), and is removed afterwards. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"
#include "full-rw.h"

/* pread and pwrite pieces: well inside one protocol message. */
#define CHUNK (1024 * 1024)

/* A private directory and the local copy's path in it. */
struct local_copy {
  char *dir;
  char *file;
};

static int
local_copy_make (const char *cmd, const char *guest_path, struct local_copy *lc)
{
  CLEANUP_FREE char *copy = strdup (guest_path);
  const char *base;

  lc->file = NULL;
  lc->dir = copy ? shell_mkdtemp (cmd, "edit") : NULL;
  if (lc->dir == NULL)
    return -1;
  base = basename (copy);
  if (*base == '\0' || strcmp (base, "/") == 0 || strcmp (base, "..") == 0)
    base = "file";
  if (asprintf (&lc->file, "%s/%s", lc->dir, base) == -1) {
    lc->file = NULL;
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  return 0;
}

static void
local_copy_remove (struct local_copy *lc)
{
  if (lc->file)
    unlink (lc->file);
  if (lc->dir)
    rmdir (lc->dir);
  free (lc->file);
  free (lc->dir);
  lc->file = lc->dir = NULL;
}

/* Runs "PROGRAM FILE" through the host's shell (PROGRAM may carry its
 * own arguments: EDITOR="emacs -nw"), on the terminal.  0 when it exits
 * with 0. */
static int
run_program (const char *cmd, const char *program, const char *file)
{
  CLEANUP_FREE char *script = NULL;
  pid_t pid;
  int status;

  if (asprintf (&script, "%s \"$1\"", program) == -1) {
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  fflush (stdout);
  pid = fork ();
  if (pid == -1) {
    shell_error (cmd, "fork: %s", strerror (errno));
    return -1;
  }
  if (pid == 0) {
    execl ("/bin/sh", "sh", "-c", script, "sh", file, (char *) NULL);
    _exit (127);
  }
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR) {
      shell_error (cmd, "waitpid: %s", strerror (errno));
      return -1;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    shell_error (cmd, _("'%s' failed (%s %d); nothing was written back"),
                 program, WIFEXITED (status) ? _("exit status") : _("signal"),
                 WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
    return -1;
  }
  return 0;
}

static const char *
env_or (const char *name, const char *fallback)
{
  const char *v = getenv (name);

  return v && *v ? v : fallback;
}

static int
same_stat (const struct stat *a, const struct stat *b)
{
  return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ino == b->st_ino;
}

/* Replaces the guest file path with the local file, keeping path's
 * owner, mode and attributes: uploaded beside it, then renamed over it,
 * so a failure half way leaves path as it was. */
static int
upload_over (drydock_h *h, const char *local, const char *path)
{
  CLEANUP_FREE char *dir = strdup (path), *tmpl = NULL, *tmp = NULL;
  struct drydock_copy_attributes_opts_argv all = {
    .bitmask = DRYDOCK_COPY_ATTRIBUTES_OPTS_ALL_BITMASK, .all = 1,
  };
  char *slash;

  if (dir == NULL)
    return -1;
  slash = strrchr (dir, '/');
  if (slash)
    slash[slash == dir] = '\0';
  if (asprintf (&tmpl, "%s/.drydock-editXXXXXX", strcmp (dir, "/") ? dir : "")
      == -1)
    return -1;
  tmp = drydock_mktemp (h, tmpl);
  if (tmp == NULL)
    return -1;
  if (drydock_upload (h, local, tmp) == -1 ||
      drydock_copy_attributes_opts_argv (h, path, tmp, &all) == -1 ||
      drydock_mv (h, tmp, path) == -1) {
    CLEANUP_FREE char *err = strdup (drydock_last_error (h) ? drydock_last_error (h) : "");

    drydock_rm_f (h, tmp);
    tool_error ("%s", err ? err : "upload");
    shell_error_reported = 1;
    return -1;
  }
  return 0;
}

int
shell_run_edit (drydock_h *h, const char *cmd, int argc, char **argv)
{
  struct local_copy lc = { NULL, NULL };
  CLEANUP_FREE char *path = NULL;
  const char *editor;
  struct stat before, after;
  int r = -1;

  if (shell_check_argc (cmd, argc, 1, 1) == -1)
    return -1;
  if (strcmp (cmd, "vi") == 0 || strcmp (cmd, "emacs") == 0)
    editor = cmd;
  else
    editor = env_or ("EDITOR", "vi");
  /* A symbolic link: edit what it points to, and keep the link. */
  path = drydock_realpath (h, argv[0]);
  if (path == NULL)
    return -1;
  if (local_copy_make (cmd, path, &lc) == -1)
    goto out;
  if (drydock_download (h, path, lc.file) == -1 ||
      stat (lc.file, &before) == -1)
    goto out;
  if (run_program (cmd, editor, lc.file) == -1)
    goto out;
  if (stat (lc.file, &after) == -1) {
    shell_error (cmd, _("%s: the editor removed the file; nothing was "
                        "written back"), argv[0]);
    goto out;
  }
  r = same_stat (&before, &after) ? 0 : upload_over (h, lc.file, path);
 out:
  local_copy_remove (&lc);
  return r;
}

/* more, less, display: a look at a copy. */
static int
view (drydock_h *h, const char *cmd, int argc, char **argv, const char *program)
{
  struct local_copy lc = { NULL, NULL };
  int r = -1;

  if (shell_check_argc (cmd, argc, 1, 1) == -1)
    return -1;
  if (local_copy_make (cmd, argv[0], &lc) == 0 &&
      drydock_download (h, argv[0], lc.file) == 0)
    r = run_program (cmd, program, lc.file);
  local_copy_remove (&lc);
  return r;
}

int
shell_run_more (drydock_h *h, const char *cmd, int argc, char **argv)
{
  return view (h, cmd, argc, argv,
               strcmp (cmd, "less") == 0 ? "less" : env_or ("PAGER", "more"));
}

int
shell_run_display (drydock_h *h, const char *cmd, int argc, char **argv)
{
  return view (h, cmd, argc, argv, env_or ("DRYDOCK_DISPLAY_IMAGE", "display"));
}

/* ---- hexedit ---- */

/* What hexedit edits: a guest file, or (a /dev/ name) a device. */
struct hex_target {
  const char *name;
  int device;
};

static char *
hex_pread (drydock_h *h, const struct hex_target *t, int count,
           int64_t offset, size_t *got)
{
  return t->device ? drydock_pread_device (h, t->name, count, offset, got)
    : drydock_pread (h, t->name, count, offset, got);
}

static int
hex_pwrite (drydock_h *h, const struct hex_target *t, const char *buf,
            size_t n, int64_t offset)
{
  return t->device ? drydock_pwrite_device (h, t->name, buf, n, offset)
    : drydock_pwrite (h, t->name, buf, n, offset);
}

/* count bytes of the target from offset into the local fds (the copy
 * to edit and the original to compare it with). */
static int
read_range (drydock_h *h, const struct hex_target *t, int64_t offset,
            int64_t count, int fd, int orig_fd)
{
  while (count > 0) {
    int want = count > CHUNK ? CHUNK : (int) count;
    size_t got;
    CLEANUP_FREE char *buf = hex_pread (h, t, want, offset, &got);

    if (buf == NULL)
      return -1;
    if (got == 0)
      break;                    /* the end of the file or device */
    if (write_all (fd, buf, got) == -1 || write_all (orig_fd, buf, got) == -1) {
      tool_error ("write: %s", strerror (errno));
      shell_error_reported = 1;
      return -1;
    }
    offset += (int64_t) got;
    count -= (int64_t) got;
  }
  return 0;
}

/* Writes the n bytes of buf at offset, short writes continued. */
static int
write_run (drydock_h *h, const struct hex_target *t, const char *buf,
           size_t n, int64_t offset)
{
  size_t done = 0;

  while (done < n) {
    int w = hex_pwrite (h, t, buf + done, n - done, offset + (int64_t) done);
    if (w <= 0)
      return -1;
    done += (size_t) w;
  }
  return 0;
}

/* Up to CHUNK bytes of fd into buf; the count, or -1 (errno). */
static ssize_t
read_chunk (int fd, char *buf)
{
  size_t n = 0;

  while (n < CHUNK) {
    ssize_t r = read (fd, buf + n, CHUNK - n);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    if (r == 0)
      break;
    n += (size_t) r;
  }
  return (ssize_t) n;
}

/* Writes back the bytes of the edited copy that differ from the
 * original, run by run, from offset; bytes past the original's end are
 * written too (a file grows; a device ends where it ends), and bytes
 * cut from its end are left as they were. */
static int
write_changes (drydock_h *h, const char *cmd, const struct hex_target *t,
               int64_t offset, const char *edited, const char *original)
{
  CLEANUP_CLOSE int fd = open (edited, O_RDONLY | O_CLOEXEC);
  CLEANUP_CLOSE int ofd = open (original, O_RDONLY | O_CLOEXEC);
  CLEANUP_FREE char *buf = malloc (CHUNK), *obuf = malloc (CHUNK);

  if (fd == -1 || ofd == -1 || buf == NULL || obuf == NULL) {
    shell_error (cmd, "%s: %s", edited, strerror (errno));
    return -1;
  }
  for (;;) {
    ssize_t n = read_chunk (fd, buf), on = read_chunk (ofd, obuf);
    size_t i = 0;

    if (n == -1 || on == -1) {
      shell_error (cmd, "%s: %s", edited, strerror (errno));
      return -1;
    }
    if (n == 0)
      return 0;
    while (i < (size_t) n) {
      size_t j;

      if (i < (size_t) on && buf[i] == obuf[i]) {
        i++;
        continue;
      }
      for (j = i; j < (size_t) n && (j >= (size_t) on || buf[j] != obuf[j]); ++j)
        ;
      if (write_run (h, t, buf + i, j - i, offset + (int64_t) i) == -1)
        return -1;
      i = j;
    }
    offset += n;
  }
}

/* The size hexedit edits when MAX is not given: the file's or the
 * device's, less start.  -1 on error. */
static int64_t
whole_size (drydock_h *h, const char *cmd, const struct hex_target *t,
            int64_t start)
{
  int64_t size = t->device ? drydock_blockdev_getsize64 (h, t->name)
    : drydock_filesize (h, t->name);

  if (size == -1)
    return -1;
  if (start >= size && (t->device || start > 0)) {
    shell_error (cmd, _("START %" PRIi64 " is at or past the end of '%s' "
                        "(%" PRIi64 " bytes)"), start, t->name, size);
    return -1;
  }
  return size - start;
}

int
shell_run_hexedit (drydock_h *h, const char *cmd, int argc, char **argv)
{
  struct hex_target t = { argv[0], strncmp (argv[0], "/dev/", 5) == 0 };
  struct local_copy lc = { NULL, NULL };
  CLEANUP_FREE char *original = NULL;
  int64_t start = 0, max = -1;
  struct stat before, after;
  int r = -1, fd, ofd;

  if (shell_check_argc (cmd, argc, 1, 3) == -1)
    return -1;
  if (argc == 2 && shell_parse_int64 (cmd, "max", argv[1], &max) == -1)
    return -1;
  if (argc == 3 && (shell_parse_int64 (cmd, "start", argv[1], &start) == -1 ||
                    shell_parse_int64 (cmd, "max", argv[2], &max) == -1))
    return -1;
  if (start < 0 || (argc > 1 && max <= 0)) {
    shell_error (cmd, _("START must not be negative, and MAX must be positive"));
    return -1;
  }
  if (max == -1 && (max = whole_size (h, cmd, &t, start)) == -1)
    return -1;
  if (local_copy_make (cmd, argv[0], &lc) == -1)
    goto out;
  if (asprintf (&original, "%s/.hexedit-original", lc.dir) == -1) {
    original = NULL;
    shell_error (cmd, "%s", strerror (errno));
    goto out;
  }
  fd = open (lc.file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ofd = open (original, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd == -1 || ofd == -1) {
    shell_error (cmd, "%s: %s", lc.file, strerror (errno));
    if (fd != -1)
      close (fd);
    if (ofd != -1)
      close (ofd);
    goto fail;
  }
  r = read_range (h, &t, start, max, fd, ofd);
  close (fd);
  close (ofd);
  if (r == -1 || stat (lc.file, &before) == -1)
    goto fail;
  if (run_program (cmd, env_or ("HEXEDITOR", "hexedit"), lc.file) == -1 ||
      stat (lc.file, &after) == -1)
    goto fail;
  r = same_stat (&before, &after) ? 0
    : write_changes (h, cmd, &t, start, lc.file, original);
  goto out;
 fail:
  r = -1;
 out:
  if (original)
    unlink (original);
  local_copy_remove (&lc);
  return r;
}
