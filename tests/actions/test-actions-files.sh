#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The file actions on a guest built here, in one launch: glob-expand,
# checksum and checksums-out, find0, grep (plain, -E, -F, -i, through
# gzip), realpath, case-sensitive-path, readlinklist, lstatnslist, then
# the ones that change the guest: pread, pwrite, truncate(-size),
# mktemp, copy-attributes, scrub-file.  The guest is an ext4 image made
# on the host with mke2fs -d from a tree holding regular files, an
# absolute symlink, symlinks climbing with ".." above the guest's root,
# a dangling one, a FIFO, a device node, mixed-case names, names with a
# backslash and a newline, a gzip file, and an extended attribute
# (set with debugfs).  Every output is compared exactly; checksums with
# the host's md5sum/sha*sum/cksum of the same files, checksums-out with
# their "find -type f | xargs" output, find0 with a walk of the host
# tree.  Each error case is checked by its message; a FIFO or device
# node given to checksum, grep, pread, pwrite, truncate or scrub-file
# is refused at once (a read that blocked shows as a call timeout, then
# as the shell killed).  The changes are committed to the scratch image,
# and read back with debugfs: modes of mktemp's files, extended
# attributes copied, and no byte of the scrubbed files left on disk.
. "$(dirname "$0")/../functions.sh"

requires mke2fs debugfs gzip sha256sum cksum python3

umask 022
cd "$scratch"
t=tree
mkdir -p $t/etc/conf.d $t/dir/sub $t/Windows/System32/Drivers \
  $t/Windows/System32/config $t/case $t/data $t/attrs/srcdir $t/attrs/ddir \
  $t/work
printf 'hello\nworld\nHello again\n' > $t/etc/greet
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/usr/sbin:/bin/false\n' \
  > $t/etc/passwd
printf 'h\n' > $t/etc/.hidden
ln -s /etc/greet $t/etc/abs
ln -s /nonexistent $t/etc/dangling
mkfifo $t/etc/fifo
mknod $t/etc/null c 1 3
printf 'boot ok\nroot login\nshutdown\n' | gzip -n > $t/etc/log.gz
printf '\037\213\010\000garbage' > $t/etc/bad.gz
printf 'a=1\n' > $t/etc/conf.d/a.conf
printf 'b=2\n' > $t/etc/conf.d/b.conf
printf 'c\n' > $t/etc/conf.d/c.txt
ln -s ../../../etc/greet $t/dir/rel
ln -s ../../.. $t/dir/up
printf 'deep\n' > $t/dir/sub/deep.txt
printf 'sys\n' > $t/Windows/System32/Drivers/netkvm.sys
printf 'exact\n' > $t/case/mixed
printf 'title\n' > $t/case/Mixed
printf 'upper\n' > $t/case/MIXED
head -c 300000 /dev/urandom > $t/data/bin
: > $t/data/empty
printf 'b\n' > "$t/data/odd\\name"
printf 'n\n' > "$t/data/new
line"
for f in src dest dest2 dest3 dest4; do printf '%s\n' $f > $t/attrs/$f; done
chown 1000:100 $t/attrs/src
chmod 4750 $t/attrs/src
chmod 0600 $t/attrs/dest $t/attrs/dest3 $t/attrs/dest4
chmod 1777 $t/attrs/srcdir
printf '0123456789\n' > $t/work/t1
printf 'abc\n' > $t/work/t2
printf 'a.b\naxb\n-x\n' > $t/work/re
marker=DRYDOCK-SCRUB-MARKER-7f3a9c
for i in $(seq 1 3000); do printf '%s-%05d\n' $marker "$i"; done > $t/work/scrubme
sed 's/^/2:/' $t/work/scrubme > $t/work/scrubme2
ln -s scrubme2 $t/work/link-to-scrub

img=$scratch/files.img
truncate -s 64M "$img"
mke2fs -q -F -t ext4 -b 4096 -E root_owner=0:0,nodiscard -d $t "$img" \
  > mke2fs.err 2>&1 || fail "mke2fs -d failed: $(cat mke2fs.err)"
debugfs -w -R "ea_set /attrs/src user.color blue" "$img" 2> debugfs.err ||
  fail "debugfs ea_set failed: $(cat debugfs.err)"
