#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input gets a one-line error naming the thing and the reason, a
# non-zero exit, and no hang (every run is bounded by timeout):
#  - on the host, before or during launch: a missing image, a directory,
#    the wrong format, an unknown format (these four refused by the tool
#    layer, as in every tool), a qcow2 whose backing file is
#    gone, qemu missing (DRYDOCK_QEMU), the kernel missing or not a
#    kernel (a wrapper passes --kernel to the appliance builder, with a
#    private DRYDOCK_CACHEDIR);
#  - in one launch, each command prefixed by '-' so the script goes on: an
#    action before 'run', an unknown command, wrong argument counts, a
#    guest path that does not exist, a relative path, absent devices, a
#    word that is not a device name, an argument over the 4 MiB message
#    limit; the session must still work afterwards, and a last failing
#    command without '-' makes the exit status non-zero.
# The source image is never changed and no temporary file is left.
. "$(dirname "$0")/../functions.sh"
requires qemu-img timeout

img=$(guest debian.img)
img_sha=$(sha "$img")
mkdir "$scratch/tmp" "$scratch/dir"
export TMPDIR="$scratch/tmp"
cd "$scratch"

# one_error WHAT PATTERN CMD...: CMD fails within 120 s, with exactly one
# line on stderr, matching PATTERN (grep -E).
one_error ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  timeout -s KILL 120 "$@" > out 2> err < /dev/null || rc=$?
  [ "$rc" -ne 137 ] || fail "$what: hung (killed after 120 s)"
  [ "$rc" -ne 0 ] || fail "$what: expected a failure, got success"
  [ "$(wc -l < err)" -eq 1 ] || fail "$what: not one line: $(cat err)"
  grep -Eq -- "$pattern" err || fail "$what: error did not match /$pattern/: $(cat err)"
  [ -z "$(ls -A "$TMPDIR")" ] || fail "$what: left $(ls -A "$TMPDIR")"
}

# Host side: each fails before the appliance boots.
one_error "missing image" "^drydock shell: 'nope\.img': No such file or directory$" \
  drydock shell --ro --format raw -a nope.img run
one_error "directory as image" "^drydock shell: 'dir': not a regular file or block device$" \
  drydock shell --ro --format raw -a dir run
one_error "raw image as qcow2" "debian\.img': format qcow2 was given but the image is raw$" \
  drydock shell --ro --format qcow2 -a "$img" run
one_error "unknown format" "^drydock shell: --format 'vmdk9': unsupported format \(use raw, qcow2, .* or ova\)$" \
  drydock shell --ro --format vmdk9 -a "$img" run
qemu-img create -q -u -f qcow2 -F raw -b "$scratch/gone.img" orphan.qcow2 128M
one_error "missing backing file" \
  "orphan\.qcow2: .*'$scratch/gone\.img': No such file or directory" \
  drydock shell --ro --format qcow2 -a orphan.qcow2 run
one_error "qemu missing" "qemu /nonexistent: No such file or directory" \
  env DRYDOCK_QEMU=/nonexistent drydock shell --ro --format raw -a "$img" run

# The kernel: the real builder, told to use another one.
printf '#!/bin/sh\nexec "%s" --kernel "$KERNEL" "$@"\n' \
  "$DRYDOCK_MAKE_APPLIANCE" > make-appliance
chmod +x make-appliance
echo "not a kernel" > not-a-kernel
kernel_error ()
{
  one_error "kernel $1" "$2" env DRYDOCK_MAKE_APPLIANCE="$scratch/make-appliance" \
    DRYDOCK_CACHEDIR="$scratch/cache" KERNEL="$1" \
    drydock shell --ro --format raw -a "$img" run
}
kernel_error /nonexistent "appliance: .*/nonexistent: No such file or directory"
kernel_error "$scratch/not-a-kernel" "appliance: .*/not-a-kernel: not a Linux bzImage kernel"
if [ "$(id -u)" -ne 0 ]; then
  : > unreadable; chmod 000 unreadable
  kernel_error "$scratch/unreadable" "appliance: .*/unreadable: Permission denied"
fi

# In the appliance: one launch.  Each entry is "COMMAND<TAB>PATTERN";
# @BIG@ stands for an argument of 4 MiB and a bit.
cases=(
  "-cat /etc/hostname	cat: call launch before using this function"
  "run"
  "-frobnicate /etc	unknown command 'frobnicate'"
  "-cat	cat: expects 1 argument\(s\), got 0"
  "-mount /dev/sda1 / extra	mount: expects 2 argument\(s\), got 3"
  "mount-ro /dev/sda1 /"
  "-cat /no/such/file	cat: /no/such/file: No such file or directory"
  "-ls /no/such/dir	ls: /no/such/dir: No such file or directory"
  "-cat etc/hostname	cat: .*path must be absolute: 'etc/hostname'"
  "-mount /dev/sdz /mnt	mount: /dev/sdz: no such device"
  "-mount /dev/sda9 /mnt	mount: /dev/sda9: no such device"
  "-blockdev-getsize64 /dev/sdz	blockdev_getsize64: /dev/sdz: no such device"
  "-mount sda1 /mnt	mount: sda1: not a device name"
  "-vfs-type /etc/passwd	vfs_type: /etc/passwd: not a device name"
  "-write /big @BIG@	write: arguments too large for the protocol \(limit 4194304 bytes\)"
  "cat /etc/hostname"
  "cat /still/missing	cat: /still/missing: No such file or directory"
  "echo not reached"
)
: > script; : > expected
for c in "${cases[@]}"; do
  cmd=${c%%	*}
  if [[ "$cmd" == *@BIG@* ]]; then
    { printf '%s' "${cmd%@BIG@*}"
      head -c $((4 * 1024 * 1024 + 16)) /dev/zero | tr '\0' x
      echo; } >> script
  else
    printf '%s\n' "$cmd" >> script
  fi
  [ "${c#*	}" = "$c" ] || printf '%s\n' "${c#*	}" >> expected
done

rc=0
timeout -s KILL 120 drydock shell --ro --format raw -a "$img" -f script \
  > out 2> err || rc=$?
[ "$rc" -ne 137 ] || fail "the in-appliance errors hung (killed after 120 s)"
[ "$rc" -ne 0 ] || fail "a failing last command did not make the exit status non-zero"
expect_eq "error lines" "$(wc -l < expected)" "$(wc -l < err)"
while IFS= read -r pattern <&3 && IFS= read -r line <&4; do
  [[ "$line" =~ ^"drydock shell: "$pattern ]] ||
    fail "error line did not match /$pattern/: $line"
done 3< expected 4< err
expect_eq "output (the session works after its errors)" "debian-guest" "$(cat out)"
expect_eq "source image" "$img_sha" "$(sha "$img")"
expect_eq "temporary files left" "" "$(ls -A "$TMPDIR")"
