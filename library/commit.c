/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The roll-forward commit of an overlay into its source image, and the
 * recovery of one that was interrupted.  Separate from drives.c because
 * it is the one place where the user's image is written, and the one
 * that must survive a crash at any instant.
 *
 * A commit drive's overlay lives beside its source (DIR/.NAME.drydock-
 * overlay-XXXXXX, held with an flock while its session lives), so it is
 * on the source's filesystem.  To commit:
 *  1. take an flock on the source (two processes never merge at once);
 *  2. sync the overlay and rename it to DIR/.NAME.drydock-commit.qcow2,
 *     the journal, and sync DIR: from here on, the journal's existence
 *     records that the source is being changed;
 *  3. qemu-img commit -d: writes every cluster the overlay holds into
 *     the source, leaving the overlay as it is;
 *  4. sync the source, remove the journal, sync DIR.
 * Step 3 can be re-run from any point and ends in the same source, so
 * whoever finds a journal rolls the commit forward: add_drive does (or
 * refuses, naming drydock recover, when it may not write the image), and
 * so does recover_image.  A crash at any point therefore leaves the
 * source as it was, or, once the journal is found, fully committed.
 * qemu-img inherits the flock, so a merge that outlives its killed
 * caller still keeps others out.  Convention: -1 with the handle's
 * error set. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "full-rw.h"
#include "source.h"

#define JOURNAL_SUFFIX ".drydock-commit.qcow2"
#define OVERLAY_INFIX ".drydock-overlay-"

/* The directory of the absolute path image (caller frees). */
static char *
dir_of (const char *image)
{
  const char *slash = strrchr (image, '/');

  if (slash == NULL)
    return strdup (".");
  if (slash == image)
    return strdup ("/");
  return strndup (image, (size_t) (slash - image));
}

/* DIR/.NAME followed by suffix (caller frees), NULL with errno. */
static char *
sibling (const char *image, const char *suffix)
{
  const char *slash = strrchr (image, '/');
  CLEANUP_FREE char *dir = dir_of (image);
  char *p;

  if (dir == NULL ||
      asprintf (&p, "%s/.%s%s", strcmp (dir, "/") == 0 ? "" : dir,
                slash ? slash + 1 : image, suffix) == -1)
    return NULL;
  return p;
}

int
drydock_int_commit_check_dir (drydock_h *h, const char *image)
{
  CLEANUP_FREE char *dir = dir_of (image);

  if (dir && access (dir, W_OK | X_OK) == 0)
    return 0;
  drydock_int_perror (h, "add_drive: %s: cannot commit into it: its "
                      "directory (where the commit's overlay and journal "
                      "are kept) is not writable", image);
  return -1;
}

char *
drydock_int_commit_overlay (drydock_h *h, const char *image, int *lock_fd)
{
  char *p = sibling (image, OVERLAY_INFIX "XXXXXX");
  int fd;

  if (p == NULL) {
    drydock_int_perror (h, "launch: %s", image);
    return NULL;
  }
  fd = mkostemp (p, O_CLOEXEC);
  if (fd == -1) {
    drydock_int_perror (h, "launch: %s: cannot create the overlay beside it",
                        image);
    free (p);
    return NULL;
  }
  drydock_int_reaper_add (h, p);
  flock (fd, LOCK_EX | LOCK_NB);
  *lock_fd = fd;
  return p;
}

/* An fd of image holding the commit lock, or -1 with the error set. */
static int
lock_image (drydock_h *h, const char *name, const char *image)
{
  int fd = open (image, O_RDONLY | O_CLOEXEC);

  if (fd == -1) {
    drydock_int_perror (h, "%s", name);
    return -1;
  }
  if (flock (fd, LOCK_EX | LOCK_NB) == -1) {
    int e = errno;

    close (fd);
    if (e == EWOULDBLOCK)
      drydock_int_error_errno (h, EBUSY, "%s: another drydock process is "
                               "committing into it; try again when it is "
                               "done", name);
    else
      drydock_int_error_errno (h, e, "%s: cannot lock it: %s", name,
                               strerror (e));
    return -1;
  }
  return fd;
}

/* Step 3: qemu-img commit -d of the journal, surviving the caller and
 * holding lock_fd while it runs. */
