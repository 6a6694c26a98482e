#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The KVM → TCG fallback of library/launch.c, on a host with /dev/kvm:
#  1. DRYDOCK_ACCEL=kvm forbids the fallback: with a 3 s hello timeout
#     and a KVM too slow to boot (as on the build machines), the launch
#     fails with one clear line, without trying TCG.  Where KVM really
#     works it succeeds instead, and that part is skipped.
#  2. DRYDOCK_KVM_PROBE=yes (skip the probe, take KVM) with a short
#     DRYDOCK_KVM_HELLO_TIMEOUT: the KVM launch does not say hello in
#     time, the warning says so, the launch is retried under TCG and
#     succeeds, and get-accel prints tcg.  (Where KVM works, a 1 ms
#     timeout forces the same path.)
#  3. DRYDOCK_ACCEL=tcg skips the probe: the debug output says so and
#     shows no probe verdict and no KVM qemu.
# Skips when /dev/kvm is absent or cannot be opened.
. "$(dirname "$0")/../functions.sh"

[ -c /dev/kvm ] || skip "/dev/kvm is absent"
( exec 3<> /dev/kvm ) 2>/dev/null || skip "/dev/kvm cannot be opened"

img=$(guest debian.img)
unset DRYDOCK_ACCEL DRYDOCK_KVM_PROBE DRYDOCK_KVM_HELLO_TIMEOUT DRYDOCK_DEBUG
cd "$scratch"

# 1. Forced KVM: no fallback.
rc=0
start=$SECONDS
DRYDOCK_ACCEL=kvm DRYDOCK_KVM_HELLO_TIMEOUT=3000 \
  drydock shell --ro --format raw -a "$img" run : get-accel > out 2> err || rc=$?
if [ "$rc" -eq 0 ]; then
  echo "$(basename "$0"): KVM works here: forced-KVM failure part skipped"
  expect_eq "get-accel with a working forced KVM" kvm "$(cat out)"
  timeout_ms=1
else
  expect_eq "forced KVM: error lines" 1 "$(wc -l < err)"
  # A broken KVM hangs the guest or makes qemu die: either way one
  # line, and TCG is not tried.
  grep -Eq '^drydock shell: launch: (.*within 3000 ms under KVM.*DRYDOCK_ACCEL.*no fallback to TCG|the appliance closed the connection)' err ||
    fail "forced KVM: unexpected error: $(cat err)"
  [ $((SECONDS - start)) -lt 15 ] ||
    fail "forced KVM took $((SECONDS - start)) s: was TCG tried?"
  timeout_ms=3000
fi

# 2. The fallback.
DRYDOCK_KVM_PROBE=yes DRYDOCK_KVM_HELLO_TIMEOUT=$timeout_ms DRYDOCK_DEBUG=1 \
  drydock shell --ro --format raw -a "$img" \
  run : get-accel : mount-ro /dev/sda1 / : cat /etc/hostname > out 2> err ||
  fail "the fallback launch failed: $(grep -v '^\[' err | tail -5)"
expect_eq "get-accel and content after the fallback" "tcg
debian-guest" "$(cat out)"
grep -q '^libdrydock: KVM probe skipped (DRYDOCK_KVM_PROBE=yes)' err ||
  fail "no debug line for the DRYDOCK_KVM_PROBE hook"
grep -q 'KVM not used' err && fail "the probe ran despite DRYDOCK_KVM_PROBE=yes"
grep -Eq "^drydock shell: warning: KVM launch (did not say hello within $timeout_ms ms|failed \(.*\)): retrying with TCG" err ||
  fail "no fallback warning: $(grep -v '^\[' err | head -20)"
# A KVM that kills qemu fails the snapshot restore and then the cold
# boot under KVM; one that hangs fails once.  Under TCG, a launch that
# saves a new snapshot starts a second qemu to restore it.
accels=$(grep -o -- '-accel [^ ]*' err | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')
case "$accels" in
  "kvm tcg,tb-size=64"|"kvm kvm tcg,tb-size=64") ;;
  "kvm tcg,tb-size=64 tcg,tb-size=64"|"kvm kvm tcg,tb-size=64 tcg,tb-size=64")
    grep -q '^libdrydock: launch phases: snapshot created' err ||
      fail "two TCG qemus without a snapshot saved: $accels" ;;
  *) fail "qemu accelerators, in order: $accels" ;;
esac
grep -q '^libdrydock: launch phases: .*accel tcg' err ||
  fail "the launch phases do not report tcg"

# 3. Forced TCG: no probe.
DRYDOCK_ACCEL=tcg DRYDOCK_DEBUG=1 \
  drydock shell --ro --format raw -a "$img" run : get-accel > out 2> err ||
  fail "the forced TCG launch failed: $(grep -v '^\[' err | tail -5)"
expect_eq "get-accel with DRYDOCK_ACCEL=tcg" tcg "$(cat out)"
grep -q '^libdrydock: accelerator tcg forced by DRYDOCK_ACCEL: KVM probe skipped' err ||
  fail "no debug line saying the probe was skipped"
grep -q 'KVM not used' err && fail "the probe ran despite DRYDOCK_ACCEL=tcg"
grep -q -- '-accel kvm' err && fail "KVM was tried despite DRYDOCK_ACCEL=tcg"
exit 0
