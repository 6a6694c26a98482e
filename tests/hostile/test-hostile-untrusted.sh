#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Untrusted images.  A qcow2 whose backing file is a host file (here a
# stand-in for /etc/shadow: a file of our own, in a directory outside
# the image's, named by an absolute and by a climbing relative path) is
# refused under --untrusted by every kind of tool (inspect, cat,
# sparsify, shell), under DRYDOCK_UNTRUSTED=1 and with add's
# untrusted:true, with one line naming the image and the file, before
# anything launches, and nothing is written.  Without the mode,
# inspect warns about it (one warning naming the host file), and a
# backing file in the image's own directory draws no warning.  Also
# refused when untrusted: the external-data-file bit, a vmdk whose
# extent is another file, no --format, a format other than the given
# one, json: and protocol names.  A clean qcow2 with its format given
# works under --untrusted.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"
requires qemu-img python3

deb=$(guest debian.qcow2)
mkdir -p "$scratch/host" "$scratch/img"
host=$scratch/host/shadow
{ echo 'root:$6$not-a-real-hash:19000:0:99999:7:::'; head -c 1048576 /dev/zero; } |
  head -c 1048576 > "$host"
evil=$scratch/img/evil.qcow2
qemu-img create -q -f qcow2 -b "$host" -F raw "$evil" 1M
climb=$scratch/img/climb.qcow2
qemu-img create -q -f qcow2 -b ../host/shadow -F raw "$climb" 1M
cp "$deb" "$scratch/img/base.qcow2"
child=$scratch/img/child.qcow2
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$child"
keep_sums "$host" "$evil" "$climb" "$child" "$scratch/img/base.qcow2"

# refused WHAT PATTERN CMD...: one line matching PATTERN, no launch.
refused ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  DRYDOCK_DEBUG=1 "$@" > "$scratch/out" 2> "$scratch/all" || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: accepted"
  grep -v '^libdrydock: ' "$scratch/all" > "$scratch/err" || true
  one_line "$what" "$pattern" "$scratch/err"
  ! grep -q 'qemu-system' "$scratch/all" || fail "$what: qemu was started"
}

msg="evil.qcow2: untrusted image: its qcow2 header names a backing file '$host'"
refused "inspect --untrusted" "$msg" \
  drydock inspect --untrusted --format qcow2 -a "$evil"
refused "cat --untrusted" "$msg" \
  drydock cat --untrusted --format qcow2 -a "$evil" /etc/hostname
refused "sparsify --untrusted" "$msg" \
  drydock sparsify --untrusted --format qcow2 "$evil" "$scratch/out.img"
[ ! -e "$scratch/out.img" ] || fail "sparsify --untrusted wrote its output"
refused "DRYDOCK_UNTRUSTED=1" "$msg" \
  env DRYDOCK_UNTRUSTED=1 drydock inspect --format qcow2 -a "$evil"
refused "add untrusted:true" "$msg" \
  drydock shell -n add "$evil" format:qcow2 untrusted:true
refused "climbing backing file" \
  "climb.qcow2: untrusted image: its qcow2 header names a backing file '../host/shadow'" \
  drydock inspect --untrusted --format qcow2 -a "$climb"
refused "backing file in its own directory" \
  "child.qcow2: untrusted image: its qcow2 header names a backing file 'base.qcow2'" \
  drydock inspect --untrusted --format qcow2 -a "$child"

# Without the mode: a warning naming the host file, then the run.
drydock inspect --format qcow2 -a "$evil" > "$scratch/xml" 2> "$scratch/err" ||
  fail "inspect of evil.qcow2 without --untrusted: $(cat "$scratch/err")"
one_line "the warning" \
  "warning: .*evil.qcow2: its backing file '$host' is outside the image's directory" \
  "$scratch/err"
drydock inspect --format qcow2 -a "$climb" > "$scratch/xml" 2> "$scratch/err" ||
  fail "inspect of climb.qcow2: $(cat "$scratch/err")"
one_line "the warning (climbing)" "backing file '$host' is outside" "$scratch/err"
drydock inspect --format qcow2 -a "$child" > "$scratch/xml" 2> "$scratch/err" ||
  fail "inspect of child.qcow2: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "a backing file next to the image warned: $(cat "$scratch/err")"
grep -q '<distro>debian</distro>' "$scratch/xml" || fail "child.qcow2 not inspected"

# The other names of other files, and formats.
extdata=$scratch/img/extdata.qcow2
cp "$deb" "$extdata"
printf '\0\0\0\0\0\0\0\4' | dd of="$extdata" bs=1 seek=72 conv=notrunc status=none
refused "external data file" "extdata.qcow2: untrusted image: it keeps its data in an external data file" \
  drydock inspect --untrusted --format qcow2 -a "$extdata"
refused "external data file, without the mode" "extdata.qcow2: qemu cannot open it: .*data-file" \
  drydock inspect --format qcow2 -a "$extdata"
vmdk=$scratch/img/split.vmdk
cat > "$vmdk" <<EOF2
# Disk DescriptorFile
version=1
CID=fffffffe
parentCID=ffffffff
createType="monolithicFlat"

RW 2048 FLAT "$host" 0

ddb.adapterType = "ide"
EOF2
refused "vmdk extent elsewhere" "split.vmdk: untrusted image: it names another file for its data '$host'" \
  drydock inspect --untrusted --format vmdk -a "$vmdk"
refused "no format" "base.qcow2: untrusted image: its format must be given" \
  drydock inspect --untrusted -a "$scratch/img/base.qcow2"
refused "another format" "base.qcow2: untrusted image: format raw was given but the image is qcow2" \
  drydock inspect --untrusted --format raw -a "$scratch/img/base.qcow2"
refused "json:" "untrusted image: a json: specification" \
  drydock shell -n add 'json:{"file":{"driver":"file","filename":"/etc/passwd"}}' \
    format:raw untrusted:true
refused "protocol" "nbd://localhost/x: untrusted image: a protocol name" \
  drydock inspect --untrusted --format raw -a nbd://localhost/x
sums_unchanged

# A clean image, its format given, works.
drydock inspect --untrusted --format qcow2 -a "$scratch/img/base.qcow2" \
  > "$scratch/xml" 2> "$scratch/err" ||
  fail "a clean qcow2 under --untrusted: $(cat "$scratch/err")"
grep -q '<distro>debian</distro>' "$scratch/xml" ||
  fail "a clean qcow2 under --untrusted was not inspected"
exit 0
