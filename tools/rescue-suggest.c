/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What drydock rescue says from inspection: --suggest's mount
 * commands (what to type at the rescue prompt to mount a guest under
 * /sysroot), and the summary the escape command "i" prints. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "rescue.h"
#include "strlist.h"

/* The mountpoints of root, pairs (mountpoint, device) sorted so that
 * each comes after its parent (shorter first, then by name).  NULL
 * (printed). */
static char **
sorted_mountpoints (drydock_h *h, const char *root, size_t *n)
{
  char **mps = drydock_inspect_get_mountpoints (h, root);

  if (mps == NULL) {
    tool_lib_error (h);
    return NULL;
  }
  *n = count_strings (mps) / 2;
  /* A few entries: an insertion sort of the pairs. */
  for (size_t i = 1; i < *n; ++i)
    for (size_t j = i; j > 0; --j) {
      char **a = &mps[2 * (j - 1)], **b = &mps[2 * j];
      size_t la = strlen (a[0]), lb = strlen (b[0]);

      if (la < lb || (la == lb && strcmp (a[0], b[0]) <= 0))
        break;
      for (int k = 0; k < 2; ++k) {
        char *t = a[k];
        a[k] = b[k];
        b[k] = t;
      }
    }
  return mps;
}

/* "linux", "debian", "12.0", the product name: the "# " lines above a
 * root's mount commands. */
static void
print_root_header (drydock_h *h, const char *root)
{
  CLEANUP_FREE char *type = drydock_inspect_get_type (h, root);
  CLEANUP_FREE char *distro = drydock_inspect_get_distro (h, root);
  CLEANUP_FREE char *product = drydock_inspect_get_product_name (h, root);
  int major = drydock_inspect_get_major_version (h, root);
  int minor = drydock_inspect_get_minor_version (h, root);

  printf ("# %s is the root of a %s operating system\n", root,
          type ? type : "unknown");
  printf ("# type: %s, distro: %s, version: %d.%d\n", type ? type : "unknown",
          distro ? distro : "unknown", major, minor);
  if (product)
    printf ("# %s\n", product);
  printf ("\n");
}

static int
suggest_root (drydock_h *h, const char *root)
{
  CLEANUP_FREE_STRING_LIST char **mps = NULL;
  CLEANUP_FREE char *type = drydock_inspect_get_type (h, root);
  size_t n;

  print_root_header (h, root);
  mps = sorted_mountpoints (h, root, &n);
  if (mps == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i)
    printf ("mount %s /sysroot%s\n", mps[2 * i + 1],
            strcmp (mps[2 * i], "/") == 0 ? "/" : mps[2 * i]);
  /* What a chroot into a Linux guest needs of the appliance. */
  if (type && strcmp (type, "linux") == 0)
    printf ("mount --rbind /dev /sysroot/dev\n"
            "mount --rbind /proc /sysroot/proc\n"
            "mount --rbind /sys /sysroot/sys\n");
  printf ("\n");
  return 0;
}

int
rescue_suggest (struct tool_options *o)
{
  CLEANUP_FREE_STRING_LIST char **roots = NULL;
  struct tools_session s;
  int r = 0;

  /* --suggest implies --ro. */
  if (tools_start (&s, o, 0) == -1)
    return -1;
  printf (_("Inspecting the disk images ...\n\n"));
  fflush (stdout);
  roots = drydock_inspect_os (s.h);
  if (roots == NULL)
    r = tool_lib_error (s.h);
  else if (roots[0] == NULL)
    r = tool_error (_("no operating system was found on the disks: mount "
                      "their filesystems at the rescue prompt as you see "
                      "fit"));
  else {
    printf (_("The disks hold one or more operating systems.  These "
              "commands, typed at\nthe rescue prompt, mount their "
              "filesystems under /sysroot:\n\n"));
    for (size_t i = 0; roots[i] && r == 0; ++i)
      r = suggest_root (s.h, roots[i]);
  }
  tools_finish (&s, 0);
  return r;
}

char *
rescue_inspection_info (struct tools_session *s)
{
  CLEANUP_FREE_STRING_LIST char **mps = NULL;
  CLEANUP_FREE char *product = NULL, *distro = NULL;
  char *buf = NULL;
  size_t len = 0, n;
  FILE *fp;

  if (s->root == NULL)
    return NULL;
  product = drydock_inspect_get_product_name (s->h, s->root);
  distro = drydock_inspect_get_distro (s->h, s->root);
  mps = sorted_mountpoints (s->h, s->root, &n);
  fp = open_memstream (&buf, &len);
  if (fp == NULL)
    return NULL;
  fprintf (fp, "Root device: %s\r\n", s->root);
  fprintf (fp, "  Product name: %s\r\n", product ? product : "unknown");
  fprintf (fp, "  Type: %s\r\n", s->type ? s->type : "unknown");
  fprintf (fp, "  Distro: %s\r\n", distro ? distro : "unknown");
  fprintf (fp, "  Version: %d.%d\r\n",
           drydock_inspect_get_major_version (s->h, s->root),
           drydock_inspect_get_minor_version (s->h, s->root));
  for (size_t i = 0; mps && i < n; ++i)
    fprintf (fp, "  Mounted: %s on /sysroot%s\r\n", mps[2 * i + 1],
             strcmp (mps[2 * i], "/") == 0 ? "" : mps[2 * i]);
  if (fclose (fp) != 0) {
    free (buf);
    return NULL;
  }
  return buf;
}
