#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# command, command-lines, sh and sh-lines on busybox.img (whose busybox
# really runs), in one launch: standard output captured exactly and
# stderr left out of it, arguments passed without a shell, the chroot
# (the guest's files, cwd /, stdin /dev/null), the appliance's /proc,
# /dev and /sys bound in while a program runs and gone afterwards,
# writes reaching the guest tree, large outputs (stdout and stderr both
# past a pipe buffer; over the protocol limit refused, never truncated),
# and the errors: nothing mounted, non-zero exit with stderr in the
# message, a missing or non-executable program, an empty argument list.
# The image must be byte-identical afterwards.
. "$(dirname "$0")/../functions.sh"

rc=0
"$DRYDOCK_TESTS_SRCDIR/data/make-guests.sh" "$GUESTS" busybox.img \
  >/dev/null 2>"$scratch/make-guests.err" || rc=$?
[ "$rc" -ne 77 ] || skip "$(cat "$scratch/make-guests.err")"
[ "$rc" -eq 0 ] || fail "cannot build busybox.img: $(cat "$scratch/make-guests.err")"
img=$(guest busybox.img)
before=$(sha "$img")

drydock shell --ro --format raw -a "$img" > "$scratch/out" 2> "$scratch/err" <<'EOF2' ||
run
-command /bin/echo
mount /dev/sda /
echo == command
command "/bin/echo hello   world"
command "/bin/echo 'hello   world'"
command-lines "/bin/ls /"
echo == sh
sh "echo out; echo err >&2"
sh "cat /etc/hostname; pwd; cat"
sh-lines "echo a; echo; echo b"
echo == binds
command "/bin/busybox grep -o console=ttyS0 /proc/cmdline"
sh "ls /dev | grep -x null; ls /sys | grep -x block"
echo == after
ls /proc
ls /dev
ls /sys
echo == writes
sh "echo made-by-sh > /tmp/x"
cat /tmp/x
echo == big
sh "busybox head -c 1000000 /dev/zero | busybox tr '\\000' x"
sh-lines "busybox seq 1 20000; busybox seq 1 20000 >&2"
echo == errors
-sh "echo partial; echo oops >&2; exit 3"
-command /bin/nope
-command ""
-command "/bin/ls /nonexistent"
-command /etc/hostname
-command "/bin/busybox head -c 5000000 /dev/zero"
echo == end
ls /proc
umount-all
-sh "echo x"
EOF2
  fail "drydock shell failed: $(cat "$scratch/err")"

# The big outputs: exactly 1000000 x then a newline; 1 to 20000.
sed -n '/^== big$/,/^== errors$/p' "$scratch/out" | sed '1d;$d' > "$scratch/big"
[ "$(head -n 1 "$scratch/big")" = "$(head -c 1000000 /dev/zero | tr '\0' x)" ] ||
  fail "sh: the 1 MB output is not 1000000 x"
tail -n +2 "$scratch/big" | cmp -s - <(seq 1 20000) ||
  fail "sh-lines: the output is not the lines 1 to 20000"
sed '/^== big$/,/^== errors$/{/^==/!d}' "$scratch/out" > "$scratch/got"

cat > "$scratch/expected" <<'EOF2'
== command
hello world
hello   world
bin
dev
etc
lost+found
proc
sys
tmp
== sh
out
busybox-guest
/
a

b
== binds
console=ttyS0
null
block
== after
== writes

made-by-sh
== big
== errors
== end
EOF2
diff -u "$scratch/expected" "$scratch/got" || fail "unexpected output"

cat > "$scratch/expected" <<'EOF2'
drydock shell: command: no guest filesystem is mounted on /
drydock shell: sh: /bin/sh: exited with status 3: oops
drydock shell: command: /bin/nope: program not found in the guest
drydock shell: command: no command given: the argument list is empty
drydock shell: command: /bin/ls: exited with status 1: ls: /nonexistent: No such file or directory
drydock shell: command: /etc/hostname: exited with status 127: /etc/hostname: Permission denied
drydock shell: command: /bin/busybox: its output is larger than the protocol limit (write it to a file in the guest and download that)
drydock shell: sh: no guest filesystem is mounted on /
EOF2
diff -u "$scratch/expected" "$scratch/err" || fail "unexpected errors"
expect_eq "source image unchanged" "$before" "$(sha "$img")"
