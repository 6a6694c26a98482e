#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Partitioning and making filesystems, in one launch, on two blank
# scratch disks (empty.img and a 448 MiB sparse file, as XFS needs 300
# MiB and btrfs 109 MiB): part-disk and part-init (gpt and msdos),
# part-add (primary, extended, logical) and its refusals, part-list,
# part-get-parttype, list-partitions; mkfs ext4 (label, blocksize), vfat
# (label), xfs (label), btrfs (label), mkswap (label, uuid) and mkfs's
# refusals; vfs-type/label/uuid and list-filesystems; mounting each,
# writing and reading a file, fstrim, sync, umount-all, then reading the
# files again from a fresh read-only mount.  The session commits into
# the scratch disks, and the host's sfdisk, blkid and debugfs then check
# that the tables, filesystems and files really are on them.
. "$(dirname "$0")/../functions.sh"

requires sfdisk blkid debugfs
export PATH="$PATH:/usr/sbin:/sbin"

d1=$(scratch_copy "$(guest empty.img)")
d2="$scratch/big.img"
truncate -s 448M "$d2"
uuid=12345678-9abc-def0-1234-56789abcdef0

# Sectors: sda (64 MiB = 131072) gets p1 1-16 MiB, extended 16-64 MiB
# holding l5 17-32 MiB and l6 33-64 MiB (each logical partition needs a
# gap for its EBR); sdb (GPT) gets p1 1-301 MiB and p2 up to the last
# usable sector (917470, before the 33-sector backup table).
drydock shell --format raw -a "$d1" -a "$d2" > "$scratch/out" 2> "$scratch/err" <<EOF2 ||
run
echo == part-disk gpt
part-disk /dev/sda gpt
part-get-parttype /dev/sda
part-list /dev/sda
echo == part-disk mbr
part-disk /dev/sda mbr
part-get-parttype /dev/sda
part-list /dev/sda
echo == part-init msdos
part-init /dev/sda msdos
part-get-parttype /dev/sda
part-list /dev/sda
-part-add /dev/sda l 2048 4095
part-add /dev/sda p 2048 32767
part-add /dev/sda e 32768 -1
-part-add /dev/sda e 32768 -1
-part-add /dev/sda l 2048 4095
-part-add /dev/sda p 40000 50000
part-add /dev/sda l 34816 65535
part-add /dev/sda logical 67584 -1
part-list /dev/sda
echo == part-init gpt
part-init /dev/sdb gpt
-part-add /dev/sdb l 2048 4095
part-add /dev/sdb p 2048 616447
part-add /dev/sdb primary 616448 -34
part-get-parttype /dev/sdb
part-list /dev/sdb
-part-add /dev/sdb p 616448 616500
-part-init /dev/sda sun
-part-add /dev/sda x 1 2
-part-add /dev/sda p 5000 4000
echo == blank
list-partitions
list-filesystems
echo == mkfs
-mkfs ext9 /dev/sda1
-mkfs btrfs /dev/sda1 blocksize:4096
-mkfs ext4 /dev/sda1 blocksize:1000
-mkfs vfat /dev/sda1 features:^has_journal
-mkfs xfs /dev/sda1
mkfs ext4 /dev/sda1 label:ext4lbl blocksize:1024
mkfs vfat /dev/sda5 label:VFATLBL
mkswap /dev/sda6 label:swaplbl uuid:$uuid
mkfs xfs /dev/sdb1 label:xfslbl
mkfs btrfs /dev/sdb2 label:btrfslbl
list-filesystems
vfs-type /dev/sda1
vfs-label /dev/sda1
vfs-type /dev/sda5
vfs-label /dev/sda5
vfs-type /dev/sda6
vfs-label /dev/sda6
vfs-uuid /dev/sda6
vfs-type /dev/sdb1
vfs-label /dev/sdb1
vfs-type /dev/sdb2
vfs-label /dev/sdb2
echo == uuids
vfs-uuid /dev/sda1
vfs-uuid /dev/sda5
vfs-uuid /dev/sda6
vfs-uuid /dev/sdb1
vfs-uuid /dev/sdb2
echo == mount
mount /dev/sda1 /
mkdir /vfat
mkdir /xfs
mkdir /btrfs
mkdir /swap
mount /dev/sda5 /vfat
mount /dev/sdb1 /xfs
mount /dev/sdb2 /btrfs
-mount /dev/sda6 /swap
write /hello.txt "hello ext4\n"
write /vfat/hello.txt "hello vfat\n"
write /xfs/hello.txt "hello xfs\n"
write /btrfs/hello.txt "hello btrfs\n"
cat /hello.txt
cat /vfat/hello.txt
cat /xfs/hello.txt
cat /btrfs/hello.txt
mountpoints
echo == stat
statns /hello.txt
echo == fstrim
fstrim /
fstrim /xfs
fstrim /xfs offset:0 length:1048576
-fstrim /xfs length:0
sync
umount-all
mounts
echo == again
mount-ro /dev/sda1 /
mount-ro /dev/sda5 /vfat
mount-ro /dev/sdb1 /xfs
mount-ro /dev/sdb2 /btrfs
cat /hello.txt
cat /vfat/hello.txt
cat /xfs/hello.txt
cat /btrfs/hello.txt
ls /
umount-all
EOF2
  fail "drydock shell failed: $(cat "$scratch/err")"

