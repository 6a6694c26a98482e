# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, deprecated actions: calls an older API had, kept so
# that programs written against it keep working.  Most are a thin
# library-side body (library/deprecated.c) over the action that replaces
# it, named in deprecated_by: the docs point there and the first call on
# a handle warns.  The others keep what is left of a feature the
# appliance does not have (direct mode, SELinux at boot, 9p, the
# inspect_is_* answers).  sfdisk, sfdisk_N, sfdisk_l, getcon and setcon
# are daemon actions (daemon/deprecated.c, procs 1040-1079).  The
# configuration ones (add_drive_with_if ...) are tested in
# tests/actions/test-actions-deprecated.sh.
# actions.py adds `actions` to the table.

from defs import *  # noqa: F401,F403

T = Test
S = "scratch"
F = "fs"


def lib(name, ret, args, short, long, by, **kw):
    """A library-side deprecated action called on a launched handle."""
    return Action(name, 0, ret, args, short, long, side="library",
                  deprecated_by=by, **kw)


def anytime(name, ret, args, short, long, by, **kw):
    """A library-side deprecated action called in any state."""
    return Action(name, 0, ret, args, short, long, side="library",
                  needs_launch=False, deprecated_by=by, **kw)


# The grep family: grep with fixed optional arguments.
GREPS = [
    # name, argument, extended, fixed, insensitive, compressed, program
    ("grepi", "regex", 0, 0, 1, 0, "grep -i"),
    ("egrep", "regex", 1, 0, 0, 0, "egrep"),
    ("egrepi", "regex", 1, 0, 1, 0, "egrep -i"),
    ("fgrep", "pattern", 0, 1, 0, 0, "fgrep"),
    ("fgrepi", "pattern", 0, 1, 1, 0, "fgrep -i"),
    ("zgrep", "regex", 0, 0, 0, 1, "zgrep"),
    ("zgrepi", "regex", 0, 0, 1, 1, "zgrep -i"),
    ("zegrep", "regex", 1, 0, 0, 1, "zegrep"),
    ("zegrepi", "regex", 1, 0, 1, 1, "zegrep -i"),
    ("zfgrep", "pattern", 0, 1, 0, 1, "zfgrep"),
    ("zfgrepi", "pattern", 0, 1, 1, 1, "zfgrep -i"),
]

GREP_TEXT = "Hello\nworld\nl.o\n"


def grep_test(name, arg, ext, fixed, icase, comp):
    d = "/" + name
    calls = ["mkdir_p " + d, "write %s/f '%s'" % (d, GREP_TEXT)]
    path = d + "/f"
    if comp:
        calls += ["compress_out gzip %s/f @TMP@/%s.gz" % (d, name),
                  "upload @TMP@/%s.gz %s/f.gz" % (name, d)]
        path = d + "/f.gz"
    if fixed:
        pat = "L.O" if icase else "l.o"
        want = ["l.o"]
    elif ext:
        pat = "'WOR|^x+$'" if icase else "'wor|^x+$'"
        want = ["world"]
    else:
        pat = "hello" if icase else "Hello"
        want = ["Hello"]
    tests = [T(S, calls + ["%s %s %s" % (name, pat, path)], want),
             # The error is the action's own, without grep's name.
             T(S, ["%s x /%s-nosuch" % (name, name)],
               Error("ENOENT", "%s: /%s-nosuch" % (name, name)))]
    if not icase:
        # Case matters without the i.
        tests.append(T(S, calls + ["%s %s %s" % (name, pat.upper(), path)],
                       []))
    if fixed:
        # A dot is a dot: "lxo" is not "l.o".
        tests.append(T(S, calls + ["write %s/g lxo" % d,
                                   "%s l.o %s/g" % (name, d)], []))
    return tests


grep_actions = [
    lib(name, RStringList, [String(arg), Pathname("path")],
        "return the lines of a file that match (%s)" % prog,
        """Return the lines of PATH that match %s, as %s does.  This is
grep with %s.""" % (
            "the fixed string PATTERN" if fixed else
            ("the extended regular expression REGEX" if ext
             else "the regular expression REGEX"),
            prog,
            ", ".join(x for x, on in [("extended:true", ext),
                                      ("fixed:true", fixed),
                                      ("insensitive:true", icase),
                                      ("compressed:true", comp)] if on)),
        "grep", protocol_limit=True,
        tests=grep_test(name, arg, ext, fixed, icase, comp)
        + ([T(S, ["%s x /%s-missing" % (name, name)], Error("ENOENT"))]
           if name == "grepi" else []))
    for name, arg, ext, fixed, icase, comp, prog in GREPS
]

