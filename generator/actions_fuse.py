# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, FUSE: the calls a mount of the guest makes
# (mount_local), and the mount itself, library side with libfuse3.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

fuse_daemon_actions = [
    Action("readdir", 520, RStructList("dirent"), [Pathname("dir")],
           "read a directory's entries",
           """The entries of the guest directory DIR, "." and ".." included,
in the order the filesystem gives them (not sorted), each with its
inode number, a letter for its type (see struct drydock_dirent) and its
name.  The type comes from the directory itself where the filesystem
records it, else from an lstat; a symbolic link is an entry, never
followed.  The list must fit in one reply (4 MiB): a bigger directory
is an error (EMSGSIZE).""",
           protocol_limit=True, example="readdir /etc"),
    Action("lxattrlist", 521, RStructList("xattr"),
           [Pathname("path"), StringList("names")],
           "the extended attributes of many names in one directory",
           """The extended attributes of each of NAMES in the directory
PATH, in one round trip, symlinks not followed, as one flat list read
in order: for each name first a struct whose attrname is empty and
whose attrval is the number of attributes that follow for it as a
decimal string ("0" when it has none), or empty when they could not be
read (a missing name, one with "/", or a filesystem without extended
attributes); then that many structs, the name's attributes.  The list
must fit in one reply (4 MiB).""",
           protocol_limit=True, example="lxattrlist /etc \"hostname passwd\""),
    Action("lgetxattrs", 522, RStructList("xattr"), [Pathname("path")],
           "the extended attributes of a file",
           """The extended attributes (name and value) of PATH, a symbolic
link itself rather than its target.  A filesystem without extended
attributes gives an error (ENOTSUP).""",
           protocol_limit=True, example="lgetxattrs /etc/hostname"),
    Action("lsetxattr", 523, RErr,
           [String("xattr"), BufferIn("val"), Int("vallen"), Pathname("path")],
           "set an extended attribute of a file",
           """Set the extended attribute XATTR (with its namespace:
"user.x", "security.selinux" ...) of PATH, a symbolic link itself
rather than its target, to the first VALLEN bytes of VAL, creating or
replacing it.  VALLEN must be between 0 and the length of VAL.""",
           example="lsetxattr user.origin base 4 /etc/hostname"),
    Action("lremovexattr", 524, RErr, [String("xattr"), Pathname("path")],
           "remove an extended attribute of a file",
           """Remove the extended attribute XATTR of PATH, a symbolic link
itself rather than its target.  One that is not there is an error
(ENODATA).""",
           example="lremovexattr user.origin /etc/hostname"),
    Action("download_offset", 529, RErr,
           [Pathname("remotefilename"), FileOut("filename"), Int64("offset"),
            Int64("size")],
           "copy part of a guest file out",
           """Stream SIZE bytes of the regular file REMOTEFILENAME from byte
OFFSET to the local FILENAME (- for standard output), as download does
the whole file: any size passes, unlike pread.  A region reaching past
the end of the file gives the bytes up to the end (none at or after
it).  OFFSET and SIZE must not be negative.  A FIFO or device node is
refused without being opened.""",
           progress=True, direct=True,
           example="download_offset /var/log/messages /tmp/tail 4096 1024"),
    Action("lstatns_tree", 530, RErr,
           [Pathname("directory"), FileOut("records"), Int("maxentries")],
           "every name of a tree with its lstat and link target",
           """Stream to the local file RECORDS one record for each name
under DIRECTORY (not DIRECTORY itself), each directory listed whole
before the directories under it: all its names in strcmp order, then,
in the same order, each of its subdirectories the same way (so a
reader knows a directory complete once the names of another begin);
symbolic links are not followed.  A record is the name's path relative
to DIRECTORY followed by
a NUL byte; its lstatns, the 16 fields of struct drydock_statns in
order, each 8 bytes big-endian; the target of a symbolic link (empty
for anything else) followed by a NUL byte.  At most MAXENTRIES records
are sent: a tree with more gives exactly MAXENTRIES, the walk stopped
there.  This is how a FUSE mount (mount_local) learns a whole tree in
one call; any size passes.  A directory that cannot be read fails the
call.""",
           example="lstatns_tree /etc /tmp/etc.records 100000"),
    Action("readfilelist", 531, RBufferOut,
           [Pathname("path"), StringList("names"), Int64("maxsize")],
           "the contents of many small files under one directory",
           """The whole contents of each of NAMES, paths relative to the
directory PATH ("hostname", "apt/sources.list"), in one round trip, as
one buffer read in order: for each name an 8-byte big-endian signed
size, then that many bytes, the file's contents; the size is -1 (no
bytes follow) when the name was not read: a missing name, one that is
absolute or has an empty, "." or ".." component, anything but a
regular file (a final symbolic link is not followed; a FIFO or device
node is refused without being opened), a file bigger than MAXSIZE
bytes, or one that does not fit in the reply (4 MiB) after the ones
before it.  Names are resolved inside PATH: a symbolic link on the way
cannot lead out of it.  A file is read up to the size it had when it
was opened.  This is how a FUSE mount (mount_local) reads the small
files of directories in one call.""",
           protocol_limit=True, direct=True,
           example="readfilelist /etc \"hostname hosts\" 65536"),
    Action("extentlist", 1082, RBufferOut,
           [Pathname("path"), StringList("names"), Bool("follow")],
           "where the bytes of many files lie on the drives",
           """For each of NAMES, paths relative to the directory PATH
resolved as readfilelist resolves them (FOLLOW: a final symbolic link
is followed, inside the guest), where the file's bytes lie on the
drives, so that they can be read from the disk images on the host
without passing through the appliance.  One buffer, read in order: for
each name an 8-byte big-endian signed size, -1 when the name is not a
regular file that could be opened (nothing else follows); then a
4-byte big-endian signed count of extents, -1 when the file cannot be
mapped (its filesystem is not ext2/3/4 or XFS, its device is not a
drive, a partition or linear device-mapper targets over those, its data
is inline, journalled, encrypted or compressed, or its extents do not
fit in the reply): it must then be read the ordinary way.  Then that
many extents in file order, 28 bytes each: the offset in the file, the
byte offset on the drive (-1: the extent reads as zeros), the length
(8 bytes each, big-endian) and the drive's index (4 bytes, -1 with
zeros).  Bytes of the file no extent covers read as zeros.  The file's
dirty pages are written out first, so the drive holds what a read in
the guest would return.  The library's download, download_offset and
readfilelist use it when the handle can read its drives directly (see
DRYDOCK_DIRECT_READ in drydock(1)).""",
           protocol_limit=True,
           example="extentlist /etc \"hostname passwd\" false",
           tests=[Test("scratch", ["mkdir /exl", "write /exl/a hello",
                                   "extentlist /exl \"a nosuch\" false"]),
                  Test("scratch", ["extentlist /exl-nosuch a true"],
                       Error("ENOENT"))]),
]
# The FUSE mount itself: library side, with libfuse3 on the host.
fuse_library_actions = [
    Action("mount_local", 0, RErr, [HostPath("localmountpoint")],
           "mount the guest's filesystem on a local directory",
           """Serve the guest filesystem mounted in the appliance (what
mount or inspection mounted at /) on the local directory
LOCALMOUNTPOINT with FUSE: reading and writing files there becomes
calls to the appliance (lstatnslist, readdir, pread, pwrite ...).  The
kernel's requests are only served by mount_local_run, which must follow
(access before that waits).  With READONLY every change fails with
EROFS; otherwise changes reach the appliance, and the image only as the
drive's overlay rule says (add_drive).

OPTIONS are more FUSE mount options, comma-separated ("allow_other",
"default_permissions" ...).  CACHETIMEOUT is how long, in seconds,
attributes, names, link targets and extended attributes read are
trusted (60 when not given; 0 disables the caches); a change made
through the mount drops what it touches.  On a read-only mount the
first read of a directory fetches its whole tree, every name's
attributes and link target, in one call (lstatns_tree, up to 100000
names), made by a second thread: the list is taken in while it
arrives, each directory served as soon as it is complete (the walk
goes on meanwhile), and the directories under it are then read from
the caches; the filesystem's numbers (statfs) are kept as long;
otherwise a directory read fetches the attributes and link targets of
all its names in a few calls (readdir, lstatnslist, readlinklist).
The extended attributes of all the names of a directory come in one
call (lxattrlist) when the first is asked for.  The first read of a
small file (up to 64 KiB) of a listed directory fetches the contents
of the directory's small files in one call (readfilelist), kept until
read or changed.  A bigger file read from its start is streamed by a
second thread, which the reads take the bytes of as they arrive: on a
read-only mount of a file the appliance can map (extentlist), from the
drives themselves, 1 MiB at a time, 4 asked ahead (one drive), into
a ring of 28 MiB, without a call; otherwise by download_offset, 32 MiB a call.  Read elsewhere, a
file of a read-only mount is read from the drives where it can be, one
request a read; other files are read in windows that grow while they
are read in sequence: up to 1 MiB with pread, beyond that with
download_offset, up to 32 MiB a call.  readfilelist and
download_offset read from the drives too where they can (see
extentlist).
The kernel's readahead on the mount is raised to 4 MiB; a read-only
mount lets the kernel open files without asking.  With DEBUGCALLS
every FUSE operation is reported as a debug message (see
set_verbose).

The handle must be launched, and have only one local mount.  The
library must have been built with libfuse3; otherwise this is an error
(ENOTSUP), and so is a host without /dev/fuse.""",
           optargs=[OBool("readonly"), OString("options"), OInt("cachetimeout"),
                    OBool("debugcalls")],
           side="library", example="mount_local /tmp/mnt readonly:true"),
    Action("mount_local_run", 0, RErr, [],
           "serve the local mount until it is unmounted",
           """Serve the kernel's requests on the mount mount_local made, in
this thread, one at a time, and return once it is unmounted
(umount_local, fusermount3 -u, drydock unmount).  No other call may be
made on the handle meanwhile, from any thread.  A mount_local not
followed by this call is undone when the handle is closed.""",
           side="library", example="mount_local_run"),
    Action("umount_local", 0, RErr, [],
           "unmount the local mount",
           """Unmount the directory mount_local mounted, so that
mount_local_run returns; it is called from another thread or process
than the one running mount_local_run (which cannot call anything
meanwhile), or after mount_local when mount_local_run was never
called.  A mount that is busy (a process has its working directory or
an open file there) is retried for a few seconds when RETRY is set
(the default: true), then fails with EBUSY.""",
           optargs=[OBool("retry")],
           side="library", example="umount_local"),
]
