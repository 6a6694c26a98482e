# SPDX-License-Identifier: GPL-2.0-or-later
# The action table: the single source of truth for every API call.
#
# Procedure numbers are append-only.  A released signature never changes;
# new optional arguments go at the end of `optargs`.  Library-side actions
# have proc 0 and are implemented by drydock_impl_<name> in library/.
# Daemon-side actions are implemented by do_<name> in daemon/.

from defs import *  # noqa: F401,F403

structs = [
    Struct("statns", [
        ("st_dev", "int64"), ("st_ino", "int64"), ("st_mode", "int64"),
        ("st_nlink", "int64"), ("st_uid", "int64"), ("st_gid", "int64"),
        ("st_rdev", "int64"), ("st_size", "int64"), ("st_blksize", "int64"),
        ("st_blocks", "int64"),
        ("st_atime_sec", "int64"), ("st_atime_nsec", "int64"),
        ("st_mtime_sec", "int64"), ("st_mtime_nsec", "int64"),
        ("st_ctime_sec", "int64"), ("st_ctime_nsec", "int64"),
    ], "File metadata, as stat(2) returns it, with nanosecond times."),
    Struct("statvfs", [
        ("bsize", "int64"), ("frsize", "int64"), ("blocks", "int64"),
        ("bfree", "int64"), ("bavail", "int64"), ("files", "int64"),
        ("ffree", "int64"), ("favail", "int64"), ("fsid", "int64"),
        ("flag", "int64"), ("namemax", "int64"),
    ], "Filesystem statistics, as statvfs(3) returns them."),
    Struct("partition", [
        ("part_num", "int32"), ("part_start", "uint64"),
        ("part_end", "uint64"), ("part_size", "uint64"),
    ], "One partition: number, first and last byte, size in bytes."),
    Struct("int_bool", [("i", "int32"), ("b", "int32")],
           "An integer and a boolean (aug_defnode: the number of nodes "
           "and whether one was created)."),
    Struct("application", [
        ("name", "string"), ("display_name", "string"), ("epoch", "int32"),
        ("version", "string"), ("release", "string"), ("arch", "string"),
        ("install_path", "string"), ("publisher", "string"),
        ("url", "string"), ("source_package", "string"),
        ("summary", "string"), ("description", "string"),
    ], "One installed application or package, as the guest's package "
       "database or Windows' Uninstall keys describe it; fields the guest "
       "does not record are empty (epoch 0)."),
    Struct("stat", [
        ("dev", "int64"), ("ino", "int64"), ("mode", "int64"),
        ("nlink", "int64"), ("uid", "int64"), ("gid", "int64"),
        ("rdev", "int64"), ("size", "int64"), ("blksize", "int64"),
        ("blocks", "int64"), ("atime", "int64"), ("mtime", "int64"),
        ("ctime", "int64"),
    ], "File metadata, as stat(2) returns it, times in whole seconds "
       "(statns has the nanoseconds)."),
    Struct("application2", [
        ("app2_name", "string"), ("app2_display_name", "string"),
        ("app2_epoch", "int32"), ("app2_version", "string"),
        ("app2_release", "string"), ("app2_arch", "string"),
        ("app2_install_path", "string"), ("app2_trans_path", "string"),
        ("app2_publisher", "string"), ("app2_url", "string"),
        ("app2_source_package", "string"), ("app2_summary", "string"),
        ("app2_description", "string"), ("app2_spare1", "string"),
        ("app2_spare2", "string"), ("app2_spare3", "string"),
        ("app2_spare4", "string"),
    ], "One installed application, with the fields of the application "
       "struct prefixed app2_, plus app2_trans_path (always empty) and "
       "four spare fields (empty)."),
    Struct("utsname", [
        ("uts_sysname", "string"), ("uts_release", "string"),
        ("uts_version", "string"), ("uts_machine", "string"),
    ], "The appliance kernel's uname(2): its name, release, version and "
       "machine."),
    Struct("dirent", [("ino", "int64"), ("ftyp", "char"), ("name", "string")],
           "One directory entry, as readdir returns it: the inode number, "
           "the type ('b' block device, 'c' character device, 'd' "
           "directory, 'f' FIFO, 'l' symbolic link, 'r' regular file, 's' "
           "socket, 'u' unknown) and the name."),
    Struct("xattr", [("attrname", "string"), ("attrval", "buffer")],
           "One extended attribute: its name and its value, bytes that "
           "may hold NULs (attrval_len of them)."),
    Struct("hivex_node", [("hivex_node_h", "int64")],
           "A node (registry key) of the open hive, as hivex_node_children "
           "lists them."),
    Struct("hivex_value", [("hivex_value_h", "int64")],
           "A value of a node of the open hive, as hivex_node_values lists "
           "them."),
]

# The layout of most table tests (see defs.Test).
S = "scratch"
SWAP_UUID = "5a4a0000-0000-4000-8000-00000000abcd"

DEVLIST = Ret("RStringList", devices=True)
DEVSTR = Ret("RString", devices=True)
DEVHASH = Ret("RHashtable", devices=True)

