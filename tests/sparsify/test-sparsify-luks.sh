#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sparsify and LUKS volumes, on a dirty raw image holding ext4,
# a LUKS2 volume with ext4 inside and a LUKS1 volume with LVM inside
# (see make-dirty.sh):
# - without --key: each volume is skipped with a warning naming it, the
#   report says so, the rest is trimmed;
# - with a wrong key (in place and copying): one line naming the device,
#   a non-zero exit, the image byte-identical, no output;
# - with the keys (a passphrase for one device, named by its device or
#   its LUKS UUID, a key file for all), copying and in place: the allocation falls by at least 90 % of what
#   was deleted inside the volumes, every kept file reads back unchanged
#   (the volumes opened with the same keys), the volumes' filesystems
#   and the volume group's free extents are in the report;
# - the passphrase never shows in the trace (-x) or debug (-v) output.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/checks.sh"

requires qemu-img python3 sfdisk blkid

P="drydock sparsify"
dirty luks.img
sum=$(sha "$img")
before=$(allocated "$img")
key1=${opens#*:}
key1=${key1%%:*}
cd "$scratch"

# No key: the volumes are skipped, with a warning each.
drydock sparsify --json "$img" nokey.img > nokey.json 2> nokey.err ||
  fail "sparsify without --key failed: $(cat nokey.err)"
for d in /dev/sda2 /dev/sda3; do
  grep -q "^$P: warning: $d (crypto_LUKS) skipped: encrypted (give --key $d:key:PASSPHRASE" nokey.err ||
    fail "no warning naming $d: $(cat nokey.err)"
done
python3 - nokey.json > got <<'EOF' || fail "bad JSON report: $(cat nokey.json)"
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["device"], d["type"], d["action"])
EOF
cat > expected <<'EOF'
/dev/sda1 ext4 trimmed
/dev/sda2 crypto_LUKS skipped
/dev/sda3 crypto_LUKS skipped
EOF
diff -u expected got || fail "unexpected report without --key"
rm -f nokey.img

# A wrong key: one line, nothing written.
for mode in in-place copying; do
  args=("$img" out.img)
  [ $mode = copying ] || args=(--in-place "$img")
  rc=0
  drydock sparsify --key "/dev/sda2:key:$key1" --key /dev/sda3:key:not-it \
    "${args[@]}" > out.log 2> err.log || rc=$?
  [ $rc -ne 0 ] || fail "wrong key, $mode: expected a failure"
  expect_eq "wrong key, $mode: error" \
    "$P: /dev/sda3: wrong key: the --key given for it opens none of its key slots" \
    "$(cat err.log)"
  expect_eq "image after a wrong key, $mode" "$sum" "$(sha "$img")"
  [ ! -e out.img ] || fail "wrong key, $mode: an output was written"
done
expect_fail "unreadable key file" "^$P: --key: 'nope.key': No such file or directory$" \
  drydock sparsify --key all:file:nope.key "$img" out.img
expect_fail "malformed --key" "^$P: --key: expected DEVICE:key:PASSPHRASE or DEVICE:file:FILENAME" \
  drydock sparsify --key /dev/sda2:secret "$img" out.img

# Copying, with the keys, traced: the passphrases never show.
drydock sparsify -v -x --key "/dev/sda2:key:$key1" --key "all:file:$keyfile" \
  --convert raw "$img" out.img > copy.log 2>&1 ||
  fail "copying sparsify with --key failed: $(tail -5 copy.log)"
expect_eq "source after a copying sparsify" "$sum" "$(sha "$img")"
grep -q 'cryptsetup_open "/dev/sda2" "\*\*\*" "luks-sda2"' copy.log ||
  fail "no cryptsetup_open in the trace"
if grep -F -e "$key1" -e "$(cat "$keyfile")" copy.log; then
  fail "a passphrase shows in the debug output"
fi
check_drop "copy with --key" "$before" "$(allocated out.img)"
check_files out.img raw

# In place, with the keys, the LUKS2 volume's named by its UUID.
uuid2=$(blkid -p -O $((67584 * 512)) -s UUID -o value "$img")
[ -n "$uuid2" ] || fail "no LUKS UUID on the second partition"
drydock sparsify --json --in-place --key "$uuid2:key:$key1" \
  --key "all:file:$keyfile" "$img" > inplace.json ||
  fail "sparsify --in-place with --key failed"
check_drop "in place with --key" "$before" "$(allocated "$img")"
check_files "$img" raw
python3 - inplace.json > got <<'EOF' || fail "bad JSON report: $(cat inplace.json)"
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["device"], d["type"], d["action"])
EOF
cat > expected <<'EOF'
/dev/sda1 ext4 trimmed
/dev/mapper/luks-sda2 ext4 trimmed
/dev/cvg/data ext4 trimmed
cvg lvm-free free-space-discarded
EOF
diff -u expected got || fail "unexpected report with --key"
