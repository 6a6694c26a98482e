/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --selinux-relabel of drydock customize, as virt-customize does it at
 * the end of the session: a guest that uses SELinux (it has
 * /usr/sbin/load_policy and /etc/selinux/config) is relabelled now,
 * with setfiles and the file contexts of its policy (SELINUXTYPE of
 * its config, "targeted" by default), and a /.autorelabel left by an
 * earlier run is removed; when that cannot be done (no setfiles in the
 * appliance, no file contexts, a failure) /.autorelabel is touched so
 * that the guest relabels itself at its next boot.  Other guests are
 * left alone.  The config is read on the host: an Augeas session
 * would cost seconds for one line. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

static int
guest_file (struct customize_ctx *c, const char *path)
{
  return drydock_is_file_opts (c->h, path,
                               DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1);
}

/* The SELINUXTYPE of the config into type (len bytes), "targeted"
 * when it names none.  -1 when the value is not a policy name. */
static int
policy_type (const char *config, size_t size, char *type, size_t len)
{
  snprintf (type, len, "targeted");
  for (size_t i = 0; i < size;) {
    const char *l = config + i, *nl = memchr (l, '\n', size - i);
    size_t n = nl ? (size_t) (nl - l) : size - i, v;

    i += n + (nl != NULL);
    while (n > 0 && strchr (" \t", *l)) {
      l++;
      n--;
    }
    if (n < 12 || memcmp (l, "SELINUXTYPE=", 12) != 0)
      continue;
    l += 12;
    n -= 12;
    if (n > 0 && (*l == '"' || *l == '\'')) {
      const char *q = memchr (l + 1, *l, n - 1);

      n = q ? (size_t) (q - l - 1) : n - 1;
      l++;
    }
    for (v = 0; v < n && !strchr (" \t\r#", l[v]); ++v)
      ;
    if (v == 0 || v >= len || memchr (l, '/', v) || memchr (l, '\0', v) ||
        (l[0] == '.' && (v == 1 || (v == 2 && l[1] == '.'))))
      return -1;
    snprintf (type, len, "%.*s", (int) v, l);
  }
  return 0;
}

/* Relabels the guest now: 0 done, 1 it cannot be done here, -1 a
 * failure (the handle's error says which). */
static int
relabel_now (struct customize_ctx *c)
{
  char *groups[] = { (char *) "selinuxrelabel", NULL };
  CLEANUP_FREE char *config = NULL, *specfile = NULL;
  char type[256];
  size_t size;
  int r;

  r = drydock_feature_available (c->h, groups);
  if (r != 1)
    return r == 0 ? 1 : -1;
  config = drydock_read_file (c->h, "/etc/selinux/config", &size);
  if (config == NULL)
    return -1;
  if (policy_type (config, size, type, sizeof type) == -1)
    return 1;
  if (asprintf (&specfile, "/etc/selinux/%s/contexts/files/file_contexts",
                type) == -1)
    return -1;
  r = guest_file (c, specfile);
  if (r != 1)
    return r == 0 ? 1 : -1;
  return drydock_selinux_relabel_opts (c->h, specfile, "/",
                                       DRYDOCK_SELINUX_RELABEL_OPTS_FORCE, 1,
                                       -1);
}

int
customize_selinux_relabel (struct customize_ctx *c)
{
  int r = guest_file (c, "/usr/sbin/load_policy");

  if (r == 1)
    r = guest_file (c, "/etc/selinux/config");
  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return 0;
  r = relabel_now (c);
  if (r == 0)
    return drydock_rm_f (c->h, "/.autorelabel") == -1 ?
      customize_op_lib_error (c) : 0;
  if (r == -1 && c->o->tool.verbose)
    fprintf (stderr, "%s: SELinux relabelling failed (%s): /.autorelabel "
             "asks the guest to relabel at boot\n", tool_program_name (),
             drydock_last_error (c->h) ? drydock_last_error (c->h) : "?");
  return drydock_touch (c->h, "/.autorelabel") == -1 ?
    customize_op_lib_error (c) : 0;
}