library_actions = [
    Action("add_drive", 0, RErr, [HostPath("filename")],
           "add a disk image to the appliance",
           """Add the disk image FILENAME.  The first image added is /dev/sda
in the appliance, the second /dev/sdb, and so on, whatever bus the
appliance uses inside.

The image is never written: every drive is attached through a qcow2 overlay
whose backing file is FILENAME.  What happens to the overlay when the
handle shuts down is chosen here: it is discarded (the default), kept as a
new qcow2 file OUTPUT_OVERLAY backed by FILENAME, or merged into FILENAME
(COMMIT) after drydock_shutdown succeeded.  A session that fails, is killed
or is closed without a successful shutdown never changes FILENAME.  A
COMMIT drive's overlay lives beside FILENAME (its directory must be
writable) and the merge rolls forward (see recover_image): a merge cut
short is finished by the next add_drive of FILENAME, or, when the
image may not be written, add_drive refuses it naming drydock recover.

FORMAT is any format qemu reads: "raw", "qcow2", "qcow", "vmdk",
"vdi", "vhdx", "vpc", "qed", "dmg", "parallels", "luks" (qemu's LUKS,
attached as its raw container for the appliance to open), or "ova".
When it is not given the format is probed with qemu's rules, and a raw
image is only assumed with a warning event: always pass it for
untrusted images.  A given format qemu cannot open the image as is an
error naming both formats.  A backing chain is read through; a missing
link or a loop is an error.  An OVA (a tar with an .ovf file) is read
in place: each disk inside it becomes a drive over its byte range.
FILENAME may be a remote image (below).  COMMIT and DIRECT are
refused for OVAs, dmg, luks and streamOptimized vmdk images.

OFFSET and SIZE make the disk a byte range of FILENAME, a local file:
the SIZE bytes from byte OFFSET (SIZE defaults to the rest of the file),
as a disk inside a bigger file.  They need FORMAT (the range is read by
that format's driver over qemu's raw driver with its offset and size),
must lie inside the file, and exclude COMMIT and DIRECT.  READONLY marks the drive as a source that must never
change: its overlay is always discarded (the appliance may still write to
the overlay, so a journal replay or a scratch mount works).

DIRECT is the one exception to the overlay rule, an explicit mode for
the tools that must write in place (drydock sparsify --in-place): FILENAME
itself is attached, without an overlay, so writes and discards reach it
immediately (discards are passed down and zero writes become discards).
A session that fails or is killed half way leaves FILENAME as a power cut
would.  DIRECT excludes READONLY, COMMIT and OUTPUT_OVERLAY, and
FILENAME must be writable.

CLUSTER_SIZE is the cluster size of the drive's overlay in bytes: a
power of two from 512 to 2097152 (2 MiB); the default is qemu-img's,
65536.  The appliance's discards and zero writes free whole clusters of
the overlay only, so small clusters let trimmed free space (fstrim)
show at the granularity of the guest's filesystem blocks, at the cost
of more overlay metadata (8 bytes of L2 table a cluster) and slower
I/O; a kept OUTPUT_OVERLAY has this cluster size.  DIRECT has no
overlay and excludes CLUSTER_SIZE.

Whatever the mode, an image another process holds qemu's lock on (a
running VM, qemu-img, qemu-nbd) is refused here: written by another
process, it could not be read consistently.

Remote images.  FILENAME may be a URI: nbd://HOST[:PORT]/EXPORT,
nbd+unix:///EXPORT?socket=PATH, http://, https://, ftp://, ftps://
(qemu's curl driver), ssh://[USER@]HOST[:PORT]/PATH (qemu's ssh driver:
the keys of the ssh agent at SSH_AUTH_SOCK or the user's default keys,
the host key checked against the user's known_hosts unless the URI
says ?host_key_check=no, ?host_key_check=sha256:HEX, or the
SHA256:BASE64 fingerprint ssh-keygen -l prints), iscsi://HOST[:PORT]/TARGET/LUN,
gluster://HOST[:PORT]/VOLUME/IMAGE, rbd:POOL/IMAGE[:OPTION=VALUE...] or
nfs://HOST/PATH, where the host's qemu has the block driver (Debian's
qemu-block-extra; without it the error names the missing driver).  Or
FILENAME is the export, path or image name on the server and PROTOCOL
says which: "file" (the default: a local file), "nbd", "http",
"https", "ftp", "ftps", "ssh", "iscsi" (FILENAME is TARGET/LUN),
"gluster" (VOLUME/IMAGE) or "rbd" (POOL/IMAGE).  SERVER lists the
servers, each "HOST", "HOST:PORT", "tcp:HOST[:PORT]" or
"unix:/SOCKET": exactly one, except for rbd (none: the monitors of
ceph.conf, or several); a unix socket only for nbd and gluster.
USERNAME is the remote user (http, https, ftp, ftps, ssh, iscsi, rbd);
SECRET the iSCSI password or the rbd key (base64); a drive with a
SECRET cannot keep its overlay (OUTPUT_OVERLAY), which would record it.
A remote image is reached with a connection timeout and an unanswered
connection is an error after it.

For http, https, ftp and ftps, SSLVERIFY false accepts any certificate
(a self-signed one), COOKIE is sent with every request, READAHEAD is
the bytes read ahead of each read (qemu's default 256 KiB; more is
faster over a slow link) and TIMEOUT the seconds each request may take
(qemu's default 5).  The same can follow the URI as a fragment, which
is never sent to the server: https://HOST/disk.img#sslverify=off&readahead=1M&timeout=30
(values percent-encoded; true, on, yes, 1 and false, off, no, 0 for
sslverify; K, M and G suffixes for readahead).

A remote image is only read: READONLY, a discarded or a kept overlay
never write to it.  COMMIT into a remote image is refused unless its
protocol can be written (nbd) and REMOTE_COMMIT is set too: the
export is then written through NBD at shutdown, after a successful
session only, but without the roll-forward journal a local image's
commit has (a crash during that write leaves the export half written).
DIRECT, OFFSET and SIZE are for local files.

The remaining optional arguments are taken with the meaning other
guest tools give them, as far as the appliance has a use for it.
IFACE ("virtio", "ide", "scsi", "virtio-scsi") is checked and ignored:
every drive is on the appliance's own bus.  NAME, a hint of the
drive's name in the guest, is ignored as well.  LABEL (1 to 20
letters, unique among the drives) names the drive: a device argument
/dev/disk/guestfs/LABEL is the drive, /dev/disk/guestfs/LABELN its
partition N, and list_disk_labels maps each label to the drive's
device.
CACHEMODE is "unsafe" (the default for an overlay, which is discarded,
kept or committed only after a clean shutdown) or "writeback" (the
overlay's flushes reach the host's disk, the default of a DIRECT
drive).  DISCARD is "enable" or "besteffort" (the default: discards
free the overlay's clusters, never the source's) or "disable" (the
appliance's discards are ignored).  COPYONREAD copies what the
appliance reads from the source into the overlay, so that a remote
source is read once.  BLOCKSIZE is the sector size the appliance sees,
512 (the default) or 4096.

The metadata of a qcow2, qed, vdi, vhdx or parallels image is checked
with qemu-img check first (in bounded time): a corrupt image is the
error "FILENAME: corrupt FORMAT: qemu's reason", one qemu cannot open
"FILENAME: qemu cannot open it: qemu's reason".  Damage the check
cannot see (in the data itself) shows later as I/O errors in the guest:
the call that fails then ends its error with "(FILENAME: the guest saw
I/O errors reading it: a damaged image?)".

UNTRUSTED is for images from someone else (also set for every drive
by the environment variable DRYDOCK_UNTRUSTED=1).  An image's header can
name other files, which qemu then reads as part of the guest's disk: a
backing file, an external data file, a vmdk's extents, or a "json:"
specification naming any file or protocol.  So an image that names
/etc/shadow as its backing file would let its author read that host
file through the guest.  With UNTRUSTED the image is refused unless
FORMAT is given and is the format qemu finds, and it names no backing
file, no external data file and no other file for its data;
FILENAME may not be a "json:" specification or a protocol name
(nbd://, http://, ...).  Without it, an image whose backing file is
outside the image's own directory is added with a warning event.""",
           optargs=[OString("format"), OBool("readonly"), OBool("commit"),
                    OString("output_overlay"), OBool("direct"),
                    OInt("cluster_size"), OInt64("offset"), OInt64("size"),
                    OString("protocol"), OStringList("server"),
                    OString("username"), OString("secret"),
                    OBool("sslverify"), OString("cookie"),
                    OInt64("readahead"), OInt("timeout"),
                    OBool("remote_commit"), OString("iface"),
                    OString("name"), OString("label"), OString("cachemode"),
                    OString("discard"), OBool("copyonread"),
                    OInt("blocksize"), OBool("untrusted")],
           side="library", needs_launch=False, aliases=["add", "add_drive_opts"],
           states=["config"],
           example="add_drive /tmp/disk.img format:raw readonly:true"),
    Action("list_disk_labels", 0, RHashtable, [],
           "the labels of the drives and their devices",
           """The LABEL of each drive added with one (add_drive), mapped to
the device the appliance names it (/dev/sda, /dev/sdb ...).  Drives
without a label are not listed.""",
           side="library", needs_launch=False),
    Action("add_drive_ro", 0, RErr, [HostPath("filename")],
           "add a disk image read-only",
           "The same as add_drive with READONLY set; the format is probed.",
           side="library", needs_launch=False, states=["config"], aliases=["add_ro"]),
    Action("add_domain", 0, RInt, [String("dom")],
           "add the disks of a libvirt domain",
           """Add the disks of the libvirt domain named DOM, as add_drive does
for each, in the order of the domain's XML, and return how many were
added.  Either every disk is added or, on an error, none is.  libvirt's
C library (libvirt.so.0) is loaded by this call, the first time it is
made: without it the call fails, and nothing else needs it.

The domain is looked up on the connection LIBVIRTURI (default: libvirt's
default URI, from LIBVIRT_DEFAULT_URI or its configuration), opened
read-only: its disks must be reachable from this host under the paths
the XML gives.  With ALLOWUUID, DOM is first looked up as a UUID, then
as a name.  The domain's current XML is read, or with CONFIG its
persistent configuration (the disks it will have at its next boot, as
"virsh dumpxml --inactive").

Each <disk> gives its source: the file of type "file", the device of
type "block", the volume of a storage pool of type "volume" (its path
as libvirt reports it), or for type "network" an NBD export (over TCP
or a unix socket), an HTTP(S) or FTP(S) URL, an SSH path (with the ssh
agent's key), an iSCSI LUN or a Gluster volume's file, read as
add_drive reads the same URI; rbd disks and disks that need a libvirt
secret (<auth>) are refused.  A storage <slice> of a file or a device (libvirt's
<slices>) is read as add_drive's OFFSET and SIZE.  The format is the
<driver> element's "type" (probed as add_drive does when missing); qemu
reads a backing chain through from the image itself.  CD-ROMs, floppies, disks without a source (an empty
drive) and disk types besides those above are skipped, the last with a
warning.  A domain without a disk left is an error.

A domain that is running (or paused) is refused unless READONLY is
set: its disks are being written by the guest, and committing into
them is not safe.  READONLY adds every disk read-only; an image the
guest's qemu holds its lock on is still refused by add_drive (see
there).  LIVE (attaching to a daemon inside the running
guest) is not supported and is refused.

READONLYDISK says what to do with a disk the XML marks <readonly/>:
"write" (the default) adds it as any other; "read" adds it read-only;
"error" fails the call unless READONLY is set; "ignore" skips it.

COMMIT and OUTPUT_OVERLAY are add_drive's, for every disk:
OUTPUT_OVERLAY needs a domain with a single disk.  IFACE, CACHEMODE
("writeback" or "unsafe"), DISCARD ("disable", "enable" or
"besteffort") and COPYONREAD are checked and accepted for
compatibility and change nothing: the appliance chooses its own disk
bus, and the drives are always overlays that take every write and
discard.""",
           optargs=[OString("libvirturi"), OBool("readonly"), OString("iface"),
                    OBool("live"), OBool("allowuuid"),
                    OString("readonlydisk"), OString("cachemode"),
                    OString("discard"), OBool("copyonread"), OBool("config"),
                    OBool("commit"), OString("output_overlay")],
           side="library", needs_launch=False, states=["config"], aliases=["domain"],
           example="add_domain guest1 libvirturi:qemu:///system readonly:true"),
    Action("launch", 0, RErr, [],
           "boot the appliance",
           """Create the overlays, boot the appliance and wait for its daemon
to say hello.  KVM is used when a short probe shows it can run guest code,
TCG otherwise (DRYDOCK_ACCEL=kvm|tcg or set_accel override).  With verbose
set, the phases of the launch (overlays, appliance, qemu start, guest
kernel, daemon) are reported with their times.""",
           side="library", needs_launch=False, states=["config"], aliases=["run"]),
    Action("shutdown", 0, RErr, [],
           "sync, stop the appliance and settle the overlays",
           """Unmount everything in the appliance, stop it, then apply each
drive's overlay policy (keep or commit).  Only a successful shutdown
commits.  Closing the handle without it discards every change.""",
           side="library", needs_launch=False),
    Action("recover_image", 0, RInt, [HostPath("filename")],
           "finish a commit into an image that was interrupted",
           """A commit merges a drive's overlay into its source roll-forward:
the overlay is first kept beside the image as a journal
(.NAME.drydock-commit.qcow2, synced), then merged, and the journal is
removed once the image is synced.  If the process, qemu-img or the
machine died in between, this call merges the journal again (which ends
in the fully committed image whatever point the first merge reached),
repairs the leaked clusters of a qcow2, and removes the journal and any
overlay a crashed session left beside the image.  add_drive does the
same before it reads an image, or refuses it when it may not write it.
Returns 1 if a commit was finished, 0 if none was pending.""",
           side="library", needs_launch=False, aliases=["recover"]),
    Action("set_verbose", 0, RErr, [Bool("verbose")],
           "report debug messages and launch phases",
           "Enable debug messages (also DRYDOCK_DEBUG=1 in the environment).",
           side="library", needs_launch=False, aliases=["verbose"]),
    Action("get_verbose", 0, RBool, [], "is verbose set",
           "Return the verbose flag.", side="library", needs_launch=False),
    Action("set_trace", 0, RErr, [Bool("trace")],
           "trace every API call",
           "Report each call, its arguments and its result as trace events "
           "(also DRYDOCK_TRACE=1).",
           side="library", needs_launch=False, aliases=["trace"]),
    Action("get_trace", 0, RBool, [], "is tracing set",
           "Return the trace flag.", side="library", needs_launch=False),
    Action("set_memsize", 0, RErr, [Int("memsize")],
           "appliance memory in MiB",
           "Set the appliance memory in megabytes (default 512, at least 128).",
           side="library", needs_launch=False, states=["config"], aliases=["memsize"]),
    Action("get_memsize", 0, RInt, [], "appliance memory in MiB",
           "Return the appliance memory in megabytes.",
           side="library", needs_launch=False),
    Action("set_smp", 0, RErr, [Int("smp")],
           "number of appliance vCPUs",
           "Set the number of virtual CPUs (default 1: under TCG more CPUs "
           "slow the boot down).",
           side="library", needs_launch=False, states=["config"], aliases=["smp"]),
    Action("get_smp", 0, RInt, [], "number of appliance vCPUs",
           "Return the number of virtual CPUs.",
           side="library", needs_launch=False),
    Action("set_network", 0, RErr, [Bool("network")],
           "give the appliance a network",
           """With NETWORK true, the appliance launched next has a network
interface on qemu's user networking: outgoing connections only (TCP and
UDP through the host's own connections; the host is reachable as
10.0.2.2, DNS is 10.0.2.3), configured statically by the daemon with no
DHCP client.  Guest commands (command, sh) can then reach what the host
reaches, e.g. a distribution's package mirror.  Off by default.  The
snapshot of an appliance with a network is saved apart from the one
without (its first launch boots).  Call before launch.""",
           side="library", needs_launch=False, states=["config"], aliases=["network"],
           example="set_network true"),
    Action("get_network", 0, RBool, [], "does the appliance get a network",
           "Return the network flag.", side="library", needs_launch=False),
    Action("set_accel", 0, RErr, [String("accel")],
           "choose the accelerator",
           """"auto" (default: KVM if a probe shows it works, TCG otherwise),
"kvm" or "tcg".  The environment variable DRYDOCK_ACCEL overrides it.""",
           side="library", needs_launch=False, states=["config"]),
    Action("get_accel", 0, RString, [], "the accelerator",
           "Return the configured accelerator, or after launch the one in use.",
           side="library", needs_launch=False),
    Action("get_state", 0, RInt, [], "the handle's state",
           """The state of the handle as a number: 0 config, 1 launching,
2 ready, 4 done (shut down, or the appliance died: only close is left).
3 (busy) is never returned: a call runs to its end before the next.
See also is_config, is_launching, is_ready and is_busy.""",
           side="library", needs_launch=False, example="get_state",
           tests=[Test("scratch", ["get_state"], 2)]),
    Action("is_ready", 0, RBool, [], "is the appliance ready for calls",
           "True when the handle is in the ready state (launched, the "
           "appliance answering).",
           side="library", needs_launch=False,
           tests=[Test("scratch", ["is_ready"], True)]),
    Action("is_config", 0, RBool, [], "is the handle in the config state",
           "True before launch, while drives and settings may be changed.",
           side="library", needs_launch=False,
           tests=[Test("scratch", ["is_config"], False)]),
    Action("is_launching", 0, RBool, [], "is the handle launching",
           "True while launch runs (a callback of a launch event can see "
           "it).", side="library", needs_launch=False,
           tests=[Test("scratch", ["is_launching"], False)]),
    Action("get_pid", 0, RInt, [], "the process ID of the appliance",
           "The process ID of the qemu process running the appliance; an "
           "error (ESRCH) when none runs.",
           side="library", needs_launch=False,
           tests=[Test(S, ["get_pid"])]),
    Action("is_busy", 0, RBool, [], "is the handle busy",
           "Always false: a handle runs one call at a time, to its end.",
           side="library", needs_launch=False,
           tests=[Test("scratch", ["is_busy"], False)]),
    Action("rescue", 0, RInt,
           [Int("infd"), Int("outfd"), Bool("tty"), Int("rows"), Int("cols"),
            String("term")],
           "a shell in the appliance, over two file descriptors",
           """Run a root shell in the appliance, with the drives attached
and whatever is mounted under /sysroot, and return its exit status
(128+N when signal N ended it).  What the caller's file descriptor
INFD gives is the shell's input, until its end; the shell's output and
errors are written to OUTFD.  The shell's programs are the appliance's
own (a busybox with its applets, and the tools of every action).

With TTY false the shell reads its input as a script (a pipe), and the
bytes pass as they are.  With TTY true it runs on a terminal in the
appliance, of ROWS by COLS characters (0: 24 by 80) and of type TERM,
and the caller's terminal should be in raw mode.  The byte 0x1d then
starts a control sequence of the stream: 0x1d 0x1d is a literal 0x1d,
0x1d "s" syncs the filesystems, 0x1d "u" remounts them read-only, and
0x1d "w" followed by four bytes (rows, then columns, each 16 bits big
endian) sets the terminal's size.

The call returns when the shell exits; its background jobs are killed
then.  The handle can be used again afterwards.""",
           side="library", example="rescue 0 1 false 0 0 dumb"),
]

