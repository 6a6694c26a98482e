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

actions = part_actions + lvm_actions

group_actions = {
    "lvm2": ["lvm_set_filter", "lvm_clear_filter", "pvs_full", "vgs_full",
             "lvs_full"],
}

groups = []
