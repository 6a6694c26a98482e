# SPDX-License-Identifier: GPL-2.0-or-later
# The vocabulary of the action table: argument kinds, optional argument
# kinds, return kinds and structs.  Every emitter reads these records and
# nothing else, so adding an action never means touching an emitter.

from dataclasses import dataclass, field
from typing import List, Optional


# Argument kinds.  `c` is how the argument appears in the public C API.
@dataclass
class Arg:
    name: str
    kind: str = ""
    # What the shell makes of a String: "DevOrPath" (a device or a guest
    # path) or "HostPath" (a path on the host); it parses, translates
    # (win: paths) and completes the word as that.  The C API and the wire
    # see a String.
    shell: str = ""

    def shell_kind(self):
        return self.shell or self.kind

    def ctype(self):
        return {
            "Device": "const char *",
            "Mountable": "const char *",
            "Pathname": "const char *",
            "String": "const char *",
            "Key": "const char *",
            "OptString": "const char *",
            "StringList": "char *const *",
            "Bool": "int ",
            "Int": "int ",
            "Int64": "int64_t ",
            "FileIn": "const char *",
            "FileOut": "const char *",
        }[self.kind]


def Device(n): return Arg(n, "Device")          # /dev/sdX[N], LV paths
def Mountable(n): return Arg(n, "Mountable")    # device, or btrfsvol:DEV/SUBVOL
def Pathname(n): return Arg(n, "Pathname")      # absolute path in the guest
def String(n): return Arg(n, "String")
def Key(n): return Arg(n, "Key")                # a passphrase: a string never traced
def OptString(n): return Arg(n, "OptString")    # a string or NULL (shell: "" is NULL)
def StringList(n): return Arg(n, "StringList")
def Bool(n): return Arg(n, "Bool")
def Int(n): return Arg(n, "Int")
def Int64(n): return Arg(n, "Int64")
def FileIn(n): return Arg(n, "FileIn")          # local file streamed to daemon
def FileOut(n): return Arg(n, "FileOut")        # local file streamed from daemon
def BufferIn(n): return Arg(n, "BufferIn")      # bytes + length
def DevOrPath(n): return Arg(n, "String", "DevOrPath")  # device or guest path
def HostPath(n): return Arg(n, "String", "HostPath")    # a path on the host


@dataclass
class OptArg:
    name: str
    kind: str   # OBool OInt OInt64 OString OStringList

    def ctype(self):
        return {
            "OBool": "int ",
            "OInt": "int ",
            "OInt64": "int64_t ",
            "OString": "const char *",
            "OStringList": "char *const *",
        }[self.kind]

    def vatype(self):
        return {
            "OBool": "int",
            "OInt": "int",
            "OInt64": "int64_t",
            "OString": "const char *",
            "OStringList": "char *const *",
        }[self.kind]


def OBool(n): return OptArg(n, "OBool")
def OInt(n): return OptArg(n, "OInt")
def OInt64(n): return OptArg(n, "OInt64")
def OString(n): return OptArg(n, "OString")
def OStringList(n): return OptArg(n, "OStringList")


@dataclass
class Ret:
    kind: str                 # RErr RInt RInt64 RBool RString RStringList
    struct: str = ""          # RStruct RStructList RBufferOut RHashtable
    devices: bool = False     # strings are device names (daemon maps back)


RErr = Ret("RErr")
RInt = Ret("RInt")
RInt64 = Ret("RInt64")
RBool = Ret("RBool")
RString = Ret("RString")
RStringList = Ret("RStringList")
RBufferOut = Ret("RBufferOut")
RHashtable = Ret("RHashtable")
def RStruct(s): return Ret("RStruct", s)
def RStructList(s): return Ret("RStructList", s)


@dataclass
class Struct:
    name: str
    fields: list        # (name, kind) with kind in: int32 int64 uint32 uint64 string
    #                     (optpercent: a percentage as a C float, -1 when absent)
    doc: str = ""