[ "$(grep -a -c $marker "$img")" -gt 0 ] || fail "the marker is not in the image"

rc=0
DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 900 \
  drydock shell --format raw -a "$img" > out 2> err <<EOF || rc=$?
run
mount /dev/sda /
find0 / $scratch/find0.all
find0 /etc/conf.d $scratch/find0.conf
checksums-out sha256 /data $scratch/sums.data
checksums-out crc /etc $scratch/sums.etc
checksums-out MD5 / $scratch/sums.all
echo == glob
glob-expand /etc/*
glob-expand /etc/.*
glob-expand /etc/conf.d/*.conf directoryslash:false
glob-expand "/etc/conf.d/{b,a}.conf"
glob-expand "/{dir,case}/*"
glob-expand "/etc/conf.d/[!a]*"
glob-expand /dir/up/etc/gr?et
glob-expand /dir/up/*/ directoryslash:false
glob-expand /etc/dangling
glob-expand "/data/odd\\\\\\\\name"
glob-expand /
glob-expand /etc/ directoryslash:false
glob-expand /etc/greet/
glob-expand /etc/nope*
glob-expand /nope/x
glob-expand "/etc/{greet"
glob-expand "/etc/{gr,ab}{eet,s}"
echo == checksum
checksum crc /etc/greet
checksum CRC /data/empty
checksum md5 /etc/greet
checksum sha1 /etc/greet
checksum sha224 /etc/greet
checksum sha256 /etc/abs
checksum sha384 /etc/greet
checksum sha512 /etc/greet
checksum sha256 /data/bin
checksum sha256 /data/empty
-checksum sha256 /etc/fifo
-checksum sha256 /etc/null
-checksum sha256 /etc
-checksum sha256 /etc/dangling
-checksum sha999 /etc/greet
-checksums-out sha256 /etc/greet $scratch/bad.sums
-checksums-out sha999 /etc $scratch/bad.sums
-find0 /nope $scratch/bad.find0
echo == grep
grep hello /etc/greet
grep hello /etc/greet insensitive:true
grep "^[hw]" /etc/greet
grep "l{2}" /etc/greet extended:true
grep "l{2}" /etc/greet
grep a.b /work/re
grep a.b /work/re fixed:true
grep -x /work/re
grep root /etc/log.gz compressed:true
grep ROOT /etc/log.gz compressed:true insensitive:true extended:true
grep root /etc/passwd compressed:true
grep nothing /etc/passwd
-grep hello /etc/fifo
-grep hello /etc/null compressed:true
-grep hello /etc/nope
-grep x /etc/greet extended:true fixed:true
-grep "a[" /etc/greet
-grep root /etc/bad.gz compressed:true
echo == realpath
realpath /dir/rel
realpath /etc/abs
realpath /dir/up
realpath /dir/up/etc/../dir/./sub
-realpath /etc/dangling
echo == case
case-sensitive-path /windows/system32/drivers/NETKVM.SYS
case-sensitive-path /WINDOWS/System32/Drivers/NewFile.sys
case-sensitive-path /case/mixed
case-sensitive-path /case/MiXeD
case-sensitive-path /
case-sensitive-path /windows/
-case-sensitive-path /windows/system33/x
-case-sensitive-path /etc/greet/x
-case-sensitive-path /windows/../etc
echo == readlinklist
readlinklist /etc "abs dangling greet nope"
readlinklist /dir "rel up"
readlinklist /dir/up/etc abs
-readlinklist /nope abs
echo == lstatnslist
lstatnslist /etc "abs fifo null greet nope . .. a/b"
lstatnslist / ". .."
echo == pread
pread /etc/greet 6 6
pread /etc/greet 100 20
pread /etc/greet 10 24
echo [eof]
-pread /etc/fifo 1 0
-pread /etc/null 1 0
-pread /etc/nope 1 0
-pread /etc/greet -1 0
-pread /etc 1 0
-pread /etc/greet 4194304 0
echo == pwrite
pwrite /work/t1 ABC 2
cat /work/t1
pwrite /work/t1 xy 15
filesize /work/t1
-pwrite /etc/null x 0
-pwrite /work/nope x 0
-pwrite /work/t1 x -1
echo == truncate
truncate-size /work/t1 4
cat /work/t1
truncate-size /work/t2 100000
filesize /work/t2
truncate /work/t2
filesize /work/t2
-truncate /etc/fifo
-truncate /work/nope
-truncate-size /work/t1 -1
echo == mktemp
mktemp /work/tmpXXXXXX
mktemp /work/fooXXXXXX suffix:.txt
-mktemp /work/tmp
-mktemp /work/tmpXXXXX
-mktemp /nope/tmpXXXXXX
-mktemp /work/tmpXXXXXX suffix:a/b
echo == copy-attributes
copy-attributes /attrs/src /attrs/dest all:true
copy-attributes /attrs/src /attrs/dest2 all:true mode:false
copy-attributes /attrs/src /attrs/dest3 mode:true
copy-attributes /attrs/src /attrs/dest4
copy-attributes /attrs/srcdir /attrs/ddir mode:true
lstatnslist /attrs "dest dest2 dest3 dest4 ddir"
-copy-attributes /attrs/nope /attrs/dest all:true
-copy-attributes /attrs/src /attrs/nope all:true
echo == scrub
scrub-file /work/scrubme
scrub-file /work/link-to-scrub
exists /work/scrubme
exists /work/scrubme2
is-symlink /work/link-to-scrub
-scrub-file /etc/fifo
-scrub-file /etc
-scrub-file /nope
echo == still answering
cat /etc/greet
EOF
[ "$rc" -ne 137 ] || fail "killed after 900 s: a call blocked ($(cat err))"
[ "$rc" -eq 0 ] || fail "shell failed: $(cat err)"

