/* --virtio-linux: what a Linux guest moved from another hypervisor
 * needs to boot on virtio disks and find its network on a virtio NIC:
 *  - disk names: /dev/hdX, /dev/sdX and /dev/xvdX (with their partition
 *    numbers) become /dev/vdX, the same letter, in /etc/fstab's first
 *    field, the kernel command lines of the GRUB configurations and
 *    the boot entries, and the resume device; names by UUID=, LABEL=,
 *    PARTUUID= or /dev/disk/by-* are left alone;
 *  - caches of the old devices are removed (blkid's, LVM's device
 *    cache and devices file, which would hide the PVs on vdX);
 *  - network settings pinned to the old NIC's MAC address: udev's
 *    70-persistent-net.rules is removed, HWADDR= leaves the ifcfg
 *    files, mac-address= the NetworkManager keyfiles' ethernet
 *    sections, and a netplan match on macaddress (or driver) becomes
 *    a match on the name "e*", so that set-name keeps the old name;
 *  - the initramfs of every kernel is rebuilt with virtio_blk,
 *    virtio_scsi, virtio_net and virtio_pci, those the kernel has
 *    (initramfs.c).
 * The rewriting of each file is a pure function of its text; the
 * files are replaced only when their text changed. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

static const char *const virtio_modules[] = {
  "virtio_blk", "virtio_scsi", "virtio_net", "virtio_pci", NULL
};

/* What a line editor does with one line of a file. */
typedef void (*line_fn) (FILE *out, const char *line, size_t len,
                         void *state);

/* ---- disk names ---- */

static int
is_word_char (char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
    (ch >= '0' && ch <= '9') || ch == '_';
}

/* If p[0..len) starts with a disk name of the old hypervisor
 * ("/dev/sda1"), the length of its "hd", "sd" or "xvd" part, else 0. */
static size_t
old_disk_at (const char *p, size_t len)
{
  static const char *const prefixes[] = { "hd", "sd", "xvd" };
  size_t i, n;

  if (len < 5 || memcmp (p, "/dev/", 5) != 0)
    return 0;
  for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
    n = strlen (prefixes[i]);
    if (len > 5 + n && memcmp (p + 5, prefixes[i], n) == 0)
      break;
  }
  if (i == sizeof prefixes / sizeof prefixes[0])
    return 0;
  p += 5 + n;
  len -= 5 + n;
  /* The disk letters, then the partition number, then the end of the
   * word. */
  for (i = 0; i < len && p[i] >= 'a' && p[i] <= 'z'; ++i)
    ;
  if (i == 0)
    return 0;
  while (i < len && p[i] >= '0' && p[i] <= '9')
    i++;
  if (i < len && (is_word_char (p[i]) || p[i] == '/'))
    return 0;
  return n;
}

/* Writes [p, p+len) with every old disk name that starts a word as
 * /dev/vdX; only the first one when first_only, and only at the
 * start. */
static void
put_remapped (FILE *out, const char *p, size_t len, int first_only)
{
  size_t i = 0;

  while (i < len) {
    size_t n = 0;

    if ((i == 0 || (!is_word_char (p[i - 1]) && !strchr ("/.-", p[i - 1]))) &&
        (!first_only || i == 0))
      n = old_disk_at (p + i, len - i);
    if (n > 0) {
      fputs ("/dev/vd", out);
      i += 5 + n;
    }
    else
      fputc (p[i++], out);
  }
}

/* /etc/fstab: the device field of the entries. */
static void
fstab_line (FILE *out, const char *line, size_t len, void *state)
{
  size_t blanks = strspn (line, " \t");

  (void) state;
  if (blanks >= len || line[blanks] == '#') {
    fwrite (line, 1, len, out);
    return;
  }
  fwrite (line, 1, blanks, out);
  put_remapped (out, line + blanks, len - blanks, 1);
}

/* A boot configuration: every word. */
static void
boot_line (FILE *out, const char *line, size_t len, void *state)
{
  (void) state;
  put_remapped (out, line, len, 0);
}

