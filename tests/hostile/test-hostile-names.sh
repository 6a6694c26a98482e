#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# A guest's names holding a newline, an escape sequence, a tab, a
# backslash and invalid UTF-8 reach a terminal quoted as ls -b shows
# them, and a pipe as they are: the shell's ls, find and ll (ll quotes
# always), and drydock ls, ls -R, ls -l of one file (and its link
# target) and ls -lR.  A terminal is script(1)'s pseudo-terminal.
. "$(dirname "$0")/../functions.sh"
requires mke2fs script

export LC_ALL=C TZ=UTC
t="$scratch/tree"
mkdir -p "$t/names"
for n in $'new\nline' $'esc\e[31mred' $'tab\there' $'bad\xff\xfeutf8' \
         'back\slash' 'plain'; do
  printf 'x\n' > "$t/names/$n"
done
ln -s $'to\nthere' "$t/names/link"
img="$scratch/names.img"
mke2fs -q -F -t ext4 -L names -d "$t" "$img" 16M > /dev/null
keep_sums "$img"

# The names as ls -b shows them, sorted as the tools sort them.
quoted='back\\slash
bad\377\376utf8
esc\033[31mred
link
new\nline
plain
tab\there'

# on_tty OUT CMD: CMD's output on a pseudo-terminal, in OUT (no CRs).
on_tty ()
{
  local out=$1
  shift
  timeout -s KILL 600 script -qec "$*" /dev/null < /dev/null > "$out.raw" ||
    fail "on a terminal: $*: $(cat "$out.raw")"
  tr -d '\r' < "$out.raw" > "$out"
}

on_tty "$scratch/shell" "drydock shell --ro --format raw -a '$img' -m /dev/sda \
  ls /names : echo == : find /names : echo == : ll /names"
section () { awk -v n="$1" '/^==$/ { s++; next } s == n' "$scratch/shell"; }
expect_eq "shell ls on a terminal" "$quoted" "$(section 0)"
expect_eq "shell find on a terminal" "$quoted" "$(section 1)"
expect_eq "shell ll's names" "$quoted" \
  "$(section 2 | tail -n +4 | sed 's/^\([^ ]* *\)\{8\}//; s/ -> .*//')"
grep -q ' link -> to\\nthere$' "$scratch/shell" ||
  fail "shell ll: the link target is not quoted: $(cat -v "$scratch/shell")"

on_tty "$scratch/ls" "drydock ls --format raw -a '$img' -m /dev/sda /names"
expect_eq "drydock ls on a terminal" "$quoted" "$(cat "$scratch/ls")"
on_tty "$scratch/lsR" "drydock ls -R --format raw -a '$img' -m /dev/sda /names"
expect_eq "drydock ls -R on a terminal" "$quoted" "$(cat "$scratch/lsR")"
on_tty "$scratch/lsl" "drydock ls -l --format raw -a '$img' -m /dev/sda /names/link"
grep -q ' /names/link -> to\\nthere$' "$scratch/lsl" ||
  fail "drydock ls -l of a link: $(cat -v "$scratch/lsl")"
on_tty "$scratch/lslR" "drydock ls -lR --format raw -a '$img' -m /dev/sda /names"
grep -q ' /names/new\\nline$' "$scratch/lslR" && grep -q ' /names/esc\\033\[31mred$' "$scratch/lslR" ||
  fail "drydock ls -lR on a terminal: $(cat -v "$scratch/lslR")"
if grep -q $'\e' "$scratch/ls" "$scratch/lsR" "$scratch/lsl" "$scratch/lslR" "$scratch/shell"; then
  fail "an escape character reached the terminal"
fi

# Into a pipe the names pass as they are.
drydock ls --format raw -a "$img" -m /dev/sda /names > "$scratch/pipe" 2> "$scratch/err" ||
  fail "drydock ls into a pipe: $(cat "$scratch/err")"
grep -qx $'esc\e\\[31mred' "$scratch/pipe" && grep -qx 'line' "$scratch/pipe" ||
  fail "drydock ls into a pipe: names changed: $(cat -v "$scratch/pipe")"
sums_unchanged
exit 0
