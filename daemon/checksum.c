/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checksums of guest files: checksum of one file, checksums_out of
 * every regular file of a tree, checksum_device of a device.
 * libguestfs runs md5sum, sha256sum ... (through xargs for a tree);
 * here the digests come from nettle and the CRC of POSIX cksum is
 * computed below, so a tree of thousands of files
 * costs no process per file, and every file is opened by sysroot.c's
 * rule (regular files only, a FIFO never blocks).  The output keeps the
 * format of those programs. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>

#include "daemon.h"
#include "actions-gen.h"

#define CSUM_BUFFER (256 * 1024)

/* The largest digest of the types below. */
#define DIGEST_MAX SHA512_DIGEST_SIZE

struct csum {
  const char *name;
  const struct nettle_hash *hash;       /* NULL: the cksum CRC */
};

static const struct csum csums[] = {
  { "crc", NULL }, { "md5", &nettle_md5 }, { "sha1", &nettle_sha1 },
  { "sha224", &nettle_sha224 }, { "sha256", &nettle_sha256 },
  { "sha384", &nettle_sha384 }, { "sha512", &nettle_sha512 },
};

/* The checksum type named csumtype, in any case, as libguestfs; NULL
 * after replying. */
static const struct csum *
csum_lookup_or_reply (const char *csumtype)
{
  for (size_t i = 0; i < sizeof csums / sizeof csums[0]; ++i)
    if (strcasecmp (csumtype, csums[i].name) == 0)
      return &csums[i];
  reply_with_error_errno (EINVAL, "unknown checksum type \"%s\" (crc, md5, "
                          "sha1, sha224, sha256, sha384 or sha512)",
                          csumtype);
  return NULL;
}

/* POSIX cksum: CRC-32 with the polynomial 0x04C11DB7, most significant
 * bit first, over the bytes and then the length (low byte first, only
 * as many bytes as it takes), complemented. */

static uint32_t crc_table[256];

static void
crc_init_table (void)
{
  if (crc_table[1] != 0)
    return;
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i << 24;

    for (int k = 0; k < 8; ++k)
      c = (c & 0x80000000) ? (c << 1) ^ 0x04C11DB7 : c << 1;
    crc_table[i] = c;
  }
}

static uint32_t
crc_update (uint32_t crc, const unsigned char *p, size_t n)
{
  while (n-- > 0)
    crc = (crc << 8) ^ crc_table[(crc >> 24) ^ *p++];
  return crc;
}

static uint32_t
crc_final (uint32_t crc, uint64_t size)
{
  for (; size > 0; size >>= 8) {
    unsigned char b = size & 0xff;

    crc = crc_update (crc, &b, 1);
  }
  return ~crc;
}

struct csum_result {
  char hex[2 * DIGEST_MAX + 1];
  uint32_t crc;
  uint64_t size;
};

/* Checksums fd from its offset to its end, reading through buf
 * (CSUM_BUFFER bytes).  0, or -1 with errno. */
static int
csum_fd (const struct csum *c, int fd, unsigned char *buf,
         struct csum_result *r)
{
  CLEANUP_FREE void *ctx = NULL;
  uint8_t digest[DIGEST_MAX];
  uint32_t crc = 0;

  r->size = 0;
  if (c->hash) {
    ctx = malloc (c->hash->context_size);
    if (ctx == NULL)
      return -1;
    c->hash->init (ctx);
  }
  else
    crc_init_table ();
  for (;;) {
    ssize_t n = read (fd, buf, CSUM_BUFFER);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0)
      break;
    if (c->hash)
      c->hash->update (ctx, (size_t) n, buf);
    else
      crc = crc_update (crc, buf, (size_t) n);
    r->size += (uint64_t) n;
  }
  if (c->hash == NULL) {
    r->crc = crc_final (crc, r->size);
    return 0;
  }
  c->hash->digest (ctx, c->hash->digest_size, digest);
  for (unsigned i = 0; i < c->hash->digest_size; ++i)
    snprintf (&r->hex[2 * i], 3, "%02x", digest[i]);
  return 0;
}

/* The checksum of what fd holds from its offset on, as a string;
 * subject names it in a failure reply.  NULL after replying. */
