/* SPDX-License-Identifier: GPL-2.0-or-later */
/* extentlist: where the bytes of regular files lie on the drives, so
 * that the library can read them from qemu's block layer on the host
 * instead of through the appliance (a download of 100 MiB then costs
 * no guest disk request and no copy through the channel, which under
 * TCG is most of its time).
 *
 * A file's extents come from FIEMAP, after its dirty pages are written
 * back (FIEMAP_FLAG_SYNC), so the drive holds what the guest would
 * read.  Only where the physical address is a byte of the filesystem's
 * block device (ext2/3/4, XFS data device) and that device is a drive,
 * a partition of one or a stack of dm linear targets over those, is a
 * file mapped; any other file (btrfs, an encrypted device, inline or
 * journalled data, a loop device ...) is answered "not mapped" and the
 * library reads it the ordinary way.  Names are resolved inside the
 * directory as readfilelist resolves them, and only regular files are
 * opened (see open_in_dir). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/dm-ioctl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "wire.h"

/* What one reply holds, its framing left aside. */
#define EXTENTS_REPLY_MAX (WIRE_MESSAGE_MAX - 64 * 1024)
#define EXTENT_BYTES 28         /* logical, physical, length, drive */
#define HEAD_BYTES 12           /* size, count */
/* Extents asked of FIEMAP at a time. */
#define FIEMAP_BATCH 256
/* dm tables stacked on each other, at most. */
#define DM_DEPTH 4
/* Devices a call looks up. */
#define PLACES_MAX 16

#define EXT_SUPER_MAGIC 0xEF53
#define XFS_MAGIC 0x58465342

/* [start, start + len) of a device lies at offset on drive. */
struct seg {
  uint64_t start, len, offset;
  int drive;
};

/* Where a block device lies: its segments in order (none: not
 * mappable). */
struct place {
  dev_t dev;
  size_t n;
  struct seg *segs;
  int journalled;               /* ext4 data=journal: data not in place */
  long fstype;                  /* statfs's f_type */
};

static int
add_seg (struct place *p, uint64_t start, uint64_t len, int drive,
         uint64_t offset)
{
  struct seg *s = realloc (p->segs, (p->n + 1) * sizeof *s);

  if (s == NULL)
    return -1;
  p->segs = s;
  s[p->n++] = (struct seg) { .start = start, .len = len, .offset = offset,
                             .drive = drive };
  return 0;
}

static int place_of (dev_t dev, struct place *p, int depth);

/* A dm device's table, each linear target mapped through the device
 * under it.  -1 if any target is something else. */
static int
place_of_dm (dev_t dev, struct place *p, int depth)
{
  union {
    struct dm_ioctl io;
    char bytes[16384];
  } u;
  CLEANUP_CLOSE int ctl = -1;
  size_t at;

  if (depth >= DM_DEPTH)
    return -1;
  ctl = open ("/dev/mapper/control", O_RDWR | O_CLOEXEC);
  if (ctl == -1)
    return -1;
  memset (&u, 0, sizeof u);
  u.io.version[0] = DM_VERSION_MAJOR;
  u.io.data_size = sizeof u;
  u.io.data_start = sizeof u.io;
  u.io.dev = (uint64_t) dev;
  u.io.flags = DM_STATUS_TABLE_FLAG;
  if (ioctl (ctl, DM_TABLE_STATUS, &u.io) == -1 ||
      (u.io.flags & DM_BUFFER_FULL_FLAG) || u.io.target_count == 0)
    return -1;
  at = u.io.data_start;
  for (uint32_t t = 0; t < u.io.target_count; ++t) {
    struct dm_target_spec spec;
    unsigned int maj, min;
    unsigned long long off;
    struct place under = { 0 };
    const char *params;
    int r = 0;

    if (at + sizeof spec >= sizeof u)
      return -1;
    memcpy (&spec, u.bytes + at, sizeof spec);
    params = u.bytes + at + sizeof spec;
    if (strnlen (params, sizeof u - at - sizeof spec) == sizeof u - at - sizeof spec ||
        strcmp (spec.target_type, "linear") != 0 ||
        sscanf (params, "%u:%u %llu", &maj, &min, &off) != 3 ||
        spec.length > UINT64_MAX / 512 || off > UINT64_MAX / 512 ||
        place_of (makedev (maj, min), &under, depth + 1) == -1)
      return -1;
    /* This target's bytes [o, o + len) of the device under it, through
     * that device's own segments. */
    uint64_t o = off * 512, len = spec.length * 512, base = spec.sector_start * 512;
    for (size_t i = 0; i < under.n && r == 0; ++i) {
      const struct seg *s = &under.segs[i];
      uint64_t lo = o > s->start ? o : s->start;
      uint64_t end = s->len > UINT64_MAX - s->start ? UINT64_MAX : s->start + s->len;
      uint64_t hi = o + len < end ? o + len : end;

      if (lo < hi)
        r = add_seg (p, base + (lo - o), hi - lo, s->drive,
                     s->offset + (lo - s->start));
    }
    free (under.segs);
    if (r == -1)
      return -1;
    at = u.io.data_start + spec.next;
    if (spec.next == 0 && t + 1 < u.io.target_count)
      return -1;
  }
  return 0;
}

