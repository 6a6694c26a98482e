#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The LUKS actions from the shell, on a raw scratch disk: luks-format
# (LUKS2 and LUKS1, and its refusals: a key slot out of range, an
# unknown type), cryptsetup-open (a wrong passphrase is EACCES's message
# naming the device; a bad or taken map name; read-only: mkfs fails on
# it), the opened volume as a device (mkfs, list-filesystems, vfs-type,
# mount), cryptsetup-close (and its refusal of a non-mapper device).
# Traced (-x), the passphrases show as *** and nowhere else; the host's
# blkid finds both LUKS headers.
. "$(dirname "$0")/../functions.sh"

requires blkid sfdisk
cd "$scratch"
truncate -s 96M disk.img
sfdisk -q disk.img <<'EOF2'
label: dos
start=2048, size=98304, type=83
start=100352, type=83
EOF2

drydock shell -x --format raw -a disk.img > out 2> err <<'EOF2' ||
run
-luks-format /dev/sda1 pass-one 8 type:luks1
-luks-format /dev/sda1 pass-one 0 type:luks9
luks-format /dev/sda1 pass-one 5
luks-format /dev/sda2 pass-two 0 type:luks1
-cryptsetup-open /dev/sda1 pass-two c1
-cryptsetup-open /dev/sda1 pass-one ../c1
cryptsetup-open /dev/sda1 pass-one c1 readonly:true
-mkfs ext4 /dev/mapper/c1
cryptsetup-close /dev/mapper/c1
cryptsetup-open /dev/sda1 pass-one c1 allow_discards:true
-cryptsetup-open /dev/sda1 pass-one c1
mkfs ext4 /dev/mapper/c1
cryptsetup-open /dev/sda2 pass-two c2
list-filesystems
vfs-type /dev/mapper/c1
mount /dev/mapper/c1 /
write /f hello
cat /f
umount-all
-cryptsetup-close /dev/sda1
cryptsetup-close /dev/mapper/c1
cryptsetup-close /dev/mapper/c2
list-filesystems
EOF2
  fail "drydock shell failed: $(cat err)"

cat > expected <<'EOF2'
/dev/sda1: crypto_LUKS
/dev/sda2: crypto_LUKS
/dev/mapper/c1: ext4
/dev/mapper/c2: unknown
ext4
hello
/dev/sda1: crypto_LUKS
/dev/sda2: crypto_LUKS
EOF2
diff -u expected out || fail "unexpected output"
grep -v '^libdrydock: trace: ' err | sed -E 's/^(drydock shell: mkfs: \/dev\/mapper\/c1: mke2fs:).*/\1 .../' > errors
cat > expected <<'EOF2'
drydock shell: luks_format: key slot 8: out of range (0 to 7 for luks1)
drydock shell: luks_format: luks9: unknown LUKS type (luks1 or luks2)
drydock shell: cryptsetup_open: /dev/sda1: wrong passphrase (it opens no key slot)
drydock shell: cryptsetup_open: '../c1': not a valid map name (letters, digits and -_+. only)
drydock shell: mkfs: /dev/mapper/c1: mke2fs: ...
drydock shell: cryptsetup_open: /dev/mapper/c1: already exists
drydock shell: cryptsetup_close: /dev/sda1: not an opened encrypted volume (/dev/mapper/NAME)
EOF2
diff -u expected errors || fail "unexpected errors"
grep -q 'trace: cryptsetup_open "/dev/sda1" "\*\*\*" "c1" allow_discards:true$' err ||
  fail "cryptsetup_open not traced with the key hidden"
grep -q 'trace: luks_format "/dev/sda2" "\*\*\*" 0 type:"luks1"$' err ||
  fail "luks_format not traced with the key hidden"
if grep -e pass-one -e pass-two err; then
  fail "a passphrase shows in the trace"
fi
expect_eq "LUKS version of partition 1" 2 \
  "$(blkid -p -O $((2048 * 512)) -s VERSION -o value disk.img)"
expect_eq "LUKS version of partition 2" 1 \
  "$(blkid -p -O $((100352 * 512)) -s VERSION -o value disk.img)"