static char *
checksum_of_fd (const struct csum *c, int fd, const char *subject)
{
  CLEANUP_FREE unsigned char *buf = malloc (CSUM_BUFFER);
  struct csum_result res;
  char *r;

  if (buf == NULL || csum_fd (c, fd, buf, &res) == -1) {
    reply_with_perror ("%s", subject);
    return NULL;
  }
  if (c->hash)
    r = strdup (res.hex);
  else if (asprintf (&r, "%" PRIu32, res.crc) == -1)
    r = NULL;
  if (r == NULL)
    reply_with_perror ("%s", subject);
  return r;
}

char *
do_checksum (const char *csumtype, const char *path)
{
  const struct csum *c = csum_lookup_or_reply (csumtype);
  CLEANUP_CLOSE int fd = -1;

  if (c == NULL)
    return NULL;
  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1)
    return NULL;
  return checksum_of_fd (c, fd, path);
}

char *
do_checksum_device (const char *csumtype, const char *device)
{
  const struct csum *c = csum_lookup_or_reply (csumtype);
  CLEANUP_CLOSE int fd = -1;

  if (c == NULL)
    return NULL;
  fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  return checksum_of_fd (c, fd, device);
}

/* checksums_out */

struct sums {
  const struct csum *c;
  unsigned char *buf;
  struct chunk_out out;
  char *failed;                 /* the file that could not be read */
  int err;
};

/* One line as coreutils prints it for "./REL".  md5sum and the sha*sum
 * programs mark a name holding a newline or backslash with a backslash
 * first and escape both; cksum prints the name as it is. */
static int
add_line (struct sums *s, const struct csum_result *res, const char *rel)
{
  char head[64];
  int esc = s->c->hash && strpbrk (rel, "\\\n") != NULL;

  if (s->c->hash == NULL)
    snprintf (head, sizeof head, "%" PRIu32 " %" PRIu64 " ./", res->crc,
              res->size);
  else
    snprintf (head, sizeof head, "%s", esc ? "\\" : "");
  if (chunk_out_add (&s->out, head, strlen (head)) == -1)
    return -1;
  if (s->c->hash &&
      (chunk_out_add (&s->out, res->hex, strlen (res->hex)) == -1 ||
       chunk_out_add (&s->out, "  ./", 4) == -1))
    return -1;
  while (*rel) {
    size_t n = esc ? strcspn (rel, "\\\n") : strlen (rel);

    if (chunk_out_add (&s->out, rel, n) == -1)
      return -1;
    rel += n;
    if (*rel) {
      if (chunk_out_add (&s->out, *rel == '\n' ? "\\n" : "\\\\", 2) == -1)
        return -1;
      rel++;
    }
  }
  return chunk_out_add (&s->out, "\n", 1);
}

static int
sum_entry (void *opaque, int dirfd, const char *name, const char *rel,
           const struct stat *st)
{
  struct sums *s = opaque;
  CLEANUP_CLOSE int fd = -1;
  struct csum_result res;

  if (!S_ISREG (st->st_mode))
    return 0;
  /* Checked again as it is opened: only a regular file is read. */
  fd = open_regular_in_root (dirfd, name, O_NOFOLLOW, NULL);
  if (fd == -1 || csum_fd (s->c, fd, s->buf, &res) == -1) {
    s->err = errno;
    s->failed = strdup (rel);
    return -1;
  }
  return add_line (s, &res, rel);
}

int
do_checksums_out (const char *csumtype, const char *directory)
{
  struct sums s = { .c = csum_lookup_or_reply (csumtype),
                    .out = CHUNK_OUT_INIT };
  CLEANUP_CLOSE int dirfd = -1;
  CLEANUP_FREE unsigned char *buf = NULL;
  CLEANUP_FREE char *where = NULL, *failed = NULL;
  const char *sep = directory[strlen (directory) - 1] == '/' ? "" : "/";
  int r, err;

  if (s.c == NULL)
    return -1;
  dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return reply_with_perror ("%s", directory);
  s.buf = buf = malloc (CSUM_BUFFER);
  if (buf == NULL)
    return reply_with_perror ("%s", directory);
  r = walk_tree (dirfd, sum_entry, &s, &where);
  err = s.failed ? s.err : errno;
  failed = s.failed;
  if (r == 0)
    return chunk_out_end (&s.out, 0) == -1 ?
      reply_with_perror ("%s", directory) : 0;
  chunk_out_end (&s.out, 1);
  if (failed)
    return reply_with_error_errno (err, "%s%s%s: %s", directory, sep, failed,
                                   strerror (err));
  if (where && *where)
    return reply_with_error_errno (err, "%s%s%s: %s", directory, sep, where,
                                   strerror (err));
  errno = err;
  return reply_with_perror ("%s", directory);
}
