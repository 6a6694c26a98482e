# SPDX-License-Identifier: GPL-2.0-or-later
# The action table, the handle and its launch: the properties that say
# how the appliance is launched (kernel command line, hypervisor and its
# extra parameters, directories, process group, recovery process,
# backend and its settings), the environment they come from, cancelling
# a transfer, the library's version, and the disk images made and read
# on the host (add_drive_scratch, disk_create, disk_format ...).  All
# are library-side (proc 0) but debug_upload (proc 1000, daemon/debug-upload.c);
# actions.py adds `actions` to the table.

from defs import *  # noqa: F401,F403

T = Test
E = "empty"

structs = [
    Struct("version", [
        ("major", "int64"), ("minor", "int64"), ("release", "int64"),
        ("extra", "string"),
    ], "A version number: major.minor.release, then extra (empty, or "
       "what a distribution adds)."),
]


def lib(name, ret, args, short, long, **kw):
    """A library-side action that works in any state of the handle."""
    return Action(name, 0, ret, args, short, long, side="library",
                  needs_launch=False, **kw)


BEFORE_LAUNCH = """It takes effect at the next launch: a launched
handle keeps the appliance it has."""

actions = [
    # The appliance's kernel command line.
    lib("set_append", RErr, [OptString("append")],
        "add options to the appliance's kernel command line",
        """Add APPEND (blank-separated options) at the end of the kernel
command line of the appliance, after the options drydock puts there
itself, so that an option given twice takes APPEND's value.  NULL (""
in the shell) adds none, the default unless the environment variable
DRYDOCK_APPEND was set when the handle was created.  The appliance's
launch snapshot is kept per command line, so the first launch with a
new APPEND boots cold.  """ + BEFORE_LAUNCH,
        aliases=["append"], example="set_append 'loglevel=7'",
        tests=[T(E, ["set_append drydock.test=1", "get_append"],
                 "drydock.test=1", readonly=True),
               T(E, ["set_append drydock.test=1", "set_append ''",
                     "get_append"], "", readonly=True)]),
    lib("get_append", RString, [],
        "the options added to the appliance's kernel command line",
        """The options set_append added to the appliance's kernel command
line, or "" when there are none (where the other API returns NULL).""",
        tests=[T(E, ["get_append"], "", readonly=True)]),

    # Syncing when the handle is closed.
    lib("set_autosync", RErr, [Bool("autosync")],
        "shut the appliance down cleanly when the handle is closed",
        """With AUTOSYNC, closing a handle whose appliance runs first does
what shutdown does: every filesystem unmounted and synced, the
appliance stopped, and each drive's overlay kept or committed as
add_drive asked.  Without it (drydock's default: unlike the other API,
whose default is true) closing the handle discards the appliance's
writes, so only an explicit, successful shutdown ever changes an
image.  A program that relies on closing to save its changes sets it.
An error of that shutdown cannot be reported by close: it goes to the
handle's warning event.""",
        aliases=["autosync"], example="set_autosync true",
        handle_bool="autosync",
        tests=[T(E, ["set_autosync true", "get_autosync"], True,
                 readonly=True),
               T(E, ["set_autosync false", "get_autosync"], False,
                 readonly=True)]),
    lib("get_autosync", RBool, [], "is autosync set",
        "Return the autosync flag (see set_autosync).",
        handle_bool="autosync",
        tests=[T(E, ["get_autosync"], False, readonly=True)]),

    # The backend.
    lib("set_backend", RErr, [String("backend")],
        "choose how the appliance is run",
        """Choose the backend that runs the appliance.  drydock has one,
"direct": the library runs qemu itself.  "direct" and "" (the default)
are accepted; any other backend ("libvirt", "uml", "unix:SOCKET" ...)
fails with EINVAL naming it.  DRYDOCK_BACKEND in the environment sets
it when the handle is created, with the same check at launch.""",
        aliases=["backend"], example="set_backend direct",
        tests=[T(E, ["set_backend direct", "get_backend"], "direct",
                 readonly=True),
               T(E, ["set_backend libvirt"], Error("EINVAL"),
                 readonly=True)]),
    lib("get_backend", RString, [], "the backend",
        "The backend that runs the appliance: always \"direct\".",
        tests=[T(E, ["get_backend"], "direct", readonly=True)]),
    lib("set_backend_setting", RErr, [String("name"), String("val")],
        "set one backend setting",
        """Add the backend setting NAME=VAL, replacing any setting named
NAME (given as "NAME" or "NAME=..."); see set_backend_settings for the
settings the direct backend understands.""",
        tests=[T(E, ["set_backend_settings ''",
                     "set_backend_setting foo 1", "set_backend_setting foo 2",
                     "get_backend_settings"], ["foo=2"], readonly=True)]),
    lib("get_backend_setting", RString, [String("name")],
        "the value of one backend setting",
        """The value of the backend setting NAME: what follows "NAME=", or
"1" for a setting given as plain "NAME".  A setting that is not there
is an error with errno ESRCH.""",
        tests=[T(E, ["set_backend_settings 'a=x force_tcg'",
                     "get_backend_setting a"], "x", readonly=True),
               T(E, ["set_backend_settings 'a=x force_tcg'",
                     "get_backend_setting force_tcg"], "1", readonly=True),
               T(E, ["set_backend_settings ''", "get_backend_setting a"],
                 Error("ESRCH"), readonly=True)]),
    lib("clear_backend_setting", RInt, [String("name")],
        "remove a backend setting",
        """Remove every backend setting named NAME ("NAME" or "NAME=...")
and return how many were removed (0 when there was none).""",
        tests=[T(E, ["set_backend_settings 'a=1 b a=2'",
                     "clear_backend_setting a"], 2, readonly=True),
               T(E, ["set_backend_settings 'b'",
                     "clear_backend_setting a"], 0, readonly=True)]),
    lib("set_backend_settings", RErr, [StringList("settings")],
        "replace the backend settings",
        """Replace the backend settings by SETTINGS, strings "NAME" or
"NAME=VALUE" each.  The direct backend understands "force_tcg" and
"force_kvm", which choose the accelerator as set_accel "tcg" and "kvm"
do when set_accel was left at "auto" (DRYDOCK_ACCEL still comes
first); the others are kept and ignored.  The default is the
colon-separated list in DRYDOCK_BACKEND_SETTINGS when the handle was
created, else none.  """ + BEFORE_LAUNCH,
        example="set_backend_settings force_tcg",
        tests=[T(E, ["set_backend_settings 'force_tcg x=1'",
                     "get_backend_settings"], ["force_tcg", "x=1"],
                 readonly=True)]),
    lib("get_backend_settings", RStringList, [],
        "the backend settings",
        "The backend settings, in the order they were set.",
        tests=[T(E, ["set_backend_settings ''", "get_backend_settings"], [],
                 readonly=True)]),

    # Directories.
    lib("set_cachedir", RErr, [OptString("cachedir")],
        "the directory of the appliance cache",
        """The directory holding the appliance the builder makes and its
launch snapshots, shared by the handles that use it.  NULL ("" in the
shell) goes back to the default: DRYDOCK_CACHEDIR, else
$XDG_CACHE_HOME/drydock, else $HOME/.cache/drydock, else
/var/tmp/drydock-UID.  """ + BEFORE_LAUNCH,
        aliases=["cachedir"], example="set_cachedir /var/cache/drydock",
        tests=[T(E, ["set_cachedir /nonexistent/cache", "get_cachedir"],
                 "/nonexistent/cache", readonly=True)]),
    lib("get_cachedir", RString, [], "the directory of the appliance cache",
        "The directory of the appliance cache (see set_cachedir).",
        tests=[T(E, ["set_cachedir /nonexistent/c", "set_cachedir ''",
                     "get_cachedir"], readonly=True)]),
    lib("set_tmpdir", RErr, [OptString("tmpdir")],
        "the directory of the handle's temporary files",
        """The directory in which launch makes the handle's own temporary
directory: the drives' overlays, the scratch drives and the socket of
the appliance's channel, all removed when the handle is closed.  NULL
("" in the shell) goes back to the default: DRYDOCK_TMPDIR, else
TMPDIR, else /tmp.  """ + BEFORE_LAUNCH,
        aliases=["tmpdir"], example="set_tmpdir /var/tmp",
        tests=[T(E, ["set_tmpdir /var/tmp", "get_tmpdir"], "/var/tmp",
                 readonly=True)]),
    lib("get_tmpdir", RString, [], "the directory of the temporary files",
        "The directory of the handle's temporary files (see set_tmpdir).",
        tests=[T(E, ["set_tmpdir ''", "get_tmpdir"], readonly=True)]),
    lib("get_sockdir", RString, [], "the directory of the handle's socket",
        """The directory the socket of the appliance's channel is made in.
drydock makes it in the handle's own temporary directory, under
get_tmpdir's directory, so this is the same directory as get_tmpdir
(the other API uses XDG_RUNTIME_DIR here).""",
        tests=[T(E, ["set_tmpdir /var/tmp", "get_sockdir"], "/var/tmp",
                 readonly=True)]),

    # The hypervisor.
    lib("set_hv", RErr, [String("hv")],
        "the qemu binary",
        """The qemu binary launch runs (a name looked up in PATH, or a
path).  The default is the one configure found, unless DRYDOCK_QEMU
was set.  The launch snapshot is kept per binary.  """ + BEFORE_LAUNCH,
        aliases=["hv"], example="set_hv /usr/bin/qemu-system-x86_64",
        tests=[T(E, ["set_hv /usr/local/bin/qemu-test", "get_hv"],
                 "/usr/local/bin/qemu-test", readonly=True)]),
    lib("get_hv", RString, [], "the qemu binary",
        "The qemu binary launch runs (see set_hv).",
        tests=[T(E, ["set_hv ''"], Error("EINVAL"), readonly=True)]),
    lib("config", RErr, [String("hvparam"), OptString("hvvalue")],
        "add a parameter to qemu's command line",
        """Add "HVPARAM HVVALUE" (or HVPARAM alone when HVVALUE is NULL,
"" in the shell) to the qemu command line of the next launch, after
drydock's own parameters, in the order of the calls.  HVPARAM must
begin with "-".  The parameters drydock decides itself are refused
with EINVAL: -kernel, -initrd, -append, -machine (-M), -accel,
-enable-kvm, -cpu, -m, -smp, -nodefaults, -no-user-config, -display,
-nographic, -serial, -chardev, -mon, -monitor, -qmp, -incoming, -S,
-no-reboot and -daemonize.  A parameter qemu rejects makes launch fail
with qemu's message.  The launch snapshot is kept per command line.""",
        example="config -rtc base=localtime",
        tests=[T(E, ["config -kernel /tmp/vmlinuz"], Error("EINVAL"),
                 readonly=True),
               T(E, ["config nodash x"], Error("EINVAL"), readonly=True)]),
    lib("max_disks", RInt, [], "the most drives a handle may have",
        """The most drives that may be added to a handle: 255 (the SCSI
targets of the launch snapshot's controller); 22 when the snapshot is
not used (DRYDOCK_SNAPSHOT=0: the appliance then boots with a
virtio-mmio slot per drive, 24 of them less the channel and the root
image's), one fewer with set_network.""",
        tests=[T(E, ["max_disks"], 255, readonly=True)]),

    # Information about the handle.
    lib("set_identifier", RErr, [String("identifier")],
        "name the handle in trace and debug messages",
        """A name for the handle, printed before the call in each trace
message ("ID: get_tmpdir") and before each debug message, so that the
handles of a program can be told apart.  Letters, digits, "_" and "-"
only (else EINVAL); "" (the default) names none.""",
        aliases=["identifier"], example="set_identifier disk1",
        tests=[T(E, ["set_identifier disk-1", "get_identifier"], "disk-1",
                 readonly=True),
               T(E, ["set_identifier 'a b'"], Error("EINVAL"),
                 readonly=True)]),
    lib("get_identifier", RString, [], "the handle's identifier",
        "The handle's identifier (see set_identifier), \"\" when none.",
        tests=[T(E, ["set_identifier ''", "get_identifier"], "",
                 readonly=True)]),
    lib("set_program", RErr, [String("program")],
        "the program's name",
        """The name of the program using the handle: informative only.
It defaults to the name the program was run as (without its
directory) and cannot be NULL.""",
        aliases=["program"], example="set_program mytool",
        tests=[T(E, ["set_program mytool", "get_program"], "mytool",
                 readonly=True)]),
    lib("get_program", RString, [], "the program's name",
        "The program's name (see set_program).",
        tests=[T(E, ["set_program 'my tool'", "get_program"], "my tool",
                 readonly=True)]),
    lib("set_path", RErr, [OptString("searchpath")],
        "where the appliance builder and daemon are",
        """The directory holding drydock-make-appliance (which builds the
appliance) and drydockd (the daemon it puts in it).  NULL ("" in the
shell) goes back to the default: the library's libexec directory, each
program overridden by DRYDOCK_MAKE_APPLIANCE and DRYDOCK_DAEMON; a
directory set here, or by DRYDOCK_PATH when the handle is created,
takes both from it.  """ + BEFORE_LAUNCH,
        aliases=["path"], example="set_path /opt/drydock/libexec",
        tests=[T(E, ["set_path /opt/dd", "get_path"], "/opt/dd",
                 readonly=True)]),
    lib("get_path", RString, [], "where the appliance builder is",
        """The directory set_path set, or the library's libexec
directory.""",
        tests=[T(E, ["set_path /opt/dd", "set_path ''", "get_path"],
                 readonly=True)]),
    lib("set_pgroup", RErr, [Bool("pgroup")],
        "run qemu in its own process group",
        """With PGROUP the qemu process of the next launch is put in a
process group of its own, so that a signal sent to the program's group
(^C at a terminal) does not reach it, and the program can cancel a
transfer (user_cancel) and carry on.  Off by default; the interactive
shell sets it.""",
        aliases=["pgroup"], example="set_pgroup true",
        handle_bool="pgroup",
        tests=[T(E, ["set_pgroup true", "get_pgroup"], True, readonly=True)]),
    lib("get_pgroup", RBool, [], "is pgroup set",
        "Return the pgroup flag (see set_pgroup).",
        handle_bool="pgroup",
        tests=[T(E, ["set_pgroup false", "get_pgroup"], False,
                 readonly=True)]),
    lib("set_recovery_proc", RErr, [Bool("recoveryproc")],
        "stop qemu when the program dies",
        """With RECOVERYPROC (the default) launch makes sure that qemu and
the handle's temporary files do not outlive the program if it dies
without closing the handle: a small reaper process watches it.
Without it qemu runs on after the program's thread that launched it
ends, which a program that forks itself into the background after
launch needs.  """ + BEFORE_LAUNCH,
        aliases=["recovery_proc"], example="set_recovery_proc false",
        handle_bool="recovery_proc",
        tests=[T(E, ["set_recovery_proc false", "get_recovery_proc"], False,
                 readonly=True)]),
    lib("get_recovery_proc", RBool, [], "is the recovery process on",
        "Return the recovery process flag (see set_recovery_proc).",
        handle_bool="recovery_proc",
        tests=[T(E, ["set_recovery_proc true", "get_recovery_proc"], True,
                 readonly=True)]),
    lib("c_pointer", RInt64, [], "the handle's C pointer",
        """The address of the C handle as a number, for bindings that
hand the handle to C code of their own.  Nothing else may be done with
it.""",
        tests=[T(E, ["c_pointer"], readonly=True)]),

    # The environment.
    lib("parse_environment", RErr, [],
        "set the handle's properties from the environment",
        """Set the handle's properties from the program's environment, as
drydock_create does: DRYDOCK_DEBUG (set_verbose), DRYDOCK_TRACE
(set_trace), DRYDOCK_MEMSIZE (set_memsize, at least 128),
DRYDOCK_APPEND (set_append), DRYDOCK_BACKEND (set_backend),
DRYDOCK_BACKEND_SETTINGS (set_backend_settings, colon-separated),
DRYDOCK_CACHEDIR (set_cachedir), DRYDOCK_TMPDIR, else TMPDIR
(set_tmpdir), DRYDOCK_QEMU (set_hv), DRYDOCK_PATH (set_path) and
DRYDOCK_UNTRUSTED (add_drive's UNTRUSTED for every drive).  A
variable that is not set leaves its property alone.  DRYDOCK_ACCEL,
DRYDOCK_SNAPSHOT and DRYDOCK_CALL_TIMEOUT are read where they are
used, so they need no call.""",
        tests=[T(E, ["parse_environment"], readonly=True)]),
    lib("parse_environment_list", RErr, [StringList("environment")],
        "set the handle's properties from a list of variables",
        """The same as parse_environment, from ENVIRONMENT, a list of
"NAME=VALUE" strings, instead of the program's environment.""",
        example="parse_environment_list 'DRYDOCK_APPEND=quiet'",
        tests=[T(E, ["parse_environment_list "
                     "'DRYDOCK_APPEND=a=1 DRYDOCK_TMPDIR=/var/tmp'",
                     "get_tmpdir"], "/var/tmp", readonly=True),
               T(E, ["parse_environment_list 'DRYDOCK_BACKEND=uml'"],
                 Error("EINVAL"), readonly=True)]),

    # Cancelling a transfer.
    lib("user_cancel", RErr, [],
        "cancel the running upload or download",
        """Cancel the upload or download (any call with a file argument)
the handle runs: it fails soon afterwards with errno EINTR.  Safe to
call from a signal handler or another thread, without a lock; with no
transfer running it does nothing.  An upload stops sending and the
daemon drops what it received; a download stops writing the local
file (a regular file is left as it was: nothing of the transfer is
renamed into place) and the rest of its data is read and dropped.""",
        tests=[T(E, ["user_cancel"], readonly=True)]),

    # The version.
    lib("version", RStruct("version"), [],
        "the library's version",
        """The version of the library the program runs with: major, minor,
release and extra.  In C this is drydock_library_version:
drydock_version, which returns the version as a string, has that name
since the first release.""",
        c_name="library_version",
        tests=[T(E, ["version"], Fields({"major": 0}), readonly=True)]),

    # Disk images on the host.
    lib("add_drive_scratch", RErr, [Int64("size")],
        "add a blank temporary drive",
        """Add a blank drive of SIZE bytes (reads return zeroes until it is
written), a sparse raw file in the handle's temporary directory that
is removed when the handle is closed.  NAME, LABEL and BLOCKSIZE are
add_drive's.  SIZE must be positive (EINVAL).""",
        optargs=[OString("name"), OString("label"), OInt("blocksize")],
        aliases=["scratch"],
        example="add_drive_scratch 1073741824 label:scratch",
        tests=[T(E, ["add_drive_scratch 0"], Error("EINVAL"),
                 readonly=True)]),
    lib("disk_create", RErr,
        [HostPath("filename"), String("format"), Int64("size")],
        "create a blank disk image on the host",
        """Create the disk image FILENAME (a host file, replaced if it
exists; a block device is formatted in place and SIZE is ignored) of
FORMAT "raw" or "qcow2" and SIZE bytes, with qemu-img create.
BACKINGFILE (qcow2 only) makes it an overlay of that image, whose
format BACKINGFORMAT should name; SIZE must then be -1, the size of
the backing file.  PREALLOCATION is "off" or "sparse" (the default),
"full", or for qcow2 "metadata".  COMPAT (qcow2) is "0.10" or "1.1";
CLUSTERSIZE (qcow2) a power of two from 512 to 2097152.  An argument
that does not fit is EINVAL; the image is not added to the handle.""",
        optargs=[OString("backingfile"), OString("backingformat"),
                 OString("preallocation"), OString("compat"),
                 OInt("clustersize")],
        example="disk_create /tmp/disk.qcow2 qcow2 1073741824",
        tests=[T(E, ["disk_create @TMP@/handle-a.qcow2 qcow2 1048576 "
                     "clustersize:4096",
                     "disk_virtual_size @TMP@/handle-a.qcow2"], 1048576,
                 readonly=True),
               T(E, ["disk_create @TMP@/handle-b.img raw 1048576",
                     "disk_create @TMP@/handle-c.qcow2 qcow2 -1 "
                     "backingfile:@TMP@/handle-b.img backingformat:raw",
                     "disk_has_backing_file @TMP@/handle-c.qcow2"], True,
                 readonly=True),
               T(E, ["disk_create @TMP@/handle-d vmdk 1048576"],
                 Error("EINVAL"), readonly=True),
               T(E, ["disk_create @TMP@/handle-e raw 1048576 "
                     "clustersize:4096"], Error("EINVAL"), readonly=True),
               T(E, ["disk_create @TMP@/handle-f raw 1048576 "
                     "preallocation:metadata"], Error("EINVAL"),
                 readonly=True)]),
    lib("disk_format", RString, [HostPath("filename")],
        "the format of a disk image on the host",
        """The format qemu-img finds in the image FILENAME (a host file or
block device): "raw", "qcow2", "vmdk" ...; "raw" when it finds no
other.  Probing a format is not safe for an image from someone else
(a raw image can be written to look like another format): pass the
format to add_drive for those.  FILENAME is a file: a "json:"
specification or a URI is EINVAL, and no file the image names
(backing file) is opened.  qemu-img runs in bounded time.""",
        tests=[T(E, ["disk_create @TMP@/handle-g.qcow2 qcow2 65536",
                     "disk_format @TMP@/handle-g.qcow2"], "qcow2",
                 readonly=True),
               T(E, ["disk_format @TMP@/handle-missing"], Error("ENOENT"),
                 readonly=True),
               T(E, ["disk_format 'json:{\"file.filename\":\"/etc/passwd\"}'"],
                 Error("EINVAL"), readonly=True)]),
    lib("disk_virtual_size", RInt64, [HostPath("filename")],
        "the virtual size of a disk image on the host",
        """The size in bytes of the disk the image FILENAME holds, as
qemu-img finds it (see disk_format for what is and is not opened).""",
        tests=[T(E, ["disk_virtual_size @TMP@/handle-missing"],
                 Error("ENOENT"), readonly=True)]),
    lib("disk_has_backing_file", RBool, [HostPath("filename")],
        "does a disk image on the host have a backing file",
        """Whether the image FILENAME names a backing file, as qemu-img
finds it (see disk_format; the backing file is not opened, so it
need not exist).""",
        tests=[T(E, ["disk_create @TMP@/handle-h.img raw 65536",
                     "disk_has_backing_file @TMP@/handle-h.img"], False,
                 readonly=True)]),

    # Debugging.
    lib("debug", RString, [String("subcmd"), StringList("extraargs")],
        "debugging commands",
        """Commands for debugging drydock itself; nothing in their output
is defined, and EXTRAARGS is taken by none of them.  "help" lists
them.  "env" is the program's environment variables that begin with
DRYDOCK_; "drives" what debug_drives returns; "qemu" the command line
of the running qemu, an argument a line; "cmdline" the command line
the appliance's kernel booted with, as its log records it (what
set_append added shows there); "dmesg" the appliance kernel's log.
"qemu", "cmdline" and "dmesg" need a launched handle (EINVAL, or the
not-launched error, before).  Another SUBCMD is EINVAL.  The other
API's debug commands that run in the appliance (sh, ls, ll, fds,
core_pattern, segv, ...) are not there: the rescue action gives a
shell in the appliance instead.""",
        example="debug help ''",
        tests=[T("scratch", ["debug cmdline ''"], readonly=True),
               T(E, ["debug nosuch ''"], Error("EINVAL"), readonly=True)]),
    lib("debug_drives", RStringList, [],
        "the drives of the handle, for debugging",
        """One line per drive of the handle: its index, source, format,
overlay and flags, as "KEY=VALUE" words.  Nothing in it is defined.""",
        tests=[T(E, ["debug_drives"], 1, readonly=True)]),
    Action("debug_upload", 1000, RErr,
        [FileIn("filename"), String("tmpname"), Int("mode")],
        "upload a file to the appliance's /tmp, for debugging",
        """Upload the host file FILENAME to /tmp/TMPNAME in the appliance
(TMPNAME a plain name: no "/", not "." or ".."), then set its mode to
MODE.  For debugging: the file is gone with the appliance.""",
        tests=[T(E, ["debug_upload /etc/hostname a/b 0644"], Error("EINVAL"),
                 readonly=True),
               T(E, ["debug_upload /etc/hostname x 0644"], readonly=True)]),
]