# Host sums of the files the guest was built from.
sum () { "$1" < "$t/$2" | cut -d' ' -f1; }

# mktemp's names are random: checked by their form, then made fixed.
sed -n '/^== mktemp/,/^== copy-attributes/p' out > mktemp.out
grep -Eqx '/work/tmp[A-Za-z0-9]{6}' mktemp.out || fail "mktemp: $(cat mktemp.out)"
grep -Eqx '/work/foo[A-Za-z0-9]{6}\.txt' mktemp.out ||
  fail "mktemp suffix: $(cat mktemp.out)"
# Of the stat fields, the modes and owners (and st_ino, only for the
# root, 2, and a failed name, -1) do not depend on the image's layout
# or the time.
sed -E -e 's,^/work/tmp[A-Za-z0-9]{6}$,/work/tmpRANDOM,' \
  -e 's,^/work/foo[A-Za-z0-9]{6}\.txt$,/work/fooRANDOM.txt,' out |
  grep -Ev '^ *st_(dev|atime|mtime|ctime|blocks|blksize|nlink|rdev|size)' |
  grep -Ev '^ *st_ino: [0-9]{2,}$' > got

cat > expected <<EOF2
== glob
/etc/abs
/etc/bad.gz
/etc/conf.d/
/etc/dangling
/etc/fifo
/etc/greet
/etc/log.gz
/etc/null
/etc/passwd
/etc/../
/etc/./
/etc/.hidden
/etc/conf.d/a.conf
/etc/conf.d/b.conf
/etc/conf.d/b.conf
/etc/conf.d/a.conf
/dir/rel
/dir/sub/
/dir/up/
/case/MIXED
/case/Mixed
/case/mixed
/etc/conf.d/b.conf
/etc/conf.d/c.txt
/dir/up/etc/greet
/dir/up/Windows/
/dir/up/attrs/
/dir/up/case/
/dir/up/data/
/dir/up/dir/
/dir/up/etc/
/dir/up/lost+found/
/dir/up/work/
/etc/dangling
/data/odd\\name
/
/etc/
/etc/greet
/etc/abs
== checksum
$(sum cksum etc/greet)
4294967295
$(sum md5sum etc/greet)
$(sum sha1sum etc/greet)
$(sum sha224sum etc/greet)
$(sum sha256sum etc/greet)
$(sum sha384sum etc/greet)
$(sum sha512sum etc/greet)
$(sum sha256sum data/bin)
$(sum sha256sum data/empty)
== grep
hello
hello
Hello again
hello
world
hello
Hello again
a.b
axb
a.b
-x
root login
root login
root:x:0:0:root:/root:/bin/sh
== realpath
/etc/greet
/etc/greet
/
/dir/sub
== case
/Windows/System32/Drivers/netkvm.sys
/Windows/System32/Drivers/NewFile.sys
/case/mixed
/case/MIXED
/
/Windows
== readlinklist
/etc/greet
/nonexistent