# Tar archives: tar_in and tar_out with compress.
def tar_test(kind, way):
    n = "t%s_%s" % (kind, way)
    return T(S, ["mkdir_p /%s/a/d" % n, "write /%s/a/d/f round" % n,
                 "t%s_out /%s/a @TMP@/%s.t" % (kind, n, n),
                 "mkdir /%s/b" % n,
                 "t%s_in @TMP@/%s.t /%s/b" % (kind, n, n),
                 "cat /%s/b/d/f" % n], "round")


def tar_actions(kind, comp, word):
    n = "t" + kind
    return [
        lib(n + "_in", RErr, [FileIn("tarball"), Pathname("directory")],
            "unpack a %s compressed tarball" % word,
            """Unpack the local %s compressed tar archive TARBALL into
DIRECTORY: tar_in with compress:%s.""" % (word, comp),
            "tar_in",
            tests=[tar_test(kind, "in"),
                   # An archive not so compressed is refused.
                   T(S, ["mkdir_p /%s_plain/d" % n,
                         "tar_out /%s_plain/d @TMP@/%s_plain.tar" % (n, n),
                         "%s_in @TMP@/%s_plain.tar /%s_plain" % (n, n, n)],
                     Error())]),
        lib(n + "_out", RErr, [Pathname("directory"), FileOut("tarball")],
            "pack a directory into a %s compressed tarball" % word,
            """Pack DIRECTORY into the local %s compressed tar archive
TARBALL: tar_out with compress:%s.""" % (word, comp),
            "tar_out",
            tests=[tar_test(kind, "out"),
                   T(S, ["%s_out /%s-missing @TMP@/x.t" % (n, n)],
                     Error("ENOENT"))]),
    ]


LUKS = ["luks_format /dev/sda1 key 0"]

luks_actions = [
    lib("luks_open", RErr, [Device("device"), Key("key"), String("mapname")],
        "open an encrypted block device",
        """Open the LUKS encrypted DEVICE with the passphrase KEY as
/dev/mapper/MAPNAME: cryptsetup_open with crypttype:luks.""",
        "cryptsetup_open",
        tests=[T("part", LUKS + ["luks_open /dev/sda1 key lk",
                                 "mkfs ext2 /dev/mapper/lk",
                                 "vfs_type /dev/mapper/lk"], "ext2"),
               T("part", LUKS + ["luks_open /dev/sda1 wrong lk"],
                 Error("EACCES"))]),
    lib("luks_open_ro", RErr, [Device("device"), Key("key"), String("mapname")],
        "open an encrypted block device read-only",
        """As luks_open, but the mapping is read-only: cryptsetup_open with
crypttype:luks and readonly:true.""",
        "cryptsetup_open",
        tests=[T("part", LUKS + ["luks_open_ro /dev/sda1 key lk",
                                 "mkfs ext2 /dev/mapper/lk"], Error())]),
    lib("luks_close", RErr, [Device("device")],
        "close an encrypted block device",
        """Close the mapping DEVICE (/dev/mapper/MAPNAME, not the
encrypted device under it) opened by luks_open or luks_open_ro.""",
        "cryptsetup_close",
        tests=[T("part", LUKS + ["luks_open /dev/sda1 key lk",
                                 "luks_close /dev/mapper/lk",
                                 "list_dm_devices"], [])]),
]

