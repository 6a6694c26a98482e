#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: build the guest images that inspection is tested
# on: one disk with a small root of each Linux distribution, and a
# Fedora-like guest whose filesystems are spread over partitions and LVM.
#
# Usage: make-inspect-guests.sh OUTDIR [IMAGE...]
#   Builds every image (or only the IMAGEs named) into OUTDIR, with the
#   conventions of make-guests.sh: OUTDIR/.IMAGE.stamp holds the sha256
#   of the scripts an image was built with (an up-to-date image is not
#   rebuilt), images are built under a temporary name and renamed, and
#   OUTDIR/.lock serialises concurrent runs.
#
#   linux-distros.img  GPT, 13 ext4 partitions, one distribution root
#                      each; built from nothing with host tools (no root,
#                      no mounts), byte-reproducible.
#   linux-multifs.img  GPT: /boot, an LVM PV (VG fedora: LVs root, var),
#                      a LABEL=data filesystem, swap.  LVM is made by the
#                      appliance: the shell is "$DRYDOCK drydock shell",
#                      DRYDOCK being the build tree's ./run (exit 77 when
#                      unset).  Not byte-reproducible (LVM and the LVs'
#                      filesystems get random UUIDs).
#
# Exit: 0 success, 1 error, 77 a required tool is missing (the message
# names the Debian package) or DRYDOCK is unset while linux-multifs.img
# is wanted (the other images are built first), 2 usage.
#
# What each root contains and every answer inspection must give about
# it are in README.md next to this script.

set -euo pipefail

GL_PROG="${0##*/}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/guest-lib.sh"
. "$here/guest-trees.sh"

ALL_IMAGES="linux-distros.img linux-multifs.img"

# The roots of linux-distros.img, in partition order (sda1 ... sda13).
DISTROS="debian12 ubuntu2204 fedora38 rhel92 rocky92 alma92 ol92 centos79
leap155 sles15sp5 arch alpine318 gentoo"
DISTRO_PART_MIB=10
GPT_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4
GPT_LVM=E6D6D379-F507-44C2-A23C-238F2A3DF928
GPT_SWAP=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F

# Fixed identifiers of linux-multifs.img (README.md documents them).
MULTI_BOOT_UUID=b0070000-0000-4000-8000-000000000001
MULTI_DATA_UUID=da7a0000-0000-4000-8000-000000000003
MULTI_SWAP_UUID=5a4a0000-0000-4000-8000-000000000004
MULTI_GONE_UUID=0bad0bad-0000-4000-8000-0000000000ff

# distro_uuid N: the filesystem UUID of root N (1-based) of linux-distros.img.
distro_uuid ()
{
  printf 'd1570000-0000-4000-8000-0000000000%02x\n' "$1"
}

# --- rpm packages ---------------------------------------------------------

# The packages each rpm-based root records, one a line:
# SET NAME EPOCH VERSION RELEASE ARCH SUMMARY (EPOCH - for none).
RPM_PKGS="\
el9 bash - 5.1.8 6.el9_1 x86_64 The GNU Bourne Again shell
el9 openssl-libs 1 3.0.7 16.el9_2 x86_64 A general purpose cryptography library with TLS implementation
el9 setup - 2.13.7 9.el9 noarch A set of system configuration and setup files
fc38 bash - 5.2.15 3.fc38 x86_64 The GNU Bourne Again shell
fc38 openssl-libs 1 3.0.9 2.fc38 x86_64 A general purpose cryptography library with TLS implementation
fc38 fedora-release-common - 38 36 noarch Fedora release files
fc38 dnf - 4.16.2 1.fc38 noarch Package manager
el7 bash - 4.2.46 35.el7_9 x86_64 The GNU Bourne Again shell
el7 openssl-libs 1 1.0.2k 26.el7_9 x86_64 A general purpose cryptography library with TLS implementation
el7 centos-release - 7 9.2009.1.el7.centos x86_64 CentOS Linux release file
suse bash - 4.4 150400.27.3.2 x86_64 The GNU Bourne-Again Shell
suse libopenssl3 - 3.0.8 150500.5.8.1 x86_64 Secure Sockets and Transport Layer Security
suse aaa_base - 84.87+git20180409.04c9dae 150300.10.6.1 x86_64 openSUSE Base Package"

