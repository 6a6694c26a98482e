#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock shell at a terminal (a pty, pty-drive.py): the banner and the
# prompt (DRYDOCK_PS1, colours only with colour), the lazy launch, tab
# completion of commands, optional arguments, devices, guest paths (in a
# directory of 1,000 names: one ls per directory, until a command
# writes) and host paths, the history across two sessions, host commands
# and pipes at the prompt, and errors that do not end the session.
# The times it prints (start to prompt, completion) are measured, not
# asserted: the mechanisms behind them are.
. "$(dirname "$0")/../functions.sh"
requires python3

drive="$DRYDOCK_TESTS_SRCDIR/shell/pty-drive.py"
img=$(guest debian.img)
# The binary itself when built with libtool (its wrapper script would
# be in the times).
shell_bin=$(command -v drydock)
[ -x "$DRYDOCK_TESTS_BUILDDIR/../drydock/.libs/drydock" ] &&
  shell_bin="$DRYDOCK_TESTS_BUILDDIR/../drydock/.libs/drydock"
export HOME="$scratch/home" TERM=xterm
mkdir -p "$HOME"
# readline's own settings are read ($if drydock, as in ~/.inputrc);
# without bracketed paste the transcripts are plainer.
printf '$if drydock\nset enable-bracketed-paste off\n$endif\n' > "$HOME/.inputrc"
cd "$scratch"

# pty SCRIPT-FILE ARGS...: runs "drydock shell ARGS" at a terminal,
# driven by SCRIPT-FILE; what it printed is in $scratch/transcript, its
# standard error too unless $STDERR names a file.
pty ()
{
  local steps=$1 err=()
  shift
  [ -z "${STDERR:-}" ] || err=(-2 "$STDERR")
  PTY_TRANSCRIPT="$scratch/transcript" "$drive" "${err[@]}" -- "$shell_bin" shell "$@" \
    < "$steps" || fail "at the terminal ($steps): $(tr -d '\r' < "$scratch/transcript" | tail -5)"
}

# Without a terminal: no banner, no prompt.
out=$(echo 'echo hello' | drydock shell --ro --format raw -a "$img")
expect_eq "no banner without a terminal" hello "$out"

# 1. The banner, the prompt, no launch before 'run' (get-state), errors
# that do not end the session, host commands and pipes, the history.
cat > steps <<'EOF2'
expect Welcome to drydock shell.*'quit' to quit the shell\r\n\r\n><fs> $
elapsed start-to-prompt-ms
send get-state\r
expect \r\n0\r\n><fs> $
send cat /etc/hostname\r
expect call launch before using this function\r\n><fs> $
send !echo from the host\r
expect \r\nfrom the host\r\n><fs> $
send <! echo echo from inline\r
expect \r\nfrom inline\r\n><fs> $
send echo piped | tr a-z A-Z\r
expect \r\nPIPED\r\n><fs> $
send echo first-session\r
expect \r\nfirst-session\r\n><fs> $
send quit\r
eof
EOF2
pty steps --ro --format raw -a "$img" > times
grep -q '^echo first-session$' "$HOME/.drydock_history" ||
  fail "no history saved: $(cat "$HOME/.drydock_history" 2>&1)"

# The second session finds the first's history (Up, Up: the line before
# quit).
cat > steps <<'EOF2'
expect ><fs> $
send \U\U\r
expect echo first-session\r\n.*first-session\r\n><fs> $
send quit\r
eof
EOF2
pty steps

