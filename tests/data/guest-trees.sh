# drydock tests/data: templates of the guest file trees, as shell
# functions.  Sourced by make-guests.sh after guest-lib.sh.  Each function
# fills an empty directory; nothing here knows about images or disks.
#
# The facts tests rely on are listed in README.md: change both together.

# tree_skel TREE: what every Linux guest has.  Merged /usr (bin, sbin,
# lib, lib64 are symlinks into /usr), tiny ELF binaries, empty mount
# points.
tree_skel ()
{
  local t="$1" d

  for d in boot dev etc home media mnt opt proc run srv sys \
           usr/bin usr/sbin usr/lib usr/lib64 usr/share/doc \
           var/cache var/lib var/log var/spool var/mail; do
    gl_dir "$t" "$d"
  done
  gl_dir "$t" root 0700
  gl_dir "$t" tmp 1777
  gl_dir "$t" var/tmp 1777
  gl_link "$t" bin usr/bin
  gl_link "$t" sbin usr/sbin
  gl_link "$t" lib usr/lib
  gl_link "$t" lib64 usr/lib64
  gl_link "$t" var/run ../run
  for d in ls bash cat true; do
    gl_elf "$t" "usr/bin/$d"
  done
  gl_put "$t" etc/hosts <<'EOF'
127.0.0.1  localhost
::1    localhost ip6-localhost ip6-loopback
EOF
  gl_put "$t" etc/shells <<'EOF'
/bin/sh
/bin/bash
/usr/bin/bash
EOF
  gl_link "$t" etc/localtime /usr/share/zoneinfo/Etc/UTC
}

# usr_os_release TREE < OS_RELEASE: usr/lib/os-release, and
# etc/os-release a relative symlink to it, as on a real Debian (and most
# distributions).
usr_os_release ()
{
  gl_put "$1" usr/lib/os-release
  gl_link "$1" etc/os-release ../usr/lib/os-release
}

# debian12_os_release TREE: Debian 12's os-release.
debian12_os_release ()
{
  usr_os_release "$1" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
EOF
}

