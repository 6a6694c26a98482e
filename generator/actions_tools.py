# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, what the small tools (drydock filesystems) read
# about partitions and LVM beyond the other calls.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

tools_actions = [
    Action("part_get_mbr_id", 330, RInt, [Device("device"), Int("partnum")],
           "the MBR type byte of a partition",
           """The partition type byte (0x83 Linux, 0x07 NTFS, 0x8e Linux
LVM, 0x0c FAT32 ...) of the partition PARTNUM (1 to 4 primary, 5 and
up logical) of DEVICE.  DEVICE's partition table must be an MBR
(part_get_parttype says msdos): another table, or no partition
PARTNUM, is an error with errno EINVAL.""",
           example="part_get_mbr_id /dev/sda 1"),
    Action("vg_size", 331, RInt64, [String("volgroup")],
           "the size of a volume group",
           """The size in bytes of the volume group VOLGROUP: its physical
extents, used and free (LVM's vg_size).""",
           example="vg_size fedora"),
    Action("pv_size", 332, RInt64, [Device("device")],
           "the size of a physical volume",
           """The size in bytes LVM gives the physical volume DEVICE
(pv_size): the extents it holds, without its metadata area, so less
than the device's size.""",
           example="pv_size /dev/sda2"),
    Action("vg_pvs", 333, DEVLIST, [String("volgroup")],
           "the physical volumes of a volume group",
           "The devices holding the physical volumes of VOLGROUP, sorted.",
           example="vg_pvs fedora"),
]