# proc 1..99: internal; proc 100..: public.  Internal is the name
# (internal_*), not the number: internal_rescue came later, as 502.
daemon_actions = [
    Action("internal_shutdown", 1, RErr, [],
           "unmount, sync and power off (internal)",
           "Used by drydock_shutdown.", shell_only=False),
    Action("internal_attach_drives", 2, RErr,
           [Int("n"), Int64("now_ns"), Bool("verbose"), String("entropy")],
           "find the drives hot-added after a snapshot restore (internal)",
           """Used by launch after restoring a saved appliance: sets the
clock to NOW_NS (host nanoseconds since the epoch), the daemon's debug
output to VERBOSE, mixes ENTROPY (hex) into the kernel's random pool and
reseeds it (every restore starts from the same pool otherwise), then scans
the virtio-scsi targets 0 to N-1 one by one, so the kernel names them sda,
sdb ... in drive order, and maps drive I to the disk whose SCSI serial is
dI.""", shell_only=False),
    Action("internal_rescue", 502, RInt,
           [Bool("tty"), Int("rows"), Int("cols"), String("term")],
           "the shell of rescue (internal)",
           """Used by rescue: starts the shell, then relays its input
and output as chunks in both directions until it exits (the daemon's
end marker, answered by the host's), then replies with its exit
status.""", shell_only=False),
    Action("list_devices", 100, DEVLIST, [],
           "list the block devices",
           "The whole-disk devices, /dev/sda, /dev/sdb ..., in the order the "
           "drives were added."),
    Action("list_partitions", 101, DEVLIST, [],
           "list the partitions",
           "Every partition of every drive, sorted."),
    Action("list_filesystems", 102, DEVHASH, [],
           "list filesystems and their types",
           """Pairs of device and filesystem type for every whole disk,
partition, logical volume and opened encrypted volume (/dev/mapper/NAME,
see cryptsetup_open), as libblkid identifies them.  Devices
holding no filesystem are reported as "unknown"; partition tables, LVM
physical volumes and extended partitions are left out.  Each subvolume
of a btrfs filesystem on DEVICE is listed after it, as
btrfsvol:DEVICE/SUBVOLUME with type btrfs.""",
           tests=[Test("lvm", ["list_filesystems"],
                       ["/dev/VG/LV", "ext4"], readonly=True)]),
    Action("vfs_type", 103, RString, [Mountable("mountable")],
           "the filesystem type on a device",
           "The filesystem type libblkid finds, e.g. ext4, or an empty string."),
    Action("vfs_label", 104, RString, [Mountable("mountable")],
           "the filesystem label", "The label, or an empty string."),
    Action("vfs_uuid", 105, RString, [Mountable("mountable")],
           "the filesystem UUID", "The UUID, or an empty string.",
           aliases=["get_uuid"]),
    Action("mount", 106, RErr, [Mountable("mountable"), String("mountpoint")],
           "mount a filesystem",
           """Mount MOUNTABLE at MOUNTPOINT, a path inside the guest tree
(/ first).  The filesystem type is found by libblkid.  MOUNTABLE is a
device, or a btrfs subvolume written btrfsvol:DEVICE/SUBVOLUME (as
list_filesystems lists them), which is mounted with the subvol
option."""),
    Action("mount_ro", 107, RErr, [Mountable("mountable"), String("mountpoint")],
           "mount a filesystem read-only", "As mount, read-only."),
    Action("mount_options", 108, RErr,
           [String("options"), Mountable("mountable"), String("mountpoint")],
           "mount with options", "As mount, with mount(8)-style OPTIONS."),
    Action("mount_vfs", 109, RErr,
           [String("options"), String("vfstype"), Mountable("mountable"),
            String("mountpoint")],
           "mount with options and type", "As mount_options, with a type."),
    Action("umount", 110, RErr, [DevOrPath("pathordevice")],
           "unmount a filesystem",
           "Unmount the filesystem mounted at the path or from the device.",
           optargs=[OBool("force"), OBool("lazyunmount")], aliases=["unmount"]),
    Action("umount_all", 111, RErr, [], "unmount everything",
           "Unmount every guest filesystem, deepest first.",
           aliases=["unmount_all"]),
    Action("mounts", 112, DEVLIST, [], "the mounted devices",
           "The devices mounted, in mount order."),
    Action("mountpoints", 113, DEVHASH, [], "devices and their mountpoints",
           "Pairs of device and mountpoint."),
    # ls and ll were daemon procedures 114 and 115: now library-side,
    # over the streaming ls0 and ll0 (numbers never reused).
    Action("ls", 0, RStringList, [Pathname("directory")],
           "list a directory",
           """The names in DIRECTORY, sorted, without . and ..  The names
stream from the appliance (ls0), so a directory of any size is listed.""",
           side="library"),
    Action("ll", 0, RString, [Pathname("directory")],
           "long directory listing",
           """A long listing of DIRECTORY, as ls -la.  The listing streams
from the appliance (ll0), so a directory of any size is listed.""",
           side="library"),
    Action("statns", 116, RStruct("statns"), [Pathname("path")],
           "file metadata", "stat(2) of PATH, following symlinks."),
    Action("lstatns", 117, RStruct("statns"), [Pathname("path")],
           "file metadata, not following symlinks", "lstat(2) of PATH."),
    Action("exists", 118, RBool, [Pathname("path")],
           "does a path exist", "True if PATH exists (following symlinks)."),
    Action("is_file", 119, RBool, [Pathname("path")],
           "is a regular file", "True if PATH is a regular file.",
           optargs=[OBool("followsymlinks")]),
    Action("is_dir", 120, RBool, [Pathname("path")],
           "is a directory", "True if PATH is a directory.",
           optargs=[OBool("followsymlinks")]),
    Action("is_symlink", 121, RBool, [Pathname("path")],
           "is a symbolic link", "True if PATH is a symbolic link."),
    Action("cat", 122, RString, [Pathname("path")],
           "the content of a text file",
           "The whole file; refused if it has a NUL byte (use read_file) or "
           "does not fit in a message (use download).", protocol_limit=True),
    Action("read_file", 123, RBufferOut, [Pathname("path")],
           "the content of a file", "The whole file, any bytes.",
           protocol_limit=True),
    Action("read_lines", 124, RStringList, [Pathname("path")],
           "the lines of a text file",
           "The file split at newlines (\\r\\n accepted), without them.",
           protocol_limit=True),
    Action("write", 125, RErr, [Pathname("path"), BufferIn("content")],
           "create or replace a file",
           "Write CONTENT to PATH, replacing it.  The file is written "
           "under a temporary name and renamed into place."),
    Action("write_append", 126, RErr, [Pathname("path"), BufferIn("content")],
           "append to a file", "Append CONTENT to PATH, creating it."),
    Action("mkdir", 127, RErr, [Pathname("path")], "create a directory",
           "Create the directory PATH; its parent must exist."),
    Action("mkdir_p", 128, RErr, [Pathname("path")],
           "create a directory and its parents",
           "Create PATH and any missing parents; no error if it exists."),
    Action("mkdir_mode", 129, RErr, [Pathname("path"), Int("mode")],
           "create a directory with a mode", "As mkdir, with MODE (umask applies)."),
    Action("rm", 130, RErr, [Pathname("path")], "remove a file",
           "Remove the file PATH (not a directory)."),
    Action("rm_f", 131, RErr, [Pathname("path")], "remove a file, if there",
           "As rm, but no error when PATH does not exist."),
    Action("rm_rf", 132, RErr, [Pathname("path")], "remove a tree",
           "Remove PATH and everything under it, never following symlinks; "
           "no error when it does not exist."),
    Action("rmdir", 133, RErr, [Pathname("path")], "remove an empty directory",
           "Remove the empty directory PATH."),
    Action("chmod", 134, RErr, [Int("mode"), Pathname("path")],
           "change a file's mode",
           "Set the mode of PATH (following symlinks).  MODE is octal in the "
           "shell when it starts with 0."),
    Action("chown", 135, RErr, [Int("owner"), Int("group"), Pathname("path")],
           "change a file's owner", "Set numeric owner and group (follows symlinks)."),
    Action("lchown", 136, RErr, [Int("owner"), Int("group"), Pathname("path")],
           "change a symlink's owner", "As chown, not following symlinks."),
    Action("ln_s", 137, RErr, [String("target"), Pathname("linkname")],
           "create a symbolic link", "Create LINKNAME pointing to TARGET."),
    Action("ln_sf", 138, RErr, [String("target"), Pathname("linkname")],
           "create or replace a symbolic link",
           "As ln_s, replacing LINKNAME if it exists."),
    Action("readlink", 139, RString, [Pathname("path")],
           "read a symbolic link", "The target of the symbolic link PATH."),
    Action("cp", 140, RErr, [Pathname("src"), Pathname("dest")],
           "copy a file", "Copy the file SRC to DEST (a file or directory)."),
    Action("cp_a", 141, RErr, [Pathname("src"), Pathname("dest")],
           "copy a tree keeping attributes",
           "Copy SRC (a file or directory tree) to DEST, as cp -a."),
    Action("mv", 142, RErr, [Pathname("src"), Pathname("dest")],
           "move a file", "Move or rename SRC to DEST (a file or directory)."),
    Action("upload", 143, RErr, [FileIn("filename"), Pathname("remotefilename")],
           "copy a local file into the guest",
           "Stream the local FILENAME (- for standard input) to "
           "REMOTEFILENAME, any size.", progress=True),
    Action("download", 144, RErr, [Pathname("remotefilename"), FileOut("filename")],
           "copy a guest file out",
           "Stream REMOTEFILENAME to the local FILENAME (- for standard "
           "output), any size.  A regular local file is written under a "
           "temporary name and renamed only when the whole file arrived; "
           "the guest file's holes stay holes in it.",
           progress=True),
    Action("tar_in", 145, RErr, [FileIn("tarfile"), Pathname("directory")],
           "unpack a local tarball into the guest",
           "Unpack the local TARFILE into DIRECTORY.  COMPRESS is one of "
           "none, gzip, xz, zstd, bzip2.  XATTRS restores the extended "
           "attributes the archive holds (every namespace), SELINUX the "
           "SELinux labels and ACLS the POSIX ACLs.",
           optargs=[OString("compress"), OBool("xattrs"), OBool("selinux"),
                    OBool("acls")],
           tests=[Test("scratch", ["mkdir_p /tar_in/a", "write /tar_in/a/f y",
                                  "tar_out /tar_in/a @TMP@/tar_in.tgz compress:gzip",
                                  "mkdir /tar_in/b",
                                  "tar_in @TMP@/tar_in.tgz /tar_in/b compress:gzip",
                                  "cat /tar_in/b/f"], "y"),
                  Test("scratch", ["mkdir /tar_in2",
                                   "tar_in @TMP@/nosuch.tar /tar_in2"], Error())]),
    Action("tar_out", 146, RErr, [Pathname("directory"), FileOut("tarfile")],
           "pack a guest directory into a local tarball",
           "Pack DIRECTORY into the local TARFILE.  Sparse files are "
           "stored as their data and a map of their holes (GNU tar "
           "--sparse), so they unpack sparse.  XATTRS stores the "
           "extended attributes of the files, SELINUX their SELinux labels "
           "and ACLS their POSIX ACLs (as GNU tar's --xattrs, --selinux "
           "and --acls).",
           optargs=[OString("compress"), OBool("numericowner"),
                    OStringList("excludes"), OBool("xattrs"),
                    OBool("selinux"), OBool("acls")],
           tests=[Test("scratch", ["mkdir_p /tar_out/a", "write /tar_out/a/f x",
                                   "tar_out /tar_out/a @TMP@/tar_out.tar "
                                   "xattrs:true selinux:true acls:true",
                                   "mkdir /tar_out/b",
                                   "tar_in @TMP@/tar_out.tar /tar_out/b "
                                   "xattrs:true acls:true",
                                   "cat /tar_out/b/f"], "x")]),
    Action("sync", 147, RErr, [], "flush writes",
           "Flush every filesystem and drive to the overlays."),
    Action("fstrim", 148, RErr, [Pathname("mountpoint")],
           "discard unused blocks of a filesystem",
           "FITRIM on the filesystem mounted at MOUNTPOINT; the overlays pass "
           "the discards down so freed clusters are released.",
           optargs=[OInt64("offset"), OInt64("length"),
                    OInt64("minimumfreeextent")]),
    Action("command", 149, RString, [StringList("arguments")],
           "run a command in the guest",
           """Run ARGUMENTS (a program and its arguments, no shell) chrooted
into the guest tree, with /dev, /proc and /sys bound in, and return its
standard output.  A non-zero exit is an error carrying standard error.""",
           writes=True),
    Action("command_lines", 150, RStringList, [StringList("arguments")],
           "run a command in the guest, lines", "As command, split into lines.",
           writes=True),
    Action("sh", 151, RString, [String("command")],
           "run a shell command in the guest",
           "Run COMMAND with the guest's /bin/sh -c, as command.", writes=True),
    Action("sh_lines", 152, RStringList, [String("command")],
           "run a shell command in the guest, lines", "As sh, split into lines.",
           writes=True),
    Action("part_disk", 153, RErr, [Device("device"), String("parttype")],
           "partition a disk with one partition",
           "Create a new partition table (mbr/msdos or gpt) on DEVICE with a "
           "single partition covering the disk."),
    Action("part_init", 154, RErr, [Device("device"), String("parttype")],
           "create an empty partition table", "mbr/msdos or gpt."),
    Action("part_add", 155, RErr,
           [Device("device"), String("prlogex"), Int64("startsect"),
            Int64("endsect")],
           "add a partition",
           "Add a partition from sector STARTSECT to ENDSECT inclusive; "
           "PRLOGEX is primary, logical or extended (p, l, e)."),
    Action("part_list", 156, RStructList("partition"), [Device("device")],
           "list the partitions of a disk",
           "Number, start, end and size in bytes of each partition."),
    Action("part_get_parttype", 157, RString, [Device("device")],
           "the partition table type", "msdos or gpt."),
    Action("mkfs", 158, RErr, [String("fstype"), Device("device")],
           "make a filesystem",
           "Make a filesystem of FSTYPE (ext2/3/4, xfs, vfat, btrfs, ntfs, "
           "f2fs, minix, swap).",
           optargs=[OInt("blocksize"), OString("features"), OInt("inode"),
                    OInt("sectorsize"), OString("label")]),
    Action("lvs", 159, DEVLIST, [], "list the logical volumes",
           "Paths /dev/VG/LV of every logical volume."),
    Action("vgs", 160, RStringList, [], "list the volume groups",
           "Names of the volume groups."),
    Action("pvs", 161, DEVLIST, [], "list the physical volumes",
           "Devices holding LVM physical volumes."),
    Action("vg_activate_all", 162, RErr, [Bool("activate")],
           "activate or deactivate every volume group",
           "Make every logical volume available (or not) as a device."),
    Action("pvcreate", 163, RErr, [Device("device")],
           "make an LVM physical volume", "pvcreate on DEVICE."),
    Action("vgcreate", 164, RErr, [String("volgroup"), StringList("physvols")],
           "make a volume group", "Create VOLGROUP over the physical volumes."),
    Action("lvcreate", 165, RErr,
           [String("logvol"), String("volgroup"), Int("mbytes")],
           "make a logical volume", "Create LOGVOL of MBYTES megabytes."),
    Action("lvcreate_free", 166, RErr,
           [String("logvol"), String("volgroup"), Int("percent")],
           "make a logical volume over free space",
           "Create LOGVOL using PERCENT % of the free space of VOLGROUP."),
    Action("blockdev_getsize64", 167, RInt64, [Device("device")],
           "the size of a device", "The size of DEVICE in bytes."),
    Action("touch", 168, RErr, [Pathname("path")], "create or update a file",
           "Create PATH empty or update its times."),
    Action("filesize", 169, RInt64, [Pathname("path")], "the size of a file",
           "The size of PATH in bytes."),
    # find was daemon procedure 170: now library-side, over find0.
    Action("find", 0, RStringList, [Pathname("directory")],
           "list a tree",
           "Every name under DIRECTORY, relative to it, sorted; symlinks are "
           "not followed.  The names stream from the appliance (find0), so "
           "a tree of any size is listed.", side="library"),
    Action("is_blockdev", 171, RBool, [Pathname("path")],
           "is a block device", "True if PATH is a block device.",
           optargs=[OBool("followsymlinks")]),
    Action("mkswap", 172, RErr, [Device("device")],
           "make a swap area", "Make swap on DEVICE.",
           optargs=[OString("label"), OString("uuid")]),
    Action("zero_free_space", 173, RErr, [Pathname("directory")],
           "zero the free space of a filesystem",
           """Fill the free space of the filesystem holding DIRECTORY (a
mounted guest directory) with a file of zeros, then delete it.  Written
zeros become discards on the drive, so this releases the free space of a
filesystem that cannot trim (see fstrim_free).""",
           progress=True, example="zero_free_space /"),
    Action("zero_device", 174, RErr, [Device("device")],
           "zero a device, writing only where it is not zero",
           """Write zeros over DEVICE, skipping the blocks that already read
as zeros, so an image shrinks rather than grows.  Every byte of DEVICE
is lost.""",
           progress=True, example="zero_device /dev/sda2",
           tests=[Test("fs", ["write /z hello", "zero_device /dev/sda1",
                                "vfs_type /dev/sda1"], "")]),
    Action("blkdiscard", 175, RErr, [Device("device")],
           "discard the blocks of a device",
           """Discard (BLKDISCARD) the whole of DEVICE, or LENGTH bytes from
OFFSET (both multiples of 512; up to the end when LENGTH is not given).
The content of the range is lost; on drydock's drives it then reads as
zeros.""",
           optargs=[OInt64("offset"), OInt64("length")],
           example="blkdiscard /dev/sda2 offset:1048576"),
    Action("swap_discard", 176, RErr, [Device("device")],
           "discard a swap area, keeping its header",
           """Discard every block of the swap area DEVICE except its header
page (the first page, which holds the UUID and label), so the swap area
stays usable and keeps its identity.  The header is never rewritten, so
no crash can lose it.  Refused if DEVICE does not hold a Linux swap
signature.""",
           example="swap_discard /dev/sda5"),
    Action("lvremove", 177, RErr, [Arg("device", "String", "Device")],
           "remove a logical volume",
           "Remove the logical volume DEVICE (/dev/VG/LV), deactivating it "
           "first, or with DEVICE /dev/VG every logical volume of the "
           "volume group VG.  Their content is lost.",
           tests=[Test("lvm", ["umount_all", "lvcreate LV2 VG 8",
                                 "lvremove /dev/VG", "lvs"], []),
                  Test("lvm", ["lvcreate LV2 VG 8", "lvremove /dev/VG/LV2",
                               "lvs"], ["/dev/VG/LV"]),
                  Test("lvm", ["lvremove /dev/NOVG"], Error())]),
    Action("vg_free", 178, RInt64, [String("volgroup")],
           "free space of a volume group",
           "The bytes of VOLGROUP that no logical volume uses (its free "
           "extents)."),
    Action("fstrim_free", 179, RInt64, [Pathname("mountpoint")],
           "discard every unused block of a filesystem, reporting how much",
           """As fstrim over the whole filesystem mounted at MOUNTPOINT,
repeated (with a sync before each pass) until a pass trims nothing or
as much as the one before, at most four passes, so blocks a journal
commit frees late are trimmed too.  Returns the largest number of bytes
a pass reported (XFS and btrfs report every free block, ext4 only the
blocks not trimmed since the mount).""",
           example="fstrim_free /"),
    Action("statvfs", 180, RStruct("statvfs"), [Pathname("path")],
           "filesystem statistics",
           "statvfs(3) of the filesystem holding PATH: sizes, free and "
           "available blocks and inodes."),
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
hives are hostile input.""", example="inspect_os"),
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
drives, sorted by mountpoint.  Windows: "/" only."""),
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
    Action("luks_format", 210, RErr,
           [Device("device"), Key("key"), Int("keyslot")],
           "make a LUKS encrypted volume",
           """Format DEVICE as a LUKS volume whose key slot KEYSLOT (0 to 7
for LUKS1, 0 to 31 for LUKS2) opens with the passphrase KEY.  Every byte
of DEVICE is lost.  TYPE is "luks2" (the default) or "luks1".  The key
is derived with PBKDF2 at a fixed, low iteration count so that formatting
and opening stay fast in the appliance: this is for building test images,
not for protecting data.  The passphrase reaches cryptsetup on its
standard input, never on a command line, and traces show it as ***.""",
           optargs=[OString("type")],
           example="luks_format /dev/sda2 secret 0"),
    Action("cryptsetup_open", 211, RErr,
           [Device("device"), Key("key"), String("mapname")],
           "open a LUKS encrypted volume",
           """Open the LUKS volume DEVICE with the passphrase KEY as the
device /dev/mapper/MAPNAME, which then works like any other device
(mkfs, mount, list_filesystems, LVM inside it).  MAPNAME is made of
letters, digits and "-_+.".  READONLY maps it read-only; ALLOW_DISCARDS
passes discards (fstrim) through to DEVICE, which reveals which blocks
are free to whoever can read the image.  A passphrase that opens no key
slot is an error with errno EACCES.  The passphrase reaches cryptsetup on
its standard input, never on a command line, and traces show it as
***.  CRYPTTYPE is "luks" or "bitlk" (BitLocker); when it is not
given cryptsetup finds the type.""",
           optargs=[OBool("readonly"), OBool("allow_discards"),
                    OString("crypttype")],
           example="cryptsetup_open /dev/sda2 secret luks-sda2 allow_discards:true",
           tests=[Test("part", ["cryptsetup_open /dev/sda1 key x crypttype:foo"],
                       Error("EINVAL")),
                  Test("part", ["luks_format /dev/sda1 key 0",
                                "cryptsetup_open /dev/sda1 key lk crypttype:luks",
                                "vfs_type /dev/mapper/lk"], ""),
                  Test("part", ["cryptsetup_open /dev/sda1 key bl "
                                "crypttype:bitlk"], Error())]),
    Action("cryptsetup_close", 212, RErr, [Device("device")],
           "close an opened encrypted volume",
           """Close /dev/mapper/NAME, opened by cryptsetup_open.  Nothing on
it may be mounted or active (unmount its filesystems, deactivate its
volume groups first).""",
           example="cryptsetup_close /dev/mapper/luks-sda2"),
    Action("debug_append_log", 99, RErr, [String("message")],
           "write a line to the appliance console (testing)",
           "Write MESSAGE to the appliance console log."),
    # The API as libguestfs has it (issue 14): procs 600-699.
    Action("stat", 600, RStruct("stat"), [Pathname("path")],
           "file metadata",
           """stat(2) of PATH, following symbolic links inside the guest,
in the stat struct (times in seconds; statns has nanoseconds).""",
           example="stat /etc/hostname",
           tests=[Test("scratch", ["mkdir /stat", "write /stat/f hello",
                                 "chmod 0640 /stat/f", "stat /stat/f"],
                       Fields({"size": 5, "mode": 0o100640, "nlink": 1,
                               "uid": 0, "gid": 0})),
                  Test("scratch", ["mkdir /stat2", "ln_s /stat2/d /stat2/l",
                                   "mkdir /stat2/d", "stat /stat2/l"],
                       Fields({"mode": 0o40755, "nlink": 2})),
                  Test("scratch", ["stat /stat3/nosuch"], Error("ENOENT"))]),
    Action("lstat", 601, RStruct("stat"), [Pathname("path")],
           "file metadata, not following symlinks",
           "As stat, but a symbolic link is described itself (lstat(2)).",
           example="lstat /etc/os-release",
           tests=[Test("scratch", ["mkdir /lstat", "ln_s target /lstat/l",
                                   "lstat /lstat/l"],
                       Fields({"mode": 0o120777, "size": 6}))]),
    Action("inspect_list_applications2", 602, RStructList("application2"),
           [Mountable("root")],
           "the applications installed in a root (application2)",
           """The list inspect_list_applications gives, in the
application2 struct: the same fields prefixed app2_, with
app2_trans_path and four spare fields, all empty.""",
           protocol_limit=True,
           example="inspect_list_applications2 /dev/sda1",
           tests=[Test("scratch", ["inspect_list_applications2 /dev/sda1"],
                       Error("EINVAL"))]),
    Action("blockdev_setro", 603, RErr, [Device("device")],
           "make a block device read-only",
           "Set the kernel's read-only flag of DEVICE (blockdev --setro): "
           "writes to it then fail with EPERM.",
           tests=[Test("part", ["blockdev_setro /dev/sda1",
                                "blockdev_getro /dev/sda1"], True)]),
    Action("blockdev_setrw", 604, RErr, [Device("device")],
           "make a block device writable",
           "Clear the read-only flag of DEVICE (blockdev --setrw).",
           tests=[Test("part", ["blockdev_setro /dev/sda1",
                                "blockdev_setrw /dev/sda1",
                                "blockdev_getro /dev/sda1"], False)]),
    Action("blockdev_getro", 605, RBool, [Device("device")],
           "is a block device read-only",
           "True if the read-only flag of DEVICE is set (blockdev --getro).",
           tests=[Test("empty", ["blockdev_getro /dev/sda"], False),
                  Test("empty", ["blockdev_getro /dev/sdz"], Error("ENOENT"))]),
    Action("blockdev_getss", 606, RInt, [Device("device")],
           "the sector size of a block device",
           "The logical sector size of DEVICE in bytes, usually 512 "
           "(blockdev --getss).  Use it rather than assuming 512.",
           tests=[Test("empty", ["blockdev_getss /dev/sda"], 512)]),
    Action("blockdev_getbsz", 607, RInt, [Device("device")],
           "the block size of a block device",
           "The block size the kernel uses for DEVICE's buffers "
           "(blockdev --getbsz): it says nothing of the filesystem on it.",
           tests=[Test("empty", ["blockdev_getbsz /dev/sda"], 4096)]),
    Action("blockdev_getsz", 608, RInt64, [Device("device")],
           "the size of a block device in 512-byte sectors",
           "The size of DEVICE in 512-byte sectors, whatever its sector "
           "size (blockdev --getsz); see blockdev_getsize64 for bytes.",
           tests=[Test("empty", ["blockdev_getsz /dev/sda"], 262144)]),
    Action("blockdev_flushbufs", 609, RErr, [Device("device")],
           "flush a block device's buffers",
           "Write out and drop the kernel's buffers of DEVICE "
           "(blockdev --flushbufs).",
           tests=[Test("empty", ["blockdev_flushbufs /dev/sda"])]),
    Action("blockdev_rereadpt", 610, RErr, [Device("device")],
           "reread the partition table of a disk",
           "Make the kernel read the partition table of DEVICE again "
           "(blockdev --rereadpt).  A partition of it in use (mounted, a "
           "physical volume of an active volume group) makes it fail with "
           "EBUSY.",
           tests=[Test("part", ["blockdev_rereadpt /dev/sda"]),
                  Test("fs", ["blockdev_rereadpt /dev/sda"], Error("EBUSY"))]),
    Action("blockdev_setra", 611, RErr, [Device("device"), Int("sectors")],
           "set the read-ahead of a block device",
           "Set the read-ahead of DEVICE to SECTORS 512-byte sectors "
           "(blockdev --setra).",
           tests=[Test("empty", ["blockdev_setra /dev/sda 1024"]),
                  Test("empty", ["blockdev_setra /dev/sda -1"],
                       Error("EINVAL"))]),
    Action("equal", 612, RBool, [Pathname("file1"), Pathname("file2")],
           "do two files have the same content",
           """True if the regular files FILE1 and FILE2 hold the same bytes
(cmp(1)); their names, modes and times do not matter.""",
           example="equal /etc/hosts /etc/hosts.orig",
           tests=[Test(S, ["mkdir /equal", "write /equal/a x", "write /equal/b x",
                           "equal /equal/a /equal/b"], True),
                  Test(S, ["mkdir /equal2", "write /equal2/a x",
                           "write /equal2/b xy", "equal /equal2/a /equal2/b"],
                       False),
                  Test(S, ["mkdir /equal3", "equal /equal3 /equal3"],
                       Error("EISDIR"))]),
    Action("head", 613, RStringList, [Pathname("path")],
           "the first 10 lines of a file",
           "The first 10 lines of the text file PATH (head(1)), without "
           "their newlines.  The file must fit in one message, as for "
           "read_lines.",
           protocol_limit=True, example="head /etc/passwd",
           tests=[Test(S, ["mkdir /head", "fill_pattern \"x\n\" 30 /head/f",
                           "head /head/f"], 10)]),
    Action("head_n", 614, RStringList, [Int("nrlines"), Pathname("path")],
           "the first lines of a file",
           """The first NRLINES lines of the text file PATH; with NRLINES
negative, every line but the last -NRLINES; none for 0.""",
           protocol_limit=True, example="head_n 3 /etc/passwd",
           tests=[Test(S, ["mkdir /head_n", "write /head_n/f \"a\nb\nc\n\"",
                           "head_n 2 /head_n/f"], ["a", "b"]),
                  Test(S, ["mkdir /head_n2", "write /head_n2/f \"a\nb\nc\n\"",
                           "head_n -1 /head_n2/f"], ["a", "b"]),
                  Test(S, ["mkdir /head_n3", "write /head_n3/f \"a\n\"",
                           "head_n 0 /head_n3/f"], [])]),
    Action("tail", 615, RStringList, [Pathname("path")],
           "the last 10 lines of a file",
           "The last 10 lines of the text file PATH (tail(1)), without "
           "their newlines.  The file must fit in one message.",
           protocol_limit=True, example="tail /var/log/messages",
           tests=[Test(S, ["mkdir /tail", "fill_pattern \"y\n\" 30 /tail/f",
                           "tail /tail/f"], 10)]),
    Action("tail_n", 616, RStringList, [Int("nrlines"), Pathname("path")],
           "the last lines of a file",
           """The last NRLINES lines of the text file PATH; with NRLINES
negative, the lines from line number -NRLINES (counted from 1) to the
end; none for 0.""",
           protocol_limit=True, example="tail_n 3 /etc/passwd",
           tests=[Test(S, ["mkdir /tail_n", "write /tail_n/f \"a\nb\nc\n\"",
                           "tail_n 2 /tail_n/f"], ["b", "c"]),
                  Test(S, ["mkdir /tail_n2", "write /tail_n2/f \"a\nb\nc\n\"",
                           "tail_n -2 /tail_n2/f"], ["b", "c"])]),
    Action("wc_l", 617, RInt, [Pathname("path")],
           "the number of lines in a file",
           "The number of newline characters in the regular file PATH "
           "(wc -l).", example="wc_l /etc/passwd",
           tests=[Test(S, ["mkdir /wc_l", "write /wc_l/f \"a b\nc\n\"",
                           "wc_l /wc_l/f"], 2)]),
    Action("wc_w", 618, RInt, [Pathname("path")],
           "the number of words in a file",
           "The number of words, runs of bytes between blanks, in the "
           "regular file PATH (wc -w in the C locale).",
           example="wc_w /etc/motd",
           tests=[Test(S, ["mkdir /wc_w", "write /wc_w/f \"a b\n c\n\"",
                           "wc_w /wc_w/f"], 3)]),
    Action("wc_c", 619, RInt, [Pathname("path")],
           "the number of bytes in a file",
           "The number of bytes of the regular file PATH (wc -c).",
           example="wc_c /etc/motd",
           tests=[Test(S, ["mkdir /wc_c", "write /wc_c/f \"a b\n\"",
                           "wc_c /wc_c/f"], 4)]),
    Action("is_zero", 620, RBool, [Pathname("path")],
           "does a file hold only zero bytes",
           "True if every byte of the regular file PATH is zero (an empty "
           "file too).", example="is_zero /swapfile",
           tests=[Test(S, ["mkdir /is_zero", "fill 0 10000 /is_zero/f",
                           "is_zero /is_zero/f"], True),
                  Test(S, ["mkdir /is_zero2", "fill 1 10 /is_zero2/f",
                           "is_zero /is_zero2/f"], False)]),
    Action("is_chardev", 621, RBool, [Pathname("path")],
           "is a character device",
           "True if PATH is a character device node; with FOLLOWSYMLINKS a "
           "symbolic link to one counts.  A missing PATH is false.",
           optargs=[OBool("followsymlinks")],
           tests=[Test(S, ["mkdir /is_chardev", "mknod_c 0600 1 3 /is_chardev/n",
                           "is_chardev /is_chardev/n"], True),
                  Test(S, ["is_chardev /is_chardev-nosuch"], False)]),
    Action("is_fifo", 622, RBool, [Pathname("path")],
           "is a FIFO",
           "True if PATH is a FIFO (named pipe); with FOLLOWSYMLINKS a "
           "symbolic link to one counts.  A missing PATH is false.",
           optargs=[OBool("followsymlinks")],
           tests=[Test(S, ["mkdir /is_fifo", "mkfifo 0600 /is_fifo/p",
                           "is_fifo /is_fifo/p"], True),
                  Test(S, ["mkdir /is_fifo2", "mkfifo 0600 /is_fifo2/p",
                           "ln_s p /is_fifo2/l", "is_fifo /is_fifo2/l"], False),
                  Test(S, ["mkdir /is_fifo3", "mkfifo 0600 /is_fifo3/p",
                           "ln_s p /is_fifo3/l",
                           "is_fifo /is_fifo3/l followsymlinks:true"], True)]),
    Action("is_socket", 623, RBool, [Pathname("path")],
           "is a Unix domain socket",
           "True if PATH is a Unix domain socket; with FOLLOWSYMLINKS a "
           "symbolic link to one counts.  A missing PATH is false.",
           optargs=[OBool("followsymlinks")],
           tests=[Test(S, ["mkdir /is_socket", "mknod 0140600 0 0 /is_socket/s",
                           "is_socket /is_socket/s"], True),
                  Test(S, ["mkdir /is_socket2", "is_socket /is_socket2"],
                       False)]),
    Action("rename", 624, RErr, [Pathname("oldpath"), Pathname("newpath")],
           "rename a file",
           """Rename OLDPATH to NEWPATH (rename(2)): both on the same
filesystem; a NEWPATH that exists is replaced (a directory only by a
directory, and only an empty one).  See mv to move across
filesystems.""", example="rename /etc/motd /etc/motd.old",
           tests=[Test(S, ["mkdir /rename", "write /rename/a x",
                           "rename /rename/a /rename/b", "cat /rename/b"], "x"),
                  Test(S, ["rename /rename-nosuch /rename-b"],
                       Error("ENOENT"))]),
    Action("ln", 625, RErr, [Pathname("target"), Pathname("linkname")],
           "create a hard link",
           "Create LINKNAME as another name of the file TARGET (a hard "
           "link; a symbolic link TARGET is linked itself).",
           example="ln /etc/hosts /etc/hosts.link",
           tests=[Test(S, ["mkdir /ln", "write /ln/a x", "ln /ln/a /ln/b",
                           "stat /ln/b"], Fields({"nlink": 2, "size": 1})),
                  Test(S, ["mkdir /ln2", "write /ln2/a x", "write /ln2/b y",
                           "ln /ln2/a /ln2/b"], Error("EEXIST"))]),
    Action("ln_f", 626, RErr, [Pathname("target"), Pathname("linkname")],
           "create or replace a hard link",
           "As ln, replacing LINKNAME if it exists (not a directory).",
           tests=[Test(S, ["mkdir /ln_f", "write /ln_f/a x", "write /ln_f/b y",
                           "ln_f /ln_f/a /ln_f/b", "cat /ln_f/b"], "x")]),
    Action("mkfifo", 627, RErr, [Int("mode"), Pathname("path")],
           "create a FIFO",
           "Create the FIFO (named pipe) PATH with the permission bits MODE "
           "(the umask applies).",
           example="mkfifo 0600 /run/pipe",
           tests=[Test(S, ["mkdir /mkfifo", "mkfifo 0640 /mkfifo/p",
                           "lstat /mkfifo/p"], Fields({"mode": 0o10640})),
                  Test(S, ["mkdir /mkfifo2", "mkfifo 010600 /mkfifo2/p"],
                       Error("EINVAL"))]),
    Action("mknod", 628, RErr,
           [Int("mode"), Int("devmajor"), Int("devminor"), Pathname("path")],
           "create a device node, FIFO or socket",
           """Create PATH with mknod(2): MODE holds the file type
(0020000 character device, 0060000 block device, 0010000 FIFO, 0140000
socket, 0100000 regular file) and the permission bits (the umask
applies); DEVMAJOR and DEVMINOR number a device.  See mknod_b, mknod_c
and mkfifo.  The node is made in the guest and never opened here.""",
           example="mknod 020666 1 3 /dev/null",
           tests=[Test(S, ["mkdir /mknod", "mknod 060600 8 1 /mknod/b",
                           "lstat /mknod/b"],
                       Fields({"mode": 0o60600, "rdev": 8 * 256 + 1})),
                  Test(S, ["mkdir /mknod2", "mknod 0600 1 1 /mknod2/x"],
                       Error("EINVAL"))]),
    Action("mknod_b", 629, RErr,
           [Int("mode"), Int("devmajor"), Int("devminor"), Pathname("path")],
           "create a block device node",
           "As mknod of a block device: MODE has the permission bits only.",
           tests=[Test(S, ["mkdir /mknod_b", "mknod_b 0600 8 0 /mknod_b/n",
                           "is_blockdev /mknod_b/n"], True)]),
    Action("mknod_c", 630, RErr,
           [Int("mode"), Int("devmajor"), Int("devminor"), Pathname("path")],
           "create a character device node",
           "As mknod of a character device: MODE has the permission bits "
           "only.",
           tests=[Test(S, ["mkdir /mknod_c", "mknod_c 0600 1 3 /mknod_c/n",
                           "lstat /mknod_c/n"], Fields({"mode": 0o20600}))]),
    Action("utimens", 631, RErr,
           [Pathname("path"), Int64("atsecs"), Int64("atnsecs"),
            Int64("mtsecs"), Int64("mtnsecs")],
           "set the access and modification times of a file",
           """Set the last access time of PATH to ATSECS seconds and
ATNSECS nanoseconds since the epoch, and its modification time to
MTSECS and MTNSECS.  A nanoseconds value of -1 means the current time,
-2 leaves that time as it is.  A symbolic link PATH gets the times
itself (its target is left alone, as lutimes does).""",
           example="utimens /etc/hostname 1700000000 0 1700000000 0",
           tests=[Test(S, ["mkdir /utimens", "touch /utimens/f",
                           "utimens /utimens/f 1000 5 2000 6",
                           "statns /utimens/f"],
                       Fields({"st_atime_sec": 1000, "st_atime_nsec": 5,
                               "st_mtime_sec": 2000, "st_mtime_nsec": 6})),
                  Test(S, ["mkdir /utimens2", "touch /utimens2/f",
                           "utimens /utimens2/f 1 1000000000 1 0"], Error("EINVAL"))]),
    Action("umask", 632, RInt, [Int("mask")],
           "set the file mode creation mask",
           """Set the umask the daemon creates files and directories with
(mkdir, mkdir_mode, write, mkfifo, mknod, upload ...) to MASK, and
return the one before.  It is 022 after launch.""",
           example="umask 077",
           tests=[Test(S, ["umask 022"], 0o22),
                  Test(S, ["umask 077", "mkdir /umask", "umask 022",
                           "stat /umask"], Fields({"mode": 0o40700}))]),
    Action("fill", 633, RErr, [Int("c"), Int("len"), Pathname("path")],
           "create a file of one repeated byte",
           "Create or replace the regular file PATH with LEN bytes, each "
           "of value C (0 to 255).",
           progress=True, example="fill 0 1048576 /zeros",
           tests=[Test(S, ["mkdir /fill", "fill 0x41 3 /fill/f", "cat /fill/f"],
                       "AAA")]),
    Action("fill_pattern", 634, RErr,
           [String("pattern"), Int("len"), Pathname("path")],
           "create a file of a repeated pattern",
           "Create or replace the regular file PATH with LEN bytes of "
           "PATTERN repeated (the last copy cut short).  PATTERN has 1 to "
           "65536 bytes.",
           progress=True, example="fill_pattern abcd 1000 /pattern",
           tests=[Test(S, ["mkdir /fill_pattern",
                           "fill_pattern abc 7 /fill_pattern/f",
                           "cat /fill_pattern/f"], "abcabca")]),
    Action("ping_daemon", 635, RErr, [],
           "check that the daemon answers",
           "Do nothing in the appliance but answer: a round trip.",
           tests=[Test(S, ["ping_daemon"])]),
    Action("echo_daemon", 636, RString, [StringList("words")],
           "the words given, joined by blanks",
           "Return WORDS joined by single blanks, as echo(1) prints them: "
           "a round trip carrying data.",
           example='echo_daemon "hello world"',
           tests=[Test(S, ["echo_daemon \"a b  c\""], "a b c")]),
    Action("sleep", 637, RErr, [Int("secs")],
           "wait in the appliance",
           "Make the daemon wait SECS seconds before answering.",
           tests=[Test(S, ["sleep 0"]),
                  Test(S, ["sleep -1"], Error("EINVAL"))]),
    Action("drop_caches", 638, RErr, [Int("whattodrop")],
           "drop the appliance kernel's caches",
           """Sync, then drop the appliance kernel's clean caches through
/proc/sys/vm/drop_caches: WHATTODROP 1 the page cache, 2 dentries and
inodes, 3 both.  For timing and debugging.""",
           tests=[Test(S, ["drop_caches 3"]),
                  Test(S, ["drop_caches 4"], Error("EINVAL"))]),
    Action("utsname", 639, RStruct("utsname"), [],
           "the appliance kernel's name and version",
           "uname(2) in the appliance: the kernel's name, release, version "
           "and machine.",
           tests=[Test(S, ["utsname"], Fields({"uts_sysname": "Linux"}))]),
    Action("dmesg", 640, RString, [],
           "the appliance kernel's messages",
           "The appliance kernel's log buffer, as dmesg(1) prints it "
           "without decoding (each line starts with its level).",
           protocol_limit=True, tests=[Test(S, ["dmesg"])]),
    Action("nr_devices", 641, RInt, [],
           "the number of drives",
           "The number of drives added to the appliance, the length of "
           "list_devices.",
           tests=[Test("empty", ["nr_devices"], 1)]),
    Action("device_index", 642, RInt, [Device("device")],
           "the index of a drive",
           "The index in list_devices (from 0) of the whole disk DEVICE, "
           "which is also the order it was added in.",
           example="device_index /dev/sdb",
           tests=[Test("part", ["device_index /dev/sda"], 0),
                  Test("part", ["device_index /dev/sda1"], Error("EINVAL"))]),
    Action("part_to_dev", 643, DEVSTR, [Device("partition")],
           "the disk of a partition",
           "The whole disk PARTITION is on: /dev/sda for /dev/sda1.  A "
           "device that is not a partition is an error (EINVAL).",
           example="part_to_dev /dev/sdb2",
           tests=[Test("part", ["part_to_dev /dev/sda1"], "/dev/sda"),
                  Test("part", ["part_to_dev /dev/sda"], Error("EINVAL"))]),
    Action("part_to_partnum", 644, RInt, [Device("partition")],
           "the number of a partition",
           "The partition number of PARTITION: 1 for /dev/sda1.  A device "
           "that is not a partition is an error (EINVAL).",
           example="part_to_partnum /dev/sdb2",
           tests=[Test("part", ["part_to_partnum /dev/sda1"], 1)]),
    Action("canonical_device_name", 645, RString, [String("device")],
           "the API name of a device",
           """The name the API uses for DEVICE: /dev/hdX and /dev/vdX
become /dev/sdX, and a logical volume's device-mapper name
/dev/mapper/VG-LV becomes /dev/VG/LV.  Other names are returned as
they are.""",
           example="canonical_device_name /dev/mapper/fedora-root",
           tests=[Test("empty", ["canonical_device_name /dev/vda2"],
                       "/dev/sda2"),
                  Test("lvm", ["canonical_device_name /dev/mapper/VG-LV"],
                       "/dev/VG/LV", readonly=True),
                  Test("empty", ["canonical_device_name /dev/mapper/x"],
                       "/dev/mapper/x")]),
    Action("blkid", 646, RHashtable, [Device("device")],
           "what libblkid finds on a device",
           """Pairs of tag and value that libblkid's low-level probe finds
on DEVICE: TYPE, UUID, LABEL, USAGE, VERSION ... of the filesystem or
other signature, and PART_ENTRY_* of a partition.  Nothing is
mounted.""",
           example="blkid /dev/sda1",
           tests=[Test("part", ["mkfs vfat /dev/sda1 label:BLK",
                                "blkid /dev/sda1"],
                       Fields({"TYPE": "vfat", "LABEL": "BLK",
                               "PART_ENTRY_NUMBER": "1"}))]),
    Action("is_zero_device", 647, RBool, [Device("device")],
           "does a device hold only zero bytes",
           "True if every byte of DEVICE reads as zero.  The whole device "
           "is read.",
           tests=[Test("part", ["is_zero_device /dev/sda1"], True),
                  Test("part", ["is_zero_device /dev/sda"], False)]),
    Action("zero", 648, RErr, [Device("device")],
           "zero the start of a device",
           """Write zeros over the first 64 KiB of DEVICE, where partition
tables and most signatures are, unless they already are zeros.  Not a
secure wipe (see zero_device, scrub_file).""",
           example="zero /dev/sda2",
           tests=[Test("part", ["mkfs ext4 /dev/sda1", "zero /dev/sda1",
                                "vfs_type /dev/sda1"], "")]),
    Action("wipefs", 649, RErr, [Device("device")],
           "erase the signatures of a device",
           """Erase every filesystem, RAID, LVM and partition table
signature libblkid finds on DEVICE (only their magic bytes), so that
nothing recognises what was there (wipefs -a), even while it is
mounted.""",
           example="wipefs /dev/sda2",
           tests=[Test("part", ["mkswap /dev/sda1", "wipefs /dev/sda1",
                                "vfs_type /dev/sda1"], ""),
                  Test("part", ["wipefs /dev/sda", "list_partitions"], [])]),
    Action("du", 650, RInt64, [Pathname("path")],
           "the disk space a file or tree uses",
           """The disk space used by PATH and, for a directory, everything
under it, in KiB (du -s -k): allocated blocks, not file sizes, a file
with several names counted once.  Symbolic links are not followed.""",
           example="du /var/log",
           tests=[Test(S, ["mkdir /du", "fill 1 100000 /du/f",
                           "ln /du/f /du/g", "du /du/f"], 98),
                  Test(S, ["mkdir /du2", "fill 1 100000 /du2/f",
                           "ln /du2/f /du2/g", "du /du2"], 99),
                  Test(S, ["du /du-nosuch"], Error("ENOENT"))]),
    Action("base64_out", 652, RErr, [Pathname("filename"),
                                     FileOut("base64file")],
           "copy a guest file out in base64",
           """Write the regular file FILENAME to the local file BASE64FILE
encoded in base64, in lines of 76 characters, as base64(1).""",
           example="base64_out /etc/hostname /tmp/hostname.b64",
           tests=[Test(S, ["mkdir /base64_out", "write /base64_out/f hello",
                           "base64_out /base64_out/f @TMP@/b64",
                           "upload @TMP@/b64 /base64_out/g",
                           "cat /base64_out/g"], "aGVsbG8=\n")]),
    Action("base64_in", 653, RErr, [FileIn("base64file"),
                                    Pathname("filename")],
           "copy a local base64 file into the guest, decoded",
           """Decode the local file BASE64FILE, base64 with any line
breaks, into the guest file FILENAME, created or replaced (a regular
file only).  Anything that is not base64 is an error (EINVAL).""",
           example="base64_in /tmp/hostname.b64 /etc/hostname",
           tests=[Test(S, ["mkdir /base64_in", "write /base64_in/f \"a\x00b\"",
                           "base64_out /base64_in/f @TMP@/b64in",
                           "base64_in @TMP@/b64in /base64_in/g",
                           "equal /base64_in/f /base64_in/g"], True),
                  Test(S, ["mkdir /base64_in2", "write /base64_in2/f \"!!\"",
                           "download /base64_in2/f @TMP@/bad64",
                           "base64_in @TMP@/bad64 /base64_in2/g"],
                       Error("EINVAL"))]),
    Action("part_get_bootable", 654, RBool, [Device("device"), Int("partnum")],
           "is a partition bootable",
           """True if the partition PARTNUM of DEVICE is marked bootable:
on an MBR its active flag, on a GPT disk its type being the EFI system
partition.""",
           example="part_get_bootable /dev/sda 1",
           tests=[Test("part", ["part_get_bootable /dev/sda 1"], False,
                       readonly=True),
                  Test("part", ["part_get_bootable /dev/sda 5"],
                       Error("EINVAL"), readonly=True)]),
    Action("part_get_name", 655, RString, [Device("device"), Int("partnum")],
           "the name of a GPT partition",
           "The name of the partition PARTNUM of the GPT disk DEVICE (\"\" "
           "for none).  An MBR has no names: an error (EINVAL).",
           tests=[Test("empty", ["part_disk /dev/sda gpt",
                                 "part_get_name /dev/sda 1"], ""),
                  Test("part", ["part_get_name /dev/sda 1"], Error("EINVAL"),
                       readonly=True)]),
    Action("part_get_mbr_part_type", 656, RString,
           [Device("device"), Int("partnum")],
           "the kind of an MBR partition",
           "\"primary\", \"extended\" or \"logical\": the kind of the "
           "partition PARTNUM of the MBR disk DEVICE.",
           tests=[Test("part", ["part_get_mbr_part_type /dev/sda 1"],
                       "primary", readonly=True)]),
    Action("part_get_gpt_type", 657, RString,
           [Device("device"), Int("partnum")],
           "the type GUID of a GPT partition",
           "The partition type GUID of the partition PARTNUM of the GPT disk "
           "DEVICE, in upper case.",
           tests=[Test("empty", ["part_disk /dev/sda gpt",
                                 "part_get_gpt_type /dev/sda 1"],
                       "0FC63DAF-8483-4772-8E79-3D69D8477DE4")]),
    Action("part_get_gpt_guid", 658, RString,
           [Device("device"), Int("partnum")],
           "the unique GUID of a GPT partition",
           "The unique partition GUID (PARTUUID) of the partition PARTNUM of "
           "the GPT disk DEVICE, in upper case.",
           tests=[Test("empty", ["part_disk /dev/sda gpt",
                                 "part_get_gpt_guid /dev/sda 1"])]),
    Action("part_get_gpt_attributes", 659, RInt64,
           [Device("device"), Int("partnum")],
           "the attribute flags of a GPT partition",
           "The 64 attribute bits of the partition PARTNUM of the GPT disk "
           "DEVICE (bit 0 required, bit 2 legacy BIOS bootable ...).",
           tests=[Test("empty", ["part_disk /dev/sda gpt",
                                 "part_get_gpt_attributes /dev/sda 1"], 0)]),
    Action("part_get_disk_guid", 660, RString, [Device("device")],
           "the GUID of a GPT disk",
           "The disk GUID of the GPT disk DEVICE, in upper case.",
           tests=[Test("part", ["part_get_disk_guid /dev/sda"],
                       Error("EINVAL"), readonly=True)]),
    Action("list_dm_devices", 663, RStringList, [],
           "list the device-mapper devices",
           "Every device-mapper device as /dev/mapper/NAME, sorted: opened "
           "encrypted volumes and active logical volumes.",
           tests=[Test("lvm", ["list_dm_devices"], ["/dev/mapper/VG-LV"],
                       readonly=True),
                  Test("empty", ["list_dm_devices"], [])]),
    Action("mountable_device", 664, DEVSTR, [Mountable("mountable")],
           "the device of a mountable",
           "The device part of MOUNTABLE: the device itself, or for a "
           "btrfs subvolume btrfsvol:DEVICE/SUBVOLUME, DEVICE.",
           tests=[Test("part", ["mountable_device /dev/sda1"], "/dev/sda1",
                       readonly=True)]),
    Action("mountable_subvolume", 665, RString, [Mountable("mountable")],
           "the subvolume of a mountable",
           "The btrfs subvolume part of MOUNTABLE, "
           "btrfsvol:DEVICE/SUBVOLUME (SUBVOLUME, its path from the top of "
           "the filesystem); a device is not a subvolume: an error "
           "(EINVAL).",
           tests=[Test("part", ["mountable_subvolume /dev/sda1"],
                       Error("EINVAL"), readonly=True)]),
    Action("mkdtemp", 666, RString, [Pathname("tmpl")],
           "create a temporary directory",
           """Create a new directory from the template TMPL, a full path
whose last component ends in "XXXXXX", and return its path: the six X
are replaced by random letters and digits until the name is new.  The
directory has mode 0700 (less the umask).""",
           writes=True, example="mkdtemp /tmp/buildXXXXXX",
           tests=[Test(S, ["mkdir /mkdtemp2", "mkdtemp /mkdtemp2/dXXXXXX",
                           "mkdtemp /mkdtemp2/dXXXXXX", "ls /mkdtemp2"], 2),
                  Test(S, ["mkdir /mkdtemp", "mkdtemp /mkdtemp/noX"],
                       Error("EINVAL")),
                  Test(S, ["mkdtemp /mkdtemp-nosuch/XXXXXX"],
                       Error("ENOENT"))]),
]


