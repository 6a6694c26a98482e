#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock shell as a scripting tool, with guestfish's syntax: quoting and
# the escapes of double quotes, comments, numbers with size suffixes,
# '!' and '<!' host commands, "CMD | HOSTCMD" (and --pipe-error), '~',
# commands on the command line separated by ':', scripts from -f, '-'
# to tolerate an error, here-documents, help, guestfish's aliases, and
# the exit status of a failing script.
. "$(dirname "$0")/../functions.sh"

img=$(guest debian.img)

# Without a launch.  Quotes open a word only at its start; a backslash
# outside them is a character (win:\paths); every escape of double
# quotes; ~ is the host's home directory unless quoted.
out=$(HOME=/home/someone drydock shell <<'EOF2'
echo 'single  quoted' "double \"q\" \x41\102\t|\\" back\slash it's
echo "\a\b\f\v\r\n" | od -An -c
echo ~ ~/x "~" '~/y'
echo a#b # not a comment
   # a comment, and a blank line:

echo "" | wc -c
EOF2
)
expect_eq "quoting and escapes" "single  quoted double \"q\" AB	|\\ back\\slash it's
  \\a  \\b  \\f  \\v  \\r  \\n  \\n
/home/someone /home/someone/x ~ ~/y
a#b # not a comment
1" "$out"
expect_fail "unbalanced quote" "unbalanced quotes" drydock shell <<<"echo 'oops"
expect_fail "words glued to a quote" "not separated by whitespace" \
  drydock shell <<<"echo 'a'b"
for bad in '\q' '\x4' '\08' '\000' '\x00'; do
  expect_fail "escape $bad" "invalid escape sequence" \
    drydock shell <<<"echo \"$bad\""
done

# Host commands: '!' (a failure fails the script), '<!' (its output run
# as commands), pipes (whose reader may stop early, unless --pipe-error).
out=$(cd "$scratch" && drydock shell <<'EOF2'
!echo host; echo more
<! for i in 1 2 3; do echo "echo line $i"; done
echo to the pipe | tr a-z A-Z
echo "|" not a pipe
help -l | grep -c '^mount '
-!false
echo after
EOF2
)
expect_eq "host commands and pipes" "host
more
line 1
line 2
line 3
TO THE PIPE
| not a pipe
1
after" "$out"
rc=0
out=$(drydock shell <<<$'!exit 3\necho not-reached' 2>&1) || rc=$?
expect_eq "a failing host command" "1:" "$rc:$out"
rc=0
out=$(drydock shell <<<$'<! echo echo ran; exit 1\necho not-reached' 2>&1) || rc=$?
expect_eq "a failing <! command" "1:ran" "$rc:$out"
# A reader that stops early: ignored, unless --pipe-error.
drydock shell <<<'help -l | head -1' > "$scratch/out" || fail "pipe to head failed"
expect_eq "pipe to head" 1 "$(wc -l < "$scratch/out")"
# 100 KB, more than a pipe holds: the writer meets the closed pipe.
big=$(head -c 100000 /dev/zero | tr '\0' x)
drydock shell <<<"echo $big | true" || fail "a closed pipe failed the command"
expect_fail "--pipe-error" "\\|true: write error: Broken pipe" \
  drydock shell --pipe-error <<<"echo $big | true"

# Numbers: size suffixes as guestfish's (xstrtoll's), octal and hex.
# set-memsize takes an Int (checked, not used: no launch); the library's
# range error says the number it was given.
for n in 1K:1024 1k:1024 1KiB:1024 1KB:1000 2M:2097152 1MB:1000000 \
         1G:1073741824 1GiB:1073741824 0x10:16 010:8 -1:-1; do
  v=${n%%:*} want=${n#*:}
  out=$(drydock shell set-memsize "$v" : get-memsize 2>&1) || true
  case "$out" in
    "$want"|"drydock shell: set_memsize: $want: must be between"*) ;;
    *) fail "set-memsize $v: expected $want, got: $out" ;;
  esac
done
expect_fail "an unknown suffix" "size: '1Q' is not a number" \
  drydock shell truncate-size /x 1Q
expect_fail "a lower-case m" "'1m' is not a number" drydock shell set-memsize 1m
expect_fail "out of range for an Int" "'3G' is out of range" \
  drydock shell set-memsize 3G
expect_fail "out of range for an Int64" "'9E' is out of range" \
  drydock shell truncate-size /x 9E

# Help, as guestfish's: general help, -l, a command's page, aliases.
drydock shell help > "$scratch/help"
grep -q "^For the list of commands, use 'help -l'" "$scratch/help" ||
  fail "general help: $(cat "$scratch/help")"
