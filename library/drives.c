/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Drives and their overlays: the product's core promise.  Every drive is
 * attached through a qcow2 overlay backed by the user's image; at
 * shutdown the overlay is discarded, kept as the caller's output, or
 * committed into the source, and only then. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "full-rw.h"
#include "impl-gen.h"
#include "remote.h"
#include "source.h"

/* qemu locks bytes 100 + n of an image for each permission n it holds
 * (1: write) and 200 + n for each it refuses to share (OFD locks, see
 * qemu's block/file-posix.c).  A drive written in place conflicts with
 * any of them; any drive conflicts with a writer. */
#define QEMU_LOCK_PERM_BASE 100
#define QEMU_LOCK_WRITE (QEMU_LOCK_PERM_BASE + 1)
#define QEMU_LOCK_END 300

static void free_drive (struct drive *d);

static int
check_lock (drydock_h *h, const char *filename, int fd, int direct)
{
  struct flock fl = {
    .l_type = F_WRLCK, .l_whence = SEEK_SET,
    .l_start = direct ? QEMU_LOCK_PERM_BASE : QEMU_LOCK_WRITE,
    .l_len = direct ? QEMU_LOCK_END - QEMU_LOCK_PERM_BASE : 1,
  };

  if (fcntl (fd, F_OFD_GETLK, &fl) == -1 || fl.l_type == F_UNLCK)
    return 0;
  drydock_int_error_errno (h, EBUSY, "add_drive: %s: the image is in use: "
                           "another process (a running VM, qemu-img or "
                           "qemu-nbd?) holds qemu's lock on it", filename);
  return -1;
}

/* Root may write a file whose mode says read-only; a tool writing in
 * place must not. */
static int
check_writable (drydock_h *h, const char *filename, const struct stat *st,
                const char *why)
{
  if (access (filename, W_OK) == -1) {
    drydock_int_perror (h, "add_drive: %s: %s", filename, why);
    return -1;
  }
  if (S_ISREG (st->st_mode) && (st->st_mode & 0222) == 0) {
    drydock_int_error_errno (h, EACCES, "add_drive: %s: %s: the file is "
                             "read-only (mode %04o)", filename, why,
                             (unsigned) (st->st_mode & 07777));
    return -1;
  }
  return 0;
}

/* Formats qemu cannot write in place: no commit into them, no direct
 * drive.  qemu's LUKS is handed to the appliance as the raw container
 * (opened there with a key like any LUKS volume), so it is not written
 * through qemu either. */
static const char *
unwritable_reason (const char *format, const struct imginfo_link *l)
{
  if (strcmp (format, "dmg") == 0)
    return "qemu cannot write dmg images";
  if (strcmp (format, "luks") == 0)
    return "a qemu LUKS image is read as its raw container";
  if (l && l->stream_optimized)
    return "a streamOptimized vmdk can only be written sequentially";
  return NULL;
}

static int
refuse_write (drydock_h *h, const char *filename, const struct drive *d,
              const char *why)
{
  if (why == NULL || (!d->commit && !d->direct))
    return 0;
  drydock_int_error_errno (h, EROFS, "add_drive: %s: cannot %s: %s",
                           filename, d->commit ? "commit into it" :
                           "write it in place (direct)", why);
  return -1;
}

/* An image read from inside another file or from the network may not
 * name a backing file: its header would make qemu read any host file
 * (or any URI) into the guest's view. */
static int
refuse_chain (drydock_h *h, const char *name, const struct imginfo *info)
{
  if (info->n <= 1 && info->links[0].backing == NULL)
    return 0;
  drydock_int_error_errno (h, EPERM, "add_drive: %s: names a backing file "
                           "('%s'), which an image inside an OVA, a byte "
                           "range or a remote image may not", name,
                           info->links[0].backing ? info->links[0].backing :
                           "?");
  return -1;
}

