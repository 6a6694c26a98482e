/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock rescue's parts: the flow and options (rescue.c), the
 * terminal and its escape key (rescue-term.c), what inspection says
 * (rescue-suggest.c).  Convention as tools.h: 0, or -1 after printing
 * one line. */

#ifndef DRYDOCK_RESCUE_H
#define DRYDOCK_RESCUE_H

#include "tools.h"

/* ^], as virt-rescue's. */
#define RESCUE_DEFAULT_ESCAPE 0x1d

/* The shell on the terminal (standard input and output): raw mode,
 * the escape key (escape, or -1 for none) and its commands, the
 * terminal's size followed.  info is what "^] i" prints (NULL: no
 * inspection); quiet leaves out the banner.  Returns the shell's exit
 * status, or -1 (printed); *quit is set when the user quit with the
 * escape key (the shell was hung up: nothing is to be written). */
extern int rescue_on_terminal (drydock_h *h, int escape, const char *info,
                               int quiet, int *quit);

/* What "^] i" prints: the inspected operating system and its mounts,
 * lines ending in "\r\n" (a raw terminal); NULL without inspection. */
extern char *rescue_inspection_info (struct tools_session *s);

/* --suggest: one read-only launch, inspection, and the mount commands
 * for each operating system on standard output.  0, or -1 (printed). */
extern int rescue_suggest (struct tool_options *o);

#endif /* DRYDOCK_RESCUE_H */
