#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The inspect_* actions on the 13 roots of linux-distros.img (one small
# root per distribution: Debian, Ubuntu, Fedora, RHEL, Rocky, AlmaLinux,
# Oracle Linux, CentOS 7, openSUSE Leap, SLES, Arch, Alpine on aarch64,
# Gentoo) and linux-multifs.img (a Fedora root on LVM whose fstab names
# /boot by UUID=, / and /var by /dev/mapper and /dev/VG/LV names, /data
# by LABEL=, a filesystem that is not there, swap and tmpfs; its rpm
# database is on the /var LV), all in one launch: each root's type,
# distribution, product, version, architecture, host name, package
# format and manager, osinfo, mountpoints, and the name, epoch, version
# and release of each of its applications.  The images must be
# byte-identical afterwards.  The expected answers are those of
# tests/data/README.md (section make-inspect-guests.sh).
. "$(dirname "$0")/../functions.sh"

mkdir -p "$GUESTS"
rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-inspect-guests.sh" "$GUESTS" \
  linux-distros.img linux-multifs.img > "$scratch/build" 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 "$scratch/build")"
[ "$rc" -eq 0 ] || fail "cannot build the images: $(cat "$scratch/build")"
distros="$GUESTS/linux-distros.img"
multifs="$GUESTS/linux-multifs.img"
keep_sums "$distros" "$multifs"

roots="/dev/sda1 /dev/sda2 /dev/sda3 /dev/sda4 /dev/sda5 /dev/sda6 /dev/sda7
/dev/sda8 /dev/sda9 /dev/sda10 /dev/sda11 /dev/sda12 /dev/sda13
/dev/fedora/root"
{
  echo run
  echo inspect-os
  for r in $roots; do
    echo "echo == $r"
    for g in type distro product-name major-version minor-version arch \
             hostname package-format package-management osinfo; do
      echo "inspect-get-$g $r"
    done
    echo "echo -- mountpoints"
    echo "inspect-get-mountpoints $r"
    echo "echo -- applications"
    echo "inspect-list-applications $r"
  done
  echo "echo -- filesystems (swap too)"
  echo "inspect-get-filesystems /dev/fedora/root"
  echo "echo == mounts"
  echo mounts
} > "$scratch/cmds"

ro_shell "$distros" "$multifs" < "$scratch/cmds"
no_errors

# One line per getter answer; each application as name|epoch|version|release.
awk '
  /^\[[0-9]+\] = \{$/ { app = 1; next }
  app && /^\}$/       { print "  " n "|" e "|" v "|" r; app = 0; next }
  app && /^  name: /    { n = substr($0, 9); next }
  app && /^  epoch: /   { e = substr($0, 10); next }
  app && /^  version: / { v = substr($0, 12); next }
  app && /^  release: / { r = substr($0, 12); next }
  app { next }
  { print }
' "$scratch/out" > "$scratch/got"

cat > "$scratch/expected" <<'EOF'
/dev/sda1
/dev/sda2
/dev/sda3
/dev/sda4
/dev/sda5
/dev/sda6
/dev/sda7
/dev/sda8
/dev/sda9
/dev/sda10
/dev/sda11
/dev/sda12
/dev/sda13
/dev/fedora/root
== /dev/sda1
linux
debian
12.5
12
5
x86_64
debian12
deb
apt
debian12
-- mountpoints
/: /dev/sda1
-- applications
  base-files|0|12.4+deb12u5|
  bash|0|5.2.15|2+b2
  bsdutils|1|2.38.1|5+b1
== /dev/sda2
linux
ubuntu
Ubuntu 22.04.3 LTS
22
4
x86_64
ubuntu2204
deb
apt
ubuntu22.04
-- mountpoints
/: /dev/sda2
-- applications
  base-files|0|12ubuntu4.4|
  bash|0|5.1|6ubuntu1
  login|1|4.8.1|2ubuntu2.1
== /dev/sda3
linux
fedora
Fedora Linux 38 (Thirty Eight)
38
0
x86_64
fedora38
rpm
dnf
fedora38
-- mountpoints
/: /dev/sda3
-- applications
  bash|0|5.2.15|3.fc38
  dnf|0|4.16.2|1.fc38
  fedora-release-common|0|38|36
  openssl-libs|1|3.0.9|2.fc38
