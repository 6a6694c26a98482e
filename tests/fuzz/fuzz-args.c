/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the daemon's end of the protocol: what a hostile or
 * broken host (or a guest that took over the channel) can send.  The
 * real request loop (daemon/proto.c: proto_serve, its frame reader and
 * the file-stream chunk reader) runs on a socket pair; the calls go to
 * the generated argument decoders of daemon/dispatch-gen.c built with
 * DRYDOCK_FUZZ_ARGS, which decode and free every argument and drain a
 * FileIn stream but never run an action: no do_<action> is compiled in.
 *
 * Input: two bytes pick the action, one is spare, then segments (type,
 * length, payload) that become frames from the host; see
 * LLVMFuzzerTestOneInput.  Built as fuzz-wire.c is. */

#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "fuzz-peer.h"

extern const struct wire_decoder daemon_arg_decoders[];
extern const size_t daemon_n_arg_decoders;

/* What proto.c and the decoders need from the rest of the daemon. */
int shutdown_requested;

void
debug (const char *fs, ...)
{
  char buf[8192];
  va_list args;

  va_start (args, fs);
  vsnprintf (buf, sizeof buf, fs, args);
  va_end (args);
}

void
map_devices_in_text (char *msg, size_t size)
{
  (void) msg; (void) size;
}

void
free_key (char *key)
{
  free (key);
}

int
snapshot_wait_for_host (void)
{
  return -1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const struct wire_decoder *d;
  struct wire_buf stream = WIRE_BUF_INIT;
  struct peer peer;
  unsigned type;
  const uint8_t *payload;
  size_t n;
  uint32_t serial = 1;

  if (size < 3)
    return 0;
  d = &daemon_arg_decoders[(data[0] | data[1] << 8) % daemon_n_arg_decoders];
  data += 3;
  size -= 3;
  while (next_segment (&data, &size, &type, &payload, &n)) {
    uint32_t hdr[2] = { d->proc, serial++ };

    switch (type % 6) {
    case 0: case 1: put_frame (&stream, WIRE_CALL, hdr, 2, payload, n); break;
    case 2:
      hdr[0] = CHUNK_DATA;
      hdr[1] = (uint32_t) n;
      put_frame (&stream, WIRE_CHUNK, hdr, 2, payload, n);
      break;
    case 3:
      hdr[0] = type & 0x80 ? CHUNK_CANCEL : CHUNK_END;
      hdr[1] = 0;
      put_frame (&stream, WIRE_CHUNK, hdr, 2, NULL, 0);
      break;
    case 4: put_frame (&stream, type & 0x80 ? WIRE_CHUNK : WIRE_CALL, NULL, 0,
                       payload, n); break;
    case 5: wire_put_raw (&stream, payload, n); break;
    }
  }
  chan_fd = peer_start (&peer, &stream);
  if (chan_fd == -1)
    abort ();
  proto_serve ();
  close (chan_fd);
  chan_fd = -1;
  peer_wait (&peer);
  wire_buf_free (&stream);
  return 0;
}

#ifndef FUZZING_ENGINE
int
main (int argc, char *argv[])
{
  return plain_driver ("fuzz-args", argc, argv, 10000);
}
#endif
