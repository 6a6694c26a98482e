# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, block devices: writing partition tables (the
# part_set_* setters, deleting, resizing), the LVM device filter and the
# full pvs/vgs/lvs listings, LUKS with a cipher, XFS administration,
# NTFS cloning, squashfs, f2fs, scrub and the syslinux bootloaders.
# actions.py adds `actions` to the daemon's and the names of
# `group_actions` to its optional groups.

from defs import *  # noqa: F401,F403

T = Test

GPT2 = ["part_init /dev/sda gpt", "part_add /dev/sda p 2048 100000",
        "part_add /dev/sda p 100001 200000"]
MBR2 = ["part_init /dev/sda mbr", "part_add /dev/sda p 2048 100000",
        "part_add /dev/sda p 100001 200000"]
ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
GUID = "01234567-89AB-CDEF-0123-456789ABCDEF"

structs = [
    Struct("lvm_pv", [
        ("pv_name", "string"), ("pv_uuid", "string"), ("pv_fmt", "string"),
        ("pv_size", "uint64"), ("dev_size", "uint64"), ("pv_free", "uint64"),
        ("pv_used", "uint64"), ("pv_attr", "string"),
        ("pv_pe_count", "int64"), ("pv_pe_alloc_count", "int64"),
        ("pv_tags", "string"), ("pe_start", "uint64"),
        ("pv_mda_count", "int64"), ("pv_mda_free", "uint64"),
    ], "A physical volume as pvs reports it (sizes in bytes, the UUID as "
       "32 characters without dashes)."),
    Struct("lvm_vg", [
        ("vg_name", "string"), ("vg_uuid", "string"), ("vg_fmt", "string"),
        ("vg_attr", "string"), ("vg_size", "uint64"), ("vg_free", "uint64"),
        ("vg_sysid", "string"), ("vg_extent_size", "uint64"),
        ("vg_extent_count", "int64"), ("vg_free_count", "int64"),
        ("max_lv", "int64"), ("max_pv", "int64"), ("pv_count", "int64"),
        ("lv_count", "int64"), ("snap_count", "int64"),
        ("vg_seqno", "int64"), ("vg_tags", "string"),
        ("vg_mda_count", "int64"), ("vg_mda_free", "uint64"),
    ], "A volume group as vgs reports it (sizes in bytes, the UUID as 32 "
       "characters without dashes)."),
    Struct("lvm_lv", [
        ("lv_name", "string"), ("lv_uuid", "string"), ("lv_attr", "string"),
        ("lv_major", "int64"), ("lv_minor", "int64"),
        ("lv_kernel_major", "int64"), ("lv_kernel_minor", "int64"),
        ("lv_size", "uint64"), ("seg_count", "int64"),
        ("origin", "string"), ("snap_percent", "optpercent"),
        ("copy_percent", "optpercent"), ("move_pv", "string"),
        ("lv_tags", "string"), ("mirror_log", "string"),
        ("modules", "string"),
    ], "A logical volume as lvs reports it (its name without the volume "
       "group's, the size in bytes, the UUID as 32 characters without "
       "dashes; the percentages -1 when they do not apply)."),
    Struct("xfsinfo", [
        ("xfs_mntpoint", "string"), ("xfs_inodesize", "uint32"),
        ("xfs_agcount", "uint32"), ("xfs_agsize", "uint32"),
        ("xfs_sectsize", "uint32"), ("xfs_attr", "uint32"),
        ("xfs_blocksize", "uint32"), ("xfs_datablocks", "uint64"),
        ("xfs_imaxpct", "uint32"), ("xfs_sunit", "uint32"),
        ("xfs_swidth", "uint32"), ("xfs_dirversion", "uint32"),
        ("xfs_dirblocksize", "uint32"), ("xfs_cimode", "uint32"),
        ("xfs_logname", "string"), ("xfs_logblocksize", "uint32"),
        ("xfs_logblocks", "uint32"), ("xfs_logversion", "uint32"),
        ("xfs_logsectsize", "uint32"), ("xfs_logsunit", "uint32"),
        ("xfs_lazycount", "uint32"), ("xfs_rtname", "string"),
        ("xfs_rtextsize", "uint32"), ("xfs_rtblocks", "uint64"),
        ("xfs_rtextents", "uint64"),
    ], "The geometry of an XFS filesystem as xfs_info reports it: its "
       "data, naming, log and realtime sections (a field xfs_info does not "
       "report is -1, or \"\" for a string)."),
]

