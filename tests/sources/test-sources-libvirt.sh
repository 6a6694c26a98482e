#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libvirt guests (-d, -c, add_domain), through libvirt's test driver,
# which needs no daemon: test:///NODE.xml defines the domains, their
# disks copies of the Debian test guest.  A defined domain with a raw
# disk (and a CD-ROM and a floppy, skipped), one at the top of a qcow2
# chain, one running (refused unless read-only), one found by its UUID,
# one whose disk is a storage pool's volume, one whose disk is a slice
# of a bigger file, NBD network disks (qemu-nbd
# on a unix socket and on 127.0.0.1): inspect answers as on the raw
# file.  Bad domains, bad options and network disks drydock does not
# read yet are one line each; no disk is changed except by a tool that
# writes, which commits into the domain's disk as into an -a image.
. "$(dirname "$0")/../functions.sh"
requires qemu-img python3

raw=$(guest debian.img)
cd "$scratch"
uri="test://$scratch/node.xml"
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
mkdir -p pool
cp --sparse=always "$raw" disk.img
cp --sparse=always "$raw" pool/vol.img
cp --sparse=always "$raw" rw.img
cp --sparse=always "$raw" served.img
# The guest at byte 1 MiB of a bigger file: a <slice> of it.
head -c 1048576 /dev/urandom > sliced.img
dd if="$raw" of=sliced.img bs=1M seek=1 conv=sparse,notrunc status=none
rawsize=$(stat -c %s "$raw")
qemu-img create -q -f qcow2 -b disk.img -F raw mid.qcow2
qemu-img create -q -f qcow2 -b "$scratch/mid.qcow2" -F qcow2 top.qcow2
# one_line_fail checks $img (and keeps its own sums); every disk is
# checked at the end.
img=disk.img
sha256sum disk.img mid.qcow2 top.qcow2 pool/vol.img served.img sliced.img \
  > all.sums
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# domain NAME UUID RUNSTATE DISKS...: a test-driver domain (runstate 5
# is shut off, 1 running).
domain ()
{
  local name=$1 uuid=$2 state=$3
  shift 3
  cat <<EOF
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>$name</name>
    <uuid>$uuid</uuid>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
$(printf '%s\n' "$@")
    </devices>
    <test:runstate>$state</test:runstate>
  </domain>
EOF
}
file_disk ()
{
  printf "<disk type='file' device='disk'><driver name='qemu' type='%s'/>" "$2"
  printf "<source file='%s'/><target dev='%s' bus='virtio'/>%s</disk>" \
    "$scratch/$1" "$3" "${4-}"
}
cdrom="<disk type='file' device='cdrom'><source file='$scratch/none.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>"
floppy="<disk type='file' device='floppy'><target dev='fda' bus='fdc'/></disk>"
rbd="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/image'><host name='ceph.example' port='6789'/></source><target dev='vdb' bus='virtio'/></disk>"
nbd_unix="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='debian'><host transport='unix' socket='$scratch/nbd.sock'/></source><target dev='vda' bus='virtio'/></disk>"
nbd_tcp="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='disk'><host name='127.0.0.1' port='$port'/></source><target dev='vda' bus='virtio'/></disk>"
slice="<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$scratch/sliced.img'><slices><slice type='storage' offset='1048576' size='$rawsize'/></slices></source><target dev='vda' bus='virtio'/></disk>"
iscsi_secret="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='iscsi' name='iqn.2026-12.example:disk/1'><host name='127.0.0.1' port='3260'/><auth username='u'><secret type='iscsi' usage='x'/></auth></source><target dev='vda' bus='virtio'/></disk>"
ssh_closed="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='ssh' name='/srv/disk.img'><host name='127.0.0.1' port='1'/></source><target dev='vda' bus='virtio'/></disk>"
volume="<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='images' volume='vol.img'/><target dev='vda' bus='virtio'/></disk>"
uuid=5f6a1b2c-0d3e-4f50-8a61-72839a4b5c6d
{
  echo "<node>"
  domain rawvm $uuid 5 "$(file_disk disk.img raw vda)" "$cdrom" "$floppy"
  domain chainvm 00000000-0000-4000-8000-000000000002 5 \
    "$(file_disk top.qcow2 qcow2 vda)"
  domain runvm 00000000-0000-4000-8000-000000000003 1 \
    "$(file_disk disk.img raw vda)"
  domain rodisk 00000000-0000-4000-8000-000000000004 5 \
    "$(file_disk disk.img raw vda '<readonly/>')"
  domain cdonly 00000000-0000-4000-8000-000000000005 5 "$cdrom"
  domain rbdvm 00000000-0000-4000-8000-000000000006 5 \
    "$(file_disk disk.img raw vda)" "$rbd"
  domain volvm 00000000-0000-4000-8000-000000000007 5 "$volume"
  domain twovm 00000000-0000-4000-8000-000000000008 5 \
    "$(file_disk disk.img raw vda)" "$(file_disk top.qcow2 qcow2 vdb)"
  domain rwvm 00000000-0000-4000-8000-000000000009 5 \
    "$(file_disk rw.img raw vda)"
  domain nbdunix 00000000-0000-4000-8000-00000000000a 5 "$nbd_unix"
  domain nbdtcp 00000000-0000-4000-8000-00000000000b 5 "$nbd_tcp"
  domain slicevm 00000000-0000-4000-8000-00000000000c 5 "$slice"
  domain secretvm 00000000-0000-4000-8000-00000000000d 5 "$iscsi_secret"
  domain sshvm 00000000-0000-4000-8000-00000000000e 5 "$ssh_closed"
  cat <<EOF
  <pool type='dir'>
    <name>images</name>
    <target><path>$scratch/pool</path></target>
    <volume type='file'><name>vol.img</name>
      <capacity>134217728</capacity>
      <target><path>$scratch/pool/vol.img</path></target>
    </volume>
  </pool>
</node>
EOF
} > node.xml

