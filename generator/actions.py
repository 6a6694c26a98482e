# SPDX-License-Identifier: GPL-2.0-or-later
# The action table: the single source of truth for every API call.
#
# Procedure numbers are append-only.  A released signature never changes;
# new optional arguments go at the end of `optargs`.  Library-side actions
# have proc 0 and are implemented by drydock_impl_<name> in library/
# (generated for the plain boolean properties: see defs.Action's
# handle_bool).
# Daemon-side actions are implemented by do_<name> in daemon/.

from defs import *  # noqa: F401,F403

# The records are in files by subject, actions_SUBJECT.py; this file
# holds the structs they share and puts the table together, in the
# order the generated code has always had.

structs = [
    Struct("statns", [
        ("st_dev", "int64"), ("st_ino", "int64"), ("st_mode", "int64"),
        ("st_nlink", "int64"), ("st_uid", "int64"), ("st_gid", "int64"),
        ("st_rdev", "int64"), ("st_size", "int64"), ("st_blksize", "int64"),
        ("st_blocks", "int64"),
        ("st_atime_sec", "int64"), ("st_atime_nsec", "int64"),
        ("st_mtime_sec", "int64"), ("st_mtime_nsec", "int64"),
        ("st_ctime_sec", "int64"), ("st_ctime_nsec", "int64"),
    ], "File metadata, as stat(2) returns it, with nanosecond times."),
    Struct("statvfs", [
        ("bsize", "int64"), ("frsize", "int64"), ("blocks", "int64"),
        ("bfree", "int64"), ("bavail", "int64"), ("files", "int64"),
        ("ffree", "int64"), ("favail", "int64"), ("fsid", "int64"),
        ("flag", "int64"), ("namemax", "int64"),
    ], "Filesystem statistics, as statvfs(3) returns them."),
    Struct("partition", [
        ("part_num", "int32"), ("part_start", "uint64"),
        ("part_end", "uint64"), ("part_size", "uint64"),
    ], "One partition: number, first and last byte, size in bytes."),
    Struct("int_bool", [("i", "int32"), ("b", "int32")],
           "An integer and a boolean (aug_defnode: the number of nodes "
           "and whether one was created)."),
    Struct("application", [
        ("name", "string"), ("display_name", "string"), ("epoch", "int32"),
        ("version", "string"), ("release", "string"), ("arch", "string"),
        ("install_path", "string"), ("publisher", "string"),
        ("url", "string"), ("source_package", "string"),
        ("summary", "string"), ("description", "string"),
    ], "One installed application or package, as the guest's package "
       "database or Windows' Uninstall keys describe it; fields the guest "
       "does not record are empty (epoch 0)."),
    Struct("stat", [
        ("dev", "int64"), ("ino", "int64"), ("mode", "int64"),
        ("nlink", "int64"), ("uid", "int64"), ("gid", "int64"),
        ("rdev", "int64"), ("size", "int64"), ("blksize", "int64"),
        ("blocks", "int64"), ("atime", "int64"), ("mtime", "int64"),
        ("ctime", "int64"),
    ], "File metadata, as stat(2) returns it, times in whole seconds "
       "(statns has the nanoseconds)."),
    Struct("application2", [
        ("app2_name", "string"), ("app2_display_name", "string"),
        ("app2_epoch", "int32"), ("app2_version", "string"),
        ("app2_release", "string"), ("app2_arch", "string"),
        ("app2_install_path", "string"), ("app2_trans_path", "string"),
        ("app2_publisher", "string"), ("app2_url", "string"),
        ("app2_source_package", "string"), ("app2_summary", "string"),
        ("app2_description", "string"), ("app2_spare1", "string"),
        ("app2_spare2", "string"), ("app2_spare3", "string"),
        ("app2_spare4", "string"),
    ], "One installed application, with the fields of the application "
       "struct prefixed app2_, plus app2_trans_path (always empty) and "
       "four spare fields (empty)."),
    Struct("utsname", [
        ("uts_sysname", "string"), ("uts_release", "string"),
        ("uts_version", "string"), ("uts_machine", "string"),
    ], "The appliance kernel's uname(2): its name, release, version and "
       "machine."),
    Struct("dirent", [("ino", "int64"), ("ftyp", "char"), ("name", "string")],
           "One directory entry, as readdir returns it: the inode number, "
           "the type ('b' block device, 'c' character device, 'd' "
           "directory, 'f' FIFO, 'l' symbolic link, 'r' regular file, 's' "
           "socket, 'u' unknown) and the name."),
    Struct("xattr", [("attrname", "string"), ("attrval", "buffer")],
           "One extended attribute: its name and its value, bytes that "
           "may hold NULs (attrval_len of them)."),
    Struct("hivex_node", [("hivex_node_h", "int64")],
           "A node (registry key) of the open hive, as hivex_node_children "
           "lists them."),
    Struct("hivex_value", [("hivex_value_h", "int64")],
           "A value of a node of the open hive, as hivex_node_values lists "
           "them."),
]

from actions_library import library_actions  # noqa: E402
from actions_base import base_actions  # noqa: E402
from actions_inspect import inspect_actions  # noqa: E402
from actions_api import api_actions  # noqa: E402
from actions_augeas import augeas_actions  # noqa: E402
from actions_ids import ids_actions, ids_groups  # noqa: E402
from actions_contents import file_actions  # noqa: E402
from actions_hivex import hivex_actions  # noqa: E402
from actions_tools import tools_actions  # noqa: E402
from actions_fuse import fuse_daemon_actions, fuse_library_actions  # noqa: E402

optgroups = ids_groups
daemon_actions = base_actions + inspect_actions + api_actions
actions = (library_actions + daemon_actions + augeas_actions + ids_actions +
           file_actions + hivex_actions + tools_actions + fuse_daemon_actions +
           fuse_library_actions)

# The files added since, in this order (the generated code keeps it):
# each adds its records, its structs and its optional groups, and names
# actions of any group in its group_actions.
import importlib  # noqa: E402

for _name in [
        "actions_fs",          # filesystems and volumes
        "actions_files",       # files and their metadata
        "actions_journal",     # the journal, inotify, YARA and LDM
        "actions_handle",      # the handle and its launch
        "actions_block",       # block devices
        "actions_btrfs",       # btrfs
        "actions_misc",        # what is left of sfdisk's old interface
        "actions_deprecated",  # deprecated actions
]:
    _m = importlib.import_module(_name)
    actions = actions + _m.actions
    structs = structs + getattr(_m, "structs", [])
    optgroups = optgroups + getattr(_m, "groups", [])
    for g in optgroups:
        g.actions = g.actions + getattr(_m, "group_actions", {}).get(g.name, [])
