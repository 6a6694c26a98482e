#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The launch properties take effect at launch: set_append reaches the
# appliance kernel's command line, config qemu's, set_pgroup puts qemu
# in a process group of its own, set_tmpdir holds the handle's files
# (a scratch drive among them) and set_cachedir the appliance, the
# identifier prefixes trace lines, user_cancel stops an upload and a
# download (EINTR) and leaves the handle usable, set_autosync makes
# close save a commit drive; set_path, set_hv and DRYDOCK_BACKEND are
# obeyed, and refused at launch when they name nothing.

import errno
import os
import threading

import helpers as t
import drydock

cachedir = os.environ.get("DRYDOCK_CACHEDIR")
if not cachedir:
    t.skip("DRYDOCK_CACHEDIR is not set")

# The default cache would be under HOME: it must stay unused.
home = os.path.join(t.scratch, "home")
os.mkdir(home)
os.environ["HOME"] = home
os.environ.pop("XDG_CACHE_HOME", None)
del os.environ["DRYDOCK_CACHEDIR"]
tmpdir = os.path.join(t.scratch, "tmp")
os.mkdir(tmpdir)

# One launch with every property that changes the command lines (the
# same values every run, so the launch snapshot made once is reused).
g = drydock.Drydock()
g.set_cachedir(cachedir)
g.set_tmpdir(tmpdir)
g.set_append("drydock.handletest=1")
g.config("-name", "drydock-handle-test")
g.set_pgroup(True)
g.add_drive_scratch(64 << 20, label="scr")
g.launch()
t.expect_true("the default cache is unused",
              not os.path.exists(os.path.join(home, ".cache")))
t.expect_true("set_append reaches the kernel's command line",
              " drydock.handletest=1" in g.debug("cmdline", []))
t.expect_true("config reaches qemu's command line",
              "\n-name\ndrydock-handle-test\n" in g.debug("qemu", []))
pid = g.get_pid()
t.expect_eq("set_pgroup: qemu leads its own process group", pid,
            os.getpgid(pid))
t.expect_eq("the scratch drive", ["/dev/sda"], g.list_devices())
t.expect_eq("its size", 64 << 20, g.blockdev_getsize64("/dev/sda"))
t.expect_eq("its label", {"scr": "/dev/sda"}, g.list_disk_labels())
t.expect_eq("it reads zeroes", True, g.is_zero_device("/dev/sda"))
dirs = os.listdir(tmpdir)
t.expect_eq("one handle directory in set_tmpdir's", 1, len(dirs))
t.expect_true("the scratch file is in it",
              "scratch0.img" in os.listdir(os.path.join(tmpdir, dirs[0])))

# The identifier before each trace line.
lines = []
eh = g.set_event_callback(lambda ev, eh, buf, array: lines.append(buf),
                          drydock.EVENT_TRACE)
g.set_identifier("h-1")
g.set_trace(True)
g.get_append()
g.set_trace(False)
g.delete_event_callback(eh)
t.expect_true("trace lines name the handle: %r" % lines,
              lines and all(s.startswith(b"h-1: ") for s in lines))


# user_cancel from another thread, repeated until the call returns.
def cancelled(what, fn, *args):
    done = threading.Event()

    def cancel():
        while not done.is_set():
            g.user_cancel()
            done.wait(0.005)

    th = threading.Thread(target=cancel)
    th.start()
    try:
        e = t.expect_raises(what, drydock.Error, fn, *args)
    finally:
        done.set()
        th.join()
    t.expect_eq(what + ": errno", errno.EINTR, e.errno)


big = t.blank_disk("big", 256 << 20)
g.mkfs("ext4", "/dev/sda")
g.mount("/dev/sda", "/")
cancelled("user_cancel of an upload", g.upload, big, "/big")
g.write("/small", "x")
g.fill(0x41, 32 << 20, "/filled")
out = os.path.join(t.scratch, "out")
cancelled("user_cancel of a download", g.download, "/filled", out)
t.expect_true("a cancelled download leaves no file", not os.path.exists(out))
t.expect_eq("the handle works after a cancel", "x", g.cat("/small"))
g.user_cancel()
g.download("/small", out)
t.expect_eq("a cancel outside a transfer cancels nothing", b"x",
            open(out, "rb").read())
g.close()
t.expect_eq("close removes the handle's files", [], os.listdir(tmpdir))

# autosync: close does what shutdown does, or discards.
os.environ["DRYDOCK_CACHEDIR"] = cachedir
for sync in (False, True):
    disk = t.blank_disk("disk-%d.img" % sync, 16 << 20)
    g = drydock.Drydock()
    g.add_drive(disk, format="raw", commit=True)
    g.set_autosync(sync)
    g.launch()
    g.pwrite_device("/dev/sda", b"AUTOSYNC", 0)
    g.close()
    with open(disk, "rb") as f:
        t.expect_eq("autosync %s: the image after close" % sync,
                    b"AUTOSYNC" if sync else bytes(8), f.read(8))

# Launch refuses what names nothing.
for what, setup, message in [
        ("set_path", lambda g: g.set_path("/nonexistent"),
         "/nonexistent/drydock-make-appliance"),
        ("set_hv", lambda g: g.set_hv("/nonexistent/qemu"),
         "/nonexistent/qemu"),
]:
    g = drydock.Drydock()
    setup(g)
    g.add_drive_scratch(1 << 20)
    e = t.expect_raises(what + " is obeyed", drydock.Error, g.launch)
    t.expect_true("%s: %s" % (what, e), message in str(e))
    g.close()
os.environ["DRYDOCK_BACKEND"] = "libvirt"
g = drydock.Drydock()
e = t.expect_raises("DRYDOCK_BACKEND is checked", drydock.Error, g.launch)
t.expect_eq("DRYDOCK_BACKEND: errno", errno.EINVAL, e.errno)
g.close()
del os.environ["DRYDOCK_BACKEND"]
