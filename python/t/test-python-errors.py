#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Errors: drydock.Error is a RuntimeError carrying the message (str(e),
# e.message) and the errno (e.errno), from the library and from the
# daemon; ClosedHandle after close; the context manager closes on the
# way out, exception or not; a closed handle's processes are gone.

import errno
import gc

import helpers as t
import drydock

deb = t.guest("debian.img")

# Before launch: the library's own errors.
g = drydock.Drydock()
e = t.expect_raises("cat before launch", drydock.Error, g.cat, "/etc/hostname")
t.expect_true("Error is a RuntimeError", isinstance(e, RuntimeError))
t.expect_eq("str(e) is the message", e.message, str(e))
t.expect_true("message names the call: %s" % e, str(e).startswith("cat: "))
t.expect_eq("errno before launch", errno.EINVAL, e.errno)
e = t.expect_raises("add_drive of a missing file", drydock.Error,
                    g.add_drive, "/nonexistent/disk.img", format="raw")
t.expect_eq("errno of a missing file", errno.ENOENT, e.errno)
t.expect_true("message names the file: %s" % e, "/nonexistent/disk.img" in str(e))

# The daemon's errors, their errno sent by name.
with drydock.Drydock() as g:
    g.add_drive(deb, format="raw", readonly=True)
    g.launch()
    kids = t.children()
    g.mount_ro("/dev/sda1", "/")
    e = t.expect_raises("cat of a missing file", drydock.Error, g.cat, "/nope")
    t.expect_eq("errno of a missing guest file", errno.ENOENT, e.errno)
    t.expect_true("daemon message names the path: %s" % e, "/nope" in str(e))
    e = t.expect_raises("mkdir on a read-only mount", drydock.Error,
                        g.mkdir, "/newdir")
    t.expect_eq("errno of a read-only mount", errno.EROFS, e.errno)
    # The handle still works after errors.
    t.expect_eq("a call after errors", "debian-guest\n", g.cat("/etc/hostname"))
t.expect_eq("closed after the with block", True, g.closed)
t.expect_no_children_left("after the with block", kids)
t.expect_raises("a call on a closed handle", drydock.ClosedHandle,
                g.cat, "/etc/hostname")
t.expect_raises("ClosedHandle is a ValueError", ValueError, g.get_state)
g.close()                       # closing twice is harmless

# An exception inside the with block closes the handle and goes on.
try:
    with drydock.Drydock() as g2:
        g2.add_drive(deb, format="raw", readonly=True)
        raise KeyError("inside")
except KeyError:
    pass
else:
    t.fail("the exception in the with block was swallowed")
t.expect_eq("closed after an exception", True, g2.closed)
t.expect_raises("entering a closed handle", drydock.ClosedHandle,
                g2.__enter__)
del g, g2
gc.collect()
