/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disk images on the host, outside any appliance: a blank scratch drive
 * (add_drive_scratch), creating an image (disk_create) and what qemu-img
 * info says of one (disk_format, disk_virtual_size,
 * disk_has_backing_file).  The image may come from anyone: its name is
 * always taken as a file (never a "json:" specification or a protocol),
 * qemu-img info opens no backing file of it, and it runs in bounded
 * time. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "imginfo.h"
#include "source.h"

/* qemu-img on a hostile image: a header that makes it loop is stopped. */
#define QEMU_IMG_TIMEOUT_S 60

#define MIN_CLUSTER_SIZE 512
#define MAX_CLUSTER_SIZE (2 * 1024 * 1024)

/* filename as qemu takes it for a file: a relative name whose first
 * component holds ':' ("nbd:x") is a protocol to qemu, "./nbd:x" is a
 * file.  Caller frees; NULL out of memory. */
static char *
file_name (const char *filename)
{
  char *r;

  if (filename[0] == '/')
    return strdup (filename);
  return asprintf (&r, "./%s", filename) == -1 ? NULL : r;
}

/* -1 (EINVAL) for names qemu would not take as a plain file. */
static int
check_file_name (drydock_h *h, const char *name, const char *filename)
{
  if (*filename == '\0' || strncmp (filename, "json:", 5) == 0 ||
      strstr (filename, "://")) {
    drydock_int_error_errno (h, EINVAL, "%s: '%s': not a file name (a "
                             "json: specification or a URI is not read)",
                             name, filename);
    return -1;
  }
  return 0;
}

/* qemu-img info of the image filename, into *info (the caller frees it
 * with imginfo_free).  0, or -1 with the error set. */
static int
image_info (drydock_h *h, const char *name, const char *filename,
            struct imginfo *info)
{
  CLEANUP_FREE char *path = NULL, *out = NULL, *err = NULL;
  struct stat st;
  int r;

  memset (info, 0, sizeof *info);
  if (check_file_name (h, name, filename) == -1)
    return -1;
  if (stat (filename, &st) == -1) {
    drydock_int_perror (h, "%s: %s", name, filename);
    return -1;
  }
  if (!S_ISREG (st.st_mode) && !S_ISBLK (st.st_mode)) {
    drydock_int_error_errno (h, EINVAL, "%s: %s: not a regular file or a "
                             "block device", name, filename);
    return -1;
  }
  path = file_name (filename);
  if (path == NULL) {
    drydock_int_perror (h, "%s", name);
    return -1;
  }
  {
    /* Without --backing-chain qemu-img opens no backing file. */
    char *argv[] = {
      (char *) drydock_int_qemu_img (), (char *) "info",
      (char *) "--output=json", (char *) "-U", path, NULL
    };

    r = drydock_int_run_timeout (h, argv, &out, &err, 0, QEMU_IMG_TIMEOUT_S);
  }
  if (r == -1 && errno == ETIMEDOUT) {
    drydock_int_error_errno (h, ETIMEDOUT, "%s: %s: qemu-img info did not "
                             "finish in %d s", name, filename,
                             QEMU_IMG_TIMEOUT_S);
    return -1;
  }
  if (r != 0) {
    const char *m = err ? err : "";
    const char *why;

    if (err)
      err[strcspn (err, "\n")] = '\0';
    while (strncmp (m, "qemu-img: ", 10) == 0)
      m += 10;
    why = drydock_int_open_reason (m);
    drydock_int_error_errno (h, EINVAL, "%s: %s: qemu cannot open it: %s",
                             name, filename, why ? why :
                             *m ? m : "qemu-img failed");
    return -1;
  }
  if (imginfo_parse (out ? out : "", info) == -1 || info->n == 0) {
    imginfo_free (info);
    drydock_int_error_errno (h, EIO, "%s: %s: cannot read qemu-img info's "
                             "output", name, filename);
    return -1;
  }
  return 0;
}

char *
drydock_impl_disk_format (drydock_h *h, const char *filename)
{
  struct imginfo info;
  char *r;

  if (image_info (h, "disk_format", filename, &info) == -1)
    return NULL;
  r = strdup (info.links[0].format ? info.links[0].format : "unknown");
  imginfo_free (&info);
  if (r == NULL)
    drydock_int_perror (h, "disk_format");
  return r;
}

int64_t
drydock_impl_disk_virtual_size (drydock_h *h, const char *filename)
{
  struct imginfo info;
  int64_t r;

  if (image_info (h, "disk_virtual_size", filename, &info) == -1)
    return -1;
  r = info.links[0].virtual_size;
  imginfo_free (&info);
  return r;
}

