/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The small tools of drydock, as the virt-* tools of the same names:
 * cat, ls, df, filesystems, edit, copy-in, copy-out, tar-in, tar-out,
 * log, diff and rescue.  Each is a subcommand of the `drydock` binary
 * with one entry point (TOOL_main), built on the tool layer
 * (common/options) for the shared options, and on what this header
 * declares for the rest they share: the session (one launch, the
 * guest mounted, the changes committed only on success: session.c),
 * guest paths as Windows spells them (winpath.c), the output formats
 * (output.c), and the walk of a guest tree with every file's metadata
 * (walk.c).
 *
 * Convention: functions returning int give 0, or -1 after printing one
 * line "PROGRAM: MESSAGE" on stderr (tool_error).  Only the entry
 * points and the option parsers exit. */

#ifndef DRYDOCK_TOOLS_H
#define DRYDOCK_TOOLS_H

#include <libintl.h>
#include <stdint.h>
#include <stdio.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

/* ---- the entry points ---- */

extern int cat_main (int argc, char *argv[]);
extern int ls_main (int argc, char *argv[]);
extern int df_main (int argc, char *argv[]);
extern int filesystems_main (int argc, char *argv[]);
extern int edit_main (int argc, char *argv[]);
extern int copy_in_main (int argc, char *argv[]);
extern int copy_out_main (int argc, char *argv[]);
extern int tar_in_main (int argc, char *argv[]);
extern int tar_out_main (int argc, char *argv[]);
extern int log_main (int argc, char *argv[]);
extern int diff_main (int argc, char *argv[]);
extern int rescue_main (int argc, char *argv[]);
extern int recover_main (int argc, char *argv[]);

/* ---- session.c ---- */

/* tools_start's flags. */
#define TOOLS_WRITE     0x01  /* the images are committed by a successful
                                 tools_finish (else added read-only) */
#define TOOLS_MOUNT     0x02  /* mount as -m says, or the filesystems of
                                 the one operating system (inspection) */
#define TOOLS_PROGRESS  0x04  /* the progress display (on a terminal) */
#define TOOLS_LVM       0x08  /* activate the volume groups (listings) */

/* One launch of the appliance over the -a images. */
struct tools_session {
  drydock_h *h;
  struct tool_options *o;
  unsigned flags;
  char *root;                 /* the inspected root; NULL with -m */
  char *type;                 /* its type ("linux", "windows" ...) */
};

/* Creates the handle, adds the images (read-only unless TOOLS_WRITE),
 * launches, opens the encrypted volumes keys are given for, and with
 * TOOLS_MOUNT mounts (read-only unless TOOLS_WRITE).  On failure
 * (printed) the session is closed already. */
extern int tools_start (struct tools_session *s, struct tool_options *o,
                        unsigned flags);
/* The same, with setup called after the images are added and before
 * the launch (settings, more drives); it returns 0, or -1 (printed). */
extern int tools_start_with (struct tools_session *s, struct tool_options *o,
                             unsigned flags,
                             int (*setup) (drydock_h *h, void *opaque),
                             void *opaque);
/* Ends the session.  With commit set (TOOLS_WRITE sessions whose every
 * change worked) the appliance is shut down, which writes the changes
 * into the images; otherwise the handle is closed and nothing reaches
 * them.  0, or -1 (printed) when the commit failed. */
extern int tools_finish (struct tools_session *s, int commit);
/* A tool's usage error: "PROGRAM: MESSAGE (try 'PROGRAM --help')",
 * exit 1. */
extern void tools_usage_error (const char *fs, ...)
  __attribute__((format (printf, 1, 2), noreturn));
/* Exits with a usage error unless o has at least one -a image. */
extern void tools_need_images (const struct tool_options *o);

/* ---- winpath.c ---- */

/* The guest path for path as the user wrote it (caller frees): for a
 * Windows guest, "C:\Windows\win.ini" or "/windows/WIN.INI" becomes the
 * path as cased on its filesystem, a drive letter other than the
 * system's remounting that drive at /; otherwise path itself.  NULL
 * (printed). */
extern char *tools_guest_path (struct tools_session *s, const char *path);
/* The same for a directory that must exist in the guest (symbolic
 * links followed inside it). */
