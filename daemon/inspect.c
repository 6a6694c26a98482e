/* The inspect_* actions: the scan of every filesystem for operating
 * system roots, its cache, and the getters that read it. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "daemon.h"
#include "actions-gen.h"
#include "inspect.h"

char **
do_inspect_os (void)
{
  reply_with_error_errno (ENOTSUP, "inspect_os: not implemented yet");
  return NULL;
}

char **
do_inspect_get_roots (void)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_roots: not implemented yet");
  return NULL;
}

char *
do_inspect_get_type (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_type: not implemented yet");
  return NULL;
}

char *
do_inspect_get_distro (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_distro: not implemented yet");
  return NULL;
}

char *
do_inspect_get_product_name (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_product_name: not implemented yet");
  return NULL;
}

char *
do_inspect_get_product_variant (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_product_variant: not implemented yet");
  return NULL;
}

int
do_inspect_get_major_version (const char *root)
{
  return reply_with_error_errno (ENOTSUP, "inspect_get_major_version: not implemented yet");
}

int
do_inspect_get_minor_version (const char *root)
{
  return reply_with_error_errno (ENOTSUP, "inspect_get_minor_version: not implemented yet");
}

char *
do_inspect_get_arch (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_arch: not implemented yet");
  return NULL;
}

char *
do_inspect_get_hostname (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_hostname: not implemented yet");
  return NULL;
}

char *
do_inspect_get_package_format (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_package_format: not implemented yet");
  return NULL;
}

char *
do_inspect_get_package_management (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_package_management: not implemented yet");
  return NULL;
}

char *
do_inspect_get_build_id (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_build_id: not implemented yet");
  return NULL;
}

char *
do_inspect_get_osinfo (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_osinfo: not implemented yet");
  return NULL;
}

char *
do_inspect_get_format (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_format: not implemented yet");
  return NULL;
}

char *
do_inspect_get_windows_systemroot (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_windows_systemroot: not implemented yet");
  return NULL;
}

char *
do_inspect_get_windows_current_control_set (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_windows_current_control_set: not implemented yet");
  return NULL;
}

char *
do_inspect_get_windows_software_hive (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_windows_software_hive: not implemented yet");
  return NULL;
}

char *
do_inspect_get_windows_system_hive (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_windows_system_hive: not implemented yet");
  return NULL;
}

char **
do_inspect_get_mountpoints (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_mountpoints: not implemented yet");
  return NULL;
}

char **
do_inspect_get_filesystems (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_filesystems: not implemented yet");
  return NULL;
}

char **
do_inspect_get_drive_mappings (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_get_drive_mappings: not implemented yet");
  return NULL;
}

struct drydock_application_list *
do_inspect_list_applications (const char *root)
{
  reply_with_error_errno (ENOTSUP, "inspect_list_applications: not implemented yet");
  return NULL;
}

int
do_inspect_mount_root (const char *root, uint64_t optmask, int readonly)
{
  return reply_with_error_errno (ENOTSUP, "inspect_mount_root: not implemented yet");
}
