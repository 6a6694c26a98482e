#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Direct reads (library/direct.c, direct-pipe.c) when qemu answers an
# NBD read with an error: the image is served by onefile-fs (a FUSE
# file whose reads of 64 KiB in the middle of bad.bin's bytes, and of 4
# KiB of bad2.bin's, fail with EIO, as bad sectors would), so qemu's
# reads of those ranges fail.
#  1. cat of bad.bin through a read-only mount (its stream asks pieces
#     ahead, the failing one among them) fails with EIO: never a short
#     file taken for the whole; the mount goes on, and good.bin reads
#     right, still from the drives (an error reply leaves the drive's
#     connection in step); a read of bad2.bin across its bad range (one
#     NBD read at a time) fails with EIO too; drydock unmount ends it;
#  1b. the same with direct reads off (DRYDOCK_DIRECT_READ=0): cat
#     fails with EIO (download_offset fails), and so does the read of
#     bad2.bin through the appliance's pread, which stops short of the
#     error with the bytes before it: that short read is not taken for
#     the end of the file;
#  2. the shell's download of bad.bin fails with one line naming the
#     file, leaving nothing; a download of good.bin still works;
#  3. the image is byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 mkfs.ext4 debugfs fusermount3
[ -c /dev/fuse ] || skip "no /dev/fuse"
[ -n "${ONEFILE_FS:-}" ] && [ -x "$ONEFILE_FS" ] ||
  skip "ONEFILE_FS is not set (the built onefile-fs)"

cd "$scratch"
mkdir tree efs mnt
head -c $((24 * 1024 * 1024)) /dev/urandom > tree/bad.bin
head -c $((3 * 1024 * 1024)) /dev/urandom > tree/good.bin
head -c $((3 * 1024 * 1024)) /dev/urandom > tree/bad2.bin
mkfs.ext4 -q -F -b 4096 -d tree disk.img 64M
keep_sums disk.img
# physical FILE BLOCK: the image's block of a file's block.
physical ()
{
  local b
  b=$(debugfs -R "bmap $1 $2" disk.img 2>/dev/null | tail -n 1)
  [[ $b =~ ^[0-9]+$ ]] && [ "$b" -gt 0 ] || fail "debugfs bmap $1 $2: '$b'"
  echo "$b"
}
# bad.bin fails 4 MiB into it, bad2.bin 800 KiB into it.
block=$(physical /bad.bin 1024)
block2=$(physical /bad2.bin 200)
"$ONEFILE_FS" "$scratch/efs" disk.img "$scratch/disk.img" \
  $((block * 4096)):65536 $((block2 * 4096)):4096 2> efs.err &
efs_pid=$!
add_cleanup "fusermount3 -u -q -z '$scratch/mnt' 2>/dev/null || :
  fusermount3 -u -q -z '$scratch/efs' 2>/dev/null || :"
for _ in $(seq 100); do
  [ -e efs/disk.img ] && break
  sleep 0.05
done
cmp -s -n $((block * 4096)) efs/disk.img disk.img ||
  fail "onefile-fs serves other bytes: $(cat efs.err)"
if dd if=efs/disk.img of=/dev/null bs=4096 skip="$block" count=1 2>/dev/null
then
  fail "onefile-fs did not fail the bad range"
fi

# mount_and_read WHAT: a read-only mount of the image (its log in
# mount.log), bad.bin, good.bin and bad2.bin read through it, unmounted.
mount_and_read ()
{
  local rc=0
  drydock mount -v -x --format raw -a "$scratch/efs/disk.img" -m /dev/sda \
    --pid-file mount.pid mnt 2> mount.log ||
    fail "$1: drydock mount: $(tail -3 mount.log)"
  cat mnt/bad.bin > out.bin 2> cat.err || rc=$?
  [ "$rc" -ne 0 ] ||
    fail "$1: cat of bad.bin succeeded ($(stat -c %s out.bin) bytes)"
  grep -q "Input/output error" cat.err || fail "$1: cat of bad.bin: $(cat cat.err)"
  [ "$(stat -c %s out.bin)" -le $((block * 4096)) ] ||
    fail "$1: cat of bad.bin gave $(stat -c %s out.bin) bytes, past the bad range"
  cmp -s mnt/good.bin tree/good.bin || fail "$1: good.bin after the error"
  # Its end first (so that the read across the bad range is not the
  # file's first, which would fetch the whole file at once).
  dd if=mnt/bad2.bin of=/dev/null bs=64k skip=40 count=1 2> dd.err ||
    fail "$1: dd of bad2.bin's end: $(cat dd.err)"
  rc=0
  dd if=mnt/bad2.bin of=part bs=512k skip=1 2> dd.err || rc=$?
  [ "$rc" -ne 0 ] && grep -q "Input/output error" dd.err ||
    fail "$1: dd across bad2.bin's bad range: exit $rc, $(stat -c %s part) \
bytes: $(cat dd.err)"
  drydock unmount mnt || fail "$1: drydock unmount: exit $?"
  for _ in $(seq 100); do
    kill -0 "$(cat mount.pid)" 2>/dev/null || break
    sleep 0.1
  done
}

# 1b. Through the appliance only.
DRYDOCK_DIRECT_READ=0 mount_and_read "direct reads off"
grep -q "streaming /bad.bin from the drives" mount.log &&
  fail "direct reads off, yet bad.bin streamed from the drives"
grep -q "pread \"/bad2.bin\"" mount.log ||
  fail "bad2.bin was not read with pread: $(grep bad2 mount.log | head -5)"

# 1. From the drives.
mount_and_read "direct reads"
grep -q "mount_local: streaming /bad.bin from the drives, pieces asked ahead$" \
  mount.log || fail "bad.bin was not streamed from the drives: \
$(grep streaming mount.log || :)"
grep -q "mount_local: streaming /good.bin from the drives, pieces asked ahead$" \
  mount.log || fail "good.bin, after bad.bin's error, was not read from the \
drives: $(grep streaming mount.log || :)"
grep -q "mount_local: /bad.bin: the stream from the drives failed: .*NBD error" \
  mount.log || fail "the stream did not fail on qemu's NBD error: \
$(grep "stream\|NBD" mount.log || :)"

# 2. Through the shell.
rc=0
drydock shell --ro --format raw -a "$scratch/efs/disk.img" -m /dev/sda \
  download /bad.bin "$scratch/dl-bad" : download /good.bin "$scratch/dl-good" \
  > sh.out 2> sh.err || rc=$?
[ "$rc" -ne 0 ] || fail "download of bad.bin succeeded"
[ ! -e dl-bad ] || fail "a failed download left dl-bad"
ls dl-bad.* 2> /dev/null && fail "a failed download left a temporary file"
grep -v '^\[' sh.err | grep -q "download: /bad.bin: " ||
  fail "the error does not name /bad.bin: $(cat sh.err)"

fusermount3 -u efs
wait "$efs_pid" || :
sums_unchanged
echo "$(basename "$0"): PASS"
