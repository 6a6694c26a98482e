#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock mount --rw, --output-overlay, and the ends of a mount, on a
# copy of debian.img:
#  - every kind of change through the mount (write, append, truncate,
#    mkdir, rmdir, rm, symlink, hard link, rename, chmod, chown, touch,
#    mkfifo, setfattr) is seen at once, and after unmount and a
#    read-only remount; the shell then agrees (one launch);
#  - the image changes only once the mount ends cleanly;
#  - a mount killed (SIGKILL) after a write leaves the image
#    byte-identical, and drydock unmount still unmounts it; so does a read-only mount, and --output-overlay,
#    whose overlay holds the change;
#  - drydock unmount: 2 while busy (--no-retry), 0 once free, 3 when
#    not mounted; --fd waits for the pipe's end;
#  - the new actions through the shell: readdir, lxattrlist,
#    lgetxattrs, lsetxattr, lremovexattr, utimens, rename, ln, mknod
#    and their refusals;
#  - -d DOMAIN and no -i/-m are one line, exit 1.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 fusermount3 getfattr setfattr
[ -c /dev/fuse ] || skip "no /dev/fuse"

cd "$scratch"
img=$(scratch_copy "$(guest debian.img)")
mnt="$scratch/mnt"
mkdir "$mnt"
add_cleanup "fusermount3 -u -q -z '$mnt' 2>/dev/null || :"

fuse_mount ()
{
  rm -f pid
  drydock mount -q --pid-file "$scratch/pid" --format raw -a "$img" "$@" \
    "$mnt" 2> mount.err || fail "drydock mount $*: $(cat mount.err)"
}
# fuse_end: unmounts and waits until the worker is gone (its changes,
# if any, are then in the image).
fuse_end ()
{
  local pid
  pid=$(cat pid)
  drydock unmount "$mnt" || fail "drydock unmount: exit $?"
  for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  fail "the mount's worker $pid did not end"
}

# ---- --rw: changes, seen at once ----
keep_sums "$img"
fuse_mount --rw -i
m=$mnt
echo "web2" > "$m/etc/hostname"
echo "extra" >> "$m/etc/hosts"
printf 'new file\n' > "$m/etc/newfile"
mkdir -m 0750 "$m/srv/data"
mkdir "$m/srv/gone" && rmdir "$m/srv/gone"
rm "$m/etc/debian_version"
ln -s ../etc/hostname "$m/srv/link"
ln "$m/etc/newfile" "$m/etc/newfile.hard"
mv "$m/etc/shells" "$m/etc/shells.old"
chmod 0600 "$m/etc/newfile"
chown 1000:1000 "$m/srv/data"
touch -h -d @1600000000 "$m/etc/hosts"
truncate -s 3 "$m/etc/machine-id"
mkfifo "$m/srv/fifo"
setfattr -n user.tag -v blue "$m/etc/newfile"
dd if=/dev/urandom of=big.bin bs=1M count=6 status=none
cp big.bin "$m/srv/big.bin"
check_tree ()
{
  local when=$1
  expect_eq "$when: hostname" "web2" "$(cat "$m/etc/hostname")"
  expect_eq "$when: hosts appended" "extra" "$(tail -n 1 "$m/etc/hosts")"
  expect_eq "$when: newfile" "new file" "$(cat "$m/etc/newfile")"
  expect_eq "$when: srv/data" "750 1000 1000" "$(stat -c '%a %u %g' "$m/srv/data")"
  [ ! -e "$m/srv/gone" ] || fail "$when: rmdir"
  [ ! -e "$m/etc/debian_version" ] || fail "$when: rm"
  expect_eq "$when: symlink" "../etc/hostname" "$(readlink "$m/srv/link")"
  expect_eq "$when: hard link" "2 $(stat -c %i "$m/etc/newfile")" \
    "$(stat -c '%h %i' "$m/etc/newfile.hard")"
  [ -f "$m/etc/shells.old" ] && [ ! -e "$m/etc/shells" ] || fail "$when: mv"
  expect_eq "$when: chmod" "600" "$(stat -c %a "$m/etc/newfile")"
  expect_eq "$when: touch" "1600000000" "$(stat -c %Y "$m/etc/hosts")"
  expect_eq "$when: truncate" "3" "$(stat -c %s "$m/etc/machine-id")"
  [ -p "$m/srv/fifo" ] || fail "$when: mkfifo"
  expect_eq "$when: xattr" "blue" \
    "$(getfattr --absolute-names --only-values -n user.tag "$m/etc/newfile")"
  expect_eq "$when: 6 MiB file" "$(sha big.bin)" "$(sha "$m/srv/big.bin")"
}
check_tree "in the mount"
# Nothing reaches the image while it is mounted.
sums_unchanged
fuse_end
if sha256sum --quiet -c sums > /dev/null 2>&1; then
  fail "--rw: the image did not change after the unmount"
fi

# ---- read back: a read-only remount, then the shell ----
keep_sums "$img"
fuse_mount -i
check_tree "after a remount"
err=$(sh -c "echo x > '$m/etc/hostname'" 2>&1) && fail "--ro: a write worked"
fuse_end
sums_unchanged
drydock shell --ro --format raw -a "$img" -i > out 2> err <<'CMDS' ||
cat /etc/hostname
cat /etc/newfile
readlink /srv/link
exists /etc/debian_version
checksum sha256 /srv/big.bin
lgetxattrs /etc/newfile
CMDS
  fail "shell: $(cat err)"
expect_eq "the shell reads the changes" \
  "web2
