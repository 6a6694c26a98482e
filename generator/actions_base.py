# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, the first daemon actions: devices, partitions,
# filesystems, mounting, files and directories, uploads and
# downloads, tar, guest commands, LVM, swap, zeroing and trimming,
# LUKS.  proc 1..99: internal; proc 100..: public.  Internal is the
# name (internal_*), not the number: internal_rescue came later, as
# 502.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

base_actions = [
    Action("internal_shutdown", 1, RErr, [],
           "unmount, sync and power off (internal)",
           "Used by drydock_shutdown.", shell_only=False),
    Action("internal_attach_drives", 2, RErr,
           [Int("n"), Int64("now_ns"), Bool("verbose"), String("entropy")],
           "find the drives hot-added after a snapshot restore (internal)",
           """Used by launch after restoring a saved appliance: sets the
clock to NOW_NS (host nanoseconds since the epoch), the daemon's debug
output to VERBOSE, mixes ENTROPY (hex) into the kernel's random pool and
reseeds it (every restore starts from the same pool otherwise), then scans
the virtio-scsi targets 0 to N-1 one by one, so the kernel names them sda,
sdb ... in drive order, and maps drive I to the disk whose SCSI serial is
dI.""", shell_only=False),
    Action("internal_rescue", 502, RInt,
           [Bool("tty"), Int("rows"), Int("cols"), String("term")],
           "the shell of rescue (internal)",
           """Used by rescue: starts the shell, then relays its input
and output as chunks in both directions until it exits (the daemon's
end marker, answered by the host's), then replies with its exit
status.""", shell_only=False),
    Action("list_devices", 100, DEVLIST, [],
           "list the block devices",
           "The whole-disk devices, /dev/sda, /dev/sdb ..., in the order the "
           "drives were added."),
    Action("list_partitions", 101, DEVLIST, [],
           "list the partitions",
           "Every partition of every drive, sorted."),
    Action("list_filesystems", 102, DEVHASH, [],
           "list filesystems and their types",
           """Pairs of device and filesystem type for every whole disk,
partition, logical volume and opened encrypted volume (/dev/mapper/NAME,
see cryptsetup_open), as libblkid identifies them.  Devices
holding no filesystem are reported as "unknown"; partition tables, LVM
physical volumes and extended partitions are left out.  Each subvolume
of a btrfs filesystem on DEVICE is listed after it, as
btrfsvol:DEVICE/SUBVOLUME with type btrfs.""",
           tests=[Test("lvm", ["list_filesystems"],
                       ["/dev/VG/LV", "ext4"], readonly=True)]),
    Action("vfs_type", 103, RString, [Mountable("mountable")],
           "the filesystem type on a device",
           "The filesystem type libblkid finds, e.g. ext4, or an empty string."),
    Action("vfs_label", 104, RString, [Mountable("mountable")],
           "the filesystem label", "The label, or an empty string."),
    Action("vfs_uuid", 105, RString, [Mountable("mountable")],
           "the filesystem UUID", "The UUID, or an empty string.",
           aliases=["get_uuid"]),
    Action("mount", 106, RErr, [Mountable("mountable"), String("mountpoint")],
           "mount a filesystem",
           """Mount MOUNTABLE at MOUNTPOINT, a path inside the guest tree
(/ first).  The filesystem type is found by libblkid.  MOUNTABLE is a
device, or a btrfs subvolume written btrfsvol:DEVICE/SUBVOLUME (as
list_filesystems lists them), which is mounted with the subvol
option."""),
    Action("mount_ro", 107, RErr, [Mountable("mountable"), String("mountpoint")],
           "mount a filesystem read-only", "As mount, read-only."),
    Action("mount_options", 108, RErr,
           [String("options"), Mountable("mountable"), String("mountpoint")],
           "mount with options", "As mount, with mount(8)-style OPTIONS."),
    Action("mount_vfs", 109, RErr,
           [String("options"), String("vfstype"), Mountable("mountable"),
            String("mountpoint")],
           "mount with options and type", "As mount_options, with a type."),
    Action("umount", 110, RErr, [DevOrPath("pathordevice")],
           "unmount a filesystem",
           "Unmount the filesystem mounted at the path or from the device.",
           optargs=[OBool("force"), OBool("lazyunmount")], aliases=["unmount"]),
    Action("umount_all", 111, RErr, [], "unmount everything",
           "Unmount every guest filesystem, deepest first.",
           aliases=["unmount_all"]),
    Action("mounts", 112, DEVLIST, [], "the mounted devices",
           "The devices mounted, in mount order."),
    Action("mountpoints", 113, DEVHASH, [], "devices and their mountpoints",
           "Pairs of device and mountpoint."),
    # ls and ll were daemon procedures 114 and 115: now library-side,
    # over the streaming ls0 and ll0 (numbers never reused).
    Action("ls", 0, RStringList, [Pathname("directory")],
           "list a directory",
           """The names in DIRECTORY, sorted, without . and ..  The names
stream from the appliance (ls0), so a directory of any size is listed.""",
           side="library"),
    Action("ll", 0, RString, [Pathname("directory")],
           "long directory listing",
           """A long listing of DIRECTORY, as ls -la.  The listing streams
from the appliance (ll0), so a directory of any size is listed.""",
           side="library"),
    Action("statns", 116, RStruct("statns"), [Pathname("path")],
           "file metadata", "stat(2) of PATH, following symlinks."),
    Action("lstatns", 117, RStruct("statns"), [Pathname("path")],
           "file metadata, not following symlinks", "lstat(2) of PATH."),
    Action("exists", 118, RBool, [Pathname("path")],
           "does a path exist", "True if PATH exists (following symlinks)."),
    Action("is_file", 119, RBool, [Pathname("path")],
           "is a regular file", "True if PATH is a regular file.",
           optargs=[OBool("followsymlinks")]),
    Action("is_dir", 120, RBool, [Pathname("path")],
           "is a directory", "True if PATH is a directory.",
           optargs=[OBool("followsymlinks")]),
    Action("is_symlink", 121, RBool, [Pathname("path")],
           "is a symbolic link", "True if PATH is a symbolic link."),
    Action("cat", 122, RString, [Pathname("path")],
           "the content of a text file",
           "The whole file; refused if it has a NUL byte (use read_file) or "
           "does not fit in a message (use download).", protocol_limit=True),
    Action("read_file", 123, RBufferOut, [Pathname("path")],
           "the content of a file", "The whole file, any bytes.",
           protocol_limit=True),
    Action("read_lines", 124, RStringList, [Pathname("path")],
           "the lines of a text file",
           "The file split at newlines (\\r\\n accepted), without them.",
           protocol_limit=True),
    Action("write", 125, RErr, [Pathname("path"), BufferIn("content")],
           "create or replace a file",
           "Write CONTENT to PATH, replacing it.  The file is written "
           "under a temporary name and renamed into place."),
    Action("write_append", 126, RErr, [Pathname("path"), BufferIn("content")],
           "append to a file", "Append CONTENT to PATH, creating it."),
    Action("mkdir", 127, RErr, [Pathname("path")], "create a directory",
           "Create the directory PATH; its parent must exist."),
    Action("mkdir_p", 128, RErr, [Pathname("path")],
           "create a directory and its parents",
           "Create PATH and any missing parents; no error if it exists."),
    Action("mkdir_mode", 129, RErr, [Pathname("path"), Int("mode")],
           "create a directory with a mode", "As mkdir, with MODE (umask applies)."),
    Action("rm", 130, RErr, [Pathname("path")], "remove a file",
           "Remove the file PATH (not a directory)."),
    Action("rm_f", 131, RErr, [Pathname("path")], "remove a file, if there",
           "As rm, but no error when PATH does not exist."),
    Action("rm_rf", 132, RErr, [Pathname("path")], "remove a tree",
           "Remove PATH and everything under it, never following symlinks; "
           "no error when it does not exist."),
    Action("rmdir", 133, RErr, [Pathname("path")], "remove an empty directory",
           "Remove the empty directory PATH."),
    Action("chmod", 134, RErr, [Int("mode"), Pathname("path")],
           "change a file's mode",
           "Set the mode of PATH (following symlinks).  MODE is octal in the "
           "shell when it starts with 0."),
    Action("chown", 135, RErr, [Int("owner"), Int("group"), Pathname("path")],
           "change a file's owner", "Set numeric owner and group (follows symlinks)."),
    Action("lchown", 136, RErr, [Int("owner"), Int("group"), Pathname("path")],
           "change a symlink's owner", "As chown, not following symlinks."),
    Action("ln_s", 137, RErr, [String("target"), Pathname("linkname")],
           "create a symbolic link", "Create LINKNAME pointing to TARGET."),
    Action("ln_sf", 138, RErr, [String("target"), Pathname("linkname")],
           "create or replace a symbolic link",
           "As ln_s, replacing LINKNAME if it exists."),
    Action("readlink", 139, RString, [Pathname("path")],
           "read a symbolic link", "The target of the symbolic link PATH."),
    Action("cp", 140, RErr, [Pathname("src"), Pathname("dest")],
           "copy a file", "Copy the file SRC to DEST (a file or directory)."),
    Action("cp_a", 141, RErr, [Pathname("src"), Pathname("dest")],
           "copy a tree keeping attributes",
           "Copy SRC (a file or directory tree) to DEST, as cp -a."),
    Action("mv", 142, RErr, [Pathname("src"), Pathname("dest")],
           "move a file", "Move or rename SRC to DEST (a file or directory)."),
    Action("upload", 143, RErr, [FileIn("filename"), Pathname("remotefilename")],
           "copy a local file into the guest",
           "Stream the local FILENAME (- for standard input) to "
           "REMOTEFILENAME, any size.", progress=True),
    Action("download", 144, RErr, [Pathname("remotefilename"), FileOut("filename")],
           "copy a guest file out",
           "Stream REMOTEFILENAME to the local FILENAME (- for standard "
           "output), any size.  A regular local file is written under a "
           "temporary name and renamed only when the whole file arrived; "
           "the guest file's holes stay holes in it.",
           progress=True, direct=True),
    Action("tar_in", 145, RErr, [FileIn("tarfile"), Pathname("directory")],
           "unpack a local tarball into the guest",
           "Unpack the local TARFILE into DIRECTORY.  COMPRESS is one of "
           "none, gzip, xz, zstd, bzip2.  XATTRS restores the extended "
           "attributes the archive holds (every namespace), SELINUX the "
           "SELinux labels and ACLS the POSIX ACLs.",
           optargs=[OString("compress"), OBool("xattrs"), OBool("selinux"),
                    OBool("acls")],
           tests=[Test("scratch", ["mkdir_p /tar_in/a", "write /tar_in/a/f y",
                                  "tar_out /tar_in/a @TMP@/tar_in.tgz compress:gzip",
                                  "mkdir /tar_in/b",
                                  "tar_in @TMP@/tar_in.tgz /tar_in/b compress:gzip",
                                  "cat /tar_in/b/f"], "y"),
                  Test("scratch", ["mkdir /tar_in2",
                                   "tar_in @TMP@/nosuch.tar /tar_in2"], Error())]),
    Action("tar_out", 146, RErr, [Pathname("directory"), FileOut("tarfile")],
           "pack a guest directory into a local tarball",
           "Pack DIRECTORY into the local TARFILE.  Sparse files are "
           "stored as their data and a map of their holes (GNU tar "
           "--sparse), so they unpack sparse.  XATTRS stores the "
           "extended attributes of the files, SELINUX their SELinux labels "
           "and ACLS their POSIX ACLs (as GNU tar's --xattrs, --selinux "
           "and --acls).",
           optargs=[OString("compress"), OBool("numericowner"),
                    OStringList("excludes"), OBool("xattrs"),
                    OBool("selinux"), OBool("acls")],
           tests=[Test("scratch", ["mkdir_p /tar_out/a", "write /tar_out/a/f x",
                                   "tar_out /tar_out/a @TMP@/tar_out.tar "
                                   "xattrs:true selinux:true acls:true",
                                   "mkdir /tar_out/b",
                                   "tar_in @TMP@/tar_out.tar /tar_out/b "
                                   "xattrs:true acls:true",
                                   "cat /tar_out/b/f"], "x")]),
    Action("sync", 147, RErr, [], "flush writes",
           "Flush every filesystem and drive to the overlays."),
    Action("fstrim", 148, RErr, [Pathname("mountpoint")],
           "discard unused blocks of a filesystem",
           "FITRIM on the filesystem mounted at MOUNTPOINT; the overlays pass "
           "the discards down so freed clusters are released.",
           optargs=[OInt64("offset"), OInt64("length"),
                    OInt64("minimumfreeextent")]),
    Action("command", 149, RString, [StringList("arguments")],
           "run a command in the guest",
           """Run ARGUMENTS (a program and its arguments, no shell) chrooted
into the guest tree, with /dev, /proc and /sys bound in, and return its
standard output.  A non-zero exit is an error carrying standard error.""",
           writes=True),
    Action("command_lines", 150, RStringList, [StringList("arguments")],
           "run a command in the guest, lines", "As command, split into lines.",
           writes=True),
    Action("sh", 151, RString, [String("command")],
           "run a shell command in the guest",
           "Run COMMAND with the guest's /bin/sh -c, as command.", writes=True),
    Action("sh_lines", 152, RStringList, [String("command")],
           "run a shell command in the guest, lines", "As sh, split into lines.",
           writes=True),
    Action("part_disk", 153, RErr, [Device("device"), String("parttype")],
           "partition a disk with one partition",
           "Create a new partition table (mbr/msdos or gpt) on DEVICE with a "
           "single partition covering the disk."),
    Action("part_init", 154, RErr, [Device("device"), String("parttype")],
           "create an empty partition table", "mbr/msdos or gpt."),
    Action("part_add", 155, RErr,
           [Device("device"), String("prlogex"), Int64("startsect"),
            Int64("endsect")],
           "add a partition",
           "Add a partition from sector STARTSECT to ENDSECT inclusive; "
           "PRLOGEX is primary, logical or extended (p, l, e)."),
    Action("part_list", 156, RStructList("partition"), [Device("device")],
           "list the partitions of a disk",
           "Number, start, end and size in bytes of each partition."),
    Action("part_get_parttype", 157, RString, [Device("device")],
           "the partition table type", "msdos or gpt."),
    Action("mkfs", 158, RErr, [String("fstype"), Device("device")],
           "make a filesystem",
           "Make a filesystem of FSTYPE (ext2/3/4, xfs, vfat, btrfs, ntfs, "
           "f2fs, minix, swap).",
           optargs=[OInt("blocksize"), OString("features"), OInt("inode"),
                    OInt("sectorsize"), OString("label")]),
    Action("lvs", 159, DEVLIST, [], "list the logical volumes",
           "Paths /dev/VG/LV of every logical volume."),
    Action("vgs", 160, RStringList, [], "list the volume groups",
           "Names of the volume groups."),
    Action("pvs", 161, DEVLIST, [], "list the physical volumes",
           "Devices holding LVM physical volumes."),
    Action("vg_activate_all", 162, RErr, [Bool("activate")],
           "activate or deactivate every volume group",
           "Make every logical volume available (or not) as a device."),
    Action("pvcreate", 163, RErr, [Device("device")],
           "make an LVM physical volume", "pvcreate on DEVICE."),
    Action("vgcreate", 164, RErr, [String("volgroup"), StringList("physvols")],
           "make a volume group", "Create VOLGROUP over the physical volumes."),
    Action("lvcreate", 165, RErr,
           [String("logvol"), String("volgroup"), Int("mbytes")],
           "make a logical volume", "Create LOGVOL of MBYTES megabytes."),
    Action("lvcreate_free", 166, RErr,
           [String("logvol"), String("volgroup"), Int("percent")],
           "make a logical volume over free space",
           "Create LOGVOL using PERCENT % of the free space of VOLGROUP."),
    Action("blockdev_getsize64", 167, RInt64, [Device("device")],
           "the size of a device", "The size of DEVICE in bytes."),
    Action("touch", 168, RErr, [Pathname("path")], "create or update a file",
           "Create PATH empty or update its times."),
    Action("filesize", 169, RInt64, [Pathname("path")], "the size of a file",
           "The size of PATH in bytes."),
    # find was daemon procedure 170: now library-side, over find0.
    Action("find", 0, RStringList, [Pathname("directory")],
           "list a tree",
           "Every name under DIRECTORY, relative to it, sorted; symlinks are "
           "not followed.  The names stream from the appliance (find0), so "
           "a tree of any size is listed.", side="library"),
    Action("is_blockdev", 171, RBool, [Pathname("path")],
           "is a block device", "True if PATH is a block device.",
           optargs=[OBool("followsymlinks")]),
    Action("mkswap", 172, RErr, [Device("device")],
           "make a swap area", "Make swap on DEVICE.",
           optargs=[OString("label"), OString("uuid")]),
    Action("zero_free_space", 173, RErr, [Pathname("directory")],
           "zero the free space of a filesystem",
           """Fill the free space of the filesystem holding DIRECTORY (a
mounted guest directory) with a file of zeros, then delete it.  Written
zeros become discards on the drive, so this releases the free space of a
filesystem that cannot trim (see fstrim_free).""",
           progress=True, example="zero_free_space /"),
    Action("zero_device", 174, RErr, [Device("device")],
           "zero a device, writing only where it is not zero",
           """Write zeros over DEVICE, skipping the blocks that already read
as zeros, so an image shrinks rather than grows.  Every byte of DEVICE
is lost.""",
           progress=True, example="zero_device /dev/sda2",
           tests=[Test("fs", ["write /z hello", "zero_device /dev/sda1",
                                "vfs_type /dev/sda1"], "")]),
    Action("blkdiscard", 175, RErr, [Device("device")],
           "discard the blocks of a device",
           """Discard (BLKDISCARD) the whole of DEVICE, or LENGTH bytes from
OFFSET (both multiples of 512; up to the end when LENGTH is not given).
The content of the range is lost; on drydock's drives it then reads as
zeros.""",
           optargs=[OInt64("offset"), OInt64("length")],
           example="blkdiscard /dev/sda2 offset:1048576"),
    Action("swap_discard", 176, RErr, [Device("device")],
           "discard a swap area, keeping its header",
           """Discard every block of the swap area DEVICE except its header
page (the first page, which holds the UUID and label), so the swap area
stays usable and keeps its identity.  The header is never rewritten, so
no crash can lose it.  Refused if DEVICE does not hold a Linux swap
signature.""",
           example="swap_discard /dev/sda5"),
    Action("lvremove", 177, RErr, [Arg("device", "String", "Device")],
           "remove a logical volume",
           "Remove the logical volume DEVICE (/dev/VG/LV), deactivating it "
           "first, or with DEVICE /dev/VG every logical volume of the "
           "volume group VG.  Their content is lost.",
           tests=[Test("lvm", ["umount_all", "lvcreate LV2 VG 8",
                                 "lvremove /dev/VG", "lvs"], []),
                  Test("lvm", ["lvcreate LV2 VG 8", "lvremove /dev/VG/LV2",
                               "lvs"], ["/dev/VG/LV"]),
                  Test("lvm", ["lvremove /dev/NOVG"], Error())]),
    Action("vg_free", 178, RInt64, [String("volgroup")],
           "free space of a volume group",
           "The bytes of VOLGROUP that no logical volume uses (its free "
           "extents)."),
    Action("fstrim_free", 179, RInt64, [Pathname("mountpoint")],
           "discard every unused block of a filesystem, reporting how much",
           """As fstrim over the whole filesystem mounted at MOUNTPOINT,
repeated (with a sync before each pass) until a pass trims nothing or
as much as the one before, at most four passes, so blocks a journal
commit frees late are trimmed too.  Returns the largest number of bytes
a pass reported (XFS and btrfs report every free block, ext4 only the
blocks not trimmed since the mount).""",
           example="fstrim_free /"),
    Action("statvfs", 180, RStruct("statvfs"), [Pathname("path")],
           "filesystem statistics",
           "statvfs(3) of the filesystem holding PATH: sizes, free and "
           "available blocks and inodes."),
    Action("luks_format", 210, RErr,
           [Device("device"), Key("key"), Int("keyslot")],
           "make a LUKS encrypted volume",
           """Format DEVICE as a LUKS volume whose key slot KEYSLOT (0 to 7
for LUKS1, 0 to 31 for LUKS2) opens with the passphrase KEY.  Every byte
of DEVICE is lost.  TYPE is "luks2" (the default) or "luks1".  The key
is derived with PBKDF2 at a fixed, low iteration count so that formatting
and opening stay fast in the appliance: this is for building test images,
not for protecting data.  The passphrase reaches cryptsetup on its
standard input, never on a command line, and traces show it as ***.""",
           optargs=[OString("type")],
           example="luks_format /dev/sda2 secret 0"),
    Action("cryptsetup_open", 211, RErr,
           [Device("device"), Key("key"), String("mapname")],
           "open a LUKS encrypted volume",
           """Open the LUKS volume DEVICE with the passphrase KEY as the
device /dev/mapper/MAPNAME, which then works like any other device
(mkfs, mount, list_filesystems, LVM inside it).  MAPNAME is made of
letters, digits and "-_+.".  READONLY maps it read-only; ALLOW_DISCARDS
passes discards (fstrim) through to DEVICE, which reveals which blocks
are free to whoever can read the image.  A passphrase that opens no key
slot is an error with errno EACCES.  The passphrase reaches cryptsetup on
its standard input, never on a command line, and traces show it as
***.  CRYPTTYPE is "luks" or "bitlk" (BitLocker); when it is not
given cryptsetup finds the type.""",
           optargs=[OBool("readonly"), OBool("allow_discards"),
                    OString("crypttype")],
           example="cryptsetup_open /dev/sda2 secret luks-sda2 allow_discards:true",
           tests=[Test("part", ["cryptsetup_open /dev/sda1 key x crypttype:foo"],
                       Error("EINVAL")),
                  Test("part", ["luks_format /dev/sda1 key 0",
                                "cryptsetup_open /dev/sda1 key lk crypttype:luks",
                                "vfs_type /dev/mapper/lk"], ""),
                  Test("part", ["cryptsetup_open /dev/sda1 key bl "
                                "crypttype:bitlk"], Error())]),
    Action("cryptsetup_close", 212, RErr, [Device("device")],
           "close an opened encrypted volume",
           """Close /dev/mapper/NAME, opened by cryptsetup_open.  Nothing on
it may be mounted or active (unmount its filesystems, deactivate its
volume groups first).""",
           example="cryptsetup_close /dev/mapper/luks-sda2"),
    Action("debug_append_log", 99, RErr, [String("message")],
           "write a line to the appliance console (testing)",
           "Write MESSAGE to the appliance console log."),
]
