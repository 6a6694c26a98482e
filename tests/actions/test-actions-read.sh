#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The read-only actions on the Debian-like guest, in one launch: devices,
# filesystems, mounting, listing, metadata, reading, downloading.  Then,
# in the same launch, the special files of the hostile guest (a FIFO, a
# character and a block device node, symlinks to them): every read of
# their content (cat, read-file, read-lines, download, cp) fails at once
# with "not a regular file", never blocks or reads an appliance device,
# and so does writing them in place (write-append, write through a
# symlink, upload); the daemon answers afterwards, and regular files and
# symlinks to them still read.  A read that blocks shows as a call
# timeout, then as the shell killed.  The images must be byte-identical
# afterwards.
. "$(dirname "$0")/../functions.sh"

img=$(guest debian.img)
hostile=$(guest hostile.img)
keep_sums "$img" "$hostile"

# A file under /dev that is not a device (a tmpfs /dev/shm) is a file
# like any other to download.
shm=$scratch/hostname-shm
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=/dev/shm/drydock-test-$$
  add_cleanup "rm -f '$shm'"
fi

rc=0
DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 900 \
  drydock shell --ro --format raw -a "$img" -a "$hostile" \
  > "$scratch/out" 2> "$scratch/err" <<EOF2 || rc=$?
echo == settings
get-state
set-memsize 384
get-memsize
set-smp 1
get-smp
get-verbose
get-trace
run
get-state
debug-append-log "a line in the console"
echo == devices
list-devices
list-partitions
list-filesystems
vfs-type /dev/sda1
vfs-uuid /dev/sda1
echo "[$(echo)]"
vfs-label /dev/sda1
blockdev-getsize64 /dev/sda
echo == mount
mount-vfs ro ext4 /dev/sda1 /
mounts
mountpoints
echo == files
cat /etc/hostname
read-lines /etc/fstab
ls /etc/apt
exists /etc/hostname
exists /etc/nope
is-file /etc/hostname
is-file /etc/os-release
is-file /etc/os-release followsymlinks:true
is-dir /etc
is-dir /etc/hostname
is-symlink /etc/os-release
readlink /etc/os-release
filesize /etc/hostname
read-file /etc/hostname
is-blockdev /dev/sda
is-blockdev /etc
echo == stat
lstatns /etc/os-release
echo == find
find /etc/apt
echo == download
download /etc/hostname $scratch/hostname
download /etc/hostname $shm
tar-out /etc $scratch/etc.tar
tar-out /etc $scratch/etc.tar.gz compress:gzip
echo == umount
umount /
mounts
echo == special files
mount-ro /dev/sdb1 /
-cat /dev/initctl
-read-file /dev/initctl
-read-lines /dev/initctl
-download /dev/initctl $scratch/initctl
-cat /etc/initctl
-cat /dev/zero
-read-file /dev/zero
-read-lines /dev/zero
-download /dev/zero $scratch/zero
-read-file /etc/zero
-cat /dev/sda
-read-file /dev/sda
-read-lines /dev/sda
-download /dev/sda $scratch/sda
-cp /dev/zero /tmp/zero
-cat /etc
-download /etc $scratch/etc
-write-append /dev/initctl x
-write /etc/zero x
-upload $scratch/hostname /dev/sda
echo == still answering
is-file /dev/initctl
is-file /etc/initctl followsymlinks:true
cat /etc/debian_version
read-lines /etc/os-release
download /etc/os-release $scratch/os-release
umount /
EOF2
[ "$rc" -ne 137 ] || fail "killed after 900 s: a read blocked ($(cat "$scratch/err"))"
[ "$rc" -eq 0 ] || fail "shell failed: $(cat "$scratch/err")"

sed -n '/== stat/,/== find/p' "$scratch/out" | grep -q '^st_mode: 41471$' ||
  fail "lstatns: symlink mode not 0120777: $(cat "$scratch/out")"
grep -v '^st_' "$scratch/out" > "$scratch/got"
cat > "$scratch/expected" <<'EOF2'
== settings
0
384
1
false
false
2
== devices
/dev/sda
/dev/sdb
/dev/sda1
/dev/sdb1
/dev/sda1: ext4
/dev/sdb1: ext4
ext4
11111111-2222-3333-4444-555555555555
[]

134217728
== mount
/dev/sda1
/dev/sda1: /
== files
debian-guest
# /etc/fstab: static file system information.
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
UUID=11111111-2222-3333-4444-555555555555 / ext4 defaults 0 1
sources.list.d
true
false
true
false
true
true
false
true
../usr/lib/os-release
13
debian-guest
false
false
== stat
== find
sources.list.d
sources.list.d/debian.sources
== download
== umount
== special files
== still answering
false
false
12.5
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected output"
cat > "$scratch/experr" <<'EOF2'
drydock shell: cat: /dev/initctl: not a regular file (a FIFO)
drydock shell: read_file: /dev/initctl: not a regular file (a FIFO)
drydock shell: read_lines: /dev/initctl: not a regular file (a FIFO)
drydock shell: download: /dev/initctl: not a regular file (a FIFO)
drydock shell: cat: /etc/initctl: not a regular file (a FIFO)
drydock shell: cat: /dev/zero: not a regular file (a character device)
drydock shell: read_file: /dev/zero: not a regular file (a character device)
drydock shell: read_lines: /dev/zero: not a regular file (a character device)
drydock shell: download: /dev/zero: not a regular file (a character device)
drydock shell: read_file: /etc/zero: not a regular file (a character device)
drydock shell: cat: /dev/sda: not a regular file (a block device)
drydock shell: read_file: /dev/sda: not a regular file (a block device)
drydock shell: read_lines: /dev/sda: not a regular file (a block device)
drydock shell: download: /dev/sda: not a regular file (a block device)
drydock shell: cp: /dev/zero: not a regular file (a character device)
drydock shell: cat: /etc: is a directory
drydock shell: download: /etc: is a directory
drydock shell: write_append: /dev/initctl: not a regular file (a FIFO)
drydock shell: write: /etc/zero: not a regular file (a character device)
drydock shell: upload: /dev/sda: not a regular file (a block device)
EOF2
diff -u "$scratch/experr" "$scratch/err" || fail "unexpected errors"
for f in initctl zero sda etc; do
  [ ! -e "$scratch/$f" ] || fail "a failed download left $scratch/$f"
done
expect_eq "downloaded file" "debian-guest" "$(cat "$scratch/hostname")"
expect_eq "downloaded into $shm" "debian-guest" "$(cat "$shm")"
tar -tf "$scratch/etc.tar" | grep -qx './hostname' || fail "tar-out: no ./hostname"
tar -xzOf "$scratch/etc.tar.gz" ./hostname | grep -qx debian-guest ||
  fail "tar-out compress:gzip: wrong content"
# read-lines printed os-release after "== still answering", false, false
# and debian_version.
sed -n '/== still answering/,$p' "$scratch/out" | sed -n '5,$p' > "$scratch/lines"
cmp -s "$scratch/os-release" "$scratch/lines" ||
  fail "downloaded os-release differs from read-lines"
sums_unchanged
