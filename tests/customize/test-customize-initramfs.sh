#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize: --rebuild-initramfs, --add-modules, --virtio-linux
# and --remove-hypervisor-tools (the last two through drydock
# convert-guest, and a Windows guest without drivers refused by it), on
# a copy of debian.img made able to
# run commands (the host's static busybox is its /bin/sh and tools),
# with two fake kernels (6.1.0-18-amd64: virtio_blk, virtio_scsi,
# virtio-net.ko.xz, e1000, floppy, virtio_pci built in; 6.1.0-20-amd64:
# virtio_blk, virtio_net, virtio_pci, e1000) and stand-ins for
# update-initramfs, dracut and mkinitcpio that record how they were
# called and make a real initramfs: a gzip'ed newc cpio (busybox cpio)
# of the module files they were configured or asked for, dracut's with
# an uncompressed early microcode archive first.  A file /forget makes
# them leave out that module, /broken-image write text, /fail-tool fail.
#  - refusals, one line, the image byte-identical: bad module lists
#    (before the launch), a guest without an initramfs tool, a module a
#    kernel does not have, a stand-in that forgets a module (the error
#    names the module and the kernel), an image that is not a cpio, a
#    failing tool, a Windows guest;
#  - Debian: --add-modules runs update-initramfs -u (or -c when the
#    kernel has no image yet) for each kernel, the modules are added to
#    /etc/initramfs-tools/modules ('-' read as '_', a commented one and
#    one already there left alone);
#  - --virtio-linux: sdX/hdX/xvdX become vdX in fstab's device field,
#    grub.cfg, the GRUB_CMDLINE_LINUX* lines and a boot entry, UUID= and
#    LABEL= and other words kept; the udev net rules, HWADDR=, an
#    ethernet mac-address= and netplan MAC and driver matches go; the
#    LVM devices file goes; the images hold each kernel's virtio modules
#    (read back with the host's gzip and cpio);
#  - --remove-hypervisor-tools: apt-get removes the installed VMware and
#    Xen packages only (dpkg status), then VMware's tarball uninstaller
#    runs (it removes itself), told not to restore its saved images;
#  - Fedora (os-release switched): dracut -f --add-drivers with the
#    image named initramfs-V.img, the modules in dracut.conf.d;
#  - Arch: mkinitcpio -k V -g with the pkgbase image name, MODULES=()
#    edited (a commented line left), pacman -R removes open-vm-tools.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64 debugfs gzip cpio
requires_static_busybox
export PATH="$PATH:/usr/sbin:/sbin"

cd "$scratch"
P="drydock customize"
A=6.1.0-18-amd64
B=6.1.0-20-amd64
img=$(scratch_copy "$(guest debian.img)")


cust () { drydock customize -q --format raw -a "$img" "$@"; }

# ---- refusals before the launch, and a guest without a tool ----
drydock customize --help > help.out || fail "--help failed"
for op in rebuild-initramfs add-modules virtio-linux remove-hypervisor-tools; do
  grep -q -- "^  --$op" help.out || fail "--help does not list --$op"
done
one_line_fail "an empty module" \
  "^$P: --add-modules 'virtio_blk,,e1000': an empty module name$" \
  cust --add-modules virtio_blk,,e1000
one_line_fail "a shell character" \
  "^$P: --add-modules 'a;reboot': 'a;reboot' is not a module name" \
  cust --add-modules 'a;reboot'
one_line_fail "a flag with an argument" "--virtio-linux" cust --virtio-linux=x
one_line_fail "no initramfs tool" \
  "^$P: --rebuild-initramfs: no initramfs tool was found in the guest \(update-initramfs, mkinitcpio, dracut or mkinitrd\); nothing was changed$" \
  cust --touch /touched --rebuild-initramfs

# ---- the guest ----
mkdir -p fake
cat > fake/lib.sh <<'EOF'
# The stand-ins' shared part: their call recorded, and make_image.
echo "$0 $*" >> /initramfs.log

