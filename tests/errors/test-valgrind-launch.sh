#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# One whole session through the C API under valgrind: create, add_drive
# (read-only), launch, mount, a failing cat, a cat, shutdown, close
# (tests/errors/launch-close.c).  No memory error and no definite leak in
# the library, on the success and the error path.  Skips when valgrind or
# the launch-close program is missing.
. "$(dirname "$0")/../functions.sh"

requires valgrind
prog="$DRYDOCK_TESTS_BUILDDIR/errors/launch-close"
[ -x "$prog" ] || skip "$prog is not built (make -C tests/errors launch-close)"

img=$(guest debian.img)
rc=0
valgrind --quiet --leak-check=full --error-exitcode=1 \
  --errors-for-leak-kinds=definite \
  "$prog" "$img" raw /dev/sda1 /etc/hostname \
  > "$scratch/out" 2> "$scratch/err" || rc=$?
[ "$rc" -eq 0 ] || fail "launch-close under valgrind exited $rc: $(cat "$scratch/err")"
expect_eq "content read under valgrind" "debian-guest" "$(cat "$scratch/out")"
# --quiet: valgrind prints only errors (==PID== lines), so stderr must
# be empty but for valgrind's own notes (--PID-- lines: a syscall newer
# than this valgrind, pidfd_open, which the library then does without).
grep -v '^--[0-9]*-- ' "$scratch/err" > "$scratch/err.reports" || :
[ ! -s "$scratch/err.reports" ] ||
  fail "unexpected stderr: $(cat "$scratch/err")"
