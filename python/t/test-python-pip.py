#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# pip install ./python: setup.py builds the package on its own, in a
# fresh virtual environment, against libdrydock as pkg-config describes
# it (here a drydock.pc for the build tree, which stands for an
# installed one), and the installed package works.

import os
import shutil
import subprocess
import sys

import helpers as t

top_src = os.path.dirname(t.SRCDIR)
top_build = os.path.dirname(os.environ["DRYDOCK_TESTS_BUILDDIR"])
if subprocess.run([sys.executable, "-c", "import ensurepip, setuptools"],
                  capture_output=True).returncode != 0:
    t.skip("no ensurepip or setuptools for %s (python3-venv, python3-setuptools)"
           % sys.executable)
if shutil.which("pkg-config") is None:
    t.skip("pkg-config is not installed")

# A copy of the sources (pip builds in place; the tree stays clean).
src = os.path.join(t.scratch, "python")
os.makedirs(os.path.join(src, "drydock"))
for f in ("setup.py", "handle.c", "drydock-py.h", "actions-gen.c"):
    shutil.copy(os.path.join(top_src, "python", f), src)
for f in ("__init__.py", "_compat.py", "py.typed", "__init__.pyi",
          "guestfs.py", "guestfs.pyi"):
    shutil.copy(os.path.join(top_src, "python", "drydock", f),
                os.path.join(src, "drydock"))
pc = os.path.join(t.scratch, "pkgconfig")
os.makedirs(pc)
with open(os.path.join(pc, "drydock.pc"), "w") as f:
    f.write("Name: drydock\nDescription: drydock\nVersion: 0.1.0\n"
            "Cflags: -I%s/include\nLibs: -L%s/library/.libs -ldrydock\n"
            % (top_src, top_build))

venv = os.path.join(t.scratch, "venv")
subprocess.run([sys.executable, "-m", "venv", venv], check=True)
env = dict(os.environ, PKG_CONFIG_PATH=pc)
env.pop("PYTHONPATH", None)     # not the build tree's package
r = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--no-index",
                    "--disable-pip-version-check", src],
                   env=env, cwd=t.scratch, capture_output=True, text=True)
t.expect_eq("pip install exit status\n%s%s" % (r.stdout, r.stderr),
            0, r.returncode)
r = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                    "import drydock, drydock.guestfs\n"
                    "print(drydock.__file__)\n"
                    "print(drydock.Drydock().get_memsize())\n"
                    "print(drydock.guestfs.GuestFS().get_state())\n"],
                   env=env, cwd=t.scratch, capture_output=True, text=True)
t.expect_eq("the installed package works (%s)" % r.stderr, 0, r.returncode)
lines = r.stdout.splitlines()
t.expect_true("imported from the venv: %s" % lines[0],
              lines[0].startswith(venv + "/"))
t.expect_eq("a call", ["512", "0"], lines[1:])
