/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the daemon's decoders of the Augeas process's
 * replies (daemon/augeas.c).  That process parses guest files with
 * Augeas in a chroot of the guest; its replies are as untrusted as the
 * files it read.  Here augeas_server is a stand-in, forked by the real
 * aug_init, that answers each request with the next frame of the
 * input, whatever it holds; the daemon's reply functions are stubbed
 * to count the errors.  Each input is a session: aug_init, then one
 * aug_* action per remaining frame (the input picks which), then
 * aug_close.  Promises checked: every action replies with exactly one
 * error when it fails and none when it succeeds; it succeeds only on a
 * frame that is a success status followed by exactly its result (an
 * int, two, a string, a list, or nothing), and then returns what the
 * frame says (a string or a list of strings, never a truncated or
 * garbled one).  A broken promise aborts.
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check over a fixed number of pseudo-random
 * sessions from a fixed seed. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "aug-session.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FRAMES_MAX 16

/* The session's frames: the first answers aug_init. */
static const uint8_t *frame_data[FRAMES_MAX];
static size_t frame_len[FRAMES_MAX];
static uint8_t frame_op[FRAMES_MAX];
static size_t n_frames;

static int replies;
static long actions, succeeded;   /* for the plain driver's summary */
int chan_fd = -1;

/* What augeas.c calls in the rest of the daemon, stubbed. */

int
reply_with_error_errno (int err, const char *fs, ...)
{
  replies++;
  return -1;
}

int
reply_with_perror (const char *fs, ...)
{
  replies++;
  return -1;
}

int
sysroot_open (const char *path, int flags, mode_t mode)
{
  return open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int
augeas_prepare (void)
{
  return 0;
}

/* The stand-in: one frame of the input for each request, then gone. */
void
augeas_server (int fd, int rootfd, int flags)
{
  for (size_t i = 0; i < n_frames; ++i) {
    struct wire_buf w = WIRE_BUF_INIT;
    char *req;
    size_t len;

    if (i > 0) {
      if (wire_recv_frame (fd, &req, &len) != 1)
        _exit (0);
      free (req);
    }
    wire_put_raw (&w, frame_data[i], frame_len[i]);
    if (wire_send_frame (fd, &w) == -1)
      _exit (0);
    wire_buf_free (&w);
  }
  _exit (0);
}

/* What a successful reply to an action of kind k must be: the status
 * word 0, then its result. */
enum kind { K_ERR, K_INT, K_BOOL, K_STRING, K_LIST };

/* 1 if frame i is status 0 and exactly a result of kind k, which is
 * then in *s or *l (caller frees) or *v. */
static int
well_formed (size_t i, enum kind k, char **s, char ***l, int32_t v[2])
{
  struct wire_reader r;

  *s = NULL;
  *l = NULL;
  wire_reader_init (&r, (const char *) frame_data[i], frame_len[i]);
  if (wire_get_u32 (&r) != 0)
    return 0;
  switch (k) {
  case K_ERR: break;
  case K_INT: v[0] = wire_get_i32 (&r); break;
  case K_BOOL: v[0] = wire_get_i32 (&r); v[1] = wire_get_i32 (&r); break;
  case K_STRING: *s = wire_get_string (&r); break;
  case K_LIST: *l = wire_get_string_list (&r); break;
  }
  if (wire_reader_finish (&r) == 0)
    return 1;
  free (*s);
  free_string_list (*l);
  *s = NULL;
  *l = NULL;
  return 0;
}

static void
check (int failed, size_t i, enum kind k, int32_t i0, int32_t i1,
       const char *s, char *const *l)
{
  CLEANUP_FREE char *ws = NULL;
  CLEANUP_FREE_STRING_LIST char **wl = NULL;
  int32_t v[2] = { 0, 0 };
  int ok = i < n_frames && well_formed (i, k, &ws, &wl, v);

  if (failed != (replies == 1) || replies > 1 || failed == ok)
    abort ();
  actions++;
  if (failed)
    return;
  succeeded++;
  if ((k == K_INT && i0 != v[0]) || (k == K_BOOL && (i0 != v[0] || i1 != v[1])))
    abort ();
  if (k == K_STRING && (s == NULL || strcmp (s, ws) != 0))
    abort ();
  if (k == K_LIST) {
    size_t j = 0;

    for (; l[j] && wl[j]; ++j)
      if (strcmp (l[j], wl[j]) != 0)
        abort ();
    if (l[j] || wl[j])
      abort ();
  }
}

/* Runs action op % 15 with frame i as its reply. */
static void
one_action (uint8_t op, size_t i)
{
  char *s = NULL, **l = NULL;
  struct drydock_int_bool *b = NULL;
  int r = 0;

  replies = 0;
  switch (op % 15) {
  case 0: r = do_aug_defvar ("v", "/files"); check (r == -1, i, K_INT, r, 0, NULL, NULL); break;
  case 1:
    b = do_aug_defnode ("n", "/files/x", "y");
    check (b == NULL, i, K_BOOL, b ? b->i : 0, b ? b->b : 0, NULL, NULL);
    free (b);
    break;
  case 2: s = do_aug_get ("/files/etc/hostname/hostname"); check (s == NULL, i, K_STRING, 0, 0, s, NULL); break;
  case 3: r = do_aug_set ("/files/x", "y"); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 4: r = do_aug_setm ("/files", NULL, "y"); check (r == -1, i, K_INT, r, 0, NULL, NULL); break;
  case 5: r = do_aug_clear ("/files/x"); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 6: r = do_aug_insert ("/files/x", "y", 1); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 7: s = do_aug_label ("/files/x"); check (s == NULL, i, K_STRING, 0, 0, s, NULL); break;
  case 8: r = do_aug_rm ("/files/x"); check (r == -1, i, K_INT, r, 0, NULL, NULL); break;
  case 9: r = do_aug_mv ("/files/x", "/files/y"); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 10: l = do_aug_match ("/files/*"); check (l == NULL, i, K_LIST, 0, 0, NULL, l); break;
  case 11: r = do_aug_save (); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 12: r = do_aug_load (); check (r == -1, i, K_ERR, 0, 0, NULL, NULL); break;
  case 13: l = do_aug_ls ("/files"); check (l == NULL, i, K_LIST, 0, 0, NULL, l); break;
  case 14:
    r = do_aug_transform ("Hosts.lns", "/etc/hosts", 0, 0);
    check (r == -1, i, K_ERR, 0, 0, NULL, NULL);
    break;
  }
  free (s);
  free_string_list (l);
}

/* The input: frames, each a length byte, an action byte (unused for
 * the first), then that many bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int r;

  /* Writing to a stand-in that is gone is an error, not our death. */
  signal (SIGPIPE, SIG_IGN);
  n_frames = 0;
  while (size >= 2 && n_frames < FRAMES_MAX) {
    size_t len = data[0];

    frame_op[n_frames] = data[1];
    data += 2;
    size -= 2;
    if (len > size)
      len = size;
    frame_data[n_frames] = data;
    frame_len[n_frames++] = len;
    data += len;
    size -= len;
  }
  if (n_frames == 0)
    return 0;
  replies = 0;
  r = do_aug_init ("/", 0);
  if ((r == -1) != (replies == 1) || replies > 1)
    abort ();
  /* aug_init succeeds on a success status, whatever follows it. */
  if ((r == 0) != (frame_len[0] >= 4 && memcmp (frame_data[0], "\0\0\0\0", 4) == 0))
    abort ();
  if (r == 0)
    for (size_t i = 1; i < n_frames; ++i)
      one_action (frame_op[i], i);
  do_aug_close ();
  return 0;
}

