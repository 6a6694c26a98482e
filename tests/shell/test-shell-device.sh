#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Devices byte by byte, in one launch: pread-device and pwrite-device,
# hexedit on a device (a range, and the whole device) with $HEXEDITOR
# a script that patches bytes, only the changed bytes written back;
# event handlers for progress get guestfish's four numbers (proc,
# serial, position, total).  What was written reaches the image.
. "$(dirname "$0")/../functions.sh"

cd "$scratch"
mkdir bin
# A 1 MiB device of known bytes: "a" everywhere, "B" from 0x200 on.
head -c 1048576 /dev/zero | tr '\0' a > disk.img
printf 'BBBBBBBBBBBBBBBB' | dd of=disk.img bs=1 seek=512 conv=notrunc 2>/dev/null
# hexedit: notes the size it is given, then "XY" at offset 2 of it.
cat > bin/hex <<'EOF2'
#!/bin/sh
echo "hex $(wc -c < "$1") $(head -c 4 "$1")" >> "$LOG"
printf XY | dd of="$1" bs=1 seek=2 conv=notrunc 2>/dev/null
EOF2
chmod +x bin/hex
export PATH="$scratch/bin:$PATH" LOG="$scratch/log" HEXEDITOR=hex

rc=0
truncate -s 64K zero.img
drydock shell --format raw -a disk.img -a zero.img > out 2> err <<'EOF2' || rc=$?
run
pwrite-device /dev/sda hello 100
pread-device /dev/sda 5 100
echo
# At and past the end: nothing comes back.
pread-device /dev/sda 8 1M
echo "[end]"
-pread-device /dev/sda -1 0
-pwrite-device /dev/sda x -1
-pwrite-device /dev/sda x 1M
-pread-device /etc/hostname 1 0
trace true
hexedit /dev/sda 0x200 16
hexedit /dev/sda
trace false
pread-device /dev/sda 8 0x200
echo
pread-device /dev/sda 4 0
echo
event p progress 'echo "$EVENT $#: $1 $3 $4" >> $LOG; [ "$2" -gt 0 ] && echo serial >> $LOG'
pwrite-device /dev/sda end 1048573
zero-device /dev/sdb
EOF2
[ "$rc" = 0 ] || fail "the script failed ($rc): $(cat err)"
expect_eq "the output" "5
hello
[end]
BBXYBBBB
aaXY
3" "$(cat out)"
# The errors, one line each, and the two writes hexedit made: 2 bytes
# each, where they changed.
expect_eq "errors and writes" "drydock shell: pread_device: /dev/sda: count and offset must not be negative
drydock shell: pwrite_device: /dev/sda: offset must not be negative
drydock shell: pwrite_device: /dev/sda: No space left on device
drydock shell: pread_device: /etc/hostname: not a device name (expected /dev/sdX, /dev/sdXN or an LV path)
libdrydock: trace: pwrite_device \"/dev/sda\" <2 bytes> 514
libdrydock: trace: pwrite_device \"/dev/sda\" <2 bytes> 2" \
  "$(grep -v 'trace: \(pread_device\|blockdev_getsize64\|set_trace\)\|= ' err)"
expect_eq "what hexedit was given" "hex 16 BBBB
hex 1048576 aaaa" "$(head -2 log)"
# zero_device (proc 174) reports its end: the numbers are proc, serial,
# position, total.
expect_eq "the progress handler" "progress 4: 174 65536 65536
serial" "$(tail -n +3 log)"

# The changes reached the image (the shell committed them).
expect_eq "the image" "hello BBXYBBBB aaXY end" \
  "$(dd if=disk.img bs=1 skip=100 count=5 2>/dev/null) $(dd if=disk.img bs=1 skip=512 count=8 2>/dev/null) $(head -c 4 disk.img) $(tail -c 3 disk.img)"
