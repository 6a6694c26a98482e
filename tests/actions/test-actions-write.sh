#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The writing file actions on the Debian-like guest, in one launch (the
# overlay is discarded): write, append, directories, removal, modes and
# owners, links, copies, moves, upload, tar-in, touch, and reading every
# result back.
. "$(dirname "$0")/../functions.sh"

img=$(guest debian.img)
head -c 3000000 /dev/urandom > "$scratch/big"
mkdir -p "$scratch/tree/sub" && echo nested > "$scratch/tree/sub/n.txt"
echo top > "$scratch/tree/t.txt"
tar -C "$scratch/tree" -czf "$scratch/tree.tgz" .
tar -C "$scratch/tree" -cf "$scratch/tree.tar" .

drydock shell --ro --format raw -a "$img" > "$scratch/out" 2> "$scratch/err" <<EOF2 || fail "shell failed: $(cat "$scratch/err")"
run
mount /dev/sda1 /
echo == write
write /etc/hostname "web1\n"
cat /etc/hostname
write-append /etc/hostname "more\n"
cat /etc/hostname
write /new.txt hello
cat /new.txt
echo == dirs
mkdir /d
mkdir-p /d/a/b/c
mkdir-mode /d/m 0700
is-dir /d/a/b/c
ls /d
statns /d/m
echo == links
ln-s /etc/hostname /d/link
readlink /d/link
cat /d/link
ln-sf /new.txt /d/link
readlink /d/link
echo == modes
chmod 0640 /new.txt
chown 1000 100 /new.txt
lchown 7 8 /d/link
statns /new.txt
lstatns /d/link
echo == copy
cp /new.txt /d
cat /d/new.txt
cp-a /d /d2
find /d2
mv /d2/new.txt /moved.txt
exists /d2/new.txt
cat /moved.txt
echo == upload
upload $scratch/big /big
filesize /big
download /big $scratch/big.back
echo == tar
mkdir /t1
tar-in $scratch/tree.tgz /t1 compress:gzip
find /t1
mkdir /t2
tar-in $scratch/tree.tar /t2
cat /t2/sub/n.txt
echo == touch
touch /empty
filesize /empty
echo == remove
rm /new.txt
rm-f /nope
rmdir /d/m
rm-rf /d
exists /d
exists /new.txt
sync
EOF2
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
# Keep only stat fields that do not depend on time or inode numbers.
grep -Ev '^st_(dev|ino|atime|mtime|ctime|blocks|blksize|nlink|size|rdev)' \
  "$scratch/out" > "$scratch/got"
cat > "$scratch/expected" <<'EOF2'
== write
web1
web1
more
hello
== dirs
true
a
m
st_mode: 16832
st_uid: 0
st_gid: 0
== links
/etc/hostname
web1
more
/new.txt
== modes
st_mode: 33184
st_uid: 1000
st_gid: 100
st_mode: 41471
st_uid: 7
st_gid: 8
== copy
hello
a
a/b
a/b/c
link
m
new.txt
false
hello
== upload
3000000
== tar
sub
sub/n.txt
t.txt
nested
== touch
0
== remove
false
false
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected output"
cmp "$scratch/big" "$scratch/big.back" || fail "upload/download round trip differs"

# Errors: each one line, naming the path and the reason.
expect_fail "cat a directory" "^drydock shell: cat: /etc: is a directory$" \
  drydock shell --ro --format raw -a "$img" -m /dev/sda1 cat /etc
expect_fail "read-only mount" "^drydock shell: write: /x: Read-only file system$" \
  drydock shell --ro --format raw -a "$img" -m /dev/sda1 write /x y
