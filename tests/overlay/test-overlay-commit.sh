#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The commit policy (the shell's default, without --ro), on scratch
# copies of a raw and a qcow2 image in one session:
#  - a session whose every command succeeds merges its changes into both
#    sources, and a later --ro session reads them back;
#  - a session that fails half way (a script stops at its first error)
#    leaves both sources byte-identical, though it wrote before failing;
#  - neither leaves temporary files behind.
. "$(dirname "$0")/../functions.sh"

raw=$(scratch_copy "$(guest debian.img)")
qcow2=$(scratch_copy "$(guest debian.qcow2)")
mkdir "$scratch/tmp"
export TMPDIR="$scratch/tmp"
raw_sha=$(sha "$raw"); qcow2_sha=$(sha "$qcow2")

# 1. Everything succeeds: committed.
drydock shell --format raw -a "$raw" --format qcow2 -a "$qcow2" \
  > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
run
mount /dev/sda1 /
write /etc/hostname committed-raw
mkdir-p /srv/www/html
umount /
mount /dev/sdb1 /
write /etc/hostname committed-qcow2
rm /etc/debian_version
EOF2
  fail "commit session failed: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "unexpected stderr: $(cat "$scratch/err")"
[ "$(sha "$raw")" != "$raw_sha" ] || fail "raw source unchanged after a commit"
[ "$(sha "$qcow2")" != "$qcow2_sha" ] || fail "qcow2 source unchanged after a commit"
expect_eq "qcow2 source still qcow2" "qcow2" \
  "$(qemu-img info --output=json "$qcow2" | sed -n 's/.*"format": "\(.*\)".*/\1/p' | head -1)"
expect_eq "temporary files left after the commit session" "" "$(ls -A "$TMPDIR")"

# 2. A write, then an error: the script stops, nothing is committed.
raw_sha=$(sha "$raw"); qcow2_sha=$(sha "$qcow2")
rc=0
drydock shell --format raw -a "$raw" --format qcow2 -a "$qcow2" \
  > "$scratch/out" 2> "$scratch/err" <<'EOF2' || rc=$?
run
mount /dev/sda1 /
write /etc/hostname lost-raw
umount /
mount /dev/sdb1 /
write /etc/hostname lost-qcow2
cat /no/such/file
echo not reached
write /etc/hostname not-reached
EOF2
[ "$rc" -ne 0 ] || fail "a session with an error exited 0"
expect_eq "stderr of the failed session" 1 "$(wc -l < "$scratch/err")"
grep -q '/no/such/file' "$scratch/err" ||
  fail "the error does not name the path: $(cat "$scratch/err")"
grep -q 'not reached' "$scratch/out" && fail "the script went on after an error"
expect_eq "raw source after a failed session" "$raw_sha" "$(sha "$raw")"
expect_eq "qcow2 source after a failed session" "$qcow2_sha" "$(sha "$qcow2")"
expect_eq "temporary files left after the failed session" "" "$(ls -A "$TMPDIR")"

# 3. Read back what session 1 committed.
drydock shell --ro --format raw -a "$raw" --format qcow2 -a "$qcow2" \
  > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
run
mount-ro /dev/sda1 /
cat /etc/hostname
is-dir /srv/www/html
umount /
mount-ro /dev/sdb1 /
cat /etc/hostname
exists /etc/debian_version
EOF2
  fail "read-back session failed: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
committed-raw
true
committed-qcow2
false
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "committed changes not read back"
