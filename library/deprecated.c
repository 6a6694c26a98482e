/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The deprecated actions: each is the action that replaced it, called
 * with fixed optional arguments (grepi is grep with insensitive, tgz_in
 * tar_in with compress gzip ...), or what is left of a setting the
 * appliance no longer has (direct mode, SELinux at boot, 9p).  The
 * generated wrappers warn once per handle before calling these. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"
#include "impl-gen.h"
#include "strlist.h"

/* The grep family. */

static char **
grep_with (drydock_h *h, const char *regex, const char *path, int extended,
           int fixed, int insensitive, int compressed)
{
  struct drydock_grep_opts_argv o = {
    .bitmask = DRYDOCK_GREP_OPTS_EXTENDED_BITMASK |
               DRYDOCK_GREP_OPTS_FIXED_BITMASK |
               DRYDOCK_GREP_OPTS_INSENSITIVE_BITMASK |
               DRYDOCK_GREP_OPTS_COMPRESSED_BITMASK,
    .extended = extended, .fixed = fixed, .insensitive = insensitive,
    .compressed = compressed,
  };

  return drydock_grep_opts_argv (h, regex, path, &o);
}

#define GREP(name, arg, e, f, i, z)                                     \
  char **                                                               \
  drydock_impl_##name (drydock_h *h, const char *arg, const char *path) \
  {                                                                     \
    return grep_with (h, arg, path, e, f, i, z);                        \
  }

GREP (grepi, regex, 0, 0, 1, 0)
GREP (egrep, regex, 1, 0, 0, 0)
GREP (egrepi, regex, 1, 0, 1, 0)
GREP (fgrep, pattern, 0, 1, 0, 0)
GREP (fgrepi, pattern, 0, 1, 1, 0)
GREP (zgrep, regex, 0, 0, 0, 1)
GREP (zgrepi, regex, 0, 0, 1, 1)
GREP (zegrep, regex, 1, 0, 0, 1)
GREP (zegrepi, regex, 1, 0, 1, 1)
GREP (zfgrep, pattern, 0, 1, 0, 1)
GREP (zfgrepi, pattern, 0, 1, 1, 1)

/* Compressed tar archives. */

static int
tar_in_with (drydock_h *h, const char *tarball, const char *directory,
             const char *compress)
{
  struct drydock_tar_in_opts_argv o = {
    .bitmask = DRYDOCK_TAR_IN_OPTS_COMPRESS_BITMASK, .compress = compress,
  };

  return drydock_tar_in_opts_argv (h, tarball, directory, &o);
}

static int
tar_out_with (drydock_h *h, const char *directory, const char *tarball,
              const char *compress)
{
  struct drydock_tar_out_opts_argv o = {
    .bitmask = DRYDOCK_TAR_OUT_OPTS_COMPRESS_BITMASK, .compress = compress,
  };

  return drydock_tar_out_opts_argv (h, directory, tarball, &o);
}

int
drydock_impl_tgz_in (drydock_h *h, const char *tarball, const char *directory)
{
  return tar_in_with (h, tarball, directory, "gzip");
}

int
drydock_impl_tgz_out (drydock_h *h, const char *directory, const char *tarball)
{
  return tar_out_with (h, directory, tarball, "gzip");
}

int
drydock_impl_txz_in (drydock_h *h, const char *tarball, const char *directory)
{
  return tar_in_with (h, tarball, directory, "xz");
}

int
drydock_impl_txz_out (drydock_h *h, const char *directory, const char *tarball)
{
  return tar_out_with (h, directory, tarball, "xz");
}

/* LUKS. */

static int
luks_open_with (drydock_h *h, const char *device, const char *key,
                const char *mapname, int readonly)
{
  struct drydock_cryptsetup_open_opts_argv o = {
    .bitmask = DRYDOCK_CRYPTSETUP_OPEN_OPTS_READONLY_BITMASK |
               DRYDOCK_CRYPTSETUP_OPEN_OPTS_CRYPTTYPE_BITMASK,
    .readonly = readonly, .crypttype = "luks",
  };

  return drydock_cryptsetup_open_opts_argv (h, device, key, mapname, &o);
}

int
drydock_impl_luks_open (drydock_h *h, const char *device, const char *key,
                        const char *mapname)
{
  return luks_open_with (h, device, key, mapname, 0);
}

int
drydock_impl_luks_open_ro (drydock_h *h, const char *device, const char *key,
                           const char *mapname)
{
  return luks_open_with (h, device, key, mapname, 1);
}

int
drydock_impl_luks_close (drydock_h *h, const char *device)
{
  return drydock_cryptsetup_close (h, device);
}

