#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize, the operations of its second increment, end to end
# on copies of debian.img (made able to run commands: the host's static
# busybox becomes its /bin/sh):
#  - bad input fails with exactly one line and leaves the image
#    byte-identical: at parse time a malformed or unsupported --edit
#    expression, a non-numeric --chown, a compressed --tar-in, bad
#    --ssh-inject selectors and key files, --smp 0, and a commands file
#    with an unknown operation or a bad argument (named FILE:LINE); in
#    the guest a missing user, a missing --edit file, a missing --tar-in
#    directory, a failing command (its last line of output named; with
#    -v its output printed);
#  - one run of every operation, read back with drydock shell:
#    --edit (15 expressions, each file compared with what perl -pe
#    makes of the same expression: captures, anchors, g/i/m/s/x,
#    other delimiters, empty matches; mode, owner and a symlink kept),
#    --chown, --commands-from-file (comments, blank lines, a continued
#    line, in command-line order), --scrub, --tar-in, --ssh-inject
#    (the newest ~/.ssh/id*.pub, file: and string:, no duplicate
#    keys, .ssh 0700 and authorized_keys 0600 owned by the user), the
#    log of commands in /tmp/builder.log, the random seed files
#    refilled (512 and 8192 bytes, mode kept), an empty /etc/machine-id
#    filled in, --selinux-relabel of a guest with an SELinux config
#    (relabelled: /.autorelabel removed);
#  - on a fresh copy: --dry-run warns once that no random seed could be
#    set; with /var/lib/urandom a seed is created (512 bytes, 0600,
#    root's), --no-logfile leaves no log, --selinux-relabel without the
#    policy's file contexts touches /.autorelabel, --smp 2 gives the
#    commands two CPUs, and on a terminal each operation is a progress
#    line with its time.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64 perl tar gzip script
requires_static_busybox

cd "$scratch"
P="drydock customize"
# HOME changes below for the host user's ssh keys: the appliance cache
# stays where it was.
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
img=$(scratch_copy "$(guest debian.img)")
cp --sparse=always "$img" fresh.img
imgB=$scratch/fresh.img


cust () { drydock customize -q --format raw -a "$img" "$@"; }

# The host user's keys: the newest id*.pub is the default, a -cert.pub
# and other names are not.
mkdir -p home/.ssh nokeys/.ssh
echo "ssh-rsa AAAAold-rsa rsa@host" > home/.ssh/id_rsa.pub
echo "ssh-ed25519 AAAAdefault ed@host" > home/.ssh/id_ed25519.pub
echo "ssh-ed25519-cert AAAAcert cert@host" > home/.ssh/id_ed25519-cert.pub
echo "ssh-rsa AAAAother other@host" > home/.ssh/other.pub
touch -d @1600000000 home/.ssh/id_rsa.pub
touch -d @1600000100 home/.ssh/id_ed25519.pub
touch -d @1600000200 home/.ssh/id_ed25519-cert.pub home/.ssh/other.pub
printf 'ssh-ed25519 AAAAdefault ed@host\nssh-rsa AAAAsecond two@host\n' \
  > two.pub
: > empty.pub

# A tar file, and the same compressed.
mkdir -p tdir/sub && echo from-tar > tdir/sub/file
tar --owner=1000 --group=1000 --numeric-owner -cf t.tar -C tdir .
gzip -c t.tar > t.tgz

# ---- --help ----
drydock customize --help > help.out || fail "--help failed"
for op in chown edit commands-from-file scrub tar-in ssh-inject \
          selinux-relabel no-logfile; do
  grep -q -- "^  --$op[ $]" help.out || fail "--help does not list --$op"
done
grep -q -- "^  --smp N " help.out || fail "--help does not list --smp"

# ---- bad input, at parse time ----
one_line_fail "a malformed pattern" \
  "^$P: --edit '/etc/x:s/a\(/b/': the pattern 'a\(' does not compile" \
  cust --edit '/etc/x:s/a(/b/'
one_line_fail "an unsupported flag" "^$P: --edit '/etc/x:s/a/b/e': .*'e'" \
  cust --edit '/etc/x:s/a/b/e'
one_line_fail "not a substitution" \
  "^$P: --edit '/etc/x:tr/a/b/': expected s/PATTERN/REPLACEMENT/FLAGS$" \
  cust --edit '/etc/x:tr/a/b/'
one_line_fail "an unterminated expression" "not terminated$" \
  cust --edit '/etc/x:s/a/b'
one_line_fail "a Perl variable" "--edit '/etc/x:s/a/\\\$x/': .*\\\$1" \
  cust --edit '/etc/x:s/a/$x/'
one_line_fail "a relative --edit file" "'etc/x' is not an absolute" \
  cust --edit 'etc/x:s/a/b/'
