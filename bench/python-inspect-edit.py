#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# An inspect-and-edit script in the guestfs Python API's documented
# style, run unchanged by bench/python (through that API and, with its
# import line changed to "from drydock import guestfs", through drydock)
# and by python/t/test-python-guestfs.py.
#
# Usage: python-inspect-edit.py DISK NEW-HOSTNAME
#
# Finds the guest's root, mounts its filesystems, prints what inspection
# says, sets the hostname in /etc/hostname and /etc/hosts, locks every
# password in /etc/shadow, lists the filesystems; the disk is changed.

import sys

import guestfs

if len(sys.argv) != 3:
    sys.exit("usage: python-inspect-edit.py DISK NEW-HOSTNAME")
disk, hostname = sys.argv[1], sys.argv[2]

g = guestfs.GuestFS(python_return_dict=True)
g.add_drive_opts(disk, format="raw", readonly=0)
g.launch()

roots = g.inspect_os()
if len(roots) == 0:
    sys.exit("inspect-edit: no operating system found in %s" % disk)

for root in roots:
    print("root: %s" % root)
    print("  type: %s" % g.inspect_get_type(root))
    print("  distro: %s" % g.inspect_get_distro(root))
    print("  version: %d.%d" % (g.inspect_get_major_version(root),
                                g.inspect_get_minor_version(root)))
    print("  product: %s" % g.inspect_get_product_name(root))
    print("  hostname: %s" % g.inspect_get_hostname(root))

    # Mount the filesystems, shortest mountpoint first.
    mps = g.inspect_get_mountpoints(root)
    for mp in sorted(mps.keys(), key=len):
        try:
            g.mount(mps[mp], mp)
        except RuntimeError as msg:
            print("%s (ignored)" % msg)

    g.write("/etc/hostname", hostname + "\n")

    hosts = [line for line in g.read_lines("/etc/hosts")
             if not line.startswith("127.0.1.1")]
    hosts.append("127.0.1.1  %s" % hostname)
    g.write("/etc/hosts", "\n".join(hosts) + "\n")

    shadow = []
    for line in g.read_lines("/etc/shadow"):
        fields = line.split(":")
        if len(fields) > 1 and not fields[1].startswith("!"):
            fields[1] = "!" + fields[1]
        shadow.append(":".join(fields))
    g.write("/etc/shadow", "\n".join(shadow) + "\n")
    print("  shadow: %d entries locked" % len(shadow))

    g.umount_all()

for dev, fstype in sorted(g.list_filesystems().items()):
    print("filesystem: %s %s" % (dev, fstype))

g.shutdown()
g.close()
