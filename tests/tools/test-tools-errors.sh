#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The small tools' bad input, caught before any appliance starts: each
# case fails with exit 1, one line "drydock TOOL: MESSAGE" on stderr,
# nothing on stdout, and the image byte-identical.  Also: the option
# lists of the tools that take -h themselves (-h is then theirs and
# --help the help).
. "$(dirname "$0")/../functions.sh"
requires qemu-img

cd "$scratch"
truncate -s 1M raw.img
keep_sums raw.img
# No launch may happen here: a qemu that is not there would fail it.
export DRYDOCK_QEMU=/nonexistent

# err TOOL EXPECTED ARGS...: drydock TOOL ARGS fails with exactly the
# line "drydock TOOL: EXPECTED".
err ()
{
  local tool=$1 want=$2 rc=0
  shift 2
  drydock "$tool" "$@" > out 2> err < /dev/null || rc=$?
  [ "$rc" -eq 1 ] || fail "drydock $tool $*: exit $rc: $(cat err)"
  [ ! -s out ] || fail "drydock $tool $*: stdout: $(cat out)"
  [ "$(wc -l < err)" -eq 1 ] || fail "drydock $tool $*: not one line: $(cat err)"
  expect_eq "drydock $tool $*" "drydock $tool: $want" "$(cat err)"
}

R=(--format raw -a raw.img)
for tool in cat ls df filesystems edit copy-in copy-out tar-in tar-out log \
            diff rescue; do
  err "$tool" "unknown option '--bogus' (try 'drydock $tool --help')" --bogus
  err "$tool" "'nope.img': No such file or directory" -a nope.img
done
for tool in cat ls edit copy-in copy-out tar-in tar-out; do
  err "$tool" "no image given: use -a IMAGE or -d DOMAIN (try 'drydock $tool --help')" /x /y
done
err df "no image given: use -a IMAGE or -d DOMAIN (try 'drydock df --help')"
err log "unexpected argument 'x' (images are given with -a) (try 'drydock log --help')" "${R[@]}" x
err cat "no file given (try 'drydock cat --help')" "${R[@]}"
err ls "no directory given (try 'drydock ls --help')" "${R[@]}"
err ls "--csv, -h, --uids, --times, --extra-stats and --checksum only go with -lR (try 'drydock ls --help')" \
  "${R[@]}" -l --csv /etc
err ls "-h and --csv exclude each other (spreadsheets would misread the sizes) (try 'drydock ls --help')" \
  "${R[@]}" -lR -h --csv /etc
err ls "--checksum 'md6': unknown checksum type (use crc, md5, sha1, sha224, sha256, sha384 or sha512)" \
  "${R[@]}" -lR --checksum=md6 /etc
err df "-h and --csv exclude each other (spreadsheets would misread the sizes) (try 'drydock df --help')" \
  "${R[@]}" -h --csv
err filesystems "unexpected argument '/dev/sda' (images are given with -a) (try 'drydock filesystems --help')" \
  "${R[@]}" /dev/sda
err edit "-e 's/a/b': the expression is not terminated" "${R[@]}" -e 's/a/b' /etc/hosts
err edit "-e 's/(/x/': the pattern '(' does not compile at offset 1: missing closing parenthesis" \
  "${R[@]}" -e 's/(/x/' /etc/hosts
err edit "-b 'a/b': the backup extension must be non-empty, without '/'" \
  "${R[@]}" -b a/b /etc/hosts
err copy-in "expected the paths to copy, then the directory they go into (try 'drydock copy-in --help')" \
  "${R[@]}" /tmp
err copy-in "'nope': No such file or directory" "${R[@]}" nope /root
err copy-out "'nope': No such file or directory" "${R[@]}" /etc nope
err copy-out "'raw.img': not a directory" "${R[@]}" /etc raw.img
err tar-in "expected two paths, 1 given (try 'drydock tar-in --help')" "${R[@]}" x.tar
err tar-in "'nope.tar': No such file or directory" "${R[@]}" nope.tar /
err tar-in "--compress 'lzma': unknown compression (use gzip, xz, zstd or bzip2)" \
  "${R[@]}" --compress lzma x.tar /
err tar-out "expected two paths, 3 given (try 'drydock tar-out --help')" "${R[@]}" / a b
err diff "two guests are compared: give the images of the first with -a (or -d), of the second with -A (or -D) (try 'drydock diff --help')" \
  "${R[@]}"
err diff "'nope.img': No such file or directory" "${R[@]}" -A nope.img
err diff "'raw.img': format qcow2 was given but the image is raw" \
  "${R[@]}" --format qcow2 -A raw.img
err rescue "no image given: use -a IMAGE or -d DOMAIN (try 'drydock rescue --help')" -i
err rescue "no image given: use -a IMAGE or -d DOMAIN (try 'drydock rescue --help')" --suggest --scratch
err rescue "unexpected argument 'x' (try 'drydock rescue --help')" "${R[@]}" x
err rescue "-e 'ab': the escape key is ^X (a control key), one character, or none" \
  "${R[@]}" -e ab
err rescue "-e '^1': the escape key is ^X (a control key), one character, or none" \
  "${R[@]}" -e ^1
err rescue "--scratch '0': a number from 1 to 26 is expected" "${R[@]}" --scratch=0
err rescue "--memsize '64': a number from 128 to 65536 is expected" \
  "${R[@]}" --memsize 64
err rescue "--smp 'two': a number from 1 to 255 is expected" "${R[@]}" --smp two
sums_unchanged

# -h: the tool's own where it takes one, else the help.
lists ()
{
  drydock "$1" --short-options | LC_ALL=C sort | tr '\n' ' ' > short
  expect_eq "$1 --short-options" "$2" "$(cat short)"
}
lists ls "-R -V -a -c -d -h -l -m -q -v -x "
lists df "-V -a -c -d -h -i -q -v -x "
lists filesystems "-V -a -c -d -h -l -q -v -x "
lists diff "-A -D -V -a -c -d -h -q -v -x "
lists cat "-V -a -c -d -h -m -q -v -x "
for tool in ls df filesystems diff; do
  drydock "$tool" --help > help || fail "$tool --help: exit $?"
  grep -q "^Usage: drydock $tool " help || fail "$tool --help: no usage"
  grep -q -- "-h, --human-readable" help || fail "$tool --help: no -h"
done
for tool in ls df filesystems; do
  err "$tool" "no image given: use -a IMAGE or -d DOMAIN (try 'drydock $tool --help')" -h
done
drydock cat -h > help || fail "cat -h: exit $?"
grep -q "^Usage: drydock cat " help || fail "cat -h is not the help"
drydock --help > help
for tool in cat ls df filesystems edit copy-in copy-out tar-in tar-out log \
            diff rescue; do
  grep -q "^  $tool " help || fail "drydock --help does not list $tool"
done
echo "test-tools-errors.sh: every bad input is one line"
