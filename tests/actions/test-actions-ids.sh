#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Identities, in two launches on blank scratch disks:
#  1. optional groups: available-all-groups lists them all, and
#     feature-available answers for each what the appliance was built
#     with (it is built from this host's files: a group whose programs
#     the host lacks must be false); available passes for the groups
#     every appliance has, an unknown group is an error for available
#     and feature-available alike;
#     labels and UUIDs on ext4, xfs, btrfs, vfat, ntfs and swap:
#     set-label then vfs-label, set-uuid then vfs-uuid, set-uuid-random
#     gives a new UUID of the type's form; an ext4 label set while
#     mounted; vfat and xfs labels cleared; the refusals (minix has no
#     tool: ENOTSUP; labels too long for ext4, xfs, vfat, swap; blanks
#     in an xfs label; a "-" first in an ntfs one; UUIDs of the wrong
#     form; xfs mounted);
#     LVM: pvuuid, vguuid, lvuuid read before and after pvchange-uuid,
#     vgchange-uuid and their _all forms (LVM refuses while an LV of
#     the VG is active; after the change the LVs activate again and
#     keep their own UUIDs);
#  2. selinux-relabel on a guest tree with /etc/selinux/config and a
#     file_contexts (and .local): the labels, read back from the image
#     the session committed with the host's debugfs (our own image,
#     built here), are those of the spec file; the guest's /dev is left
#     alone; a missing spec file names the one the guest's config points
#     to.  Skipped when the appliance has no setfiles (then
#     selinux-relabel must say so).
. "$(dirname "$0")/../functions.sh"
requires mkfs.btrfs btrfstune ntfslabel mkntfs debugfs

cd "$scratch"
truncate -s 64M e.img && truncate -s 320M x.img && truncate -s 160M b.img
truncate -s 32M f.img n.img s.img m.img p1.img p2.img

# What the host (so the appliance) has, group by group.
has () { for p in "$@"; do command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || return 1; done; }
yn () { if has "$@"; then echo true; else echo false; fi; }
lib () { if [ -e "/usr/lib/x86_64-linux-gnu/$1" ]; then echo true; else echo false; fi; }
groups="acl augeas blkdiscard blkdiscardzeroes btrfs bzip2 extlinux f2fs file fstrim inotify journal ldm libtsk libyara linuxcaps linuxmodules linuxxattrs luks lvm2 mdadm ntfs3g ntfsprogs rsync scrub selinuxrelabel sleuthkit squashfs syslinux xfs xz zerofree zstd"
declare -A want=(
  [augeas]=true [blkdiscard]=true [fstrim]=true [luks]=true [lvm2]=true
  [inotify]=true [journal]=$(lib libsystemd.so.0) [libyara]=$(lib libyara.so.9)
  [ldm]=$(yn ldmtool)
  [btrfs]=$(yn mkfs.btrfs btrfs btrfstune) [bzip2]=$(yn bzip2)
  [ntfs3g]=$(yn ntfs-3g mkntfs) [ntfsprogs]=$(yn ntfslabel)
  [selinuxrelabel]=$(yn setfiles) [xfs]=$(yn mkfs.xfs xfs_db)
  [xz]=$(yn xz) [zstd]=$(yn zstd) [mdadm]=$(yn mdadm) [zerofree]=$(yn zerofree)
  [acl]=true [linuxcaps]=true [linuxxattrs]=true [linuxmodules]=true
  [file]=$(yn file) [libtsk]=$(yn fls) [sleuthkit]=$(yn icat blkls)
  [rsync]=$(yn rsync) [blkdiscardzeroes]=true
  [extlinux]=$(yn extlinux) [syslinux]=$(yn syslinux mcopy mattrib) [f2fs]=$(yn mkfs.f2fs resize.f2fs)
  [scrub]=$(yn scrub) [squashfs]=$(yn mksquashfs)
)

