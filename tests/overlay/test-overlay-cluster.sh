#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# add_drive's cluster_size: the overlay's qcow2 cluster size.
#  - bad values (not a power of two, under 512, over 2 MiB, 0, negative,
#    with direct) are refused by add_drive itself with one line naming
#    the value, before anything is launched;
#  - one launch with three drives: a kept overlay (output_overlay) has
#    the cluster size asked (qemu-img info), the default stays
#    qemu-img's 64 KiB, and a read-only drive with small clusters works;
#  - the source never changes.
. "$(dirname "$0")/../functions.sh"
requires qemu-img python3

mkdir "$scratch/tmp"
export TMPDIR="$scratch/tmp"
cd "$scratch"
truncate -s 64M src.img
sum=$(sha src.img)

cluster () { qemu-img info --output=json "$1" |
               python3 -c 'import json, sys; print(json.load(sys.stdin)["cluster-size"])'; }

for v in 1000 256 4194304 0 -4096; do
  expect_fail "cluster_size $v" \
    "^drydock shell: add_drive: src\.img: cluster_size $v: expected a power of two from 512 to 2097152 \(2 MiB\)$" \
    drydock shell add-drive src.img format:raw cluster_size:$v
done
expect_fail "cluster_size with direct" \
  "^drydock shell: add_drive: src\.img: cluster_size is the overlay's: direct has none$" \
  drydock shell add-drive src.img format:raw direct:true cluster_size:4096
expect_fail "cluster_size not a number" "cluster_size: 'big' is not" \
  drydock shell add-drive src.img format:raw cluster_size:big

drydock shell \
  add-drive src.img format:raw output_overlay:small.qcow2 cluster_size:1024 : \
  add-drive src.img format:raw output_overlay:default.qcow2 : \
  add-drive src.img format:raw readonly:true cluster_size:512 : \
  run : \
  mkfs ext4 /dev/sda : mkfs ext4 /dev/sdb : mkfs ext4 /dev/sdc > out 2> err ||
  fail "the session failed: $(cat err)"
[ ! -s err ] || fail "unexpected stderr: $(cat err)"
expect_eq "kept overlay with cluster_size 1024" 1024 "$(cluster small.qcow2)"
expect_eq "kept overlay without cluster_size" 65536 "$(cluster default.qcow2)"
expect_eq "source" "$sum" "$(sha src.img)"
expect_eq "temporary files left" "" "$(ls -A tmp)"