drydock shell help -l > "$scratch/list"
grep -q '^mount  *mount a filesystem$' "$scratch/list" || fail "help -l lists mount"
grep -q "^unmount  *alias for 'umount'$" "$scratch/list" || fail "help -l lists unmount"
grep -q '^edit  *edit a file$' "$scratch/list" || fail "help -l lists edit"
drydock shell -h > "$scratch/h"
cmp -s "$scratch/list" "$scratch/h" || fail "-h is not 'help -l'"
drydock shell help tar_in > "$scratch/tar-in"
grep -q '^     tar-in TARFILE DIRECTORY \[compress:..\] \[xattrs:..\] \[selinux:..\] \[acls:..\]$' "$scratch/tar-in" ||
  fail "help tar_in shows its synopsis: $(cat "$scratch/tar-in")"
drydock shell -h add > "$scratch/add"
grep -q "^    add-drive - add a disk image" "$scratch/add" &&
  grep -q "You can use 'add' or 'add-drive-opts' as an alias" "$scratch/add" ||
  fail "-h add: $(cat "$scratch/add")"
expect_fail "unknown command" "unknown command 'frobnicate'" drydock shell frobnicate
expect_fail "help of an unknown command" "help: unknown command 'frobnicate'" \
  drydock shell help frobnicate

# guestfish's 35 aliases: each runs its target, or, when drydock has no
# such action, is refused with one line naming it.
aliases="add:add-drive add-ro:add-drive-ro allocate:alloc append:set-append
attach-method:set-attach-method autosync:set-autosync backend:set-backend
btrfs-balance:btrfs-filesystem-balance cachedir:set-cachedir direct:set-direct
domain:add-domain emacs:edit get-uuid:vfs-uuid hv:set-hv
identifier:set-identifier less:more manual:man memsize:set-memsize
network:set-network path:set-path pgroup:set-pgroup pid:get-pid
program:set-program qemu:set-qemu recovery-proc:set-recovery-proc run:launch
scratch:add-drive-scratch selinux:set-selinux smp:set-smp tmpdir:set-tmpdir
trace:set-trace unmount:umount unmount-all:umount-all verbose:set-verbose
vi:edit"
n=0
for a in $aliases; do
  name=${a%%:*} target=${a#*:}
  n=$((n + 1))
  if grep -q "^$target " "$scratch/list"; then
    grep -q "^$name  *alias for '$target'$" "$scratch/list" ||
      fail "alias $name: not listed as an alias for $target"
  else
    expect_fail "alias $name" \
      "^drydock shell: $name: not available: guestfish's alias for '$target', which drydock does not have$" \
      drydock shell "$name"
  fi
done
expect_eq "aliases checked" 35 "$n"
out=$(drydock shell memsize 700 : get-memsize : smp 2 : get-smp : network true : \
        get-network : network false : get-network : verbose true : \
        get-verbose : verbose false : get-verbose : trace true : get-trace : \
        trace false : get-trace)
expect_eq "aliases that set" "700
2
true
false
true
false
true
false" "$out"
out=$(drydock shell append 'a=1 b' : get-append : autosync true : \
        get-autosync : backend direct : get-backend : cachedir /c : \
        get-cachedir : hv /bin/qemu-x : get-hv : identifier id-1 : \
        get-identifier : path /p : get-path : pgroup true : get-pgroup : \
        program prog : get-program : recovery-proc false : \
        get-recovery-proc : tmpdir /t : get-tmpdir)
expect_eq "launch property aliases" "a=1 b
true
direct
/c
/bin/qemu-x
id-1
/p
true
prog
false
/t" "$out"

expect_fail "argument count" "mount: expects 2 argument\(s\), got 1" \
  drydock shell mount /dev/sda1
expect_fail "action before launch" "ls: call launch before using this function" \
  drydock shell ls /
expect_fail "bad boolean" "readonly: 'maybe' is not a boolean" \
  drydock shell add-drive "$img" readonly:maybe
expect_fail "unknown optional argument" "unknown optional argument 'colour:red'" \
  drydock shell add-drive "$img" colour:red

# One launch: command line with ':' separators, then a script with an
# ignored error, then an error that stops the script.
cat > "$scratch/script" <<'EOF2'
-cat /nope
echo after-ignored
cat /etc/hostname
EOF2
out=$(drydock shell --ro --format raw -a "$img" -m /dev/sda1 \
        cat /etc/hostname : echo sep : is-dir /etc)
expect_eq "colon-separated commands" "debian-guest
sep
true" "$out"
out=$(drydock shell --ro --format raw -a "$img" -m /dev/sda1 -f "$scratch/script" 2>"$scratch/err")
expect_eq "script with an ignored error" "after-ignored
debian-guest" "$out"
grep -q "cat: /nope: No such file or directory" "$scratch/err" ||
  fail "ignored error still reported: $(cat "$scratch/err")"

rc=0
out=$(printf 'run\nmount-ro /dev/sda1 /\ncat /nope\necho not-reached\n' |
        drydock shell --ro --format raw -a "$img" 2>"$scratch/err") || rc=$?
expect_eq "exit status after an error" 1 "$rc"
expect_eq "script stops at the first error" "" "$out"
expect_eq "one error line" 1 "$(wc -l < "$scratch/err")"