extern char *tools_guest_dir (struct tools_session *s, const char *path);

/* ---- output.c ---- */

/* bytes as the virt tools' -h prints it: "512", "40K", "3.9M", "12G"
 * (powers of 1024, rounded to the nearest, one decimal under 10). */
extern void tools_human_size (uint64_t bytes, char *buf, size_t len);
/* One CSV field: quoted when it has a space, a comma, a quote or a
 * newline, quotes doubled. */
extern void tools_csv_field (FILE *fp, const char *s);
/* Writes a guest's name (a path, a link target) to standard output:
 * on a terminal quoted as ls -b shows it, so a newline or an escape
 * sequence in it does not reach the terminal as such; into a pipe or a
 * file as it is, for scripts. */
extern void tools_put_name (const char *name);
/* "drwxr-xr-x" of an st_mode (buf: 11 bytes). */
extern void tools_mode_string (int64_t mode, char *buf);
/* The file type letter of an st_mode: - d l c b p s, or u. */
extern const char *tools_file_type (int64_t mode);

/* A table whose columns line up, as virt-filesystems prints it: each
 * column as wide as its widest cell, two spaces between them (one when
 * the widths and two spaces for each of the nominal columns, shown or
 * not, pass 72 characters), an empty or NULL cell shown as "-"; or with
 * csv set, CSV lines.  Columns that have no cell in any row are left
 * out of the text. */
struct tools_table;
extern struct tools_table *tools_table_new (size_t ncols, size_t nominal,
                                            int csv);
/* Adds a row of ncols cells (copied; NULL for none).  -1 (printed). */
extern int tools_table_add (struct tools_table *t, const char *const *cells);
/* Prints the rows and frees the table. */
extern void tools_table_print (struct tools_table *t, FILE *fp);
extern void tools_table_free (struct tools_table *t);

/* ---- walk.c ---- */

/* One name of a guest tree, with its lstat. */
struct tools_entry {
  char *path;                   /* the guest path */
  struct drydock_statns st;
  char *link;                   /* a symbolic link's target, else NULL */
  char *csum;                   /* a regular file's checksum, else NULL */
};

struct tools_tree {
  struct tools_entry *v;
  size_t n;
};

/* Reads the tree under dir (dir itself first, then every name under it,
 * depth first, each directory's names sorted, symbolic links not
 * followed) with every name's lstat and every link's target in a few
 * round trips; with csumtype also every regular file's checksum.  With
 * strip, that leading part of the paths (a mount prefix) is dropped
 * ("/a/etc" is "/etc"; dir itself is "/").  A dir that is not a
 * directory is the one entry.  -1 (printed). */
extern int tools_walk (drydock_h *h, const char *dir, const char *csumtype,
                       const char *strip, struct tools_tree *t);
extern void tools_tree_free (struct tools_tree *t);
/* The names under dir, relative to it, each followed by a NUL, in the
 * order of the walk (caller frees); *len is the size.  NULL
 * (printed). */
extern char *tools_find0 (drydock_h *h, const char *dir, size_t *len);
/* Compares guest paths in the order of the walk (each directory before
 * what is under it, names in strcmp order). */
extern int tools_path_compare (const char *a, const char *b);
/* Checks a checksum type (crc md5 sha1 sha224 sha256 sha384 sha512);
 * -1 (printed, naming option). */
extern int tools_check_csumtype (const char *option, const char *type);

/* The fields of an entry virt-ls -lR and virt-diff print, and how. */
struct tools_stat_format {
  int csv, human, uids, times, atime, extra;
  int time_mode;              /* 0 dates, 1 --time-t, 2 --time-relative,
                                 3 --time-days */
  int64_t now;
};
/* Starts a line of fields. */
extern void tools_fields_start (void);
/* One field, separated by a space or (CSV) a comma, quoted in CSV. */
extern void tools_field (const struct tools_stat_format *f, const char *s);
/* The fields of e: type, mode, size, [uid gid], [times], [extra],
 * [checksum], path, [-> link]. */
extern void tools_print_entry (const struct tools_stat_format *f,
                               const struct tools_entry *e, int csum);

#endif /* DRYDOCK_TOOLS_H */
