/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: finds where a kernel module's appended
 * signature starts, so that the module can be copied without it.
 * Checking an RSA signature on every load costs tens of milliseconds
 * per module under TCG; an unsigned module loads the same (the kernel
 * only marks itself tainted, once).  Separate because the trailer
 * format is the kernel's, not ours.
 *
 * The trailer that scripts/sign-file appends, at the very end:
 *
 *   signature bytes (PKCS#7), sig_len of them
 *   struct module_signature, 12 bytes: algo, hash, id_type, signer_len,
 *     key_id_len, 3 bytes of padding, sig_len (32-bit big-endian)
 *   "~Module signature appended~\n" (28 bytes, no NUL)
 */

#include "make-appliance.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>


#define MODSIG_MAGIC "~Module signature appended~\n"
#define MODSIG_MAGIC_LEN (sizeof MODSIG_MAGIC - 1)
#define MODSIG_INFO_LEN 12

static int
pread_all (int fd, void *buf, size_t len, uint64_t off, const char *name)
{
  ssize_t r;

  do
    r = pread (fd, buf, len, off);
  while (r == -1 && errno == EINTR);
  if (r == -1) {
    error_set_errno (name, errno);
    return -1;
  }
  if ((size_t) r != len) {
    error_set (name, _("file shrank while the appliance was being built"));
    return -1;
  }
  return 0;
}

int64_t
modsig_unsigned_size (int fd, uint64_t size, const char *name)
{
  uint8_t tail[MODSIG_INFO_LEN + MODSIG_MAGIC_LEN];
  const uint8_t *info = tail;
  uint64_t sig_len;

  if (size < sizeof tail)
    return size;
  if (pread_all (fd, tail, sizeof tail, size - sizeof tail, name) == -1)
    return -1;
  if (memcmp (tail + MODSIG_INFO_LEN, MODSIG_MAGIC, MODSIG_MAGIC_LEN) != 0)
    return size;
  sig_len = (uint64_t) info[8] << 24 | (uint64_t) info[9] << 16 |
    (uint64_t) info[10] << 8 | info[11];
  if (sig_len > size - sizeof tail) {
    error_set (name, _("malformed module signature (length %" PRIu64 ")"),
               sig_len);
    return -1;
  }
  return size - sizeof tail - sig_len;
}
