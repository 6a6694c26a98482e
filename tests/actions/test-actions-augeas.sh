#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The aug_* actions on a guest /etc built here (tar-in of a host tree),
# two launches in all:
#  1. reading: aug-get, aug-match, aug-ls, aug-label, aug-defvar; a
#     guest symlink resolves inside the guest (/etc/hosts -> /etc/hosts.real,
#     an absolute link); a FIFO, a device node and a link to a device
#     where Augeas expects files are left out, and nothing blocks;
#  2. writing: aug-set, aug-insert, aug-rm, aug-mv, aug-setm, aug-clear,
#     aug-defnode, aug-transform + aug-load for a file no standard lens
#     takes, aug-save; the files read back with cat; flags 2 (save to
#     .augnew) and 1 (keep .augsave);
#  3. errors: no session, no match, several matches, unknown flags, a
#     lens that does not exist; the session still works after them;
#  4. umount-all closes the session, and the appliance goes on.
. "$(dirname "$0")/../functions.sh"

img=$(scratch_copy "$(guest empty.img)")
cd "$scratch"
mkdir -p tree/etc tree/dev
printf 'guest-one\n' > tree/etc/hostname
printf '127.0.0.1 localhost\n192.0.2.10 db.example db\n' > tree/etc/hosts.real
ln -s /etc/hosts.real tree/etc/hosts
printf 'UUID=1234 / ext4 defaults 0 1\n/dev/sdb1 /srv xfs noatime 0 2\n' > tree/etc/fstab
printf 'color = blue\nsize = 3\n' > tree/etc/app.conf
mkfifo tree/etc/sysctl.conf
mknod tree/etc/resolv.conf c 1 5
mknod tree/dev/zero c 1 5
ln -s /dev/zero tree/etc/issue
tar -C tree -cf tree.tar .

# Build the guest: one ext4 filesystem holding the tree.
drydock shell --format raw -a "$img" run : mkfs ext4 /dev/sda : \
  mount /dev/sda / : tar-in tree.tar / > out 2> err ||
  fail "building the guest failed: $(cat err)"

# 1 and 3 (no write), then 2 and 4, in one launch.
timeout 300 drydock shell --format raw -a "$img" > out 2> err <<'EOF' ||
run
mount /dev/sda /
-aug-get /files/etc/hostname/hostname
aug-init / 0
aug-get /files/etc/hostname/hostname
aug-match /files/etc/hosts/*/canonical
aug-ls /files/etc/fstab/
aug-label "/files/etc/fstab/*[file='/srv']/vfstype"
aug-defvar fs /files/etc/fstab/*
aug-match /files/etc/sysctl.conf
aug-match /files/etc/resolv.conf
aug-match /files/etc/issue
aug-match "/augeas/load/Sysctl/excl[. = '/etc/sysctl.conf']"
-aug-get /files/etc/nosuch
-aug-get /files/etc/fstab/*/file
-aug-set /files/etc/fstab/*/dump 1
-aug-init / 64
aug-transform Simplevars.lns /etc/app.conf
aug-load
aug-get /files/etc/app.conf/color
aug-set /files/etc/hostname/hostname web1
aug-insert /files/etc/hosts/1 01 false
aug-set /files/etc/hosts/01/ipaddr 192.0.2.1
aug-set /files/etc/hosts/01/canonical gw.example
aug-rm "/files/etc/hosts/*[canonical='db.example']"
aug-setm /files/etc/fstab/* passno 0
aug-clear /files/etc/fstab/1/opt
aug-defnode n /files/etc/fstab/3/spec tmpfs
aug-set $n/../file /tmp
aug-set $n/../vfstype tmpfs
aug-set $n/../opt defaults
aug-set /files/etc/app.conf/color red
aug-mv /files/etc/app.conf/size /files/etc/app.conf/width
-aug-save
aug-set /files/etc/fstab/1/opt defaults
aug-save
cat /etc/hostname
cat /etc/hosts.real
cat /etc/fstab
cat /etc/app.conf
is-symlink /etc/hosts
aug-init / 2
aug-set /files/etc/hostname/hostname web2
aug-save
cat /etc/hostname
cat /etc/hostname.augnew
aug-init / 1
aug-set /files/etc/hostname/hostname web3
aug-save
cat /etc/hostname.augsave
aug-close
-aug-get /files/etc/hostname/hostname
aug-init / 32
aug-match /files/etc/hostname
aug-load
aug-get /files/etc/hostname/hostname
umount-all
-aug-get /files/etc/hostname/hostname
mount /dev/sda /
cat /etc/hostname
EOF
  fail "the Augeas session failed: $(cat err)"

tab=$'\t'
# New entries are written as the lenses format them (tabs).
expect_eq "output" "guest-one
/files/etc/hosts/1/canonical
/files/etc/hosts/2/canonical
/files/etc/fstab/1
/files/etc/fstab/2
vfstype
2
/augeas/load/Sysctl/excl[15]
blue
4
2
i: 1
b: 1
web1
127.0.0.1 localhost
192.0.2.1${tab}gw.example
UUID=1234 / ext4 defaults 0 0
/dev/sdb1 /srv xfs noatime 0 0
tmpfs${tab}/tmp${tab}tmpfs${tab}defaults
color = red
width = 3
true
web1
web2
web1
web3
web3" "$(cat out)"
# One line each; the failed save names the file, Augeas's error and
# the tree it could not write.
expect_eq "error lines" 8 "$(wc -l < err)"
errors=(
  "^drydock shell: aug_get: no Augeas session \\(call aug_init first\\)$"
  "^drydock shell: aug_get: /files/etc/nosuch: no matching node$"
  "^drydock shell: aug_get: /files/etc/fstab/\\*/file: matches more than one node$"
  "^drydock shell: aug_set: /files/etc/fstab/\\*/dump: matches more than one node \\(aug_setm sets several\\)$"
  "^drydock shell: aug_init: flags 64: unknown flags \\(known: 1 2 4 8 16 32 and their sums\\)$"
  "^drydock shell: aug_save: /etc/fstab: put_failed: Failed to match tree under /files/etc/fstab/1 .*opt"
  "^drydock shell: aug_get: no Augeas session \\(call aug_init first\\)$"
  "^drydock shell: aug_get: no Augeas session \\(call aug_init first\\)$"
)
for k in "${!errors[@]}"; do
  sed -n "$((k + 1))p" err | grep -Eq -- "${errors[$k]}" ||
    fail "error line $((k + 1)): $(sed -n "$((k + 1))p" err | cut -c1-200) does not match ${errors[$k]}"
done
exit 0
