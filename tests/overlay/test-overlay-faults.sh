#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault injection into commits (library/commit.c): after each fault the
# source must read "as before" or "fully committed", by content, once
# any drydock command has opened it (here drydock recover, which add_drive
# runs too); qemu-img check finds it clean; no process, temporary file,
# journal or lock is left.
#
#  1. Merges killed (DRYDOCK_FAULT_RUNS runs, default 10; make check-slow
#     runs 1,000): a raw and a qcow2 source of 8 MiB of random bytes with
#     a pending journal (an overlay of writes and a zeroed range, as a
#     commit leaves it after its journal step); drydock recover merges it
#     and is hit at a random instant of its merge: its qemu-img killed
#     (SIGKILL), or drydock itself killed (SIGKILL, SIGTERM, SIGINT; its
#     qemu-img outlives it).  The run then recovers and checks.
#  2. Whole sessions that commit (DRYDOCK_FAULT_SESSIONS, default 2; 30 in
#     make check-slow), on a 16 MiB ext4 image, hit at a random instant
#     by SIGKILL, SIGTERM or SIGINT, or their qemu killed: the image is
#     byte-identical, or e2fsck finds it clean with the file written.
#  3. ENOSPC (as root, on 20 MiB tmpfs mounts): a commit session whose
#     image lives there, an --output-overlay kept there, a sparsify
#     output there (check-slow only): one line, a non-zero exit within the
#     time limit, the source unchanged, nothing left.
#  4. A journal of another image is refused; an image another process is
#     merging into is refused as busy; a journal where the image may not
#     be written names drydock recover; a session opening an image with
#     a journal finishes it first; a commit that finds a journal appeared
#     meanwhile leaves it alone; recover's usage and stale overlays.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-io mkfs.ext4 e2fsck debugfs flock

runs=${DRYDOCK_FAULT_RUNS:-10}
sessions=${DRYDOCK_FAULT_SESSIONS:-2}
export LC_ALL=C

# Processes whose command line names the scratch directory (drydock, its
# reaper, qemu, qemu-img).
ours () { ps -eo pid=,args= | grep -F -- "$scratch/" | grep -v grep || true; }
# Waits up to 30 s for them to be gone.
wait_ours ()
{
  local i
  for ((i = 0; i < 300; ++i)); do
    [ -n "$(ours)" ] || return 0
    sleep 0.1
  done
  fail "$1: still running 30 s later: $(ours)"
}
add_cleanup 'ours | awk "{print \$1}" | xargs -r kill -9 2>/dev/null || true'

# content FILE FORMAT: sha256 of the disk as the guest sees it.
content ()
{
  if [ "$2" = raw ]; then sha "$1"; else
    qemu-img convert -U -f "$2" -O raw "$1" "$scratch/content.raw"
    sha "$scratch/content.raw"
    rm -f "$scratch/content.raw"
  fi
}

# rand_delay MAX_MS: a random sleep argument in [0, MAX_MS] ms.
rand_delay () { printf '0.%03d' $((RANDOM % ($1 + 1))); }

# left DIR NAME: what is in DIR besides NAME.
left () { ls -A "$1" | grep -vx -- "$2" || true; }

# check_clean WHAT DIR IMAGE FORMAT: nothing left beside the image, its
# lock free, qemu-img check clean.
check_clean ()
{
  expect_eq "$1: files left beside the image" "" "$(left "$2" "$(basename "$3")")"
  flock -n -x "$3" true || fail "$1: the image is still locked"
  if [ "$4" != raw ]; then
    qemu-img check -q -f "$4" "$3" > "$scratch/check" 2>&1 ||
      fail "$1: qemu-img check: $(cat "$scratch/check")"
  fi
}

# ---- 1. Merges killed --------------------------------------------------
echo "part 1 at $SECONDS s"