# tree_debian TREE HOSTNAME ROOT_UUID: Debian 12 "bookworm".
tree_debian ()
{
  local t="$1" host="$2" uuid="$3" k=6.1.0-18-amd64

  tree_skel "$t"
  gl_elf "$t" usr/bin/dash
  gl_link "$t" usr/bin/sh dash
  printf '%s\n' "$host" | gl_put "$t" etc/hostname
  echo 12.5 | gl_put "$t" etc/debian_version
  echo d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0 | gl_put "$t" etc/machine-id 0444
  debian12_os_release "$t"
  gl_put "$t" etc/fstab <<EOF
# /etc/fstab: static file system information.
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
UUID=$uuid / ext4 defaults 0 1
EOF
  gl_put "$t" etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
user:x:1000:1000:Debian User,,,:/home/user:/bin/bash
EOF
  gl_put "$t" etc/group <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
sudo:x:27:user
shadow:x:42:
users:x:100:user
nogroup:x:65534:
user:x:1000:
EOF
  gl_put "$t" etc/shadow 0640 <<'EOF'
root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
bin:*:19700:0:99999:7:::
sys:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
user:!:19700:0:99999:7:::
EOF
  gl_owner "$t" /etc/shadow 0 42
  gl_dir "$t" home/user 0755
  gl_put "$t" home/user/.profile <<'EOF'
# ~/.profile: executed by the command interpreter for login shells.
[ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"
EOF
  gl_owner "$t" /home/user 1000 1000
  gl_owner "$t" /home/user/.profile 1000 1000
  gl_put "$t" etc/apt/sources.list.d/debian.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  gl_dir "$t" var/lib/apt/lists
  gl_dir "$t" var/lib/dpkg/info
  gl_put "$t" var/lib/dpkg/status <<'EOF'
Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 340
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Version: 12.4+deb12u5
Description: Debian base system miscellaneous files
 This package contains the basic filesystem hierarchy of a Debian system.

Package: bash
Essential: yes
Status: install ok installed
Priority: required
Section: shells
Installed-Size: 7163
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Version: 5.2.15-2+b2
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.

Package: coreutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Installed-Size: 18062
Maintainer: Michael Stone <mstone@debian.org>
Architecture: amd64
Version: 9.1-1
Description: GNU core utilities
 This package contains the basic file, shell and text manipulation
 utilities which are expected to exist on every operating system.

Package: dpkg
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 6624
Maintainer: Dpkg Developers <debian-dpkg@lists.debian.org>
Architecture: amd64
Version: 1.21.22
Description: Debian package management system
 This package provides the low-level infrastructure for handling the
 installation and removal of Debian software packages.

Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: linux-image-6.1.0-18-amd64
Status: install ok installed
Priority: optional
Section: kernel
Installed-Size: 398995
Maintainer: Debian Kernel Team <debian-kernel@lists.debian.org>
Architecture: amd64
Source: linux-signed-amd64 (6.1.76+1)
Version: 6.1.76-1
Description: Linux 6.1 for 64-bit PCs (signed)
 The Linux kernel 6.1 and modules for use on PCs with AMD64, Intel 64 or
 VIA Nano processors.

Package: nano
Status: deinstall ok config-files
Priority: important
Section: editors
Installed-Size: 2865
Maintainer: Jordi Mallach <jordi@debian.org>
Architecture: amd64
Version: 7.2-1
Conffiles:
 /etc/nanorc 0a5fb5e2f2e5b7b7fd3c5c8bb8b1a3cd
Description: small, friendly text editor inspired by Pico
 GNU nano is an easy-to-use text editor originally designed as a
 replacement for Pico.

Package: systemd
Status: install ok installed
Priority: important
Section: admin
Installed-Size: 11160
Maintainer: Debian systemd Maintainers <pkg-systemd-maintainers@lists.alioth.debian.org>
Architecture: amd64
Version: 252.22-1~deb12u1
Description: system and service manager
 systemd is a system and service manager for Linux.
EOF
  echo 'Debian GNU/Linux 12' | gl_put "$t" var/log/installer/lsb-release
  gl_put "$t" "boot/vmlinuz-$k" <<<"placeholder kernel $k"
  gl_put "$t" "boot/initrd.img-$k" <<<"placeholder initrd $k"
  gl_put "$t" "boot/config-$k" <<<'CONFIG_64BIT=y'
  gl_put "$t" "boot/System.map-$k" <<<'0000000000000000 D __per_cpu_start'
  gl_put "$t" boot/grub/grub.cfg <<EOF
set default=0
menuentry 'Debian GNU/Linux' {
  linux /boot/vmlinuz-$k root=UUID=$uuid ro quiet
  initrd /boot/initrd.img-$k
}
EOF
  gl_dir "$t" "usr/lib/modules/$k/kernel"
  gl_put "$t" "usr/lib/modules/$k/modules.dep" </dev/null
  gl_link "$t" vmlinuz "boot/vmlinuz-$k"
  gl_link "$t" initrd.img "boot/initrd.img-$k"
}

# tree_fedora_root TREE HOSTNAME ROOT_UUID: Fedora 39 root filesystem;
# /boot is an empty mount point (see tree_fedora_boot).
tree_fedora_root ()
{
  local t="$1" host="$2" uuid="$3" k=6.5.6-300.fc39.x86_64

  tree_skel "$t"
  gl_link "$t" usr/bin/sh bash
  printf '%s\n' "$host" | gl_put "$t" etc/hostname
  echo f39f39f39f39f39f39f39f39f39f39f3 | gl_put "$t" etc/machine-id 0444
  # Unlike the Debian tree, a regular file (tests both paths).
  gl_put "$t" etc/os-release <<'EOF'
NAME="Fedora Linux"
VERSION="39 (Thirty Nine)"
ID=fedora
VERSION_ID=39
VERSION_CODENAME=""
PLATFORM_ID="platform:f39"
PRETTY_NAME="Fedora Linux 39 (Thirty Nine)"
ANSI_COLOR="0;38;2;60;110;180"
LOGO=fedora-logo-icon
CPE_NAME="cpe:/o:fedoraproject:fedora:39"
DEFAULT_HOSTNAME="fedora"
HOME_URL="https://fedoraproject.org/"
SUPPORT_URL="https://ask.fedoraproject.org/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"
REDHAT_BUGZILLA_PRODUCT="Fedora"
REDHAT_BUGZILLA_PRODUCT_VERSION=39
REDHAT_SUPPORT_PRODUCT="Fedora"
REDHAT_SUPPORT_PRODUCT_VERSION=39
SUPPORT_END=2024-11-12
EOF
  echo 'Fedora release 39 (Thirty Nine)' | gl_put "$t" etc/fedora-release
  gl_link "$t" etc/redhat-release fedora-release
  gl_link "$t" etc/system-release fedora-release
  gl_put "$t" etc/fstab <<EOF
#
# /etc/fstab
# Created by anaconda
#
UUID=$uuid / ext4 defaults 1 1
LABEL=boot /boot ext4 defaults 1 2
EOF
  gl_put "$t" etc/passwd <<'EOF'
root:x:0:0:Super User:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin
fedora:x:1000:1000:Fedora User:/home/fedora:/bin/bash
EOF
  gl_put "$t" etc/group <<'EOF'
root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
wheel:x:10:fedora
users:x:100:
nobody:x:65534:
fedora:x:1000:
EOF
  gl_put "$t" etc/shadow 0600 <<'EOF'
root:!locked::0:99999:7:::
bin:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
adm:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
fedora:!!:19700:0:99999:7:::
EOF
  gl_mode "$t" /etc/shadow 0000
  gl_dir "$t" home/fedora 0700
  gl_owner "$t" /home/fedora 1000 1000
  gl_dir "$t" var/lib/rpm
  gl_dir "$t" usr/lib/sysimage/rpm
  gl_dir "$t" etc/yum.repos.d
  gl_dir "$t" "usr/lib/modules/$k/kernel"
  gl_put "$t" "usr/lib/modules/$k/modules.dep" </dev/null
}

# tree_fedora_boot TREE: contents of Fedora's separate /boot.
tree_fedora_boot ()
{
  local t="$1" uuid="$2" k=6.5.6-300.fc39.x86_64

  gl_put "$t" "vmlinuz-$k" 0755 <<<"placeholder kernel $k"
  gl_put "$t" "initramfs-$k.img" 0600 <<<"placeholder initramfs $k"
  gl_put "$t" "config-$k" <<<'CONFIG_64BIT=y'
  gl_put "$t" "System.map-$k" 0600 <<<'0000000000000000 D __per_cpu_start'
  gl_put "$t" "loader/entries/f39f39f39f39f39f39f39f39f39f39f3-$k.conf" <<EOF
title Fedora Linux ($k) 39 (Thirty Nine)
version $k
linux /vmlinuz-$k
initrd /initramfs-$k.img
options root=UUID=$uuid ro rhgb quiet
grub_users \$grub_users
grub_arg --unrestricted
grub_class fedora
EOF
  gl_put "$t" grub2/grub.cfg <<'EOF'
set default=0
blscfg
EOF
  gl_put "$t" grub2/grubenv <<'EOF'
# GRUB Environment Block
saved_entry=f39f39f39f39f39f39f39f39f39f39f3-6.5.6-300.fc39.x86_64
EOF
}

# tree_hostile TREE ROOT_UUID: a Debian tree with content meant to trip
# up tools that trust the guest.  Needs openssl for /var/big.  Its
# special files (a FIFO, device nodes, symlinks to them) must never be
# opened for reading: the daemon would block or reach its own devices.
tree_hostile ()
{
  local t="$1" uuid="$2"

  tree_debian "$t" hostile "$uuid"
  rm -f "$t/etc/passwd" "$t/etc/hostname"
  # Absolute symlink that climbs above / (must resolve inside the guest).
  gl_link "$t" etc/passwd /../../../../etc/shadow-host
  gl_link "$t" etc/loop loop.b
  gl_link "$t" etc/loop.b loop
  gl_link "$t" etc/escape ../../../../../
  gl_put "$t" etc/hostname </dev/null
  mkfifo -m 0600 "$t/dev/initctl"
  gl_mknod "$t" /dev/zero c 1 5
  gl_mknod "$t" /dev/sda b 8 0
  gl_link "$t" etc/initctl ../dev/initctl
  gl_link "$t" etc/zero /dev/zero
  printf 'hostile\n' | gl_put "$t" "var/tmp/new
line\"quote'.txt"
  # 5 MiB of deterministic noise: AES-128-CTR keystream with a fixed key.
  head -c 5242880 /dev/zero |
    openssl enc -aes-128-ctr -nosalt \
      -K 000102030405060708090a0b0c0d0e0f \
      -iv 00000000000000000000000000000000 >"$t/var/big" ||
    gl_die "openssl failed to generate /var/big"
  [ "$(stat -c %s "$t/var/big")" -eq 5242880 ] ||
    gl_die "/var/big has the wrong size"
}

# tree_vfat TREE: a few files for the FAT32 image, with a subdirectory,
# a long mixed-case name and an 8.3 upper-case name.
tree_vfat ()
{
  local t="$1"

  printf 'drydock vfat test image\r\n' | gl_put "$t" README.TXT
  gl_put "$t" EFI/BOOT/BOOTX64.EFI <<<'placeholder EFI binary'
  printf 'hello from vfat\n' | gl_put "$t" data/hello.txt
  printf 'a long file name\n' | gl_put "$t" "data/Long File Name.txt"
}

# proto_xfs DIR: write DIR/proto (a mkfs.xfs prototype file) and the
# files it copies, under DIR/files.  Source paths in the prototype are
# relative to DIR (so white space in DIR cannot break its syntax).
proto_xfs ()
{
  local d="$1" f="$1/files"

  mkdir -p "$f"
  printf 'drydock xfs test image\n' >"$f/README"
  printf 'hello from xfs\n' >"$f/hello.txt"
  printf 'nested file\n' >"$f/nested.txt"
  printf 'owned by uid 1000\n' >"$f/user.txt"
  # Tokens: name, type+mode (-,d,l; u/g set-id flags; octal), uid, gid,
  # then the source file or symlink target.  "$" closes a directory.
  cat >"$d/proto" <<EOF
drydock-xfs
0 0
d--755 0 0
README ---644 0 0 files/README
data d--755 0 0
  hello.txt ---644 0 0 files/hello.txt
  sub d--755 0 0
    nested.txt ---600 0 0 files/nested.txt
  \$
  user.txt ---640 1000 1000 files/user.txt
\$
empty d--700 0 0
\$
latest l--777 0 0 data/hello.txt
\$
EOF
}

# tree_busybox TREE BUSYBOX HOSTNAME: a minimal guest whose programs
# really run: BUSYBOX (a static executable, copied) as /bin/busybox, and
# sh, ls, cat, echo as symlinks to it.  /dev, /proc and /sys are empty
# mount points, /tmp is 1777.
tree_busybox ()
{
  local t="$1" bb="$2" host="$3" d

  for d in dev etc proc sys; do
    gl_dir "$t" "$d"
  done
  gl_dir "$t" tmp 1777
  gl_put "$t" bin/busybox 0755 <"$bb"
  for d in sh ls cat echo; do
    gl_link "$t" "bin/$d" busybox
  done
  printf '%s\n' "$host" | gl_put "$t" etc/hostname
}

# ---- sysprep.img: two roots holding what drydock sysprep removes -------

# sp_files TREE PATH...: small files whose content is their own path.
sp_files ()
{
  local t="$1" p

  shift
  for p in "$@"; do
    printf '/%s\n' "$p" | gl_put "$t" "$p"
  done
}

# sp_users TREE UID_MIN_USERS...: /etc/passwd, shadow, group, gshadow
# and login.defs with root, daemon (1), a system user sysacct (999),
# nobody (65534) and each NAME:UID given, with home /home/NAME (owned by
# it, holding .profile), mail in /var/spool/mail/NAME and a group of
# its name.
sp_users ()
{
  local t="$1" u name uid

  shift
  {
    echo 'root:x:0:0:root:/root:/bin/bash'
    echo 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin'
    echo 'sysacct:x:999:999:system account:/var/lib/sysacct:/usr/sbin/nologin'
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'
    for u in "$@"; do
      echo "${u%%:*}:x:${u#*:}:${u#*:}:${u%%:*}:/home/${u%%:*}:/bin/bash"
    done
  } | gl_put "$t" etc/passwd
  {
    echo 'root:*:19700:0:99999:7:::'
    echo 'daemon:*:19700:0:99999:7:::'
    echo 'sysacct:!:19700:0:99999:7:::'
    echo 'nobody:*:19700:0:99999:7:::'
    for u in "$@"; do
      echo "${u%%:*}:!:19700:0:99999:7:::"
    done
  } | gl_put "$t" etc/shadow 0640
  {
    echo 'root:x:0:'
    echo 'daemon:x:1:'
    echo "users:x:100:$(printf '%s\n' "$@" | cut -d: -f1 | paste -sd,)"
    echo 'sysacct:x:999:'
    echo 'nogroup:x:65534:'
    for u in "$@"; do
      echo "${u%%:*}:x:${u#*:}:"
    done
  } | gl_put "$t" etc/group
  gl_put "$t" etc/login.defs <<'DEFS'
# Min/max values for automatic uid selection in useradd(8)
UID_MIN                  1000
UID_MAX                 60000
SYS_UID_MIN               101
SYS_UID_MAX               999
DEFS
  for u in "$@"; do
    name=${u%%:*}
    uid=${u#*:}
    gl_dir "$t" "home/$name" 0700
    printf '# %s\n' "$name" | gl_put "$t" "home/$name/.profile"
    gl_owner "$t" "/home/$name" "$uid" "$uid"
    gl_owner "$t" "/home/$name/.profile" "$uid" "$uid"
    printf 'From: root\n\nmail for %s\n' "$name" |
      gl_put "$t" "var/spool/mail/$name" 0600
  done
}

# sp_dirt TREE USER: what every Linux guest gathers and sysprep's
# default operations remove (README.md lists it), next to look-alikes
# that must stay.  USER is an ordinary user of the guest.
sp_dirt ()
{
  local t="$1" u="$2"

  # abrt-data, crash-data
  sp_files "$t" var/spool/abrt/last-ccpp \
    var/spool/abrt/ccpp-2023-11-14-1234/coredump \
    var/crash/127.0.0.1-2023-11-14/vmcore var/log/dump/dump.1
  # backup-files: *.bak and *~ regular files under /etc /root /srv /tmp
  # /var; a directory, a symlink and a file outside those stay.
  sp_files "$t" etc/fstab.bak etc/hosts~ root/notes~ srv/www/index.html.bak \
    var/lib/misc/deep/state.bak usr/share/doc/readme.bak \
    etc/bakdir.bak/inner
  gl_link "$t" etc/link.bak hosts
  # bash-history, ssh-userdir
  sp_files "$t" root/.bash_history "home/$u/.bash_history" \
    root/.ssh/authorized_keys "home/$u/.ssh/id_ed25519"
  # blkid-tab: a symlink stays
  sp_files "$t" etc/blkid/blkid.tab etc/blkid/blkid.tab.old etc/blkid.tab.old
  gl_link "$t" etc/blkid.tab /dev/null
  # dovecot-data: files only
  sp_files "$t" var/lib/dovecot/instances var/lib/dovecot/sub/kept
  # ipa-client
  sp_files "$t" etc/ipa/ca.crt etc/ipa/default.conf etc/ipa/nssdb/cert9.db \
    var/lib/ipa-client/sysrestore/sysrestore.state \
    var/lib/ipa-client/pki/kdc-ca-bundle.pem
  # kerberos-hostkeytab; kerberos-data (not a default)
  sp_files "$t" etc/krb5.keytab etc/krb5.conf var/kerberos/krb5kdc/principal \
    var/kerberos/krb5kdc/kdc.conf var/kerberos/krb5kdc/kadm5.acl
  # logfiles
  sp_files "$t" var/log/messages var/log/messages-20231101 var/log/secure \
    var/log/boot.log var/log/boot.log.1 var/log/wtmp var/log/btmp \
    var/log/lastlog var/log/cron var/log/syslog var/log/dmesg \
    var/log/audit/audit.log var/log/journal/0123abcd/system.journal \
    var/log/httpd/access_log var/log/ntp var/log/apt/history.log \
    var/log/libvirt/qemu/guest.log var/lib/logrotate.status \
    var/cache/man/index.db root/anaconda-ks.cfg root/install.log \
    etc/Pegasus/server.pem var/named/data/named.run \
    var/log/README var/log/private/kept etc/Pegasus/cimserver.conf
  # machine-id (/etc/machine-id is the tree's own)
  echo 0123456789abcdef0123456789abcdef | gl_put "$t" var/lib/dbus/machine-id
  # pam-data and utmp, through the /var/run -> ../run symlink
  sp_files "$t" "run/faillock/$u" "run/console/$u" run/sepermit/x run/utmp
  # passwd-backups
  sp_files "$t" etc/passwd- etc/shadow- etc/group- etc/gshadow- etc/subuid- \
    etc/subgid-
  # puppet-data-log: files two and three levels down, not directories
  sp_files "$t" var/log/puppet/puppet.log var/lib/puppet/state/state.yaml \
    var/lib/puppet/ssl/certs/ca.pem
  # samba-db-log
  sp_files "$t" var/log/samba/log.smbd var/log/samba/old/log.nmbd \
    var/lib/samba/registry.tdb var/lib/samba/private/secrets.tdb
  # smolt-uuid
  sp_files "$t" etc/smolt/uuid etc/smolt/hw-uuid etc/sysconfig/hw-uuid \
    etc/smolt/config
  # ssh-hostkeys
  sp_files "$t" etc/ssh/ssh_host_rsa_key etc/ssh/ssh_host_rsa_key.pub \
    etc/ssh/ssh_host_ed25519_key etc/ssh/ssh_host_ed25519_key.pub \
    etc/ssh/sshd_config etc/ssh/moduli
  # sssd-db-log
  sp_files "$t" var/log/sssd/sssd.log var/lib/sss/db/cache_default.ldb \
    var/lib/sss/mc/passwd
  # tmp-files: dot files too; /tmp and /var/tmp stay
  sp_files "$t" tmp/a.txt tmp/.X0-lock tmp/sub/deep.txt var/tmp/b.txt \
    var/tmp/.hidden/x
  # udev-persistent-net
  sp_files "$t" etc/udev/rules.d/70-persistent-net.rules \
    etc/udev/rules.d/99-local.rules
  # firewall-rules and ca-certificates (not defaults)
  sp_files "$t" etc/sysconfig/iptables etc/firewalld/zones/public.xml \
    etc/firewalld/services/my.xml etc/firewalld/firewalld.conf \
    etc/pki/tls/certs/localhost.crt etc/pki/tls/private/localhost.key \
    etc/pki/CA/certs/my.crt etc/pki/tls/certs/ca-bundle.crt \
    etc/pki/tls/certs/ca-bundle.trust.crt
  # customize: a random seed to refresh (512 zero bytes)
  head -c 512 /dev/zero | gl_put "$t" var/lib/systemd/random-seed 0600
  # net-hwaddr, net-hostname, net-nmconn: only Red Hat guests lose them
  gl_put "$t" etc/sysconfig/network-scripts/ifcfg-eth0 <<'IFCFG'
DEVICE=eth0
HWADDR=52:54:00:12:34:56
HOSTNAME=guest.example.com
BOOTPROTO=dhcp
DHCP_HOSTNAME=guest
 HWADDR=kept-with-a-space
ONBOOT=yes
IFCFG
  printf 'DEVICE=lo\nONBOOT=yes' |
    gl_put "$t" etc/sysconfig/network-scripts/ifcfg-lo
  sp_files "$t" etc/NetworkManager/system-connections/eth0.nmconnection \
    etc/NetworkManager/system-connections/legacy
}

# tree_sysprep_rhel TREE ROOT_UUID SWAP_UUID: a RHEL 7.9 root (rpm, yum)
# with sp_dirt, the Red Hat places of the other operations, and users
# erin (1000) and frank (1001).
tree_sysprep_rhel ()
{
  local t="$1" uuid="$2" swap="$3"

  tree_skel "$t"
  gl_link "$t" usr/bin/sh bash
  echo sysprep-rhel | gl_put "$t" etc/hostname
  echo 5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e01 | gl_put "$t" etc/machine-id 0444
  echo 'Red Hat Enterprise Linux Server release 7.9 (Maipo)' |
    gl_put "$t" etc/redhat-release
  gl_link "$t" etc/system-release redhat-release
  gl_put "$t" etc/os-release <<'OSR'
NAME="Red Hat Enterprise Linux Server"
VERSION="7.9 (Maipo)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="7.9"
PRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"
OSR
  gl_put "$t" etc/fstab <<FSTAB
UUID=$uuid / ext4 defaults 1 1
UUID=$swap swap swap defaults 0 0
FSTAB
  sp_users "$t" erin:1000 frank:1001
  rmdir "$t/var/mail"
  gl_link "$t" var/mail spool/mail
  sp_dirt "$t" erin
  # Red Hat only: pacct in /var/account, the yum cache, rpm's
  # __db files, yum's uuid, subscription and RHN files, cron and at.
  sp_files "$t" var/account/pacct var/account/pacct-20231101 \
    var/cache/yum/x86_64/7/base/repomd.xml \
    var/cache/yum/x86_64/7/timedhosts.txt \
    var/lib/rpm/__db.001 var/lib/rpm/__db.002 var/lib/rpm/Packages \
    var/lib/yum/uuid var/lib/yum/history/history.sqlite \
    etc/pki/consumer/cert.pem etc/pki/entitlement/123.pem \
    etc/sysconfig/rhn/systemid etc/sysconfig/rhn/osad-auth.conf \
    etc/sysconfig/rhn/up2date \
    var/spool/cron/erin var/spool/at/a0000101a2b3c4 \
    var/spool/at/spool/kept \
    var/lib/dhclient/dhclient-eth0.leases var/lib/dhcpd/dhcpd.leases \
    etc/pki/ca-trust/source/anchors/ipa-ca.crt \
    etc/pki/ca-trust/source/ipa.p11-kit
  printf '00002\n' | gl_put "$t" var/spool/at/.SEQ 0600
}

# tree_sysprep_debian TREE ROOT_UUID: the Debian 12 tree (tree_debian,
# its user "user" replaced) with sp_dirt, the Debian places of the
# other operations, and users alice (1000), bob (1001), carol (1002).
tree_sysprep_debian ()
{
  local t="$1" uuid="$2"

  tree_debian "$t" sysprep-debian "$uuid"
  rm -rf "$t/home/user" "$t/etc/passwd" "$t/etc/group" "$t/etc/shadow"
  : >"$t.owners"
  gl_link "$t" var/spool/mail ../mail
  sp_users "$t" alice:1000 bob:1001 carol:1002
  gl_owner "$t" /etc/shadow 0 42
  sp_dirt "$t" alice
  sp_files "$t" var/log/account/pacct var/log/account/pacct.0 \
    var/cache/apt/archives/bash_5.2.15-2_amd64.deb \
    var/cache/apt/archives/lock var/cache/apt/archives/partial/x.deb \
    var/cache/apt/pkgcache.bin \
    var/lib/rpm/__db.001 var/lib/yum/uuid etc/pki/consumer/cert.pem \
    etc/sysconfig/rhn/systemid \
    var/spool/cron/crontabs/alice var/spool/cron/atjobs/a00001019a7c2d \
    var/spool/cron/atspool/kept \
    var/lib/dhcp/dhclient.eth0.leases \
    usr/local/share/ca-certificates/ipa-ca.crt var/log/installer/syslog
  printf '00001\n' | gl_put "$t" var/spool/cron/atjobs/.SEQ 0600
}
