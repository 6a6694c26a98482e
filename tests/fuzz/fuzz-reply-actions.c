/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The generated reply decoders and their table (see Makefile.am). */
#define DRYDOCK_FUZZ_REPLIES 1
#include "../../library/actions-gen.c"