part_actions = [
    Action("part_del", 850, RErr, [Device("device"), Int("partnum")],
           "delete a partition",
           """Delete the partition numbered PARTNUM on DEVICE.  On an MBR
disk, deleting the extended partition deletes the logical partitions
inside it too.  A partition that is not there is EINVAL.""",
           example="part_del /dev/sda 2",
           tests=[T("empty", MBR2 + ["part_del /dev/sda 1", "part_list /dev/sda"],
                    1),
                  T("empty", MBR2 + ["part_del /dev/sda 1",
                                     "part_get_mbr_id /dev/sda 1"],
                    Error("EINVAL")),
                  T("part", ["part_del /dev/sda 3"], Error("EINVAL"))]),
    Action("part_resize", 851, RErr,
           [Device("device"), Int("partnum"), Int64("endsect")],
           "move the end of a partition",
           """Resize the partition numbered PARTNUM on DEVICE by moving its
end to the sector ENDSECT (its start stays; sectors are 512 bytes; a
negative ENDSECT counts back from the end of the disk, -1 being the last
sector).  The filesystem inside is not changed: grow it afterwards, or
shrink it before.""",
           example="part_resize /dev/sda 1 400000",
           tests=[T("empty", MBR2 + ["part_del /dev/sda 2",
                                     "part_resize /dev/sda 1 150000",
                                     "blockdev_getsz /dev/sda1"], 147953),
                  T("empty", MBR2 + ["part_resize /dev/sda 1 1000"],
                    Error("EINVAL")),
                  T("part", ["part_resize /dev/sda 7 1000000"],
                    Error("EINVAL"))]),
    Action("part_expand_gpt", 852, RErr, [Device("device")],
           "move the backup GPT to the end of the disk",
           """Move the backup GPT header and partition array to the end of
DEVICE, as sgdisk -e does: after a disk image has grown, the space behind
the old backup becomes usable.  DEVICE must hold a GPT.""",
           example="part_expand_gpt /dev/sda",
           tests=[T("empty", ["part_init /dev/sda gpt",
                              "part_expand_gpt /dev/sda",
                              "part_add /dev/sda p 2048 -34",
                              "part_get_parttype /dev/sda"], "gpt"),
                  # The backup header (the disk's last sector) spoiled:
                  # written again from the primary one.
                  T("empty", ["part_init /dev/sda gpt",
                              "pwrite_device /dev/sda XXXXXXXX 134217216",
                              "part_expand_gpt /dev/sda",
                              "pread_device /dev/sda 8 134217216"],
                    "EFI PART"),
                  T("part", ["part_expand_gpt /dev/sda"], Error("EINVAL"))]),
    Action("part_set_bootable", 853, RErr,
           [Device("device"), Int("partnum"), Bool("bootable")],
           "set or clear the bootable flag of a partition",
           """Set (BOOTABLE true) or clear the bootable flag of the partition
numbered PARTNUM on DEVICE.  On an MBR disk this is the active flag; on
a GPT disk, as part_get_bootable reads it, the partition's type: true
makes it an EFI system partition, false turns an EFI system partition
into a Linux filesystem one (another type is left alone).""",
           example="part_set_bootable /dev/sda 1 true",
           tests=[T("empty", MBR2 + ["part_set_bootable /dev/sda 2 true",
                                     "part_get_bootable /dev/sda 2"], True),
                  T("empty", MBR2 + ["part_set_bootable /dev/sda 2 true",
                                     "part_set_bootable /dev/sda 2 false",
                                     "part_get_bootable /dev/sda 2"], False),
                  T("empty", GPT2 + ["part_set_bootable /dev/sda 1 true",
                                     "part_get_gpt_type /dev/sda 1"], ESP),
                  T("part", ["part_set_bootable /dev/sda 2 true"],
                    Error("EINVAL"))]),
    Action("part_set_mbr_id", 854, RErr,
           [Device("device"), Int("partnum"), Int("idbyte")],
           "set the MBR type byte of a partition",
           """Set the MBR type byte (ID byte) of the partition numbered
PARTNUM on DEVICE to IDBYTE (0 to 255; the bytes documents quote in hex,
as 83 for Linux, are 0x83 here).  Only MBR tables have type bytes: on
another table this is EINVAL.""",
           example="part_set_mbr_id /dev/sda 1 0x7",
           tests=[T("part", ["part_set_mbr_id /dev/sda 1 0x7",
                             "part_get_mbr_id /dev/sda 1"], 7),
                  T("part", ["part_set_mbr_id /dev/sda 1 256"],
                    Error("EINVAL")),
                  T("empty", GPT2 + ["part_set_mbr_id /dev/sda 1 7"],
                    Error("EINVAL"))]),
    Action("part_set_name", 855, RErr,
           [Device("device"), Int("partnum"), String("name")],
           "set the name of a GPT partition",
           """Set the name of the partition numbered PARTNUM on DEVICE to
NAME.  Only GPT partitions have names: on an MBR disk this is
EINVAL.""",
           example="part_set_name /dev/sda 1 root",
           tests=[T("empty", GPT2 + ["part_set_name /dev/sda 2 data",
                                     "part_get_name /dev/sda 2"], "data"),
                  T("part", ["part_set_name /dev/sda 1 data"],
                    Error("EINVAL"))]),
    Action("part_set_gpt_type", 856, RErr,
           [Device("device"), Int("partnum"), String("guid")],
           "set the type GUID of a GPT partition",
           """Set the partition type GUID of the GPT partition numbered
PARTNUM on DEVICE to GUID.  A table that is not GPT, or a GUID that is
not one, is EINVAL.""",
           example="part_set_gpt_type /dev/sda 1 " + ESP,
           tests=[T("empty", GPT2 + ["part_set_gpt_type /dev/sda 2 " + GUID,
                                     "part_get_gpt_type /dev/sda 2"], GUID),
                  T("empty", GPT2 + ["part_set_gpt_type /dev/sda 2 nonsense"],
                    Error("EINVAL")),
                  T("part", ["part_set_gpt_type /dev/sda 1 " + ESP],
                    Error("EINVAL"))]),
    Action("part_set_gpt_guid", 857, RErr,
           [Device("device"), Int("partnum"), String("guid")],
           "set the GUID of a GPT partition",
           """Set the unique GUID of the GPT partition numbered PARTNUM on
DEVICE to GUID.  A table that is not GPT, or a GUID that is not one, is
EINVAL.""",
           example="part_set_gpt_guid /dev/sda 1 " + GUID,
           tests=[T("empty", GPT2 + ["part_set_gpt_guid /dev/sda 1 "
                                     + GUID.lower(),
                                     "part_get_gpt_guid /dev/sda 1"], GUID),
                  T("empty", GPT2 + ["part_set_gpt_guid /dev/sda 1 "
                                     "0123-4567"], Error("EINVAL")),
                  T("part", ["part_set_gpt_guid /dev/sda 1 " + GUID],
                    Error("EINVAL"))]),
    Action("part_set_gpt_attributes", 858, RErr,
           [Device("device"), Int("partnum"), Int64("attributes")],
           "set the attribute flags of a GPT partition",
           """Set the 64 attribute bits of the GPT partition numbered PARTNUM
on DEVICE to ATTRIBUTES (bit 0 required partition, 1 no block I/O
protocol, 2 legacy BIOS bootable, 48 to 63 for the partition type's
use).  Bits 3 to 47 are reserved by the UEFI specification and cannot
be set here (EINVAL); a table that is not GPT is EINVAL.""",
           example="part_set_gpt_attributes /dev/sda 1 4",
           tests=[T("empty", GPT2 + ["part_set_gpt_attributes /dev/sda 1 "
                                     "0x1000000000005",
                                     "part_get_gpt_attributes /dev/sda 1"],
                    281474976710661),
                  T("empty", GPT2 + ["part_set_gpt_attributes /dev/sda 1 4",
                                     "part_set_gpt_attributes /dev/sda 1 0",
                                     "part_get_gpt_attributes /dev/sda 1"],
                    0),
                  T("empty", GPT2 + ["part_set_gpt_attributes /dev/sda 1 8"],
                    Error("EINVAL")),
                  T("part", ["part_set_gpt_attributes /dev/sda 1 4"],
                    Error("EINVAL"))]),
    Action("part_set_disk_guid", 859, RErr,
           [Device("device"), String("guid")],
           "set the disk GUID of a GPT disk",
           """Set the disk GUID of the GPT on DEVICE to GUID.  A table that is
not GPT, or a GUID that is not one, is EINVAL.""",
           example="part_set_disk_guid /dev/sda " + GUID,
           tests=[T("empty", GPT2 + ["part_set_disk_guid /dev/sda " + GUID,
                                     "part_get_disk_guid /dev/sda"], GUID),
                  T("empty", GPT2 + ["part_set_disk_guid /dev/sda x"],
                    Error("EINVAL")),
                  T("part", ["part_set_disk_guid /dev/sda " + GUID],
                    Error("EINVAL"))]),
    Action("part_set_disk_guid_random", 860, RErr, [Device("device")],
           "give a GPT disk a random disk GUID",
           """Set the disk GUID of the GPT on DEVICE to a new random one.  A
table that is not GPT is EINVAL.""",
           example="part_set_disk_guid_random /dev/sda",
           tests=[T("empty", GPT2 + ["part_set_disk_guid /dev/sda " + GUID,
                                     "part_set_disk_guid_random /dev/sda",
                                     "part_get_parttype /dev/sda"], "gpt"),
                  T("part", ["part_set_disk_guid_random /dev/sda"],
                    Error("EINVAL"))]),
]

