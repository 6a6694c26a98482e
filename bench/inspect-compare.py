#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares two inspection XML documents (drydock inspect and
# virt-inspector) on the answers the inspection issue names: per root,
# the OS type, distro, versions, host name, arch, package format and
# manager, mountpoints, and the applications' names and versions.
# Prints the differences, and apart from them what only the first
# document knows (a value where the second has none, list items the
# second lacks); exits 1 if there are differences.  Differences in the
# answers the issue does not name (product name and variant, osinfo,
# filesystems and their types, the logo) are printed as "also differs:
# ..." and do not count.
#
# Usage: inspect-compare.py A.xml B.xml [--no-applications]
import base64
import hashlib
import sys
import xml.etree.ElementTree as ET

FIELDS = ["name", "distro", "major_version", "minor_version", "hostname",
          "arch", "package_format", "package_management"]
OTHER = ["product_name", "product_variant", "osinfo"]


def load(path, apps):
    roots = {}
    for os_ in ET.parse(path).getroot().findall("operatingsystem"):
        root = os_.findtext("root")
        d = {f: (os_.findtext(f) or "") for f in FIELDS}
        d["mountpoints"] = sorted((m.text or "", m.get("dev"))
                                  for m in os_.iter("mountpoint"))
        for f in OTHER:
            d["other " + f] = os_.findtext(f) or ""
        icon = os_.findtext("icon")
        d["other icon"] = ("%d-byte PNG sha256 %s" % (
            len(base64.b64decode(icon)),
            hashlib.sha256(base64.b64decode(icon)).hexdigest()[:12])
            if icon else "")
        d["other filesystems"] = sorted(
            (f.get("dev"), f.findtext("type") or "")
            for f in os_.iter("filesystem"))
        if apps:
            d["applications"] = sorted(
                (a.findtext("name") or "", a.findtext("epoch") or "0",
                 a.findtext("version") or "", a.findtext("release") or "")
                for a in os_.iter("application"))
        roots[root] = d
    return roots


def main():
    apps = "--no-applications" not in sys.argv
    a, b = load(sys.argv[1], apps), load(sys.argv[2], apps)
    diffs, more, other = [], [], []
    for root in sorted(set(a) | set(b)):
        if root not in a or root not in b:
            diffs.append("%s: only in %s" % (root, sys.argv[1] if root in a
                                              else sys.argv[2]))
            continue
        for k in a[root]:
            x, y = a[root][k], b[root][k]
            if x == y:
                continue
            if k.startswith("other "):
                other.append("%s %s: %r != %r" % (root, k[6:], x, y))
            elif k in ("applications", "mountpoints"):
                only_a = sorted(set(x) - set(y))
                only_b = sorted(set(y) - set(x))
                if only_b:
                    diffs.append("%s %s: only in %s %r, only in %s %r" % (
                        root, k, sys.argv[1], only_a, sys.argv[2], only_b))
                else:
                    more.append("%s %s: %r" % (root, k, only_a))
            elif y == "":
                more.append("%s %s: %r" % (root, k, x))
            else:
                diffs.append("%s %s: %r != %r" % (root, k, x, y))
    for d in diffs:
        print(d)
    for m in more:
        print("only in %s: %s" % (sys.argv[1], m))
    for o in other:
        print("also differs: %s" % o)
    print("%d roots, %d differences, %d more answers in %s" % (
        len(a), len(diffs), len(more), sys.argv[1]))
    return 1 if diffs else 0


sys.exit(main())
