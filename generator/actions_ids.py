# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, identity and transfer: optional groups and what
# the appliance has, filesystem labels and UUIDs, LVM UUIDs, SELinux
# relabelling, and copying trees in and out (library-side, over
# tar_in and tar_out); and the first optional groups.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

ids_actions = [
    Action("available", 270, RErr, [StringList("groups")],
           "check that optional groups are available",
           """Check that this appliance supports every optional group in
GROUPS (see "Optional groups" for the groups and the actions each one
covers).  Nothing happens when all of them are available; otherwise
the error names the groups that are not, with errno ENOTSUP.  A group
name drydock does not know is always an error (EINVAL), whatever the
other groups.

The answer comes from the running appliance: the programs, libraries
and kernel modules it really has (the appliance is built from the
host's files, so it differs between hosts).  An available group does
not mean that every call in it succeeds: check each call's errors all
the same.  See also feature_available and available_all_groups.""",
           example='available "augeas lvm2"'),
    Action("feature_available", 271, RBool, [StringList("groups")],
           "are optional groups available",
           """True when this appliance supports every optional group in
GROUPS, false when one of them is missing; as available, but answering
instead of failing.  A group name drydock does not know is an error
(EINVAL).""",
           example='feature_available "xfs btrfs"'),
    Action("available_all_groups", 272, RStringList, [],
           "every optional group drydock knows",
           """The names of all optional groups, sorted, whether this
appliance supports them or not; available and feature_available tell
which it does.""",
           example="available_all_groups"),
    Action("set_label", 273, RErr, [Mountable("mountable"), String("label")],
           "set the filesystem label",
           """Set the label of the filesystem on MOUNTABLE to LABEL, with the
filesystem's own tool.  A LABEL longer than the filesystem allows is
refused (EINVAL) before anything is written:

- ext2, ext3, ext4 (tune2fs -L): at most 16 bytes; may be mounted.
- XFS (xfs_db): at most 12 bytes, no blanks or quotes; must not be
  mounted.
- btrfs (btrfs filesystem label): at most 255 bytes, no newline; must
  not be mounted.
- vfat (fatlabel): at most 11 bytes; an empty LABEL removes the label.
- NTFS (ntfslabel): at most 128 characters.
- swap (swaplabel -L): at most 16 bytes.

Other filesystem types, and devices holding none, are an error with
errno ENOTSUP.  vfs_label reads the label back.""",
           example="set_label /dev/sda1 ROOT"),
    Action("set_uuid", 274, RErr, [Device("device"), String("uuid")],
           "set the filesystem UUID",
           """Set the UUID of the filesystem on DEVICE to UUID:

- ext2, ext3, ext4 (tune2fs -U), XFS (xfs_db), btrfs (btrfstune -U)
  and swap (swaplabel -U): UUID is a standard UUID
  (8-4-4-4-12 hexadecimal digits).  XFS and btrfs must not be mounted;
  a mounted ext4 with checksummed metadata refuses it too.
- vfat: the 32-bit volume ID (fatlabel -i), written XXXX-XXXX as
  vfs_uuid reports it (8 hexadecimal digits, the dash optional).
- NTFS: the 64-bit volume serial number (ntfslabel --new-serial), 16
  hexadecimal digits as vfs_uuid reports it.

A UUID of the wrong form is refused (EINVAL) before anything is
written.  Other filesystem types are an error with errno ENOTSUP.
vfs_uuid reads the UUID back.""",
           example="set_uuid /dev/sda1 5c1b3c0a-4b7e-4a3f-9d2e-1f0e8c7b6a59"),
    Action("set_uuid_random", 275, RErr, [Device("device")],
           "give a filesystem a new random UUID",
           """Set the UUID of the filesystem on DEVICE to a new random one
(a random volume ID for vfat, a random serial number for NTFS), as
set_uuid does, with the same filesystem types and restrictions.""",
           example="set_uuid_random /dev/sda1"),
    Action("pvuuid", 276, RString, [Device("device")],
           "the UUID of an LVM physical volume",
           """The UUID of the LVM physical volume DEVICE, as LVM writes it
(32 characters in groups joined by dashes).""",
           example="pvuuid /dev/sda2"),
    Action("vguuid", 277, RString, [String("vgname")],
           "the UUID of a volume group",
           "The UUID of the volume group VGNAME, as LVM writes it.",
           example="vguuid vg0"),
    Action("lvuuid", 278, RString, [Device("device")],
           "the UUID of a logical volume",
           "The UUID of the logical volume DEVICE (/dev/VG/LV), as LVM writes "
           "it.",
           example="lvuuid /dev/vg0/root"),
    Action("pvchange_uuid", 279, RErr, [Device("device")],
           "give an LVM physical volume a new random UUID",
           """Write a new random UUID to the LVM physical volume DEVICE
(lvm pvchange -u); its volume group's metadata follows.  Used to make
a cloned disk's PVs distinct from the original's.  LVM refuses while a
logical volume of the PV's volume group is active: deactivate them
first (vg_activate_all false).""",
           example="pvchange_uuid /dev/sda2"),
    Action("pvchange_uuid_all", 280, RErr, [],
           "give every LVM physical volume a new random UUID",
           """As pvchange_uuid, for every physical volume (lvm pvchange -u
-a).  A PV whose volume group has an active logical volume is an
error, after the others have changed.""",
           example="pvchange_uuid_all"),
    Action("vgchange_uuid", 281, RErr, [String("vg")],
           "give a volume group a new random UUID",
           """Write a new random UUID to the volume group VG (lvm vgchange
-u).  LVM refuses while a logical volume of VG is active: deactivate
them first (vg_activate_all false).""",
           example="vgchange_uuid vg0"),
    Action("vgchange_uuid_all", 282, RErr, [],
           "give every volume group a new random UUID",
           """As vgchange_uuid, for every volume group (lvm vgchange -u).
A volume group with an active logical volume is an error, after the
others have changed.""",
           example="vgchange_uuid_all"),
    Action("selinux_relabel", 283, RErr,
           [String("specfile"), Pathname("path")],
           "relabel files with the guest's SELinux policy",
           """Set the SELinux label (the security.selinux extended attribute)
of every file under PATH, a guest path, to what the guest's file
contexts SPECFILE say, with setfiles(8) from the appliance; SPECFILE is
a guest path too, read inside the guest tree, usually
/etc/selinux/TYPE/contexts/files/file_contexts where TYPE is the
SELINUXTYPE of the guest's /etc/selinux/config.  PATH is normally / to
relabel the whole guest.  FORCE (setfiles -F) also resets the files
the policy calls customizable, and the user, role and range parts of
each label, not only the type.

setfiles runs on the guest tree mounted under the appliance's
/sysroot, with -r so that paths are matched as the guest sees them,
without descending into /dev, /proc, /sys or /selinux of the guest,
and never crossing into the appliance's own files.  The appliance does
not run SELinux: labels are written as extended attributes and checked
against SPECFILE only (not against the compiled policy).  The guest's
filesystem must support extended attributes (ext2/3/4, XFS, btrfs).

Errors: SPECFILE missing in the guest (ENOENT), setfiles absent from
the appliance (ENOTSUP: the host lacked policycoreutils when the
appliance was built; feature_available "selinuxrelabel" tells).""",
           optargs=[OBool("force")],
           example="selinux_relabel /etc/selinux/targeted/contexts/files/file_contexts / force:true"),
    Action("copy_in", 0, RErr, [HostPath("localpath"), Pathname("remotedir")],
           "copy a local file or tree into the guest",
           """Copy the local file or directory LOCALPATH, recursively, into
the guest directory REMOTEDIR, which must exist: LOCALPATH/x arrives
as REMOTEDIR/NAME/x, NAME being the last component of LOCALPATH.
Names, permission modes, modification times, symbolic links (as links,
with their targets unchanged), hard links, FIFOs and device nodes are
kept; owners too, numerically (a file the caller owns arrives owned by
the caller's uid and gid).  Sockets are skipped.

The tree is packed by the host's tar(1) and streamed, as it is made, to
tar_in: nothing is written to a temporary file, so any size passes.
A local file that cannot be read fails the call after the rest is
copied, with tar's message.  Wildcards are not expanded.""",
           side="library",
           example="copy_in /etc/hosts /etc"),
    Action("copy_out", 0, RErr, [Pathname("remotepath"), HostPath("localdir")],
           "copy a guest file or tree out to a local directory",
           """Copy the guest file or directory REMOTEPATH, recursively, into
the local directory LOCALDIR, which must exist: a file arrives as
LOCALDIR/NAME (through download), a directory as the directory
LOCALDIR/NAME (created if needed) holding its tree, NAME being the last
component of REMOTEPATH (/ copies the guest's root into LOCALDIR
itself).  A REMOTEPATH that is a symbolic link, a device or a FIFO is
refused.

The tree comes from tar_out and is unpacked by drydock itself, never by
a host tar, treating the archive as hostile:

- every member is created relative to LOCALDIR/NAME, and no symbolic
  link is ever followed on the way (a link in the archive or already
  under LOCALDIR/NAME), so nothing is written outside it;
- a member whose name is absolute or has a ".." component, or a hard
  link to such a name, stops the copy with an error naming it; the
  members before it stay;
- symbolic links are recreated as links with their targets unchanged,
  even absolute ones or ones leading out: they are data, never
  followed here;
- permission modes are kept without the set-user-ID and set-group-ID
  bits; owners are not (files belong to the caller); modification times
  are kept; directories get their modes once their content is in;
- device nodes are not created (a warning names them); FIFOs are;
- a file already in the way is replaced (unlinked first, never written
  through); a directory is merged into.""",
           side="library",
           example="copy_out /etc/ssh /tmp/guest-etc"),
]
# Optional groups, and the actions each one covers.
ids_groups = [
    Group("augeas", "the Augeas library the daemon loads and its lenses "
          "(/usr/share/augeas/lenses).",
          ["aug_init", "aug_close", "aug_defvar", "aug_defnode", "aug_get",
           "aug_set", "aug_setm", "aug_clear", "aug_insert", "aug_label",
           "aug_rm", "aug_mv", "aug_match", "aug_save", "aug_load",
           "aug_ls", "aug_transform"]),
    Group("lvm2", "the lvm program and device-mapper (dm_mod).",
          ["lvs", "vgs", "pvs", "vg_activate_all", "pvcreate", "vgcreate",
           "lvcreate", "lvcreate_free", "lvremove", "vg_free", "pvuuid",
           "vguuid", "lvuuid", "pvchange_uuid", "pvchange_uuid_all",
           "vgchange_uuid", "vgchange_uuid_all", "vg_size", "pv_size",
           "vg_pvs"]),
    Group("luks", "cryptsetup and the dm_crypt module.",
          ["luks_format", "cryptsetup_open", "cryptsetup_close"]),
    Group("fstrim", "the FITRIM ioctl, which every appliance kernel has "
          "(no program is needed).", ["fstrim", "fstrim_free"]),
    Group("blkdiscard", "the BLKDISCARD ioctl, which every appliance "
          "kernel has (no program is needed).", ["blkdiscard"]),
    Group("xfs", "mkfs.xfs, xfs_db and the xfs module: mkfs xfs, mount, "
          "set_label and set_uuid of XFS."),
    Group("btrfs", "mkfs.btrfs, btrfs, btrfstune and the btrfs module: "
          "mkfs btrfs, mount, set_label and set_uuid of btrfs, and the "
          "btrfs actions (btrfs_image also needs btrfs-image)."),
    Group("ntfs3g", "ntfs-3g, mkntfs and the fuse module: mounting and "
          "making NTFS."),
    Group("ntfsprogs", "ntfslabel: set_label and set_uuid of NTFS."),
    Group("xz", "the xz program: tar_in and tar_out with compress:xz."),
    Group("zstd", "the zstd program: tar_in and tar_out with "
          "compress:zstd."),
    Group("bzip2", "the bzip2 program: tar_in and tar_out with "
          "compress:bzip2."),
    Group("selinuxrelabel", "setfiles (policycoreutils).",
          ["selinux_relabel"]),
]
