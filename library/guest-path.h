/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Guest paths taken apart and put together, for the lists the
 * appliance sends and the mount's caches (fuse*.c, tree-list.c). */
#ifndef DRYDOCK_GUEST_PATH_H
#define DRYDOCK_GUEST_PATH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dir + "/" + name (caller frees), or NULL. */
static inline char *
join (const char *dir, const char *name)
{
  char *p;

  if (asprintf (&p, "%s%s%s", dir, strcmp (dir, "/") ? "/" : "", name) == -1)
    return NULL;
  return p;
}

/* The parent directory of path (caller frees) and the last component
 * (pointing into path); NULL for "/", or a path ending in "/". */
static inline char *
parent_of (const char *path, const char **base)
{
  const char *slash = strrchr (path, '/');

  if (slash == NULL || slash[1] == '\0')
    return NULL;
  *base = slash + 1;
  return slash == path ? strdup ("/") : strndup (path, (size_t) (slash - path));
}

#endif /* DRYDOCK_GUEST_PATH_H */
