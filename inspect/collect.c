/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the inspection answers out of the appliance, every root in
 * turn, into memory (struct inspect_result).  Separate from the output
 * so that XML and JSON print the same facts, and so that nothing is
 * printed before every call has succeeded.
 *
 * Order of lists follows virt-inspector, which sorts for stable output:
 * mountpoints shortest first then by name, filesystems by device,
 * drive letters without regard to case. */

#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanups.h"
#include "inspect.h"
#include "strlist.h"

typedef char *(*string_getter) (drydock_h *h, const char *root);

/* *out = getter's answer, valid UTF-8. */
static int
get_string (drydock_h *h, string_getter getter, const char *root, char **out)
{
  *out = getter (h, root);
  if (*out == NULL)
    return tool_lib_error (h);
  if (inspect_text_fix (out) == -1)
    return tool_error ("%s", _("out of memory"));
  return 0;
}

/* The same for a getter that may fail (Windows-only answers, vfs_* on
 * a device with nothing to say): its error leaves "" or NULL. */
static int
get_optional (drydock_h *h, string_getter getter, const char *root,
              char **out, int empty_on_error)
{
  *out = getter (h, root);
  if (*out == NULL && !empty_on_error)
    return 0;
  if (*out == NULL)
    *out = strdup ("");
  if (*out == NULL || inspect_text_fix (out) == -1)
    return tool_error ("%s", _("out of memory"));
  return 0;
}

static int
fix_list (char **l)
{
  for (size_t i = 0; l && l[i]; ++i)
    if (inspect_text_fix (&l[i]) == -1)
      return tool_error ("%s", _("out of memory"));
  return 0;
}

static int
compare_by_length (const void *a, const void *b)
{
  const char *ka = *(char *const *) a, *kb = *(char *const *) b;
  size_t la = strlen (ka), lb = strlen (kb);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (ka, kb);
}

static int
compare_nocase (const void *a, const void *b)
{
  return strcasecmp (*(char *const *) a, *(char *const *) b);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorts a list of key, value pairs by key. */
static void
sort_pairs (char **l, int (*cmp) (const void *, const void *))
{
  qsort (l, count_strings (l) / 2, 2 * sizeof (char *), cmp);
}

static int
collect_filesystems (drydock_h *h, struct inspect_os *os)
{
  CLEANUP_FREE char **devs = drydock_inspect_get_filesystems (h, os->root);
  size_t n;

  if (devs == NULL)
    return tool_lib_error (h);
  n = count_strings (devs);
  qsort (devs, n, sizeof (char *), compare_strings);
  os->fs = calloc (n ? n : 1, sizeof *os->fs);
  if (os->fs == NULL) {
    free_string_list (TAKE_PTR (devs));
    return tool_error ("%s", _("out of memory"));
  }
  /* The strings are os's from here on: freed with it. */
  for (size_t i = 0; i < n; ++i)
    os->fs[i].dev = devs[i];
  os->n_fs = n;
  for (size_t i = 0; i < n; ++i) {
    struct inspect_fs *f = &os->fs[i];

    if (inspect_text_fix (&f->dev) == -1)
      return tool_error ("%s", _("out of memory"));
    if (get_optional (h, drydock_vfs_type, f->dev, &f->type, 1) == -1 ||
        get_optional (h, drydock_vfs_label, f->dev, &f->label, 1) == -1 ||
        get_optional (h, drydock_vfs_uuid, f->dev, &f->uuid, 1) == -1)
      return -1;
  }
  return 0;
}

static int
fix_application (struct drydock_application *a)
{
  char **fields[] = {
    &a->name, &a->display_name, &a->version, &a->release, &a->arch,
    &a->install_path, &a->publisher, &a->url, &a->source_package,
    &a->summary, &a->description,
  };

  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
    if (inspect_text_fix (fields[i]) == -1)
      return tool_error ("%s", _("out of memory"));
  return 0;
}

static int
collect_root (drydock_h *h, struct inspect_os *os, int apps)
{
  const struct {
    string_getter getter;
    char **field;
  } strings[] = {
    { drydock_inspect_get_type, &os->type },
    { drydock_inspect_get_arch, &os->arch },
    { drydock_inspect_get_distro, &os->distro },
    { drydock_inspect_get_product_name, &os->product_name },
    { drydock_inspect_get_product_variant, &os->product_variant },
    { drydock_inspect_get_package_format, &os->package_format },
    { drydock_inspect_get_package_management, &os->package_management },
    { drydock_inspect_get_hostname, &os->hostname },
    { drydock_inspect_get_build_id, &os->build_id },
    { drydock_inspect_get_osinfo, &os->osinfo },
    { drydock_inspect_get_format, &os->format },
  };

  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i)
    if (get_string (h, strings[i].getter, os->root, strings[i].field) == -1)
      return -1;
  os->major_version = drydock_inspect_get_major_version (h, os->root);
  if (os->major_version == -1)
    return tool_lib_error (h);
  os->minor_version = drydock_inspect_get_minor_version (h, os->root);
  if (os->minor_version == -1)
    return tool_lib_error (h);

  /* As virt-inspector: a Windows root whose system root or control set
   * could not be read is still reported, without them. */
  if (strcmp (os->type, "windows") == 0 &&
      (get_optional (h, drydock_inspect_get_windows_systemroot, os->root,
                     &os->windows_systemroot, 0) == -1 ||
       get_optional (h, drydock_inspect_get_windows_current_control_set,
                     os->root, &os->windows_current_control_set, 0) == -1))
    return -1;

  os->mountpoints = drydock_inspect_get_mountpoints (h, os->root);
  if (os->mountpoints == NULL)
    return tool_lib_error (h);
  if (fix_list (os->mountpoints) == -1)
    return -1;
  sort_pairs (os->mountpoints, compare_by_length);

  if (collect_filesystems (h, os) == -1)
    return -1;

  os->drive_mappings = drydock_inspect_get_drive_mappings (h, os->root);
  if (os->drive_mappings == NULL)
    return tool_lib_error (h);
  if (fix_list (os->drive_mappings) == -1)
    return -1;
  sort_pairs (os->drive_mappings, compare_nocase);

  if (apps) {
    os->apps = drydock_inspect_list_applications (h, os->root);
    if (os->apps == NULL)
      return tool_lib_error (h);
    for (uint32_t i = 0; i < os->apps->len; ++i)
      if (fix_application (&os->apps->val[i]) == -1)
        return -1;
  }
  return 0;
}

