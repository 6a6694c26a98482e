#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Damaged registry hives in copies of windows.img: its SOFTWARE hive
# replaced by random bytes, and (in a second copy) its SYSTEM hive.
#  - SOFTWARE damaged: the filesystem is no Windows root, and
#    inspection says why rather than "no operating system": drydock
#    inspect, win-reg and ls each fail with one line naming the device,
#    the hive's guest path, the reason and the image;
#  - SYSTEM damaged: inspection still finds Windows (from SOFTWARE);
#    win-reg's export and merge of HKLM\SYSTEM fail with one line
#    naming the hive's guest path and the reason, the image unchanged.
# Every run is bounded by the call timeout.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"

w=$(windows_guest windows.img)
sw=$(scratch_copy "$w")
mv "$sw" "$scratch/software.img"
sw="$scratch/software.img"
sys=$(scratch_copy "$w")
mv "$sys" "$scratch/system.img"
sys="$scratch/system.img"
head -c 8192 /dev/urandom > "$scratch/junk"
for pair in "$sw SOFTWARE" "$sys SYSTEM"; do
  set -- $pair
  drydock shell --format raw -a "$1" > /dev/null 2> "$scratch/err" <<EOF ||
run
mount /dev/sda1 /
upload $scratch/junk /Windows/System32/config/$2
EOF
    fail "damaging $2: $(cat "$scratch/err")"
done
keep_sums "$sw" "$sys"

# fails WHAT PATTERN CMD...: CMD fails (status 1) with one line on
# stderr matching PATTERN, within the call timeout.
fails ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 600 "$@" \
    > "$scratch/out" 2> "$scratch/err" < /dev/null || rc=$?
  [ "$rc" -eq 1 ] || fail "$what: exit status $rc (1 expected): $(cat "$scratch/err")"
  one_line "$what" "$pattern" "$scratch/err"
}

why='/dev/sda1: /Windows/System32/config/SOFTWARE: not a registry hive, or a damaged one \(.*\) \(/dev/sda is .*/software\.img\)$'
fails "inspect, SOFTWARE" "^drydock inspect: inspect_os: $why" \
  drydock inspect --format raw -a "$sw"
fails "win-reg, SOFTWARE" "^drydock win-reg: inspect_os: $why" \
  drydock win-reg --format raw -a "$sw" 'HKLM\SOFTWARE\Microsoft'
fails "ls, SOFTWARE" "^drydock ls: inspect_os: $why" \
  drydock ls --format raw -a "$sw" /

DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 600 \
  drydock inspect --format raw -a "$sys" > "$scratch/xml" 2> "$scratch/err" ||
  fail "inspect, SYSTEM: $(cat "$scratch/err")"
grep -q '<name>windows</name>' "$scratch/xml" ||
  fail "inspect, SYSTEM: Windows not found: $(cat "$scratch/xml")"
why='hivex_open: /Windows/System32/config/SYSTEM: not a registry hive, or a damaged one \(.*\)$'
fails "win-reg export, SYSTEM" "^drydock win-reg: $why" \
  drydock win-reg --format raw -a "$sys" 'HKLM\SYSTEM\Select'
printf '[HKEY_LOCAL_MACHINE\\SYSTEM\\Drydock]\n"a"="b"\n' > "$scratch/m.reg"
fails "win-reg merge, SYSTEM" "^drydock win-reg: $why" \
  drydock win-reg --format raw -a "$sys" --merge "$scratch/m.reg"
sums_unchanged
exit 0