# rpm_build_all: build every package of RPM_PKGS once, into RPM_OUT
# (reproducibly: build time SOURCE_DATE_EPOCH, fixed build host).
rpm_build_all ()
{
  local set name epoch ver rel arch summary spec err="$GL_TMP/rpmbuild.err"

  RPM_OUT="$GL_TMP/rpms"
  [ -d "$RPM_OUT" ] && return 0
  mkdir -p "$RPM_OUT" "$GL_TMP/rpmtop" "$GL_TMP/rpmhome"
  while read -r set name epoch ver rel arch summary; do
    spec="$GL_TMP/rpmtop/$set-$name.spec"
    {
      printf 'Name: %s\nVersion: %s\nRelease: %s\n' "$name" "$ver" "$rel"
      [ "$epoch" = - ] || printf 'Epoch: %s\n' "$epoch"
      printf 'Summary: %s\nLicense: MIT\nBuildArch: %s\n' "$summary" "$arch"
      printf 'URL: https://example.org/%s\n' "$name"
      printf '%%description\n%s (drydock test package).\n%%files\n' "$summary"
    } >"$spec"
    HOME="$GL_TMP/rpmhome" rpmbuild -bb --quiet \
      --define "_topdir $GL_TMP/rpmtop" \
      --define "_rpmdir $RPM_OUT/$set" \
      --define "_build_name_fmt %{NAME}.rpm" \
      --define "use_source_date_epoch_as_buildtime 1" \
      --define "_buildhost build.drydock.test" \
      --target "$arch" "$spec" >"$err" 2>&1 ||
      gl_die "rpmbuild of $name failed: $(tail -n 5 "$err")"
  done <<<"$RPM_PKGS"
  rm -f "$err"
}