/* ext2/3/4 labels and UUIDs. */

char *
drydock_impl_get_e2label (drydock_h *h, const char *device)
{
  return drydock_vfs_label (h, device);
}

int
drydock_impl_set_e2label (drydock_h *h, const char *device, const char *label)
{
  return drydock_set_label (h, device, label);
}

char *
drydock_impl_get_e2uuid (drydock_h *h, const char *device)
{
  return drydock_vfs_uuid (h, device);
}

/* tune2fs -U's words: "clear" is the null UUID, "random" and "time" a
 * new one. */
int
drydock_impl_set_e2uuid (drydock_h *h, const char *device, const char *uuid)
{
  if (strcmp (uuid, "clear") == 0)
    return drydock_set_uuid (h, device,
                             "00000000-0000-0000-0000-000000000000");
  if (strcmp (uuid, "random") == 0 || strcmp (uuid, "time") == 0)
    return drydock_set_uuid_random (h, device);
  return drydock_set_uuid (h, device, uuid);
}

/* Making filesystems and journals. */

int
drydock_impl_mkfs_b (drydock_h *h, const char *fstype, int blocksize,
                     const char *device)
{
  struct drydock_mkfs_opts_argv o = {
    .bitmask = DRYDOCK_MKFS_OPTS_BLOCKSIZE_BITMASK, .blocksize = blocksize,
  };

  return drydock_mkfs_opts_argv (h, fstype, device, &o);
}

/* A journal device: mke2fs -O journal_dev, with a label or UUID when
 * not NULL. */
static int
journal_with (drydock_h *h, int blocksize, const char *device,
              const char *label, const char *uuid)
{
  struct drydock_mke2fs_opts_argv o = {
    .bitmask = DRYDOCK_MKE2FS_OPTS_BLOCKSIZE_BITMASK |
               DRYDOCK_MKE2FS_OPTS_JOURNALDEV_BITMASK,
    .blocksize = blocksize, .journaldev = 1,
  };

  if (label) {
    o.bitmask |= DRYDOCK_MKE2FS_OPTS_LABEL_BITMASK;
    o.label = label;
  }
  if (uuid) {
    o.bitmask |= DRYDOCK_MKE2FS_OPTS_UUID_BITMASK;
    o.uuid = uuid;
  }
  return drydock_mke2fs_opts_argv (h, device, &o);
}

int
drydock_impl_mke2journal (drydock_h *h, int blocksize, const char *device)
{
  return journal_with (h, blocksize, device, NULL, NULL);
}

int
drydock_impl_mke2journal_L (drydock_h *h, int blocksize, const char *label,
                            const char *device)
{
  return journal_with (h, blocksize, device, label, NULL);
}

int
drydock_impl_mke2journal_U (drydock_h *h, int blocksize, const char *uuid,
                            const char *device)
{
  return journal_with (h, blocksize, device, NULL, uuid);
}

/* A filesystem whose journal is the device JOURNAL: a device name, or
 * LABEL=... or UUID=... as mke2fs -J device= takes them. */
static int
fs_with_journal (drydock_h *h, const char *fstype, int blocksize,
                 const char *device, const char *journal)
{
  struct drydock_mke2fs_opts_argv o = {
    .bitmask = DRYDOCK_MKE2FS_OPTS_FSTYPE_BITMASK |
               DRYDOCK_MKE2FS_OPTS_BLOCKSIZE_BITMASK |
               DRYDOCK_MKE2FS_OPTS_JOURNALDEVICE_BITMASK,
    .fstype = fstype, .blocksize = blocksize, .journaldevice = journal,
  };

  return drydock_mke2fs_opts_argv (h, device, &o);
}

int
drydock_impl_mke2fs_J (drydock_h *h, const char *fstype, int blocksize,
                       const char *device, const char *journal)
{
  return fs_with_journal (h, fstype, blocksize, device, journal);
}

static int
fs_with_journal_tag (drydock_h *h, const char *fstype, int blocksize,
                     const char *device, const char *tag, const char *value)
{
  CLEANUP_FREE char *journal = NULL;

  if (asprintf (&journal, "%s=%s", tag, value) == -1) {
    drydock_int_perror (h, "asprintf");
    return -1;
  }
  return fs_with_journal (h, fstype, blocksize, device, journal);
}

int
drydock_impl_mke2fs_JL (drydock_h *h, const char *fstype, int blocksize,
                        const char *device, const char *label)
{
  return fs_with_journal_tag (h, fstype, blocksize, device, "LABEL", label);
}

