#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The keep policy (--output-overlay NEW.qcow2), with relative paths:
#  - the source is unchanged; NEW.qcow2 is a small qcow2 whose backing
#    file is the source's absolute path, and a --ro session on it sees
#    the changes;
#  - an output overlay that is the source itself is refused, however it
#    is spelt, before anything is launched, and so is --output-overlay
#    with --ro (which would silently keep nothing), and with two -a
#    (which would silently commit the other);
#  - a failing session leaves no output file and no temporary file.
. "$(dirname "$0")/../functions.sh"
requires qemu-img python3

src=$(scratch_copy "$(guest debian.img)")
src_sha=$(sha "$src")
mkdir "$scratch/tmp" "$scratch/sub"
export TMPDIR="$scratch/tmp"
cd "$scratch"

# qemu-img info FILE → "FORMAT BACKING BACKING_FORMAT ACTUAL_SIZE"
info ()
{
  qemu-img info --output=json "$1" | python3 -c '
import json, sys
i = json.load(sys.stdin)
print(i["format"], i.get("backing-filename", "-"),
      i.get("backing-filename-format", "-"), i["actual-size"])'
}

# 1. Keep the changes in new.qcow2.
drydock shell --format raw -a debian.img --output-overlay new.qcow2 \
  -m /dev/sda1 write /etc/hostname kept : mkdir /kept-dir \
  > out 2> err || fail "keep session failed: $(cat err)"
[ ! -s err ] || fail "unexpected stderr: $(cat err)"
expect_eq "source after a keep session" "$src_sha" "$(sha "$src")"
[ -f new.qcow2 ] || fail "new.qcow2 was not created"
read -r fmt backing backing_fmt size <<< "$(info new.qcow2)"
expect_eq "output overlay format" qcow2 "$fmt"
expect_eq "output overlay backing file" "$(realpath "$scratch")/debian.img" "$backing"
expect_eq "output overlay backing format" raw "$backing_fmt"
[ "$size" -lt $((8 * 1024 * 1024)) ] ||
  fail "output overlay is $size bytes, not a small overlay"
expect_eq "files left beside the output" "debian.img err new.qcow2 out sub tmp" \
  "$(ls | tr '\n' ' ' | sed 's/ $//')"

# 2. Refused: the output is the source (plain, and via sub/..).
for o in debian.img sub/../debian.img "$scratch/debian.img"; do
  expect_fail "--output-overlay $o" "source image" \
    drydock shell --format raw -a debian.img --output-overlay "$o" \
      -m /dev/sda1 write /etc/hostname clobbered
done
# --ro discards everything: with --output-overlay it is an error, not a
# silently missing output.
expect_fail "--ro with --output-overlay" "--ro and --output-overlay" \
  drydock shell --ro --format raw -a debian.img --output-overlay ro.qcow2 \
    -m /dev/sda1 cat /etc/hostname
[ ! -e ro.qcow2 ] || fail "ro.qcow2 created by a refused session"
# One output overlay keeps one image: with two -a the other would be
# committed silently, so the run is refused before any work.
cp debian.img second.img
second_sha=$(sha second.img)
expect_fail "--output-overlay with two -a" "takes one image \\(2 given\\)" \
  drydock shell --format raw -a second.img --format raw -a debian.img \
    --output-overlay two.qcow2 -m /dev/sda1 write /etc/hostname two
[ ! -e two.qcow2 ] || fail "two.qcow2 created by a refused session"
expect_eq "the other image after the refused session" "$second_sha" \
  "$(sha second.img)"
rm second.img
expect_eq "source after the refused sessions" "$src_sha" "$(sha "$src")"

# 3. A session that fails half way: no output, no temporary file.
rc=0
drydock shell --format raw -a debian.img --output-overlay failed.qcow2 \
  -m /dev/sda1 write /etc/hostname lost : cat /no/such/file \
  > out 2> err || rc=$?
[ "$rc" -ne 0 ] || fail "a failing keep session exited 0"
grep -q '/no/such/file' err || fail "unexpected error: $(cat err)"
[ ! -e failed.qcow2 ] || fail "failed.qcow2 exists after a failed session"
ls -A | grep -q 'drydock-tmp' && fail "temporary overlay left: $(ls -A)"
expect_eq "source after the failed session" "$src_sha" "$(sha "$src")"

# 4. The kept overlay, on its own, holds the changes.
drydock shell --ro --format qcow2 -a new.qcow2 -m /dev/sda1 \
  cat /etc/hostname : is-dir /kept-dir : cat /etc/debian_version \
  > out 2> err || fail "reading new.qcow2 failed: $(cat err)"
expect_eq "content of the kept overlay" "kept
true
12.5" "$(cat out)"
expect_eq "temporary files left" "" "$(ls -A "$TMPDIR")"
