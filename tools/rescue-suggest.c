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

/* Names from inspection come from the guest: never a control
 * character on the terminal (an escape sequence), never a shell word
 * that does more than name a path in a suggested command. */

/* s with its control characters as '?' (caller frees); NULL when s is
 * NULL or memory runs out. */
static char *
printable (const char *s)
{
  char *r = s ? strdup (s) : NULL;

  for (char *p = r; p && *p; ++p)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return r;
}

/* s as one shell word: as it is when it has only safe characters,
 * else single-quoted (caller frees). */
static char *
shell_word (const char *s)
{
  static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "0123456789/._-+:@,=";
  CLEANUP_FREE char *clean = printable (s);
  char *r, *q;

  if (clean == NULL)
    return NULL;
  if (*clean && strspn (clean, safe) == strlen (clean))
    return TAKE_PTR (clean);
  r = malloc (4 * strlen (clean) + 3);
  if (r == NULL)
    return NULL;
  q = r;
  *q++ = '\'';
  for (const char *p = clean; *p; ++p) {
    if (*p == '\'') {
      memcpy (q, "'\\''", 4);
      q += 4;
    }
    else
      *q++ = *p;
  }
  *q++ = '\'';
  *q = '\0';
  return r;
}

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
  CLEANUP_FREE char *raw_distro = drydock_inspect_get_distro (h, root);
  CLEANUP_FREE char *distro = printable (raw_distro);
  CLEANUP_FREE char *raw_product = drydock_inspect_get_product_name (h, root);
  CLEANUP_FREE char *product = printable (raw_product);
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
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *mp = NULL;
    CLEANUP_FREE char *dev = shell_word (mps[2 * i + 1]);
    CLEANUP_FREE char *target = NULL;

    if (asprintf (&mp, "/sysroot%s",
                  strcmp (mps[2 * i], "/") == 0 ? "/" : mps[2 * i]) == -1)
      return tool_error ("%s", strerror (errno));
    target = shell_word (mp);
    if (dev == NULL || target == NULL)
      return tool_error ("%s", strerror (errno));
    printf ("mount %s %s\n", dev, target);
  }
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
  CLEANUP_FREE char *raw_product = NULL, *product = NULL;
  CLEANUP_FREE char *raw_distro = NULL, *distro = NULL;
  char *buf = NULL;
  size_t len = 0, n;
  FILE *fp;

  if (s->root == NULL)
    return NULL;
  raw_product = drydock_inspect_get_product_name (s->h, s->root);
  product = printable (raw_product);
  raw_distro = drydock_inspect_get_distro (s->h, s->root);
  distro = printable (raw_distro);
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
  for (size_t i = 0; mps && i < n; ++i) {
    CLEANUP_FREE char *dev = printable (mps[2 * i + 1]);
    CLEANUP_FREE char *mp = printable (mps[2 * i]);

    fprintf (fp, "  Mounted: %s on /sysroot%s\r\n", dev ? dev : "?",
             mp == NULL || strcmp (mp, "/") == 0 ? "" : mp);
  }
  if (fclose (fp) != 0) {
    free (buf);
    return NULL;
  }
  return buf;
}
