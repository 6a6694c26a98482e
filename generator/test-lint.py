#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The lint of the action table (lint.py): the real table passes, and
# each bad record below is refused with the message naming its fault
# (and a good record is not refused at all).

import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from defs import (Action, Group, RErr, RBool, RBufferOut, RString,  # noqa: E402
                  String, Bool, Device, Int, OBool, OString, Pathname,
                  FileIn, FileOut)
import actions as A  # noqa: E402
import lint  # noqa: E402


def good(**kw):
    a = Action("frob", 900, RErr, [Device("device")], "frob a device",
               "Frobs DEVICE (with FORCE, harder).", optargs=[OBool("force")])
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def prop(field="flag", set_field=None, **kw):
    """A set_flag / get_flag pair of plain boolean properties (the
    getter's field is FIELD, the setter's SET_FIELD or the same); KW
    changes the setter."""
    s = Action("set_flag", 0, RErr, [Bool("flag")], "set the flag",
               "Set the flag.", side="library", needs_launch=False,
               handle_bool=field if set_field is None else set_field)
    g = Action("get_flag", 0, RBool, [], "get the flag", "Return the flag.",
               side="library", needs_launch=False, handle_bool=field)
    for k, v in kw.items():
        setattr(s, k, v)
    return [s, g]


# (what is wrong, the records, the message lint must give; None: the
# records are good)
CASES = [
    ("arg named as a wrapper local", [good(args=[String("h")])],
     "frob: argument h: clashes with a local of the generated C"),
    ("arg named ret", [good(args=[Int("ret")])],
     "frob: argument ret: clashes with a local of the generated C"),
    ("optarg named optargs", [good(optargs=[OString("optargs")])],
     "frob: optional argument optargs: clashes with a local of the generated C"),
    ("size of a buffer action", [good(ret=RBufferOut, args=[Int("size")])],
     "frob: argument size: clashes with a local of the generated C"),
    ("C keyword", [good(args=[String("default")])],
     "frob: argument default: a C keyword"),
    ("Python keyword", [good(args=[String("from")])],
     "frob: argument from: a Python keyword"),
    ("shell keyword", [good(args=[String("esac")])],
     "frob: argument esac: a shell keyword"),
    ("action named as a Python keyword", [good(name="lambda")],
     "lambda: a Python keyword"),
    ("action named as a shell command", [good(name="help")],
     "help: a command of the shell itself"),
    ("direct with optargs", [good(direct=True, optargs=[OBool("force")])],
     "frob: direct is for daemon actions without optional arguments"),
    ("optarg twice", [good(optargs=[OBool("force"), OString("force")])],
     "frob: optional argument force clashes with an argument or an optional argument"),
    ("optarg as an arg", [good(optargs=[OBool("device")])],
     "frob: optional argument device clashes with an argument or an optional argument"),
    ("arg twice", [good(args=[Device("device"), Pathname("device")])],
     "frob: argument device given twice"),
    ("derived name", [good(args=[Device("d"), String("d_dev")])],
     "frob: argument d_dev clashes with d_dev"),
    ("dispatcher's optarg local", [good(args=[String("opt_force")])],
     "frob: argument opt_force clashes with the optional argument force"),
    ("soft keyword", [good(args=[String("match")])], None),
    ("two streams", [good(args=[FileIn("a"), FileOut("b")])],
     "frob: at most one stream argument"),
    ("optarg not in the longdesc", [good(optargs=[OBool("force"), OBool("fast")])],
     "frob: longdesc does not say what FAST does"),
    ("upper-case arg", [good(args=[String("Path")])],
     "frob: argument Path: lower-case letters, digits and _ only"),
    ("daemon proc 0", [good(proc=0)],
     "frob: daemon actions need a positive proc number"),
    ("negative proc", [good(proc=-3)],
     "frob: daemon actions need a positive proc number"),
    ("proc reused", [good(), good(name="twiddle")],
     "twiddle: proc 900 is also frob's"),
    ("library proc", [good(side="library", needs_launch=False)],
     "frob: library actions have proc 0"),
    ("shortdesc period", [good(shortdesc="frob a device.")],
     "frob: shortdesc ends with a period"),
    ("shortdesc capital", [good(shortdesc="Frob a device")],
     "frob: shortdesc starts with a capital"),
    ("longdesc tab", [good(longdesc="Frobs\tDEVICE.")],
     "frob: longdesc has a tab"),
    ("longdesc POD", [good(longdesc="Frobs C<DEVICE>.")],
     "frob: longdesc has a POD code (write plain text)"),
    ("longdesc backquote", [good(longdesc="Frobs `DEVICE.")],
     "frob: longdesc has an unbalanced `"),
    ("name twice", [good(), good(proc=901)],
     "frob: an action of that name exists"),
    ("alias of a name", [good(), good(name="twiddle", proc=901, aliases=["frob"])],
     "twiddle: alias frob: an action of that name exists"),
    ("alias twice", [good(aliases=["fr"]), good(name="twiddle", proc=901, aliases=["fr"])],
     "twiddle: alias fr: the alias of frob has that name"),
    ("unknown state", [good(side="library", proc=0, states=["ready"])],
     "frob: unknown state ready (config, launched)"),
    ("daemon in config", [good(states=["config"])],
     "frob: daemon actions are called in the launched state only"),
    ("bad version", [good(added="1.0")],
     "frob: added is a version MAJOR.MINOR.MICRO, not '1.0'"),
    ("deprecated by nothing", [good(deprecated_by="twiddle")],
     "frob: deprecated_by: no action twiddle"),
    ("group of a library action",
     [good(side="library", proc=0, needs_launch=False)],
     "group g: frob: only daemon actions are in groups"),
    ("group of no action", [good()], "group g: no action nosuch"),
    ("plain boolean property", prop(), None),
    ("handle_bool not a C identifier", prop("no-flag"),
     "set_flag: handle_bool 'no-flag' is not a C identifier"),
    ("handle_bool a C keyword", prop("int"),
     "get_flag: handle_bool 'int' is not a C identifier"),
    ("handle_bool on a daemon action", [good(handle_bool="flag")],
     "frob: handle_bool is for library actions set_X (one Bool, RErr) and "
     "get_X (no arguments, RBool)"),
    ("handle_bool setter of an Int", prop(args=[Int("flag")]),
     "set_flag: handle_bool is for library actions set_X (one Bool, RErr) "
     "and get_X (no arguments, RBool)"),
    ("handle_bool setter returning a string", prop(ret=RString),
     "set_flag: handle_bool is for library actions set_X (one Bool, RErr) "
     "and get_X (no arguments, RBool)"),
    ("handle_bool not a set_/get_ name", prop(name="toggle_flag"),
     "toggle_flag: handle_bool is for library actions set_X (one Bool, RErr) "
     "and get_X (no arguments, RBool)"),
    ("handle_bool with optargs",
     prop(optargs=[OBool("now")], longdesc="Set the flag (NOW: now)."),
     "set_flag: handle_bool is for library actions set_X (one Bool, RErr) "
     "and get_X (no arguments, RBool)"),
    ("handle_bool getter without its setter", prop()[1:],
     "get_flag: handle_bool flag, but set_flag is not handle_bool flag"),
    ("handle_bool pair naming two fields", prop(set_field="other"),
     "get_flag: handle_bool flag, but set_flag is not handle_bool flag"),
]

GROUPS = {
    "group of a library action": [Group("g", "a thing.", ["frob"])],
    "group of no action": [Group("g", "a thing.", ["nosuch"])],
}


def main():
    fails = 0
    real = lint.lint(A.actions, getattr(A, "optgroups", []))
    if real:
        print("FAIL: the real table: %s" % "; ".join(real))
        fails += 1
    ok = lint.lint([good(), good(name="twiddle", proc=901, aliases=["tw"],
                             ret=RString, deprecated_by="frob")], [])
    if ok:
        print("FAIL: good records refused: %s" % "; ".join(ok))
        fails += 1
    for what, records, want in CASES:
        got = lint.lint(copy.deepcopy(records), GROUPS.get(what, []))
        if want is None and got:
            print("FAIL: %s: refused: %r" % (what, got))
            fails += 1
        elif want is not None and want not in got:
            print("FAIL: %s: wanted %r, got %r" % (what, want, got))
            fails += 1
    print("%d cases, %d failed" % (len(CASES) + 2, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
