# Shared by the check-slow tests that need a real Debian guest: sourced
# after functions.sh, never run.
#
#   debootstrap_guest NAME SIZE INCLUDE RECIPE
#
# sets DEBOOTSTRAP_IMAGE to the path of a Debian 12 guest image, debootstrapped (minbase,
# plus the comma-separated packages INCLUDE, if any) on the host and put
# on an ext4 filesystem of SIZE (truncate's units) labelled "root" with
# mkfs.ext4 -d, as a cloud image would be: its /etc/resolv.conf a
# symlink to a file the image lacks, no apt package lists, /etc/fstab
# naming / by LABEL=root.  The image is cached as
# tests/data/guests/NAME, and rebuilt when RECIPE (a text naming all of
# the above) changes.  Skips the test when root, debootstrap or the
# mirror (DRYDOCK_DEBIAN_MIRROR, deb.debian.org by default) is missing.

[ "${DRYDOCK_TEST_SLOW:-0}" = 1 ] ||
  skip "minutes of downloads and emulation: run by make check-slow"
requires qemu-img qemu-system-x86_64 debootstrap mkfs.ext4 flock
[ "$(id -u)" = 0 ] || skip "debootstrap needs root"

MIRROR=${DRYDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# build_debootstrap_image NAME SIZE INCLUDE RECIPE
build_debootstrap_image ()
{
  local tree="$scratch/tree" tmp="$GUESTS/.tmp.$1"

  echo "$(basename "$0"): debootstrapping Debian 12 ${3:+with $3 }from $MIRROR (cached afterwards)"
  rm -rf "$tree"
  debootstrap --variant=minbase ${3:+--include="$3"} bookworm "$tree" \
    "$MIRROR" > "$scratch/debootstrap.log" 2>&1 || {
    tail -n 5 "$scratch/debootstrap.log"
    skip "debootstrap from $MIRROR failed (no network?)"
  }
  ln -sfn ../run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
  rm -f "$tree"/var/lib/apt/lists/*_*
  echo bookworm-guest > "$tree/etc/hostname"
  echo "LABEL=root / ext4 defaults 0 1" > "$tree/etc/fstab"
  rm -f "$tmp"
  truncate -s "$2" "$tmp"
  mkfs.ext4 -q -F -L root -d "$tree" "$tmp" || fail "mkfs.ext4 -d failed"
  rm -rf "$tree"
  mv "$tmp" "$GUESTS/$1"
  echo "$4" > "$GUESTS/.$1.stamp"
}

debootstrap_guest ()
{
  mkdir -p "$GUESTS"
  exec 9> "$GUESTS/.debootstrap.lock"
  flock 9
  if [ ! -f "$GUESTS/$1" ] ||
     [ "$(cat "$GUESTS/.$1.stamp" 2>/dev/null)" != "$4" ]; then
    build_debootstrap_image "$@"
  fi
  flock -u 9
  exec 9>&-
  DEBOOTSTRAP_IMAGE=$GUESTS/$1
}
