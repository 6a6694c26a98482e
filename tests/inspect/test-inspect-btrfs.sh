#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Roots in btrfs subvolumes (tests/data/make-btrfs-guests.sh).
# fedora-btrfs.img: the root is found in the subvolume root and named
# btrfsvol:/dev/sda2/root; its fstab's subvol=root / subvol=/home
# entries give btrfsvol: mountpoints, /boot its ext4 partition; the
# subvolumes home, home/nested and snapshots are no roots, nor is the
# top level.  drydock
# inspect names that root, and drydock shell -i mounts / and /home from
# their subvolumes and /boot from ext4.  opensuse-btrfs.img: the root is
# the default subvolume, found once, as the device /dev/sda1 (a mount of
# it mounts that subvolume), not again as btrfsvol:.../snapshot; its
# fstab's subvol=/@/home gives btrfsvol:/dev/sda1/@/home, and
# list-filesystems lists the subvolumes from the top level.
# btrfs-hostile.img: a
# subvolume with a space in its name is a root too; one whose name
# holds a newline and a fake listing line pointing at ".." is left out,
# not mistaken for another; garbage subvol= and subvolid= values of the
# fstab are left out.  btrfs-many.img: of its 300 subvolumes, only the
# first 256 are looked into: the root in the first is found, not the
# one in the last (which is there).  The images stay byte-identical.
. "$(dirname "$0")/../functions.sh"

mkdir -p "$GUESTS"
rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-btrfs-guests.sh" "$GUESTS" \
  fedora-btrfs.img opensuse-btrfs.img btrfs-hostile.img btrfs-many.img \
  > "$scratch/build" 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 "$scratch/build")"
[ "$rc" -eq 0 ] || fail "cannot build the images: $(cat "$scratch/build")"
fed="$GUESTS/fedora-btrfs.img"
suse="$GUESTS/opensuse-btrfs.img"
hostile="$GUESTS/btrfs-hostile.img"
many="$GUESTS/btrfs-many.img"
keep_sums "$fed" "$suse" "$hostile" "$many"

root=btrfsvol:/dev/sda2/root
# One launch: every inspection answer about fedora-btrfs.img.
drydock shell --ro --format raw -a "$fed" > "$scratch/out" 2> "$scratch/err" \
  <<EOF || fail "shell failed: $(cat "$scratch/err")"
run
inspect-os
inspect-get-roots
inspect-get-type $root
inspect-get-distro $root
inspect-get-product-name $root
inspect-get-major-version $root
inspect-get-hostname $root
inspect-get-mountpoints $root
inspect-get-filesystems $root
-inspect-get-type btrfsvol:/dev/sda2/home
-inspect-get-type /dev/sda2
EOF
cat > "$scratch/expected" <<EOF
$root
$root
linux
fedora
Fedora Linux 39 (Workstation Edition)
39
fedora-btrfs
/: $root
/boot: /dev/sda1
/home: btrfsvol:/dev/sda2/home
$root
/dev/sda1
btrfsvol:/dev/sda2/home
EOF
diff -u "$scratch/expected" "$scratch/out" || fail "inspection of fedora-btrfs.img"
[ "$(grep -c "not the root of an operating system" "$scratch/err")" -eq 2 ] ||
  fail "home or the top level taken for a root: $(cat "$scratch/err")"

# drydock inspect names the root and its mountpoints.
drydock inspect --format raw -a "$fed" > "$scratch/xml" 2> "$scratch/err" ||
  fail "drydock inspect failed: $(cat "$scratch/err")"
grep -qx "    <root>$root</root>" "$scratch/xml" ||
  fail "drydock inspect: no root $root: $(cat "$scratch/xml")"
grep -qx '      <mountpoint dev="btrfsvol:/dev/sda2/home">/home</mountpoint>' \
  "$scratch/xml" || fail "drydock inspect: no /home subvolume"
grep -qx '    <hostname>fedora-btrfs</hostname>' "$scratch/xml" ||
  fail "drydock inspect: host name"

# shell -i: / and /home from their subvolumes, /boot from ext4.
drydock shell --ro --format raw -a "$fed" -i \
  cat /etc/hostname : cat /home/alice/notes.txt : cat /boot/README : \
  cat /home/nested/inside : is-dir /root : is-dir /snapshots \
  > "$scratch/out" 2> "$scratch/err" ||
  fail "shell -i failed: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF'
fedora-btrfs
alice's notes
boot partition
in the nested subvolume
true
false
EOF
diff -u "$scratch/expected" "$scratch/out" || fail "shell -i on fedora-btrfs.img"