static int
merge (drydock_h *h, const char *name, const char *image, const char *journal,
       int lock_fd)
{
  CLEANUP_FREE char *err = NULL;
  char *const argv[] = { (char *) drydock_int_qemu_img (), "commit", "-q",
                         "-d", "-f", "qcow2", (char *) journal, NULL };
  int r = drydock_int_run_keep (h, argv, NULL, &err, RUN_SURVIVE_CALLER,
                                lock_fd);

  if (r == 0)
    return 0;
  if (err)
    err[strcspn (err, "\n")] = '\0';
  if (r > 128)
    drydock_int_error_errno (h, EINTR, "%s: commit interrupted (qemu-img "
                             "killed by signal %d); it is pending: "
                             "'drydock recover %s' finishes it", name,
                             r - 128, image);
  else
    drydock_int_error_errno (h, EIO, "%s: commit failed: %s; it is "
                             "pending: 'drydock recover %s' finishes it",
                             name, err && *err ? err : r == -1 ?
                             strerror (errno) : "qemu-img failed", image);
  return -1;
}

/* Step 4: the source synced, then the journal removed. */
static int
finish (drydock_h *h, const char *name, const char *image, int fd,
        const char *journal)
{
  if (fsync (fd) == -1 && errno != EINVAL) {
    drydock_int_perror (h, "%s: cannot sync it after the commit; it is "
                        "pending: 'drydock recover %s' finishes it", name,
                        image);
    return -1;
  }
  if (unlink (journal) == -1 || fsync_dir_of (image) == -1) {
    drydock_int_perror (h, "%s: committed, but its journal %s", name,
                        journal);
    return -1;
  }
  return 0;
}

/* Space for the overlay's data where the source lives: what a merge
 * may allocate at most (a sparse raw file, a growing qcow2). */
static int
check_space (drydock_h *h, const char *name, const char *image,
             const char *overlay, int fd)
{
  struct stat src, ov;
  struct statvfs vfs;
  CLEANUP_FREE char *dir = dir_of (image);

  if (fstat (fd, &src) == -1 || !S_ISREG (src.st_mode) ||
      stat (overlay, &ov) == -1 || dir == NULL || statvfs (dir, &vfs) == -1)
    return 0;
  if ((uint64_t) ov.st_blocks * 512 <= (uint64_t) vfs.f_bavail * vfs.f_frsize)
    return 0;
  drydock_int_error_errno (h, ENOSPC, "%s: not enough space to commit "
                           "into it: up to %" PRIu64 " bytes are needed, %"
                           PRIu64 " are free; nothing was committed", name,
                           (uint64_t) ov.st_blocks * 512,
                           (uint64_t) vfs.f_bavail * vfs.f_frsize);
  return -1;
}

int
drydock_int_commit (drydock_h *h, const char *image, const char *overlay)
{
  CLEANUP_FREE char *journal = sibling (image, JOURNAL_SUFFIX);
  CLEANUP_FREE char *name = NULL;
  int fd, r;

  if (journal == NULL || asprintf (&name, "shutdown: %s", image) == -1) {
    drydock_int_perror (h, "shutdown: %s", image);
    return -1;
  }
  fd = lock_image (h, name, image);
  if (fd == -1)
    return -1;
  /* Under the lock, no other drydock process renames a journal: one
   * found here is a commit cut short since add_drive looked, which this
   * overlay must not replace. */
  if (access (journal, F_OK) == 0) {
    drydock_int_error_errno (h, EBUSY, "%s: another commit into it was "
                             "cut short meanwhile (%s); nothing was "
                             "committed: 'drydock recover %s' finishes "
                             "that one", name, journal, image);
    close (fd);
    return -1;
  }
  if (check_space (h, name, image, overlay, fd) == -1) {
    close (fd);
    return -1;
  }
  if (fsync_path (overlay) == -1 || rename (overlay, journal) == -1) {
    drydock_int_perror (h, "%s: overlay %s; nothing was committed", name,
                        overlay);
    close (fd);
    return -1;
  }
  if (fsync_dir_of (image) == -1) {
    drydock_int_perror (h, "%s: journal %s; nothing was committed", name,
                        journal);
    unlink (journal);
    close (fd);
    return -1;
  }
  drydock_int_debug (h, "%s: journal %s written, merging", image, journal);
  r = merge (h, name, image, journal, fd);
  if (r == 0)
    r = finish (h, name, image, fd, journal);
  close (fd);
  return r;
}

/* The journal must be an overlay of this very image: one moved with
 * another image, or left over from a file since replaced, is not
 * merged. */
static int
check_journal (drydock_h *h, const char *name, const char *journal, int fd,
               char **backing_format)
{
  struct imginfo info;
  struct stat a, b;
  int ok;

  if (drydock_int_source_info (h, name, journal, "qcow2", 0, &info) == -1)
    return -1;
  ok = info.n >= 2 && info.links[0].backing &&
    stat (info.links[0].backing, &a) == 0 && fstat (fd, &b) == 0 &&
    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  if (!ok)
    drydock_int_error_errno (h, EINVAL, "%s: a pending commit (%s) names "
                             "another image (%s); not merged: remove it if "
                             "it is stale", name, journal,
                             info.links[0].backing ? info.links[0].backing :
                             "none");
  else
    *backing_format = strdup (info.links[1].format);
  imginfo_free (&info);
  return ok ? 0 : -1;
}

