/* SPDX-License-Identifier: GPL-2.0-or-later */
/* luks_format_cipher (luks_format with a cipher of the caller's), and
 * blkdiscardzeroes (does a discarded block read back as zeros). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "daemon.h"
#include "actions-gen.h"

/* PBKDF2 at cryptsetup's smallest iteration count, as luks_format: fast
 * under TCG, for test images. */
#define ITERATIONS "1000"

int
do_luks_format_cipher (const char *device, const char *key, int keyslot,
                       const char *cipher)
{
  char slot[16];
  char *const argv[] = {
    "cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2",
    "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", ITERATIONS,
    "--cipher", (char *) cipher, "--key-slot", slot, "--key-file", "-",
    (char *) device, NULL
  };
  size_t n = strlen (cipher);

  /* "aes-xts-plain64", "serpent-cbc-essiv:sha256" ... */
  if (n == 0 || n > 64 || cipher[0] == '-' ||
      strspn (cipher, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              "0123456789-_:") != n)
    return reply_with_error_errno (EINVAL, "\"%s\": not a cipher "
                                   "specification (as aes-xts-plain64)",
                                   cipher);
  if (keyslot < 0 || keyslot >= 32)
    return reply_with_error_errno (EINVAL, "key slot %d: out of range (0 to "
                                   "31)", keyslot);
  if (check_key (key) == -1)
    return -1;
  snprintf (slot, sizeof slot, "%d", keyslot);
  load_crypto ();
  return run_cryptsetup (device, key, 0, argv);
}

int
do_blkdiscardzeroes (const char *device)
{
  CLEANUP_CLOSE int fd = open (device, O_RDONLY | O_CLOEXEC);
  unsigned int zeroes = 0;

  if (fd == -1 || ioctl (fd, BLKDISCARDZEROES, &zeroes) == -1)
    return reply_with_perror ("%s", device);
  return zeroes != 0;
}

int
optgroup_blkdiscardzeroes_available (void)
{
  return 1;
}
