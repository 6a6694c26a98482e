#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: build the Windows test disk images.  NTFS cannot
# be made or filled on the host without root or mounts, so the NTFS
# volumes are made and populated through the drydock appliance itself
# (mkfs ntfs, mkdir-p, upload in one committed 'drydock shell' session);
# partition tables, registry hives and the Linux side are built on the
# host as make-guests.sh does.
#
# Usage: make-windows-guests.sh OUTDIR [IMAGE...]
#   Builds windows.img and dualboot.img (or only the IMAGEs named) into
#   OUTDIR.  DRYDOCK must name the build tree's 'run' script (e.g.
#   DRYDOCK=$PWD/run).  An image whose stamp (OUTDIR/.IMAGE.stamp) holds
#   the sha256 of these scripts and of the empty hive is up to date.
#   Images are built under a temporary name and renamed; OUTDIR/.lock
#   serialises concurrent runs (shared with make-guests.sh).
#
# Exit: 0 success, 1 error, 77 a required tool, an empty hive or
# DRYDOCK is missing (the message says which, and the Debian package),
# 2 usage.
#
# Disk signatures, partition offsets, NTFS serials and ext4 UUIDs are
# fixed; NTFS keeps the times of the build, so the bytes differ between
# builds but every inspection answer does not.  The answers are listed
# in README.md next to this script.

set -euo pipefail

GL_PROG="${0##*/}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/guest-lib.sh"
. "$here/guest-trees.sh"
. "$here/hive-lib.sh"

ALL_IMAGES="windows.img dualboot.img"

# Fixed identifiers (README.md documents them).
WINDOWS_DISK_SIG=0x57d15c01
WINDOWS_C_SERIAL=0123456789ABCDEF
WINDOWS_D_SERIAL=1122334455667788
DUALBOOT_DISK_SIG=0x57d15c02
DUALBOOT_C_SERIAL=0A0B0C0D0E0F1011
DUALBOOT_LINUX_UUID=88888888-9999-aaaa-bbbb-cccccccccccc

skip77 ()
{
  echo "$GL_PROG: error: $*" >&2
  exit 77
}

# --- pieces ---------------------------------------------------------------

# hive OUT < REG: a hive from the minimal one and the .reg text (UTF-8).
hive ()
{
  local msg

  msg="$(hive_build "$1" 2>&1)" || gl_die "$msg"
}

# pe_x64 OUT: the first 512 bytes of a PE32+ executable for x86-64.
pe_x64 ()
{
  {
    printf 'MZ'
    head -c 58 /dev/zero
    printf '\x80\x00\x00\x00'                 # e_lfanew = 0x80
    head -c 64 /dev/zero
    printf 'PE\x00\x00'
    printf '\x64\x86\x00\x00'                 # AMD64, 0 sections
    head -c 12 /dev/zero                      # time, symbols
    printf '\xf0\x00\x22\x00'                 # optional header, flags
    printf '\x0b\x02'                         # PE32+
    head -c 358 /dev/zero
  } >"$1"
  [ "$(stat -c %s "$1")" -eq 512 ] || gl_die "bad PE header size"
}

# le_bytes VALUE N: the N bytes of VALUE, little endian, as .reg hex pairs.
le_bytes ()
{
  local v="$1" n="$2" i out=""
  for ((i = 0; i < n; i++)); do
    out="$out$(printf '%02x' $(( (v >> (8 * i)) & 0xff ))),"
  done
  echo "${out%,}"
}

# mounted_device SIG START_SECTOR: MountedDevices value of an MBR
# partition (disk signature, then the partition's byte offset).
mounted_device ()
{
  echo "hex:$(le_bytes "$1" 4),$(le_bytes $(($2 * 512)) 8)"
}

