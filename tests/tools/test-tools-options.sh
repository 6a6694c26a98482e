#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The tool layer (common/options): the shared options behave the same in
# drydock shell, inspect and sparsify.
#  - without an appliance: a missing image, a directory, an unknown
#    --format, --format qcow2 on a raw image, a probed vmdk, an
#    unreadable image (not as root), an unknown option, a malformed
#    --key and a missing key file each give one line, identical in the
#    three tools but for the program name, exit 1 and nothing on stdout;
#    --format applies to the -a options after it only (--format alone
#    and --format auto go back to probing), as the trace of add_drive
#    shows in the shell and inspect (whose launch fails at once without
#    qemu) and sparsify (whose input is an argument);
#    --short-options and --long-options list exactly each tool's
#    options, one a line; -V prints the tool and the version; --help
#    (and -h, 'drydock help TOOL') exit 0 with the usage on stdout;
#  - with the appliance, on a LUKS volume made here: the shell mounts
#    it with --key and with --keys-from-stdin (-m), and a wrong key is
#    the same line in the three tools; the image never changes.
. "$(dirname "$0")/../functions.sh"
requires qemu-img

cd "$scratch"
mkdir dir tmp
export TMPDIR="$scratch/tmp"
truncate -s 1M raw.img raw2.img
qemu-img create -q -f qcow2 disk.qcow2 1M
qemu-img create -q -f vmdk disk.vmdk 1M
TOOLS="shell inspect sparsify"

# one_line TOOL ARGS...: drydock TOOL ARGS fails (exit 1) with one line
# "drydock TOOL: MESSAGE" on stderr and nothing on stdout; prints
# MESSAGE.
one_line ()
{
  local tool=$1 rc=0 line
  shift
  drydock "$tool" "$@" > out 2> err < /dev/null || rc=$?
  [ "$rc" -eq 1 ] || fail "drydock $tool $*: exit $rc: $(cat err)"
  [ ! -s out ] || fail "drydock $tool $*: stdout: $(cat out)"
  [ "$(wc -l < err)" -eq 1 ] || fail "drydock $tool $*: not one line: $(cat err)"
  line=$(cat err)
  [[ "$line" == "drydock $tool: "* ]] ||
    fail "drydock $tool $*: not the tool's name: $line"
  echo "${line#"drydock $tool: "}"
}

# same WHAT EXPECTED ARGS...: each tool fails with EXPECTED given ARGS,
# where @A@ stands for "-a" in the shell and inspect and for nothing in
# sparsify, which takes its input as an argument (and an OUT after it).
same ()
{
  local what=$1 want=$2 tool arg args
  shift 2
  for tool in $TOOLS; do
    args=()
    for arg in "$@"; do
      if [ "$arg" = @A@ ]; then
        [ "$tool" = sparsify ] || args+=(-a)
      else
        args+=("$arg")
      fi
    done
    [ "$tool" != sparsify ] || args+=(out.img)
    expect_eq "$what ($tool)" "$want" "$(one_line "$tool" "${args[@]}")"
  done
}

same "missing image" "'missing.img': No such file or directory" @A@ missing.img
same "directory" "'dir': not a regular file or block device" \
  --format raw @A@ dir
fmts="raw, qcow2, qcow, vmdk, vdi, vhdx, vpc, qed, dmg, parallels, luks or ova"
same "unknown --format" "--format 'vmdk9': unsupported format (use $fmts)" \
  --format vmdk9 @A@ raw.img
same "--format vmdk9=" "--format 'vmdk9': unsupported format (use $fmts)" \
  --format=vmdk9 @A@ raw.img
same "raw image as qcow2" "'raw.img': format qcow2 was given but the image is raw" \
  --format qcow2 @A@ raw.img
same "vmdk as vdi" "'disk.vmdk': format vdi was given but the image is vmdk" \
  --format vdi @A@ disk.vmdk
same "malformed --key" "--key: expected DEVICE:key:PASSPHRASE or DEVICE:file:FILENAME (DEVICE: /dev/sdXN, /dev/VG/LV, the LUKS UUID or all)" \
  --key /dev/sda1:secret @A@ raw.img