/* /etc/default/grub: the kernel command lines only. */
static void
default_grub_line (FILE *out, const char *line, size_t len, void *state)
{
  size_t blanks = strspn (line, " \t");

  (void) state;
  if (len - blanks >= 18 && strncmp (line + blanks, "GRUB_CMDLINE_LINUX",
                                     18) == 0)
    put_remapped (out, line, len, 0);
  else
    fwrite (line, 1, len, out);
}

/* ---- network pins ---- */

/* 1 if line is "KEY=..." (blanks allowed around KEY). */
static int
is_key (const char *line, size_t len, const char *key)
{
  size_t b = strspn (line, " \t"), k = strlen (key);

  if (b + k > len || strncmp (line + b, key, k) != 0)
    return 0;
  b += k;
  while (b < len && (line[b] == ' ' || line[b] == '\t'))
    b++;
  return b < len && line[b] == '=';
}

/* ifcfg files: HWADDR= dropped. */
static void
ifcfg_line (FILE *out, const char *line, size_t len, void *state)
{
  (void) state;
  if (!is_key (line, len, "HWADDR"))
    fwrite (line, 1, len, out);
}

/* NetworkManager keyfiles: mac-address= dropped from the ethernet
 * sections; *state is 1 inside one. */
static void
nm_line (FILE *out, const char *line, size_t len, void *state)
{
  int *in_ethernet = state;
  size_t b = strspn (line, " \t");

  if (b < len && line[b] == '[')
    *in_ethernet =
      (len - b >= 10 && strncmp (line + b, "[ethernet]", 10) == 0) ||
      (len - b >= 16 && strncmp (line + b, "[802-3-ethernet]", 16) == 0);
  if (!(*in_ethernet && is_key (line, len, "mac-address")))
    fwrite (line, 1, len, out);
}

/* netplan: the state of the "match:" block being read. */
struct netplan {
  size_t indent;              /* of the "match:" line */
  int in_match, has_name, renamed;
  const char *next;           /* the line after the current one */
};

/* The indentation of a YAML line; (size_t) -1 for a blank one. */
static size_t
indent_of (const char *line, size_t len)
{
  size_t b = strspn (line, " ");

  return b < len && !strchr ("\r\n", line[b]) ? b : (size_t) -1;
}

/* "KEY:" at the start of [p, p+len) after blanks. */
static int
yaml_key (const char *line, size_t len, const char *key)
{
  size_t b = strspn (line, " "), k = strlen (key);

  return b + k < len && strncmp (line + b, key, k) == 0 &&
    line[b + k] == ':';
}

/* Whether the block of children following "match:" (deeper than
 * indent) has a "name:" key. */
static int
block_has_name (const char *p, size_t indent)
{
  while (*p) {
    size_t len = strcspn (p, "\n"), ind = indent_of (p, len);

    if (ind != (size_t) -1 && p[ind] != '#') {
      if (ind <= indent)
        return 0;
      if (yaml_key (p, len, "name"))
        return 1;
    }
    p += len + (p[len] == '\n');
  }
  return 0;
}

static void
netplan_line (FILE *out, const char *line, size_t len, void *state)
{
  struct netplan *np = state;
  size_t ind = indent_of (line, len);
  const char *brace;

  if (np->in_match && ind != (size_t) -1 && line[ind] != '#' &&
      ind <= np->indent)
    np->in_match = 0;
  if (np->in_match && (yaml_key (line, len, "macaddress") ||
                       yaml_key (line, len, "driver"))) {
    if (!np->has_name && !np->renamed)
      fprintf (out, "%*sname: \"e*\"%s", (int) ind, "",
               line[len - 1] == '\n' ? "\n" : "");
    np->renamed = 1;
    return;
  }
  if (ind != (size_t) -1 && yaml_key (line, len, "match")) {
    brace = memchr (line, '{', len);
    if (brace && (memmem (brace, len - (brace - line), "macaddress", 10) ||
                  memmem (brace, len - (brace - line), "driver", 6))) {
      fprintf (out, "%.*s{name: \"e*\"}%s", (int) (brace - line), line,
               line[len - 1] == '\n' ? "\n" : "");
      return;
    }
    np->in_match = 1;
    np->indent = ind;
    np->renamed = 0;
    np->has_name = block_has_name (np->next, ind);
  }
  fwrite (line, 1, len, out);
}