/* Appends a copy of the template with its source. */
static int
push_drive (drydock_h *h, const struct drive *t, const char *filename,
            const char *format, const char *backing, const char *backing_format)
{
  struct drive d = *t, *v;

  d.filename = strdup (filename);
  d.format = strdup (format);
  d.backing = strdup (backing);
  d.backing_format = strdup (backing_format);
  d.output_overlay = t->output_overlay ? strdup (t->output_overlay) : NULL;
  d.label = t->label ? strdup (t->label) : NULL;
  d.overlay_lock = -1;
  v = d.filename && d.format && d.backing && d.backing_format &&
    (d.output_overlay || !t->output_overlay) && (d.label || !t->label) ?
    realloc (h->drives, (h->n_drives + 1) * sizeof *v) : NULL;
  if (v == NULL) {
    drydock_int_perror (h, "add_drive: %s", filename);
    free_drive (&d);
    return -1;
  }
  h->drives = v;
  h->drives[h->n_drives++] = d;
  return 0;
}

/* The format of the image at spec: probed (a raw probe warned about),
 * or the given one, which qemu must be able to open as such; a mismatch
 * names both.  *info is filled in (the caller frees it). */
static int
resolve_format (drydock_h *h, const char *name, const char *spec,
                int timeout_s, const char **format, struct imginfo *info)
{
  if (*format == NULL) {
    if (drydock_int_source_info (h, name, spec, NULL, timeout_s, info) == -1)
      return -1;
    *format = info->links[0].format;
    if (strcmp (*format, "raw") == 0)
      drydock_int_warning (h, "%s: format not given, assuming raw (pass "
                           "format raw to silence this; never let an "
                           "untrusted image choose its own format)", name);
    else
      drydock_int_debug (h, "%s: format probed: %s", name, *format);
    return 0;
  }
  if (drydock_int_source_info (h, name, spec, *format, timeout_s, info) == 0)
    return 0;
  /* A server that could not be reached is not worth a second try. */
  if (drydock_last_errno (h) == ETIMEDOUT || drydock_last_errno (h) == ENOTSUP ||
      (timeout_s > 0 && drydock_int_remote_unreached (drydock_last_error (h))))
    return -1;
  {
    struct imginfo probed;
    CLEANUP_FREE char *why = strdup (drydock_last_error (h));

    if (drydock_int_source_info (h, name, spec, NULL, timeout_s, &probed) == 0) {
      if (strcmp (probed.links[0].format, *format) != 0)
        drydock_int_error_errno (h, EINVAL, "add_drive: %s: format %s was "
                                 "given but the image is %s", name, *format,
                                 probed.links[0].format);
      else
        drydock_int_error_errno (h, EINVAL, "%s", why ? why : "add_drive");
      imginfo_free (&probed);
    }
  }
  return -1;
}

static int
add_ova (drydock_h *h, const struct drive *t, const char *path, int fd,
         const struct stat *st)
{
  struct ova_disk *disks;
  size_t n;
  int r = 0;

  if (refuse_write (h, path, t, "an OVA is read in place") == -1)
    return -1;
  if (drydock_int_ova_disks (h, path, fd, st->st_size, &disks, &n) == -1)
    return -1;
  if ((t->output_overlay || t->label) && n > 1) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: %s needs a single "
                             "disk, the OVA holds %zu", path,
                             t->label ? "label" : "output_overlay", n);
    r = -1;
  }
  for (size_t i = 0; r == 0 && i < n; ++i) {
    unsigned char magic[4] = "";
    const char *format = "raw";
    CLEANUP_FREE char *spec = NULL, *name = NULL;
    struct imginfo info;
    int64_t size;

    if (pread (fd, magic, 4, disks[i].offset) == 4) {
      if (memcmp (magic, "KDMV", 4) == 0)
        format = "vmdk";
      else if (memcmp (magic, "QFI\xfb", 4) == 0)
        format = "qcow2";
    }
    /* qemu's raw driver takes whole sectors: a member's tail is padded
     * to 512 bytes in the tar, and the padding is read as well. */
    size = (disks[i].size + 511) / 512 * 512;
    if (size > st->st_size - disks[i].offset)
      size = disks[i].size;
    spec = drydock_int_source_slice_spec (path, disks[i].offset, size, format);
    if (spec == NULL || asprintf (&name, "%s/%s", path, disks[i].name) == -1) {
      drydock_int_perror (h, "add_drive: %s", path);
      r = -1;
      break;
    }
    r = drydock_int_source_info (h, name, spec, format, 0, &info);
    if (r == 0 && ((r = refuse_chain (h, name, &info)) == -1 ||
                   (r = drydock_int_image_check (h, name, spec, format)) == -1))
      imginfo_free (&info);
    else if (r == 0) {
      drydock_int_debug (h, "%s: %s at byte %" PRIi64 ", %" PRIi64 " bytes",
                         name, format, disks[i].offset, disks[i].size);
      r = push_drive (h, t, name, format, spec, format);
      imginfo_free (&info);
    }
  }
  ova_disks_free (disks, n);
  return r;
}

