/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table tests: what tests-gen.c (generated from the tests of each
 * action record) and the driver table.c share.
 *
 * The table_check_* helpers print what differs and return 1 when the
 * value is the one wanted, 0 otherwise; table_call_failed,
 * table_unexpected_success, table_check_errno and table_check_checksum
 * return a test's result: 0 pass, -1 fail (printed). */

#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "drydock.h"

enum table_layout {
  LAYOUT_EMPTY, LAYOUT_PART, LAYOUT_FS, LAYOUT_LVM, LAYOUT_SCRATCH,
  LAYOUT_BTRFS, LAYOUT_XFS, LAYOUT_TWODISK, LAYOUT_ISO,
  LAYOUT_COUNT
};

struct table_test {
  const char *action;
  int index;                    /* of the test in the action's record */
  enum table_layout layout;
  int readonly;                 /* leaves the layout as it found it */
  int (*run) (drydock_h *h);    /* 0 pass, -1 fail (printed) */
};

extern const struct table_test table_tests[];
extern const size_t table_n_tests;

/* The local path REL in the directory the tests share (for FileIn and
 * FileOut arguments); valid until the program exits. */
extern const char *table_tmp (const char *rel);

extern int table_call_failed (drydock_h *h, const char *line);
extern int table_unexpected_success (const char *name, const char *line);
extern int table_check_errno (const char *name, drydock_h *h, int want);
extern int table_check_int (const char *name, int64_t got, int64_t want);
extern int table_check_string (const char *name, const char *got,
                               const char *want);
extern int table_check_buffer (const char *name, const char *got,
                               size_t got_size, const char *want,
                               size_t want_size);
extern int table_check_list (const char *name, char *const *got,
                             char *const *want);
extern int table_check_hash (const char *name, char *const *got,
                             const char *key, const char *want);
extern size_t table_count (char *const *l);
extern int table_check_checksum (drydock_h *h, const char *name,
                                 const char *csumtype, const char *path,
                                 const char *want);

#endif /* TABLE_H */
