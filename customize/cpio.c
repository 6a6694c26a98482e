/* The cpio "newc" reader behind drydock customize's initramfs check
 * (initramfs.c), apart so that it is tested and fuzzed on its own: the
 * parsing of untrusted bytes from a buffered source (a file, the pipe
 * of a decompressor, or memory), the walk over the parts of an
 * initramfs, and the host decompressors it runs. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpio.h"

extern char **environ;

#define HEADER_LEN 110
#define BUF_LEN 65536
#define MAGIC_MAX 6
#define TRAILER "TRAILER!!!"

/* The compressed formats the kernel unpacks, by their first bytes, and
 * the host program (run as PROG -d -c) that unpacks each. */
static const struct format {
  const char *name, *prog;
  unsigned char magic[MAGIC_MAX + 1];
  size_t magic_len;
  int warning_status;         /* an exit status that only warns: gzip's 2 */
} formats[] = {
  { "gzip", "gzip", "\x1f\x8b", 2, 2 },
  { "xz", "xz", "\xfd" "7zXZ", 6, 0 },
  { "lzma", "xz", "\x5d\0", 2, 0 },
  { "zstd", "zstd", "\x28\xb5\x2f\xfd", 4, 0 },
  { "lz4", "lz4", "\x02\x21\x4c\x18", 4, 0 },
  { "bzip2", "bzip2", "BZh", 3, 0 },
  { "lzo", "lzop", "\x89" "LZO", 4, 0 },
};

/* Where the bytes come from: buf[at, len) is read but not consumed. */
struct src {
  int fd;                     /* -1: memory only */
  int seekable;               /* fd is a file read with pread at off */
  uint64_t off;
  const unsigned char *buf;
  unsigned char *own;         /* buf, for fd sources */
  size_t at, len;
  int eof;
  uint64_t pos;               /* the stream offset of buf[at] */
  uint64_t limit;             /* the stream may not be longer */
  const char *where;          /* for messages: "" or " of the gzip data" */
};

enum kind { FROM_FILE, FROM_MEMORY, FROM_PIPE };

/* The walk: the caller's callback and what it has seen. */
struct walk {
  cpio_entry_fn fn;
  void *opaque;
  char *err;
  size_t errlen;
  const char *path;           /* the file, FROM_FILE only */
  size_t entries, archives;
  char name[CPIO_NAME_MAX];
};

static int
fail (struct walk *w, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));

static int
fail (struct walk *w, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vsnprintf (w->err, w->errlen, fs, args);
  va_end (args);
  return -1;
}

/* ---- the source ---- */

/* Makes at least want (at most BUF_LEN) bytes available, unless the
 * stream ends first.  How many are available, or -1 with errno. */
static ssize_t
avail (struct src *s, size_t want)
{
  while (s->len - s->at < want && !s->eof) {
    ssize_t r;

    if (s->fd == -1) {
      s->eof = 1;
      break;
    }
    if (s->at > 0) {
      memmove (s->own, s->own + s->at, s->len - s->at);
      s->len -= s->at;
      s->at = 0;
    }
    if (s->seekable)
      r = pread (s->fd, s->own + s->len, BUF_LEN - s->len, (off_t) s->off);
    else
      r = read (s->fd, s->own + s->len, BUF_LEN - s->len);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    if (r == 0)
      s->eof = 1;
    s->off += (uint64_t) r;
    s->len += (size_t) r;
  }
  return (ssize_t) (s->len - s->at);
}

static void
consume (struct src *s, size_t n)
{
  s->at += n;
  s->pos += n;
}

/* Copies (out != NULL) or skips the next n bytes.  0, 1 when the
 * stream ends first, -1 with errno. */
static int
take (struct src *s, void *out, uint64_t n)
{
  unsigned char *o = out;

  while (n > 0) {
    ssize_t a = avail (s, 1);
    size_t k;

    if (a <= 0)
      return (int) a == 0 ? 1 : -1;
    k = (uint64_t) a < n ? (size_t) a : (size_t) n;
    if (o) {
      memcpy (o, s->buf + s->at, k);
      o += k;
    }
    consume (s, k);
    n -= k;
  }
  return 0;
}

/* ---- one archive ---- */

/* Eight hexadecimal digits, as newc writes every number. */
static int
hex8 (const unsigned char *p, uint32_t *v)
{
  *v = 0;
  for (int i = 0; i < 8; ++i) {
    int d;

    if (p[i] >= '0' && p[i] <= '9')
      d = p[i] - '0';
    else if (p[i] >= 'a' && p[i] <= 'f')
      d = p[i] - 'a' + 10;
    else if (p[i] >= 'A' && p[i] <= 'F')
      d = p[i] - 'A' + 10;
    else
      return -1;
    *v = *v << 4 | (uint32_t) d;
  }
  return 0;
}

/* The bytes that bring the offset from base to a multiple of 4. */
static uint64_t
pad4 (uint64_t base, uint64_t pos)
{
  return (4 - ((pos - base) & 3)) & 3;
}

