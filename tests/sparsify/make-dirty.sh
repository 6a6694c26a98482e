#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# make-dirty.sh KIND OUTDIR: build a dirty test image for the sparsify
# tests, in OUTDIR, with the project's own shell (mkfs, upload, rm) and
# host tools (sfdisk, dd).  Dirty: files written then deleted, swap and
# LVM free extents full of random bytes.  Beside the image, OUTDIR/KIND.facts
# (sourced by the tests) records what a sparsify must find:
#   deleted=BYTES        garbage the guest no longer uses
#   keep="PATH=SHA ..."  files that must survive (guest path, sha256)
#   parts="N:TYPE:START:SIZE ..."  partitions (bytes)
#   format=raw|qcow2
#   mounts="DEV:MOUNTPOINT ..."  in mount order
# and for swap: swap_uuid, swap_label; for LVM: lv_start, lv_size (bytes
# in the image of the LV, which occupies the first extents of its PV);
# for encrypted volumes: opens="DEV:PASSPHRASE:MAPNAME ..." (what opens
# them, before the mounts), keyfile (a file holding the second one).
#
# KINDs:
#   mixed.img     raw 256 MiB, MBR: ext4, vfat, swap, LVM (LV data: ext4
#                 40 MiB; 56 MiB of free extents)
#   xb.qcow2      qcow2 448 MiB, GPT: xfs (300 MiB), btrfs (the rest)
#   backed.qcow2  qcow2 over base.img (raw 96 MiB, ext4 on sda1): the
#                 base holds the kept file, the overlay the deleted one
#   luks.img      raw 160 MiB, MBR: ext4 (32 MiB), LUKS2 (64 MiB) holding
#                 ext4, LUKS1 (the rest) holding LVM (LV data: ext4
#                 40 MiB); keys in the facts (and in luks.img.key)
#   minix.img     raw 64 MiB, MBR: minix, which has no FITRIM (sparsify
#                 zero-fills it)
#
# The deleted files are synced first: a file deleted while still in the
# page cache never reaches the disk.  Sizes are small so that each test stays within ~30 s under TCG.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

kind=$1
out=$2
MiB=$((1024 * 1024))
big=24                  # MiB, each deleted file
swap_uuid=5a5a5a5a-1111-2222-3333-444444444444
swap_label=dryswap
luks_key1=dock-key-one
luks_key2=dock-key-two

rand () { head -c "$1" /dev/urandom; }
# keep_file NAME BYTES: a random file to upload; appends to $keep.
keep=""
keep_file ()
{
  rand "$2" > "$out/$kind.$1"
  keep="$keep $3=$(sha256sum < "$out/$kind.$1" | cut -d' ' -f1)"
}

ds () { drydock shell "$@"; }

mixed ()
{
  local img="$out/$kind"
  rm -f "$img"
  truncate -s 256M "$img"
  sfdisk -q "$img" <<'EOF'
label: dos
start=2048, size=131072, type=83
start=133120, size=98304, type=c
start=231424, size=65536, type=82
start=296960, size=204800, type=8e
EOF
  # Garbage where swap and the volume group will be: mkswap and pvcreate
  # keep it, mkfs.ext4 on the LV discards its own extents.
  rand $((32 * MiB)) | dd of="$img" bs=1M seek=$((231424 / 2048)) conv=notrunc status=none
  rand $((100 * MiB)) | dd of="$img" bs=1M seek=$((296960 / 2048)) conv=notrunc status=none
  rand $((big * MiB)) > "$out/$kind.big"
  keep_file k1 $((3 * MiB)) /keep1
  keep_file k2 $((2 * MiB)) /vfat/keep2
  keep_file k3 $((2 * MiB)) /lv/keep3
  ds --format raw -a "$img" >/dev/null <<EOF
run
mkfs ext4 /dev/sda1
mkfs vfat /dev/sda2 label:DRYVFAT
mkswap /dev/sda3 label:$swap_label uuid:$swap_uuid
pvcreate /dev/sda4
vgcreate vg /dev/sda4
lvcreate data vg 40
mkfs ext4 /dev/vg/data
mount /dev/sda1 /
mkdir /vfat
mkdir /lv
mount /dev/sda2 /vfat
mount /dev/vg/data /lv
upload $out/$kind.k1 /keep1
upload $out/$kind.k2 /vfat/keep2
upload $out/$kind.k3 /lv/keep3
upload $out/$kind.big /big
upload $out/$kind.big /vfat/big
upload $out/$kind.big /lv/big
sync
rm /big
rm /vfat/big
rm /lv/big
EOF
  # 3 files, the swap area but its header page, and 14 free 4 MiB extents
  # (99 MiB of PV after its 1 MiB metadata area hold 24; the LV has 10).
  cat > "$img.facts" <<EOF
format=raw
deleted=$((3 * big * MiB + 32 * MiB - 4096 + 56 * MiB))
keep="$keep"
parts="1:ext4:$((2048 * 512)):$((131072 * 512)) 2:vfat:$((133120 * 512)):$((98304 * 512)) 3:swap:$((231424 * 512)):$((65536 * 512))"
mounts="/dev/sda1:/ /dev/sda2:/vfat /dev/vg/data:/lv"
swap_uuid=$swap_uuid
swap_label=$swap_label
lv_start=$((296960 * 512 + MiB))
lv_size=$((40 * MiB))
EOF
}