AUG_PATH_DOC = """Paths are Augeas path expressions over the tree Augeas
makes of the guest's files (under /files) and of its own state (under
/augeas); see augeas(1)."""

augeas_actions = [
    Action("aug_init", 220, RErr, [Pathname("root"), Int("flags")],
           "start Augeas on the guest's files",
           """Start Augeas on the guest tree at ROOT (usually /), closing
any Augeas session already open.  Augeas parses the guest's configuration
files into a tree that aug_get, aug_set, aug_match... read and change;
aug_save writes the changes back.  FLAGS is the sum of: 1 keep the
original of each saved file as FILE.augsave, 2 save into FILE.augnew and
leave FILE alone, 4 type-check the lenses (slow), 8 do not load the
standard lenses, 16 save nothing (aug_save only reports what would
change, under /augeas/events/saved), 32 load no files (aug_load does).

Augeas runs in a process of its own, chrooted in the guest at ROOT and in
a mount namespace where the guest's device nodes cannot be opened: a
symlink in the guest resolves inside the guest, and a device node, FIFO
or socket where a configuration file is expected is left out of the tree
instead of being read.  The lenses come from the appliance, never from
the guest.  Unmounting filesystems (umount, umount_all) closes the
session.""",
           example="aug_init / 0"),
    Action("aug_close", 221, RErr, [],
           "close the Augeas session",
           "Close the Augeas session, discarding changes not saved. "
           "Closing when none is open is not an error."),
    Action("aug_defvar", 222, RInt, [String("name"), OptString("expr")],
           "define an Augeas variable",
           """Define the variable NAME as the nodes EXPR matches (or
undefine it when EXPR is NULL, in the shell an empty string); later
paths use it as $NAME.  Returns the number of nodes EXPR matches, 0 when
undefining.""",
           example="aug_defvar hosts /files/etc/hosts/*"),
    Action("aug_defnode", 223, RStruct("int_bool"),
           [String("name"), String("expr"), String("val")],
           "define an Augeas variable, making its node if needed",
           """Define NAME as the nodes EXPR matches; if it matches none,
create the node EXPR with the value VAL first.  Returns the number of
nodes (i) and whether one was created (b).""",
           example="aug_defnode ntp /files/etc/ntp.conf/server[last()+1] pool.example"),
    Action("aug_get", 224, RString, [String("augpath")],
           "the value of an Augeas node",
           "The value of the one node AUGPATH matches.  No matching node, "
           "several, or a node without a value is an error.\n\n" + AUG_PATH_DOC,
           example="aug_get /files/etc/hostname/hostname"),
    Action("aug_set", 225, RErr, [String("augpath"), String("val")],
           "set the value of an Augeas node",
           "Set the value of the node AUGPATH, creating it (and its "
           "parents) if it does not exist.  A path matching several nodes "
           "is an error (see aug_setm).",
           example="aug_set /files/etc/hostname/hostname web1"),
    Action("aug_setm", 226, RInt,
           [String("base"), OptString("sub"), String("val")],
           "set the value of several Augeas nodes",
           """For each node BASE matches, set the value of its SUB node
(the node itself when SUB is NULL, in the shell an empty string) to VAL,
creating SUB where needed.  Returns the number of nodes changed.""",
           example="aug_setm /files/etc/fstab/*[file='/'] passno 1"),
    Action("aug_clear", 227, RErr, [String("augpath")],
           "clear the value of an Augeas node",
           "Set the value of the node AUGPATH to none (NULL), creating it "
           "if needed.",
           example="aug_clear /files/etc/motd/x"),
    Action("aug_insert", 228, RErr,
           [String("augpath"), String("label"), Bool("before")],
           "insert a sibling Augeas node",
           """Create a node labelled LABEL as a sibling of the one node
AUGPATH matches, just before it if BEFORE is true, else just after.""",
           example="aug_insert /files/etc/hosts/1 2 false"),
    Action("aug_label", 229, RString, [String("augpath")],
           "the label of an Augeas node",
           "The label (the last path component) of the one node AUGPATH "
           "matches.",
           example="aug_label /files/etc/hosts/1/*[1]"),
    Action("aug_rm", 230, RInt, [String("augpath")],
           "remove Augeas nodes",
           "Remove every node AUGPATH matches, with their children.  "
           "Returns the number of nodes removed.",
           example="aug_rm /files/etc/hosts/*[canonical='old']"),
    Action("aug_mv", 231, RErr, [String("src"), String("dest")],
           "move an Augeas node",
           "Move the one node SRC matches to DEST, which must match at "
           "most one node (replaced) and may not be under SRC.",
           example="aug_mv /files/etc/hosts/1 /files/etc/hosts/10"),
    Action("aug_match", 232, RStringList, [String("augpath")],
           "the Augeas nodes a path matches",
           "Every node AUGPATH matches, as paths, in tree order.  None is "
           "an empty list, not an error.",
           example="aug_match /files/etc/passwd/*/uid"),
    Action("aug_save", 233, RErr, [],
           "write the changes back to the guest's files",
           """Write every changed file back, as the flags of aug_init ask
(in place, with .augsave backups, or into .augnew files).  A file Augeas
cannot write is an error naming the file and Augeas's reason; the
other files are written.""",
           example="aug_save"),
    Action("aug_load", 234, RErr, [],
           "(re)load the guest's files into the tree",
           """Load the files the /augeas/load/*/incl patterns name (all
the standard ones unless aug_transform or aug_set changed them),
replacing what the tree had under /files.  A file a lens cannot parse is
not an error: it is left out, and its error is under
/augeas/files/PATH/error.""",
           example="aug_load"),
    Action("aug_ls", 235, RStringList, [String("augpath")],
           "the children of an Augeas node",
           "The children of AUGPATH (the nodes AUGPATH/* matches), sorted.",
           example="aug_ls /files/etc"),
    Action("aug_transform", 236, RErr, [String("lens"), String("file")],
           "make a lens handle a file",
           """Add FILE (a glob) to the files LENS (e.g. Hosts.lns)
loads, or with REMOVE take it out of them.  Takes effect at the next
aug_load.""",
           optargs=[OBool("remove")],
           example="aug_transform Shellvars.lns /etc/myapp.conf"),
]