new file
../etc/hostname
false
$(sha big.bin)
[0] = {
  attrname: user.tag
  attrval: blue
}" "$(cat out)"

# ---- a killed mount: the image as it was ----
fuse_mount --rw -i
echo "killed" > "$m/etc/hostname"
sync -f "$m/etc/hostname" 2>/dev/null || :
kill -9 "$(cat pid)"
sleep 1
sums_unchanged
# The dead mount is still unmounted by drydock unmount.
drydock unmount "$mnt" || fail "unmount of a dead mount: exit $?"
mountpoint -q "$mnt" && fail "the dead mount is still mounted"

# ---- --output-overlay: the change in the new overlay only ----
fuse_mount --output-overlay "$scratch/new.qcow2" -i
echo "overlay" > "$m/etc/hostname"
fuse_end
sums_unchanged
expect_eq "--output-overlay: the overlay's hostname" "overlay" \
  "$(drydock cat --format qcow2 -a "$scratch/new.qcow2" /etc/hostname)"

# ---- drydock unmount: busy, free, not mounted, --fd ----
fuse_mount -i
(cd "$m/etc" && sleep 30) &
busy=$!
sleep 0.5
rc=0
drydock unmount -q --no-retry "$mnt" || rc=$?
expect_eq "unmount while busy" 2 "$rc"
kill "$busy"; wait "$busy" 2>/dev/null || :
exec 7< <(sleep 2)
t0=$(date +%s)
drydock unmount --fd 7 "$mnt" || fail "unmount --fd: exit $?"
exec 7<&-
[ $(( $(date +%s) - t0 )) -ge 1 ] || fail "unmount --fd did not wait"
rc=0
drydock unmount -q "$mnt" || rc=$?
expect_eq "unmount when not mounted" 3 "$rc"
sums_unchanged

# ---- the new actions, batched into shell sessions on another copy ----
img=$(scratch_copy "$(guest debian.img)")
mv "$img" "$scratch/actions.img"
img=$scratch/actions.img
drydock shell --format raw -a "$img" -i > out 2> err <<'CMDS' ||
lsetxattr user.a one 3 /etc/hosts
lsetxattr user.b twoXX 3 /etc/hosts
lxattrlist /etc "hosts nosuch hostname"
lremovexattr user.a /etc/hosts
lgetxattrs /etc/hosts
utimens /etc/hosts 1500000000 5 1600000000 7
lstatns /etc/hosts
rename /etc/hosts /srv/hosts2
exists /etc/hosts
ln /srv/hosts2 /srv/hosts3
lstatns /srv/hosts3
CMDS
  fail "shell: $(cat err)"
# lxattrlist: a head per name (hosts: 2 attributes, nosuch: unreadable,
# hostname: 0), each name's attributes after its head.
expect_eq "lxattrlist" "|2 user.a=one user.b=two | |0" \
  "$(head -n 20 out | awk '/attrname:/ { n = $2 } /attrval:/ {
       v = $2; printf "%s", (n == "" ? "|" v " " : n "=" v " "); n = "" }' |
     sed 's/ $//')"
expect_eq "lremovexattr, then lgetxattrs" "user.b" \
  "$(sed -n '21,$p' out | awk '/attrname:/ { print $2; exit }')"
grep -q 'st_atime_sec: 1500000000' out && grep -q 'st_atime_nsec: 5' out &&
  grep -q 'st_mtime_sec: 1600000000' out && grep -q 'st_mtime_nsec: 7' out ||
  fail "utimens: $(cat out)"
grep -qx false out || fail "rename: /etc/hosts still there"
grep -q 'st_nlink: 2' out || fail "ln: $(cat out)"
drydock shell --format raw -a "$img" -i > out 2> err <<'CMDS' ||
mknod 0010640 0 0 /srv/p
lstatns /srv/p
readdir /srv
CMDS
  fail "shell: $(cat err)"
keep_sums "$img"
grep -q 'st_mode: 4512' out || fail "mknod FIFO 0640: $(cat out)"
grep -A1 'ftyp: f' out | grep -q 'name: p' || fail "readdir FIFO: $(cat out)"
expect_fail "utimens bad nsecs" "nanoseconds" \
  drydock shell --format raw -a "$img" -i utimens /etc/hosts 0 1000000000 0 0
expect_fail "mknod of a directory" "needs a file type" \
  drydock shell --format raw -a "$img" -i mknod 040755 0 0 /srv/d
expect_fail "rename across a missing directory" "No such file" \
  drydock shell --format raw -a "$img" -i rename /etc/hosts /nosuch/x
expect_fail "lsetxattr vallen too long" "vallen" \
  drydock shell --format raw -a "$img" -i lsetxattr user.x ab 5 /etc/hosts
sums_unchanged

# ---- usage errors ----
one_line_fail "-d of an unknown domain" "add_domain: no libvirt domain 'guest1'" \
  drydock mount -c test:///default -d guest1 -i "$mnt"
one_line_fail "no -i or -m" "say what to mount" \
  drydock mount -a "$img" "$mnt"
one_line_fail "--ro with --output-overlay" "exclude each other" \
  drydock mount -a "$img" -i --ro --output-overlay x.qcow2 "$mnt"
one_line_fail "a bad --dir-cache-timeout" \
  "^drydock mount: --dir-cache-timeout 'x': not a number from 0 to" \
  drydock mount -a "$img" -i --dir-cache-timeout x "$mnt"
one_line_fail "a bad --retry" "^drydock unmount: --retry '-1': not a number from 0 to" \
  drydock unmount --retry -1 "$mnt"
