# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, file contents: wildcards, truncation, reads and
# writes at offsets, checksums, grep, batched listings.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

CSUM_TYPES = """CSUMTYPE is one of "crc" (the CRC of POSIX cksum(1)), "md5",
"sha1", "sha224", "sha256", "sha384" or "sha512", in any case."""

file_actions = [
    Action("glob_expand", 240, RStringList, [Pathname("pattern")],
           "expand a wildcard pattern in the guest",
           """The guest paths PATTERN matches, with the shell's wildcard
rules as glob(3) applies them with GLOB_MARK and GLOB_BRACE: "*", "?"
and "[...]" match within one path component, a leading "." is matched
only by a "." in the pattern (so ".*" also gives "." and ".."), a
backslash quotes the next character, and "{a,b}" expands to each
alternative in turn.  The paths of each alternative are sorted.  No
match is an empty list, not an error.

With DIRECTORYSLASH (true when not given, as glob_expand_opts in
libguestfs) every directory, or symlink to one, gets a trailing "/";
a pattern ending in "/" matches directories only and keeps its "/".

The matching is done by the daemon one component at a time, reading
each directory inside the guest: a symlink on the way is followed as
the guest would see it (an absolute one from the guest's root), never
into the appliance.  Directories that cannot be read are skipped, as
glob(3) does.  There is no device counterpart: use list_devices.""",
           optargs=[OBool("directoryslash")], protocol_limit=True,
           example="glob_expand /etc/*.conf directoryslash:false"),
    Action("truncate", 241, RErr, [Pathname("path")],
           "truncate a file to zero size",
           """Truncate the existing regular file PATH to zero bytes; a
symlink is followed inside the guest.  A missing file is an error (it
is not created), and so is anything but a regular file.""",
           example="truncate /var/log/messages"),
    Action("truncate_size", 242, RErr, [Pathname("path"), Int64("size")],
           "truncate or extend a file to a size",
           """Set the size of the existing regular file PATH to SIZE bytes.
A larger SIZE extends the file with zero bytes without allocating them
(a sparse file); a smaller one drops its end.  As truncate, the file is
never created and must be a regular file.""",
           example="truncate_size /swapfile 1073741824"),
    Action("pread", 243, RBufferOut,
           [Pathname("path"), Int("count"), Int64("offset")],
           "read part of a file",
           """Read up to COUNT bytes of the regular file PATH from byte
OFFSET, as one pread(2): fewer bytes come back at the end of the file,
none at or after it.  COUNT must fit in one protocol message (4 MiB);
COUNT and OFFSET must not be negative.  A FIFO or device node is
refused without being opened.""",
           protocol_limit=True, example="pread /etc/hostname 4 0"),
    Action("pwrite", 244, RInt,
           [Pathname("path"), BufferIn("content"), Int64("offset")],
           "write part of a file",
           """Write CONTENT into the existing regular file PATH at byte
OFFSET, as one pwrite(2), and return the number of bytes written
(short writes are unlikely on a regular file, but possible).  Writing
past the end extends the file, leaving a hole in between.  The file is
not created or truncated, and must be a regular file.""",
           writes=True, example="pwrite /etc/hostname web2 0"),
    Action("pread_device", 500, RBufferOut,
           [Device("device"), Int("count"), Int64("offset")],
           "read part of a device",
           """Read up to COUNT bytes of the block device DEVICE from byte
OFFSET, as one pread(2): fewer bytes may come back, none at or after
the end of the device.  COUNT must fit in one protocol message (4 MiB);
COUNT and OFFSET must not be negative.  See also pread, for a file.""",
           protocol_limit=True, example="pread_device /dev/sda 512 0"),
    Action("pwrite_device", 501, RInt,
           [Device("device"), BufferIn("content"), Int64("offset")],
           "write part of a device",
           """Write CONTENT to the block device DEVICE at byte OFFSET, as one
pwrite(2), and return the number of bytes written: like that call it
may write less than asked (short writes to disks and partitions do
not happen with Linux kernels); a write at or past the end of the
device fails.  The changes reach the overlay, never the source
image, until the session commits them.  See also pwrite, for a
file.""",
           writes=True, example="pwrite_device /dev/sdb hello 0"),
    Action("realpath", 245, RString, [Pathname("path")],
           "the canonical path of a guest file",
           """The absolute path of PATH with every symbolic link, "." and
".." resolved, as the guest sees it: symlinks resolve inside the
guest (an absolute target starts at the guest's root, ".." stops
there) and the result is a guest path.  Every component must exist.""",
           example="realpath /etc/os-release"),
    Action("copy_attributes", 246, RErr, [Pathname("src"), Pathname("dest")],
           "copy the attributes of a file or directory to another",
           """Copy attributes of SRC to DEST (files or directories; symlinks
are followed inside the guest).  Nothing is copied unless asked:
MODE copies the permission bits with the set-user-ID, set-group-ID and
sticky bits; XATTRIBUTES copies the extended attributes (each of SRC's
is set on DEST, others DEST has are kept); OWNERSHIP copies the owner
and group.  ALL copies all three, except those given explicitly as
false.  The owner is changed before the mode, so that a set-ID bit is
not cleared by the change of owner.""",
           optargs=[OBool("all"), OBool("mode"), OBool("xattributes"),
                    OBool("ownership")],
           example="copy_attributes /etc/passwd /etc/passwd.new all:true"),
    Action("mktemp", 247, RString, [Pathname("tmpl")],
           "create a temporary file",
           """Create a new empty file from the template TMPL, a full path
whose last component ends in "XXXXXX", and return its path: the six
X are replaced by random letters and digits until the name is new
(the file is made with O_EXCL, so an existing file or symlink is
never reused).  With SUFFIX (e.g. ".txt", without "/") the name is the
template followed by SUFFIX.  The file has mode 0600 and belongs to
root; removing it is the caller's business.""",
           optargs=[OString("suffix")], writes=True,
           example="mktemp /tmp/buildXXXXXX suffix:.log"),
    Action("checksum", 248, RString, [String("csumtype"), Pathname("path")],
           "the checksum of a file",
           CSUM_TYPES + """  Returns the checksum of the regular file
PATH (a symlink is followed inside the guest) as lower-case hex, or
for "crc" as the decimal number cksum(1) prints first.  A FIFO or
device node is refused without being opened.""",
           example="checksum sha256 /etc/hostname"),
    Action("checksums_out", 249, RErr,
           [String("csumtype"), Pathname("directory"), FileOut("sumsfile")],
           "the checksums of every file in a tree",
           CSUM_TYPES + """  Writes to the local file SUMSFILE the
checksum of each regular file under DIRECTORY, one line each, in the
format of the GNU coreutils programs that libguestfs runs on
"find -type f": "HASH  ./PATH" (md5sum, sha256sum ...), or
"CRC SIZE ./PATH" (cksum), PATH relative to DIRECTORY.  A name with a
newline or backslash is written as those programs do (the line starts
with a backslash, and the name has \\n and \\\\), except by cksum.
Symlinks are not followed and other files are left out.  Directories
are walked depth first, each one's names sorted.  The list streams:
any size passes.""",
           example="checksums_out sha256 /etc /tmp/etc.sha256"),
    Action("grep", 250, RStringList, [String("regex"), Pathname("path")],
           "the lines of a file that match a regular expression",
           """The lines of the regular file PATH that match REGEX, as
grep(1) finds them (without the newline); none is an empty list, not
an error.  REGEX is a basic regular expression unless EXTENDED (grep
-E) or FIXED (grep -F, a fixed string) is set, not both; INSENSITIVE
ignores case (grep -i).  With COMPRESSED the file is decompressed
first, as zgrep(1) does (gzip -cdf: gzip, compress and pack files are
uncompressed, other files read as they are).  A file that grep finds
binary gives no lines (as grep without -a).  The file is read by the
daemon and fed to grep: a FIFO or device node is refused without
being opened.""",
           optargs=[OBool("extended"), OBool("fixed"), OBool("insensitive"),
                    OBool("compressed")],
           protocol_limit=True,
           example="grep ^root: /etc/passwd"),
    Action("case_sensitive_path", 251, RString, [Pathname("path")],
           "the real case of a path matched case-insensitively",
           """Find PATH with each component matched regardless of ASCII case,
and return it as it is written on disk: "/windows/system32" gives
"/Windows/System32" for a Windows guest, whose drivers present a
case-insensitive filesystem case-sensitively.  Where a directory has a
name matching exactly, it is taken; else the first of the matching
names in strcmp order.  Each component but the last must be found, and
be a directory (or a symlink to one, followed inside the guest); a
last component that is not found is appended as given, so the result
names where a new file would go, and cannot tell whether PATH exists.
"." and ".." are refused.""",
           example="case_sensitive_path /windows/system32/drivers/etc/hosts"),
    Action("scrub_file", 252, RErr, [Pathname("file")],
           "overwrite a file's content, then remove it",
           """Overwrite every byte of the regular file FILE (a symlink's
target, the symlink itself being left) with the passes of scrub(1)'s
default "nnsa" method: random data twice, then zeros, each pass
flushed to the disk, the zeros read back to check; then remove the
file.  This is done by the daemon, not by running scrub.  Other hard
links to the file keep its name but lose its content.  Only the
file's current blocks are overwritten: a filesystem that writes
elsewhere (btrfs, a log-structured or journalled-data filesystem) or a
copy kept by the storage may still hold the old data.  With drydock's
overlays the source image keeps the old data until the overlay is
committed or converted.""",
           progress=True, example="scrub_file /root/.ssh/id_ed25519"),
    Action("lstatnslist", 253, RStructList("statns"),
           [Pathname("path"), StringList("names")],
           "lstatns of many names in one directory",
           """The lstatns of each of NAMES in the directory PATH, in the
same order, in one round trip: symlinks are not followed.  A name that
cannot be stat'ed (missing, or not a single component: it may not
contain "/") gives a struct whose st_ino is -1 and whose other fields
are 0, not an error.""",
           protocol_limit=True, example="lstatnslist /etc \"hostname passwd nosuch\""),
    Action("readlinklist", 254, RStringList,
           [Pathname("path"), StringList("names")],
           "readlink of many names in one directory",
           """The target of each of NAMES in the directory PATH, in the
same order, in one round trip.  A name that is not a symbolic link or
cannot be read (missing, or containing "/") gives an empty string, not
an error.""",
           protocol_limit=True, example="readlinklist /etc \"os-release mtab\""),
    Action("find0", 255, RErr, [Pathname("directory"), FileOut("files")],
           "list a tree into a local file, NUL-separated",
           """As find, but each name under DIRECTORY (relative to it,
symlinks not followed) is written to the local file FILES followed by
a NUL byte, as find -print0 would.  The list streams, so any number of
names passes.  Its order is depth first, each directory's names
sorted (find's is not sorted).""",
           example="find0 / /tmp/names"),
    Action("ls0", 550, RErr, [Pathname("directory"), FileOut("filenames")],
           "list a directory into a local file, NUL-separated",
           """The names in DIRECTORY, without . and .., each followed by a
NUL byte, written to the local file FILENAMES in the order the
directory gives them (not sorted).  The list streams, so any number of
names passes; ls sorts it.""",
           example="ls0 /etc /tmp/names",
           tests=[Test(S, ["mkdir /ls0", "touch /ls0/a",
                           "ls0 /ls0 @TMP@/ls0", "upload @TMP@/ls0 /ls0/out",
                           "read_file /ls0/out"], "a\0"),
                  Test(S, ["ls0 /ls0-nosuch @TMP@/ls0"], Error("ENOENT"))]),
    Action("ll0", 551, RErr, [Pathname("directory"), FileOut("listing")],
           "long directory listing into a local file",
           """The long listing of DIRECTORY that ll returns, written to the
local file LISTING: the listing streams, so a directory of any size
passes."""),
]
