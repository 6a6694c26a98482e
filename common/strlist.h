/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NULL-terminated string lists and a growable builder for them.
 * Convention: functions returning int give 0 or -1 with errno (ENOMEM). */

#ifndef DRYDOCK_STRLIST_H
#define DRYDOCK_STRLIST_H

#include <stddef.h>

/* Frees every string and the list.  Accepts NULL. */
extern void free_string_list (char **l);
extern size_t count_strings (char *const *l);
/* Sorts in place with strcmp. */
extern void sort_strings (char **l);

/* A list being built; always NULL-terminated once non-empty. */
struct strlist {
  char **v;
  size_t len, cap;
};
#define STRLIST_INIT { NULL, 0, 0 }

/* Appends a copy of s. */
extern int strlist_add (struct strlist *l, const char *s);
/* Appends s itself (takes ownership, frees it on failure). */
extern int strlist_add_take (struct strlist *l, char *s);
extern int strlist_addf (struct strlist *l, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* Hands the NULL-terminated list to the caller (never NULL unless out of
 * memory, an empty list is a list with just NULL). */
extern char **strlist_take (struct strlist *l);
extern void strlist_free (struct strlist *l);

/* Splits s at newlines ("\r\n" too), dropping one final empty line. */
extern char **split_lines (const char *s);

#endif /* DRYDOCK_STRLIST_H */
