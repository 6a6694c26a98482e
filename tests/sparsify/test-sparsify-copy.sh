#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Copying drydock sparsify of a dirty qcow2 (xfs and btrfs; see
# make-dirty.sh): the source stays byte-identical; a raw output takes at
# least 90 % less than the source of what was deleted, holds every kept
# file unchanged and passes xfs_repair -n and btrfs check; the working
# overlay in --tmp is gone afterwards.  (--compress: see
# test-sparsify-backing.sh.)
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/checks.sh"

requires xfs_repair blkid qemu-img

dirty xb.qcow2
sum=$(sha "$img")
before=$(allocated "$img")
mkdir "$scratch/tmp"

drydock sparsify -q --tmp "$scratch/tmp" --convert raw "$img" "$scratch/out.img" ||
  fail "drydock sparsify to raw failed"
expect_eq "source after a copying sparsify" "$sum" "$(sha "$img")"
check_drop "copy to raw" "$before" "$(allocated "$scratch/out.img")"
check_files "$scratch/out.img" raw
check_fsck "$scratch/out.img" raw
expect_eq "files left in --tmp" "" "$(ls -A "$scratch/tmp")"

