#!/bin/bash -
# drydock customize's package operations on a real Debian 12 guest,
# through the network (make check-slow; root, debootstrap and the
# network of a Debian mirror are needed, else it skips; make check
# skips it):
#  - the guest is debootstrapped (minbase) on the host and put on an
#    ext4 disk image with mkfs.ext4 -d (debootstrap-lib.sh); the image
#    is cached in the build tree (tests/data/guests/
#    debootstrap-bookworm.img) and rebuilt when the recipe below changes;
#  - as in a cloud image, its /etc/resolv.conf is a symlink to a file
#    that does not exist in the image, and apt's package lists are
#    removed, so an install works only if apt-get update ran and the
#    appliance's resolver stood in for the guest's;
#  - on a copy: --install sl (the network by default), then --update;
#    dpkg's status says sl is installed, its program is there, the
#    guest's resolv.conf is the symlink it was and /tmp holds only the
#    log of the commands.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/debootstrap-lib.sh"

# What the cached image is made of; a change rebuilds it.
RECIPE="debootstrap --variant=minbase bookworm; resolv.conf -> stub; no apt lists; ext4 2G; v1"
debootstrap_guest debootstrap-bookworm.img 2G "" "$RECIPE"
cache=$DEBOOTSTRAP_IMAGE

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
# /tmp: only the log of the guest commands, kept as virt-customize
# keeps it (nothing of the resolver's).
expect_eq "sl's program, the guest's resolv.conf, /tmp" "true
../run/systemd/resolve/stub-resolv.conf
builder.log" "$(tail -n 3 out)"
echo "$(basename "$0"): --install sl ${t_install}s, --update ${t_update}s"
exit 0
