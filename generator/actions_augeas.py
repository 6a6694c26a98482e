# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, Augeas: the aug_* calls over the guest's
# configuration files.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

AUG_PATH_DOC = """Paths are Augeas path expressions over the tree Augeas
makes of the guest's files (under /files) and of its own state (under
/augeas); see augeas(1)."""

augeas_actions = [
    Action("aug_init", 220, RErr, [Pathname("root"), Int("flags")],
           "start Augeas on the guest's files",
           """Start Augeas on the guest tree at ROOT (usually /), closing
any Augeas session already open.  Augeas parses the guest's configuration
files into a tree that aug_get, aug_set, aug_match... read and change;
aug_save writes the changes back.  FLAGS is the sum of: 1 keep the
original of each saved file as FILE.augsave, 2 save into FILE.augnew and
leave FILE alone, 4 type-check the lenses (slow), 8 do not load the
standard lenses, 16 save nothing (aug_save only reports what would
change, under /augeas/events/saved), 32 load no files (aug_load does).

Augeas runs in a process of its own, chrooted in the guest at ROOT and in
a mount namespace where the guest's device nodes cannot be opened: a
symlink in the guest resolves inside the guest, and a device node, FIFO
or socket where a configuration file is expected is left out of the tree
instead of being read.  The lenses come from the appliance, never from
the guest.  Unmounting filesystems (umount, umount_all) closes the
session.""",
           example="aug_init / 0"),
    Action("aug_close", 221, RErr, [],
           "close the Augeas session",
           "Close the Augeas session, discarding changes not saved. "
           "Closing when none is open is not an error."),
    Action("aug_defvar", 222, RInt, [String("name"), OptString("expr")],
           "define an Augeas variable",
           """Define the variable NAME as the nodes EXPR matches (or
undefine it when EXPR is NULL, in the shell an empty string); later
paths use it as $NAME.  Returns the number of nodes EXPR matches, 0 when
undefining.""",
           example="aug_defvar hosts /files/etc/hosts/*"),
    Action("aug_defnode", 223, RStruct("int_bool"),
           [String("name"), String("expr"), String("val")],
           "define an Augeas variable, making its node if needed",
           """Define NAME as the nodes EXPR matches; if it matches none,
create the node EXPR with the value VAL first.  Returns the number of
nodes (i) and whether one was created (b).""",
           example="aug_defnode ntp /files/etc/ntp.conf/server[last()+1] pool.example"),
    Action("aug_get", 224, RString, [String("augpath")],
           "the value of an Augeas node",
           "The value of the one node AUGPATH matches.  No matching node, "
           "several, or a node without a value is an error.\n\n" + AUG_PATH_DOC,
           example="aug_get /files/etc/hostname/hostname"),
    Action("aug_set", 225, RErr, [String("augpath"), String("val")],
           "set the value of an Augeas node",
           "Set the value of the node AUGPATH, creating it (and its "
           "parents) if it does not exist.  A path matching several nodes "
           "is an error (see aug_setm).",
           example="aug_set /files/etc/hostname/hostname web1"),
    Action("aug_setm", 226, RInt,
           [String("base"), OptString("sub"), String("val")],
           "set the value of several Augeas nodes",
           """For each node BASE matches, set the value of its SUB node
(the node itself when SUB is NULL, in the shell an empty string) to VAL,
creating SUB where needed.  Returns the number of nodes changed.""",
           example="aug_setm /files/etc/fstab/*[file='/'] passno 1"),
    Action("aug_clear", 227, RErr, [String("augpath")],
           "clear the value of an Augeas node",
           "Set the value of the node AUGPATH to none (NULL), creating it "
           "if needed.",
           example="aug_clear /files/etc/motd/x"),
    Action("aug_insert", 228, RErr,
           [String("augpath"), String("label"), Bool("before")],
           "insert a sibling Augeas node",
           """Create a node labelled LABEL as a sibling of the one node
AUGPATH matches, just before it if BEFORE is true, else just after.""",
           example="aug_insert /files/etc/hosts/1 2 false"),
    Action("aug_label", 229, RString, [String("augpath")],
           "the label of an Augeas node",
           "The label (the last path component) of the one node AUGPATH "
           "matches.",
           example="aug_label /files/etc/hosts/1/*[1]"),
    Action("aug_rm", 230, RInt, [String("augpath")],
           "remove Augeas nodes",
           "Remove every node AUGPATH matches, with their children.  "
           "Returns the number of nodes removed.",
           example="aug_rm /files/etc/hosts/*[canonical='old']"),
    Action("aug_mv", 231, RErr, [String("src"), String("dest")],
           "move an Augeas node",
           "Move the one node SRC matches to DEST, which must match at "
           "most one node (replaced) and may not be under SRC.",
           example="aug_mv /files/etc/hosts/1 /files/etc/hosts/10"),
    Action("aug_match", 232, RStringList, [String("augpath")],
           "the Augeas nodes a path matches",
           "Every node AUGPATH matches, as paths, in tree order.  None is "
           "an empty list, not an error.",
           example="aug_match /files/etc/passwd/*/uid"),
    Action("aug_save", 233, RErr, [],
           "write the changes back to the guest's files",
           """Write every changed file back, as the flags of aug_init ask
(in place, with .augsave backups, or into .augnew files).  A file Augeas
cannot write is an error naming the file and Augeas's reason; the
other files are written.""",
           example="aug_save"),
    Action("aug_load", 234, RErr, [],
           "(re)load the guest's files into the tree",
           """Load the files the /augeas/load/*/incl patterns name (all
the standard ones unless aug_transform or aug_set changed them),
replacing what the tree had under /files.  A file a lens cannot parse is
not an error: it is left out, and its error is under
/augeas/files/PATH/error.""",
           example="aug_load"),
    Action("aug_ls", 235, RStringList, [String("augpath")],
           "the children of an Augeas node",
           "The children of AUGPATH (the nodes AUGPATH/* matches), sorted.",
           example="aug_ls /files/etc"),
    Action("aug_transform", 236, RErr, [String("lens"), String("file")],
           "make a lens handle a file",
           """Add FILE (a glob) to the files LENS (e.g. Hosts.lns)
loads, or with REMOVE take it out of them.  Takes effect at the next
aug_load.""",
           optargs=[OBool("remove")],
           example="aug_transform Shellvars.lns /etc/myapp.conf"),
]
