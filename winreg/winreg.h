/* drydock win-reg: export and merge the Windows registry of a guest, as
 * virt-win-reg.  The interfaces between the tool's files: options and
 * the session (winreg.c), registry paths mapped to hive files and the
 * one open hive (hives.c), the .reg text written (export.c) and read
 * and merged (merge.c), and keys and values changed by path for the
 * other tools that link this library (keys.c: drydock customize).
 * Every hive is read and changed in the appliance through the hivex_*
 * actions: no hive reaches the host.
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error ("drydock win-reg: ...") before returning -1,
 * through winreg_error, which another tool may have print its way.
 * Only win_reg_main and the option parser exit. */

#ifndef DRYDOCK_WINREG_H
#define DRYDOCK_WINREG_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

/* The session: the handle, the inspected Windows root and the one hive
 * open in the appliance. */
struct winreg_ctx {
  drydock_h *h;
  char *root;                 /* the inspected root device */
  char *systemroot;           /* its %SystemRoot% as a guest path */
  int write;                  /* --merge: hives are opened to be changed */
  int debug;                  /* --debug: say what is done on stderr */
  char *hive;                 /* guest path of the open hive, or NULL */
  int64_t hive_root;          /* its root node */
  int dirty;                  /* changed since it was opened */
};

/* Where a registry path leads. */
struct winreg_target {
  char *file;                 /* the hive file, a guest path in its case */
  char *prefix;               /* "HKEY_LOCAL_MACHINE\SOFTWARE" */
  char *path;                 /* the key inside the hive: "\A\B", "\" */
};

/* ---- hives.c ---- */

/* Prints the message as tool_error does, or with the printer set by
 * winreg_set_printer (NULL: tool_error again); -1.  winreg_lib_error:
 * the handle's last error. */
extern int winreg_error (const char *fs, ...)
  __attribute__((format (printf, 1, 2)));
extern int winreg_lib_error (drydock_h *h);
extern void winreg_set_printer (void (*printer) (const char *msg,
                                                 void *opaque),
                                void *opaque);

/* 1 when the root of the registry path regpath (HKLM\SOFTWARE,
 * HKU\NAME ...) is one a hive is known for, else 0.  Prints nothing
 * and reads nothing: what the guest has is not looked at. */
extern int winreg_known_root (const char *regpath);
/* Prints that regpath has a root no hive is known for; -1. */
extern int winreg_unknown_root (const char *regpath);
/* Maps a registry path (HKLM\SOFTWARE\..., HKU\SID\..., names in any
 * case, a leading backslash allowed) to its hive file and the key's path
 * inside the hive.  HKLM\SYSTEM\CurrentControlSet is the current control
 * set; HKU\SID a user's NTUSER.DAT through the SOFTWARE hive's
 * ProfileList (which may open that hive).  Free *t with
 * winreg_target_free, also after an error. */
extern int winreg_map_path (struct winreg_ctx *c, const char *regpath,
                            struct winreg_target *t);
extern void winreg_target_free (struct winreg_target *t);
/* Makes the hive file the open one (opened to be changed with c->write),
 * committing the one open before when it was changed. */
extern int winreg_use_hive (struct winreg_ctx *c, const char *file);
/* Commits the open hive if it was changed. */
extern int winreg_commit (struct winreg_ctx *c);
/* The node of the key path ("\A\B", names in any case) in the open
 * hive: its handle, 0 when there is no such key (nothing printed), -1
 * on an error.  With canonical non-NULL, *canonical is the path with
 * the names as the hive writes them (caller frees). */
extern int64_t winreg_lookup (struct winreg_ctx *c, const char *path,
                              char **canonical);
/* Says what is done, with --debug. */
extern void winreg_debug (const struct winreg_ctx *c, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));

/* ---- export.c ---- */

/* Writes the key t and every key under it as .reg text. */
extern int winreg_export (struct winreg_ctx *c, const struct winreg_target *t,
                          int unsafe_printable_strings, FILE *out);
/* Writes the value name ("" or "@": the default value) of the key t,
 * as text: a string, a number, strings one a line, or the bytes. */
extern int winreg_print_value (struct winreg_ctx *c,
                               const struct winreg_target *t,
                               const char *name, FILE *out);

/* ---- merge.c ---- */

/* The .reg text of in (named name in messages), parsed whole before
 * anything is changed; strings are to be stored in encoding (NULL:
 * UTF-16LE).  NULL (printed) on a syntax error.  Free with
 * winreg_free_text. */
struct winreg_merge_text;
extern struct winreg_merge_text *winreg_parse (FILE *in, const char *name,
                                               const char *encoding);
extern void winreg_free_text (struct winreg_merge_text *m);
/* Merges the text into the hives: keys added or deleted, values set or
 * deleted.  The hives are committed into the appliance's overlays as it
 * goes; the caller settles the drives only when everything worked. */
extern int winreg_merge (struct winreg_ctx *c,
                         const struct winreg_merge_text *m);

/* ---- keys.c ---- */

/* A session changing the registry of the Windows root (an inspected
 * root device) whose filesystems h has mounted read-write: c is filled
 * in.  Free it with winreg_end, also after an error. */
extern int winreg_begin (struct winreg_ctx *c, drydock_h *h,
                         const char *root);
/* Commits the open hive if it was changed, closes it and frees what c
 * holds.  -1 (printed) if the commit or the close failed. */
extern int winreg_end (struct winreg_ctx *c);
/* The node of the key regpath, its hive made the open one: 0 when
 * there is no such key (nothing printed) unless create is set, which
 * adds the missing keys on the way.  -1 on an error.  The node is
 * valid while its hive stays the open one. */
extern int64_t winreg_key (struct winreg_ctx *c, const char *regpath,
                           int create);
/* Sets the value name ("" the default value) of node to len bytes of
 * data of the type (REG_SZ 1 ...), replacing one of that name. */
extern int winreg_set_value (struct winreg_ctx *c, int64_t node,
                             const char *name, uint32_t type,
                             const void *data, size_t len);
/* The same for the UTF-8 string s stored as UTF-16LE with its final
 * NUL (type REG_SZ, REG_EXPAND_SZ ...), a 32-bit number (REG_DWORD),
 * and the strings of the NULL-terminated list (REG_MULTI_SZ). */
extern int winreg_set_string (struct winreg_ctx *c, int64_t node,
                              const char *name, uint32_t type,
                              const char *s);
extern int winreg_set_dword (struct winreg_ctx *c, int64_t node,
                             const char *name, uint32_t d);
extern int winreg_set_multi (struct winreg_ctx *c, int64_t node,
                             const char *name, const char *const *list);
/* The string value name of node as UTF-8 in *s (caller frees): 1, 0
 * when node has no such value (*s NULL), -1 on an error (also a value
 * that is not a string). */
extern int winreg_get_string (struct winreg_ctx *c, int64_t node,
                              const char *name, char **s);
/* Deletes the key regpath with its keys and values; the value name of
 * the key regpath.  Neither there is not an error (nothing is done);
 * the root of a hive cannot be deleted. */
extern int winreg_delete_key (struct winreg_ctx *c, const char *regpath);
extern int winreg_delete_value (struct winreg_ctx *c, const char *regpath,
                                const char *name);
/* s (UTF-8) as UTF-16LE followed by a NUL, in a new buffer of *len
 * bytes (caller frees).  NULL (printed) when s is not UTF-8. */
extern char *winreg_utf16le (const char *s, size_t *len);

#endif /* DRYDOCK_WINREG_H */
