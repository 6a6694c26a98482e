/* Error messages of the command-line tools: one line on stderr,
 * "drydock TOOL: MESSAGE".  Every tool of the `drydock` binary reports
 * through these so that a message never spans lines, whatever the
 * library or qemu put in it. */

#ifndef DRYDOCK_TOOLMSG_H
#define DRYDOCK_TOOLMSG_H

#include "drydock.h"

/* The running tool's name ("drydock shell", "drydock inspect", ...);
 * defined by the binary's main. */
extern const char *program_name;

/* Prints "PROGRAM: MESSAGE" on stderr, newlines in MESSAGE turned into
 * spaces; returns -1. */
extern int tool_error (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
/* The handle's last error (or "unknown error") as tool_error does;
 * returns -1. */
extern int tool_lib_error (drydock_h *h);

#endif /* DRYDOCK_TOOLMSG_H */
