#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Windows inspection on NTFS (through ntfs-3g in the appliance), one
# --ro launch over both images of tests/data/make-windows-guests.sh:
# windows.img (sda: Windows Server 2019 on C:, a data volume D:) and
# dualboot.img (sdb: Windows 10 Pro on NTFS next to a Debian-like ext4
# root).  Every answer README.md lists for them: the roots, type,
# distro, product name and variant, versions, build id, arch, hostname,
# osinfo, system root, control set, drive mappings, applications, the
# fixed labels and UUIDs (NTFS serials) of the filesystems; then
# inspect-mount-root of the Windows root and a listing of it.  Both
# images must stay byte-identical.
. "$(dirname "$0")/../functions.sh"

win=$(windows_guest windows.img)
dual=$(windows_guest dualboot.img)
keep_sums "$win" "$dual"

ro_shell "$win" "$dual" <<'EOF2'
run
list-filesystems
vfs-label /dev/sda1
vfs-uuid /dev/sda1
vfs-label /dev/sda2
vfs-uuid /dev/sda2
vfs-label /dev/sdb1
vfs-uuid /dev/sdb1
vfs-uuid /dev/sdb2
echo == roots
inspect-os
echo == windows.img
inspect-get-type /dev/sda1
inspect-get-distro /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-product-variant /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-build-id /dev/sda1
inspect-get-arch /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-osinfo /dev/sda1
inspect-get-windows-systemroot /dev/sda1
inspect-get-windows-current-control-set /dev/sda1
inspect-get-mountpoints /dev/sda1
inspect-get-drive-mappings /dev/sda1
echo == dualboot.img windows
inspect-get-type /dev/sdb1
inspect-get-distro /dev/sdb1
inspect-get-product-name /dev/sdb1
inspect-get-product-variant /dev/sdb1
inspect-get-major-version /dev/sdb1
inspect-get-minor-version /dev/sdb1
inspect-get-build-id /dev/sdb1
inspect-get-arch /dev/sdb1
inspect-get-hostname /dev/sdb1
inspect-get-osinfo /dev/sdb1
inspect-get-windows-systemroot /dev/sdb1
inspect-get-windows-current-control-set /dev/sdb1
inspect-get-drive-mappings /dev/sdb1
echo == dualboot.img linux
inspect-get-type /dev/sdb2
inspect-get-distro /dev/sdb2
inspect-get-major-version /dev/sdb2
inspect-get-hostname /dev/sdb2
inspect-get-mountpoints /dev/sdb2
echo == mount-root
inspect-mount-root /dev/sda1 readonly:true
mounts
ls /
ls /Windows/System32
ls /Windows/System32/config
umount-all
inspect-mount-root /dev/sdb1 readonly:true
ls /Windows/System32
umount-all
echo == applications
inspect-list-applications /dev/sda1
EOF2
no_errors
cat > "$scratch/expected" <<'EOF2'
/dev/sda1: ntfs
/dev/sda2: ntfs
/dev/sdb1: ntfs
/dev/sdb2: ext4
SYSTEM
0123456789ABCDEF
DATA
1122334455667788
Windows
0A0B0C0D0E0F1011
88888888-9999-aaaa-bbbb-cccccccccccc
== roots
/dev/sda1
/dev/sdb1
/dev/sdb2
== windows.img
windows
windows
Windows Server 2019 Standard
Server
10
0
17763
x86_64
WIN-DRYDOCK
win2k19
/Windows
ControlSet001
/: /dev/sda1
C: /dev/sda1
D: /dev/sda2
== dualboot.img windows
windows
windows
Windows 10 Pro
Client
10
0
19045
x86_64
DESKTOP-DUAL
win10
/Windows
ControlSet001
C: /dev/sdb1
== dualboot.img linux
linux
debian
12
dualboot-linux
/: /dev/sdb2
== mount-root
/dev/sda1
Windows
cmd.exe
config
ntoskrnl.exe
SOFTWARE
SYSTEM
cmd.exe
config
ntoskrnl.exe
== applications
EOF2
sed -n '1,/^== applications$/p' "$scratch/out" > "$scratch/head"
diff -u "$scratch/expected" "$scratch/head" || fail "inspection output differs"

# Applications: sorted by name, the WOW6432Node one included, UTF-8 kept.
sed -n '/^== applications$/,$p' "$scratch/out" > "$scratch/apps"
names=$(app_names "$scratch/apps" '|')
expect_eq "application names" \
  "7-Zip|Notepad++|{D2D0C0C0-0000-4000-8000-000000000001}|" "$names"
for want in "  display_name: 7-Zip 23.01 (x64)" "  version: 23.01" \
            "  publisher: Igor Pavlov" \
            '  install_path: C:\Program Files\7-Zip\' \
            "  display_name: Notepad++ (32-bit x86)" "  version: 8.6" \
            "  display_name: Drydock Größenprüfer" "  version: 1.2.3" \
            "  url: https://example.com/drydock"; do
  grep -qxF -- "$want" "$scratch/apps" || fail "no application line '$want'"
done

sums_unchanged
exit 0
