#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# ISO 9660 images made by xorriso on the host (the table tests use a
# volume descriptor written by hand):
#  1. isoinfo_device on the ISO added as a drive gives what xorriso
#     says of its primary volume descriptor (volume and publisher ids,
#     size in blocks, block size, creation date);
#  2. isoinfo on the same image uploaded into a guest filesystem gives
#     the same;
#  3. mount_loop mounts that image file, read-only, and its files read
#     back; after umount the loop device is gone (the file is mounted
#     again).
. "$(dirname "$0")/../functions.sh"
requires xorriso

cd "$scratch"
mkdir -p tree/dir
echo "hello from the iso" > tree/dir/file.txt
xorriso -as mkisofs -quiet -V DRYTEST -publisher "PUB LISHER" \
  -o test.iso tree 2>/dev/null || fail "xorriso could not make the ISO"
pvd () { xorriso -indev test.iso -pvd_info 2>/dev/null |
           sed -n "s/^$1 *: //p"; }
blocks=$(($(stat -c %s test.iso) / 2048))
created=$(pvd "Creation Time")
created_t=$(date -u -d "${created:0:8} ${created:8:2}:${created:10:2}:${created:12:2}" +%s)
truncate -s 64M disk.img

drydock shell --format raw -a test.iso -a disk.img run : \
  isoinfo-device /dev/sda : \
  part-disk /dev/sdb mbr : mkfs ext4 /dev/sdb1 : mount /dev/sdb1 / : \
  upload test.iso /test.iso : isoinfo /test.iso : \
  mkdir /mnt : mount-loop /test.iso /mnt : cat /mnt/dir/file.txt : \
  umount /mnt : mount-loop /test.iso /mnt : ls /mnt > out 2> err ||
  fail "the ISO calls failed: $(tail -3 err)"
field () { sed -n "$1"p out | grep "^$2: " | sed "s/^$2: //"; }
# 1, 2: both structs, one after the other.
n=$(grep -c '^iso_system_id: ' out)
expect_eq "two isoinfo structs" 2 "$n"
for f in iso_volume_id iso_publisher_id iso_volume_space_size \
         iso_logical_block_size iso_volume_creation_t; do
  expect_eq "$f of isoinfo_device and isoinfo" 1 \
    "$(grep "^$f: " out | sort -u | wc -l)"
done
expect_eq "volume id" "iso_volume_id: DRYTEST" \
  "$(grep -m1 '^iso_volume_id: ' out)"
expect_eq "publisher" "iso_publisher_id: PUB LISHER" \
  "$(grep -m1 '^iso_publisher_id: ' out)"
expect_eq "size in blocks" "iso_volume_space_size: $blocks" \
  "$(grep -m1 '^iso_volume_space_size: ' out)"
expect_eq "block size" "iso_logical_block_size: 2048" \
  "$(grep -m1 '^iso_logical_block_size: ' out)"
expect_eq "creation date" "iso_volume_creation_t: $created_t" \
  "$(grep -m1 '^iso_volume_creation_t: ' out)"
expect_eq "no expiration date" "iso_volume_expiration_t: -1" \
  "$(grep -m1 '^iso_volume_expiration_t: ' out)"
# 3.
expect_eq "mount_loop" "hello from the iso
dir" "$(grep -v '^iso_' out)"
exit 0
