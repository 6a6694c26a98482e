/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LUKS key slots and identity: luks_add_key, luks_kill_slot, luks_uuid.
 * As in luks.c, the passphrase that opens the volume reaches cryptsetup
 * on its standard input; a new passphrase goes through a file of the
 * appliance's own RAM (0600, removed and wiped right after). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* The PBKDF2 iterations of new key slots, as luks_format's. */
#define KEY_ITERATIONS "1000"

static int
check_slot (int keyslot)
{
  if (keyslot < 0 || keyslot > 31)
    return reply_with_error_errno (EINVAL, "key slot %d: out of range (0 to "
                                   "7 for LUKS1, 0 to 31 for LUKS2)", keyslot);
  return 0;
}

int
do_luks_add_key (const char *device, const char *key, const char *newkey,
                 int keyslot)
{
  char tmp[] = "/run/luks-keyXXXXXX";
  char slot[16];
  char *const argv[] = {
    "cryptsetup", "luksAddKey", "--batch-mode",
    "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", KEY_ITERATIONS,
    "--key-slot", slot, "--key-file", "-", (char *) device, tmp, NULL
  };
  size_t n = strlen (newkey);
  int fd, r;

  if (check_key (key) == -1 || check_key (newkey) == -1 ||
      check_slot (keyslot) == -1)
    return -1;
  snprintf (slot, sizeof slot, "%d", keyslot);
  load_crypto ();
  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("%s: a file for the new passphrase", device);
  if (write_all (fd, newkey, n) == -1) {
    reply_with_perror ("%s: a file for the new passphrase", device);
    close (fd);
    unlink (tmp);
    return -1;
  }
  r = run_cryptsetup (device, key, 1, argv);
  /* Wipe the file's blocks before letting them go. */
  if (ftruncate (fd, 0) == -1)
    debug ("luks_add_key: ftruncate: %m");
  close (fd);
  unlink (tmp);
  return r;
}

int
do_luks_kill_slot (const char *device, const char *key, int keyslot)
{
  char slot[16];
  char *const argv[] = {
    "cryptsetup", "luksKillSlot", "--key-file", "-",
    (char *) device, slot, NULL
  };

  if (check_key (key) == -1 || check_slot (keyslot) == -1)
    return -1;
  snprintf (slot, sizeof slot, "%d", keyslot);
  load_crypto ();
  return run_cryptsetup (device, key, 1, argv);
}

char *
do_luks_uuid (const char *device)
{
  char *const argv[] = { "cryptsetup", "luksUUID", (char *) device, NULL };
  char *out = NULL;

  if (command_or_reply (device, &out, argv) == -1)
    return NULL;
  out[strcspn (out, "\n")] = '\0';
  return out;
}
