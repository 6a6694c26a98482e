# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, reading what a guest keeps and watching it: the
# systemd journal, inotify, YARA scans, and Windows dynamic disks (LDM).
# actions.py adds `actions`, `structs` and `groups` to its own.

from defs import *  # noqa: F401,F403

T = Test
S = "scratch"

DEVLIST = Ret("RStringList", devices=True)

# The test journal (tests/table/prepare.sh): a directory named after a
# machine ID holding system.journal, with two entries.
MID = "0123456789abcdef0123456789abcdef"

# A disk group GUID no test disk has, and one for the examples.
DG = "01234567-89ab-cdef-0123-456789abcdef"
DGX = "cf4b9a80-4d2a-11e2-87b7-52540012c7c2"


def with_journal(name, *calls, sub=False):
    """Calls that unpack the test journal under /NAME and open it (its
    machine-ID directory with SUB, else /NAME as /var/log/journal)."""
    d = "/%s/%s" % (name, MID) if sub else "/" + name
    return ["mkdir /" + name,
            "tar_in @TMP@/journal.tgz /%s compress:gzip" % name,
            "journal_open " + d] + list(calls)


structs = [
    Struct("inotify_event", [
        ("in_wd", "int64"), ("in_mask", "uint32"), ("in_cookie", "uint32"),
        ("in_name", "string"),
    ], "One inotify event: the watch it came from (as inotify_add_watch "
       "returned it), its mask of IN_* bits, the cookie that pairs the two "
       "events of a rename, and the name of the entry of a watched "
       "directory it concerns (empty for the watched object itself)."),
    Struct("yara_detection", [
        ("yara_name", "string"), ("yara_rule", "string"),
    ], "A file a YARA rule matched: its guest path and the rule's "
       "identifier."),
]

JOURNAL_OPEN = """The journal must be open (journal_open), else the call
fails with EINVAL."""