e2_actions = [
    lib("get_e2label", RString, [Device("device")],
        "the label of an ext2/3/4 filesystem",
        "The label of the ext2, ext3 or ext4 filesystem on DEVICE.",
        "vfs_label",
        tests=[T("part", ["mke2fs /dev/sda1 label:old", "get_e2label /dev/sda1"],
                 "old")]),
    lib("set_e2label", RErr, [Device("device"), String("label")],
        "set the label of an ext2/3/4 filesystem",
        """Set the label of the ext2, ext3 or ext4 filesystem on DEVICE to
LABEL (at most 16 bytes).""",
        "set_label",
        tests=[T("part", ["mke2fs /dev/sda1", "set_e2label /dev/sda1 new",
                          "vfs_label /dev/sda1"], "new"),
               T("part", ["mke2fs /dev/sda1",
                          "set_e2label /dev/sda1 abcdefghijklmnopq"],
                 Error("EINVAL"))]),
    lib("get_e2uuid", RString, [Device("device")],
        "the UUID of an ext2/3/4 filesystem",
        "The UUID of the ext2, ext3 or ext4 filesystem on DEVICE.",
        "vfs_uuid",
        tests=[T("part", ["mke2fs /dev/sda1 "
                          "uuid:01234567-89ab-cdef-0123-456789abcdef",
                          "get_e2uuid /dev/sda1"],
                 "01234567-89ab-cdef-0123-456789abcdef")]),
    lib("set_e2uuid", RErr, [Device("device"), String("uuid")],
        "set the UUID of an ext2/3/4 filesystem",
        """Set the UUID of the ext2, ext3 or ext4 filesystem on DEVICE to
UUID, or: "clear" (the null UUID), "random" or "time" (a new random
one).""",
        "set_uuid",
        tests=[T("part", ["mke2fs /dev/sda1",
                          "set_e2uuid /dev/sda1 "
                          "01234567-89ab-cdef-0123-456789abcdef",
                          "vfs_uuid /dev/sda1"],
                 "01234567-89ab-cdef-0123-456789abcdef"),
               T("part", ["mke2fs /dev/sda1", "set_e2uuid /dev/sda1 clear",
                          "vfs_uuid /dev/sda1"], ""),
               T("part", ["mke2fs /dev/sda1", "set_e2uuid /dev/sda1 bad"],
                 Error("EINVAL"))]),
]

mkfs_actions = [
    lib("mkfs_b", RErr, [String("fstype"), Int("blocksize"), Device("device")],
        "make a filesystem with a block size",
        """Make a filesystem of type FSTYPE on DEVICE with blocks of
BLOCKSIZE bytes (the cluster size for vfat and NTFS): mkfs with
blocksize.""",
        "mkfs",
        tests=[T("part", ["mkfs_b ext4 1024 /dev/sda1", "mount /dev/sda1 /",
                          "statvfs /"], Fields({"bsize": 1024})),
               T("part", ["mkfs_b ext4 1000 /dev/sda1"], Error())]),
    lib("mke2journal", RErr, [Int("blocksize"), Device("device")],
        "make an ext2/3/4 external journal",
        """Make an external journal on DEVICE with blocks of BLOCKSIZE
bytes (mke2fs -O journal_dev -b BLOCKSIZE).""",
        "mke2fs",
        tests=[T("part", ["mke2journal 4096 /dev/sda1", "vfs_type /dev/sda1"],
                 "jbd")]),
    lib("mke2journal_L", RErr, [Int("blocksize"), String("label"),
                                Device("device")],
        "make an ext2/3/4 external journal with a label",
        "As mke2journal, and the journal has the label LABEL.",
        "mke2fs",
        tests=[T("part", ["mke2journal_L 4096 jnl /dev/sda1",
                          "vfs_label /dev/sda1"], "jnl")]),
    lib("mke2journal_U", RErr, [Int("blocksize"), String("uuid"),
                                Device("device")],
        "make an ext2/3/4 external journal with a UUID",
        "As mke2journal, and the journal has the UUID UUID.",
        "mke2fs",
        tests=[T("part", ["mke2journal_U 4096 "
                          "01234567-89ab-cdef-0123-456789abcdef /dev/sda1",
                          "vfs_uuid /dev/sda1"],
                 "01234567-89ab-cdef-0123-456789abcdef")]),
    lib("mke2fs_J", RErr, [String("fstype"), Int("blocksize"),
                           Device("device"), Device("journal")],
        "make an ext2/3/4 filesystem with an external journal",
        """Make an ext2, ext3 or ext4 filesystem (FSTYPE) with blocks of
BLOCKSIZE bytes on DEVICE, whose journal is the external journal
JOURNAL (mke2fs -t FSTYPE -b BLOCKSIZE -J device=JOURNAL).""",
        "mke2fs",
        tests=[T("twodisk", ["umount_all", "mke2journal 4096 /dev/sdb",
                             "mke2fs_J ext4 4096 /dev/sda1 /dev/sdb",
                             "vfs_type /dev/sda1"], "ext4")]),
    lib("mke2fs_JL", RErr, [String("fstype"), Int("blocksize"),
                            Device("device"), String("label")],
        "make an ext2/3/4 filesystem with the external journal of a label",
        """As mke2fs_J, the external journal being the one labelled
LABEL.""",
        "mke2fs",
        tests=[T("twodisk", ["umount_all", "mke2journal_L 4096 jnl /dev/sdb",
                             "mke2fs_JL ext4 4096 /dev/sda1 jnl",
                             "vfs_type /dev/sda1"], "ext4"),
               T("twodisk", ["umount_all", "mke2fs_JL ext4 4096 /dev/sda1 nosuchlabel"],
                 Error())]),
    lib("mke2fs_JU", RErr, [String("fstype"), Int("blocksize"),
                            Device("device"), String("uuid")],
        "make an ext2/3/4 filesystem with the external journal of a UUID",
        """As mke2fs_J, the external journal being the one with the UUID
UUID.""",
        "mke2fs",
        tests=[T("twodisk", ["umount_all", "mke2journal_U 4096 "
                             "01234567-89ab-cdef-0123-456789abcdef /dev/sdb",
                             "mke2fs_JU ext4 4096 /dev/sda1 "
                             "01234567-89ab-cdef-0123-456789abcdef",
                             "vfs_type /dev/sda1"], "ext4")]),
]