/* The bytes [offset, offset + size) of the file, read as format. */
static int
add_slice (drydock_h *h, const struct drive *t, const char *filename,
           const char *path, const struct stat *st, const char *format,
           int64_t offset, int64_t size)
{
  CLEANUP_FREE char *spec = NULL, *name = NULL;
  struct imginfo info;
  int r;

  if (format == NULL || strcmp (format, "ova") == 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset and size "
                             "need the format of the range", filename);
    return -1;
  }
  if (size < 0)
    size = st->st_size - offset;
  if (offset < 0 || size <= 0 ||
      (S_ISREG (st->st_mode) && offset > st->st_size - size)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset %" PRIi64
                             " and size %" PRIi64 " are not inside the "
                             "file (%" PRIi64 " bytes)", filename, offset,
                             size, (int64_t) st->st_size);
    return -1;
  }
  if (refuse_write (h, filename, t, "a byte range is read in place") == -1)
    return -1;
  spec = drydock_int_source_slice_spec (path, offset, size, format);
  if (spec == NULL ||
      asprintf (&name, "%s@%" PRIi64 "+%" PRIi64, path, offset, size) == -1) {
    drydock_int_perror (h, "add_drive: %s", filename);
    return -1;
  }
  if (drydock_int_source_info (h, filename, spec, format, 0, &info) == -1)
    return -1;
  r = refuse_chain (h, filename, &info);
  if (r == 0)
    r = drydock_int_image_check (h, filename, spec, format);
  if (r == 0)
    r = push_drive (h, t, name, format, spec, format);
  imginfo_free (&info);
  return r;
}

static int
add_local (drydock_h *h, const struct drive *t, const char *filename,
           const char *format, int64_t offset, int64_t size)
{
  CLEANUP_CLOSE int fd = open (filename, O_RDONLY | O_CLOEXEC);
  CLEANUP_FREE char *path = NULL;
  struct imginfo info;
  struct stat st;
  int r;

  if (fd == -1 || fstat (fd, &st) == -1) {
    drydock_int_perror (h, "add_drive: %s", filename);
    return -1;
  }
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode) && !S_ISCHR (st.st_mode)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: not a regular file or "
                             "block device", filename);
    return -1;
  }
  if (format && strcmp (format, "ova") != 0 &&
      !drydock_int_source_format_known (format)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: unknown format '%s' "
                             "(expected raw, qcow2, qcow, vmdk, vdi, vhdx, "
                             "vpc, qed, dmg, parallels, luks or ova)",
                             filename, format);
    return -1;
  }
  if (t->commit && check_writable (h, filename, &st, "cannot commit into it") == -1)
    return -1;
  if (t->direct && check_writable (h, filename, &st, "cannot write it in place") == -1)
    return -1;
  if (check_lock (h, filename, fd, t->direct) == -1)
    return -1;
  path = realpath (filename, NULL);
  if (path == NULL) {
    drydock_int_perror (h, "add_drive: %s", filename);
    return -1;
  }
  /* Before anything reads it: a commit cut short is finished first. */
  r = drydock_int_commit_recover (h, "add_drive", path, 0);
  if (r == -1)
    return -1;
  if (r == 1)
    drydock_int_warning (h, "%s: finished a commit into it that was "
                         "interrupted", filename);
  if (t->commit && drydock_int_commit_check_dir (h, path) == -1)
    return -1;
  if (t->output_overlay && strcmp (t->output_overlay, path) == 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: output_overlay %s is the "
                             "source image itself", t->output_overlay);
    return -1;
  }
  if (offset >= 0 || size >= 0)
    return add_slice (h, t, filename, path, &st, format,
                      offset < 0 ? 0 : offset, size);
  if ((format == NULL || strcmp (format, "ova") == 0) && S_ISREG (st.st_mode) &&
      ova_is_tar (fd))
    return add_ova (h, t, path, fd, &st);
  if (format && strcmp (format, "ova") == 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: not an OVA (format "
                             "ova was given but the file is no tar archive)",
                             filename);
    return -1;
  }
  if (t->untrusted &&
      drydock_int_untrusted_check (h, filename, path, format) == -1)
    return -1;
  /* A raw image given as raw needs no look by qemu: that is the cheap,
   * safe way, and the one that reads anything as a plain disk. */
  if (format && strcmp (format, "raw") == 0)
    return push_drive (h, t, path, "raw", path, "raw");
  if (resolve_format (h, filename, path, 0, &format, &info) == -1)
    return -1;
  drydock_int_warn_backing (h, filename, path, &info);
  r = refuse_write (h, filename, t, unwritable_reason (format, &info.links[0]));
  if (r == 0)
    r = drydock_int_image_check (h, filename, path, format);
  if (r == 0)
    r = push_drive (h, t, path, format, path,
                    strcmp (format, "luks") == 0 ? "raw" : format);
  imginfo_free (&info);
  return r;
}

