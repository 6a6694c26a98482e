# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, files and their metadata: extended attributes that
# follow symlinks, POSIX ACLs and file capabilities, block copies
# between files and devices, file types and dumps, compressed and cpio
# streams, initrds, ISO 9660 volume descriptors, extra mountpoints and
# loop mounts, and a few diagnostics.  actions.py adds `actions` to the
# daemon's, `structs` to its structs, `groups` to its optional groups
# and the names of `group_actions` to the groups it already has.

from defs import *  # noqa: F401,F403

T = Test
S = "scratch"

structs = [
    Struct("isoinfo", [
        ("iso_system_id", "string"), ("iso_volume_id", "string"),
        ("iso_volume_space_size", "uint32"),
        ("iso_volume_set_size", "uint32"),
        ("iso_volume_sequence_number", "uint32"),
        ("iso_logical_block_size", "uint32"),
        ("iso_volume_set_id", "string"), ("iso_publisher_id", "string"),
        ("iso_data_preparer_id", "string"),
        ("iso_application_id", "string"),
        ("iso_copyright_file_id", "string"),
        ("iso_abstract_file_id", "string"),
        ("iso_bibliographic_file_id", "string"),
        ("iso_volume_creation_t", "int64"),
        ("iso_volume_modification_t", "int64"),
        ("iso_volume_expiration_t", "int64"),
        ("iso_volume_effective_t", "int64"),
    ], "The primary volume descriptor of an ISO 9660 filesystem: its "
       "identifiers without their padding blanks, its sizes, and its "
       "dates in seconds since the epoch (-1 for a date not set)."),
    Struct("tsk_dirent", [
        ("tsk_inode", "uint64"), ("tsk_type", "string"),
        ("tsk_size", "int64"), ("tsk_name", "string"),
        ("tsk_flags", "uint32"),
        ("tsk_atime_sec", "int64"), ("tsk_atime_nsec", "int64"),
        ("tsk_mtime_sec", "int64"), ("tsk_mtime_nsec", "int64"),
        ("tsk_ctime_sec", "int64"), ("tsk_ctime_nsec", "int64"),
        ("tsk_crtime_sec", "int64"), ("tsk_crtime_nsec", "int64"),
        ("tsk_nlink", "int64"), ("tsk_link", "string"),
        ("tsk_spare1", "int64"),
    ], "One entry of a filesystem as the Sleuth Kit reads it from the "
       "device: its inode number, its type as one letter (r regular "
       "file, d directory, l symbolic link, c and b devices, f FIFO, s "
       "socket, h shadow inode, w whiteout, u unknown or virtual), its "
       "size, its path from the root without the leading \"/\", its "
       "flags (0x01 allocated, 0x02 a deleted name whose inode was "
       "used again), its access, modification, change and creation "
       "times in seconds (the nanoseconds and tsk_nlink are 0: the "
       "Sleuth Kit's listing lacks them) and a symbolic link's "
       "target."),
]

ACLTYPE = """ACLTYPE is "access", the ACL that decides who may use PATH,
or "default", the ACL a directory passes on to what is made in it."""

XATTR_FOLLOW = """A symbolic link is followed (inside the guest); the l*
variants act on the link itself."""

# Two partitions of 1 MiB on the blank disk, for device copies.
TWO_PARTS = ["part_init /dev/sda mbr", "part_add /dev/sda p 2048 4095",
             "part_add /dev/sda p 4096 8191"]

COPY_OPTS = [OInt64("srcoffset"), OInt64("destoffset"), OInt64("size"),
             OBool("sparse"), OBool("append")]

COPY_DOC = """Copy bytes from the device SRC to the device DEST
(copy_device_to_file, copy_file_to_device and copy_file_to_file do the
same between devices and guest files).  SRCOFFSET and DESTOFFSET (0
when not given) are where reading and writing start; SIZE is how many
bytes to copy, by default everything up to the end of SRC.  A SRC that
ends before SIZE bytes is an error (EINVAL), as are negative values.

A guest file DEST is made when it is not there and emptied first
unless APPEND is true, which writes at its end instead (not for a
device: EINVAL).  With SPARSE, blocks of zeros are skipped rather than
written, which is right only when DEST is zeros there already (a new
file, a discarded device).  SRC and DEST may be the same, but an
overlapping range is not copied right.  A guest file must be a regular
file (a symbolic link is followed inside the guest)."""

# ELF and PE headers for file_architecture's tests: ELF's identification
# (class, data, version), e_type and e_machine; an MZ stub whose PE
# header at 0x40 names the machine.
ELF_X86_64 = "\x7fELF\x02\x01\x01" + "\x00" * 9 + "\x02\x00\x3e\x00" + \
    "\x01" * 44
ELF_PPC64LE = "\x7fELF\x02\x01\x01" + "\x00" * 9 + "\x02\x00\x15\x00" + \
    "\x01" * 44
PE_I386 = "MZ" + "\x00" * 58 + "\x40\x00\x00\x00" + "PE\x00\x00\x4c\x01" + \
    "\x00" * 10


RSYNC_OPTS_DOC = """

rsync runs in the appliance (optional group rsync) on the guest
directories bound into a namespace of its own, in which the
appliance's files are read-only; its failures come with its exit
status and message."""


def iso_pvd():
    """A primary volume descriptor (its first 881 bytes) for the
    isoinfo tests: system LINUX, volume "DRYDOCK TEST", 100 blocks of
    2048 bytes, publisher PUB, made 2024-01-02 03:04:05 UTC, changed
    the same time at UTC+1, no expiration date."""
    def pad(text, n):
        return text + " " * (n - len(text))

    def both32(v):
        return "".join(chr(v >> (8 * i) & 255) for i in range(4)) + \
            "".join(chr(v >> (8 * i) & 255) for i in (3, 2, 1, 0))

    def both16(v):
        return chr(v & 255) + chr(v >> 8) + chr(v >> 8) + chr(v & 255)

    d = "\x01CD001\x01\x00" + pad("LINUX", 32) + pad("DRYDOCK TEST", 32)
    d += "\x00" * 8 + both32(100) + "\x00" * 32
    d += both16(1) + both16(1) + both16(2048) + "\x00" * 58
    d += pad("", 128) + pad("PUB", 128) + pad("", 128) + pad("", 128)
    d += pad("", 37) * 3
    d += "2024010203040500\x00" + "2024010203040500\x04"
    d += "0" * 16 + "\x00" + "0" * 16 + "\x00"
    assert len(d) == 881, len(d)
    return d


ISO_PVD = iso_pvd()

