/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One call: send it, stream a local file to the daemon (FileIn) or from
 * it (FileOut, into a sink: sink.c), and wait for the reply, firing
 * progress events on the way. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "errnostring.h"
#include "full-rw.h"

static int
send_chunk (drydock_h *h, uint32_t flags, const void *buf, size_t n)
{
  struct wire_buf w = WIRE_BUF_INIT;
  int r;

  wire_put_u32 (&w, WIRE_CHUNK);
  wire_put_u32 (&w, flags);
  wire_put_bytes (&w, buf, n);
  r = drydock_int_send_frame (h, &w);
  wire_buf_free (&w);
  return r;
}

/* Streams filein.  0, or -1 with the error set: -2 if the channel broke. */
static int
send_file (drydock_h *h, const char *name, const char *filein)
{
  int fd = strcmp (filein, "-") == 0 ? dup (0) : open (filein, O_RDONLY | O_CLOEXEC);
  char *buf;
  int err = 0;

  if (fd == -1) {
    drydock_int_perror (h, "%s: %s", name, filein);
    return send_chunk (h, CHUNK_CANCEL, NULL, 0) == -1 ? -2 : -1;
  }
  buf = malloc (WIRE_CHUNK_MAX);
  if (buf == NULL) {
    close (fd);
    drydock_int_perror (h, "%s", name);
    return send_chunk (h, CHUNK_CANCEL, NULL, 0) == -1 ? -2 : -1;
  }
  for (;;) {
    ssize_t n = read (fd, buf, WIRE_CHUNK_MAX);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1) {
      drydock_int_perror (h, "%s: %s", name, filein);
      err = -1;
      break;
    }
    if (n == 0)
      break;
    if (drydock_int_take_cancel (h)) {
      drydock_int_error_errno (h, EINTR, "%s: operation cancelled by the "
                               "user", name);
      err = -1;
      break;
    }
    if (send_chunk (h, CHUNK_DATA, buf, (size_t) n) == -1) {
      err = -2;
      break;
    }
  }
  free (buf);
  close (fd);
  if (err == -2)
    return -2;
  if (send_chunk (h, err ? CHUNK_CANCEL : CHUNK_END, NULL, 0) == -1)
    return -2;
  return err;
}

/* The image of the drive a daemon message starts with ("/dev/sdb1 on
 * /: ..."), when the message says that what is on it is damaged or
 * unknown (the kernel's reason for refusing a filesystem, a bad
 * checksum, no filesystem at all): so the user learns which of the
 * images it is.  NULL otherwise. */
static const char *
damaged_image (drydock_h *h, int errnum, const char *msg)
{
  size_t i;

  if (strncmp (msg, "/dev/sd", 7) != 0 || msg[7] < 'a' || msg[7] > 'z' ||
      (msg[8] >= 'a' && msg[8] <= 'z'))
    return NULL;
  i = (size_t) (msg[7] - 'a');
  if (i >= h->n_drives ||
      (errnum != EUCLEAN && strstr (msg, ": the kernel says \"") == NULL &&
       strstr (msg, ": no filesystem found on the device") == NULL &&
       strstr (msg, " (type ntfs): ntfs-3g: ") == NULL))
    return NULL;
  return h->drives[i].filename;
}

/* The daemon's error, note appended (the I/O errors the guest saw);
 * an I/O error while an overlay's filesystem is full (qemu reports
 * ENOSPC to the guest as EIO) says so instead. */
static void
report_error (drydock_h *h, const char *name, int errnum, const char *msg,
              const char *note)
{
  CLEANUP_FREE char *dir = NULL;
  ssize_t i = -1;

  if (errnum == EIO || errnum == EROFS || errnum == ENOSPC)
    i = drydock_int_overlay_full (h, &dir);
  if (i >= 0)
    drydock_int_error_errno (h, ENOSPC, "%s: %s: no space left on device "
                             "for the overlay of %s in %s", name, msg,
                             h->drives[i].filename, dir);
  else if (damaged_image (h, errnum, msg) && note[0] == '\0')
    drydock_int_error_errno (h, errnum, "%s: %s (/dev/sd%c is %s)", name,
                             msg, msg[7], damaged_image (h, errnum, msg));
  else
    drydock_int_error_errno (h, errnum, "%s: %s%s", name, msg, note);
}

/* Handles one frame that is not the reply.  -1 on a protocol error. */
static int
side_frame (drydock_h *h, struct wire_reader *r, uint32_t kind,
            uint32_t serial, struct drydock_sink *s)
{
  if (kind == WIRE_KEEPALIVE)
    return r->left == 0 ? 0 : -1;
  if (kind == WIRE_PROGRESS) {
    /* The numbers of a progress event: proc, serial, position, total
     * (the serial is the call's: the daemon sends it once, in the
     * call). */
    uint64_t a[4];
    a[0] = wire_get_u32 (r);
    a[1] = serial;
    a[2] = wire_get_u64 (r);
    a[3] = wire_get_u64 (r);
    if (r->err)
      return -1;
    drydock_int_event (h, DRYDOCK_EVENT_PROGRESS, NULL, 0, a, 4);
    return 0;
  }
  if (kind == WIRE_CHUNK && s) {
    uint32_t flags = wire_get_u32 (r), n = wire_get_u32 (r);
    if (r->err || n != r->left || s->ended)
      return -1;
    if (flags == CHUNK_DATA) {
      /* user_cancel: the rest of the data is read and dropped. */
      if (!s->user_cancelled && drydock_int_take_cancel (h))
        s->user_cancelled = 1;
      if (!s->user_cancelled)
        drydock_int_sink_write (s, r->p, n);
    }
    else if (flags == CHUNK_HOLE) {
      uint64_t len = wire_get_u64 (r);
      if (r->err || r->left != 0 || len > INT64_MAX - s->pos)
        return -1;
      if (!s->user_cancelled)
        drydock_int_sink_hole (s, len);
    }
    else if (flags == CHUNK_END)
      s->ended = 1;
    else
      s->ended = s->cancelled = 1;
    return 0;
  }
  return -1;
}