# make_image VERSION IMAGE MODULE...: a gzip'ed newc cpio holding the
# files of the modules, after an early microcode archive with EARLY=1.
make_image ()
{
  v=$1 img=$2
  shift 2
  if [ -e /fail-tool ]; then echo "E: $(cat /fail-tool)"; exit 1; fi
  if [ -e /broken-image ]; then echo "not an initramfs" > "$img"; return; fi
  d=/tmp/fake-initramfs
  rm -rf $d /tmp/fake-early
  mkdir -p $d/usr/lib/modules/$v
  echo '#!/bin/sh' > $d/init
  for m in "$@"; do
    m=${m%\?}
    [ "$m" != "$(cat /forget 2>/dev/null)" ] || continue
    for f in $(find /usr/lib/modules/$v -name "$m.ko*" -o \
               -name "$(echo "$m" | tr _ -).ko*"); do
      mkdir -p "$d${f%/*}"
      cp "$f" "$d$f"
    done
  done
  : > "$img"
  if [ "${EARLY-}" = 1 ]; then
    mkdir -p /tmp/fake-early/kernel/x86/microcode
    echo ucode > /tmp/fake-early/kernel/x86/microcode/GenuineIntel.bin
    (cd /tmp/fake-early && find . | cpio -o -H newc 2>/dev/null) > "$img"
  fi
  (cd $d && find . | cpio -o -H newc 2>/dev/null) | gzip -9 >> "$img"
}
EOF
cat > fake/update-initramfs <<'EOF'
#!/bin/sh
. /usr/lib/fake/lib.sh
while [ $# -gt 0 ]; do
  case $1 in -u|-c) mode=$1 ;; -k) shift; v=$1 ;; esac
  shift
done
img=/boot/initrd.img-$v
[ "$mode" = -c ] || [ -e "$img" ] ||
  { echo "update-initramfs: $img does not exist. Cannot update."; exit 1; }
make_image "$v" "$img" $(grep -v '^#' /etc/initramfs-tools/modules | cut -d' ' -f1)
EOF
cat > fake/dracut <<'EOF'
#!/bin/sh
. /usr/lib/fake/lib.sh
drivers=
while [ $# -gt 0 ]; do
  case $1 in --add-drivers) shift; drivers=$1 ;; -*) ;; *) break ;; esac
  shift
done
EARLY=1 make_image "$2" "$1" $drivers
EOF
cat > fake/mkinitcpio <<'EOF'
#!/bin/sh
. /usr/lib/fake/lib.sh
while [ $# -gt 0 ]; do
  case $1 in -k) shift; v=$1 ;; -g) shift; img=$1 ;; esac
  shift
done
make_image "$v" "$img" $(sed -n 's/^MODULES=(\(.*\))/\1/p' /etc/mkinitcpio.conf | tail -n 1)
EOF
cat > fake/pm <<'EOF'
#!/bin/sh
echo "${0##*/} $*|${DEBIAN_FRONTEND-}" >> /pm.log
EOF
cat > fake/vmware-uninstall-tools.pl <<'EOF'
#!/bin/sh
echo "$0" >> /pm.log
cat /etc/vmware-tools/locations >> /pm.log
rm "$0"
EOF
printf '# List of modules that you want to include in your initramfs.\n# virtio_blk\ne1000 copybreak=0\n' > modules
printf '# MODULES=(nope)\nMODULES=(ext4)\nHOOKS=(base udev autodetect)\n' > mkinitcpio.conf
printf 'kernel/drivers/virtio/virtio_pci.ko\nkernel/fs/ext4/ext4.ko\n' > builtin
cat > fstab <<'EOF'
UUID=11111111-2222-3333-4444-555555555555 / ext4 defaults 0 1
/dev/sda2 /boot ext4 defaults 0 2
/dev/hdb1	/data	ext4	defaults	0	2
  /dev/xvdc none swap sw 0 0
