#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Disks without an operating system are not an error: an empty list
# and exit 0.  One XML launch with the empty, XFS and FAT disks (none
# holds an OS), one JSON launch with the empty disk; the images are
# byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"

empty=$(guest empty.img)
xfs=$(guest xfs.img)
vfat=$(guest vfat.img)
keep_sums "$empty" "$xfs" "$vfat"

drydock inspect --format raw -a "$empty" -a "$xfs" -a "$vfat" \
  > "$scratch/out.xml" 2> "$scratch/err" ||
  fail "inspect failed on disks without an OS: $(cat "$scratch/err")"
printf '<?xml version="1.0"?>\n<operatingsystems/>\n' > "$scratch/expected"
diff -u "$scratch/expected" "$scratch/out.xml" || fail "XML not empty"

drydock inspect --json --format raw -a "$empty" \
  > "$scratch/out.json" 2> "$scratch/err" ||
  fail "inspect --json failed on an empty disk: $(cat "$scratch/err")"
printf '{\n  "operatingsystems": []\n}\n' > "$scratch/expected"
diff -u "$scratch/expected" "$scratch/out.json" || fail "JSON not empty"

sums_unchanged
