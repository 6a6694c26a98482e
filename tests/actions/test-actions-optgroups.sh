#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# An optional group the appliance really lacks: an appliance built
# (into a scratch cache) from contents.txt without zerofree.  Then
# available_all_groups still lists zerofree, feature_available says
# false, available fails with ENOTSUP, and zerofree (an action of the
# group) fails with the dispatcher's one error, errno ENOTSUP, before
# looking at its argument; the handle works afterwards.  The normal
# appliance (the caller's cache) answers true for the same group.
. "$(dirname "$0")/../functions.sh"

requires zerofree
python3 -c 'import drydock' 2>/dev/null || skip "the Python binding is not built"

data="$DRYDOCK_TESTS_SRCDIR/../appliance"
mkdir "$scratch/data" "$scratch/cache"
cp "$data/modules.txt" "$data/lvm.conf" "$scratch/data/"
grep -v 'zerofree' "$data/contents.txt" > "$scratch/data/contents.txt"
grep -q zerofree "$data/contents.txt" || fail "contents.txt has no zerofree line"
truncate -s 64M "$scratch/disk.img"

cat > "$scratch/t.py" <<'EOF'
import errno
import sys

import drydock

disk, want = sys.argv[1], sys.argv[2] == "yes"
g = drydock.Drydock()
g.add_drive(disk, format="raw")
g.launch()
groups = g.available_all_groups()
assert "zerofree" in groups, groups
got = g.feature_available(["zerofree"])
assert got == want, "feature_available zerofree: %r" % got
if want:
    g.available(["zerofree"])
    sys.exit(0)
try:
    g.available(["zerofree"])
    sys.exit("available zerofree succeeded")
except drydock.Error as e:
    assert e.errno == errno.ENOTSUP, e.errno
    assert str(e) == "available: zerofree: not available in this appliance", e
for dev in ("/dev/sda", "/dev/nosuch"):
    try:
        g.zerofree(dev)
        sys.exit("zerofree %s succeeded" % dev)
    except drydock.Error as e:
        assert e.errno == errno.ENOTSUP, (dev, e.errno)
        assert str(e) == ("zerofree: not available in this appliance "
                          "(group zerofree: needs the zerofree program)"), e
# The other groups and the handle are as they were.
assert g.feature_available(["lvm2"]) is True
g.mkfs("ext4", "/dev/sda")
assert g.vfs_type("/dev/sda") == "ext4"
g.close()
EOF

python3 "$scratch/t.py" "$scratch/disk.img" yes ||
  fail "the full appliance does not have zerofree"
DRYDOCK_APPLIANCE_DATADIR="$scratch/data" DRYDOCK_CACHEDIR="$scratch/cache" \
  python3 "$scratch/t.py" "$scratch/disk.img" no ||
  fail "the appliance without zerofree"
