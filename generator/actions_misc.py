# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, what is left of the old sfdisk interface that still
# answers: the geometry sfdisk reports for a device.  actions.py adds
# `actions` to the daemon's.

from defs import *  # noqa: F401,F403

T = Test

structs = []
groups = []
group_actions = {}

actions = [
    Action("sfdisk_kernel_geometry", 1080, RString, [Device("device")],
           "the kernel's geometry of a device",
           """The cylinders, heads and sectors per track the kernel gives
DEVICE, as sfdisk prints them (one line, DEVICE: C cylinders, H heads, S
sectors/track).  Geometry means nothing to today's disks (the appliance's
kernel makes one up from the size): the line is for people, not for
parsing.""",
           example="sfdisk_kernel_geometry /dev/sda",
           tests=[T("empty", ["sfdisk_kernel_geometry /dev/sda"],
                    "/dev/sda: 1008 cylinders, 5 heads, 52 sectors/track\n",
                    readonly=True),
                  T("empty", ["sfdisk_kernel_geometry /dev/sdb"],
                    Error("ENOENT"), readonly=True)]),
    Action("sfdisk_disk_geometry", 1081, RString, [Device("device")],
           "the geometry of a device's partition table",
           """The geometry of DEVICE as its partition table gives it.
This sfdisk no longer reads a geometry from a partition table (it was
never stored in a GPT, and an MBR's is ignored by every kernel): the
answer is the kernel's, as sfdisk_kernel_geometry gives it, and an
error with errno EINVAL when DEVICE has no partition table.""",
           example="sfdisk_disk_geometry /dev/sda",
           tests=[T("part", ["sfdisk_disk_geometry /dev/sda"],
                    "/dev/sda: 1008 cylinders, 5 heads, 52 sectors/track\n",
                    readonly=True),
                  T("empty", ["sfdisk_disk_geometry /dev/sda"],
                    Error("EINVAL"), readonly=True)]),
]