same "missing key file" "--key: 'nope.key': No such file or directory" \
  --key all:file:nope.key @A@ raw.img
if [ "$(id -u)" -ne 0 ]; then
  cp raw.img locked.img
  chmod 000 locked.img
  same "unreadable image" "'locked.img': Permission denied" \
    --format raw @A@ locked.img
fi
for tool in $TOOLS; do
  expect_eq "unknown option ($tool)" \
    "unknown option '--bogus' (try 'drydock $tool --help')" \
    "$(one_line "$tool" --bogus)"
done
expect_eq "-i with -m" "-i and -m exclude each other (-i mounts what the inspection finds)" \
  "$(one_line shell -i -m /dev/sda1 -a raw.img)"
expect_eq "relative -m mountpoint" "-m '/dev/sda1:boot': the mountpoint 'boot' is not an absolute path" \
  "$(one_line shell -m /dev/sda1:boot -a raw.img)"

# --format applies to the -a after it, until the next --format.
formats ()
{
  grep -o 'trace: add_drive "[^"]*"\( format:"[a-z0-9]*"\)\?' "$1" |
    sed 's/^trace: add_drive //' | tr '\n' ' '
}
drydock shell -x --ro -a raw.img --format qcow2 -a disk.qcow2 --format \
  -a raw2.img --format=raw -a raw.img -a raw2.img --format auto \
  -a disk.qcow2 < /dev/null > out 2> err || fail "shell -x: $(cat err)"
expect_eq "formats of the shell's drives" \
  '"raw.img" "disk.qcow2" format:"qcow2" "raw2.img" "raw.img" format:"raw" "raw2.img" format:"raw" "disk.qcow2" ' \
  "$(formats err)"
rc=0
DRYDOCK_QEMU=/nonexistent drydock inspect -x -a disk.qcow2 --format raw \
  -a raw.img > out 2> err || rc=$?
expect_eq "inspect without qemu: exit" 1 "$rc"
expect_eq "formats of inspect's drives" '"disk.qcow2" "raw.img" format:"raw" ' \
  "$(formats err)"
rc=0
DRYDOCK_QEMU=/nonexistent drydock sparsify -x raw.img --format raw out.img \
  > out 2> err || rc=$?
expect_eq "sparsify without qemu: exit" 1 "$rc"
expect_eq "the format of sparsify's input" '"raw.img" format:"raw" ' \
  "$(formats err)"
[ ! -e out.img ] || fail "sparsify without qemu wrote an output"

# The option lists, one a line, exactly the tool's.
shared_short="-V -h -q -v -x"
shared_long="--echo-keys --help --key --keys-from-stdin --quiet --trace --untrusted --verbose --version"
lists ()
{
  drydock "$1" --short-options > short || fail "$1 --short-options failed"
  drydock "$1" --long-options > long || fail "$1 --long-options failed"
  grep -Evq '^-[A-Za-z]$' short && fail "$1: a bad short option line: $(cat short)"
  grep -Evq '^--[a-z][a-z-]+$' long && fail "$1: a bad long option line: $(cat long)"
  expect_eq "$1 --short-options" "$(echo $2 | tr ' ' '\n' | LC_ALL=C sort)" \
    "$(LC_ALL=C sort short)"
  expect_eq "$1 --long-options" "$(echo $3 | tr ' ' '\n' | LC_ALL=C sort)" \
    "$(LC_ALL=C sort long)"
}
lists shell "$shared_short -N -a -c -d -e -f -i -m -n -r -w" \
  "$shared_long --add --cmd-help --color --connect --domain --csh --echo-commands --file --format --inspector --listen --mount --network --new --no-color --no-dest-paths --no-progress-bars --no-sync --output-overlay --pipe-error --progress-bars --remote --remote-commit --ro --rw"
lists inspect "$shared_short -a -c -d" \
  "$shared_long --add --connect --domain --format --json --no-applications --no-icon --remote-commit --xml --xpath"
lists sparsify "$shared_short" \
  "$shared_long --compress --convert --format --in-place --json --output-overlay --tmp"

