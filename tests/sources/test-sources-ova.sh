#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An OVA read in place: tar archives (ustar, pax, GNU) holding an .ovf
# and a streamOptimized vmdk made from the Debian test guest.  drydock
# inspect on each gives the same answer as on the raw image, nothing is
# extracted and the OVA is not written; an OVA without a disk, a tar
# without an .ovf and a commit into an OVA are one line each.
. "$(dirname "$0")/../functions.sh"
requires qemu-img tar

raw=$(guest debian.img)
cd "$scratch"
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
grep -q '<distro>debian</distro>' want.xml || fail "raw: no debian found"

qemu-img convert -q -f raw -O vmdk -o subformat=streamOptimized "$raw" \
  debian-disk1.vmdk
cat > debian.ovf <<'OVF'
<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">
  <References><File ovf:href="debian-disk1.vmdk" ovf:id="file1"/></References>
</Envelope>
OVF
echo "SHA256(debian-disk1.vmdk)= $(sha debian-disk1.vmdk)" > debian.mf

for fmt in ustar pax gnu; do
  tar -c --format=$fmt -f "$fmt.ova" debian.ovf debian.mf debian-disk1.vmdk
  before=$(sha "$fmt.ova")
  drydock inspect -a "$fmt.ova" > got.xml 2> err.txt ||
    fail "$fmt: inspect failed: $(cat err.txt)"
  cmp -s want.xml got.xml || fail "$fmt: inspect differs from raw"
  grep -q "format probed: ova" err.txt || fail "$fmt: probe not named"
  drydock inspect --format ova -a "$fmt.ova" > got.xml 2>/dev/null ||
    fail "$fmt: inspect --format ova failed"
  cmp -s want.xml got.xml || fail "$fmt: --format ova differs from raw"
  expect_eq "$fmt.ova unchanged" "$before" "$(sha "$fmt.ova")"
done
# Nothing was extracted beside the OVA.
expect_eq "files in the scratch directory" \
  "debian-disk1.vmdk debian.mf debian.ovf err.txt gnu.ova got.xml pax.ova ustar.ova want.xml" \
  "$(LC_ALL=C ls | tr '\n' ' ' | sed 's/ $//')"

# A raw disk in an OVA, long names (pax) and a padding file before it.
cp --sparse=always "$raw" "a-disk-with-a-rather-long-name-to-need-a-pax-or-gnu-header-beyond-one-hundred-bytes-of-name.img"
head -c 1234 /dev/urandom > notes.txt
tar -c --format=pax -f raw.ova debian.ovf notes.txt a-disk-*.img
drydock inspect -a raw.ova > got.xml 2>/dev/null || fail "raw.ova: inspect failed"
cmp -s want.xml got.xml || fail "raw.ova: inspect differs from raw"

# Bad input.
tar -c -f nodisk.ova debian.ovf debian.mf
expect_fail "OVA without a disk" "nodisk.ova: the OVA holds no disk image$" \
  drydock inspect -a nodisk.ova
tar -c -f noovf.tar debian-disk1.vmdk
expect_fail "tar without .ovf" "noovf.tar: a tar without an .ovf file is not an OVA$" \
  drydock inspect -a noovf.tar
# A qcow2 in an OVA naming a host file as its backing file is refused:
# the archive would choose what of the host the guest sees.
head -c 65536 /dev/urandom > host-secret.img
qemu-img create -q -f qcow2 -b "$scratch/host-secret.img" -F raw evil.qcow2
tar -c -f evil.ova debian.ovf evil.qcow2
expect_fail "OVA disk with a backing file" \
  "evil.ova/evil.qcow2: names a backing file \('$scratch/host-secret.img'\)" \
  drydock inspect -a evil.ova
before=$(sha ustar.ova)
expect_fail "commit into an OVA" "cannot commit into it: an OVA is read in place" \
  drydock customize -a ustar.ova --touch /x
expect_eq "ustar.ova unchanged" "$before" "$(sha ustar.ova)"
n=$( (drydock inspect -a nodisk.ova || :) 2>&1 >/dev/null | grep -vc "format probed")
expect_eq "no disk is one line" 1 "$n"
echo "$(basename "$0"): OK"
