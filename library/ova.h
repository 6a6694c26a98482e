/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tar reader of OVAs (ova.c): where each disk of an OVA lies in
 * the tar file, so that it is read in place.  Pure libc, fuzzed by
 * tests/fuzz/fuzz-ova.  Convention: -1 with errno (EINVAL: a damaged
 * header; ENOMEM; EIO: a short read). */

#ifndef DRYDOCK_OVA_H
#define DRYDOCK_OVA_H

#include <stddef.h>
#include <stdint.h>

/* A disk file inside an OVA. */
struct ova_disk {
  char *name;                 /* its path in the tar */
  int64_t offset, size;       /* its bytes in the tar file */
};

/* 1 if fd holds a ustar, pax or GNU tar archive. */
extern int ova_is_tar (int fd);
/* Walks the tar headers of fd (file_size bytes): the disk files (by
 * their suffix: .vmdk, .img, .raw, .qcow2, .vhd, .vhdx, .vdi) in tar
 * order into *disks and *n (free with ova_disks_free), *has_ovf set
 * when an .ovf file is there.  A damaged header (a size or offset
 * outside the file, a bad number, a malformed pax record) is EINVAL
 * with *bad_at its byte offset. */
extern int ova_scan (int fd, int64_t file_size, struct ova_disk **disks,
                     size_t *n, int *has_ovf, int64_t *bad_at);
/* Accepts NULL. */
extern void ova_disks_free (struct ova_disk *disks, size_t n);

#endif /* DRYDOCK_OVA_H */
