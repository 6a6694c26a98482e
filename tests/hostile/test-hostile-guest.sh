#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The hostile guest (make-hostile-guest.sh) through the file actions, in
# one read-only launch next to debian.img (/dev/sdb, the disk the
# guest's /etc/disk-b node 8:16 names): every read or in-place write of
# a FIFO, a socket, a character or block device node, directly or
# through a symlink, is refused at once naming the path and its kind
# (a blocked read would show as the call timeout, 60 s here); climbing
# symlinks stay inside the guest, a loop is ELOOP; the 4 GiB sparse
# file is refused by read_file and cat with its size, and its size is
# right; names with a newline, an escape sequence, a tab and invalid
# UTF-8 are listed; 120 levels of directories are walked; the 100,000
# names, more than one reply holds, stream through find0, ls, ll and
# find whole; copy-out creates no device node on the host; download
# keeps a file's holes; the filesystem is mounted nodev,nosuid; the
# daemon answers after every refusal.  Then the tools, one launch each:
# cat of the FIFO fails with one line, ls lists the odd names, inspect
# finds the OS (its hostname being a FIFO); ll shows odd names as ls
# -b does, and so do the shell's ls on a terminal.  The images stay
# byte-identical.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"

img=$(hostile_guest)
deb=$(guest debian.img)
keep_sums "$img" "$deb"
mkdir "$scratch/co"

rc=0
DRYDOCK_CALL_TIMEOUT=60 timeout -s KILL 1200 \
  drydock shell --ro --format raw -a "$img" -a "$deb" -m /dev/sda \
  > "$scratch/out" 2> "$scratch/err" <<EOF2 || rc=$?
-cat /etc/hostname
-cat /etc/fifo-link
-cat /etc/sock
-cat /etc/zero-link
-cat /etc/port
-cat /etc/disk-b
-cat /dev/sda
-read-file /etc/disk-b
-read-lines /etc/zero
-checksum md5 /etc/fifo
-checksum sha256 /etc/disk-b
-grep x /etc/fifo
-hivex-open /etc/zero
-download /etc/fifo $scratch/dl-fifo
-download /etc/disk-b $scratch/dl-disk
-write-append /etc/disk-b x
-write-append /etc/fifo x
-upload /dev/null /etc/port
-cat /etc/passwd
-cat /etc/loop1
-cat /var/sparse
-read-file /var/sparse
echo == answers
filesize /var/sparse
readlink /etc/passwd
exists /etc/up/etc/os-release
is-file /deep$(printf '/d%.0s' $(seq 120))/bottom
cat /ok
echo == names
ls /names
echo == ll-names
ll /names
echo == deep
find /deep
echo == many
find0 /many $scratch/many
echo == ls-many
ls /many
echo == ll-many
ll /many
echo == find-many
find /many
echo == copy-out
copy-out /etc $scratch/co
download /var/holes $scratch/holes
echo == flags
statvfs /
echo == end
EOF2
[ "$rc" -eq 0 ] || fail "the shell failed (status $rc): $(tail -3 "$scratch/err")"

grep -v '^drydock shell: warning: copy_out' "$scratch/err" > "$scratch/errs" || true
cat > "$scratch/expected" <<'EOF2'
drydock shell: cat: /etc/hostname: not a regular file (a FIFO)
drydock shell: cat: /etc/fifo-link: not a regular file (a FIFO)
drydock shell: cat: /etc/sock: not a regular file (a socket)
drydock shell: cat: /etc/zero-link: not a regular file (a character device)
drydock shell: cat: /etc/port: not a regular file (a character device)
drydock shell: cat: /etc/disk-b: not a regular file (a block device)
drydock shell: cat: /dev/sda: not a regular file (a block device)
drydock shell: read_file: /etc/disk-b: not a regular file (a block device)
drydock shell: read_lines: /etc/zero: not a regular file (a character device)
drydock shell: checksum: /etc/fifo: not a regular file (a FIFO)
drydock shell: checksum: /etc/disk-b: not a regular file (a block device)
drydock shell: grep: /etc/fifo: not a regular file (a FIFO)
drydock shell: hivex_open: /etc/zero: not a regular file (a character device)
drydock shell: download: /etc/fifo: not a regular file (a FIFO)
drydock shell: download: /etc/disk-b: not a regular file (a block device)
drydock shell: write_append: /etc/disk-b: not a regular file (a block device)
drydock shell: write_append: /etc/fifo: not a regular file (a FIFO)
drydock shell: upload: /etc/port: not a regular file (a character device)
drydock shell: cat: /etc/passwd: No such file or directory
drydock shell: cat: /etc/loop1: Too many levels of symbolic links
drydock shell: cat: /var/sparse: file too large for one message (4294967296 bytes, limit 4128768): use download
drydock shell: read_file: /var/sparse: file too large for one message (4294967296 bytes, limit 4128768): use download
EOF2
diff -u "$scratch/expected" "$scratch/errs" || fail "the refusals differ"
grep -c '^drydock shell: warning: copy_out: /etc: ./[a-z-]*: a device node, not created$' \
  "$scratch/err" | grep -qx 3 || fail "copy-out did not skip the 3 device nodes: $(cat "$scratch/err")"