/* A remote image: read only, unless a commit into a protocol that
 * can be written was asked for twice (commit and remote_commit). */
static int
add_remote (drydock_h *h, const struct drive *t, const char *filename,
            const char *format, const struct remote_opts *o,
            int remote_commit)
{
  struct remote rem;
  struct imginfo info;
  struct drive rt = *t;
  int r = -1;

  rt.remote = 1;
  if (drydock_int_remote_resolve (h, filename, o, &rem) == -1)
    return -1;
  if (t->direct)
    r = refuse_write (h, rem.uri, t, "a remote image is only read");
  else if (t->commit && !rem.writable)
    r = refuse_write (h, rem.uri, t, "a remote image is only read (a "
                      "commit is for NBD exports)");
  else if (t->commit && !remote_commit)
    drydock_int_error_errno (h, EROFS, "add_drive: %s: cannot commit into "
                             "it: a remote image is only read unless "
                             "remote_commit is set too", rem.uri);
  else if (t->output_overlay && rem.has_secret)
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: output_overlay "
                             "would record the secret in its backing file "
                             "name", rem.uri);
  else if (remote_commit && !t->commit)
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: remote_commit goes "
                             "with commit", rem.uri);
  else if (format && !drydock_int_source_format_known (format))
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: unknown format '%s'",
                             rem.uri, format);
  else
    r = 0;
  if (r == 0 &&
      (r = resolve_format (h, rem.uri, rem.spec, rem.timeout, &format,
                           &info)) == 0) {
    r = refuse_chain (h, rem.uri, &info);
    if (r == 0 && t->commit)
      r = refuse_write (h, rem.uri, t, unwritable_reason (format,
                                                          &info.links[0]));
    if (r == 0)
      r = push_drive (h, &rt, rem.uri, format, rem.spec,
                      strcmp (format, "luks") == 0 ? "raw" : format);
    imginfo_free (&info);
  }
  drydock_int_remote_free (&rem);
  return r;
}

/* What qemu's qcow2 takes: a power of two from 512 B to 2 MiB. */
#define MIN_CLUSTER_SIZE 512
#define MAX_CLUSTER_SIZE (2 * 1024 * 1024)

static int
check_cluster_size (drydock_h *h, const char *filename, int size, int direct)
{
  if (direct) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: cluster_size is "
                             "the overlay's: direct has none", filename);
    return -1;
  }
  if (size < MIN_CLUSTER_SIZE || size > MAX_CLUSTER_SIZE ||
      (size & (size - 1)) != 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: cluster_size %d: "
                             "expected a power of two from %d to %d (2 MiB)",
                             filename, size, MIN_CLUSTER_SIZE,
                             MAX_CLUSTER_SIZE);
    return -1;
  }
  return 0;
}

#define OPT(o, NAME) ((o)->bitmask & DRYDOCK_ADD_DRIVE_OPTS_##NAME##_BITMASK)

