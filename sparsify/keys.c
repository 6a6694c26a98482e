/* --key SELECTOR: the passphrases of encrypted volumes, as libguestfs's
 * tools take them.  SELECTOR is ID:key:PASSPHRASE or ID:file:FILENAME
 * (the first line of the file, without its newline), where ID is the
 * volume's device as the appliance names it (/dev/sda2, /dev/VG/LV),
 * its LUKS UUID, or "all".  A passphrase is never printed, and is wiped
 * from memory at the end. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparsify.h"

void
sparsify_key_add (struct sparsify_opts *o, const char *selector)
{
  const char *c1 = strchr (selector, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  struct sparsify_key *k, *keys;

  if (c1 == NULL || c2 == NULL || c1 == selector || c2[1] == '\0' ||
      ((size_t) (c2 - c1 - 1) != 3 && (size_t) (c2 - c1 - 1) != 4) ||
      (strncmp (c1 + 1, "key:", 4) != 0 && strncmp (c1 + 1, "file:", 5) != 0)) {
    /* The selector may hold a passphrase: it is not repeated. */
    tool_error (_("--key: expected DEVICE:key:PASSPHRASE or "
                      "DEVICE:file:FILENAME (DEVICE: /dev/sdXN, /dev/VG/LV, "
                      "the LUKS UUID or all)"));
    exit (EXIT_FAILURE);
  }
  keys = realloc (o->keys, (o->n_keys + 1) * sizeof *keys);
  if (keys == NULL) {
    tool_error ("%s", strerror (errno));
    exit (EXIT_FAILURE);
  }
  o->keys = keys;
  k = &o->keys[o->n_keys++];
  k->id = strndup (selector, (size_t) (c1 - selector));
  k->file = c1[1] == 'f' ? c2 + 1 : NULL;
  k->passphrase = k->file ? NULL : strdup (c2 + 1);
  if (k->id == NULL || (k->file == NULL && k->passphrase == NULL)) {
    tool_error ("%s", strerror (errno));
    exit (EXIT_FAILURE);
  }
}

int
sparsify_keys_load (struct sparsify_opts *o)
{
  for (size_t i = 0; i < o->n_keys; ++i) {
    struct sparsify_key *k = &o->keys[i];
    FILE *fp;
    size_t cap = 0;
    ssize_t n;

    if (k->file == NULL)
      continue;
    fp = fopen (k->file, "re");
    if (fp == NULL)
      return tool_error (_("--key: '%s': %s"), k->file, strerror (errno));
    n = getline (&k->passphrase, &cap, fp);
    fclose (fp);
    if (n == -1) {
      free (k->passphrase);
      k->passphrase = NULL;
      return tool_error (_("--key: '%s': the file is empty"), k->file);
    }
    k->passphrase[strcspn (k->passphrase, "\n")] = '\0';
  }
  for (size_t i = 0; i < o->n_keys; ++i)
    if (o->keys[i].passphrase[0] == '\0')
      return tool_error (_("--key for %s: the passphrase is empty"),
                             o->keys[i].id);
  return 0;
}

size_t
sparsify_keys_for (const struct sparsify_opts *o, const char *device, const char *uuid,
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
  return n;
}

void
sparsify_keys_free (struct sparsify_opts *o)
{
  for (size_t i = 0; i < o->n_keys; ++i) {
    char *p = o->keys[i].passphrase;

    if (p) {
      explicit_bzero (p, strlen (p));
      free (p);
    }
    free (o->keys[i].id);
  }
  free (o->keys);
  o->keys = NULL;
  o->n_keys = 0;
}
