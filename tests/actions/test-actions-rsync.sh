#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# rsync_in and rsync_out over the appliance's network (qemu's user
# networking) to an rsync server on the host's loopback, reached as
# 10.0.2.2; the table tests cover rsync between guest directories and
# the error paths, which need no server.
#  1. rsync_in copies the server's module into a guest directory;
#  2. rsync_out copies a guest file to the server;
#  3. rsync_in with deletedest removes what the server lacks.
. "$(dirname "$0")/../functions.sh"
requires rsync python3

cd "$scratch"
mkdir mod
echo "from the host $$" > mod/hostfile
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > rsyncd.conf <<CONF
address = 127.0.0.1
port = $port
use chroot = no
pid file = $scratch/rsyncd.pid
[m]
path = $scratch/mod
read only = no
uid = $(id -u)
gid = $(id -g)
CONF
rsync --daemon --no-detach --config="$scratch/rsyncd.conf" > rsyncd.log 2>&1 &
server=$!
add_cleanup "kill $server 2>/dev/null"
for _ in $(seq 1 100); do
  rsync "rsync://127.0.0.1:$port/m/" >/dev/null 2>&1 && break
  sleep 0.1
done
rsync "rsync://127.0.0.1:$port/m/" >/dev/null 2>&1 ||
  fail "the test rsync server did not start: $(cat rsyncd.log)"
remote="rsync://10.0.2.2:$port/m/"
truncate -s 64M disk.img

drydock shell --network --format raw -a disk.img \
  run : part-disk /dev/sda mbr : mkfs ext4 /dev/sda1 : mount /dev/sda1 / : \
  mkdir /in : write /in/stale x : \
  rsync-in "$remote" /in archive:true deletedest:true : \
  cat /in/hostfile : ls /in : \
  write /out "from the guest" : rsync-out /out "$remote" > out 2> err ||
  fail "rsync over the network failed: $(tail -3 err)"
# 1, 3.
expect_eq "rsync_in" "from the host $$
hostfile" "$(cat out)"
# 2.
expect_eq "rsync_out" "from the guest" "$(cat mod/out)"
exit 0