version=$(drydock --version | cut -d' ' -f2)
[ -n "$version" ] || fail "drydock --version printed no version"
expect_eq "drydock version" "drydock $version" "$(drydock version)"
for tool in $TOOLS; do
  expect_eq "$tool -V" "drydock $tool $version" "$(drydock "$tool" -V)"
  expect_eq "$tool --version" "drydock $tool $version" "$(drydock "$tool" --version)"
  drydock "$tool" --help > help 2> err || fail "$tool --help: exit $?"
  [ ! -s err ] || fail "$tool --help wrote on stderr: $(cat err)"
  grep -q "^Usage: drydock $tool " help || fail "$tool --help: no usage"
  for opt in --format --key --verbose --short-options; do
    grep -q -- "$opt" help || fail "$tool --help does not describe $opt"
  done
  drydock help "$tool" > h2 || fail "drydock help $tool: exit $?"
  cmp -s help h2 || fail "$tool: 'drydock help' differs from --help"
  drydock "$tool" -h > h || fail "$tool -h: exit $?"
  # The shell's -h lists its commands, as guestfish's.
  if [ "$tool" = shell ]; then
    grep -q '^mount  *mount a filesystem$' h || fail "shell -h lists no commands"
  else
    cmp -s help h || fail "$tool: -h differs from --help"
  fi
done
drydock --help > help || fail "drydock --help: exit $?"
for tool in $TOOLS; do
  grep -q "^  $tool " help || fail "drydock --help does not list $tool"
done

# With the appliance: a LUKS1 volume holding ext4 with one file and a
# Debian-like /etc, which inspection finds once the volume is open.
truncate -s 32M luks.img
drydock shell --format raw -a luks.img > out 2> err <<'EOF2' ||
run
part-disk /dev/sda mbr
luks-format /dev/sda1 right-key 0 type:luks1
cryptsetup-open /dev/sda1 right-key c
mkfs ext4 /dev/mapper/c
mount /dev/mapper/c /
write /hello "hello from inside"
mkdir-p /etc
write /etc/os-release "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
write /etc/debian_version "12.5\n"
write /etc/hostname "encrypted-guest\n"
mkdir-p /usr/bin
umount-all
cryptsetup-close /dev/mapper/c
EOF2
  fail "cannot make the LUKS image: $(cat err)"
sum=$(sha luks.img)

expect_eq "shell --key -m" "hello from inside" \
  "$(drydock shell --ro --format raw -a luks.img --key /dev/sda1:key:right-key \
       -m /dev/mapper/luks-sda1 cat /hello)"
expect_eq "shell --keys-from-stdin -m" "hello from inside" \
  "$(echo right-key | drydock shell --ro --format raw -a luks.img \
       --keys-from-stdin -m /dev/mapper/luks-sda1:/:noload cat /hello)"
wrong="/dev/sda1: wrong key: the --key given for it opens none of its key slots"
expect_eq "wrong key (shell)" "$wrong" \
  "$(one_line shell --ro --format raw -a luks.img --key all:key:wrong-key -m /dev/mapper/luks-sda1)"
inspect_out=$(drydock inspect --format raw -a luks.img --key /dev/sda1:key:right-key --json) ||
  fail "inspect with --key failed"
expect_eq "inspect with --key: root, distro, host name" \
  "/dev/mapper/luks-sda1 debian encrypted-guest" \
  "$(echo "$inspect_out" | python3 -c 'import json, sys
o = json.load(sys.stdin)["operatingsystems"]
print(" ".join(x for r in o for x in (r["root"], r["distro"], r["hostname"])))')"
expect_eq "wrong key (inspect)" "$wrong" \
  "$(one_line inspect --format raw -a luks.img --key all:key:wrong-key)"
expect_eq "wrong key (sparsify)" "$wrong" \
  "$(one_line sparsify -q --format raw --key all:key:wrong-key luks.img out.img)"
[ ! -e out.img ] || fail "sparsify with a wrong key wrote an output"
expect_eq "the LUKS image" "$sum" "$(sha luks.img)"
expect_eq "temporary files left" "" "$(ls -A tmp)"