/* A drive, or a partition of one: one segment.  A dm device: its
 * table.  -1 for anything else. */
static int
place_of (dev_t dev, struct place *p, int depth)
{
  char path[64], real[PATH_MAX], line[64], *base, *slash;
  uint64_t start = 0;
  int drive;

  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/dm", major (dev),
            minor (dev));
  if (access (path, F_OK) == 0)
    return place_of_dm (dev, p, depth);
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u", major (dev),
            minor (dev));
  if (realpath (path, real) == NULL)
    return -1;
  base = strrchr (real, '/');
  if (base == NULL)
    return -1;
  snprintf (path, sizeof path, "/sys/dev/block/%u:%u/start", major (dev),
            minor (dev));
  if (read_sysfs_line (path, line, sizeof line) == 0) {
    /* A partition: its disk is the directory above. */
    char *end;
    unsigned long long sectors = strtoull (line, &end, 10);

    if (end == line || sectors > UINT64_MAX / 512)
      return -1;
    start = sectors * 512;
    *base = '\0';
    slash = strrchr (real, '/');
    if (slash == NULL)
      return -1;
    drive = appliance_drive_of (slash + 1);
  }
  else
    drive = appliance_drive_of (base + 1);
  if (drive < 0)
    return -1;
  return add_seg (p, 0, UINT64_MAX, drive, start);
}

/* Whether the filesystem on dev is mounted data=journal (its data is
 * written to the journal first, and in place only later). */
static int
journalled (dev_t dev)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/self/mountinfo", "re");
  CLEANUP_FREE char *line = NULL;
  size_t n = 0;

  while (fp && getline (&line, &n, fp) != -1) {
    unsigned int maj, min;

    if (sscanf (line, "%*d %*d %u:%u", &maj, &min) == 2 &&
        makedev (maj, min) == dev && strstr (line, "data=journal"))
      return 1;
  }
  return 0;
}

struct places {
  struct place p[PLACES_MAX];
  size_t n;
};

/* The place of the device of the file fd (on dev), looked up once a
 * call; NULL if it is not mappable: not ext2/3/4 or XFS, not on a
 * drive. */
static const struct place *
lookup (struct places *ps, int fd, dev_t dev)
{
  struct place *p;
  struct statfs sf;

  for (size_t i = 0; i < ps->n; ++i)
    if (ps->p[i].dev == dev)
      return ps->p[i].n && !ps->p[i].journalled ? &ps->p[i] : NULL;
  if (ps->n == PLACES_MAX)
    return NULL;
  p = &ps->p[ps->n++];
  memset (p, 0, sizeof *p);
  p->dev = dev;
  if (fstatfs (fd, &sf) == -1 ||
      (sf.f_type != EXT_SUPER_MAGIC && sf.f_type != XFS_MAGIC))
    return NULL;
  p->fstype = (long) sf.f_type;
  if (place_of (dev, p, 0) == -1) {
    free (p->segs);
    p->segs = NULL;
    p->n = 0;
    return NULL;
  }
  p->journalled = journalled (dev);
  return p->journalled ? NULL : p;
}

static void
places_free (struct places *ps)
{
  for (size_t i = 0; i < ps->n; ++i)
    free (ps->p[i].segs);
}

