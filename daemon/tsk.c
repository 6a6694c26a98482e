/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entries of a filesystem as the Sleuth Kit reads them from the
 * device, deleted ones too (filesystem_walk, find_inode; optional group
 * libtsk): fls -r -m / prints one line per entry in mactime's body
 * format, "MD5|NAME|INODE|TYPES+MODE|UID|GID|SIZE|ATIME|MTIME|CTIME|
 * CRTIME", which is parsed here from both ends (a name may hold "|").
 * The body format has times in seconds and no link counts: the
 * nanoseconds and tsk_nlink are 0. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"
#include "vector.h"

#define FLAG_ALLOC 0x01
#define FLAG_REALLOC 0x02

DEFINE_VECTOR_TYPE (dirent_vector, struct drydock_tsk_dirent);

int
optgroup_libtsk_available (void)
{
  return program_available ("fls");
}

static void
dirent_free_fields (struct drydock_tsk_dirent d)
{
  free (d.tsk_type);
  free (d.tsk_name);
  free (d.tsk_link);
}

/* The type letter of fls's name type (before the "/" of TYPES+MODE). */
static char
type_letter (char c)
{
  switch (c) {
  case 'r': case 'd': case 'l': case 'c': case 'b': case 's': case 'h':
  case 'w':
    return c;
  case 'p':
    return 'f';
  default:
    return 'u';
  }
}

static int
ends_with (char *s, const char *suffix)
{
  size_t n = strlen (s), k = strlen (suffix);

  if (n < k || strcmp (s + n - k, suffix) != 0)
    return 0;
  s[n - k] = '\0';
  return 1;
}

/* One body line into *d.  0, 1 to skip it (not a line of the format),
 * or -1 with errno. */
static int
parse_line (char *line, struct drydock_tsk_dirent *d)
{
  char *f[9], *name, *arrow;
  int64_t t[4];

  memset (d, 0, sizeof *d);
  name = strchr (line, '|');
  if (name == NULL)
    return 1;
  name++;
  for (int i = 8; i >= 0; --i) {
    char *bar = strrchr (name, '|');

    if (bar == NULL)
      return 1;
    *bar = '\0';
    f[i] = bar + 1;
  }
  d->tsk_inode = strtoull (f[0], NULL, 10);
  d->tsk_size = strtoll (f[4], NULL, 10);
  for (int i = 0; i < 4; ++i)
    t[i] = strtoll (f[5 + i], NULL, 10);
  d->tsk_atime_sec = t[0];
  d->tsk_mtime_sec = t[1];
  d->tsk_ctime_sec = t[2];
  d->tsk_crtime_sec = t[3];
  d->tsk_flags = FLAG_ALLOC;
  if (ends_with (name, " (deleted-realloc)"))
    d->tsk_flags = FLAG_REALLOC;
  else if (ends_with (name, " (deleted)"))
    d->tsk_flags = 0;
  d->tsk_type = malloc (2);
  if (d->tsk_type == NULL)
    return -1;
  d->tsk_type[0] = type_letter (f[1][0]);
  d->tsk_type[1] = '\0';
  arrow = d->tsk_type[0] == 'l' ? strstr (name, " -> ") : NULL;
  d->tsk_link = strdup (arrow ? arrow + 4 : "");
  if (arrow)
    *arrow = '\0';
  while (*name == '/')
    name++;
  d->tsk_name = strdup (name);
  if (d->tsk_link == NULL || d->tsk_name == NULL) {
    dirent_free_fields (*d);
    return -1;
  }
  return 0;
}

/* The entries of device (inode -1: all of them, else only those of the
 * inode).  NULL after replying. */
static struct drydock_tsk_dirent_list *
walk (const char *device, int64_t inode)
{
  const char *argv[] = { "fls", "-r", "-m", "/", device, NULL };
  CLEANUP_FREE char *out = NULL, *err = NULL;
  dirent_vector v = EMPTY_VECTOR;
  struct drydock_tsk_dirent_list *r;
  char *line, *save = NULL;
  int status;

  if (!program_available ("fls")) {
    reply_with_error_errno (ENOTSUP, "fls: the Sleuth Kit is not in this "
                            "appliance");
    return NULL;
  }
  status = run_command (&out, &err, (char *const *) argv);
  if (status == -1 && errno == EOVERFLOW) {
    reply_with_error_errno (EMSGSIZE, "%s: the entries are more than one "
                            "reply holds", device);
    return NULL;
  }
  if (status != 0) {
    reply_command_error (device, (char *const *) argv, status, err);
    return NULL;
  }
  for (line = strtok_r (out, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    struct drydock_tsk_dirent d;
    int p = parse_line (line, &d);

    if (p == 1)
      continue;
    if (p == -1)
      goto fail;
    if (inode >= 0 && d.tsk_inode != (uint64_t) inode) {
      dirent_free_fields (d);
      continue;
    }
    if (dirent_vector_append (&v, d) == -1) {
      dirent_free_fields (d);
      goto fail;
    }
  }
  r = malloc (sizeof *r);
  if (r == NULL || (v.len == 0 && dirent_vector_reserve (&v, 1) == -1)) {
    free (r);
    goto fail;
  }
  r->len = (uint32_t) v.len;
  r->val = v.ptr;
  return r;

 fail:
  reply_with_perror ("%s", device);
  dirent_vector_iter (&v, dirent_free_fields);
  dirent_vector_reset (&v);
  return NULL;
}

struct drydock_tsk_dirent_list *
do_filesystem_walk (const char *device)
{
  return walk (device, -1);
}

struct drydock_tsk_dirent_list *
do_find_inode (const char *device, int64_t inode)
{
  if (inode < 0) {
    reply_with_error_errno (EINVAL, "%s: inode %" PRId64 " is not a number "
                            "of an inode", device, inode);
    return NULL;
  }
  return walk (device, inode);
}
