/* What the guest must be for the operations asked, checked once after
 * inspection and before the first operation runs, so that a refusal
 * leaves nothing half done: guest programs run only in a Linux guest
 * whose binaries the appliance can execute (--run*, the package and
 * --sm-* operations), the package operations need a package manager we
 * know, firstboot scripts a Linux guest (its init system is looked at
 * when the first is added) or a Windows guest, the operations on the
 * registry and drivers of Windows a Windows guest, and the initramfs
 * operations a tool we know and a kernel.  The table of what each
 * operation needs is here, by name, and gives the network default
 * too. */

#include <config.h>

#include <string.h>

#include "customize.h"

/* The appliance is qemu-system-x86_64 running the host's kernel. */
#define APPLIANCE_ARCH "x86_64"

/* What an operation needs of the guest. */
#define RUNS_GUEST  0x01        /* runs guest programs now */
#define PACKAGES    0x02        /* a package manager we know */
#define NETWORK     0x04        /* the network, unless --no-network */
#define FIRSTBOOT   0x08        /* a Linux or Windows guest, for firstboot */
#define WINDOWS     0x10        /* a Windows guest */
#define INITRAMFS   0x20        /* an initramfs tool and a kernel */

/* The operations that need any of it; the others need nothing. */
static const struct {
  const char *name;
  unsigned needs;
} needs[] = {
  { "add-modules", RUNS_GUEST | INITRAMFS },
  { "firstboot", FIRSTBOOT },
  { "firstboot-command", FIRSTBOOT },
  { "firstboot-install", FIRSTBOOT | PACKAGES },
  { "inject-qemu-ga", WINDOWS },
  { "inject-virtio-win", WINDOWS },
  { "install", RUNS_GUEST | PACKAGES | NETWORK },
  { "rebuild-initramfs", RUNS_GUEST | INITRAMFS },
  { "reg-delete", WINDOWS },
  { "reg-import", WINDOWS },
  { "reg-set", WINDOWS },
  { "remove-hypervisor-tools", RUNS_GUEST },
  { "run", RUNS_GUEST },
  { "run-command", RUNS_GUEST },
  { "sm-attach", RUNS_GUEST | NETWORK },
  { "sm-register", RUNS_GUEST | NETWORK },
  { "sm-remove", RUNS_GUEST | NETWORK },
  { "sm-unregister", RUNS_GUEST | NETWORK },
  { "uninstall", RUNS_GUEST | PACKAGES | NETWORK },
  { "update", RUNS_GUEST | PACKAGES | NETWORK },
  { "virtio-linux", RUNS_GUEST | INITRAMFS },
};

static unsigned
needs_of (const struct customize_op *op)
{
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; ++i)
    if (strcmp (needs[i].name, op->def->name) == 0)
      return needs[i].needs;
  return 0;
}

int
customize_network (const struct customize_opts *o)
{
  if (o->network >= 0)
    return o->network;
  for (size_t i = 0; i < o->n_ops; ++i)
    if (needs_of (&o->ops[i]) & NETWORK)
      return 1;
  return 0;
}

/* 1 if the appliance runs the guest's binaries: the same architecture,
 * or 32-bit x86 on x86_64. */
static int
arch_runs (const char *arch)
{
  if (strcmp (arch, APPLIANCE_ARCH) == 0)
    return 1;
  return strlen (arch) == 4 && arch[0] == 'i' && arch[2] == '8' &&
    arch[3] == '6' && strchr ("3456", arch[1]) != NULL;
}

static int
check_runs_guest (struct customize_ctx *c)
{
  if (strcmp (c->type, "linux") != 0)
    return customize_op_error (c, _("the guest is %s: guest programs run "
                                    "only in a Linux guest; nothing was "
                                    "changed"), c->type);
  if (!arch_runs (c->arch))
    return customize_op_error (c, _("the guest's architecture (%s) is not "
                                    "the appliance's (%s): its programs "
                                    "cannot run here (use --firstboot* "
                                    "instead); nothing was changed"),
                               c->arch, APPLIANCE_ARCH);
  return 0;
}

int
customize_check_guest (struct customize_ctx *c)
{
  const struct customize_op *running = c->op;
  int r = 0;

  for (size_t i = 0; r == 0 && i < c->o->n_ops; ++i) {
    unsigned n = needs_of (&c->o->ops[i]);

    c->op = &c->o->ops[i];
    if (n & RUNS_GUEST)
      r = check_runs_guest (c);
    /* Before the package manager: Windows has none, and says so. */
    if (r == 0 && (n & FIRSTBOOT))
      r = customize_check_firstboot_guest (c);
    if (r == 0 && (n & PACKAGES))
      r = customize_check_package_manager (c);
    if (r == 0 && (n & WINDOWS) && strcmp (c->type, "windows") != 0)
      r = customize_op_error (c, _("the guest is %s: this operation is for "
                                   "Windows guests; nothing was changed"),
                              c->type);
    if (r == 0 && (n & INITRAMFS))
      r = customize_check_initramfs_guest (c);
  }
  c->op = running;
  return r;
}