{
  echo run
  echo "echo == groups"
  echo available-all-groups
  for g in $groups; do echo "feature-available $g"; done
  echo 'available "augeas lvm2 luks fstrim blkdiscard"'
  echo '-available "augeas nosuchgroup"'
  echo '-feature-available "xfs nosuchgroup"'
  cat <<'EOF2'
echo == mkfs
mkfs ext4 /dev/sda
mkfs xfs /dev/sdb
mkfs btrfs /dev/sdc
mkfs vfat /dev/sdd
mkfs ntfs /dev/sde
mkswap /dev/sdf
mkfs minix /dev/sdg
echo == labels
set-label /dev/sda ext4-label-16byt
set-label /dev/sdb xfs-lbl-12ch
set-label /dev/sdc "a btrfs label, with -x"
set-label /dev/sdd FAT-LABEL11
set-label /dev/sde "ntfs label é"
set-label /dev/sdf swap-label
vfs-label /dev/sda
vfs-label /dev/sdb
vfs-label /dev/sdc
vfs-label /dev/sdd
vfs-label /dev/sde
vfs-label /dev/sdf
-set-label /dev/sdg minix
-set-label /dev/sda ext4-label-17bytes
-set-label /dev/sdb xfs-label-13c
-set-label /dev/sdb "x y"
-set-label /dev/sdd FAT-LABEL-12
-set-label /dev/sde -x
-set-label /dev/sdf swap-label-17bytes
echo == uuids
set-uuid /dev/sda 0a1b2c3d-0001-4000-8000-000000000001
set-uuid /dev/sdb 0a1b2c3d-0002-4000-8000-000000000002
set-uuid /dev/sdc 0a1b2c3d-0003-4000-8000-000000000003
set-uuid /dev/sdd 1234-abcd
set-uuid /dev/sde 0123456789abcdef
set-uuid /dev/sdf 0a1b2c3d-0006-4000-8000-000000000006
vfs-uuid /dev/sda
vfs-uuid /dev/sdb
vfs-uuid /dev/sdc
vfs-uuid /dev/sdd
vfs-uuid /dev/sde
vfs-uuid /dev/sdf
-set-uuid /dev/sdg 0a1b2c3d-0007-4000-8000-000000000007
-set-uuid /dev/sda 0a1b2c3d-0001-4000-8000-00000000000
-set-uuid /dev/sdd 1234-abcd-ef
-set-uuid /dev/sde 0123456789abcdeg
-set-uuid-random /dev/sdg
echo == random
set-uuid-random /dev/sda
set-uuid-random /dev/sdb
set-uuid-random /dev/sdc
set-uuid-random /dev/sdd
set-uuid-random /dev/sde
set-uuid-random /dev/sdf
vfs-uuid /dev/sda
vfs-uuid /dev/sdb
vfs-uuid /dev/sdc
vfs-uuid /dev/sdd
vfs-uuid /dev/sde
vfs-uuid /dev/sdf
echo == mounted
mount /dev/sdb /
-set-label /dev/sdb other
-set-uuid-random /dev/sdb
umount /
mount /dev/sda /
set-label /dev/sda mounted-ext4
vfs-label /dev/sda
umount /
echo == cleared
set-label /dev/sdb ""
set-label /dev/sdd ""
vfs-label /dev/sdb
vfs-label /dev/sdd
vfs-label /dev/sde
echo == lvm
pvcreate /dev/sdh
pvcreate /dev/sdi
vgcreate vg0 /dev/sdh
vgcreate vg1 /dev/sdi
lvcreate lv0 vg0 8
pvuuid /dev/sdh
pvuuid /dev/sdi
vguuid vg0
vguuid vg1
lvuuid /dev/vg0/lv0
-pvchange-uuid /dev/sdh
-vgchange-uuid vg0
echo == one
pvchange-uuid /dev/sdi
vgchange-uuid vg1
pvuuid /dev/sdh
pvuuid /dev/sdi
vguuid vg0
vguuid vg1
echo == all
vg-activate-all false
pvchange-uuid-all
vgchange-uuid-all
pvuuid /dev/sdh
pvuuid /dev/sdi
vguuid vg0
vguuid vg1
vg-activate-all true
lvuuid /dev/vg0/lv0
lvs
pvs
vgs
-pvuuid /dev/sda
-vguuid nosuchvg
-vguuid "bad name"
EOF2
} > script

timeout 600 drydock shell --ro --format raw -a e.img -a x.img -a b.img \
  -a f.img -a n.img -a s.img -a m.img -a p1.img -a p2.img < script \
  > out 2> err || fail "drydock shell failed: $(cat err)"

# section NAME: the lines of out between "== NAME" and the next "==".
section () { sed -n "/^== $1\$/,/^==/p" out | sed '1d;/^==/d'; }

# 1. Groups.
ngroups=$(echo $groups | wc -w)
expect_eq "available-all-groups" "$(echo $groups | tr ' ' '\n')" \
  "$(sed -n '/^== groups$/,$p' out | sed -n "2,$((ngroups + 1))p")"
got=$(sed -n '/^== groups$/,/^== mkfs$/p' out |
  sed -n "$((ngroups + 2)),$((2 * ngroups + 1))p")
i=0
for g in $groups; do
  i=$((i + 1))
  expect_eq "feature-available $g" "${want[$g]}" "$(echo "$got" | sed -n "${i}p")"
done

