/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The wire format between libdrydock and drydockd.
 *
 * A frame is a 4-byte big-endian length followed by that many bytes
 * (at most WIRE_MESSAGE_MAX).  Inside, integers are big-endian, strings
 * and byte buffers are a 4-byte length then the bytes (no NUL, no
 * padding), lists are a 4-byte count then the items.  Every frame starts
 * with a kind word:
 *
 *   CALL      kind, proc, serial, arguments
 *   REPLY     kind, proc, serial, status (0 ok / 1 error),
 *             then the result, or errno name + message
 *   CHUNK     kind, flags (0 data / 1 end / 2 cancel / 3 hole), bytes
 *             (a hole's bytes are one u64: that many zero bytes of the
 *             file, which the daemon does not send)
 *   PROGRESS  kind, proc, position (u64), total (u64)
 *   HELLO     kind, version string, boot ms, init ms
 *
 * Writers never fail part way: an allocation failure is remembered in
 * the buffer and reported once by wire_buf_ok.  Readers are bounded by
 * the frame: any read past its end, any oversized count or embedded NUL
 * sets a sticky error flag, so generated decoders read every field and
 * check once (wire_reader_finish).
 */

#ifndef DRYDOCK_WIRE_H
#define DRYDOCK_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MESSAGE_MAX (4 * 1024 * 1024)
#define WIRE_CHUNK_MAX (256 * 1024)
#define WIRE_VERSION 1

enum wire_kind {
  WIRE_CALL = 0x44440001,
  WIRE_REPLY = 0x44440002,
  WIRE_CHUNK = 0x44440003,
  WIRE_PROGRESS = 0x44440004,
  WIRE_HELLO = 0x44440005,
  /* Sent by the daemon while a long call waits on a program, so that
   * the host's call timeout, which counts silence, is not reached by a
   * call that is only slow: just the kind, no body. */
  WIRE_KEEPALIVE = 0x44440006,
};

enum wire_chunk_flag {
  CHUNK_DATA = 0, CHUNK_END = 1, CHUNK_CANCEL = 2, CHUNK_HOLE = 3,
};

struct wire_buf {
  char *data;
  size_t len, cap;
  int oom;                      /* an allocation failed */
};
#define WIRE_BUF_INIT { NULL, 0, 0, 0 }

/* Appends bytes as they are (no length). */
extern void wire_put_raw (struct wire_buf *w, const void *p, size_t n);
extern void wire_put_u32 (struct wire_buf *w, uint32_t v);
extern void wire_put_i32 (struct wire_buf *w, int32_t v);
extern void wire_put_u64 (struct wire_buf *w, uint64_t v);
extern void wire_put_i64 (struct wire_buf *w, int64_t v);
extern void wire_put_bytes (struct wire_buf *w, const void *p, size_t n);
extern void wire_put_string (struct wire_buf *w, const char *s);
extern void wire_put_string_list (struct wire_buf *w, char *const *l);
/* 0 if everything fits in a message, -1 (errno ENOMEM or EMSGSIZE) if not. */
extern int wire_buf_ok (const struct wire_buf *w);
extern void wire_buf_free (struct wire_buf *w);

struct wire_reader {
  const char *p;
  size_t left;
  int err;
};

/* One entry of a generated table of decode-only functions (the fuzz
 * targets in tests/fuzz): decode from r what proc's reply or arguments
 * hold, free it, run nothing; 0 if it decoded whole, -1 if not. */
struct wire_decoder {
  const char *name;
  uint32_t proc;
  int (*decode) (struct wire_reader *r);
};

extern void wire_reader_init (struct wire_reader *r, const void *p, size_t n);
extern uint32_t wire_get_u32 (struct wire_reader *r);
extern int32_t wire_get_i32 (struct wire_reader *r);
extern uint64_t wire_get_u64 (struct wire_reader *r);
extern int64_t wire_get_i64 (struct wire_reader *r);
/* A count of items, each at least min_item bytes: bounded by what is left. */
extern uint32_t wire_get_count (struct wire_reader *r, size_t min_item);
/* Caller frees.  NULL (and err set) on a malformed or NUL-containing string. */
extern char *wire_get_string (struct wire_reader *r);
/* Caller frees; the buffer gets a trailing NUL not counted in *n. */
extern char *wire_get_buffer (struct wire_reader *r, size_t *n);
/* Caller frees with free_string_list / drydock_free_string_list. */
extern char **wire_get_string_list (struct wire_reader *r);
/* -1 if an error occurred or bytes are left over, else 0. */
extern int wire_reader_finish (struct wire_reader *r);

/* Frame I/O on blocking fds.  wire_send_frame: 0 or -1 with errno.
 * wire_recv_frame: 1 with a frame in *buf (caller frees), 0 at a clean
 * EOF before a frame, -1 with errno (EBADMSG for an oversized frame). */
extern int wire_send_frame (int fd, const struct wire_buf *w);
extern int wire_recv_frame (int fd, char **buf, size_t *len);

#endif /* DRYDOCK_WIRE_H */
