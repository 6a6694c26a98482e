#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock shell as a scripting tool: quoting, commands on the command
# line separated by ':', scripts from -f, '-' to tolerate an error,
# optional arguments, help, and the exit status of a failing script.
. "$(dirname "$0")/../functions.sh"

img=$(guest debian.img)

# Without a launch: help, echo, quoting, unknown commands.
out=$(drydock shell <<'EOF2'
echo 'single  quoted' "double \"q\"" back\ slash
# a comment
echo ok
EOF2
)
expect_eq "quoting" 'single  quoted double "q" back slash
ok' "$out"
# Through a file: with pipefail, grep -q quitting early would make the
# help output (over 4 KiB) die of SIGPIPE.
drydock shell help > "$scratch/help"
grep -q '^  mount  *mount a filesystem$' "$scratch/help" || fail "help lists mount"
drydock shell help tar-in | grep -q '^  tar_in TARFILE DIRECTORY \[compress:..\]$' ||
  fail "help tar-in shows usage"
expect_fail "unknown command" "unknown command 'frobnicate'" drydock shell frobnicate
expect_fail "unbalanced quote" "unbalanced quotes" drydock shell <<<"echo 'oops"
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