# windows_tree DIR PRODUCT MAJOR MINOR BUILD TYPE EDITION HOSTNAME MOUNTED:
# the Windows files of a system volume (hives, cmd.exe, ntoskrnl.exe).
# MOUNTED is the .reg text of the MountedDevices values.
windows_tree ()
{
  local t="$1" sw="$1/Windows/System32/config/SOFTWARE"
  local sys="$1/Windows/System32/config/SYSTEM"

  mkdir -p "$t/Windows/System32/config"
  {
    hive_reg_current_version
    cat <<EOF
"ProductName"="$2"
"CurrentMajorVersionNumber"=dword:$(printf '%08x' "$3")
"CurrentMinorVersionNumber"=dword:$(printf '%08x' "$4")
"CurrentBuildNumber"="$5"
"CurrentVersion"="6.3"
"InstallationType"="$6"
"EditionID"="$7"

[\\Microsoft\\Windows]

[\\Microsoft\\Windows\\CurrentVersion]

[\\Microsoft\\Windows\\CurrentVersion\\Uninstall]

[\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\7-Zip]
"DisplayName"="7-Zip 23.01 (x64)"
"DisplayVersion"="23.01"
"Publisher"="Igor Pavlov"
"InstallLocation"="C:\\\\Program Files\\\\7-Zip\\\\"

[\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{D2D0C0C0-0000-4000-8000-000000000001}]
"DisplayName"="Drydock Größenprüfer"
"DisplayVersion"="1.2.3"
"Publisher"="Drydock Project"
"URLInfoAbout"="https://example.com/drydock"

[\\WOW6432Node]

[\\WOW6432Node\\Microsoft]

[\\WOW6432Node\\Microsoft\\Windows]

[\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion]

[\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall]

[\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Notepad++]
"DisplayName"="Notepad++ (32-bit x86)"
"DisplayVersion"="8.6"
"Publisher"="Notepad++ Team"
EOF
  } | hive "$sw"
  hive "$sys" <<EOF
Windows Registry Editor Version 5.00

[\\Select]
"Current"=dword:00000001
"Default"=dword:00000001

[\\ControlSet001]

[\\ControlSet001\\Services]

[\\ControlSet001\\Services\\Tcpip]

[\\ControlSet001\\Services\\Tcpip\\Parameters]
"Hostname"="$8"

[\\MountedDevices]
$9
EOF
  pe_x64 "$t/Windows/System32/cmd.exe"
  pe_x64 "$t/Windows/System32/ntoskrnl.exe"
}

# The drydock shell commands that make an NTFS volume on DEV with LABEL
# and upload the tree DIR (directories first, then files).
ntfs_commands ()
{
  local dev="$1" label="$2" dir="$3" p

  echo "mkfs ntfs $dev label:$label"
  [ -n "$dir" ] || return 0
  echo "mount $dev /"
  (cd "$dir" && find . -mindepth 1 -type d | LC_ALL=C sort) | while read -r p; do
    echo "mkdir-p ${p#.}"
  done
  (cd "$dir" && find . -type f | LC_ALL=C sort) | while read -r p; do
    echo "upload $dir/${p#./} ${p#.}"
  done
  echo "umount /"
}

# drydock_session IMG < COMMANDS: one committed session on IMG (raw).
drydock_session ()
{
  local img="$1" err="$1.drydock-err"

  { echo run; cat; echo "umount-all"; } >"$img.cmds"
  DRYDOCK_CACHEDIR="${DRYDOCK_CACHEDIR:-}" \
    "$DRYDOCK" drydock shell --format raw -a "$img" <"$img.cmds" \
    >"$err" 2>&1 || gl_die "drydock shell on $img failed: $(tail -n 5 "$err")"
  rm -f "$err" "$img.cmds"
}

# set_ntfs_serial DISK START_SECTOR SERIAL_HEX: mkntfs picks a random
# volume serial; write a fixed one into the boot sector and its backup
# (in the last sector of the volume), as 8 bytes little endian.
set_ntfs_serial ()
{
  local disk="$1" start="$2" serial="$3" sectors bytes i off

  [ "$(dd if="$disk" bs=1 skip=$((start * 512 + 3)) count=4 status=none)" = NTFS ] ||
    gl_die "no NTFS boot sector at sector $start of $disk"
  sectors=$(od -An -t u8 -j $((start * 512 + 40)) -N 8 "$disk" | tr -d ' ')
  bytes=""
  for ((i = 14; i >= 0; i -= 2)); do
    bytes="$bytes\\x${serial:i:2}"
  done
  for off in $((start * 512 + 72)) $(((start + sectors) * 512 + 72)); do
    printf '%b' "$bytes" | dd of="$disk" bs=1 seek="$off" conv=notrunc status=none ||
      gl_die "cannot write the NTFS serial into $disk"
  done
}

