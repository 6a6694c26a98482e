#!/bin/bash -
# The inspect_* actions on four drives in one launch: the Debian guest
# (root on a partition, version from /etc/debian_version, dpkg database
# with a deinstalled package), the Fedora guest (GPT, a separate /boot
# found through fstab's LABEL=, empty rpm database), an empty disk and
# the hostile guest (empty /etc/hostname, symlinks leaving the root).
# Then mounting a root's filesystems and the errors of the getters.
# Every image must be byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"

deb=$(guest debian.img)
fed=$(guest fedora.img)
empty=$(guest empty.img)
hostile=$(guest hostile.img)
keep_sums "$deb" "$fed" "$empty" "$hostile"

ro_shell "$deb" "$fed" "$empty" "$hostile" <<'EOF2'
run
-inspect-get-roots
echo == roots
inspect-os
inspect-get-roots
echo == debian
inspect-get-type /dev/sda1
inspect-get-distro /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-product-variant /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-arch /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-package-format /dev/sda1
inspect-get-package-management /dev/sda1
inspect-get-osinfo /dev/sda1
inspect-get-format /dev/sda1
inspect-get-mountpoints /dev/sda1
inspect-get-filesystems /dev/sda1
inspect-get-drive-mappings /dev/sda1
echo == fedora
inspect-get-distro /dev/sdb2
inspect-get-product-name /dev/sdb2
inspect-get-major-version /dev/sdb2
inspect-get-minor-version /dev/sdb2
inspect-get-package-format /dev/sdb2
inspect-get-package-management /dev/sdb2
inspect-get-osinfo /dev/sdb2
inspect-get-hostname /dev/sdb2
inspect-get-mountpoints /dev/sdb2
inspect-get-filesystems /dev/sdb2
inspect-list-applications /dev/sdb2
echo == hostile
inspect-get-distro /dev/sdd1
inspect-get-hostname /dev/sdd1
echo == nothing left mounted
mounts
echo == mount root
inspect-mount-root /dev/sdb2 readonly:true
mountpoints
cat /etc/hostname
is-file /boot/grub2/grub.cfg
umount-all
echo == errors
-inspect-get-distro /dev/sdb1
-inspect-get-distro /dev/sdc
-inspect-get-windows-systemroot /dev/sda1
-inspect-get-distro /dev/sdz1
EOF2

cat > "$scratch/expected" <<'EOF2'
== roots
/dev/sda1
/dev/sdb2
/dev/sdd1
/dev/sda1
/dev/sdb2
/dev/sdd1
== debian
linux
debian
12.5
unknown
12
5
x86_64
debian-guest
deb
apt
debian12
installed
/: /dev/sda1
/dev/sda1
== fedora
fedora
Fedora Linux 39 (Thirty Nine)
39
0
rpm
yum
fedora39
fedora-guest
/: /dev/sdb2
/boot: /dev/sdb1
/dev/sdb2
/dev/sdb1
== hostile
debian
unknown
== nothing left mounted
== mount root
/dev/sdb2: /
/dev/sdb1: /boot
fedora-guest
true
== errors
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "inspection output differs"

cat > "$scratch/experr" <<'EOF2'
drydock shell: inspect_get_roots: no inspection yet: call inspect_os first
drydock shell: inspect_get_distro: /dev/sdb1: not the root of an operating system found by inspect_os
drydock shell: inspect_get_distro: /dev/sdc: not the root of an operating system found by inspect_os
drydock shell: inspect_get_windows_systemroot: /dev/sda1: not a Windows root
drydock shell: inspect_get_distro: /dev/sdz1: no such device
EOF2
diff -u "$scratch/experr" "$scratch/err" || fail "error messages differ"

# The applications of the Debian guest: installed packages only, with
# the version split at the last '-' as dpkg's policy has it; read while
# the root is mounted read-write (as a tool that changes the guest has
# it), which a second, read-only mount of it must not trip over.
drydock shell --ro --format raw -a "$deb" run : inspect-os : \
  inspect-mount-root /dev/sda1 : touch /written : \
  inspect-list-applications /dev/sda1 > "$scratch/apps" ||
  fail "inspect-list-applications failed"
names=$(app_names "$scratch/apps" ' ')
expect_eq "package names" \
  "base-files bash coreutils dpkg libc6 linux-image-6.1.0-18-amd64 systemd " \
  "$names"
grep -A3 '^  name: bash$' "$scratch/apps" | grep -qx '  version: 5.2.15' ||
  fail "bash version"
grep -A4 '^  name: bash$' "$scratch/apps" | grep -qx '  release: 2+b2' ||
  fail "bash release"
grep -q 'name: nano' "$scratch/apps" && fail "a deinstalled package is listed"

sums_unchanged
exit 0