# libvirt missing is one line too, and a reason to skip here.
if drydock shell add-domain rawvm "libvirturi:$uri" readonly:true \
     > count.txt 2> err.txt; then
  expect_eq "add-domain's count (CD-ROM and floppy skipped)" 1 \
    "$(cat count.txt)"
elif grep -q "libvirt.so.0 cannot be loaded" err.txt; then
  skip "libvirt (libvirt0) is not installed"
else
  fail "add-domain rawvm: $(cat err.txt)"
fi

# Without libvirt (its library hidden in a mount namespace of our own):
# one line saying so.
lib=$(ldconfig -p | awk '/libvirt\.so\.0 / && !p { print $NF; p = 1 }')
if [ "$(id -u)" = 0 ] && [ -n "$lib" ] && unshare -m true 2> /dev/null; then
  one_line_fail "libvirt missing" \
    "^drydock inspect: add_domain: cannot use libvirt: libvirt.so.0 cannot be loaded \(is libvirt0 installed\?\): " \
    unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh \
      "$lib" drydock inspect -c "$uri" -d rawvm
fi

# inspect: the defined domain, by name and by UUID, and the chain.
for d in rawvm $uuid chainvm volvm slicevm; do
  drydock inspect -c "$uri" -d $d > got.xml 2> err.txt ||
    fail "inspect -d $d: $(cat err.txt)"
  cmp -s want.xml got.xml || fail "inspect -d $d differs from the raw file"
done

# Network disks: NBD on a unix socket and over TCP, served read-only.
if command -v qemu-nbd > /dev/null; then
  for how in "--socket=$scratch/nbd.sock -x debian" \
             "--bind=127.0.0.1 --port=$port -x disk"; do
    # shellcheck disable=SC2086
    qemu-nbd --read-only --persistent --shared=4 -f raw $how served.img &
    add_cleanup "kill $! 2>/dev/null || :"
  done
  for _ in $(seq 100); do
    [ -S nbd.sock ] && break
    sleep 0.1
  done
  for d in nbdunix nbdtcp; do
    drydock inspect -c "$uri" -d $d > got.xml 2> err.txt ||
      fail "inspect -d $d: $(cat err.txt)"
    cmp -s want.xml got.xml || fail "inspect -d $d differs from the raw file"
  done
fi

# diff: a domain against another (-d and -D), both the same guest.
drydock diff -c "$uri" -d rawvm -D chainvm > diff.txt 2> err.txt ||
  fail "diff -d -D: $(cat err.txt)"
[ ! -s diff.txt ] || fail "diff -d rawvm -D chainvm: $(head -5 diff.txt)"

# The running domain: refused for writing (shell, customize), read
# with --ro.
one_line_fail "running domain, read-write" \
  "^drydock shell: add_domain: runvm: the domain is running.*readonly" \
  drydock shell -c "$uri" -d runvm run
one_line_fail "running domain, customize" \
  "^drydock customize: add_domain: runvm: the domain is running" \
  drydock customize -c "$uri" -d runvm --touch /x
drydock shell --ro -c "$uri" -d runvm -i cat /etc/hostname > host.txt \
  2> err.txt || fail "--ro -d runvm: $(cat err.txt)"
expect_eq "hostname of the running domain, read-only" \
  "$(grep -o '<hostname>[^<]*' want.xml | cut -d'>' -f2)" "$(cat host.txt)"

