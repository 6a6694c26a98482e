#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock - test the KVM usability probe (library/accel.c) through the
# kvm-probe CLI: bounded time, answer format, verdict cache, test hook.
#
# Needs KVM_PROBE=path/to/kvm-probe.  Exit 0 pass, 1 fail, 77 skip.

set -u

fail ()
{
  echo "$0: FAIL: $*" >&2
  exit 1
}

skip ()
{
  echo "$0: SKIP: $*" >&2
  exit 77
}

if [ -z "${KVM_PROBE:-}" ]; then
  skip "KVM_PROBE is not set (point it at the built kvm-probe binary)"
fi
if [ ! -x "$KVM_PROBE" ]; then
  skip "KVM_PROBE='$KVM_PROBE' is not an executable file"
fi

tmpdir="$(mktemp -d)" || fail "mktemp -d"
trap 'rm -rf "$tmpdir"' EXIT INT TERM
cachedir="$tmpdir/cache"
mkdir "$cachedir" || fail "mkdir $cachedir"

now_ms ()
{
  local ns
  ns="$(date +%s%N)"
  echo $((ns / 1000000))
}

# run_probe LIMIT_MS ARGS...: runs kvm-probe, sets $out and $elapsed,
# fails unless it exits 0 within LIMIT_MS with one well-formed line.
run_probe ()
{
  local limit="$1" start rc
  shift
  start="$(now_ms)"
  out="$(timeout -s KILL 10 "$KVM_PROBE" "$@")"
  rc=$?
  elapsed=$(($(now_ms) - start))
  echo "kvm-probe $*: '$out' in $elapsed ms"
  [ "$rc" -eq 0 ] || fail "kvm-probe $* exited with status $rc"
  [ "$elapsed" -le "$limit" ] ||
    fail "kvm-probe $* took $elapsed ms, more than $limit ms"
  if ! [[ "$out" =~ ^kvm:\ yes$ || "$out" =~ ^kvm:\ no\ \(.+\)$ ]]; then
    fail "kvm-probe $*: unexpected output '$out'"
  fi
}

# 1. Fresh cache: a real probe, bounded by the 300 ms deadline.
run_probe 2000 --cachedir "$cachedir" --deadline 300
first="$out"
[[ "$first" != *"cached verdict"* ]] ||
  fail "fresh cache directory gave a cached verdict: '$first'"

# 2. Same again: the cached verdict (or the same answer, for verdicts
# that are never cached), and fast.
run_probe 1000 --cachedir "$cachedir" --deadline 300
second="$out"
if [ "$second" != "$first" ]; then
  reason="${first#kvm: no (}"
  [ "$second" = "kvm: no (cached verdict: $reason" ] ||
    fail "second answer '$second' is neither '$first' nor its cached form"
fi
if [ -f "$cachedir/kvm-verdict" ]; then
  boot_id="$(cat /proc/sys/kernel/random/boot_id)"
  read -r cached_id cached_release cached_verdict cached_token \
    < "$cachedir/kvm-verdict"
  [ "$cached_id" = "$boot_id" ] ||
    fail "cache key '$cached_id' is not the boot id '$boot_id'"
  [ "$cached_release" = "$(uname -r)" ] ||
    fail "cache key '$cached_release' is not the kernel release"
  [[ "$cached_verdict" =~ ^[01]$ && -n "$cached_token" ]] ||
    fail "malformed cache entry: $(cat "$cachedir/kvm-verdict")"
  ls "$cachedir" | grep -q '^kvm-verdict\.' &&
    fail "temporary file left in the cache directory"
fi

# 3. A stale entry (other boot) and garbage are ignored, never trusted.
echo "00000000-0000-0000-0000-000000000000 $(uname -r) 1 ok" \
  > "$cachedir/kvm-verdict"
run_probe 2000 --cachedir "$cachedir" --deadline 300
[[ "$out" != *"cached verdict"* ]] ||
  fail "stale cache entry was used: '$out'"
printf 'garbage\0\n' > "$cachedir/kvm-verdict"
run_probe 2000 --cachedir "$cachedir" --deadline 300
[[ "$out" != *"cached verdict"* ]] ||
  fail "garbage cache entry was used: '$out'"

# 4. Test hook: a missing device says "not present", whatever the cache.
DRYDOCK_FAKE_KVM_DEVICE="$tmpdir/no-such-kvm" \
  run_probe 1000 --cachedir "$cachedir"
[[ "$out" =~ ^kvm:\ no\ \(.*not\ present.*\)$ ]] ||
  fail "missing device: expected 'kvm: no (... not present)', got '$out'"

# 5. Without a cache directory it still answers.
run_probe 2000 --deadline 300

echo "$0: PASS"
exit 0
