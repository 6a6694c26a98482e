#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Windows inspection in the appliance, one launch: a Windows-like tree
# (ext4 standing in for NTFS: inspect_windows does not care) on an MBR
# disk with a known disk signature, a second partition there and a GPT
# disk whose partition GUID is known.  The drive letters of the SYSTEM
# hive's MountedDevices must map to all three (MBR signature + byte
# offset, GPT partition GUID); the getters, the Uninstall keys with
# their non-ASCII names (libhivex needs the appliance's gconv modules)
# and the images must stay byte-identical.
. "$(dirname "$0")/../functions.sh"

requires hivexregedit mke2fs sfdisk python3
. "$DRYDOCK_TESTS_SRCDIR/data/hive-lib.sh"
hive_find_minimal || skip "no empty registry hive (python3 missing?)"

tree=$scratch/tree
config=$tree/Windows/System32/config
mkdir -p "$config"

{
  hive_reg_current_version
  cat <<'EOF'
"ProductName"="Windows 11 Pro"
"CurrentMajorVersionNumber"=dword:0000000a
"CurrentMinorVersionNumber"=dword:00000000
"CurrentVersion"="6.3"
"CurrentBuildNumber"="22631"
"InstallationType"="Client"

[\Microsoft\Windows]

[\Microsoft\Windows\CurrentVersion]

[\Microsoft\Windows\CurrentVersion\Uninstall]

[\Microsoft\Windows\CurrentVersion\Uninstall\Zürich Maps]
"DisplayName"="Zürich Maps ✓"
"DisplayVersion"="2.0"
"Publisher"="Kartografie AG"

[\WOW6432Node]

[\WOW6432Node\Microsoft]

[\WOW6432Node\Microsoft\Windows]

[\WOW6432Node\Microsoft\Windows\CurrentVersion]

[\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall]

[\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{A1B2}]
"DisplayName"="Old Tool (x86)"
"DisplayVersion"="1.0"
"InstallLocation"="C:\\Program Files (x86)\\Old Tool"
EOF
} | hive_build "$config/SOFTWARE" || fail "SOFTWARE hive"

# C: and D: on the MBR disk 0x12345678 at 1 MiB and 16 MiB, E: the GPT
# partition, F: an offset where there is no partition.
{
  hive_reg_tcpip WIN11-DESK
  cat <<'EOF'
[\MountedDevices]
"\\DosDevices\\C:"=hex:78,56,34,12,00,00,10,00,00,00,00,00
"\\DosDevices\\D:"=hex:78,56,34,12,00,00,00,01,00,00,00,00
"\\DosDevices\\E:"=hex:44,4d,49,4f,3a,49,44,3a,33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff
"\\DosDevices\\F:"=hex:78,56,34,12,00,00,20,00,00,00,00,00
EOF
} | hive_build "$config/SYSTEM" || fail "SYSTEM hive"

# A PE header saying x86-64.
python3 -c 'import struct, sys
h = bytearray(512)
h[0:2] = b"MZ"
struct.pack_into("<I", h, 0x3c, 0x80)
h[0x80:0x84] = b"PE\0\0"
struct.pack_into("<H", h, 0x84, 0x8664)
open(sys.argv[1], "wb").write(h)' "$tree/Windows/System32/cmd.exe"

mbr=$scratch/mbr.img
gpt=$scratch/gpt.img
truncate -s 40M "$mbr" "$gpt"
printf 'label: dos\nlabel-id: 0x12345678\nstart=2048, size=30720, type=7\nstart=32768, size=8192, type=7\n' |
  sfdisk -q "$mbr" || fail "sfdisk (MBR)"
mke2fs -q -t ext4 -d "$tree" -E offset=$((2048 * 512)) "$mbr" 15M ||
  fail "mke2fs (C:)"
mke2fs -q -t ext4 -E offset=$((32768 * 512)) "$mbr" 4M || fail "mke2fs (D:)"
printf 'label: gpt\nstart=2048, size=20000, uuid=00112233-4455-6677-8899-AABBCCDDEEFF\n' |
  sfdisk -q "$gpt" || fail "sfdisk (GPT)"
mke2fs -q -t ext4 -E offset=$((2048 * 512)) "$gpt" 9M || fail "mke2fs (E:)"
keep_sums "$mbr" "$gpt"

ro_shell "$mbr" "$gpt" <<'EOF'
run
inspect-os
inspect-get-type /dev/sda1
inspect-get-distro /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-product-variant /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-build-id /dev/sda1
inspect-get-osinfo /dev/sda1
inspect-get-arch /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-package-format /dev/sda1
inspect-get-package-management /dev/sda1
inspect-get-windows-systemroot /dev/sda1
inspect-get-windows-current-control-set /dev/sda1
inspect-get-windows-software-hive /dev/sda1
inspect-get-windows-system-hive /dev/sda1
inspect-get-mountpoints /dev/sda1
inspect-get-drive-mappings /dev/sda1
inspect-list-applications /dev/sda1
EOF

cat > "$scratch/expected" <<'EOF'
/dev/sda1
windows
windows
Windows 11 Pro
Client
10
0
22631
win11
x86_64
WIN11-DESK
unknown
unknown
/Windows
ControlSet001
/Windows/System32/config/SOFTWARE
/Windows/System32/config/SYSTEM
/: /dev/sda1
C: /dev/sda1
D: /dev/sda2
E: /dev/sdb1
EOF
head -n "$(wc -l < "$scratch/expected")" "$scratch/out" > "$scratch/head"
diff -u "$scratch/expected" "$scratch/head" || fail "inspection output differs"
no_errors

names=$(app_names "$scratch/out" '|')
expect_eq "application names" "Zürich Maps|{A1B2}|" "$names"
grep -A1 '^  name: Zürich Maps$' "$scratch/out" |
  grep -qx '  display_name: Zürich Maps ✓' || fail "display name"
grep -A6 '^  name: {A1B2}$' "$scratch/out" |
  grep -qxF '  install_path: C:\Program Files (x86)\Old Tool' || fail "install path"

sums_unchanged
exit 0