/* The optional arguments that shape the drive in the appliance:
 * iface and name are checked and have no effect (see add_drive's
 * documentation). */
static int
appliance_args (drydock_h *h, const char *filename,
                const struct drydock_add_drive_opts_argv *o, struct drive *t)
{
  static const char *const ifaces[] = { "virtio", "ide", "scsi",
                                        "virtio-scsi", NULL };
  int ok = 1;

  if (OPT (o, IFACE)) {
    ok = 0;
    for (size_t i = 0; ifaces[i]; ++i)
      ok |= strcmp (o->iface, ifaces[i]) == 0;
    if (!ok) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: iface '%s': "
                               "expected virtio, ide, scsi or virtio-scsi",
                               filename, o->iface);
      return -1;
    }
  }
  if (OPT (o, LABEL)) {
    size_t n = strlen (o->label);

    if (n == 0 || n > 20 || strspn (o->label, "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: label '%s': "
                               "expected 1 to 20 letters", filename, o->label);
      return -1;
    }
    for (size_t i = 0; i < h->n_drives; ++i)
      if (h->drives[i].label && strcmp (h->drives[i].label, o->label) == 0) {
        drydock_int_error_errno (h, EINVAL, "add_drive: %s: label '%s' is "
                                 "already drive %zu's", filename, o->label, i);
        return -1;
      }
    t->label = (char *) o->label;
  }
  if (OPT (o, CACHEMODE)) {
    if (strcmp (o->cachemode, "writeback") == 0)
      t->cache = DRIVE_CACHE_WRITEBACK;
    else if (strcmp (o->cachemode, "unsafe") == 0)
      t->cache = DRIVE_CACHE_UNSAFE;
    else {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: cachemode '%s': "
                               "expected writeback or unsafe", filename,
                               o->cachemode);
      return -1;
    }
  }
  if (OPT (o, DISCARD)) {
    if (strcmp (o->discard, "disable") == 0)
      t->discard_ignore = 1;
    else if (strcmp (o->discard, "enable") != 0 &&
             strcmp (o->discard, "besteffort") != 0) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: discard '%s': "
                               "expected disable, enable or besteffort",
                               filename, o->discard);
      return -1;
    }
  }
  t->copyonread = OPT (o, COPYONREAD) && o->copyonread;
  if (t->copyonread && t->direct) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: copyonread copies "
                             "into the overlay: direct has none", filename);
    return -1;
  }
  t->blocksize = OPT (o, BLOCKSIZE) ? o->blocksize : 512;
  if (t->blocksize != 512 && t->blocksize != 4096) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: blocksize %d: "
                             "expected 512 or 4096", filename, t->blocksize);
    return -1;
  }
  return 0;
}

/* The overlay policy's optional arguments into *t. */
static int
policy_args (drydock_h *h, const char *filename,
             const struct drydock_add_drive_opts_argv *o, struct drive *t,
             char **kept)
{
  const char *keep = OPT (o, OUTPUT_OVERLAY) ? o->output_overlay : NULL;

  t->readonly = OPT (o, READONLY) && o->readonly;
  t->commit = OPT (o, COMMIT) && o->commit;
  t->direct = OPT (o, DIRECT) && o->direct;
  t->cluster_size = OPT (o, CLUSTER_SIZE) ? o->cluster_size : 0;
  t->untrusted = h->untrusted || (OPT (o, UNTRUSTED) && o->untrusted);
  if (OPT (o, CLUSTER_SIZE) &&
      check_cluster_size (h, filename, t->cluster_size, t->direct) == -1)
    return -1;
  if (t->commit && (t->readonly || keep)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: commit excludes "
                             "readonly and output_overlay", filename);
    return -1;
  }
  if (t->direct && (t->readonly || t->commit || keep)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: direct excludes "
                             "readonly, commit and output_overlay", filename);
    return -1;
  }
  if (keep) {
    CLEANUP_FREE char *dir = strdup (keep);
    char *slash = dir ? strrchr (dir, '/') : NULL;
    CLEANUP_FREE char *rdir = NULL;

    if (slash)
      *slash = '\0';
    rdir = dir ? realpath (slash ? (*dir ? dir : "/") : ".", NULL) : NULL;
    if (rdir == NULL ||
        asprintf (kept, "%s/%s", rdir, slash ? slash + 1 : keep) == -1) {
      *kept = NULL;
      drydock_int_perror (h, "add_drive: output_overlay %s", keep);
      return -1;
    }
    t->output_overlay = *kept;
  }
  return 0;
}

