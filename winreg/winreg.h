/* drydock win-reg: export and merge the Windows registry of a guest, as
 * virt-win-reg.  The interfaces between the tool's files: options and
 * the session (winreg.c), registry paths mapped to hive files and the
 * one open hive (hives.c), the .reg text written (export.c) and read
 * and merged (merge.c).  Every hive is read and changed in the
 * appliance through the hivex_* actions: no hive reaches the host.
 *
 * Convention: functions returning int give 0 or -1, and have printed
 * their one-line error ("drydock win-reg: ...") before returning -1.
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

#endif /* DRYDOCK_WINREG_H */
