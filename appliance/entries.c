/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: the lists of files, directories and symlinks
 * that make up the initrd and the root image, how host paths map to
 * archive paths, the fixed skeleton (directories, /etc files), opening
 * a file entry's content, and the content hash.  Separate from cpio.c
 * and rootfs.c so that deciding *what* goes in (and hashing it) does
 * not depend on *how* it is written.
 */

#include "make-appliance.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>


/* Top-level symlinks of a merged-/usr host (/lib -> usr/lib ...) that
 * are recreated in the appliance.  Host paths going through them are
 * stored at their target, so both spellings work inside.
 */
struct mirror {
  const char *name;
  char target[64];              /* "usr/lib", no leading '/' */
  bool present;
};
static struct mirror mirrors[] = {
  { .name = "bin" }, { .name = "sbin" }, { .name = "lib" },
  { .name = "lib64" },
};
#define NR_MIRRORS (sizeof mirrors / sizeof mirrors[0])

void
entries_init_symlinks (void)
{
  for (size_t i = 0; i < NR_MIRRORS; ++i) {
    CLEANUP_FREE char *path = xasprintf ("/%s", mirrors[i].name);
    char buf[sizeof mirrors[i].target];
    ssize_t r = readlink (path, buf, sizeof buf - 1);
    const char *t = buf;

    if (r <= 0)
      continue;
    buf[r] = '\0';
    while (*t == '/')
      t++;
    /* Only simple targets inside the root, e.g. "usr/lib". */
    if (*t == '\0' || strstr (t, "..") || strchr (t, '/') == NULL ||
        t[strlen (t) - 1] == '/')
      continue;
    strcpy (mirrors[i].target, t);
    mirrors[i].present = true;
  }
}

/* Rewrite a leading mirrored component, at most a few times. */
static char *
apply_mirrors (char *p)
{
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (size_t i = 0; i < NR_MIRRORS && !changed; ++i) {
      size_t n = strlen (mirrors[i].name);
      if (!mirrors[i].present || strncmp (p, mirrors[i].name, n) != 0 ||
          (p[n] != '/' && p[n] != '\0'))
        continue;
      char *q = xasprintf ("%s%s", mirrors[i].target, p + n);
      free (p);
      p = q;
      changed = true;
    }
    if (!changed)
      break;
  }
  return p;
}

/* Lexically drop "//" and "/./"; resolve the directory on the host if
 * the path contains "..", as $ORIGIN/../lib runpaths do.
 */
static char *
normalize (const char *host_path)
{
  char resolved[PATH_MAX];
  CLEANUP_FREE char *dir = NULL;
  const char *slash;
  char *out, *o;

  if (strstr (host_path, "/../") && (slash = strrchr (host_path, '/'))) {
    dir = xstrndup (host_path, slash - host_path);
    if (realpath (dir, resolved) != NULL)
      return xasprintf ("%s%s", resolved, slash);
  }
  out = o = xmalloc (strlen (host_path) + 1);
  for (const char *p = host_path; *p; ) {
    if (p[0] == '/' && p[1] == '/')
      p++;
    else if (p[0] == '/' && p[1] == '.' && p[2] == '/')
      p += 2;
    else
      *o++ = *p++;
  }
  *o = '\0';
  return out;
}

char *
archive_path (const char *host_path)
{
  CLEANUP_FREE char *norm = normalize (host_path);
  const char *p = norm;

  while (*p == '/')
    p++;
  return apply_mirrors (xstrdup (p));
}

struct entry *
entry_find (struct entry_vector *v, const char *path)
{
  for (size_t i = 0; i < v->len; ++i)
    if (strcmp (v->ptr[i].path, path) == 0)
      return &v->ptr[i];
  return NULL;
}

static struct entry *
entry_new (struct entry_vector *v, char *apath, enum entry_kind kind,
           mode_t mode)
{
  struct entry e = { .path = apath, .kind = kind, .mode = mode & 07777 };

  if (entry_vector_append (v, e) == -1)
    out_of_memory ();
  return &v->ptr[v->len - 1];
}

