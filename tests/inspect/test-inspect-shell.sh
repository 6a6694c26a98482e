#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock shell -i: the one operating system's filesystems mounted at
# their mountpoints (read-only with --ro, else committed on success),
# the inspection actions usable after it (inspect-list-applications2);
# an error with no operating system or several, and with -m.
. "$(dirname "$0")/../functions.sh"

fed=$(guest fedora.img)
deb=$(guest debian.img)
empty=$(guest empty.img)
keep_sums "$fed" "$deb" "$empty"

drydock shell --ro --format raw -a "$fed" -i \
  mountpoints : cat /etc/hostname : is-file /boot/grub2/grub.cfg : \
  -touch /new > "$scratch/out" 2> "$scratch/err" ||
  fail "shell -i failed: $(cat "$scratch/err")"
cat > "$scratch/expected" <<'EOF2'
/dev/sda2: /
/dev/sda1: /boot
fedora-guest
true
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "shell -i --ro output"
grep -q "Read-only file system" "$scratch/err" || fail "--ro -i mounted rw"

# inspect-list-applications2: the application2 struct.
drydock shell --ro --format raw -a "$deb" -i \
  inspect-list-applications2 /dev/sda1 > "$scratch/apps" 2> "$scratch/err" ||
  fail "inspect-list-applications2 failed: $(cat "$scratch/err")"
expect_eq "inspect-list-applications2" \
  "base-files bash coreutils dpkg libc6 linux-image-6.1.0-18-amd64 systemd " \
  "$(grep '^  app2_name: ' "$scratch/apps" | sed 's/^  app2_name: //' | tr '\n' ' ')"

# Without --ro: read-write, committed into the (scratch) image.
copy=$(scratch_copy "$deb")
drydock shell --format raw -a "$copy" -i --inspector \
  write /etc/hostname "renamed" 2> "$scratch/err" ||
  fail "shell -i write failed: $(cat "$scratch/err")"
expect_eq "written through -i" "renamed" \
  "$(drydock shell --ro --format raw -a "$copy" -i cat /etc/hostname)"

expect_fail "no OS" "^drydock shell: -i: no operating system" \
  drydock shell --ro --format raw -a "$empty" -i mounts
expect_fail "two OSes" "^drydock shell: -i: 2 operating systems were found \(/dev/sda1, /dev/sdb2\)" \
  drydock shell --ro --format raw -a "$deb" -a "$fed" -i mounts
expect_fail "-i and -m" "^drydock shell: -i and -m exclude each other" \
  drydock shell --ro --format raw -a "$deb" -i -m /dev/sda1 mounts

sums_unchanged