# Labels and UUIDs.
expect_eq "labels" "ext4-label-16byt
xfs-lbl-12ch
a btrfs label, with -x
FAT-LABEL11
ntfs label é
swap-label" "$(section labels)"
expect_eq "uuids" "0a1b2c3d-0001-4000-8000-000000000001
0a1b2c3d-0002-4000-8000-000000000002
0a1b2c3d-0003-4000-8000-000000000003
1234-ABCD
0123456789ABCDEF
0a1b2c3d-0006-4000-8000-000000000006" "$(section uuids)"
section random > random
hex='[0-9a-f]'
std="$hex{8}-$hex{4}-4$hex{3}-[89ab]$hex{3}-$hex{12}"
for n in 1 2 3 6; do
  sed -n "${n}p" random | grep -Eqx "$std" ||
    fail "set-uuid-random: line $n is not a random UUID: $(sed -n "${n}p" random)"
done
sed -n 4p random | grep -Eqx '[0-9A-F]{4}-[0-9A-F]{4}' || fail "vfat random ID: $(cat random)"
sed -n 5p random | grep -Eqx '[0-9A-F]{16}' || fail "ntfs random serial: $(cat random)"
[ "$(section uuids | sort -u)" != "$(sort -u random)" ] && \
  [ -z "$(comm -12 <(section uuids | sort) <(sort random))" ] ||
  fail "set-uuid-random kept a UUID: $(cat random)"
expect_eq "label set while mounted (ext4)" "mounted-ext4" "$(section mounted)"
expect_eq "labels cleared (xfs, vfat), ntfs kept" "

ntfs label é" "$(section cleared)"

# LVM: each change gives a new UUID, the others stay.
section lvm > lvm1; section one > lvm2; section all > lvm3
l () { sed -n "$2p" "$1"; }
lvm_uuid='[0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}'
for n in 1 2 3 4 5; do
  l lvm1 "$n" | grep -Eqx "$lvm_uuid" || fail "not an LVM UUID: $(l lvm1 "$n")"
done
expect_eq "pvchange-uuid of a PV with an active LV changed nothing" "$(l lvm1 1)" "$(l lvm2 1)"
expect_eq "vgchange-uuid of a VG with an active LV changed nothing" "$(l lvm1 3)" "$(l lvm2 3)"
[ "$(l lvm2 2)" != "$(l lvm1 2)" ] || fail "pvchange-uuid /dev/sdi: same UUID"
[ "$(l lvm2 4)" != "$(l lvm1 4)" ] || fail "vgchange-uuid vg1: same UUID"
for n in 1 2 3 4; do
  [ "$(l lvm3 "$n")" != "$(l lvm2 "$n")" ] || fail "the _all forms: line $n unchanged"
done
expect_eq "after the _all forms" "$(l lvm1 5)
/dev/vg0/lv0
/dev/sdh
/dev/sdi
vg0
vg1" "$(sed -n '5,$p' lvm3)"

# The refusals, in order: exact for drydock's own, the start for the
# tools' (their wording varies by version).
cat > expected <<'EOF2'
drydock shell: available: nosuchgroup: unknown group (see available_all_groups)
drydock shell: feature_available: nosuchgroup: unknown group (see available_all_groups)
drydock shell: set_label: /dev/sdg: cannot set the label of a minix filesystem (ext2/3/4, xfs, btrfs, vfat, ntfs or swap)
drydock shell: set_label: /dev/sda: ext4 labels are limited to 16 bytes
drydock shell: set_label: /dev/sdb: xfs labels are limited to 12 bytes
drydock shell: set_label: /dev/sdb: an xfs label cannot contain blanks
drydock shell: set_label: /dev/sdd: vfat labels are limited to 11 bytes
drydock shell: set_label: /dev/sde: an ntfs label cannot start with "-"
drydock shell: set_label: /dev/sdf: swap labels are limited to 16 bytes
drydock shell: set_uuid: /dev/sdg: cannot set the UUID of a minix filesystem (ext2/3/4, xfs, btrfs, vfat, ntfs or swap)
drydock shell: set_uuid: /dev/sda: "0a1b2c3d-0001-4000-8000-00000000000" is not a UUID (8-4-4-4-12 hexadecimal digits)
drydock shell: set_uuid: /dev/sdd: "1234-abcd-ef" is not a vfat volume ID (XXXX-XXXX, 8 hexadecimal digits)
drydock shell: set_uuid: /dev/sde: "0123456789abcdeg" is not an ntfs serial number (16 hexadecimal digits)
drydock shell: set_uuid_random: /dev/sdg: cannot set the UUID of a minix filesystem (ext2/3/4, xfs, btrfs, vfat, ntfs or swap)
drydock shell: set_label: /dev/sdb: the xfs filesystem is mounted: unmount it first
drydock shell: set_uuid_random: /dev/sdb: the xfs filesystem is mounted: unmount it first
drydock shell: pvchange_uuid: /dev/sdh: lvm pvchange: 
drydock shell: vgchange_uuid: vg0: lvm vgchange: 
drydock shell: pvuuid: /dev/sda: lvm pvs: 
drydock shell: vguuid: nosuchvg: lvm vgs: 
drydock shell: vguuid: "bad name": invalid volume group name (use letters, digits and + _ . -, not starting with -)
EOF2
[ "$(wc -l < err)" -eq "$(wc -l < expected)" ] ||
  fail "expected $(wc -l < expected) error lines: $(cat err)"
