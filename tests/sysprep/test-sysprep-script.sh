#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The script operation (--script, --scriptdir) on a copy of debian.img,
# as virt-sysprep's: each script runs on the host with its working
# directory at the guest's root, served there by a FUSE mount:
#  - two scripts in order: the first removes etc/hostname and writes
#    root/marker and its working directory, the second sees the marker;
#    read back with the shell;
#  - --scriptdir: the working directory is that directory, empty and
#    unmounted again afterwards;
#  - a failing script: exit 1, one line naming it, the image
#    byte-identical (its predecessors' changes are not kept either);
#  - --operations without script: --script does nothing.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 fusermount3
[ -c /dev/fuse ] || skip "no /dev/fuse"

cd "$scratch"
img=$(scratch_copy "$(guest debian.img)")
sp=(drydock sysprep -q --format raw -a "$img")

"${sp[@]}" --operations script \
  --script 'rm etc/hostname && echo marker > root/marker && pwd > root/pwd' \
  --script 'test "$(cat root/marker)" = marker && ls etc > root/etc.list' \
  2> err || fail "sysprep --script: $(cat err)"
[ ! -s err ] || fail "sysprep --script printed: $(cat err)"
ro_shell "$img" <<'CMDS'
run
mount /dev/sda1 /
exists /etc/hostname
cat /root/marker
cat /root/pwd
cat /root/etc.list
CMDS
no_errors
{
  read -r exists; read -r marker; read -r pwd
} < out
expect_eq "etc/hostname removed" false "$exists"
expect_eq "root/marker" marker "$marker"
case $pwd in
  /tmp/drydock-sysprep.*) ;;
  *) fail "the script ran in '$pwd', not a temporary mount point" ;;
esac
[ ! -e "$pwd" ] || fail "the temporary mount point $pwd is left"
grep -qx passwd out || fail "the second script did not list etc: $(cat out)"

# --scriptdir: the given directory, unmounted afterwards.
mkdir dir
"${sp[@]}" --operations script --scriptdir "$scratch/dir" \
  --script 'pwd > root/pwd2' 2> err || fail "--scriptdir: $(cat err)"
expect_eq "--scriptdir unmounted and empty" "" "$(ls -A dir)"
ro_shell "$img" <<< $'run\nmount /dev/sda1 /\ncat /root/pwd2'
expect_eq "--scriptdir: the working directory" "$scratch/dir" "$(cat out)"

# A failing script: nothing is written, one line names it.
one_line_fail "a failing script" "'exit 3' failed" \
  "${sp[@]}" --operations script --script 'echo x > etc/new' --script 'exit 3'

# The script operation not enabled: --script does nothing.
"${sp[@]}" --operations machine-id --script 'echo x > etc/new2' 2> err ||
  fail "sysprep without script: $(cat err)"
ro_shell "$img" <<< $'run\nmount /dev/sda1 /\nexists /etc/new2'
expect_eq "--script without the script operation" false "$(cat out)"
