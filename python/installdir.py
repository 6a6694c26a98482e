# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where make install puts the drydock package for a prefix: the
system's site-packages as this python3 finds it.  Run by configure.

Usage: python3 installdir.py PREFIX
"""
import sys
import sysconfig

prefix = sys.argv[1]
if "deb_system" in sysconfig.get_scheme_names():
    # Debian: /usr/lib/python3/dist-packages for /usr (its own
    # packages' place), PREFIX/lib/pythonX.Y/dist-packages elsewhere
    # (/usr/local's is on sys.path).
    if prefix == "/usr":
        print(sysconfig.get_path("platlib", "deb_system"))
    else:
        print("%s/lib/python%d.%d/dist-packages"
              % ((prefix,) + sys.version_info[:2]))
else:
    print(sysconfig.get_path("platlib", "posix_prefix",
                             vars={"base": prefix, "platbase": prefix}))
