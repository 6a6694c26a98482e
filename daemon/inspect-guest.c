/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the files of a guest being inspected.  Inspection works on
 * filesystems mounted in private directories, not under /sysroot, so
 * every path is resolved against the candidate's own root fd with
 * openat2(RESOLVE_IN_ROOT): a symlink to /etc/shadow or "../../.." in a
 * crafted guest stays inside that guest.  Reads are bounded, and only
 * regular files are read (a FIFO or a device in the guest is refused,
 * never opened: sysroot.c's open_regular_in_root). */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "inspect.h"

int
guest_open (int rootfd, const char *path, int flags)
{
  return openat2_in_root (rootfd, path, flags, 0);
}

int
guest_open_regular (int rootfd, const char *path)
{
  return open_regular_in_root (rootfd, path, 0, NULL);
}

char *
guest_read (int rootfd, const char *path, size_t max, size_t *len)
{
  CLEANUP_CLOSE int fd = guest_open_regular (rootfd, path);
  size_t n;
  char *buf;

  if (fd == -1)
    return NULL;
  /* The buffer grows as the file turns out to be bigger, never past
   * max: a sparse 2 GiB file costs max bytes, not 2 GiB. */
  buf = read_fd_max (fd, max, &n);
  if (buf && len)
    *len = n;
  return buf;
}

static int
is_kind (int rootfd, const char *path, mode_t kind)
{
  CLEANUP_CLOSE int fd = guest_open (rootfd, path, O_PATH);
  struct stat st;

  return fd != -1 && fstat (fd, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

int
guest_is_dir (int rootfd, const char *path)
{
  return is_kind (rootfd, path, S_IFDIR);
}

int
guest_is_file (int rootfd, const char *path)
{
  return is_kind (rootfd, path, S_IFREG);
}

char *
guest_case_lookup (int rootfd, const char *dir, const char *name)
{
  int fd = guest_open (rootfd, dir, O_RDONLY | O_DIRECTORY);
  DIR *d;
  struct dirent *e;
  char *r;
  unsigned seen = 0;

  d = dir_stream (fd);
  if (d == NULL)
    return NULL;
  /* A directory of millions of entries is not a Windows system root:
   * stop looking after a bound. */
  while (seen++ < 100000 && (e = readdir (d)) != NULL)
    if (strcasecmp (e->d_name, name) == 0) {
      r = strdup (e->d_name);
      closedir (d);
      return r;
    }
  closedir (d);
  errno = ENOENT;
  return NULL;
}
