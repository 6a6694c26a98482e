/* The operations of drydock sysprep on devices, run once the root's
 * filesystems are unmounted: fs-uuids gives every filesystem a new
 * random UUID (a type that has none, or that its tools cannot change,
 * is a warning, as in virt-sysprep), lvm-uuids gives the LVM physical
 * volumes and volume groups new ones.  Both act on all the disks, so
 * they run once, after the first root they apply to (virt-sysprep runs
 * them after every root, to the same effect: LVM's commands cost
 * seconds). */

#include <config.h>

#include <string.h>

#include "cleanups.h"
#include "sysprep.h"

int
sysprep_fs_uuids (struct sysprep_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **fses = NULL;

  if (sysprep_once (c))
    return 0;
  fses = drydock_list_filesystems (c->h);
  if (fses == NULL)
    return sysprep_lib_error (c);
  for (size_t i = 0; fses[i] && fses[i + 1]; i += 2) {
    const char *dev = fses[i], *type = fses[i + 1];

    if (strcmp (type, "unknown") == 0)
      continue;
    if (drydock_set_uuid_random (c->h, dev) == -1)
      sysprep_warning (c, _("cannot give %s (%s) a random UUID: %s"), dev,
                       type, drydock_last_error (c->h));
  }
  return 0;
}

/* Deactivates every volume group.  When a LUKS volume the tool opened
 * sits on a logical volume it holds the volume open: those are closed
 * (their filesystems are unmounted by now) and deactivation tried
 * again. */
static int
deactivate (struct sysprep_ctx *c)
{
  if (drydock_vg_activate_all (c->h, 0) == 0)
    return 0;
  if (c->opened == NULL || c->opened[0] == NULL)
    return sysprep_lib_error (c);
  for (size_t i = 0; c->opened[i] && c->opened[i + 1]; i += 2)
    drydock_cryptsetup_close (c->h, c->opened[i + 1]);
  return drydock_vg_activate_all (c->h, 0) == -1 ? sysprep_lib_error (c) : 0;
}

int
sysprep_lvm_uuids (struct sysprep_ctx *c)
{
  CLEANUP_FREE_STRING_LIST char **pvs = NULL, **vgs = NULL;
  const char *lvm2[] = { "lvm2", NULL };
  int r;

  if (!sysprep_is_linux (c) || sysprep_once (c))
    return 0;
  r = drydock_feature_available (c->h, (char *const *) lvm2);
  if (r == -1)
    return sysprep_lib_error (c);
  if (r == 0)
    return 0;
  pvs = drydock_pvs (c->h);
  vgs = pvs ? drydock_vgs (c->h) : NULL;
  if (vgs == NULL)
    return sysprep_lib_error (c);
  if (pvs[0] == NULL && vgs[0] == NULL)
    return 0;
  if (deactivate (c) == -1)
    return -1;
  if ((pvs[0] && drydock_pvchange_uuid_all (c->h) == -1) ||
      (vgs[0] && drydock_vgchange_uuid_all (c->h) == -1) ||
      drydock_vg_activate_all (c->h, 1) == -1)
    return sysprep_lib_error (c);
  return 0;
}
