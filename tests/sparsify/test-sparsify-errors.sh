#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sparsify refuses bad input with one clear line and a non-zero
# exit before any work: unknown formats (probed and given), OUT equal to
# IN (same name, symlink) or a file of IN's backing chain (a relative
# backing name, a hard link, a path through ".."), a missing input,
# options that do not go together, a read-only image file for
# --in-place, an image another qemu holds locked (in place and copying),
# and, as root (a small tmpfs), an output location or --tmp without room
# for the estimate, naming the numbers.  The source is never changed and
# nothing is left behind.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-io qemu-system-x86_64 mkfs.ext4
export PATH="$PATH:/usr/sbin:/sbin"

cd "$scratch"
P="drydock sparsify"
truncate -s 16M small.img

qemu-img create -q -f vmdk disk.vmdk 16M
expect_fail "vmdk" "^$P: 'disk.vmdk': unsupported format vmdk \(" \
  drydock sparsify disk.vmdk out.img
expect_fail "--format vmdk" "^$P: --format 'vmdk': unsupported format \(use raw or qcow2\)$" \
  drydock sparsify --format vmdk small.img out.img
expect_fail "--format qcow2 on raw" "^$P: 'small.img': format qcow2 was given but the image is raw" \
  drydock sparsify --format qcow2 small.img out.img
expect_fail "--convert vdi" "^$P: --convert 'vdi': unsupported format" \
  drydock sparsify --convert vdi small.img out.img
expect_fail "OUT = IN" "^$P: './small.img': the output is the input image itself" \
  drydock sparsify small.img ./small.img
ln -s small.img link.img
expect_fail "OUT a symlink to IN" "^$P: 'link.img': the output is the input image itself" \
  drydock sparsify small.img link.img
expect_fail "--output-overlay IN" "^$P: 'small.img': the output is the input image itself" \
  drydock sparsify --output-overlay small.img small.img
expect_fail "missing input" "^$P: 'nope.img': No such file or directory$" \
  drydock sparsify nope.img out.img
expect_fail "--compress raw" "^$P: --compress needs a qcow2 output" \
  drydock sparsify --compress small.img out.img
expect_fail "--in-place --tmp" "^$P: --convert, --compress and --tmp are for copying" \
  drydock sparsify --in-place --tmp . small.img
expect_fail "--in-place IN OUT" "^$P: --in-place takes one image: 2 arguments given" \
  drydock sparsify --in-place small.img out.img

# OUT in IN's backing chain, whatever its name: a relative backing file
# name, a hard link, a path through ".."; nothing changes.
mkdir chain chain/sub
truncate -s 1M chain/sub/base.img
qemu-img create -q -f qcow2 -b base.img -F raw chain/sub/mid.qcow2
qemu-img create -q -f qcow2 -b sub/mid.qcow2 -F qcow2 chain/top.qcow2
ln chain/sub/base.img chain/hard.img
sums=$(sha256sum chain/top.qcow2 chain/sub/*)
for out in chain/sub/base.img chain/hard.img chain/sub/../sub/mid.qcow2; do
  expect_fail "OUT $out in the backing chain" \
    "^$P: '$out': the output is a backing file of the input 'chain/top.qcow2': writing it would corrupt the input$" \
    drydock sparsify chain/top.qcow2 "$out"
  expect_fail "--output-overlay $out in the backing chain" \
    "^$P: '$out': the output is a backing file of the input 'chain/top.qcow2'" \
    drydock sparsify --output-overlay "$out" chain/top.qcow2
done
expect_eq "the chain after the refusals" "$sums" "$(sha256sum chain/top.qcow2 chain/sub/*)"
expect_eq "files in the chain's directory" "hard.img sub top.qcow2" "$(echo $(ls chain))"
rm -r chain

chmod 444 small.img
expect_fail "read-only --in-place" "^$P: add_drive: small.img: cannot write it in place: the file is read-only \(mode 0444\)$" \
  drydock sparsify --in-place --format raw small.img
chmod 644 small.img

# A paused VM holds qemu's locks on its disk.
qemu-system-x86_64 -machine microvm -nodefaults -display none -S \
  -drive file=small.img,format=raw,if=none,id=d \
  -device virtio-blk-device,drive=d > qemu.log 2>&1 &
qpid=$!
add_cleanup "kill $qpid 2>/dev/null || :"
for _ in $(seq 100); do
  qemu-io -f raw -c quit small.img >/dev/null 2>&1 || break   # locked now
  sleep 0.1
done
expect_fail "locked, in place" "^$P: add_drive: small.img: the image is in use: another process" \
  drydock sparsify --in-place --format raw small.img
expect_fail "locked, copying" "^$P: add_drive: small.img: the image is in use: another process" \
  drydock sparsify --format raw small.img out.img
kill $qpid
wait $qpid 2>/dev/null || :
[ ! -e out.img ] || fail "an output was written"
expect_eq "files in the scratch directory" "disk.vmdk link.img qemu.log small.img" \
  "$(echo $(ls))"

# Not enough room: the guest uses 24 MiB; a tmpfs of 8 MiB can hold
# neither the output nor the working overlay (32 MiB of headroom).
[ "$(id -u)" = 0 ] || { echo "$(basename "$0"): not root: space checks skipped"; exit 0; }
mkdir full data tmp
mount -t tmpfs -o size=8m tmpfs full 2>/dev/null ||
  { echo "$(basename "$0"): cannot mount a tmpfs: space checks skipped"; exit 0; }
add_cleanup "umount '$scratch/full'"
head -c 24M /dev/urandom > data/blob
mkfs.ext4 -q -d data used.img 64M >/dev/null
sum=$(sha used.img)
expect_fail "no room for the output" \
  "^$P: not enough space for the output in 'full/out.img': about [0-9.]+ MiB needed \(the guest uses [0-9.]+ MiB\), [0-9.]+ MiB available$" \
  drydock sparsify --format raw --tmp tmp used.img full/out.img
expect_fail "no room in --tmp" \
  "^$P: not enough space for the working overlay in 'full': about [0-9.]+ MiB needed" \
  drydock sparsify --format raw --tmp full used.img out.img
expect_eq "source after refusals" "$sum" "$(sha used.img)"
expect_eq "left in the tmpfs" "" "$(ls -A full)"
expect_eq "left in --tmp" "" "$(ls -A tmp)"
[ ! -e out.img ] || fail "an output was written"
