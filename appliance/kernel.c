/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: the appliance kernel.  Picks the host kernel
 * (/boot/vmlinuz-*), reads its release from the bzImage header, and
 * extracts the uncompressed ELF vmlinux from it, which qemu boots
 * directly through the PVH entry point (skipping the in-guest
 * decompressor, ~6 s under TCG).
 */

#include "make-appliance.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>


#define KERNEL_PACKAGE "linux-image-amd64"
#define NO_KERNEL \
  _("no kernel found in /boot (install the Debian package linux-image-amd64)")
#define XEN_ELFNOTE_PHYS32_ENTRY 18

static bool
has_modules (const char *release)
{
  CLEANUP_FREE char *dep = xasprintf ("/lib/modules/%s/modules.dep", release);

  return access (dep, R_OK) == 0;
}

char *
kernel_find_default (void)
{
  DIR *dir = opendir ("/boot");
  CLEANUP_FREE char *best = NULL, *unreadable = NULL;
  struct dirent *d;

  if (dir == NULL) {
    error_set ("kernel", "%s", NO_KERNEL);
    return NULL;
  }
  while ((d = readdir (dir)) != NULL) {
    const char *rel = d->d_name + strlen ("vmlinuz-");
    if (strncmp (d->d_name, "vmlinuz-", 8) != 0 || *rel == '\0' ||
        !has_modules (rel))
      continue;
    CLEANUP_FREE char *path = xasprintf ("/boot/%s", d->d_name);
    if (faccessat (AT_FDCWD, path, R_OK, AT_EACCESS) == -1) {
      free (unreadable);
      unreadable = xstrdup (path);
    }
    else if (best == NULL || strverscmp (best + 14, rel) < 0) {
      free (best);
      best = TAKE_PTR (path);
    }
  }
  closedir (dir);
  if (best == NULL && unreadable)
    error_set (unreadable, _("not readable by this user, and no other kernel "
                             "in /boot is (make it readable, or install the "
                             "Debian package %s)"), KERNEL_PACKAGE);
  else if (best == NULL)
    error_set ("kernel", "%s", NO_KERNEL);
  return TAKE_PTR (best);
}

static bool
release_ok (const char *s)
{
  if (*s == '\0')
    return false;
  for (; *s; ++s)
    if (*s <= ' ' || *s > '~' || *s == '/')
      return false;
  return true;
}

/* The x86 boot protocol header points at a "RELEASE (builder) #1 ..."
 * string; fall back to the file name vmlinuz-RELEASE.
 */
char *
kernel_release (const char *kernel)
{
  CLEANUP_CLOSE int fd = open (kernel, O_RDONLY | O_CLOEXEC);
  uint8_t hdr[0x210];
  char buf[128] = "";
  const char *base = strrchr (kernel, '/');

  if (fd == -1) {
    error_set_errno (kernel, errno);
    return NULL;
  }
  if (pread (fd, hdr, sizeof hdr, 0) == sizeof hdr &&
      memcmp (hdr + 0x202, "HdrS", 4) == 0) {
    unsigned off = (hdr[0x20E] | hdr[0x20F] << 8) + 0x200;
    if (pread (fd, buf, sizeof buf - 1, off) > 0) {
      buf[sizeof buf - 1] = '\0';
      buf[strcspn (buf, " ")] = '\0';
    }
  }
  else {
    error_set (kernel, _("not a Linux bzImage kernel"));
    return NULL;
  }
  if (release_ok (buf))
    return xstrdup (buf);
  base = base ? base + 1 : kernel;
  if (strncmp (base, "vmlinuz-", 8) == 0 && release_ok (base + 8))
    return xstrdup (base + 8);
  error_set (kernel, _("cannot tell the kernel release"));
  return NULL;
}

struct format {
  const char *magic;
  size_t len;
  const char *argv[4];
  const char *package;
};

static const struct format formats[] = {
  { "\xFD" "7zXZ\0", 6, { "xz", "-dc", "--single-stream", NULL }, "xz-utils" },
  { "\x28\xB5\x2F\xFD", 4, { "zstd", "-dcq", NULL }, "zstd" },
  { "\x1F\x8B\x08", 3, { "gzip", "-dc", NULL }, "gzip" },
  { "\x02\x21\x4C\x18", 4, { "lz4", "-dc", NULL }, "lz4" },
};
#define NR_FORMATS (sizeof formats / sizeof formats[0])

static const struct format *
format_at (const uint8_t *data, size_t size, size_t off)
{
  for (size_t i = 0; i < NR_FORMATS; ++i)
    if (off <= size && formats[i].len <= size - off &&
        memcmp (data + off, formats[i].magic, formats[i].len) == 0)
      return &formats[i];
  return NULL;
}

/* The header's payload_offset (boot protocol 2.08+), else the first
 * known compression magic.
 */
static const struct format *
find_payload (const uint8_t *data, size_t size, size_t *off)
{
  const struct format *f;

  if (size > 0x250 && memcmp (data + 0x202, "HdrS", 4) == 0 &&
      (data[0x206] | data[0x207] << 8) >= 0x208) {
    size_t setup = data[0x1F1] ? data[0x1F1] : 4;
    uint32_t poff;
    memcpy (&poff, data + 0x248, 4);
    *off = (setup + 1) * 512 + (size_t) poff;
    if ((f = format_at (data, size, *off)) != NULL)
      return f;
  }
  for (size_t i = 0; i < NR_FORMATS; ++i) {
    const uint8_t *p = memmem (data, size, formats[i].magic, formats[i].len);
    if (p) {
      *off = p - data;
      return &formats[i];
    }
  }
  return NULL;
}

