#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The tools that write (edit, copy-in, tar-in) and their counterparts
# that copy out (copy-out, tar-out), on copies of the test guests, each
# result read back with drydock shell:
#  - edit -e with -b: the new content, the original kept as FILE.EXT,
#    mode and owner of /etc/shadow (0640 0:42) kept; $EDITOR on a
#    symbolic link edits its target and leaves the link; an edit that
#    changes nothing, a missing file, a failing editor, and a missing
#    second file after a good first one all leave the image
#    byte-identical (the first change is not committed either);
#  - copy-in of a tree (files, a subdirectory, a symbolic link) and a
#    file into /root: names, contents, link target and modes; into a
#    directory that is not there: one line, image byte-identical;
#  - tar-in of the same tree, plain, -z and from standard input; a
#    damaged tarball: one line, image byte-identical;
#  - copy-out of /etc/apt and /etc/hostname: the shell's contents;
#    copy-out of hostile.img's /etc: its escaping links are copied as
#    links and nothing lands outside the directory;
#  - tar-out of /etc, plain and -z to standard output: the members are
#    the shell's find of /etc; copy-out and tar-out never change the
#    image.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 tar gzip

cd "$scratch"
img=$(scratch_copy "$(guest debian.img)")
hostile=$(guest hostile.img)
I=(-q --format raw -a "$img")

