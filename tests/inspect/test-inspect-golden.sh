#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock inspect's documents against golden files checked by hand
# against tests/data/README.md (and, for the XML, against what
# virt-inspector 1.48 prints for the same images: the same bytes but
# for the Maintainer as <publisher> and the last dpkg stanza, which
# virt-inspector drops).  Two launches: XML of the Debian and Fedora
# guests (raw), JSON of the Debian qcow2, Fedora and hostile guests.
# The facts are also asserted one by one, so a golden file regenerated
# carelessly does not hide a regression; and the images must be
# byte-identical afterwards (drives are read-only).
#
# To regenerate the golden files after a deliberate change:
#   DRYDOCK_REGENERATE_GOLDEN=1 make -C tests/inspect check TESTS=test-inspect-golden.sh
. "$(dirname "$0")/../functions.sh"

golden=$DRYDOCK_TESTS_SRCDIR/inspect/golden
deb=$(guest debian.img)
debq=$(guest debian.qcow2)
fed=$(guest fedora.img)
hostile=$(guest hostile.img)
keep_sums "$deb" "$debq" "$fed" "$hostile"

drydock inspect --format raw -a "$deb" -a "$fed" \
  > "$scratch/out.xml" 2> "$scratch/err" ||
  fail "inspect (XML) failed: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "inspect (XML) said: $(cat "$scratch/err")"
drydock inspect --json --format qcow2 -a "$debq" --format raw -a "$fed" \
  -a "$hostile" > "$scratch/out.json" 2> "$scratch/err" ||
  fail "inspect (JSON) failed: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "inspect (JSON) said: $(cat "$scratch/err")"

sums_unchanged

if [ "${DRYDOCK_REGENERATE_GOLDEN:-}" = 1 ]; then
  cp "$scratch/out.xml" "$golden/debian-fedora.xml"
  cp "$scratch/out.json" "$golden/debian-fedora-hostile.json"
  echo "golden files regenerated: check them by hand"
fi
diff -u "$golden/debian-fedora.xml" "$scratch/out.xml" ||
  fail "XML differs from the golden file"
diff -u "$golden/debian-fedora-hostile.json" "$scratch/out.json" ||
  fail "JSON differs from the golden file"

# The schema virt-inspector's consumers validate against, when the
# libguestfs tools are installed (scripts/install-deps --bench).
rng=/usr/share/doc/guestfs-tools/virt-inspector.rng.gz
if [ -f "$rng" ] && command -v xmllint >/dev/null; then
  zcat "$rng" > "$scratch/virt-inspector.rng"
  xmllint --noout --relaxng "$scratch/virt-inspector.rng" "$scratch/out.xml" \
    2> "$scratch/err" || fail "not valid for virt-inspector.rng: $(cat "$scratch/err")"
else
  echo "$(basename "$0"): virt-inspector.rng or xmllint missing, schema not checked"
fi

# The XML's facts, through drydock inspect --xpath on standard input.
q () { drydock inspect --xpath "$1" < "$scratch/out.xml"; }
d='//operatingsystem[root="/dev/sda1"]'
f='//operatingsystem[root="/dev/sdb2"]'
expect_eq "roots" "2" "$(q 'count(//operatingsystem)')"
expect_eq "debian name" "linux" "$(q "string($d/name)")"
expect_eq "debian distro" "debian" "$(q "string($d/distro)")"
expect_eq "debian version" "12.5" \
  "$(q "concat($d/major_version, '.', $d/minor_version)")"
expect_eq "debian hostname" "debian-guest" "$(q "string($d/hostname)")"
expect_eq "debian arch" "x86_64" "$(q "string($d/arch)")"
expect_eq "debian packages" "deb apt" \
  "$(q "concat($d/package_format, ' ', $d/package_management)")"
expect_eq "debian osinfo" "debian12" "$(q "string($d/osinfo)")"
expect_eq "debian mountpoints" '<mountpoint dev="/dev/sda1">/</mountpoint>' \
  "$(q "$d/mountpoints/mountpoint")"
expect_eq "debian uuid" "11111111-2222-3333-4444-555555555555" \
  "$(q "string($d/filesystems/filesystem[@dev='/dev/sda1']/uuid)")"
expect_eq "debian no label" "0" "$(q "count($d//label)")"
expect_eq "debian no drive letters" "0" "$(q "count($d/drive_mappings)")"
expect_eq "debian applications" \
  "base-files bash coreutils dpkg libc6 linux-image-6.1.0-18-amd64 systemd" \
  "$(q "$d//application/name/text()" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "bash version" "5.2.15 2+b2 amd64" \
  "$(q "concat($d//application[name='bash']/version, ' ',
              $d//application[name='bash']/release, ' ',
              $d//application[name='bash']/arch)")"
expect_eq "base-files has no release" "0" \
  "$(q "count($d//application[name='base-files']/release)")"
expect_eq "no epochs" "0" "$(q "count(//epoch)")"
expect_eq "fedora distro" "fedora" "$(q "string($f/distro)")"
expect_eq "fedora product" "Fedora Linux 39 (Thirty Nine)" \
  "$(q "string($f/product_name)")"
expect_eq "fedora version" "39.0" \
  "$(q "concat($f/major_version, '.', $f/minor_version)")"
expect_eq "fedora hostname" "fedora-guest" "$(q "string($f/hostname)")"
expect_eq "fedora mountpoints" "/ /dev/sdb2 /boot /dev/sdb1" \
  "$(q "concat($f//mountpoint[1], ' ', $f//mountpoint[1]/@dev, ' ',
              $f//mountpoint[2], ' ', $f//mountpoint[2]/@dev)")"
expect_eq "fedora boot label" "boot" \
  "$(q "string($f//filesystem[@dev='/dev/sdb1']/label)")"
expect_eq "fedora no packages" "1 0" \
  "$(q "concat(count($f/applications), ' ', count($f//application))")"

# The JSON's facts.
python3 - "$scratch/out.json" <<'EOF2' || fail "JSON facts"
import json, sys
oses = json.load(open(sys.argv[1]))["operatingsystems"]
assert [o["root"] for o in oses] == ["/dev/sda1", "/dev/sdb2", "/dev/sdc1"], oses
deb, fed, hostile = oses
assert deb["distro"] == "debian" and deb["major_version"] == 12
assert deb["minor_version"] == 5 and deb["hostname"] == "debian-guest"
assert deb["format"] == "installed" and "build_id" not in deb
assert [a["name"] for a in deb["applications"]] == [
    "base-files", "bash", "coreutils", "dpkg", "libc6",
    "linux-image-6.1.0-18-amd64", "systemd"], deb["applications"]
assert deb["drive_mappings"] == []
assert fed["mountpoints"] == [{"dev": "/dev/sdb2", "mountpoint": "/"},
                              {"dev": "/dev/sdb1", "mountpoint": "/boot"}]
assert fed["applications"] == []
# hostile.img: an empty /etc/hostname is no host name.
assert "hostname" not in hostile and hostile["distro"] == "debian"
assert hostile["filesystems"] == [{
    "dev": "/dev/sdc1", "type": "ext4",
    "uuid": "66666666-7777-8888-9999-aaaaaaaaaaaa"}]
EOF2
