#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock diff: both guests in one session, each mounted under its own
# prefix, compared name by name.
#  - debian.img against a copy changed with drydock shell (a file's
#    content, a mode, a symbolic link's target of the same length, a
#    file removed, a directory and a file added): exactly the lines
#    expected, in walk order, the modes of what was added taken from
#    the shell; --csv --checksum: the checksums and no file diff;
#  - fedora.img against a copy whose /boot file was edited: the copy's
#    /boot (same UUID and label as the original's) is the one compared;
#  - linux-multifs.img against itself: one line (two guests whose LVM
#    clashes cannot be read in one session);
#  - no image is ever changed.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 diff

cd "$scratch"
debian=$(guest debian.img)
fedora=$(guest fedora.img)
b=$(scratch_copy "$debian")
drydock shell --format raw -a "$b" -i > /dev/null 2> err <<'EOF' ||
write /etc/hostname "web1\n"
chmod 0600 /etc/hosts
ln-sf /usr/share/zoneinfo/Etc/GMT /etc/localtime
rm /etc/shells
mkdir /srv/new
write /srv/new/file "new file\n"
EOF
  fail "cannot change the copy: $(cat err)"
drydock shell --ro --format raw -a "$b" -i lstatns /srv/new : \
  lstatns /srv/new/file > ref 2> err || fail "shell: $(cat err)"
modes=($(sed -n 's/^st_mode: //p' ref))
keep_sums "$debian" "$fedora" "$b"

drydock diff -q --format raw -a "$debian" -A "$b" > out 2> err ||
  fail "diff failed: $(cat err)"
[ ! -s err ] || fail "diff wrote messages: $(cat err)"
cat > want <<EOF
= - 0644         13 /etc/hostname
@@ -1 +1 @@
-debian-guest
+web1
@@ End of diff @@
- - 0644         65 /etc/hosts
+ - 0600         65 /etc/hosts
# changed: st_mode st_ctime_sec st_ctime_nsec
- l 0777         27 /etc/localtime -> /usr/share/zoneinfo/Etc/UTC
+ l 0777         27 /etc/localtime -> /usr/share/zoneinfo/Etc/GMT
# changed: st_ino st_mtime_sec st_ctime_sec st_mtime_nsec st_ctime_nsec link
- - 0644         32 /etc/shells
+ d $(printf %04o $((modes[0] & 07777)))       4096 /srv/new
+ - $(printf %04o $((modes[1] & 07777)))          9 /srv/new/file
EOF
cmp -s out want || fail "diff: $(diff want out)"

drydock diff -q --format raw -a "$debian" -A "$b" --csv --checksum=sha256 \
  > out 2> err || fail "diff --csv failed: $(cat err)"
expect_eq "diff --csv --checksum: the changed file" \
  "=,-,0644,13,$(sha256sum <<< debian-guest | cut -d' ' -f1),/etc/hostname" \
  "$(head -n 1 out)"
grep -q '^@@' out && fail "diff --csv printed a file diff"
expect_eq "diff --csv: lines" 10 "$(wc -l < out)"

# An image and its copy: the same UUIDs and labels on both sides.
f2=$(scratch_copy "$fedora")
drydock edit -q --format raw -a "$f2" -e 's/^/# /' /boot/grub2/grub.cfg ||
  fail "cannot edit the copy of fedora.img"
keep_sums "$debian" "$fedora" "$b" "$f2"
drydock diff -q --format raw -a "$fedora" -A "$f2" > out 2> err ||
  fail "diff of fedora.img: $(cat err)"
expect_eq "diff of fedora.img and its copy" "= - 0644" "$(head -n 1 out | cut -c1-8)"
expect_eq "diff of fedora.img: the file" "/boot/grub2/grub.cfg" \
  "$(head -n 1 out | awk '{ print $NF }')"
grep -q '^+# ' out || fail "diff of fedora.img: no diff: $(cat out)"
[ "$(grep -c '^[-+=#] ' out)" -eq 1 ] || fail "diff of fedora.img: $(cat out)"

rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-inspect-guests.sh" "$GUESTS" \
  linux-multifs.img > build.log 2>&1 || rc=$?
if [ "$rc" -eq 0 ]; then
  multifs="$GUESTS/linux-multifs.img"
  keep_sums "$debian" "$fedora" "$b" "$f2" "$multifs"
  rc=0
  drydock diff --format raw -a "$multifs" -A "$multifs" > out 2> err || rc=$?
  expect_eq "diff of LVM guests that clash: exit" 1 "$rc"
  # Which side LVM shows depends on the order it finds the PVs in.
  [ "$(wc -l < err)" -eq 1 ] &&
    grep -Eqx "drydock diff: no operating system was found on the -[aA] images \(when both guests use LVM, their volume groups must differ in name and UUID\)" err ||
    fail "diff of LVM guests that clash: $(cat err)"
fi
sums_unchanged
echo "test-tools-diff.sh: diff lists exactly what changed"
