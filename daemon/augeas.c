/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The aug_* actions.  The session's Augeas handle lives in a child
 * process chrooted in the guest (augeas-server.c, which says why); each
 * action here sends it one request and turns its reply into ours.  A
 * child that does not answer in time, or dies, ends the session with an
 * error; the daemon goes on. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "aug-session.h"

/* Loading every standard lens's files under TCG takes seconds; a child
 * silent for this long is stuck. */
#define AUG_REPLY_TIMEOUT_MS (10 * 60 * 1000)

static pid_t child = -1;
static int sock = -1;

void
augeas_close_session (void)
{
  if (sock >= 0) {
    close (sock);
    sock = -1;
  }
  if (child > 0) {
    /* It exits when its socket closes; a stuck one is killed. */
    for (int i = 0; i < 100 && waitpid (child, NULL, WNOHANG) == 0; ++i)
      usleep (10000);
    if (kill (child, 0) == 0) {
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
    child = -1;
  }
}

/* Waits for the child's reply frame.  -1 (replied) on a timeout or its
 * death, which end the session. */
static int
recv_reply (char **frame, size_t *len)
{
  struct pollfd p = { sock, POLLIN, 0 };
  int r = poll (&p, 1, AUG_REPLY_TIMEOUT_MS);

  if (r == 0) {
    augeas_close_session ();
    return reply_with_error_errno (ETIMEDOUT, "Augeas did not answer in %d s: "
                                   "the session is closed",
                                   AUG_REPLY_TIMEOUT_MS / 1000);
  }
  if (r == -1 || wire_recv_frame (sock, frame, len) <= 0) {
    augeas_close_session ();
    return reply_with_error_errno (EIO, "the Augeas process died: the session "
                                   "is closed");
  }
  return 0;
}

/* Sends the request, reads the reply; on success *r is positioned on the
 * result (the caller frees *frame).  -1 (replied) on any error. */
static int
call (struct wire_buf *req, char **frame, struct wire_reader *r)
{
  size_t len;
  uint32_t status;

  *frame = NULL;
  if (sock < 0) {
    wire_buf_free (req);
    return reply_with_error_errno (ENOENT, "no Augeas session (call aug_init "
                                   "first)");
  }
  if (wire_buf_ok (req) == -1 || wire_send_frame (sock, req) == -1) {
    wire_buf_free (req);
    augeas_close_session ();
    return reply_with_error_errno (EIO, "the Augeas process is gone: the "
                                   "session is closed");
  }
  wire_buf_free (req);
  if (recv_reply (frame, &len) == -1)
    return -1;
  wire_reader_init (r, *frame, len);
  status = wire_get_u32 (r);
  if (r->err)
    return reply_with_error_errno (EPROTO, "malformed reply from Augeas");
  if (status != 0) {
    int err = (int) wire_get_u32 (r);
    CLEANUP_FREE char *msg = wire_get_string (r);

    return reply_with_error_errno (err ? err : EINVAL, "%s",
                                   msg ? msg : "Augeas failed");
  }
  return 0;
}

static void
put_opt_string (struct wire_buf *w, const char *s)
{
  wire_put_u32 (w, s != NULL);
  if (s)
    wire_put_string (w, s);
}

/* The op's request with one or two string arguments. */
static void
request (struct wire_buf *w, enum aug_op op, const char *a, const char *b)
{
  wire_put_u32 (w, op);
  if (a)
    wire_put_string (w, a);
  if (b)
    wire_put_string (w, b);
}

/* The result read from a successful reply must be all of it: a reply
 * cut short or with bytes after its result is refused, never read as
 * zeros or half a list (the Augeas process read guest files).  -1
 * (replied) if r holds anything else. */
static int
reply_ends (struct wire_reader *r)
{
  if (wire_reader_finish (r) == -1)
    return reply_with_error_errno (EPROTO, "malformed reply from Augeas");
  return 0;
}

/* Calls that return nothing. */
static int
call_err (struct wire_buf *req)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;

  if (call (req, &frame, &r) == -1)
    return -1;
  return reply_ends (&r);
}

static int
call_int (struct wire_buf *req)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  int32_t v;

  if (call (req, &frame, &r) == -1)
    return -1;
  v = wire_get_i32 (&r);
  return reply_ends (&r) == -1 ? -1 : v;
}

static char *
call_string (struct wire_buf *req)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  char *s;

  if (call (req, &frame, &r) == -1)
    return NULL;
  s = wire_get_string (&r);
  if (reply_ends (&r) == -1) {
    free (s);
    return NULL;
  }
  return s;
}

static char **
call_list (struct wire_buf *req)
{
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  char **l;

  if (call (req, &frame, &r) == -1)
    return NULL;
  l = wire_get_string_list (&r);
  if (reply_ends (&r) == -1) {
    free_string_list (l);
    return NULL;
  }
  return l;
}

