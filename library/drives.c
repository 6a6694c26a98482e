/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Drives and their overlays: the product's core promise.  Every drive is
 * attached through a qcow2 overlay backed by the user's image; at
 * shutdown the overlay is discarded, kept as the caller's output, or
 * committed into the source, and only then. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"

static int
is_qcow2 (int fd)
{
  unsigned char magic[4];

  return pread (fd, magic, 4, 0) == 4 &&
    magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I' && magic[3] == 0xfb;
}

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

static int
check_source (drydock_h *h, const char *filename, const char **format,
              int commit, int direct)
{
  CLEANUP_CLOSE int fd = open (filename, O_RDONLY | O_CLOEXEC);
  struct stat st;
  int qcow2;

  if (fd == -1 || fstat (fd, &st) == -1) {
    drydock_int_perror (h, "add_drive: %s", filename);
    return -1;
  }
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode) && !S_ISCHR (st.st_mode)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: not a regular file or "
                             "block device", filename);
    return -1;
  }
  qcow2 = is_qcow2 (fd);
  if (*format == NULL) {
    *format = qcow2 ? "qcow2" : "raw";
    if (!qcow2)
      drydock_int_warning (h, "%s: format not given, assuming raw (pass "
                           "format raw to silence this; never let an "
                           "untrusted image choose its own format)", filename);
  }
  else if (strcmp (*format, "raw") != 0 && strcmp (*format, "qcow2") != 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: unknown format '%s' "
                             "(expected raw or qcow2)", filename, *format);
    return -1;
  }
  else if (strcmp (*format, "qcow2") == 0 && !qcow2) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: not a qcow2 image "
                             "(format qcow2 was given)", filename);
    return -1;
  }
  if (commit && check_writable (h, filename, &st, "cannot commit into it") == -1)
    return -1;
  if (direct && check_writable (h, filename, &st, "cannot write it in place") == -1)
    return -1;
  return check_lock (h, filename, fd, direct);
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
  int readonly = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK) && o->readonly;
  int commit = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_COMMIT_BITMASK) && o->commit;
  int direct = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_DIRECT_BITMASK) && o->direct;
  const char *keep = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_OUTPUT_OVERLAY_BITMASK)
    ? o->output_overlay : NULL;
  int cluster_size = (o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_CLUSTER_SIZE_BITMASK)
    ? o->cluster_size : 0;
  struct drive d = { 0 }, *v;

  if (drydock_int_check_config (h, "add_drive") == -1)
    return -1;
  if ((o->bitmask & DRYDOCK_ADD_DRIVE_OPTS_CLUSTER_SIZE_BITMASK) &&
      check_cluster_size (h, filename, cluster_size, direct) == -1)
    return -1;
  if (commit && (readonly || keep)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: commit excludes "
                             "readonly and output_overlay", filename);
    return -1;
  }
  if (direct && (readonly || commit || keep)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: direct excludes "
                             "readonly, commit and output_overlay", filename);
    return -1;
  }
  if (check_source (h, filename, &format, commit, direct) == -1)
    return -1;
  d.filename = realpath (filename, NULL);
  d.format = strdup (format);
  if (keep) {
    CLEANUP_FREE char *dir = strdup (keep);
    char *slash = dir ? strrchr (dir, '/') : NULL;
    CLEANUP_FREE char *rdir = NULL;

    if (slash)
      *slash = '\0';
    rdir = realpath (slash ? (*dir ? dir : "/") : ".", NULL);
    if (rdir == NULL) {
      drydock_int_perror (h, "add_drive: output_overlay %s", keep);
      goto fail;
    }
    if (asprintf (&d.output_overlay, "%s/%s", rdir,
                  slash ? slash + 1 : keep) == -1)
      d.output_overlay = NULL;
    if (d.output_overlay && d.filename &&
        strcmp (d.output_overlay, d.filename) == 0) {
      drydock_int_error_errno (h, EINVAL, "add_drive: output_overlay %s is the "
                               "source image itself", keep);
      goto fail;
    }
  }
  if (d.filename == NULL || d.format == NULL || (keep && !d.output_overlay)) {
    drydock_int_perror (h, "add_drive: %s", filename);
    goto fail;
  }
  d.readonly = readonly;
  d.commit = commit;
  d.direct = direct;
  d.cluster_size = cluster_size;
  v = realloc (h->drives, (h->n_drives + 1) * sizeof *v);
  if (v == NULL) {
    drydock_int_perror (h, "add_drive");
    goto fail;
  }
  h->drives = v;
  h->drives[h->n_drives++] = d;
  return 0;
 fail:
  free (d.filename);
  free (d.format);
  free (d.output_overlay);
  return -1;
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
    CLEANUP_FREE char *opts = NULL, *err = NULL;
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
    /* Without cluster_size, qemu-img's default. */
    if (d->cluster_size)
      snprintf (cluster, sizeof cluster, ",cluster_size=%d", d->cluster_size);
    if (d->overlay == NULL ||
        asprintf (&opts, "backing_file=%s,backing_fmt=%s%s", d->filename,
                  d->format, cluster) == -1) {
      drydock_int_perror (h, "launch");
      return -1;
    }
    drydock_int_reaper_add (h, d->overlay);
    if (strchr (d->filename, ',')) {
      drydock_int_error_errno (h, EINVAL, "launch: %s: a comma in an image "
                               "path is not supported", d->filename);
      return -1;
    }
    {
      char *const argv[] = { (char *) QEMU_IMG, "create", "-q", "-f", "qcow2",
                             "-o", opts, d->overlay, NULL };
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