# 2. The prompt: DRYDOCK_PS1 with its escapes; its colours only with
# colour (a terminal, without --no-color or NO_COLOR).
export DRYDOCK_PS1='\[\e[1;32m\]dd\x3e\[\e[0m\] '
cat > steps <<'EOF2'
expect \x1b\[1;32mdd>\x1b\[0m $
send quit\r
eof
EOF2
pty steps
cat > steps <<'EOF2'
expect \ndd> $
send quit\r
eof
EOF2
pty steps --no-color
grep -q $'\e\\[1;32m' transcript && fail "--no-color: the prompt has colours"
NO_COLOR=1 pty steps
grep -q $'\e\\[1;32m' transcript && fail "NO_COLOR: the prompt has colours"
unset DRYDOCK_PS1

# 3. Completion, on an image with a directory of 1,000 names, with -x:
# the trace (on stderr, into a file) counts what the appliance is asked.
mkdir big hostdir
for i in $(seq 1000); do : > "big/f$i"; done
: > hostdir/unique-host-file
drydock shell -N big.img=fs:ext4:64M -m /dev/sda1 copy-in big / ||
  fail "cannot make big.img"
cat > steps <<'EOF2'
expect ><fs> $
# Commands: one match, then several (the second Tab lists them).
send tar-o\t
expect tar-out $
send \x15mount-v\t
expect mount-vfs $
send \x15mount\t\t
expect \r\nmount +mount-loop +mountable-device *\r\nmount-9p +mount-options +mountable-subvolume *\r\nmount-local +mount-ro +mountpoints *\r\nmount-local-run +mount-vfs +mounts *\r\n
# Optional arguments and a boolean's values.
send \x15tar-out /etc x.tar com\t
expect compress:$
send \x15is-file /etc followsymlinks:t\t
expect followsymlinks:true $
# Devices (the partitions and the disk).
send \x15mount-ro /dev/sda\t\t
expect \r\n/dev/sda\s+/dev/sda1\s*\r\n
# Guest paths: a directory, then names in a directory of 1,000.
send \x15ls /bi\t
expect ls /big/$
send f99\t\t
expect \r\nf99\s+f990\s+f991\s+f992.*f999\s*\r\n
since first-listing-ms
send \x15ls /big/f59\t\t
expect \r\nf59\s+f590\s+f591\s+f592.*f599\s*\r\n
since cached-listing-ms
send \x15ls /big/f12\t\t
expect \r\nf12\s+f120\s+f121\s+f122.*f129\s*\r\n
since cached-listing-2-ms
# A command that writes: the directory is asked again.
send \x15touch /big/new-name\r
expect ><fs> $
send ls /big/new-\t
expect ls /big/new-name $
# Host paths for host arguments (upload's first).
send \x15upload hostdir/uni\t
expect upload hostdir/unique-host-file $
send \x15quit\r
eof
EOF2
STDERR=trace pty steps -x --format raw -a big.img -m /dev/sda1 >> times
expect_eq "one ls of /big before the write, one after" 2 \
  "$(grep -c '^libdrydock: trace: ls "/big"$' trace)"
expect_eq "one ls of /" 1 "$(grep -c '^libdrydock: trace: ls "/"$' trace)"
expect_eq "one listing of the devices" 1 \
  "$(grep -c '^libdrydock: trace: list_devices$' trace)"

# 4. Passphrases not typed on the line are asked for at the terminal,
# without echo; with --echo-keys, with it.
cat > steps <<'EOF2'
expect ><fs> $
send luks-format /dev/sda 0 type:luks1\r
expect Enter key or passphrase \("key"\): $
send secret-one\r
expect \r\n><fs> $
send quit\r
eof
EOF2
pty steps -N luks.img=disk:16M
grep -q secret-one transcript && fail "the passphrase was echoed"
cat > steps <<'EOF2'
expect ><fs> $
send run\r
expect ><fs> $
send cryptsetup-open /dev/sda opened\r
expect Enter key or passphrase \("key"\): $
send secret-one\r
expect secret-one\r\n.*><fs> $
send vfs-type /dev/sda\r
expect crypto_LUKS\r\n><fs> $
send quit\r
eof
EOF2
pty steps --echo-keys --format raw -a luks.img

# The times, for the record.
while read -r what ms; do
  echo "test-shell-interactive.sh: $what: $ms"
done < times
