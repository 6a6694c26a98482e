/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keys of encrypted volumes, as libguestfs's tools take them:
 * --key ID:key:PASSPHRASE or ID:file:FILENAME (the first line of the
 * file, without its newline), where ID is the volume's device as the
 * appliance names it (/dev/sda2, /dev/VG/LV), its LUKS UUID, or "all";
 * and --keys-from-stdin, one line of standard input for each volume no
 * --key is for.  Opening the volumes with them is here too, so that
 * every tool opens them the same way.  A passphrase is never printed,
 * and is wiped from memory at the end (tool_options_free). */

#include <config.h>

#include <errno.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "cleanups.h"
#include "options.h"
#include "strlist.h"

#define _(s) gettext (s)

/* Passphrases tried on one volume, at most. */
#define MAX_KEYS 16

static int
append_key (struct tool_options *o, char *id, char *passphrase)
{
  struct tool_key *v = realloc (o->keys, (o->n_keys + 1) * sizeof *v);

  if (id == NULL || passphrase == NULL || v == NULL) {
    free (id);
    if (passphrase)
      explicit_bzero (passphrase, strlen (passphrase));
    free (passphrase);
    return tool_error ("%s", strerror (errno));
  }
  o->keys = v;
  o->keys[o->n_keys++] = (struct tool_key) { id, passphrase };
  return 0;
}

/* The first line of fp without its newline, in *line (caller frees);
 * -1 at the end of the file. */
static int
read_line (FILE *fp, char **line)
{
  size_t cap = 0;

  *line = NULL;
  if (getline (line, &cap, fp) == -1) {
    free (*line);
    *line = NULL;
    return -1;
  }
  (*line)[strcspn (*line, "\n")] = '\0';
  return 0;
}

static char *
read_key_file (const char *file)
{
  CLEANUP_FCLOSE FILE *fp = fopen (file, "re");
  char *line;

  if (fp == NULL) {
    tool_error (_("--key: '%s': %s"), file, strerror (errno));
    return NULL;
  }
  if (read_line (fp, &line) == -1) {
    tool_error (_("--key: '%s': the file is empty"), file);
    return NULL;
  }
  return line;
}

