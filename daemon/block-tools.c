/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tools each in an optional group: mksquashfs (squashfs-tools),
 * f2fs_expand (resize.f2fs), scrub_device and scrub_freespace (scrub),
 * extlinux and syslinux (the SYSLINUX bootloaders; syslinux writes to
 * the FAT through mtools: mcopy, mattrib, and mmove for a directory).
 *
 * A guest path reaches these programs, which open it themselves, as
 * /sysroot and the path the kernel gives the directory opened inside the
 * guest, so no guest symlink leads them out of the guest. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

static int
need (const char *prog)
{
  if (!program_available (prog))
    return reply_with_error_errno (ENOTSUP, "%s: not available in this "
                                   "appliance", prog);
  return 0;
}

/* The appliance path of an existing guest directory.  NULL (replied);
 * caller frees. */
static char *
dir_path (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  CLEANUP_FREE char *g = NULL;
  char *r;

  if (fd == -1 || (g = guest_path_of_fd (fd)) == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  if (asprintf (&r, "%s%s", SYSROOT, strcmp (g, "/") == 0 ? "" : g) == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  return r;
}

/* mksquashfs */

/* Sends file to the host as the call's FileOut, then removes it.  0,
 * or -1 (replied). */
static int
send_and_remove (const char *subject, const char *file)
{
  CLEANUP_CLOSE int fd = open (file, O_RDONLY | O_CLOEXEC);
  CLEANUP_FREE char *buf = malloc (WIRE_CHUNK_MAX);
  ssize_t n = 0;
  int r = fd == -1 || buf == NULL ? -1 : 0;

  while (r == 0 && (n = read (fd, buf, WIRE_CHUNK_MAX)) != 0) {
    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1 || send_file_write (buf, (size_t) n) == -1)
      r = -1;
  }
  if (r == -1) {
    int saved = errno;

    send_file_end (1);
    unlink (file);
    errno = saved;
    return reply_with_perror ("%s", subject);
  }
  unlink (file);
  if (send_file_end (0) == -1)
    return reply_with_perror ("%s", subject);
  return 0;
}

int
do_mksquashfs (const char *path, uint64_t optmask, const char *compress,
               char *const *excludes)
{
  static const char *const methods[] = { "gzip", "lzma", "lzo", "lz4", "xz",
                                         "zstd" };
  CLEANUP_FREE char *src = NULL, *err = NULL;
  char out[] = "/tmp/mksquashfs-XXXXXX";
  struct strlist a = STRLIST_INIT;
  int fd, status, known = 0;

  if (optmask & OPT_MKSQUASHFS_COMPRESS) {
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; ++i)
      known |= strcmp (compress, methods[i]) == 0;
    if (!known)
      return reply_with_error_errno (EINVAL, "compress: unknown method "
                                     "\"%s\" (gzip, lzma, lzo, lz4, xz or "
                                     "zstd)", compress);
  }
  if (need ("mksquashfs") == -1 || (src = dir_path (path)) == NULL)
    return -1;
  /* A name mksquashfs writes over (-noappend); removed after. */
  if ((fd = mkstemp (out)) == -1)
    return reply_with_perror ("mkstemp");
  close (fd);
  if (strlist_add (&a, "mksquashfs") == -1 || strlist_add (&a, src) == -1 ||
      strlist_add (&a, out) == -1 || strlist_add (&a, "-noappend") == -1 ||
      strlist_add (&a, "-quiet") == -1 || strlist_add (&a, "-no-progress") == -1 ||
      ((optmask & OPT_MKSQUASHFS_COMPRESS) &&
       (strlist_add (&a, "-comp") == -1 ||
        strlist_add (&a, compress) == -1)))
    goto nomem;
  if ((optmask & OPT_MKSQUASHFS_EXCLUDES) && excludes && excludes[0]) {
    if (strlist_add (&a, "-wildcards") == -1 || strlist_add (&a, "-e") == -1)
      goto nomem;
    for (size_t i = 0; excludes[i]; ++i)
      if (strlist_add (&a, excludes[i]) == -1)
        goto nomem;
  }
  status = run_command (NULL, &err, a.v);
  if (status != 0) {
    reply_command_error (path, a.v, status, err);
    strlist_free (&a);
    unlink (out);
    return -1;
  }
  strlist_free (&a);
  return send_and_remove (path, out);
 nomem:
  strlist_free (&a);
  unlink (out);
  return reply_with_perror ("mksquashfs");
}

