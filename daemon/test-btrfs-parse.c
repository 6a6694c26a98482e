/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of the btrfs output parsers (btrfs-parse.c) on the host:
 * what btrfs-progs 6.2 prints, then the odd cases (paths with blanks,
 * missing devices, warnings among the lines, numbers that overflow). */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"
#include "btrfs-parse.h"

static int failures;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf (stderr, "%s:%d: check failed: %s\n",                     \
               __FILE__, __LINE__, #cond);                              \
      failures++;                                                       \
    }                                                                   \
  } while (0)

#define CHECK_STR(got, want)                                            \
  do {                                                                  \
    const char *g_ = (got), *w_ = (want);                               \
    if (g_ == NULL || strcmp (g_, w_) != 0) {                           \
      fprintf (stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n",          \
               __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_);       \
      failures++;                                                       \
    }                                                                   \
  } while (0)

/* The value of key in a hash list, or NULL. */
static const char *
hash_get (char **h, const char *key)
{
  for (size_t i = 0; h && h[i] && h[i + 1]; i += 2)
    if (strcmp (h[i], key) == 0)
      return h[i + 1];
  return NULL;
}

static void
free_subvolumes (struct drydock_btrfssubvolume_list *l)
{
  for (uint32_t i = 0; l && i < l->len; ++i)
    free (l->val[i].btrfssubvolume_path);
  if (l)
    free (l->val);
  free (l);
}

static void
test_subvolume_list (void)
{
  struct drydock_btrfssubvolume_list *l;

  l = parse_subvolume_list ("ID 256 gen 9 top level 5 path sub\n"
                            "WARNING: something\n"
                            "ID 257 gen 10 top level 256 path sub/a b\n"
                            "ID 258 gen 11 cgen 11 top level 5 path x\n");
  CHECK (l != NULL && l->len == 3);
  if (l && l->len == 3) {
    CHECK (l->val[0].btrfssubvolume_id == 256);
    CHECK (l->val[0].btrfssubvolume_top_level_id == 5);
    CHECK_STR (l->val[0].btrfssubvolume_path, "sub");
    CHECK (l->val[1].btrfssubvolume_top_level_id == 256);
    CHECK_STR (l->val[1].btrfssubvolume_path, "sub/a b");
    CHECK_STR (l->val[2].btrfssubvolume_path, "x");
  }
  free_subvolumes (l);
  l = parse_subvolume_list ("");
  CHECK (l != NULL && l->len == 0);
  free_subvolumes (l);
  /* An ID that overflows is no line. */
  l = parse_subvolume_list ("ID 99999999999999999999999 gen 1 top level 5 "
                            "path x\n");
  CHECK (l != NULL && l->len == 0);
  free_subvolumes (l);
}

static void
test_get_default (void)
{
  CHECK (parse_get_default ("ID 5 (FS_TREE)\n") == 5);
  CHECK (parse_get_default ("ID 256 gen 9 top level 5 path sub\n") == 256);
  CHECK (parse_get_default ("ERROR: x\n") == -1);
  CHECK (parse_get_default ("ID 18446744073709551615\n") == -1);
}

static void
test_subvolume_show (void)
{
  char **h = parse_subvolume_show (
    "sub\n"
    "\tName: \t\t\tsub\n"
    "\tUUID: \t\t\t8f5f4a2e-0000-4000-8000-000000000001\n"
    "\tParent UUID: \t\t-\n"
    "\tCreation time: \t\t2026-12-06 13:05:37 +0000\n"
    "\tSubvolume ID: \t\t256\n"
    "\tFlags: \t\t\t-\n"
    "\tSnapshot(s):\n"
    "\t\t\t\ts1\n"
    "\t\t\t\tdir/s: 2\n"
    "\tQuota group:\t\t0/256\n"
    "\t  Limit referenced:\t-\n");

  CHECK (h != NULL);
  CHECK_STR (hash_get (h, "Name"), "sub");
  CHECK_STR (hash_get (h, "Parent UUID"), "-");
  CHECK_STR (hash_get (h, "Creation time"), "2026-12-06 13:05:37 +0000");
  CHECK_STR (hash_get (h, "Subvolume ID"), "256");
  CHECK_STR (hash_get (h, "Snapshot(s)"), "s1, dir/s: 2");
  CHECK_STR (hash_get (h, "Quota group"), "0/256");
  CHECK_STR (hash_get (h, "Limit referenced"), "-");
  CHECK (hash_get (h, "sub") == NULL);
  free_string_list (h);
  h = parse_subvolume_show ("/\n\tName: \t\t\t<FS_TREE>\n\tSnapshot(s):\n");
  CHECK_STR (hash_get (h, "Name"), "<FS_TREE>");
  CHECK_STR (hash_get (h, "Snapshot(s)"), "");
  free_string_list (h);
}

static void
test_filesystem_show (void)
{
  int missing;
  char **l = parse_filesystem_show (
    "Label: none  uuid: 99b95cd8-5d0e-4d43-8243-5a5f44df36cd\n"
    "\tTotal devices 2 FS bytes used 144.00KiB\n"
    "\tdevid    2 size 256.00MiB used 0.00B path /dev/sdb\n"
    "\tdevid    1 size 512.00MiB used 88.00MiB path /dev/sda1\n\n",
    &missing);

  CHECK (l != NULL && count_strings (l) == 2 && missing == 0);
  if (l && count_strings (l) == 2) {
    CHECK_STR (l[0], "/dev/sda1");
    CHECK_STR (l[1], "/dev/sdb");
  }
  free_string_list (l);
  l = parse_filesystem_show (
    "Label: none  uuid: 99b95cd8-5d0e-4d43-8243-5a5f44df36cd\n"
    "\tdevid    1 size 512.00MiB used 88.00MiB path /dev/sda1\n"
    "\t*** Some devices missing\n", &missing);
  CHECK (l != NULL && missing == 1);
  free_string_list (l);
  l = parse_filesystem_show (
    "\tdevid    2 size 0 used 0 path /dev/sdb MISSING\n", &missing);
  CHECK (l != NULL && count_strings (l) == 0 && missing == 1);
  free_string_list (l);
}

static void
test_balance_status (void)
{
  struct drydock_btrfsbalance b;

  memset (&b, 0, sizeof b);
  CHECK (parse_balance_status ("No balance found on '/sysroot/'\n", &b) == 0);
  CHECK_STR (b.btrfsbalance_status, "none");
  memset (&b, 0, sizeof b);
  CHECK (parse_balance_status (
           "Balance on '/sysroot/' is paused\n"
           "3 out of about 9 chunks balanced (4 considered),  67% left\n",
           &b) == 0);
  CHECK_STR (b.btrfsbalance_status, "paused");
  CHECK (b.btrfsbalance_balanced == 3 && b.btrfsbalance_total == 9 &&
         b.btrfsbalance_considered == 4 && b.btrfsbalance_left == 67);
  memset (&b, 0, sizeof b);
  CHECK (parse_balance_status ("Balance on '/x' is running\n", &b) == 0);
  CHECK_STR (b.btrfsbalance_status, "running");
  CHECK (parse_balance_status ("something else\n", &b) == -1);
}

static void
test_scrub_status (void)
{
  struct drydock_btrfsscrub s;

  memset (&s, 0, sizeof s);
  parse_scrub_status ("UUID:             1f\n"
                      "Scrub started:    Sun Dec  6 13:05:37 2026\n"
                      "Status:           finished\n"
                      "\tdata_extents_scrubbed: 1\n"
                      "\ttree_extents_scrubbed: 17\n"
                      "\tdata_bytes_scrubbed: 65536\n"
                      "\tcsum_errors: 0\n"
                      "\tlast_physical: 1234567\n", &s);
  CHECK (s.btrfsscrub_data_extents_scrubbed == 1);
  CHECK (s.btrfsscrub_tree_extents_scrubbed == 17);
  CHECK (s.btrfsscrub_data_bytes_scrubbed == 65536);
  CHECK (s.btrfsscrub_last_physical == 1234567);
  memset (&s, 0, sizeof s);
  parse_scrub_status ("UUID: 1f\n\tno stats available\n", &s);
  CHECK (s.btrfsscrub_tree_extents_scrubbed == 0);
}

static void
test_qgroup_show (void)
{
  struct drydock_btrfsqgroup_list *l = parse_qgroup_show (
    "Qgroupid    Referenced    Exclusive   Path \n"
    "--------    ----------    ---------   ---- \n"
    "0/5              16384        16384   <toplevel>\n"
    "0/256            16384        16384   sub\n"
    "1/0                  0            0   <0 member qgroups>\n");

  CHECK (l != NULL && l->len == 3);
  if (l && l->len == 3) {
    CHECK_STR (l->val[0].btrfsqgroup_id, "0/5");
    CHECK (l->val[0].btrfsqgroup_rfer == 16384);
    CHECK_STR (l->val[1].btrfsqgroup_id, "0/256");
    CHECK_STR (l->val[2].btrfsqgroup_id, "1/0");
    CHECK (l->val[2].btrfsqgroup_excl == 0);
  }
  for (uint32_t i = 0; l && i < l->len; ++i)
    free (l->val[i].btrfsqgroup_id);
  if (l)
    free (l->val);
  free (l);
}

int
main (void)
{
  test_subvolume_list ();
  test_get_default ();
  test_subvolume_show ();
  test_filesystem_show ();
  test_balance_status ();
  test_scrub_status ();
  test_qgroup_show ();
  if (failures) {
    fprintf (stderr, "test-btrfs-parse: %d failures\n", failures);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