int
entry_add_file (struct entry_vector *v, const char *host_path,
                const char *apath, mode_t mode)
{
  char *path = apath ? xstrdup (apath) : archive_path (host_path);
  struct entry *e;
  struct stat st;

  if (entry_find (v, path)) {
    free (path);
    return 1;
  }
  if (stat (host_path, &st) == -1) {
    error_set_errno (host_path, errno);
    free (path);
    return -1;
  }
  if (!S_ISREG (st.st_mode)) {
    error_set (host_path, _("not a regular file"));
    free (path);
    return -1;
  }
  e = entry_new (v, path, ENTRY_FILE, mode ? mode : st.st_mode & 0777);
  e->source = xstrdup (host_path);
  e->host_dev = st.st_dev;
  e->host_ino = st.st_ino;
  e->size = st.st_size;
  return 0;
}

bool
entry_is_plain_file (const struct entry *e)
{
  return e->kind == ENTRY_FILE && !e->decompress && !e->strip_signature;
}

/* A compressed module is decompressed to an unlinked scratch file. */
static int
open_decompressed (const struct entry *e, const char *tmpdir)
{
  CLEANUP_FREE char *tmp = xasprintf ("%s/decompressed-XXXXXX", tmpdir);
  CLEANUP_CLOSE int in = -1, out = -1;
  const char *argv[] = { e->decompress, "-dc", NULL };
  pid_t pid;

  in = open (e->source, O_RDONLY | O_CLOEXEC);
  if (in == -1) {
    error_set_errno (e->source, errno);
    return -1;
  }
  out = mkostemp (tmp, O_CLOEXEC);
  if (out == -1) {
    error_set_errno (tmp, errno);
    return -1;
  }
  unlink (tmp);
  pid = spawn (argv, in, out, NULL);
  if (pid == -1)
    return -1;
  if (wait_child (pid, e->decompress) != 0) {
    error_set (e->source, _("could not be decompressed with %s"),
               e->decompress);
    return -1;
  }
  return TAKE_FD (out);
}

int
entry_open (const struct entry *e, const char *tmpdir, uint64_t *size)
{
  CLEANUP_CLOSE int fd = -1;
  struct stat st;
  int64_t n;

  if (e->decompress)
    fd = open_decompressed (e, tmpdir);
  else if ((fd = open (e->source, O_RDONLY | O_CLOEXEC)) == -1)
    error_set_errno (e->source, errno);
  if (fd == -1)
    return -1;
  if (fstat (fd, &st) == -1 || lseek (fd, 0, SEEK_SET) == -1) {
    error_set_errno (e->source, errno);
    return -1;
  }
  *size = st.st_size;
  if (e->strip_signature) {
    if ((n = modsig_unsigned_size (fd, *size, e->source)) == -1)
      return -1;
    *size = n;
  }
  return TAKE_FD (fd);
}

void
entries_copy_files (struct entry_vector *dst, const struct entry_vector *src)
{
  for (size_t i = 0; i < src->len; ++i) {
    struct entry e = src->ptr[i];
    if (e.kind != ENTRY_FILE || strcmp (e.path, "init") == 0 ||
        entry_find (dst, e.path))
      continue;
    e.path = xstrdup (e.path);
    e.source = xstrdup (e.source);
    if (entry_vector_append (dst, e) == -1)
      out_of_memory ();
  }
}

void
entry_add_data (struct entry_vector *v, const char *apath, mode_t mode,
                char *data, size_t len)
{
  struct entry *e = entry_new (v, xstrdup (apath), ENTRY_DATA, mode);

  e->data = data;
  e->data_len = len;
  e->size = len;
}

void
entry_add_dir (struct entry_vector *v, const char *apath, mode_t mode)
{
  if (!entry_find (v, apath))
    entry_new (v, xstrdup (apath), ENTRY_DIR, mode);
}

