# SPDX-License-Identifier: LGPL-2.1-or-later
"""drydock: inspect and modify virtual machine disk images.

    import drydock

    with drydock.Drydock() as g:
        g.add_drive("disk.img", format="raw", readonly=True)
        g.launch()
        for root in g.inspect_os():
            print(g.inspect_get_distro(root))

One method per action of the drydock API (see drydock(3) and
drydock-python(3)): required arguments positional, optional ones as
keywords.  Hashes come back as dicts, structs as objects with one
attribute per field, buffers as bytes.  A failed call raises
drydock.Error (a RuntimeError) with the message and its errno.  Each
call releases the GIL; one call runs at a time per handle.

For programs written for the guestfs Python API: drydock.guestfs.
"""

import atexit
import weakref

# Handle, Error, ClosedHandle, the EVENT_* values and one struct type
# per struct of the API (Statns, Partition ...).
from drydock._drydock import *  # noqa: F401,F403
from drydock._drydock import Handle, Error, __version__  # noqa: F401


class NotSupported(Error):
    """A call drydock does not have (the guestfs face's methods)."""


# Handles still open when the interpreter exits are closed then, so
# their appliance and files go even if a reference outlives the program.
_open_handles = weakref.WeakSet()


@atexit.register
def _close_all():
    for h in list(_open_handles):
        h.close()


class Drydock(Handle):
    """A drydock handle: one session (drives, appliance, overlays).

    close_on_exit: close the handle when the interpreter exits, if it
    is still open then (the default).
    """

    def __init__(self, close_on_exit=True):
        if close_on_exit:
            _open_handles.add(self)