int
tool_add_key (struct tool_options *o, const char *selector)
{
  const char *c1 = strchr (selector, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  size_t kind = c2 ? (size_t) (c2 - c1 - 1) : 0;
  char *id, *passphrase;

  if (c1 == NULL || c2 == NULL || c1 == selector || c2[1] == '\0' ||
      !((kind == 3 && strncmp (c1 + 1, "key", 3) == 0) ||
        (kind == 4 && strncmp (c1 + 1, "file", 4) == 0)))
    /* The selector may hold a passphrase: it is not repeated. */
    return tool_error (_("--key: expected DEVICE:key:PASSPHRASE or "
                         "DEVICE:file:FILENAME (DEVICE: /dev/sdXN, "
                         "/dev/VG/LV, the LUKS UUID or all)"));
  id = strndup (selector, (size_t) (c1 - selector));
  if (kind == 4) {
    passphrase = read_key_file (c2 + 1);
    if (passphrase == NULL) {
      free (id);
      return -1;
    }
  }
  else
    passphrase = strdup (c2 + 1);
  if (passphrase && *passphrase == '\0') {
    free (passphrase);
    tool_error (_("--key for %s: the passphrase is empty"),
                id ? id : selector);
    free (id);
    return -1;
  }
  return append_key (o, id, passphrase);
}

char *
tool_read_passphrase (FILE *fp, const char *prompt, int echo)
{
  int fd = fileno (fp);
  int tty = isatty (fd);
  struct termios saved, quiet;
  char *line;
  int r;

  if (tty) {
    FILE *out = fp == stdin ? stderr : fp;

    /* Echo off before the prompt: what is typed as soon as it shows is
     * neither shown nor lost. */
    tty = !echo && tcgetattr (fd, &saved) == 0;
    quiet = saved;
    quiet.c_lflag &= ~ECHO;
    if (tty)
      tcsetattr (fd, TCSADRAIN, &quiet);
    fprintf (out, "%s", prompt);
    fflush (out);
  }
  r = read_line (fp, &line);
  if (tty) {
    tcsetattr (fd, TCSADRAIN, &saved);
    fputc ('\n', fp == stdin ? stderr : fp);
  }
  return r == -1 ? NULL : line;
}

/* --keys-from-stdin: one line for device, without echo on a terminal
 * (unless --echo-keys). */
static int
key_from_stdin (struct tool_options *o, const char *device)
{
  CLEANUP_FREE char *prompt = NULL;
  char *line;

  if (asprintf (&prompt, _("Enter key or passphrase (\"%s\"): "), device) == -1)
    return tool_error ("%s", strerror (errno));
  line = tool_read_passphrase (stdin, prompt, o->echo_keys);
  if (line == NULL)
    return tool_error (_("--keys-from-stdin: no passphrase for %s on "
                         "standard input"), device);
  if (*line == '\0') {
    free (line);
    return tool_error (_("--keys-from-stdin: the passphrase for %s is "
                         "empty"), device);
  }
  return append_key (o, strdup (device), line);
}

int
tool_keys_for (struct tool_options *o, const char *device, const char *uuid,
               const char **out, size_t max)
{
  size_t n = 0;

  /* The keys naming the volume first, in the order given, then "all". */
  for (int pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < o->n_keys && n < max; ++i) {
      const char *id = o->keys[i].id;
      int all = strcmp (id, "all") == 0;

      if (pass == 0 ? (!all && (strcmp (id, device) == 0 ||
                                (uuid && *uuid && strcasecmp (id, uuid) == 0)))
          : all)
        out[n++] = o->keys[i].passphrase;
    }
  if (n == 0 && max > 0 && o->keys_from_stdin) {
    if (key_from_stdin (o, device) == -1)
      return -1;
    out[n++] = o->keys[o->n_keys - 1].passphrase;
  }
  return (int) n;
}

/* "/dev/sda2" -> "luks-sda2", "/dev/vg/lv" -> "luks-vg-lv". */
static char *
map_name (const char *dev)
{
  char *name;

  if (strncmp (dev, "/dev/", 5) == 0)
    dev += 5;
  if (asprintf (&name, "luks-%s", dev) == -1)
    return NULL;
  for (char *p = name; *p; ++p)
    if (*p == '/')
      *p = '-';
  return name;
}

/* Opens dev with the first of its keys that works.  1 if opened, 0 if
 * there is no key for it, -1 (printed). */
static int
open_one (drydock_h *h, struct tool_options *o, unsigned flags,
          const char *dev, struct strlist *opened)
{
  CLEANUP_FREE char *uuid = drydock_vfs_uuid (h, dev);
  CLEANUP_FREE char *name = map_name (dev);
  const char *keys[MAX_KEYS];
  int n = tool_keys_for (o, dev, uuid, keys, MAX_KEYS);

  if (n <= 0)
    return n;
  if (name == NULL)
    return tool_error ("%s", strerror (errno));
  for (int i = 0; i < n; ++i) {
    tool_progress_phase (_("opening %s"), dev);
    struct drydock_cryptsetup_open_opts_argv a = {
      .bitmask = DRYDOCK_CRYPTSETUP_OPEN_OPTS_ALLOW_DISCARDS_BITMASK,
      .allow_discards = (flags & TOOL_LUKS_ALLOW_DISCARDS) != 0,
    };

    if (drydock_cryptsetup_open_opts_argv (h, dev, keys[i], name, &a) == 0) {
      if (strlist_add (opened, dev) == -1 ||
          strlist_addf (opened, "/dev/mapper/%s", name) == -1)
        return tool_error ("%s", strerror (errno));
      return 1;
    }
    if (drydock_last_errno (h) != EACCES)
      return tool_lib_error (h);
  }
  return tool_error (n == 1 ? _("%s: wrong key: the --key given for it "
                                "opens none of its key slots") :
                     _("%s: wrong key: none of the %d --key given for it "
                       "opens one of its key slots"), dev, n);
}

static int
is_opened (const struct strlist *opened, const char *dev)
{
  for (size_t i = 0; i + 1 < opened->len; i += 2)
    if (strcmp (opened->v[i], dev) == 0)
      return 1;
  return 0;
}

/* Opens what one listing shows.  1 if a volume was opened, 0 if none,
 * -1 (printed). */
static int
open_listed (drydock_h *h, struct tool_options *o, unsigned flags,
             struct strlist *opened)
{
  CLEANUP_FREE_STRING_LIST char **vgs = drydock_vgs (h);
  CLEANUP_FREE_STRING_LIST char **fs = NULL;
  int any = 0;

  /* Activating LVM costs a second under TCG: only when there is some. */
  if (vgs == NULL || (vgs[0] && drydock_vg_activate_all (h, 1) == -1) ||
      (fs = drydock_list_filesystems (h)) == NULL)
    return tool_lib_error (h);
  for (size_t i = 0; fs[i] && fs[i + 1]; i += 2) {
    int r;

    if (strcmp (fs[i + 1], "crypto_LUKS") != 0 || is_opened (opened, fs[i]))
      continue;
    r = open_one (h, o, flags, fs[i], opened);
    if (r == -1)
      return -1;
    any |= r;
  }
  return any;
}

int
tool_open_encrypted (drydock_h *h, struct tool_options *o, unsigned flags,
                     char ***opened)
{
  struct strlist l = STRLIST_INIT;
  int r = 0;

  /* A volume opened may hold another one (or a volume group that does):
   * list again until nothing new opens. */
  if (o->n_keys > 0 || o->keys_from_stdin)
    while ((r = open_listed (h, o, flags, &l)) == 1)
      ;
  *opened = strlist_take (&l);
  if (*opened == NULL)
    return tool_error ("%s", strerror (errno));
  return r;
}

int
tool_close_encrypted (drydock_h *h, char **opened)
{
  CLEANUP_FREE_STRING_LIST char **vgs = NULL;
  size_t n = opened ? count_strings (opened) / 2 : 0;

  if (n == 0)
    return 0;
  /* Nothing needs a volume group any more; one inside a volume keeps it
   * busy. */
  vgs = drydock_vgs (h);
  if (vgs == NULL || (vgs[0] && drydock_vg_activate_all (h, 0) == -1))
    return tool_lib_error (h);
  for (size_t i = n; i-- > 0; )
    if (drydock_cryptsetup_close (h, opened[2 * i + 1]) == -1)
      return tool_lib_error (h);
  return 0;
}
