#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: build the phony guest disk images the test suites
# use, from nothing (no downloads, no root, no loop devices, no mounts).
#
# Usage: make-guests.sh OUTDIR [IMAGE...]
#   Builds every image (or only the IMAGEs named) into OUTDIR; an
#   optional image (busybox.img) whose tools are missing is left out
#   unless it is named.  An image whose stamp (OUTDIR/.IMAGE.stamp)
#   holds the sha256 of these scripts is up to date and is not rebuilt.  debian.qcow2 also builds
#   debian.img.  Images are built under a temporary name and renamed, and
#   OUTDIR/.lock serialises concurrent runs.
#
# Exit: 0 success, 1 error, 77 a required tool is missing (the message
# names the Debian package), 2 usage.
#
# What each image contains, and what tests may assert about it, is in
# README.md next to this script.

set -euo pipefail

GL_PROG="${0##*/}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/guest-lib.sh"
. "$here/guest-trees.sh"

ALL_IMAGES="debian.img fedora.img xfs.img vfat.img debian.qcow2 empty.img hostile.img busybox.img sysprep.img"
# Built by default only when the host has what they need.
OPTIONAL_IMAGES="busybox.img"

# Fixed identifiers: README.md documents them, tests compare against them.
DEBIAN_UUID=11111111-2222-3333-4444-555555555555
FEDORA_BOOT_UUID=22222222-3333-4444-5555-666666666666
FEDORA_ROOT_UUID=33333333-4444-5555-6666-777777777777
XFS_UUID=44444444-5555-6666-7777-888888888888
VFAT_VOLID=1234ABCD
HOSTILE_UUID=66666666-7777-8888-9999-aaaaaaaaaaaa
BUSYBOX_UUID=77777777-8888-9999-aaaa-bbbbbbbbbbbb
GPT_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4
SYSPREP_RHEL_UUID=5e5e0001-0000-4000-8000-000000000001
SYSPREP_DEBIAN_UUID=5e5e0002-0000-4000-8000-000000000002
SYSPREP_SWAP_UUID=5e5e0003-0000-4000-8000-000000000003

# --- one function per image: build_<name> OUT WORKDIR ---------------------

build_debian_img ()
{
  tree_debian "$2/tree" debian-guest "$DEBIAN_UUID"
  gl_mkext4 "$2/p1" 127 "$DEBIAN_UUID" "" "$2/tree"
  gl_disk "$1" 128 <<'EOF'
label: dos
label-id: 0xdeb12000
unit: sectors
start=2048, size=260096, type=83, bootable
EOF
  gl_place "$2/p1" "$1" 1 127
}

build_fedora_img ()
{
  gl_dir "$2" boot
  tree_fedora_boot "$2/boot" "$FEDORA_ROOT_UUID"
  tree_fedora_root "$2/root" fedora-guest "$FEDORA_ROOT_UUID"
  gl_mkext4 "$2/p1" 32 "$FEDORA_BOOT_UUID" boot "$2/boot"
  gl_mkext4 "$2/p2" 94 "$FEDORA_ROOT_UUID" "" "$2/root"
  gl_disk "$1" 128 <<EOF
label: gpt
label-id: F3900000-0000-4000-8000-000000000000
unit: sectors
first-lba: 2048
start=2048, size=65536, type=$GPT_LINUX, uuid=F3900000-0000-4000-8000-000000000001, name="boot"
start=67584, size=192512, type=$GPT_LINUX, uuid=F3900000-0000-4000-8000-000000000002, name="root"
EOF
  gl_place "$2/p1" "$1" 1 32
  gl_place "$2/p2" "$1" 33 94
}

build_xfs_img ()
{
  proto_xfs "$2"
  # 300 MiB is the smallest XFS that xfsprogs >= 5.19 will make.
  gl_mkxfs "$1" 300 "$XFS_UUID" xfsdata "$2"
}

build_vfat_img ()
{
  tree_vfat "$2/tree"
  gl_mkvfat "$2/p1" 63 "$VFAT_VOLID" VFATDATA "$2/tree"
  gl_disk "$1" 64 <<'EOF'
label: dos
label-id: 0xfa7fa700
unit: sectors
start=2048, size=129024, type=c
EOF
  gl_place "$2/p1" "$1" 1 63
}

build_debian_qcow2 ()
{
  qemu-img convert -q -f raw -O qcow2 -o compat=1.1 \
    "$OUTDIR/debian.img" "$1" || gl_die "qemu-img convert failed"
}

build_empty_img ()
{
  truncate -s 64M "$1"
}