== /dev/sda4
linux
rhel
Red Hat Enterprise Linux 9.2 (Plow)
9
2
x86_64
rhel92
rpm
dnf
rhel9.2
-- mountpoints
/: /dev/sda4
-- applications
  bash|0|5.1.8|6.el9_1
  openssl-libs|1|3.0.7|16.el9_2
  setup|0|2.13.7|9.el9
== /dev/sda5
linux
rocky
Rocky Linux 9.2 (Blue Onyx)
9
2
x86_64
rocky92
rpm
dnf
rocky9
-- mountpoints
/: /dev/sda5
-- applications
  bash|0|5.1.8|6.el9_1
  openssl-libs|1|3.0.7|16.el9_2
  setup|0|2.13.7|9.el9
== /dev/sda6
linux
redhat-based
AlmaLinux release 9.2 (Turquoise Kodkod)
9
2
x86_64
alma92
rpm
dnf
redhat-based9.2
-- mountpoints
/: /dev/sda6
-- applications
  bash|0|5.1.8|6.el9_1
  openssl-libs|1|3.0.7|16.el9_2
  setup|0|2.13.7|9.el9
== /dev/sda7
linux
oraclelinux
Oracle Linux Server 9.2
9
2
x86_64
ol92
rpm
dnf
ol9.2
-- mountpoints
/: /dev/sda7
-- applications
  bash|0|5.1.8|6.el9_1
  openssl-libs|1|3.0.7|16.el9_2
  setup|0|2.13.7|9.el9
== /dev/sda8
linux
centos
CentOS Linux release 7.9.2009 (Core)
7
9
x86_64
centos79.example.com
rpm
yum
centos7.0
-- mountpoints
/: /dev/sda8
-- applications
  bash|0|4.2.46|35.el7_9
  centos-release|0|7|9.2009.1.el7.centos
  openssl-libs|1|1.0.2k|26.el7_9
== /dev/sda9
linux
opensuse
openSUSE Leap 15.5
15
5
x86_64
leap155
rpm
zypper
opensuse15.5
-- mountpoints
/: /dev/sda9
-- applications
  aaa_base|0|84.87+git20180409.04c9dae|150300.10.6.1
  bash|0|4.4|150400.27.3.2
  libopenssl3|0|3.0.8|150500.5.8.1
== /dev/sda10
linux
sles
SUSE Linux Enterprise Server 15 SP5
15
5
x86_64
sles15sp5
rpm
zypper
sles15sp5
-- mountpoints
/: /dev/sda10
-- applications
  aaa_base|0|84.87+git20180409.04c9dae|150300.10.6.1
  bash|0|4.4|150400.27.3.2
  libopenssl3|0|3.0.8|150500.5.8.1
== /dev/sda11
linux
archlinux
Arch Linux
0
0
x86_64
archlinux
pacman
pacman
archlinux
-- mountpoints
/: /dev/sda11
-- applications
  bash|0|5.2.021|1
  filesystem|0|2023.09.18|1
  pacman|0|6.0.2|8
  tzdata|0|2023c|1
== /dev/sda12
linux
alpinelinux
Alpine Linux v3.18
3
18
aarch64
alpine318
apk
apk
alpinelinux3.18
-- mountpoints
/: /dev/sda12
-- applications
  bash|0|5.2.15|5
  busybox|0|1.36.1|5
  musl|0|1.2.4|2
== /dev/sda13
linux
gentoo
Gentoo Linux
2
14
x86_64
gentoo
ebuild
portage
gentoo
-- mountpoints
/: /dev/sda13
-- applications
== /dev/fedora/root
linux
fedora
Fedora Linux 38 (Thirty Eight)
38
0
x86_64
multifs
rpm
dnf
fedora38
-- mountpoints
/: /dev/fedora/root
/boot: /dev/sdb1
/data: /dev/sdb3
/var: /dev/fedora/var
-- applications
  bash|0|5.2.15|3.fc38
  dnf|0|4.16.2|1.fc38
  fedora-release-common|0|38|36
  openssl-libs|1|3.0.9|2.fc38
-- filesystems (swap too)
/dev/fedora/root
/dev/sdb1
/dev/sdb3
/dev/fedora/var
/dev/sdb4
== mounts
EOF
diff -u "$scratch/expected" "$scratch/got" || fail "inspection output differs"

sums_unchanged
exit 0