/* The logo, as virt-inspector asks for it: no favicon (the ones some
 * distributions ship are 16x16 and poor). */
static int
collect_icon (drydock_h *h, struct inspect_os *os)
{
  struct drydock_inspect_get_icon_opts_argv o = {
    .bitmask = DRYDOCK_INSPECT_GET_ICON_OPTS_FAVICON_BITMASK,
    .favicon = 0,
  };
  size_t len;
  char *icon = drydock_inspect_get_icon_opts_argv (h, os->root, &len, &o);

  if (icon == NULL)
    return tool_lib_error (h);
  if (len == 0) {
    free (icon);
    return 0;
  }
  os->icon = icon;
  os->icon_len = len;
  return 0;
}

/* When no operating system was found: a filesystem of a kind a guest
 * root can be that does not mount is damaged, and the user is told
 * which (the mount error names the device, the image and the reason). */
static void
warn_unmountable (drydock_h *h)
{
  static const char *const kinds[] = {
    "ext2", "ext3", "ext4", "xfs", "btrfs", "ntfs", NULL
  };
  CLEANUP_FREE_STRING_LIST char **fs = drydock_list_filesystems (h);

  for (size_t i = 0; fs && fs[i] && fs[i + 1]; i += 2) {
    size_t k = 0;

    while (kinds[k] && strcmp (kinds[k], fs[i + 1]) != 0)
      k++;
    if (kinds[k] == NULL)
      continue;
    if (drydock_mount_ro (h, fs[i], "/") == -1)
      tool_warning ("%s", drydock_last_error (h));
    else
      drydock_umount_all (h);
  }
}

int
inspect_collect (drydock_h *h, int apps, int icon, struct inspect_result *r)
{
  CLEANUP_FREE char **roots = drydock_inspect_os (h);
  size_t n;

  if (roots == NULL)
    return tool_lib_error (h);
  n = count_strings (roots);
  if (n == 0)
    warn_unmountable (h);
  r->os = calloc (n ? n : 1, sizeof *r->os);
  if (r->os == NULL) {
    free_string_list (TAKE_PTR (roots));
    return tool_error ("%s", _("out of memory"));
  }
  /* The strings are r's from here on: freed with it. */
  for (size_t i = 0; i < n; ++i)
    r->os[i].root = roots[i];
  r->n_os = n;
  for (size_t i = 0; i < n; ++i) {
    if (inspect_text_fix (&r->os[i].root) == -1)
      return tool_error ("%s", _("out of memory"));
    if (collect_root (h, &r->os[i], apps) == -1)
      return -1;
    if (icon && collect_icon (h, &r->os[i]) == -1)
      return -1;
  }
  return 0;
}

static void
free_os (struct inspect_os *os)
{
  char *strings[] = {
    os->root, os->type, os->arch, os->distro, os->product_name,
    os->product_variant, os->package_format, os->package_management,
    os->hostname, os->build_id, os->osinfo, os->format,
    os->windows_systemroot, os->windows_current_control_set,
  };

  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i)
    free (strings[i]);
  free_string_list (os->mountpoints);
  for (size_t i = 0; i < os->n_fs; ++i) {
    free (os->fs[i].dev);
    free (os->fs[i].type);
    free (os->fs[i].label);
    free (os->fs[i].uuid);
  }
  free (os->fs);
  free_string_list (os->drive_mappings);
  drydock_free_application_list (os->apps);
  free (os->icon);
}

void
inspect_collect_free (struct inspect_result *r)
{
  for (size_t i = 0; i < r->n_os; ++i)
    free_os (&r->os[i]);
  free (r->os);
  r->os = NULL;
  r->n_os = 0;
}