pid_t
kernel_extract_start (const char *kernel, int out_fd)
{
  CLEANUP_CLOSE int fd = open (kernel, O_RDONLY | O_CLOEXEC);
  const struct format *f;
  struct stat st;
  size_t off = 0;
  void *data;

  if (fd == -1 || fstat (fd, &st) == -1) {
    error_set_errno (kernel, errno);
    return -1;
  }
  if (st.st_size < 0x1000) {
    error_set (kernel, _("not a Linux bzImage kernel"));
    return -1;
  }
  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) {
    error_set_errno (kernel, errno);
    return -1;
  }
  f = find_payload (data, st.st_size, &off);
  munmap (data, st.st_size);
  if (f == NULL) {
    error_set (kernel, _("no compressed kernel found inside (not a bzImage?)"));
    return -1;
  }
  verbose_msg ("kernel payload at offset %zu, decompressing with %s",
               off, f->argv[0]);
  if (lseek (fd, off, SEEK_SET) == -1) {
    error_set_errno (kernel, errno);
    return -1;
  }
  return spawn (f->argv, fd, out_fd, f->package);
}

/* qemu boots an ELF kernel only through the PVH entry note. */
static bool
has_pvh_note (const uint8_t *data, size_t size, const Elf64_Phdr *ph)
{
  uint64_t off = ph->p_offset, end;

  if (off > size || ph->p_filesz > size - off)
    return false;
  end = off + ph->p_filesz;
  while (end - off >= sizeof (Elf64_Nhdr)) {
    Elf64_Nhdr n;
    memcpy (&n, data + off, sizeof n);
    uint64_t name = off + sizeof n;
    uint64_t desc = name + ((n.n_namesz + 3ULL) & ~3ULL);
    uint64_t next = desc + ((n.n_descsz + 3ULL) & ~3ULL);
    if (next > end)
      return false;
    if (n.n_type == XEN_ELFNOTE_PHYS32_ENTRY && n.n_namesz == 4 &&
        memcmp (data + name, "Xen", 4) == 0)
      return true;
    off = next;
  }
  return false;
}

static int
check_elf_data (const uint8_t *data, size_t size, const char *path)
{
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *) data;
  bool pvh = false;
  size_t loads = 0;

  if (size < sizeof *eh || memcmp (eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_phentsize != sizeof (Elf64_Phdr) || eh->e_phoff > size ||
      (uint64_t) eh->e_phnum * sizeof (Elf64_Phdr) > size - eh->e_phoff) {
    error_set (path, _("the decompressed kernel is not an ELF file"));
    return -1;
  }
  for (size_t i = 0; i < eh->e_phnum; ++i) {
    Elf64_Phdr ph;
    memcpy (&ph, data + eh->e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD && (ph.p_offset > size ||
                                 ph.p_filesz > size - ph.p_offset)) {
      error_set (path, _("the decompressed kernel is truncated"));
      return -1;
    }
    loads += ph.p_type == PT_LOAD;
    pvh = pvh || (ph.p_type == PT_NOTE && has_pvh_note (data, size, &ph));
  }
  if (loads == 0 || !pvh) {
    error_set (path, _("the kernel has no PVH entry point (CONFIG_PVH), "
                       "so it cannot be booted uncompressed"));
    return -1;
  }
  return 0;
}

int
kernel_check_elf (const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  void *data;
  int r;

  if (fd == -1 || fstat (fd, &st) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  if (st.st_size == 0) {
    error_set (path, _("the decompressed kernel is empty"));
    return -1;
  }
  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) {
    error_set_errno (path, errno);
    return -1;
  }
  r = check_elf_data (data, st.st_size, path);
  munmap (data, st.st_size);
  return r;
}

/* Where the data of a segment really ends: past it, only zeroes. */
static uint64_t
nonzero_size (const uint8_t *seg, uint64_t size)
{
  while (size >= 8) {
    uint64_t word;
    memcpy (&word, seg + size - 8, 8);
    if (word != 0)
      break;
    size -= 8;
  }
  while (size > 0 && seg[size - 1] == 0)
    size--;
  return size;
}

int
kernel_trim_segments (const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDWR | O_CLOEXEC);
  const Elf64_Ehdr *eh;
  struct stat st;
  uint8_t *data;
  size_t trimmed = 0;
  int r = 0;

  if (fd == -1 || fstat (fd, &st) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) {
    error_set_errno (path, errno);
    return -1;
  }
  /* kernel_check_elf () has checked the headers and segment bounds. */
  eh = (const Elf64_Ehdr *) data;
  for (size_t i = 0; r == 0 && i < eh->e_phnum; ++i) {
    uint64_t off = eh->e_phoff + i * sizeof (Elf64_Phdr);
    Elf64_Phdr ph;
    memcpy (&ph, data + off, sizeof ph);
    if (ph.p_type != PT_LOAD)
      continue;
    uint64_t size = nonzero_size (data + ph.p_offset, ph.p_filesz);
    if (size == ph.p_filesz)
      continue;
    trimmed += ph.p_filesz - size;
    ph.p_filesz = size;
    if (pwrite (fd, &ph, sizeof ph, off) != (ssize_t) sizeof ph) {
      error_set_errno (path, errno ? errno : EIO);
      r = -1;
    }
  }
  munmap (data, st.st_size);
  if (trimmed)
    verbose_msg ("%zu zero bytes at the end of kernel segments left to the "
                 "loader", trimmed);
  return r;
}