# The "empty" layout with a volume group VG on /dev/sda1 and a second
# partition /dev/sda2 without LVM.
VG1 = MBR2 + ["pvcreate /dev/sda1", "vgcreate VG /dev/sda1",
              "lvcreate LV VG 8"]

lvm_actions = [
    Action("lvm_set_filter", 865, RErr, [StringList("devices")],
           "let LVM see only some devices",
           """Set the device filter of LVM so that it sees only the block
devices in DEVICES and ignores every other one: a whole disk stands for
itself and its partitions.  Useful when disk images hold duplicate
physical volumes or volume groups (clones of one another, or groups
that happen to share a name).  Every volume group is deactivated first,
so none may be in use (a filesystem on it mounted); then LVM scans again
and activates the volume groups it now sees.  The filter holds for every
later LVM call until lvm_clear_filter.""",
           example="lvm_set_filter '/dev/sda2 /dev/sdb'",
           tests=[T("empty", VG1 + ["lvm_set_filter /dev/sda2", "vgs"], []),
                  T("empty", VG1 + ["lvm_set_filter /dev/sda", "lvs"],
                    ["/dev/VG/LV"]),
                  T("lvm", ["lvm_set_filter /dev/sda"], Error()),
                  T("empty", ["lvm_set_filter /dev/sdz"], Error())]),
    Action("lvm_clear_filter", 866, RErr, [],
           "let LVM see every device again",
           """Undo lvm_set_filter: LVM sees every block device again.  Volume
groups are deactivated, LVM scans again and activates every volume
group.  Without a filter set it does nothing.""",
           example="lvm_clear_filter",
           tests=[T("empty", VG1 + ["lvm_set_filter /dev/sda2",
                                    "lvm_clear_filter", "lvs"],
                    ["/dev/VG/LV"]),
                  T("empty", ["lvm_clear_filter", "vgs"], [])]),
    Action("pvs_full", 867, RStructList("lvm_pv"), [],
           "every physical volume, with all its fields",
           """The physical volumes LVM sees, as pvs(8) reports them, with every
field of the lvm_pv struct.""",
           example="pvs_full",
           tests=[T("lvm", ["pvs_full"], 1, readonly=True),
                  T("empty", ["pvs_full"], 0, readonly=True)]),
    Action("vgs_full", 868, RStructList("lvm_vg"), [],
           "every volume group, with all its fields",
           """The volume groups LVM sees, as vgs(8) reports them, with every
field of the lvm_vg struct.""",
           example="vgs_full",
           tests=[T("lvm", ["vgs_full"], 1, readonly=True),
                  T("empty", ["vgs_full"], 0, readonly=True)]),
    Action("lvs_full", 869, RStructList("lvm_lv"), [],
           "every logical volume, with all its fields",
           """The logical volumes LVM sees, as lvs(8) reports them, with every
field of the lvm_lv struct.""",
           example="lvs_full",
           tests=[T("lvm", ["lvs_full"], 1, readonly=True),
                  T("empty", ["lvs_full"], 0, readonly=True)]),
]

