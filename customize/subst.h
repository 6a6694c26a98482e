/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The s/// of --edit (edit.c), for the other tools that edit a file
 * with a Perl substitution (drydock edit -e): one
 * s/PATTERN/REPLACEMENT/FLAGS run on each line with PCRE2, with the
 * meaning edit.c describes.
 *
 * Convention: NULL or -1 with a one-line message in msg (of size len),
 * which names no program: the caller prints it. */

#ifndef DRYDOCK_CUSTOMIZE_SUBST_H
#define DRYDOCK_CUSTOMIZE_SUBST_H

#include <stddef.h>

struct customize_subst;

/* Parses and compiles expr.  Free with customize_subst_free. */
extern struct customize_subst *customize_subst_new (const char *expr,
                                                    char *msg, size_t len);
/* in (size bytes) with the substitution made on each line, into *out
 * (*outlen bytes, NUL-terminated; caller frees). */
extern int customize_subst_apply (const struct customize_subst *s,
                                  const char *in, size_t size, char **out,
                                  size_t *outlen, char *msg, size_t len);
/* Accepts NULL. */
extern void customize_subst_free (struct customize_subst *s);

#endif /* DRYDOCK_CUSTOMIZE_SUBST_H */