one_line_fail "a non-numeric gid" \
  "^$P: --chown '0:wheel:/x': 'wheel' is not a numeric group ID$" \
  cust --chown 0:wheel:/x
one_line_fail "--chown without a path" "^$P: --chown '1:2': expected" \
  cust --chown 1:2
one_line_fail "a compressed tar" \
  "^$P: --tar-in 't.tgz:/opt': 't.tgz' is compressed \(gzip\)" \
  cust --tar-in t.tgz:/opt
one_line_fail "a bad ssh selector" "^$P: --ssh-inject 'u:key:x': unknown" \
  cust --ssh-inject u:key:x
one_line_fail "an empty key file" "'empty.pub': the key file is empty$" \
  cust --ssh-inject u:file:empty.pub
one_line_fail "no default key" "no public key file \(id\*.pub\) in" \
  env HOME="$scratch/nokeys" drydock customize -q --format raw -a "$img" \
  --ssh-inject user
one_line_fail "--smp 0" "^$P: --smp '0': " cust --smp 0
printf '# a comment\n\ntouch /a\nfrobnicate /x\n' > bad-op.cmds
one_line_fail "an unknown operation in a file" \
  "^$P: bad-op.cmds:4: unknown operation 'frobnicate'$" \
  cust --commands-from-file bad-op.cmds
printf 'touch /a\nedit /etc/x:\\\n  s/(/x/\n' > bad-arg.cmds
one_line_fail "a bad argument in a file" \
  "^$P: bad-arg.cmds:2: --edit '/etc/x: +s/\(/x/': the pattern" \
  cust --commands-from-file bad-arg.cmds
one_line_fail "a missing commands file" \
  "^$P: --commands-from-file 'nope.cmds': No such file" \
  cust --commands-from-file nope.cmds

# ---- the guest made able to run commands, and what the operations
# work on ----
# The file every --edit works on: words, comments, numbers at line
# ends, trailing blanks, dollars, a CRLF line, no newline at the end.
printf '%s\n' 'key=value other=thing' '# a comment' 'Alpha alpha ALPHA' \
  'version 42   ' 'port 8080' '$HOME cost foo' 'the end' > sample
printf 'a CRLF line 7\r\nno newline xab' >> sample
printf 'OPT=old\nother\n' > cont
printf 'ssh-ed25519 AAAAold old@host' > old_keys
head -c 9000 /dev/zero > big-seed
printf '/.*\tsystem_u:object_r:default_t:s0\n' > file_contexts
exprs=(
  's/(\w+)=(\w+)/$2=$1/'          # captures, the first match of a line
  's/o/0/g'                       # g
  's|^#|//|'                      # another delimiter, ^
  's/ALPHA/beta/gi'               # i
  's/(\d+)$/<\1>/'                # $ before the newline, \1
  's{\s+$}{}'                     # brackets; \s+ takes the newline too
  's/^/> /'                       # an empty match on every line
  's/end./END/s'                  # s: . matches the newline
  's/ a l p h a /AL/x'            # x
  's/(l+)/${1}L/g'                # ${1}
  's/\$HOME/~/; '                 # an escaped $, a trailing ;
  "s'(\\w+)'\$1'"                 # '': nothing interpolated
  's/(a)|(b)/[$1$2]/g'            # an unset group is empty
  's/x*/-/g'                      # empty matches next to others
  's/^(.*)$/[$&]/m'               # m and $&
)
{
  echo "upload $BUSYBOX /usr/bin/busybox"
  echo "chmod 0755 /usr/bin/busybox"
  echo "ln_sf busybox /usr/bin/sh"
  for i in "${!exprs[@]}"; do
    echo "upload sample /etc/e$i"
  done
  echo "chmod 0640 /etc/e0"
  echo "chown 1000 42 /etc/e0"
  echo "ln_s e1 /etc/e1-link"
  echo "upload cont /etc/cont"
  echo "mkdir_p /root/.ssh"
  echo "chmod 0755 /root/.ssh"
  echo "upload old_keys /root/.ssh/authorized_keys"
  echo "write /opt/owned owned"
  echo "mkdir /opt/owned-dir"
  echo "write /secret top-secret"
  echo "mkdir_p /var/lib/systemd"
  echo "write /var/lib/systemd/random-seed 12345678"
  echo "chmod 0640 /var/lib/systemd/random-seed"
  echo "mkdir_p /var/lib/urandom"
  echo "upload big-seed /var/lib/urandom/random-seed"
  echo "truncate /etc/machine-id"
  echo "touch /usr/sbin/load_policy"
  echo "mkdir_p /etc/selinux/drydock/contexts/files"
  echo "write /etc/selinux/config SELINUXTYPE=drydock"
  echo "upload file_contexts /etc/selinux/drydock/contexts/files/file_contexts"
  echo "touch /.autorelabel"
  echo "feature_available selinuxrelabel"
} > prep.cmds
drydock shell --format raw -a "$img" -i < prep.cmds > prep.out 2> err ||
  fail "preparing the guest: $(cat err)"