# Identity and transfer: optional groups and what the appliance has,
# filesystem labels and UUIDs, LVM UUIDs, SELinux relabelling, and
# copying trees in and out (library-side, over tar_in and tar_out).
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

optgroups = ids_groups


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

HIVEX_NODE_DOC = """NODEH is a node handle from hivex_root, hivex_node_children,
hivex_node_get_child, hivex_node_parent or hivex_node_add_child of the
hive open now; a number that is not one is an error (EINVAL), never a
read outside the hive."""

HIVEX_VALUE_DOC = """VALUEH is a value handle from hivex_node_values or
hivex_node_get_value of the hive open now; a number that is not one is
an error (EINVAL)."""

# The Windows registry: one hive open at a time, read and changed through
# libhivex in the daemon, as libguestfs's hivex_* calls.
hivex_actions = [
    Action("hivex_open", 400, RErr, [Pathname("filename")],
           "open a Windows registry hive file",
           """Open the registry hive file FILENAME in the guest, closing
the hive open before, if any: there is one open hive a handle.  The
file is opened inside the guest (a symbolic link resolves inside the
guest) and only if it is a regular file of at most 512 MiB; the whole
hive is read into the appliance's memory and checked by libhivex.  A
file that is not a hive, or a damaged one, is an error naming it, and
nothing is kept open.  Later changes to the file do not reach the hive
in memory.

WRITE allows the changes of hivex_node_add_child,
hivex_node_delete_child and hivex_node_set_value, which stay in memory
until hivex_commit.  Without it those calls and hivex_commit fail
(EROFS).  UNSAFE lets libhivex open a hive with damaged parts, skipping
what it cannot read.  VERBOSE and DEBUG send libhivex's messages to the
appliance console (see set_verbose).""",
           optargs=[OBool("verbose"), OBool("debug"), OBool("write"),
                    OBool("unsafe")],
           example="hivex_open /Windows/System32/config/SOFTWARE write:true"),
    Action("hivex_close", 401, RErr, [],
           "close the open hive",
           """Close the open hive, dropping the changes not committed.
Closing when no hive is open is an error, as in libguestfs."""),
    Action("hivex_commit", 402, RErr, [OptString("filename")],
           "write the changed hive to a file",
           """Write the hive, with every change made since it was opened,
to the guest file FILENAME, or back to the file it was opened from when
FILENAME is NULL (in the shell an empty string).  The hive must have
been opened with WRITE.

The new hive is made in the appliance's memory first, then written in
place into the file, which is opened inside the guest as a regular file
only (a FILENAME that does not exist is created, mode 0666 less the
umask): the file keeps its inode, owner, permissions, NTFS security
descriptor and other names.  A hive that grew is lengthened first, so a
full filesystem is reported before a byte of the old hive is
overwritten and leaves the file as it was.  A write error after that
can leave the file half written: as with any error, drydock's overlays
keep it from the image unless the session is committed anyway.""",
           example='hivex_commit ""'),
    Action("hivex_root", 403, RInt64, [],
           "the root node of the open hive",
           "The handle of the root node (key) of the open hive."),
    Action("hivex_node_name", 404, RString, [Int64("nodeh")],
           "the name of a node",
           "The name of the node NODEH, in UTF-8 (the root node's name is "
           "whatever the hive says, often empty or a made-up name).\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_node_children", 405, RStructList("hivex_node"),
           [Int64("nodeh")],
           "the subkeys of a node",
           "The children (subkeys) of the node NODEH, in the order the hive "
           "keeps them.\n\n" + HIVEX_NODE_DOC, protocol_limit=True),
    Action("hivex_node_get_child", 406, RInt64,
           [Int64("nodeh"), String("name")],
           "the child of a node with a name",
           "The child of the node NODEH named NAME, the case of letters "
           "ignored, or 0 when there is none (not an error).\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_node_parent", 407, RInt64, [Int64("nodeh")],
           "the parent of a node",
           "The parent of the node NODEH.  The root node has none: an "
           "error.\n\n" + HIVEX_NODE_DOC),
    Action("hivex_node_values", 408, RStructList("hivex_value"),
           [Int64("nodeh")],
           "the values of a node",
           "The values (name, type, data) attached to the node NODEH, in "
           "the order the hive keeps them.\n\n" + HIVEX_NODE_DOC,
           protocol_limit=True),
    Action("hivex_node_get_value", 409, RInt64,
           [Int64("nodeh"), String("key")],
           "the value of a node with a name",
           "The value of the node NODEH named KEY, the case of letters "
           "ignored, or 0 when there is none (not an error).  The "
           "default value, shown as @ by regedit, has the empty name.\n\n"
           + HIVEX_NODE_DOC),
    Action("hivex_value_key", 410, RString, [Int64("valueh")],
           "the name of a value",
           "The name of the value VALUEH, in UTF-8; empty for the default "
           "value.\n\n" + HIVEX_VALUE_DOC),
    Action("hivex_value_type", 411, RInt64, [Int64("valueh")],
           "the type of a value",
           """The type of the value VALUEH: 0 REG_NONE, 1 REG_SZ, 2
REG_EXPAND_SZ, 3 REG_BINARY, 4 REG_DWORD, 5 REG_DWORD_BIG_ENDIAN, 6
REG_LINK, 7 REG_MULTI_SZ, 8 REG_RESOURCE_LIST, 9
REG_FULL_RESOURCE_DESCRIPTOR, 10 REG_RESOURCE_REQUIREMENTS_LIST, 11
REG_QWORD, or any other number the hive holds (the type is not checked
against the data).

""" + HIVEX_VALUE_DOC),
    Action("hivex_value_value", 412, RBufferOut, [Int64("valueh")],
           "the data of a value",
           "The data of the value VALUEH, its bytes as the hive holds "
           "them (strings in UTF-16LE, usually with a final NUL).  Data "
           "that does not fit in one reply (4 MiB) is an error.\n\n"
           + HIVEX_VALUE_DOC, protocol_limit=True),
    Action("hivex_value_string", 413, RString, [Int64("valueh")],
           "the data of a string value, in UTF-8",
           """The data of the value VALUEH, a string (REG_SZ,
REG_EXPAND_SZ or REG_LINK), converted from UTF-16LE to UTF-8 and cut
at its first NUL.  A value of another type, or data that is not
UTF-16LE, is an error.

""" + HIVEX_VALUE_DOC, protocol_limit=True),
    Action("hivex_value_utf8", 414, RString, [Int64("valueh")],
           "the data of a string value, in UTF-8 (older name)",
           "The same as hivex_value_string, under the name older libguestfs "
           "programs call.", protocol_limit=True),
    Action("hivex_node_add_child", 415, RInt64,
           [Int64("parent"), String("name")],
           "add a subkey",
           """Add a child node (subkey) named NAME, with no values, to the
node PARENT, and return its handle.  A child of that name, the case
ignored, already there is an error (EEXIST).  The hive must be open
with WRITE; the change is written by hivex_commit.""",
           example="hivex_node_add_child 4128 NewKey"),
    Action("hivex_node_delete_child", 416, RErr, [Int64("nodeh")],
           "delete a subkey and everything under it",
           """Delete the node NODEH with its values and, recursively, its
subkeys.  The root node cannot be deleted.  Handles of what was deleted
are no longer valid.  The hive must be open with WRITE; the change is
written by hivex_commit."""),
    Action("hivex_node_set_value", 417, RErr,
           [Int64("nodeh"), String("key"), Int64("t"), BufferIn("val")],
           "set one value of a node",
           """Set the value named KEY (the empty name for the default
value) of the node NODEH to the type T (see hivex_value_type: any
number from 0 to 4294967295) and the data VAL, replacing a value of
that name, the case ignored, or adding it.  The data is stored as
given: a REG_SZ string must be UTF-16LE with its final NUL, a
REG_DWORD four bytes little-endian.  Values handles of NODEH are no
longer valid afterwards.  The hive must be open with WRITE; the change
is written by hivex_commit.""",
           example="hivex_node_set_value 4128 Version 3 1.0"),
    Action("hivex_node_delete_value", 418, RErr,
           [Int64("nodeh"), String("key")],
           "delete one value of a node",
           """Delete the value named KEY, the case ignored (the empty name
for the default value), of the node NODEH.  A value that is not there
is not an error: nothing changes.  Value handles of NODEH are no longer
valid afterwards.  The hive must be open with WRITE; the change is
written by hivex_commit.  (.reg files delete values with "KEY"=-.)""",
           example="hivex_node_delete_value 4128 Version"),
]

