#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# NTFS through ntfs-3g in the appliance, on a scratch disk.  Session 1
# (committed: no --ro): mkfs ntfs with a label, mount, write and read
# files (one with a non-ASCII name, one uploaded), umount, mount-ro and
# read back, and umount-all before the shutdown (ntfs-3g must have
# flushed when the appliance powers off).  Session 2 (--ro) reads what
# session 1 committed and mounts it through inspection's private
# read-only mount as well (list_filesystems / vfs_type).  A failed
# ntfs-3g mount says why.
. "$(dirname "$0")/../functions.sh"

requires ntfs-3g mkntfs
img=$scratch/ntfs.img
truncate -s 64M "$img"
head -c 300000 /dev/urandom > "$scratch/blob"

drydock shell --format raw -a "$img" > "$scratch/out" 2> "$scratch/err" <<EOF2 || fail "session 1 failed: $(cat "$scratch/err")"
run
mkfs ntfs /dev/sda label:DRYDATA
vfs-type /dev/sda
vfs-label /dev/sda
mount /dev/sda /
mounts
mkdir-p /Windows/System32
write /Windows/System32/hello.txt "hello ntfs"
write "/Zürich ✓.txt" "grüße"
upload $scratch/blob /blob.bin
ls /
cat /Windows/System32/hello.txt
cat "/Zürich ✓.txt"
filesize /blob.bin
umount /
mounts
mount-ro /dev/sda /
cat "/Zürich ✓.txt"
download /blob.bin $scratch/blob.back
umount-all
mount /dev/sda /
write /last.txt "written just before the shutdown"
EOF2
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
ntfs
DRYDATA
/dev/sda
Windows
Zürich ✓.txt
blob.bin
hello ntfs
grüße
300000
grüße
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "session 1 output differs"
cmp "$scratch/blob" "$scratch/blob.back" || fail "downloaded blob differs"

drydock shell --ro --format raw -a "$img" > "$scratch/out" 2> "$scratch/err" <<'EOF2' || fail "session 2 failed: $(cat "$scratch/err")"
run
list-filesystems
mount-ro /dev/sda /
ls /
cat "/Zürich ✓.txt"
cat /Windows/System32/hello.txt
cat /last.txt
filesize /blob.bin
EOF2
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
/dev/sda: ntfs
Windows
Zürich ✓.txt
blob.bin
last.txt
grüße
hello ntfs
written just before the shutdown
300000
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "session 2 output differs"

# Mounting something that is not NTFS as ntfs passes on ntfs-3g's reason.
expect_fail "ntfs mount of an ext4 volume" "type ntfs\): ntfs-3g: NTFS signature is missing" \
  drydock shell --ro --format raw -a "$img" \
  run : mkfs ext4 /dev/sda : mount-vfs "" ntfs /dev/sda /
exit 0