section () { sed -n "/^== $1\$/,/^== /p" "$scratch/out" | sed '1d;$d'; }
expect_eq "answers" "4294967296
/../../../etc/shadow
true
true
ok" "$(section answers)"
expect_eq "names" "$(printf 'bad\377\376utf8\nesc\033[31mred\nnew\nline\nquote"'"'"'s\ntab\there')" \
  "$(section names)"
# ll shows names as ls -b does, always.
expect_eq "ll's names" 'bad\377\376utf8
esc\033[31mred
new\nline
quote"'"'"'s
tab\there' "$(section ll-names | tail -n +4 | sed 's/.* 2023 //')"
[ "$(section deep | wc -l)" -eq 121 ] || fail "find /deep: $(section deep | wc -l) names, 121 expected"
[ "$(tr -cd '\0' < "$scratch/many" | wc -c)" -eq 100000 ] ||
  fail "find0 /many did not give 100000 names"
tr '\0' '\n' < "$scratch/many" | grep -qx 'entry-with-a-long-name-to-fill-the-reply-00099999' ||
  fail "find0 /many misses the last name"
# ls, ll and find stream (ls0, ll0, find0): all 100,000 names, sorted.
section ls-many > "$scratch/ls-many"
tr '\0' '\n' < "$scratch/many" | LC_ALL=C sort > "$scratch/sorted"
cmp -s "$scratch/sorted" "$scratch/ls-many" || fail "ls /many: not the 100000 names, sorted"
section find-many | cmp -s "$scratch/sorted" - || fail "find /many: not the 100000 names, sorted"
section ll-many > "$scratch/ll-many"
[ "$(wc -l < "$scratch/ll-many")" -eq 100003 ] ||
  fail "ll /many: $(wc -l < "$scratch/ll-many") lines, 100003 expected"
expect_eq "ll /many's last line" \
  "-rw-r--r-- 1 0 0       0 Nov 14  2023 entry-with-a-long-name-to-fill-the-reply-00099999" \
  "$(tail -n 1 "$scratch/ll-many")"
# Nothing special landed on the host but FIFOs and symlinks.
[ -z "$(find "$scratch/co" \( -type b -o -type c -o -type s \) -print)" ] ||
  fail "copy-out created special files: $(find "$scratch/co" -type b -o -type c)"
[ -f "$scratch/co/etc/os-release" ] || fail "copy-out did not copy /etc/os-release"
# download keeps holes: /var/holes has 8 KiB of data in 3 MiB.
{ head -c 4096 /dev/zero | tr '\0' A; head -c $((2 * 1024 * 1024)) /dev/zero
  head -c 4096 /dev/zero | tr '\0' B; head -c $((1024 * 1024)) /dev/zero; } \
  > "$scratch/holes.expected"
cmp -s "$scratch/holes.expected" "$scratch/holes" || fail "download of /var/holes: wrong content"
[ "$(stat -c %b "$scratch/holes")" -le 64 ] ||
  fail "download of /var/holes: $(stat -c %b "$scratch/holes") blocks allocated, its holes were filled"
# ST_NOSUID (2) and ST_NODEV (4).
flag=$(section flags | sed -n 's/^flag: //p')
[ $(( flag & 6 )) -eq 6 ] || fail "the guest is not mounted nodev,nosuid (flag $flag)"

# The tools.
expect_fail "cat of a FIFO" "^drydock cat: download: /etc/hostname: not a regular file \(a FIFO\)$" \
  timeout -s KILL 600 drydock cat --format raw -a "$img" /etc/hostname
timeout -s KILL 600 drydock ls --format raw -a "$img" /names > "$scratch/ls" 2> "$scratch/err" ||
  fail "drydock ls: $(cat "$scratch/err")"
grep -q '^tab' "$scratch/ls" || fail "drydock ls /names: $(cat -v "$scratch/ls")"
# On a terminal the shell's ls and find quote names as ls -b does.
if command -v script >/dev/null; then
  timeout -s KILL 600 script -qec "drydock shell --ro --format raw -a '$img' \
    -m /dev/sda ls /names" /dev/null < /dev/null > "$scratch/tty" ||
    fail "shell ls on a terminal: $(cat "$scratch/tty")"
  expect_eq "ls on a terminal" 'bad\377\376utf8
esc\033[31mred
new\nline
quote"'"'"'s
tab\there' "$(tr -d '\r' < "$scratch/tty")"
fi
timeout -s KILL 600 drydock inspect --format raw -a "$img" > "$scratch/xml" 2> "$scratch/err" ||
  fail "drydock inspect: $(cat "$scratch/err")"
grep -q '<product_name>Hostile 12</product_name>' "$scratch/xml" ||
  fail "inspect did not find the OS: $(cat "$scratch/xml")"
sums_unchanged
exit 0
