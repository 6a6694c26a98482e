#!/bin/bash -
# drydock sysprep's device operations: on a copy of sysprep.img (two ext4
# roots, one swap partition) and a second disk holding an LVM physical
# volume, volume group vg0 and an ext4 logical volume (made here with
# drydock shell), --operations fs-uuids,lvm-uuids gives every
# filesystem (the two roots, mounted and unmounted again by then, the
# swap and the LV) a new UUID, and the PV and the VG new ones; the VG
# and its LV are still there, and the roots' files are untouched.  The
# default operations (lvm-uuids among them, fs-uuids not) change the PV
# and VG UUIDs but not the filesystems'.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64
cd "$scratch"
img=$(scratch_copy "$(guest sysprep.img)")
truncate -s 64M lvm.img
drydock shell --format raw -a lvm.img > mk.out 2> mk.err <<'END' ||
run
pvcreate /dev/sda
vgcreate vg0 /dev/sda
lvcreate lv0 vg0 16
mkfs ext4 /dev/vg0/lv0
END
  fail "making the LVM disk: $(cat mk.err)"

# ids: the UUIDs, one a line: sda1, sda2, sda3, the LV, the PV, the VG;
# then the LVs and a root's hostname.
ids ()
{
  drydock shell --ro --format raw -a "$img" -a lvm.img > ids.out 2> ids.err <<'END' ||
run
vg_activate_all true
vfs_uuid /dev/sda1
vfs_uuid /dev/sda2
vfs_uuid /dev/sda3
vfs_uuid /dev/vg0/lv0
pvuuid /dev/sdb
vguuid vg0
lvs
mount_ro /dev/sda2 /
cat /etc/hostname
END
    fail "reading the UUIDs: $(cat ids.err)"
  cat ids.out
}

before=$(ids)
expect_eq "the roots' and swap's UUIDs" "5e5e0001-0000-4000-8000-000000000001
5e5e0002-0000-4000-8000-000000000002
5e5e0003-0000-4000-8000-000000000003" "$(echo "$before" | head -n 3)"

drydock sysprep -q --format raw -a "$img" -a lvm.img \
  --operations fs-uuids,lvm-uuids > run.out 2> run.err ||
  fail "sysprep failed: $(cat run.err)"
[ ! -s run.err ] || fail "unexpected messages: $(cat run.err)"
after=$(ids)
for i in 1 2 3 4 5 6; do
  b=$(echo "$before" | sed -n "${i}p")
  a=$(echo "$after" | sed -n "${i}p")
  [ -n "$a" ] && [ "$a" != "$b" ] || fail "UUID $i did not change: '$b' '$a'"
done
expect_eq "the LV and a root's files" "/dev/vg0/lv0
sysprep-debian" "$(echo "$after" | tail -n 2)"

# The defaults: lvm-uuids changes the PV and VG UUIDs again, fs-uuids
# is not among them.
drydock sysprep -q --format raw -a "$img" -a lvm.img > run.out 2> run.err ||
  fail "sysprep (defaults) failed: $(cat run.err)"
[ ! -s run.err ] || fail "unexpected messages: $(cat run.err)"
again=$(ids)
expect_eq "filesystem UUIDs kept by the defaults" \
  "$(echo "$after" | head -n 4)" "$(echo "$again" | head -n 4)"
for i in 5 6; do
  [ "$(echo "$again" | sed -n "${i}p")" != "$(echo "$after" | sed -n "${i}p")" ] ||
    fail "the defaults did not change LVM UUID $i"
done
exit 0
