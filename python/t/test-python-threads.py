#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Threads: the GIL is released during a call (another thread runs all
# through a launch); two threads calling one handle get their own
# answers (one call at a time); a thread closing the handle while
# another calls waits for the call in progress, and the caller's next
# call raises ClosedHandle; nothing is left running after.
#
# The launching thread stays alive as long as the handle: the appliance
# dies with the thread that launched it.

import threading
import time

import helpers as t
import drydock

deb = t.guest("debian.img")
g = drydock.Drydock()
g.add_drive(deb, format="raw", readonly=True)

# A launch in a short-lived thread of its own.
launched = threading.Event()
launch_error = []


def launcher():
    try:
        g.launch()
    except Exception as e:
        launch_error.append(e)
    launched.set()


th = threading.Thread(target=launcher)
start = time.monotonic()
th.start()
last = start
gap = 0.0
spins = 0
while not launched.is_set():
    now = time.monotonic()
    gap = max(gap, now - last)
    last = now
    spins += 1
    time.sleep(0.001)
elapsed = time.monotonic() - start
t.expect_eq("launch in a thread", [], launch_error)
# With the GIL held through the launch this thread would stand still for
# all of it; it must have run all along (one 0.2 s gap is generous
# on a loaded machine).
t.expect_true("this thread ran during the launch (longest gap %.3f s of "
              "%.3f s, %d spins)" % (gap, elapsed, spins),
              gap < max(0.2, elapsed / 3) and spins > 10)
th.join()
time.sleep(0.2)
g.mount_ro("/dev/sda1", "/")

# Two threads, one handle: each gets its own answers.
answers = {"/etc/hostname": "debian-guest\n", "/etc/debian_version": "12.5\n"}
wrong = []


def reader(path):
    for _ in range(25):
        got = g.cat(path)
        if got != answers[path]:
            wrong.append((path, got))


readers = [threading.Thread(target=reader, args=(p,)) for p in answers]
for r in readers:
    r.start()
for r in readers:
    r.join()
t.expect_eq("answers of concurrent calls", [], wrong)

# Close from this thread while another calls.
kids = t.children()
calls = []
ended = []


def caller():
    try:
        while True:
            calls.append(g.cat("/etc/hostname"))
    except drydock.ClosedHandle:
        ended.append("ClosedHandle")
    except Exception as e:
        ended.append("%s: %s" % (type(e).__name__, e))


c = threading.Thread(target=caller)
c.start()
while len(calls) < 5:
    time.sleep(0.01)
g.close()
c.join(60)
t.expect_eq("the caller's thread ended", False, c.is_alive())
t.expect_eq("the caller's next call after close", ["ClosedHandle"], ended)
t.expect_eq("every call before close answered",
            {"debian-guest\n"}, set(calls))
th.join()
t.expect_no_children_left("after close from another thread", kids)
