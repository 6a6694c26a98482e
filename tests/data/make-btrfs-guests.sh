#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: build the guest images whose root is a btrfs
# subvolume, for the inspection tests.
#
# Usage: make-btrfs-guests.sh OUTDIR [IMAGE...]
#   Builds every image (or only the IMAGEs named) into OUTDIR, with the
#   conventions of make-guests.sh (stamps, temporary names, OUTDIR/.lock).
#
#   fedora-btrfs.img   GPT: sda1 /boot (ext4, built on the host), sda2 a
#                      btrfs labelled "fedora" with the subvolumes root
#                      (Fedora 39), home, home/nested and snapshots (no
#                      root); the fstab names / and /home by UUID= and
#                      subvol=.
#   opensuse-btrfs.img MBR: sda1 a btrfs laid out as openSUSE does: the
#                      subvolumes @ (256), @/home (257), @/.snapshots
#                      (258) and @/.snapshots/1/snapshot (259, the
#                      default subvolume, openSUSE Leap 15.5); the fstab
#                      mounts / without a subvolume option.
#   btrfs-hostile.img  MBR: sda1 a btrfs whose subvolumes are root (a
#                      Linux root whose fstab has garbage subvol= and
#                      subvolid= values), "with space" (a second root),
#                      a name holding a newline and a fake listing line,
#                      and a 255-byte name.
#   btrfs-many.img     MBR: sda1 a btrfs with 300 subvolumes s001 to
#                      s300: s001 holds a Linux root (hostname
#                      many-first), s300 a second one (many-last), past
#                      the 256 subvolumes inspection looks into.
#
#   The btrfs parts are made by the appliance: the shell is
#   "$DRYDOCK drydock shell", DRYDOCK being the build tree's ./run (exit
#   77 when unset).  Not byte-reproducible (btrfs gets a random UUID).
#
# Exit: 0 success, 1 error, 2 usage, 77 a tool is missing or DRYDOCK is
# unset.  README.md next to this script lists what inspection must say.

set -euo pipefail

GL_PROG="${0##*/}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/guest-lib.sh"
. "$here/guest-trees.sh"

ALL_IMAGES="fedora-btrfs.img opensuse-btrfs.img btrfs-hostile.img btrfs-many.img"

BTRFS_BOOT_UUID=b7f50000-0000-4000-8000-000000000001
GPT_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4

# A name with a newline, whose second line looks like a line of
# "btrfs subvolume list" naming a path out of the filesystem.
EVIL_NAME='evil
ID 256 gen 1 top level 5 path ..'
LONG_NAME="$(printf 'L%.0s' $(seq 255))"

fedora39_release ()
{
  gl_put "$1" etc/os-release <<'EOF'
NAME="Fedora Linux"
VERSION="39 (Workstation Edition)"
ID=fedora
VERSION_ID=39
PLATFORM_ID="platform:f39"
PRETTY_NAME="Fedora Linux 39 (Workstation Edition)"
CPE_NAME="cpe:/o:fedoraproject:fedora:39"
VARIANT="Workstation Edition"
VARIANT_ID=workstation
EOF
  echo "Fedora release 39 (Thirty Nine)" | gl_put "$1" etc/fedora-release
}

# gl_tar TREE OUT: a reproducible tarball of TREE's contents.
bt_tar ()
{
  tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$GL_EPOCH" --format=gnu -cf "$2" . ||
    gl_die "tar of $1 failed"
}

# bt_shell IMAGE ERRFILE: runs the shell's commands on stdin over IMAGE,
# its output on stdout.
bt_shell ()
{
  "$DRYDOCK" drydock shell --format raw -a "$1" 2>"$2" ||
    gl_die "drydock shell failed on $1: $(tail -n 5 "$2")"
}

