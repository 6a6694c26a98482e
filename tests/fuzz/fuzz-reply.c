/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the library's end of the protocol: what a hostile or
 * broken appliance can send back.  The real code runs on a socket pair
 * (no appliance): drydock_int_call (library/call.c) sends a call and
 * reads the answer through the real frame reader (library/proto.c),
 * handling progress, keepalive and chunk frames on the way and the
 * error or the result reply at the end; then the generated reply
 * decoder of the action the input picked (library/actions-gen.c built
 * with DRYDOCK_FUZZ_REPLIES: the decoders and their table in place of
 * the public wrappers) reads the result, as the wrapper would.  The
 * console, which the library scans for I/O errors, gets bytes too.
 *
 * Input: two bytes pick the action, one byte the streams (a download
 * into a regular file or /dev/null, an upload of /dev/null), then
 * segments (type, length, payload) that become frames from the
 * daemon; see LLVMFuzzerTestOneInput.  Built as fuzz-wire.c is. */

#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "fuzz-peer.h"
#include "source.h"

extern const struct wire_decoder drydock_int_reply_decoders[];
extern const size_t drydock_int_n_reply_decoders;

/* What call.c and proto.c need from the rest of the library. */
void
drydock_int_error_errno (drydock_h *h, int errnum, const char *fs, ...)
{
  char buf[8192];
  va_list args;

  va_start (args, fs);
  vsnprintf (buf, sizeof buf, fs, args);
  va_end (args);
  h->last_errno = errnum;
}

void
drydock_int_perror (drydock_h *h, const char *fs, ...)
{
  char buf[8192];
  va_list args;

  va_start (args, fs);
  vsnprintf (buf, sizeof buf, fs, args);
  va_end (args);
  h->last_errno = errno;
}

int
drydock_int_event (drydock_h *h, uint64_t event, const char *buf, size_t n,
                   const uint64_t *array, size_t array_len)
{
  (void) h; (void) event; (void) buf; (void) n; (void) array; (void) array_len;
  return 0;
}

ssize_t
drydock_int_overlay_full (drydock_h *h, char **dir)
{
  (void) h;
  *dir = NULL;
  return -1;
}

int
drydock_int_drive_start_error (drydock_h *h, const char *name, const char *console)
{
  (void) h; (void) name; (void) console;
  return -1;
}

int
drydock_int_stream_relay (drydock_h *h)
{
  (void) h;
  return 0;
}

/* No monitor or NBD connection here: nothing to close. */
void
drydock_int_direct_close (drydock_h *h)
{
  (void) h;
}

/* No user_cancel here: transfers always run to their end. */
int
drydock_int_take_cancel (drydock_h *h)
{
  (void) h;
  return 0;
}

double
drydock_int_elapsed_ms (const struct timespec *since)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) (now.tv_sec - since->tv_sec) * 1000 +
    (double) (now.tv_nsec - since->tv_nsec) / 1e6;
}

void
drydock_free_string_list (char **l)
{
  for (size_t i = 0; l && l[i]; ++i)
    free (l[i]);
  free (l);
}

static struct drive drives[2] = {
  { .filename = (char *) "/a.img" }, { .filename = (char *) "/b.img" }
};
static char outdir[] = "/tmp/fuzz-reply-XXXXXX";
static char outfile[sizeof outdir + 8];

static void
remove_outdir (void)
{
  unlink (outfile);
  rmdir (outdir);
}

