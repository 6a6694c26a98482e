# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, inspection: finding the guest's operating
# systems and what they are (inspect_*).

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

inspect_actions = [
    Action("inspect_os", 181, DEVLIST, [],
           "find the operating systems in the disks",
           """Scan every filesystem of every drive, find the roots of
operating systems (Linux and Windows) and what can be read about them
without running them.  Returns the root devices found in device order
(sda2 before sda10, partitions before logical volumes); an empty list
when there is none (not an error).  Each candidate filesystem is
mounted read-only in a private directory, never at /, and unmounted
again: what is mounted under / is left alone.  The answers are kept for
the rest of the launch and read with the inspect_get_* calls.  Every
value read from the guest is bounded and checked: a guest's files and
hives are hostile input.

Each subvolume of a btrfs filesystem is a candidate too (at most 256 of
each filesystem, in ID order), besides the device itself, which mounts
its default subvolume: a root found in a subvolume is the mountable
btrfsvol:DEVICE/PATH, e.g. btrfsvol:/dev/sda2/root for Fedora.""",
           example="inspect_os"),
    Action("inspect_get_roots", 182, DEVLIST, [],
           "the roots found by inspect_os",
           "The roots the last inspect_os found, without scanning again."),
    Action("inspect_get_type", 183, RString, [Mountable("root")],
           "the type of operating system",
           """"linux", "windows", or "unknown".""",
           example="inspect_get_type /dev/sda1"),
    Action("inspect_get_distro", 184, RString, [Mountable("root")],
           "the distribution",
           """The distribution, in the same words as libguestfs: "debian",
"ubuntu", "fedora", "rhel", "centos", "rocky", "redhat-based",
"oraclelinux", "opensuse", "sles", "archlinux", "alpine", "gentoo",
"windows", ... or "unknown".""",
           example="inspect_get_distro /dev/sda1"),
    Action("inspect_get_product_name", 185, RString, [Mountable("root")],
           "the product name",
           """The product name, e.g. "Debian GNU/Linux 12 (bookworm)" or "Windows Server 2019 Standard", or "unknown".""",
           example="inspect_get_product_name /dev/sda1"),
    Action("inspect_get_product_variant", 186, RString, [Mountable("root")],
           "the product variant",
           """Windows: "Server", "Client", "Server Core" (InstallationType); elsewhere "unknown".""",
           example="inspect_get_product_variant /dev/sda1"),
    Action("inspect_get_major_version", 187, RInt, [Mountable("root")],
           "the major version",
           """The major version number, 0 if unknown.""",
           example="inspect_get_major_version /dev/sda1"),
    Action("inspect_get_minor_version", 188, RInt, [Mountable("root")],
           "the minor version",
           """The minor version number, 0 if unknown.""",
           example="inspect_get_minor_version /dev/sda1"),
    Action("inspect_get_arch", 189, RString, [Mountable("root")],
           "the architecture",
           """The architecture of the guest's binaries: "x86_64", "i386", "aarch64", ... or "unknown".""",
           example="inspect_get_arch /dev/sda1"),
    Action("inspect_get_hostname", 190, RString, [Mountable("root")],
           "the host name",
           """The host name the guest is configured with, or "unknown".""",
           example="inspect_get_hostname /dev/sda1"),
    Action("inspect_get_package_format", 191, RString, [Mountable("root")],
           "the package format",
           """"deb", "rpm", "apk", "pacman", "ebuild", ... or "unknown".""",
           example="inspect_get_package_format /dev/sda1"),
    Action("inspect_get_package_management", 192, RString, [Mountable("root")],
           "the package manager",
           """"apt", "dnf", "yum", "zypper", "apk", "pacman", "portage", ... or "unknown".""",
           example="inspect_get_package_management /dev/sda1"),
    Action("inspect_get_build_id", 193, RString, [Mountable("root")],
           "the build identifier",
           """Windows: the build number (CurrentBuildNumber); Linux: BUILD_ID from os-release; else "unknown".""",
           example="inspect_get_build_id /dev/sda1"),
    Action("inspect_get_osinfo", 194, RString, [Mountable("root")],
           "the libosinfo short name",
           """A libosinfo short ID such as "debian12", "fedora38", "win2k19", or "unknown".""",
           example="inspect_get_osinfo /dev/sda1"),
    Action("inspect_get_format", 195, RString, [Mountable("root")],
           "the format of the root",
           """"installed" for an installed operating system.""",
           example="inspect_get_format /dev/sda1"),
    Action("inspect_get_windows_systemroot", 199, RString, [Mountable("root")],
           "the Windows system root",
           """The path of the Windows directory, e.g. "/Windows", as it is cased on disk.  An error for a root that is not Windows.""",
           example="inspect_get_windows_systemroot /dev/sda1"),
    Action("inspect_get_windows_current_control_set", 200, RString, [Mountable("root")],
           "the current control set",
           """The control set Select\\Current names, e.g. "ControlSet001".  An error for a root that is not Windows.""",
           example="inspect_get_windows_current_control_set /dev/sda1"),
    Action("inspect_get_windows_software_hive", 201, RString, [Mountable("root")],
           "path of the SOFTWARE hive",
           """The guest path of the SOFTWARE hive.  An error for a root that is not Windows.""",
           example="inspect_get_windows_software_hive /dev/sda1"),
    Action("inspect_get_windows_system_hive", 202, RString, [Mountable("root")],
           "path of the SYSTEM hive",
           """The guest path of the SYSTEM hive.  An error for a root that is not Windows.""",
           example="inspect_get_windows_system_hive /dev/sda1"),
    Action("inspect_get_mountpoints", 196, RHashtable, [Mountable("root")],
           "the guest's mountpoints",
           """Pairs of mountpoint and device for ROOT: "/" and the root
itself, then every filesystem its /etc/fstab names that is on one of the
drives, sorted by mountpoint.  An entry of a btrfs filesystem with the
option subvol=NAME (a leading "/" or not) or subvolid=N gives that
subvolume, btrfsvol:DEVICE/NAME, and is left out when the filesystem
has no such subvolume; without either option, the device.  Windows: "/"
only."""),
    Action("inspect_get_filesystems", 197, DEVLIST, [Mountable("root")],
           "the filesystems that belong to a root",
           """The root device, every device in its mountpoints, and the swap
devices its /etc/fstab names (which have no mountpoint), each once.
Windows: the root only."""),
    Action("inspect_get_drive_mappings", 198, RHashtable, [Mountable("root")],
           "Windows drive letters",
           """Pairs of drive letter ("C", "D" ...) and device, from the
SYSTEM hive's MountedDevices (MBR disk signatures and GPT partition
GUIDs).  Empty for other guests."""),
    Action("inspect_list_applications", 203, RStructList("application"),
           [Mountable("root")],
           "the applications installed in a root",
           """The packages installed in ROOT, from its package database:
dpkg's status file, the rpm database (through the rpm tool), apk's
installed file, pacman's local database, or for Windows the Uninstall
keys of the SOFTWARE hive (and their WOW6432Node twins).  ROOT's
filesystems are mounted read-only in a private directory for the time
of the call.  Sorted by name.  inspect_list_applications2 gives the
same list in the application2 struct.""", protocol_limit=True),
    Action("inspect_get_icon", 205, RBufferOut, [Mountable("root")],
           "the operating system's logo",
           """A PNG of the logo of the operating system in ROOT, read from
the guest, or an empty buffer when there is none.  With FAVICON (the
default) /etc/favicon.png is tried first.  Then by distribution, at the
places libguestfs looks: Fedora's hicolor 96x96 fedora-logo-icon.png;
RHEL and its clones (CentOS, Rocky, Oracle, Scientific, other Red Hat
based) pixmaps/redhat/shadowman-transparent.png before version 7, the
hicolor 96x96 system-logo-icon.png after; Debian's pixmaps/debian-logo.png;
Ubuntu's gnome 24x24 ubuntu-logo.png, then its help figure (not with
HIGHQUALITY); openSUSE and SLES hicolor 48x48, then 24x24
distributor.png; the Mageia, OpenMandriva, Void, ALT and Gentoo logos.
A candidate must be a PNG of 16 to 1024 pixels each way, within the size
its distribution's logo can have; symbolic links are followed inside the
guest only.  Windows roots give none (their icons live in explorer.exe
resources).  ROOT's filesystems are mounted read-only in a private
directory for the time of the call.""",
           optargs=[OBool("favicon"), OBool("highquality")],
           example="inspect_get_icon /dev/sda1 favicon:false"),
    Action("inspect_mount_root", 204, RErr, [Mountable("root")],
           "mount a root's filesystems under /",
           """Mount the filesystems of ROOT (inspect_get_mountpoints) at
their mountpoints in the guest tree, shortest mountpoint first, so that
/ comes before /var and /var before /var/log.  With READONLY they are
mounted read-only.  Mountpoints whose filesystem cannot be mounted are
reported as an error after the others are mounted.

With PREFIX, a directory such as /a, the filesystems are mounted under
it instead of at /, so that two roots (of two images) can be mounted
side by side and compared: ROOT's / at PREFIX, its /boot at PREFIX/boot.
PREFIX is one component made of letters, digits and "-_.", created in
the appliance's own empty root, which must have nothing mounted at /.
Each mountpoint is resolved inside PREFIX: a guest's symbolic link
cannot lead a mount out of it.""",
           optargs=[OBool("readonly"), OString("prefix")],
           example="inspect_mount_root /dev/sda2 readonly:true"),
]