int
drydock_impl_mke2fs_JU (drydock_h *h, const char *fstype, int blocksize,
                        const char *device, const char *uuid)
{
  return fs_with_journal_tag (h, fstype, blocksize, device, "UUID", uuid);
}

/* Drives. */

static int
add_with (drydock_h *h, const char *filename, const char *iface, int readonly)
{
  struct drydock_add_drive_opts_argv o = { .bitmask = 0 };

  if (iface) {
    o.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_IFACE_BITMASK;
    o.iface = iface;
  }
  if (readonly) {
    o.bitmask |= DRYDOCK_ADD_DRIVE_OPTS_READONLY_BITMASK;
    o.readonly = 1;
  }
  return drydock_add_drive_opts_argv (h, filename, &o);
}

int
drydock_impl_add_drive_with_if (drydock_h *h, const char *filename,
                                const char *iface)
{
  return add_with (h, filename, iface, 0);
}

int
drydock_impl_add_drive_ro_with_if (drydock_h *h, const char *filename,
                                   const char *iface)
{
  return add_with (h, filename, iface, 1);
}

int
drydock_impl_add_cdrom (drydock_h *h, const char *filename)
{
  return add_with (h, filename, NULL, 1);
}

/* Before launch the drive is dropped and those after it move down; a
 * running appliance cannot lose a disk. */
int
drydock_impl_remove_drive (drydock_h *h, const char *label)
{
  size_t i;
  struct drive d;

  if (h->state != STATE_CONFIG) {
    drydock_int_error_errno (h, ENOTSUP, "%s: the appliance is launched: "
                             "drives can only be removed before launch",
                             label);
    return -1;
  }
  for (i = 0; i < h->n_drives; ++i)
    if (h->drives[i].label && strcmp (h->drives[i].label, label) == 0)
      break;
  if (i == h->n_drives) {
    drydock_int_error_errno (h, ENOENT, "%s: no drive has this label", label);
    return -1;
  }
  d = h->drives[i];
  memmove (&h->drives[i], &h->drives[i + 1],
           (h->n_drives - i - 1) * sizeof h->drives[0]);
  h->drives[h->n_drives - 1] = d;
  drydock_int_drop_drives (h, h->n_drives - 1);
  return 0;
}

/* Files and devices. */

int
drydock_impl_write_file (drydock_h *h, const char *path, const char *content,
                         int size)
{
  size_t len = strlen (content);

  if (size < 0 || (size_t) size > len) {
    drydock_int_error_errno (h, EINVAL, "%s: size %d is not between 0 and "
                             "the content's length %zu", path, size, len);
    return -1;
  }
  return drydock_write (h, path, content, size == 0 ? len : (size_t) size);
}

static int
is_device (const char *name)
{
  return strncmp (name, "/dev/", 5) == 0;
}

/* copy_device_to_device or its kin, as SRC and DEST are devices or
 * files; SIZE -1: the whole of SRC. */
static int
copy_with (drydock_h *h, const char *src, const char *dest, int64_t size)
{
  struct drydock_copy_device_to_device_opts_argv o = { .bitmask = 0 };

  if (size >= 0) {
    o.bitmask = DRYDOCK_COPY_DEVICE_TO_DEVICE_OPTS_SIZE_BITMASK;
    o.size = size;
  }
  /* The four calls have the same optional arguments in the same
   * order, so the same bitmask. */
  if (is_device (src) && is_device (dest))
    return drydock_copy_device_to_device_opts_argv (h, src, dest, &o);
  if (is_device (src))
    return drydock_copy_device_to_file_opts_argv
      (h, src, dest, (const struct drydock_copy_device_to_file_opts_argv *) &o);
  if (is_device (dest))
    return drydock_copy_file_to_device_opts_argv
      (h, src, dest, (const struct drydock_copy_file_to_device_opts_argv *) &o);
  return drydock_copy_file_to_file_opts_argv
    (h, src, dest, (const struct drydock_copy_file_to_file_opts_argv *) &o);
}

int
drydock_impl_dd (drydock_h *h, const char *src, const char *dest)
{
  return copy_with (h, src, dest, -1);
}

int
drydock_impl_copy_size (drydock_h *h, const char *src, const char *dest,
                        int64_t size)
{
  if (size < 0) {
    drydock_int_error_errno (h, EINVAL, "%s: a negative size", src);
    return -1;
  }
  return copy_with (h, src, dest, size);
}

int
drydock_impl_fallocate (drydock_h *h, const char *path, int len)
{
  return drydock_fallocate64 (h, path, len);
}

