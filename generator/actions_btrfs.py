# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, btrfs: making btrfs filesystems, subvolumes and
# snapshots, devices, balance, scrub, quota groups, checking, rescue and
# btrfstune.  Every action belongs to the optional group "btrfs".
# actions.py adds `actions`, `structs` and the names of `group_actions`.

from defs import *  # noqa: F401,F403

T = Test
B = "btrfs"
TWO = "twodisk"

DEVLIST = Ret("RStringList", devices=True)

structs = [
    Struct("btrfssubvolume", [
        ("btrfssubvolume_id", "uint64"),
        ("btrfssubvolume_top_level_id", "uint64"),
        ("btrfssubvolume_path", "string"),
    ], "A btrfs subvolume or snapshot: its ID, the ID of the subvolume "
       "holding it, and its path from the top of the filesystem."),
    Struct("btrfsqgroup", [
        ("btrfsqgroup_id", "string"),
        ("btrfsqgroup_rfer", "uint64"),
        ("btrfsqgroup_excl", "uint64"),
    ], "A btrfs quota group: its ID (LEVEL/ID), the bytes it refers to "
       "and the bytes only it refers to."),
    Struct("btrfsbalance", [
        ("btrfsbalance_status", "string"),
        ("btrfsbalance_total", "uint64"),
        ("btrfsbalance_balanced", "uint64"),
        ("btrfsbalance_considered", "uint64"),
        ("btrfsbalance_left", "uint64"),
    ], "The state of a btrfs balance: \"running\", \"paused\" or \"none\", "
       "the chunks it expects to balance, has balanced and has considered, "
       "and the percentage left."),
    Struct("btrfsscrub", [
        ("btrfsscrub_data_extents_scrubbed", "uint64"),
        ("btrfsscrub_tree_extents_scrubbed", "uint64"),
        ("btrfsscrub_data_bytes_scrubbed", "uint64"),
        ("btrfsscrub_tree_bytes_scrubbed", "uint64"),
        ("btrfsscrub_read_errors", "uint64"),
        ("btrfsscrub_csum_errors", "uint64"),
        ("btrfsscrub_verify_errors", "uint64"),
        ("btrfsscrub_no_csum", "uint64"),
        ("btrfsscrub_csum_discards", "uint64"),
        ("btrfsscrub_super_errors", "uint64"),
        ("btrfsscrub_malloc_errors", "uint64"),
        ("btrfsscrub_uncorrectable_errors", "uint64"),
        ("btrfsscrub_unverified_errors", "uint64"),
        ("btrfsscrub_corrected_errors", "uint64"),
        ("btrfsscrub_last_physical", "uint64"),
    ], "The counters of the last or running scrub of a btrfs filesystem, "
       "as btrfs scrub status -R prints them."),
]

MOUNTED = """FS is a directory of a mounted btrfs filesystem in the guest
tree (any directory of it will do)."""

FS_OR_DEV = """FS is a directory of a mounted btrfs filesystem in the guest
tree, or a device (or btrfsvol:DEVICE/SUBVOLUME mountable) holding one,
which is then mounted for the call on a directory of the appliance."""

UNMOUNTED = "DEVICE must hold a btrfs filesystem that is not mounted."

QUOTA = """Quotas must be enabled (btrfs_quota_enable) on the
filesystem."""

# Setting up a quota group tests: quotas on, and the subvolume /sub
# (ID 256: the first subvolume of a filesystem always gets it).
QG = ["btrfs_quota_enable / true", "btrfs_subvolume_create /sub"]

