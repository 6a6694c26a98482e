#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The snapshot launch (library/snapshot.c), in a private cache directory:
#  1. the first launch boots the machine, saves it (a directory with
#     the device state and the guest RAM) and restores it (no temporary
#     file left);
#  2. later launches restore it; with three drives, /dev/sda, sdb and sdc
#     are the first, second and third image, as in a cold boot;
#  3. after a restore the guest clock is the host's, and two restores do
#     not make the same "random" UUID;
#  4. DRYDOCK_SNAPSHOT=0 boots cold;
#  5. a damaged snapshot (a cut state, a RAM file of the wrong size): the
#     launch still works (cold boot), the snapshot is removed, and the
#     snapshot path rests for a while;
#  6. a snapshot is tied to the appliance's files themselves: after the
#     root image is replaced under the same name, a new one is saved.
. "$(dirname "$0")/../functions.sh"

debian=$(guest debian.img)
xfs=$(guest xfs.img)
vfat=$(guest vfat.img)
empty=$(guest empty.img)
export DRYDOCK_CACHEDIR="$scratch/cache"
unset DRYDOCK_SNAPSHOT
cd "$scratch"

# phases OUTFILE: the path named by the launch phases line.
phases () { sed -n 's/^libdrydock: launch phases: \([^:]*\):.*/\1/p' "$1"; }
snapshots () { ls "$DRYDOCK_CACHEDIR"/appliance-*/ | grep '^snapshot-' |
                grep -v '\.lock$' || true; }

# 1. Created.
DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$debian" \
  -m /dev/sda1 cat /etc/hostname > out 2> err ||
  fail "first launch failed: $(grep -v '^\[' err | tail -5)"
expect_eq "first launch output" debian-guest "$(cat out)"
expect_eq "first launch path" "snapshot created" "$(phases err)"
expect_eq "files after the first launch" 1 "$(snapshots | wc -l)"
snapshots | grep -q tmp && fail "temporary file left: $(snapshots)"

# 2. Restored, three drives in order.
DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$xfs" -a "$debian" \
  -a "$vfat" run : list-devices : vfs-type /dev/sda : vfs-type /dev/sdb1 : \
  vfs-type /dev/sdc1 : mount /dev/sdb1 / : cat /etc/hostname > out 2> err ||
  fail "restore with three drives failed: $(grep -v '^\[' err | tail -5)"
expect_eq "restore path" "snapshot restore" "$(phases err)"
expect_eq "three drives after a restore" "/dev/sda
/dev/sdb
/dev/sdc
xfs
ext4
vfat
debian-guest" "$(cat out)"

# 3. Clock and randomness.
uuid_and_mtime () {
  drydock shell --ro --format raw -a "$empty" run : mkfs ext4 /dev/sda : \
    vfs-uuid /dev/sda : mount /dev/sda / : touch /x : statns /x |
    sed -n 's/^st_mtime_sec: //p; /^[0-9a-f-]\{36\}$/p'
}
a=$(uuid_and_mtime) || fail "mkfs after a restore failed"
b=$(uuid_and_mtime) || fail "mkfs after a restore failed"
now=$(date +%s)
mtime=$(echo "$b" | tail -1)
[ $((now - mtime)) -ge 0 ] && [ $((now - mtime)) -lt 60 ] ||
  fail "guest clock after a restore: file mtime $mtime, host time $now"
[ "$(echo "$a" | head -1)" != "$(echo "$b" | head -1)" ] ||
  fail "two restores made the same filesystem UUID $(echo "$a" | head -1)"

# 4. Disabled.
DRYDOCK_SNAPSHOT=0 DRYDOCK_DEBUG=1 drydock shell run > out 2> err ||
  fail "cold launch failed: $(grep -v '^\[' err | tail -5)"
expect_eq "path with DRYDOCK_SNAPSHOT=0" "cold boot" "$(phases err)"

# 5. Damaged: a state cut short, then (once a new one is saved) a RAM
# file of the wrong size.
snap=$(ls -d "$DRYDOCK_CACHEDIR"/appliance-*/snapshot-* | grep -v '\.lock$' | head -1)
[ -f "$snap/state" ] && [ -f "$snap/ram" ] || fail "snapshot $snap: no state and ram"
damaged ()
{
  DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$debian" \
    -m /dev/sda1 cat /etc/hostname > out 2> err ||
    fail "launch with $1 failed: $(grep -v '^\[' err | tail -5)"
  expect_eq "output with $1" debian-guest "$(cat out)"
  expect_eq "path with $1" "cold boot" "$(phases err)"
  grep -q '^libdrydock: snapshot launch failed' err ||
    fail "no debug line for the failed snapshot launch ($1)"
  [ ! -e "$snap" ] || fail "the snapshot with $1 was not removed"
  [ -e "$snap.failed" ] || fail "no marker after a failed snapshot launch ($1)"
}
truncate -s 4K "$snap/state"
damaged "a cut state"
rm -f "$snap.failed"
DRYDOCK_DEBUG=1 drydock shell run > out 2> err || fail "launch to save again failed"
expect_eq "path after the damaged snapshot went" "snapshot created" "$(phases err)"
truncate -s 64M "$snap/ram"
damaged "a short RAM file"
grep -q 'RAM file is not' err || fail "no reason given for the short RAM file"
DRYDOCK_DEBUG=1 drydock shell run > out 2> err || fail "launch after the marker failed"
grep -q '^libdrydock: snapshot launch not tried: it failed' err ||
  fail "the snapshot path was tried again right away"

# 6. The root image replaced by another file under the same name (what
# another build tree's eviction and rebuild leaves): a state saved with
# the old file is never restored over the new one.
dir=$(dirname "$snap")
cp "$dir/root.img" "$dir/root.new" && mv -f "$dir/root.new" "$dir/root.img" ||
  fail "could not replace root.img"
before=$(snapshots | sort)
DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$debian" \
  -m /dev/sda1 cat /etc/hostname > out 2> err ||
  fail "launch after the root image changed failed: $(grep -v '^\[' err | tail -5)"
expect_eq "output after the root image changed" debian-guest "$(cat out)"
expect_eq "path after the root image changed" "snapshot created" "$(phases err)"
new=$(comm -13 <(echo "$before") <(snapshots | sort))
[ -n "$new" ] || fail "no new snapshot for the new root image (had: $before)"
DRYDOCK_DEBUG=1 drydock shell run > out 2> err || fail "restore after the change failed"
expect_eq "path after the new snapshot" "snapshot restore" "$(phases err)"
exit 0