build_hostile_img ()
{
  tree_hostile "$2/tree" "$HOSTILE_UUID"
  gl_mkext4 "$2/p1" 63 "$HOSTILE_UUID" "" "$2/tree"
  gl_disk "$1" 64 <<'EOF'
label: dos
label-id: 0xbadbad00
unit: sectors
start=2048, size=129024, type=83
EOF
  gl_place "$2/p1" "$1" 1 63
}

build_busybox_img ()
{
  tree_busybox "$2/tree" "$BUSYBOX" busybox-guest
  gl_mkext4 "$1" 16 "$BUSYBOX_UUID" busybox "$2/tree"
}

build_sysprep_img ()
{
  local err="$2/err"

  tree_sysprep_rhel "$2/rhel" "$SYSPREP_RHEL_UUID" "$SYSPREP_SWAP_UUID"
  tree_sysprep_debian "$2/debian" "$SYSPREP_DEBIAN_UUID"
  gl_mkext4 "$2/p1" 48 "$SYSPREP_RHEL_UUID" "" "$2/rhel"
  gl_mkext4 "$2/p2" 48 "$SYSPREP_DEBIAN_UUID" "" "$2/debian"
  truncate -s 8M "$2/p3"
  mkswap -U "$SYSPREP_SWAP_UUID" -L swap "$2/p3" >"$err" 2>&1 ||
    gl_die "mkswap failed: $(cat "$err")"
  gl_disk "$1" 112 <<'EOF'
label: dos
label-id: 0x5e5e5e00
unit: sectors
start=2048, size=98304, type=83, bootable
start=100352, size=98304, type=83
start=198656, size=16384, type=82
EOF
  gl_place "$2/p1" "$1" 1 48
  gl_place "$2/p2" "$1" 49 48
  gl_place "$2/p3" "$1" 97 8
}

# --- required tools, per image --------------------------------------------

require_image ()
{
  case "$1" in
    debian.img)   gl_require_ext4_disk ;;
    fedora.img)   gl_require_ext4_disk ;;
    xfs.img)      gl_require mkfs.xfs xfsprogs ;;
    vfat.img)     gl_require mkfs.fat dosfstools
                  gl_require mcopy mtools
                  gl_require sfdisk fdisk ;;
    debian.qcow2) gl_require_ext4_disk
                  gl_require qemu-img qemu-utils ;;
    empty.img)    ;;
    hostile.img)  gl_require_ext4_disk
                  gl_require openssl openssl ;;
    sysprep.img)  gl_require_ext4_disk
                  gl_require mkswap util-linux ;;
    busybox.img)  gl_require_ext4_disk
                  require_busybox ;;
  esac
}

# The guest runs the host's busybox, so it must need no shared library:
# sets BUSYBOX to its path.
require_busybox ()
{
  gl_require busybox busybox-static
  gl_require ldd libc-bin
  BUSYBOX="$(command -v busybox)"
  if [ ! -f "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
    echo "$GL_PROG: error: '$BUSYBOX' is not a static executable;" \
         "install the Debian package 'busybox-static'" >&2
    exit 77
  fi
}

# What OUTDIR/.IMAGE.stamp holds when IMAGE is up to date: the scripts'
# hash, and for busybox.img that of the busybox copied in.
image_stamp ()
{
  case "$1" in
    busybox.img) echo "$GL_STAMP $(sha256sum <"$BUSYBOX" | cut -d' ' -f1)" ;;
    *)           echo "$GL_STAMP" ;;
  esac
}

# --- main -----------------------------------------------------------------

named=$(($# - 1))
gl_main_args "$@"
case "$wanted" in *" debian.qcow2 "*) wanted="$wanted debian.img " ;; esac

# gl_init puts /usr/sbin on PATH, so check tools after it (in a throwaway
# directory first; the real one lives in OUTDIR).
PATH="$PATH:/usr/sbin:/sbin"
for tool in sha256sum truncate dd stat; do gl_require "$tool" coreutils; done
gl_require flock util-linux
for img in $ALL_IMAGES; do
  case "$wanted" in *" $img "*) ;; *) continue ;; esac
  # Unless named, an optional image whose tools are missing is left out.
  case " $OPTIONAL_IMAGES " in
    *" $img "*)
      if [ "$named" -eq 0 ] && ! (require_image "$img") 2>/dev/null; then
        echo "$GL_PROG: $img: skipped (run '$GL_PROG OUTDIR $img' for why)"
        wanted="${wanted/ $img / }"
        continue
      fi ;;
  esac
  require_image "$img"
done

# Fixed order: debian.img before debian.qcow2.
gl_build_all image_stamp "$here/make-guests.sh" "$here/guest-lib.sh" \
  "$here/guest-trees.sh"