# The shell: add-domain and its alias, the count, the optional
# arguments; one launch lists the disks of two domains.
cat > cmds <<EOF
domain chainvm libvirturi:$uri readonly:true
add-domain twovm libvirturi:$uri readonly:true
run
list-devices
EOF
drydock shell < cmds > out.txt 2> err.txt || fail "shell: $(cat err.txt)"
expect_eq "shell: counts and devices" "1 2 /dev/sda /dev/sdb /dev/sdc" \
  "$(tr '\n' ' ' < out.txt | sed 's/ $//')"

rodisk () { drydock shell add-domain rodisk "libvirturi:$uri" "$@"; }
expect_eq "readonlydisk:read" 1 "$(rodisk readonlydisk:read)"
expect_eq "readonlydisk:write" 1 "$(rodisk readonlydisk:write)"
expect_eq "readonlydisk:error, readonly" 1 \
  "$(rodisk readonlydisk:error readonly:true)"
one_line_fail "readonlydisk:error" \
  "add_domain: rodisk: disk vda .* marked <readonly/>.*readonlydisk is error" \
  rodisk readonlydisk:error
one_line_fail "readonlydisk:ignore" \
  "add_domain: rodisk: the domain has no disk to add" \
  rodisk readonlydisk:ignore
one_line_fail "readonlydisk:bad" \
  "add_domain: readonlydisk 'maybe': expected one of write, read, error, ignore" \
  rodisk readonlydisk:maybe
one_line_fail "live" "add_domain: live: .*not supported" \
  drydock shell add-domain rawvm "libvirturi:$uri" live:true
one_line_fail "a domain with a CD-ROM alone" \
  "add_domain: cdonly: the domain has no disk to add" \
  drydock shell -c "$uri" --ro -d cdonly run
one_line_fail "an rbd disk" \
  "add_domain: rbdvm: disk vdb: network protocol 'rbd' is not supported" \
  drydock inspect -c "$uri" -d rbdvm
one_line_fail "a disk needing a libvirt secret" \
  "add_domain: secretvm: disk vda: a disk that needs a libvirt secret is not supported" \
  drydock inspect -c "$uri" -d secretvm
# An ssh disk becomes ssh://HOST:PORT/PATH (nothing listens there).
one_line_fail "an ssh disk on a closed port" \
  "ssh://127.0.0.1:1/srv/disk.img" \
  drydock inspect -c "$uri" -d sshvm
one_line_fail "unknown domain" \
  "^drydock inspect: add_domain: no libvirt domain 'nope' \(name or UUID\): .*not found" \
  drydock inspect -c "$uri" -d nope
one_line_fail "no such connection" \
  "^drydock inspect: add_domain: cannot connect to libvirt at nosuchdriver:///system: " \
  drydock inspect -c nosuchdriver:///system -d rawvm
one_line_fail "output overlay of two disks" \
  "add_domain: twovm: output_overlay needs a single disk, the domain has 2" \
  drydock customize -c "$uri" -d twovm --output-overlay x.qcow2 --touch /x
[ ! -e x.qcow2 ] || fail "an overlay was kept after the error"

# The options: -a and -d, and -d twice, as virt-customize.
one_line_fail "customize -a -d" \
  "^drydock customize: -a and -d exclude each other" \
  drydock customize -a disk.img -c "$uri" -d rawvm --touch /x
one_line_fail "sysprep -d -d" "^drydock sysprep: -d can only be given once" \
  drydock sysprep -c "$uri" -d rawvm -d chainvm
one_line_fail "-d ''" "^drydock inspect: -d: the domain name is empty" \
  drydock inspect -d ''

# A kept overlay of a domain's single disk, the disk untouched.
drydock customize -c "$uri" -d rawvm --output-overlay kept.qcow2 \
  --write /etc/motd:libvirt > /dev/null 2> err.txt ||
  fail "customize -d --output-overlay: $(cat err.txt)"
expect_eq "the kept overlay's change" "libvirt" \
  "$(drydock cat --format qcow2 -a kept.qcow2 /etc/motd 2>/dev/null)"

sha256sum --quiet -c all.sums || fail "a domain's disk changed"

# A tool that writes commits into the domain's disk, as into -a images.
drydock customize -c "$uri" -d rwvm --write /etc/motd:committed \
  > /dev/null 2> err.txt || fail "customize -d rwvm: $(cat err.txt)"
expect_eq "the change committed into the domain's disk" "committed" \
  "$(drydock cat --format raw -a rw.img /etc/motd 2>/dev/null)"
echo "$(basename "$0"): OK"
