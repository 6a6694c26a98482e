#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# copy-in and copy-out through a real appliance, one launch:
#  1. copy-in of a host tree (modes with set-user-ID, relative and
#     absolute symlinks, a hard link, a FIFO, an empty and a read-only
#     directory, names with blanks, a leading "-", ".." inside a name,
#     UTF-8, a 3 MiB file) and of a single file; ll and readlink in the
#     guest show them as on the host;
#  2. copy-out of that guest tree: diff -r with the original, the same
#     modes (less set-user-ID), symlink targets, hard link and
#     modification times; copy-out of a single file, and of / into the
#     local directory itself;
#  3. a hostile guest tree: symlinks leading out (absolute and "../..")
#     are copied as links and never followed; after the guest turns
#     them into directories holding files, a second copy-out over the
#     first replaces the local links with directories and writes
#     nothing outside; a device node is skipped with a warning; a local
#     target that is a symlink is refused;
#  4. the errors: missing local path, a guest target that is not a
#     directory, a missing local directory, a guest path that is a
#     symlink or missing.
# tar-out cannot make a member named with ".." or an absolute name
# (GNU tar writes what it finds under the directory); library/
# test-untar.sh feeds such archives to the unpacker directly.
. "$(dirname "$0")/../functions.sh"
requires python3

cd "$scratch"
# Read-only directories below, which rm -rf cannot empty unless root.
add_cleanup 'chmod -R u+w "$scratch"'
truncate -s 64M g.img
outside="$scratch/outside"
mkdir "$outside" out1 out2 out3 out4 out5

# The host tree.
mkdir -p src/tree/sub/deep src/tree/empty src/tree/ro
echo hello > src/tree/a.txt
chmod 640 src/tree/a.txt
printf 'bin\0ary\n' > src/tree/sub/prog
chmod 4755 src/tree/sub/prog
head -c 3145728 /dev/urandom > src/tree/big
chmod 600 src/tree/big
ln -s ../a.txt src/tree/sub/rel-link
ln -s /etc/passwd src/tree/abs-link
ln src/tree/a.txt src/tree/hard
mkfifo src/tree/fifo
echo blank > "src/tree/with blank"
echo dash > src/tree/-dash
echo dots > src/tree/..hidden
echo dots > src/tree/x..y
echo utf > "src/tree/été"
echo deep > src/tree/sub/deep/file
echo ro > src/tree/ro/file
chmod 555 src/tree/ro
touch -d @1500000000 src/tree/a.txt src/tree/sub/deep/file
echo single > src/single.txt
# A local target already there as a symlink (leading out).
ln -s "$outside" out5/evil

# A device node for the guest, by tar-in of an archive python writes
# (creating one on the host would need root).
python3 - <<'EOF'
import tarfile
with tarfile.open("dev.tar", "w") as t:
    ti = tarfile.TarInfo("null")
    ti.type = tarfile.CHRTYPE
    ti.devmajor, ti.devminor = 1, 3
    t.addfile(ti)
EOF

timeout 600 drydock shell --ro --format raw -a g.img > out 2> err <<EOF2 ||
run
mkfs ext4 /dev/sda
mount /dev/sda /
mkdir /in
echo == in
copy-in $scratch/src/tree /in
copy-in $scratch/src/single.txt /in
ll /in/tree
ll /in/tree/sub
readlink /in/tree/sub/rel-link
readlink /in/tree/abs-link
cat /in/single.txt
echo == out
copy-out /in/tree $scratch/out1
copy-out /in/single.txt $scratch/out2
copy-out / $scratch/out3
echo == hostile
mkdir /in/evil
ln-s ../../../../../../../../..$outside /in/evil/rel-out
ln-s $outside /in/evil/abs-out
tar-in $scratch/dev.tar /in/evil
copy-out /in/evil $scratch/out4
rm /in/evil/rel-out
rm /in/evil/abs-out
mkdir /in/evil/rel-out
mkdir /in/evil/abs-out
write /in/evil/rel-out/pwned "x"
write /in/evil/abs-out/pwned "x"
copy-out /in/evil $scratch/out4
-copy-out /in/evil $scratch/out5
echo == errors
-copy-in $scratch/nosuch /in
-copy-in $scratch/src /in/single.txt
-copy-in $scratch/src /nosuch
-copy-out /in/tree $scratch/nosuch
-copy-out /in/tree $scratch/src/single.txt
-copy-out /in/tree/sub/rel-link $scratch/out2
-copy-out /in/nosuch $scratch/out2
EOF2
  fail "drydock shell failed: $(cat err)"

