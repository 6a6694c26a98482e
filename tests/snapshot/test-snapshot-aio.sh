#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The aio mode of the hot-added drives (library/snapshot.c, qemu.c):
#  1. by default the drives' files, and the local image under each
#     overlay (a raw image, and a qcow2 image that has a backing file
#     of its own), are read with io_uring: the debug lines say so for
#     each drive, the running qemu holds an io_uring, every file of
#     the images it has open is open read-only, and both guests read
#     back right;
#  2. DRYDOCK_AIO with a mode qemu refuses: the launch still works,
#     with qemu's default, and the debug line names the refusal;
#  3. DRYDOCK_AIO=threads: qemu's default, no aio line;
#  4. the images are byte-identical afterwards;
#  5. qemu runs with glibc's malloc told to keep the buffers it frees
#     (qemu.c's QEMU_TUNABLES), the caller having set none; a caller's
#     GLIBC_TUNABLES is passed on as it is (3.).
# On a host whose kernel or qemu has no io_uring, 1. checks the
# refusal line instead of the io_uring, and says so.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64
unset DRYDOCK_SNAPSHOT DRYDOCK_AIO GLIBC_TUNABLES

cd "$scratch"
raw=$(scratch_copy "$(guest debian.img)")
cp --sparse=always "$raw" base.img
qemu-img create -q -f qcow2 -b "$scratch/base.img" -F raw chain.qcow2
keep_sums "$raw" base.img chain.qcow2

# 1. The default, in one session kept open while qemu's files are
# looked at.
coproc SH { DRYDOCK_DEBUG=1 drydock shell --ro --format raw -a "$raw" \
              --format qcow2 -a "$scratch/chain.qcow2" 2> err; }
add_cleanup "kill $SH_PID 2>/dev/null || :"
printf '%s\n' run 'mount-ro /dev/sda1 /' 'cat /etc/hostname' 'umount /' \
  'mount-ro /dev/sdb1 /' 'cat /etc/hostname' 'echo done' >&"${SH[1]}"
out=""
while read -r -t 120 line <&"${SH[0]}"; do
  [ "$line" = done ] && break
  out="$out$line;"
done
expect_eq "both guests through the default aio" "debian-guest;debian-guest;" \
  "$out"

# The qemu whose open files include this test's images.
qemu=""
for p in $(pgrep -f qemu-system-x86_64 || :); do
  if ls -l "/proc/$p/fd" 2>/dev/null | grep -q -- "-> $scratch/"; then
    qemu=$p
  fi
done
[ -n "$qemu" ] || fail "no qemu has the test's images open"
n=0
for fd in /proc/"$qemu"/fd/*; do
  target=$(readlink "$fd" || :)
  case $target in
    "$scratch"/*)
      flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$qemu/fdinfo/${fd##*/}")
      [ $(( 0$flags & 3 )) -eq 0 ] ||
        fail "qemu has $target open for writing (flags $flags)"
      n=$((n + 1)) ;;
  esac
done
[ "$n" -ge 3 ] || fail "qemu has $n files of the images open, expected 3"
# (glibc parses the variable in place: /proc shows its first tunable.)
tunables=$(tr '\0' '\n' < "/proc/$qemu/environ" | sed -n 's/^GLIBC_TUNABLES=//p')
case $tunables in
  glibc.malloc.mmap_threshold=33554432*) ;;
  *) fail "qemu's GLIBC_TUNABLES is '$tunables'" ;;
esac
if grep -q '^libdrydock: drive 0: aio io_uring refused' err; then
  echo "$(basename "$0"): no io_uring here: $(grep 'aio io_uring refused' err)"
  grep -q '^libdrydock: drive 1: aio' err &&
    fail "drive 1 tried an aio mode after the refusal"
else
  for i in 0 1; do
    grep -q "^libdrydock: drive $i: aio io_uring\$" err ||
      fail "no 'drive $i: aio io_uring' line: $(grep aio err || :)"
  done
  ls -l "/proc/$qemu/fd" | grep -q 'anon_inode:\[io_uring\]' ||
    fail "qemu holds no io_uring"
fi
printf 'quit\n' >&"${SH[1]}"
wait "$SH_PID" || fail "the shell failed: $(tail -3 err)"

# 2. A mode qemu refuses.
DRYDOCK_AIO=no_such_mode DRYDOCK_DEBUG=1 drydock shell --ro --format raw \
  -a "$raw" -m /dev/sda1 cat /etc/hostname > out 2> err ||
  fail "launch with a refused aio mode failed: $(tail -3 err)"
expect_eq "output with a refused aio mode" debian-guest "$(cat out)"
grep -q "^libdrydock: drive 0: aio no_such_mode refused (.*no_such_mode.*)" err ||
  fail "no refusal line: $(grep aio err || :)"

# 3. qemu's default; and GLIBC_TUNABLES set by the caller reaches qemu
# as it is (the shell's children, qemu among them, all show it).
printf '%s\n' 'cat /etc/hostname' \
  '! for p in $(pgrep -P $PPID); do tr "\0" "\n" < /proc/$p/environ | grep "^GLIBC_TUNABLES="; done | sort -u' |
  GLIBC_TUNABLES=glibc.malloc.check=0 DRYDOCK_AIO=threads DRYDOCK_DEBUG=1 \
  drydock shell --ro --format qcow2 -a "$scratch/chain.qcow2" -m /dev/sda1 \
  > out 2> err ||
  fail "launch with DRYDOCK_AIO=threads failed: $(tail -3 err)"
expect_eq "output with DRYDOCK_AIO=threads and the caller's GLIBC_TUNABLES" \
  "debian-guest
GLIBC_TUNABLES=glibc.malloc.check=0" "$(cat out)"
grep -q '^libdrydock: drive 0: aio' err &&
  fail "an aio line with DRYDOCK_AIO=threads: $(grep aio err)"

# 4.
sums_unchanged
exit 0
