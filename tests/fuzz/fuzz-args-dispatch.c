/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The generated argument decoders, their table and a dispatch_call that
 * runs no action (see Makefile.am). */
#define DRYDOCK_FUZZ_ARGS 1
#include "../../daemon/dispatch-gen.c"