# Merges at 32 MiB/s (qemu-img commit -r, through DRYDOCK_QEMU_IMG):
# about 200 ms each, an interval the random instants can hit.
mkdir "$scratch/bin"
cat > "$scratch/bin/qemu-img" <<EOF2
#!/bin/sh
if [ "\$1" = commit ]; then shift; exec $(command -v qemu-img) commit -r 32M "\$@"; fi
exec $(command -v qemu-img) "\$@"
EOF2
chmod +x "$scratch/bin/qemu-img"

m="$scratch/m"
mkdir "$m"
src="$m/src.img"
journal="$m/.src.img.drydock-commit.qcow2"
declare -A before after
merge_ms=() recover_ms=()
for fmt in raw qcow2; do
  head -c 8M /dev/urandom > "$scratch/random"
  qemu-img convert -f raw -O "$fmt" "$scratch/random" "$scratch/src.$fmt"
  rm "$scratch/random"
  cp --sparse=always "$scratch/src.$fmt" "$src"
  qemu-img create -q -f qcow2 -b "$src" -F "$fmt" "$scratch/journal.$fmt"
  qemu-io -f qcow2 -c 'write -P 0xab 0 3M' -c 'write -P 0x5c 4M 2M' \
    -c 'write -z 6M 1M' -c 'write -P 0x11 8380416 8192' \
    "$scratch/journal.$fmt" > /dev/null
  before[$fmt]=$(content "$src" "$fmt")
  after[$fmt]=$(content "$scratch/journal.$fmt" qcow2)
  [ "${before[$fmt]}" != "${after[$fmt]}" ] || fail "$fmt: the journal changes nothing"
  # The durations of a recover and of its merge alone, for the random
  # instants; and recover works.
  cp "$scratch/journal.$fmt" "$scratch/j"
  t0=$EPOCHREALTIME
  "$scratch/bin/qemu-img" commit -q -d -f qcow2 "$scratch/j"
  t1=$EPOCHREALTIME
  merge_ms[${#merge_ms[@]}]=$(( (${t1/./} - ${t0/./}) / 1000 ))
  rm "$scratch/j"
  cp --sparse=always "$scratch/src.$fmt" "$src"
  cp "$scratch/journal.$fmt" "$journal"
  t0=$EPOCHREALTIME
  DRYDOCK_QEMU_IMG="$scratch/bin/qemu-img" drydock recover "$src" > "$scratch/out" ||
    fail "$fmt: recover of an uninterrupted journal failed"
  t1=$EPOCHREALTIME
  recover_ms[${#recover_ms[@]}]=$(( (${t1/./} - ${t0/./}) / 1000 ))
  grep -q 'was finished' "$scratch/out" || fail "$fmt: recover said: $(cat "$scratch/out")"
  expect_eq "$fmt: recovered content" "${after[$fmt]}" "$(content "$src" "$fmt")"
  check_clean "$fmt: recover" "$m" "$src" "$fmt"
done
max () { local m=0; for v; do [ "$v" -le "$m" ] || m=$v; done; [ "$m" -le 999 ] || m=999; echo "$m"; }
max_merge=$(max "${merge_ms[@]}")
max_recover=$(max "${recover_ms[@]}")
echo "merge ${merge_ms[*]} ms, recover ${recover_ms[*]} ms ($SECONDS s)"

declare -A outcome=()
for ((run = 0; run < runs; ++run)); do
  fmt=$([ $((run % 2)) = 0 ] && echo raw || echo qcow2)
  what="merge run $run ($fmt)"
  cp --sparse=always "$scratch/src.$fmt" "$src"
  cp "$scratch/journal.$fmt" "$journal"
  case $((RANDOM % 4)) in
    0) sig=KILL target=drydock ;;
    1) sig=TERM target=drydock ;;
    2) sig=INT target=drydock ;;
    *) sig=KILL target=qemu-img ;;
  esac
  DRYDOCK_QEMU_IMG="$scratch/bin/qemu-img" env --default-signal=INT,TERM \
    drydock recover "$src" > /dev/null 2> "$scratch/err" &
  pid=$!
  if [ "$target" = drydock ]; then
    sleep "$(rand_delay "$max_recover")"
    kill -s "$sig" "$pid" 2>/dev/null || true
  else
    # From the start of the merge: the instants inside it.
    pat="qemu-img commit .*-d -f qcow2 $journal"
    until pgrep -f -- "$pat" > /dev/null || ! kill -0 "$pid" 2>/dev/null; do
      sleep 0.01
    done
    sleep "$(rand_delay "$max_merge")"
    pkill -KILL -f -- "$pat" || true
  fi
  wait "$pid" 2>/dev/null || true
  wait_ours "$what"
  # What a program other than drydock would read now.
  c=$(content "$src" "$fmt")
  if [ "$c" = "${before[$fmt]}" ]; then state=before
  elif [ "$c" = "${after[$fmt]}" ]; then state=full
  else state=torn; fi
  [ -f "$journal" ] || [ "$state" = full ] ||
    fail "$what: the journal is gone but the image is $state"
  outcome[$target-$state]=$(( ${outcome[$target-$state]:-0} + 1 ))
  drydock recover "$src" > /dev/null 2> "$scratch/err" ||
    fail "$what: recover after $sig to $target failed: $(cat "$scratch/err")"
  expect_eq "$what: content after $sig to $target, recovered" \
    "${after[$fmt]}" "$(content "$src" "$fmt")"
  check_clean "$what" "$m" "$src" "$fmt"
  [ $(((run + 1) % 100)) != 0 ] || echo "merge runs: $((run + 1)) done ($SECONDS s)"
