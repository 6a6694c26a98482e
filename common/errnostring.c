/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table behind errnostring.h. */

#include <config.h>

#include <errno.h>
#include <string.h>

#include "errnostring.h"

#define E(x) { x, #x }
static const struct { int num; const char *name; } table[] = {
  E (EPERM), E (ENOENT), E (ESRCH), E (EINTR), E (EIO), E (ENXIO),
  E (E2BIG), E (ENOEXEC), E (EBADF), E (ECHILD), E (EAGAIN), E (ENOMEM),
  E (EACCES), E (EFAULT), E (EBUSY), E (EEXIST), E (EXDEV), E (ENODEV),
  E (ENOTDIR), E (EISDIR), E (EINVAL), E (ENFILE), E (EMFILE), E (ENOTTY),
  E (EFBIG), E (ENOSPC), E (ESPIPE), E (EROFS), E (EMLINK), E (EPIPE),
  E (ERANGE), E (EDEADLK), E (ENAMETOOLONG), E (ENOSYS), E (ENOTEMPTY),
  E (ELOOP), E (ENODATA), E (ETIME), E (EOVERFLOW), E (EILSEQ),
  E (ENOTSUP), E (EMSGSIZE), E (EBADMSG), E (ETIMEDOUT), E (ECANCELED),
  E (EUCLEAN), E (EDQUOT), E (ENOMEDIUM), E (EPROTO), E (ENOKEY),
  E (ESTALE), E (EOPNOTSUPP), E (EADDRNOTAVAIL),
};
#undef E

const char *
errno_to_name (int err)
{
  for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    if (table[i].num == err)
      return table[i].name;
  return "EUNKNOWN";
}

int
errno_from_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return 0;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
    if (strcmp (table[i].name, name) == 0)
      return table[i].num;
  return EIO;
}