# /dev/sda9 /old ext4 defaults 0 0
LABEL=logs /var/log ext4 defaults 0 2
/dev/sdb /mnt/sdb-disk ext4 defaults 0 0
/dev/sr0 /media/cdrom iso9660 ro,noauto 0 0
/dev/mapper/vg-lv /srv ext4 defaults 0 0
EOF
cat > grub.cfg <<'EOF'
set root='hd0,msdos1'
search --no-floppy --fs-uuid --set=root 11111111-2222-3333-4444-555555555555
menuentry 'Debian' {
	linux /boot/vmlinuz-6.1.0-18-amd64 root=/dev/sda1 ro resume=/dev/xvda3 console=ttyS0
	initrd /boot/initrd.img-6.1.0-18-amd64
}
menuentry 'Debian UUID' {
	linux /boot/vmlinuz-6.1.0-20-amd64 root=UUID=11111111-2222-3333-4444-555555555555 ro
}
# /dev/sdz9x /mnt/dev/sda1 stay
EOF
cat > default-grub <<'EOF'
GRUB_DEFAULT=0
GRUB_CMDLINE_LINUX_DEFAULT="quiet root=/dev/hda1"
GRUB_CMDLINE_LINUX="resume=/dev/sdb2"
GRUB_DISABLE_OS_PROBER=/dev/sda
EOF
printf 'title Debian\noptions root=/dev/sda1 ro\n' > entry.conf
printf 'SUBSYSTEM=="net", ATTR{address}=="00:50:56:aa:bb:cc", NAME="eth0"\n' > persistent-net
printf 'DEVICE=eth0\nHWADDR=00:50:56:aa:bb:cc\n HWADDR = "00:50:56:aa:bb:cd"\nBOOTPROTO=dhcp\nMACADDR=52:54:00:00:00:01\n' > ifcfg
cat > nmconn <<'EOF'
[connection]
id=Wired
type=ethernet

[ethernet]
mac-address=00:50:56:AA:BB:CC
cloned-mac-address=preserve

[wifi]
mac-address=11:22:33:44:55:66
EOF
cat > netplan.yaml <<'EOF'
network:
  version: 2
  ethernets:
    ens192:
      match:

        # the old NIC
        macaddress: "00:50:56:aa:bb:cc"
      set-name: ens192
      dhcp4: true
    ens224:
      match: {macaddress: "00:50:56:aa:bb:dd"}
      set-name: ens224
    eth2:
      match:
        name: "eth*"
        driver: vmxnet3
      dhcp4: true
EOF
# The image's dpkg status, with VMware and Xen packages (one removed,
# its configuration left).
debugfs -R 'cat /var/lib/dpkg/status' "$img?offset=1048576" > status 2>/dev/null
[ -s status ] || fail "cannot read the dpkg status of debian.img"
for p in open-vm-tools:install open-vm-tools-desktop:install \
         xe-guest-utilities:install xenstore-utils:deinstall; do
  st="install ok installed"
  [ "${p#*:}" = install ] || st="deinstall ok config-files"
  printf '\nPackage: %s\nStatus: %s\nPriority: extra\nSection: admin\nInstalled-Size: 10\nMaintainer: Nobody <nobody@example.org>\nArchitecture: amd64\nVersion: 1.0-1\nDescription: %s\n' \
    "${p%%:*}" "$st" "${p%%:*}" >> status