actions = [
    # Extended attributes, following symlinks (xattr.c).
    Action("getxattrs", 900, RStructList("xattr"), [Pathname("path")],
           "the extended attributes of a file",
           """The extended attributes (name and value) of PATH.
""" + XATTR_FOLLOW + """  A filesystem without extended attributes
gives an error (ENOTSUP).""",
           protocol_limit=True, example="getxattrs /etc/hostname",
           tests=[T(S, ["mkdir /getxattrs", "touch /getxattrs/f",
                        "setxattr user.a 1 1 /getxattrs/f",
                        "setxattr user.b 2 1 /getxattrs/f",
                        "ln_s f /getxattrs/l", "getxattrs /getxattrs/l"], 2),
                  T(S, ["getxattrs /getxattrs-nosuch"], Error("ENOENT"))]),
    Action("getxattr", 901, RBufferOut, [Pathname("path"), String("name")],
           "one extended attribute of a file",
           """The value of the extended attribute NAME of PATH.  """ +
           XATTR_FOLLOW + """  One that is not there is an error
(ENODATA).  It reads an attribute a filesystem does not list (ntfs-3g's
ones).""",
           protocol_limit=True, example="getxattr /etc/hostname user.origin",
           tests=[T(S, ["mkdir /getxattr", "touch /getxattr/f",
                        "setxattr user.a hello 5 /getxattr/f",
                        "ln_s f /getxattr/l", "getxattr /getxattr/l user.a"],
                    "hello"),
                  T(S, ["mkdir /getxattr2", "touch /getxattr2/f",
                        "getxattr /getxattr2/f user.nosuch"],
                    Error("ENODATA")),
                  T(S, ["getxattr /getxattr-nosuch user.a"],
                    Error("ENOENT"))]),
    Action("lgetxattr", 902, RBufferOut, [Pathname("path"), String("name")],
           "one extended attribute of a file or symbolic link",
           """The value of the extended attribute NAME of PATH, a symbolic
link itself rather than its target.  One that is not there is an error
(ENODATA).""",
           protocol_limit=True, example="lgetxattr /etc/hostname user.origin",
           tests=[T(S, ["mkdir /lgetxattr", "touch /lgetxattr/f",
                        "setxattr user.a hello 5 /lgetxattr/f",
                        "lgetxattr /lgetxattr/f user.a"], "hello"),
                  T(S, ["mkdir /lgetxattr2", "touch /lgetxattr2/f",
                        "setxattr user.a hello 5 /lgetxattr2/f",
                        "ln_s f /lgetxattr2/l",
                        "lgetxattr /lgetxattr2/l user.a"],
                    Error("ENODATA"))]),
    Action("setxattr", 903, RErr,
           [String("xattr"), BufferIn("val"), Int("vallen"),
            Pathname("path")],
           "set an extended attribute of a file",
           """Set the extended attribute XATTR (with its namespace:
"user.x", "trusted.y" ...) of PATH to the first VALLEN bytes of VAL,
creating or replacing it.  VALLEN must be between 0 and the length of
VAL.  """ + XATTR_FOLLOW,
           example="setxattr user.origin base 4 /etc/hostname",
           tests=[T(S, ["mkdir /setxattr", "touch /setxattr/f",
                        "ln_s f /setxattr/l",
                        "setxattr user.a hello 3 /setxattr/l",
                        "lgetxattr /setxattr/f user.a"], "hel"),
                  T(S, ["mkdir /setxattr2", "touch /setxattr2/f",
                        "setxattr user.a hello 6 /setxattr2/f"],
                    Error("EINVAL")),
                  T(S, ["setxattr user.a x 1 /setxattr-nosuch"],
                    Error("ENOENT"))]),
    Action("removexattr", 904, RErr, [String("xattr"), Pathname("path")],
           "remove an extended attribute of a file",
           """Remove the extended attribute XATTR of PATH.  """ +
           XATTR_FOLLOW + """  One that is not there is an error
(ENODATA).""",
           example="removexattr user.origin /etc/hostname",
           tests=[T(S, ["mkdir /removexattr", "touch /removexattr/f",
                        "setxattr user.a 1 1 /removexattr/f",
                        "setxattr user.b 1 1 /removexattr/f",
                        "ln_s f /removexattr/l",
                        "removexattr user.a /removexattr/l",
                        "getxattrs /removexattr/f"], 1),
                  T(S, ["mkdir /removexattr2", "touch /removexattr2/f",
                        "removexattr user.a /removexattr2/f"],
                    Error("ENODATA"))]),
    # POSIX ACLs and file capabilities (acl.c, libacl and libcap
    # loaded at run time).
    Action("acl_get_file", 905, RString,
           [Pathname("path"), String("acltype")],
           "the POSIX ACL of a file",
           """The POSIX access control list of PATH in long text form (one
entry a line: "user::rw-", "user:1000:r--", "group::r--", "mask::r--",
"other::---"), users and groups as numbers.  """ + ACLTYPE + """  A
directory without a default ACL gives the empty string.""",
           example="acl_get_file /etc/shadow access",
           tests=[T(S, ["mkdir /acl_get_file", "touch /acl_get_file/f",
                        "chmod 0640 /acl_get_file/f",
                        "acl_get_file /acl_get_file/f access"],
                    "user::rw-\ngroup::r--\nother::---\n"),
                  T(S, ["mkdir /acl_get_file2",
                        "acl_get_file /acl_get_file2 default"], ""),
                  T(S, ["mkdir /acl_get_file3",
                        "acl_get_file /acl_get_file3 owner"],
                    Error("EINVAL")),
                  T(S, ["acl_get_file /acl_get_file-nosuch access"],
                    Error("ENOENT"))]),
    Action("acl_set_file", 906, RErr,
           [Pathname("path"), String("acltype"), String("acl")],
           "set the POSIX ACL of a file",
           """Replace the POSIX access control list of PATH by ACL, in long
or short text form ("u::rwx,g::r-x,o::---,m::rwx,u:1000:rwx").  """ +
           ACLTYPE + """  An access ACL has the three entries of the
permission bits (u::, g::, o::); one with named users or groups ("u:ID:",
"g:ID:", numbers: the appliance knows no guest names) also needs a mask
("m::").  An ACL that is not valid is an error (EINVAL).""",
           example="acl_set_file /srv access u::rwx,g::r-x,o::---,m::rwx,u:1000:rwx",
           tests=[T(S, ["mkdir /acl_set_file", "touch /acl_set_file/f",
                        "acl_set_file /acl_set_file/f access "
                        "u::rw-,g::r--,o::---,m::rwx,u:1000:rwx",
                        "acl_get_file /acl_set_file/f access"],
                    "user::rw-\nuser:1000:rwx\ngroup::r--\nmask::rwx\n"
                    "other::---\n"),
                  T(S, ["mkdir /acl_set_file2",
                        "acl_set_file /acl_set_file2 default "
                        "u::rwx,g::r-x,o::r-x",
                        "acl_get_file /acl_set_file2 default"],
                    "user::rwx\ngroup::r-x\nother::r-x\n"),
                  T(S, ["mkdir /acl_set_file3", "touch /acl_set_file3/f",
                        "acl_set_file /acl_set_file3/f access "
                        "u::rw-,g::r--,o::---,u:1000:rwx"],
                    Error("EINVAL")),
                  T(S, ["mkdir /acl_set_file4", "touch /acl_set_file4/f",
                        "acl_set_file /acl_set_file4/f access nonsense"],
                    Error("EINVAL"))]),
    Action("acl_delete_def_file", 907, RErr, [Pathname("dir")],
           "remove the default POSIX ACL of a directory",
           """Remove the default access control list of the directory DIR
(none there is not an error).""",
           example="acl_delete_def_file /srv",
           tests=[T(S, ["mkdir /acl_delete_def_file",
                        "acl_set_file /acl_delete_def_file default "
                        "u::rwx,g::r-x,o::r-x",
                        "acl_delete_def_file /acl_delete_def_file",
                        "acl_get_file /acl_delete_def_file default"], ""),
                  T(S, ["mkdir /acl_delete_def_file2",
                        "touch /acl_delete_def_file2/f",
                        "acl_delete_def_file /acl_delete_def_file2/f"],
                    Error("ENOTDIR"))]),
    Action("cap_get_file", 908, RString, [Pathname("path")],
           "the capabilities of a file",
           """The Linux capabilities attached to the regular file PATH (a
symbolic link followed inside the guest) in text form, as cap_to_text
writes them ("cap_net_raw=ep"), or the empty string when it has
none.""",
           example="cap_get_file /usr/bin/ping",
           tests=[T(S, ["mkdir /cap_get_file", "touch /cap_get_file/f",
                        "cap_get_file /cap_get_file/f"], ""),
                  T(S, ["mkdir /cap_get_file2",
                        "cap_get_file /cap_get_file2"], Error("EISDIR")),
                  T(S, ["cap_get_file /cap_get_file-nosuch"],
                    Error("ENOENT"))]),
    Action("cap_set_file", 909, RErr, [Pathname("path"), String("cap")],
           "set the capabilities of a file",
           """Attach the Linux capabilities CAP, in text form as
cap_from_text reads it ("cap_net_raw,cap_net_admin=ep"), to the regular
file PATH, replacing those it had.""",
           example="cap_set_file /usr/bin/ping cap_net_raw=ep",
           tests=[T(S, ["mkdir /cap_set_file", "touch /cap_set_file/f",
                        "cap_set_file /cap_set_file/f "
                        "'cap_chown=p cap_chown+e'",
                        "cap_get_file /cap_set_file/f"], "cap_chown=ep"),
                  T(S, ["mkdir /cap_set_file2", "touch /cap_set_file2/f",
                        "cap_set_file /cap_set_file2/f cap_nosuch=ep"],
                    Error("EINVAL"))]),
    Action("checksum_device", 910, RString,
           [String("csumtype"), Device("device")],
           "the checksum of a device",
           """The checksum of the whole content of DEVICE, as checksum
gives a file's: CSUMTYPE is one of "crc", "md5", "sha1", "sha224",
"sha256", "sha384" or "sha512", in any case.""",
           example="checksum_device md5 /dev/sda1",
           tests=[T("empty", ["part_init /dev/sda mbr",
                              "part_add /dev/sda p 2048 4095",
                              "checksum_device md5 /dev/sda1"],
                    "b6d81b360a5672d80c27430f39153e2c"),
                  T("empty", ["checksum_device md4 /dev/sda"],
                    Error("EINVAL")),
                  T("empty", ["checksum_device md5 /dev/sdz"],
                    Error())]),
    # Block copies, trees, sizes (copy.c, tree.c).
    Action("copy_device_to_device", 911, RErr,
           [Device("src"), Device("dest")],
           "copy bytes from a device to a device",
           COPY_DOC, optargs=COPY_OPTS, progress=True,
           example="copy_device_to_device /dev/sda1 /dev/sdb1 size:1048576",
           tests=[T("empty", TWO_PARTS + [
                "pwrite_device /dev/sda1 hello 0",
                "copy_device_to_device /dev/sda1 /dev/sda2 size:5 "
                "destoffset:512",
                "pread_device /dev/sda2 5 512"], "hello"),
                  T("empty", TWO_PARTS + [
                      "copy_device_to_device /dev/sda1 /dev/sda2 "
                      "append:true"], Error("EINVAL")),
                  T("empty", TWO_PARTS + [
                      "copy_device_to_device /dev/sda1 /dev/sda2 "
                      "srcoffset:-1"], Error("EINVAL")),
                  T("empty", TWO_PARTS + [
                      "copy_device_to_device /dev/sda1 /dev/sda2 "
                      "srcoffset:1048570 size:10"], Error("EINVAL"))]),
    Action("copy_device_to_file", 912, RErr,
           [Device("src"), Pathname("dest")],
           "copy bytes from a device to a guest file",
           "Copy bytes of the device SRC into the guest file DEST, as "
           "copy_device_to_device does (SRCOFFSET, DESTOFFSET, SIZE, "
           "SPARSE and APPEND as there).", optargs=COPY_OPTS, progress=True,
           example="copy_device_to_file /dev/sda1 /boot.img",
           tests=[T("empty", TWO_PARTS + [
                "pwrite_device /dev/sda1 hello 0", "mkfs ext2 /dev/sda2",
                "mount /dev/sda2 /",
                "copy_device_to_file /dev/sda1 /f srcoffset:1 size:4",
                "cat /f"], "ello"),
                  T("empty", TWO_PARTS + [
                      "mkfs ext2 /dev/sda2", "mount /dev/sda2 /",
                      "mkfifo 0644 /p",
                      "copy_device_to_file /dev/sda1 /p size:4"],
                    Error("EINVAL"))]),
    Action("copy_file_to_device", 913, RErr,
           [Pathname("src"), Device("dest")],
           "copy bytes from a guest file to a device",
           "Copy bytes of the regular guest file SRC onto the device DEST, "
           "as copy_device_to_device does (SRCOFFSET, DESTOFFSET, "
           "SIZE, SPARSE and APPEND as there).", optargs=COPY_OPTS,
           progress=True,
           example="copy_file_to_device /boot.img /dev/sda1",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda2", "mount /dev/sda2 /",
                "write /f hello",
                "copy_file_to_device /f /dev/sda1 destoffset:100",
                "pread_device /dev/sda1 5 100"], "hello"),
                  T("empty", TWO_PARTS + [
                      "mkfs ext2 /dev/sda2", "mount /dev/sda2 /",
                      "mkdir /d", "copy_file_to_device /d /dev/sda1"],
                    Error("EISDIR"))]),
    Action("copy_file_to_file", 914, RErr,
           [Pathname("src"), Pathname("dest")],
           "copy bytes from a guest file to a guest file",
           """Copy bytes of the regular guest file SRC into the guest file
DEST, as copy_device_to_device does (SRCOFFSET, DESTOFFSET, SIZE,
SPARSE and APPEND as there).  For copying whole files see cp,
cp_a and mv: this call is for blocks inside files.""",
           optargs=COPY_OPTS, progress=True,
           example="copy_file_to_file /a /b srcoffset:512 size:512",
           tests=[T(S, ["mkdir /copy_file_to_file",
                        "write /copy_file_to_file/s 'hello world'",
                        "copy_file_to_file /copy_file_to_file/s "
                        "/copy_file_to_file/d srcoffset:6",
                        "cat /copy_file_to_file/d"], "world"),
                  T(S, ["mkdir /copy_file_to_file2",
                        "write /copy_file_to_file2/s world",
                        "write /copy_file_to_file2/d hello",
                        "copy_file_to_file /copy_file_to_file2/s "
                        "/copy_file_to_file2/d append:true",
                        "cat /copy_file_to_file2/d"], "helloworld"),
                  T(S, ["mkdir /copy_file_to_file3",
                        "fill 0 65536 /copy_file_to_file3/s",
                        "copy_file_to_file /copy_file_to_file3/s "
                        "/copy_file_to_file3/d sparse:true destoffset:10",
                        "filesize /copy_file_to_file3/d"], 65546),
                  T(S, ["mkdir /copy_file_to_file4",
                        "write /copy_file_to_file4/s hello",
                        "copy_file_to_file /copy_file_to_file4/s "
                        "/copy_file_to_file4/d size:6"], Error("EINVAL")),
                  T(S, ["copy_file_to_file /copy_file_to_file-nosuch "
                        "/copy_file_to_file-d"], Error("ENOENT"))]),
    Action("upload_offset", 915, RErr,
           [FileIn("filename"), DevOrPath("remotefilename"),
            Int64("offset")],
           "copy a local file into a guest file or device at an offset",
           """Stream the local FILENAME (- for standard input) into
REMOTEFILENAME from byte OFFSET on, overwriting what is there and
leaving the rest.  REMOTEFILENAME is a device (/dev/...) or a guest
path: a regular file, created (with a hole before OFFSET) when it is
not there.  Any size: the whole file is written unless an error
stops it.""",
           progress=True, example="upload_offset part.bin /disk.img 4096",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda2", "mount /dev/sda2 /", "write /a XYZ",
                "download /a @TMP@/upload_offset.in",
                "write /b hello",
                "upload_offset @TMP@/upload_offset.in /b 1",
                "upload_offset @TMP@/upload_offset.in /dev/sda1 512",
                "pread_device /dev/sda1 3 512"], "XYZ"),
                  T("empty", TWO_PARTS + [
                      "mkfs ext2 /dev/sda2", "mount /dev/sda2 /",
                      "write /a XYZ", "download /a @TMP@/upload_offset.in",
                      "write /b hello",
                      "upload_offset @TMP@/upload_offset.in /b 1",
                      "cat /b"], "hXYZo"),
                  T("empty", TWO_PARTS + [
                      "mkfs ext2 /dev/sda2", "mount /dev/sda2 /",
                      "write /a XYZ", "download /a @TMP@/upload_offset.in",
                      "upload_offset @TMP@/upload_offset.in /b -1"],
                    Error("EINVAL"))]),
    Action("cp_r", 916, RErr, [Pathname("src"), Pathname("dest")],
           "copy a file or a tree, without its owners and times",
           """Copy SRC (a file, or a directory and everything under it) to
DEST, or into DEST when it is a directory, as "cp -rP": symbolic links
are copied as links, and the copies are owned by root and get the
permission bits of their source under the umask (no set-id bits), new
times and no extended attributes.  For a filesystem that cannot keep
owners (FAT); cp_a keeps them.""",
           example="cp_r /etc/skel /home/user",
           tests=[T(S, ["mkdir_p /cp_r/a/b", "write /cp_r/a/b/f hi",
                        "chown 1000 1000 /cp_r/a/b/f",
                        "chmod 04750 /cp_r/a/b/f",
                        "cp_r /cp_r/a /cp_r/c", "statns /cp_r/c/b/f"],
                    Fields({"st_uid": 0, "st_mode": 0o100750,
                            "st_size": 2})),
                  T(S, ["mkdir /cp_r2", "ln_s nowhere /cp_r2/l",
                        "cp_r /cp_r2/l /cp_r2/m", "readlink /cp_r2/m"],
                    "nowhere"),
                  T(S, ["cp_r /cp_r-nosuch /cp_r-d"], Error("ENOENT"))]),
    Action("fallocate64", 917, RErr, [Pathname("path"), Int64("len")],
           "make a file of zeros with its blocks allocated",
           """Make PATH a regular file of LEN zero bytes whose blocks are
allocated (a file there already is replaced).  truncate_size makes a
sparse one instead.""",
           example="fallocate64 /swapfile 1073741824",
           tests=[T(S, ["mkdir /fallocate64",
                        "fallocate64 /fallocate64/f 1000000",
                        "filesize /fallocate64/f"], 1000000),
                  T(S, ["mkdir /fallocate64-2",
                        "fallocate64 /fallocate64-2 10"], Error("EISDIR")),
                  T(S, ["mkdir /fallocate64-3",
                        "fallocate64 /fallocate64-3/f -1"],
                    Error("EINVAL"))]),
    Action("fill_dir", 918, RErr, [Pathname("dir"), Int("nr")],
           "make many empty files",
           """Make NR empty files in the directory DIR, named 00000000,
00000001 ... (eight digits), for testing filesystems.  A regular file
of one of those names is emptied; another kind of file is an
error.""",
           example="fill_dir /tmp 1000",
           tests=[T(S, ["mkdir /fill_dir", "fill_dir /fill_dir 3",
                        "ls /fill_dir"],
                    ["00000000", "00000001", "00000002"]),
                  T(S, ["mkdir /fill_dir2", "fill_dir /fill_dir2 -1"],
                    Error("EINVAL")),
                  T(S, ["fill_dir /fill_dir-nosuch 1"], Error("ENOENT"))]),
    # Compressed and cpio streams, initrds (compress.c, cpio-out.c,
    # initrd.c).
    Action("compress_out", 919, RErr,
           [String("ctype"), Pathname("file"), FileOut("zfile")],
           "copy a guest file out compressed",
           """Compress the regular guest file FILE and stream the result to
the local ZFILE (- for standard output).  CTYPE is the compressor:
"gzip", "bzip2", "xz", "lzop", "compress", "lz4" or "zstd"; one whose
program the appliance lacks is an error whose message says "not
supported" (ENOTSUP).  LEVEL is the compressor's level (gzip, bzip2 and
lzop 1 to 9, xz 0 to 9, lz4 1 to 12, zstd 1 to 19; compress has none),
its default when not given.""",
           optargs=[OInt("level")], progress=True,
           example="compress_out xz /var/log/messages messages.xz",
           tests=[T(S, ["mkdir /compress_out",
                        "write /compress_out/f 'hello\nworld\n'",
                        "compress_out gzip /compress_out/f "
                        "@TMP@/compress_out.gz level:1",
                        "upload @TMP@/compress_out.gz /compress_out/f.gz",
                        "grep wor /compress_out/f.gz compressed:true"],
                    ["world"]),
                  T(S, ["mkdir_p /compress_out2/d/e",
                        "write /compress_out2/d/e/f hi",
                        "cpio_out /compress_out2/d @TMP@/compress_out2.cpio",
                        "upload @TMP@/compress_out2.cpio /compress_out2/c",
                        "compress_out xz /compress_out2/c "
                        "@TMP@/compress_out2.xz",
                        "upload @TMP@/compress_out2.xz /compress_out2/c.xz",
                        "initrd_list /compress_out2/c.xz"],
                    [".", "./e", "./e/f"]),
                  T(S, ["mkdir /compress_out3", "write /compress_out3/f x",
                        "compress_out rar /compress_out3/f "
                        "@TMP@/compress_out3"], Error("EINVAL")),
                  T(S, ["mkdir /compress_out4", "write /compress_out4/f x",
                        "compress_out gzip /compress_out4/f "
                        "@TMP@/compress_out4 level:10"], Error("EINVAL")),
                  T(S, ["mkdir /compress_out5", "mkfifo 0644 /compress_out5/p",
                        "compress_out gzip /compress_out5/p "
                        "@TMP@/compress_out5"], Error("EINVAL"))]),
    Action("compress_device_out", 920, RErr,
           [String("ctype"), Device("device"), FileOut("zdevice")],
           "copy a device out compressed",
           """Compress the whole content of DEVICE and stream the result to
the local ZDEVICE (- for standard output).  CTYPE and LEVEL are as in
compress_out.""",
           optargs=[OInt("level")], progress=True,
           example="compress_device_out gzip /dev/sda1 sda1.gz",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda2", "mount /dev/sda2 /", "mkdir_p /d/e",
                "cpio_out /d @TMP@/compress_device_out.cpio",
                "upload_offset @TMP@/compress_device_out.cpio /dev/sda1 0",
                "compress_device_out gzip /dev/sda1 "
                "@TMP@/compress_device_out.gz",
                "upload @TMP@/compress_device_out.gz /x.gz",
                "initrd_list /x.gz"], [".", "./e"]),
                  T("empty", ["compress_device_out gzip /dev/sdz "
                              "@TMP@/compress_device_out2"], Error())]),
    Action("cpio_out", 921, RErr,
           [Pathname("directory"), FileOut("cpiofile")],
           "pack a guest directory as a cpio archive",
           """Pack DIRECTORY and everything under it as a cpio archive
streamed to the local CPIOFILE (- for standard output), its names "."
and "./PATH".  FORMAT is "newc" (the SVR4 format, which the kernel
reads for an initramfs; the default) or "crc" (the same with a sum of
each file's bytes).  Owners, modes, times and device numbers are kept;
symbolic links are stored as links; hard links become copies.  newc
holds files of up to 4 GiB - 1 (EFBIG).""",
           optargs=[OString("format")], progress=True,
           example="cpio_out /boot/initrd-tree initrd.cpio",
           tests=[T(S, ["mkdir_p /cpio_out/d/e", "write /cpio_out/d/e/f hi",
                        "ln_s f /cpio_out/d/e/l",
                        "cpio_out /cpio_out/d @TMP@/cpio_out.cpio "
                        "format:crc",
                        "upload @TMP@/cpio_out.cpio /cpio_out/c",
                        "initrd_cat /cpio_out/c e/f"], "hi"),
                  T(S, ["mkdir /cpio_out2",
                        "cpio_out /cpio_out2 @TMP@/cpio_out2 format:odc"],
                    Error("EINVAL")),
                  T(S, ["cpio_out /cpio_out-nosuch @TMP@/cpio_out3"],
                    Error("ENOENT"))]),
    Action("initrd_list", 922, RStringList, [Pathname("path")],
           "the files of an initramfs",
           """The names of the files in the initramfs image PATH, in the
order they are stored (directories are names of their own), as
stored: usually without a leading "/".  PATH holds one or more cpio
archives ("newc"), each plain or compressed (gzip, xz, lzma, zstd,
bzip2, lz4, lzop), one after the other, as the kernel reads them (so
the early microcode archive before the compressed one is listed too).
The old compressed ext2 initrds are not read: EINVAL.""",
           protocol_limit=True, example="initrd_list /boot/initrd.img",
           tests=[T(S, ["mkdir_p /initrd_list/a/b", "mkdir /initrd_list/c",
                        "write /initrd_list/c/g x",
                        "cpio_out /initrd_list/a @TMP@/initrd_list.a",
                        "cpio_out /initrd_list/c @TMP@/initrd_list.c",
                        "upload @TMP@/initrd_list.a /initrd_list/i",
                        "upload @TMP@/initrd_list.c /initrd_list/c.cpio",
                        "compress_out gzip /initrd_list/c.cpio "
                        "@TMP@/initrd_list.gz",
                        "upload @TMP@/initrd_list.gz /initrd_list/c.gz",
                        "copy_file_to_file /initrd_list/c.gz /initrd_list/i "
                        "append:true",
                        "initrd_list /initrd_list/i"],
                    [".", "./b", ".", "./g"]),
                  T(S, ["mkdir /initrd_list2",
                        "write /initrd_list2/f 'not an initrd'",
                        "initrd_list /initrd_list2/f"], Error("EINVAL")),
                  T(S, ["initrd_list /initrd_list-nosuch"],
                    Error("ENOENT"))]),
    Action("initrd_cat", 923, RBufferOut,
           [Pathname("initrdpath"), String("filename")],
           "a file of an initramfs",
           """The content of the regular file FILENAME (without a leading
"/") of the initramfs image INITRDPATH (see initrd_list), which is not
unpacked anywhere.  A name that is not there is an error (ENOENT).""",
           protocol_limit=True, example="initrd_cat /boot/initrd.img init",
           tests=[T(S, ["mkdir_p /initrd_cat/d/etc",
                        "write /initrd_cat/d/etc/hostname box",
                        "cpio_out /initrd_cat/d @TMP@/initrd_cat.cpio",
                        "upload @TMP@/initrd_cat.cpio /initrd_cat/c",
                        "compress_out zstd /initrd_cat/c @TMP@/initrd_cat.zst",
                        "upload @TMP@/initrd_cat.zst /initrd_cat/c.zst",
                        "initrd_cat /initrd_cat/c.zst /etc/hostname"], "box"),
                  T(S, ["mkdir_p /initrd_cat2/d",
                        "cpio_out /initrd_cat2/d @TMP@/initrd_cat2.cpio",
                        "upload @TMP@/initrd_cat2.cpio /initrd_cat2/c",
                        "initrd_cat /initrd_cat2/c etc/nosuch"],
                    Error("ENOENT"))]),
    # File types and dumps (file-type.c).
    Action("hexdump", 924, RString, [Pathname("path")],
           "a hex dump of a file",
           """The canonical hex dump of the regular file PATH, as hexdump
-C prints it: lines of an offset, 16 bytes in hex and their printable
characters, a "*" for a run of lines like the one before, and the
size at the end.  The dump must fit in one reply (a file of about
600 KiB at most, less unless it repeats).""",
           protocol_limit=True, example="hexdump /etc/hostname",
           tests=[T(S, ["mkdir /hexdump", "write /hexdump/f 'hello\n'",
                        "hexdump /hexdump/f"],
                    "00000000  68 65 6c 6c 6f 0a" + " " * 33 +
                    "|hello.|\n00000006\n"),
                  T(S, ["mkdir /hexdump2", "fill 0 64 /hexdump2/f",
                        "hexdump /hexdump2/f"],
                    "00000000  " + "00 " * 8 + " " + "00 " * 8 +
                    " |" + "." * 16 + "|\n*\n00000040\n"),
                  T(S, ["mkdir /hexdump3", "mkfifo 0644 /hexdump3/p",
                        "hexdump /hexdump3/p"], Error("EINVAL")),
                  T(S, ["mkdir /hexdump4", "hexdump /hexdump4"],
                    Error("EISDIR")),
                  T(S, ["mkdir /hexdump5",
                        "mknod_c 0644 1 3 /hexdump5/null",
                        "hexdump /hexdump5/null"], Error("EINVAL"))]),
    Action("strings", 925, RStringList, [Pathname("path")],
           "the printable strings of a file",
           """The printable strings of the regular file PATH, as strings(1)
finds them: runs of at least 4 characters that are printable ASCII or
tabs.  The list must fit in one reply.""",
           protocol_limit=True, example="strings /usr/bin/ls",
           tests=[T(S, ["mkdir /strings",
                        "write /strings/f '\x01\x02hello\x03ab\x04world!\n'",
                        "strings /strings/f"], ["hello", "world!"]),
                  T(S, ["mkdir /strings2", "mkfifo 0644 /strings2/p",
                        "strings /strings2/p"], Error("EINVAL")),
                  T(S, ["mkdir /strings3",
                        "mknod_b 0644 8 0 /strings3/sda",
                        "strings /strings3/sda"], Error("EINVAL"))]),
    Action("strings_e", 926, RStringList,
           [String("encoding"), Pathname("path")],
           "the printable strings of a file, in an encoding",
           """The printable strings of the regular file PATH in ENCODING, as
strings -e finds them: "s" 7-bit bytes (as strings), "S" 8-bit bytes,
"b" and "l" 16-bit characters big and little endian (UTF-16, UCS-2:
Windows binaries use "l"), "B" and "L" 32-bit ones (UCS-4).  A wide
character counts when its value is printable ASCII, wherever it
starts.  Bytes above 127 (encoding S) come back as they are.""",
           protocol_limit=True, example="strings_e l /Windows/notepad.exe",
           tests=[T(S, ["mkdir /strings_e",
                        "write /strings_e/f "
                        "'\x01h\x00e\x00l\x00l\x00o\x00\x02\x00x\x00'",
                        "strings_e l /strings_e/f"], ["hello"]),
                  T(S, ["mkdir /strings_e4",
                        "write /strings_e4/f "
                        "'\x01\x02hello\x03ab\x04world!\n\tabc\xe9def'",
                        "strings_e S /strings_e4/f"],
                    ["hello", "world!", "\tabc\xe9def"]),
                  T(S, ["mkdir /strings_e2",
                        "write /strings_e2/f '\x00\x00\x00w\x00\x00\x00i"
                        "\x00\x00\x00d\x00\x00\x00e'",
                        "strings_e B /strings_e2/f"], ["wide"]),
                  T(S, ["mkdir /strings_e3", "write /strings_e3/f x",
                        "strings_e x /strings_e3/f"], Error("EINVAL"))]),
    Action("file", 927, RString, [Pathname("path")],
           "what kind of file a file is",
           """What PATH is, as the file program says of its content (-b:
without the name; -z: looking into compressed files) for a regular
file: "ASCII text", "ELF 64-bit LSB executable, x86-64, ..." ...  The
text is file's and may change with its versions.  Another kind of file
is named without being opened: "directory", "symbolic link" (a final
symbolic link is not followed), "character device", "block device",
"FIFO" or "socket".""",
           example="file /bin/ls",
           tests=[T(S, ["mkdir /file", "file /file"], "directory"),
                  T(S, ["mkdir /file2", "ln_s nowhere /file2/l",
                        "file /file2/l"], "symbolic link"),
                  T(S, ["mkdir /file3", "mkfifo 0644 /file3/p",
                        "file /file3/p"], "FIFO"),
                  T(S, ["mkdir /file5", "mknod_c 0644 1 3 /file5/null",
                        "file /file5/null"], "character device"),
                  T(S, ["mkdir /file4", "write /file4/f 'hello world\n'",
                        "file /file4/f"], "ASCII text"),
                  T(S, ["file /file-nosuch"], Error("ENOENT"))]),
    Action("file_architecture", 928, RString, [Pathname("filename")],
           "the architecture of a binary",
           """The architecture of the binary FILENAME, read from its header:
an ELF executable, shared library, object or kernel module, a Windows
PE executable or DLL (Win32 gives "i386", Win64 "x86_64"), or an
initramfs (its first ELF file).  The answer is one of "aarch64", "arm",
"i386" (every 32-bit x86), "ia64", "loongarch64", "mips", "mips64",
"ppc", "ppc64", "ppc64le", "riscv32", "riscv64", "s390", "s390x",
"sparc", "sparc64" or "x86_64".  Anything else, such as a static
library, an x86 bzImage kernel or a text file, is EINVAL.""",
           example="file_architecture /bin/ls",
           tests=[T(S, ["mkdir /file_architecture",
                        "write /file_architecture/f "
                        "'" + ELF_X86_64 + "'",
                        "file_architecture /file_architecture/f"], "x86_64"),
                  T(S, ["mkdir /file_architecture2",
                        "write /file_architecture2/f '" + PE_I386 + "'",
                        "file_architecture /file_architecture2/f"], "i386"),
                  T(S, ["mkdir_p /file_architecture3/d/bin",
                        "write /file_architecture3/d/bin/sh "
                        "'" + ELF_PPC64LE + "'",
                        "cpio_out /file_architecture3/d "
                        "@TMP@/file_architecture3.cpio",
                        "upload @TMP@/file_architecture3.cpio "
                        "/file_architecture3/c",
                        "compress_out gzip /file_architecture3/c "
                        "@TMP@/file_architecture3.gz",
                        "upload @TMP@/file_architecture3.gz "
                        "/file_architecture3/initrd.img",
                        "file_architecture /file_architecture3/initrd.img"],
                    "ppc64le"),
                  T(S, ["mkdir /file_architecture4",
                        "write /file_architecture4/f 'just text'",
                        "file_architecture /file_architecture4/f"],
                    Error("EINVAL"))]),
    # ISO 9660 (isoinfo.c).
    Action("isoinfo_device", 929, RStruct("isoinfo"), [Device("device")],
           "the primary volume descriptor of an ISO 9660 device",
           """The primary volume descriptor of the ISO 9660 filesystem on
DEVICE (its superblock): identifiers, sizes and dates (see struct
drydock_isoinfo).  A device without one is EINVAL.""",
           example="isoinfo_device /dev/sdb",
           tests=[T("part", ["pwrite_device /dev/sda1 '" + ISO_PVD +
                             "' 32768", "isoinfo_device /dev/sda1"],
                    Fields({"iso_system_id": "LINUX",
                            "iso_volume_id": "DRYDOCK TEST",
                            "iso_volume_space_size": 100,
                            "iso_logical_block_size": 2048,
                            "iso_publisher_id": "PUB",
                            "iso_volume_creation_t": 1704164645,
                            "iso_volume_modification_t": 1704164645 - 3600,
                            "iso_volume_expiration_t": -1}),
                    readonly=False),
                  T("part", ["isoinfo_device /dev/sda1"], Error("EINVAL"),
                    readonly=True)]),
    Action("isoinfo", 930, RStruct("isoinfo"), [Pathname("isofile")],
           "the primary volume descriptor of an ISO 9660 image file",
           """The same as isoinfo_device for ISOFILE, a regular guest file
holding an ISO 9660 image (an ISO added as a drive is read with
isoinfo_device).""",
           example="isoinfo /images/boot.iso",
           tests=[T(S, ["mkdir /isoinfo", "fill 0 36864 /isoinfo/f",
                        "pwrite /isoinfo/f '" + ISO_PVD + "' 32768",
                        "isoinfo /isoinfo/f"],
                    Fields({"iso_volume_id": "DRYDOCK TEST",
                            "iso_volume_set_size": 1,
                            "iso_volume_sequence_number": 1})),
                  T(S, ["mkdir /isoinfo2", "fill 0 36864 /isoinfo2/f",
                        "isoinfo /isoinfo2/f"], Error("EINVAL")),
                  T(S, ["mkdir /isoinfo3", "mkfifo 0644 /isoinfo3/p",
                        "isoinfo /isoinfo3/p"], Error("EINVAL"))]),
    # Mountpoints, loop mounts, remounts (mount-loop.c).
    Action("mkmountpoint", 931, RErr, [Pathname("exemptpath")],
           "make a mountpoint before mounting",
           """Make the directory EXEMPTPATH where a filesystem can be
mounted, before the first mount on / or inside one: for mounting
unrelated filesystems side by side (an ISO on /cd, the squashfs image
it holds on /sqsh ...) with mount and mount_loop.  Unmount them, in
reverse order, and remove the mountpoints with rmmountpoint when
done.""",
           example="mkmountpoint /cd",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda1", "mkfs ext2 /dev/sda2",
                "mkmountpoint /mkmp-a", "mkmountpoint /mkmp-b",
                "mount /dev/sda1 /mkmp-a", "mount /dev/sda2 /mkmp-b",
                "mountpoints"],
                ["/dev/sda1", "/mkmp-a", "/dev/sda2", "/mkmp-b"]),
                  T("empty", ["mkmountpoint /mkmp-c", "mkmountpoint /mkmp-c"],
                    Error("EEXIST"))]),
    Action("rmmountpoint", 932, RErr, [Pathname("exemptpath")],
           "remove a mountpoint",
           """Remove the directory EXEMPTPATH that mkmountpoint made (nothing
may be mounted on it any more).""",
           example="rmmountpoint /cd",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda1", "mkmountpoint /rmmp-a",
                "mount /dev/sda1 /rmmp-a", "umount /rmmp-a",
                "rmmountpoint /rmmp-a", "mkmountpoint /rmmp-a"]),
                  T("empty", ["rmmountpoint /rmmp-nosuch"],
                    Error("ENOENT"))]),
    Action("mount_loop", 933, RErr,
           [Pathname("file"), Pathname("mountpoint")],
           "mount a filesystem image held in a file",
           """Mount the filesystem in the regular guest file FILE (an image,
as "mount -o loop") on MOUNTPOINT, through a loop device that goes
away when it is unmounted.  A FILE on a read-only filesystem, or
holding a filesystem that is only read (ISO 9660, squashfs), is mounted
read-only.""",
           example="mount_loop /LiveOS/squashfs.img /sqsh",
           tests=[T("empty", TWO_PARTS + [
                "mkfs ext2 /dev/sda1", "mkfs ext2 /dev/sda2",
                "mount /dev/sda2 /", "copy_device_to_file /dev/sda1 /img",
                "mkdir /mnt", "mount_loop /img /mnt", "write /mnt/f hi",
                "umount /mnt", "mount_loop /img /mnt", "cat /mnt/f"], "hi"),
                  T(S, ["mkdir /mount_loop", "write /mount_loop/f text",
                        "mount_loop /mount_loop/f /mount_loop"],
                    Error("EINVAL")),
                  T(S, ["mkdir /mount_loop2", "mkfifo 0644 /mount_loop2/p",
                        "mount_loop /mount_loop2/p /mount_loop2"],
                    Error("EINVAL")),
                  T(S, ["mount_loop /mount_loop-nosuch /"],
                    Error("ENOENT"))]),
    Action("remount", 934, RErr, [Pathname("mountpoint")],
           "make a mounted filesystem read-only or read-write",
           """Remount the filesystem mounted on MOUNTPOINT read-write (RW
true) or read-only (RW false).  RW must be given (EINVAL).""",
           optargs=[OBool("rw")],
           example="remount / rw:true",
           tests=[T("fs", ["remount / rw:false", "touch /x"], Error("EROFS")),
                  T("fs", ["remount / rw:false", "remount / rw:true",
                           "touch /x"]),
                  T("fs", ["remount /"], Error("EINVAL")),
                  T("fs", ["mkdir /d", "remount /d rw:true"],
                    Error("EINVAL"))]),
    # The appliance (sysinfo.c).
    Action("modprobe", 935, RErr, [String("modulename")],
           "load a kernel module in the appliance",
           """Load the kernel module MODULENAME (and what it needs) into the
appliance's kernel.  One the appliance does not carry is ENOENT.""",
           example="modprobe loop",
           tests=[T("empty", ["modprobe loop"], readonly=True),
                  T("empty", ["modprobe nosuchmodule"], Error("ENOENT"),
                    readonly=True),
                  T("empty", ["modprobe ../x"], Error("EINVAL"),
                    readonly=True)]),
    Action("filesystem_available", 936, RBool, [String("filesystem")],
           "can the appliance's kernel mount a filesystem type",
           """Whether the appliance can mount filesystems of type FILESYSTEM
("ext4", "xfs", "vfat", "ntfs" ...), once its module is loaded.  False
is certain; true does not promise that a given filesystem of the type
mounts (a newer version, a feature, a missing mkfs).""",
           example="filesystem_available btrfs",
           tests=[T("empty", ["filesystem_available ext4"], True,
                    readonly=True),
                  T("empty", ["filesystem_available nosuchfs"], False,
                    readonly=True),
                  T("empty", ["filesystem_available a/b"], Error("EINVAL"),
                    readonly=True)]),
    Action("get_umask", 937, RInt, [],
           "the umask",
           """The daemon's umask, which new files and directories get their
modes through (022 unless umask changed it).""",
           example="get_umask",
           # A test must leave the umask as it found it (022): the
           # tests after it in the launch make files.
           tests=[T("empty", ["umask 077", "umask 022", "get_umask"], 0o22,
                    readonly=True)]),
    Action("is_whole_device", 938, RBool, [Device("device")],
           "is a device a whole disk",
           """Whether DEVICE is a whole disk: not a partition, a logical
volume or another device-mapper device.""",
           example="is_whole_device /dev/sda",
           tests=[T("part", ["is_whole_device /dev/sda"], True,
                    readonly=True),
                  T("part", ["is_whole_device /dev/sda1"], False,
                    readonly=True),
                  T("lvm", ["is_whole_device /dev/VG/LV"], False,
                    readonly=True),
                  T("part", ["is_whole_device /dev/sdz"], Error(),
                    readonly=True)]),
    # The Sleuth Kit (sleuthkit.c).
    Action("download_inode", 939, RErr,
           [Device("device"), Int64("inode"), FileOut("filename")],
           "copy a file out by its inode number",
           """Stream the data of the inode INODE of the filesystem on DEVICE
to the local FILENAME (- for standard output), read from the device
by the Sleuth Kit (icat), not through a mount: also a deleted file
whose blocks are still there.  A mounted filesystem is read as it is
on the device (sync first).""",
           progress=True, example="download_inode /dev/sda1 12 file",
           tests=[T("fs", ["write /f hello", "sync",
                           "download_inode /dev/sda1 12 @TMP@/inode",
                           "upload @TMP@/inode /g", "cat /g"], "hello"),
                  T("fs", ["download_inode /dev/sda1 -1 @TMP@/inode2"],
                    Error("EINVAL"))]),
    Action("download_blocks", 940, RErr,
           [Device("device"), Int64("start"), Int64("stop"),
            FileOut("filename")],
           "copy data units of a filesystem out",
           """Stream the data units (blocks, clusters) START to STOP of the
filesystem on DEVICE to the local FILENAME (- for standard output), as
the Sleuth Kit's blkls reads them.  With UNALLOCATED only the units no
file uses are sent (where deleted data may be found); by default
every one.""",
           optargs=[OBool("unallocated")], progress=True,
           example="download_blocks /dev/sda1 0 1023 blocks",
           tests=[T("fs", ["download_blocks /dev/sda1 0 1 @TMP@/blocks",
                           "upload @TMP@/blocks /b", "filesize /b"], 2048),
                  T("fs", ["download_blocks /dev/sda1 5 4 @TMP@/blocks2"],
                    Error("EINVAL"))]),
    # rsync (rsync.c).
    Action("rsync", 941, RErr, [Pathname("src"), Pathname("dest")],
           "synchronise two guest directories",
           """Copy SRC to DEST inside the guest with rsync(1), which copies
only what differs.  As with rsync, a SRC ending in "/" means its
content, else SRC itself lands in DEST.  ARCHIVE is rsync's --archive
(recursive, keeping links, modes, times, owners and devices; without
it directories are skipped); DELETEDEST removes from DEST what SRC
lacks (--delete).  Symbolic links in the trees are copied, never
followed.""" + RSYNC_OPTS_DOC,
           optargs=[OBool("archive"), OBool("deletedest")],
           example="rsync /home/ /backup/home archive:true",
           tests=[T(S, ["mkdir_p /rsync/a/b", "write /rsync/a/b/f hi",
                        "mkdir /rsync/c", "write /rsync/c/old x",
                        "rsync /rsync/a/ /rsync/c archive:true "
                        "deletedest:true", "ls /rsync/c"], ["b"]),
                  T(S, ["mkdir_p /rsync2/a", "write /rsync2/a/f hi",
                        "mkdir /rsync2/c",
                        "rsync /rsync2/a /rsync2/c archive:true",
                        "cat /rsync2/c/a/f"], "hi"),
                  T(S, ["mkdir /rsync3",
                        "rsync /rsync3/nosuch /rsync3 archive:true"],
                    Error())]),
    Action("rsync_in", 942, RErr, [String("remote"), Pathname("dest")],
           "synchronise a guest directory from an rsync server",
           """Copy the files of the rsync server REMOTE
("rsync://HOST[:PORT]/MODULE/PATH" or "HOST::MODULE/PATH") to the
guest directory DEST with rsync(1), over the appliance's network
(set_network before launch; qemu's user network reaches the host as
10.0.2.2).  The server must not ask for a password.  ARCHIVE and
DELETEDEST are as in rsync.  A REMOTE of another form (a local path,
ssh's HOST:PATH) is EINVAL.""" + RSYNC_OPTS_DOC,
           optargs=[OBool("archive"), OBool("deletedest")],
           example="rsync_in rsync://10.0.2.2/files/ /srv archive:true",
           tests=[T(S, ["mkdir /rsync_in",
                        "rsync_in /etc/ /rsync_in archive:true"],
                    Error("EINVAL")),
                  T(S, ["mkdir /rsync_in2",
                        "rsync_in rsync://10.0.2.2:1/x/ /rsync_in2"],
                    Error())]),
    Action("rsync_out", 943, RErr, [Pathname("src"), String("remote")],
           "synchronise an rsync server from a guest directory",
           """Copy the guest's SRC to the rsync server REMOTE (as in
rsync_in) with rsync(1), over the appliance's network.  SRC is not
globbed (see glob_expand).  ARCHIVE and DELETEDEST are as in
rsync.""" + RSYNC_OPTS_DOC,
           optargs=[OBool("archive"), OBool("deletedest")],
           example="rsync_out /var/log/ rsync://10.0.2.2/logs/ archive:true",
           tests=[T(S, ["mkdir /rsync_out",
                        "rsync_out /rsync_out -x"], Error("EINVAL")),
                  T(S, ["mkdir /rsync_out2",
                        "rsync_out /rsync_out2/ rsync://10.0.2.2:1/x/"],
                    Error())]),
    # The Sleuth Kit's listing (tsk.c).
    Action("filesystem_walk", 944, RStructList("tsk_dirent"),
           [Device("device")],
           "every entry of a filesystem, deleted ones too",
           """Every file and directory of the filesystem on DEVICE, read from
the device by the Sleuth Kit (fls) rather than through a mount, deleted
entries included (flag 0x01 clear), not sorted: see struct
drydock_tsk_dirent.  tsk_type is a string of one letter.  The list
must fit in one reply.""",
           protocol_limit=True, example="filesystem_walk /dev/sda1",
           tests=[T("fs", ["mkdir /d", "write /d/f hi", "ln_s f /d/l",
                           "sync", "filesystem_walk /dev/sda1"], 5),
                  T("part", ["filesystem_walk /dev/sda1"], Error(),
                    readonly=True)]),
    Action("find_inode", 945, RStructList("tsk_dirent"),
           [Device("device"), Int64("inode")],
           "the entries of an inode",
           """The entries (names) of the filesystem on DEVICE whose inode is
INODE, as filesystem_walk lists them: several for hard links, deleted
names too.""",
           protocol_limit=True, example="find_inode /dev/sda1 12",
           tests=[T("fs", ["write /f hi", "ln /f /g", "sync",
                           "find_inode /dev/sda1 12"], 2),
                  T("fs", ["find_inode /dev/sda1 -1"], Error("EINVAL"),
                    readonly=True)]),
]

# The optional groups of actions.py that cover some of these actions,
# and groups of their own.
group_actions = {
}

groups = [
    Group("linuxxattrs", "extended attributes (always there: the daemon "
          "calls the kernel itself).",
          ["getxattrs", "getxattr", "lgetxattr", "setxattr", "removexattr",
           "lgetxattrs", "lsetxattr", "lremovexattr", "lxattrlist"]),
    Group("acl", "libacl (libacl.so.1), loaded when first used.",
          ["acl_get_file", "acl_set_file", "acl_delete_def_file"]),
    Group("linuxcaps", "libcap (libcap.so.2), loaded when first used.",
          ["cap_get_file", "cap_set_file"]),
    Group("file", "the file program and its magic database.", ["file"]),
    Group("sleuthkit", "the Sleuth Kit's icat and blkls.",
          ["download_inode", "download_blocks"]),
    Group("rsync", "the rsync program.", ["rsync", "rsync_in", "rsync_out"]),
    Group("libtsk", "the Sleuth Kit's fls.",
          ["filesystem_walk", "find_inode"]),
    Group("linuxmodules", "kernel modules (always there: the appliance "
          "carries its own).", ["modprobe"]),
]
