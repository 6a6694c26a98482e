#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The deprecated actions of the handle's configuration, which the
# table's launched handles cannot test: add_drive_with_if,
# add_drive_ro_with_if and add_cdrom add the drives, remove_drive drops a labelled drive before launch (the
# later ones move down) and refuses after it, set_qemu NULL gives back
# the default binary, wait_ready is a no-op once launched and
# kill_subprocess stops the appliance.  And the listings the table can
# only run: llz (ll with SELinux contexts), sfdisk_l, lstatlist.
. "$(dirname "$0")/../functions.sh"

python3 -c 'import drydock' 2>/dev/null || skip "the Python binding is not built"
for n in 0 1 2 3; do
  truncate -s $(( (n + 2) * 16 ))M "$scratch/d$n.img"
done

cat > "$scratch/t.py" <<'EOF'
import errno
import sys

import drydock


def fails(what, err, f, *args):
    try:
        f(*args)
    except drydock.Error as e:
        if e.errno != err:
            sys.exit("%s: got %r (errno %d), wanted errno %d"
                     % (what, str(e), e.errno, err))
        return str(e)
    sys.exit("%s: succeeded" % what)


d = sys.argv[1]
g = drydock.Drydock()
default_hv = g.get_hv()
g.set_qemu("/nonexistent/qemu")
assert g.get_qemu() == "/nonexistent/qemu", g.get_qemu()
g.set_qemu(None)
assert g.get_hv() == default_hv, (g.get_hv(), default_hv)

fails("wait_ready before launch", errno.EINVAL, g.wait_ready)
g.add_drive(d + "/d0.img", format="raw", label="gone")
g.add_drive_with_if(d + "/d1.img", "virtio")
g.add_drive_ro_with_if(d + "/d2.img", "ide")
g.add_cdrom(d + "/d3.img")
fails("add_drive_with_if of a bad iface", errno.EINVAL,
      g.add_drive_with_if, d + "/d1.img", "floppy")
fails("remove_drive of no such label", errno.ENOENT, g.remove_drive, "x")
g.remove_drive("gone")
g.launch()
g.wait_ready()
devs = g.list_devices()
assert devs == ["/dev/sda", "/dev/sdb", "/dev/sdc"], devs
# d1, d2, d3 (48, 64 and 80 MiB) moved down one place each.
sizes = [g.blockdev_getsize64(x) >> 20 for x in devs]
assert sizes == [48, 64, 80], sizes
msg = fails("remove_drive after launch", errno.ENOTSUP, g.remove_drive,
            "gone")
assert "before launch" in msg, msg

# What the table cannot compare whole: llz's contexts, sfdisk_l's
# listing, lstatlist's stats.
g.sfdisk("/dev/sda", 0, 0, 0, ["2048,,L"])
assert "/dev/sda1" in g.sfdisk_l("/dev/sda"), g.sfdisk_l("/dev/sda")
g.mkfs("ext4", "/dev/sda1")
g.mount("/dev/sda1", "/")
g.mkdir("/d")
g.write("/d/plain", b"12345")
g.write("/d/labelled", b"")
ctx = "system_u:object_r:etc_t:s0"
g.lsetxattr("security.selinux", ctx + "\0", len(ctx) + 1, "/d/labelled")
ll = g.ll("/d").splitlines()
llz = g.llz("/d").splitlines()
assert len(ll) == len(llz) == 5, (ll, llz)      # total . .. labelled plain
assert llz[0] == ll[0], llz
for a, b in zip(ll[1:], llz[1:]):
    fa, fb = a.split(), b.split()
    assert fb[:4] + fb[5:] == fa, (a, b)
    want = ctx if fa[-1] == "labelled" else "?"
    assert fb[4] == want, (b, want)
st = g.lstatlist("/d", ["plain", "missing", "labelled"])
assert [x.size for x in st] == [5, st[1].size, 0], st
assert st[0].ino > 0 and st[1].ino == -1, st
assert st[0].mode & 0o170000 == 0o100000, st
g.close()

g = drydock.Drydock()
g.add_drive_ro(d + "/d0.img")
g.launch()
g.kill_subprocess()
assert not g.is_ready()
fails("wait_ready after kill_subprocess", errno.EINVAL, g.wait_ready)
g.close()
EOF
python3 "$scratch/t.py" "$scratch" || fail "see above"