/* A download, whole or not, leaves nothing but its target. */
static void
check_no_leftovers (void)
{
  DIR *dir = opendir (outdir);
  struct dirent *e;

  if (dir == NULL)
    abort ();
  while ((e = readdir (dir)) != NULL)
    if (strcmp (e->d_name, ".") && strcmp (e->d_name, "..") &&
        strcmp (e->d_name, "out")) {
      fprintf (stderr, "fuzz-reply: %s left in %s\n", e->d_name, outdir);
      abort ();
    }
  closedir (dir);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const struct wire_decoder *d;
  struct wire_buf stream = WIRE_BUF_INIT, console = WIRE_BUF_INIT;
  struct wire_buf args = WIRE_BUF_INIT;
  struct drydock_reply rep = DRYDOCK_REPLY_INIT;
  const char *fileout = NULL, *filein = NULL;
  drydock_h *h;
  struct peer peer;
  int cons[2];
  unsigned type, mode;
  const uint8_t *payload;
  size_t n;

  if (size < 3)
    return 0;
  if (outfile[0] == '\0') {
    if (mkdtemp (outdir) == NULL)
      abort ();
    snprintf (outfile, sizeof outfile, "%s/out", outdir);
    atexit (remove_outdir);
  }
  d = &drydock_int_reply_decoders[(data[0] | data[1] << 8) %
                                  drydock_int_n_reply_decoders];
  mode = data[2];
  data += 3;
  size -= 3;
  if (mode & 1)
    fileout = (mode & 2) ? outfile : "/dev/null";
  if (mode & 4)
    filein = "/dev/null";

  /* The call's serial is 1: the handle's first. */
  while (next_segment (&data, &size, &type, &payload, &n)) {
    uint32_t hdr[4] = { d->proc, 1, 0, 0 };

    switch (type % 9) {
    case 0: put_frame (&stream, WIRE_REPLY, hdr, 3, payload, n); break;
    case 1: hdr[2] = 1; put_frame (&stream, WIRE_REPLY, hdr, 3, payload, n); break;
    case 2: put_frame (&stream, WIRE_PROGRESS, NULL, 0, payload, n); break;
    case 3: put_frame (&stream, WIRE_CHUNK, NULL, 0, payload, n); break;
    case 4:
      hdr[0] = CHUNK_DATA;
      hdr[1] = (uint32_t) n;
      if (type & 0x40) {
        /* A hole as long as the payload's first bytes say (up to 16
         * MiB, so a sink that writes its zeros stays quick). */
        uint8_t len[8] = { 0 };
        for (size_t i = 0; i < 3 && i < n; ++i)
          len[5 + i] = payload[i];
        hdr[0] = CHUNK_HOLE;
        hdr[1] = 8;
        put_frame (&stream, WIRE_CHUNK, hdr, 2, len, 8);
        break;
      }
      put_frame (&stream, WIRE_CHUNK, hdr, 2, payload, n);
      break;
    case 5:
      hdr[0] = type & 0x80 ? CHUNK_CANCEL : CHUNK_END;
      hdr[1] = 0;
      put_frame (&stream, WIRE_CHUNK, hdr, 2, NULL, 0);
      break;
    case 6: put_frame (&stream, WIRE_KEEPALIVE, NULL, 0, payload, n); break;
    case 7: wire_put_raw (&stream, payload, n); break;
    case 8: wire_put_raw (&console, payload, n); break;
    }
  }

  h = calloc (1, sizeof *h);
  if (h == NULL || pipe2 (cons, O_CLOEXEC) == -1)
    abort ();
  h->state = STATE_READY;
  h->stream_in = h->stream_out = -1;
  h->call_timeout_ms = 10000;
  h->console_fd = cons[0];
  /* Two drives, so that the console's I/O error lines name some. */
  h->drives = drives;
  h->n_drives = 2;
  if (console.len > 0 &&
      write (cons[1], console.data, console.len < 60000 ? console.len : 60000) == -1)
    abort ();
  close (cons[1]);
  h->sock = peer_start (&peer, &stream);
  if (h->sock == -1)
    abort ();

  wire_put_string (&args, "/");
  if (drydock_int_call (h, d->name, d->proc, &args, filein, fileout, &rep) == 0)
    (void) d->decode (&rep.r);
  drydock_int_reply_free (&rep);
  check_no_leftovers ();

  if (h->sock >= 0)
    close (h->sock);
  if (h->console_fd >= 0)
    close (h->console_fd);
  peer_wait (&peer);
  free (h);
  wire_buf_free (&args);
  wire_buf_free (&stream);
  wire_buf_free (&console);
  return 0;
}

#ifndef FUZZING_ENGINE
int
main (int argc, char *argv[])
{
  return plain_driver ("fuzz-reply", argc, argv, 10000);
}
#endif