int
drydock_impl_add_drive (drydock_h *h, const char *filename,
                        const struct drydock_add_drive_opts_argv *o)
{
  const char *format = OPT (o, FORMAT) ? o->format : NULL;
  struct drive t = { .cache = DRIVE_CACHE_DEFAULT };
  int64_t offset = OPT (o, OFFSET) ? o->offset : -1;
  int64_t size = OPT (o, SIZE) ? o->size : -1;
  struct remote_opts ro = {
    .protocol = OPT (o, PROTOCOL) ? o->protocol : NULL,
    .server = OPT (o, SERVER) ? o->server : NULL,
    .username = OPT (o, USERNAME) ? o->username : NULL,
    .secret = OPT (o, SECRET) ? o->secret : NULL,
    .sslverify = OPT (o, SSLVERIFY) ? o->sslverify != 0 : -1,
    .cookie = OPT (o, COOKIE) ? o->cookie : NULL,
    .readahead = OPT (o, READAHEAD) ? o->readahead : -1,
    .timeout = OPT (o, TIMEOUT) ? o->timeout : -1,
  };
  int remote_commit = OPT (o, REMOTE_COMMIT) && o->remote_commit;
  CLEANUP_FREE char *kept = NULL;

  if (policy_args (h, filename, o, &t, &kept) == -1 ||
      appliance_args (h, filename, o, &t) == -1)
    return -1;
  if ((offset != -1 && offset < 0) || (size != -1 && size <= 0)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset must be 0 "
                             "or more and size more than 0", filename);
    return -1;
  }
  if (t.untrusted && drydock_int_remote_has_protocol (&ro)) {
    drydock_int_error_errno (h, EPERM, "add_drive: %s: untrusted image: a "
                             "protocol's export is not a local file", filename);
    return -1;
  }
  if (t.untrusted && drydock_int_untrusted_name (h, filename) == -1)
    return -1;
  if (drydock_int_remote_has_protocol (&ro) ||
      drydock_int_remote_is_uri (filename)) {
    if (offset >= 0 || size >= 0) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset and size "
                               "are for local files", filename);
      return -1;
    }
    return add_remote (h, &t, filename, format, &ro, remote_commit);
  }
  if (ro.server || ro.username || ro.secret || ro.sslverify != -1 ||
      ro.cookie || ro.readahead != -1 || ro.timeout != -1 || remote_commit) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: server, username, "
                             "secret, sslverify, cookie, readahead, timeout "
                             "and remote_commit are for remote images",
                             filename);
    return -1;
  }
  return add_local (h, &t, filename, format, offset, size);
}

int
drydock_impl_add_drive_ro (drydock_h *h, const char *filename)
{
  struct drydock_add_drive_opts_argv o = {
    .bitmask = DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK, .readonly = 1,
  };

  return drydock_impl_add_drive (h, filename, &o);
}

/* The overlay of a kept drive lives beside its final name, so the final
 * rename cannot cross filesystems; a commit drive's beside its source
 * (commit.c).  NULL with the error set. */
static char *
overlay_path (drydock_h *h, size_t i)
{
  char *p = NULL;
  struct drive *d = &h->drives[i];

  if (d->commit && !d->remote)
    return drydock_int_commit_overlay (h, d->filename, &d->overlay_lock);
  if (d->output_overlay)
    asprintf (&p, "%s.drydock-tmp-%d", d->output_overlay, (int) getpid ());
  else
    asprintf (&p, "%s/overlay%zu.qcow2", h->tmpdir, i);
  if (p == NULL)
    drydock_int_perror (h, "launch");
  else
    drydock_int_reaper_add (h, p);
  return p;
}

