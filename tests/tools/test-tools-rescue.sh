#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock rescue, the shell in the appliance, on copies of debian.img:
#  - a script on standard input: its output and errors, its exit status
#    as the command's; with -i the guest is under /sysroot and what the
#    shell changed is committed; with --ro (and -m) it is discarded and
#    the image is byte-identical; the appliance's tools (busybox
#    applets, lvm and its commands, mkfs.ext4, fsck.ext4) are on the
#    PATH; 4 MB through cat, both ways at once;
#  - --suggest: the mount commands inspection finds, which, run as the
#    shell's script, mount the guest; a guest's mountpoint with shell
#    syntax in it is quoted (it mounts, and runs nothing);
#  - --scratch=2, --smp, --memsize and --network: the scratch disks
#    (one made ext4 and mounted), CPUs, memory and network interface
#    the shell sees;
#  - at a terminal (pty-drive.py): the banner and prompt, the
#    terminal's size (and its change), the escape key's help, i (inspection), ^] ^] (a
#    literal ^]), u (guest remounted read-only), the exit status; ^] q
#    quits with nothing written; -e none passes ^] to the shell.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 python3

cd "$scratch"
img=$(scratch_copy "$(guest debian.img)")
drive="$DRYDOCK_TESTS_SRCDIR/shell/pty-drive.py"
I=(--format raw -a "$img")

# A script, -i: the guest mounted, a change committed, status 7.
cat > script <<'EOF2'
cat /sysroot/etc/hostname
echo rescued > /sysroot/etc/hostname
ls /sysroot/etc/nonexistent
mount | grep -c ' /sysroot '
type lvm lvs mkfs.ext4 fsck.ext4 | sed 's/ is .*//'
exit 7
EOF2
rc=0
drydock rescue "${I[@]}" -i < script > out 2>&1 || rc=$?
expect_eq "the script's status" 7 "$rc"
expect_eq "the script's output" "debian-guest
ls: /sysroot/etc/nonexistent: No such file or directory
1
lvm
lvs
mkfs.ext4
fsck.ext4" "$(cat out)"
expect_eq "committed" rescued "$(drydock cat "${I[@]}" /etc/hostname)"

# --ro, -m: mounted read-only; remounted read-write by hand, the
# change is discarded all the same, the image byte-identical; status 0.
keep_sums "$img"
cat > script <<'EOF2'
echo ro > /sysroot/etc/hostname
mount -o remount,rw /sysroot && echo ro > /sysroot/etc/hostname
cat /sysroot/etc/hostname
EOF2
drydock rescue --ro "${I[@]}" -m /dev/sda1 < script > out 2>&1 ||
  fail "--ro: $(cat out)"
expect_eq "--ro output" "sh: can't create /sysroot/etc/hostname: Read-only file system
ro" "$(cat out)"
sums_unchanged

# --suggest, and its commands as the script: the guest mounted.
drydock rescue --suggest "${I[@]}" > suggest 2> err || fail "--suggest: $(cat err)"
expect_eq "--suggest" "Inspecting the disk images ...

The disks hold one or more operating systems.  These commands, typed at
the rescue prompt, mount their filesystems under /sysroot:

# /dev/sda1 is the root of a linux operating system
# type: linux, distro: debian, version: 12.5
# 12.5

mount /dev/sda1 /sysroot/
mount --rbind /dev /sysroot/dev
mount --rbind /proc /sysroot/proc
mount --rbind /sys /sysroot/sys" "$(cat suggest)"
{ grep '^mount' suggest; echo 'cat /sysroot/etc/hostname'; } > script
drydock rescue --ro "${I[@]}" < script > out 2>&1 || fail "suggested: $(cat out)"
expect_eq "the suggested mounts" rescued "$(cat out)"
sums_unchanged

# A stream both ways at once (4 MB through cat: more than every buffer
# on the way holds) neither blocks nor loses its end.
{ echo cat; head -c 3000000 /dev/urandom | base64; } > script
drydock rescue --ro "${I[@]}" < script > out 2>&1 || true
# (The shell reads ahead: what it took before cat ran, it runs as
# commands after it, which fail.)
grep -qxF -- "$(tail -1 script)" out || fail "the stream's end is lost"
[ "$(wc -c < out)" -gt 4000000 ] || fail "the stream is short: $(wc -c < out)"