# One partition list entry, as the shell prints it.
part () {
  printf '[%s] = {\n  part_num: %s\n  part_start: %s\n  part_end: %s\n  part_size: %s\n}\n' \
    "$1" "$2" "$(($3 * 512))" "$(($4 * 512 + 511))" "$((($4 - $3 + 1) * 512))"
}

# st_blksize is the ext4 block size; the rest of stat depends on the
# kernel and the layout.
sed -n '/^== stat$/,/^== fstrim$/p' "$scratch/out" | grep -qx 'st_blksize: 1024' ||
  fail "mkfs blocksize:1024: ext4 block size is not 1024: $(cat "$scratch/out")"
sed -n '/^== uuids$/,/^== mount$/p' "$scratch/out" | sed '1d;$d' > "$scratch/uuids"
grep -v '^st_' "$scratch/out" | sed '/^== uuids$/,/^== mount$/{/^==/!d}' > "$scratch/got"
{
  echo "== part-disk gpt"
  echo gpt
  # From 1 MiB, whole MiB, within the last usable sector 131038.
  part 0 1 2048 129023
  echo "== part-disk mbr"
  echo msdos
  part 0 1 2048 131071
  echo "== part-init msdos"
  echo msdos
  part 0 1 2048 32767
  part 1 2 32768 131071
  part 2 5 34816 65535
  part 3 6 67584 131071
  echo "== part-init gpt"
  echo gpt
  part 0 1 2048 616447
  part 1 2 616448 917470
  echo "== blank"
  printf '/dev/sda%s\n' 1 2 5 6
  printf '/dev/sdb%s\n' 1 2
  # The extended partition holds no filesystem and is left out.
  printf '%s: unknown\n' /dev/sda1 /dev/sda5 /dev/sda6 /dev/sdb1 /dev/sdb2
  echo "== mkfs"
  cat <<EOF2
/dev/sda1: ext4
/dev/sda5: vfat
/dev/sda6: swap
/dev/sdb1: xfs
/dev/sdb2: btrfs
ext4
ext4lbl
vfat
VFATLBL
swap
swaplbl
$uuid
xfs
xfslbl
btrfs
btrfslbl
== uuids
== mount
hello ext4
hello vfat
hello xfs
hello btrfs
/dev/sda1: /
/dev/sda5: /vfat
/dev/sdb1: /xfs
/dev/sdb2: /btrfs
== stat
== fstrim
== again
hello ext4
hello vfat
hello xfs
hello btrfs
btrfs
hello.txt
lost+found
swap
vfat
xfs
EOF2
} > "$scratch/expected"
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected output"

