#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# A wedged appliance cannot hang a tool: with qemu stopped (SIGSTOP)
# in the middle of a session, the next call fails after the call
# timeout (DRYDOCK_CALL_TIMEOUT=5) with one line saying the appliance
# did not answer, the shell exits non-zero, and qemu is gone.  And the
# timeout counts silence, not the call's length: a guest command that
# runs for 25 s without output finishes under a 10 s timeout, kept alive
# by the daemon's keepalives (busybox.img; skipped without it).
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"
requires pgrep

img=$(guest debian.img)
mkfifo "$scratch/cmds"
DRYDOCK_CALL_TIMEOUT=5 drydock shell --ro --format raw -a "$img" \
  < "$scratch/cmds" > "$scratch/out" 2> "$scratch/err" &
pid=$!
exec 3> "$scratch/cmds"
add_cleanup 'kill -KILL $pid 2>/dev/null || true'
printf 'run\necho up\n' >&3
for _ in $(seq 600); do
  grep -qx up "$scratch/out" && break
  kill -0 $pid 2>/dev/null || fail "the shell died: $(cat "$scratch/err")"
  sleep 0.5
done
grep -qx up "$scratch/out" || fail "the appliance did not start"
qemu=$(pgrep -P $pid qemu-system) || fail "no qemu under the shell"
kill -STOP $qemu
start=$(date +%s)
printf 'list-devices\n' >&3
exec 3>&-
rc=0
wait $pid || rc=$?
took=$(( $(date +%s) - start ))
[ "$rc" -ne 0 ] || fail "the shell succeeded over a stopped appliance"
[ "$took" -lt 60 ] || fail "the call took $took s with a 5 s timeout"
one_line "the timeout" "list_devices: the appliance did not answer in time; it was stopped" \
  "$scratch/err"
! kill -0 $qemu 2>/dev/null || fail "qemu ($qemu) is still there"

# Keepalives: a slow but live guest command is not cut short.
rc=0
"$DRYDOCK_TESTS_SRCDIR/data/make-guests.sh" "$GUESTS" busybox.img >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 77 ] || skip "busybox.img cannot be built (busybox-static)"
[ "$rc" -eq 0 ] || fail "cannot build busybox.img"
DRYDOCK_CALL_TIMEOUT=10 drydock shell --ro --format raw -a "$GUESTS/busybox.img" \
  -m /dev/sda > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
sh "sleep 25; echo slept"
EOF2
  fail "a guest command of 25 s under a 10 s timeout: $(cat "$scratch/err")"
expect_eq "the slow command's output" "slept" "$(cat "$scratch/out")"
exit 0