int
drydock_impl_disk_has_backing_file (drydock_h *h, const char *filename)
{
  struct imginfo info;
  int r;

  if (image_info (h, "disk_has_backing_file", filename, &info) == -1)
    return -1;
  r = info.links[0].backing != NULL;
  imginfo_free (&info);
  return r;
}

/* ---- disk_create ---- */

#define OPT(o, NAME) ((o)->bitmask & DRYDOCK_DISK_CREATE_OPTS_##NAME##_BITMASK)

static int
invalid (drydock_h *h, const char *filename, const char *what)
{
  drydock_int_error_errno (h, EINVAL, "disk_create: %s: %s", filename, what);
  return -1;
}

/* The -o options of qemu-img create for o, in *opts (caller frees; ""
 * for none), after checking they fit format.  0 or -1 (error set). */
static int
create_options (drydock_h *h, const char *filename, int qcow2,
                const struct drydock_disk_create_opts_argv *o, char **opts)
{
  const char *prealloc = OPT (o, PREALLOCATION) ? o->preallocation : NULL;
  struct strlist l = STRLIST_INIT;
  int ok = 1;

  *opts = NULL;
  if (prealloc && strcmp (prealloc, "sparse") == 0)
    prealloc = "off";
  if (prealloc && strcmp (prealloc, "off") != 0 &&
      strcmp (prealloc, "full") != 0 &&
      !(qcow2 && strcmp (prealloc, "metadata") == 0))
    return invalid (h, filename, qcow2 ?
                    "preallocation must be off, sparse, metadata or full" :
                    "preallocation must be off, sparse or full for raw");
  if (OPT (o, COMPAT) && !qcow2)
    return invalid (h, filename, "compat is for qcow2 only");
  if (OPT (o, COMPAT) && strcmp (o->compat, "0.10") != 0 &&
      strcmp (o->compat, "1.1") != 0)
    return invalid (h, filename, "compat must be 0.10 or 1.1");
  if (OPT (o, CLUSTERSIZE) && !qcow2)
    return invalid (h, filename, "clustersize is for qcow2 only");
  if (OPT (o, CLUSTERSIZE) &&
      (o->clustersize < MIN_CLUSTER_SIZE || o->clustersize > MAX_CLUSTER_SIZE ||
       (o->clustersize & (o->clustersize - 1)) != 0))
    return invalid (h, filename, "clustersize must be a power of two from "
                    "512 to 2097152");
  if (prealloc)
    ok = strlist_addf (&l, "preallocation=%s", prealloc) == 0;
  if (ok && OPT (o, COMPAT))
    ok = strlist_addf (&l, "compat=%s", o->compat) == 0;
  if (ok && OPT (o, CLUSTERSIZE))
    ok = strlist_addf (&l, "cluster_size=%d", o->clustersize) == 0;
  if (ok) {
    CLEANUP_FREE_STRING_LIST char **v = strlist_take (&l);
    size_t n = 0;

    for (size_t i = 0; v && v[i]; ++i)
      n += strlen (v[i]) + 1;
    *opts = calloc (1, n + 1);
    for (size_t i = 0; *opts && v[i]; ++i) {
      if (i)
        strcat (*opts, ",");
      strcat (*opts, v[i]);
    }
    ok = *opts != NULL;
  }
  if (!ok) {
    strlist_free (&l);
    drydock_int_perror (h, "disk_create");
    return -1;
  }
  return 0;
}

