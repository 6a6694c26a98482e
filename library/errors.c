/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handle's last error, and the argument checks the generated
 * wrappers call before anything else. */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"

static void
set_error (drydock_h *h, int errnum, const char *fs, va_list args)
{
  char *msg;

  if (vasprintf (&msg, fs, args) == -1)
    msg = NULL;
  free (h->last_error);
  h->last_error = msg;
  h->last_errno = errnum;
}

void
drydock_int_error (drydock_h *h, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  set_error (h, 0, fs, args);
  va_end (args);
}

void
drydock_int_error_errno (drydock_h *h, int errnum, const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  set_error (h, errnum, fs, args);
  va_end (args);
}

void
drydock_int_perror (drydock_h *h, const char *fs, ...)
{
  int err = errno;
  CLEANUP_FREE char *msg = NULL;
  va_list args;

  va_start (args, fs);
  if (vasprintf (&msg, fs, args) == -1)
    msg = NULL;
  va_end (args);
  drydock_int_error_errno (h, err, "%s: %s", msg ? msg : "", strerror (err));
  errno = err;
}

PUBLIC const char *
drydock_last_error (drydock_h *h)
{
  return h ? h->last_error : NULL;
}

PUBLIC int
drydock_last_errno (drydock_h *h)
{
  return h ? h->last_errno : 0;
}

int
drydock_int_check_handle (drydock_h *h, const char *name)
{
  (void) name;
  if (h == NULL) {
    errno = EINVAL;
    return -1;
  }
  return 0;
}

int
drydock_int_check_ready (drydock_h *h, const char *name)
{
  if (drydock_int_check_handle (h, name) == -1)
    return -1;
  if (h->state == STATE_READY)
    return 0;
  if (h->state == STATE_DONE)
    drydock_int_error_errno (h, EINVAL, "%s: the appliance is not running "
                             "any more (shut down or died): close the handle",
                             name);
  else
    drydock_int_error_errno (h, EINVAL, "%s: call launch before using this "
                             "function", name);
  return -1;
}

int
drydock_int_check_config (drydock_h *h, const char *name)
{
  if (drydock_int_check_handle (h, name) == -1)
    return -1;
  if (h->state == STATE_CONFIG)
    return 0;
  drydock_int_error_errno (h, EINVAL, "%s: this function can only be called "
                           "in the config state", name);
  return -1;
}

void
drydock_int_error_prefix (drydock_h *h, const char *name)
{
  size_t n = strlen (name);
  char *msg;

  if (h->last_error && strncmp (h->last_error, name, n) == 0 &&
      strncmp (h->last_error + n, ": ", 2) == 0)
    return;
  if (asprintf (&msg, "%s: %s", name,
                h->last_error ? h->last_error : "failed") == -1)
    return;
  free (h->last_error);
  h->last_error = msg;
}

void
drydock_int_error_prefix_instead (drydock_h *h, const char *name,
                                  const char *instead)
{
  size_t n = strlen (instead);

  /* The replacement's name goes: the caller called NAME. */
  if (h->last_error && strncmp (h->last_error, instead, n) == 0 &&
      strncmp (h->last_error + n, ": ", 2) == 0)
    memmove (h->last_error, h->last_error + n + 2,
             strlen (h->last_error + n + 2) + 1);
  drydock_int_error_prefix (h, name);
}

void
drydock_int_deprecated (drydock_h *h, unsigned i, const char *name,
                        const char *instead)
{
  uint64_t bit = UINT64_C(1) << (i % 64);

  if (h == NULL || i / 64 >= sizeof h->deprecated_warned /
      sizeof h->deprecated_warned[0] || (h->deprecated_warned[i / 64] & bit))
    return;
  h->deprecated_warned[i / 64] |= bit;
  drydock_int_warning (h, "%s is deprecated: use %s instead", name, instead);
}

int
drydock_int_check_nonnull (drydock_h *h, const char *name, const char *arg,
                           const void *p)
{
  if (p != NULL)
    return 0;
  drydock_int_error_errno (h, EINVAL, "%s: %s: argument is NULL", name, arg);
  return -1;
}

int
drydock_int_check_path (drydock_h *h, const char *name, const char *arg,
                        const char *path)
{
  if (drydock_int_check_nonnull (h, name, arg, path) == -1)
    return -1;
  if (path[0] == '/')
    return 0;
  drydock_int_error_errno (h, EINVAL, "%s: %s: path must be absolute: '%s'",
                           name, arg, path);
  return -1;
}

int
drydock_int_check_list (drydock_h *h, const char *name, const char *arg,
                        char *const *l)
{
  if (count_strings (l) < WIRE_MESSAGE_MAX / 4)
    return 0;
  drydock_int_error_errno (h, E2BIG, "%s: %s: list too long", name, arg);
  return -1;
}
