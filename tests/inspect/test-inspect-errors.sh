#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input: one line on stderr naming the image (or option) and the
# reason, a non-zero exit, and nothing at all on stdout.  None of these
# gets as far as starting the appliance.  Also: the usage text, and --xpath with
# --json.
. "$(dirname "$0")/../functions.sh"

deb=$(guest debian.img)
sum=$(sha "$deb")

# must_fail WHAT PATTERN ARGS...: drydock inspect ARGS fails with exactly
# one line on stderr, starting with the program name and matching
# PATTERN, and an empty stdout.
must_fail ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  drydock inspect "$@" > "$scratch/out" 2> "$scratch/err" < /dev/null || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: exit 0"
  [ ! -s "$scratch/out" ] || fail "$what: stdout not empty: $(cat "$scratch/out")"
  [ "$(wc -l < "$scratch/err")" = 1 ] ||
    fail "$what: not one line on stderr: $(cat "$scratch/err")"
  grep -Eq -- "^drydock inspect: .*$pattern" "$scratch/err" ||
    fail "$what: error did not match /$pattern/: $(cat "$scratch/err")"
}

must_fail "missing file" "'$scratch/missing.img': No such file or directory$" \
  --format raw -a "$scratch/missing.img"
mkdir "$scratch/dir"
must_fail "directory" "'$scratch/dir': not a regular file or block device$" \
  --format raw -a "$scratch/dir"
must_fail "raw image as qcow2" "'$deb': format qcow2 was given but the image is raw" \
  --format qcow2 -a "$deb"
printf 'QFI\xfb\0\0\0\x09not a real header' > "$scratch/bad.qcow2"
truncate -s 1M "$scratch/bad.qcow2"
must_fail "corrupt qcow2" "$scratch/bad.qcow2: .*Unsupported qcow2 version" \
  --format qcow2 -a "$scratch/bad.qcow2"
must_fail "unsupported format" "--format 'vmdk9': unsupported format" \
  --format vmdk9 -a "$deb"
# The good image first: the error is the second's, and nothing of the
# first is printed.
must_fail "second image missing" "'$scratch/missing.img': No such file" \
  --format raw -a "$deb" -a "$scratch/missing.img"
must_fail "argument without -a" "unexpected argument '$deb'" "$deb"
must_fail "--xpath and --json" "excludes --json" --json --xpath //root -a "$deb"

# No image at all: the usage, on stderr.
rc=0
drydock inspect > "$scratch/out" 2> "$scratch/err" || rc=$?
[ "$rc" -ne 0 ] && [ ! -s "$scratch/out" ] || fail "no arguments: rc $rc"
grep -q "^Usage: drydock inspect" "$scratch/err" || fail "no usage on stderr"
drydock inspect --help > "$scratch/out" || fail "--help failed"
grep -q -- "--no-applications" "$scratch/out" || fail "--help lacks options"
# virt-inspector's --no-icon is accepted (there is never an icon).
expect_eq "--no-icon" "2" "$(drydock inspect --no-icon --xpath 'count(//root)' \
  < "$DRYDOCK_TESTS_SRCDIR/inspect/golden/debian-fedora.xml")"

expect_eq "image unchanged" "$sum" "$(sha "$deb")"
