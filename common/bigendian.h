/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Big-endian numbers in byte buffers, as NBD's messages and the
 * appliance's packed replies (extentlist, readfilelist, lstatns_tree)
 * carry them. */
#ifndef DRYDOCK_BIGENDIAN_H
#define DRYDOCK_BIGENDIAN_H

#include <stdint.h>

static inline uint32_t
be32 (const unsigned char *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
    (uint32_t) p[2] << 8 | p[3];
}

static inline uint64_t
be64 (const unsigned char *p)
{
  return (uint64_t) be32 (p) << 32 | be32 (p + 4);
}

static inline void
put32 (unsigned char *p, uint32_t v)
{
  for (int i = 3; i >= 0; --i, v >>= 8)
    p[i] = (unsigned char) (v & 0xff);
}

static inline void
put64 (unsigned char *p, uint64_t v)
{
  put32 (p, (uint32_t) (v >> 32));
  put32 (p + 4, (uint32_t) v);
}

#endif /* DRYDOCK_BIGENDIAN_H */