# 1. In the guest.
section () { sed -n "/^== $1\$/,/^==/p" out | sed '1d;/^==/d'; }
section in > in
for want in '^-rw-r----- 2 .* a\.txt$' '^-rw-r----- 2 .* hard$' \
            '^-rw------- 1 .* 3145728 .* big$' '^prw-r--r-- 1 .* fifo$' \
            '^dr-xr-xr-x .* ro$' '^drwxr-xr-x .* empty$' \
            '^lrwxrwxrwx .* abs-link -> /etc/passwd$' \
            '^-rw-r--r-- .* with blank$' '^-rw-r--r-- .* -dash$' \
            '^-rw-r--r-- .* \.\.hidden$' '^-rw-r--r-- .* x\.\.y$' \
            '^-rw-r--r-- .* été$' '^-rwsr-xr-x 1 .* prog$' \
            '^lrwxrwxrwx .* rel-link -> \.\./a\.txt$' '^\.\./a\.txt$' \
            '^/etc/passwd$' '^single$'; do
  grep -Eq -- "$want" in || fail "copy-in: no line /$want/ in: $(cat in)"
done

# 2. Out again.  The FIFO and the set-user-ID bit aside, the same tree.
diff -r --no-dereference -x fifo src/tree out1/tree || fail "copy-out: trees differ"
[ -p out1/tree/fifo ] || fail "copy-out: the FIFO"
listing () { (cd "$1" && find . -printf '%m %y %p -> %l\n'); }
expect_eq "copy-out: modes and link targets" \
  "$(listing src/tree | sed 's|^4755 f ./sub/prog|755 f ./sub/prog|' | sort)" \
  "$(listing out1/tree | sort)"
expect_eq "copy-out: hard link" "$(stat -c %i out1/tree/a.txt)" \
  "$(stat -c %i out1/tree/hard)"
expect_eq "copy-out: mtime" "1500000000 1500000000" \
  "$(stat -c %Y out1/tree/a.txt out1/tree/sub/deep/file | tr '\n' ' ' | sed 's/ $//')"
expect_eq "copy-out of a file" "single" "$(cat out2/single.txt)"
[ -d out3/in/tree/sub/deep ] && [ -d out3/lost+found ] &&
  [ "$(cat out3/in/single.txt)" = single ] || fail "copy-out of /: $(ls -A out3)"
cmp src/tree/big out3/in/tree/big || fail "copy-out of /: big"

# 3. Hostile content: nothing outside, links replaced by directories.
expect_eq "nothing written outside" "" "$(ls -A "$outside")"
[ -d out4/evil/rel-out ] && [ ! -L out4/evil/rel-out ] &&
  [ -d out4/evil/abs-out ] && [ ! -L out4/evil/abs-out ] &&
  [ "$(cat out4/evil/rel-out/pwned)" = x ] || fail "second copy-out: $(ls -la out4/evil)"
[ ! -e out4/evil/null ] || fail "a device node was created"
[ -L out5/evil ] || fail "the local symlink target was replaced"

# The messages: the warnings for the device node (both copies), the
# refused symlink target, then the errors.
cat > expected <<EOF2
drydock shell: warning: copy_out: /in/evil: ./null: a device node, not created
drydock shell: warning: copy_out: /in/evil: ./null: a device node, not created
drydock shell: copy_out: $scratch/out5/evil: exists and is not a directory
drydock shell: copy_in: $scratch/nosuch: No such file or directory
drydock shell: copy_in: /in/single.txt: not a directory in the guest
drydock shell: copy_in: /nosuch: not a directory in the guest
drydock shell: copy_out: $scratch/nosuch: No such file or directory
drydock shell: copy_out: $scratch/src/single.txt: not a directory
drydock shell: copy_out: /in/tree/sub/rel-link: not a file or a directory (a symbolic link, a device, a FIFO or nothing)
drydock shell: copy_out: /in/nosuch: not a file or a directory (a symbolic link, a device, a FIFO or nothing)
EOF2
diff -u expected err || fail "unexpected messages"
