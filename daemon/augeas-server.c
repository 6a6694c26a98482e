/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The child process that holds an Augeas session (see aug-session.h).
 *
 * Augeas opens files by path, following symlinks, and reads a file whole;
 * run in the daemon with a guest tree as its root, an absolute symlink in
 * the guest would take it to the appliance's files, a FIFO would block it
 * and a device node would feed it forever.  So the session runs here, in
 * a process of its own: in a private mount namespace where the guest's
 * mounts do not honour device nodes, chrooted in the guest, and every
 * file Augeas is about to load is checked first and left out unless it
 * is a regular file.  The lenses are compiled before the chroot (in the
 * daemon, once: augeas_prepare), so they always come from the appliance.
 * Separate from augeas.c, which only marshals the actions. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"
#include "aug-session.h"
#include "augeas-lib.h"

#ifndef MOUNT_ATTR_NODEV
#define MOUNT_ATTR_NODEV 0x00000004
struct mount_attr {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* The standard lenses, compiled; no file loaded.  NULL until
 * augeas_prepare. */
static augeas *template;

int
augeas_prepare (void)
{
  long t = now_ms ();
  const char *why = NULL;

  if (template)
    return 0;
  if (augeas_lib_load (&why) == -1) {
    debug ("augeas: %s", why);
    return -1;
  }
  template = aug_init ("/", NULL, AUG_NO_LOAD | AUG_NO_ERR_CLOSE);
  if (template == NULL || aug_error (template) != AUG_NOERROR) {
    debug ("augeas: the lenses did not compile: %s",
           template ? aug_error_message (template) : "out of memory");
    if (template)
      aug_close (template);
    template = NULL;
    return -1;
  }
  debug ("augeas: lenses compiled in %ld ms", now_ms () - t);
  return 0;
}

/* The reply being built; sent by finish. */
static struct wire_buf out = WIRE_BUF_INIT;
static augeas *aug;

static void
begin_ok (void)
{
  wire_buf_free (&out);
  out = (struct wire_buf) WIRE_BUF_INIT;
  wire_put_u32 (&out, 0);
}

/* An error reply: "SUBJECT: message" with Augeas's own error and its
 * details when it has one. */
static void
set_error (int err, const char *subject, const char *fs, ...)
  __attribute__((format (printf, 3, 4)));

static void
set_error (int err, const char *subject, const char *fs, ...)
{
  CLEANUP_FREE char *msg = NULL, *full = NULL;
  va_list ap;

  va_start (ap, fs);
  if (vasprintf (&msg, fs, ap) == -1)
    msg = NULL;
  va_end (ap);
  if (asprintf (&full, "%s%s%s", subject ? subject : "", subject ? ": " : "",
                msg ? msg : "error") == -1)
    full = NULL;
  wire_buf_free (&out);
  out = (struct wire_buf) WIRE_BUF_INIT;
  wire_put_u32 (&out, 1);
  wire_put_u32 (&out, (uint32_t) err);
  wire_put_string (&out, full ? full : "out of memory");
}

static void
aug_failed (const char *subject)
{
  const char *minor = aug_error_minor_message (aug);
  const char *details = aug_error_details (aug);

  if (aug_error (aug) == AUG_NOERROR) {
    set_error (EINVAL, subject, "Augeas failed without saying why");
    return;
  }
  set_error (aug_error (aug) == AUG_ENOMEM ? ENOMEM : EINVAL, subject,
             "%s%s%s%s%s", aug_error_message (aug),
             minor ? ": " : "", minor ? minor : "",
             details ? ": " : "", details ? details : "");
}

/* Every file the load patterns name that is not a regular file (after
 * symlinks, which resolve in the chroot) is added to its lens's excl
 * list, so that aug_load never opens it. */
static void
exclude_special_files (void)
{
  char **incl = NULL;
  int n = aug_match (aug, "/augeas/load/*/incl", &incl);

  for (int i = 0; i < n; ++i) {
    const char *pattern = NULL;
    CLEANUP_FREE char *lens = strdup (incl[i]);
    char *slash = lens ? strrchr (lens, '/') : NULL;
    glob_t g;

    if (slash == NULL || aug_get (aug, incl[i], &pattern) != 1 || !pattern)
      continue;
    *slash = '\0';
    if (glob (pattern, GLOB_NOSORT, NULL, &g) != 0)
      continue;
    for (size_t k = 0; k < g.gl_pathc; ++k) {
      struct stat st;
      CLEANUP_FREE char *excl = NULL;

      if (stat (g.gl_pathv[k], &st) == -1 || S_ISREG (st.st_mode) ||
          S_ISDIR (st.st_mode))
        continue;
      debug ("augeas: %s is not a regular file: not loaded", g.gl_pathv[k]);
      if (asprintf (&excl, "%s/excl[last()+1]", lens) != -1)
        aug_set (aug, excl, g.gl_pathv[k]);
    }
    globfree (&g);
  }
  for (int i = 0; i < n; ++i)
    free (incl[i]);
  free (incl);
}

static int
load (void)
{
  exclude_special_files ();
  if (aug_load (aug) == -1) {
    aug_failed ("aug_load");
    return -1;
  }
  return 0;
}

/* After a failed save: each file's error, from /augeas//error. */
static void
save_failed (void)
{
  char **errs = NULL;
  int n = aug_match (aug, "/augeas/files//error", &errs);
  FILE *fp;
  char *msg = NULL;
  size_t len = 0;

  fp = open_memstream (&msg, &len);
  for (int i = 0; fp && i < n; ++i) {
    const char *what = NULL, *why = NULL;
    CLEANUP_FREE char *mpath = NULL;
    size_t plen = strlen (errs[i]) - strlen ("/error");

    aug_get (aug, errs[i], &what);
    if (asprintf (&mpath, "%s/message", errs[i]) != -1)
      aug_get (aug, mpath, &why);
    /* /augeas/files/etc/hosts/error -> /etc/hosts */
    fprintf (fp, "%s%.*s: %s%s%s", i ? "; " : "",
             (int) (plen - strlen ("/augeas/files")),
             errs[i] + strlen ("/augeas/files"), what ? what : "error",
             why ? ": " : "", why ? why : "");
  }
  for (int i = 0; i < n; ++i)
    free (errs[i]);
  free (errs);
  if (fp)
    fclose (fp);
  if (n > 0 && msg)
    set_error (EIO, NULL, "%s", msg);
  else
    aug_failed (NULL);
  free (msg);
}

static void
put_list (char **l, int n)
{
  wire_put_u32 (&out, (uint32_t) n);
  for (int i = 0; i < n; ++i) {
    wire_put_string (&out, l[i]);
    free (l[i]);
  }
  free (l);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
op_match (const char *path, int sorted)
{
  char **l = NULL;
  int n = aug_match (aug, path, &l);

  if (n < 0) {
    aug_failed (path);
    return;
  }
  if (sorted && n > 1)
    qsort (l, (size_t) n, sizeof *l, compare_strings);
  begin_ok ();
  put_list (l, n);
}

/* The children of PATH, matched as PATH followed by "/" and "*" (a
 * trailing slash on PATH is allowed), sorted. */
static void
op_ls (const char *path)
{
  CLEANUP_FREE char *pat = NULL;
  size_t n = strlen (path);

  while (n > 1 && path[n - 1] == '/')
    n--;
  if (asprintf (&pat, "%.*s/*", n == 1 && path[0] == '/' ? 0 : (int) n,
                path) == -1) {
    set_error (ENOMEM, path, "out of memory");
    return;
  }
  op_match (pat, 1);
}

/* aug_get and aug_label: exactly one node, with a value. */
static void
op_get (const char *path, int label)
{
  const char *v = NULL;
  int r = label ? aug_label (aug, path, &v) : aug_get (aug, path, &v);

  if (r == 0)
    set_error (ENOENT, path, "no matching node");
  else if (r != 1 && aug_error (aug) == AUG_EMMATCH)
    set_error (EINVAL, path, "matches more than one node");
  else if (r != 1)
    aug_failed (path);
  else if (v == NULL)
    set_error (ENODATA, path, "the node has no value");
  else {
    begin_ok ();
    wire_put_string (&out, v);
  }
}

static void
ok_int (int r, const char *subject)
{
  if (r < 0) {
    aug_failed (subject);
    return;
  }
  begin_ok ();
  wire_put_i32 (&out, r);
}

static char *
get_opt_string (struct wire_reader *r)
{
  return wire_get_u32 (r) ? wire_get_string (r) : NULL;
}

static void
serve_one (struct wire_reader *r)
{
  uint32_t op = wire_get_u32 (r);
  CLEANUP_FREE char *a = NULL, *b = NULL, *c = NULL;
  int created = 0, i;

  switch (op) {
  case AUG_OP_DEFVAR:
    a = wire_get_string (r); b = get_opt_string (r);
    ok_int (aug_defvar (aug, a, b), a);
    break;
  case AUG_OP_DEFNODE:
    a = wire_get_string (r); b = wire_get_string (r); c = wire_get_string (r);
    i = aug_defnode (aug, a, b, c, &created);
    ok_int (i, b);
    if (i >= 0)
      wire_put_i32 (&out, created);
    break;
  case AUG_OP_GET:
  case AUG_OP_LABEL:
    a = wire_get_string (r);
    op_get (a, op == AUG_OP_LABEL);
    break;
  case AUG_OP_SET:
  case AUG_OP_CLEAR:
    a = wire_get_string (r);
    b = op == AUG_OP_SET ? wire_get_string (r) : NULL;
    if (aug_set (aug, a, b) == -1) {
      if (aug_error (aug) == AUG_EMMATCH)
        set_error (EINVAL, a, "matches more than one node (aug_setm sets "
                   "several)");
      else
        aug_failed (a);
    }
    else
      begin_ok ();
    break;
  case AUG_OP_SETM:
    a = wire_get_string (r); b = get_opt_string (r); c = wire_get_string (r);
    ok_int (aug_setm (aug, a, b, c), a);
    break;
  case AUG_OP_INSERT:
    a = wire_get_string (r); b = wire_get_string (r);
    i = wire_get_i32 (r);
    if (aug_insert (aug, a, b, i) == -1)
      aug_failed (a);
    else
      begin_ok ();
    break;
  case AUG_OP_RM:
    a = wire_get_string (r);
    ok_int (aug_rm (aug, a), a);
    break;
  case AUG_OP_MV:
    a = wire_get_string (r); b = wire_get_string (r);
    if (aug_mv (aug, a, b) == -1)
      aug_failed (a);
    else
      begin_ok ();
    break;
  case AUG_OP_MATCH:
    a = wire_get_string (r);
    op_match (a, 0);
    break;
  case AUG_OP_LS:
    a = wire_get_string (r);
    op_ls (a);
    break;
  case AUG_OP_SAVE:
    if (aug_save (aug) == -1)
      save_failed ();
    else
      begin_ok ();
    break;
  case AUG_OP_LOAD:
    if (load () == 0)
      begin_ok ();
    break;
  case AUG_OP_TRANSFORM:
    a = wire_get_string (r); b = wire_get_string (r);
    i = wire_get_i32 (r);
    if (aug_transform (aug, a, b, i) == -1)
      aug_failed (a);
    else
      begin_ok ();
    break;
  default:
    set_error (EPROTO, NULL, "unknown Augeas operation %u", op);
  }
  if (wire_reader_finish (r) == -1)
    set_error (EPROTO, NULL, "malformed Augeas request");
}

/* The guest's mounts, seen from this process only: no device node on
 * them opens.  mount_setattr (Linux 5.12) does the whole tree at once. */
static int
isolate (void)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_NODEV };

