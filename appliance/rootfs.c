/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: the root image, an ext4 filesystem holding
 * everything the daemon does not need to start (tools, their libraries,
 * all the modules, lvm.conf).  qemu attaches it read-only as a disk, so
 * the guest reads only the pages it uses, where an initrd would be held
 * by qemu, copied into guest RAM and unpacked into tmpfs.
 *
 * The entries are first written into a staging directory, which
 * `mke2fs -d` copies into a fresh sparse file: the one tool that makes an
 * ext4 image without root and without a loop device.  Separate from
 * cpio.c, which writes the other output format of the same entry lists.
 */

#include "make-appliance.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>


#define BLOCK_SIZE 4096
#define INODE_SIZE 256

struct stage {
  const char *dir;              /* the staging directory */
  const char *tmpdir;           /* scratch files */
  uint64_t blocks;              /* content, in BLOCK_SIZE blocks */
  uint64_t inodes;
};

static uint64_t
blocks_of (uint64_t bytes)
{
  return (bytes + BLOCK_SIZE - 1) / BLOCK_SIZE;
}

/* Host files that are one inode are staged as hard links, which
 * mke2fs keeps (the loader's two names).
 */
static int
stage_link (const struct entry_vector *v, size_t i, const char *dst,
            struct stage *s, bool *done)
{
  const struct entry *e = &v->ptr[i];

  *done = false;
  if (!entry_is_plain_file (e))
    return 0;
  for (size_t j = 0; j < i; ++j) {
    const struct entry *f = &v->ptr[j];
    if (!entry_is_plain_file (f) || f->mode != e->mode ||
        f->host_dev != e->host_dev || f->host_ino != e->host_ino)
      continue;
    CLEANUP_FREE char *src = xasprintf ("%s/%s", s->dir, f->path);
    if (link (src, dst) == -1) {
      error_set_errno (dst, errno);
      return -1;
    }
    *done = true;
    return 0;
  }
  return 0;
}

static int
stage_file (const struct entry_vector *v, size_t i, const char *dst,
            struct stage *s)
{
  const struct entry *e = &v->ptr[i];
  CLEANUP_CLOSE int in = -1, out = -1;
  uint64_t size;
  bool linked;

  if (stage_link (v, i, dst, s, &linked) == -1)
    return -1;
  if (linked)
    return 0;
  if ((in = entry_open (e, s->tmpdir, &size)) == -1)
    return -1;
  out = open (dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out == -1 || fchmod (out, e->mode) == -1) {
    error_set_errno (dst, errno);
    return -1;
  }
  if (copy_fd (in, out, size, e->source) == -1)
    return -1;
  if (close (TAKE_FD (out)) == -1) {
    error_set_errno (dst, errno);
    return -1;
  }
  s->blocks += blocks_of (size);
  s->inodes++;
  return 0;
}

static int
stage_data (const struct entry *e, const char *dst, struct stage *s)
{
  CLEANUP_CLOSE int fd = open (dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                               0600);

  if (fd == -1 || fchmod (fd, e->mode) == -1) {
    error_set_errno (dst, errno);
    return -1;
  }
  if (write_all (fd, e->data, e->data_len) == -1) {
    error_set_errno (dst, errno);
    return -1;
  }
  s->blocks += blocks_of (e->data_len);
  s->inodes++;
  return 0;
}

static int
stage_entry (const struct entry_vector *v, size_t i, struct stage *s)
{
  const struct entry *e = &v->ptr[i];
  CLEANUP_FREE char *dst = xasprintf ("%s/%s", s->dir, e->path);

  switch (e->kind) {
  case ENTRY_FILE:
    return stage_file (v, i, dst, s);
  case ENTRY_DATA:
    return stage_data (e, dst, s);
  case ENTRY_DIR:
    if (mkdir (dst, 0700) == -1 || chmod (dst, e->mode) == -1)
      break;
    /* Its own block, plus room for the entries in it. */
    s->blocks++;
    s->inodes++;
    return 0;
  case ENTRY_SYMLINK:
    if (symlink (e->data, dst) == -1)
      break;
    s->inodes++;
    return 0;
  case ENTRY_CHARDEV:
    error_set (e->path, _("internal error: device node in the root image"));
    return -1;
  }
  error_set_errno (dst, errno);
  return -1;
}

/* The content, the inode table and the fixed metadata (superblock,
 * group descriptors, bitmaps, lost+found), directory entries at up to
 * 64 bytes each, plus 10 % and 1 MiB of slack.  The file is sparse, so
 * the slack costs no disk space.
 */
static uint64_t
image_blocks (const struct stage *s, size_t nentries)
{
  uint64_t n = s->blocks + blocks_of (s->inodes * INODE_SIZE) +
    blocks_of (nentries * 64) + 64;

  return n + n / 10 + (1 << 20) / BLOCK_SIZE;
}

static const char *
mke2fs_program (void)
{
  /* sbin is often not in a user's PATH. */
  if (access ("/usr/sbin/mke2fs", X_OK) == 0)
    return "/usr/sbin/mke2fs";
  if (access ("/sbin/mke2fs", X_OK) == 0)
    return "/sbin/mke2fs";
  return "mke2fs";
}

/* No journal (read-only), no reserved blocks, no room for resize. */
static int
run_mke2fs (const char *stagedir, const char *path, uint64_t inodes)
{
  char nr_inodes[32];
  const char *argv[] = {
    mke2fs_program (), "-q", "-F", "-t", "ext4", "-b", "4096", "-I", "256",
    "-N", nr_inodes, "-m", "0", "-L", "drydock-root",
    "-O", "^has_journal,^resize_inode", "-E", "root_owner=0:0",
    "-d", stagedir, path, NULL,
  };
  CLEANUP_CLOSE int null = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t pid;

  snprintf (nr_inodes, sizeof nr_inodes, "%" PRIu64, inodes);
  if (null == -1) {
    error_set_errno ("/dev/null", errno);
    return -1;
  }
  pid = spawn (argv, null, null, "e2fsprogs");
  if (pid == -1)
    return -1;
  if (wait_child (pid, argv[0]) != 0) {
    error_set (argv[0], _("failed to make the root image %s (run with "
                          "--verbose to see its messages)"), path);
    return -1;
  }
  return 0;
}

static int
make_image (const struct stage *s, size_t nentries, const char *path)
{
  uint64_t blocks = image_blocks (s, nentries);
  CLEANUP_CLOSE int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                               0644);

  if (fd == -1 || ftruncate (fd, blocks * BLOCK_SIZE) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  /* Room for lost+found and the reserved inodes, rounded up by mke2fs. */
  if (run_mke2fs (s->dir, path, s->inodes + 32) == -1)
    return -1;
  if (fdatasync (fd) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  verbose_msg ("root image written: %zu entries, %" PRIu64 " MiB",
               nentries, blocks * BLOCK_SIZE >> 20);
  return 0;
}

int
rootfs_write_image (const struct entry_vector *entries, const char *path,
                    const char *tmpdir)
{
  CLEANUP_FREE char *dir = xasprintf ("%s/root", tmpdir);
  struct stage s = { .dir = dir, .tmpdir = tmpdir };
  int r = 0;

  if (mkdir (dir, 0755) == -1) {
    error_set_errno (dir, errno);
    return -1;
  }
  /* Sorted, so every directory comes before what is in it. */
  for (size_t i = 0; r == 0 && i < entries->len; ++i)
    r = stage_entry (entries, i, &s);
  if (r == 0)
    r = make_image (&s, entries->len, path);
  if (rm_rf (dir) == -1 && r == 0)
    r = -1;
  return r;
}
