#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The actions drydock sparsify is made of, from the shell, on a raw
# scratch disk (ext4, swap, LVM over random bytes): statvfs, vg-free,
# zero-free-space (the fallback for filesystems that cannot trim: a
# deleted file's blocks are freed in the image), swap-discard (UUID and
# label kept; refused on a non-swap device), blkdiscard (ranges, and
# its refusals: unaligned, past the end, a mounted device), zero-device,
# lvremove.  The host then checks the image shrank where the guest
# freed space (nothing is trimmed: the ext4 space comes back through
# zero-free-space alone) and the swap header is intact.  fstrim-free:
# see test-sparsify-inplace.sh.
. "$(dirname "$0")/../functions.sh"

requires blkid sfdisk qemu-img
export PATH="$PATH:/usr/sbin:/sbin"
MiB=$((1024 * 1024))

cd "$scratch"
uuid=0f0f0f0f-1111-2222-3333-444444444444
truncate -s 256M disk.img
sfdisk -q disk.img <<'EOF2'
label: dos
start=2048, size=131072, type=83
start=133120, size=65536, type=82
start=198656, type=8e
EOF2
# Random bytes where swap and the LV go (the LV takes the first extents
# of its PV, after the 1 MiB metadata area).
head -c 32M /dev/urandom | dd of=disk.img bs=1M seek=65 conv=notrunc status=none
head -c 32M /dev/urandom | dd of=disk.img bs=1M seek=98 conv=notrunc status=none
head -c 24M /dev/urandom > big

drydock shell --format raw -a disk.img > out 2> err <<EOF2 ||
run
mkfs ext4 /dev/sda1
mkswap /dev/sda2 label:sw uuid:$uuid
pvcreate /dev/sda3
vgcreate vg /dev/sda3
lvcreate lv vg 32
vg-free vg
-vg-free nosuchvg
mount /dev/sda1 /
upload big /big
sync
rm /big
zero-free-space /
-zero-free-space /nonexistent
-blkdiscard /dev/sda1
umount-all
-swap-discard /dev/sda1
swap-discard /dev/sda2
vfs-uuid /dev/sda2
vfs-label /dev/sda2
-blkdiscard /dev/vg/lv offset:5
-blkdiscard /dev/vg/lv offset:512 length:999999999488
blkdiscard /dev/vg/lv offset:1048576 length:1048576
zero-device /dev/vg/lv
lvremove /dev/vg/lv
lvs
vg-free vg
EOF2
  fail "drydock shell failed: $(cat err)"

# 158 MiB of PV after its metadata hold 39 extents of 4 MiB; the LV took 8.
cat > expected <<EOF2
$((31 * 4 * MiB))
$uuid
sw
$((39 * 4 * MiB))
EOF2
diff -u expected out || fail "unexpected output"
cat > expected <<'EOF2'
drydock shell: vg_free: nosuchvg: lvm vgs: Volume group "nosuchvg" not found (...)
drydock shell: zero_free_space: /nonexistent: No such file or directory
drydock shell: blkdiscard: /dev/sda1: device is in use (mounted, an active swap area or an LVM physical volume?)
drydock shell: swap_discard: /dev/sda1: not a swap area (no swap signature)
drydock shell: blkdiscard: /dev/vg/lv: offset and length must be multiples of 512 (length positive)
drydock shell: blkdiscard: /dev/vg/lv: 999999999488 bytes from 512 go past the end (33554432 bytes)
EOF2
sed -Ei 's/^(drydock shell: vg_free: nosuchvg: lvm vgs: Volume group "nosuchvg" not found).*/\1 (...)/' err
diff -u expected err || fail "unexpected errors"

# What is left allocated: ext4's metadata (journal, tables), the swap
# header and LVM's metadata; the 24 MiB file, 32 MiB of swap and 32 MiB
# of LV are gone.
alloc=$(($(stat -c %b disk.img) * 512))
[ "$alloc" -lt $((12 * MiB)) ] ||
  fail "$((alloc / MiB)) MiB still allocated: $(qemu-img map disk.img)"
expect_eq "swap UUID" "$uuid" "$(blkid -p -O $((133120 * 512)) -s UUID -o value disk.img)"
expect_eq "swap label" "sw" "$(blkid -p -O $((133120 * 512)) -s LABEL -o value disk.img)"