drive_actions = [
    anytime("add_drive_with_if", RErr, [String("filename"), String("iface")],
            "add a disk image with an interface",
            """Add the disk image FILENAME, attached with the qemu
interface IFACE: add_drive with iface.""",
            "add_drive", states=["config"],
            tests=[T("empty", ["add_drive_with_if /dev/null virtio"],
                     Error("", "config state"), readonly=True)]),
    anytime("add_drive_ro_with_if", RErr, [String("filename"),
                                           String("iface")],
            "add a disk image read-only with an interface",
            """Add the disk image FILENAME read-only, attached with the
qemu interface IFACE: add_drive with readonly and iface.""",
            "add_drive", states=["config"],
            tests=[T("empty", ["add_drive_ro_with_if /dev/null virtio"],
                     Error("", "config state"), readonly=True)]),
    anytime("add_cdrom", RErr, [String("filename")],
            "add a CD-ROM image",
            """Add the disk image FILENAME read-only, as add_drive_ro
does.""",
            "add_drive_ro", states=["config"],
            tests=[T("empty", ["add_cdrom /dev/null"],
                     Error("", "config state"), readonly=True)]),
    anytime("remove_drive", RErr, [String("label")],
            "remove a disk image added with a label",
            """Remove the disk image added with the label LABEL, before
launch; the drives added after it move down one place.  A launched
handle refuses it (ENOTSUP): its appliance cannot lose a disk.""",
            "add_drive",
            tests=[T("empty", ["remove_drive x"], Error("ENOTSUP"),
                     readonly=True)]),
]

