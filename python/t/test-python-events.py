#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Events with Python callbacks: trace, debug (library), appliance console
# and close events reach cb(event, event_handle, buf, array) with buf as
# bytes; delete_event_callback stops them; an exception in a callback is
# reported and the call goes on; a callback calling its own handle gets
# an error, not a deadlock; the callbacks are released at close.

import contextlib
import gc
import io
import weakref

import helpers as t
import drydock

deb = t.guest("debian.img")
g = drydock.Drydock()
seen = []


def record(event, event_handle, buf, array):
    seen.append((event, event_handle, buf, array))


eh = g.set_event_callback(record, drydock.EVENT_TRACE | drydock.EVENT_CLOSE)
t.expect_true("an event handle", isinstance(eh, int) and eh >= 0)
g.set_trace(True)
g.get_memsize()
traces = [s for s in seen if s[0] == drydock.EVENT_TRACE]
t.expect_true("trace events came", len(traces) >= 2)
t.expect_true("trace buf is bytes naming the call: %r" % traces[-1][2],
              all(isinstance(s[2], bytes) for s in traces) and
              any(b"get_memsize" in s[2] for s in traces))
t.expect_eq("event handle passed back", {eh}, {s[1] for s in traces})
g.set_trace(False)

# Debug messages and the appliance's console during a verbose launch.
kinds = set()
dbg = g.set_event_callback(
    lambda ev, h, buf, arr: kinds.add(ev),
    drydock.EVENT_LIBRARY | drydock.EVENT_APPLIANCE)
g.set_verbose(True)
g.add_drive(deb, format="raw", readonly=True)
g.launch()
g.set_verbose(False)
t.expect_true("library events during launch", drydock.EVENT_LIBRARY in kinds)
g.delete_event_callback(dbg)

# A callback that raises: reported on stderr, the call succeeds.
def boom(event, event_handle, buf, array):
    raise ZeroDivisionError("from the callback")


bad = g.set_event_callback(boom, drydock.EVENT_TRACE)
err = io.StringIO()
with contextlib.redirect_stderr(err):
    g.set_trace(True)
    size = g.get_memsize()
    g.set_trace(False)
t.expect_eq("call succeeds despite the callback", 512, size)
t.expect_true("the callback's exception is reported: %r" % err.getvalue(),
              "ZeroDivisionError" in err.getvalue())
g.delete_event_callback(bad)

# A callback that calls its own handle: an error inside the callback.
reentry = []


def reenter(event, event_handle, buf, array):
    try:
        g.get_memsize()
    except drydock.Error as e:
        reentry.append(str(e))


re_eh = g.set_event_callback(reenter, drydock.EVENT_TRACE)
g.set_trace(True)
g.get_memsize()
g.set_trace(False)
g.delete_event_callback(re_eh)
t.expect_true("re-entry refused: %r" % reentry,
              reentry and "event callback" in reentry[0])

# Deleted callbacks get nothing more (while another one does).
others = []
other = g.set_event_callback(lambda *a: others.append(a), drydock.EVENT_TRACE)
g.delete_event_callback(eh)
n = len(seen)
g.set_trace(True)
g.get_memsize()
g.set_trace(False)
t.expect_eq("no events after delete_event_callback", n, len(seen))
t.expect_true("the other callback got them", len(others) >= 2)
g.delete_event_callback(other)

# The close event, and the callable released with the handle.
closes = []


class Cb:
    def __call__(self, event, event_handle, buf, array):
        closes.append(event)


cb = Cb()
ref = weakref.ref(cb)
g.set_event_callback(cb, drydock.EVENT_CLOSE)
del cb
g.close()
t.expect_eq("close event", [drydock.EVENT_CLOSE], closes)
gc.collect()
t.expect_eq("callback released after close", None, ref())
