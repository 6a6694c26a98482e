#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock inspect of a Windows guest: a Windows-like tree (ext4 standing
# in for NTFS, which Windows inspection does not look at) with SOFTWARE
# and SYSTEM hives built by hivexregedit, on an MBR disk whose signature
# the SYSTEM hive's MountedDevices names for C: and D:.  The whole XML
# document is compared (the Windows elements where virt-inspector puts
# them, drive letters, non-ASCII application names kept as UTF-8), then
# the JSON's extra build_id.  Skips without hivexregedit or an empty
# hive to start from.
. "$(dirname "$0")/../functions.sh"

requires hivexregedit mke2fs sfdisk python3
. "$DRYDOCK_TESTS_SRCDIR/data/hive-lib.sh"
hive_find_minimal || skip "no empty registry hive (python3 missing?)"

tree=$scratch/tree
config=$tree/Windows/System32/config
mkdir -p "$config"

{
  hive_reg_current_version
  cat <<'EOF2'
"ProductName"="Windows Server 2019 Standard"
"CurrentMajorVersionNumber"=dword:0000000a
"CurrentMinorVersionNumber"=dword:00000000
"CurrentVersion"="6.3"
"CurrentBuildNumber"="17763"
"InstallationType"="Server"

[\Microsoft\Windows]

[\Microsoft\Windows\CurrentVersion]

[\Microsoft\Windows\CurrentVersion\Uninstall]

[\Microsoft\Windows\CurrentVersion\Uninstall\Zürich Maps]
"DisplayName"="Zürich Maps ✓"
"DisplayVersion"="2.0"
"Publisher"="Kartografie & Söhne <AG>"
"URLInfoAbout"="https://example.com/maps?a=1&b=2"

[\Microsoft\Windows\CurrentVersion\Uninstall\{A1B2}]
"DisplayName"="Old Tool"
"DisplayVersion"="1.0"
"InstallLocation"="C:\\Program Files\\Old Tool"
EOF2
} | hive_build "$config/SOFTWARE" || fail "SOFTWARE hive"

{
  hive_reg_tcpip WIN-SRV19
  cat <<'EOF2'
[\MountedDevices]
"\\DosDevices\\C:"=hex:78,56,34,12,00,00,10,00,00,00,00,00
"\\DosDevices\\D:"=hex:78,56,34,12,00,00,00,01,00,00,00,00
EOF2
} | hive_build "$config/SYSTEM" || fail "SYSTEM hive"

# A PE header saying x86-64.
python3 -c 'import struct, sys
h = bytearray(512)
h[0:2] = b"MZ"
struct.pack_into("<I", h, 0x3c, 0x80)
h[0x80:0x84] = b"PE\0\0"
struct.pack_into("<H", h, 0x84, 0x8664)
open(sys.argv[1], "wb").write(h)' "$tree/Windows/System32/cmd.exe"

img=$scratch/win.img
truncate -s 40M "$img"
printf 'label: dos\nlabel-id: 0x12345678\nstart=2048, size=30720, type=7\nstart=32768, size=8192, type=7\n' |
  sfdisk -q "$img" || fail "sfdisk"
mke2fs -q -t ext4 -U 99999999-8888-7777-6666-555555555555 -L WINDOWS \
  -d "$tree" -E offset=$((2048 * 512)) "$img" 15M || fail "mke2fs (C:)"
mke2fs -q -t ext4 -U 99999999-8888-7777-6666-444444444444 \
  -E offset=$((32768 * 512)) "$img" 4M || fail "mke2fs (D:)"
sum=$(sha "$img")

drydock inspect --format raw -a "$img" > "$scratch/out.xml" 2> "$scratch/err" ||
  fail "inspect failed: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
<?xml version="1.0"?>
<operatingsystems>
  <operatingsystem>
    <root>/dev/sda1</root>
    <name>windows</name>
    <arch>x86_64</arch>
    <distro>windows</distro>
    <product_name>Windows Server 2019 Standard</product_name>
    <product_variant>Server</product_variant>
    <major_version>10</major_version>
    <minor_version>0</minor_version>
    <windows_systemroot>/Windows</windows_systemroot>
    <windows_current_control_set>ControlSet001</windows_current_control_set>
    <hostname>WIN-SRV19</hostname>
    <osinfo>win2k19</osinfo>
    <mountpoints>
      <mountpoint dev="/dev/sda1">/</mountpoint>
    </mountpoints>
    <filesystems>
      <filesystem dev="/dev/sda1">
        <type>ext4</type>
        <label>WINDOWS</label>
        <uuid>99999999-8888-7777-6666-555555555555</uuid>
      </filesystem>
    </filesystems>
    <drive_mappings>
      <drive_mapping name="C">/dev/sda1</drive_mapping>
      <drive_mapping name="D">/dev/sda2</drive_mapping>
    </drive_mappings>
    <applications>
      <application>
        <name>Zürich Maps</name>
        <display_name>Zürich Maps ✓</display_name>
        <version>2.0</version>
        <publisher>Kartografie &amp; Söhne &lt;AG&gt;</publisher>
        <url>https://example.com/maps?a=1&amp;b=2</url>
      </application>
      <application>
        <name>{A1B2}</name>
        <display_name>Old Tool</display_name>
        <version>1.0</version>
        <install_path>C:\Program Files\Old Tool</install_path>
      </application>
    </applications>
  </operatingsystem>
</operatingsystems>
EOF2
diff -u "$scratch/expected" "$scratch/out.xml" || fail "Windows XML differs"

rng=/usr/share/doc/guestfs-tools/virt-inspector.rng.gz
if [ -f "$rng" ] && command -v xmllint >/dev/null; then
  zcat "$rng" > "$scratch/virt-inspector.rng"
  xmllint --noout --relaxng "$scratch/virt-inspector.rng" "$scratch/out.xml" \
    2> "$scratch/err" || fail "not valid for virt-inspector.rng: $(cat "$scratch/err")"
fi

drydock inspect --json --no-applications --format raw -a "$img" \
  > "$scratch/out.json" 2> "$scratch/err" ||
  fail "inspect --json failed: $(cat "$scratch/err")"
python3 - "$scratch/out.json" <<'EOF2' || fail "JSON facts"
import json, sys
(w,) = json.load(open(sys.argv[1]))["operatingsystems"]
assert w["name"] == "windows" and w["build_id"] == "17763", w
assert w["windows_systemroot"] == "/Windows", w
assert w["drive_mappings"] == [{"name": "C", "dev": "/dev/sda1"},
                               {"name": "D", "dev": "/dev/sda2"}], w
assert "applications" not in w and "package_format" not in w, w
EOF2

expect_eq "image unchanged" "$sum" "$(sha "$img")"
