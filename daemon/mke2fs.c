/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mke2fs: an ext filesystem with any of mke2fs's options.  Each
 * optional argument becomes one option; the -E extended options and
 * the -O features are gathered into one comma list each.  Separate
 * from mkfs.c, whose few options cover every filesystem type. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"

/* The command line being built: argv, and the -E and -O lists. */
struct mke2fs_cmd {
  struct strlist argv;
  struct strlist ext;           /* -E items */
  struct strlist feat;          /* -O items */
  int failed;
};

static void
arg (struct mke2fs_cmd *c, const char *opt, const char *value)
{
  if (strlist_add (&c->argv, opt) == -1 ||
      (value && strlist_add (&c->argv, value) == -1))
    c->failed = 1;
}

static void
num (struct mke2fs_cmd *c, int set, const char *opt, int64_t v)
{
  char buf[32];

  if (!set)
    return;
  snprintf (buf, sizeof buf, "%" PRIi64, v);
  arg (c, opt, buf);
}

static void
ext_num (struct mke2fs_cmd *c, int set, const char *name, int64_t v)
{
  if (set && strlist_addf (&c->ext, "%s=%" PRIi64, name, v) == -1)
    c->failed = 1;
}

static void
feature (struct mke2fs_cmd *c, int set, const char *name, int on)
{
  if (set && strlist_addf (&c->feat, "%s%s", on ? "" : "^", name) == -1)
    c->failed = 1;
}

/* The items of l joined with commas after opt. */
static void
joined (struct mke2fs_cmd *c, const char *opt, struct strlist *l)
{
  CLEANUP_FREE char *s = NULL;
  size_t n = 0;

  if (l->len == 0)
    return;
  for (size_t i = 0; i < l->len; ++i)
    n += strlen (l->v[i]) + 1;
  if ((s = malloc (n)) == NULL) {
    c->failed = 1;
    return;
  }
  s[0] = '\0';
  for (size_t i = 0; i < l->len; ++i) {
    if (i)
      strcat (s, ",");
    strcat (s, l->v[i]);
  }
  arg (c, opt, s);
}

#define SET(name) ((optmask & OPT_MKE2FS_##name) != 0)