int
drydock_int_create_overlays (drydock_h *h)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    struct drive *d = &h->drives[i];
    CLEANUP_FREE char *err = NULL;
    char cluster[32] = "";
    int r;

    if (d->direct) {
      if (strchr (d->filename, ',')) {
        drydock_int_error_errno (h, EINVAL, "launch: %s: a comma in an image "
                                 "path is not supported", d->filename);
        return -1;
      }
      drydock_int_debug (h, "drive %zu: %s attached directly, without an "
                         "overlay", i, d->filename);
      continue;
    }
    d->overlay = overlay_path (h, i);
    /* Without cluster_size, qemu-img's default.  The backing file and
     * its format go through -b and -F, where qemu takes a comma, a URI
     * or a json: specification as it is. */
    snprintf (cluster, sizeof cluster, "cluster_size=%d", d->cluster_size);
    if (d->overlay == NULL)
      return -1;
    {
      char *argv[12];
      size_t n = 0;

      argv[n++] = (char *) drydock_int_qemu_img ();
      argv[n++] = (char *) "create";
      argv[n++] = (char *) "-q";
      argv[n++] = (char *) "-f";
      argv[n++] = (char *) "qcow2";
      argv[n++] = (char *) "-b";
      argv[n++] = d->backing;
      argv[n++] = (char *) "-F";
      argv[n++] = d->backing_format;
      if (d->cluster_size) {
        argv[n++] = (char *) "-o";
        argv[n++] = cluster;
      }
      argv[n++] = d->overlay;
      argv[n] = NULL;
      r = drydock_int_run (h, argv, NULL, &err);
    }
    if (r != 0) {
      if (err)
        err[strcspn (err, "\n")] = '\0';
      drydock_int_error_errno (h, r == -1 ? errno : EIO, "launch: %s: cannot "
                               "create overlay: %s", d->filename,
                               err && *err ? err : "qemu-img failed");
      return -1;
    }
  }
  return 0;
}

/* A local image: the roll-forward commit (commit.c).  A remote NBD
 * export (remote_commit): qemu-img commit straight into it, which no
 * journal can make atomic; the docs say so. */
static int
commit_drive (drydock_h *h, struct drive *d)
{
  if (d->remote) {
    CLEANUP_FREE char *err = NULL;
    char *const argv[] = { (char *) drydock_int_qemu_img (), "commit", "-q",
                           "-f", "qcow2", d->overlay, NULL };
    int r = drydock_int_run_flags (h, argv, NULL, &err, RUN_SURVIVE_CALLER);

    if (r != 0) {
      if (err)
        err[strcspn (err, "\n")] = '\0';
      drydock_int_error_errno (h, EIO, "shutdown: %s: commit failed: %s",
                               d->filename,
                               err && *err ? err : "qemu-img failed");
      return -1;
    }
  }
  else if (drydock_int_commit (h, d->filename, d->overlay) == -1)
    return -1;
  free (d->overlay);
  d->overlay = NULL;
  return 0;
}

/* The kept overlay gets its name only once its bytes are on disk, and
 * the name itself is synced: a crash leaves the old file or the whole
 * new one. */
static int
keep_drive (drydock_h *h, struct drive *d)
{
  if (fsync_path (d->overlay) == -1 ||
      rename (d->overlay, d->output_overlay) == -1) {
    drydock_int_perror (h, "shutdown: %s", d->output_overlay);
    return -1;
  }
  free (d->overlay);
  d->overlay = NULL;
  if (fsync_dir_of (d->output_overlay) == -1) {
    drydock_int_perror (h, "shutdown: %s", d->output_overlay);
    return -1;
  }
  return 0;
}

int
drydock_int_settle_overlays (drydock_h *h)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    struct drive *d = &h->drives[i];

    if (d->overlay == NULL)
      continue;
    if (d->commit && commit_drive (h, d) == -1)
      return -1;
    if (d->output_overlay && keep_drive (h, d) == -1)
      return -1;
    drydock_int_debug (h, "drive %zu: %s", i, d->commit ? "committed" :
                       d->output_overlay ? "overlay kept" : "overlay discarded");
  }
  return 0;
}

void
drydock_int_remove_overlays (drydock_h *h)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    if (h->drives[i].overlay)
      unlink (h->drives[i].overlay);
    free (h->drives[i].overlay);
    h->drives[i].overlay = NULL;
    if (h->drives[i].overlay_lock >= 0)
      close (h->drives[i].overlay_lock);
    h->drives[i].overlay_lock = -1;
  }
}