# bt_fstab IMAGE WORKDIR UUID ROOT LINE...: the /etc/fstab of the root
# ROOT (a device or btrfsvol: name) made of the LINEs, once the first
# shell gave the filesystem's UUID.
bt_fstab ()
{
  local img=$1 w=$2 uuid=$3 root=$4 fstab

  shift 4
  [ -n "$uuid" ] || gl_die "no UUID for the btrfs of $img"
  fstab=$(printf '%s\\n' "$@")
  bt_shell "$img" "$w/err2" >/dev/null <<EOF
run
mount $root /
write /etc/fstab "$fstab"
umount-all
sync
EOF
}

build_fedora_btrfs_img ()
{
  local w="$2" uuid

  tree_skel "$w/root"
  fedora39_release "$w/root"
  echo fedora-btrfs | gl_put "$w/root" etc/hostname
  bt_tar "$w/root" "$w/root.tar"
  gl_dir "$w" boot
  gl_put "$w/boot" grub2/grub.cfg <<<'blscfg'
  echo "boot partition" | gl_put "$w/boot" README
  gl_mkext4 "$w/p1" 16 "$BTRFS_BOOT_UUID" "" "$w/boot"
  gl_disk "$1" 200 <<EOF
label: gpt
label-id: B7F50000-0000-4000-8000-000000000000
unit: sectors
first-lba: 2048
start=2048, size=32768, type=$GPT_LINUX, name="boot"
start=34816, size=370688, type=$GPT_LINUX, name="root"
EOF
  gl_place "$w/p1" "$1" 1 16
  uuid=$(bt_shell "$1" "$w/err1" <<EOF
run
mkfs btrfs /dev/sda2 label:fedora
mount /dev/sda2 /
btrfs-subvolume-create /root
btrfs-subvolume-create /home
btrfs-subvolume-create /home/nested
btrfs-subvolume-create /snapshots
tar-in $w/root.tar /root
mkdir /home/alice
write /home/alice/notes.txt "alice's notes"
write /home/nested/inside "in the nested subvolume"
write /snapshots/README "no root here"
umount-all
vfs-uuid /dev/sda2
EOF
)
  bt_fstab "$1" "$w" "$uuid" btrfsvol:/dev/sda2/root \
    "# /etc/fstab, as Anaconda writes it" \
    "UUID=$uuid /                       btrfs   subvol=root,compress=zstd:1 0 0" \
    "UUID=$BTRFS_BOOT_UUID /boot                   ext4    defaults        1 2" \
    "UUID=$uuid /home                   btrfs   subvol=/home,compress=zstd:1 0 0"
}

build_opensuse_btrfs_img ()
{
  local w="$2" uuid snap=/@/.snapshots/1/snapshot

  tree_skel "$w/root"
  gl_dir "$w/root" .snapshots
  gl_put "$w/root" etc/os-release <<'EOF'
NAME="openSUSE Leap"
VERSION="15.5"
ID="opensuse-leap"
ID_LIKE="suse opensuse"
VERSION_ID="15.5"
PRETTY_NAME="openSUSE Leap 15.5"
CPE_NAME="cpe:/o:opensuse:leap:15.5"
EOF
  echo leap-btrfs | gl_put "$w/root" etc/hostname
  bt_tar "$w/root" "$w/root.tar"
  gl_disk "$1" 160 <<EOF
label: dos
label-id: 0xb7f55e00
unit: sectors
start=2048, size=325632, type=83
EOF
  uuid=$(bt_shell "$1" "$w/err1" <<EOF
run
mkfs btrfs /dev/sda1
mount /dev/sda1 /
btrfs-subvolume-create /@
btrfs-subvolume-create /@/home
btrfs-subvolume-create /@/.snapshots
mkdir /@/.snapshots/1
btrfs-subvolume-create $snap
btrfs-subvolume-set-default 259 /
tar-in $w/root.tar $snap
mkdir /@/home/bob
write /@/home/bob/notes "bob's notes"
umount-all
vfs-uuid /dev/sda1
EOF
)
  bt_fstab "$1" "$w" "$uuid" /dev/sda1 \
    "UUID=$uuid / btrfs defaults 0 0" \
    "UUID=$uuid /home btrfs subvol=/@/home 0 0" \
    "UUID=$uuid /.snapshots btrfs subvol=/@/.snapshots 0 0"
}