relabel=$(tail -n 1 prep.out)

# ---- every operation, in one run ----
cat > ops.cmds <<'END'
# operations from a file, in the command line's order

  append-line /order:2
edit /etc/cont:\
  s/^OPT=.*/OPT=ok/
chown 1000:1000:/opt/owned-dir
END
edit_args=()
for i in "${!exprs[@]}"; do
  file=/etc/e$i
  [ "$i" -ne 1 ] || file=/etc/e1-link
  edit_args+=(--edit "$file:${exprs[$i]}")
done
before=$(sha "$img")
HOME=$scratch/home drydock customize --format raw -a "$img" \
  "${edit_args[@]}" \
  --chown 1000:1000:/opt/owned \
  --write /order:1 \
  --commands-from-file ops.cmds \
  --append-line /order:3 \
  --scrub /secret \
  --tar-in t.tar:/opt \
  --ssh-inject user \
  --ssh-inject user:file:two.pub \
  --ssh-inject 'root:string:ssh-ed25519 AAAAroot root@host' \
  --ssh-inject 'root:string:ssh-ed25519 AAAAold old@host' \
  --run-command 'echo to-stdout; echo to-stderr >&2' \
  --selinux-relabel \
  > cust.out 2> cust.err || fail "customize failed: $(cat cust.err)"
[ ! -s cust.err ] || fail "unexpected messages: $(cat cust.err)"
[ "$(sha "$img")" != "$before" ] || fail "the image was not changed"

{
  for i in "${!exprs[@]}"; do
    echo "download /etc/e$i $scratch/got$i"
  done
  cat <<'END'
lstatns /etc/e0
is_symlink /etc/e1-link
cat /etc/cont
cat /order
lstatns /opt/owned
lstatns /opt/owned-dir
exists /secret
cat /opt/sub/file
lstatns /opt/sub/file
cat /home/user/.ssh/authorized_keys
lstatns /home/user/.ssh
lstatns /home/user/.ssh/authorized_keys
cat /root/.ssh/authorized_keys
lstatns /root/.ssh
cat /tmp/builder.log
filesize /var/lib/systemd/random-seed
lstatns /var/lib/systemd/random-seed
filesize /var/lib/urandom/random-seed
checksum sha256 /var/lib/urandom/random-seed
cat /etc/machine-id
lstatns /etc/machine-id
exists /.autorelabel
END
} > back.cmds
drydock shell --ro --format raw -a "$img" -i < back.cmds > out 2> err ||
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"

# --edit: each file as perl -pe makes it.
for i in "${!exprs[@]}"; do
  perl -pe "${exprs[$i]}" sample > want$i || fail "perl -pe '${exprs[$i]}'"
  cmp -s want$i got$i ||
    fail "--edit '${exprs[$i]}': $(diff want$i got$i | head -n 20)"
done
cmp -s sample want0 && fail "the first expression changed nothing"

# The other answers, one a line or stat blocks; $(stat N) is the mode,
# uid and gid of the Nth stat block.
stat_of ()
{
  awk -v n="$1" '/^st_dev:/ {k++}
    k == n && /^st_(mode|uid|gid):/ {printf "%s ", $2}' out | sed 's/ $//'
}
grep -v '^st_' out > lines
expect_eq "--edit kept the mode and owner" "33184 1000 42" "$(stat_of 1)"
expect_eq "the symlink stayed" "true" "$(sed -n 1p lines)"
expect_eq "a continued line" "OPT=ok
other" "$(sed -n 2,3p lines)"
expect_eq "command-line order" "1
2
3" "$(sed -n 4,6p lines)"
expect_eq "--chown of a file" "33188 1000 1000" "$(stat_of 2)"
expect_eq "--chown of a directory" "16877 1000 1000" "$(stat_of 3)"
expect_eq "--scrub" "false" "$(sed -n 7p lines)"
expect_eq "--tar-in" "from-tar" "$(sed -n 8p lines)"
expect_eq "--tar-in owners" "1000 1000" "$(stat_of 4 | cut -d' ' -f2-)"
expect_eq "the user's keys" "ssh-ed25519 AAAAdefault ed@host
ssh-rsa AAAAsecond two@host" "$(sed -n 9,10p lines)"
expect_eq "~user/.ssh" "16832 1000 1000" "$(stat_of 5)"
expect_eq "~user/.ssh/authorized_keys" "33152 1000 1000" "$(stat_of 6)"
expect_eq "root's keys" "ssh-ed25519 AAAAold old@host
ssh-ed25519 AAAAroot root@host" "$(sed -n 11,12p lines)"
expect_eq "an existing .ssh kept" "16877 0 0" "$(stat_of 7)"
expect_eq "the log" "to-stdout
to-stderr" "$(sed -n 13,14p lines)"
expect_eq "the systemd seed's size" "512" "$(sed -n 15p lines)"
expect_eq "the systemd seed's mode" "33184 0 0" "$(stat_of 8)"
expect_eq "the Debian seed's size" "8192" "$(sed -n 16p lines)"
zeros=$(head -c 8192 /dev/zero | sha256sum | cut -d' ' -f1)
[ "$(sed -n 17p lines)" != "$zeros" ] ||
  fail "the Debian seed was not refilled"
