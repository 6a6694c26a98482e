/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a drive reads: a local image in any format qemu reads, a disk
 * inside an OVA read in place, or a remote NBD or HTTP(S) export.  Each
 * becomes a backing specification for the drive's overlay: a file
 * name, a URI, or a qemu "json:" description layering the format's
 * driver over a byte range of a file.  Apart from drives.c so that the
 * overlay policy stays in one short file. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "imginfo.h"
#include "remote.h"
#include "source.h"

static const char *const local_formats[] = {
  "raw", "qcow2", "qcow", "vmdk", "vdi", "vhdx", "vpc", "qed", "dmg",
  "parallels", "luks", NULL
};

int
drydock_int_source_format_known (const char *format)
{
  for (size_t i = 0; local_formats[i]; ++i)
    if (strcmp (format, local_formats[i]) == 0)
      return 1;
  return 0;
}

/* qemu's message without its "qemu-img: " prefixes: its own line
 * when there is one (a missing module is announced on a line before
 * it), else the first line. */
static const char *
qemu_message (char *err)
{
  char *m = err ? err : "", *own = strstr (m, "\nqemu-img: ");

  if (strncmp (m, "qemu-img: ", 10) != 0 && own)
    m = own + 1;
  m[strcspn (m, "\n")] = '\0';
  while (strncmp (m, "qemu-img: ", 10) == 0)
    m += 10;
  return *m ? m : "qemu-img failed";
}

/* qemu's message m with spec, which may hold a secret (a password in
 * a URI) or be a long json: specification, said as name.  NULL with
 * errno.  Caller frees. */
static char *
named (const char *m, const char *spec, const char *name)
{
  const char *at = strstr (m, spec);
  char *s;

  if (at == NULL || strcmp (spec, name) == 0)
    return strdup (m);
  if (asprintf (&s, "%.*s%s%s", (int) (at - m), m, name,
                at + strlen (spec)) == -1)
    return NULL;
  return s;
}

int
drydock_int_source_info (drydock_h *h, const char *name, const char *spec,
                         const char *format, int timeout_s,
                         struct imginfo *info)
{
  CLEANUP_FREE char *out = NULL, *err = NULL;
  char *argv[10];
  size_t n = 0;
  int r;

  argv[n++] = (char *) drydock_int_qemu_img ();
  argv[n++] = (char *) "info";
  argv[n++] = (char *) "--backing-chain";
  argv[n++] = (char *) "--output=json";
  /* -U: a read-only look, even while a VM holds the image. */
  argv[n++] = (char *) "-U";
  if (format) {
    argv[n++] = (char *) "-f";
    argv[n++] = (char *) format;
  }
  argv[n++] = (char *) spec;
  argv[n] = NULL;
  r = drydock_int_run_timeout (h, argv, &out, &err, 0, timeout_s);
  if (r == -1 && errno == ETIMEDOUT) {
    drydock_int_error_errno (h, ETIMEDOUT, "add_drive: %s: no answer within "
                             "%d seconds", name, timeout_s);
    return -1;
  }
  if (r != 0) {
    const char *mod = drydock_int_remote_missing_module (spec, err ? err : "");
    const char *m = qemu_message (err);

    if (mod)
      drydock_int_error_errno (h, ENOTSUP, "add_drive: %s: qemu has no %s "
                               "block driver (install qemu-block-extra)",
                               name, mod);
    else {
      CLEANUP_FREE char *shown = named (m, spec, name);
      const char *reason = drydock_int_open_reason (shown ? shown : m);

      if (reason)
        drydock_int_error_errno (h, r == -1 ? errno : EINVAL, "add_drive: "
                                 "%s: qemu cannot open it: %s", name, reason);
      else
        drydock_int_error_errno (h, r == -1 ? errno : EINVAL, "add_drive: "
                                 "%s: %s", name, shown ? shown : m);
    }
    return -1;
  }
  if (imginfo_parse (out ? out : "", info) == -1) {
    drydock_int_error_errno (h, EIO, "add_drive: %s: cannot read qemu-img "
                             "info's output", name);
    return -1;
  }
  return 0;
}

char *
drydock_int_source_slice_spec (const char *file, int64_t offset, int64_t size,
                               const char *format)
{
  CLEANUP_FREE char *jfile = drydock_int_json_string (file);
  CLEANUP_FREE char *slice = NULL;
  char *s = NULL;

  if (jfile == NULL ||
      asprintf (&slice, "{\"driver\":\"raw\",\"offset\":%" PRIi64 ","
                "\"size\":%" PRIi64 ",\"file\":{\"driver\":\"file\","
                "\"filename\":%s}}", offset, size, jfile) == -1)
    return NULL;
  /* The raw slice is the image itself when it is raw; any other format
   * is read by its driver over the slice. */
  if (strcmp (format, "raw") == 0) {
    if (asprintf (&s, "json:%s", slice) == -1)
      return NULL;
  }
  else if (asprintf (&s, "json:{\"driver\":\"%s\",\"file\":%s}", format,
                     slice) == -1)
    return NULL;
  return s;
}

/* ---- OVA ---- */

int
drydock_int_ova_disks (drydock_h *h, const char *file, int fd,
                       int64_t file_size, struct ova_disk **disks, size_t *n)
{
  int64_t bad_at = -1;
  int has_ovf = 0;

  if (ova_scan (fd, file_size, disks, n, &has_ovf, &bad_at) == -1) {
    if (errno == EINVAL)
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: a damaged tar "
                               "header at byte %" PRIi64, file, bad_at);
    else
      drydock_int_perror (h, "add_drive: %s", file);
    return -1;
  }
  if (!has_ovf || *n == 0) {
    drydock_int_error_errno (h, EINVAL, !has_ovf ?
                             "add_drive: %s: a tar without an .ovf file is "
                             "not an OVA" :
                             "add_drive: %s: the OVA holds no disk image",
                             file);
    ova_disks_free (*disks, *n);
    *disks = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}
