#!/bin/bash -
# The read-only actions on the Debian-like guest, in one launch: devices,
# filesystems, mounting, listing, metadata, reading, downloading.  The
# image must be byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"

img=$(guest debian.img)
before=$(sha "$img")

drydock shell --ro --format raw -a "$img" > "$scratch/out" 2> "$scratch/err" <<EOF2 || fail "shell failed: $(cat "$scratch/err")"
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
tar-out /etc $scratch/etc.tar
tar-out /etc $scratch/etc.tar.gz compress:gzip
echo == umount
umount /
mounts
EOF2

sed -n '/== stat/,/== find/p' "$scratch/out" | grep -q '^st_mode: 41471$' ||
  fail "lstatns: symlink mode not 0120777: $(cat "$scratch/out")"
grep -v '^st_' "$scratch/out" > "$scratch/got"
cat > "$scratch/expected" <<'EOF2'
== settings
config
384
1
false
false
ready
== devices
/dev/sda
/dev/sda1
/dev/sda1: ext4
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
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected output"
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
expect_eq "downloaded file" "debian-guest" "$(cat "$scratch/hostname")"
tar -tf "$scratch/etc.tar" | grep -qx './hostname' || fail "tar-out: no ./hostname"
tar -xzOf "$scratch/etc.tar.gz" ./hostname | grep -qx debian-guest ||
  fail "tar-out compress:gzip: wrong content"
expect_eq "source image unchanged" "$before" "$(sha "$img")"
