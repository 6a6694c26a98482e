/* --remove-hypervisor-tools: the guest tools of VMware and Xen have
 * nothing to talk to on KVM (and some of them get in the way at boot),
 * so they are removed, as a conversion to KVM does: the installed packages
 * (from the package database, as inspection lists them) through the
 * guest's package tool, without the network; then VMware Tools
 * installed from VMware's tarball, by its own uninstaller, told first
 * not to put back the initramfs images it saved. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

#define VMWARE_UNINSTALLER "/usr/bin/vmware-uninstall-tools.pl"
#define VMWARE_LOCATIONS "/etc/vmware-tools/locations"

/* The packages, by name or by the start of their names. */
static const char *const exact[] = {
  "open-vm-tools", "VMwareTools", "xenstore-utils", "xen-tools-domU", NULL
};
static const char *const prefixes[] = {
  "open-vm-tools-", "vmware-tools-", "kmod-vmware-tools",
  "xe-guest-utilities", NULL
};

/* The command removing packages, by package format, the quoted names
 * after it: offline, without questions. */
static const struct {
  const char *format, *command;
} removers[] = {
  { "deb", "DEBIAN_FRONTEND=noninteractive apt-get -q -y remove" },
  { "rpm", "rpm -e" },
  { "pacman", "pacman -R --noconfirm" },
};

static int
in_list (const char *const *list, const char *name, int prefix)
{
  for (size_t i = 0; list[i]; ++i)
    if (prefix ? strncmp (name, list[i], strlen (list[i])) == 0 :
        strcmp (name, list[i]) == 0)
      return 1;
  return 0;
}

/* A name from the guest's database that is safe on a command line. */
static int
plain_name (const char *s)
{
  if (*s == '\0' || *s == '-' || strlen (s) > 255)
    return 0;
  for (; *s; ++s)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || strchr ("+-._~", *s)))
      return 0;
  return 1;
}

/* The command removing the installed tools (caller frees); "" when
 * none is installed, NULL (printed) on error. */
static char *
remove_command (struct customize_ctx *c)
{
  struct drydock_application_list *apps =
    drydock_inspect_list_applications (c->h, c->root);
  CLEANUP_FREE char *format = NULL;
  const char *words = NULL;
  char *cmd = NULL;
  size_t len, n = 0;
  int ubuntu_server = 0;
  FILE *f;

  if (apps == NULL ||
      (format = drydock_inspect_get_package_format (c->h, c->root)) == NULL) {
    drydock_free_application_list (apps);
    customize_op_lib_error (c);
    return NULL;
  }
  for (size_t i = 0; i < sizeof removers / sizeof removers[0]; ++i)
    if (strcmp (removers[i].format, format) == 0)
      words = removers[i].command;
  /* Ubuntu's server metapackage depends on open-vm-tools: it stays. */
  for (uint32_t i = 0; i < apps->len; ++i)
    ubuntu_server |= strcmp (apps->val[i].name, "ubuntu-server") == 0;
  if ((f = open_memstream (&cmd, &len)) == NULL) {
    drydock_free_application_list (apps);
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  fputs (words ? words : "", f);
  for (uint32_t i = 0; i < apps->len; ++i) {
    const char *name = apps->val[i].name;
    CLEANUP_FREE char *q = NULL;

    if (!(in_list (exact, name, 0) || in_list (prefixes, name, 1)) ||
        (ubuntu_server && strcmp (name, "open-vm-tools") == 0) ||
        !plain_name (name) || (q = customize_quote (name)) == NULL)
      continue;
    fprintf (f, " %s", q);
    n++;
  }
  drydock_free_application_list (apps);
  if (fclose (f) == EOF) {
    free (cmd);
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  if (n == 0)
    cmd[0] = '\0';
  else if (words == NULL) {
    free (cmd);
    customize_op_error (c, _("the guest's packages are %s packages, which "
                             "this operation cannot remove (deb, rpm and "
                             "pacman); nothing was changed"), format);
    return NULL;
  }
  return cmd;
}

/* VMware Tools from VMware's tarball: its uninstaller. */
static int
run_vmware_uninstaller (struct customize_ctx *c)
{
  static const char answers[] =
    "remove_answer RESTORE_RAMDISK_CMD\n"
    "remove_answer RESTORE_RAMDISK_KERNELS\n"
    "remove_answer RESTORE_RAMDISK_ONECALL\n";
  int r = drydock_is_file_opts (c->h, VMWARE_UNINSTALLER,
                                DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1);

  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return 0;
  /* Its record of what it installed: the initramfs images it saved
   * must not come back over the ones made for KVM. */
  if ((r = drydock_is_file (c->h, VMWARE_LOCATIONS)) == -1 ||
      (r == 1 && drydock_write_append (c->h, VMWARE_LOCATIONS, answers,
                                       sizeof answers - 1) == -1))
    return customize_op_lib_error (c);
  tool_progress_phase (_("running %s"), VMWARE_UNINSTALLER);
  return customize_run_in_guest_as (c, VMWARE_UNINSTALLER,
                                    VMWARE_UNINSTALLER, "");
}

int
customize_remove_hypervisor_tools (struct customize_ctx *c)
{
  CLEANUP_FREE char *cmd = remove_command (c);

  if (cmd == NULL)
    return -1;
  if (*cmd) {
    tool_progress_phase (_("removing packages: %s"), strchr (cmd, '\''));
    if (customize_run_in_guest_as (c, cmd, _("removing the packages"),
                                   "") == -1)
      return -1;
  }
  return run_vmware_uninstaller (c);
}
