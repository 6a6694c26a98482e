/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* errno values travel between appliance and host by name, since the
 * numbers differ between architectures. */

#ifndef DRYDOCK_ERRNOSTRING_H
#define DRYDOCK_ERRNOSTRING_H

/* "ENOENT" for ENOENT; "EUNKNOWN" for values not in the table. */
extern const char *errno_to_name (int err);
/* ENOENT for "ENOENT"; EIO for unknown names; 0 for "". */
extern int errno_from_name (const char *name);

#endif
