#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The shell's own commands, guestfish's, in one launch on a copy of
# debian.img: edit (vi, emacs) with $EDITOR, hexedit, more (less),
# display, copy-in and copy-out of several paths, glob, time, lcd,
# setenv, unsetenv, supported, event handlers, alloc and sparse, add
# (committing as -a does), reopen; here-documents and "-" for standard
# input and output; passphrases asked for; integers with size suffixes.
. "$(dirname "$0")/../functions.sh"

img=$(scratch_copy "$(guest debian.img)")
cd "$scratch"

# Host programs the commands run, each leaving a trace of its call.
mkdir bin in out
cat > bin/editor <<'EOF2'
#!/bin/sh
echo "editor $(basename "$1")" >> "$LOG"
sed -i 's/^/edited-/' "$1"
EOF2
cat > bin/vi <<'EOF2'
#!/bin/sh
echo "vi $(basename "$1")" >> "$LOG"
echo vi-was-here >> "$1"
EOF2
cat > bin/emacs <<'EOF2'
#!/bin/sh
echo "emacs $(basename "$1")" >> "$LOG"
EOF2
cat > bin/less <<'EOF2'
#!/bin/sh
echo "less: $(cat "$1")" >> "$LOG"
EOF2
cat > bin/show <<'EOF2'
#!/bin/sh
echo "show $(basename "$1") $(wc -c < "$1")" >> "$LOG"
EOF2
# hexedit: "XY" at the start of what it is given.
cat > bin/hex <<'EOF2'
#!/bin/sh
echo "hex $(wc -c < "$1")" >> "$LOG"
printf XY | dd of="$1" bs=1 seek=0 conv=notrunc 2>/dev/null
EOF2
chmod +x bin/*
export PATH="$scratch/bin:$PATH" LOG="$scratch/log" EDITOR=editor PAGER=cat \
  HEXEDITOR=hex DRYDOCK_DISPLAY_IMAGE=show
echo one > in/a
echo two > in/b
mkdir in/dir
echo three > in/dir/c
printf 'upload from stdin\n' > stdin-data

# The script is a file: standard input carries the passphrases and the
# upload.
cat > script <<'EOF2'
# edit: through $EDITOR; owner, mode and the symbolic link kept.
chmod 0640 /etc/hostname
chown 10 20 /etc/hostname
ln-s hostname /etc/hostname-link
edit /etc/hostname-link
cat /etc/hostname
statns /etc/hostname | grep -E 'st_(mode|uid|gid)'
is-symlink /etc/hostname-link
vi /etc/hostname
emacs /etc/hostname
cat /etc/hostname
# hexedit: all of a file, then 3 bytes from 13.
write /etc/hex "0123456789abcdefghij\n"
hexedit /etc/hex
hexedit /etc/hex 13 3
cat /etc/hex
more /etc/hex
less /etc/hex
display /etc/hex
# copy-in, copy-out, glob.
mkdir /in
copy-in in/a in/b in/dir /in
find /in
copy-out /in/a /in/dir out
glob echo /in/* /etc/host*
# Passphrases asked for (from standard input: --keys-from-stdin) when
# the command is given one argument less.
luks-format /dev/sdb 0 type:luks1
cryptsetup-open /dev/sdb luksdev
vfs-type /dev/mapper/luksdev
cryptsetup-close /dev/mapper/luksdev
# Here-documents and "-".
upload -<<END /in/heredoc
line 1
  line 2
END
cat /in/heredoc
upload - /in/stdin
cat /in/stdin
download /in/a - | tr a-z A-Z
# Numbers with suffixes.
truncate-size /in/a 1M
filesize /in/a
truncate-size /in/a 0x10
filesize /in/a
# Environment, directory, time.
setenv SHELL_TEST_VAR hello
!echo "var=$SHELL_TEST_VAR"
unsetenv SHELL_TEST_VAR
!echo "var=[$SHELL_TEST_VAR]"
lcd out
!ls
time echo timed | sed 's/[0-9.]* seconds/N seconds/'
# Events: trace events into a file, then none.
trace true
event tr trace 'echo $EVENT: $1 >> $LOG'
event tr2 close 'echo closed >> $LOG'
list-events
is-dir /in
delete-event tr
list-events
is-dir /in
trace false
EOF2
printf 'right-key\nright-key\nupload from stdin\n' > input
rc=0
drydock shell --keys-from-stdin --format raw -a "$img" -N luks.img=disk:32M \
  -i -f script < input > stdout 2> stderr || rc=$?
[ "$rc" = 0 ] || fail "the script failed ($rc): $(cat stderr)"
expect_eq "the script's output" "edited-debian-guest
st_mode: 33184
st_uid: 10
st_gid: 20
true
edited-debian-guest
vi-was-here
XY23456789abcXYfghij
XY23456789abcXYfghij
a
b
dir
dir/c
/in/a /etc/hostname
/in/a /etc/hostname-link
/in/a /etc/hosts
/in/b /etc/hostname
/in/b /etc/hostname-link
/in/b /etc/hosts
/in/dir/ /etc/hostname
/in/dir/ /etc/hostname-link
/in/dir/ /etc/hosts

line 1
  line 2
upload from stdin
ONE
1048576
16
var=hello
var=[]
a
dir
timed
elapsed time: N seconds
\"tr\" (1): trace: echo \$EVENT: \$1 >> \$LOG
\"tr2\" (2): close: echo closed >> \$LOG
true
\"tr2\" (2): close: echo closed >> \$LOG
true" "$(cat stdout)"
expect_eq "the host programs run" "editor hostname
vi hostname
emacs hostname
hex 21
hex 3
less: XY23456789abcXYfghij
show hex 21
trace: is_dir \"/in\"
trace: is_dir = 1
closed" "$(cat log)"
expect_eq "copy-out" "one
three" "$(cat out/a out/dir/c)"

# alloc, sparse and add before the launch; add commits as -a does
# (readonly:true does not).
cp --sparse=always "$(guest debian.img)" other.img
drydock shell add "$img" format:raw : add other.img format:raw readonly:true : \
  sparse sparse.img 10M : allocate alloc.img 1M : run : list-devices : \
  mount /dev/sda1 / : write /added yes : mount /dev/sdb1 /mnt : \
  write /mnt/added yes > out.txt 2> err.txt ||
  fail "add, sparse, alloc: $(cat err.txt)"
expect_eq "the devices" "/dev/sda
/dev/sdb
/dev/sdc
/dev/sdd" "$(cat out.txt)"
expect_eq "sparse and alloc sizes" "10485760 1048576" \
  "$(stat -c %s sparse.img) $(stat -c %s alloc.img)"
[ "$(stat -c %b sparse.img)" -eq 0 ] || fail "sparse.img is not sparse"
[ "$(stat -c %b alloc.img)" -ge 2048 ] || fail "alloc.img is not allocated"

# What reached the images.
out=$(drydock shell --ro --format raw -a "$img" -a other.img -m /dev/sda1 \
        cat /etc/hostname : cat /in/heredoc : is-file /etc/hostname-link : \
        cat /added : mount-ro /dev/sdb1 /mnt : -cat /mnt/added 2>&1)
expect_eq "committed" "edited-debian-guest
vi-was-here
line 1
  line 2
false
yes" "$(echo "$out" | head -6)"
echo "$out" | grep -q "cat: /mnt/added: No such file" ||
  fail "readonly:true committed: $out"