../../../etc/greet
../../..
/etc/greet
== lstatnslist
[0] = {
  st_mode: 41471
  st_uid: 0
  st_gid: 0
}
[1] = {
  st_mode: 4516
  st_uid: 0
  st_gid: 0
}
[2] = {
  st_mode: 8612
  st_uid: 0
  st_gid: 0
}
[3] = {
  st_mode: 33188
  st_uid: 0
  st_gid: 0
}
[4] = {
  st_ino: -1
  st_mode: 0
  st_uid: 0
  st_gid: 0
}
[5] = {
  st_mode: 16877
  st_uid: 0
  st_gid: 0
}
[6] = {
  st_ino: 2
  st_mode: 16877
  st_uid: 0
  st_gid: 0
}
[7] = {
  st_ino: -1
  st_mode: 0
  st_uid: 0
  st_gid: 0
}
[0] = {
  st_ino: 2
  st_mode: 16877
  st_uid: 0
  st_gid: 0
}
[1] = {
  st_ino: 2
  st_mode: 16877
  st_uid: 0
  st_gid: 0
}
== pread
world
ain
[eof]
== pwrite
3
01ABC56789
2
17
== truncate
01AB
100000
0
== mktemp
/work/tmpRANDOM
/work/fooRANDOM.txt
== copy-attributes
[0] = {
  st_mode: 35304
  st_uid: 1000
  st_gid: 100
}
[1] = {
  st_mode: 33188
  st_uid: 1000
  st_gid: 100
}
[2] = {
  st_mode: 35304
  st_uid: 0
  st_gid: 0
}
[3] = {
  st_mode: 33152
  st_uid: 0
  st_gid: 0
}
[4] = {
  st_mode: 17407
  st_uid: 0
  st_gid: 0
}
== scrub
false
false
true
== still answering
hello
world
Hello again
EOF2
diff -u expected got || fail "unexpected output"

cat > experr <<'EOF2'
drydock shell: checksum: /etc/fifo: not a regular file (a FIFO)
drydock shell: checksum: /etc/null: not a regular file (a character device)
drydock shell: checksum: /etc: is a directory
drydock shell: checksum: /etc/dangling: No such file or directory
drydock shell: checksum: unknown checksum type "sha999" (crc, md5, sha1, sha224, sha256, sha384 or sha512)
drydock shell: checksums_out: /etc/greet: Not a directory
drydock shell: checksums_out: unknown checksum type "sha999" (crc, md5, sha1, sha224, sha256, sha384 or sha512)
drydock shell: find0: /nope: No such file or directory
drydock shell: grep: /etc/fifo: not a regular file (a FIFO)
drydock shell: grep: /etc/null: not a regular file (a character device)
drydock shell: grep: /etc/nope: No such file or directory
drydock shell: grep: extended and fixed cannot be used together
drydock shell: grep: /etc/greet: grep: Invalid regular expression
drydock shell: grep: /etc/bad.gz: gzip: stdin: unexpected end of file
drydock shell: realpath: /etc/dangling: No such file or directory
drydock shell: case_sensitive_path: /windows/system33/x: no name matching "system33" in /Windows
drydock shell: case_sensitive_path: /etc/greet/x: /etc/greet: Not a directory
drydock shell: case_sensitive_path: /windows/../etc: path contains "." or ".."
drydock shell: readlinklist: /nope: No such file or directory
drydock shell: pread: /etc/fifo: not a regular file (a FIFO)
drydock shell: pread: /etc/null: not a regular file (a character device)
drydock shell: pread: /etc/nope: No such file or directory
drydock shell: pread: /etc/greet: count and offset must not be negative
drydock shell: pread: /etc: is a directory
drydock shell: pread: /etc/greet: count 4194304 is larger than one reply holds (4128768 bytes): read in smaller parts
drydock shell: pwrite: /etc/null: not a regular file (a character device)
drydock shell: pwrite: /work/nope: No such file or directory
drydock shell: pwrite: /work/t1: offset must not be negative
drydock shell: truncate: /etc/fifo: not a regular file (a FIFO)
drydock shell: truncate: /work/nope: No such file or directory
drydock shell: truncate_size: /work/t1: size -1 is negative
drydock shell: mktemp: /work/tmp: the template must end with XXXXXX
drydock shell: mktemp: /work/tmpXXXXX: the template must end with XXXXXX
drydock shell: mktemp: /nope/tmpXXXXXX: No such file or directory
drydock shell: mktemp: suffix "a/b": a suffix cannot hold "/"
drydock shell: copy_attributes: /attrs/nope: No such file or directory
drydock shell: copy_attributes: /attrs/nope: No such file or directory
drydock shell: scrub_file: /etc/fifo: not a regular file (a FIFO)
drydock shell: scrub_file: /etc: is a directory
drydock shell: scrub_file: /nope: No such file or directory
EOF2
diff -u experr err || fail "unexpected errors"
for f in bad.sums bad.find0; do
  [ ! -e "$f" ] || fail "a failed FileOut call left $f"
