# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds the drydock Python package on its own, against an installed
libdrydock found by pkg-config:

    pip install ./python

The generated sources (actions-gen.c, drydock/guestfs.py, the .pyi
files) are in a built tree and a release tarball; in a git checkout
they are made here by the generator.  The make build does not use this
file.
"""

import os
import subprocess
import sys

from setuptools import Extension, setup

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
generator = os.path.join(top, "generator", "generate.py")
if not os.path.exists(os.path.join(here, "actions-gen.c")):
    if not os.path.exists(generator):
        sys.exit("setup.py: actions-gen.c is missing and there is no "
                 "generator to make it")
    subprocess.check_call([sys.executable, generator, top])


def pkgconfig(*args):
    try:
        out = subprocess.check_output(["pkg-config"] + list(args) + ["drydock"],
                                      text=True)
    except (OSError, subprocess.CalledProcessError):
        sys.exit("setup.py: pkg-config cannot find drydock: install "
                 "libdrydock first (make install), or set PKG_CONFIG_PATH")
    return out.split()


cflags = pkgconfig("--cflags")
libs = pkgconfig("--libs")

setup(
    name="drydock",
    version=pkgconfig("--modversion")[0],
    description="Inspect and modify virtual machine disk images",
    license="LGPL-2.1-or-later",
    packages=["drydock"],
    package_data={"drydock": ["*.pyi", "py.typed"]},
    ext_modules=[Extension(
        "drydock._drydock",
        sources=["handle.c", "actions-gen.c"],
        depends=["drydock-py.h"],
        include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
        extra_compile_args=[f for f in cflags if not f.startswith("-I")] +
        ["-pthread"],
        library_dirs=[f[2:] for f in libs if f.startswith("-L")],
        libraries=[f[2:] for f in libs if f.startswith("-l")],
    )],
    python_requires=">=3.10",
)