done
echo "merge runs: $runs; before recovery:$(for k in "${!outcome[@]}"; do printf ' %s=%s' "$k" "${outcome[$k]}"; done)"
# A long run that never cut a merge half way tested nothing.
[ "$runs" -lt 100 ] || [ "${outcome[qemu-img-torn]:-0}" -gt 0 ] ||
  fail "no merge out of $runs was cut half way: the faults missed"

# ---- 4. Refusals ---------------------------------------------------------
echo "part 4 at $SECONDS s"

# Usage: an image is needed, and must exist; one without a journal is
# left alone.
expect_fail "recover without an image" "no image given" drydock recover
expect_fail "recover of a missing image" "$m/missing.img" \
  drydock recover "$m/missing.img"
cp --sparse=always "$scratch/src.raw" "$src"
expect_eq "recover without a journal" "$src: no interrupted commit" \
  "$(drydock recover "$src")"
expect_eq "image after a recover without a journal" "${before[raw]}" \
  "$(content "$src" raw)"
# Overlays a crashed session left are removed; a running session's (it
# holds an flock on its overlay) is not.
: > "$m/.src.img.drydock-overlay-crash1"
: > "$m/.src.img.drydock-overlay-live01"
flock -x "$m/.src.img.drydock-overlay-live01" sleep 3 &
lockpid=$!
sleep 0.3
drydock recover "$src" > /dev/null || fail "recover with stale overlays failed"
expect_eq "overlays left by recover" ".src.img.drydock-overlay-live01" \
  "$(left "$m" src.img)"
wait "$lockpid"
rm "$m/.src.img.drydock-overlay-live01"
cp "$scratch/journal.raw" "$journal"
# Busy: another process holds the commit lock.
flock -x "$src" sleep 3 &
lockpid=$!
sleep 0.3
expect_fail "recover while another process merges" "committing into it" \
  drydock recover "$src"
expect_fail "a session while another process merges" "committing into it" \
  drydock shell --ro --format raw -a "$src" run
wait "$lockpid"
expect_eq "image left alone while busy" "${before[raw]}" "$(content "$src" raw)"
# Not writable (a read-only file; root may write it, the library may not).
chmod 0444 "$src"
expect_fail "a pending commit where the image may not be written" \
  "drydock recover $src" drydock shell --ro --format raw -a "$src" run
chmod 0644 "$src"
# The journal of another image.
mv "$src" "$m/other.img"
cp --sparse=always "$scratch/src.raw" "$src"
qemu-img rebase -u -f qcow2 -b "$m/other.img" -F raw "$journal"
expect_fail "a journal of another image" "names another image" \
  drydock recover "$src"