void
entry_add_symlink (struct entry_vector *v, const char *apath,
                   const char *target)
{
  struct entry *e = entry_new (v, xstrdup (apath), ENTRY_SYMLINK, 0777);

  e->data = xstrdup (target);
  e->data_len = e->size = strlen (target);
}

void
entry_add_chardev (struct entry_vector *v, const char *apath, mode_t mode,
                   unsigned major, unsigned minor)
{
  struct entry *e = entry_new (v, xstrdup (apath), ENTRY_CHARDEV, mode);

  e->rdev_major = major;
  e->rdev_minor = minor;
}

void
entries_add_skeleton (struct entry_vector *v)
{
  static const struct { const char *path; mode_t mode; } dirs[] = {
    { "proc", 0555 }, { "sys", 0555 }, { "dev", 0755 }, { "run", 0755 },
    { "tmp", 01777 }, { "sysroot", 0755 }, { "etc", 0755 },
    { "root", 0700 }, { "var", 0755 }, { "var/tmp", 01777 },
    /* Mount points for the root image, see daemon/approot.c. */
    { "approot", 0755 }, { "etc/lvm", 0755 },
  };
  static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n";
  static const char group[] = "root:x:0:\n";

  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; ++i)
    entry_add_dir (v, dirs[i].path, dirs[i].mode);
  for (size_t i = 0; i < NR_MIRRORS; ++i) {
    if (!mirrors[i].present)
      continue;
    entry_add_symlink (v, mirrors[i].name, mirrors[i].target);
    entry_add_dir (v, mirrors[i].target, 0755);
  }
  entry_add_data (v, "etc/passwd", 0644, xstrdup (passwd), strlen (passwd));
  entry_add_data (v, "etc/group", 0644, xstrdup (group), strlen (group));
  entry_add_data (v, "etc/fstab", 0644, xstrdup (""), 0);
  entry_add_symlink (v, "etc/mtab", "/proc/self/mounts");
  entry_add_chardev (v, "dev/console", 0600, 5, 1);
}

static int
compare_entries (const void *a, const void *b)
{
  return strcmp (((const struct entry *) a)->path,
                 ((const struct entry *) b)->path);
}

void
entries_finish (struct entry_vector *v)
{
  size_t n = v->len;

  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *p = xstrdup (v->ptr[i].path);
    for (char *s = strchr (p, '/'); s; s = strchr (s + 1, '/')) {
      *s = '\0';
      entry_add_dir (v, p, 0755);
      *s = '/';
    }
  }
  qsort (v->ptr, v->len, sizeof v->ptr[0], compare_entries);
}

static void
hash_string (struct sha256 *ctx, const char *s)
{
  sha256_update (ctx, s, strlen (s) + 1);
}

int
entries_hash (const struct entry_vector *v, const struct input_vector *inputs,
              struct sha256 *ctx)
{
  for (size_t i = 0; i < v->len; ++i) {
    const struct entry *e = &v->ptr[i];
    const struct input *in;
    char meta[64];

    hash_string (ctx, e->path);
    snprintf (meta, sizeof meta, "%d %o %u:%u %zu %d", (int) e->kind,
              (unsigned) e->mode, e->rdev_major, e->rdev_minor, e->data_len,
              (int) e->strip_signature);
    hash_string (ctx, meta);
    if (e->data)
      sha256_update (ctx, e->data, e->data_len);
    if (e->kind != ENTRY_FILE)
      continue;
    hash_string (ctx, e->decompress ? e->decompress : "");
    in = input_find (inputs, e->source);
    if (in == NULL || in->hash[0] == '\0') {
      error_set (e->source, _("internal error: no content hash"));
      return -1;
    }
    hash_string (ctx, in->hash);
  }
  return 0;
}

void
entry_vector_free (struct entry_vector *v)
{
  for (size_t i = 0; i < v->len; ++i) {
    free (v->ptr[i].path);
    free (v->ptr[i].source);
    free (v->ptr[i].data);
  }
  entry_vector_reset (v);
}
