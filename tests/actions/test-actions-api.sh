#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Where the actions behave as their long-time users expect (issue 14, part
# 0), on real images through the appliance:
# - the volume groups of the drives are usable after launch without
#   vg-activate-all: -m /dev/VG/LV, list-filesystems listing LVs, and
#   /dev/mapper names; vg-activate-all false is not undone behind the
#   caller's back;
# - tar-in and tar-out keep extended attributes and ACLs with xattrs:true
#   and acls:true, and drop them without (the archives read on the host).
. "$(dirname "$0")/../functions.sh"
requires python3

mkdir -p "$GUESTS"
rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-inspect-guests.sh" "$GUESTS" \
  linux-multifs.img > "$scratch/build" 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 "$scratch/build")"
[ "$rc" -eq 0 ] || fail "cannot build the image: $(cat "$scratch/build")"
multifs="$GUESTS/linux-multifs.img"
keep_sums "$multifs"

# -m of a logical volume, in a launch that did nothing else.
out=$(drydock shell --ro --format raw -a "$multifs" -m /dev/fedora/root \
  cat /etc/hostname 2>&1) || fail "-m /dev/fedora/root: $out"
expect_eq "-m /dev/fedora/root" "multifs" "$out"

ro_shell "$multifs" <<'EOF2'
run
echo == list-filesystems
list-filesystems
echo == mapper
mount-ro /dev/mapper/fedora-var /
exists /lib/rpm/rpmdb.sqlite
umount-all
echo == deactivated
vg-activate-all false
-mount-ro /dev/fedora/root /
list-filesystems
EOF2
cat > "$scratch/expected" <<'EOF2'
== list-filesystems
/dev/sda1: ext4
/dev/sda3: ext4
/dev/sda4: swap
/dev/fedora/root: ext4
/dev/fedora/var: ext4
== mapper
true
== deactivated
/dev/sda1: ext4
/dev/sda3: ext4
/dev/sda4: swap
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "lazy activation"
grep -q "mount_ro: /dev/fedora/root: no such device" "$scratch/err" ||
  fail "mounting a deactivated LV: $(cat "$scratch/err")"
sums_unchanged

# tar-in / tar-out: an archive with a user xattr and an access ACL.
python3 - "$scratch/in.tar" <<'EOF2'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    data = b"attributes\n"
    i = tarfile.TarInfo("f")
    i.size = len(data)
    i.mode = 0o644
    i.pax_headers = {
        "SCHILY.xattr.user.drydock": "kept",
        "SCHILY.acl.access": "user::rw-,user:1000:r--,group::r--,mask::r--,other::r--",
    }
    t.addfile(i, io.BytesIO(data))
EOF2
disk="$scratch/disk.img"
truncate -s 64M "$disk"
drydock shell --format raw -a "$disk" > "$scratch/out" 2> "$scratch/err" <<EOF2 ||
run
part-disk /dev/sda mbr
mkfs ext4 /dev/sda1
mount /dev/sda1 /
mkdir /with
mkdir /without
tar-in $scratch/in.tar /with xattrs:true acls:true
tar-in $scratch/in.tar /without
tar-out /with $scratch/with.tar xattrs:true acls:true
tar-out /without $scratch/without.tar xattrs:true acls:true
tar-out /with $scratch/plain.tar
cat /with/f
EOF2
  fail "tar session: $(cat "$scratch/err")"
expect_eq "the file through tar-in" "attributes" "$(cat "$scratch/out")"
attrs ()
{
  python3 - "$1" <<'EOF2'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    f = t.getmember("./f")
    for k in sorted(f.pax_headers):
        if k.startswith("SCHILY.xattr.user.") or k == "SCHILY.acl.access":
            # tar writes an ACL's entries a line each.
            print("%s=%s" % (k, ",".join(f.pax_headers[k].split())))
EOF2
}
expect_eq "xattrs and ACL kept" \
  "SCHILY.acl.access=user::rw-,user:1000:r--,group::r--,mask::r--,other::r--
SCHILY.xattr.user.drydock=kept" "$(attrs "$scratch/with.tar")"
expect_eq "nothing restored without xattrs/acls" "" "$(attrs "$scratch/without.tar")"
expect_eq "nothing stored without xattrs/acls" "" "$(attrs "$scratch/plain.tar")"