luks_actions = [
    Action("luks_format_cipher", 870, RErr,
           [Device("device"), Key("key"), Int("keyslot"), String("cipher")],
           "make a LUKS encrypted volume with a cipher",
           """As luks_format (a LUKS2 volume whose key slot KEYSLOT, 0 to 31,
opens with the passphrase KEY), with the cipher CIPHER in cryptsetup's
notation, as "aes-xts-plain64" or "aes-cbc-essiv:sha256".  A cipher the
appliance's kernel lacks is an error of cryptsetup.""",
           example="luks_format_cipher /dev/sda1 secret 0 aes-xts-plain64",
           tests=[T("part", ["luks_format_cipher /dev/sda1 secret 1 "
                             "aes-xts-plain64",
                             "cryptsetup_open /dev/sda1 secret lukscipher",
                             "mkfs ext4 /dev/mapper/lukscipher",
                             "vfs_type /dev/sda1"], "crypto_LUKS"),
                  T("part", ["luks_format_cipher /dev/sda1 secret 0 "
                             "nonsense-cbc-plain"], Error()),
                  T("part", ["luks_format_cipher /dev/sda1 secret 0 "
                             "'aes xts'"], Error("EINVAL")),
                  T("part", ["luks_format_cipher /dev/sda1 secret 32 "
                             "aes-xts-plain64"], Error("EINVAL"))]),
    Action("blkdiscardzeroes", 871, RBool, [Device("device")],
           "do discarded blocks read back as zeros",
           """Whether blocks of DEVICE that blkdiscard discarded read back as
zeros (the kernel's BLKDISCARDZEROES).  False means they may read as
stale data; current kernels answer false for every device, a discard
being only a hint: use zero_device or blkdiscard followed by a check
with is_zero_device when zeros matter.""",
           example="blkdiscardzeroes /dev/sda",
           tests=[T("empty", ["blkdiscardzeroes /dev/sda"], False,
                    readonly=True),
                  T("empty", ["blkdiscardzeroes /dev/sdz"], Error(),
                    readonly=True)]),
]