sed -n 18p lines | grep -Eqx '[0-9a-f]{32}' ||
  fail "no machine ID: $(sed -n 18p lines)"
expect_eq "the machine-id's mode" "33060 0 0" "$(stat_of 9)"
if [ "$relabel" = true ]; then
  expect_eq "relabelled: no /.autorelabel" "false" "$(sed -n 19p lines)"
else
  expect_eq "no setfiles: /.autorelabel" "true" "$(sed -n 19p lines)"
fi

# ---- failures in the guest ----
one_line_fail "a missing user" \
  "^$P: --ssh-inject nobody2:string:k: the user 'nobody2' does not exist" \
  cust --ssh-inject nobody2:string:k
one_line_fail "a missing file to edit" \
  "^$P: --edit /etc/nope:s/a/b/: /etc/nope does not exist in the guest$" \
  cust --touch /t --edit /etc/nope:s/a/b/
one_line_fail "a missing tar directory" "^$P: --tar-in t.tar:/nowhere: " \
  cust --tar-in t.tar:/nowhere
one_line_fail "a failing command" \
  "^$P: --run-command .*: the command failed: last words$" \
  cust --run-command 'echo first; echo last words >&2; exit 3'
keep_sums "$img"
rc=0
cust -v --run-command 'echo verbose-output; exit 1' > /dev/null 2> v.err ||
  rc=$?
[ "$rc" -ne 0 ] || fail "-v: the failing command succeeded"
grep -qx verbose-output v.err || fail "-v did not print the command's output"
tail -n 1 v.err | grep -q "the command failed: verbose-output$" ||
  fail "-v: the last line is not the error: $(tail -n 1 v.err)"
sums_unchanged

# ---- a fresh copy: the random seed, the log scrubbed, relabelling at
# boot, --smp, the progress lines ----
keep_sums "$imgB"
drydock customize -n --format raw -a "$imgB" --touch /x > /dev/null \
  2> dry.err || fail "--dry-run failed: $(cat dry.err)"
expect_eq "the warning" \
  "$P: warning: random seed could not be set for this type of guest" \
  "$(cat dry.err)"
sums_unchanged

drydock shell --format raw -a "$imgB" -i > /dev/null 2> err <<END ||
upload $BUSYBOX /usr/bin/busybox
chmod 0755 /usr/bin/busybox
ln_sf busybox /usr/bin/sh
mkdir_p /var/lib/urandom
touch /usr/sbin/load_policy
mkdir_p /etc/selinux
write /etc/selinux/config SELINUXTYPE=missing
END
  fail "preparing the fresh copy: $(cat err)"
script -qec "drydock customize --format raw -a '$imgB' --smp 2 \
  --run-command 'grep -c ^processor /proc/cpuinfo > /ncpu' --no-logfile \
  --selinux-relabel --touch /x" /dev/null > tty.out 2>&1 ||
  fail "customize on a terminal failed: $(cat tty.out)"
tr -d '\r' < tty.out > tty.txt
for phase in 'setting a random seed' '--run-command grep' '--touch /x' \
             'SELinux relabelling' 'scrubbing the log file'; do
  grep -Eq "^\[ *[0-9]+\.[0-9]\] $phase" tty.txt ||
    fail "no progress line for '$phase': $(cat tty.txt)"
done
drydock shell --ro --format raw -a "$imgB" -i > out 2> err <<'END' ||
filesize /var/lib/urandom/random-seed
lstatns /var/lib/urandom/random-seed
exists /tmp/builder.log
exists /.autorelabel
cat /etc/machine-id
cat /ncpu
exists /x
END
  fail "reading the fresh copy: $(cat err)"
grep -v '^st_' out > lines
expect_eq "a new seed" "512" "$(sed -n 1p lines)"
expect_eq "the new seed's mode" "33152 0 0" "$(stat_of 1)"
expect_eq "--no-logfile, then at boot, the machine-id, --smp" "false
true
d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0
2
true" "$(sed -n 2,6p lines)"
exit 0