file_actions = [
    lib("write_file", RErr, [Pathname("path"), String("content"), Int("size")],
        "make a file of a string",
        """Make PATH a regular file holding the first SIZE bytes of
CONTENT, or all of CONTENT when SIZE is 0 (a file there already is
replaced).  SIZE may not be negative nor more than CONTENT's
length.""",
        "write",
        tests=[T(S, ["mkdir /write_file", "write_file /write_file/f hello 0",
                     "cat /write_file/f"], "hello"),
               T(S, ["mkdir_p /write_file", "write_file /write_file/f hello 3",
                     "cat /write_file/f"], "hel"),
               T(S, ["write_file /write_file/g hello 6"], Error("EINVAL")),
               T(S, ["write_file /write_file-missing/f x 0"],
                 Error("ENOENT"))]),
    lib("dd", RErr, [DevOrPath("src"), DevOrPath("dest")],
        "copy a device or file to another",
        """Copy the whole of SRC to DEST, each a device or a guest file: a
device DEST must be as large as SRC.  copy_device_to_device and its
kin copy a part.""",
        "copy_device_to_device",
        tests=[T("twodisk", ["umount_all", "dd /dev/sda1 /dev/sdb",
                             "vfs_type /dev/sdb"], "ext4"),
               T("twodisk", ["write /f data", "dd /f /dev/sdb",
                             "pread_device /dev/sdb 4 0"], "data"),
               T("twodisk", ["dd /dev/sdb /dev/sda1"], Error())]),
    lib("copy_size", RErr, [DevOrPath("src"), DevOrPath("dest"),
                            Int64("size")],
        "copy SIZE bytes of a device or file to another",
        """Copy the first SIZE bytes of SRC to DEST, each a device or a
guest file: copy_device_to_device with size.  SRC must hold SIZE
bytes.""",
        "copy_device_to_device",
        tests=[T(F, ["write /a abcdef", "write /b xxxxxxxx",
                     "copy_size /a /b 3", "cat /b"], "abc"),
               T(F, ["write /a abc", "copy_size /a /b 10"], Error())]),
    lib("fallocate", RErr, [Pathname("path"), Int("len")],
        "make a file of zero bytes, allocated",
        """Make PATH a regular file of LEN zero bytes whose blocks are
allocated, as fallocate64 does (which takes a 64-bit LEN).""",
        "fallocate64",
        tests=[T(S, ["mkdir /fallocate", "fallocate /fallocate/f 10000",
                     "filesize /fallocate/f"], 10000),
               T(S, ["fallocate /fallocate-missing/f 1"], Error("ENOENT"))]),
    lib("lstatlist", RStructList("stat"), [Pathname("path"),
                                           StringList("names")],
        "lstat the files of a directory",
        """lstat each of NAMES (names in the directory PATH), in one call:
the stats in the order of NAMES, with ino -1 for a name that could not
be lstat'd.""",
        "lstatnslist", protocol_limit=True,
        tests=[T(S, ["mkdir /lstatlist", "write /lstatlist/a 12345",
                     "lstatlist /lstatlist 'a b'"], 2)]),
    lib("zfile", RString, [String("meth"), Pathname("path")],
        "the type of a compressed file's content",
        """The type of the content of PATH, compressed with METH ("gzip",
"compress" or "bzip2"), as file describes it: file looks inside
compressed files itself.""",
        "file",
        # (gzip records the file's time: a fixed one.)
        tests=[T(S, ["mkdir /zfile", "write /zfile/f 'hello\n'",
                     "utimens /zfile/f 1 0 1 0",
                     "compress_out gzip /zfile/f @TMP@/zfile.gz",
                     "upload @TMP@/zfile.gz /zfile/f.gz",
                     "zfile gzip /zfile/f.gz"],
                 "ASCII text (gzip compressed data, last modified: "
                 "Thu Jan  1 00:00:01 1970, from Unix)"),
               T(S, ["zfile lzma /zfile/f.gz"], Error("EINVAL"))]),
    lib("ntfsresize_size", RErr, [Device("device"), Int64("size")],
        "resize an NTFS filesystem to a size",
        "Resize the NTFS filesystem on DEVICE to SIZE bytes: ntfsresize "
        "with size.",
        "ntfsresize",
        tests=[T("part", ["mkfs ext2 /dev/sda1",
                          "ntfsresize_size /dev/sda1 1000000"], Error())]),
    lib("blockdev_setbsz", RErr, [Device("device"), Int("blocksize")],
        "does nothing",
        """Does nothing (the call it stood for never changed anything).
The block size of a filesystem is mkfs's blocksize.""",
        "mkfs",
        tests=[T("part", ["blockdev_setbsz /dev/sda1 1024",
                          "blockdev_getbsz /dev/sda1"], 4096)]),
]