XFS_GROW = ["umount_all", "part_init /dev/sda mbr",
            "part_add /dev/sda p 2048 819199", "mkfs xfs /dev/sda1",
            "part_resize /dev/sda 1 -1", "mount /dev/sda1 /"]

xfs_actions = [
    Action("xfs_info", 875, RStruct("xfsinfo"), [DevOrPath("pathordevice")],
           "the geometry of an XFS filesystem",
           """The geometry of the XFS filesystem mounted at the guest path
PATHORDEVICE (any file or directory in it), or on the device
PATHORDEVICE: its block and inode sizes, allocation groups, log and
realtime sections (see the xfsinfo struct).  A field that is not
reported is -1, or an empty string.""",
           example="xfs_info /",
           tests=[T("xfs", ["xfs_info /"],
                    Fields({"xfs_blocksize": 4096, "xfs_dirversion": 2,
                            "xfs_rtname": "none", "xfs_logversion": 2}),
                    readonly=True),
                  T("xfs", ["umount_all", "xfs_info /dev/sda1"],
                    Fields({"xfs_blocksize": 4096, "xfs_inodesize": 512,
                            "xfs_lazycount": 1})),
                  T("xfs", ["xfs_info /nosuchdir"], Error("ENOENT"),
                    readonly=True),
                  T("part", ["xfs_info /dev/sda1"], Error())]),
    Action("xfs_growfs", 876, RErr, [Pathname("path")],
           "grow a mounted XFS filesystem",
           """Grow the XFS filesystem mounted at PATH (XFS cannot shrink).
DATASEC, LOGSEC and RTSEC grow the data, log and realtime sections to
the largest size possible (DATASEC is xfs_growfs's default);
DATASIZE, LOGSIZE and RTSIZE give a section's new size in filesystem
blocks instead, RTEXTSIZE the realtime extent size, MAXPCT the
percentage of the space inodes may take.""",
           optargs=[OBool("datasec"), OBool("logsec"), OBool("rtsec"),
                    OInt64("datasize"), OInt64("logsize"), OInt64("rtsize"),
                    OInt64("rtextsize"), OInt("maxpct")],
           example="xfs_growfs / datasec:true",
           tests=[T("xfs", XFS_GROW + ["xfs_growfs / datasec:true",
                                       "xfs_info /"],
                    Fields({"xfs_datablocks": 130816})),
                  T("xfs", ["xfs_growfs / maxpct:200"], Error("EINVAL")),
                  T("xfs", ["xfs_growfs /nosuchdir"], Error("ENOENT")),
                  T("fs", ["xfs_growfs /"], Error())]),
    Action("xfs_admin", 877, RErr, [Device("device")],
           "change the parameters of an XFS filesystem",
           """Change the parameters of the XFS filesystem on DEVICE, which
must not be mounted: EXTUNWRITTEN, V2LOG and PROJID32BIT turn on
unwritten extents, version 2 logs and 32-bit project IDs (features of
version 4 filesystems; version 5 ones always have them); LAZYCOUNTER
turns lazy counters on or off (version 4 only, through xfs_repair);
LABEL sets the label (at most 12 bytes, "" for none) and UUID the UUID
(a UUID, "generate" for a new random one, "nil" for none).  IMGFILE
says DEVICE is an image file.""",
           optargs=[OBool("extunwritten"), OBool("imgfile"), OBool("v2log"),
                    OBool("projid32bit"), OBool("lazycounter"),
                    OString("label"), OString("uuid")],
           example="xfs_admin /dev/sda1 label:data",
           tests=[T("xfs", ["umount_all", "xfs_admin /dev/sda1 label:xfsnew",
                            "vfs_label /dev/sda1"], "xfsnew"),
                  T("xfs", ["umount_all", "xfs_admin /dev/sda1 "
                            "uuid:01234567-89ab-cdef-0123-456789abcdef",
                            "vfs_uuid /dev/sda1"],
                    "01234567-89ab-cdef-0123-456789abcdef"),
                  T("xfs", ["umount_all",
                            "xfs_admin /dev/sda1 label:'two words'"],
                    Error("EINVAL")),
                  T("xfs", ["xfs_admin /dev/sda1 label:mounted"], Error())]),
    Action("xfs_repair", 878, RInt, [DevOrPath("device")],
           "check and repair an XFS filesystem",
           """Check and repair the XFS filesystem on DEVICE (a device, or an
image file in the guest), which must not be mounted.  Returns 0 when no
corruption was found, 1 when some was (with NOMODIFY it is only
reported); any other status of xfs_repair (a dirty log it will not
zero, a filesystem it cannot read) is an error.  FORCELOGZERO zeroes a dirty log (losing its changes);
NOPREFETCH turns prefetching off; FORCEGEOMETRY checks with the
geometry given; MAXMEM (MiB), IHASHSIZE, BHASHSIZE and AGSTRIDE tune
memory use; LOGDEV and RTDEV name external log and realtime devices.""",
           optargs=[OBool("forcelogzero"), OBool("nomodify"),
                    OBool("noprefetch"), OBool("forcegeometry"),
                    OInt64("maxmem"), OInt64("ihashsize"),
                    OInt64("bhashsize"), OInt64("agstride"),
                    OString("logdev"), OString("rtdev")],
           example="xfs_repair /dev/sda1 nomodify:true",
           tests=[T("xfs", ["umount_all",
                            "xfs_repair /dev/sda1 nomodify:true"], 0),
                  T("xfs", ["umount_all", "xfs_repair /dev/sda1 "
                            "noprefetch:true agstride:2"], 0),
                  T("xfs", ["umount_all",
                            "xfs_repair /dev/sda1 maxmem:-1"],
                    Error("EINVAL")),
                  T("part", ["xfs_repair /dev/sdz"], Error())]),
]

