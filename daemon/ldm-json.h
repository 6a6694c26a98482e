/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading ldmtool's JSON (ldm-json.c).  Every function takes a position
 * in a NUL-terminated text and returns the position after what it read,
 * or NULL with errno (EINVAL: not that shape; ENOMEM). */

#ifndef DRYDOCK_DAEMON_LDM_JSON_H
#define DRYDOCK_DAEMON_LDM_JSON_H

#include "strlist.h"

/* The string at p (its opening quote) into a new string *s (caller
 * frees; s may be NULL to skip it).  Escapes are decoded for ASCII;
 * \uXXXX above 0x7f becomes "?" (ldmtool's names are ASCII). */
extern const char *ldm_json_string (const char *p, char **s);

/* The array of strings at p (blanks before it skipped), appended to
 * l. */
extern const char *ldm_json_string_array (const char *p, struct strlist *l);

/* The value of key in the object json, positioned at its first
 * character: NULL with errno ENOENT when the object has no such key,
 * EINVAL when json is not an object. */
extern const char *ldm_json_find_key (const char *json, const char *key);

#endif /* DRYDOCK_DAEMON_LDM_JSON_H */
