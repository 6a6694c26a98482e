#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Inspection of guests built to mislead or hang it, in one launch:
#  1. a Linux root whose os-release is a 2 GiB sparse file of zeros,
#     whose hostname is a symlink loop, whose /etc/fstab is binary
#     noise around one good line and a line pointing outside the guest,
#     whose /bin/ls is a truncated ELF header and /bin/bash a symlink
#     to the appliance's own /usr/bin/bash through "..", and whose dpkg
#     status is noise with one valid stanza;
#  2. a Windows-looking tree (on ext4) whose hives are noise and a hive
#     header with its root offset out of range.
# The daemon must answer (no crash, no hang), read nothing outside the
# guests, and the images stay byte-identical.
. "$(dirname "$0")/../functions.sh"
. "$DRYDOCK_TESTS_SRCDIR/data/guest-lib.sh"
requires mke2fs debugfs sfdisk openssl

GL_PROG=$(basename "$0")
gl_init "$scratch"
noise () { head -c "$1" /dev/zero | openssl enc -aes-128-ctr -nosalt \
  -K "$2" -iv 00000000000000000000000000000000; }

t=$scratch/linux
gl_dir "$t" etc
gl_dir "$t" usr/bin
gl_link "$t" bin usr/bin
truncate -s 2G "$t/etc/os-release"
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Hostile"\n' > "$t/etc/lsb-release"
echo '12.1' | gl_put "$t" etc/debian_version
gl_link "$t" etc/hostname hostname.2
gl_link "$t" etc/hostname.2 hostname
{
  noise 3000 00112233445566778899aabbccddeeff
  printf '\nUUID=abcdef00-0000-0000-0000-000000000001 / ext4 defaults 0 1\n'
  printf '/dev/sda1 /srv ext4 defaults 0 2\n'
  printf '/dev/../../proc/self/root /mnt ext4 defaults 0 2\n'
  noise 500 0f0e0d0c0b0a09080706050403020100
} > "$t/etc/fstab"
printf '\x7fELF\x02' > "$t/usr/bin/ls"
gl_link "$t" usr/bin/bash ../../../../../usr/bin/bash
{
  noise 2000 00112233445566778899aabbccddeeff
  printf '\n\nPackage: survivor\nStatus: install ok installed\nVersion: 1:2.0-3\nArchitecture: amd64\nDescription: still here\n\n'
  noise 2000 0f0e0d0c0b0a09080706050403020100
} | gl_put "$t" var/lib/dpkg/status

w=$scratch/windows
gl_dir "$w" WINDOWS/System32/CONFIG
noise 8192 00112233445566778899aabbccddeeff > "$w/WINDOWS/System32/CONFIG/software"
{ printf 'regf'; head -c 32 /dev/zero; printf '\xff\xff\xff\x7f'; head -c 8148 /dev/zero; } \
  > "$w/WINDOWS/System32/CONFIG/SYSTEM"

gl_mkext4 "$scratch/p1" 24 abcdef00-0000-0000-0000-000000000001 "" "$t"
gl_mkext4 "$scratch/p2" 16 abcdef00-0000-0000-0000-000000000002 "" "$w"
gl_disk "$scratch/hostile.img" 48 <<'EOF2'
label: dos
unit: sectors
start=2048, size=49152, type=83
start=51200, size=32768, type=83
EOF2
gl_place "$scratch/p1" "$scratch/hostile.img" 1 24
gl_place "$scratch/p2" "$scratch/hostile.img" 25 16
img=$scratch/hostile.img
before=$(sha "$img")

DRYDOCK_CALL_TIMEOUT=120 ro_shell "$img" <<'EOF2'
run
inspect-os
inspect-get-distro /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-arch /dev/sda1
inspect-get-mountpoints /dev/sda1
inspect-list-applications /dev/sda1
mounts
EOF2

grep -vE '^  (display_name|install_path|publisher|url|source_package|summary|description):' \
  "$scratch/out" > "$scratch/got"
cat > "$scratch/expected" <<'EOF2'
/dev/sda1
debian
12.1
12
1
unknown
unknown
/: /dev/sda1
/srv: /dev/sda1
[0] = {
  name: survivor
  epoch: 1
  version: 2.0
  release: 3
  arch: amd64
}
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "hostile inspection output differs"
expect_eq "image unchanged" "$before" "$(sha "$img")"
