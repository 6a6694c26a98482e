#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A disk inside a bigger file: add_drive's offset and size, through
# qemu's raw driver (a raw disk, and a qcow2 one read by its driver over
# the range), from drydock shell.  The host name the inspection finds
# is the raw guest's, the file is not written; a range outside the file
# and a range without a format are one line each.
. "$(dirname "$0")/../functions.sh"
requires qemu-img

raw=$(guest debian.img)
cd "$scratch"
size=$(stat -c %s "$raw")
qemu-img convert -q -f raw -O qcow2 "$raw" d.qcow2
qsize=$(stat -c %s d.qcow2)
# 1 MiB of noise, the raw disk, 3 KiB of noise, the qcow2 disk, noise.
head -c 1048576 /dev/urandom > big.bin
cat "$raw" >> big.bin
head -c 3072 /dev/urandom >> big.bin
cat d.qcow2 >> big.bin
head -c 5000 /dev/urandom >> big.bin
qoff=$((1048576 + size + 3072))
before=$(sha big.bin)

want=$(drydock shell --ro --format raw -a "$raw" -i <<'CMDS'
inspect_get_hostname /dev/sda1
CMDS
)
expect_eq "raw hostname" "debian-guest" "$want"
got=$(drydock shell <<CMDS
add_drive $scratch/big.bin format:raw offset:1048576 size:$size readonly:true
add_drive $scratch/big.bin format:qcow2 offset:$qoff size:$qsize readonly:true
run
inspect_os
inspect_get_hostname /dev/sda1
inspect_get_hostname /dev/sdb1
CMDS
) || fail "shell with offsets failed"
expect_eq "two disks in one file" "/dev/sda1
/dev/sdb1
debian-guest
debian-guest" "$got"
expect_eq "big.bin unchanged" "$before" "$(sha big.bin)"

total=$(stat -c %s big.bin)
expect_fail "range past the end" \
  "offset $((total - 10)) and size 100 are not inside the file \($total bytes\)" \
  drydock shell <<< "add_drive $scratch/big.bin format:raw offset:$((total - 10)) size:100"
expect_fail "range without a format" "offset and size need the format of the range" \
  drydock shell <<< "add_drive $scratch/big.bin offset:1048576"
expect_fail "commit into a range" "cannot commit into it: a byte range is read in place" \
  drydock shell <<< "add_drive $scratch/big.bin format:raw offset:1048576 commit:true"
expect_eq "big.bin still unchanged" "$before" "$(sha big.bin)"
echo "$(basename "$0"): OK"