/* An extent of the file: bytes [logical, logical + len) are at physical
 * on drive, or read as zeros (physical -1). */
struct ext {
  int64_t logical, physical, len;
  int drive;
};

struct extents {
  struct ext *v;
  size_t n, max;
};

static int
push (struct extents *e, int64_t logical, int64_t physical, int64_t len,
      int drive)
{
  if (e->n == e->max)
    return -1;
  e->v[e->n++] = (struct ext) { logical, physical, len, drive };
  return 0;
}

/* A device extent [phys, phys + len) of the file at logical, split
 * over the device's segments. */
static int
push_mapped (struct extents *e, const struct place *p, uint64_t logical,
             uint64_t phys, uint64_t len)
{
  for (size_t i = 0; i < p->n && len > 0; ++i) {
    const struct seg *s = &p->segs[i];
    uint64_t end = s->len > UINT64_MAX - s->start ? UINT64_MAX : s->start + s->len;
    uint64_t k;

    if (phys < s->start || phys >= end)
      continue;
    k = end - phys < len ? end - phys : len;
    if (s->offset > INT64_MAX - (phys - s->start) || k > INT64_MAX ||
        push (e, (int64_t) logical, (int64_t) (s->offset + (phys - s->start)),
              (int64_t) k, s->drive) == -1)
      return -1;
    logical += k;
    phys += k;
    len -= k;
    i = (size_t) -1;            /* segments need not be in device order */
  }
  return len == 0 ? 0 : -1;
}

/* The file fd's extents up to size, or -1 if it cannot be mapped. */
static int
map_file (int fd, const struct stat *st, struct places *ps,
          struct extents *e)
{
  const uint32_t bad = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC |
    FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_ENCRYPTED |
    FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE |
    FIEMAP_EXTENT_DATA_TAIL;
  union {
    struct fiemap fm;
    char bytes[sizeof (struct fiemap) +
               FIEMAP_BATCH * sizeof (struct fiemap_extent)];
  } u;
  const struct place *p = lookup (ps, fd, st->st_dev);
  uint64_t size = (uint64_t) st->st_size, next = 0;
  int flags = 0, first = 1;

  if (p == NULL)
    return -1;
  if (ioctl (fd, FS_IOC_GETFLAGS, &flags) == 0 &&
      (flags & (FS_JOURNAL_DATA_FL | FS_COMPR_FL)))
    return -1;
  if (p->fstype == XFS_MAGIC) {
    struct fsxattr fx;

    /* A realtime file's blocks are on the realtime device. */
    if (ioctl (fd, FS_IOC_FSGETXATTR, &fx) == -1 ||
        (fx.fsx_xflags & FS_XFLAG_REALTIME))
      return -1;
  }
  e->n = 0;
  while (next < size) {
    memset (&u.fm, 0, sizeof u.fm);
    u.fm.fm_start = next;
    u.fm.fm_length = size - next;
    u.fm.fm_flags = first ? FIEMAP_FLAG_SYNC : 0;
    u.fm.fm_extent_count = FIEMAP_BATCH;
    if (ioctl (fd, FS_IOC_FIEMAP, &u.fm) == -1)
      return -1;
    first = 0;
    if (u.fm.fm_mapped_extents == 0)
      break;                    /* a hole to the end */
    for (uint32_t i = 0; i < u.fm.fm_mapped_extents; ++i) {
      const struct fiemap_extent *x = &u.fm.fm_extents[i];
      uint64_t lo = x->fe_logical, len = x->fe_length;

      if (x->fe_flags & bad)
        return -1;
      if (lo < next || len == 0 || lo >= size)
        return -1;
      /* The last block reaches past the end of the file. */
      if (len > size - lo)
        len = size - lo;
      if (x->fe_flags & FIEMAP_EXTENT_UNWRITTEN) {
        if (push (e, (int64_t) lo, -1, (int64_t) len, -1) == -1)
          return -1;
      }
      else if (push_mapped (e, p, lo, x->fe_physical, len) == -1)
        return -1;
      next = lo + len;
      if (x->fe_flags & FIEMAP_EXTENT_LAST)
        next = size;
    }
  }
  return 0;
}