# rpm_install_db TREE DBPATH SET: record the packages of SET in the rpm
# database TREE/DBPATH (sqlite with Debian's rpm), without installing
# any file and without --root (no chroot: works for any user).
rpm_install_db ()
{
  local db="$1/$2" err="$GL_TMP/rpm.err"

  rpm_build_all
  mkdir -p "$db"
  HOME="$GL_TMP/rpmhome" rpm --dbpath "$db" -i --justdb --nodeps \
    --noscripts --notriggers --ignorearch --ignoreos \
    "$RPM_OUT/$3"/*.rpm >"$err" 2>&1 ||
    gl_die "rpm could not record the $3 packages: $(grep -v Alien "$err" |
                                                    grep -v 'However' | tail -n 3)"
  # Lock and sqlite's shared-memory files are runtime state.
  rm -f "$db/.rpm.lock" "$db"/*-shm "$db"/*-wal "$err"
}

# --- trees ----------------------------------------------------------------

# root_common TREE UUID [HOSTNAME [FILE]]: skeleton, fstab naming the
# root by UUID, and HOSTNAME in etc/FILE (etc/hostname by default).
root_common ()
{
  tree_skel "$1"
  gl_put "$1" etc/fstab <<EOF
# /etc/fstab
UUID=$2 / ext4 defaults 0 1
proc /proc proc defaults 0 0
EOF
  [ $# -lt 3 ] || echo "$3" | gl_put "$1" "etc/${4:-hostname}"
}

# dpkg_status TREE < STANZAS
dpkg_status ()
{
  gl_dir "$1" var/lib/dpkg/info
  gl_put "$1" var/lib/dpkg/status
}

tree_debian12 ()
{
  local t="$1"

  root_common "$t" "$2" debian12
  echo 12.5 | gl_put "$t" etc/debian_version
  debian12_os_release "$t"
  dpkg_status "$t" <<'EOF'
Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Version: 12.4+deb12u5
Description: Debian base system miscellaneous files

Package: bash
Essential: yes
Status: install ok installed
Priority: required
Section: shells
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Version: 5.2.15-2+b2
Description: GNU Bourne Again SHell

Package: bsdutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Source: util-linux (2.38.1-5)
Version: 1:2.38.1-5+b1
Description: basic utilities from 4.4BSD-Lite

Package: nano
Status: deinstall ok config-files
Priority: important
Section: editors
Maintainer: Jordi Mallach <jordi@debian.org>
Architecture: amd64
Version: 7.2-1
Description: small, friendly text editor inspired by Pico
EOF
}

tree_ubuntu2204 ()
{
  local t="$1"

  root_common "$t" "$2" ubuntu2204
  echo bookworm/sid | gl_put "$t" etc/debian_version
  usr_os_release "$t" <<'EOF'
PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
EOF
  gl_put "$t" etc/lsb-release <<'EOF'
DISTRIB_ID=Ubuntu
DISTRIB_RELEASE=22.04
DISTRIB_CODENAME=jammy
DISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"
EOF
  dpkg_status "$t" <<'EOF'
Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>
Architecture: amd64
Version: 12ubuntu4.4
Description: Debian base system miscellaneous files

Package: bash
Essential: yes
Status: install ok installed
Priority: required
Section: shells
Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>
Architecture: amd64
Version: 5.1-6ubuntu1
Description: GNU Bourne Again SHell

Package: login
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>
Architecture: amd64
Source: shadow
Version: 1:4.8.1-2ubuntu2.1
Description: system login tools

Package: vim-tiny
Status: deinstall ok config-files
Priority: important
Section: editors
Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>
Architecture: amd64
Source: vim
Version: 2:8.2.3995-1ubuntu2.13
Description: Vi IMproved - enhanced vi editor - compact version
EOF
}

# fedora38_release TREE: Fedora 38's release files.
fedora38_release ()
{
  usr_os_release "$1" <<'EOF'
NAME="Fedora Linux"
VERSION="38 (Thirty Eight)"
ID=fedora
VERSION_ID=38
VERSION_CODENAME=""
PLATFORM_ID="platform:f38"
PRETTY_NAME="Fedora Linux 38 (Thirty Eight)"
ANSI_COLOR="0;38;2;60;110;180"
LOGO=fedora-logo-icon
CPE_NAME="cpe:/o:fedoraproject:fedora:38"
DEFAULT_HOSTNAME="fedora"
HOME_URL="https://fedoraproject.org/"
DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f38/system-administrators-guide/"
SUPPORT_URL="https://ask.fedoraproject.org/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"
REDHAT_BUGZILLA_PRODUCT="Fedora"
REDHAT_BUGZILLA_PRODUCT_VERSION=38
REDHAT_SUPPORT_PRODUCT="Fedora"
REDHAT_SUPPORT_PRODUCT_VERSION=38
SUPPORT_END=2024-05-14
EOF
  echo 'Fedora release 38 (Thirty Eight)' | gl_put "$1" etc/fedora-release
  gl_link "$1" etc/redhat-release fedora-release
  gl_link "$1" etc/system-release fedora-release
  gl_elf "$1" usr/bin/dnf-3
  gl_link "$1" usr/bin/dnf dnf-3
}

tree_fedora38 ()
{
  local t="$1"

  root_common "$t" "$2" fedora38
  fedora38_release "$t"
  rpm_install_db "$t" usr/lib/sysimage/rpm fc38
  gl_link "$t" var/lib/rpm ../../usr/lib/sysimage/rpm
}

# el9_root TREE UUID HOST RELEASE_FILE RELEASE [REDHAT_RELEASE] < OS_RELEASE:
# what the four EL 9.2 roots share; etc/RELEASE_FILE holds the line
# RELEASE and etc/system-release links to it, as does etc/redhat-release
# unless it is a file of its own holding REDHAT_RELEASE.
el9_root ()
{
  root_common "$1" "$2" "$3"
  gl_elf "$1" usr/bin/dnf-3
  gl_link "$1" usr/bin/dnf dnf-3
  gl_link "$1" usr/bin/yum dnf-3
  rpm_install_db "$1" var/lib/rpm el9 </dev/null
  gl_put "$1" etc/os-release
  echo "$5" | gl_put "$1" "etc/$4"
  if [ -n "${6:-}" ]; then
    echo "$6" | gl_put "$1" etc/redhat-release
  elif [ "$4" != redhat-release ]; then
    gl_link "$1" etc/redhat-release "$4"
  fi
  gl_link "$1" etc/system-release "$4"
}

tree_rhel92 ()
{
  el9_root "$1" "$2" rhel92 redhat-release \
    'Red Hat Enterprise Linux release 9.2 (Plow)' <<'EOF'
NAME="Red Hat Enterprise Linux"
VERSION="9.2 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.2"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.2 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
BUG_REPORT_URL="https://bugzilla.redhat.com/"

REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"
REDHAT_BUGZILLA_PRODUCT_VERSION=9.2
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.2"
EOF
}

tree_rocky92 ()
{
  el9_root "$1" "$2" rocky92 rocky-release \
    'Rocky Linux release 9.2 (Blue Onyx)' <<'EOF'
NAME="Rocky Linux"
VERSION="9.2 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.2"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.2 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.2"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.2"
EOF
}

tree_alma92 ()
{
  el9_root "$1" "$2" alma92 almalinux-release \
    'AlmaLinux release 9.2 (Turquoise Kodkod)' <<'EOF'
NAME="AlmaLinux"
VERSION="9.2 (Turquoise Kodkod)"
ID="almalinux"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.2"
PLATFORM_ID="platform:el9"
PRETTY_NAME="AlmaLinux 9.2 (Turquoise Kodkod)"
ANSI_COLOR="0;34"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:almalinux:almalinux:9::baseos"
HOME_URL="https://almalinux.org/"
DOCUMENTATION_URL="https://wiki.almalinux.org/"
BUG_REPORT_URL="https://bugs.almalinux.org/"

ALMALINUX_MANTISBT_PROJECT="AlmaLinux-9"
ALMALINUX_MANTISBT_PROJECT_VERSION="9.2"
REDHAT_SUPPORT_PRODUCT="AlmaLinux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.2"
EOF
}

# As on Oracle Linux: etc/redhat-release a file of its own, naming RHEL.
tree_ol92 ()
{
  el9_root "$1" "$2" ol92 oracle-release \
    'Oracle Linux Server release 9.2' \
    'Red Hat Enterprise Linux release 9.2 (Plow)' <<'EOF'
NAME="Oracle Linux Server"
VERSION="9.2"
ID="ol"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="9.2"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Oracle Linux Server 9.2"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:oracle:linux:9:2:server"
HOME_URL="https://linux.oracle.com/"
BUG_REPORT_URL="https://github.com/oracle/oracle-linux"

ORACLE_BUGZILLA_PRODUCT="Oracle Linux 9"
ORACLE_BUGZILLA_PRODUCT_VERSION=9.2
ORACLE_SUPPORT_PRODUCT="Oracle Linux"
ORACLE_SUPPORT_PRODUCT_VERSION=9.2
EOF
}

tree_centos79 ()
{
  local t="$1"

  root_common "$t" "$2"
  # The host name only in the old place.
  gl_put "$t" etc/sysconfig/network <<'EOF'
# Created by anaconda
NETWORKING=yes
HOSTNAME=centos79.example.com
EOF
  gl_put "$t" etc/os-release <<'EOF'
NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"

CENTOS_MANTISBT_PROJECT="CentOS-7"
CENTOS_MANTISBT_PROJECT_VERSION="7"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="7"

EOF
  echo 'CentOS Linux release 7.9.2009 (Core)' | gl_put "$t" etc/centos-release
  gl_link "$t" etc/redhat-release centos-release
  gl_link "$t" etc/system-release centos-release
  gl_elf "$t" usr/bin/yum
  rpm_install_db "$t" var/lib/rpm el7
}

# suse_root TREE UUID HOST HOSTNAME_FILE < OS_RELEASE: what the SUSE roots
# share (zypper, the suse rpm set); HOST in etc/HOSTNAME_FILE.
suse_root ()
{
  root_common "$1" "$2" "$3" "$4"
  usr_os_release "$1"
  gl_elf "$1" usr/bin/zypper
  rpm_install_db "$1" var/lib/rpm suse
}

tree_leap155 ()
{
  suse_root "$1" "$2" leap155 HOSTNAME <<'EOF'
NAME="openSUSE Leap"
VERSION="15.5"
ID="opensuse-leap"
ID_LIKE="suse opensuse"
VERSION_ID="15.5"
PRETTY_NAME="openSUSE Leap 15.5"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:opensuse:leap:15.5"
BUG_REPORT_URL="https://bugs.opensuse.org"
HOME_URL="https://www.opensuse.org/"
DOCUMENTATION_URL="https://en.opensuse.org/Portal:Leap"
LOGO="distributor-logo-Leap"
EOF
}

tree_sles15sp5 ()
{
  suse_root "$1" "$2" sles15sp5 hostname <<'EOF'
NAME="SLES"
VERSION="15-SP5"
VERSION_ID="15.5"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
ID="sles"
ID_LIKE="suse"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:suse:sles:15:sp5"
DOCUMENTATION_URL="https://documentation.suse.com/"
EOF
}

# pacman_desc TREE NAME VERSION DESC
pacman_desc ()
{
  gl_put "$1" "var/lib/pacman/local/$2-$3/desc" <<EOF
%NAME%
$2

%VERSION%
$3

%BASE%
$2

%DESC%
$4

%URL%
https://archlinux.org/packages/core/x86_64/$2/

%ARCH%
x86_64

%BUILDDATE%
1699000000

%INSTALLDATE%
1700000000

%PACKAGER%
Arch Linux packager <packager@archlinux.org>

%VALIDATION%
pgp

EOF
}

tree_arch ()
{
  local t="$1"

  root_common "$t" "$2" archlinux
  gl_put "$t" etc/arch-release </dev/null
  usr_os_release "$t" <<'EOF'
NAME="Arch Linux"
PRETTY_NAME="Arch Linux"
ID=arch
BUILD_ID=rolling
ANSI_COLOR="38;2;23;147;209"
HOME_URL="https://archlinux.org/"
DOCUMENTATION_URL="https://wiki.archlinux.org/"
SUPPORT_URL="https://bbs.archlinux.org/"
BUG_REPORT_URL="https://bugs.archlinux.org/"
PRIVACY_POLICY_URL="https://terms.archlinux.org/docs/privacy-policy/"
LOGO=archlinux-logo
EOF
  gl_elf "$t" usr/bin/pacman
  echo 9 | gl_put "$t" var/lib/pacman/local/ALPM_DB_VERSION
  pacman_desc "$t" bash 5.2.021-1 'The GNU Bourne Again shell'
  pacman_desc "$t" filesystem 2023.09.18-1 'Base Arch Linux files'
  pacman_desc "$t" pacman 6.0.2-8 'A library-based package manager with dependency support'
  pacman_desc "$t" tzdata 2023c-1 'Sources for time zone and daylight saving time data'
}

# Alpine: no merged /usr, busybox, and aarch64 binaries.
tree_alpine318 ()
{
  local t="$1" d

  for d in dev etc home lib media mnt opt proc root run sbin srv sys \
           usr/bin usr/sbin usr/lib var/cache var/log var/lib; do
    gl_dir "$t" "$d"
  done
  gl_dir "$t" tmp 1777
  gl_elf "$t" bin/busybox aarch64
  gl_elf "$t" bin/bash aarch64
  for d in ls sh cat; do
    gl_link "$t" "bin/$d" busybox
  done
  gl_elf "$t" sbin/apk aarch64
  gl_put "$t" etc/fstab <<EOF
UUID=$2	/	ext4	rw,relatime 0 1
EOF
  echo alpine318 | gl_put "$t" etc/hostname
  echo 3.18.4 | gl_put "$t" etc/alpine-release
  gl_put "$t" etc/os-release <<'EOF'
NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.18.4
PRETTY_NAME="Alpine Linux v3.18"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
EOF
  gl_put "$t" lib/apk/db/installed <<'EOF'
C:Q1hoOaGGIbJm/nbGQPiHMYGhYBw3Y=
P:musl
V:1.2.4-r2
A:aarch64
S:409862
I:700416
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1697036148
c:9b2cb1b1a1b8c2d3e4f5a6b7c8d9e0f1a2b3c4d5

C:Q1mnV0qrBQYEnyWBw2gYrsCSbNIB8=
P:busybox
V:1.36.1-r5
A:aarch64
S:518733
I:946176
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1697036148
c:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567

C:Q1Q9ti2tV3eHDY2Ey6Wl7GVUx5FJk=
P:bash
V:5.2.15-r5
A:aarch64
S:462046
I:1290240
T:The GNU Bourne Again shell
U:https://www.gnu.org/software/bash/bash.html
L:GPL-3.0-or-later
o:bash
m:Natanael Copa <ncopa@alpinelinux.org>
t:1697036148
c:1234567890abcdef1234567890abcdef12345678

EOF
}

tree_gentoo ()
{
  local t="$1"

  root_common "$t" "$2"
  echo 'Gentoo Base System release 2.14' | gl_put "$t" etc/gentoo-release
  usr_os_release "$t" <<'EOF'
NAME=Gentoo
ID=gentoo
PRETTY_NAME="Gentoo Linux"
ANSI_COLOR="1;32"
HOME_URL="https://www.gentoo.org/"
SUPPORT_URL="https://www.gentoo.org/support/"
BUG_REPORT_URL="https://bugs.gentoo.org/"
VERSION_ID="2.14"
EOF
  gl_put "$t" etc/conf.d/hostname <<'EOF'
# Hostname fallback if /etc/hostname does not exist
hostname="gentoo"
EOF
  gl_dir "$t" var/db/pkg/app-shells/bash-5.1_p16-r6
  echo 5.1_p16-r6 | gl_put "$t" var/db/pkg/app-shells/bash-5.1_p16-r6/PF
}

# --- linux-multifs.img: the trees -----------------------------------------

# tree_multi_root TREE: the root LV's files (/var and /boot, /data are
# empty mount points).
tree_multi_root ()
{
  local t="$1"

  tree_skel "$t"
  gl_dir "$t" data
  echo multifs | gl_put "$t" etc/hostname
  fedora38_release "$t"
  gl_put "$t" etc/fstab <<EOF
#
# /etc/fstab
# Created by anaconda
#
/dev/mapper/fedora-root /                       ext4    defaults        1 1
UUID=$MULTI_BOOT_UUID /boot                   ext4    defaults        1 2
/dev/fedora/var         /var                    ext4    defaults        1 2
LABEL=data              /data                   ext4    defaults,nofail 1 2
UUID=$MULTI_GONE_UUID /srv/gone               ext4    defaults,nofail 1 2
UUID=$MULTI_SWAP_UUID none                    swap    defaults        0 0
tmpfs                   /tmp                    tmpfs   defaults        0 0
EOF
  gl_dir "$t" srv/gone
}

tree_multi_var ()
{
  local t="$1" d

  for d in cache log spool tmp lib/dnf; do
    gl_dir "$t" "$d"
  done
  chmod 1777 "$t/tmp"
  rpm_install_db "$t" lib/rpm fc38
}

tree_multi_boot ()
{
  local t="$1" k=6.2.9-300.fc38.x86_64

  gl_put "$t" "vmlinuz-$k" 0755 <<<"placeholder kernel $k"
  gl_put "$t" "config-$k" <<<'CONFIG_64BIT=y'
  gl_put "$t" grub2/grub.cfg <<'EOF'
set default=0
blscfg
EOF
}

tree_multi_data ()
{
  printf 'data for the multifs guest\n' | gl_put "$1" README
}

# gl_tar TREE OUT: a reproducible tarball of TREE's contents.
gl_tar ()
{
  tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$GL_EPOCH" --format=gnu -cf "$2" . ||
    gl_die "tar of $1 failed"
}

# --- one function per image: build_<name> OUT WORKDIR ---------------------

# distro_icon TREE NAME: the logo files inspect_get_icon looks for, some
# acceptable and some not, so that each rule is seen at work (README.md
# lists what each root must give).
distro_icon ()
{
  local t="$1" px=usr/share/pixmaps sys=usr/share/icons/hicolor/96x96/apps
  local suse=usr/share/icons/hicolor

  case "$2" in
    debian12)   # too many bytes for a Debian logo (2048 at most)
      gl_png "$t" $px/debian-logo.png 64 64 noise ;;
    ubuntu2204) # the first place empty, the second one found
      gl_png "$t" usr/share/help/C/ubuntu-help/figures/ubuntu-logo.png 32 32 ;;
    fedora38)
      gl_png "$t" $sys/fedora-logo-icon.png 96 96 ;;
    rhel92)     # a relative symbolic link
      gl_png "$t" usr/share/icons/rhel.png 48 48
      gl_link "$t" $sys/system-logo-icon.png ../../../rhel.png ;;
    rocky92)
      gl_png "$t" $sys/system-logo-icon.png 56 56 ;;
    alma92)     # a favicon too, which the XML does not use
      gl_png "$t" $sys/system-logo-icon.png 40 40
      gl_png "$t" etc/favicon.png 16 16 ;;
    ol92)       # an absolute symbolic link: resolved inside the guest
      gl_png "$t" $px/ol.png 32 32
      gl_link "$t" $sys/system-logo-icon.png /$px/ol.png ;;
    centos79)   # version 7: the new place; too small a picture there
      gl_png "$t" $sys/system-logo-icon.png 8 8 ;;
    leap155)    # the first place not a PNG, the second one found
      echo "not a picture" | gl_put "$t" $suse/48x48/apps/distributor.png
      gl_png "$t" $suse/24x24/apps/distributor.png 24 24 ;;
    sles15sp5)  # a link out of the guest: not followed to the host
      gl_link "$t" $suse/48x48/apps/distributor.png /etc/../../../../../usr/share/pixmaps/debian-logo.png ;;
    gentoo)
      gl_png "$t" usr/share/icons/gentoo/48x48/gentoo.png 48 48 ;;
  esac
}

build_linux_distros_img ()
{
  local n=0 i d script start

  script="label: gpt
label-id: D1570000-0000-4000-8000-000000000000
unit: sectors
first-lba: 2048
"
  for d in $DISTROS; do
    n=$((n + 1))
    "tree_$d" "$2/$d" "$(distro_uuid "$n")"
    distro_icon "$2/$d" "$d"
    gl_mkext4 "$2/p$n" "$DISTRO_PART_MIB" "$(distro_uuid "$n")" "" "$2/$d"
    rm -rf "${2:?}/$d"
    start=$((2048 + (n - 1) * DISTRO_PART_MIB * 2048))
    script+="start=$start, size=$((DISTRO_PART_MIB * 2048)), type=$GPT_LINUX, "
    script+="uuid=D1570000-0000-4000-8000-0000000001$(printf %02X "$n"), "
    script+="name=\"$d\""$'\n'
  done
  gl_disk "$1" $((n * DISTRO_PART_MIB + 2)) <<<"$script"
  for ((i = 1; i <= n; i++)); do
    gl_place "$2/p$i" "$1" $((1 + (i - 1) * DISTRO_PART_MIB)) "$DISTRO_PART_MIB"
  done
}

build_linux_multifs_img ()
{
  local w="$2" err="$2/shell.err"

  gl_dir "$w" boot
  gl_dir "$w" data
  gl_dir "$w" root
  gl_dir "$w" var
  tree_multi_boot "$w/boot"
  tree_multi_data "$w/data"
  tree_multi_root "$w/root"
  tree_multi_var "$w/var"
  gl_tar "$w/root" "$w/root.tar"
  gl_tar "$w/var" "$w/var.tar"
  gl_mkext4 "$w/p1" 16 "$MULTI_BOOT_UUID" boot "$w/boot"
  gl_mkext4 "$w/p3" 8 "$MULTI_DATA_UUID" data "$w/data"
  gl_disk "$1" 96 <<EOF
label: gpt
label-id: 3A170000-0000-4000-8000-000000000000
unit: sectors
first-lba: 2048
start=2048, size=32768, type=$GPT_LINUX, uuid=3A170000-0000-4000-8000-000000000001, name="boot"
start=34816, size=131072, type=$GPT_LVM, uuid=3A170000-0000-4000-8000-000000000002, name="lvm"
start=165888, size=16384, type=$GPT_LINUX, uuid=3A170000-0000-4000-8000-000000000003, name="data"
start=182272, size=8192, type=$GPT_SWAP, uuid=3A170000-0000-4000-8000-000000000004, name="swap"
EOF
  gl_place "$w/p1" "$1" 1 16
  gl_place "$w/p3" "$1" 81 8
  "$DRYDOCK" drydock shell --format raw -a "$1" >/dev/null 2>"$err" <<EOF ||
run
pvcreate /dev/sda2
vgcreate fedora /dev/sda2
lvcreate root fedora 24
lvcreate var fedora 16
mkfs ext4 /dev/fedora/root
mkfs ext4 /dev/fedora/var label:var
mkswap /dev/sda4 label:swap uuid:$MULTI_SWAP_UUID
mount /dev/fedora/root /
tar-in $w/root.tar /
mount /dev/fedora/var /var
tar-in $w/var.tar /var
umount-all
sync
EOF
    gl_die "drydock shell could not build the LVM part: $(tail -n 5 "$err")"
}

# --- required tools, per image --------------------------------------------

require_image ()
{
  case "$1" in
    linux-distros.img)
      gl_require_ext4_disk
      gl_require rpm rpm
      gl_require rpmbuild rpm
      gl_require python3 python3 ;;
    linux-multifs.img)
      gl_require_ext4_disk
      gl_require rpm rpm
      gl_require rpmbuild rpm
      gl_require tar tar
      [ -z "${DRYDOCK:-}" ] || [ -x "$DRYDOCK" ] ||
        gl_die "DRYDOCK='$DRYDOCK' is not executable" ;;
  esac
}

# --- main -----------------------------------------------------------------

gl_main_args "$@"
PATH="$PATH:/usr/sbin:/sbin"
for tool in sha256sum truncate dd stat; do gl_require "$tool" coreutils; done
gl_require flock util-linux
no_appliance=""
for img in $wanted; do
  require_image "$img"
done
# Without DRYDOCK the other images are still built; the exit status is
# then 77.
if [ -z "${DRYDOCK:-}" ]; then
  case "$wanted" in
    *" linux-multifs.img "*)
      no_appliance=1
      wanted="${wanted/ linux-multifs.img / }" ;;
  esac
fi

gl_build_all gl_one_stamp "$here/make-inspect-guests.sh" "$here/guest-lib.sh" \
  "$here/guest-trees.sh"
if [ -n "$no_appliance" ]; then
  echo "$GL_PROG: error: linux-multifs.img needs the appliance:" \
       "set DRYDOCK to the build tree's 'run' script" >&2
  exit 77
fi
