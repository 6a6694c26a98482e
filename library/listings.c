/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ls, ll and find: listings that grow with the guest.  A guest
 * directory of 100,000 names does not fit in one reply, so the daemon
 * streams each listing as a file (ls0, ll0, find0, in chunks, bounded
 * in its memory but for ll's sort) into a private temporary file here,
 * which is read back and sorted.  Apart from the generated wrappers
 * because these are the calls whose result has no bound. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock-internal.h"
#include "full-rw.h"
#include "impl-gen.h"
#include "strlist.h"

/* The last error, said by the streaming call "inner", given again as
 * the listing's "outer" ("ls0: /x: ..." becomes "ls: /x: ..."). */
static void
rename_error (drydock_h *h, const char *inner, const char *outer)
{
  const char *msg = drydock_last_error (h);
  size_t n = strlen (inner);
  CLEANUP_FREE char *rest = NULL;

  if (msg == NULL || strncmp (msg, inner, n) != 0 || msg[n] != ':')
    return;
  rest = strdup (msg + n);
  if (rest)
    drydock_int_error_errno (h, drydock_last_errno (h), "%s%s", outer, rest);
}

typedef int (*stream_fn) (drydock_h *h, const char *directory,
                          const char *file);

/* Runs fn into a temporary file and returns its whole content in *len
 * bytes (a NUL after them; caller frees).  NULL with the error set. */
static char *
stream_to_memory (drydock_h *h, const char *name, const char *inner,
                  stream_fn fn, const char *directory, size_t *len)
{
  CLEANUP_FREE char *tmp = NULL;
  CLEANUP_CLOSE int fd = -1;
  char *buf;

  if (asprintf (&tmp, "%s/%s-XXXXXX", h->tmpdir ? h->tmpdir : "/tmp",
                name) == -1) {
    drydock_int_perror (h, "%s", name);
    return NULL;
  }
  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd == -1) {
    drydock_int_perror (h, "%s: %s", name, tmp);
    return NULL;
  }
  if (fn (h, directory, tmp) == -1) {
    rename_error (h, inner, name);
    unlink (tmp);
    return NULL;
  }
  /* The download replaced the file by renaming over it: open it anew. */
  close (fd);
  fd = open (tmp, O_RDONLY | O_CLOEXEC);
  unlink (tmp);
  buf = fd == -1 ? NULL : read_fd_max (fd, SIZE_MAX - 1, len);
  if (buf == NULL)
    drydock_int_perror (h, "%s: %s", name, directory);
  return buf;
}

static int
compare (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The NUL-terminated names in buf (len bytes), sorted, as a new
 * NULL-terminated list (caller frees); buf is freed.  NULL with the
 * error set. */
static char **
split_names (drydock_h *h, const char *name, char *buf, size_t len)
{
  size_t n = 0, i = 0;
  char **v;

  for (size_t k = 0; k < len; ++k)
    n += buf[k] == '\0';
  v = calloc (n + 1, sizeof *v);
  for (size_t k = 0; v && k < len; k += strlen (buf + k) + 1)
    if ((v[i++] = strdup (buf + k)) == NULL) {
      free_string_list (v);
      v = NULL;
    }
  free (buf);
  if (v == NULL) {
    drydock_int_perror (h, "%s", name);
    return NULL;
  }
  qsort (v, i, sizeof *v, compare);
  return v;
}

char **
drydock_impl_ls (drydock_h *h, const char *directory)
{
  size_t len;
  char *buf = stream_to_memory (h, "ls", "ls0", drydock_ls0, directory, &len);

  return buf ? split_names (h, "ls", buf, len) : NULL;
}

char **
drydock_impl_find (drydock_h *h, const char *directory)
{
  size_t len;
  char *buf = stream_to_memory (h, "find", "find0", drydock_find0, directory,
                                &len);

  return buf ? split_names (h, "find", buf, len) : NULL;
}

char *
drydock_impl_ll (drydock_h *h, const char *directory)
{
  size_t len;

  return stream_to_memory (h, "ll", "ll0", drydock_ll0, directory, &len);
}
