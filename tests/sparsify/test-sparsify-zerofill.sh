#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The zero-fill fallback in a real run: a minix filesystem (the kernel
# mounts it read-write, it has no FITRIM) where a big file was written
# and deleted (see make-dirty.sh).  Copying and in place, sparsify warns
# that it cannot trim, fills the free space with zeros (which the drive
# turns into discards), the report says "zero-filled", the allocation
# falls by at least 90 % of what was deleted and the kept file reads
# back unchanged.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/checks.sh"

requires qemu-img python3 mkfs.minix

P="drydock sparsify"
dirty minix.img
sum=$(sha "$img")
before=$(allocated "$img")
cd "$scratch"

check_report ()
{
  python3 - "$1" > got <<'EOF2' || fail "bad JSON report: $(cat "$1")"
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["device"], d["type"], d["action"], d["bytes"] > 0)
EOF2
  expect_eq "report of $2" "/dev/sda1 minix zero-filled True" "$(cat got)"
}

drydock sparsify --json "$img" out.img > copy.json 2> copy.err ||
  fail "copying sparsify failed: $(cat copy.err)"
grep -q "^$P: warning: /dev/sda1 (minix) cannot trim: filling its free space with zeros instead$" copy.err ||
  fail "no warning that /dev/sda1 cannot trim: $(cat copy.err)"
expect_eq "source after a copying sparsify" "$sum" "$(sha "$img")"
check_report copy.json "the copy"
check_drop "copy" "$before" "$(allocated out.img)"
check_files out.img raw

drydock sparsify --json --in-place "$img" > inplace.json 2> inplace.err ||
  fail "sparsify --in-place failed: $(cat inplace.err)"
check_report inplace.json "the run in place"
check_drop "in place" "$before" "$(allocated "$img")"
check_files "$img" raw
