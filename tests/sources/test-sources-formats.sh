#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every format qemu-img writes, made from the Debian test guest with
# qemu-img convert: drydock inspect on each (probed, and with --format)
# gives the same answer as on the raw image, and the source is never
# written.  Bad input: one line each.
. "$(dirname "$0")/../functions.sh"
requires qemu-img sfdisk

raw=$(guest debian.img)
cd "$scratch"
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
grep -q '<distro>debian</distro>' want.xml || fail "raw: no debian found"

# name:format:qemu-img convert options
images="
q.qcow2:qcow2:
q1.qcow:qcow:
s.vmdk:vmdk:-o subformat=monolithicSparse
f.vmdk:vmdk:-o subformat=monolithicFlat
split.vmdk:vmdk:-o subformat=twoGbMaxExtentSparse
so.vmdk:vmdk:-o subformat=streamOptimized
d.vdi:vdi:
d.vhdx:vhdx:
d.vhd:vpc:
d.qed:qed:
d.hdd:parallels:
"
while IFS=: read -r name fmt opts <&3; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086
  qemu-img convert -q -f raw -O "$fmt" $opts "$raw" "$name"
  before=$(sha "$name")
  drydock inspect -a "$name" > got.xml 2> err.txt ||
    fail "$name: inspect failed: $(cat err.txt)"
  cmp -s want.xml got.xml || fail "$name: inspect differs from raw"
  # A probed format is named on stderr (the Debian guest is no OVA).
  case $fmt in
    qcow2) ;;
    *) grep -q "format probed: $fmt" err.txt ||
         fail "$name: probed format not named: $(cat err.txt)" ;;
  esac
  drydock inspect --format "$fmt" -a "$name" > got.xml 2> err.txt ||
    fail "$name: inspect --format $fmt failed: $(cat err.txt)"
  cmp -s want.xml got.xml || fail "$name: inspect --format $fmt differs"
  expect_eq "$name unchanged" "$before" "$(sha "$name")"
done 3<<< "$images"

# A probed raw image: a warning, the same answer.
cp --sparse=always "$raw" r.img
drydock inspect -a r.img > got.xml 2> err.txt
cmp -s want.xml got.xml || fail "probed raw: inspect differs"
grep -q "warning: .*assuming raw" err.txt || fail "probed raw: no warning"

# Bad input, one line each, nothing written.
before=$(sha q.qcow2)
expect_fail "format mismatch" "format vmdk was given but the image is qcow2" \
  drydock inspect --format vmdk -a q.qcow2
expect_fail "unknown format" "--format 'vmdk9': unsupported format" \
  drydock inspect --format vmdk9 -a q.qcow2
expect_fail "ova on a qcow2" "format ova was given but the image is qcow2" \
  drydock inspect --format ova -a q.qcow2
expect_fail "ova on a raw file" "r.img: not an OVA \(format ova was given but the file is no tar archive\)" \
  drydock inspect --format ova -a r.img
expect_eq "q.qcow2 unchanged" "$before" "$(sha q.qcow2)"
before=$(sha so.vmdk)
expect_fail "commit into streamOptimized" \
  "so.vmdk: cannot commit into it: a streamOptimized vmdk" \
  drydock customize -a so.vmdk --touch /x
expect_eq "so.vmdk unchanged" "$before" "$(sha so.vmdk)"
n=$( (drydock inspect --format vmdk -a q.qcow2 || :) 2>&1 >/dev/null | wc -l)
expect_eq "mismatch is one line" 1 "$n"

# qemu's LUKS: attached as the LUKS container, which the appliance
# opens with --key (here a container of the guest's root filesystem).
start=$(sfdisk -d "$raw" | sed -n 's/.*start= *\([0-9]*\),.*/\1/p' | head -1)
sectors=$(sfdisk -d "$raw" | sed -n 's/.*size= *\([0-9]*\),.*/\1/p' | head -1)
dd if="$raw" of=root.img bs=512 skip="$start" count="$sectors" conv=sparse status=none
# qemu-img times its key derivation, and on a loaded host the timing
# can fail ("Unable to get accurate CPU usage"): tried three times.
for try in 1 2 3; do
  qemu-img convert -q -f raw -O luks --object secret,id=s0,data=sesame \
    -o key-secret=s0,iter-time=50 root.img root.luks && break
  [ "$try" -lt 3 ] || fail "qemu-img could not make root.luks"
done
before=$(sha root.luks)
drydock inspect --key all:key:sesame -a root.luks > got.xml 2> err.txt ||
  fail "luks: inspect failed: $(cat err.txt)"
grep -q "format probed: luks" err.txt || fail "luks: probe not named"
expect_eq "luks root" "<root>/dev/mapper/luks-sda</root>" \
  "$(grep -o '<root>.*</root>' got.xml)"
expect_eq "luks hostname" "$(grep '<hostname>' want.xml)" \
  "$(grep '<hostname>' got.xml)"
expect_fail "commit into luks" "cannot commit into it: a qemu LUKS image" \
  drydock customize --key all:key:sesame -a root.luks --touch /x
expect_eq "root.luks unchanged" "$before" "$(sha root.luks)"

# Commit into a writable non-qcow2 format works: vdi.
drydock customize -a d.vdi --touch /etc/drydock-sources 2>/dev/null ||
  fail "customize into vdi failed"
drydock shell --ro -a d.vdi -i exists /etc/drydock-sources > got.txt
expect_eq "vdi commit" "true" "$(cat got.txt)"
echo "$(basename "$0"): OK"