expect_eq "image after a foreign journal" "${before[raw]}" "$(content "$src" raw)"
rm -f "$journal" "$m/other.img"
# A session opening an image with a pending commit finishes it first.
cp "$scratch/journal.raw" "$journal"
drydock shell --format raw -a "$src" < /dev/null 2> "$scratch/err" ||
  fail "a session with a pending commit failed: $(cat "$scratch/err")"
grep -q 'finished a commit' "$scratch/err" ||
  fail "no warning for the finished commit: $(cat "$scratch/err")"
expect_eq "image after a session finished its commit" "${after[raw]}" \
  "$(content "$src" raw)"
check_clean "session recovery" "$m" "$src" raw
# A journal that appears while a session runs (a commit cut short
# since the session opened the image) is never replaced by its commit.
cp --sparse=always "$scratch/src.raw" "$src"
printf 'run\n!cp %s %s\n' "$scratch/journal.raw" "$journal" > "$scratch/script"
expect_fail "a commit finding a journal" "cut short meanwhile" \
  drydock shell --format raw -a "$src" -f "$scratch/script"
expect_eq "image after a commit found a journal" "${before[raw]}" \
  "$(content "$src" raw)"
cmp -s "$journal" "$scratch/journal.raw" || fail "the journal was replaced"
drydock recover "$src" > /dev/null || fail "recover of the journal failed"
expect_eq "image after its recovery" "${after[raw]}" "$(content "$src" raw)"
check_clean "a commit finding a journal" "$m" "$src" raw

# ---- 2. Whole sessions killed ------------------------------------------
echo "part 2 at $SECONDS s"

s="$scratch/s"
mkdir "$s" "$scratch/tmp"
export TMPDIR="$scratch/tmp"
truncate -s 16M "$scratch/fs.raw"
mkfs.ext4 -q -F -E root_owner=0:0 "$scratch/fs.raw"
qemu-img convert -f raw -O qcow2 "$scratch/fs.raw" "$scratch/fs.qcow2"
# One session measured: the random instants span it.
cp --sparse=always "$scratch/fs.raw" "$s/img"
t0=$EPOCHREALTIME
drydock shell --format raw -a "$s/img" -m /dev/sda write /f committed ||
  fail "an undisturbed session failed"
t1=$EPOCHREALTIME
session_ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
expect_eq "the file an undisturbed session wrote" committed \
  "$(debugfs -R 'cat /f' "$s/img" 2>/dev/null)"

for ((run = 0; run < sessions; ++run)); do
  fmt=$([ $((run % 2)) = 0 ] && echo raw || echo qcow2)
  case $((run % 4)) in
    0) sig=KILL ;; 1) sig=TERM ;; 2) sig=INT ;; *) sig=qemu ;;
  esac
  what="session $run ($fmt, $sig)"
  cp --sparse=always "$scratch/fs.$fmt" "$s/img"
  orig=$(content "$s/img" "$fmt")
  env --default-signal=INT,TERM \
    drydock shell --format "$fmt" -a "$s/img" -m /dev/sda write /f committed \
    > /dev/null 2> "$scratch/err" &
  pid=$!
  # Every other run near the end, where the commit is.
  if [ $((run % 2)) = 0 ]; then delay=$(( RANDOM * session_ms / 32768 ))
  else delay=$(( session_ms * 8 / 10 + RANDOM * session_ms / 4 / 32768 )); fi
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  # A session that ended before the fault: the instants shrink (the one
  # measured may have met a busier machine).
  if ! kill -0 "$pid" 2>/dev/null; then
    session_ms=$(( session_ms * 3 / 4 ))
  elif [ "$sig" = qemu ]; then
    ours | awk '/qemu-system/ { print $1 }' | xargs -r kill -9 2>/dev/null || true
  else
    kill -s "$sig" "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  wait_ours "$what"
  drydock recover "$s/img" > /dev/null 2> "$scratch/err" ||
    fail "$what: recover failed: $(cat "$scratch/err")"
  if [ "$(content "$s/img" "$fmt")" = "$orig" ]; then
    state=before
  else
    state=full
    [ "$fmt" = raw ] || qemu-img convert -f qcow2 -O raw "$s/img" "$scratch/fs.check"
    [ "$fmt" = qcow2 ] || cp "$s/img" "$scratch/fs.check"
    e2fsck -fn "$scratch/fs.check" > "$scratch/fsck" 2>&1 ||
      fail "$what: changed, but e2fsck: $(cat "$scratch/fsck")"
    expect_eq "$what: the file, changed image" committed \
      "$(debugfs -R 'cat /f' "$scratch/fs.check" 2>/dev/null)"
    rm -f "$scratch/fs.check"
  fi
  check_clean "$what" "$s" "$s/img" "$fmt"
  expect_eq "$what: files left in TMPDIR" "" "$(ls -A "$TMPDIR")"
  echo "$what after $delay ms: $state"
