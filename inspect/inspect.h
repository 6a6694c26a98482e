/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock inspect: what the operating systems on disk images are, in
 * virt-inspector's XML (or JSON).  The interfaces between the tool's
 * files: options and flow (inspect.c), reading the answers from the
 * appliance into memory (collect.c), valid text out of guest strings
 * (text.c), the XML document and XPath queries (xml.c) and the JSON
 * document (json.c).
 *
 * The whole document is built in memory and printed only at the end:
 * a failing run prints nothing on stdout.
 *
 * Convention: functions returning int give 0 or -1; a -1 has been
 * reported on stderr ("drydock inspect: ...") unless the comment says
 * otherwise.  Only inspect_main exits. */

#ifndef DRYDOCK_INSPECT_H
#define DRYDOCK_INSPECT_H

#include <libintl.h>
#include <stddef.h>

#include "drydock.h"
#include "options.h"

#define _(s) gettext (s)

/* One filesystem of a root (inspect_get_filesystems), with what
 * vfs_type, vfs_label and vfs_uuid say; "" when they say nothing. */
struct inspect_fs {
  char *dev;
  char *type;
  char *label;
  char *uuid;
};

/* Everything known about one root.  Strings are valid UTF-8 and never
 * NULL, except the Windows ones (NULL for other guests); "unknown"
 * means the appliance could not tell. */
struct inspect_os {
  char *root;
  char *type;                 /* "linux", "windows", "unknown" */
  char *arch;
  char *distro;
  char *product_name;
  char *product_variant;
  int major_version, minor_version;
  char *package_format;
  char *package_management;
  char *hostname;
  char *build_id;
  char *osinfo;
  char *format;               /* "installed" */
  char *windows_systemroot;
  char *windows_current_control_set;
  char **mountpoints;         /* mountpoint, device pairs: shortest first */
  struct inspect_fs *fs;      /* sorted by device */
  size_t n_fs;
  char **drive_mappings;      /* letter, device pairs, by letter */
  struct drydock_application_list *apps; /* NULL: --no-applications */
  char *icon;                 /* PNG bytes; NULL: none, or --no-icon */
  size_t icon_len;
};

struct inspect_result {
  struct inspect_os *os;
  size_t n_os;
};

/* collect.c */
/* Runs inspect_os on the launched handle and reads every answer for
 * every root into *r (applications too when apps is set, the logo when
 * icon is).  On error (printed) *r holds what was read so far: free
 * it. */
extern int inspect_collect (drydock_h *h, int apps, int icon,
                            struct inspect_result *r);
extern void inspect_collect_free (struct inspect_result *r);

/* text.c */
/* A copy of s (NULL taken as "") with every byte sequence that is not
 * UTF-8 replaced by U+FFFD; NULL only when out of memory. */
extern char *inspect_text_utf8 (const char *s);
/* The same for s in place when it is already valid; else replaces *s
 * by a fixed copy.  -1 (not printed) when out of memory. */
extern int inspect_text_fix (char **s);
/* For XML 1.0, which cannot hold most control characters even as
 * character references: a copy of the valid UTF-8 s with those (and
 * U+FFFE, U+FFFF) replaced by U+FFFD.  NULL only when out of memory. */
extern char *inspect_text_xml (const char *s);

/* xml.c */
/* The virt-inspector document for r, in a malloc'd buffer (*len bytes,
 * NUL-terminated).  NULL (printed) on error. */
extern char *inspect_xml_document (const struct inspect_result *r, size_t *len);
/* Evaluates expr on the XML document in buf (len bytes; name says where
 * it came from, for messages) and returns what virt-inspector --xpath
 * prints for it: nodes as XML fragments, strings and numbers as a line.
 * NULL (printed) on error. */
extern char *inspect_xml_xpath (const char *buf, size_t len, const char *name,
                                const char *expr, size_t *out_len);

/* json.c */
/* The same information as JSON, in a malloc'd buffer.  NULL (printed)
 * on error. */
extern char *inspect_json_document (const struct inspect_result *r,
                                    size_t *len);

/* inspect.c */
/* `drydock inspect ARGS` (argv[0] is "inspect"): the exit status. */
extern int inspect_main (int argc, char *argv[]);

#endif /* DRYDOCK_INSPECT_H */