# --- images: build_<name> OUT WORKDIR -------------------------------------

# windows.img: 64 MiB, MBR; 1: NTFS "C:" at 1 MiB (40 MiB), 2: NTFS
# "D:" at 42 MiB (20 MiB).
build_windows_img ()
{
  windows_tree "$2/c" "Windows Server 2019 Standard" 10 0 17763 Server \
    ServerStandard WIN-DRYDOCK \
    "\"\\\\DosDevices\\\\C:\"=$(mounted_device "$WINDOWS_DISK_SIG" 2048)
\"\\\\DosDevices\\\\D:\"=$(mounted_device "$WINDOWS_DISK_SIG" 86016)"
  mkdir -p "$2/d/Data"
  echo "drydock data volume" >"$2/d/Data/readme.txt"
  gl_disk "$1" 64 <<EOF
label: dos
label-id: $WINDOWS_DISK_SIG
unit: sectors
start=2048, size=81920, type=7, bootable
start=86016, size=40960, type=7
EOF
  { ntfs_commands /dev/sda1 SYSTEM "$2/c"
    ntfs_commands /dev/sda2 DATA "$2/d"; } | drydock_session "$1"
  set_ntfs_serial "$1" 2048 "$WINDOWS_C_SERIAL"
  set_ntfs_serial "$1" 86016 "$WINDOWS_D_SERIAL"
}

# dualboot.img: 64 MiB, MBR; 1: NTFS Windows 10 at 1 MiB (40 MiB),
# 2: ext4 Debian root at 42 MiB (22 MiB).
build_dualboot_img ()
{
  windows_tree "$2/c" "Windows 10 Pro" 10 0 19045 Client Professional \
    DESKTOP-DUAL \
    "\"\\\\DosDevices\\\\C:\"=$(mounted_device "$DUALBOOT_DISK_SIG" 2048)"
  tree_debian "$2/linux" dualboot-linux "$DUALBOOT_LINUX_UUID"
  gl_mkext4 "$2/p2" 22 "$DUALBOOT_LINUX_UUID" "" "$2/linux"
  gl_disk "$1" 64 <<EOF
label: dos
label-id: $DUALBOOT_DISK_SIG
unit: sectors
start=2048, size=81920, type=7, bootable
start=86016, size=45056, type=83
EOF
  gl_place "$2/p2" "$1" 42 22
  ntfs_commands /dev/sda1 Windows "$2/c" | drydock_session "$1"
  set_ntfs_serial "$1" 2048 "$DUALBOOT_C_SERIAL"
}

# --- main -----------------------------------------------------------------

gl_main_args "$@"
PATH="$PATH:/usr/sbin:/sbin"
for tool in sha256sum truncate dd stat od head; do gl_require "$tool" coreutils; done
gl_require flock util-linux
gl_require sfdisk fdisk
gl_require hivexregedit libwin-hivex-perl
case "$wanted" in
  *" dualboot.img "*)
    gl_require_ext4_disk ;;
esac
[ -n "${DRYDOCK:-}" ] ||
  skip77 "DRYDOCK is not set (the build tree's run script, e.g. DRYDOCK=\$PWD/run)"
[ -x "$DRYDOCK" ] || skip77 "DRYDOCK=$DRYDOCK is not an executable"
hive_find_minimal ||
  skip77 "no empty registry hive (python3 missing?)"

gl_build_all gl_one_stamp "$here/make-windows-guests.sh" "$here/guest-lib.sh" \
  "$here/guest-trees.sh" "$here/hive-lib.sh" "$HIVE_MINIMAL"
