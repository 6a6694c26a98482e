# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the guestfs-compatible face (drydock.guestfs, generated) stands
on: the constructor's flags, the guestfs event values and their
translation, and the errors for what drydock lacks."""

import drydock
from drydock import ClosedHandle, Error, NotSupported  # noqa: F401

# The guestfs API's event values.  drydock raises CLOSE, PROGRESS,
# APPLIANCE, LIBRARY, TRACE and WARNING; a callback may ask for the
# others, which never come.
EVENT_CLOSE = 0x1
EVENT_SUBPROCESS_QUIT = 0x2
EVENT_LAUNCH_DONE = 0x4
EVENT_PROGRESS = 0x8
EVENT_APPLIANCE = 0x10
EVENT_LIBRARY = 0x20
EVENT_TRACE = 0x40
EVENT_ENTER = 0x80
EVENT_LIBVIRT_AUTH = 0x100
EVENT_WARNING = 0x200
EVENT_ALL = 0x3ff

_NAMES = {
    EVENT_CLOSE: "close", EVENT_SUBPROCESS_QUIT: "subprocess_quit",
    EVENT_LAUNCH_DONE: "launch_done", EVENT_PROGRESS: "progress",
    EVENT_APPLIANCE: "appliance", EVENT_LIBRARY: "library",
    EVENT_TRACE: "trace", EVENT_ENTER: "enter",
    EVENT_LIBVIRT_AUTH: "libvirt_auth", EVENT_WARNING: "warning",
}

# guestfs value -> drydock value.
_TO_DRYDOCK = {
    EVENT_CLOSE: drydock.EVENT_CLOSE,
    EVENT_PROGRESS: drydock.EVENT_PROGRESS,
    EVENT_APPLIANCE: drydock.EVENT_APPLIANCE,
    EVENT_LIBRARY: drydock.EVENT_LIBRARY,
    EVENT_TRACE: drydock.EVENT_TRACE,
    EVENT_WARNING: drydock.EVENT_WARNING,
}
_FROM_DRYDOCK = {v: k for k, v in _TO_DRYDOCK.items()}


def event_to_string(events):
    """The names of the events in a guestfs event bitmask, comma-separated."""
    return ",".join(name for bit, name in sorted(_NAMES.items())
                    if events & bit)


def not_supported(name):
    return NotSupported("%s: not supported by drydock" % name)


def check_optargs(name, kwargs, dropped, refused):
    """Drop the optional arguments of the guestfs API that mean nothing
    to drydock; refuse, by name, those it does not have."""
    for k in list(kwargs):
        if k in refused:
            raise NotSupported("%s: optional argument %s is not supported "
                               "by drydock" % (name, k))
        if k in dropped:
            del kwargs[k]


def prefix_fields(structs, prefix, extra):
    """The struct dicts STRUCTS with the API's field names: PREFIX before
    each, and the fields EXTRA it has that drydock lacks, empty."""
    out = []
    for d in structs:
        n = {prefix + k: v for k, v in d.items()}
        for k in extra:
            n.setdefault(prefix + k, "")
        out.append(n)
    return out


class GuestFSBase(drydock.Drydock):
    """The guestfs API's constructor and event calls over a drydock
    handle; the methods are the actions (drydock.guestfs.GuestFS)."""

    def __init__(self, python_return_dict=False, environment=True,
                 close_on_exit=True):
        # environment: drydock reads its own DRYDOCK_* variables always.
        super().__init__(close_on_exit=close_on_exit)
        # Hashes: dicts, or lists of pairs as in the API's first
        # releases; structs: dicts; booleans: 1 and 0.
        self._set_return_kinds(bool(python_return_dict), True, True)

    # Writes reach the image as the guestfs API has them do: a drive
    # added without readonly is committed (commit=True) when the handle
    # shuts down, which close() and the end of the handle's life do
    # first.  The overlay rule still holds: a failed or killed session
    # leaves the image as it was.
    def add_drive(self, filename, **kwargs):
        if not kwargs.get("readonly") and kwargs.get("commit") is None:
            kwargs["commit"] = True
        return super().add_drive(filename, **kwargs)

    def close(self):
        try:
            if not self.closed and self.is_ready():
                self.shutdown()
        finally:
            super().close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def set_event_callback(self, cb, event_bitmask):
        mask = 0
        for bit, dd in _TO_DRYDOCK.items():
            if event_bitmask & bit:
                mask |= dd

        def translate(event, event_handle, buf, array):
            event = _FROM_DRYDOCK.get(event, event)
            if event == EVENT_PROGRESS and len(array) == 3:
                # guestfs: proc, serial, position, total.
                array = [array[0], 0, array[1], array[2]]
            cb(event, event_handle, buf, array)

        return super().set_event_callback(translate, mask)
