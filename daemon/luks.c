/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LUKS encrypted volumes: luks_format, cryptsetup_open and
 * cryptsetup_close, through cryptsetup.  A passphrase only ever reaches
 * cryptsetup on its standard input (--key-file -, read to its end, so
 * no newline is added or stripped), never on a command line, and is
 * wiped from memory when the call is done. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

/* Where cryptsetup takes its LUKS2 metadata locks. */
#define LOCK_DIR "/run/cryptsetup"
/* cryptsetup's exit status for "no key available with this passphrase". */
#define CRYPTSETUP_EPERM 2
/* The fixed PBKDF2 iterations of luks_format (the smallest cryptsetup
 * takes): formatting and opening cost nothing under TCG. */
#define TEST_ITERATIONS "1000"

void
free_key (char *key)
{
  if (key) {
    explicit_bzero (key, strlen (key));
    free (key);
  }
}

/* dm-crypt and what the default cipher, aes-xts-plain64, needs: the
 * kernel only asks a modprobe (which the appliance has not) for the xts
 * and ecb templates; AF_ALG lets cryptsetup decrypt key slots without a
 * temporary mapping; aesni_intel is used when the CPU has AES-NI.  aes,
 * cbc, sha256 and hmac are built into Debian's kernel. */
void
load_crypto (void)
{
  static const char *const mods[] = {
    "dm_crypt", "ecb", "xts", "algif_skcipher", "aesni_intel",
  };

  for (size_t i = 0; i < sizeof mods / sizeof mods[0]; ++i)
    load_module (mods[i]);
  mkdir ("/run", 0755);
  mkdir (LOCK_DIR, 0700);
}

int
check_key (const char *key)
{
  if (*key == '\0')
    return reply_with_error_errno (EINVAL, "the passphrase is empty");
  return 0;
}

/* The appliance's RAM in MB, as the kernel counts it (MemTotal), or -1. */
static long
guest_memory_mb (void)
{
  char line[128];
  long kb = -1;
  FILE *fp = fopen ("/proc/meminfo", "re");

  if (fp == NULL)
    return -1;
  while (fgets (line, sizeof line, fp))
    if (sscanf (line, "MemTotal: %ld kB", &kb) == 1)
      break;
  fclose (fp);
  return kb < 0 ? -1 : kb / 1024;
}

/* Runs cryptsetup with the key on stdin.  0, or -1 (replied: "DEVICE:
 * cryptsetup: its message"; opening, EACCES for a key that opens no key
 * slot). */
int
run_cryptsetup (const char *device, const char *key, int opening,
                char *const *argv)
{
  CLEANUP_FREE char *err = NULL;
  int r = run_command_input (NULL, &err, key, argv);

  if (r == CRYPTSETUP_EPERM && opening)
    return reply_with_error_errno (EACCES, "%s: wrong passphrase (it opens "
                                   "no key slot)", device);
  /* An Argon2 key slot asks for as much memory as it was made with:
   * cryptsetup's default is up to 1 GiB, more than the default
   * appliance has.  Say what to do about it. */
  if (r != 0 && err && strstr (err, "Not enough available memory"))
    return reply_with_error_errno (ENOMEM, "%s: cryptsetup: not enough memory "
                                   "to open a key slot (Argon2 key slots need "
                                   "up to 1 GiB; the appliance has %ld MB: "
                                   "set_memsize 1280, or DRYDOCK_MEMSIZE=1280)",
                                   device, guest_memory_mb ());
  if (r != 0)
    return reply_command_error (device, argv, r, err);
  return 0;
}

int
do_luks_format (const char *device, const char *key, int keyslot,
                uint64_t optmask, const char *type)
{
  char slot[16];
  const char *t = (optmask & OPT_LUKS_FORMAT_TYPE) ? type : "luks2";
  int max = strcmp (t, "luks1") == 0 ? 8 : 32;
  char *const argv[] = {
    "cryptsetup", "luksFormat", "--batch-mode", "--type", (char *) t,
    "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", TEST_ITERATIONS,
    "--key-slot", slot, "--key-file", "-", (char *) device, NULL
  };

  if (strcmp (t, "luks1") != 0 && strcmp (t, "luks2") != 0)
    return reply_with_error_errno (EINVAL, "%s: unknown LUKS type (luks1 or "
                                   "luks2)", t);
  if (keyslot < 0 || keyslot >= max)
    return reply_with_error_errno (EINVAL, "key slot %d: out of range (0 to "
                                   "%d for %s)", keyslot, max - 1, t);
  if (check_key (key) == -1)
    return -1;
  snprintf (slot, sizeof slot, "%d", keyslot);
  load_crypto ();
  return run_cryptsetup (device, key, 0, argv);
}

/* Letters, digits and "-_+.", not "." or "..", as device-mapper takes
 * them and a path under /dev/mapper needs them. */
static int
check_mapname (const char *name)
{
  size_t n = strlen (name);

  if (n == 0 || n > 100 || strspn (name, "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                   "-_+.") != n ||
      strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return reply_with_error_errno (EINVAL, "'%s': not a valid map name "
                                   "(letters, digits and -_+. only)", name);
  return 0;
}

int
do_cryptsetup_open (const char *device, const char *key, const char *mapname,
                    uint64_t optmask, int readonly, int allow_discards,
                    const char *crypttype)
{
  char *argv[12];
  size_t n = 0;
  CLEANUP_FREE char *path = NULL;
  struct stat st;

  if (check_mapname (mapname) == -1 || check_key (key) == -1)
    return -1;
  if ((optmask & OPT_CRYPTSETUP_OPEN_CRYPTTYPE) &&
      strcmp (crypttype, "luks") != 0 && strcmp (crypttype, "bitlk") != 0)
    return reply_with_error_errno (EINVAL, "crypttype \"%s\": expected luks "
                                   "or bitlk", crypttype);
  if (asprintf (&path, "/dev/mapper/%s", mapname) == -1)
    return reply_with_perror ("asprintf");
  if (lstat (path, &st) == 0)
    return reply_with_error_errno (EEXIST, "%s: already exists", path);
  argv[n++] = "cryptsetup";
  argv[n++] = "open";
  argv[n++] = "--key-file";
  argv[n++] = "-";
  if ((optmask & OPT_CRYPTSETUP_OPEN_READONLY) && readonly)
    argv[n++] = "--readonly";
  if ((optmask & OPT_CRYPTSETUP_OPEN_ALLOW_DISCARDS) && allow_discards)
    argv[n++] = "--allow-discards";
  if (optmask & OPT_CRYPTSETUP_OPEN_CRYPTTYPE) {
    argv[n++] = "--type";
    argv[n++] = (char *) crypttype;
  }
  argv[n++] = (char *) device;
  argv[n++] = (char *) mapname;
  argv[n] = NULL;
  load_crypto ();
  return run_cryptsetup (device, key, 1, argv);
}

int
do_cryptsetup_close (const char *device)
{
  const char *name;
  CLEANUP_FREE char *err = NULL;
  char *argv[] = { "cryptsetup", "close", NULL, NULL };
  int r;

  if (strncmp (device, "/dev/mapper/", 12) != 0 || strchr (device + 12, '/'))
    return reply_with_error_errno (EINVAL, "%s: not an opened encrypted "
                                   "volume (/dev/mapper/NAME)", device);
  name = device + 12;
  argv[2] = (char *) name;
  r = run_command (NULL, &err, argv);
  if (r != 0)
    return reply_command_error (device, argv, r, err);
  return 0;
}
