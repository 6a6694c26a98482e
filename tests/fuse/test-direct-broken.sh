#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Direct reads (library/direct.c) when qemu dies under them:
#  1. a download into a FIFO that nobody reads stalls half way; qemu is
#     killed; once the FIFO is drained the download fails at once with
#     one line naming the action, the guest's file and the reason, and
#     the shell exits 1;
#  2. downloads into a regular file, qemu killed after 0 to 0.2 s:
#     whenever it happens, the file is either whole (the right bytes)
#     or absent, with no temporary file left beside it;
#  3. a read-only mount reading big.bin (64 MiB: more than its stream
#     holds ahead) from the drives, qemu killed after its first MiB: reading the rest fails (no hang, no crash of
#     the mount's process), and drydock unmount still ends the mount;
#  4. the image is byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 mkfs.ext4

cd "$scratch"
mkdir tree
head -c $((64 * 1024 * 1024)) /dev/urandom > tree/big.bin
big_sha=$(sha tree/big.bin)
mkfs.ext4 -q -F -d tree big.img 128M
rm -rf tree
keep_sums big.img

# start_shell: a shell on big.img (--ro) reading commands from the FIFO
# in, its output in out.txt and err; $pid is its process, fd 6 writes
# its commands.  Returns once the filesystem is mounted.
start_shell ()
{
  rm -f in out.txt err
  mkfifo in
  DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a big.img \
    < in > out.txt 2> err &
  pid=$!
  exec 6> in
  printf '%s\n' run 'mount-ro /dev/sda /' 'echo mounted' >&6
  for _ in $(seq 600); do
    grep -q '^mounted$' out.txt && return 0
    kill -0 "$pid" 2>/dev/null || fail "the shell died: $(tail -3 err)"
    sleep 0.1
  done
  fail "the shell did not mount in 60 s"
}

# the_qemu: the qemu of the running shell (the one with our overlay's
# image open).
the_qemu ()
{
  local p
  for p in $(pgrep -f qemu-system-x86_64 || :); do
    if ls -l "/proc/$p/fd" 2>/dev/null | grep -q -- "-> $scratch/big.img"; then
      echo "$p"
      return 0
    fi
  done
  fail "no qemu has big.img open"
}

# 1. Stalled in a FIFO.
mkfifo stall
start_shell
q=$(the_qemu)
printf '%s\n' "download /big.bin $scratch/stall" 'echo after' >&6
exec 5< stall                   # returns once the download opened it
sleep 0.5
kill -9 "$q"
cat <&5 > drained &
exec 5<&- 6>&-
rc=0
timeout 30 tail --pid="$pid" -f /dev/null || fail "the shell hangs"
wait "$pid" || rc=$?
wait
expect_eq "exit status after qemu died under a download" 1 "$rc"
msg=$(grep '^drydock shell: ' err || :)
[[ $msg == "drydock shell: download: /big.bin: reading drive 0 from qemu: "* ]] ||
  fail "unexpected error: '$msg'"
expect_eq "error lines" 1 "$(grep -c '^drydock shell: ' err)"
grep -q '^after$' out.txt && fail "the shell went on after the failure"
[ "$(stat -c %s drained)" -lt $((64 * 1024 * 1024)) ] ||
  fail "the stalled download arrived whole"

# 2. Into a regular file, killed at some point.
for delay in 0 0.05 0.1 0.2; do
  rm -rf out
  mkdir out
  start_shell
  q=$(the_qemu)
  printf '%s\n' "download /big.bin $scratch/out/big.bin" 'echo after' >&6
  sleep "$delay"
  kill -9 "$q"
  exec 6>&-
  timeout 30 tail --pid="$pid" -f /dev/null || fail "the shell hangs ($delay)"
  wait "$pid" || :
  case $(ls -A out) in
    "") grep -q '^drydock shell: download: ' err ||
          fail "no file and no download error ($delay): $(tail -3 err)" ;;
    big.bin) expect_eq "the file downloaded before qemu died ($delay)" \
               "$big_sha" "$(sha out/big.bin)" ;;
    *) fail "left in the output directory ($delay): $(ls -A out)" ;;
  esac
done

# 3. Under a mount.
if [ -c /dev/fuse ] && command -v fusermount3 > /dev/null; then
  mkdir mnt
  add_cleanup "fusermount3 -u -q -z '$scratch/mnt' 2>/dev/null || :"
  drydock mount -q --format raw -a big.img -m /dev/sda --pid-file mount.pid \
    mnt 2> mount.err || fail "drydock mount: $(cat mount.err)"
  q=$(the_qemu)
  head -c $((1024 * 1024)) mnt/big.bin | cmp -s - <(head -c $((1024 * 1024)) \
    < <(drydock shell --ro --format raw -a big.img -m /dev/sda \
        download /big.bin -)) || fail "the first MiB through the mount differs"
  kill -9 "$q"
  rc=0
  timeout 30 cat mnt/big.bin > /dev/null 2> cat.err || rc=$?
  echo "$(basename "$0"): reading after qemu died: $(cat cat.err)"
  [ "$rc" -ne 124 ] || fail "reading the mount hangs after qemu died"
  [ "$rc" -ne 0 ] || fail "the whole file was read after qemu died"
  kill -0 "$(cat mount.pid)" || fail "the mount's process died with qemu"
  drydock unmount mnt || fail "drydock unmount after qemu died: exit $?"
  for _ in $(seq 100); do
    kill -0 "$(cat mount.pid)" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$(cat mount.pid)" 2>/dev/null &&
    fail "the mount's process outlived drydock unmount"
else
  echo "$(basename "$0"): no FUSE here: part 3 not run"
fi

# 4.
sums_unchanged
exit 0