build_btrfs_hostile_img ()
{
  local w="$2" uuid

  tree_skel "$w/root"
  fedora39_release "$w/root"
  echo hostile-btrfs | gl_put "$w/root" etc/hostname
  bt_tar "$w/root" "$w/root.tar"
  gl_disk "$1" 160 <<EOF
label: dos
label-id: 0xb7f5bad0
unit: sectors
start=2048, size=325632, type=83
EOF
  uuid=$(bt_shell "$1" "$w/err1" <<EOF
run
mkfs btrfs /dev/sda1
mount /dev/sda1 /
btrfs-subvolume-create /root
btrfs-subvolume-create "/with space"
btrfs-subvolume-create "/${EVIL_NAME//$'\n'/\\n}"
btrfs-subvolume-create /evil
btrfs-subvolume-create /$LONG_NAME
tar-in $w/root.tar /root
tar-in $w/root.tar "/with space"
write "/with space/etc/hostname" "spaced"
write "/${EVIL_NAME//$'\n'/\\n}/marker" "evil"
umount-all
vfs-uuid /dev/sda1
EOF
)
  bt_fstab "$1" "$w" "$uuid" btrfsvol:/dev/sda1/root \
    "UUID=$uuid / btrfs subvol=root 0 0" \
    "UUID=$uuid /a btrfs subvol=../../../etc 0 0" \
    "UUID=$uuid /b btrfs subvol=nosuch 0 0" \
    "UUID=$uuid /c btrfs subvolid=99999999999999999999999 0 0" \
    "UUID=$uuid /d btrfs subvolid=abc 0 0" \
    "UUID=$uuid /e btrfs subvol=evil" \
    "UUID=$uuid /f btrfs subvol=,subvolid=-1 0 0" \
    "UUID=$uuid /g btrfs subvol=//evil// 0 0" \
    "UUID=$uuid /h btrfs subvolid=5 0 0" \
    "UUID=$uuid /i btrfs defaults 0 0"
}

build_btrfs_many_img ()
{
  local w="$2" i

  tree_skel "$w/root"
  fedora39_release "$w/root"
  echo many-first | gl_put "$w/root" etc/hostname
  bt_tar "$w/root" "$w/first.tar"
  echo many-last | gl_put "$w/root" etc/hostname
  bt_tar "$w/root" "$w/last.tar"
  gl_disk "$1" 160 <<EOF
label: dos
label-id: 0xb7f5a300
unit: sectors
start=2048, size=325632, type=83
EOF
  {
    printf '%s\n' run 'mkfs btrfs /dev/sda1' 'mount /dev/sda1 /'
    for i in $(seq -w 1 300); do
      echo "btrfs-subvolume-create /s$i"
    done
    printf '%s\n' "tar-in $w/first.tar /s001" "tar-in $w/last.tar /s300" \
      umount-all sync
  } | bt_shell "$1" "$w/err1" > /dev/null
}

require_image ()
{
  gl_require_ext4_disk
  gl_require tar tar
  [ -n "${DRYDOCK:-}" ] || {
    echo "$GL_PROG: error: $1 needs the appliance: set DRYDOCK to the" \
         "build tree's 'run' script" >&2
    exit 77
  }
  [ -x "$DRYDOCK" ] || gl_die "DRYDOCK='$DRYDOCK' is not executable"
}

gl_main_args "$@"
PATH="$PATH:/usr/sbin:/sbin"
for tool in sha256sum truncate dd stat seq; do gl_require "$tool" coreutils; done
gl_require flock util-linux
for img in $wanted; do
  require_image "$img"
done

gl_build_all gl_one_stamp "$here/make-btrfs-guests.sh" "$here/guest-lib.sh" \
  "$here/guest-trees.sh"
