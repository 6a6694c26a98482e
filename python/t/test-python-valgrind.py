#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The extension's tests under valgrind (make check-valgrind): no memory
# error and no block definitely lost, with Python's own allocator off
# (PYTHONMALLOC=malloc) so that every object is a block valgrind sees.
# The threads test stays out: its timing checks mean nothing there.

import os
import shutil
import subprocess
import sys

import helpers as t

if shutil.which("valgrind") is None:
    t.skip("valgrind is not installed")
here = os.path.dirname(os.path.abspath(__file__))
env = dict(os.environ, PYTHONMALLOC="malloc")
for test in ("test-python-errors.py", "test-python-events.py",
             "test-python-types.py"):
    log = os.path.join(t.scratch, test + ".valgrind")
    r = subprocess.run(["valgrind", "--quiet", "--error-exitcode=99",
                        "--leak-check=full", "--show-leak-kinds=definite",
                        "--errors-for-leak-kinds=definite",
                        "--log-file=" + log,
                        sys.executable, os.path.join(here, test)],
                       env=env, cwd=here)
    with open(log) as f:
        report = f.read()
    t.expect_eq("%s under valgrind: exit status\n%s" % (test, report),
                0, r.returncode)
    t.expect_eq("%s under valgrind: report" % test, "", report.strip())
    print("%s: clean under valgrind" % test)