int
drydock_impl_disk_create (drydock_h *h, const char *filename,
                          const char *format, int64_t size,
                          const struct drydock_disk_create_opts_argv *o)
{
  int qcow2 = strcmp (format, "qcow2") == 0;
  const char *backing = OPT (o, BACKINGFILE) ? o->backingfile : NULL;
  CLEANUP_FREE char *path = NULL, *opts = NULL, *err = NULL;
  struct strlist a = STRLIST_INIT;
  char sizebuf[32];
  int r, ok;

  if (!qcow2 && strcmp (format, "raw") != 0)
    return invalid (h, filename, "format must be raw or qcow2");
  if (check_file_name (h, "disk_create", filename) == -1)
    return -1;
  if (backing && !qcow2)
    return invalid (h, filename, "a backing file needs the qcow2 format");
  if (OPT (o, BACKINGFORMAT) && backing == NULL)
    return invalid (h, filename, "backingformat needs backingfile");
  if (OPT (o, BACKINGFORMAT) && strcmp (o->backingformat, "raw") != 0 &&
      strspn (o->backingformat, "abcdefghijklmnopqrstuvwxyz0123456789") !=
      strlen (o->backingformat))
    return invalid (h, filename, "backingformat is not a format name");
  if (backing ? size != -1 && size < 0 : size < 0)
    return invalid (h, filename, backing ?
                    "size must be -1 (the backing file's) or 0 or more" :
                    "size must be 0 or more");
  if (create_options (h, filename, qcow2, o, &opts) == -1)
    return -1;
  path = file_name (filename);
  snprintf (sizebuf, sizeof sizebuf, "%" PRIi64, size);
  ok = path && strlist_add (&a, drydock_int_qemu_img ()) == 0 &&
    strlist_add (&a, "create") == 0 && strlist_add (&a, "-q") == 0 &&
    strlist_add (&a, "-f") == 0 && strlist_add (&a, format) == 0;
  if (ok && *opts)
    ok = strlist_add (&a, "-o") == 0 && strlist_add (&a, opts) == 0;
  if (ok && backing)
    ok = strlist_add (&a, "-b") == 0 && strlist_add (&a, backing) == 0;
  if (ok && OPT (o, BACKINGFORMAT))
    ok = strlist_add (&a, "-F") == 0 && strlist_add (&a, o->backingformat) == 0;
  if (ok)
    ok = strlist_add (&a, path) == 0;
  if (ok && size >= 0)
    ok = strlist_add (&a, sizebuf) == 0;
  if (!ok) {
    strlist_free (&a);
    drydock_int_perror (h, "disk_create");
    return -1;
  }
  {
    CLEANUP_FREE_STRING_LIST char **argv = strlist_take (&a);

    if (argv == NULL) {
      drydock_int_perror (h, "disk_create");
      return -1;
    }
    r = drydock_int_run_timeout (h, argv, NULL, &err, 0, QEMU_IMG_TIMEOUT_S);
  }
  if (r != 0) {
    const char *m = err ? err : "";

    if (err)
      err[strcspn (err, "\n")] = '\0';
    while (strncmp (m, "qemu-img: ", 10) == 0)
      m += 10;
    drydock_int_error_errno (h, r == -1 ? errno : EINVAL, "disk_create: %s: "
                             "%s", filename, *m ? m : "qemu-img create failed");
    return -1;
  }
  return 0;
}

#undef OPT

/* ---- add_drive_scratch ---- */

int
drydock_impl_add_drive_scratch (drydock_h *h, int64_t size,
                                const struct drydock_add_drive_scratch_opts_argv *o)
{
  struct drydock_add_drive_opts_argv ao = {
    .bitmask = DRYDOCK_ADD_DRIVE_OPTS_FORMAT_BITMASK, .format = "raw",
  };
  CLEANUP_FREE char *file = NULL;
  int fd;

  if (drydock_int_check_config (h, "add_drive_scratch") == -1)
    return -1;
  if (size <= 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive_scratch: size %" PRIi64
                             ": must be more than 0", size);
    return -1;
  }
  if (o->bitmask & DRYDOCK_ADD_DRIVE_SCRATCH_OPTS_NAME_BITMASK) {
    ao.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_NAME_BITMASK;
    ao.name = o->name;
  }
  if (o->bitmask & DRYDOCK_ADD_DRIVE_SCRATCH_OPTS_LABEL_BITMASK) {
    ao.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_LABEL_BITMASK;
    ao.label = o->label;
  }
  if (o->bitmask & DRYDOCK_ADD_DRIVE_SCRATCH_OPTS_BLOCKSIZE_BITMASK) {
    ao.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK;
    ao.blocksize = o->blocksize;
  }
  /* In the handle's temporary directory, which close removes (and the
   * reaper, if the program dies). */
  if (drydock_int_make_tmpdir (h) == -1)
    return -1;
  if (asprintf (&file, "%s/scratch%zu.img", h->tmpdir, h->n_drives) == -1) {
    file = NULL;
    drydock_int_perror (h, "add_drive_scratch");
    return -1;
  }
  fd = open (file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd == -1) {
    drydock_int_perror (h, "add_drive_scratch: %s", file);
    return -1;
  }
  if (ftruncate (fd, size) == -1) {
    drydock_int_perror (h, "add_drive_scratch: %s", file);
    close (fd);
    unlink (file);
    return -1;
  }
  close (fd);
  if (drydock_impl_add_drive (h, file, &ao) == -1) {
    unlink (file);
    return -1;
  }
  return 0;
}
