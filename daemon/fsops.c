/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A directory read with types and inodes (readdir), for a FUSE mount
 * of the guest; the times, renames, links and nodes it also needs are
 * in file-info.c.  As everywhere, paths resolve inside the guest. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"
#include "vector.h"

/* A reply must fit in one message (4 MiB): an entry costs its inode,
 * type and name length besides the name. */
#define READDIR_REPLY_MAX (3584 * 1024)
#define DIRENT_WIRE_OVERHEAD 16

DEFINE_VECTOR_TYPE (dirent_vector, struct drydock_dirent);

static void
dirent_free_fields (struct drydock_dirent e)
{
  free (e.name);
}

/* The type letter of a d_type, or of an lstat when the directory does
 * not record it. */
static char
type_letter (int dirfd, const struct dirent *d)
{
  unsigned char t = d->d_type;
  struct stat st;

  if (t == DT_UNKNOWN &&
      fstatat (dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    t = IFTODT (st.st_mode);
  switch (t) {
  case DT_BLK: return 'b';
  case DT_CHR: return 'c';
  case DT_DIR: return 'd';
  case DT_FIFO: return 'f';
  case DT_LNK: return 'l';
  case DT_REG: return 'r';
  case DT_SOCK: return 's';
  default: return 'u';
  }
}

struct drydock_dirent_list *
do_readdir (const char *dir)
{
  int fd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  CLEANUP_CLOSEDIR DIR *d = dir_stream (fd);
  dirent_vector v = EMPTY_VECTOR;
  struct drydock_dirent_list *r;
  struct dirent *e;
  size_t bytes = 0;

  if (d == NULL)
    goto fail;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    struct drydock_dirent x;

    bytes += strlen (e->d_name) + DIRENT_WIRE_OVERHEAD;
    if (bytes > READDIR_REPLY_MAX) {
      errno = EMSGSIZE;
      goto fail;
    }
    x.ino = (int64_t) e->d_ino;
    x.ftyp = type_letter (dirfd (d), e);
    x.name = strdup (e->d_name);
    if (x.name == NULL || dirent_vector_append (&v, x) == -1) {
      free (x.name);
      goto fail;
    }
  }
  if (errno)
    goto fail;
  r = malloc (sizeof *r);
  if (r == NULL)
    goto fail;
  r->len = (uint32_t) v.len;
  r->val = v.ptr;
  return r;

 fail:
  if (errno == EMSGSIZE)
    reply_with_error_errno (EMSGSIZE, "%s: the entries are more than one "
                            "reply holds (%d bytes)", dir, READDIR_REPLY_MAX);
  else
    reply_with_perror ("%s", dir);
  dirent_vector_iter (&v, dirent_free_fields);
  dirent_vector_reset (&v);
  return NULL;
}
