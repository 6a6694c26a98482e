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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from defs import Action  # noqa: E402
import actions as A  # noqa: E402
import lint  # noqa: E402

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
    """The lint of the table (lint.py) and the rules of the test era."""
    problems = lint.lint(A.actions, getattr(A, "optgroups", []))
    for a in A.actions:
        assert isinstance(a, Action)
        # Every action added from issue 14 on carries its tests.
        if a.proc >= 600 and not a.tests:
            problems.append("%s: no tests (see defs.Test)" % a.name)
    if problems:
        for p in problems:
            print("generator: %s" % p, file=sys.stderr)
        sys.exit(1)


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