int
do_aug_init (const char *root, int flags)
{
  CLEANUP_CLOSE int rootfd = -1;
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  struct stat st;
  int sv[2];
  size_t len;
  uint32_t status;

  if (flags < 0 || (flags & ~AUG_FLAGS_KNOWN))
    return reply_with_error_errno (EINVAL, "flags %d: unknown flags (known: "
                                   "1 2 4 8 16 32 and their sums)", flags);
  augeas_close_session ();
  rootfd = sysroot_open (root, O_PATH | O_DIRECTORY, 0);
  if (rootfd == -1 || fstat (rootfd, &st) == -1)
    return reply_with_perror ("%s", root);
  if (!(flags & (AUG_FLAG_TYPE_CHECK | AUG_FLAG_NO_STDINC)))
    augeas_prepare ();
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
    return reply_with_perror ("socketpair");
  child = fork ();
  if (child == -1) {
    close (sv[0]);
    close (sv[1]);
    return reply_with_perror ("fork");
  }
  if (child == 0) {
    close (sv[0]);
    if (chan_fd >= 0)
      close (chan_fd);
    augeas_server (sv[1], rootfd, flags);
  }
  close (sv[1]);
  sock = sv[0];
  /* The first reply says whether the session started. */
  if (recv_reply (&frame, &len) == -1)
    return -1;
  wire_reader_init (&r, frame, len);
  status = wire_get_u32 (&r);
  if (r.err) {
    augeas_close_session ();
    return reply_with_error_errno (EPROTO, "malformed reply from Augeas");
  }
  if (status != 0) {
    int err = (int) wire_get_u32 (&r);
    CLEANUP_FREE char *msg = wire_get_string (&r);

    augeas_close_session ();
    return reply_with_error_errno (err ? err : EINVAL, "%s",
                                   msg ? msg : "Augeas did not start");
  }
  return 0;
}

int
do_aug_close (void)
{
  augeas_close_session ();
  return 0;
}

int
do_aug_defvar (const char *name, const char *expr)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_DEFVAR, name, NULL);
  put_opt_string (&w, expr);
  return call_int (&w);
}

struct drydock_int_bool *
do_aug_defnode (const char *name, const char *expr, const char *val)
{
  struct wire_buf w = WIRE_BUF_INIT;
  CLEANUP_FREE char *frame = NULL;
  struct wire_reader r;
  struct drydock_int_bool *ret;

  request (&w, AUG_OP_DEFNODE, name, expr);
  wire_put_string (&w, val);
  if (call (&w, &frame, &r) == -1)
    return NULL;
  ret = malloc (sizeof *ret);
  if (ret == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  ret->i = wire_get_i32 (&r);
  ret->b = wire_get_i32 (&r);
  if (reply_ends (&r) == -1) {
    free (ret);
    return NULL;
  }
  return ret;
}

char *
do_aug_get (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_GET, augpath, NULL);
  return call_string (&w);
}

int
do_aug_set (const char *augpath, const char *val)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_SET, augpath, val);
  return call_err (&w);
}

int
do_aug_setm (const char *base, const char *sub, const char *val)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_SETM, base, NULL);
  put_opt_string (&w, sub);
  wire_put_string (&w, val);
  return call_int (&w);
}

int
do_aug_clear (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_CLEAR, augpath, NULL);
  return call_err (&w);
}

int
do_aug_insert (const char *augpath, const char *label, int before)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_INSERT, augpath, label);
  wire_put_i32 (&w, before != 0);
  return call_err (&w);
}

char *
do_aug_label (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_LABEL, augpath, NULL);
  return call_string (&w);
}

int
do_aug_rm (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_RM, augpath, NULL);
  return call_int (&w);
}

int
do_aug_mv (const char *src, const char *dest)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_MV, src, dest);
  return call_err (&w);
}

char **
do_aug_match (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_MATCH, augpath, NULL);
  return call_list (&w);
}

int
do_aug_save (void)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_SAVE, NULL, NULL);
  return call_err (&w);
}

int
do_aug_load (void)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_LOAD, NULL, NULL);
  return call_err (&w);
}

char **
do_aug_ls (const char *augpath)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_LS, augpath, NULL);
  return call_list (&w);
}

int
do_aug_transform (const char *lens, const char *file, uint64_t optmask,
                  int remove)
{
  struct wire_buf w = WIRE_BUF_INIT;

  request (&w, AUG_OP_TRANSFORM, lens, file);
  wire_put_i32 (&w, (optmask & OPT_AUG_TRANSFORM_REMOVE) && remove);
  return call_err (&w);
}