handle_actions = [
    anytime("set_attach_method", RErr, [String("backend")],
            "set the backend", "The same as set_backend.", "set_backend",
            tests=[T("empty", ["set_attach_method direct", "get_backend"],
                     "direct", readonly=True),
                   T("empty", ["set_attach_method libvirt"], Error("EINVAL"),
                     readonly=True)]),
    anytime("get_attach_method", RString, [],
            "the backend", "The same as get_backend.", "get_backend",
            tests=[T("empty", ["get_attach_method"], "direct",
                     readonly=True)]),
    anytime("set_qemu", RErr, [OptString("hv")],
            "set the qemu binary",
            """The same as set_hv, but NULL ("") gives back the default
binary.""",
            "set_hv",
            tests=[T("empty", ["set_qemu /bin/false", "get_hv"],
                     "/bin/false", readonly=True),
                   # NULL is the default again, where set_hv refuses "".
                   T("empty", ["set_qemu /bin/false", "set_qemu ''"],
                     readonly=True)]),
    anytime("get_qemu", RString, [], "the qemu binary",
            "The same as get_hv.", "get_hv",
            tests=[T("empty", ["set_hv /bin/true", "get_qemu"], "/bin/true",
                     readonly=True)]),
    anytime("set_direct", RErr, [Bool("direct")],
            "refuse the direct appliance mode",
            """The direct mode passed the caller's standard input and
output to the appliance's console.  drydock has none: false is
accepted, true refused (ENOTSUP).  set_verbose and the log events show
the console.""",
            "set_verbose",
            tests=[T("empty", ["set_direct true"], Error("ENOTSUP"),
                     readonly=True),
                   T("empty", ["set_direct false", "get_direct"], False,
                     readonly=True)]),
    anytime("get_direct", RBool, [], "the direct appliance mode",
            "False: see set_direct.", "get_verbose",
            tests=[T("empty", ["get_direct"], False, readonly=True)]),
    anytime("set_selinux", RErr, [Bool("selinux")],
            "refuse SELinux in the appliance",
            """Whether the appliance boots with SELinux: it never does, so
false is accepted and true refused (ENOTSUP).  selinux_relabel labels
a guest's files.""",
            "selinux_relabel",
            tests=[T("empty", ["set_selinux true"], Error("ENOTSUP"),
                     readonly=True),
                   T("empty", ["set_selinux false", "get_selinux"], False,
                     readonly=True)]),
    anytime("get_selinux", RBool, [], "whether the appliance has SELinux",
            "False: see set_selinux.", "selinux_relabel",
            tests=[T("empty", ["get_selinux"], False, readonly=True)]),
    lib("wait_ready", RErr, [], "does nothing",
        """Does nothing: launch returns once the appliance answers.  Only a
launched handle accepts it.""",
        "launch",
        tests=[T("empty", ["wait_ready", "is_ready"], True, readonly=True)]),
    lib("kill_subprocess", RErr, [], "stop the appliance",
        """Stop the appliance as shutdown does.""", "shutdown"),
]

inspect_actions = [
    lib("inspect_is_" + what, RBool, [Mountable("root")],
        "false (%s)" % word,
        """False, whatever ROOT is: %s is not told apart.""" % word,
        "inspect_get_type",
        tests=[T(F, ["inspect_is_%s /dev/sda1" % what], False,
                 readonly=True)])
    for what, word in [("live", "a live CD"),
                       ("multipart", "a multipart install disk"),
                       ("netinst", "a network installer")]
]

p9_actions = [
    lib("list_9p", RStringList, [], "the 9p mount tags (none)",
        """The mount tags of 9p filesystems: none, as the appliance has no
9p transport.""",
        "list_devices",
        tests=[T("empty", ["list_9p"], [], readonly=True)]),
    lib("mount_9p", RErr, [String("mounttag"), Pathname("mountpoint")],
        "mount a 9p filesystem (refused)",
        """Refused (ENOTSUP): the appliance has no 9p transport, so there
is no mount tag to mount.""",
        "mount", optargs=[OString("options")],
        tests=[T("empty", ["mount_9p tag /"], Error("ENOTSUP", "9p"),
                 readonly=True)]),
]

# The old sfdisk interface: sfdisk itself, in sectors.
SFDISK_GEOMETRY = """CYLS, HEADS and SECTORS are ignored (sfdisk
addresses a disk in sectors; pass 0)."""