# -m with subvolumes (the device field has a colon of its own).
drydock shell --ro --format raw -a "$fed" -m "$root" \
  -m btrfsvol:/dev/sda2/home:/home:ro \
  cat /etc/hostname : cat /home/alice/notes.txt \
  > "$scratch/out" 2> "$scratch/err" ||
  fail "shell -m btrfsvol: failed: $(cat "$scratch/err")"
printf "fedora-btrfs\nalice's notes\n" | diff -u - "$scratch/out" ||
  fail "shell -m btrfsvol: on fedora-btrfs.img"

# openSUSE: the default subvolume holds the root.
drydock shell --ro --format raw -a "$suse" > "$scratch/out" 2> "$scratch/err" \
  <<'EOF' || fail "shell failed: $(cat "$scratch/err")"
run
list-filesystems
inspect-os
inspect-get-distro /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-mountpoints /dev/sda1
EOF
cat > "$scratch/expected" <<'EOF'
/dev/sda1: btrfs
btrfsvol:/dev/sda1/@: btrfs
btrfsvol:/dev/sda1/@/home: btrfs
btrfsvol:/dev/sda1/@/.snapshots: btrfs
btrfsvol:/dev/sda1/@/.snapshots/1/snapshot: btrfs
/dev/sda1
opensuse
15
5
leap-btrfs
/: /dev/sda1
/.snapshots: btrfsvol:/dev/sda1/@/.snapshots
/home: btrfsvol:/dev/sda1/@/home
EOF
diff -u "$scratch/expected" "$scratch/out" || fail "inspection of opensuse-btrfs.img"
expect_eq "opensuse -i" "bob's notes leap-btrfs 1" \
  "$(drydock shell --ro --format raw -a "$suse" -i \
       cat /home/bob/notes : cat /etc/hostname : ls /.snapshots | tr '\n' ' ' |
       sed 's/ $//')"

# The hostile filesystem, in one launch.  list-filesystems leaves out
# the subvolume whose name holds a newline too (its listed path is
# wrong), instead of listing "evil" twice and a ".." one.
long=$(printf 'L%.0s' $(seq 255))
drydock shell --ro --format raw -a "$hostile" > "$scratch/out" \
  2> "$scratch/err" <<'EOF' || fail "shell failed: $(cat "$scratch/err")"
run
list-filesystems
inspect-os
inspect-get-mountpoints btrfsvol:/dev/sda1/root
inspect-get-hostname "btrfsvol:/dev/sda1/with space"
inspect-get-mountpoints "btrfsvol:/dev/sda1/with space"
-inspect-get-type btrfsvol:/dev/sda1/..
-inspect-get-type btrfsvol:/dev/sda1/evil
mount-ro "btrfsvol:/dev/sda1/with space" /
cat /etc/hostname
EOF
cat > "$scratch/expected" <<EOF
/dev/sda1: btrfs
btrfsvol:/dev/sda1/root: btrfs
btrfsvol:/dev/sda1/with space: btrfs
btrfsvol:/dev/sda1/evil: btrfs
btrfsvol:/dev/sda1/$long: btrfs
btrfsvol:/dev/sda1/root
btrfsvol:/dev/sda1/with space
/: btrfsvol:/dev/sda1/root
/e: btrfsvol:/dev/sda1/evil
/g: btrfsvol:/dev/sda1/evil
/h: /dev/sda1
/i: /dev/sda1
spaced
/: btrfsvol:/dev/sda1/with space
spaced
EOF
diff -u "$scratch/expected" "$scratch/out" || fail "inspection of btrfs-hostile.img"
[ "$(grep -c "not the root of an operating system" "$scratch/err")" -eq 2 ] ||
  fail "a bogus subvolume taken for a root: $(cat "$scratch/err")"

# 300 subvolumes: only the first 256 are looked into (each one is a
# mount), so the root in s001 is found and the one in s300 is not,
# though it is there; the debug output says so.
DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$many" \
  > "$scratch/out" 2> "$scratch/err" <<EOF ||
run
inspect-os
inspect-get-hostname btrfsvol:/dev/sda1/s001
mount-ro btrfsvol:/dev/sda1/s300 /
cat /etc/hostname
EOF
  fail "shell on btrfs-many.img: $(grep -v '^\[' "$scratch/err" | tail -3)"
printf 'btrfsvol:/dev/sda1/s001\nmany-first\nmany-last\n' |
  diff -u - "$scratch/out" || fail "inspection of btrfs-many.img"
grep -q "inspect: /dev/sda1: 300 subvolumes, only the first 256 inspected" \
  "$scratch/err" || fail "btrfs-many.img: no line about the 256 inspected"

# -i with two roots refuses.
expect_fail "two roots" "^drydock shell: -i: 2 operating systems were found" \
  drydock shell --ro --format raw -a "$hostile" -i mounts

sums_unchanged
