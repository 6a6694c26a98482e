# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, library side: the handle's settings, drives,
# launch and shutdown, events, and what the library answers without
# the appliance.  Implemented by drydock_impl_NAME in library/.

from defs import *  # noqa: F401,F403
from actions_common import *  # noqa: F401,F403

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
           side="library", needs_launch=False, aliases=["verbose"],
           handle_bool="verbose"),
    Action("get_verbose", 0, RBool, [], "is verbose set",
           "Return the verbose flag.", side="library", needs_launch=False,
           handle_bool="verbose"),
    Action("set_trace", 0, RErr, [Bool("trace")],
           "trace every API call",
           "Report each call, its arguments and its result as trace events "
           "(also DRYDOCK_TRACE=1).",
           side="library", needs_launch=False, aliases=["trace"],
           handle_bool="trace"),
    Action("get_trace", 0, RBool, [], "is tracing set",
           "Return the trace flag.", side="library", needs_launch=False,
           handle_bool="trace"),
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
           example="set_network true", handle_bool="network"),
    Action("get_network", 0, RBool, [], "does the appliance get a network",
           "Return the network flag.", side="library", needs_launch=False,
           handle_bool="network"),
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
