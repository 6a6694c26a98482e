/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listings made for tools that walk a guest (virt-ls style): many
 * names of one directory stat'ed or read as links in one round trip
 * (lstatnslist, readlinklist), and a whole tree's names streamed
 * NUL-separated (find0).  Names are looked up in their directory with
 * *at() calls that never follow a symlink; "." and ".." are resolved
 * inside the guest, so ".." of the guest's root is the root. */

#include <config.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* Replies must fit in one message (4 MiB): a statns is 16 numbers of 8
 * bytes. */
#define LIST_MAX (3584 * 1024)
#define STATNS_WIRE_SIZE (16 * 8)

/* An O_PATH|O_NOFOLLOW fd of name in the guest directory path (dirfd):
 * a single component, or "." or "..".  -1 with errno. */
static int
open_name (int dirfd, const char *path, const char *name)
{
  CLEANUP_FREE char *joined = NULL;

  if (*name == '\0' || strchr (name, '/')) {
    errno = EINVAL;
    return -1;
  }
  if (strcmp (name, ".") != 0 && strcmp (name, "..") != 0)
    return openat (dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (asprintf (&joined, "%s/%s", path, name) == -1)
    return -1;
  return sysroot_open (joined, O_PATH | O_NOFOLLOW, 0);
}

struct drydock_statns_list *
do_lstatnslist (const char *path, char *const *names)
{
  size_t n = count_strings (names);
  CLEANUP_CLOSE int dirfd = -1;
  struct drydock_statns_list *r;

  if (n > LIST_MAX / STATNS_WIRE_SIZE) {
    reply_with_error_errno (EMSGSIZE, "%s: %zu names: more than one reply "
                            "holds (%d)", path, n,
                            LIST_MAX / STATNS_WIRE_SIZE);
    return NULL;
  }
  dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = malloc (sizeof *r);
  if (r == NULL || (r->val = calloc (n ? n : 1, sizeof *r->val)) == NULL) {
    free (r);
    reply_with_perror ("%s", path);
    return NULL;
  }
  r->len = (uint32_t) n;
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_CLOSE int fd = open_name (dirfd, path, names[i]);
    struct stat st;

    if (fd >= 0 && fstat (fd, &st) == 0)
      statns_from_stat (&r->val[i], &st);
    else
      r->val[i].st_ino = -1;
  }
  return r;
}

char **
do_readlinklist (const char *path, char *const *names)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  struct strlist l = STRLIST_INIT;
  size_t bytes = 0;
  char **r;

  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_CLOSE int fd = open_name (dirfd, path, names[i]);
    char *target = fd >= 0 ? read_link_at (fd, "") : NULL;

    if (target == NULL && (target = strdup ("")) == NULL)
      goto fail;
    bytes += strlen (target) + 4;
    if (bytes > LIST_MAX) {
      free (target);
      errno = EMSGSIZE;
      goto fail;
    }
    if (strlist_add_take (&l, target) == -1)
      goto fail;
  }
  r = strlist_take (&l);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;

 fail:
  strlist_free (&l);
  if (errno == EMSGSIZE)
    reply_with_error_errno (EMSGSIZE, "%s: the links' targets are more than "
                            "one reply holds (%d bytes)", path, LIST_MAX);
  else
    reply_with_perror ("%s", path);
  return NULL;
}

/* find0 */

static int
add_name (void *opaque, int dirfd, const char *name, const char *rel,
          const struct stat *st)
{
  struct chunk_out *out = opaque;

  (void) dirfd;
  (void) name;
  (void) st;
  return chunk_out_add (out, rel, strlen (rel) + 1);
}

int
do_find0 (const char *directory)
{
  CLEANUP_CLOSE int dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  CLEANUP_FREE char *where = NULL;
  struct chunk_out out = CHUNK_OUT_INIT;
  int err;

  if (dirfd == -1)
    return reply_with_perror ("%s", directory);
  if (walk_tree (dirfd, add_name, &out, &where) == 0)
    return chunk_out_end (&out, 0) == -1 ?
      reply_with_perror ("%s", directory) : 0;
  err = errno;
  chunk_out_end (&out, 1);
  if (where && *where)
    return reply_with_error_errno (err, "%s%s%s: %s", directory,
                                   directory[strlen (directory) - 1] == '/' ?
                                   "" : "/", where, strerror (err));
  errno = err;
  return reply_with_perror ("%s", directory);
}

/* lstatns_tree: every entry of a tree with its lstat and link target,
 * streamed (see the action's doc for the record format). */

/* lstatns_tree's chunks: small enough that the mount serving a
 * directory read waits for little more than its directory. */
#define TREE_FLUSH (64 * 1024)

struct tree_out {
  struct chunk_out out;
  int64_t left;                 /* entries still allowed */
};

static int
add_record (void *opaque, int dirfd, const char *name, const char *rel,
            const struct stat *st)
{
  struct tree_out *t = opaque;
  struct drydock_statns s;
  unsigned char nums[STATNS_WIRE_SIZE];
  const int64_t *f = &s.st_dev;
  CLEANUP_FREE char *target = NULL;

  if (t->left-- <= 0)
    return -1;                  /* the cap: the stream ends here */
  statns_from_stat (&s, st);
  /* The struct is 16 int64 fields in order (the wire's order too). */
  for (int i = 0; i < 16; ++i)
    put_be64 (nums + 8 * i, f[i]);
  if (S_ISLNK (st->st_mode))
    target = read_link_at (dirfd, name);
  if (chunk_out_add (&t->out, rel, strlen (rel) + 1) == -1 ||
      chunk_out_add (&t->out, nums, sizeof nums) == -1 ||
      chunk_out_add (&t->out, target ? target : "",
                     (target ? strlen (target) : 0) + 1) == -1) {
    t->left = -2;               /* a send failed: not the cap */
    return -1;
  }
  return 0;
}

int
do_lstatns_tree (const char *directory, int maxentries)
{
  CLEANUP_CLOSE int dirfd = -1;
  CLEANUP_FREE char *where = NULL;
  struct tree_out t = { CHUNK_OUT_INIT, maxentries };

  /* The mount's directory reads take the list as it arrives. */
  t.out.flush_at = TREE_FLUSH;

  if (maxentries < 0)
    return reply_with_error_errno (EINVAL, "%s: maxentries %d is negative",
                                   directory, maxentries);
  dirfd = sysroot_open (directory, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1)
    return reply_with_perror ("%s", directory);
  if (walk_tree_listing_first (dirfd, add_record, &t, &where) == 0 ||
      t.left == -1)
    return chunk_out_end (&t.out, 0) == -1 ?
      reply_with_perror ("%s", directory) : 0;
  chunk_out_end (&t.out, 1);
  return reply_with_perror ("%s%s%s", directory, where && *where ? "/" : "",
                            where ? where : "");
}
