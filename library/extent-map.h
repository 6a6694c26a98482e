/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The extentlist reply: where the bytes of regular files lie on the
 * drives, as the appliance says.  Pure: no handle, so that the fuzz
 * target (tests/fuzz/fuzz-extents.c) runs it as direct.c does. */
#ifndef DRYDOCK_EXTENT_MAP_H
#define DRYDOCK_EXTENT_MAP_H

#include <stddef.h>
#include <stdint.h>

/* One extent of a file: [logical, logical + len) of the file is at
 * physical on drive, or reads as zeros (drive -1). */
struct fext {
  uint64_t logical, physical, len;
  int drive;
};

/* A file as extentlist described it: size -1 when it is not a regular
 * file, n -1 when it is not mapped. */
struct fmap {
  int64_t size;
  int64_t n;
  struct fext *v;
};

/* extentlist's reply (buf, len bytes) for n names into maps (n of
 * them, zeroed by the caller), its drives numbered below n_drives.
 * Every extent it accepts lies inside its file, in file order, without
 * overlaps, on one of the drives or a hole.  0, or -1 if the reply is
 * malformed (or memory ran out); either way extent_map_free frees. */
extern int extent_map_parse (const unsigned char *buf, size_t len, size_t n,
                             size_t n_drives, struct fmap *maps);
/* Frees maps (n of them) and what they hold; NULL is fine. */
extern void extent_map_free (struct fmap *maps, size_t n);

#endif