/* The device of drive i as the appliance names it: sda ... sdz, sdaa ... */
static void
drive_device (size_t i, char *buf, size_t len)
{
  char name[16];
  size_t n = 0;

  i++;
  while (i > 0 && n < sizeof name) {
    name[n++] = (char) ('a' + (i - 1) % 26);
    i = (i - 1) / 26;
  }
  snprintf (buf, len, "/dev/sd");
  for (size_t k = strlen (buf); n > 0 && k + 1 < len; ++k) {
    buf[k] = name[--n];
    buf[k + 1] = '\0';
  }
}

char **
drydock_impl_list_disk_labels (drydock_h *h)
{
  size_t n = 0, k = 0;
  char **r;

  for (size_t i = 0; i < h->n_drives; ++i)
    n += h->drives[i].label != NULL;
  r = calloc (2 * n + 1, sizeof *r);
  if (r == NULL) {
    drydock_int_perror (h, "list_disk_labels");
    return NULL;
  }
  for (size_t i = 0; i < h->n_drives; ++i) {
    char dev[32];

    if (h->drives[i].label == NULL)
      continue;
    drive_device (i, dev, sizeof dev);
    r[k] = strdup (h->drives[i].label);
    r[k + 1] = strdup (dev);
    if (r[k] == NULL || r[k + 1] == NULL) {
      drydock_int_perror (h, "list_disk_labels");
      for (size_t j = 0; j <= k + 1; ++j)
        free (r[j]);
      free (r);
      return NULL;
    }
    k += 2;
  }
  return r;
}

const char *
drydock_int_label_device (drydock_h *h, const char *dev, char *buf)
{
  static const char prefix[] = "/dev/disk/guestfs/";
  const char *label = dev ? dev + strlen (prefix) : NULL;
  size_t n;

  if (dev == NULL || strncmp (dev, prefix, strlen (prefix)) != 0)
    return dev;
  n = strspn (label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
  if (n == 0 || label[n + strspn (label + n, "0123456789")] != '\0')
    return dev;
  for (size_t i = 0; i < h->n_drives; ++i) {
    char disk[32];

    if (h->drives[i].label == NULL || strlen (h->drives[i].label) != n ||
        strncmp (h->drives[i].label, label, n) != 0)
      continue;
    drive_device (i, disk, sizeof disk);
    snprintf (buf, DRYDOCK_LABEL_DEVICE_MAX, "%s%s", disk, label + n);
    return buf;
  }
  return dev;
}

static void
free_drive (struct drive *d)
{
  free (d->filename);
  free (d->format);
  free (d->backing);
  free (d->backing_format);
  free (d->label);
  free (d->output_overlay);
  free (d->overlay);
}

void
drydock_int_drop_drives (drydock_h *h, size_t n)
{
  while (h->n_drives > n)
    free_drive (&h->drives[--h->n_drives]);
}

/* Below this much free space, an overlay's filesystem counts as full:
 * qemu then failed (and reported to the guest) a write of at least a
 * cluster.  A nearly full one is suspect too, which costs a refusal,
 * never a commit of an overlay that lost writes. */
#define OVERLAY_FULL_BYTES (1024 * 1024)

ssize_t
drydock_int_overlay_full (drydock_h *h, char **dir)
{
  for (size_t i = 0; i < h->n_drives; ++i) {
    const char *o = h->drives[i].overlay;
    const char *slash = o ? strrchr (o, '/') : NULL;
    CLEANUP_FREE char *d = slash ? strndup (o, (size_t) (slash - o)) : NULL;
    struct statvfs vfs;

    /* The guest's kernel said so; or the filesystem is full still (a
     * failed write may have left it with room). */
    if (d && ((i < 64 && (h->nospace & (UINT64_C (1) << i))) ||
              (statvfs (*d ? d : "/", &vfs) == 0 &&
               (uint64_t) vfs.f_bavail * vfs.f_frsize < OVERLAY_FULL_BYTES))) {
      *dir = d;
      d = NULL;
      return (ssize_t) i;
    }
  }
  return -1;
}