static int
read_reply (drydock_h *h, const char *name, uint32_t proc, uint32_t serial,
            struct drydock_sink *s, struct drydock_reply *rep)
{
  for (;;) {
    size_t len;
    uint32_t kind;
    int r = drydock_int_recv_frame (h, &rep->frame, &len,
                                    h->call_timeout_ms ? h->call_timeout_ms : -1);

    if (r <= 0) {
      if (r == 0)
        errno = EPIPE;
      drydock_int_appliance_died (h, name);
      return -1;
    }
    wire_reader_init (&rep->r, rep->frame, len);
    kind = wire_get_u32 (&rep->r);
    if (kind == WIRE_REPLY) {
      uint32_t p = wire_get_u32 (&rep->r), sn = wire_get_u32 (&rep->r);
      uint32_t status = wire_get_u32 (&rep->r);
      if (rep->r.err || p != proc || sn != serial || status > 1)
        break;
      if (status == 0)
        return 0;
      CLEANUP_FREE char *ename = wire_get_string (&rep->r);
      CLEANUP_FREE char *msg = wire_get_string (&rep->r);
      if (rep->r.err)
        break;
      {
        char note[1024];

        /* What the guest's kernel logged meanwhile arrives on the
         * console: read what is there before saying why. */
        drydock_int_drain_console (h, 0);
        report_error (h, name, errno_from_name (ename), msg,
                      drydock_int_io_error_note (h, note, sizeof note));
      }
      return -1;
    }
    if (side_frame (h, &rep->r, kind, serial, s) == -1)
      break;
    free (rep->frame);
    rep->frame = NULL;
  }
  errno = EBADMSG;
  drydock_int_appliance_died (h, name);
  return -1;
}

int
drydock_int_call (drydock_h *h, const char *name, uint32_t proc,
                  struct wire_buf *args, const char *filein,
                  const char *fileout, struct drydock_reply *rep)
{
  struct wire_buf w = WIRE_BUF_INIT;
  struct drydock_sink s;
  uint32_t serial = ++h->serial;
  int r;

  if (wire_buf_ok (args) == -1) {
    drydock_int_error_errno (h, errno, "%s: arguments too large for the "
                             "protocol (limit %d bytes)", name, WIRE_MESSAGE_MAX);
    return -1;
  }
  /* A user_cancel made while no transfer ran cancels nothing. */
  if (filein || fileout)
    atomic_store (&h->cancel, 0);
  if (fileout && drydock_int_sink_open (h, name, &s, fileout) == -1)
    return -1;
  wire_put_u32 (&w, WIRE_CALL);
  wire_put_u32 (&w, proc);
  wire_put_u32 (&w, serial);
  wire_put_raw (&w, args->data, args->len);
  r = drydock_int_send_frame (h, &w);
  wire_buf_free (&w);
  if (r == -1) {
    drydock_int_appliance_died (h, name);
    goto fail;
  }
  if (filein) {
    r = send_file (h, name, filein);
    if (r == -2) {
      drydock_int_appliance_died (h, name);
      goto fail;
    }
    if (r == -1) {
      /* Our own error is already set: read and drop the daemon's reply. */
      CLEANUP_FREE char *saved = h->last_error ? strdup (h->last_error) : NULL;
      int saved_errno = h->last_errno;
      if (read_reply (h, name, proc, serial, NULL, rep) == -1 &&
          h->state != STATE_READY)
        return -1;
      drydock_int_error_errno (h, saved_errno, "%s", saved ? saved : name);
      return -1;
    }
  }
  if (h->stream_in >= 0 && drydock_int_stream_relay (h) == -1) {
    drydock_int_appliance_died (h, name);
    goto fail;
  }
  if (read_reply (h, name, proc, serial, fileout ? &s : NULL, rep) == -1)
    goto fail;
  if (fileout) {
    if (s.user_cancelled) {
      drydock_int_error_errno (h, EINTR, "%s: operation cancelled by the "
                               "user", name);
      goto fail;
    }
    if (!s.ended || s.cancelled) {
      drydock_int_error_errno (h, EIO, "%s: the transfer was cancelled", name);
      goto fail;
    }
    if (drydock_int_sink_close (h, name, &s, 1) == -1)
      return -1;
  }
  return 0;
 fail:
  if (fileout)
    drydock_int_sink_close (h, name, &s, 0);
  return -1;
}

int
drydock_int_reply_finish (drydock_h *h, const char *name, struct drydock_reply *rep)
{
  if (wire_reader_finish (&rep->r) == 0)
    return 0;
  errno = EBADMSG;
  drydock_int_appliance_died (h, name);
  return -1;
}

void
drydock_int_reply_free (struct drydock_reply *rep)
{
  free (rep->frame);
  rep->frame = NULL;
}