actions = [
    Action("mkfs_btrfs", 800, RErr, [StringList("devices")],
           "make a btrfs filesystem",
           """Make a btrfs filesystem over DEVICES (a btrfs filesystem may
span several devices; the list must not be empty, EINVAL), with
mkfs.btrfs.  The optional arguments are its options: BYTECOUNT -b (the
size used of each device), DATATYPE -d and METADATA -m (the profiles of
data and metadata: single, dup, raid0, raid1, raid10 ...), LABEL -L,
NODESIZE -n, SECTORSIZE -s.  LEAFSIZE is the old name of the node size:
it is used as NODESIZE (both given and different is EINVAL).
ALLOCSTART (-A) is gone from mkfs.btrfs 6: giving it is ENOTSUP.  To
make a btrfs with defaults, mkfs btrfs does as well.""",
           optargs=[OInt64("allocstart"), OInt64("bytecount"),
                    OString("datatype"), OInt("leafsize"), OString("label"),
                    OString("metadata"), OInt("nodesize"),
                    OInt("sectorsize")],
           example="mkfs_btrfs '/dev/sda1 /dev/sdb1' label:data",
           tests=[T(TWO, ["mkfs_btrfs /dev/sdb label:BT nodesize:16384 "
                          "sectorsize:4096 datatype:single metadata:dup "
                          "bytecount:209715200",
                          "vfs_label /dev/sdb"], "BT"),
                  T(TWO, ["umount_all", "mkfs_btrfs '/dev/sda1 /dev/sdb'",
                          "btrfs_filesystem_show /dev/sdb"],
                    ["/dev/sda1", "/dev/sdb"]),
                  T(TWO, ["mkfs_btrfs ''"], Error("EINVAL"), readonly=True),
                  T(TWO, ["mkfs_btrfs /dev/sdb leafsize:16384 "
                          "nodesize:4096"], Error("EINVAL"), readonly=True),
                  T(TWO, ["mkfs_btrfs /dev/sdb allocstart:0"],
                    Error("ENOTSUP"), readonly=True),
                  T(TWO, ["mkfs_btrfs /dev/sdb datatype:raid7"],
                    Error("EINVAL"), readonly=True),
                  T(TWO, ["mkfs_btrfs /dev/sdz"], Error("ENOENT"),
                    readonly=True)]),
    # Subvolumes and snapshots.
    Action("btrfs_subvolume_create", 801, RErr, [Pathname("dest")],
           "make a btrfs subvolume",
           """Make the subvolume DEST, a path /path/to/dest/name in a
mounted btrfs filesystem whose directory /path/to/dest exists and has
no NAME yet.  With QGROUPID (LEVEL/ID, see btrfs_qgroup_create) the new
subvolume's quota group is put in that quota group.""",
           optargs=[OString("qgroupid")],
           aliases=["btrfs_subvolume_create_opts"],
           example="btrfs_subvolume_create /home",
           tests=[T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_create /sub/nested",
                        "mkdir /dir", "btrfs_subvolume_create /dir/in",
                        "btrfs_subvolume_list /"], 3),
                  T(B, ["btrfs_quota_enable / true",
                        "btrfs_qgroup_create 1/0 /",
                        "btrfs_subvolume_create /sub qgroupid:1/0",
                        "btrfs_qgroup_remove 0/256 1/0 /"]),
                  T(B, ["btrfs_subvolume_create /nosuch/sub"],
                    Error("ENOENT"), readonly=True),
                  # A subvolume is a mountable, btrfsvol:DEVICE/PATH.
                  T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_create /sub/in",
                        "touch /sub/in/f", "umount_all",
                        "mount btrfsvol:/dev/sda1/sub/in /",
                        "vfs_type btrfsvol:/dev/sda1/sub/in",
                        "mountable_device btrfsvol:/dev/sda1/sub",
                        "mountable_subvolume btrfsvol:/dev/sda1/sub/in"],
                    "sub/in"),
                  T(B, ["btrfs_subvolume_create /sub", "touch /sub/f",
                        "umount_all", "mount btrfsvol:/dev/sda1/sub /",
                        "exists /f"], True),
                  T(B, ["btrfs_subvolume_create /sub",
                        "mountable_device btrfsvol:/dev/sda1/sub"],
                    "/dev/sda1"),
                  T(B, ["umount_all", "mount btrfsvol:/dev/sda1/nosuch /"],
                    Error()),
                  T(B, ["mountable_subvolume btrfsvol:/dev/sdz1/x"],
                    Error("ENOENT"), readonly=True),
                  T(B, ["mountable_subvolume btrfsvol:sda1/x"],
                    Error("EINVAL"), readonly=True),
                  T("fs", ["btrfs_subvolume_create /sub"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_subvolume_delete", 802, RErr, [Pathname("subvolume")],
           "delete a btrfs subvolume or snapshot",
           """Delete the subvolume or snapshot SUBVOLUME with everything in
it.""",
           example="btrfs_subvolume_delete /home",
           tests=[T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_create /keep",
                        "btrfs_subvolume_delete /sub",
                        "btrfs_subvolume_list /"], 1),
                  T(B, ["btrfs_subvolume_delete /nosuch"], Error("ENOENT"),
                    readonly=True),
                  T(B, ["btrfs_subvolume_delete /"], Error("EINVAL"),
                    readonly=True),
                  T(B, ["mkdir /d", "btrfs_subvolume_delete /d"],
                    Error("EINVAL"))]),
    Action("btrfs_subvolume_snapshot", 803, RErr,
           [Pathname("source"), Pathname("dest")],
           "snapshot a btrfs subvolume",
           """Make DEST (/path/to/dest/name, as btrfs_subvolume_create) a
snapshot of the subvolume SOURCE.  The snapshot is writable, or
read-only with RO.  With QGROUPID the snapshot's quota group is put in
that quota group.""",
           optargs=[OBool("ro"), OString("qgroupid")],
           aliases=["btrfs_subvolume_snapshot_opts"],
           example="btrfs_subvolume_snapshot /home /home-snap ro:true",
           tests=[T(B, ["btrfs_subvolume_create /sub",
                        "write /sub/f hello",
                        "btrfs_subvolume_snapshot /sub /snap",
                        "btrfs_subvolume_snapshot /sub /rosnap ro:true",
                        "write /sub/f changed", "cat /snap/f"], "hello"),
                  T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_snapshot /sub /rosnap ro:true",
                        "touch /rosnap/x"], Error("EROFS")),
                  T(B, ["btrfs_subvolume_snapshot /nosuch /snap"],
                    Error("ENOENT"), readonly=True)]),
    Action("btrfs_subvolume_list", 804, RStructList("btrfssubvolume"),
           [DevOrPath("fs")],
           "list the btrfs subvolumes and snapshots",
           """The subvolumes and snapshots of a btrfs filesystem (not its
top level, ID 5), each with its ID, the ID of the subvolume holding it
and its path from the top of the filesystem.""" + "\n\n" + FS_OR_DEV,
           example="btrfs_subvolume_list /",
           tests=[T(B, ["btrfs_subvolume_list /"], 0, readonly=True),
                  T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_create '/sub/a b'",
                        "btrfs_subvolume_list /dev/sda1",
                        "btrfs_subvolume_list btrfsvol:/dev/sda1/sub"], 2),
                  T(B, ["btrfs_subvolume_list btrfsvol:/dev/sda1/nosuch"],
                    Error(), readonly=True),
                  T("fs", ["btrfs_subvolume_list /"], Error("EINVAL"),
                    readonly=True),
                  # Each subvolume is a filesystem of its own.
                  T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_create /sub/in",
                        "list_filesystems"],
                    ["/dev/sda1", "btrfs", "btrfsvol:/dev/sda1/sub",
                     "btrfs", "btrfsvol:/dev/sda1/sub/in", "btrfs"]),
                  T(B, ["btrfs_subvolume_list /nosuch"], Error("ENOENT"),
                    readonly=True)]),
    Action("btrfs_subvolume_set_default", 805, RErr,
           [Int64("id"), Pathname("fs")],
           "set the btrfs subvolume mounted by default",
           """Make the subvolume ID (btrfs_subvolume_list gives the IDs; 5
is the top level) the one a mount of the filesystem without a
subvolume option mounts.""" + "\n\n" + MOUNTED,
           example="btrfs_subvolume_set_default 256 /",
           tests=[T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_set_default 256 /",
                        "btrfs_subvolume_get_default /"], 256),
                  T(B, ["btrfs_subvolume_create /sub", "touch /sub/in",
                        "btrfs_subvolume_set_default 256 /", "umount_all",
                        "mount /dev/sda1 /", "exists /in"], True),
                  T(B, ["btrfs_subvolume_set_default 999 /"], Error(),
                    readonly=True)]),
    Action("btrfs_subvolume_get_default", 806, RInt64, [DevOrPath("fs")],
           "the btrfs subvolume mounted by default",
           """The ID of the subvolume a mount of the filesystem without a
subvolume option mounts (5, the top level, unless set with
btrfs_subvolume_set_default).""" + "\n\n" + FS_OR_DEV,
           example="btrfs_subvolume_get_default /",
           tests=[T(B, ["btrfs_subvolume_get_default /"], 5, readonly=True),
                  T(B, ["btrfs_subvolume_get_default /dev/sda1"], 5,
                    readonly=True),
                  T("fs", ["btrfs_subvolume_get_default /dev/sda1"],
                    Error(), readonly=True)]),
    Action("btrfs_subvolume_show", 807, RHashtable, [Pathname("subvolume")],
           "what btrfs says of a subvolume",
           """The details btrfs subvolume show gives of SUBVOLUME, as a hash
of each field's name ("Name", "UUID", "Parent UUID", "Subvolume ID",
"Generation", "Top level ID", "Flags", "Snapshot(s)", "Quota group"
...) to its value, without surrounding blanks.  The snapshots of
SUBVOLUME are one value, their paths separated by ", ".""",
           example="btrfs_subvolume_show /home",
           tests=[T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_snapshot /sub /s1 ro:true",
                        "btrfs_subvolume_snapshot /sub /s2",
                        "btrfs_subvolume_show /sub"],
                    Fields({"Name": "sub", "Subvolume ID": "256",
                            "Top level ID": "5", "Parent UUID": "-",
                            "Snapshot(s)": "s1, s2"})),
                  T(B, ["btrfs_subvolume_create /sub",
                        "btrfs_subvolume_snapshot /sub /s1 ro:true",
                        "btrfs_subvolume_show /s1"],
                    Fields({"Name": "s1", "Flags": "readonly"})),
                  T(B, ["btrfs_subvolume_show /nosuch"], Error("ENOENT"),
                    readonly=True),
                  T(B, ["mkdir /d", "btrfs_subvolume_show /d"],
                    Error("EINVAL"))]),
    # The filesystem.
    Action("btrfs_filesystem_sync", 808, RErr, [Pathname("fs")],
           "sync a btrfs filesystem",
           """Write everything the btrfs filesystem holds in memory to its
devices (btrfs filesystem sync).""" + "\n\n" + MOUNTED,
           example="btrfs_filesystem_sync /",
           tests=[T(B, ["btrfs_filesystem_sync /"], readonly=True),
                  T("fs", ["btrfs_filesystem_sync /"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_filesystem_balance", 809, RErr, [Pathname("fs")],
           "balance a btrfs filesystem",
           """Rewrite every chunk of the btrfs filesystem, spreading them
over its devices (a full balance, btrfs balance start --full-balance).
It returns when the balance is done.""" + "\n\n" + MOUNTED,
           aliases=["btrfs_balance"],
           example="btrfs_filesystem_balance /",
           tests=[T(B, ["write /f hello", "btrfs_filesystem_balance /",
                        "btrfs_balance_status /"],
                    Fields({"btrfsbalance_status": "none"})),
                  T("fs", ["btrfs_filesystem_balance /"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_filesystem_resize", 810, RErr, [Pathname("mountpoint")],
           "resize a btrfs filesystem",
           """Resize the mounted btrfs filesystem at MOUNTPOINT (btrfs, unlike
the other resize calls, resizes only mounted filesystems) to SIZE
bytes, or without SIZE to the size of its device.  Only its first
device (devid 1) is resized.""",
           optargs=[OInt64("size")],
           example="btrfs_filesystem_resize / size:1073741824",
           tests=[T(B, ["btrfs_filesystem_resize / size:268435456",
                        "btrfs_filesystem_resize /",
                        "btrfs_filesystem_resize / size:402653184"]),
                  T(B, ["btrfs_filesystem_resize / size:1048576"], Error(),
                    readonly=True),
                  T(B, ["btrfs_filesystem_resize / size:-1"],
                    Error("EINVAL"), readonly=True)]),
    Action("btrfs_filesystem_defragment", 811, RErr, [Pathname("path")],
           "defragment a btrfs file or directory",
           """Defragment the file or directory PATH of a btrfs filesystem
(a directory's files recursively).  With FLUSH the data is written
out after each file; with COMPRESS ("zlib", "lzo" or "zstd") the files
are compressed with it as they are rewritten.  Another COMPRESS is
EINVAL.""",
           optargs=[OBool("flush"), OString("compress")],
           example="btrfs_filesystem_defragment /var flush:true",
           tests=[T(B, ["mkdir /d", "fill 0x61 1048576 /d/f",
                        "btrfs_filesystem_defragment /d flush:true "
                        "compress:zlib",
                        "btrfs_filesystem_defragment /d/f compress:lzo",
                        "btrfs_filesystem_defragment /d/f",
                        "checksum md5 /d/f"],
                    "7202826a7791073fe2787f0c94603278"),
                  T(B, ["btrfs_filesystem_defragment / compress:gzip"],
                    Error("EINVAL"), readonly=True),
                  T(B, ["btrfs_filesystem_defragment /nosuch"],
                    Error("ENOENT"), readonly=True)]),
    Action("btrfs_filesystem_show", 812, DEVLIST, [Device("device")],
           "the devices of a btrfs filesystem",
           """The devices the btrfs filesystem on DEVICE spans, in the order
of their device IDs.  When some of them are missing the call fails with
errno ENODEV.""",
           example="btrfs_filesystem_show /dev/sda1",
           tests=[T(B, ["btrfs_filesystem_show /dev/sda1"], ["/dev/sda1"],
                    readonly=True),
                  T("fs", ["btrfs_filesystem_show /dev/sda1"], Error(),
                    readonly=True),
                  T(TWO, ["umount_all", "mkfs_btrfs '/dev/sda1 /dev/sdb'",
                          "pwrite_device /dev/sdb xxxxxxxx 65600",
                          "pwrite_device /dev/sdb xxxxxxxx 67108928",
                          "btrfs_filesystem_show /dev/sda1"],
                    Error("ENODEV"))]),
    # Devices.
    Action("btrfs_device_add", 813, RErr,
           [StringList("devices"), Pathname("fs")],
           "add devices to a btrfs filesystem",
           """Add DEVICES (whatever they held is overwritten) to the mounted
btrfs filesystem at FS.  An empty list does nothing.""",
           example="btrfs_device_add /dev/sdb /",
           tests=[T(TWO, ["umount_all", "mkfs_btrfs /dev/sda1",
                          "mount /dev/sda1 /", "btrfs_device_add /dev/sdb /",
                          "btrfs_device_add '' /",
                          "btrfs_filesystem_show /dev/sda1"],
                    ["/dev/sda1", "/dev/sdb"]),
                  T(TWO, ["btrfs_device_add /dev/sdb /"], Error(),
                    readonly=True),
                  T(TWO, ["btrfs_device_add /dev/sdz /"], Error("ENOENT"),
                    readonly=True)]),
    Action("btrfs_device_delete", 814, RErr,
           [StringList("devices"), Pathname("fs")],
           "remove devices from a btrfs filesystem",
           """Remove DEVICES from the mounted btrfs filesystem at FS, moving
what they hold to its other devices.  An empty list does nothing.""",
           example="btrfs_device_delete /dev/sdb /",
           tests=[T(TWO, ["umount_all", "mkfs_btrfs /dev/sda1",
                          "mount /dev/sda1 /", "btrfs_device_add /dev/sdb /",
                          "write /f hello",
                          "btrfs_device_delete /dev/sda1 /",
                          "btrfs_device_delete '' /",
                          "btrfs_filesystem_show /dev/sdb"], ["/dev/sdb"]),
                  T(B, ["btrfs_device_delete /dev/sda1 /"], Error(),
                    readonly=True)]),
    Action("btrfs_set_seeding", 815, RErr,
           [Device("device"), Bool("seeding")],
           "make a btrfs filesystem a seed or not",
           """Turn the seeding flag of the btrfs filesystem on DEVICE on or
off (btrfstune -S).  A seed filesystem mounts read-only only (mount_ro;
mount fails with EACCES); a device added to it makes a new writable
filesystem over it.""" + "\n\n" + UNMOUNTED,
           example="btrfs_set_seeding /dev/sda1 true",
           tests=[T(B, ["umount_all", "btrfs_set_seeding /dev/sda1 true",
                        "mount /dev/sda1 /"], Error("EACCES")),
                  T(B, ["umount_all", "btrfs_set_seeding /dev/sda1 true",
                        "btrfs_set_seeding /dev/sda1 false",
                        "mount /dev/sda1 /", "touch /x"]),
                  T(B, ["btrfs_set_seeding /dev/sda1 true"], Error(),
                    readonly=True)]),
    Action("btrfs_fsck", 816, RErr, [Device("device")],
           "check a btrfs filesystem",
           """Check the btrfs filesystem on DEVICE (btrfs check); any
problem found is an error.  SUPERBLOCK picks the copy of the superblock
to start from (0, 1 or 2; the copies after the first sit at 64 MiB
and 256 GiB, so a smaller filesystem has fewer).  With REPAIR, problems
found are fixed (btrfs check --repair, which waits 10 seconds before it
starts).""" + "\n\n" + UNMOUNTED,
           optargs=[OInt64("superblock"), OBool("repair")],
           example="btrfs_fsck /dev/sda1",
           tests=[T(B, ["umount_all", "btrfs_fsck /dev/sda1",
                        "btrfs_fsck /dev/sda1 superblock:1",
                        "btrfs_fsck /dev/sda1 repair:true"]),
                  T(B, ["umount_all", "btrfs_fsck /dev/sda1 superblock:2"],
                    Error()),
                  T("fs", ["umount_all", "btrfs_fsck /dev/sda1"], Error()),
                  T(B, ["btrfs_fsck /dev/sda1 superblock:-1"],
                    Error("EINVAL"), readonly=True)]),
    # Balance.
    Action("btrfs_balance_pause", 817, RErr, [Pathname("path")],
           "pause a running btrfs balance",
           """Pause the balance running on the btrfs filesystem of PATH
(btrfs_balance_resume goes on with it).  None running is an error.""",
           example="btrfs_balance_pause /",
           tests=[T(B, ["btrfs_balance_pause /"], Error(), readonly=True)]),
    Action("btrfs_balance_resume", 818, RErr, [Pathname("path")],
           "resume a paused btrfs balance",
           """Go on with the balance paused on the btrfs filesystem of PATH.
None paused is an error.""",
           example="btrfs_balance_resume /",
           tests=[T(B, ["btrfs_balance_resume /"], Error(), readonly=True)]),
    Action("btrfs_balance_cancel", 819, RErr, [Pathname("path")],
           "cancel a btrfs balance",
           """Stop the balance running or paused on the btrfs filesystem of
PATH.  None is an error.""",
           example="btrfs_balance_cancel /",
           tests=[T(B, ["btrfs_balance_cancel /"], Error(), readonly=True)]),
    Action("btrfs_balance_status", 820, RStruct("btrfsbalance"),
           [Pathname("path")],
           "the state of a btrfs balance",
           """Whether a balance is "running", "paused" or there is "none" on
the btrfs filesystem of PATH, and for one, how many chunks it expects
to balance (total), has balanced and has considered, and the
percentage left.""",
           example="btrfs_balance_status /",
           tests=[T(B, ["btrfs_balance_status /"],
                    Fields({"btrfsbalance_status": "none",
                            "btrfsbalance_total": 0}), readonly=True),
                  T("fs", ["btrfs_balance_status /"], Error("EINVAL"),
                    readonly=True)]),
    # Scrub.
    Action("btrfs_scrub_start", 821, RErr, [Pathname("path")],
           "start scrubbing a btrfs filesystem",
           """Start reading every data and metadata block of the btrfs
filesystem of PATH, checking their checksums and repairing a bad block
from a good copy where there is one (btrfs scrub start).  It runs in the
background: btrfs_scrub_status tells how it goes.""",
           example="btrfs_scrub_start /",
           tests=[T(B, ["fill 0x61 65536 /f", "sync", "btrfs_scrub_start /",
                        "sleep 2", "btrfs_scrub_status /"],
                    Fields({"btrfsscrub_data_extents_scrubbed": 1,
                            "btrfsscrub_data_bytes_scrubbed": 65536,
                            "btrfsscrub_csum_errors": 0})),
                  T("fs", ["btrfs_scrub_start /"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_scrub_cancel", 822, RErr, [Pathname("path")],
           "cancel a running btrfs scrub",
           """Stop the scrub running on the btrfs filesystem of PATH
(btrfs_scrub_resume goes on with it).  None running is an error.""",
           example="btrfs_scrub_cancel /",
           tests=[T(B, ["btrfs_scrub_cancel /"], Error(), readonly=True)]),
    Action("btrfs_scrub_resume", 823, RErr, [Pathname("path")],
           "resume a cancelled btrfs scrub",
           """Go on, in the background, with a scrub of the btrfs
filesystem of PATH that was cancelled or interrupted.  None to go on
with is an error.""",
           example="btrfs_scrub_resume /",
           tests=[T(B, ["btrfs_scrub_resume /"], Error(), readonly=True)]),
    Action("btrfs_scrub_status", 824, RStruct("btrfsscrub"),
           [Pathname("path")],
           "the counters of a btrfs scrub",
           """The counters of the running or last scrub of the btrfs
filesystem of PATH (btrfs scrub status -R): extents and bytes of data
and metadata read, and the errors found.  A filesystem never scrubbed
has every counter 0.""",
           example="btrfs_scrub_status /",
           tests=[T(B, ["btrfs_scrub_status /"],
                    Fields({"btrfsscrub_tree_extents_scrubbed": 0,
                            "btrfsscrub_last_physical": 0}), readonly=True),
                  T("fs", ["btrfs_scrub_status /"], Error("EINVAL"),
                    readonly=True)]),
    # Quotas.
    Action("btrfs_quota_enable", 825, RErr,
           [DevOrPath("fs"), Bool("enable")],
           "turn btrfs quotas on or off",
           """Turn the quota groups of a btrfs filesystem on (ENABLE true)
or off.  Each subvolume gets a quota group 0/ID when they are on.""" +
           "\n\n" + FS_OR_DEV,
           example="btrfs_quota_enable / true",
           tests=[T(B, ["btrfs_quota_enable / true",
                        "btrfs_subvolume_create /sub",
                        "btrfs_qgroup_show /"], 2),
                  T(B, ["btrfs_quota_enable /dev/sda1 true",
                        "btrfs_quota_enable / false",
                        "btrfs_qgroup_show /"], Error()),
                  T("fs", ["btrfs_quota_enable / true"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_quota_rescan", 826, RErr, [DevOrPath("fs")],
           "recount btrfs quota groups",
           """Throw the counts of every quota group away and count again
from the filesystem's metadata (btrfs quota rescan).  """ + QUOTA + "\n\n" +
           FS_OR_DEV,
           example="btrfs_quota_rescan /",
           tests=[T(B, ["btrfs_quota_enable / true", "write /f hello",
                        "btrfs_quota_rescan /"]),
                  T(B, ["btrfs_quota_rescan /"], Error(), readonly=True)]),
    Action("btrfs_qgroup_create", 827, RErr,
           [String("qgroupid"), Pathname("subvolume")],
           "make a btrfs quota group",
           """Make the quota group QGROUPID (LEVEL/ID, e.g. 1/0: quota groups
of level 0 are the subvolumes' own) in the btrfs filesystem of
SUBVOLUME.  """ + QUOTA,
           example="btrfs_qgroup_create 1/0 /",
           tests=[T(B, QG + ["btrfs_qgroup_create 1/0 /",
                             "btrfs_qgroup_create 1/1 /sub",
                             "btrfs_qgroup_show /"], 4),
                  T(B, ["btrfs_qgroup_create 1/0 /"], Error(),
                    readonly=True),
                  T(B, ["btrfs_qgroup_create 1:0 /"], Error("EINVAL"),
                    readonly=True)]),
    Action("btrfs_qgroup_destroy", 828, RErr,
           [String("qgroupid"), Pathname("subvolume")],
           "remove a btrfs quota group",
           """Remove the quota group QGROUPID from the btrfs filesystem of
SUBVOLUME.""",
           example="btrfs_qgroup_destroy 1/0 /",
           tests=[T(B, QG + ["btrfs_qgroup_create 1/0 /",
                             "btrfs_qgroup_destroy 1/0 /",
                             "btrfs_qgroup_show /"], 2),
                  T(B, ["btrfs_quota_enable / true",
                        "btrfs_qgroup_destroy 1/7 /"], Error())]),
    Action("btrfs_qgroup_show", 829, RStructList("btrfsqgroup"),
           [Pathname("path")],
           "list the btrfs quota groups",
           """The quota groups of the btrfs filesystem of PATH, each with
its ID and the bytes it refers to (rfer) and refers to alone (excl).
""" + QUOTA,
           example="btrfs_qgroup_show /",
           tests=[T(B, ["btrfs_quota_enable / true",
                        "btrfs_qgroup_show /"], 1),
                  T(B, ["btrfs_qgroup_show /"], Error(), readonly=True)]),
    Action("btrfs_qgroup_limit", 830, RErr,
           [Pathname("subvolume"), Int64("size")],
           "limit the size of a btrfs subvolume",
           """Limit the bytes the subvolume SUBVOLUME refers to (its quota
group's referenced limit) to SIZE.  A write past it fails with EDQUOT.
""" + QUOTA,
           example="btrfs_qgroup_limit /home 10737418240",
           tests=[T(B, QG + ["btrfs_qgroup_limit /sub 4194304",
                             "fill 0 8388608 /sub/f"], Error("EDQUOT")),
                  T(B, ["btrfs_qgroup_limit / 4194304"], Error(),
                    readonly=True)]),
    Action("btrfs_qgroup_assign", 831, RErr,
           [String("src"), String("dst"), Pathname("path")],
           "put a btrfs quota group in another",
           """Make the quota group DST (of a higher level) a parent of the
quota group SRC in the btrfs filesystem of PATH, so that a limit of DST
covers SRC and its other children.""",
           example="btrfs_qgroup_assign 0/256 1/0 /",
           tests=[T(B, QG + ["btrfs_qgroup_create 1/0 /",
                             "btrfs_qgroup_assign 0/256 1/0 /",
                             "btrfs_qgroup_remove 0/256 1/0 /"]),
                  T(B, ["btrfs_quota_enable / true",
                        "btrfs_qgroup_assign 0/5 1/9 /"], Error())]),
    Action("btrfs_qgroup_remove", 832, RErr,
           [String("src"), String("dst"), Pathname("path")],
           "take a btrfs quota group out of another",
           """Undo btrfs_qgroup_assign: DST is no longer a parent of SRC.""",
           example="btrfs_qgroup_remove 0/256 1/0 /",
           tests=[T(B, QG + ["btrfs_qgroup_create 1/0 /",
                             "btrfs_qgroup_remove 0/256 1/0 /"], Error())]),
    # Devices again, rescue and images.
    Action("btrfs_replace", 833, RErr,
           [Device("srcdev"), Device("targetdev"), Pathname("mntpoint")],
           "replace a device of a btrfs filesystem",
           """Copy what the device SRCDEV of the mounted btrfs filesystem at
MNTPOINT holds to TARGETDEV, which then takes its place: SRCDEV is
wiped and leaves the filesystem.  TARGETDEV must be at least as big as
SRCDEV and not mounted; what it held is lost.  It returns when the
copy is done.  The filesystem needs room for the copy: a small one with
duplicated metadata (mkfs.btrfs's default) may fail with ENOSPC.""",
           example="btrfs_replace /dev/sda1 /dev/sdb /",
           tests=[T(TWO, ["umount_all",
                          "mkfs_btrfs /dev/sda1 metadata:single",
                          "mount /dev/sda1 /", "write /f hello",
                          "btrfs_replace /dev/sda1 /dev/sdb /",
                          "btrfs_filesystem_show /dev/sdb"], ["/dev/sdb"]),
                  T(TWO, ["umount_all", "mkfs_btrfs /dev/sdb",
                          "mount /dev/sdb /",
                          "btrfs_replace /dev/sdb /dev/sda1 /"], Error())]),
    Action("btrfs_rescue_chunk_recover", 834, RErr, [Device("device")],
           "rebuild the chunk tree of a btrfs filesystem",
           """Scan DEVICE, a device of a btrfs filesystem, and rebuild the
filesystem's chunk tree from what it finds (btrfs rescue
chunk-recover).""" + "\n\n" + UNMOUNTED,
           example="btrfs_rescue_chunk_recover /dev/sda1",
           tests=[T("part", ["mkfs_btrfs /dev/sda1",
                             "btrfs_rescue_chunk_recover /dev/sda1",
                             "btrfs_fsck /dev/sda1"]),
                  T("fs", ["umount_all",
                           "btrfs_rescue_chunk_recover /dev/sda1"], Error())]),
    Action("btrfs_rescue_super_recover", 835, RErr, [Device("device")],
           "repair the superblocks of a btrfs filesystem",
           """Overwrite the bad copies of the superblock of the btrfs
filesystem on DEVICE with a good one (btrfs rescue super-recover).
""" + UNMOUNTED,
           example="btrfs_rescue_super_recover /dev/sda1",
           tests=[T(B, ["umount_all", "pwrite_device /dev/sda1 xxxxxxxx "
                        "67108928",
                        "btrfs_fsck /dev/sda1 superblock:1"], Error()),
                  T(B, ["umount_all", "pwrite_device /dev/sda1 xxxxxxxx "
                        "67108928",
                        "btrfs_rescue_super_recover /dev/sda1",
                        "btrfs_fsck /dev/sda1 superblock:1"]),
                  T("fs", ["umount_all",
                           "btrfs_rescue_super_recover /dev/sda1"],
                    Error())]),
    Action("btrfs_image", 836, RErr,
           [StringList("source"), Pathname("image")],
           "save the metadata of a btrfs filesystem",
           """Write to the guest file IMAGE an image of the metadata of the
btrfs filesystem on the devices SOURCE (btrfs-image reads it through
the first and finds the others), without its data, as btrfs-image
does: for a bug report or to study a broken filesystem.  SOURCE is best
not mounted: the image of a filesystem being written may be
inconsistent.  COMPRESSLEVEL 0 (none, the default) to 9 compresses
it.""",
           optargs=[OInt("compresslevel")],
           example="btrfs_image /dev/sdb /btrfs.img compresslevel:9",
           tests=[T(TWO, ["mkfs_btrfs /dev/sdb",
                          "btrfs_image /dev/sdb /img compresslevel:9",
                          "btrfs_image /dev/sdb /img2",
                          "is_file /img"], True),
                  T(TWO, ["btrfs_image /dev/sdb /img compresslevel:10"],
                    Error("EINVAL"), readonly=True),
                  T(TWO, ["btrfs_image /dev/sda1 /img"], Error(),
                    readonly=True)]),
    # btrfstune.
    Action("btrfstune_seeding", 837, RErr,
           [Device("device"), Bool("seeding")],
           "make a btrfs filesystem a seed or not",
           """Turn the seeding flag of the btrfs filesystem on DEVICE on or
off (btrfstune -S), as btrfs_set_seeding.""" + "\n\n" + UNMOUNTED,
           example="btrfstune_seeding /dev/sda1 true",
           tests=[T(B, ["umount_all", "btrfstune_seeding /dev/sda1 true",
                        "btrfstune_seeding /dev/sda1 false",
                        "mount /dev/sda1 /", "touch /x", "exists /x"], True),
                  T("fs", ["umount_all", "btrfstune_seeding /dev/sda1 true"],
                    Error())]),
    Action("btrfstune_enable_extended_inode_refs", 838, RErr,
           [Device("device")],
           "let a btrfs file have many hard links",
           """Turn on the extref feature of the btrfs filesystem on DEVICE
(btrfstune -r): a file may then have up to 65535 hard links in one
directory.  mkfs.btrfs turns it on already.""" + "\n\n" + UNMOUNTED,
           example="btrfstune_enable_extended_inode_refs /dev/sda1",
           tests=[T(B, ["umount_all",
                        "btrfstune_enable_extended_inode_refs /dev/sda1",
                        "btrfs_fsck /dev/sda1"]),
                  T("fs", ["umount_all",
                           "btrfstune_enable_extended_inode_refs /dev/sda1"],
                    Error())]),
    Action("btrfstune_enable_skinny_metadata_extent_refs", 839, RErr,
           [Device("device")],
           "make btrfs metadata extent references smaller",
           """Turn on the skinny-metadata feature of the btrfs filesystem on
DEVICE (btrfstune -x), which makes its metadata smaller.  mkfs.btrfs
turns it on already.""" + "\n\n" + UNMOUNTED,
           example="btrfstune_enable_skinny_metadata_extent_refs /dev/sda1",
           tests=[T(B, ["umount_all",
                        "btrfstune_enable_skinny_metadata_extent_refs "
                        "/dev/sda1", "btrfs_fsck /dev/sda1"]),
                  T("fs", ["umount_all",
                           "btrfstune_enable_skinny_metadata_extent_refs "
                           "/dev/sda1"], Error())]),
]

group_actions = {
    "btrfs": [a.name for a in actions],
}

groups = []
