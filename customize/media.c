/* Where --inject-virtio-win and --inject-qemu-ga take their files
 * from: a directory of the host, or an ISO 9660 image (the virtio-win
 * ISO).  An ISO is never read by the host: it is one more drive of the
 * appliance, read-only (added before the launch, customize_add_media),
 * mounted by the appliance's kernel on a directory made for the time
 * of the operation at the top of the guest's root filesystem (the only
 * filesystem tree the daemon reaches), and its files copied inside the
 * appliance; the directory is removed afterwards.  A host directory is
 * walked as find -L walks it (the user's own tree, whose links the
 * virtio-win packages use; a loop is skipped) and its files uploaded. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "customize.h"

/* Bounds of what a media may hold. */
#define MEDIA_FILES_MAX 100000

static int
has_magic (const char *path, off_t at, const char *magic, size_t len)
{
  char buf[16];
  int fd = open (path, O_RDONLY | O_CLOEXEC), r;

  if (fd == -1)
    return 0;
  r = pread (fd, buf, len, at) == (ssize_t) len &&
    memcmp (buf, magic, len) == 0;
  close (fd);
  return r;
}

int
customize_is_iso (const char *path)
{
  /* The primary volume descriptor, at sector 16 of 2048 bytes. */
  return has_magic (path, 16 * 2048 + 1, "CD001", 5);
}