actions = [
    # The systemd journal (optional group journal).
    Action("journal_open", 960, RErr, [Pathname("directory")],
           "open the systemd journal of a directory",
           """Open the systemd journal kept in DIRECTORY of the guest,
usually /var/log/journal: its journal files (*.journal, and *.journal~
left by an unclean shutdown), and those of its subdirectories named
after a machine ID, as journalctl -D reads them.  A journal already
open is closed first.  Read it with journal_next, journal_skip,
journal_get and journal_get_realtime_usec; close it with
journal_close.  A directory without journal files gives an empty
journal.

Every file is opened inside the guest, and only regular files are read:
a symlink leading out of the guest, a FIFO or a device among them is
skipped, and so is a file that is not a journal.  umount_all closes the
journal.""",
           example="journal_open /var/log/journal",
           tests=[T(S, with_journal("journal_open", "journal_next"), True),
                  T(S, with_journal("journal_open_m", "journal_next",
                                    sub=True), True),
                  T(S, with_journal("journal_open_b",
                                    "write /journal_open_b/bad.journal "
                                    "'not a journal'",
                                    "journal_open /journal_open_b",
                                    "journal_skip 5"), 2),
                  T(S, ["mkdir /journal_open2",
                        "mkfifo 0644 /journal_open2/fifo.journal",
                        "ln_s /../../../.. /journal_open2/x.journal",
                        "journal_open /journal_open2", "journal_next"],
                    False),
                  T(S, ["journal_open /journal_open-nosuch"],
                    Error("ENOENT")),
                  T(S, ["mkdir /journal_open3", "touch /journal_open3/f",
                        "journal_open /journal_open3/f"],
                    Error("ENOTDIR"))]),
    Action("journal_close", 961, RErr, [],
           "close the systemd journal",
           """Close the journal journal_open opened.  Without one open, it
fails with EINVAL.""",
           example="journal_close",
           tests=[T(S, with_journal("journal_close", "journal_close")),
                  T(S, with_journal("journal_close2", "journal_close",
                                    "journal_next"), Error("EINVAL"))]),
    Action("journal_next", 962, RBool, [],
           "move to the next journal entry",
           """Move to the next entry of the journal: true when there is
one (now the current entry, read by journal_get), false at the end.
After journal_open, call it once before reading the first entry.
""" + JOURNAL_OPEN,
           example="journal_next",
           tests=[T(S, with_journal("journal_next", "journal_next",
                                    "journal_next", "journal_next"),
                    False),
                  T(S, with_journal("journal_next2", "journal_close",
                                    "journal_next"), Error("EINVAL"))]),
    Action("journal_skip", 963, RInt64, [Int64("skip")],
           "skip journal entries forwards or backwards",
           """Move SKIP entries forwards (SKIP >= 0) or -SKIP entries
backwards (SKIP < 0) and return how many entries were passed (never
negative): less than the magnitude of SKIP when the end or the start of
the journal came first.  """ + JOURNAL_OPEN,
           example="journal_skip 10",
           tests=[T(S, with_journal("journal_skip", "journal_skip 10"), 2),
                  T(S, with_journal("journal_skip2", "journal_skip 2",
                                    "journal_skip -5"), 1),
                  T(S, with_journal("journal_skip3", "journal_skip 2",
                                    "journal_skip -1",
                                    "journal_get_realtime_usec"),
                    1700000000000000)]),
    Action("journal_get", 964, RStructList("xattr"), [],
           "the fields of the current journal entry",
           """The fields of the current journal entry, each as an xattr
struct: ATTRNAME its name (MESSAGE, _PID, _SYSTEMD_UNIT ...) and
ATTRVAL its value, bytes that are often but not always text (not
NUL-terminated: use its length).  Values longer than the data threshold
may be cut to it (see journal_set_data_threshold).  The entry must fit
in one reply: set a threshold for entries of several megabytes.
Without a current entry (journal_next not called yet, or past the end)
it fails with EADDRNOTAVAIL.  """ + JOURNAL_OPEN,
           example="journal_get",
           protocol_limit=True,
           tests=[T(S, with_journal("journal_get", "journal_next",
                                    "journal_get"),
                    Fields({"attrname": "MESSAGE",
                            "attrval": "hello from the guest"})),
                  T(S, with_journal("journal_get2", "journal_next",
                                    "journal_get"),
                    Fields({"attrname": "_PID", "attrval": "42"})),
                  T(S, with_journal("journal_get3", "journal_next",
                                    "journal_get"), 5),
                  T(S, with_journal("journal_get4", "journal_next",
                                    "journal_next", "journal_get"),
                    Fields({"attrname": "MESSAGE",
                            "attrval": "second entry"})),
                  T(S, with_journal("journal_get5", "journal_get"),
                    Error("EADDRNOTAVAIL"))]),
    Action("journal_get_data_threshold", 965, RInt64, [],
           "the data threshold of the journal",
           """The data threshold of the open journal: values longer than
this many bytes may be cut to it by journal_get (a hint: they may also
come whole).  0 means no threshold.  A journal opens with 65536.
""" + JOURNAL_OPEN,
           example="journal_get_data_threshold",
           tests=[T(S, with_journal("journal_get_data_threshold",
                                    "journal_get_data_threshold"), 65536),
                  T(S, with_journal("journal_get_data_threshold2",
                                    "journal_close",
                                    "journal_get_data_threshold"),
                    Error("EINVAL"))]),
    Action("journal_set_data_threshold", 966, RErr, [Int64("threshold")],
           "set the data threshold of the journal",
           """Set the data threshold of the open journal to THRESHOLD
bytes (0: none, values come whole).  See journal_get_data_threshold.
A negative THRESHOLD is EINVAL.  """ + JOURNAL_OPEN,
           example="journal_set_data_threshold 0",
           tests=[T(S, with_journal("journal_set_data_threshold",
                                    "journal_set_data_threshold 0",
                                    "journal_get_data_threshold"), 0),
                  T(S, with_journal("journal_set_data_threshold2",
                                    "journal_set_data_threshold 100",
                                    "journal_get_data_threshold"), 100),
                  T(S, with_journal("journal_set_data_threshold3",
                                    "journal_set_data_threshold -1"),
                    Error("EINVAL"))]),
    Action("journal_get_realtime_usec", 967, RInt64, [],
           "the wall-clock time of the current journal entry",
           """The time the current journal entry was written, in
microseconds since the epoch (UTC).  Without a current entry it fails
with EADDRNOTAVAIL.  """ + JOURNAL_OPEN,
           example="journal_get_realtime_usec",
           tests=[T(S, with_journal("journal_get_realtime_usec",
                                    "journal_next", "journal_next",
                                    "journal_get_realtime_usec"),
                    1700000001000000),
                  T(S, with_journal("journal_get_realtime_usec2",
                                    "journal_get_realtime_usec"),
                    Error("EADDRNOTAVAIL"))]),
    # inotify (optional group inotify).
    Action("inotify_init", 968, RErr, [Int("maxevents")],
           "make the inotify handle",
           """Make the inotify handle, through which changes to files of
the mounted guest are watched (see inotify(7)): add watches with
inotify_add_watch, read what happened with inotify_read or
inotify_files, and close it with inotify_close.  There is one handle;
an older one is closed.

MAXEVENTS is the number of events queued between two reads (0 keeps
the kernel's, 16384 by default); the kernel drops the events past it
and queues one with IN_Q_OVERFLOW instead.  A negative MAXEVENTS is
EINVAL.""",
           example="inotify_init 0",
           tests=[T(S, ["inotify_init 0", "mkdir /inotify_init",
                        "inotify_add_watch /inotify_init 256"], 1),
                  T(S, ["inotify_init -1"], Error("EINVAL"))]),
    Action("inotify_add_watch", 969, RInt64, [Pathname("path"), Int("mask")],
           "watch a guest path",
           """Watch PATH of the mounted guest for the events in MASK (the
IN_* bits of <sys/inotify.h>: IN_ACCESS 1, IN_MODIFY 2, IN_ATTRIB 4,
IN_CLOSE_WRITE 8, IN_CLOSE_NOWRITE 16, IN_OPEN 32, IN_MOVED_FROM 64,
IN_MOVED_TO 128, IN_CREATE 256, IN_DELETE 512, IN_DELETE_SELF 1024,
IN_MOVE_SELF 2048; 4095 for all, with the flags IN_ONLYDIR,
IN_DONT_FOLLOW, IN_EXCL_UNLINK, IN_MASK_ADD, IN_ONESHOT and
IN_MASK_CREATE) and return the watch descriptor the events will carry.
A directory's watch covers its entries, not its subdirectories' ones.
PATH is resolved inside the guest (a symlink never leads out of it).
A mask without any event or with an unknown bit is EINVAL.  Needs
inotify_init first (else EINVAL).""",
           example="inotify_add_watch /etc 4095",
           tests=[T(S, ["inotify_init 0", "mkdir /inotify_add_watch",
                        "inotify_add_watch /inotify_add_watch 256",
                        "inotify_add_watch /inotify_add_watch 512"], 1),
                  T(S, ["inotify_init 0",
                        "inotify_add_watch /inotify_add_watch-nosuch 256"],
                    Error("ENOENT")),
                  T(S, ["inotify_init 0", "mkdir /inotify_add_watch2",
                        "ln_s ../../../../../proc /inotify_add_watch2/l",
                        "inotify_add_watch /inotify_add_watch2/l 256"],
                    Error("ENOENT")),
                  T(S, ["inotify_init 0", "mkdir /inotify_add_watch4",
                        "ln_s nosuch /inotify_add_watch4/l",
                        "inotify_add_watch /inotify_add_watch4/l "
                        "0x02000004"], 1),
                  T(S, ["inotify_init 0", "mkdir /inotify_add_watch5",
                        "touch /inotify_add_watch5/f",
                        "inotify_add_watch /inotify_add_watch5/f "
                        "0x01000100"], Error("ENOTDIR")),
                  T(S, ["inotify_init 0", "mkdir /inotify_add_watch3",
                        "inotify_add_watch /inotify_add_watch3 0x40000000"],
                    Error("EINVAL")),
                  T(S, ["inotify_init 0", "inotify_close",
                        "inotify_add_watch / 256"], Error("EINVAL"))]),
    Action("inotify_rm_watch", 970, RErr, [Int("wd")],
           "stop watching a guest path",
           """Remove the watch WD (as inotify_add_watch returned it): an
IN_IGNORED event says it is gone.  A WD that is not a watch is
EINVAL.""",
           example="inotify_rm_watch 1",
           tests=[T(S, ["inotify_init 0", "mkdir /inotify_rm_watch",
                        "inotify_add_watch /inotify_rm_watch 256",
                        "inotify_rm_watch 1",
                        "touch /inotify_rm_watch/a", "inotify_read"],
                    1),
                  T(S, ["inotify_init 0", "mkdir /inotify_rm_watch2",
                        "inotify_add_watch /inotify_rm_watch2 256",
                        "inotify_rm_watch 1", "inotify_read"],
                    Fields({"in_wd": 1, "in_mask": 0x8000})),
                  T(S, ["inotify_init 0", "inotify_rm_watch 7"],
                    Error("EINVAL"))]),
    Action("inotify_read", 971, RStructList("inotify_event"), [],
           "the events that happened",
           """The events queued since the last read, oldest first, each an
inotify_event struct; an empty list when nothing happened.  It never
waits.  A reply holds at most a few megabytes of events and leaves
the rest queued: read until the list is empty to have them all.""",
           example="inotify_read",
           tests=[T(S, ["inotify_init 0", "mkdir /inotify_read",
                        "inotify_add_watch /inotify_read 256",
                        "touch /inotify_read/a", "inotify_read"],
                    Fields({"in_wd": 1, "in_mask": 256, "in_name": "a"})),
                  T(S, ["inotify_init 0", "mkdir /inotify_read2",
                        "inotify_add_watch /inotify_read2 264",
                        "touch /inotify_read2/a",
                        "touch /inotify_read2/b", "inotify_read"], 4),
                  T(S, ["inotify_init 0", "mkdir /inotify_read3",
                        "inotify_add_watch /inotify_read3 4095",
                        "inotify_read"], 0),
                  T(S, ["inotify_init 0", "mkfifo 0644 /inotify_read4",
                        "inotify_add_watch /inotify_read4 4095",
                        "ls /", "inotify_read"], 0),
                  T(S, ["inotify_init 0", "inotify_close", "inotify_read"],
                    Error("EINVAL"))]),
    Action("inotify_files", 972, RStringList, [],
           "the names of the entries touched",
           """The names of the entries of watched directories that the
queued events concern, sorted and each once: every event is read (as
inotify_read until it is empty), and the events of watched objects
themselves, without a name, are left out.""",
           example="inotify_files",
           tests=[T(S, ["inotify_init 0", "mkdir /inotify_files",
                        "inotify_add_watch /inotify_files 4095",
                        "touch /inotify_files/b",
                        "touch /inotify_files/a", "touch /inotify_files/b",
                        "mkdir /inotify_files/c",
                        "rm /inotify_files/b", "inotify_files"],
                    ["a", "b", "c"]),
                  T(S, ["inotify_init 0", "inotify_files"], [])]),
    Action("inotify_close", 973, RErr, [],
           "close the inotify handle",
           """Close the inotify handle: its watches go, and the events
queued are dropped.  Without one (no inotify_init since the last
close), EINVAL.""",
           example="inotify_close",
           tests=[T(S, ["inotify_init 0", "inotify_close"]),
                  T(S, ["inotify_init 0", "inotify_close", "inotify_close"],
                    Error("EINVAL"))]),
    # YARA (optional group libyara).
    Action("yara_load", 974, RErr, [FileIn("filename")],
           "load YARA rules",
           """Load the YARA rules of the local file FILENAME, which
yara_scan then matches guest files against; rules loaded before are
dropped.  FILENAME holds rules compiled by yarac, or rule source, which
is compiled first: a source that does not compile is EINVAL, with the
compiler's messages.  The source cannot include other files (compile
such rules with yarac first).""",
           example="yara_load rules.yar",
           tests=[T(S, ["yara_load @TMP@/yara/rules.yar"]),
                  T(S, ["yara_load @TMP@/yara/bad.yar"], Error("EINVAL")),
                  T(S, ["yara_load @TMP@/yara/include.yar"],
                    Error("EINVAL")),
                  T(S, ["yara_load @TMP@/yara/fake.yarc"],
                    Error("EINVAL")),
                  T(S, ["yara_load @TMP@/yara/nosuch.yar"], Error())]),
    Action("yara_destroy", 975, RErr, [],
           "drop the YARA rules",
           """Drop the rules yara_load loaded, freeing their memory in the
appliance.  Without rules loaded, EINVAL.""",
           example="yara_destroy",
           tests=[T(S, ["yara_load @TMP@/yara/rules.yar", "yara_destroy"]),
                  T(S, ["yara_load @TMP@/yara/rules.yar", "yara_destroy",
                        "yara_destroy"], Error("EINVAL"))]),
    Action("yara_scan", 976, RStructList("yara_detection"),
           [Pathname("path")],
           "match a guest file against the YARA rules",
           """Match the guest file PATH against the rules yara_load loaded:
a yara_detection struct for each rule that matches (YARA_NAME is PATH,
YARA_RULE the rule's identifier), none when none does.  PATH must be
a regular file (a symlink is followed inside the guest): a directory
is EISDIR, another kind of file EINVAL.  Without rules loaded,
EINVAL.""",
           example="yara_scan /home/user/Downloads/invoice.pdf",
           tests=[T(S, ["yara_load @TMP@/yara/rules.yar",
                        "mkdir /yara_scan",
                        "write /yara_scan/f 'x drydock-yara-needle y'",
                        "yara_scan /yara_scan/f"],
                    Fields({"yara_name": "/yara_scan/f",
                            "yara_rule": "drydock_needle"})),
                  T(S, ["yara_load @TMP@/yara/rules.yar",
                        "mkdir /yara_scan2",
                        "write /yara_scan2/f 'x drydock-yara-needle y'",
                        "yara_scan /yara_scan2/f"], 1),
                  T(S, ["yara_load @TMP@/yara/rules.yarc",
                        "mkdir /yara_scan7",
                        "write /yara_scan7/f 'x drydock-yara-needle y'",
                        "yara_scan /yara_scan7/f"],
                    Fields({"yara_name": "/yara_scan7/f",
                            "yara_rule": "drydock_needle"})),
                  T(S, ["yara_load @TMP@/yara/rules.yar",
                        "mkdir /yara_scan3",
                        "write /yara_scan3/f 'nothing to see'",
                        "yara_scan /yara_scan3/f"], 0),
                  T(S, ["yara_load @TMP@/yara/rules.yar",
                        "mkdir /yara_scan4",
                        "yara_scan /yara_scan4"], Error("EISDIR")),
                  T(S, ["yara_load @TMP@/yara/rules.yar",
                        "mkdir /yara_scan5",
                        "mkfifo 0644 /yara_scan5/p",
                        "yara_scan /yara_scan5/p"], Error("EINVAL")),
                  T(S, ["yara_load @TMP@/yara/rules.yar",
                        "yara_scan /yara_scan-nosuch"], Error("ENOENT")),
                  T(S, ["yara_load @TMP@/yara/rules.yar", "yara_destroy",
                        "mkdir /yara_scan6", "touch /yara_scan6/f",
                        "yara_scan /yara_scan6/f"], Error("EINVAL"))]),
    # Windows dynamic disks (optional group ldm).
    Action("ldmtool_create_all", 977, RErr, [],
           "make the devices of every Windows dynamic disk volume",
           """Scan every disk for Windows dynamic disks (LDM) and make a
device-mapper device for each volume and partition found
(/dev/mapper/ldm_vol_* and /dev/mapper/ldm_part_*); list them with
list_ldm_volumes and list_ldm_partitions.  The launch does not do it
(it would slow every launch for the rare Windows dynamic disk): call it
before using those devices.""",
           example="ldmtool_create_all",
           tests=[T("empty", ["ldmtool_create_all", "list_ldm_volumes"],
                    [])]),
    Action("ldmtool_remove_all", 978, RErr, [],
           "remove the devices of the Windows dynamic disk volumes",
           """Remove the device-mapper devices ldmtool_create_all
made.""",
           example="ldmtool_remove_all",
           tests=[T("empty", ["ldmtool_create_all", "ldmtool_remove_all",
                              "list_ldm_partitions"], [])]),
    Action("ldmtool_scan", 979, RStringList, [],
           "the Windows dynamic disk groups",
           """Scan every disk for Windows dynamic disks and return the
GUIDs of the disk groups found, which the other ldmtool_* actions
take.  ldmtool_scan_devices scans some disks only.""",
           example="ldmtool_scan",
           tests=[T("empty", ["ldmtool_scan"], [], readonly=True),
                  T("part", ["ldmtool_scan"], [], readonly=True)]),
    Action("ldmtool_scan_devices", 980, RStringList,
           [StringList("devices")],
           "the Windows dynamic disk groups of some disks",
           """Scan the block devices DEVICES for Windows dynamic disks and
return the GUIDs of the disk groups found; an empty DEVICES scans every
disk, as ldmtool_scan.  A name that is not a device is an error
(ENOENT for one that does not exist).""",
           example="ldmtool_scan_devices '/dev/sda /dev/sdb'",
           tests=[T("empty", ["ldmtool_scan_devices /dev/sda"], [],
                    readonly=True),
                  T("empty", ["ldmtool_scan_devices ''"], [],
                    readonly=True),
                  T("empty", ["ldmtool_scan_devices '/dev/sda /dev/sdz'"],
                    Error("ENOENT"), readonly=True)]),
    Action("ldmtool_diskgroup_name", 981, RString, [String("diskgroup")],
           "the name of a Windows dynamic disk group",
           """The name of the disk group whose GUID is DISKGROUP (one of
those ldmtool_scan returns).  A disk group that is not found is
ENOENT.""",
           example="ldmtool_diskgroup_name " + DGX,
           tests=[T("empty", ["ldmtool_diskgroup_name " + DG],
                    Error("ENOENT"), readonly=True),
                  T("empty", ["ldmtool_diskgroup_name ''"],
                    Error("EINVAL"), readonly=True)]),
    Action("ldmtool_diskgroup_volumes", 982, RStringList,
           [String("diskgroup")],
           "the volumes of a Windows dynamic disk group",
           """The names of the volumes of the disk group whose GUID is
DISKGROUP.  A disk group that is not found is ENOENT.""",
           example="ldmtool_diskgroup_volumes " + DGX,
           tests=[T("empty", ["ldmtool_diskgroup_volumes " + DG],
                    Error("ENOENT"), readonly=True)]),
    Action("ldmtool_diskgroup_disks", 983, RStringList,
           [String("diskgroup")],
           "the disks of a Windows dynamic disk group",
           """The names of the disks of the disk group whose GUID is
DISKGROUP.  A disk group that is not found is ENOENT.""",
           example="ldmtool_diskgroup_disks " + DGX,
           tests=[T("empty", ["ldmtool_diskgroup_disks " + DG],
                    Error("ENOENT"), readonly=True)]),
    Action("ldmtool_volume_type", 984, RString,
           [String("diskgroup"), String("volume")],
           "the type of a Windows dynamic disk volume",
           """The type of the volume named VOLUME of the disk group whose
GUID is DISKGROUP: "simple", "spanned", "striped", "mirrored", "raid5"
or another ldmtool knows.  A disk group or volume that is not found is
ENOENT.""",
           example="ldmtool_volume_type %s Volume1" % DGX,
           tests=[T("empty", ["ldmtool_volume_type %s Volume1" % DG],
                    Error("ENOENT"), readonly=True),
                  T("empty", ["ldmtool_volume_type %s ''" % DG],
                    Error("EINVAL"), readonly=True)]),
    Action("ldmtool_volume_hint", 985, RString,
           [String("diskgroup"), String("volume")],
           "the hint of a Windows dynamic disk volume",
           """The hint of the volume named VOLUME of the disk group whose
GUID is DISKGROUP, often the drive letter Windows gives it ("E:"); ""
when the volume has none.  A disk group or volume that is not found is
ENOENT.""",
           example="ldmtool_volume_hint %s Volume1" % DGX,
           tests=[T("empty", ["ldmtool_volume_hint %s Volume1" % DG],
                    Error("ENOENT"), readonly=True)]),
    Action("ldmtool_volume_partitions", 986, RStringList,
           [String("diskgroup"), String("volume")],
           "the partitions of a Windows dynamic disk volume",
           """The names of the partitions making up the volume named
VOLUME of the disk group whose GUID is DISKGROUP.  A disk group or
volume that is not found is ENOENT.""",
           example="ldmtool_volume_partitions %s Volume1" % DGX,
           tests=[T("empty", ["ldmtool_volume_partitions %s Volume1" % DG],
                    Error("ENOENT"), readonly=True)]),
    Action("list_ldm_volumes", 987, RStringList, [],
           "the Windows dynamic disk volume devices",
           """The devices of the Windows dynamic disk volumes,
/dev/mapper/ldm_vol_*, sorted: those ldmtool_create_all made.""",
           example="list_ldm_volumes",
           tests=[T("empty", ["list_ldm_volumes"], [], readonly=True)]),
    Action("list_ldm_partitions", 988, RStringList, [],
           "the Windows dynamic disk partition devices",
           """The devices of the Windows dynamic disk partitions,
/dev/mapper/ldm_part_*, sorted: those ldmtool_create_all made.""",
           example="list_ldm_partitions",
           tests=[T("empty", ["list_ldm_partitions"], [], readonly=True)]),
]

group_actions = {}

groups = [
    Group("journal", "the systemd journal library (libsystemd), which "
          "the daemon loads when a journal is opened.",
          ["journal_open", "journal_close", "journal_next", "journal_skip",
           "journal_get", "journal_get_data_threshold",
           "journal_set_data_threshold", "journal_get_realtime_usec"]),
    Group("inotify", "the inotify interface of the kernel.",
          ["inotify_init", "inotify_add_watch", "inotify_rm_watch",
           "inotify_read", "inotify_files", "inotify_close"]),
    Group("libyara", "the YARA library (libyara), which the daemon "
          "loads when rules are loaded.",
          ["yara_load", "yara_destroy", "yara_scan"]),
    Group("ldm", "ldmtool and device-mapper: Windows dynamic disks.",
          ["ldmtool_create_all", "ldmtool_remove_all", "ldmtool_scan",
           "ldmtool_scan_devices", "ldmtool_diskgroup_name",
           "ldmtool_diskgroup_volumes", "ldmtool_diskgroup_disks",
           "ldmtool_volume_type", "ldmtool_volume_hint",
           "ldmtool_volume_partitions", "list_ldm_volumes",
           "list_ldm_partitions"]),
]