# An NTFS on /dev/sda1 holding /hello.txt "hello", not mounted (the
# "part" layout).
NTFS_HELLO = ["mkfs ntfs /dev/sda1", "mount /dev/sda1 /",
              "write /hello.txt hello", "umount_all"]

ntfs_actions = [
    Action("ntfsclone_out", 880, RErr,
           [Device("device"), FileOut("backupfile")],
           "save an NTFS filesystem as an ntfsclone image",
           """Stream the NTFS filesystem on DEVICE to the local file
BACKUPFILE in ntfsclone's image format (only the used clusters).
METADATAONLY saves the metadata alone, not the files' data (for
diagnosing a filesystem).  RESCUE goes on past bad sectors;
IGNOREFSCHECK saves even a filesystem marked as needing a check;
PRESERVETIMESTAMPS keeps the timestamps of metadata-only images; FORCE
goes on when ntfsclone would stop for safety.  ntfsclone_in restores
the image.""",
           optargs=[OBool("metadataonly"), OBool("rescue"),
                    OBool("ignorefscheck"), OBool("preservetimestamps"),
                    OBool("force")],
           example="ntfsclone_out /dev/sda1 ntfs.img",
           tests=[T("part", NTFS_HELLO + [
                      "ntfsclone_out /dev/sda1 @TMP@/ntfsclone.img",
                      "mkfs ntfs /dev/sda1",
                      "ntfsclone_in @TMP@/ntfsclone.img /dev/sda1",
                      "mount /dev/sda1 /", "cat /hello.txt"], "hello"),
                  T("part", NTFS_HELLO + [
                      "ntfsclone_out /dev/sda1 @TMP@/ntfsclone-meta.img "
                      "metadataonly:true force:true",
                      "mkfs ntfs /dev/sda1",
                      "ntfsclone_in @TMP@/ntfsclone-meta.img /dev/sda1",
                      "mount /dev/sda1 /", "is_file /hello.txt"], True),
                  T("fs", ["umount_all",
                           "ntfsclone_out /dev/sda1 @TMP@/ntfsclone-ext4"],
                    Error())]),
    Action("ntfsclone_in", 881, RErr,
           [FileIn("backupfile"), Device("device")],
           "restore an ntfsclone image",
           """Restore the ntfsclone image BACKUPFILE (a local file, as
ntfsclone_out makes) to DEVICE, overwriting what it holds.""",
           example="ntfsclone_in ntfs.img /dev/sda1",
           tests=[T("part", NTFS_HELLO + [
                      "ntfsclone_out /dev/sda1 @TMP@/ntfsclone-in.img",
                      "ntfsclone_in @TMP@/ntfsclone-in.img /dev/sdz"],
                    Error()),
                  T("part", ["mkfs ext4 /dev/sda1", "mount /dev/sda1 /",
                             "write /junk 'not an image'",
                             "download /junk @TMP@/ntfsclone-junk",
                             "umount_all",
                             "ntfsclone_in @TMP@/ntfsclone-junk /dev/sda1"],
                    Error())]),
    Action("ntfscat_i", 882, RErr,
           [Mountable("device"), Int64("inode"), FileOut("filename")],
           "download an NTFS file by its inode number",
           """Save the file whose MFT record (inode) number is INODE in the
NTFS filesystem on DEVICE, which must not be mounted, as the local file
FILENAME.  This reaches files no path shows, such as those in
$Extend.""",
           example="ntfscat_i /dev/sda1 0 mft.bin",
           tests=[T("part", NTFS_HELLO + [
                      "ntfscat_i /dev/sda1 64 @TMP@/ntfscat.out",
                      "mount /dev/sda1 /",
                      "upload @TMP@/ntfscat.out /copy.txt",
                      "cat /copy.txt"], "hello"),
                  T("part", NTFS_HELLO + [
                      "ntfscat_i /dev/sda1 -1 @TMP@/ntfscat-bad"],
                    Error("EINVAL")),
                  T("part", ["ntfscat_i /dev/sda1 0 @TMP@/ntfscat-none"],
                    Error())]),
]

