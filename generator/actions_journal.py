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
skipped.  umount_all closes the journal.""",
           example="journal_open /var/log/journal",
           tests=[T(S, with_journal("journal_open", "journal_next"), True),
                  T(S, with_journal("journal_open_m", "journal_next",
                                    sub=True), True),
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
]
