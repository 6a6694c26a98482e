# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, filesystems and volumes: the ext tools, checking
# and resizing, swap, finding filesystems by label or UUID, disk usage,
# LVM administration and LUKS key slots.  actions.py adds `actions` to
# the daemon's and the names of `group_actions` to its optional groups.

from defs import *  # noqa: F401,F403

T = Test
S = "scratch"

DEVSTR = Ret("RString", devices=True)
DEVLIST = Ret("RStringList", devices=True)

structs = [
    Struct("mdstat", [
        ("mdstat_device", "string"), ("mdstat_index", "int32"),
        ("mdstat_flags", "string"),
    ], "One member of a RAID device: its device, its slot, and its flags "
       "from /proc/mdstat (W write-mostly, F faulty, S spare, R "
       "replacement; empty for none)."),
]

EXT_ONLY = """DEVICE must hold an ext2, ext3 or ext4 filesystem."""

actions = [
    # The ext tools (e2fsprogs).
    Action("e2fsck", 700, RErr, [Device("device")],
           "check an ext2/ext3/ext4 filesystem",
           """Run the ext2/ext3/ext4 checker (e2fsck -f) on DEVICE, which
must not be mounted.  With CORRECT, every problem that can be fixed
safely without a human is fixed (-p); with FORCEALL every question is
answered yes (-y).  The two exclude each other (EINVAL).  Without
either, the check only reads (-n) and any problem found is an error.
Errors found and fixed are not an error; errors left are.""",
           optargs=[OBool("correct"), OBool("forceall")],
           example="e2fsck /dev/sda1 correct:true",
           tests=[T("fs", ["umount_all", "e2fsck /dev/sda1 correct:true"]),
                  T("fs", ["umount_all",
                           "e2fsck /dev/sda1 correct:true forceall:true"],
                    Error("EINVAL"))]),
    Action("e2fsck_f", 701, RErr, [Device("device")],
           "check an ext2/ext3/ext4 filesystem, fixing what is safe",
           """Run e2fsck -p -f on DEVICE: check it even when it looks clean
and fix what can be fixed safely.  The same as e2fsck with CORRECT; the
check resize2fs asks for first.""",
           example="e2fsck_f /dev/sda1", deprecated_by="e2fsck",
           tests=[T("fs", ["umount_all", "e2fsck_f /dev/sda1"]),
                  T("part", ["e2fsck_f /dev/sda1"], Error())]),
    Action("fsck", 702, RInt, [String("fstype"), Device("device")],
           "check a filesystem, returning fsck's status",
           """Check the filesystem of type FSTYPE on DEVICE (not mounted),
fixing what is safe to fix without asking, as "fsck -a -t FSTYPE
DEVICE", and return fsck's status: 0 no errors, 1 errors fixed, 2
errors fixed and a reboot wanted, 4 errors left, 8 an operational error;
the bits add up.  A status that is not 0 is not an error of this call.
FSTYPE is ext2, ext3, ext4 (e2fsck), vfat, msdos or fat (fsck.fat) or
xfs (xfs_repair -n: it only checks); another type is EINVAL.""",
           example="fsck ext4 /dev/sda1",
           tests=[T("fs", ["umount_all", "fsck ext4 /dev/sda1"], 0),
                  T("fs", ["umount_all", "fsck zfs /dev/sda1"],
                    Error("EINVAL"))]),
    Action("tune2fs_l", 703, RHashtable, [Device("device")],
           "the superblock of an ext2/ext3/ext4 filesystem",
           """The superblock of the ext filesystem on DEVICE as tune2fs -l
prints it: a hash of each field name ("Block count", "Filesystem
UUID" ...) to its value, both without surrounding blanks (a field
without a value maps to "").""",
           example="tune2fs_l /dev/sda1",
           tests=[T("fs", ["tune2fs_l /dev/sda1"],
                    Fields({"Filesystem magic number": "0xEF53",
                            "Filesystem volume name": "<none>"}),
                    readonly=True),
                  T("part", ["tune2fs_l /dev/sda1"], Error())]),
    Action("resize2fs", 704, RErr, [Device("device")],
           "grow or shrink an ext filesystem to its device",
           """Resize the ext2/ext3/ext4 filesystem on DEVICE to the size of
DEVICE.  resize2fs wants a freshly checked filesystem: run e2fsck_f
first, else it fails asking for it.""" + "\n\n" + EXT_ONLY,
           example="resize2fs /dev/sda1",
           tests=[T("fs", ["umount_all", "e2fsck_f /dev/sda1",
                           "resize2fs_size /dev/sda1 33554432",
                           "resize2fs /dev/sda1", "tune2fs_l /dev/sda1"],
                    Fields({"Block count": "130048"}))]),
    Action("resize2fs_size", 705, RErr, [Device("device"), Int64("size")],
           "resize an ext filesystem to a size",
           """Resize the ext2/ext3/ext4 filesystem on DEVICE to SIZE bytes
(rounded down to whole blocks of the filesystem).  As resize2fs, run
e2fsck_f first.""",
           example="resize2fs_size /dev/sda1 1073741824",
           tests=[T("fs", ["umount_all", "e2fsck_f /dev/sda1",
                           "resize2fs_size /dev/sda1 33554432",
                           "tune2fs_l /dev/sda1"],
                    Fields({"Block count": "32768"})),
                  T("fs", ["umount_all", "resize2fs_size /dev/sda1 -1"],
                    Error("EINVAL"))]),
    Action("resize2fs_M", 706, RErr, [Device("device")],
           "shrink an ext filesystem to its minimum size",
           """Shrink the ext2/ext3/ext4 filesystem on DEVICE to the smallest
size that holds its content (resize2fs -M).  As resize2fs, run e2fsck_f
first.""",
           example="resize2fs_M /dev/sda1",
           tests=[T("fs", ["umount_all", "e2fsck_f /dev/sda1",
                           "resize2fs_M /dev/sda1", "e2fsck_f /dev/sda1"])]),
    Action("vfs_minimum_size", 707, RInt64, [Mountable("mountable")],
           "the smallest size a filesystem can shrink to",
           """The size in bytes the filesystem on MOUNTABLE could be shrunk
to: for ext2/ext3/ext4 resize2fs -P's estimate (the filesystem must not
be mounted), for NTFS ntfsresize's.  Other filesystems cannot be
shrunk: ENOTSUP.""",
           example="vfs_minimum_size /dev/sda1",
           tests=[T("fs", ["umount_all", "vfs_minimum_size /dev/sda1"]),
                  T("part", ["mkfs ntfs /dev/sda1",
                             "vfs_minimum_size /dev/sda1"]),
                  T("part", ["vfs_minimum_size /dev/sda1"],
                    Error("ENOTSUP"))]),
    Action("mklost_and_found", 708, RErr, [Pathname("mountpoint")],
           "make a lost+found directory",
           """Make the directory lost+found in MOUNTPOINT, the root of a
mounted ext2/ext3/ext4 filesystem, with blocks set aside for e2fsck to
put lost files into (mklost+found).""",
           example="mklost_and_found /",
           tests=[T(S, ["mkdir /mklost_and_found",
                        "mklost_and_found /mklost_and_found",
                        "is_dir /mklost_and_found/lost+found"], True),
                  T(S, ["mklost_and_found /mklost_and_found-nosuch"],
                    Error("ENOENT"))]),
    Action("zerofree", 709, RErr, [Device("device")],
           "zero the free blocks of an ext filesystem",
           """Write zeros over the blocks of the ext2/ext3/ext4 filesystem
on DEVICE that no file uses (zerofree), so that the image compresses
and sparsifies well.  DEVICE must not be mounted (or be mounted
read-only).""",
           example="zerofree /dev/sda1",
           tests=[T("fs", ["umount_all", "zerofree /dev/sda1"]),
                  T("part", ["zerofree /dev/sda1"], Error())]),
    Action("get_e2generation", 710, RInt64, [Pathname("file")],
           "the ext generation number of a file",
           """The generation number of the inode of FILE (a regular file or
a directory on ext2/ext3/ext4), which NFS file handles carry.""",
           example="get_e2generation /etc/fstab",
           tests=[T(S, ["get_e2generation /get_e2generation-nosuch"],
                    Error("ENOENT"))]),
    Action("set_e2generation", 711, RErr,
           [Pathname("file"), Int64("generation")],
           "set the ext generation number of a file",
           """Set the generation number of the inode of FILE (a regular file
or a directory) to GENERATION (0 to 4294967295).  ext4 with metadata
checksums (mke2fs's default) keeps generations fixed: ENOTSUP.""",
           example="set_e2generation /etc/fstab 123456",
           tests=[T("part", ["mkfs ext2 /dev/sda1", "mount /dev/sda1 /",
                             "touch /f", "set_e2generation /f 123456",
                             "get_e2generation /f"], 123456),
                  T(S, ["mkdir /set_e2generation",
                        "touch /set_e2generation/f",
                        "set_e2generation /set_e2generation/f 1"],
                    Error("ENOTSUP")),
                  T(S, ["set_e2generation /set_e2generation-nosuch 1"],
                    Error("ENOENT"))]),
    Action("get_e2attrs", 712, RString, [Pathname("file")],
           "the ext attributes of a file",
           """The attributes of the inode of FILE (a regular file or a
directory) as lsattr's letters, in this order: "s" secure deletion, "u"
undeletable, "S" synchronous updates, "D" synchronous directory
updates, "i" immutable, "a" append only, "d" no dump, "A" no atime
updates, "c" compressed, "E" encryption, "j" data journalling, "I"
hashed directory, "t" no tail merging, "T" top of a directory
hierarchy, "e" extents, "C" no copy on write, "x" DAX, "N" inline data,
"P" project hierarchy, "F" casefolded, "V" verity.  The empty string
is a file without any.""",
           example="get_e2attrs /etc/fstab",
           tests=[T(S, ["mkdir /get_e2attrs", "touch /get_e2attrs/f",
                        "get_e2attrs /get_e2attrs/f"], "e")]),
    Action("set_e2attrs", 713, RErr, [Pathname("file"), String("attrs")],
           "set or clear ext attributes of a file",
           """Set the attributes of FILE named by the letters of ATTRS (see
get_e2attrs), or with CLEAR clear them; the others stay.  A letter
that is not an attribute, or one of those the kernel sets itself ("E",
"I", "N", "V"), is EINVAL.  Setting "i" or "a" makes the file
unchangeable until they are cleared.""",
           optargs=[OBool("clear")],
           example="set_e2attrs /etc/fstab d",
           tests=[T(S, ["mkdir /set_e2attrs", "touch /set_e2attrs/f",
                        "set_e2attrs /set_e2attrs/f dA",
                        "set_e2attrs /set_e2attrs/f A clear:true",
                        "get_e2attrs /set_e2attrs/f"], "de"),
                  T(S, ["mkdir /set_e2attrs2", "touch /set_e2attrs2/f",
                        "set_e2attrs /set_e2attrs2/f q"], Error("EINVAL"))]),
    Action("tune2fs", 714, RErr, [Device("device")],
           "adjust the parameters of an ext filesystem",
           """Change parameters of the ext2/ext3/ext4 filesystem on DEVICE
with tune2fs; each optional argument is one option of it:
FORCE -f, MAXMOUNTCOUNT -c, MOUNTCOUNT -C, ERRORBEHAVIOR -e ("continue",
"remount-ro" or "panic"), GROUP -g (a group id), INTERVALBETWEENCHECKS
-i (in seconds), RESERVEDBLOCKSPERCENTAGE -m, LASTMOUNTEDDIRECTORY -M,
RESERVEDBLOCKSCOUNT -r, USER -u (a user id).  Without any nothing
changes.  tune2fs_l shows the result.""",
           optargs=[OBool("force"), OInt("maxmountcount"),
                    OInt("mountcount"), OString("errorbehavior"),
                    OInt64("group"), OInt("intervalbetweenchecks"),
                    OInt("reservedblockspercentage"),
                    OString("lastmounteddirectory"),
                    OInt64("reservedblockscount"), OInt64("user")],
           example="tune2fs /dev/sda1 maxmountcount:20 errorbehavior:remount-ro",
           tests=[T("fs", ["tune2fs /dev/sda1 maxmountcount:7 "
                           "errorbehavior:panic lastmounteddirectory:/x",
                           "tune2fs_l /dev/sda1"],
                    Fields({"Maximum mount count": "7",
                            "Errors behavior": "Panic",
                            "Last mounted on": "/x"})),
                  T("fs", ["tune2fs /dev/sda1 errorbehavior:explode"],
                    Error("EINVAL"))]),
    Action("mke2fs", 715, RErr, [Device("device")],
           "make an ext2/ext3/ext4 filesystem, with every mke2fs option",
           """Make an ext2/ext3/ext4 filesystem on DEVICE with mke2fs, each
optional argument being one of its options: BLOCKSCOUNT (the size in
blocks, after DEVICE), BLOCKSIZE -b, FRAGSIZE -f (ignored by today's
mke2fs), BLOCKSPERGROUP -g, NUMBEROFGROUPS -G, BYTESPERINODE -i,
INODESIZE -I, JOURNALSIZE -J size= (MB), NUMBEROFINODES -N, STRIDESIZE
-E stride=, STRIPEWIDTH -E stripe_width=, MAXONLINERESIZE -E resize=,
RESERVEDBLOCKSPERCENTAGE -m, MMPUPDATEINTERVAL -E mmp_update_interval=,
JOURNALDEVICE -J device=, LABEL -L, LASTMOUNTEDDIR -M, CREATOROS -o,
FSTYPE -t (ext2 when not given, as mke2fs), USAGETYPE -T, UUID -U,
FORCECREATE (mke2fs always runs with -F: nobody could answer its
questions), WRITESBANDGROUPONLY -S, LAZYITABLEINIT -E
lazy_itable_init=, LAZYJOURNALINIT -E lazy_journal_init=, TESTFS -E
test_fs, DISCARD -E discard or nodiscard, QUOTATYPE -E quotatype.  The
booleans EXTENT, FILETYPE, FLEXBG, HASJOURNAL, JOURNALDEV, LARGEFILE,
QUOTA, RESIZEINODE, SPARSESUPER and UNINITBG turn the features extent,
filetype, flex_bg, has_journal, journal_dev, large_file, quota,
resize_inode, sparse_super and uninit_bg on (true) or off (false, -O
^FEATURE).  Negative numbers are EINVAL.""",
           optargs=[OInt64("blockscount"), OInt64("blocksize"),
                    OInt64("fragsize"), OInt64("blockspergroup"),
                    OInt64("numberofgroups"), OInt64("bytesperinode"),
                    OInt64("inodesize"), OInt64("journalsize"),
                    OInt64("numberofinodes"), OInt64("stridesize"),
                    OInt64("stripewidth"), OInt64("maxonlineresize"),
                    OInt("reservedblockspercentage"),
                    OInt("mmpupdateinterval"), OString("journaldevice"),
                    OString("label"), OString("lastmounteddir"),
                    OString("creatoros"), OString("fstype"),
                    OString("usagetype"), OString("uuid"),
                    OBool("forcecreate"), OBool("writesbandgrouponly"),
                    OBool("lazyitableinit"), OBool("lazyjournalinit"),
                    OBool("testfs"), OBool("discard"), OBool("quotatype"),
                    OBool("extent"), OBool("filetype"), OBool("flexbg"),
                    OBool("hasjournal"), OBool("journaldev"),
                    OBool("largefile"), OBool("quota"),
                    OBool("resizeinode"), OBool("sparsesuper"),
                    OBool("uninitbg")],
           example="mke2fs /dev/sda1 fstype:ext4 label:root blocksize:4096",
           tests=[T("part", ["mke2fs /dev/sda1 fstype:ext4 blocksize:4096 "
                             "label:MK blockscount:8192 hasjournal:false",
                             "tune2fs_l /dev/sda1"],
                    Fields({"Block size": "4096", "Block count": "8192",
                            "Filesystem volume name": "MK"})),
                  T("part", ["mke2fs /dev/sda1", "vfs_type /dev/sda1"],
                    "ext2"),
                  T("part", ["mke2fs /dev/sda1 blocksize:-1"],
                    Error("EINVAL"))]),
    # Swap.
    Action("mkswap_L", 720, RErr, [String("label"), Device("device")],
           "make a swap area with a label",
           "The same as mkswap with LABEL.",
           example="mkswap_L swap /dev/sda2", deprecated_by="mkswap",
           tests=[T("part", ["mkswap_L swp /dev/sda1", "vfs_label /dev/sda1"],
                    "swp")]),
    Action("mkswap_U", 721, RErr, [String("uuid"), Device("device")],
           "make a swap area with a UUID",
           "The same as mkswap with UUID.",
           example="mkswap_U 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59 /dev/sda2",
           deprecated_by="mkswap",
           tests=[T("part", ["mkswap_U 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59 "
                             "/dev/sda1", "vfs_uuid /dev/sda1"],
                    "5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59")]),
    Action("mkswap_file", 722, RErr, [Pathname("path")],
           "make a swap file",
           """Write a swap signature over the existing regular file PATH in
the guest (make it first, e.g. with fill or fallocate64).""",
           example="mkswap_file /swapfile",
           tests=[T(S, ["mkdir /mkswap_file",
                        "fill 0 1048576 /mkswap_file/s",
                        "mkswap_file /mkswap_file/s"]),
                  T(S, ["mkswap_file /mkswap_file-nosuch"],
                    Error("ENOENT"))]),
    Action("swapon_device", 723, RErr, [Device("device")],
           "enable swapping on a device",
           """Use the swap area on DEVICE as swap of the appliance (of use to
check it; the appliance rarely needs swap).""",
           example="swapon_device /dev/sda2",
           tests=[T("part", ["mkswap /dev/sda1", "swapon_device /dev/sda1",
                             "swapoff_device /dev/sda1"]),
                  T("part", ["swapon_device /dev/sda1"], Error("EINVAL"))]),
    Action("swapoff_device", 724, RErr, [Device("device")],
           "disable swapping on a device",
           "Stop using DEVICE as swap (see swapon_device).",
           example="swapoff_device /dev/sda2",
           tests=[T("part", ["mkswap /dev/sda1", "swapoff_device /dev/sda1"],
                    Error("EINVAL"))]),
    Action("swapon_file", 725, RErr, [Pathname("file")],
           "enable swapping on a file",
           """Use the swap file FILE in the guest (see mkswap_file) as swap
of the appliance.  Swap files must not have holes.""",
           example="swapon_file /swapfile",
           tests=[T(S, ["mkdir /swapon_file",
                        "fill 0 1048576 /swapon_file/s",
                        "mkswap_file /swapon_file/s",
                        "swapon_file /swapon_file/s",
                        "swapoff_file /swapon_file/s"])]),
    Action("swapoff_file", 726, RErr, [Pathname("file")],
           "disable swapping on a file",
           "Stop using the guest file FILE as swap (see swapon_file).",
           example="swapoff_file /swapfile",
           tests=[T(S, ["swapoff_file /swapoff_file-nosuch"],
                    Error("ENOENT"))]),
    Action("swapon_label", 727, RErr, [String("label")],
           "enable swapping on a labelled swap area",
           "Use the swap area labelled LABEL as swap (see swapon_device).",
           example="swapon_label swap",
           tests=[T("part", ["mkswap_L swl /dev/sda1", "swapon_label swl",
                             "swapoff_label swl"]),
                  T("part", ["swapon_label nosuch"], Error("ENOENT"))]),
    Action("swapoff_label", 728, RErr, [String("label")],
           "disable swapping on a labelled swap area",
           "Stop using the swap area labelled LABEL as swap.",
           example="swapoff_label swap",
           tests=[T("part", ["swapoff_label nosuch"], Error("ENOENT"))]),
    Action("swapon_uuid", 729, RErr, [String("uuid")],
           "enable swapping on a swap area by UUID",
           "Use the swap area of UUID as swap (see swapon_device).",
           example="swapon_uuid 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59",
           tests=[T("part", ["mkswap_U 0f0e0d0c-4b7e-4a3f-9d2e-1f0e8c7b6a59 "
                             "/dev/sda1",
                             "swapon_uuid 0f0e0d0c-4b7e-4a3f-9d2e-1f0e8c7b6a59",
                             "swapoff_uuid 0f0e0d0c-4b7e-4a3f-9d2e-1f0e8c7b6a59"
                             ])]),
    Action("swapoff_uuid", 730, RErr, [String("uuid")],
           "disable swapping on a swap area by UUID",
           "Stop using the swap area of UUID as swap.",
           example="swapoff_uuid 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59",
           tests=[T("part", ["swapoff_uuid 0f0e0d0c-4b7e-4a3f-9d2e-000000000000"],
                    Error("ENOENT"))]),
    # Finding filesystems, disk usage.
    Action("findfs_label", 731, DEVSTR, [String("label")],
           "the device of a filesystem by its label",
           """The device (partition, whole disk, logical volume or opened
encrypted volume) holding the filesystem or swap area labelled LABEL.
None is ENOENT; when several have it, the first in device order.""",
           example="findfs_label ROOT",
           tests=[T("fs", ["set_label /dev/sda1 FFL", "findfs_label FFL"],
                    "/dev/sda1"),
                  T("fs", ["findfs_label nosuch"], Error("ENOENT"))]),
    Action("findfs_uuid", 732, DEVSTR, [String("uuid")],
           "the device of a filesystem by its UUID",
           "As findfs_label, for the filesystem or swap area of UUID.",
           example="findfs_uuid 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59",
           tests=[T("fs", ["umount_all",
                           "set_uuid /dev/sda1 1c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59",
                           "findfs_uuid 1c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59"],
                    "/dev/sda1"),
                  T("fs", ["findfs_uuid 00000000-0000-0000-0000-000000000000"],
                    Error("ENOENT"))]),
    Action("df", 733, RString, [],
           "disk usage of the mounted filesystems",
           """The disk usage of each mounted guest filesystem, as df prints
it: a heading, then one line per filesystem (device, size, used and
available in 1K blocks, use%, guest mount point).  For people: programs
want statvfs.""",
           example="df",
           tests=[T("fs", ["df"], readonly=True)]),
    Action("df_h", 734, RString, [],
           "disk usage of the mounted filesystems, in units people read",
           "As df, with sizes in K, M, G, T (powers of 1024), as df -h.",
           example="df_h",
           tests=[T("fs", ["df_h"], readonly=True)]),
    # LVM administration (optional group lvm2).
    Action("lvresize", 740, RErr, [Device("device"), Int("mbytes")],
           "resize a logical volume",
           """Resize the logical volume DEVICE to MBYTES megabytes (MiB),
growing or shrinking it.  The filesystem inside is not resized: shrink
it first (resize2fs_size), grow it afterwards (resize2fs); shrinking
below it loses its end.""",
           example="lvresize /dev/VG/LV 1024",
           tests=[T("lvm", ["umount_all", "lvresize /dev/VG/LV 16",
                            "blockdev_getsize64 /dev/VG/LV"], 16777216),
                  T("lvm", ["lvresize /dev/VG/LV 0"], Error("EINVAL"))]),
    Action("lvresize_free", 741, RErr, [Device("lv"), Int("percent")],
           "grow a logical volume into the free space of its group",
           """Grow the logical volume LV by PERCENT (1 to 100) of the free
space of its volume group.""",
           example="lvresize_free /dev/VG/LV 100",
           tests=[T("lvm", ["umount_all", "lvresize /dev/VG/LV 16",
                            "lvresize_free /dev/VG/LV 100", "vg_free VG"],
                    0)]),
    Action("pvresize", 742, RErr, [Device("device")],
           "resize a physical volume to its device",
           """Make the physical volume DEVICE as big as its device, after the
device (a partition) grew or shrank.""",
           example="pvresize /dev/sda2",
           tests=[T("lvm", ["pvresize /dev/sda1"]),
                  T("part", ["pvresize /dev/sda1"], Error())]),
    Action("pvresize_size", 743, RErr, [Device("device"), Int64("size")],
           "resize a physical volume to a size",
           """Make the physical volume DEVICE SIZE bytes (rounded down to
KiB), not more than its device and not less than its extents in use.""",
           example="pvresize_size /dev/sda2 1073741824",
           tests=[T("part", ["pvcreate /dev/sda1",
                             "pvresize_size /dev/sda1 67108864",
                             "pv_size /dev/sda1"], 67108864)]),
    Action("pvremove", 744, RErr, [Device("device")],
           "remove an LVM physical volume",
           """Wipe the physical volume label of DEVICE.  Its volume group,
if any, is left without it: remove that first (vgremove).""",
           example="pvremove /dev/sda2",
           tests=[T("part", ["pvcreate /dev/sda1", "pvremove /dev/sda1",
                             "pvs"], [])]),
    Action("vgremove", 745, RErr, [String("vgname")],
           "remove a volume group and its logical volumes",
           """Remove the volume group VGNAME with every logical volume in it
(their content is lost).  The physical volumes stay.""",
           example="vgremove VG",
           tests=[T("lvm", ["umount_all", "vgremove VG", "vgs"], []),
                  T("lvm", ["vgremove nosuch"], Error())]),
    Action("lvrename", 746, RErr, [String("logvol"), String("newlogvol")],
           "rename a logical volume",
           """Rename the logical volume LOGVOL (/dev/VG/LV) to NEWLOGVOL
(/dev/VG/NEWLV, in the same volume group).""",
           example="lvrename /dev/VG/LV /dev/VG/root",
           tests=[T("lvm", ["umount_all", "lvrename /dev/VG/LV /dev/VG/LV2",
                            "lvs"], ["/dev/VG/LV2"]),
                  T("lvm", ["lvrename VG/LV /dev/VG/LV2"], Error("EINVAL"))]),
    Action("vgrename", 747, RErr, [String("volgroup"), String("newvolgroup")],
           "rename a volume group",
           """Rename the volume group VOLGROUP to NEWVOLGROUP; its active
logical volumes are then /dev/NEWVOLGROUP/LV.""",
           example="vgrename VG vg_new",
           tests=[T("lvm", ["umount_all", "vgrename VG VG2", "lvs"],
                    ["/dev/VG2/LV"])]),
    Action("vgscan", 748, RErr, [], "rescan for volume groups",
           """Look for volume groups on every device again (after devices
changed behind LVM's back).""",
           example="vgscan", deprecated_by="lvm_scan",
           tests=[T("lvm", ["vgscan", "vgs"], ["VG"])]),
    Action("lvm_scan", 749, RErr, [Bool("activate")],
           "rescan for physical volumes, and activate",
           """Look for physical volumes on every device again and, with
ACTIVATE, activate every volume group found (vg_activate_all true).""",
           example="lvm_scan true",
           tests=[T("lvm", ["lvm_scan true", "lvs"], ["/dev/VG/LV"])]),
    Action("vg_activate", 750, RErr,
           [Bool("activate"), StringList("volgroups")],
           "activate or deactivate some volume groups",
           """Activate (ACTIVATE true) or deactivate the logical volumes of
the volume groups VOLGROUPS; an empty list means every volume group, as
vg_activate_all.  A deactivated logical volume has no device until
activated again.""",
           example="vg_activate false VG",
           tests=[T("lvm", ["umount_all", "vg_activate false VG",
                            "blockdev_getsize64 /dev/VG/LV"], Error("ENOENT")),
                  T("lvm", ["umount_all", "vg_activate false VG",
                            "vg_activate true VG", "is_lv /dev/VG/LV"],
                    True)]),
    Action("lvm_remove_all", 751, RErr, [],
           "remove every LVM volume",
           """Remove every logical volume, volume group and physical volume
of the drives: all of their content is lost.""",
           example="lvm_remove_all",
           tests=[T("lvm", ["umount_all", "lvm_remove_all", "pvs"], [])]),
    Action("vglvuuids", 752, RStringList, [String("vgname")],
           "the UUIDs of the logical volumes of a volume group",
           """The UUIDs (as lvuuid gives them) of the logical volumes of
VGNAME.""",
           example="vglvuuids VG",
           tests=[T("lvm", ["vglvuuids VG"], 1, readonly=True)]),
    Action("vgpvuuids", 753, RStringList, [String("vgname")],
           "the UUIDs of the physical volumes of a volume group",
           """The UUIDs (as pvuuid gives them) of the physical volumes of
VGNAME.""",
           example="vgpvuuids VG",
           tests=[T("lvm", ["vgpvuuids VG"], 1, readonly=True),
                  T("lvm", ["vgpvuuids -x"], Error("EINVAL"))]),
    Action("vgmeta", 754, RBufferOut, [String("vgname")],
           "the LVM metadata of a volume group",
           """The metadata of the volume group VGNAME, as LVM writes it in
its text format (vgcfgbackup).""",
           example="vgmeta VG",
           tests=[T("lvm", ["vgmeta VG"], readonly=True),
                  T("lvm", ["vgmeta nosuch"], Error())]),
    Action("is_lv", 755, RBool, [Mountable("mountable")],
           "is a device a logical volume",
           "True if MOUNTABLE is an active LVM logical volume.",
           example="is_lv /dev/VG/LV",
           tests=[T("lvm", ["is_lv /dev/VG/LV"], True, readonly=True),
                  T("lvm", ["is_lv /dev/sda1"], False, readonly=True)]),
    Action("lvm_canonical_lv_name", 756, DEVSTR, [String("lvname")],
           "the canonical name of a logical volume",
           """The name /dev/VG/LV of the logical volume LVNAME, which may be
given as /dev/mapper/VG-LV too.  A device that is not a logical volume
is EINVAL.""",
           example="lvm_canonical_lv_name /dev/mapper/VG-LV",
           tests=[T("lvm", ["lvm_canonical_lv_name /dev/mapper/VG-LV"],
                    "/dev/VG/LV", readonly=True),
                  T("lvm", ["lvm_canonical_lv_name /dev/sda1"],
                    Error("EINVAL"))]),
    # LUKS key slots (optional group luks).
    Action("luks_add_key", 760, RErr,
           [Device("device"), Key("key"), Key("newkey"), Int("keyslot")],
           "add a passphrase to a LUKS volume",
           """Add the passphrase NEWKEY in the key slot KEYSLOT (0 to 7 for
LUKS1, 0 to 31 for LUKS2; it must be free) of the LUKS volume DEVICE,
which KEY, a passphrase it has already, opens.  A KEY that opens no key
slot is EACCES.  As luks_format's, the new key slot is derived with
PBKDF2 at a low iteration count.""",
           example="luks_add_key /dev/sda2 secret newsecret 1",
           tests=[T("part", ["luks_format /dev/sda1 k1 0",
                             "luks_add_key /dev/sda1 k1 k2 1",
                             "cryptsetup_open /dev/sda1 k2 lk",
                             "cryptsetup_close /dev/mapper/lk"]),
                  T("part", ["luks_format /dev/sda1 k1 0",
                             "luks_add_key /dev/sda1 bad k2 1"],
                    Error("EACCES"))]),
    Action("luks_kill_slot", 761, RErr,
           [Device("device"), Key("key"), Int("keyslot")],
           "remove a passphrase from a LUKS volume",
           """Wipe the key slot KEYSLOT of the LUKS volume DEVICE.  KEY must
open one of its key slots (EACCES otherwise).  The last key slot is not
removed (it would leave the volume unopenable).""",
           example="luks_kill_slot /dev/sda2 secret 1",
           tests=[T("part", ["luks_format /dev/sda1 k1 0",
                             "luks_add_key /dev/sda1 k1 k2 1",
                             "luks_kill_slot /dev/sda1 k2 0",
                             "cryptsetup_open /dev/sda1 k1 lk"],
                    Error("EACCES"))]),
    Action("luks_uuid", 762, RString, [Device("device")],
           "the UUID of a LUKS volume",
           "The UUID in the LUKS header of DEVICE.",
           example="luks_uuid /dev/sda2",
           tests=[T("part", ["luks_format /dev/sda1 k1 0",
                             "luks_uuid /dev/sda1"]),
                  T("part", ["luks_uuid /dev/sda1"], Error())]),
    # NTFS (ntfs-3g's tools).
    Action("ntfsresize", 770, RErr, [Device("device")],
           "resize an NTFS filesystem",
           """Resize the NTFS filesystem on DEVICE (not mounted) to SIZE bytes,
or to the size of DEVICE without SIZE (ntfsresize).  After a resize
Windows must check the filesystem (chkdsk) before ntfsresize works on
it again; FORCE resizes anyway.""",
           optargs=[OInt64("size"), OBool("force")],
           example="ntfsresize /dev/sda1 size:1073741824",
           tests=[T("part", ["mkfs ntfs /dev/sda1",
                             "ntfsresize /dev/sda1 size:67108864",
                             "ntfsresize /dev/sda1 force:true"]),
                  T("part", ["ntfsresize /dev/sda1"], Error())]),
    Action("ntfsfix", 771, RErr, [Device("device")],
           "fix common NTFS problems",
           """Fix common problems of the NTFS filesystem on DEVICE and mark it
for Windows to check at its next boot (ntfsfix).  With CLEARBADSECTORS
the list of bad sectors is cleared too (after cloning a failing disk
onto a good one).""",
           optargs=[OBool("clearbadsectors")],
           example="ntfsfix /dev/sda1",
           tests=[T("part", ["mkfs ntfs /dev/sda1", "ntfsfix /dev/sda1"]),
                  T("part", ["ntfsfix /dev/sda1"], Error())]),
    Action("ntfs_3g_probe", 772, RInt, [Bool("rw"), Device("device")],
           "can an NTFS filesystem be mounted",
           """Whether the NTFS filesystem on DEVICE can be mounted read-write
(RW true) or read-only, as ntfs-3g.probe says: 0 it can, otherwise
ntfs-3g's status (12 not NTFS, 14 hibernated Windows, 15 unclean
shutdown ...).  A status that is not 0 is not an error of this
call.""",
           example="ntfs_3g_probe true /dev/sda1",
           tests=[T("part", ["mkfs ntfs /dev/sda1",
                             "ntfs_3g_probe true /dev/sda1"], 0),
                  T("part", ["ntfs_3g_probe false /dev/sda1"], 12)]),
    # Linux software RAID (optional group mdadm).
    Action("md_create", 780, RErr, [String("name"), StringList("devices")],
           "make a Linux software RAID device",
           """Make the RAID device /dev/md/NAME over DEVICES with mdadm
--create.  LEVEL is mdadm's level (raid1 when not given; linear, raid0,
raid4, raid5, raid6, raid10 need their kernel modules).  NRDEVICES is
the number of active devices (the number of DEVICES, plus the bits of
MISSINGBITMAP, when not given); SPARE the number of spares; CHUNK the
chunk size in bytes (raid0, 4, 5, 6, 10).  Bit i of MISSINGBITMAP set
leaves slot i empty ("missing"), for a degraded array.  NAME is made of
letters, digits, "_" and "-".""",
           optargs=[OInt64("missingbitmap"), OInt("nrdevices"),
                    OInt("spare"), OInt64("chunk"), OString("level")],
           example="md_create r1 '/dev/sda1 /dev/sdb1' level:raid1",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 100000",
                              "part_add /dev/sda p 100001 200000",
                              "md_create r1 '/dev/sda1 /dev/sda2'",
                              "list_md_devices"], 1),
                  T("empty", ["md_create 'r 1' /dev/sda"],
                    Error("EINVAL"))]),
    Action("list_md_devices", 781, DEVLIST, [],
           "the Linux software RAID devices",
           "The active RAID devices, /dev/mdN, sorted.",
           example="list_md_devices",
           tests=[T("empty", ["list_md_devices"], [], readonly=True)]),
    Action("md_detail", 782, RHashtable, [Device("md")],
           "what mdadm says of a RAID device",
           """The details of the RAID device MD, as mdadm -D --export gives
them, its keys without their "MD_" and in lower case: "level",
"devices", "metadata", "uuid", "name" ...""",
           example="md_detail /dev/md127",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 100000",
                              "part_add /dev/sda p 100001 200000",
                              "md_create r1 '/dev/sda1 /dev/sda2' "
                              "level:raid1",
                              "md_detail /dev/md/r1"],
                    Fields({"level": "raid1", "devices": "2"})),
                  T("empty", ["md_detail /dev/sda"], Error())]),
    Action("md_stop", 783, RErr, [Device("md")],
           "stop a RAID device",
           "Stop the RAID device MD: its members are free again.",
           example="md_stop /dev/md127",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 100000",
                              "part_add /dev/sda p 100001 200000",
                              "md_create r1 '/dev/sda1 /dev/sda2'",
                              "md_stop /dev/md/r1", "list_md_devices"], [])]),
    Action("md_stat", 784, RStructList("mdstat"), [Device("md")],
           "the members of a RAID device",
           """The members of the RAID device MD as /proc/mdstat lists them:
each one's device, slot number and flags.""",
           example="md_stat /dev/md127",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 100000",
                              "part_add /dev/sda p 100001 200000",
                              "md_create r1 '/dev/sda1 /dev/sda2'",
                              "md_stat /dev/md/r1"], 2),
                  T("empty", ["md_stat /dev/sda"], Error("EINVAL"))]),
]

# The optional groups of actions.py that cover some of these actions,
# and groups of their own.
group_actions = {
    "lvm2": ["lvresize", "lvresize_free", "pvresize", "pvresize_size",
             "pvremove", "vgremove", "lvrename", "vgrename", "vgscan",
             "lvm_scan", "vg_activate", "lvm_remove_all", "vglvuuids",
             "vgpvuuids", "vgmeta", "is_lv", "lvm_canonical_lv_name"],
    "luks": ["luks_add_key", "luks_kill_slot", "luks_uuid"],
    "ntfs3g": ["ntfs_3g_probe", "ntfsresize", "ntfsfix"],
}

groups = [
    Group("zerofree", "the zerofree program.", ["zerofree"]),
    Group("mdadm", "mdadm and the md kernel modules (md_mod, raid1).",
          ["md_create", "list_md_devices", "md_detail", "md_stop",
           "md_stat"]),
]
