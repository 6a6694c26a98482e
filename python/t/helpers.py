# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by the Python binding's tests (run through make check or
../run): test images, a scratch directory, checks that name what they
compare, skips (exit 77), and the processes a handle leaves."""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile

NAME = os.path.basename(sys.argv[0])


def fail(what):
    sys.stderr.write("%s: FAIL: %s\n" % (NAME, what))
    sys.exit(1)


def skip(why):
    print("%s: SKIP: %s" % (NAME, why))
    sys.exit(77)


def expect_eq(what, expected, actual):
    if expected != actual:
        fail("%s\n  expected: %r\n  actual:   %r" % (what, expected, actual))


def expect_true(what, value):
    if not value:
        fail(what)


def expect_raises(what, exc_type, fn, *args, **kwargs):
    """FN(*ARGS, **KWARGS) must raise EXC_TYPE; returns the exception."""
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        # The traceback's frames would keep the handle alive.
        e.__traceback__ = None
        return e
    except Exception as e:
        fail("%s: expected %s, got %s: %s"
             % (what, exc_type.__name__, type(e).__name__, e))
    fail("%s: expected %s, got no error" % (what, exc_type.__name__))


for var in ("DRYDOCK_TESTS_SRCDIR", "DRYDOCK_TESTS_BUILDDIR"):
    if var not in os.environ:
        fail("%s is not set: run through make check or ./run" % var)
SRCDIR = os.environ["DRYDOCK_TESTS_SRCDIR"]
GUESTS = os.path.join(os.environ["DRYDOCK_TESTS_BUILDDIR"], "data", "guests")

scratch = tempfile.mkdtemp(prefix="drydock-pytest.")
atexit.register(shutil.rmtree, scratch, True)


def guest(name):
    """The path of test image NAME, built when missing or stale."""
    os.makedirs(GUESTS, exist_ok=True)
    r = subprocess.run([os.path.join(SRCDIR, "data", "make-guests.sh"),
                        GUESTS, name], stdout=subprocess.DEVNULL)
    if r.returncode == 77:
        skip("cannot build %s here" % name)
    path = os.path.join(GUESTS, name)
    if r.returncode != 0 or not os.path.isfile(path):
        fail("cannot build the test image %s" % name)
    return path


def blank_disk(name, size):
    """A sparse raw file of SIZE bytes in the scratch directory."""
    path = os.path.join(scratch, name)
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def children():
    """The pids of this process's children, zombies included."""
    me = str(os.getpid())
    out = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            out.add(int(pid))
    return out



def describe(pids):
    """PIDS with their state and command line, for a failure message."""
    out = []
    for pid in sorted(pids):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out.append("%d (%s) %s" % (pid, state, cmd[:120]))
    return "; ".join(out)


def expect_no_children_left(what, kids):
    """None of the processes KIDS is still a child of this process."""
    left = children() & kids
    if left:
        fail("%s: processes left: %s" % (what, describe(left)))