# one_line_fail WHAT PATTERN CMD...: CMD fails with exactly one line on
# stderr, matching PATTERN; the image is byte-identical.
one_line_fail ()
{
  local what=$1 pattern=$2 err rc=0
  shift 2
  keep_sums "$img"
  err=$("$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq 1 ] || fail "$what: expected exit 1, got $rc: $err"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
    fail "$what: expected one line, got: $err"
  printf '%s\n' "$err" | grep -Eq -- "$pattern" ||
    fail "$what: error did not match /$pattern/: $err"
  sums_unchanged
}
# back SCRIPT: the shell's answers about img (-i, read-only) in ref.
back ()
{
  drydock shell --ro --format raw -a "$img" -i > ref 2> ref.err <<< "$1" ||
    fail "shell: $(cat ref.err)"
}

# part N: the answers between the Nth and the next "@@" line of ref.
part () { awk -v n="$1" '/^@@$/ { k++; next } k == n' ref; }

# ---- edit ----
drydock edit "${I[@]}" -b .orig -e 's/^user:!:/user:*:/' /etc/shadow ||
  fail "edit -e -b failed"
drydock edit "${I[@]}" -e 's/(debian)-(guest)/$2-${1}\n/' /etc/hostname ||
  fail "edit -e failed"
printf '#!/bin/sh\nsed -i "s/^ID=debian/ID=edited/" "$1"\n' > ed.sh
chmod +x ed.sh
EDITOR="$scratch/ed.sh" drydock edit "${I[@]}" /etc/os-release ||
  fail "edit with EDITOR failed"
back 'grep ^user: /etc/shadow
echo @@
grep ^user: /etc/shadow.orig
echo @@
lstatns /etc/shadow
echo @@
cat /etc/hostname
echo @@
readlink /etc/os-release
echo @@
grep ^ID= /usr/lib/os-release'
expect_eq "edit: /etc/shadow" "user:*" "$(part 0 | cut -d: -f1-2)"
expect_eq "edit -b: /etc/shadow.orig" "user:!" "$(part 1 | cut -d: -f1-2)"
expect_eq "edit: /etc/shadow's mode" "st_mode: 33184" "$(part 2 | grep st_mode)"
expect_eq "edit: /etc/shadow's group" "st_gid: 42" "$(part 2 | grep st_gid)"
expect_eq "edit: \$2-\${1}\\n" "guest-debian||" "$(part 3 | tr '\n' '|')"
expect_eq "edit: the link stays a link" "../usr/lib/os-release" "$(part 4)"
expect_eq "EDITOR edited the link's target" "ID=edited" "$(part 5)"
keep_sums "$img"
drydock edit "${I[@]}" -e 's/nothing-matches-this/x/' /etc/hostname ||
  fail "edit without a change failed"
sums_unchanged
one_line_fail "edit of a missing file" \
  "^drydock edit: /etc/nosuch: no such file in the guest" \
  drydock edit "${I[@]}" -e 's/a/b/' /etc/nosuch
one_line_fail "edit of a directory" "^drydock edit: /etc: not a regular file" \
  drydock edit "${I[@]}" -e 's/a/b/' /etc
one_line_fail "a failing editor" "^drydock edit: the editor false failed" \
  env EDITOR=false drydock edit "${I[@]}" /etc/hostname
one_line_fail "a good file, then a missing one" \
  "^drydock edit: /etc/nosuch: no such file" \
  drydock edit "${I[@]}" -e 's/guest/GUEST/' /etc/hostname /etc/nosuch

# ---- copy-in, tar-in ----
mkdir -p tree/sub
printf 'one\n' > tree/one.txt
printf 'two\n' > tree/sub/two.txt
ln -s sub/two.txt tree/link
chmod 0751 tree/sub
chmod 0600 tree/one.txt
printf 'single\n' > single.txt
drydock copy-in "${I[@]}" tree single.txt /root || fail "copy-in failed"
tar -cf tree.tar -C tree .
gzip -c tree.tar > tree.tar.gz
drydock shell --format raw -a "$img" -i mkdir-p /srv/a : mkdir-p /srv/b : \
  mkdir-p /srv/c > /dev/null || fail "cannot make /srv/a /srv/b /srv/c"
drydock tar-in "${I[@]}" tree.tar /srv/a || fail "tar-in failed"
drydock tar-in "${I[@]}" -z tree.tar.gz /srv/b || fail "tar-in -z failed"
drydock tar-in "${I[@]}" - /srv/c < tree.tar || fail "tar-in - failed"
back 'find /root
echo @@
cat /root/tree/one.txt
cat /root/tree/sub/two.txt
cat /root/single.txt
readlink /root/tree/link
echo @@
lstatns /root/tree/sub
echo @@
find /srv/a
echo @@
find /srv/b
echo @@
find /srv/c
echo @@
cat /srv/c/sub/two.txt
lstatns /srv/c/one.txt'
expect_eq "copy-in: the names" "single.txt tree tree/link tree/one.txt tree/sub tree/sub/two.txt" \
  "$(part 0 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "copy-in: contents, link" "one two single sub/two.txt" "$(echo $(part 1))"
expect_eq "copy-in: the directory's mode" "st_mode: 16873" "$(part 2 | grep st_mode)"
for d in 3 4 5; do
  expect_eq "tar-in (part $d): the names" "link one.txt sub sub/two.txt" \
    "$(echo $(part "$d"))"
done
expect_eq "tar-in: a file" "two" "$(part 6 | head -n 1)"
expect_eq "tar-in: a mode" "st_mode: 33152" "$(part 6 | grep st_mode)"
one_line_fail "copy-in into a missing directory" \
  "^drydock copy-in: /nonexistent: not a directory in the guest$" \
  drydock copy-in "${I[@]}" tree /nonexistent
head -c 20000 /dev/urandom > bad.tar
one_line_fail "tar-in of a damaged tarball" "^drydock tar-in: " \
  drydock tar-in "${I[@]}" bad.tar /srv

# ---- copy-out, tar-out: read only ----
keep_sums "$img"
mkdir out
drydock copy-out "${I[@]}" /etc/apt /etc/hostname out || fail "copy-out failed"
back 'cat /etc/hostname
echo @@
find /etc/apt
echo @@
cat /etc/apt/sources.list.d/debian.sources'
expect_eq "copy-out: a file" "$(part 0)" "$(cat out/hostname)"
expect_eq "copy-out: the tree" "$(echo $(part 1))" \
  "$(cd out/apt && echo $(find . -mindepth 1 | sed 's|^\./||' | sort))"
part 2 | cmp -s - out/apt/sources.list.d/debian.sources ||
  fail "copy-out: a file in the tree differs"
mkdir hout
: > err
ls -A > before
drydock copy-out -q --format raw -a "$hostile" /etc hout 2> err ||
  fail "copy-out of hostile.img's /etc: $(cat err)"
ls -A | cmp -s - before || fail "copy-out wrote beside its directory"
expect_eq "copy-out: an escaping link is a link" "../../../../../" \
  "$(readlink hout/etc/escape)"
expect_eq "copy-out: /etc/passwd stays a link" "/../../../../etc/shadow-host" \
  "$(readlink hout/etc/passwd)"
drydock tar-out "${I[@]}" /etc etc.tar || fail "tar-out failed"
drydock tar-out "${I[@]}" -z /etc - > etc.tar.gz || fail "tar-out -z - failed"
back 'find /etc'
expect_eq "tar-out: the members" "$(sort ref | tr '\n' ' ')" \
  "$(tar -tf etc.tar | sed -e 's|^\./||' -e 's|/$||' | grep -v '^$' | sort | tr '\n' ' ')"
expect_eq "tar-out -z: the members" "$(tar -tf etc.tar | sort)" \
  "$(gzip -dc etc.tar.gz | tar -tf - | sort)"
sums_unchanged
one_line_fail "tar-out of a missing directory" \
  "^drydock tar-out: /nosuch: not a directory in the guest$" \
  drydock tar-out "${I[@]}" /nosuch x.tar
[ ! -e x.tar ] || fail "tar-out left a tarball after a failure"
echo "test-tools-write.sh: the writing tools write only what worked"
