/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of guest files worked out or made by the daemon: realpath,
 * case_sensitive_path and mktemp.  Each resolves paths inside the guest
 * (sysroot.c's openat2 RESOLVE_IN_ROOT), never as appliance paths, and
 * answers with guest paths. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

char *
guest_path_of_fd (int fd)
{
  const size_t n = sizeof SYSROOT - 1;
  CLEANUP_FREE char *link = NULL;
  char buf[32];

  /* The kernel's name of the open file, from the appliance's root. */
  link = read_link_at (AT_FDCWD, fd_path (fd, buf));
  if (link == NULL)
    return NULL;
  if (strncmp (link, SYSROOT, n) != 0 || (link[n] != '\0' && link[n] != '/')) {
    errno = EXDEV;
    return NULL;
  }
  return strdup (link[n] ? link + n : "/");
}

char *
do_realpath (const char *path)
{
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  char *r;

  if (fd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  r = guest_path_of_fd (fd);
  if (r == NULL)
    reply_with_perror ("%s", path);
  return r;
}

/* case_sensitive_path */

/* The name in dirfd that matches name regardless of ASCII case: name
 * itself if it exists, else the first match in strcmp order (readdir's
 * order would make the answer depend on the filesystem).  NULL with
 * errno (ENOENT: none); caller frees. */
static char *
find_name (int dirfd, const char *name)
{
  int fd;
  CLEANUP_CLOSEDIR DIR *d = NULL;
  struct dirent *e;
  struct stat st;
  char *best = NULL;

  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return strdup (name);
  fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  d = dir_stream (fd);
  if (d == NULL)
    return NULL;
  for (errno = 0; (e = readdir (d)) != NULL; errno = 0) {
    if (strcasecmp (e->d_name, name) != 0 ||
        (best && strcmp (e->d_name, best) >= 0))
      continue;
    free (best);
    best = strdup (e->d_name);
    if (best == NULL)
      return NULL;
  }
  if (errno) {
    int saved = errno;
    free (best);
    errno = saved;
    return NULL;
  }
  if (best == NULL)
    errno = ENOENT;
  return best;
}

char *
do_case_sensitive_path (const char *path)
{
  CLEANUP_CLOSE int root = open (SYSROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
  CLEANUP_FREE char *cur = strdup ("");
  const char *p = path;

  if (root == -1 || cur == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  for (;;) {
    CLEANUP_FREE char *name = NULL, *found = NULL, *next = NULL;
    CLEANUP_CLOSE int dirfd = -1;
    size_t len;
    int last;

    p += strspn (p, "/");
    if (*p == '\0')
      break;
    len = strcspn (p, "/");
    name = strndup (p, len);
    p += len;
    last = p[strspn (p, "/")] == '\0';
    if (name == NULL) {
      reply_with_perror ("%s", path);
      return NULL;
    }
    if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0) {
      reply_with_error_errno (EINVAL, "%s: path contains \".\" or \"..\"",
                              path);
      return NULL;
    }
    dirfd = openat2_in_root (root, *cur ? cur : "/", O_RDONLY | O_DIRECTORY,
                             0);
    if (dirfd == -1) {
      reply_with_perror ("%s: %s", path, cur);
      return NULL;
    }
    found = find_name (dirfd, name);
    if (found == NULL && errno == ENOENT && last)
      found = TAKE_PTR (name);
    if (found == NULL) {
      if (errno == ENOENT)
        reply_with_error_errno (ENOENT, "%s: no name matching \"%s\" in %s",
                                path, name, *cur ? cur : "/");
      else
        reply_with_perror ("%s: %s", path, *cur ? cur : "/");
      return NULL;
    }
    if (asprintf (&next, "%s/%s", cur, found) == -1) {
      reply_with_perror ("%s", path);
      return NULL;
    }
    free (cur);
    cur = TAKE_PTR (next);
  }
  if (*cur == '\0') {
    free (cur);
    cur = strdup ("/");
    if (cur == NULL)
      reply_with_perror ("%s", path);
  }
  return TAKE_PTR (cur);
}

/* mktemp */

#define MKTEMP_TRIES 100

/* Six random letters and digits into x. */
static void
random_name (char *x)
{
  static const char chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char r[6];

  if (getrandom (r, sizeof r, GRND_NONBLOCK) != (ssize_t) sizeof r) {
    struct timespec ts;
    uint64_t v;

    clock_gettime (CLOCK_REALTIME, &ts);
    v = (uint64_t) ts.tv_nsec * 2654435761u ^ (uint64_t) ts.tv_sec;
    for (size_t i = 0; i < sizeof r; ++i, v >>= 8)
      r[i] = (unsigned char) v;
  }
  for (size_t i = 0; i < sizeof r; ++i)
    x[i] = chars[r[i] % (sizeof chars - 1)];
}

char *
do_mktemp (const char *tmpl, uint64_t optmask, const char *suffix)
{
  const char *sfx = (optmask & OPT_MKTEMP_SUFFIX) && suffix ? suffix : "";
  size_t n = strlen (tmpl);
  CLEANUP_FREE char *base = NULL, *name = NULL;
  CLEANUP_CLOSE int dirfd = -1;
  char *r;

  if (n < 6 || strcmp (tmpl + n - 6, "XXXXXX") != 0) {
    reply_with_error_errno (EINVAL, "%s: the template must end with XXXXXX",
                            tmpl);
    return NULL;
  }
  if (strchr (sfx, '/')) {
    reply_with_error_errno (EINVAL, "suffix \"%s\": a suffix cannot hold "
                            "\"/\"", sfx);
    return NULL;
  }
  dirfd = sysroot_open_parent (tmpl, &base);
  if (dirfd == -1) {
    reply_with_perror ("%s", tmpl);
    return NULL;
  }
  if (asprintf (&name, "%s%s", base, sfx) == -1) {
    reply_with_perror ("%s", tmpl);
    return NULL;
  }
  for (int tries = 0; tries < MKTEMP_TRIES; ++tries) {
    char *x = name + strlen (base) - 6;
    int fd;

    random_name (x);
    fd = openat (dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                 O_NOCTTY | O_CLOEXEC, 0600);
    if (fd == -1 && errno == EEXIST)
      continue;
    if (fd == -1)
      break;
    /* Exactly 0600, whatever the umask. */
    if ((fchmod (fd, 0600) == -1) | (close (fd) == -1)) {
      reply_with_perror ("%s", tmpl);
      unlinkat (dirfd, name, 0);
      return NULL;
    }
    /* The template with its six X replaced, and the suffix. */
    if (asprintf (&r, "%.*s%.6s%s", (int) (n - 6), tmpl, x, sfx) == -1) {
      reply_with_perror ("%s", tmpl);
      return NULL;
    }
    return r;
  }
  if (errno == EEXIST)
    reply_with_error_errno (EEXIST, "%s: no free name found in %d tries",
                            tmpl, MKTEMP_TRIES);
  else
    reply_with_perror ("%s", tmpl);
  return NULL;
}
