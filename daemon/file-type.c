/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a guest file is and what it holds, for people: file (the file
 * program's answer), file_architecture (read from ELF and PE headers
 * here, looking into initramfs images), hexdump (hexdump -C's format)
 * and strings/strings_e (strings(1)'s rules).  The dumps are computed
 * here rather than by running programs over guest files, and every file
 * is opened by sysroot.c's rules: only a regular file is ever opened, so
 * a FIFO or a device node in a guest is named, never read. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The results must fit in a reply. */
#define OUTPUT_MAX (3584 * 1024)
#define READ_BUFFER (64 * 1024)

/* A growing string; -1 with errno (EMSGSIZE past OUTPUT_MAX). */
struct text {
  char *s;
  size_t len, cap;
};

static int
text_add (struct text *t, const char *p, size_t n)
{
  if (t->len + n + 1 > OUTPUT_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  if (t->len + n + 1 > t->cap) {
    size_t cap = (t->len + n + 1) * 2;
    char *s = realloc (t->s, cap);

    if (s == NULL)
      return -1;
    t->s = s;
    t->cap = cap;
  }
  memcpy (t->s + t->len, p, n);
  t->len += n;
  t->s[t->len] = '\0';
  return 0;
}

static int
reply_output_error (const char *path)
{
  if (errno == EMSGSIZE)
    return reply_with_error_errno (EMSGSIZE, "%s: the output is more than "
                                   "one reply holds (%d bytes)", path,
                                   OUTPUT_MAX);
  return reply_with_perror ("%s", path);
}

/* hexdump */

/* One line of hexdump -C for n (1 to 16) bytes at offset. */
static int
hex_line (struct text *t, uint64_t offset, const unsigned char *p, size_t n)
{
  char line[128];
  size_t k = (size_t) snprintf (line, sizeof line, "%08llx  ",
                                (unsigned long long) offset);

  for (size_t i = 0; i < 16; ++i) {
    if (i < n)
      k += (size_t) snprintf (line + k, sizeof line - k, "%02x ", p[i]);
    else
      k += (size_t) snprintf (line + k, sizeof line - k, "   ");
    if (i == 7)
      line[k++] = ' ';
  }
  line[k++] = ' ';
  line[k++] = '|';
  for (size_t i = 0; i < n; ++i)
    line[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char) p[i] : '.';
  line[k++] = '|';
  line[k++] = '\n';
  return text_add (t, line, k);
}

char *
do_hexdump (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (path, 0, NULL);
  struct text t = { NULL, 0, 0 };
  unsigned char line[16], prev[16];
  uint64_t offset = 0;
  int starred = 0, have_prev = 0;

  if (fd == -1)
    return NULL;
  if (text_add (&t, "", 0) == -1)
    goto fail;
  for (;;) {
    ssize_t n = read_all (fd, line, sizeof line);

    if (n == -1)
      goto fail;
    if (n == 0)
      break;
    /* A full line like the one before is a "*", once for a run. */
    if (n == 16 && have_prev && memcmp (line, prev, 16) == 0) {
      if (!starred && text_add (&t, "*\n", 2) == -1)
        goto fail;
      starred = 1;
    }
    else {
      if (hex_line (&t, offset, line, (size_t) n) == -1)
        goto fail;
      starred = 0;
    }
    memcpy (prev, line, sizeof line);
    have_prev = n == 16;
    offset += (uint64_t) n;
    if (n < 16)
      break;
  }
  if (offset > 0) {
    char end[32];
    int k = snprintf (end, sizeof end, "%08llx\n", (unsigned long long) offset);

    if (text_add (&t, end, (size_t) k) == -1)
      goto fail;
  }
  return t.s;

 fail:
  reply_output_error (path);
  free (t.s);
  return NULL;
}

/* strings */

/* As strings(1): a string is at least 4 characters, each a tab or
 * printable ASCII (with encoding S also any byte above 127); wide
 * encodings read characters of 2 or 4 bytes, big or little endian,
 * whose value must be such a character, and after one that is not,
 * look again one byte further on. */
#define STRING_MIN 4

struct strings {
  char encoding;
  size_t width;
  struct strlist l;
  struct text cur;              /* the characters of the current run */
  size_t chars;
  size_t bytes;                 /* total size of the list, for the limit */
};

static int
graphic (const struct strings *s, uint32_t c)
{
  return c == '\t' || (c >= 0x20 && c < 0x7f) ||
    (s->encoding == 'S' && c >= 0x80 && c <= 0xff);
}

static int
end_run (struct strings *s)
{
  int r = 0;

  if (s->chars >= STRING_MIN) {
    s->bytes += s->cur.len + 8;
    if (s->bytes > OUTPUT_MAX) {
      errno = EMSGSIZE;
      return -1;
    }
    r = strlist_add (&s->l, s->cur.s);
  }
  s->cur.len = 0;
  s->chars = 0;
  return r;
}

/* Appends the character c: a byte, as strings(1) writes it (only
 * encoding S lets bytes above 127 through, which stay as they are, so
 * UTF-8 text reads as itself). */
static int
add_char (struct strings *s, uint32_t c)
{
  char b = (char) c;

  s->chars++;
  return text_add (&s->cur, &b, 1);
}

static uint32_t
char_at (const struct strings *s, const unsigned char *p)
{
  switch (s->encoding) {
  case 'b': return (uint32_t) p[0] << 8 | p[1];
  case 'l': return (uint32_t) p[1] << 8 | p[0];
  case 'B':
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
      (uint32_t) p[2] << 8 | p[3];
  case 'L':
    return (uint32_t) p[3] << 24 | (uint32_t) p[2] << 16 |
      (uint32_t) p[1] << 8 | p[0];
  default: return p[0];
  }
}

static char **
strings_of (const char *encoding, const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE unsigned char *buf = NULL;
  struct strings s = { .l = STRLIST_INIT };
  size_t carry = 0;

  if (strlen (encoding) != 1 || strchr ("sSbBlL", encoding[0]) == NULL) {
    reply_with_error_errno (EINVAL, "encoding \"%s\": expected one of s, S, "
                            "b, l, B or L", encoding);
    return NULL;
  }
  s.encoding = encoding[0];
  s.width = strchr ("bl", s.encoding) ? 2 : strchr ("BL", s.encoding) ? 4 : 1;
  fd = sysroot_open_regular_or_reply (path, 0, NULL);
  if (fd == -1)
    return NULL;
  buf = malloc (READ_BUFFER + 4);
  if (buf == NULL || text_add (&s.cur, "", 0) == -1)
    goto fail;
  for (;;) {
    ssize_t n = read (fd, buf + carry, READ_BUFFER);
    size_t have, i;

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      goto fail;
    if (n == 0)
      break;
    have = carry + (size_t) n;
    for (i = 0; i + s.width <= have;) {
      uint32_t c = char_at (&s, buf + i);

      if (graphic (&s, c)) {
        if (add_char (&s, c) == -1)
          goto fail;
        i += s.width;
      }
      else {
        if (end_run (&s) == -1)
          goto fail;
        i++;
      }
    }
    carry = have - i;
    memmove (buf, buf + i, carry);
  }
  if (end_run (&s) == -1)
    goto fail;
  free (s.cur.s);
  return strlist_take (&s.l);

 fail:
  reply_output_error (path);
  free (s.cur.s);
  strlist_free (&s.l);
  return NULL;
}

char **
do_strings (const char *path)
{
  return strings_of ("s", path);
}

char **
do_strings_e (const char *encoding, const char *path)
{
  return strings_of (encoding, path);
}

/* file */

char *
do_file (const char *path)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *out = NULL, *err = NULL;
  const char *argv[] = { "file", "-zbsL", "-m", "/usr/lib/file/magic.mgc",
                         "-", NULL };
  struct stat st;
  const char *kind = NULL;
  char *r;
  int status;

  if (stat_guest (path, 0, &st) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  /* What is not a regular file is named from its type, never opened. */
  switch (st.st_mode & S_IFMT) {
  case S_IFDIR: kind = "directory"; break;
  case S_IFLNK: kind = "symbolic link"; break;
  case S_IFCHR: kind = "character device"; break;
  case S_IFBLK: kind = "block device"; break;
  case S_IFIFO: kind = "FIFO"; break;
  case S_IFSOCK: kind = "socket"; break;
  }
  if (kind)
    return strdup (kind);
  if (!program_available ("file")) {
    reply_with_error_errno (ENOTSUP, "%s: the file program is not in this "
                            "appliance", path);
    return NULL;
  }
  fd = sysroot_open_regular_or_reply (path, O_NOFOLLOW, NULL);
  if (fd == -1)
    return NULL;
  status = run_command_fd (&out, &err, fd, (char *const *) argv);
  if (status != 0) {
    reply_command_error (path, (char *const *) argv, status, err);
    return NULL;
  }
  out[strcspn (out, "\n")] = '\0';
  r = strdup (out);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

/* file_architecture */

static uint16_t
le16 (const unsigned char *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

static uint16_t
be16 (const unsigned char *p)
{
  return (uint16_t) (p[0] << 8 | p[1]);
}

static uint32_t
le32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
    (uint32_t) p[3] << 24;
}

/* The architecture of an ELF header (at least 20 bytes), or NULL. */
static const char *
elf_arch (const unsigned char *h, size_t n)
{
  int is64, le;
  uint16_t machine;

  if (n < 20 || memcmp (h, "\177ELF", 4) != 0 || h[4] < 1 || h[4] > 2 ||
      h[5] < 1 || h[5] > 2)
    return NULL;
  is64 = h[4] == 2;
  le = h[5] == 1;
  machine = le ? le16 (h + 18) : be16 (h + 18);
  switch (machine) {
  case 2: case 18: return "sparc";
  case 3: return "i386";
  case 8: return is64 ? "mips64" : "mips";
  case 20: return "ppc";
  case 21: return le ? "ppc64le" : "ppc64";
  case 22: return is64 ? "s390x" : "s390";
  case 40: return "arm";
  case 43: return "sparc64";
  case 50: return "ia64";
  case 62: return "x86_64";
  case 183: return "aarch64";
  case 243: return is64 ? "riscv64" : "riscv32";
  case 258: return "loongarch64";
  default: return NULL;
  }
}

/* The architecture of a Windows PE file (MZ stub, then the PE header
 * where its e_lfanew says), or NULL. */
static const char *
pe_arch (int fd, const unsigned char *h, size_t n)
{
  unsigned char pe[6];
  uint32_t at;

  if (n < 64 || h[0] != 'M' || h[1] != 'Z')
    return NULL;
  at = le32 (h + 0x3c);
  if (pread (fd, pe, sizeof pe, (off_t) at) != (ssize_t) sizeof pe ||
      memcmp (pe, "PE\0\0", 4) != 0)
    return NULL;
  switch (le16 (pe + 4)) {
  case 0x014c: return "i386";
  case 0x8664: return "x86_64";
  case 0xaa64: return "aarch64";
  case 0x01c0: case 0x01c2: case 0x01c4: return "arm";
  case 0x0200: return "ia64";
  default: return NULL;
  }
}

/* The first member of an initramfs that is an ELF binary of a known
 * architecture gives it. */
static int
initrd_member_arch (void *opaque, const char *name, uint32_t mode,
                    uint64_t size, struct initrd *r)
{
  const char **arch = opaque;
  unsigned char h[64];
  ssize_t n;

  (void) name;
  if ((mode & 0170000) != 0100000 || size < 20)
    return 0;
  n = initrd_read (r, h, sizeof h);
  if (n == -1)
    return -1;
  *arch = elf_arch (h, (size_t) n);
  return *arch ? 1 : 0;
}

char *
do_file_architecture (const char *filename)
{
  CLEANUP_CLOSE int fd = sysroot_open_regular_or_reply (filename, 0, NULL);
  unsigned char h[64];
  const char *arch;
  ssize_t n;

  if (fd == -1)
    return NULL;
  n = pread (fd, h, sizeof h, 0);
  if (n == -1) {
    reply_with_perror ("%s", filename);
    return NULL;
  }
  arch = elf_arch (h, (size_t) n);
  if (arch == NULL)
    arch = pe_arch (fd, h, (size_t) n);
  if (arch == NULL && initrd_walk (fd, initrd_member_arch, &arch) == -1 &&
      errno == ENOTSUP) {
    reply_with_error_errno (ENOTSUP, "%s: a compressed initramfs whose "
                            "decompressor is not in this appliance",
                            filename);
    return NULL;
  }
  if (arch == NULL) {
    reply_with_error_errno (EINVAL, "%s: not a binary of a known "
                            "architecture (ELF, PE or an initramfs)",
                            filename);
    return NULL;
  }
  return strdup (arch);
}

int
optgroup_file_available (void)
{
  return program_available ("file");
}
