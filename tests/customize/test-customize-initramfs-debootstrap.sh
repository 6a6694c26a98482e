#!/bin/bash -
# drydock customize's initramfs operations with a real update-initramfs
# (make check-slow; root, debootstrap and the network of a Debian mirror
# are needed, else it skips; make check skips it):
#  - a Debian 12 guest is debootstrapped with linux-image-cloud-amd64
#    and initramfs-tools (debootstrap-lib.sh, cached in the build tree
#    as tests/data/guests/debootstrap-bookworm-kernel.img);
#  - on a copy, one customize run: --append-line puts dummy (a module
#    the guest's own image lacks) in /etc/initramfs-tools/modules, then
#    --virtio-linux adds the virtio modules there and runs the guest's
#    update-initramfs in the appliance (one rebuild: it takes minutes
#    under emulation), the new image checked by customize;
#  - the image, downloaded and listed on the host with gzip or zstd
#    and cpio,
#    holds dummy.ko and the virtio modules; the old one held no
#    dummy.ko; /etc/initramfs-tools/modules lists them all.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/debootstrap-lib.sh"
requires gzip zstd cpio debugfs
export PATH="$PATH:/usr/sbin:/sbin"

RECIPE="debootstrap --variant=minbase --include=linux-image-cloud-amd64,initramfs-tools bookworm; resolv.conf -> stub; no apt lists; ext4 3G; v1"
debootstrap_guest debootstrap-bookworm-kernel.img 3G \
  linux-image-cloud-amd64,initramfs-tools "$RECIPE"

cd "$scratch"
img=$(scratch_copy "$DEBOOTSTRAP_IMAGE")
v=$(debugfs -R 'ls /usr/lib/modules' "$img" 2>/dev/null | tr -s ' ' '\n' |
    grep -- '-cloud-amd64$' | head -n 1)
[ -n "$v" ] || fail "no kernel in /usr/lib/modules of the guest"

# list FILE: the names of the .ko files in the initramfs FILE: its
# compressed part (gzip or zstd, as the guest's tools have it), after
# an uncompressed early archive if there is one.
list ()
{
  local off prog
  for prog in 'gzip:\x1f\x8b\x08' 'zstd:\x28\xb5\x2f\xfd'; do
    off=$(LC_ALL=C grep -obUaP "${prog#*:}" "$1" | head -n 1 | cut -d: -f1) ||
      true
    [ -z "$off" ] || break
  done
  [ -n "$off" ] || fail "$1: neither gzip nor zstd data"
  tail -c +$((off + 1)) "$1" | "${prog%%:*}" -dc | cpio -t --quiet 2>/dev/null |
    grep '\.ko$' | sed 's,.*/,,' | sort
}
debugfs -R "dump /boot/initrd.img-$v before.img" "$img" 2>/dev/null
list before.img > before.list
! grep -qx dummy.ko before.list || fail "the guest's own image has dummy.ko"

start=$(date +%s)
drydock customize -q --format raw -a "$img" \
  --append-line /etc/initramfs-tools/modules:dummy \
  --virtio-linux > out 2> err || fail "the customize run failed: $(cat err)"
t=$(( $(date +%s) - start ))

drydock shell --ro --format raw -a "$img" -i > out 2> err <<END ||
cat /etc/initramfs-tools/modules
download /boot/initrd.img-$v $scratch/after.img
END
  fail "reading back: $(cat err)"
expect_eq "the modules file" "dummy
virtio_blk
virtio_scsi
virtio_net
virtio_pci" "$(grep -v '^#' out | grep .)"
list after.img > after.list
for m in dummy virtio_blk virtio_scsi virtio_net virtio_pci; do
  grep -qx "$m.ko" after.list || fail "$m.ko is not in the new image"
done
echo "$(basename "$0"): kernel $v, $(wc -l < after.list) modules in the image; --virtio-linux (a real rebuild) ${t}s"
exit 0
