/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: writes the entry list as a newc ("070701")
 * cpio archive piped through `lz4 -l`, the legacy lz4 framing that the
 * kernel's initramfs unpacker accepts.  Host files that are the same
 * inode are stored once, as newc hard links.
 */

#include "make-appliance.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>


struct writer {
  int fd;
  uint64_t offset;              /* bytes of cpio written so far */
  size_t len;
  char buf[65536];
};

static int
flush (struct writer *w)
{
  size_t done = 0;

  while (done < w->len) {
    ssize_t r = write (w->fd, w->buf + done, w->len - done);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      error_set ("lz4", _("writing the initrd: %s"), strerror (errno));
      return -1;
    }
    done += r;
  }
  w->len = 0;
  return 0;
}

static int
put (struct writer *w, const void *data, size_t len)
{
  const char *p = data;

  while (len > 0) {
    size_t n = sizeof w->buf - w->len < len ? sizeof w->buf - w->len : len;
    memcpy (w->buf + w->len, p, n);
    w->len += n;
    w->offset += n;
    p += n;
    len -= n;
    if (w->len == sizeof w->buf && flush (w) == -1)
      return -1;
  }
  return 0;
}

static int
pad4 (struct writer *w)
{
  static const char zeroes[4];

  return put (w, zeroes, (4 - (w->offset & 3)) & 3);
}

struct header {
  const char *name;
  uint32_t ino, mode, nlink, size, rmajor, rminor;
};

static int
put_header (struct writer *w, const struct header *h)
{
  char buf[128];
  size_t namesize = strlen (h->name) + 1;

  snprintf (buf, sizeof buf,
            "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
            h->ino, h->mode, 0u, 0u, h->nlink, 0u, h->size, 0u, 0u,
            h->rmajor, h->rminor, (uint32_t) namesize, 0u);
  if (put (w, buf, 110) == -1 || put (w, h->name, namesize) == -1)
    return -1;
  return pad4 (w);
}

/* Stream a file body straight from its fd. */
static int
put_fd (struct writer *w, int fd, uint64_t size, const char *name)
{
  if (flush (w) == -1 || copy_fd (fd, w->fd, size, name) == -1)
    return -1;
  w->offset += size;
  return pad4 (w);
}

/* Index of the last entry (in archive order) that is the same host
 * inode as entry I, and how many there are; I itself if none.
 */
static size_t
link_group (const struct entry_vector *v, size_t i, uint32_t *nlink,
            size_t *first)
{
  const struct entry *e = &v->ptr[i];
  size_t last = i;

  *nlink = 1;
  *first = i;
  if (!entry_is_plain_file (e))
    return i;
  *nlink = 0;
  *first = SIZE_MAX;
  for (size_t j = 0; j < v->len; ++j) {
    const struct entry *f = &v->ptr[j];
    if (entry_is_plain_file (f) && f->mode == e->mode &&
        f->host_dev == e->host_dev && f->host_ino == e->host_ino) {
      ++*nlink;
      last = j;
      if (*first == SIZE_MAX)
        *first = j;
    }
  }
  return last;
}

static uint32_t
type_bits (enum entry_kind kind)
{
  switch (kind) {
  case ENTRY_DIR: return S_IFDIR;
  case ENTRY_SYMLINK: return S_IFLNK;
  case ENTRY_CHARDEV: return S_IFCHR;
  case ENTRY_FILE: case ENTRY_DATA: break;
  }
  return S_IFREG;
}

static int
put_file_entry (struct writer *w, const struct entry_vector *v, size_t i,
                const char *tmpdir)
{
  const struct entry *e = &v->ptr[i];
  struct header h = { .name = e->path, .mode = S_IFREG | e->mode };
  CLEANUP_CLOSE int fd = -1;
  size_t first, last = link_group (v, i, &h.nlink, &first);
  uint64_t size;

  h.ino = first + 1;
  /* Like GNU cpio, only the last link carries the data. */
  if (last != i)
    return put_header (w, &h);
  fd = entry_open (e, tmpdir, &size);
  if (fd == -1)
    return -1;
  if (size > UINT32_MAX) {
    error_set (e->source, _("file too large for a cpio archive"));
    return -1;
  }
  h.size = size;
  if (put_header (w, &h) == -1)
    return -1;
  return put_fd (w, fd, h.size, e->source);
}

static int
put_entry (struct writer *w, const struct entry_vector *v, size_t i,
           const char *tmpdir)
{
  const struct entry *e = &v->ptr[i];
  struct header h = {
    .name = e->path, .ino = i + 1, .mode = type_bits (e->kind) | e->mode,
    .nlink = e->kind == ENTRY_DIR ? 2 : 1, .size = e->data_len,
    .rmajor = e->rdev_major, .rminor = e->rdev_minor,
  };

  if (e->kind == ENTRY_FILE)
    return put_file_entry (w, v, i, tmpdir);
  if (put_header (w, &h) == -1 || put (w, e->data, e->data_len) == -1)
    return -1;
  return pad4 (w);
}

static int
put_archive (struct writer *w, const struct entry_vector *v,
             const char *tmpdir)
{
  struct header trailer = { .name = "TRAILER!!!", .nlink = 1 };

  for (size_t i = 0; i < v->len; ++i)
    if (put_entry (w, v, i, tmpdir) == -1)
      return -1;
  if (put_header (w, &trailer) == -1)
    return -1;
  return flush (w);
}

int
cpio_write_initrd (const struct entry_vector *entries, const char *path,
                   const char *tmpdir)
{
  /* Fast lz4: under TCG the guest decompresses lz4 far faster than
   * anything else, and -l is the only lz4 framing the kernel accepts.
   */
  const char *argv[] = { "lz4", "-l", "-q", "-c", NULL };
  CLEANUP_CLOSE int out = -1, pipe_r = -1;
  CLEANUP_FREE struct writer *w = xmalloc (sizeof *w);
  int fds[2], r;
  pid_t pid;

  out = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out == -1 || pipe2 (fds, O_CLOEXEC) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  pipe_r = fds[0];
  w->fd = fds[1];
  w->offset = w->len = 0;
  pid = spawn (argv, pipe_r, out, "lz4");
  if (pid == -1) {
    close (w->fd);
    return -1;
  }
  r = put_archive (w, entries, tmpdir);
  close (w->fd);
  if (wait_child (pid, "lz4") != 0 && r == 0) {
    error_set ("lz4", _("failed to compress the initrd"));
    r = -1;
  }
  if (r == 0 && fdatasync (out) == -1) {
    error_set_errno (path, errno);
    r = -1;
  }
  return r;
}
