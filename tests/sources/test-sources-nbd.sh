#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# NBD exports: the Debian test guest served by qemu-nbd on a unix
# socket and on 127.0.0.1.  drydock inspect on each gives the same
# answer as on the raw image and never writes the export (it is served
# writable here, so a write would show); a commit into a remote export,
# and an export nobody serves, are one line each.
. "$(dirname "$0")/../functions.sh"
requires qemu-nbd qemu-img python3

raw=$(guest debian.img)
cd "$scratch"
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
cp --sparse=always "$raw" served.img
qemu-img convert -q -f raw -O qcow2 "$raw" served.qcow2
before=$(sha served.img)
before_q=$(sha served.qcow2)

# serve PIDFILE ARGS...: qemu-nbd in the background, persistent, until
# the test ends.
serve ()
{
  local pidfile=$1
  shift
  qemu-nbd --persistent --shared=4 --pid-file="$pidfile" "$@" &
  add_cleanup "kill $! 2>/dev/null || :"
  for _ in $(seq 100); do
    [ -s "$pidfile" ] && return 0
    sleep 0.1
  done
  fail "qemu-nbd did not start"
}

serve unix.pid -f raw -x debian --socket="$scratch/nbd.sock" served.img
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve tcp.pid -f qcow2 -x disk --bind=127.0.0.1 --port="$port" served.qcow2
for _ in $(seq 100); do
  [ -S nbd.sock ] && break
  sleep 0.1
done

unix="nbd+unix:///debian?socket=$scratch/nbd.sock"
tcp="nbd://127.0.0.1:$port/disk"

drydock inspect --format raw -a "$unix" > got.xml 2> err.txt ||
  fail "unix socket: $(cat err.txt)"
cmp -s want.xml got.xml || fail "unix socket: inspect differs from raw"
drydock inspect -a "$tcp" > got.xml 2> err.txt || fail "tcp: $(cat err.txt)"
cmp -s want.xml got.xml || fail "tcp: inspect differs from raw"
grep -q "warning: .*assuming raw" err.txt || fail "tcp: probed raw not warned"
# A session that writes in the appliance (a touch, read back) still
# leaves the export alone: the overlay takes the writes.
out=$(drydock shell --ro --format raw -a "$unix" <<'CMDS'
run
mount /dev/sda1 /
touch /etc/drydock-nbd
exists /etc/drydock-nbd
CMDS
) || fail "shell over nbd failed"
expect_eq "write in the overlay" "true" "$out"

expect_fail "commit into nbd" "cannot commit into it: a remote image is only read" \
  drydock customize --format raw -a "$unix" --touch /x
expect_fail "nobody serves" "^drydock inspect: add_drive: nbd\+unix:///nope\?socket=.*: " \
  drydock inspect --format raw -a "nbd+unix:///nope?socket=$scratch/none.sock"
n=$( (drydock inspect --format raw -a "nbd+unix:///nope?socket=$scratch/none.sock" || :) 2>&1 | wc -l)
expect_eq "unreachable is one line" 1 "$n"

# A qcow2 served raw, naming a host file as its backing file: refused.
qemu-img create -q -f qcow2 -b "$scratch/served.img" -F raw evil.qcow2
serve evil.pid -f raw -x evil --socket="$scratch/evil.sock" evil.qcow2
for _ in $(seq 100); do
  [ -S evil.sock ] && break
  sleep 0.1
done
expect_fail "remote qcow2 with a backing file" "names a backing file \('$scratch/served.img'\)" \
  drydock inspect --format qcow2 -a "nbd+unix:///evil?socket=$scratch/evil.sock"

kill "$(cat unix.pid)" "$(cat tcp.pid)" "$(cat evil.pid)"
sleep 0.5
expect_eq "served.img unchanged" "$before" "$(sha served.img)"
expect_eq "served.qcow2 unchanged" "$before_q" "$(sha served.qcow2)"
echo "$(basename "$0"): OK"
