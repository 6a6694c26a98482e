#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The discard policy: a --ro session that writes files, removes trees and
# makes new filesystems, on a raw and a qcow2 image at once, sees its own
# writes while it runs, yet leaves both sources byte-identical (same
# sha256, same mtime) and no temporary files behind.
. "$(dirname "$0")/../functions.sh"

raw=$(guest debian.img)
qcow2=$(guest debian.qcow2)
raw_sha=$(sha "$raw"); qcow2_sha=$(sha "$qcow2")
raw_mtime=$(stat -c %Y "$raw"); qcow2_mtime=$(stat -c %Y "$qcow2")
mkdir "$scratch/tmp"

# sda is the raw image, sdb the qcow2 one.  Each is first changed
# inside the filesystem, then reformatted as a whole.
TMPDIR="$scratch/tmp" drydock shell --ro --format raw -a "$raw" \
  --format qcow2 -a "$qcow2" > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
run
mount /dev/sda1 /
write /etc/hostname changed-raw
cat /etc/hostname
rm-rf /usr
exists /usr/bin/ls
umount /
mount /dev/sdb1 /
write /etc/hostname changed-qcow2
cat /etc/hostname
rm-rf /etc/apt
exists /etc/apt
umount /
mkfs ext2 /dev/sda1
vfs-type /dev/sda1
mkfs vfat /dev/sdb1
vfs-type /dev/sdb1
EOF2
  fail "session failed: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
changed-raw
false
changed-qcow2
false
ext2
vfat
EOF2
diff -u "$scratch/expected" "$scratch/out" ||
  fail "the session did not see its own writes"

expect_eq "raw source sha256" "$raw_sha" "$(sha "$raw")"
expect_eq "qcow2 source sha256" "$qcow2_sha" "$(sha "$qcow2")"
expect_eq "raw source mtime" "$raw_mtime" "$(stat -c %Y "$raw")"
expect_eq "qcow2 source mtime" "$qcow2_mtime" "$(stat -c %Y "$qcow2")"
expect_eq "temporary files left" "" "$(ls -A "$scratch/tmp")"