paste -d '\n' expected err | while IFS= read -r want && IFS= read -r got; do
  case "$got" in
    "$want"*) ;;
    *) fail "error line: expected '$want...', got '$got'" ;;
  esac
done

# 2. SELinux relabelling, committed into g.img, read back with debugfs.
truncate -s 64M g.img
mkdir -p tree/etc/selinux/targeted/contexts/files tree/usr/bin tree/home/joe \
  tree/srv/www tree/dev
printf '# test\nSELINUX=enforcing\nSELINUXTYPE=targeted\n' > tree/etc/selinux/config
fc=tree/etc/selinux/targeted/contexts/files/file_contexts
printf '/.*\tsystem_u:object_r:default_t:s0\n/etc(/.*)?\tsystem_u:object_r:etc_t:s0\n/usr/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n/home/[^/]+(/.*)?\tunconfined_u:object_r:user_home_t:s0\n' > "$fc"
printf '/srv(/.*)?\tsystem_u:object_r:var_t:s0\n' > "$fc.local"
echo x > tree/usr/bin/ls
echo x > tree/home/joe/notes
echo x > tree/dev/f
ln -s / tree/root-link
tar -C tree -cf tree.tar .

if [ "${want[selinuxrelabel]}" = false ]; then
  drydock shell --ro --format raw -a g.img > out 2> err <<'EOF2' || true
run
mkfs ext4 /dev/sda
mount /dev/sda /
selinux-relabel /etc/selinux/targeted/contexts/files/file_contexts /
EOF2
  grep -q 'selinux_relabel: setfiles is not in this appliance' err ||
    fail "selinux-relabel without setfiles: $(cat err)"
  skip "no setfiles (policycoreutils) on this host: relabelling not tested"
fi

drydock shell --format raw -a g.img > out 2> err <<'EOF2' ||
run
mkfs ext4 /dev/sda
mount /dev/sda /
tar-in tree.tar /
-selinux-relabel /etc/selinux/mls/contexts/files/file_contexts /
-selinux-relabel etc/selinux/targeted/contexts/files/file_contexts /
-selinux-relabel /etc/selinux/targeted/contexts/files/file_contexts /nosuch
selinux-relabel /etc/selinux/targeted/contexts/files/file_contexts /
selinux-relabel /etc/selinux/targeted/contexts/files/file_contexts /usr force:true
EOF2
  fail "selinux session failed: $(cat err)"
cat > expected <<'EOF2'
drydock shell: selinux_relabel: /etc/selinux/mls/contexts/files/file_contexts: no such file in the guest (its /etc/selinux/config has SELINUXTYPE=targeted: /etc/selinux/targeted/contexts/files/file_contexts)
drydock shell: selinux_relabel: etc/selinux/targeted/contexts/files/file_contexts: the spec file must be an absolute path in the guest
drydock shell: selinux_relabel: /nosuch: No such file or directory
EOF2
diff -u expected err || fail "selinux-relabel errors"

label () { debugfs -R "ea_get $1 security.selinux" g.img 2>/dev/null | sed -n 's/^security.selinux ([0-9]*) = "\(.*\)\\000"$/\1/p'; }
for pair in /:default_t /etc/selinux/config:etc_t /usr/bin/ls:bin_t \
            /home/joe/notes:user_home_t /srv/www:var_t /root-link:default_t; do
  path=${pair%%:*} type=${pair#*:}
  got=$(label "$path")
  case "$got" in
    *":object_r:$type:s0") ;;
    *) fail "label of $path: expected type $type, got '$got'" ;;
  esac
done
expect_eq "label of /home/joe/notes" "unconfined_u:object_r:user_home_t:s0" \
  "$(label /home/joe/notes)"
expect_eq "the guest's /dev is not relabelled" "" "$(label /dev/f)"
expect_eq "the guest's /dev is not relabelled" "" "$(label /dev)"
