#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The generator: reads the action table (actions.py) and writes every piece
# of code and documentation that follows from it.  Usage:
#
#   generate.py SRCDIR
#
# Files are written only when their content changes, so make does not
# rebuild what did not move.

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from defs import Action  # noqa: E402
import actions as A  # noqa: E402

import emit_common  # noqa: E402
import emit_library  # noqa: E402
import emit_daemon  # noqa: E402
import emit_shell  # noqa: E402
import emit_docs  # noqa: E402
import emit_python  # noqa: E402
import emit_tests  # noqa: E402


def add_side_tests():
    """The tests of records written before records carried their own."""
    import actions_tests
    byname = {a.name: a for a in A.actions}
    for name, tests in actions_tests.tests.items():
        if name not in byname:
            sys.exit("generator: actions_tests: no action %s" % name)
        byname[name].tests.extend(tests)


def check_table():
    seen_names = set()
    seen_procs = set()
    for a in A.actions:
        assert isinstance(a, Action)
        if a.name in seen_names:
            sys.exit("generator: duplicate action %s" % a.name)
        seen_names.add(a.name)
        if a.side == "daemon":
            if a.proc <= 0 or a.proc in seen_procs:
                sys.exit("generator: %s: bad or reused proc %d" % (a.name, a.proc))
            seen_procs.add(a.proc)
        elif a.proc != 0:
            sys.exit("generator: %s: library actions have proc 0" % a.name)
        if sum(1 for x in a.args if x.kind in ("FileIn", "FileOut")) > 1:
            sys.exit("generator: %s: at most one stream argument" % a.name)
        # Every action added from issue 14 on carries its tests.
        if a.proc >= 600 and not a.tests:
            sys.exit("generator: %s: no tests (see defs.Test)" % a.name)
        for x in a.aliases:
            if x in seen_names:
                sys.exit("generator: alias %s clashes" % x)
            seen_names.add(x)
    in_group = {}
    for g in getattr(A, "optgroups", []):
        if not re.fullmatch(r"[a-z0-9]+", g.name):
            sys.exit("generator: group %s: lower-case letters and digits" % g.name)
        for n in g.actions:
            if n not in seen_names:
                sys.exit("generator: group %s: no action %s" % (g.name, n))
            if n in in_group:
                sys.exit("generator: %s is in groups %s and %s"
                         % (n, in_group[n], g.name))
            in_group[n] = g.name


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py SRCDIR")
    top = sys.argv[1]
    check_table()
    add_side_tests()
    outputs = {}
    outputs.update(emit_common.emit(A))
    outputs.update(emit_library.emit(A))
    outputs.update(emit_daemon.emit(A))
    outputs.update(emit_shell.emit(A))
    outputs.update(emit_docs.emit(A))
    outputs.update(emit_python.emit(A))
    outputs.update(emit_tests.emit(A))
    for rel, text in outputs.items():
        write_if_changed(os.path.join(top, rel), spdx(rel) + text)


def spdx(rel):
    """The licence line of a generated C or Python file (scripts/spdx's
    rule): the library's and the Python binding's files are LGPL, the
    others GPL."""
    lgpl = rel.startswith(("library/", "include/", "common/", "python/")) \
        and not rel.startswith(("common/options/", "python/t/"))
    tag = "SPDX-License-Identifier: %s" % (
        "LGPL-2.1-or-later" if lgpl else "GPL-2.0-or-later")
    if rel.endswith((".c", ".h")):
        return "/* %s */\n" % tag
    if rel.endswith((".py", ".pyi")):
        return "# %s\n" % tag
    return ""


if __name__ == "__main__":
    main()