done
printf '%%NAME%%\nopen-vm-tools\n\n%%VERSION%%\n12.3.0-1\n\n%%ARCH%%\nx86_64\n' > pacman-desc
printf 'answer BINDIR /usr/bin\n' > locations
echo module > ko
{
  echo "upload $BUSYBOX /usr/bin/busybox"
  echo "chmod 0755 /usr/bin/busybox"
  for l in sh mv mkdir cat cp rm find grep cut sed tail tr gzip cpio; do
    echo "ln_sf busybox /usr/bin/$l"
  done
  echo "mkdir_p /usr/lib/fake"
  for f in lib.sh update-initramfs dracut mkinitcpio pm vmware-uninstall-tools.pl; do
    echo "upload fake/$f /usr/lib/fake/$f"
    echo "chmod 0755 /usr/lib/fake/$f"
  done
  echo "ln_sf /usr/lib/fake/update-initramfs /usr/sbin/update-initramfs"
  echo "ln_sf /usr/lib/fake/pm /usr/bin/apt-get"
  echo "ln_sf /usr/lib/fake/pm /usr/bin/pacman"
  echo "ln_sf /usr/lib/fake/vmware-uninstall-tools.pl /usr/bin/vmware-uninstall-tools.pl"
  for m in block/virtio_blk.ko scsi/virtio_scsi.ko net/virtio-net.ko.xz \
           net/e1000.ko block/floppy.ko; do
    echo "mkdir_p /usr/lib/modules/$A/kernel/drivers/${m%/*}"
    echo "upload ko /usr/lib/modules/$A/kernel/drivers/$m"
  done
  echo "upload builtin /usr/lib/modules/$A/modules.builtin"
  for m in block/virtio_blk.ko net/virtio_net.ko virtio/virtio_pci.ko \
           net/e1000.ko; do
    echo "mkdir_p /usr/lib/modules/$B/kernel/drivers/${m%/*}"
    echo "upload ko /usr/lib/modules/$B/kernel/drivers/$m"
  done
  echo "upload ko /boot/vmlinuz-$B"
  echo "mkdir_p /etc/initramfs-tools"
  echo "upload modules /etc/initramfs-tools/modules"
  echo "upload mkinitcpio.conf /etc/mkinitcpio.conf"
  echo "upload fstab /etc/fstab"
  echo "upload grub.cfg /boot/grub/grub.cfg"
  echo "mkdir_p /etc/default"
  echo "upload default-grub /etc/default/grub"
  echo "mkdir_p /boot/loader/entries"
  echo "upload entry.conf /boot/loader/entries/debian.conf"
  echo "mkdir_p /etc/udev/rules.d"
  echo "upload persistent-net /etc/udev/rules.d/70-persistent-net.rules"
  echo "mkdir_p /etc/sysconfig/network-scripts"
  echo "upload ifcfg /etc/sysconfig/network-scripts/ifcfg-eth0"
  echo "mkdir_p /etc/NetworkManager/system-connections"
  echo "upload nmconn /etc/NetworkManager/system-connections/Wired.nmconnection"
  echo "chmod 0600 /etc/NetworkManager/system-connections/Wired.nmconnection"
  echo "mkdir_p /etc/netplan"
  echo "upload netplan.yaml /etc/netplan/50-cloud-init.yaml"
  echo "mkdir_p /etc/lvm/devices"
  echo "upload ko /etc/lvm/devices/system.devices"
  echo "upload status /var/lib/dpkg/status"
  echo "mkdir_p /var/lib/pacman/local/open-vm-tools-12.3.0-1"
  echo "upload pacman-desc /var/lib/pacman/local/open-vm-tools-12.3.0-1/desc"
  echo "mkdir_p /etc/vmware-tools"
  echo "upload locations /etc/vmware-tools/locations"
} > prep.cmds
drydock shell --format raw -a "$img" -i < prep.cmds > out 2> err ||
  fail "preparing the guest: $(cat err)"

# ---- Debian: refusals, then --add-modules ----
one_line_fail "a module one kernel lacks" \
  "^$P: --add-modules floppy: kernel $B has no module floppy \(no file for it under /lib/modules/$B, and it is not built in\)$" \
  cust --add-modules floppy
one_line_fail "a forgotten module" \
  "^$P: --add-modules e1000: the initramfs /boot/initrd.img-$A that update-initramfs made for kernel $A lacks the module e1000$" \
  cust --write /forget:e1000 --add-modules e1000
one_line_fail "an image that is not a cpio" \
  "^$P: --rebuild-initramfs: the initramfs /boot/initrd.img-$A that update-initramfs made for kernel $A cannot be read: offset 0: neither a cpio archive nor compressed data$" \
  cust --write /broken-image:x --rebuild-initramfs
one_line_fail "a failing tool" \
  "^$P: --rebuild-initramfs: update-initramfs for kernel $A failed: E: fake failure$" \
  cust --write '/fail-tool:fake failure' --rebuild-initramfs

