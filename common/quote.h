/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File names shown to a person, as ls -b shows them: a guest's names
 * are bytes it chose, and a newline or an escape sequence in one must
 * not reach a terminal as such.
 *
 * Convention: NULL with errno (ENOMEM). */

#ifndef DRYDOCK_QUOTE_H
#define DRYDOCK_QUOTE_H

/* name with each byte that is not printable escaped as ls -b does:
 * \a \b \t \n \v \f \r, a backslash as \\, any other control
 * character (below 0x20, 0x7f) and every byte that is not part of a
 * valid UTF-8 sequence as \ooo (three octal digits).  Valid UTF-8
 * passes unchanged.  A new string; caller frees. */
extern char *quote_name (const char *name);

/* 1 if quote_name would change name, else 0. */
extern int name_needs_quoting (const char *name);

#endif /* DRYDOCK_QUOTE_H */