static int
io_fail (struct walk *w, struct src *s, int r, uint64_t start)
{
  if (r == -1)
    return fail (w, "read error%s: %s", s->where, strerror (errno));
  return fail (w, "the archive at offset %" PRIu64 "%s is cut short "
               "(no trailer)", start, s->where);
}

/* Reads one archive, up to and including its trailer.  0, -1, or the
 * callback's value. */
static int
read_archive (struct walk *w, struct src *s)
{
  const uint64_t base = s->pos;
  unsigned char h[HEADER_LEN];

  for (;;) {
    const uint64_t at = s->pos;
    uint32_t f[13], namesize, filesize;
    struct cpio_entry e;
    int r = take (s, h, HEADER_LEN);

    if (r != 0)
      return io_fail (w, s, r, base);
    if (memcmp (h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
      return fail (w, "offset %" PRIu64 "%s: not a cpio newc header", at,
                   s->where);
    for (int i = 0; i < 13; ++i)
      if (hex8 (h + 6 + 8 * i, &f[i]) == -1)
        return fail (w, "offset %" PRIu64 "%s: a header field is not "
                     "hexadecimal", at, s->where);
    filesize = f[6];
    namesize = f[11];
    if (namesize < 2 || namesize > CPIO_NAME_MAX)
      return fail (w, "offset %" PRIu64 "%s: a name of %" PRIu32 " bytes",
                   at, s->where, namesize);
    if ((r = take (s, w->name, namesize)) != 0)
      return io_fail (w, s, r, base);
    if (w->name[namesize - 1] != '\0' ||
        memchr (w->name, '\0', namesize - 1) != NULL)
      return fail (w, "offset %" PRIu64 "%s: a name that is not one "
                   "string", at, s->where);
    if ((r = take (s, NULL, pad4 (base, s->pos))) != 0)
      return io_fail (w, s, r, base);
    if (strcmp (w->name, TRAILER) == 0)
      /* The padding after it is the next part's concern. */
      return 0;
    if (++w->entries > CPIO_ENTRIES_MAX)
      return fail (w, "more than %d entries", CPIO_ENTRIES_MAX);
    e = (struct cpio_entry) { .name = w->name, .mode = f[1],
                              .size = filesize };
    if ((r = w->fn (&e, w->opaque)) != 0)
      return r;
    if (s->pos + filesize > s->limit)
      return fail (w, "more than %" PRIu64 " bytes%s", s->limit, s->where);
    if ((r = take (s, NULL, filesize)) != 0 ||
        (r = take (s, NULL, pad4 (base, s->pos))) != 0)
      return io_fail (w, s, r, base);
  }
}

/* ---- the parts of an initramfs ---- */

static const struct format *
format_of (const unsigned char *p, size_t len)
{
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; ++i)
    if (len >= formats[i].magic_len &&
        memcmp (p, formats[i].magic, formats[i].magic_len) == 0)
      return &formats[i];
  return NULL;
}

static int unpack (struct walk *w, uint64_t off, const struct format *fmt);

/* Reads the archives of s, and the zeros between them, to its end;
 * compressed data in a file is unpacked (it runs to the file's end). */
static int
read_stream (struct walk *w, struct src *s, enum kind kind)
{
  for (;;) {
    const struct format *fmt;
    ssize_t a;
    int r;

    while ((a = avail (s, 1)) > 0 && s->buf[s->at] == '\0')
      consume (s, 1);
    if (a == 0)
      return 0;
    if (a == -1 || (a = avail (s, MAGIC_MAX)) == -1)
      return fail (w, "read error%s: %s", s->where, strerror (errno));
    /* A header, or the start of one cut short. */
    if (memcmp (s->buf + s->at, "07070", (size_t) a < 5 ? (size_t) a : 5)
        == 0) {
      if ((r = read_archive (w, s)) != 0)
        return r;
      w->archives++;
      continue;
    }
    fmt = format_of (s->buf + s->at, (size_t) a);
    if (fmt == NULL)
      return fail (w, "offset %" PRIu64 "%s: neither a cpio archive nor "
                   "compressed data", s->pos, s->where);
    if (kind == FROM_PIPE)
      return fail (w, "offset %" PRIu64 "%s: %s data inside compressed "
                   "data", s->pos, s->where, fmt->name);
    if (kind == FROM_MEMORY)
      return fail (w, "offset %" PRIu64 ": %s data (not unpacked here)",
                   s->pos, fmt->name);
    return unpack (w, s->pos, fmt);
  }
}

/* The first line fp holds, into buf. */
static void
first_line (FILE *fp, char *buf, size_t len)
{
  buf[0] = '\0';
  if (fp == NULL || fseek (fp, 0, SEEK_SET) == -1 ||
      fgets (buf, (int) len, fp) == NULL)
    return;
  buf[strcspn (buf, "\r\n")] = '\0';
}

/* Starts fmt's program on the file from off, its output on *out.  The
 * pid, or -1 (printed in w). */
static pid_t
start_unpacker (struct walk *w, uint64_t off, const struct format *fmt,
                FILE *errf, int *out)
{
  char *argv[] = { (char *) fmt->prog, (char *) "-d", (char *) "-c", NULL };
  posix_spawn_file_actions_t fa;
  int in, p[2], r;
  pid_t pid;

  in = open (w->path, O_RDONLY | O_CLOEXEC);
  if (in == -1 || lseek (in, (off_t) off, SEEK_SET) == -1 ||
      pipe2 (p, O_CLOEXEC) == -1) {
    r = errno;
    if (in >= 0)
      close (in);
    return fail (w, "%s: %s", w->path, strerror (r));
  }
  r = posix_spawn_file_actions_init (&fa);
  if (r == 0)
    r = posix_spawn_file_actions_adddup2 (&fa, in, 0);
  if (r == 0)
    r = posix_spawn_file_actions_adddup2 (&fa, p[1], 1);
  if (r == 0)
    r = posix_spawn_file_actions_adddup2 (&fa, fileno (errf), 2);
  if (r == 0)
    r = posix_spawnp (&pid, fmt->prog, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  close (in);
  close (p[1]);
  if (r != 0) {
    close (p[0]);
    if (r == ENOENT)
      return fail (w, "%s data at offset %" PRIu64 ", and %s is not "
                   "installed on this host", fmt->name, off, fmt->prog);
    return fail (w, "%s: %s", fmt->prog, strerror (r));
  }
  *out = p[0];
  return pid;
}

/* Unpacks the file from off with fmt's host program and reads the
 * archives that come out. */
static int
unpack (struct walk *w, uint64_t off, const struct format *fmt)
{
  char where[64], line[256];
  FILE *errf = tmpfile ();
  struct src s = { .limit = CPIO_UNPACKED_MAX, .where = where };
  pid_t pid;
  int st, r;

  if (errf == NULL)
    return fail (w, "a temporary file: %s", strerror (errno));
  pid = start_unpacker (w, off, fmt, errf, &s.fd);
  if (pid == -1) {
    fclose (errf);
    return -1;
  }
  snprintf (where, sizeof where, " of the %s data", fmt->name);
  s.own = malloc (BUF_LEN);
  s.buf = s.own;
  r = s.own ? read_stream (w, &s, FROM_PIPE) : fail (w, "out of memory");
  /* Not wanted any more, or it would write for nothing. */
  if (r != 0)
    kill (pid, SIGKILL);
  close (s.fd);
  free (s.own);
  while (waitpid (pid, &st, 0) == -1 && errno == EINTR)
    ;
  /* 127: the program could not be run (where posix_spawnp cannot say
   * so itself, as under valgrind). */
  if (r == 0 && WIFEXITED (st) && WEXITSTATUS (st) == 127 && s.pos == 0)
    r = fail (w, "%s data at offset %" PRIu64 ", and %s is not installed "
              "on this host", fmt->name, off, fmt->prog);
  if (r == 0 && !(WIFEXITED (st) && (WEXITSTATUS (st) == 0 ||
                                     (fmt->warning_status &&
                                      WEXITSTATUS (st) ==
                                      fmt->warning_status)))) {
    first_line (errf, line, sizeof line);
    r = fail (w, "the %s data at offset %" PRIu64 " cannot be unpacked "
              "(%s: %s)", fmt->name, off, fmt->prog,
              *line ? line : "failed");
  }
  fclose (errf);
  return r;
}

static int
finish (struct walk *w, int r)
{
  if (r == 0 && w->archives == 0)
    return fail (w, "no cpio archive");
  return r;
}

int
cpio_list_file (const char *path, cpio_entry_fn fn, void *opaque,
                char *err, size_t errlen)
{
  struct walk w = { .fn = fn, .opaque = opaque, .err = err,
                    .errlen = errlen, .path = path };
  struct src s = { .seekable = 1, .limit = UINT64_MAX, .where = "" };
  struct stat st;
  int r;

  s.fd = open (path, O_RDONLY | O_CLOEXEC);
  if (s.fd == -1)
    return fail (&w, "%s: %s", path, strerror (errno));
  if (fstat (s.fd, &st) == -1 || !S_ISREG (st.st_mode)) {
    close (s.fd);
    return fail (&w, "%s: not a regular file", path);
  }
  if (st.st_size == 0) {
    close (s.fd);
    return fail (&w, "the file is empty");
  }
  s.own = malloc (BUF_LEN);
  s.buf = s.own;
  r = s.own ? read_stream (&w, &s, FROM_FILE) : fail (&w, "out of memory");
  free (s.own);
  close (s.fd);
  return finish (&w, r);
}

int
cpio_list_memory (const void *data, size_t len, cpio_entry_fn fn,
                  void *opaque, char *err, size_t errlen)
{
  struct walk w = { .fn = fn, .opaque = opaque, .err = err,
                    .errlen = errlen };
  struct src s = { .fd = -1, .buf = data, .len = len, .eof = 1,
                   .limit = UINT64_MAX, .where = "" };

  return finish (&w, read_stream (&w, &s, FROM_MEMORY));
}