# A test of the table: a disk LAYOUT, then CALLS (shell-style lines,
# "name arg ... opt:value", split as the shell splits them; a StringList
# argument is one word of blank-separated items, an OptString "" is NULL),
# then what the last call must give (EXPECT):
#   None          it succeeds
#   a str         the string (RString, RBufferOut) it returns
#   True / False  the boolean (RBool)
#   an int        the number (RInt, RInt64), or the length of a list
#   a list        the list of strings (RStringList, RHashtable)
#   Error(ERRNO, MESSAGE)  it fails (with that errno name, and a message
#                 containing MESSAGE, when given)
#   Fields({..})  the struct (RStruct) has these field values, or the
#                 hash (RHashtable) these keys with these values
#   Checksum(T, PATH, SUM)  afterwards the guest file PATH has this sum
# Layouts: "empty" (a blank 128 MiB disk /dev/sda), "part" (one MBR
# partition /dev/sda1 over it), "fs" (an ext4 on /dev/sda1 mounted on
# /), "lvm" (the ext4 on the LV /dev/VG/LV of a PV /dev/sda1, mounted on
# /), all made again before each test; and "scratch" (an ext4 on
# /dev/sda1 mounted on /, made once per launch: each test works under a
# directory named after its action).  "btrfs" (a btrfs on /dev/sda1 of a
# 512 MiB disk, mounted on /), "xfs" (an xfs on /dev/sda1 of a 512 MiB
# disk, mounted on /), "twodisk" (the "fs" layout plus a blank 256 MiB
# /dev/sdb), "iso" (the "fs" layout plus /dev/sdb, a read-only ISO 9660
# image with volume id DRYDOCKTEST holding /hello.txt "hello\n" and
# /dir/file.txt "file\n", made by xorriso on the host).  "Host" words: @TMP@ is a local
# directory the tests share.
# READONLY: the test leaves the layout as it found it (it only reads),
# so the next test of the layout need not make it again; such tests run
# first.
@dataclass
class Test:
    layout: str
    calls: List[str]
    expect: object = None
    readonly: bool = False


@dataclass
class Error:
    errno: str = ""
    message: str = ""          # a part of the error message, if given


@dataclass
class Fields:
    values: dict


@dataclass
class Checksum:
    csumtype: str
    path: str
    sum: str


LAYOUTS = ["empty", "part", "fs", "lvm", "scratch", "btrfs", "xfs", "twodisk",
           "iso"]

# The states of a handle an action may be called in: "config" (before
# launch: adding drives, settings) and "launched" (the appliance
# answers).  A handle that is launching, or whose appliance is gone,
# is in neither: only actions allowed in both states run then.
STATES = ["config", "launched"]


@dataclass
class Action:
    name: str
    proc: int                  # wire procedure number; 0 for library-side
    ret: Ret
    args: List[Arg]
    shortdesc: str
    longdesc: str
    optargs: List[OptArg] = field(default_factory=list)
    side: str = "daemon"       # "daemon" or "library"
    needs_launch: bool = True  # library actions: must the handle be launched?
    shell_only: bool = False
    progress: bool = False
    example: str = ""          # a shell example line for the docs
    aliases: List[str] = field(default_factory=list)
    protocol_limit: bool = False   # result is bounded by the message size
    # Does it change the guest's files or devices?  The shell forgets what
    # it listed for completion after such a command.  None: derived, true
    # for every action returning RErr (mount, write, launch ...).
    writes: Optional[bool] = None
    # The tests of the table (see Test), run by tests/table.
    tests: List[Test] = field(default_factory=list)
    # The version that brought the action (docs: "Added in").
    added: str = "0.1.0"
    # The action to use instead: the docs say so and the first call on a
    # handle sends a warning event.
    deprecated_by: str = ""
    # The states (STATES) the action may be called in, checked by the
    # library's wrapper; None derives them: daemon actions and library
    # actions with needs_launch: ["launched"]; other library actions:
    # both, i.e. any time.
    states: Optional[List[str]] = None

    def allowed_states(self):
        if self.states is not None:
            return list(self.states)
        if self.side == "daemon" or self.needs_launch:
            return ["launched"]
        return list(STATES)
    # The C function's name after "drydock_" when it cannot be the
    # action's name (version: drydock_version is the library's version
    # string since the first release).  Every binding keeps the name.
    c_name: str = ""
    # Daemon actions whose work the library can do itself in some cases
    # (reading guest files straight from the drives, see library/direct.c):
    # the wrapper first calls drydock_int_direct_<name> (h, args...,
    # int *handled), hand-written, and returns its result when it set
    # *handled; otherwise the call goes to the daemon.
    direct: bool = False
    # A plain boolean property of the handle: the set_X (one Bool, RErr)
    # and get_X (no arguments, RBool) library actions that only store a
    # flag in a field of drydock_h and read it back both name the field
    # here, and the generator writes their bodies (library/props-gen.c):
    # set_X stores 0 or 1, get_X returns it.  A property with checks,
    # side effects or an environment fallback keeps a hand-written body.
    handle_bool: str = ""

    def c_function(self):
        return "drydock_" + (self.c_name or self.name)


# An optional group: a part of the API that works only when the appliance
# has what it needs (a program, a library, a kernel module).  `actions`
# names the actions that need it; the daemon answers available and
# feature_available through optgroup_<name>_available () in daemon/,
# hand-written like do_<action>, which looks at what the appliance has.
@dataclass
class Group:
    name: str
    doc: str                   # what the appliance must have
    actions: List[str] = field(default_factory=list)