done

# checksums-out: as "find -type f -print0 | xargs -0 PROG" on the host
# tree gives, in another order.
host_sums ()
{
  (cd "$t/$2" && find . -type f -print0 | xargs -0 "$1") | LC_ALL=C sort
}
LC_ALL=C sort sums.data > got.sums
host_sums sha256sum data > exp.sums
diff -u exp.sums got.sums || fail "checksums-out sha256 /data"
grep -qx '\\[0-9a-f]\{64\}  \./odd\\\\name' got.sums ||
  fail "checksums-out: a backslash in a name is not escaped"
LC_ALL=C sort sums.etc > got.sums
host_sums cksum etc > exp.sums
diff -u exp.sums got.sums || fail "checksums-out crc /etc"
LC_ALL=C sort sums.all > got.sums
host_sums md5sum . > exp.sums
diff -u exp.sums got.sums || fail "checksums-out md5 /"

# find0: every name of the host tree (and lost+found), depth first, each
# directory's names sorted, symlinks not followed.
python3 - "$t" > exp.find0 <<'EOF2'
import os, sys
def walk(top, rel):
    for name in sorted(os.listdir(os.path.join(top, rel) if rel else top),
                       key=os.fsencode):
        r = os.path.join(rel, name) if rel else name
        sys.stdout.buffer.write(os.fsencode(r) + b"\0")
        p = os.path.join(top, r)
        if os.path.isdir(p) and not os.path.islink(p):
            walk(top, r)
os.mkdir(os.path.join(sys.argv[1], "lost+found"))
walk(sys.argv[1], "")
EOF2
cmp exp.find0 find0.all || fail "find0 /: $(tr '\0' '\n' < find0.all)"
expect_eq "find0 /etc/conf.d" "a.conf b.conf c.txt" \
  "$(tr '\0' ' ' < find0.conf | sed 's/ $//')"

# What the session committed, read with debugfs.
ea () { debugfs -R "ea_get $1 user.color" "$img" 2>/dev/null | tr -d '\n'; }
expect_eq "xattr copied (all)" 'user.color (4) = "blue"' "$(ea /attrs/dest)"
expect_eq "xattr copied (all, mode:false)" 'user.color (4) = "blue"' \
  "$(ea /attrs/dest2)"
expect_eq "xattr not asked for" "" "$(ea /attrs/dest3)"
debugfs -R "ls -l /work" "$img" 2>/dev/null > work.ls
for name in tmp foo; do
  grep -Eq "100600 +\(1\) +0 +0 +0 .* ${name}[A-Za-z0-9]{6}" work.ls ||
    fail "mktemp: no empty ${name}XXXXXX of mode 0600: $(cat work.ls)"
done
expect_eq "scrubbed bytes left on the disk" 0 "$(grep -a -c $marker "$img" || :)"