#ifndef FUZZING_ENGINE
/* A frame that is often a well-formed reply to a random action: the
 * success status (or the error one with an errno and a message), then
 * ints, strings and counts, cut or stretched now and then. */
static size_t
make_frame (uint64_t *seed, uint8_t *p)
{
  struct wire_buf w = WIRE_BUF_INIT;
  uint64_t v = fuzz_next (seed);
  size_t n;

  if (v % 4 == 0) {
    wire_put_u32 (&w, 1);
    wire_put_u32 (&w, (uint32_t) (v >> 8) % 140);
    wire_put_string (&w, "Augeas says no");
  }
  else {
    wire_put_u32 (&w, 0);
    for (int k = (int) ((v >> 8) % 4); k > 0; --k) {
      uint64_t x = fuzz_next (seed);
      switch (x % 3) {
      case 0: wire_put_i32 (&w, (int32_t) (x >> 8)); break;
      case 1: wire_put_string (&w, (x >> 8) & 1 ? "/files/etc" : ""); break;
      case 2:
        wire_put_u32 (&w, 2);
        wire_put_string (&w, "/files/a");
        wire_put_string (&w, "/files/b");
        break;
      }
    }
  }
  n = w.len > 255 ? 255 : w.len;
  if (v >> 40 & 1)
    n = (v >> 41) % (n + 1);                            /* cut short */
  memcpy (p, w.data, n);
  if ((v >> 50) % 8 == 0 && n > 0)
    p[(v >> 53) % n] ^= (uint8_t) (v >> 56);            /* a bad byte */
  wire_buf_free (&w);
  return n;
}

int
main (int argc, char *argv[])
{
  uint64_t seed = 0xa4093822299f31d0ULL;
  long iterations = argc == 2 ? atol (argv[1]) : 1000;
  static uint8_t buf[FRAMES_MAX * 260];

  for (long i = 0; i < iterations; ++i) {
    size_t n = 0;
    int frames = 1 + (int) (fuzz_next (&seed) % FRAMES_MAX);

    for (int f = 0; f < frames; ++f) {
      size_t len = make_frame (&seed, buf + n + 2);

      if (f == 0 && fuzz_next (&seed) % 8)
        memset (buf + n + 2, 0, len < 4 ? len : 4);     /* init mostly works */
      buf[n] = (uint8_t) len;
      buf[n + 1] = (uint8_t) fuzz_next (&seed);
      n += len + 2;
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("fuzz-aug: %ld sessions, %ld actions, %ld succeeded\n", iterations,
          actions, succeeded);
  /* Both outcomes must have been put to the test. */
  if (iterations >= 100 && (succeeded == 0 || succeeded == actions))
    abort ();
  return 0;
}
#endif
