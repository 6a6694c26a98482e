/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The output of "qemu-img info --backing-chain --output=json": one
 * record per link of a backing chain, top first.  Shared by the
 * library (probing a drive's format) and the chain tool.
 *
 * Convention: functions returning int give 0, or -1 with errno set
 * (EINVAL: not the JSON qemu-img writes; ENOMEM). */

#ifndef DRYDOCK_IMGINFO_H
#define DRYDOCK_IMGINFO_H

#include <stddef.h>
#include <stdint.h>

struct imginfo_link {
  char *filename;             /* as qemu-img names it */
  char *format;               /* "qcow2", "vmdk", ... */
  char *backing;              /* backing-filename as recorded, or NULL */
  char *backing_format;       /* backing-filename-format, or NULL */
  int64_t virtual_size;       /* bytes */
  int64_t actual_size;        /* bytes allocated on the host, -1 unknown */
  int stream_optimized;       /* a vmdk whose create-type is streamOptimized */
  char *external;             /* another file its data is in (a qcow2's
                                 data-file, a vmdk's extent), or NULL */
};

struct imginfo {
  struct imginfo_link *links;
  size_t n;
};

/* Parses json, either one object (plain "qemu-img info") or an array
 * of them (--backing-chain), into *info, which the caller frees with
 * imginfo_free. */
extern int imginfo_parse (const char *json, struct imginfo *info);
/* Frees what imginfo_parse filled in; accepts a zeroed *info. */
extern void imginfo_free (struct imginfo *info);

#endif /* DRYDOCK_IMGINFO_H */
