#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sparsify on a qcow2 whose backing file holds the kept file and
# whose own clusters hold deleted ones (see make-dirty.sh):
# --output-overlay leaves a small qcow2 backed by the untouched image,
# which reads back the kept file and passes e2fsck; copying into a
# compressed qcow2 flattens the chain (no backing file) and shrinks it by
# at least 90 % of what was deleted, the source untouched; --in-place on
# the qcow2 shrinks it too, never writes the backing file, and passes
# qemu-img check and e2fsck.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/checks.sh"

requires e2fsck debugfs qemu-img

dirty backed.qcow2
base_sum=$(sha "$scratch/base.img")
top_sum=$(sha "$img")

drydock sparsify -q --output-overlay "$scratch/new.qcow2" "$img" ||
  fail "drydock sparsify --output-overlay failed"
expect_eq "image after --output-overlay" "$top_sum" "$(sha "$img")"
expect_eq "backing file of the new overlay" "$img" \
  "$(qemu-img info --output=json "$scratch/new.qcow2" |
     sed -n 's/.*"backing-filename": "\(.*\)",*$/\1/p' | head -1)"
[ "$(allocated "$scratch/new.qcow2")" -lt $((2 * MiB)) ] ||
  fail "the new overlay is not small: $(allocated "$scratch/new.qcow2") bytes"
check_files_host "$scratch/new.qcow2" qcow2
check_fsck "$scratch/new.qcow2" qcow2

drydock sparsify -q --tmp "$scratch" --convert qcow2 --compress "$img" \
  "$scratch/flat.qcow2" || fail "drydock sparsify --compress failed"
expect_eq "image after copying" "$top_sum" "$(sha "$img")"
expect_eq "backing file of the copy" "" \
  "$(qemu-img info --output=json "$scratch/flat.qcow2" | grep backing-filename || :)"
qemu-img check -q "$scratch/flat.qcow2" || fail "qemu-img check of the compressed copy"
check_drop "copy to a compressed qcow2" \
  $(($(allocated "$img") + $(allocated "$scratch/base.img"))) \
  "$(allocated "$scratch/flat.qcow2")"
check_fsck "$scratch/flat.qcow2" qcow2
check_files_host "$scratch/flat.qcow2" qcow2

before=$(allocated "$img")
drydock sparsify -q --in-place "$img" || fail "drydock sparsify --in-place failed"
expect_eq "backing file after --in-place" "$base_sum" "$(sha "$scratch/base.img")"
check_drop "in place on a qcow2" "$before" "$(allocated "$img")"
qemu-img check -q "$img" || fail "qemu-img check after --in-place"
check_fsck "$img" qcow2
check_files_host "$img" qcow2
