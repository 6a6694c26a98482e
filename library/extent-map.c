/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The extentlist reply's reader (extent-map.h).  The appliance is not
 * trusted: every number is checked against the file's size and the
 * drives before direct.c reads a byte of a drive for it. */

#include <config.h>

#include <stdlib.h>

#include "extent-map.h"
#include "wire.h"

/* The size of one extent's record: logical, physical, length (8 bytes
 * each) and the drive (4). */
#define EXTENT_RECORD 28

int
extent_map_parse (const unsigned char *buf, size_t len, size_t n,
                  size_t n_drives, struct fmap *maps)
{
  struct wire_reader r;

  wire_reader_init (&r, buf, len);
  for (size_t i = 0; i < n; ++i) {
    struct fmap *m = &maps[i];
    uint64_t end = 0;

    m->v = NULL;
    m->n = -1;
    m->size = wire_get_i64 (&r);
    if (r.err || m->size < -1)
      return -1;
    if (m->size == -1)
      continue;
    m->n = wire_get_i32 (&r);
    if (r.err || m->n < -1 ||
        (m->n > 0 && (size_t) m->n > r.left / EXTENT_RECORD))
      return -1;
    if (m->n <= 0)
      continue;
    m->v = calloc ((size_t) m->n, sizeof *m->v);
    if (m->v == NULL)
      return -1;
    for (int64_t k = 0; k < m->n; ++k) {
      struct fext *x = &m->v[k];
      int64_t phys;
      int32_t drive;

      x->logical = wire_get_u64 (&r);
      phys = wire_get_i64 (&r);
      x->len = wire_get_u64 (&r);
      drive = wire_get_i32 (&r);
      /* In file order, inside the file, not overlapping. */
      if (r.err || x->logical < end || x->len == 0 ||
          x->logical > (uint64_t) m->size ||
          x->len > (uint64_t) m->size - x->logical)
        return -1;
      end = x->logical + x->len;
      if (phys == -1 && drive == -1)
        x->drive = -1;
      else if (phys < 0 || drive < 0 || (size_t) drive >= n_drives)
        return -1;
      else {
        x->drive = drive;
        x->physical = (uint64_t) phys;
      }
    }
  }
  return wire_reader_finish (&r);
}

void
extent_map_free (struct fmap *maps, size_t n)
{
  for (size_t i = 0; maps && i < n; ++i)
    free (maps[i].v);
  free (maps);
}