/* Opens the regular file name (relative, its last component not
 * followed) for its map, its directory's fd kept in *dir (named
 * *dirname) for the next name of the same directory: the names of a
 * batch come a directory at a time, and a lookup of one component in
 * an open directory costs far less than a walk from the top and a
 * reopen through /proc (open_regular_in_root), which under TCG was most
 * of the call's time.  The last component is checked before it is
 * opened (not a regular file: never opened), and opened with
 * O_NOFOLLOW | O_NONBLOCK, then checked again to be that inode: the
 * appliance runs nothing else that could swap it in between. */
static int
open_in_dir (int top, const char *name, int *dir, char **dirname,
             struct stat *st)
{
  const char *slash = strrchr (name, '/');
  const char *base = slash ? slash + 1 : name;
  size_t k = slash ? (size_t) (slash - name) : 0;
  struct stat fst;
  int fd;

  if (*dir == -1 || strlen (*dirname) != k || strncmp (*dirname, name, k) != 0) {
    if (*dir >= 0 && *dir != top)
      close (*dir);
    free (*dirname);
    *dir = -1;
    *dirname = strndup (name, k);
    if (*dirname == NULL)
      return -1;
    *dir = k == 0 ? top : openat2_in_root (top, *dirname, O_PATH | O_DIRECTORY, 0);
    if (*dir == -1)
      return -1;
  }
  if (fstatat (*dir, base, st, AT_SYMLINK_NOFOLLOW) == -1 ||
      !S_ISREG (st->st_mode))
    return -1;
  fd = openat (*dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
               O_CLOEXEC);
  if (fd >= 0 && (fstat (fd, &fst) == -1 || !S_ISREG (fst.st_mode) ||
                  fst.st_ino != st->st_ino || fst.st_dev != st->st_dev)) {
    close (fd);
    return -1;
  }
  return fd;
}

char *
do_extentlist (const char *path, char *const *names, int follow,
               size_t *size_r)
{
  CLEANUP_CLOSE int dirfd = -1;
  size_t n = count_strings (names), len = 0;
  CLEANUP_FREE char *buf = NULL, *dirname = NULL;
  int dir = -1;
  struct places ps = { .n = 0 };
  struct extents e = { .n = 0 };

  if (n > EXTENTS_REPLY_MAX / HEAD_BYTES)
    return (reply_with_error_errno (EMSGSIZE, "%s: %zu names: more than one "
                                    "reply holds", path, n), NULL);
  dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return (reply_with_perror ("%s", path), NULL);
  buf = malloc (EXTENTS_REPLY_MAX);
  e.max = EXTENTS_REPLY_MAX / EXTENT_BYTES;
  e.v = malloc (e.max * sizeof *e.v);
  if (buf == NULL || e.v == NULL) {
    free (e.v);
    return (reply_with_perror ("%s", path), NULL);
  }
  for (size_t i = 0; i < n; ++i) {
    /* Room left for this name's extents, the heads to come kept. */
    size_t room = EXTENTS_REPLY_MAX - len - (n - i) * HEAD_BYTES;
    CLEANUP_CLOSE int fd = -1;
    struct stat st;
    int mapped = 0;

    if (relative_name (names[i]))
      fd = follow ? open_regular_in_root (dirfd, names[i], 0, &st) :
        open_in_dir (dirfd, names[i], &dir, &dirname, &st);
    if (fd == -1) {
      put_be64 (buf + len, -1);
      len += 8;
      continue;
    }
    mapped = map_file (fd, &st, &ps, &e) == 0 &&
      e.n <= room / EXTENT_BYTES;
    put_be64 (buf + len, st.st_size);
    put_be32 (buf + len + 8, mapped ? (int32_t) e.n : -1);
    len += HEAD_BYTES;
    if (!mapped)
      continue;
    /* The drive goes with each extent: a dm device may span drives. */
    for (size_t k = 0; k < e.n; ++k) {
      put_be64 (buf + len, e.v[k].logical);
      put_be64 (buf + len + 8, e.v[k].physical);
      put_be64 (buf + len + 16, e.v[k].len);
      put_be32 (buf + len + 24, e.v[k].drive);
      len += EXTENT_BYTES;
    }
  }
  if (dir >= 0 && dir != dirfd)
    close (dir);
  places_free (&ps);
  free (e.v);
  *size_r = len;
  return TAKE_PTR (buf);
}