  if (unshare (CLONE_NEWNS) == -1 ||
      mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
    return -1;
  if (syscall (SYS_mount_setattr, AT_FDCWD, SYSROOT, AT_RECURSIVE, &attr,
               sizeof attr) == -1 && errno != EINVAL)
    return -1;
  return 0;
}

static void
send_reply (int fd)
{
  if (wire_buf_ok (&out) == -1 || wire_send_frame (fd, &out) == -1)
    _exit (1);
}

/* The session's start: its handle, the chroot, the save mode, the load. */
static int
start (int rootfd, int flags)
{
  static const char *const modes[] = { "backup", "newfile", "noop" };
  const char *mode = flags & AUG_FLAG_SAVE_NOOP ? modes[2] :
    flags & AUG_FLAG_SAVE_NEWFILE ? modes[1] :
    flags & AUG_FLAG_SAVE_BACKUP ? modes[0] : NULL;
  const char *why = NULL;

  if (isolate () == -1) {
    set_error (errno, NULL, "cannot isolate the guest's mounts: %m");
    return -1;
  }
  if (augeas_lib_load (&why) == -1) {
    set_error (ENOSYS, NULL, "Augeas is not available in the appliance: %s",
               why);
    return -1;
  }
  if (flags & (AUG_FLAG_TYPE_CHECK | AUG_FLAG_NO_STDINC))
    aug = aug_init ("/", NULL, (flags & (AUG_FLAG_TYPE_CHECK |
                                         AUG_FLAG_NO_STDINC)) |
                    AUG_NO_LOAD | AUG_NO_ERR_CLOSE);
  else {
    if (template == NULL)
      augeas_prepare ();
    aug = template;
  }
  if (aug == NULL) {
    set_error (ENOMEM, NULL, "Augeas did not start");
    return -1;
  }
  if (aug_error (aug) != AUG_NOERROR) {
    aug_failed ("the lenses");
    return -1;
  }
  if (fchdir (rootfd) == -1 || chroot (".") == -1 || chdir ("/") == -1) {
    set_error (errno, NULL, "chroot: %m");
    return -1;
  }
  close (rootfd);
  if (mode && aug_set (aug, "/augeas/save", mode) == -1) {
    aug_failed ("/augeas/save");
    return -1;
  }
  if (!(flags & AUG_FLAG_NO_LOAD) && load () == -1)
    return -1;
  begin_ok ();
  return 0;
}

void
augeas_server (int fd, int rootfd, int flags)
{
  signal (SIGPIPE, SIG_DFL);
  if (start (rootfd, flags) == -1) {
    send_reply (fd);
    _exit (1);
  }
  send_reply (fd);
  for (;;) {
    CLEANUP_FREE char *frame = NULL;
    struct wire_reader r;
    size_t len;

    if (wire_recv_frame (fd, &frame, &len) <= 0)
      _exit (0);
    wire_reader_init (&r, frame, len);
    serve_one (&r);
    send_reply (fd);
  }
}
