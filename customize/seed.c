/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What drydock customize does to every guest before the operations, as
 * virt-customize 1.48 does: the random seed files a Linux guest keeps
 * get new randomness from the host (so that clones of one image do not
 * start with the same entropy), and an empty /etc/machine-id gets a
 * random ID (package scripts run by the operations may need one). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "customize.h"

/* The seed files of the Linux distributions, every one present is
 * rewritten. */
static const char *const seed_files[] = {
  "/var/lib/random-seed",               /* Fedora, RHEL */
  "/var/lib/systemd/random-seed",       /* systemd */
  "/var/lib/urandom/random-seed",       /* Debian */
  "/var/lib/misc/random-seed",          /* SUSE */
  "/etc/random-seed",                   /* CirrOS */
  NULL
};

/* The file created when a guest has none, by distro. */
static const struct {
  const char *distros;                  /* space-separated */
  const char *file;
} seed_new[] = {
  { "fedora rhel centos scientificlinux oraclelinux rocky redhat-based",
    "/var/lib/random-seed" },
  { "debian ubuntu kalilinux", "/var/lib/urandom/random-seed" },
  { "opensuse sles suse-based", "/var/lib/misc/random-seed" },
  { "cirros", "/etc/random-seed" },
};

#define SEED_MIN 512
#define SEED_MAX 8192

/* n random bytes from the host (caller frees), NULL on error. */
static char *
host_random (size_t n)
{
  char *buf = malloc (n);

  for (size_t got = 0; buf && got < n;) {
    ssize_t r = getrandom (buf + got, n - got, 0);

    if (r == -1 && errno != EINTR) {
      free (buf);
      return NULL;
    }
    if (r > 0)
      got += (size_t) r;
  }
  return buf;
}

/* An existing seed keeps its file (mode, owner, labels) and gets as
 * many bytes as it had, within [512, 8192]. */
static int
refill_seed (struct customize_ctx *c, const char *file)
{
  int64_t size = drydock_filesize (c->h, file);
  CLEANUP_FREE char *bytes = NULL;
  size_t n;

  if (size == -1)
    return tool_lib_error (c->h);
  n = size < SEED_MIN ? SEED_MIN : size > SEED_MAX ? SEED_MAX : (size_t) size;
  bytes = host_random (n);
  if (bytes == NULL)
    return tool_error (_("random seed: %s"), strerror (errno));
  if (drydock_truncate (c->h, file) == -1 ||
      drydock_write_append (c->h, file, bytes, n) == -1)
    return tool_lib_error (c->h);
  return 0;
}

/* A new seed of 512 bytes, root's only. */
static int
create_seed (struct customize_ctx *c, const char *file)
{
  CLEANUP_FREE char *bytes = host_random (SEED_MIN);

  if (bytes == NULL)
    return tool_error (_("random seed: %s"), strerror (errno));
  if (drydock_write (c->h, file, bytes, SEED_MIN) == -1 ||
      drydock_chown (c->h, 0, 0, file) == -1 ||
      drydock_chmod (c->h, 0600, file) == -1)
    return tool_lib_error (c->h);
  return 0;
}

/* 1 if word is one of the space-separated words of list. */
static int
in_list (const char *list, const char *word)
{
  size_t n = strlen (word);

  for (const char *p = list; *p; p += strcspn (p, " "), p += *p == ' ')
    if (strncmp (p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
      return 1;
  return 0;
}

int
customize_random_seed (struct customize_ctx *c)
{
  int done = 0, r;

  if (strcmp (c->type, "linux") == 0) {
    for (size_t i = 0; seed_files[i]; ++i) {
      r = drydock_is_file (c->h, seed_files[i]);
      if (r == -1)
        return tool_lib_error (c->h);
      if (r) {
        if (refill_seed (c, seed_files[i]) == -1)
          return -1;
        done = 1;
      }
    }
  }
  for (size_t i = 0; !done && strcmp (c->type, "linux") == 0 &&
         i < sizeof seed_new / sizeof seed_new[0]; ++i) {
    const char *file = seed_new[i].file;
    CLEANUP_FREE char *dir = NULL;

    if (!in_list (seed_new[i].distros, c->distro))
      continue;
    dir = strndup (file, strrchr (file, '/') - file);
    if (dir == NULL)
      return tool_error ("%s", strerror (errno));
    r = drydock_is_dir (c->h, dir);
    if (r == -1)
      return tool_lib_error (c->h);
    if (r) {
      if (create_seed (c, file) == -1)
        return -1;
      done = 1;
    }
    break;
  }
  c->seed_missing = !done;
  return 0;
}

int
customize_machine_id (struct customize_ctx *c)
{
  static const char hex[] = "0123456789abcdef";
  const char *file = "/etc/machine-id";
  struct drydock_statns *st;
  CLEANUP_FREE char *bytes = NULL;
  char id[33];
  int empty;

  /* A missing file (or a symlink, a directory ...) is left alone. */
  st = drydock_lstatns (c->h, file);
  if (st == NULL)
    return 0;
  empty = S_ISREG ((mode_t) st->st_mode) && st->st_size == 0;
  drydock_free_statns (st);
  if (!empty)
    return 0;
  tool_progress_phase (_("setting the machine ID in %s"), file);
  bytes = host_random (16);
  if (bytes == NULL)
    return tool_error (_("machine ID: %s"), strerror (errno));
  for (size_t i = 0; i < 16; ++i) {
    id[2 * i] = hex[(unsigned char) bytes[i] >> 4];
    id[2 * i + 1] = hex[(unsigned char) bytes[i] & 15];
  }
  id[32] = '\n';
  if (drydock_write (c->h, file, id, sizeof id) == -1)
    return tool_lib_error (c->h);
  return 0;
}