struct drydock_stat_list *
drydock_impl_lstatlist (drydock_h *h, const char *path, char *const *names)
{
  struct drydock_statns_list *ns = drydock_lstatnslist (h, path, names);
  struct drydock_stat_list *r;

  if (ns == NULL)
    return NULL;
  r = malloc (sizeof *r);
  if (r == NULL || (r->val = calloc (ns->len + 1, sizeof *r->val)) == NULL) {
    free (r);
    drydock_free_statns_list (ns);
    drydock_int_perror (h, "malloc");
    return NULL;
  }
  r->len = ns->len;
  for (uint32_t i = 0; i < ns->len; ++i) {
    const struct drydock_statns *s = &ns->val[i];
    r->val[i] = (struct drydock_stat) {
      .dev = s->st_dev, .ino = s->st_ino, .mode = s->st_mode,
      .nlink = s->st_nlink, .uid = s->st_uid, .gid = s->st_gid,
      .rdev = s->st_rdev, .size = s->st_size, .blksize = s->st_blksize,
      .blocks = s->st_blocks, .atime = s->st_atime_sec,
      .mtime = s->st_mtime_sec, .ctime = s->st_ctime_sec,
    };
  }
  drydock_free_statns_list (ns);
  return r;
}

/* file looks inside compressed files itself: METH is only checked. */
char *
drydock_impl_zfile (drydock_h *h, const char *meth, const char *path)
{
  if (strcmp (meth, "gzip") != 0 && strcmp (meth, "compress") != 0 &&
      strcmp (meth, "bzip2") != 0) {
    drydock_int_error_errno (h, EINVAL, "%s: the method must be gzip, "
                             "compress or bzip2", meth);
    return NULL;
  }
  return drydock_file (h, path);
}

int
drydock_impl_ntfsresize_size (drydock_h *h, const char *device, int64_t size)
{
  struct drydock_ntfsresize_opts_argv o = {
    .bitmask = DRYDOCK_NTFSRESIZE_OPTS_SIZE_BITMASK, .size = size,
  };

  return drydock_ntfsresize_opts_argv (h, device, &o);
}

int
drydock_impl_blockdev_setbsz (drydock_h *h, const char *device, int blocksize)
{
  (void) h;
  (void) device;
  (void) blocksize;
  return 0;
}

/* The handle's settings under their old names. */

int
drydock_impl_set_attach_method (drydock_h *h, const char *backend)
{
  return drydock_set_backend (h, backend);
}

char *
drydock_impl_get_attach_method (drydock_h *h)
{
  return drydock_get_backend (h);
}

int
drydock_impl_set_qemu (drydock_h *h, const char *hv)
{
  if (hv == NULL) {
    free (h->hv);
    h->hv = NULL;
    return 0;
  }
  return drydock_set_hv (h, hv);
}

char *
drydock_impl_get_qemu (drydock_h *h)
{
  return drydock_get_hv (h);
}

int
drydock_impl_set_direct (drydock_h *h, int direct)
{
  if (direct) {
    drydock_int_error_errno (h, ENOTSUP, "the appliance has no direct mode: "
                             "its console is seen through set_verbose and "
                             "the log events");
    return -1;
  }
  return 0;
}

int
drydock_impl_get_direct (drydock_h *h)
{
  (void) h;
  return 0;
}

int
drydock_impl_set_selinux (drydock_h *h, int selinux)
{
  if (selinux) {
    drydock_int_error_errno (h, ENOTSUP, "the appliance boots without "
                             "SELinux: selinux_relabel labels a guest's "
                             "files");
    return -1;
  }
  return 0;
}

int
drydock_impl_get_selinux (drydock_h *h)
{
  (void) h;
  return 0;
}

int
drydock_impl_wait_ready (drydock_h *h)
{
  (void) h;
  return 0;
}

int
drydock_impl_kill_subprocess (drydock_h *h)
{
  return drydock_shutdown (h);
}

/* Inspection: not told apart, always false. */

int
drydock_impl_inspect_is_live (drydock_h *h, const char *root)
{
  (void) h;
  (void) root;
  return 0;
}

int
drydock_impl_inspect_is_multipart (drydock_h *h, const char *root)
{
  (void) h;
  (void) root;
  return 0;
}

int
drydock_impl_inspect_is_netinst (drydock_h *h, const char *root)
{
  (void) h;
  (void) root;
  return 0;
}

/* 9p: the appliance has no such transport. */

char **
drydock_impl_list_9p (drydock_h *h)
{
  char **r = calloc (1, sizeof *r);

  if (r == NULL)
    drydock_int_perror (h, "calloc");
  return r;
}

