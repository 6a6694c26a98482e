#!/bin/bash -
# drydock customize's package operations on a real Debian 12 guest,
# through the network (make check-slow; root, debootstrap and the
# network of a Debian mirror are needed, else it skips; make check
# skips it):
#  - the guest is debootstrapped (minbase) on the host and put on an
#    ext4 disk image with mkfs.ext4 -d; the image is cached in the build
#    tree (tests/data/guests/debootstrap-bookworm.img) and rebuilt when
#    the recipe below changes;
#  - as in a cloud image, its /etc/resolv.conf is a symlink to a file
#    that does not exist in the image, and apt's package lists are
#    removed, so an install works only if apt-get update ran and the
#    appliance's resolver stood in for the guest's;
#  - on a copy: --install sl (the network by default), then --update;
#    dpkg's status says sl is installed, its program is there, and the
#    guest's resolv.conf is the symlink it was.
. "$(dirname "$0")/../functions.sh"

[ "${DRYDOCK_TEST_SLOW:-0}" = 1 ] ||
  skip "minutes of downloads and emulation: run by make check-slow"
requires qemu-img qemu-system-x86_64 debootstrap mkfs.ext4 flock
[ "$(id -u)" = 0 ] || skip "debootstrap needs root"

MIRROR=${DRYDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the cached image is made of; a change rebuilds it.
RECIPE="debootstrap --variant=minbase bookworm; resolv.conf -> stub; no apt lists; ext4 2G; v1"
cache="$GUESTS/debootstrap-bookworm.img"
stamp="$GUESTS/.debootstrap-bookworm.img.stamp"

build_image ()
{
  local tree="$scratch/tree" tmp="$GUESTS/.tmp.debootstrap-bookworm.img"

  echo "$(basename "$0"): debootstrapping Debian 12 from $MIRROR (cached afterwards)"
  debootstrap --variant=minbase bookworm "$tree" "$MIRROR" \
    > "$scratch/debootstrap.log" 2>&1 || {
    tail -n 5 "$scratch/debootstrap.log"
    skip "debootstrap from $MIRROR failed (no network?)"
  }
  ln -sfn ../run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
  rm -f "$tree"/var/lib/apt/lists/*_*
  echo bookworm-guest > "$tree/etc/hostname"
  echo "LABEL=root / ext4 defaults 0 1" > "$tree/etc/fstab"
  rm -f "$tmp"
  truncate -s 2G "$tmp"
  mkfs.ext4 -q -F -L root -d "$tree" "$tmp" || fail "mkfs.ext4 -d failed"
  mv "$tmp" "$cache"
  echo "$RECIPE" > "$stamp"
}

mkdir -p "$GUESTS"
exec 9> "$GUESTS/.debootstrap.lock"
flock 9
if [ ! -f "$cache" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$RECIPE" ]; then
  build_image
fi
flock -u 9

cd "$scratch"
img=$(scratch_copy "$cache")
start=$(date +%s)
drydock customize -q --format raw -a "$img" --install sl > out 2> err ||
  fail "--install sl failed: $(cat err)"
t_install=$(( $(date +%s) - start ))
start=$(date +%s)
drydock customize -q --format raw -a "$img" --update > out 2> err ||
  fail "--update failed: $(cat err)"
t_update=$(( $(date +%s) - start ))

drydock shell --ro --format raw -a "$img" -i > out 2> err <<'END' ||
cat /var/lib/dpkg/status
is_file /usr/games/sl
readlink /etc/resolv.conf
ls /tmp
END
  fail "reading back: $(cat err)"
status=$(awk '/^Package: /{p=$2} /^Status: /{if (p=="sl") print $0}' out)
expect_eq "sl in dpkg's status" "Status: install ok installed" "$status"
expect_eq "sl's program, the guest's resolv.conf, /tmp" "true
../run/systemd/resolve/stub-resolv.conf" "$(tail -n 2 out)"
echo "$(basename "$0"): --install sl ${t_install}s, --update ${t_update}s"
exit 0