S = "scratch"

tool_actions = [
    Action("mksquashfs", 885, RErr, [Pathname("path"), FileOut("filename")],
           "make a squashfs image of a directory",
           """Make a squashfs filesystem of the guest directory PATH and save
it as the local file FILENAME.  COMPRESS is the compression: gzip (the
default), lzma, lzo, lz4, xz or zstd.  EXCLUDES are wildcards: a file
or directory whose path under PATH matches one is left out.  The image
is made in the appliance's memory before it is sent, so very large
trees may not fit.""",
           optargs=[OString("compress"), OStringList("excludes")],
           example="mksquashfs /etc etc.sqfs compress:xz",
           tests=[T(S, ["mkdir_p /mksquashfs/src/logs",
                        "write /mksquashfs/src/a hello",
                        "write /mksquashfs/src/logs/b.log x",
                        "mksquashfs /mksquashfs/src @TMP@/mksquashfs.sqfs "
                        "excludes:'*.log logs'",
                        "upload @TMP@/mksquashfs.sqfs /mksquashfs/img",
                        "pread /mksquashfs/img 4 0"], "hsqs"),
                  T(S, ["mkdir_p /mksquashfs/src2",
                        "write /mksquashfs/src2/a hello",
                        "mksquashfs /mksquashfs/src2 @TMP@/mksquashfs.xz "
                        "compress:xz",
                        "upload @TMP@/mksquashfs.xz /mksquashfs/img-xz",
                        "pread /mksquashfs/img-xz 1 21"], "\0"),
                  T(S, ["mksquashfs /mksquashfs-nosuch @TMP@/mksquashfs.no"],
                    Error("ENOENT")),
                  T(S, ["mkdir_p /mksquashfs/src3",
                        "mksquashfs /mksquashfs/src3 @TMP@/mksquashfs.bad "
                        "compress:rar"], Error("EINVAL"))]),
    Action("f2fs_expand", 886, RErr, [Device("device")],
           "grow an f2fs filesystem to its device",
           """Grow the f2fs filesystem on DEVICE, which must not be mounted,
to the size of DEVICE (resize.f2fs).""",
           example="f2fs_expand /dev/sda1",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 150000",
                              "mkfs f2fs /dev/sda1",
                              "part_resize /dev/sda 1 -1",
                              "f2fs_expand /dev/sda1",
                              "mount /dev/sda1 /", "statvfs /"],
                    Fields({"blocks": 32000})),
                  T("fs", ["umount_all", "f2fs_expand /dev/sda1"], Error())]),
    Action("scrub_device", 887, RErr, [Device("device")],
           "overwrite a whole device",
           """Write patterns over the whole of DEVICE so that its data
cannot be read back, as scrub(1) does with its default method (random
data twice, then zeros, checked), which then writes its signature
"SCRUBBED!" at the start of DEVICE.""",
           example="scrub_device /dev/sdb",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 4095",
                              "pwrite_device /dev/sda1 hello 131072",
                              "scrub_device /dev/sda1",
                              "pread_device /dev/sda1 9 3"], "SCRUBBED!"),
                  # Past the signature scrub leaves at the start (which
                  # zero wipes), only zeros.
                  T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 4095",
                              "pwrite_device /dev/sda1 hello 131072",
                              "scrub_device /dev/sda1", "zero /dev/sda1",
                              "is_zero_device /dev/sda1"], True),
                  T("empty", ["scrub_device /dev/sdz"], Error())]),
    Action("scrub_freespace", 888, RErr, [Pathname("dir")],
           "overwrite the free space of a filesystem",
           """Make the directory DIR (it must not exist), fill it with files
until the filesystem is full, overwrite them as scrub_file does and
remove them: the free space of the filesystem holding DIR is scrubbed
(scrub -X).""",
           example="scrub_freespace /scrub",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 18431",
                              "mkfs ext4 /dev/sda1", "mount /dev/sda1 /",
                              "scrub_freespace /scrub", "is_dir /scrub"],
                    False),
                  T("fs", ["scrub_freespace /nosuch/scrub"],
                    Error("ENOENT"))]),
    Action("extlinux", 889, RErr, [Pathname("directory")],
           "install the SYSLINUX bootloader on an ext or btrfs filesystem",
           """Install the SYSLINUX bootloader (extlinux) in DIRECTORY, the
mountpoint of an ext2/3/4 or btrfs filesystem or a directory in it.  The
partition must also be marked active (part_set_bootable) and the disk
given a master boot record (pwrite_device of SYSLINUX's mbr.bin) to
boot; extlinux.conf in DIRECTORY configures it.""",
           example="extlinux /boot",
           tests=[T("fs", ["mkdir /boot", "extlinux /boot",
                           "is_file /boot/ldlinux.sys"], True),
                  T("fs", ["extlinux /nosuch"], Error("ENOENT"))]),
    Action("syslinux", 890, RErr, [Device("device")],
           "install the SYSLINUX bootloader on a FAT filesystem",
           """Install the SYSLINUX bootloader on DEVICE, a disk or partition
holding a FAT filesystem, which must not be mounted.  DIRECTORY puts it
in that directory of the filesystem (which must exist) rather than at
its root.  A partition must also be marked active (part_set_bootable)
and the disk given a master boot record to boot; syslinux.cfg
configures it.""",
           optargs=[OString("directory")],
           example="syslinux /dev/sda1",
           tests=[T("part", ["mkfs vfat /dev/sda1", "syslinux /dev/sda1",
                             "mount /dev/sda1 /", "is_file /ldlinux.sys"],
                    True),
                  T("part", ["mkfs vfat /dev/sda1", "mount /dev/sda1 /",
                             "mkdir /boot", "umount_all",
                             "syslinux /dev/sda1 directory:/boot",
                             "mount /dev/sda1 /", "is_file /boot/ldlinux.sys"],
                    True),
                  T("fs", ["umount_all", "syslinux /dev/sda1"], Error())]),
]

actions = (part_actions + lvm_actions + luks_actions + xfs_actions +
           ntfs_actions + tool_actions)

group_actions = {
    "lvm2": ["lvm_set_filter", "lvm_clear_filter", "pvs_full", "vgs_full",
             "lvs_full"],
    "luks": ["luks_format_cipher"],
    "xfs": ["xfs_info", "xfs_growfs", "xfs_admin", "xfs_repair"],
    "ntfs3g": ["ntfsclone_out", "ntfsclone_in", "ntfscat_i"],
}

groups = [
    Group("blkdiscardzeroes", "the BLKDISCARDZEROES ioctl, which every "
          "appliance kernel has.", ["blkdiscardzeroes"]),
    Group("squashfs", "mksquashfs (squashfs-tools).", ["mksquashfs"]),
    Group("f2fs", "mkfs.f2fs and resize.f2fs (f2fs-tools) and the f2fs "
          "module.", ["f2fs_expand"]),
    Group("scrub", "the scrub program.", ["scrub_device", "scrub_freespace"]),
    Group("extlinux", "the extlinux program.", ["extlinux"]),
    Group("syslinux", "the syslinux program and mtools (mcopy, mattrib, "
          "mmove).",
          ["syslinux"]),
]
