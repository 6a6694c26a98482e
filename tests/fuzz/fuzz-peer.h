/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The other end of the channel for the protocol fuzz targets: a thread
 * that writes the bytes the input made to one end of a socket pair,
 * shuts its writing side, and reads and drops whatever the code under
 * test sends back until that side closes, so neither side can block
 * the other whatever the sizes.  Also the plain driver of make check. */

#ifndef FUZZ_PEER_H
#define FUZZ_PEER_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

struct peer {
  int fd;
  const char *data;
  size_t len;
  pthread_t thread;
};

static void *
peer_run (void *arg)
{
  struct peer *p = arg;
  size_t off = 0;
  char sink[65536];

  for (;;) {
    struct pollfd pfd = { p->fd, POLLIN | (off < p->len ? POLLOUT : 0), 0 };
    ssize_t n;

    if (poll (&pfd, 1, -1) == -1) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (pfd.revents & POLLOUT) {
      n = send (p->fd, p->data + off, p->len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0)
        off += (size_t) n;
      else if (n == -1 && errno != EAGAIN && errno != EINTR)
        off = p->len;
      if (off == p->len)
        shutdown (p->fd, SHUT_WR);
    }
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
      n = recv (p->fd, sink, sizeof sink, MSG_DONTWAIT);
      if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
        break;
    }
  }
  return NULL;
}

/* Starts the peer on a new socket pair: returns the end for the code
 * under test, or -1. */
static int
peer_start (struct peer *p, const struct wire_buf *stream)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
    return -1;
  p->fd = sv[1];
  p->data = stream->data;
  p->len = stream->len;
  if (p->len == 0)
    shutdown (p->fd, SHUT_WR);
  if (pthread_create (&p->thread, NULL, peer_run, p) != 0) {
    close (sv[0]);
    close (sv[1]);
    return -1;
  }
  return sv[0];
}

/* After the code under test closed its end. */
static void
peer_wait (struct peer *p)
{
  pthread_join (p->thread, NULL);
  close (p->fd);
}

/* Appends one frame: its length, then kind, the words given and the
 * payload; a frame too large for the protocol is left out. */
static void
put_frame (struct wire_buf *w, uint32_t kind, const uint32_t *words,
           size_t nwords, const uint8_t *payload, size_t n)
{
  wire_put_u32 (w, (uint32_t) (4 + 4 * nwords + n));
  wire_put_u32 (w, kind);
  for (size_t i = 0; i < nwords; ++i)
    wire_put_u32 (w, words[i]);
  wire_put_raw (w, payload, n);
}

/* The next segment of the input: its type byte and payload. */
static int
next_segment (const uint8_t **data, size_t *size, unsigned *type,
              const uint8_t **payload, size_t *n)
{
  size_t len;

  if (*size < 2)
    return 0;
  *type = (*data)[0];
  len = (*data)[1];
  *data += 2;
  *size -= 2;
  if (len == 255 && *size >= 2) {
    len = (size_t) (*data)[0] << 8 | (*data)[1];
    *data += 2;
    *size -= 2;
  }
  if (len > *size)
    len = *size;
  *payload = *data;
  *n = len;
  *data += len;
  *size -= len;
  return 1;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#ifndef FUZZING_ENGINE
static uint64_t
next_random (uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Fixed pseudo-random inputs from a fixed seed, so a regression is
 * reproducible: mostly small segments, zero bytes often (small lengths,
 * empty strings and lists), a kind of segment picked at random. */
static int
plain_driver (const char *name, int argc, char *argv[], long iterations)
{
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  uint8_t buf[1024];

  if (argc > 1)
    iterations = atol (argv[1]);
  for (long i = 0; i < iterations; ++i) {
    size_t n = 3, want = next_random (&seed) % 600;

    buf[0] = (uint8_t) next_random (&seed);
    buf[1] = (uint8_t) next_random (&seed);
    buf[2] = (uint8_t) next_random (&seed);
    while (n + 2 < want) {
      uint64_t kind = next_random (&seed);
      /* Half the payloads are whole words, mostly zero (empty strings
       * and lists, zero numbers and option masks), which decode
       * whenever their count fits the action's arguments. */
      size_t len = kind & 1 ? 4 * (next_random (&seed) % 7)
                            : next_random (&seed) % 48;
      buf[n++] = (uint8_t) next_random (&seed);
      buf[n++] = (uint8_t) len;
      for (size_t j = 0; j < len && n < sizeof buf; ++j) {
        uint64_t v = next_random (&seed);
        if (kind & 1)
          buf[n++] = j % 4 == 3 && (v & 7) == 0 ? (uint8_t) (v >> 8) % 4 : 0;
        else
          buf[n++] = (v & 3) == 0 ? (uint8_t) (v >> 8) : 0;
      }
    }
    LLVMFuzzerTestOneInput (buf, n);
  }
  printf ("%s: %ld inputs\n", name, iterations);
  return 0;
}
#endif

#endif