xb ()
{
  local img="$out/$kind"
  rm -f "$img"
  qemu-img create -q -f qcow2 "$img" 448M
  rand $((big * MiB)) > "$out/$kind.big"
  keep_file k1 $((3 * MiB)) /keep1
  keep_file k2 $((3 * MiB)) /btrfs/keep2
  ds --format qcow2 -a "$img" >/dev/null <<EOF
run
part-init /dev/sda gpt
part-add /dev/sda p 2048 616447
part-add /dev/sda p 616448 -34
mkfs xfs /dev/sda1
mkfs btrfs /dev/sda2
mount /dev/sda1 /
mkdir /btrfs
mount /dev/sda2 /btrfs
upload $out/$kind.k1 /keep1
upload $out/$kind.k2 /btrfs/keep2
upload $out/$kind.big /big
upload $out/$kind.big /big2
upload $out/$kind.big /btrfs/big
sync
rm /big
rm /big2
rm /btrfs/big
EOF
  cat > "$img.facts" <<EOF
format=qcow2
deleted=$((3 * big * MiB))
keep="$keep"
parts="1:xfs:$((2048 * 512)):$((614400 * 512)) 2:btrfs:$((616448 * 512)):$((301023 * 512))"
mounts="/dev/sda1:/ /dev/sda2:/btrfs"
EOF
}

backed ()
{
  local img="$out/$kind" base="$out/base.img"
  rm -f "$img" "$base"
  truncate -s 96M "$base"
  rand $((big * MiB)) > "$out/$kind.big"
  keep_file k1 $((3 * MiB)) /keep1
  ds --format raw -a "$base" >/dev/null <<EOF
run
part-disk /dev/sda mbr
mkfs ext4 /dev/sda1
mount /dev/sda1 /
upload $out/$kind.k1 /keep1
EOF
  qemu-img create -q -f qcow2 -b "$base" -F raw "$img"
  ds --format qcow2 -a "$img" >/dev/null <<EOF
run
mount /dev/sda1 /
upload $out/$kind.big /big
upload $out/$kind.big /big2
sync
rm /big
rm /big2
EOF
  cat > "$img.facts" <<EOF
format=qcow2
deleted=$((2 * big * MiB))
keep="$keep"
parts="1:ext4:$((2048 * 512)):$(((196608 - 2048) * 512))"
mounts="/dev/sda1:/"
EOF
}

luks ()
{
  local img="$out/$kind"
  rm -f "$img"
  truncate -s 160M "$img"
  sfdisk -q "$img" <<'EOF'
label: dos
start=2048, size=65536, type=83
start=67584, size=131072, type=83
start=198656, type=83
EOF
  rand $((big * MiB)) > "$out/$kind.big"
  keep_file k1 $((2 * MiB)) /keep1
  keep_file k2 $((2 * MiB)) /crypt/keep2
  keep_file k3 $((2 * MiB)) /lv/keep3
  printf '%s\n' "$luks_key2" > "$img.key"
  ds --format raw -a "$img" >/dev/null <<EOF
run
mkfs ext4 /dev/sda1
luks-format /dev/sda2 $luks_key1 0
luks-format /dev/sda3 $luks_key2 3 type:luks1
cryptsetup-open /dev/sda2 $luks_key1 c2
cryptsetup-open /dev/sda3 $luks_key2 c3
mkfs ext4 /dev/mapper/c2
pvcreate /dev/mapper/c3
vgcreate cvg /dev/mapper/c3
lvcreate data cvg 40
mkfs ext4 /dev/cvg/data
mount /dev/sda1 /
mkdir /crypt
mkdir /lv
mount /dev/mapper/c2 /crypt
mount /dev/cvg/data /lv
upload $out/$kind.k1 /keep1
upload $out/$kind.k2 /crypt/keep2
upload $out/$kind.k3 /lv/keep3
upload $out/$kind.big /crypt/big
upload $out/$kind.big /lv/big
sync
rm /crypt/big
rm /lv/big
umount-all
vg-activate-all false
cryptsetup-close /dev/mapper/c3
cryptsetup-close /dev/mapper/c2
EOF
  cat > "$img.facts" <<EOF
format=raw
deleted=$((2 * big * MiB))
keep="$keep"
parts="1:ext4:$((2048 * 512)):$((65536 * 512))"
opens="/dev/sda2:$luks_key1:c2 /dev/sda3:$luks_key2:c3"
mounts="/dev/sda1:/ /dev/mapper/c2:/crypt /dev/cvg/data:/lv"
keyfile=$img.key
EOF
}

minix ()
{
  local img="$out/$kind"
  rm -f "$img"
  truncate -s 64M "$img"
  rand $((big * MiB)) > "$out/$kind.big"
  keep_file k1 $((3 * MiB)) /keep1
  ds --format raw -a "$img" >/dev/null <<EOF
run
part-disk /dev/sda mbr
mkfs minix /dev/sda1
mount /dev/sda1 /
upload $out/$kind.k1 /keep1
upload $out/$kind.big /big
sync
rm /big
EOF
  cat > "$img.facts" <<EOF
format=raw
deleted=$((big * MiB))
keep="$keep"
parts="1:minix:$((2048 * 512)):$(((131072 - 2048) * 512))"
mounts="/dev/sda1:/"
EOF
}

case "$kind" in
  mixed.img) mixed ;;
  xb.qcow2) xb ;;
  backed.qcow2) backed ;;
  luks.img) luks ;;
  minix.img) minix ;;
  *) echo "make-dirty.sh: unknown image '$kind'" >&2; exit 2 ;;
esac
rm -f "$out/$kind".k? "$out/$kind.big"
