#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# set_network: the appliance's network on qemu's user networking.
#  1. get-network is false by default, true after set-network true and
#     with the shell's --network;
#  2. with a network, a guest program (busybox wget in busybox.img, run
#     by sh) fetches a file from a server on the host's loopback,
#     reached as 10.0.2.2 (qemu maps it to the host);
#  3. without one, the same fetch fails;
#  4. the snapshot of the appliance with a network is kept apart from
#     the one without (both are restored afterwards).
. "$(dirname "$0")/../functions.sh"
requires python3

img=$(guest busybox.img)
export DRYDOCK_CACHEDIR="$scratch/cache"
cd "$scratch"
mkdir www
echo "served by the host $$" > www/hello.txt
# A port of our own on the loopback, for this test only.
python3 -m http.server 0 --bind 127.0.0.1 --directory www > http.log 2>&1 &
server=$!
add_cleanup "kill $server 2>/dev/null"
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' http.log | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the test HTTP server did not start: $(cat http.log)"
url="http://10.0.2.2:$port/hello.txt"

phases () { sed -n 's/^libdrydock: launch phases: \([^:]*\):.*/\1/p' "$1"; }

# 1, 2.
DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$img" \
  get-network : set-network true : get-network : run : mount /dev/sda / : \
  sh "busybox wget -q -O - $url" > out 2> err ||
  fail "the fetch with a network failed: $(grep -v '^\[' err | tail -3)"
expect_eq "output with a network" "false
true
served by the host $$" "$(cat out)"
expect_eq "first launch with a network" "snapshot created" "$(phases err)"

# 3.
rc=0
timeout 120 drydock shell --ro --format raw -a "$img" run : mount /dev/sda / : \
  sh "busybox wget -q -T 5 -O - $url" > out 2> err || rc=$?
[ "$rc" -ne 0 ] || fail "a fetch without a network worked: $(cat out)"

# 4.
DRYDOCK_DEBUG=1 drydock shell --network run : get-network > out 2> err ||
  fail "the second launch with a network (--network) failed"
expect_eq "get-network after --network" true "$(cat out)"
expect_eq "second launch with a network" "snapshot restore" "$(phases err)"
DRYDOCK_DEBUG=1 drydock shell run > out 2> err ||
  fail "the second launch without a network failed"
expect_eq "second launch without a network" "snapshot restore" "$(phases err)"
[ "$(ls -d "$DRYDOCK_CACHEDIR"/appliance-*/snapshot-* | grep -vc '\.lock$')" = 2 ] ||
  fail "expected two snapshots: $(ls "$DRYDOCK_CACHEDIR"/appliance-*/)"
exit 0
