#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Damaged filesystems and LVM metadata, each a raw disk whose whole
# device holds it: an ext4 superblock with an impossible block size, an
# XFS superblock whose checksum is wrong, an XFS superblock with an
# impossible size (no filesystem is recognised at all), an NTFS volume
# whose $MFTMirr is not a mirror of $MFT, and an LVM physical volume
# whose metadata text is garbled.  drydock cat of a file on each is
# one line naming the device, the image and the reason (the kernel's
# words, ntfs-3g's, lvm's), exit status 1, within the call timeout;
# drydock inspect finds no operating system without failing or
# hanging, and warns of each damaged filesystem it could not mount; the
# images stay byte-identical.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"
requires mke2fs mkfs.xfs python3

export LC_ALL=C
d=$scratch/c
mkdir -p "$d" "$scratch/t/etc"
printf 'damaged\n' > "$scratch/t/etc/hostname"

mke2fs -q -F -t ext4 -d "$scratch/t" "$d/ext4.img" 32M > /dev/null
truncate -s 300M "$d/xfs-csum.img" "$d/xfs-size.img"
mkfs.xfs -q -f "$d/xfs-csum.img"
mkfs.xfs -q -f "$d/xfs-size.img"
python3 - "$d" <<'PY'
import struct, sys
d = sys.argv[1]
def patch(name, off, data):
    with open("%s/%s.img" % (d, name), "r+b") as f:
        f.seek(off)
        f.write(data)
patch("ext4", 1024 + 24, struct.pack("<I", 30))       # s_log_block_size
patch("xfs-csum", 108, b"damaged")                     # sb_fname, CRC kept
patch("xfs-size", 8, struct.pack(">Q", 1 << 60))       # sb_dblocks
PY
imgs=(ext4 xfs-csum xfs-size)
if command -v mkntfs >/dev/null 2>&1; then
  truncate -s 16M "$d/ntfs.img"
  mkntfs -q -F -Q "$d/ntfs.img" > /dev/null 2>&1 || fail "mkntfs"
  python3 - "$d/ntfs.img" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    bs = f.read(512)
    cluster = struct.unpack_from("<H", bs, 11)[0] * bs[13]
    f.seek(struct.unpack_from("<Q", bs, 0x38)[0] * cluster)   # $MFTMirr
    f.write(b"XXXX")
PY
  imgs+=(ntfs)
fi

# The LVM disk: a volume group vgbad with an ext4 LV, its metadata
# text then garbled (the checksum no longer matches).
truncate -s 64M "$d/lvm.img"
drydock shell --format raw -a "$d/lvm.img" > /dev/null 2> "$scratch/err" <<'EOF' ||
run
pvcreate /dev/sda
vgcreate vgbad /dev/sda
lvcreate lvroot vgbad 16
mkfs ext4 /dev/vgbad/lvroot
mount /dev/vgbad/lvroot /
mkdir /etc
write /etc/hostname damaged
EOF
  fail "making the LVM disk: $(cat "$scratch/err")"
python3 - "$d/lvm.img" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
n = 0
i = b.find(b"vgbad {")
while i >= 0:
    b[i:i + 7] = b"vg#ad {"
    n += 1
    i = b.find(b"vgbad {", i + 1)
assert n > 0, "no metadata text found"
open(sys.argv[1], "wb").write(b)
PY
imgs+=(lvm)

files=()
for i in "${imgs[@]}"; do files+=("$d/$i.img"); done
keep_sums "${files[@]}"

# cat_fails NAME DEVICE PATTERN: drydock cat on NAME.img fails with one
# line matching PATTERN (the image's path is appended to it).
cat_fails ()
{
  local name=$1 dev=$2 pattern=$3 rc=0
  DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 600 \
    drydock cat --format raw -a "$d/$name.img" -m "$dev" /etc/hostname \
    > "$scratch/out" 2> "$scratch/err" || rc=$?
  [ "$rc" -eq 1 ] || fail "$name: exit status $rc (1 expected): $(cat "$scratch/err")"
  one_line "$name" "^drydock cat: mount_options: $pattern" "$scratch/err"
}

cat_fails ext4 /dev/sda '/dev/sda on / \(type ext4\): Invalid argument: the kernel says "EXT4-fs \(sda\): Invalid log block size: 30" \(/dev/sda is .*/ext4\.img\)$'
cat_fails xfs-csum /dev/sda '/dev/sda on / \(type xfs\): Structure needs cleaning: the kernel says "XFS \(sda\): .*" \(/dev/sda is .*/xfs-csum\.img\)$'
cat_fails xfs-size /dev/sda '/dev/sda: (no filesystem found on the device|a damaged xfs filesystem .*) \(/dev/sda is .*/xfs-size\.img\)$'
if [ -f "$d/ntfs.img" ]; then
  cat_fails ntfs /dev/sda '/dev/sda on / \(type ntfs\): ntfs-3g: .*(MFTMirr|FILE magic).* \(/dev/sda is .*/ntfs\.img\)$'
  ! grep -q chkdsk "$scratch/err" || fail "ntfs: the message carries ntfs-3g's advice"
fi
cat_fails lvm /dev/vgbad/lvroot '/dev/vgbad/lvroot: no such device \(lvm: Checksum error on /dev/sda at offset [0-9]+\.\)$'

# Inspection finds nothing, and says so without failing.
for i in "${imgs[@]}"; do
  rc=0
  DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 600 \
    drydock inspect --format raw -a "$d/$i.img" > "$scratch/xml" 2> "$scratch/err" || rc=$?
  [ "$rc" -eq 0 ] || fail "inspect $i: status $rc: $(cat "$scratch/err")"
  grep -q '<operatingsystems/>' "$scratch/xml" || fail "inspect $i: $(cat "$scratch/xml")"
  case $i in
    ext4|xfs-csum|ntfs)
      one_line "inspect $i" "^drydock inspect: warning: mount_ro: /dev/sda on / \\(type [a-z4]+\\): .* \\(/dev/sda is .*/$i\\.img\\)$" "$scratch/err" ;;
  esac
done
sums_unchanged
exit 0
