#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# A LUKS2 volume whose Argon2id key slot asks for 1 GiB of memory, as
# cryptsetup makes them by default on a host with 2 GiB or more:
#  1. at the default appliance size, cryptsetup-open fails at once with
#     ENOMEM and a message saying how much the appliance has and what to
#     set;
#  2. (make check-slow: Argon2 over 1 GiB runs about a minute under TCG)
#     with DRYDOCK_MEMSIZE=1280 it opens, and works like any device.
. "$(dirname "$0")/../functions.sh"
requires cryptsetup

unset DRYDOCK_MEMSIZE
cd "$scratch"
truncate -s 64M luks.img
printf 'secret' | cryptsetup luksFormat --batch-mode --type luks2 \
  --pbkdf argon2id --pbkdf-memory 1048576 --pbkdf-force-iterations 4 \
  --key-file - luks.img || skip "cryptsetup cannot format a file here"

# 1.
rc=0
drydock shell --ro --format raw -a luks.img run : \
  cryptsetup-open /dev/sda secret l > out 2> err || rc=$?
[ "$rc" -ne 0 ] || fail "an Argon2 slot of 1 GiB opened in the default appliance"
expect_eq "error lines" 1 "$(wc -l < err)"
grep -Eq "^drydock shell: cryptsetup_open: /dev/sda: cryptsetup: not enough memory to open a key slot \(Argon2 key slots need up to 1 GiB; the appliance has [0-9]+ MB: set_memsize 1280, or DRYDOCK_MEMSIZE=1280\)$" err ||
  fail "unexpected error: $(cat err)"

# 2.
if [ "${DRYDOCK_TEST_SLOW:-0}" = 1 ]; then
  DRYDOCK_MEMSIZE=1280 drydock shell --format raw -a luks.img run : \
    cryptsetup-open /dev/sda secret l : mkfs ext4 /dev/mapper/l : \
    vfs-type /dev/mapper/l : mount /dev/mapper/l / : write /f hello : \
    cat /f > out 2> err || fail "opening with 1280 MB failed: $(tail -3 err)"
  expect_eq "the opened volume" "ext4
hello" "$(cat out)"
else
  echo "$(basename "$0"): opening with 1280 MB is in make check-slow"
fi
exit 0