# Authenticating to libvirt (library/libvirt.c).
CRED_EVENT = """Only a callback of the LIBVIRT_AUTH event (DRYDOCK_EVENT_LIBVIRT_AUTH)
may call this, while libvirt waits for the credentials; elsewhere it is
EINVAL."""

actions += [
    lib("set_libvirt_supported_credentials", RErr, [StringList("creds")],
        "answer libvirt's credential requests through an event",
        """The credential types the program can answer when add_domain's
connection to libvirt asks for them: "username", "authname",
"language", "cnonce", "passphrase", "echoprompt", "noechoprompt",
"realm" and "external" (another name is EINVAL).  With a non-empty
list, a request of libvirt fires the LIBVIRT_AUTH event, whose
callback reads the requested credentials
(get_libvirt_requested_credentials and the prompt, challenge and
default result of each) and answers each one with
set_libvirt_requested_credential; one left unanswered fails the
authentication.  An empty list (the default) leaves the requests to
libvirt's default callback, which asks on the terminal.  The Python
binding cannot answer them (its callbacks may not call the handle).""",
        tests=[T(E, ["set_libvirt_supported_credentials "
                     "'authname passphrase'"], readonly=True),
               T(E, ["set_libvirt_supported_credentials 'password'"],
                 Error("EINVAL"), readonly=True)]),
    lib("get_libvirt_requested_credentials", RStringList, [],
        "the credentials libvirt asks for",
        """The types of the credentials libvirt asks for (the names
set_libvirt_supported_credentials takes), in its order: index 0 is the
first.  """ + CRED_EVENT,
        tests=[T(E, ["get_libvirt_requested_credentials"], Error("EINVAL"),
                 readonly=True)]),
    lib("get_libvirt_requested_credential_prompt", RString, [Int("index")],
        "the prompt of a credential libvirt asks for",
        """The prompt libvirt gives for the requested credential INDEX
("" when none).  """ + CRED_EVENT,
        tests=[T(E, ["get_libvirt_requested_credential_prompt 0"],
                 Error("EINVAL"), readonly=True)]),
    lib("get_libvirt_requested_credential_challenge", RString,
        [Int("index")],
        "the challenge of a credential libvirt asks for",
        """The challenge libvirt gives for the requested credential INDEX
("" when none).  """ + CRED_EVENT,
        tests=[T(E, ["get_libvirt_requested_credential_challenge 0"],
                 Error("EINVAL"), readonly=True)]),
    lib("get_libvirt_requested_credential_defresult", RString,
        [Int("index")],
        "the default answer of a credential libvirt asks for",
        """The default answer libvirt gives for the requested credential
INDEX ("" when none).  """ + CRED_EVENT,
        tests=[T(E, ["get_libvirt_requested_credential_defresult 0"],
                 Error("EINVAL"), readonly=True)]),
    lib("set_libvirt_requested_credential", RErr,
        [Int("index"), BufferIn("cred")],
        "answer a credential libvirt asks for",
        """Answer the requested credential INDEX with CRED (bytes; libvirt
also gets them NUL-terminated).  An INDEX libvirt did not ask for is
EINVAL.  """ + CRED_EVENT,
        tests=[T(E, ["set_libvirt_requested_credential 0 secret"],
                 Error("EINVAL"), readonly=True)]),
]

group_actions = {}
groups = []