# The calls a FUSE mount of the guest makes (mount_local): a directory
# read in one call, attributes of many names in one call, and the
# operations of a writable mount that the actions above lack.
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
           progress=True, example="download_offset /var/log/messages /tmp/tail 4096 1024"),
    Action("lstatns_tree", 530, RErr,
           [Pathname("directory"), FileOut("records"), Int("maxentries")],
           "every name of a tree with its lstat and link target",
           """Stream to the local file RECORDS one record for each name
under DIRECTORY (not DIRECTORY itself), depth first, each directory
before its names, each directory's names in strcmp order, symbolic
links not followed: the name's path relative to DIRECTORY followed by
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
           protocol_limit=True,
           example="readfilelist /etc \"hostname hosts\" 65536"),
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
names), and the directories under it are then read from the caches;
otherwise a directory read fetches the attributes and link targets of
all its names in a few calls (readdir, lstatnslist, readlinklist).
The extended attributes of all the names of a directory come in one
call (lxattrlist) when the first is asked for.  The first read of a
small file (up to 64 KiB) of a listed directory fetches the contents
of the directory's small files in one call (readfilelist), kept until
read or changed.  A bigger file read from its start is streamed by a
second thread (download_offset, 16 MiB a call, up to 32 MiB ahead of
the reads, which take the bytes as they arrive); read elsewhere, it is
read in windows that grow while it is read in sequence: up to 1 MiB
with pread, beyond that with download_offset, up to 32 MiB a call.
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

# What the small tools (drydock filesystems) read about partitions and
# LVM beyond the calls above.
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

actions = (library_actions + daemon_actions + augeas_actions + ids_actions +
           file_actions + hivex_actions + tools_actions + fuse_daemon_actions +
           fuse_library_actions)

# Filesystems and volumes (actions_fs.py).
import actions_fs  # noqa: E402
actions = actions + actions_fs.actions
structs = structs + actions_fs.structs
optgroups = optgroups + actions_fs.groups
for g in optgroups:
    g.actions = g.actions + actions_fs.group_actions.get(g.name, [])

# Files and their metadata (actions_files.py).
import actions_files  # noqa: E402
actions = actions + actions_files.actions
structs = structs + actions_files.structs
optgroups = optgroups + actions_files.groups
for g in optgroups:
    g.actions = g.actions + actions_files.group_actions.get(g.name, [])

# The journal, inotify, YARA and LDM (actions_journal.py).
import actions_journal  # noqa: E402
actions = actions + actions_journal.actions
structs = structs + actions_journal.structs
optgroups = optgroups + actions_journal.groups
for g in optgroups:
    g.actions = g.actions + actions_journal.group_actions.get(g.name, [])

# The handle and its launch (actions_handle.py).
import actions_handle  # noqa: E402
actions = actions + actions_handle.actions
structs = structs + actions_handle.structs
optgroups = optgroups + actions_handle.groups
for g in optgroups:
    g.actions = g.actions + actions_handle.group_actions.get(g.name, [])

# Block devices (actions_block.py).
import actions_block  # noqa: E402
actions = actions + actions_block.actions
structs = structs + actions_block.structs
optgroups = optgroups + actions_block.groups
for g in optgroups:
    g.actions = g.actions + actions_block.group_actions.get(g.name, [])

# btrfs (actions_btrfs.py).
import actions_btrfs  # noqa: E402
actions = actions + actions_btrfs.actions
structs = structs + actions_btrfs.structs
optgroups = optgroups + actions_btrfs.groups
for g in optgroups:
    g.actions = g.actions + actions_btrfs.group_actions.get(g.name, [])

# What is left of sfdisk's old interface (actions_misc.py).
import actions_misc  # noqa: E402
actions = actions + actions_misc.actions

# Deprecated actions (actions_deprecated.py).
import actions_deprecated  # noqa: E402
actions = actions + actions_deprecated.actions
structs = structs + actions_deprecated.structs
optgroups = optgroups + actions_deprecated.groups
for g in optgroups:
    g.actions = g.actions + actions_deprecated.group_actions.get(g.name, [])
