/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Handle properties read by programs written for the other API names:
 * get_pid. */

#include <config.h>

#include <errno.h>

#include "drydock-internal.h"
#include "impl-gen.h"

int
drydock_impl_get_pid (drydock_h *h)
{
  if (h->state != STATE_READY || h->qemu_pid <= 0) {
    drydock_int_error_errno (h, ESRCH, "get_pid: the appliance is not "
                             "running");
    return -1;
  }
  return (int) h->qemu_pid;
}
