#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# What a restore costs in memory (library/snapshot.c, library/qemu.c):
# the mechanism, not a timing.  With a 1 GiB guest, in a private cache:
#  1. the saved device state is small: the guest RAM is not in the
#     migration stream but in the snapshot's RAM file;
#  2. a restored qemu maps that file privately (copy-on-write) as its
#     guest RAM, and stays resident well under the guest's size: it
#     reads only what the guest touches after it resumes;
#  3. restores never write the RAM file or the state;
#  4. ten launches at once, from ten processes, all succeed, and their
#     qemus' resident memory adds up to less than 1.5 GB.
. "$(dirname "$0")/../functions.sh"

debian=$(guest debian.img)
export DRYDOCK_CACHEDIR="$scratch/cache"
export DRYDOCK_MEMSIZE=1024
unset DRYDOCK_SNAPSHOT DRYDOCK_DEBUG
cd "$scratch"
# Bounds: a restored appliance doing a mount and a read is resident at
# about 90 MB here; the guest is 1024 MB.
RSS_BOUND_KB=$((200 * 1024))
STATE_BOUND=$((4 * 1024 * 1024))

phases () { sed -n 's/^libdrydock: launch phases: \([^:]*\):.*/\1/p' "$1"; }

DRYDOCK_DEBUG=1 drydock shell run > out 2> err ||
  fail "first launch failed: $(grep -v '^\[' err | tail -5)"
expect_eq "first launch path" "snapshot created" "$(phases err)"
snap=$(ls -d "$DRYDOCK_CACHEDIR"/appliance-*/snapshot-* | grep -v '\.lock$')
[ "$(echo "$snap" | wc -l)" = 1 ] || fail "expected one snapshot, found: $snap"

# 1.
state_size=$(stat -c %s "$snap/state")
ram_size=$(stat -c %s "$snap/ram")
[ "$state_size" -lt "$STATE_BOUND" ] ||
  fail "the saved state is $state_size bytes: guest RAM went into the stream"
expect_eq "RAM file size" $((1024 * 1024 * 1024)) "$ram_size"
sums=$(sha256sum "$snap/state" "$snap/ram")

# 2. A session held open on a FIFO, so qemu can be looked at while it
# runs.  The shell's pid is the parent of qemu.
mkfifo in
drydock shell --ro --format raw -a "$debian" < in > out 2> err &
shell_pid=$!
exec 3> in
echo 'run' >&3
echo 'mount /dev/sda1 /' >&3
echo 'cat /etc/hostname' >&3
for _ in $(seq 1 600); do
  grep -q debian-guest out && break
  kill -0 "$shell_pid" 2>/dev/null || break
  sleep 0.1
done
expect_eq "output of the held session" debian-guest "$(cat out)"
qemu_pid=$(pgrep -P "$shell_pid" -f qemu-system | head -1)
[ -n "$qemu_pid" ] || fail "no qemu under the shell (pid $shell_pid)"
ram_map=$(grep " $snap/ram\$" "/proc/$qemu_pid/maps" || true)
[ -n "$ram_map" ] ||
  fail "qemu does not map the snapshot's RAM file: $(grep -c . /proc/$qemu_pid/maps) mappings"
perms=$(echo "$ram_map" | awk '{print $2}' | head -1)
expect_eq "RAM file mapping permissions (private, copy-on-write)" rw-p "$perms"
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$qemu_pid/status")
[ "$rss_kb" -lt "$RSS_BOUND_KB" ] ||
  fail "a restored qemu is resident at $rss_kb KB (bound $RSS_BOUND_KB KB, guest 1024 MB)"
exec 3>&-
wait "$shell_pid" || fail "the held session failed: $(tail -3 err)"

# 3.
head -c 20000000 /dev/urandom > big
DRYDOCK_DEBUG=1 drydock shell --format raw -a "$(guest empty.img)" \
  --output-overlay "$scratch/o.qcow2" run : mkfs ext4 /dev/sda : \
  mount /dev/sda / : upload big /big : sync > out 2> err ||
  fail "a writing session failed: $(grep -v '^\[' err | tail -5)"
expect_eq "path of the writing session" "snapshot restore" "$(phases err)"
expect_eq "state and RAM file after restores" "$sums" \
  "$(sha256sum "$snap/state" "$snap/ram")"

# 4.
for i in $(seq 1 10); do
  /usr/bin/time -f %M -o "rss.$i" drydock shell --ro --format raw -a "$debian" \
    -m /dev/sda1 cat /etc/hostname > "out.$i" 2> "err.$i" &
done
wait
total=0
for i in $(seq 1 10); do
  expect_eq "output of concurrent launch $i ($(tail -1 "err.$i"))" debian-guest \
    "$(cat "out.$i")"
  total=$((total + $(tail -1 "rss.$i")))
done
[ "$total" -lt $((1500 * 1024)) ] ||
  fail "ten concurrent launches were resident at $((total / 1024)) MB in all"
echo "ten concurrent launches: $((total / 1024)) MB of max RSS in all"
exit 0
