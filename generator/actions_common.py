# SPDX-License-Identifier: GPL-2.0-or-later
# What several files of the action table share: the layout name of
# most table tests and the device-returning return kinds.

from defs import *  # noqa: F401,F403

# The layout of most table tests (see defs.Test).
S = "scratch"
SWAP_UUID = "5a4a0000-0000-4000-8000-00000000abcd"

DEVLIST = Ret("RStringList", devices=True)
DEVSTR = Ret("RString", devices=True)
DEVHASH = Ret("RHashtable", devices=True)
