#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# LVM in one launch, on two blank scratch disks (a partition of one, the
# whole of the other): pvcreate, pvs, vgcreate, vgs, lvcreate,
# lvcreate-free (sizes to the extent), lvs, mkfs and mkswap on LVs and
# list-filesystems showing them, mounting LVs and writing and reading
# files, vg-activate-all false (refused while an LV is mounted; then
# the LVs are still listed by lvs but have no device, so
# list-filesystems leaves them out and mount fails) and true (the files
# are still there), and the refusals: invalid VG and LV names, no PVs,
# a missing device, an unknown VG, a full VG, bad sizes, a duplicate
# LV, a new partition table on a disk holding an active PV.
. "$(dirname "$0")/../functions.sh"

d1=$(scratch_copy "$(guest empty.img)")
d2="$scratch/pv2.img"
truncate -s 64M "$d2"

# Extents are 4 MiB and each PV loses its first MiB to metadata:
# sda1 (63 MiB) and sdb (64 MiB) give 15 extents each.  lv1 takes 8,
# lv2 half of the 22 left, lv3 the other 11.
drydock shell --ro --format raw -a "$d1" -a "$d2" > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
run
echo == none
lvs
echo == create
part-disk /dev/sda mbr
pvcreate /dev/sda1
pvcreate /dev/sdb
pvs
-vgcreate bad/name "/dev/sda1 /dev/sdb"
-vgcreate -vg /dev/sda1
-vgcreate vgx ""
-vgcreate vgx "/dev/sdc"
vgcreate vg0 "/dev/sda1 /dev/sdb"
vgs
lvcreate lv1 vg0 32
lvcreate-free lv2 vg0 50
lvcreate-free lv3 vg0 100
-lvcreate lv4 vg0 4
-lvcreate lv4 nosuchvg 4
-lvcreate "lv 4" vg0 4
-lvcreate lv4 "vg/0" 4
-lvcreate lv4 vg0 0
-lvcreate-free lv4 vg0 0
-lvcreate-free lv4 vg0 101
-lvcreate lv1 vg0 4
lvs
blockdev-getsize64 /dev/vg0/lv1
blockdev-getsize64 /dev/vg0/lv2
blockdev-getsize64 /dev/vg0/lv3
list-partitions
echo == mkfs
mkfs ext4 /dev/vg0/lv1 label:onlvm
mkfs ext2 /dev/vg0/lv2
mkswap /dev/vg0/lv3
list-filesystems
vfs-type /dev/vg0/lv1
vfs-label /dev/vg0/lv1
echo == mount
mount /dev/vg0/lv1 /
mkdir /two
mount /dev/vg0/lv2 /two
write /hello "hello lvm\n"
write /two/hello "hello ext2 on lvm\n"
cat /hello
cat /two/hello
mounts
-vg-activate-all false
-part-init /dev/sda gpt
umount-all
echo == inactive
vg-activate-all false
lvs
list-filesystems
-mount /dev/vg0/lv1 /
echo == active
vg-activate-all true
mount-ro /dev/vg0/lv1 /
mount-ro /dev/vg0/lv2 /two
cat /hello
cat /two/hello
EOF2
  fail "drydock shell failed: $(cat "$scratch/err")"

cat > "$scratch/expected" <<'EOF2'
== none
== create
/dev/sda1
/dev/sdb
vg0
/dev/vg0/lv1
/dev/vg0/lv2
/dev/vg0/lv3
33554432
46137344
46137344
/dev/sda1
== mkfs
/dev/vg0/lv1: ext4
/dev/vg0/lv2: ext2
/dev/vg0/lv3: swap
ext4
onlvm
== mount
hello lvm
hello ext2 on lvm
/dev/vg0/lv1
/dev/vg0/lv2
== inactive
/dev/vg0/lv1
/dev/vg0/lv2
/dev/vg0/lv3
== active
hello lvm
hello ext2 on lvm
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "unexpected output"

# The refusals, in order.  Those drydock checks itself are exact; for
# those lvm reports, only the start (lvm's wording varies by version).
cat > "$scratch/expected" <<'EOF2'
drydock shell: vgcreate: "bad/name": invalid volume group name (use letters, digits and + _ . -, not starting with -)
drydock shell: vgcreate: "-vg": invalid volume group name (use letters, digits and + _ . -, not starting with -)
drydock shell: vgcreate: vgx: no physical volumes given
drydock shell: vgcreate: /dev/sdc: no such device
drydock shell: lvcreate: vg0/lv4: lvm lvcreate: Volume group "vg0" has insufficient free space
drydock shell: lvcreate: nosuchvg/lv4: lvm lvcreate: Volume group "nosuchvg" not found
drydock shell: lvcreate: "lv 4": invalid logical volume name (use letters, digits and + _ . -, not starting with -)
drydock shell: lvcreate: "vg/0": invalid volume group name (use letters, digits and + _ . -, not starting with -)
drydock shell: lvcreate: vg0/lv4: size 0 MB: must be positive
drydock shell: lvcreate_free: vg0/lv4: 0%: the percentage must be 1 to 100
drydock shell: lvcreate_free: vg0/lv4: 101%: the percentage must be 1 to 100
drydock shell: lvcreate: vg0/lv1: lvm lvcreate: Logical Volume "lv1" already exists in volume group "vg0"
drydock shell: vg_activate_all: volume groups: lvm vgchange: Logical volume vg0/lv1 contains a filesystem in use.
drydock shell: part_init: /dev/sda: the disk is in use (a filesystem on it is mounted, or a volume group is active)
drydock shell: mount: /dev/vg0/lv1: no such device
EOF2
[ "$(wc -l < "$scratch/err")" -eq "$(wc -l < "$scratch/expected")" ] ||
  fail "expected $(wc -l < "$scratch/expected") error lines: $(cat "$scratch/err")"
paste -d '\n' "$scratch/expected" "$scratch/err" | while IFS= read -r want && IFS= read -r got; do
  case "$got" in
    "$want"*) ;;
    *) fail "error line: expected '$want...', got '$got'" ;;
  esac
done