# Every refusal, in order, one line each, naming what was wrong.
cat > "$scratch/expected-err" <<'EOF2'
drydock shell: part_add: /dev/sda: no extended partition to hold a logical one
drydock shell: part_add: /dev/sda: sector 32768 is inside the extended partition
drydock shell: part_add: /dev/sda: sector 2048 is outside the extended partition
drydock shell: part_add: /dev/sda: sector 40000 is inside the extended partition
drydock shell: part_add: /dev/sdb: logical and extended partitions exist only in msdos tables
drydock shell: part_add: /dev/sdb: sfdisk: Sector 616448 already used. (...)
drydock shell: part_init: sun: unknown partition table type (use "msdos" or "gpt")
drydock shell: part_add: x: unknown partition kind (use "p", "l" or "e")
drydock shell: part_add: /dev/sda: invalid sector range 5000-4000
drydock shell: mkfs: ext9: unsupported filesystem type (ext2, ext3, ext4, xfs, vfat, btrfs, ntfs, f2fs, minix or swap)
drydock shell: mkfs: btrfs: option blocksize cannot be set on this filesystem type
drydock shell: mkfs: block size 1000: must be a power of 2
drydock shell: mkfs: vfat: option features cannot be set on this filesystem type
drydock shell: mkfs: /dev/sda1: mkfs.xfs: (too small)
drydock shell: mount: /dev/sda6: swap is not a mountable filesystem
drydock shell: fstrim: /xfs: offset and minimum free extent must not be negative, length must be positive
EOF2
# sfdisk and mkfs.xfs word their messages differently from version to
# version (only the start is compared), and mkfs.xfs must not bury the
# reason under its usage text.
! grep -q 'Usage' "$scratch/err" || fail "usage text in an error: $(cat "$scratch/err")"
sed -Ei -e 's#^(drydock shell: mkfs: /dev/sda1: mkfs\.xfs: ).*(too small|larger than).*$#\1(too small)#' \
  -e 's#^(drydock shell: part_add: /dev/sdb: sfdisk: Sector 616448 already used\.).*#\1 (...)#' \
  "$scratch/err"
diff -u "$scratch/expected-err" "$scratch/err" || fail "unexpected errors"

# The host's view of the committed disks.
sfdisk --dump "$d1" | sed -n "s|^$d1||p" | tr -s ' ' > "$scratch/got"
cat > "$scratch/expected" <<'EOF2'
1 : start= 2048, size= 30720, type=83
2 : start= 32768, size= 98304, type=5
5 : start= 34816, size= 30720, type=83
6 : start= 67584, size= 63488, type=83
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "sfdisk --dump $d1"
sfdisk --dump "$d2" | sed -n "s|^$d2\([0-9]\) : start= *\([0-9]*\), size= *\([0-9]*\),.*|\1 \2 \3|p" > "$scratch/got"
printf '1 2048 614400\n2 616448 301023\n' | diff -u - "$scratch/got" || fail "sfdisk --dump $d2"

# probe IMG SECTOR: TYPE LABEL UUID of the filesystem at that sector.
probe ()
{
  local v t
  for t in TYPE LABEL UUID; do
    v=$(blkid -p -O $(($2 * 512)) -s "$t" -o value "$1" || true)
    printf '%s ' "${v:--}"
  done
  echo
}
{
  probe "$d1" 2048
  probe "$d1" 34816
  probe "$d1" 67584
  probe "$d2" 2048
  probe "$d2" 616448
} | sed 's/ $//' > "$scratch/got"
paste -d' ' - "$scratch/uuids" > "$scratch/expected" <<EOF2
ext4 ext4lbl
vfat VFATLBL
swap swaplbl
xfs xfslbl
btrfs btrfslbl
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "blkid of the committed disks"
expect_eq "ext4 file read by the host's debugfs" "hello ext4" \
  "$(debugfs -R 'cat /hello.txt' "$d1?offset=1048576" 2>/dev/null)"