cust --add-modules virtio_blk,e1000,virtio-net || fail "--add-modules failed"
# --virtio-linux and the tools' removal; then, for the Fedora run, the
# images kept aside, dracut in update-initramfs' place, os-release.
# drydock convert-guest on this Linux guest: the tools removed, then
# --virtio-linux (a Windows tree given is not used).
mkdir -p vw/viostor/w10/amd64
drydock convert-guest -q --format raw -a "$img" --virtio-win vw ||
  fail "drydock convert-guest failed"
cust --move /boot/initrd.img-$A:/initrd-A --move /boot/initrd.img-$B:/initrd-B \
  --delete /usr/sbin/update-initramfs \
  --link /usr/lib/fake/dracut:/usr/bin/dracut \
  --delete /etc/debian_version \
  --write "/usr/lib/os-release:$(osrel fedora 39)" ||
  fail "making the Fedora guest failed"

drydock shell --ro --format raw -a "$img" -i > out 2> err <<END ||
cat /initramfs.log
cat /etc/initramfs-tools/modules
cat /etc/fstab
cat /boot/grub/grub.cfg
cat /etc/default/grub
cat /boot/loader/entries/debian.conf
exists /etc/udev/rules.d/70-persistent-net.rules
cat /etc/sysconfig/network-scripts/ifcfg-eth0
cat /etc/NetworkManager/system-connections/Wired.nmconnection
cat /etc/netplan/50-cloud-init.yaml
exists /etc/lvm/devices/system.devices
cat /pm.log
download /initrd-A $scratch/initrd-A
download /initrd-B $scratch/initrd-B
END
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"
expect_eq "the Debian guest" "/usr/sbin/update-initramfs -u -k $A
/usr/sbin/update-initramfs -c -k $B
/usr/sbin/update-initramfs -u -k $A
/usr/sbin/update-initramfs -u -k $B
# List of modules that you want to include in your initramfs.
# virtio_blk
e1000 copybreak=0
virtio_blk
virtio_net
virtio_scsi
virtio_pci
UUID=11111111-2222-3333-4444-555555555555 / ext4 defaults 0 1
/dev/vda2 /boot ext4 defaults 0 2
/dev/vdb1	/data	ext4	defaults	0	2
  /dev/vdc none swap sw 0 0
# /dev/sda9 /old ext4 defaults 0 0
LABEL=logs /var/log ext4 defaults 0 2
/dev/vdb /mnt/sdb-disk ext4 defaults 0 0
/dev/sr0 /media/cdrom iso9660 ro,noauto 0 0
/dev/mapper/vg-lv /srv ext4 defaults 0 0
set root='hd0,msdos1'
search --no-floppy --fs-uuid --set=root 11111111-2222-3333-4444-555555555555
menuentry 'Debian' {
	linux /boot/vmlinuz-6.1.0-18-amd64 root=/dev/vda1 ro resume=/dev/vda3 console=ttyS0
	initrd /boot/initrd.img-6.1.0-18-amd64
}
menuentry 'Debian UUID' {
	linux /boot/vmlinuz-6.1.0-20-amd64 root=UUID=11111111-2222-3333-4444-555555555555 ro
}
# /dev/sdz9x /mnt/dev/sda1 stay
GRUB_DEFAULT=0
GRUB_CMDLINE_LINUX_DEFAULT=\"quiet root=/dev/vda1\"
GRUB_CMDLINE_LINUX=\"resume=/dev/vdb2\"
GRUB_DISABLE_OS_PROBER=/dev/sda
title Debian
options root=/dev/vda1 ro
false
DEVICE=eth0
BOOTPROTO=dhcp
MACADDR=52:54:00:00:00:01
[connection]
id=Wired
type=ethernet

[ethernet]
cloned-mac-address=preserve

