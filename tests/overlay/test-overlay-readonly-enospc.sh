#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# ENOSPC in a read-only session: TMPDIR, where a --ro session keeps its
# throw-away overlays, on a 20 MiB tmpfs (as root), and a 28 MiB upload
# into a raw and a qcow2 image.  The guest's writes reach the overlay
# late (a sync; the guest's kernel logs "critical space allocation
# error" for what qemu could not store): the session fails within the
# time limit with one line saying that there is no space left for the
# overlay and naming the image and TMPDIR, a non-zero exit (before,
# the session succeeded, its writes silently lost); the images stay
# byte-identical; nothing is left in TMPDIR and no process of the
# session survives it.
. "$(dirname "$0")/../functions.sh"
requires qemu-img mkfs.ext4 timeout

export LC_ALL=C
[ "$(id -u)" = 0 ] || skip "needs root for a tmpfs mount"
full="$scratch/full"
mkdir "$full"
mount -t tmpfs -o size=20m tmpfs "$full" 2>/dev/null || skip "cannot mount a tmpfs"
add_cleanup "umount -l '$full' 2>/dev/null || true"

truncate -s 64M "$scratch/img.raw"
mkfs.ext4 -q -F "$scratch/img.raw"
qemu-img convert -f raw -O qcow2 "$scratch/img.raw" "$scratch/img.qcow2"
head -c 28M /dev/urandom > "$scratch/upload"
keep_sums "$scratch/img.raw" "$scratch/img.qcow2"

# Processes whose command line names the scratch directory.
ours () { ps -eo pid=,args= | grep -F -- "$scratch/" | grep -v grep || true; }

for fmt in raw qcow2; do
  img="$scratch/img.$fmt" rc=0
  # mount, not -m: with --ro, -m mounts read-only; sync, so that the
  # data leaves the guest's page cache for the overlay.
  TMPDIR="$full" timeout -s KILL 300 \
    drydock shell --ro --format "$fmt" -a "$img" \
    > /dev/null 2> "$scratch/err" <<EOF || rc=$?
run
mount /dev/sda /
upload $scratch/upload /u
sync
EOF
  [ "$rc" != 137 ] || fail "$fmt: no answer in 300 s (a hang)"
  [ "$rc" != 0 ] || fail "$fmt: the upload succeeded on a full TMPDIR: $(cat "$scratch/err")"
  expect_eq "$fmt: lines on stderr" 1 "$(wc -l < "$scratch/err")"
  # The upload's own reply, or (the guest writing back late) the
  # shutdown's.
  grep -Eq "^drydock shell: (upload: .*no space left on device for the overlay of $img|shutdown: $img: no space left on device for its overlay) in $full/" \
    "$scratch/err" || fail "$fmt: $(cat "$scratch/err")"
  for _ in $(seq 30); do [ -z "$(ours)" ] && break; sleep 1; done
  [ -z "$(ours)" ] || fail "$fmt: processes left: $(ours)"
  expect_eq "$fmt: files left in TMPDIR" "" "$(ls -A "$full")"
done
sums_unchanged
exit 0