sfdisk_actions = [
    Action("sfdisk", 1040, RErr, [Device("device"), Int("cyls"),
                                  Int("heads"), Int("sectors"),
                                  StringList("lines")],
           "write a partition table with sfdisk",
           """Write a new partition table on DEVICE: LINES are the lines
sfdisk reads, one a partition ("START,SIZE,TYPE,BOOTABLE", START and
SIZE in sectors or with a K, M or G suffix, an empty field the
default).  """ + SFDISK_GEOMETRY,
           deprecated_by="part_add",
           tests=[T("empty", ["sfdisk /dev/sda 0 0 0 '2048,10000,L ,20000,L'",
                              "part_list /dev/sda"], 2),
                  T("empty", ["sfdisk /dev/sda 0 0 0 '2048,10000,L'",
                              "part_get_mbr_id /dev/sda 1"], 0x83),
                  T("empty", ["sfdisk /dev/sda 0 0 0 'nonsense,,'"],
                    Error())]),
    Action("sfdisk_N", 1041, RErr, [Device("device"), Int("partnum"),
                                    Int("cyls"), Int("heads"),
                                    Int("sectors"), String("line")],
           "change one partition with sfdisk",
           """Replace (or add) the partition numbered PARTNUM (from 1) on
DEVICE by the sfdisk line LINE (see sfdisk).  """ + SFDISK_GEOMETRY,
           deprecated_by="part_add",
           tests=[T("empty", ["sfdisk /dev/sda 0 0 0 2048,10000,L",
                              "sfdisk_N /dev/sda 2 0 0 0 20000,20000,L",
                              "part_list /dev/sda"], 2),
                  T("empty", ["sfdisk /dev/sda 0 0 0 2048,10000,L",
                              "sfdisk_N /dev/sda 1 0 0 0 2048,20480,L",
                              "blockdev_getsize64 /dev/sda1"], 20480 * 512),
                  T("empty", ["sfdisk_N /dev/sda 0 0 0 0 ,,L"],
                    Error("EINVAL"))]),
    Action("sfdisk_l", 1042, RString, [Device("device")],
           "the partition table as sfdisk lists it",
           """The partition table of DEVICE as sfdisk -l shows it, to be
read, not parsed (part_list gives it as data).""",
           deprecated_by="part_list", protocol_limit=True,
           tests=[T("part", ["sfdisk_l /dev/sda"], None, readonly=True),
                  T("empty", ["sfdisk_l /dev/sdz"], Error())]),
    lib("sfdiskM", RErr, [Device("device"), StringList("lines")],
        "write a partition table with sfdisk, sizes in MiB",
        """As sfdisk, a start or size that is a plain number being in
megabytes (MiB).""",
        "part_add",
        tests=[T("empty", ["sfdiskM /dev/sda ',10,L ,20,L'",
                           "blockdev_getsize64 /dev/sda2"], 20 << 20),
               T("empty", ["sfdiskM /dev/sda ',10,L'",
                           "blockdev_getsize64 /dev/sda1"], 10 << 20)]),
]

# SELinux of the daemon itself, which the appliance does not have.
selinux_actions = [
    Action("getcon", 1043, RString, [],
           "the SELinux context of the daemon",
           """The SELinux security context of the daemon.  An appliance
booted without SELinux, as it usually is, refuses it (ENOTSUP).""",
           deprecated_by="selinux_relabel",
           tests=[T("empty", ["getcon"], Error("ENOTSUP", "SELinux"),
                    readonly=True)]),
    Action("setcon", 1044, RErr, [String("context")],
           "set the SELinux context of the daemon",
           """Set the SELinux security context of the daemon to CONTEXT.
An appliance booted without SELinux, as it usually is, refuses it
(ENOTSUP).""",
           deprecated_by="selinux_relabel",
           tests=[T("empty", ["setcon system_u:system_r:unconfined_t:s0"],
                    Error("ENOTSUP", "SELinux"), readonly=True)]),
]

llz_actions = [
    lib("llz", RString, [Pathname("directory")],
        "list a directory with SELinux contexts",
        """The listing of ll with the SELinux context (the
security.selinux attribute) of each entry after its group, "?" for
none, as ls -laZ shows it.  To be read, not parsed.""",
        "lgetxattrs", protocol_limit=True,
        tests=[T(S, ["mkdir /llz", "write /llz/f x", "llz /llz"], None),
               T(S, ["llz /llz-missing"], Error("ENOENT"))]),
]

actions = (grep_actions + tar_actions("gz", "gzip", "gzip")
           + tar_actions("xz", "xz", "xz") + luks_actions + e2_actions
           + mkfs_actions + drive_actions + file_actions + handle_actions
           + inspect_actions + p9_actions + sfdisk_actions
           + selinux_actions + llz_actions)
structs = []
groups = []
group_actions = {}
