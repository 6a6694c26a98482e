/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The customize operation of drydock sysprep: customize's own run on
 * each root, which gives the guest's kernel a fresh random seed (the
 * clones of a template would otherwise start with the same entropy)
 * and runs the customize operations given on the command line.  (The
 * script operation, which shows the guest to host programs, is in
 * script-op.c.) */

#include <config.h>

#include <errno.h>
#include <string.h>
#include <stdlib.h>

#include "cleanups.h"
#include "sysprep.h"

int
sysprep_customize (struct sysprep_ctx *c)
{
  struct customize_ctx cc = { .h = c->h, .o = &c->o->cust };
  int r;

  cc.root = strdup (c->root);
  cc.distro = strdup (c->distro);
  if (cc.root == NULL || cc.distro == NULL)
    r = sysprep_error (c, "%s", strerror (errno));
  else
    r = customize_run_ops (&cc);
  customize_ctx_free (&cc);
  return r;
}
