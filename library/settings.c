/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simple settings: memory, vCPUs, accelerator, and the handle's
 * state.  (The plain flags, verbose, trace and network, are generated:
 * props-gen.c.) */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"
#include "impl-gen.h"

int
drydock_impl_set_memsize (drydock_h *h, int memsize)
{
  if (memsize < 128 || memsize > 65536) {
    drydock_int_error_errno (h, EINVAL, "set_memsize: %d: must be between "
                             "128 and 65536 MiB", memsize);
    return -1;
  }
  h->memsize = memsize;
  return 0;
}

int
drydock_impl_get_memsize (drydock_h *h)
{
  return h->memsize;
}

int
drydock_impl_set_smp (drydock_h *h, int smp)
{
  if (smp < 1 || smp > 255) {
    drydock_int_error_errno (h, EINVAL, "set_smp: %d: must be between 1 and 255",
                             smp);
    return -1;
  }
  h->smp = smp;
  return 0;
}

int
drydock_impl_get_smp (drydock_h *h)
{
  return h->smp;
}

int
drydock_impl_set_accel (drydock_h *h, const char *accel)
{
  char *copy;

  if (strcmp (accel, "auto") != 0 && strcmp (accel, "kvm") != 0 &&
      strcmp (accel, "tcg") != 0) {
    drydock_int_error_errno (h, EINVAL, "set_accel: '%s': expected auto, kvm "
                             "or tcg", accel);
    return -1;
  }
  copy = strdup (accel);
  if (copy == NULL) {
    drydock_int_perror (h, "set_accel");
    return -1;
  }
  free (h->accel);
  h->accel = copy;
  return 0;
}

char *
drydock_impl_get_accel (drydock_h *h)
{
  char *r = strdup (h->accel_used ? h->accel_used : h->accel);

  if (r == NULL)
    drydock_int_perror (h, "get_accel");
  return r;
}

/* The numbers of libguestfs's states; 3 was its busy state, which a
 * drydock handle is never in. */
int
drydock_impl_get_state (drydock_h *h)
{
  static const int numbers[] = {
    [STATE_CONFIG] = 0, [STATE_LAUNCHING] = 1, [STATE_READY] = 2,
    [STATE_DONE] = 4,
  };

  return numbers[h->state];
}

int
drydock_impl_is_config (drydock_h *h)
{
  return h->state == STATE_CONFIG;
}

int
drydock_impl_is_launching (drydock_h *h)
{
  return h->state == STATE_LAUNCHING;
}

int
drydock_impl_is_ready (drydock_h *h)
{
  return h->state == STATE_READY;
}

int
drydock_impl_is_busy (drydock_h *h)
{
  (void) h;
  return 0;
}