/* ---- the files ---- */

/* text with each line passed through fn (caller frees); NULL (errno). */
static char *
edit_lines (const char *text, size_t size, line_fn fn, void *state,
            struct netplan *np)
{
  char *out = NULL;
  size_t len;
  FILE *f = open_memstream (&out, &len);

  if (f == NULL)
    return NULL;
  for (const char *p = text; p < text + size; ) {
    const char *nl = memchr (p, '\n', text + size - p);
    size_t n = nl ? (size_t) (nl - p) + 1 : (size_t) (text + size - p);

    if (np)
      np->next = p + n;
    fn (f, p, n, state);
    p += n;
  }
  if (fclose (f) == EOF) {
    free (out);
    return NULL;
  }
  return out;
}

/* Edits the guest files pattern matches (a path or a wildcard), each a
 * regular text file; the ones whose text changed are replaced. */
static int
edit_files (struct customize_ctx *c, const char *pattern, line_fn fn)
{
  CLEANUP_FREE_STRING_LIST char **paths =
    drydock_glob_expand_opts (c->h, pattern,
                              DRYDOCK_GLOB_EXPAND_OPTS_DIRECTORYSLASH, 0,
                              -1);

  if (paths == NULL)
    return customize_op_lib_error (c);
  for (size_t i = 0; paths[i]; ++i) {
    CLEANUP_FREE char *text = NULL, *out = NULL;
    struct netplan np = { 0 };
    int in_ethernet = 0, r;
    void *state = fn == netplan_line ? (void *) &np :
      fn == nm_line ? (void *) &in_ethernet : NULL;
    size_t size;

    r = drydock_is_file_opts (c->h, paths[i],
                              DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1);
    if (r == -1)
      return customize_op_lib_error (c);
    if (r == 0)
      continue;
    if ((text = drydock_read_file (c->h, paths[i], &size)) == NULL)
      return customize_op_lib_error (c);
    /* A binary file is none of these. */
    if (memchr (text, '\0', size))
      continue;
    if ((out = edit_lines (text, size, fn, state,
                           fn == netplan_line ? &np : NULL)) == NULL)
      return customize_op_error (c, "%s", strerror (errno));
    if (strlen (out) != size || memcmp (out, text, size) != 0) {
      if (c->o->tool.verbose)
        fprintf (stderr, "%s: --%s: %s rewritten\n", tool_program_name (),
                 c->op->def->name, paths[i]);
      if (customize_replace_file (c, paths[i], out, strlen (out)) == -1)
        return -1;
    }
  }
  return 0;
}

static const struct {
  const char *pattern;
  line_fn fn;
} edits[] = {
  { "/etc/fstab", fstab_line },
  { "/etc/default/grub", default_grub_line },
  { "/boot/grub/grub.cfg", boot_line },
  { "/boot/grub2/grub.cfg", boot_line },
  { "/boot/grub/menu.lst", boot_line },
  { "/boot/grub/grub.conf", boot_line },
  { "/boot/loader/entries/*.conf", boot_line },
  { "/etc/initramfs-tools/conf.d/resume", boot_line },
  { "/etc/sysconfig/network-scripts/ifcfg-*", ifcfg_line },
  { "/etc/NetworkManager/system-connections/*", nm_line },
  { "/etc/netplan/*.yaml", netplan_line },
};

/* Files that name the old devices or NIC, removed. */
static const char *const removed[] = {
  "/etc/udev/rules.d/70-persistent-net.rules",
  "/etc/blkid/blkid.tab",
  "/etc/blkid.tab",
  "/etc/lvm/cache/.cache",
  "/etc/lvm/devices/system.devices",
};

int
customize_virtio_linux (struct customize_ctx *c)
{
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; ++i)
    if (edit_files (c, edits[i].pattern, edits[i].fn) == -1)
      return -1;
  for (size_t i = 0; i < sizeof removed / sizeof removed[0]; ++i)
    if (drydock_rm_f (c->h, removed[i]) == -1)
      return customize_op_lib_error (c);
  return customize_initramfs_rebuild (c, virtio_modules, 0, "virtio_blk");
}
