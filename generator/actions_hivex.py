# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, the Windows registry: one hive open at a time,
# read and changed through libhivex in the daemon (hivex_*).

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

HIVEX_NODE_DOC = """NODEH is a node handle from hivex_root, hivex_node_children,
hivex_node_get_child, hivex_node_parent or hivex_node_add_child of the
hive open now; a number that is not one is an error (EINVAL), never a
read outside the hive."""

HIVEX_VALUE_DOC = """VALUEH is a value handle from hivex_node_values or
hivex_node_get_value of the hive open now; a number that is not one is
an error (EINVAL)."""
hivex_actions = [
    Action("hivex_open", 400, RErr, [Pathname("filename")],
           "open a Windows registry hive file",
           """Open the registry hive file FILENAME in the guest, closing
the hive open before, if any: there is one open hive a handle.  The
file is opened inside the guest (a symbolic link resolves inside the
guest) and only if it is a regular file of at most 512 MiB; the whole
hive is read into the appliance's memory and checked by libhivex.  A
file that is not a hive, or a damaged one, is an error naming it, and
nothing is kept open.  Later changes to the file do not reach the hive
in memory.

WRITE allows the changes of hivex_node_add_child,
hivex_node_delete_child and hivex_node_set_value, which stay in memory
until hivex_commit.  Without it those calls and hivex_commit fail
(EROFS).  UNSAFE lets libhivex open a hive with damaged parts, skipping
what it cannot read.  VERBOSE and DEBUG send libhivex's messages to the
appliance console (see set_verbose).""",
           optargs=[OBool("verbose"), OBool("debug"), OBool("write"),
                    OBool("unsafe")],
           example="hivex_open /Windows/System32/config/SOFTWARE write:true"),
    Action("hivex_close", 401, RErr, [],
           "close the open hive",
           """Close the open hive, dropping the changes not committed.
Closing when no hive is open is an error, as in libguestfs."""),
    Action("hivex_commit", 402, RErr, [OptString("filename")],
           "write the changed hive to a file",
           """Write the hive, with every change made since it was opened,
to the guest file FILENAME, or back to the file it was opened from when
FILENAME is NULL (in the shell an empty string).  The hive must have
been opened with WRITE.

The new hive is made in the appliance's memory first, then written in
place into the file, which is opened inside the guest as a regular file
only (a FILENAME that does not exist is created, mode 0666 less the
umask): the file keeps its inode, owner, permissions, NTFS security
descriptor and other names.  A hive that grew is lengthened first, so a
full filesystem is reported before a byte of the old hive is
overwritten and leaves the file as it was.  A write error after that
can leave the file half written: as with any error, drydock's overlays
keep it from the image unless the session is committed anyway.""",
           example='hivex_commit ""'),
    Action("hivex_root", 403, RInt64, [],
           "the root node of the open hive",
           "The handle of the root node (key) of the open hive."),
    Action("hivex_node_name", 404, RString, [Int64("nodeh")],
           "the name of a node",
           "The name of the node NODEH, in UTF-8 (the root node's name is "
           "whatever the hive says, often empty or a made-up name).\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_node_children", 405, RStructList("hivex_node"),
           [Int64("nodeh")],
           "the subkeys of a node",
           "The children (subkeys) of the node NODEH, in the order the hive "
           "keeps them.\n\n" + HIVEX_NODE_DOC, protocol_limit=True),
    Action("hivex_node_get_child", 406, RInt64,
           [Int64("nodeh"), String("name")],
           "the child of a node with a name",
           "The child of the node NODEH named NAME, the case of letters "
           "ignored, or 0 when there is none (not an error).\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_node_parent", 407, RInt64, [Int64("nodeh")],
           "the parent of a node",
           "The parent of the node NODEH.  The root node has none: an "
           "error.\n\n" + HIVEX_NODE_DOC),
    Action("hivex_node_values", 408, RStructList("hivex_value"),
           [Int64("nodeh")],
           "the values of a node",
           "The values (name, type, data) attached to the node NODEH, in "
           "the order the hive keeps them.\n\n" + HIVEX_NODE_DOC,
           protocol_limit=True),
    Action("hivex_node_get_value", 409, RInt64,
           [Int64("nodeh"), String("key")],
           "the value of a node with a name",
           "The value of the node NODEH named KEY, the case of letters "
           "ignored, or 0 when there is none (not an error).  The "
           "default value, shown as @ by regedit, has the empty name.\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_value_key", 410, RString, [Int64("valueh")],
           "the name of a value",
           "The name of the value VALUEH, in UTF-8; empty for the default "
           "value.\n\n" + HIVEX_VALUE_DOC),
    Action("hivex_value_type", 411, RInt64, [Int64("valueh")],
           "the type of a value",
           """The type of the value VALUEH: 0 REG_NONE, 1 REG_SZ, 2
REG_EXPAND_SZ, 3 REG_BINARY, 4 REG_DWORD, 5 REG_DWORD_BIG_ENDIAN, 6
REG_LINK, 7 REG_MULTI_SZ, 8 REG_RESOURCE_LIST, 9
REG_FULL_RESOURCE_DESCRIPTOR, 10 REG_RESOURCE_REQUIREMENTS_LIST, 11
REG_QWORD, or any other number the hive holds (the type is not checked
against the data).

""" + HIVEX_VALUE_DOC),
    Action("hivex_value_value", 412, RBufferOut, [Int64("valueh")],
           "the data of a value",
           "The data of the value VALUEH, its bytes as the hive holds "
           "them (strings in UTF-16LE, usually with a final NUL).  Data "
           "that does not fit in one reply (4 MiB) is an error.\n\n"
           + HIVEX_VALUE_DOC, protocol_limit=True),
    Action("hivex_value_string", 413, RString, [Int64("valueh")],
           "the data of a string value, in UTF-8",
           """The data of the value VALUEH, a string (REG_SZ,
REG_EXPAND_SZ or REG_LINK), converted from UTF-16LE to UTF-8 and cut
at its first NUL.  A value of another type, or data that is not
UTF-16LE, is an error.

""" + HIVEX_VALUE_DOC, protocol_limit=True),
    Action("hivex_value_utf8", 414, RString, [Int64("valueh")],
           "the data of a string value, in UTF-8 (older name)",
           "The same as hivex_value_string, under the name older libguestfs "
           "programs call.", protocol_limit=True),
    Action("hivex_node_add_child", 415, RInt64,
           [Int64("parent"), String("name")],
           "add a subkey",
           """Add a child node (subkey) named NAME, with no values, to the
node PARENT, and return its handle.  A child of that name, the case
ignored, already there is an error (EEXIST).  The hive must be open
with WRITE; the change is written by hivex_commit.""",
           example="hivex_node_add_child 4128 NewKey"),
    Action("hivex_node_delete_child", 416, RErr, [Int64("nodeh")],
           "delete a subkey and everything under it",
           """Delete the node NODEH with its values and, recursively, its
subkeys.  The root node cannot be deleted.  Handles of what was deleted
are no longer valid.  The hive must be open with WRITE; the change is
written by hivex_commit."""),
    Action("hivex_node_set_value", 417, RErr,
           [Int64("nodeh"), String("key"), Int64("t"), BufferIn("val")],
           "set one value of a node",
           """Set the value named KEY (the empty name for the default
value) of the node NODEH to the type T (see hivex_value_type: any
number from 0 to 4294967295) and the data VAL, replacing a value of
that name, the case ignored, or adding it.  The data is stored as
given: a REG_SZ string must be UTF-16LE with its final NUL, a
REG_DWORD four bytes little-endian.  Values handles of NODEH are no
longer valid afterwards.  The hive must be open with WRITE; the change
is written by hivex_commit.""",
           example="hivex_node_set_value 4128 Version 3 1.0"),
    Action("hivex_node_delete_value", 418, RErr,
           [Int64("nodeh"), String("key")],
           "delete one value of a node",
           """Delete the value named KEY, the case ignored (the empty name
for the default value), of the node NODEH.  A value that is not there
is not an error: nothing changes.  Value handles of NODEH are no longer
valid afterwards.  The hive must be open with WRITE; the change is
written by hivex_commit.  (.reg files delete values with "KEY"=-.)""",
           example="hivex_node_delete_value 4128 Version"),
]
