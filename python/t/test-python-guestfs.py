#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The guestfs-compatible face (drydock.guestfs):
#   - bench/python-inspect-edit.py, a script written for the guestfs
#     Python API, runs with only its import line changed and edits a
#     copy of debian.img (hostname, hosts, shadow), which a second,
#     read-only session reads back;
#   - hashes as lists of pairs by default, dicts with
#     python_return_dict=True; structs as dicts; the _opts spellings;
#     RuntimeError; the guestfs event values; a method drydock lacks
#     raises NotSupported naming it; a read-only session leaves the
#     image byte-identical.

import hashlib
import os
import shutil
import subprocess
import sys

import helpers as t
import drydock
from drydock import guestfs

deb = t.guest("debian.img")
img = os.path.join(t.scratch, "debian-copy.img")
shutil.copyfile(deb, img)

# The script, its import line changed and nothing else.
src = os.path.join(os.path.dirname(t.SRCDIR), "bench", "python-inspect-edit.py")
with open(src) as f:
    text = f.read()
t.expect_eq("the script imports guestfs once", 1, text.count("\nimport guestfs\n"))
script = os.path.join(t.scratch, "inspect-edit.py")
with open(script, "w") as f:
    f.write(text.replace("\nimport guestfs\n", "\nfrom drydock import guestfs\n"))
r = subprocess.run([sys.executable, script, img, "pyhost"],
                   capture_output=True, text=True)
t.expect_eq("script exit status (stderr: %s)" % r.stderr, 0, r.returncode)
for line in ("root: /dev/sda1", "  distro: debian", "  version: 12.5",
             "  hostname: debian-guest", "  shadow: 6 entries locked",
             "filesystem: /dev/sda1 ext4"):
    t.expect_true("script printed %r:\n%s" % (line, r.stdout),
                  line in r.stdout.splitlines())

# What it wrote is in the image.
with drydock.Drydock() as g:
    g.add_drive(img, format="raw", readonly=True)
    g.launch()
    g.mount_ro("/dev/sda1", "/")
    t.expect_eq("hostname written", "pyhost\n", g.cat("/etc/hostname"))
    t.expect_eq("hosts written", "127.0.1.1  pyhost", g.read_lines("/etc/hosts")[-1])
    t.expect_eq("root locked", "root:!*", ":".join(
        g.read_lines("/etc/shadow")[0].split(":")[:2]))
    st = g.statns("/etc/shadow")
    t.expect_eq("shadow keeps its mode and owner", (0o100640, 0, 42),
                (st.st_mode, st.st_uid, st.st_gid))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# The API's conventions, on a read-only session.
before = sha(img)
g = guestfs.GuestFS()
g.add_drive_opts(img, format="raw", readonly=1, cachemode="unsafe")
events = []
eh = g.set_event_callback(lambda ev, h, buf, arr: events.append(ev),
                          guestfs.EVENT_TRACE)
g.set_trace(1)
g.launch()
g.set_trace(0)
g.delete_event_callback(eh)
t.expect_true("trace events with the guestfs value",
              events and set(events) == {guestfs.EVENT_TRACE})
t.expect_eq("event_to_string", "progress,trace",
            guestfs.event_to_string(guestfs.EVENT_TRACE | guestfs.EVENT_PROGRESS))
fs = g.list_filesystems()
t.expect_eq("a hash is a list of pairs by default", [("/dev/sda1", "ext4")], fs)
apps = g.inspect_list_applications2(g.inspect_os()[0])
t.expect_true("applications2 have the API's field names: %r" % apps[:1],
              apps and apps[0]["app2_name"] and apps[0]["app2_trans_path"] == "")
t.expect_true("applications too: %r" % apps[:1],
              "app_name" in g.inspect_list_applications("/dev/sda1")[0])
g.mount_ro("/dev/sda1", "/")
st = g.stat("/etc/hostname")
t.expect_eq("a struct is a dict", dict, type(st))
t.expect_eq("struct dict field", 7, st["size"])
t.expect_eq("a struct list is a list of dicts", 1,
            g.part_list("/dev/sda")[0]["part_num"])
isdir = g.is_dir_opts("/etc", followsymlinks=True)
t.expect_eq("is_dir_opts: a boolean is 1 or 0", (int, 1), (type(isdir), isdir))
t.expect_eq("exists: 0", 0, g.exists("/nope"))
e = t.expect_raises("a method drydock lacks", RuntimeError,
                    g.internal_exit)
t.expect_eq("its message", "internal_exit: not supported by drydock", str(e))
t.expect_true("NotSupported", isinstance(e, guestfs.NotSupported))
e = t.expect_raises("a failing call", RuntimeError, g.cat, "/nope")
t.expect_true("its message: %s" % e, str(e).startswith("cat: "))
g.close()
t.expect_raises("a closed handle", guestfs.ClosedHandle, g.cat, "/etc/hostname")
t.expect_eq("a read-only session leaves the image as it was", before, sha(img))

g = guestfs.GuestFS(python_return_dict=True, close_on_exit=False)
g.add_drive(img, format="raw", readonly=True)
g.launch()
t.expect_eq("python_return_dict=True", {"/dev/sda1": "ext4"},
            g.list_filesystems())
g.close()