[wifi]
mac-address=11:22:33:44:55:66
network:
  version: 2
  ethernets:
    ens192:
      match:

        # the old NIC
        name: \"e*\"
      set-name: ens192
      dhcp4: true
    ens224:
      match: {name: \"e*\"}
      set-name: ens224
    eth2:
      match:
        name: \"eth*\"
      dhcp4: true
false
apt-get -q -y remove open-vm-tools open-vm-tools-desktop xe-guest-utilities|noninteractive
/usr/bin/vmware-uninstall-tools.pl
answer BINDIR /usr/bin
remove_answer RESTORE_RAMDISK_CMD
remove_answer RESTORE_RAMDISK_KERNELS
remove_answer RESTORE_RAMDISK_ONECALL" "$(cat out)"

# The images, listed on the host: each kernel's virtio modules (not
# the built-in virtio_pci of A, not the virtio_scsi B lacks), e1000.
list () { gzip -dc < "$1" | cpio -t --quiet | grep '\.ko' | sed 's,.*/,,' | sort | tr '\n' ' '; }
expect_eq "kernel A's image" "e1000.ko virtio-net.ko.xz virtio_blk.ko virtio_scsi.ko " \
  "$(list initrd-A)"
expect_eq "kernel B's image" "e1000.ko virtio_blk.ko virtio_net.ko virtio_pci.ko " \
  "$(list initrd-B)"

# ---- Fedora: dracut, then the switch to Arch ----
cust --add-modules virtio_blk \
  --delete /usr/bin/dracut \
  --link /usr/lib/fake/mkinitcpio:/usr/bin/mkinitcpio \
  --write /usr/lib/modules/$A/pkgbase:linux \
  --move /boot/vmlinuz-$A:/boot/vmlinuz-linux \
  --write "/usr/lib/os-release:$(osrel arch '')" ||
  fail "the Fedora run failed"

# ---- Arch: mkinitcpio, pacman ----
cust --add-modules virtio_blk --add-modules e1000 --remove-hypervisor-tools ||
  fail "the Arch run failed"

drydock shell --ro --format raw -a "$img" -i > out 2> err <<END ||
cat /initramfs.log
cat /etc/dracut.conf.d/50-drydock-modules.conf
cat /etc/mkinitcpio.conf
cat /pm.log
ls /boot
END
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"
expect_eq "the Fedora and Arch guests" "/usr/bin/dracut -f --add-drivers virtio_blk /boot/initramfs-$A.img $A
/usr/bin/dracut -f --add-drivers virtio_blk /boot/initramfs-$B.img $B
/usr/bin/mkinitcpio -k $A -g /boot/initramfs-linux.img
/usr/bin/mkinitcpio -k $B -g /boot/initramfs-$B.img
/usr/bin/mkinitcpio -k $A -g /boot/initramfs-linux.img
/usr/bin/mkinitcpio -k $B -g /boot/initramfs-$B.img
add_drivers+=\" virtio_blk \"
# MODULES=(nope)
MODULES=(ext4 virtio_blk e1000)
HOOKS=(base udev autodetect)
pacman -R --noconfirm open-vm-tools|" \
  "$(sed -n '5,14p;21p' out)"
grep -qx "initramfs-$A.img" out || fail "no Fedora image: $(cat out)"

# ---- Windows: refused before anything runs ----
rc=0
out=$(DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
      "$DRYDOCK_TESTS_SRCDIR/data/make-windows-guests.sh" "$GUESTS" windows.img 2>&1) ||
  rc=$?
if [ "$rc" -eq 77 ]; then
  echo "$(basename "$0"): windows.img cannot be built here, not tested: $(echo "$out" | tail -n 1)"
  exit 0
fi
[ "$rc" -eq 0 ] || fail "cannot build windows.img: $out"
img=$(scratch_copy "$GUESTS/windows.img")
one_line_fail "convert-guest in Windows without drivers" \
  "^drydock convert-guest: the guest is Windows: give virtio-win's drivers with --virtio-win DIR\|ISO; nothing was changed$" \
  drydock convert-guest -q --format raw -a "$img"
one_line_fail "--virtio-linux in Windows" \
  "^$P: --virtio-linux: the guest is windows: guest programs run only in a Linux guest; nothing was changed$" \
  cust --touch /x --virtio-linux
exit 0