done

# ---- 3. ENOSPC -------------------------------------------------------------
echo "part 3 at $SECONDS s"

if [ "$(id -u)" != 0 ] || ! command -v mount >/dev/null; then
  echo "$(basename "$0"): ENOSPC part skipped: needs root for tmpfs mounts"
  exit 0
fi
full="$scratch/full"
mkdir "$full"
mount -t tmpfs -o size=20m tmpfs "$full" || {
  echo "$(basename "$0"): ENOSPC part skipped: cannot mount a tmpfs"
  exit 0
}
add_cleanup "umount -l '$full' 2>/dev/null || true"
truncate -s 64M "$scratch/big.raw"
mkfs.ext4 -q -F "$scratch/big.raw"
head -c 28M /dev/urandom > "$scratch/upload"

# limited WHAT PATTERN CMD...: fails in time with one line matching.
limited ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  timeout -s KILL 300 "$@" > /dev/null 2> "$scratch/err" || rc=$?
  [ "$rc" != 137 ] || fail "$what: no answer in 300 s (a hang)"
  [ "$rc" != 0 ] || fail "$what: succeeded"
  expect_eq "$what: lines on stderr" 1 "$(wc -l < "$scratch/err")"
  grep -Eq -- "$pattern" "$scratch/err" ||
    fail "$what: error did not match /$pattern/: $(cat "$scratch/err")"
}

# The overlay of a commit lives beside its image.
cp --sparse=always "$scratch/big.raw" "$full/img"
orig=$(sha "$full/img")
limited "ENOSPC under a commit's overlay" "no space left.*$full" \
  drydock shell --format raw -a "$full/img" -m /dev/sda upload "$scratch/upload" /u
expect_eq "image after ENOSPC under its overlay" "$orig" "$(sha "$full/img")"
expect_eq "files left after ENOSPC under the overlay" "img" "$(ls -A "$full")"
rm "$full/img"
wait_ours "ENOSPC sessions"

# --output-overlay on the full filesystem.
cp --sparse=always "$scratch/big.raw" "$s/img"
orig=$(sha "$s/img")
limited "ENOSPC under --output-overlay" "no space left.*$full" \
  drydock shell --format raw -a "$s/img" --output-overlay "$full/new.qcow2" \
  -m /dev/sda upload "$scratch/upload" /u
expect_eq "image after ENOSPC under --output-overlay" "$orig" "$(sha "$s/img")"
expect_eq "files left after ENOSPC under --output-overlay" "" "$(ls -A "$full")"

# A sparsify output that cannot fit (a launch more: check-slow only).
[ -n "${DRYDOCK_TEST_SLOW:-}" ] || exit 0
drydock shell --format raw -a "$s/img" -m /dev/sda upload "$scratch/upload" /u ||
  fail "filling the image failed"
orig=$(sha "$s/img")
limited "ENOSPC for sparsify's output" "space|$full" \
  drydock sparsify -q --format raw "$s/img" "$full/out.img"
expect_eq "image after sparsify's ENOSPC" "$orig" "$(sha "$s/img")"
expect_eq "files left after sparsify's ENOSPC" "" "$(ls -A "$full")"
wait_ours "ENOSPC"
expect_eq "files left in TMPDIR" "" "$(ls -A "$TMPDIR")"
