/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The list lstatns_tree writes (see the action's doc), taken in while
 * it arrives: a parser fed the bytes in pieces of any size, which
 * reports each record, and each directory as soon as the list shows it
 * complete.  Records are the relative path and a NUL byte, the 16
 * fields of struct drydock_statns in order (8 bytes big-endian each),
 * and the link target and a NUL byte; each directory is listed whole
 * (its names in strcmp order) before its subdirectories, which follow
 * in that order, the same way.  A directory is thus complete when the
 * names of another one begin, and the directories the walk passed
 * without a name are empty.
 *
 * Pure: no handle, no libfuse, no threads, so that the fuzz target
 * (tests/fuzz/fuzz-tree.c) runs it as the mount does (fuse-tree.c).
 * The list comes from the appliance, which is not trusted: any bytes
 * give either what a well-formed list would, or a stop. */
#ifndef DRYDOCK_TREE_LIST_H
#define DRYDOCK_TREE_LIST_H

#include <stddef.h>

#include "drydock.h"

/* A record: path is the top joined with the record's relative path
 * ("/" and "etc" give "/etc", "/etc" and "hosts" give "/etc/hosts"),
 * name its last component (pointing into path), sn its numbers, link
 * its link target.  None of them lives past the call; link is what the
 * list says, which the appliance leaves empty for anything but a
 * symbolic link. */
typedef void (*tree_list_record_fn) (void *opaque, const char *path,
                                     const char *name,
                                     const struct drydock_statns *sn,
                                     const char *link);
/* The directory dir is complete: names are all its names, in the
 * list's (strcmp) order, a NULL-terminated list the callback takes (it
 * frees it, or keeps it).  Each directory is reported once, after
 * every record under it. */
typedef void (*tree_list_dir_fn) (void *opaque, const char *dir,
                                  char **names);

struct tree_list;

/* A parser of the list of the tree under the directory top (a guest
 * path, "/" or without a final slash).  NULL with errno (ENOMEM). */
extern struct tree_list *tree_list_new (const char *top,
                                        tree_list_record_fn record,
                                        tree_list_dir_fn dir_done,
                                        void *opaque);
/* Takes in the next len bytes of the list, reporting its whole records
 * and the directories they show complete; a record cut by the end of
 * buf waits for the next bytes.  0, or -1 if the list is malformed (or
 * memory ran out): the parser then stops, and reports nothing more
 * (every later call gives -1). */
extern int tree_list_feed (struct tree_list *t, const void *buf, size_t len);
/* The list's end.  complete says it ended normally (the walk went to
 * its end): then the directory listed last and the empty ones after it
 * are reported complete.  When it was cut (a failed call, a walk
 * stopped at its maximum), nothing more is reported.  0, or -1 if the
 * list was malformed (a record cut at the end is): nothing more is
 * reported either.  Later calls of tree_list_feed give -1. */
extern int tree_list_end (struct tree_list *t, int complete);
/* Frees the parser (what it has not reported is dropped).  Accepts
 * NULL. */
extern void tree_list_free (struct tree_list *t);

#endif /* DRYDOCK_TREE_LIST_H */
