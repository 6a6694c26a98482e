#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sparsify killed half way (SIGKILL while a filesystem is being
# trimmed, seen in the trace): copying, the source stays byte-identical,
# no output appears and --tmp is left empty (the library's reaper
# removes the working overlay, and sparsify's guard once the shutdown
# kept it, which a kill right after the shutdown shows); in place, the image still passes
# e2fsck's check once its journal is replayed, and its kept file reads
# back unchanged.  The dirty image is made on the host:
# mkfs.ext4 -d with a kept and a big file, the big one deleted by debugfs.
. "$(dirname "$0")/../functions.sh"

requires mkfs.ext4 debugfs e2fsck qemu-img
export PATH="$PATH:/usr/sbin:/sbin"

cd "$scratch"
mkdir data tmp
head -c 3M /dev/urandom > data/keep
head -c 48M /dev/urandom > data/big
keep_sum=$(sha data/keep)
mkfs.ext4 -q -d data disk.img 128M >/dev/null
debugfs -w -R "rm /big" disk.img >/dev/null 2>&1
sum=$(sha disk.img)

# run_and_kill [-at PATTERN] ARGS...: starts drydock sparsify -x ARGS
# and SIGKILLs it as soon as its trace shows PATTERN (by default, the
# trim being asked for).
run_and_kill ()
{
  local pid line seen= at='*fstrim_free "*'
  if [ "$1" = -at ]; then at=$2; shift 2; fi
  rm -f trace.fifo
  mkfifo trace.fifo
  drydock sparsify -q -x "$@" 2> trace.fifo &
  pid=$!
  while read -r line; do
    # shellcheck disable=SC2053
    if [[ $line == $at ]]; then kill -9 $pid; seen=1; break; fi
  done < trace.fifo
  wait $pid 2>/dev/null || :
  rm -f trace.fifo
  [ -n "$seen" ] || fail "sparsify $* ended before it trimmed"
}

run_and_kill --format raw --tmp tmp disk.img out.img
expect_eq "source after a killed copying sparsify" "$sum" "$(sha disk.img)"
[ ! -e out.img ] || fail "a killed sparsify left an output"
# The library's reaper removes the working overlay once its parent died.
for _ in $(seq 50); do [ -z "$(ls -A tmp)" ] && break; sleep 0.1; done
expect_eq "left in --tmp" "" "$(ls -A tmp)"

# Killed once the shutdown kept the working overlay under its own name,
# before sparsify unlinked it: sparsify's guard removes it.
run_and_kill -at '*trace: shutdown = 0*' --format raw --tmp tmp disk.img out.img
expect_eq "source after a sparsify killed after its shutdown" "$sum" \
  "$(sha disk.img)"
[ ! -e out.img ] || fail "a sparsify killed after its shutdown left an output"
for _ in $(seq 50); do [ -z "$(ls -A tmp)" ] && break; sleep 0.1; done
expect_eq "left in --tmp by a sparsify killed after its shutdown" "" \
  "$(ls -A tmp)"

run_and_kill --format raw --in-place disk.img
cp --sparse=always disk.img check.img
e2fsck -fp check.img >/dev/null 2>&1 || [ $? -le 1 ] ||
  fail "e2fsck could not replay the journal after a killed --in-place"
e2fsck -fn check.img > fsck.log 2>&1 || fail "e2fsck after a killed --in-place: $(cat fsck.log)"
debugfs -R "dump /keep got" check.img >/dev/null 2>&1 ||
  fail "cannot read the image after a killed --in-place"
expect_eq "kept file after a killed --in-place" "$keep_sum" "$(sha got)"