/* A qcow2 (or other) source may have leaked clusters from the merge
 * that was interrupted: qemu-img check repairs leaks, nothing else. */
static void
repair_leaks (drydock_h *h, const char *image, const char *format)
{
  CLEANUP_FREE char *err = NULL;
  char *const argv[] = { (char *) drydock_int_qemu_img (), "check", "-q",
                         "-r", "leaks", "-f", (char *) format,
                         (char *) image, NULL };
  int r;

  if (format == NULL || strcmp (format, "raw") == 0)
    return;
  r = drydock_int_run (h, argv, NULL, &err);
  /* 63: the format has no check. */
  if (r != 0 && r != 63)
    drydock_int_warning (h, "%s: qemu-img check after the recovery: %s",
                         image, err && *err ? err : "failed");
}

/* Session overlays left by a machine that went down (a killed process's
 * reaper removes its own): free ones are unlocked. */
static void
remove_stale_overlays (drydock_h *h, const char *image)
{
  CLEANUP_FREE char *dir = dir_of (image);
  CLEANUP_FREE char *prefix = sibling (image, OVERLAY_INFIX);
  const char *base;
  DIR *dp;
  struct dirent *e;

  if (dir == NULL || prefix == NULL || (dp = opendir (dir)) == NULL)
    return;
  base = strrchr (prefix, '/') + 1;
  while ((e = readdir (dp)) != NULL) {
    CLEANUP_FREE char *p = NULL;
    int fd;

    if (strncmp (e->d_name, base, strlen (base)) != 0 ||
        asprintf (&p, "%s/%s", dir, e->d_name) == -1)
      continue;
    fd = open (p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) == 0) {
      unlink (p);
      drydock_int_debug (h, "%s: removed a stale overlay", p);
    }
    if (fd >= 0)
      close (fd);
  }
  closedir (dp);
}

/* Root may write a file whose mode says read-only; the library does
 * not (as add_drive's check_writable). */
static int
may_write (const char *image, const char *dir)
{
  struct stat st;

  if (access (image, W_OK) == -1 || access (dir, W_OK | X_OK) == -1 ||
      stat (image, &st) == -1)
    return 0;
  return !S_ISREG (st.st_mode) || (st.st_mode & 0222) != 0;
}

int
drydock_int_commit_recover (drydock_h *h, const char *op, const char *image,
                            int stale_too)
{
  CLEANUP_FREE char *journal = sibling (image, JOURNAL_SUFFIX);
  CLEANUP_FREE char *dir = dir_of (image);
  CLEANUP_FREE char *name = NULL, *format = NULL;
  struct stat st;
  int fd, r;

  if (journal == NULL || dir == NULL ||
      asprintf (&name, "%s: %s", op, image) == -1) {
    drydock_int_perror (h, "%s: %s", op, image);
    return -1;
  }
  if (stale_too)
    remove_stale_overlays (h, image);
  if (lstat (journal, &st) == -1 && errno == ENOENT)
    return 0;
  if (!may_write (image, dir)) {
    drydock_int_error_errno (h, EAGAIN, "%s: a commit into it was "
                             "interrupted and is pending (%s): run 'drydock "
                             "recover %s' as a user who may write it", name,
                             journal, image);
    return -1;
  }
  fd = lock_image (h, name, image);
  if (fd == -1)
    return -1;
  /* Finished by another process meanwhile? */
  if (lstat (journal, &st) == -1 && errno == ENOENT) {
    close (fd);
    return 0;
  }
  if (!S_ISREG (st.st_mode)) {
    drydock_int_error_errno (h, EINVAL, "%s: %s is not a regular file; "
                             "not merged", name, journal);
    close (fd);
    return -1;
  }
  r = check_journal (h, image, journal, fd, &format);
  if (r == 0)
    r = merge (h, name, image, journal, fd);
  if (r == 0) {
    repair_leaks (h, image, format);
    r = finish (h, name, image, fd, journal);
  }
  close (fd);
  return r == 0 ? 1 : -1;
}

int
drydock_impl_recover_image (drydock_h *h, const char *filename)
{
  CLEANUP_FREE char *path = realpath (filename, NULL);

  if (path == NULL) {
    drydock_int_perror (h, "recover_image: %s", filename);
    return -1;
  }
  return drydock_int_commit_recover (h, "recover_image", path, 1);
}