int
optgroup_squashfs_available (void)
{
  return program_available ("mksquashfs");
}

/* f2fs */

int
do_f2fs_expand (const char *device)
{
  char *const argv[] = { "resize.f2fs", (char *) device, NULL };

  if (need ("resize.f2fs") == -1)
    return -1;
  return command_or_reply (device, NULL, argv);
}

int
optgroup_f2fs_available (void)
{
  return program_available ("mkfs.f2fs") && program_available ("resize.f2fs");
}

/* scrub */

int
do_scrub_device (const char *device)
{
  /* -f: scrub a device that has a signature on it, as every disk does;
   * the default method (nnsa) ends with a pass of zeros. */
  char *const argv[] = { "scrub", "-f", (char *) device, NULL };

  if (need ("scrub") == -1)
    return -1;
  return command_or_reply (device, NULL, argv);
}

int
do_scrub_freespace (const char *dir)
{
  CLEANUP_FREE char *base = NULL, *parent = NULL, *target = NULL;
  CLEANUP_CLOSE int pfd = -1;
  CLEANUP_FREE char *g = NULL;

  if (need ("scrub") == -1)
    return -1;
  /* scrub -X makes DIR itself: its parent must exist in the guest. */
  if ((pfd = sysroot_open_parent (dir, &base)) == -1)
    return reply_with_perror ("%s", dir);
  if (strcmp (base, ".") == 0 || strcmp (base, "..") == 0 || *base == '\0')
    return reply_with_error_errno (EINVAL, "%s: not a new directory name",
                                   dir);
  if ((g = guest_path_of_fd (pfd)) == NULL)
    return reply_with_perror ("%s", dir);
  if (asprintf (&target, "%s%s/%s", SYSROOT, strcmp (g, "/") == 0 ? "" : g,
                base) == -1)
    return reply_with_perror ("%s", dir);
  {
    char *const argv[] = { "scrub", "-X", target, NULL };

    return command_or_reply (dir, NULL, argv);
  }
}

int
optgroup_scrub_available (void)
{
  return program_available ("scrub");
}

/* SYSLINUX */

int
do_extlinux (const char *directory)
{
  CLEANUP_FREE char *target = NULL;

  if (need ("extlinux") == -1 || (target = dir_path (directory)) == NULL)
    return -1;
  {
    char *const argv[] = { "extlinux", "--install", target, NULL };

    return command_or_reply (directory, NULL, argv);
  }
}

int
optgroup_extlinux_available (void)
{
  return program_available ("extlinux");
}

int
do_syslinux (const char *device, uint64_t optmask, const char *directory)
{
  char *argv[] = { "syslinux", "--install", NULL, NULL, NULL, NULL };
  size_t n = 2;

  if (need ("syslinux") == -1 || need ("mcopy") == -1 ||
      need ("mattrib") == -1 || need ("mmove") == -1)
    return -1;
  if (optmask & OPT_SYSLINUX_DIRECTORY) {
    if (*directory == '\0' || strchr (directory, '\n'))
      return reply_with_error_errno (EINVAL, "\"%s\": not a directory name",
                                     directory);
    argv[n++] = "--directory";
    argv[n++] = (char *) directory;
  }
  argv[n] = (char *) device;
  return command_or_reply (device, NULL, argv);
}

int
optgroup_syslinux_available (void)
{
  return program_available ("syslinux") && program_available ("mcopy") &&
    program_available ("mattrib") && program_available ("mmove");
}