int
drydock_impl_mount_9p (drydock_h *h, const char *mounttag,
                       const char *mountpoint,
                       const struct drydock_mount_9p_opts_argv *optargs)
{
  (void) mountpoint;
  (void) optargs;
  drydock_int_error_errno (h, ENOTSUP, "%s: the appliance has no 9p "
                           "transport", mounttag);
  return -1;
}

/* sfdisk lines in MiB: a start or size that is a plain number gets the
 * suffix M. */
static int
is_number (const char *s, size_t n)
{
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; ++i)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static char *
line_in_mib (const char *line)
{
  size_t a = strcspn (line, ",");
  const char *rest = line[a] ? line + a + 1 : NULL;
  size_t b = rest ? strcspn (rest, ",") : 0;
  char *r = NULL;

  if (asprintf (&r, "%.*s%s%s%.*s%s%s", (int) a, line,
                is_number (line, a) ? "M" : "",
                rest ? "," : "", (int) b, rest ? rest : "",
                rest && is_number (rest, b) ? "M" : "",
                rest ? rest + b : "") == -1)
    return NULL;
  return r;
}

int
drydock_impl_sfdiskM (drydock_h *h, const char *device, char *const *lines)
{
  struct strlist l = STRLIST_INIT;
  int r;

  for (size_t i = 0; lines[i]; ++i) {
    char *s = line_in_mib (lines[i]);

    if (s == NULL || strlist_add_take (&l, s) == -1) {
      strlist_free (&l);
      drydock_int_perror (h, "malloc");
      return -1;
    }
  }
  r = drydock_sfdisk (h, device, 0, 0, 0,
                      l.v ? l.v : (char *[]) { NULL });
  strlist_free (&l);
  return r;
}

/* ll's listing with each entry's SELinux context after its group.  The
 * entries of ll are ".", ".." and ls's names sorted by strcmp, one a
 * line after "total". */
static char *
context_of (drydock_h *h, const char *directory, const char *name)
{
  CLEANUP_FREE char *path = NULL;
  char *v;
  size_t n;

  if (asprintf (&path, "%s%s%s", directory,
                directory[strlen (directory) - 1] == '/' ? "" : "/",
                name) == -1)
    return NULL;
  v = drydock_lgetxattr (h, path, "security.selinux", &n);
  if (v == NULL || n == 0 || memchr (v, '\n', n)) {
    free (v);
    return strdup ("?");
  }
  /* The attribute often ends with its NUL. */
  if (v[n - 1] != '\0') {
    char *t = realloc (v, n + 1);

    if (t == NULL) {
      free (v);
      return NULL;
    }
    v = t;
    v[n] = '\0';
  }
  return v;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char *
drydock_impl_llz (drydock_h *h, const char *directory)
{
  CLEANUP_FREE char *ll = drydock_ll (h, directory);
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  CLEANUP_FREE char **all = NULL;
  char *out = NULL, *line, *next;
  size_t n = 0, len = 0, k = 0;
  FILE *fp;

  if (ll == NULL || (names = drydock_ls (h, directory)) == NULL)
    return NULL;
  while (names[n])
    ++n;
  all = malloc ((n + 2) * sizeof *all);
  if (all == NULL) {
    drydock_int_perror (h, "malloc");
    return NULL;
  }
  all[0] = (char *) ".";
  all[1] = (char *) "..";
  memcpy (all + 2, names, n * sizeof *all);
  qsort (all, n + 2, sizeof *all, compare_names);
  fp = open_memstream (&out, &len);
  if (fp == NULL) {
    drydock_int_perror (h, "open_memstream");
    return NULL;
  }
  for (line = ll; *line; line = next) {
    size_t end = strcspn (line, "\n"), at = 0;

    next = line + end + (line[end] == '\n');
    if (strncmp (line, "total ", 6) == 0 || k >= n + 2) {
      fprintf (fp, "%.*s\n", (int) end, line);
      continue;
    }
    /* After the fourth field (mode, links, owner, group). */
    for (int f = 0; f < 4 && at < end; ++f) {
      while (at < end && line[at] == ' ')
        ++at;
      while (at < end && line[at] != ' ')
        ++at;
    }
    CLEANUP_FREE char *ctx = context_of (h, directory, all[k++]);
    fprintf (fp, "%.*s %s%.*s\n", (int) at, line, ctx ? ctx : "?",
             (int) (end - at), line + at);
  }
  if (fclose (fp) == EOF) {
    free (out);
    drydock_int_perror (h, "open_memstream");
    return NULL;
  }
  return out;
}
