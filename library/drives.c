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
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "source.h"

/* qemu locks bytes 100 + n of an image for each permission n it holds
 * (1: write) and 200 + n for each it refuses to share (OFD locks, see
 * qemu's block/file-posix.c).  A drive written in place conflicts with
 * any of them; any drive conflicts with a writer. */
#define QEMU_LOCK_PERM_BASE 100
#define QEMU_LOCK_WRITE (QEMU_LOCK_PERM_BASE + 1)
#define QEMU_LOCK_END 300

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
  v = d.filename && d.format && d.backing && d.backing_format &&
    (d.output_overlay || !t->output_overlay) ?
    realloc (h->drives, (h->n_drives + 1) * sizeof *v) : NULL;
  if (v == NULL) {
    drydock_int_perror (h, "add_drive: %s", filename);
    free (d.filename);
    free (d.format);
    free (d.backing);
    free (d.backing_format);
    free (d.output_overlay);
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
                const char **format, struct imginfo *info)
{
  if (*format == NULL) {
    if (drydock_int_source_info (h, name, spec, NULL, info) == -1)
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
  if (drydock_int_source_info (h, name, spec, *format, info) == 0)
    return 0;
  {
    struct imginfo probed;
    CLEANUP_FREE char *why = strdup (drydock_last_error (h));

    if (drydock_int_source_info (h, name, spec, NULL, &probed) == 0) {
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
  if (t->output_overlay && n > 1) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: output_overlay "
                             "needs a single disk, the OVA holds %zu", path, n);
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
    r = drydock_int_source_info (h, name, spec, format, &info);
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
  if (drydock_int_source_info (h, filename, spec, format, &info) == -1)
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
  if (resolve_format (h, filename, path, &format, &info) == -1)
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

static int
add_remote (drydock_h *h, const struct drive *t, const char *uri,
            const char *format)
{
  struct imginfo info;
  int r;

  if (refuse_write (h, uri, t, "a remote image is only read") == -1)
    return -1;
  if (format && !drydock_int_source_format_known (format)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: unknown format '%s'",
                             uri, format);
    return -1;
  }
  if (resolve_format (h, uri, uri, &format, &info) == -1)
    return -1;
  r = refuse_chain (h, uri, &info);
  if (r == 0)
    r = push_drive (h, t, uri, format, uri,
                    strcmp (format, "luks") == 0 ? "raw" : format);
  imginfo_free (&info);
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

int
drydock_impl_add_drive (drydock_h *h, const char *filename,
                        const struct drydock_add_drive_opts_argv *o)
{
  const char *format = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK)
    ? o->format : NULL;
  const char *keep = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK)
    ? o->output_overlay : NULL;
  struct drive t = {
    .readonly = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK) && o->readonly,
    .commit = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK) && o->commit,
    .direct = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_DIRECT_BITMASK) && o->direct,
    .cluster_size = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_CLUSTER_SIZE_BITMASK)
      ? o->cluster_size : 0,
    .untrusted = h->untrusted ||
      ((o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_UNTRUSTED_BITMASK) && o->untrusted),
  };
  int64_t offset = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_OFFSET_BITMASK)
    ? o->offset : -1;
  int64_t size = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_SIZE_BITMASK)
    ? o->size : -1;
  CLEANUP_FREE char *kept = NULL;

  if (drydock_int_check_config (h, "add_drive") == -1)
    return -1;
  if ((o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_CLUSTER_SIZE_BITMASK) &&
      check_cluster_size (h, filename, t.cluster_size, t.direct) == -1)
    return -1;
  if (t.commit && (t.readonly || keep)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: commit excludes "
                             "readonly and output_overlay", filename);
    return -1;
  }
  if (t.direct && (t.readonly || t.commit || keep)) {
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
        asprintf (&kept, "%s/%s", rdir, slash ? slash + 1 : keep) == -1) {
      kept = NULL;
      drydock_int_perror (h, "add_drive: output_overlay %s", keep);
      return -1;
    }
    t.output_overlay = kept;
  }
  if ((offset != -1 && offset < 0) || (size != -1 && size <= 0)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset must be 0 "
                             "or more and size more than 0", filename);
    return -1;
  }
  if (t.untrusted && drydock_int_untrusted_name (h, filename) == -1)
    return -1;
  if (drydock_int_source_is_remote (filename)) {
    if (offset >= 0 || size >= 0) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: offset and size "
                               "are for local files", filename);
      return -1;
    }
    return add_remote (h, &t, filename, format);
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
 * rename cannot cross filesystems. */
static char *
overlay_path (drydock_h *h, size_t i)
{
  char *p = NULL;
  struct drive *d = &h->drives[i];

  if (d->output_overlay)
    asprintf (&p, "%s.drydock-tmp-%d", d->output_overlay, (int) getpid ());
  else
    asprintf (&p, "%s/overlay%zu.qcow2", h->tmpdir, i);
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
    if (d->overlay == NULL) {
      drydock_int_perror (h, "launch");
      return -1;
    }
    drydock_int_reaper_add (h, d->overlay);
    {
      char *argv[12];
      size_t n = 0;

      argv[n++] = (char *) QEMU_IMG;
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

static int
commit_drive (drydock_h *h, struct drive *d)
{
  CLEANUP_FREE char *err = NULL;
  char *const argv[] = { (char *) QEMU_IMG, "commit", "-q", "-f", "qcow2",
                         d->overlay, NULL };
  int r = drydock_int_run_flags (h, argv, NULL, &err, RUN_SURVIVE_CALLER);

  if (r != 0) {
    if (err)
      err[strcspn (err, "\n")] = '\0';
    drydock_int_error_errno (h, EIO, "shutdown: %s: commit failed: %s",
                             d->filename, err && *err ? err : "qemu-img failed");
    return -1;
  }
  return 0;
}

static int
keep_drive (drydock_h *h, struct drive *d)
{
  int fd = open (d->overlay, O_RDONLY | O_CLOEXEC);

  if (fd >= 0) {
    fsync (fd);
    close (fd);
  }
  if (rename (d->overlay, d->output_overlay) == -1) {
    drydock_int_perror (h, "shutdown: %s", d->output_overlay);
    return -1;
  }
  free (d->overlay);
  d->overlay = NULL;
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
  }
}
