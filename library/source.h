/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sources a drive reads (source.c).  Convention: functions
 * returning int give 0, or -1 with the handle's error set. */

#ifndef DRYDOCK_SOURCE_H
#define DRYDOCK_SOURCE_H

#include <stdint.h>

#include "imginfo.h"
#include "ova.h"

/* 1 if format is one qemu reads from a local file and drydock takes. */
extern int drydock_int_source_format_known (const char *format);
/* "qemu-img info --backing-chain" on spec (a file, a URI or a json:
 * specification), probing the format when format is NULL, into *info
 * (imginfo_free frees it).  A missing link, a loop or an unreadable
 * image is an error "add_drive: NAME: qemu's reason", a missing qemu
 * block module one naming it; qemu-img is killed after timeout_s
 * seconds (0: never), an error too. */
extern int drydock_int_source_info (drydock_h *h, const char *name,
                                    const char *spec, const char *format,
                                    int timeout_s, struct imginfo *info);
/* imgcheck.c: "qemu-img check" of the image at spec (a file or a json:
 * specification) in format, in bounded time, for the formats it
 * checks.  Errors "add_drive: NAME: corrupt FORMAT: qemu's first error"
 * and "add_drive: NAME: qemu cannot open it: qemu's reason"; a check
 * that cannot run or takes too long passes (said in debug output). */
extern int drydock_int_image_check (drydock_h *h, const char *name,
                                    const char *spec, const char *format);
/* qemu's reason in a message "Could not open 'FILE': REASON" (a
 * pointer into msg), or NULL for any other message. */
extern const char *drydock_int_open_reason (const char *msg);
/* When the console text (qemu's stderr is the console) holds qemu's
 * refusal of a drive at start-up, sets the error "NAME: IMAGE: qemu
 * cannot open it: REASON" and returns 0; else -1, nothing set. */
extern int drydock_int_drive_start_error (drydock_h *h, const char *name,
                                          const char *console);
/* untrusted.c.  For an untrusted local image at path (realpath) of
 * format (NULL: not given): refused unless its format is given and is
 * the one qemu finds, and it names no other file (backing file,
 * external data file, extents elsewhere).  0 or -1 (error set). */
extern int drydock_int_untrusted_check (drydock_h *h, const char *name,
                                        const char *path, const char *format);
/* An untrusted drive's name: a json: specification or a protocol name
 * (nbd://, http://, ...) is refused.  0 or -1 (error set). */
extern int drydock_int_untrusted_name (drydock_h *h, const char *filename);
/* A warning event when the image at path (realpath) has a backing file
 * outside its own directory.  info: its qemu-img info --backing-chain. */
extern void drydock_int_warn_backing (drydock_h *h, const char *name,
                                      const char *path,
                                      const struct imginfo *info);
/* The "json:" specification of an image of format stored at
 * [offset, offset + size) in file.  NULL with errno.  Caller frees. */
extern char *drydock_int_source_slice_spec (const char *file, int64_t offset,
                                            int64_t size, const char *format);

/* The disks of the OVA file (open as fd, file_size bytes), in tar
 * order, into *disks and *n (free with ova_disks_free).  A tar without
 * an .ovf, an OVA without a disk and a damaged header are errors. */
extern int drydock_int_ova_disks (drydock_h *h, const char *file, int fd,
                                  int64_t file_size, struct ova_disk **disks,
                                  size_t *n);

#endif /* DRYDOCK_SOURCE_H */