int
do_mke2fs (const char *device, uint64_t optmask, int64_t blockscount,
           int64_t blocksize, int64_t fragsize, int64_t blockspergroup,
           int64_t numberofgroups, int64_t bytesperinode, int64_t inodesize,
           int64_t journalsize, int64_t numberofinodes, int64_t stridesize,
           int64_t stripewidth, int64_t maxonlineresize,
           int reservedblockspercentage, int mmpupdateinterval,
           const char *journaldevice, const char *label,
           const char *lastmounteddir, const char *creatoros,
           const char *fstype, const char *usagetype, const char *uuid,
           int forcecreate, int writesbandgrouponly, int lazyitableinit,
           int lazyjournalinit, int testfs, int discard, int quotatype,
           int extent, int filetype, int flexbg, int hasjournal,
           int journaldev, int largefile, int quota, int resizeinode,
           int sparsesuper, int uninitbg)
{
  struct mke2fs_cmd c = {
    STRLIST_INIT, STRLIST_INIT, STRLIST_INIT, 0
  };
  const int64_t nums[] = {
    blockscount, blocksize, fragsize, blockspergroup, numberofgroups,
    bytesperinode, inodesize, journalsize, numberofinodes, stridesize,
    stripewidth, maxonlineresize, reservedblockspercentage,
    mmpupdateinterval,
  };
  CLEANUP_FREE char *journal = NULL;
  int r = -1;

  /* The numeric optional arguments are the first 14, in this order. */
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; ++i)
    if ((optmask & (UINT64_C (1) << i)) && nums[i] < 0)
      return reply_with_error_errno (EINVAL, "%s: a negative size or count",
                                     device);
  arg (&c, "mke2fs", NULL);
  arg (&c, "-q", NULL);
  arg (&c, "-t", SET (FSTYPE) ? fstype : "ext2");
  /* -F always: there is nobody to answer mke2fs's questions about a
   * whole disk or an old filesystem (FORCECREATE is accepted for
   * compatibility; it changes nothing). */
  (void) forcecreate;
  arg (&c, "-F", NULL);
  num (&c, SET (BLOCKSIZE), "-b", blocksize);
  num (&c, SET (FRAGSIZE), "-f", fragsize);
  num (&c, SET (BLOCKSPERGROUP), "-g", blockspergroup);
  num (&c, SET (NUMBEROFGROUPS), "-G", numberofgroups);
  num (&c, SET (BYTESPERINODE), "-i", bytesperinode);
  num (&c, SET (INODESIZE), "-I", inodesize);
  num (&c, SET (NUMBEROFINODES), "-N", numberofinodes);
  num (&c, SET (RESERVEDBLOCKSPERCENTAGE), "-m", reservedblockspercentage);
  if (SET (JOURNALSIZE) &&
      asprintf (&journal, "size=%" PRIi64, journalsize) == -1)
    goto nomem;
  if (SET (JOURNALDEVICE) && !SET (JOURNALSIZE) &&
      asprintf (&journal, "device=%s", journaldevice) == -1)
    goto nomem;
  if (journal)
    arg (&c, "-J", journal);
  if (SET (LABEL))
    arg (&c, "-L", label);
  if (SET (LASTMOUNTEDDIR))
    arg (&c, "-M", lastmounteddir);
  if (SET (CREATOROS))
    arg (&c, "-o", creatoros);
  if (SET (USAGETYPE))
    arg (&c, "-T", usagetype);
  if (SET (UUID))
    arg (&c, "-U", uuid);
  if (SET (WRITESBANDGROUPONLY) && writesbandgrouponly)
    arg (&c, "-S", NULL);
  ext_num (&c, SET (STRIDESIZE), "stride", stridesize);
  ext_num (&c, SET (STRIPEWIDTH), "stripe_width", stripewidth);
  ext_num (&c, SET (MAXONLINERESIZE), "resize", maxonlineresize);
  ext_num (&c, SET (MMPUPDATEINTERVAL), "mmp_update_interval",
           mmpupdateinterval);
  ext_num (&c, SET (LAZYITABLEINIT), "lazy_itable_init", !!lazyitableinit);
  ext_num (&c, SET (LAZYJOURNALINIT), "lazy_journal_init", !!lazyjournalinit);
  if (SET (TESTFS) && testfs && strlist_add (&c.ext, "test_fs") == -1)
    goto nomem;
  if (SET (DISCARD) &&
      strlist_add (&c.ext, discard ? "discard" : "nodiscard") == -1)
    goto nomem;
  if (SET (QUOTATYPE) && quotatype &&
      strlist_add (&c.ext, "quotatype=usrquota:grpquota") == -1)
    goto nomem;
  feature (&c, SET (EXTENT), "extent", extent);
  feature (&c, SET (FILETYPE), "filetype", filetype);
  feature (&c, SET (FLEXBG), "flex_bg", flexbg);
  feature (&c, SET (HASJOURNAL), "has_journal", hasjournal);
  feature (&c, SET (JOURNALDEV), "journal_dev", journaldev);
  feature (&c, SET (LARGEFILE), "large_file", largefile);
  feature (&c, SET (QUOTA), "quota", quota);
  feature (&c, SET (RESIZEINODE), "resize_inode", resizeinode);
  feature (&c, SET (SPARSESUPER), "sparse_super", sparsesuper);
  feature (&c, SET (UNINITBG), "uninit_bg", uninitbg);
  joined (&c, "-E", &c.ext);
  joined (&c, "-O", &c.feat);
  arg (&c, device, NULL);
  if (SET (BLOCKSCOUNT)) {
    char buf[32];

    snprintf (buf, sizeof buf, "%" PRIi64, blockscount);
    arg (&c, buf, NULL);
  }
  if (c.failed)
    goto nomem;
  r = command_or_reply (device, NULL, c.argv.v);
  goto out;
 nomem:
  reply_with_perror ("%s", device);
 out:
  strlist_free (&c.argv);
  strlist_free (&c.ext);
  strlist_free (&c.feat);
  return r;
}
