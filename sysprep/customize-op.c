/* The customize operation of drydock sysprep: a fresh random seed for
 * the guest's kernel (the clones of a template would otherwise start
 * with the same entropy), then the customize operations given on the
 * command line, run by customize's own code on each root.  And the
 * script operation, which needs FUSE and so has nothing to run yet. */

#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "cleanups.h"
#include "sysprep.h"

/* The seed files the distributions keep, in the order looked at. */
static const char *const seed_files[] = {
  "/var/lib/random-seed",             /* Fedora, RHEL */
  "/var/lib/systemd/random-seed",     /* systemd */
  "/var/lib/urandom/random-seed",     /* Debian */
  "/var/lib/misc/random-seed",        /* SUSE */
  "/etc/random-seed",                 /* CirrOS */
  NULL,
};

/* Writes len random bytes over path; a new file is made 0600 root's. */
static int
write_seed (struct sysprep_ctx *c, const char *path, size_t len, int exists)
{
  char buf[8192];

  if (getrandom (buf, len, 0) != (ssize_t) len)
    return sysprep_error (c, _("random bytes: %s"), strerror (errno));
  if (drydock_write (c->h, path, buf, len) == -1 ||
      (!exists && (drydock_chown (c->h, 0, 0, path) == -1 ||
                   drydock_chmod (c->h, 0600, path) == -1)))
    return sysprep_lib_error (c);
  return 0;
}

/* Every seed file there gets as many random bytes as it had (512 to
 * 8192); without any, the distribution's is made where its directory
 * exists. */
static int
set_random_seed (struct sysprep_ctx *c)
{
  const char *fallback = NULL;
  int set = 0;

  if (!sysprep_is_linux (c))
    return 0;
  for (const char *const *f = seed_files; *f; ++f) {
    int64_t size;
    int r = drydock_is_file (c->h, *f);

    if (r == -1)
      return sysprep_lib_error (c);
    if (r == 0)
      continue;
    size = drydock_filesize (c->h, *f);
    if (size == -1)
      return sysprep_lib_error (c);
    if (write_seed (c, *f, size < 512 ? 512 : size > 8192 ? 8192 : size,
                    1) == -1)
      return -1;
    set = 1;
  }
  if (set)
    return 0;
  if (sysprep_is_redhat (c))
    fallback = seed_files[0];
  else if (sysprep_is_debian (c))
    fallback = seed_files[2];
  else if (strcmp (c->distro, "opensuse") == 0 ||
           strcmp (c->distro, "sles") == 0 ||
           strcmp (c->distro, "suse-based") == 0)
    fallback = seed_files[3];
  else if (strcmp (c->distro, "cirros") == 0)
    fallback = seed_files[4];
  if (fallback) {
    CLEANUP_FREE char *dir = strndup (fallback, strrchr (fallback, '/') -
                                      fallback);
    int r = dir ? drydock_is_dir (c->h, dir) : -1;

    if (dir == NULL)
      return sysprep_error (c, "%s", strerror (errno));
    if (r == -1)
      return sysprep_lib_error (c);
    if (r == 1)
      return write_seed (c, fallback, 512, 0);
  }
  sysprep_warning (c, _("no random seed file is known for this guest"));
  return 0;
}

int
sysprep_customize (struct sysprep_ctx *c)
{
  struct customize_ctx cc = {
    .h = c->h, .o = &c->o->cust, .root = c->root, .distro = c->distro,
  };

  if (set_random_seed (c) == -1)
    return -1;
  return customize_run_ops (&cc);
}

int
sysprep_script (struct sysprep_ctx *c)
{
  return 0;
}