int
customize_is_msi (const char *path)
{
  /* A Windows Installer package is an OLE compound file. */
  return has_magic (path, 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
}

/* The operations that take their files from a media. */
static int
takes_media (const struct customize_op *op)
{
  return strcmp (op->def->name, "inject-virtio-win") == 0 ||
    strcmp (op->def->name, "inject-qemu-ga") == 0;
}

static int
is_iso_arg (const struct customize_op *op)
{
  struct stat st;

  return takes_media (op) && stat (op->arg, &st) == 0 &&
    S_ISREG (st.st_mode) && customize_is_iso (op->arg);
}

int
customize_add_media (drydock_h *h, const struct customize_opts *o)
{
  for (size_t i = 0; i < o->n_ops; ++i)
    if (is_iso_arg (&o->ops[i]) &&
        drydock_add_drive_opts (h, o->ops[i].arg,
                                DRYDOCK_ADD_DRIVE_OPTS_FORMAT, "raw",
                                DRYDOCK_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1)
      return tool_lib_error (h);
  return 0;
}

void
customize_media_close (struct customize_ctx *c, struct customize_media *m)
{
  if (m->mnt) {
    /* Only after a failure can these fail, and then the session's
     * changes are dropped anyway. */
    if (drydock_umount (c->h, m->mnt) == 0)
      drydock_rmdir (c->h, m->mnt);
    free (m->mnt);
  }
  for (size_t i = 0; i < m->n; ++i)
    free (m->files[i]);
  free (m->files);
  memset (m, 0, sizeof *m);
}

static int
cmp_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
add_file (struct customize_ctx *c, struct customize_media *m, const char *rel)
{
  char **files;

  if (m->n >= MEDIA_FILES_MAX)
    return customize_op_error (c, _("more than %d files"), MEDIA_FILES_MAX);
  files = realloc (m->files, (m->n + 1) * sizeof *files);
  if (files == NULL || (files[m->n] = strdup (rel)) == NULL) {
    if (files)
      m->files = files;
    return customize_op_error (c, "%s", strerror (errno));
  }
  m->files = files;
  m->n++;
  return 0;
}

/* Every regular file under the host directory, links followed. */
static int
list_host_dir (struct customize_ctx *c, struct customize_media *m)
{
  char *const roots[] = { (char *) m->arg, NULL };
  size_t skip = strlen (m->arg);
  FTS *fts = fts_open (roots, FTS_LOGICAL | FTS_NOCHDIR, NULL);
  FTSENT *e;
  int r = 0;

  if (fts == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  while (r == 0) {
    errno = 0;
    if ((e = fts_read (fts)) == NULL) {
      if (errno)
        r = customize_op_error (c, "%s", strerror (errno));
      break;
    }
    if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR)
      r = customize_op_error (c, "%s: %s", e->fts_path,
                              strerror (e->fts_errno));
    else if (e->fts_info == FTS_F)
      r = add_file (c, m, e->fts_path + skip + (e->fts_path[skip] == '/'));
  }
  fts_close (fts);
  return r;
}

/* The appliance's device of the ISO of the running operation: those
 * of the images, then one a media operation with an ISO, in order. */
static char *
iso_device (struct customize_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **devices = drydock_list_devices (c->h);
  size_t index = c->o->tool.n_drives, n = 0;

  if (devices == NULL) {
    customize_op_lib_error (c);
    return NULL;
  }
  for (size_t i = 0; &c->o->ops[i] != c->op; ++i)
    index += is_iso_arg (&c->o->ops[i]);
  while (devices[n])
    n++;
  if (index >= n) {
    customize_op_error (c, _("the appliance has no drive for the ISO"));
    return NULL;
  }
  return strdup (devices[index]);
}

/* The ISO mounted on a new directory of the guest's root, its files
 * listed. */
static int
list_iso (struct customize_ctx *c, struct customize_media *m)
{
  CLEANUP_FREE char *dev = iso_device (c);
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  unsigned char rnd[4] = { 0 };

  if (dev == NULL)
    return -1;
  if (getrandom (rnd, sizeof rnd, 0) != sizeof rnd)
    return customize_op_error (c, "getrandom: %s", strerror (errno));
  if (asprintf (&m->mnt, "/drydock-media.%02x%02x%02x%02x", rnd[0], rnd[1],
                rnd[2], rnd[3]) == -1) {
    m->mnt = NULL;
    return customize_op_error (c, "%s", strerror (errno));
  }
  if (drydock_mkdir (c->h, m->mnt) == -1) {
    free (m->mnt);
    m->mnt = NULL;
    return customize_op_lib_error (c);
  }
  if (drydock_mount_ro (c->h, dev, m->mnt) == -1) {
    customize_op_lib_error (c);
    drydock_rmdir (c->h, m->mnt);
    free (m->mnt);
    m->mnt = NULL;
    return -1;
  }
  names = drydock_find (c->h, m->mnt);
  if (names == NULL)
    return customize_op_lib_error (c);
  /* The directories too: the caller's filter sees them go by. */
  for (size_t i = 0; names[i]; ++i)
    if (add_file (c, m, names[i]) == -1)
      return -1;
  return 0;
}

int
customize_media_open (struct customize_ctx *c, struct customize_media *m)
{
  struct stat st;
  int r;

  memset (m, 0, sizeof *m);
  m->arg = c->op->arg;
  if (stat (m->arg, &st) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  r = S_ISDIR (st.st_mode) ? list_host_dir (c, m) : list_iso (c, m);
  if (r == 0)
    qsort (m->files, m->n, sizeof *m->files, cmp_names);
  return r;
}

int
customize_media_is_file (struct customize_ctx *c,
                         const struct customize_media *m, const char *rel)
{
  CLEANUP_FREE char *path = NULL;
  int r;

  /* A host directory's list holds its regular files only. */
  if (m->mnt == NULL)
    return 1;
  if (asprintf (&path, "%s/%s", m->mnt, rel) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  r = drydock_is_file_opts (c->h, path,
                            DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 0, -1);
  return r == -1 ? customize_op_lib_error (c) : r;
}

int
customize_media_copy (struct customize_ctx *c,
                      const struct customize_media *m, const char *rel,
                      const char *dest)
{
  CLEANUP_FREE char *src = NULL;
  int r;

  if (asprintf (&src, "%s/%s", m->mnt ? m->mnt : m->arg, rel) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  r = m->mnt ? drydock_cp (c->h, src, dest) : drydock_upload (c->h, src, dest);
  return r == -1 ? customize_op_lib_error (c) : 0;
}
