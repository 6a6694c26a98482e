#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# -N [FILE=]TYPE: guestfish's prepared disks, every type with its
# parameters and with the defaults, made in one session (which --ro does
# not keep from the images, as guestfish's); and the progress bars of a
# long action with --progress-bars, none for a short one.
. "$(dirname "$0")/../functions.sh"

cd "$scratch"

drydock shell -N help > help || fail "-N help failed"
for t in disk part fs lv lvfs bootroot bootrootlv; do
  grep -q "^drydock shell -N $t  *- " help || fail "-N help lacks $t"
done
expect_fail "an unknown type" "-N 'nosuch': unknown type" drydock shell -N nosuch
expect_fail "a bad size" "size '1X' is not a size" drydock shell -N fs:ext4:1X
expect_fail "too many parameters" "too many parameters" \
  drydock shell -N disk:1M:extra
expect_fail "a bad LV name" "'vg/lv': a logical volume is named /dev/VG/LV" \
  drydock shell -N lv:vg/lv:8M

# Every type; test1.img ... name the ones without a name (the count is
# of all -N).
drydock shell --ro -N disk:8M -N p.img=part:16M:gpt -N fs:vfat:32M \
  -N lv.img=lv:/dev/vg1/lv1:32M -N lvfs:/dev/vg2/lv2:ext4:32M \
  -N bootroot:ext2:ext4:64M:16M -N bootrootlv:/dev/vg3/root:vfat:ext3:64M:16M:gpt \
  -N fs <<'EOF2' > out 2> err || fail "-N session: $(cat err)"
blockdev-getsize64 /dev/sda
part-get-parttype /dev/sdb
part-list /dev/sdb | grep -c part_num
vfs-type /dev/sdc1
part-get-parttype /dev/sdc
lvs
vfs-type /dev/vg2/lv2
part-list /dev/sdf | grep part_size
vfs-type /dev/sdf1
vfs-type /dev/sdf2
part-get-parttype /dev/sdg
vfs-type /dev/sdg1
vfs-type /dev/vg3/root
vfs-type /dev/sdh1
part-get-parttype /dev/sdh
blockdev-getsize64 /dev/sdh
mount /dev/sdh1 /
write /made-by-N yes
EOF2
expect_eq "the prepared disks" "8388608
gpt
1
vfat
msdos
/dev/vg1/lv1
/dev/vg2/lv2
/dev/vg3/root
ext4
  part_size: 16777216
  part_size: 50266624
ext2
ext4
gpt
vfat
ext3
ext2
msdos
1073741824" "$(cat out)"
for f in test1.img p.img test3.img lv.img test5.img test6.img test7.img test8.img; do
  [ -f "$f" ] || fail "no $f"
done
expect_eq "the default size" 1073741824 "$(stat -c %s test8.img)"
# --ro does not apply to -N: what was made is in the files.
expect_eq "committed under --ro" yes \
  "$(drydock shell --ro --format raw -a test8.img -m /dev/sda1 cat /made-by-N)"

# Progress bars: with --progress-bars, for an action that runs more than
# two seconds (zeroing 600M under TCG); not for a short one.
drydock shell --progress-bars -N disk:8M -N disk:600M <<'EOF2' 2> bars ||
zero-device /dev/sda
!echo mark >&2
zero-device /dev/sdb
EOF2
  fail "zero-device: $(cat bars)"
tr '\r' '\n' < bars > lines
expect_eq "no bar before the short action's end" mark "$(head -1 lines)"
grep -Eq '^  100% \[#+\] 00:00$' lines ||
  fail "no final bar: $(cat -v bars | head -5)"
grep -Eq '^[-/\\|] +[0-9]+% \[#*-+\] ([0-9][0-9]:[0-9][0-9]|--:--)$' lines ||
  fail "no bar on the way: $(cat -v bars | head -5)"
