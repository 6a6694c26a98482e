#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sparsify --in-place on a dirty raw image (ext4, vfat, swap,
# LVM with free extents; see make-dirty.sh): the image's allocation
# falls by at least 90 % of what was deleted, every kept file reads back
# unchanged, the host's e2fsck, fsck.fat find the filesystems (the LV's
# too) clean, the swap area keeps its UUID and label, and the JSON
# report says what was done to each device and the allocation that du
# reports before and after.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/checks.sh"

requires e2fsck fsck.fat blkid sfdisk qemu-img python3

dirty mixed.img
before=$(allocated "$img")
drydock sparsify --in-place --json "$img" > "$scratch/report.json" ||
  fail "drydock sparsify --in-place failed"
after=$(allocated "$img")
check_drop "in place" "$before" "$after"
check_files "$img" raw
check_fsck "$img" raw

python3 - "$scratch/report.json" "$before" "$after" > "$scratch/got" <<'EOF2' ||
import json, sys
r = json.load(open(sys.argv[1]))
assert r["mode"] == "in-place" and r["output"] is None, r
assert r["allocated_before"] == int(sys.argv[2]), r
assert r["allocated_after"] == int(sys.argv[3]), r
for d in r["devices"]:
    print(d["device"], d["type"], d["action"], d["bytes"] > 0)
EOF2
  fail "bad JSON report: $(cat "$scratch/report.json")"
cat > "$scratch/expected" <<'EOF2'
/dev/sda1 ext4 trimmed True
/dev/sda2 vfat trimmed True
/dev/sda3 swap swap-discarded True
/dev/vg/data ext4 trimmed True
vg lvm-free free-space-discarded True
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected report"