# A guest's mountpoint is a shell word in the suggestion, whatever it
# holds: quoted, it mounts there.
evil=$scratch/evil.img
cp --sparse=always "$(guest debian.img)" "$evil"
drydock shell --format raw -a "$evil" -i > /dev/null <<'EOF2' || fail "evil.img"
write-append /etc/fstab "/dev/sda1 /srv/a;touch${IFS}/x ext4 defaults 0 0\n"
mkdir-p "/srv/a;touch${IFS}/x"
EOF2
drydock rescue --suggest --format raw -a "$evil" > suggest || fail "--suggest"
grep -qFx "mount /dev/sda1 '/sysroot/srv/a;touch\${IFS}/x'" suggest ||
  fail "the mountpoint is not quoted: $(grep ^mount suggest)"
{ grep '^mount /dev' suggest; echo 'ls /x 2>&1; mount | grep -c /sysroot'; } > script
drydock rescue --ro --format raw -a "$evil" < script > out 2>&1 ||
  fail "the quoted mounts: $(cat out)"
expect_eq "the quoted mounts" "ls: /x: No such file or directory
2" "$(cat out)"

# Scratch disks (10G each), CPUs, memory, network.
printf 'cat /sys/block/sdb/size /sys/block/sdc/size\nnproc\n%s\n%s\n%s\n' \
  "awk '/MemTotal/ { print (\$2 > 550000 && \$2 < 655360) }' /proc/meminfo" \
  'ls /sys/class/net | grep -c eth' \
  'mkfs.ext4 -q /dev/sdc && mount /dev/sdc /sysroot && echo mounted' > script
drydock rescue --ro "${I[@]}" --scratch=2 --smp 2 --memsize 640 --network \
  < script > out 2>&1 || fail "scratch: $(cat out)"
expect_eq "scratch, smp, memsize, network" "20971520
20971520
2
1
1
mounted" "$(cat out)"
sums_unchanged
ls "${TMPDIR:-/tmp}" | grep -q "^drydock-rescue" &&
  fail "a scratch directory was left in ${TMPDIR:-/tmp}"

# At a terminal.
cat > keys <<'EOF2'
expect escape key\s+is \^\]
expect ><rescue> 
send stty size\r
expect 30 100
resize 40 120
# busybox asks where the cursor is after a resize, and would take
# keys typed before the answer for it: type after the question.
expect \x1b\[6n
send stty size\r
expect 40 120
send \x1dh
expect \^\]\s+send \^\] itself
send \x1di
expect Root device: /dev/sda1
expect Distro: debian
send read v; echo "$v" | od -An -c\r
send a\x1d\x1db\r
expect a 035 +b
send echo ok > /sysroot/ok; cat /sysroot/ok; echo $((40+2))\r
expect \n42
send \x1du
send echo x > /sysroot/x\r
expect Read-only file system
send exit 5\r
eof
EOF2
rc=0
PTY_TRANSCRIPT=transcript python3 "$drive" -t 120 -e TERM=xterm -e COLUMNS=100 \
  -e LINES=30 -- sh -c 'stty rows 30 cols 100; exec drydock rescue "$@"' sh \
  "${I[@]}" -i < keys || rc=$?
expect_eq "the terminal's status" 5 "$rc"
expect_eq "/ok written" ok "$(drydock cat "${I[@]}" /ok)"

# ^] q: the shell is hung up, nothing written, status 1.
keep_sums "$img"
cat > keys <<'EOF2'
expect ><rescue> 
send echo q > /sysroot/q; sync\r
send \x1dq
eof
EOF2
rc=0
python3 "$drive" -t 120 -- drydock rescue "${I[@]}" -i < keys > /dev/null || rc=$?
expect_eq "^] q's status" 1 "$rc"
sums_unchanged

# -e none: ^] reaches the shell; -q: no banner.
cat > keys <<'EOF2'
expect ><rescue> 
send read v; echo "$v" | od -An -c\r
send \x1dq\r
expect 035 +q
send exit\r
eof
EOF2
PTY_TRANSCRIPT=transcript python3 "$drive" -t 120 -- drydock rescue -q -e none \
  --ro "${I[@]}" < keys > /dev/null || fail "-e none: $(cat transcript)"
grep -q "escape key" transcript && fail "-q printed the banner"
sums_unchanged
echo "test-tools-rescue.sh: ok"
