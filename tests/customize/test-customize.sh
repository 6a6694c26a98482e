#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize, end to end on a copy of debian.img (made able to run
# commands: the host's static busybox becomes its /bin/sh):
#  - --help lists every operation;
#  - bad input (an unknown operation, a malformed selector or argument, a
#    missing host file, --chmod of a guest path that does not exist, an
#    image without an operating system) fails with exactly one line and
#    leaves the image byte-identical;
#  - every operation of this increment, in one run, read back with
#    drydock shell: --hostname (/etc/hostname, the old name replaced in
#    /etc/hosts), --write, --append-line (a missing newline added, a
#    missing file created), --mkdir, --touch, --delete (a glob), --chmod,
#    --link, --upload, --copy-in, --copy, --move, --truncate,
#    --truncate-recursive, --run-command, --run, --timezone, and
#    --root-password / --password (SHA-512 hashes checked on the host with
#    perl's crypt, a locked random password printed, /etc/shadow's other
#    lines, mode and owner kept; applied after the other operations);
#  - a failing operation in the middle of a list: one line, image
#    byte-identical; --dry-run: image byte-identical; --output-overlay:
#    image byte-identical, the changes (an md5 hash with
#    --password-crypto md5) in the new qcow2.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64 perl
requires_static_busybox

cd "$scratch"
P="drydock customize"
img=$(scratch_copy "$(guest debian.img)")
empty=$(scratch_copy "$(guest empty.img)")

also_watched=$empty   # one_line_fail keeps it unchanged too

cust () { drydock customize -q --format raw -a "$img" "$@"; }

# ---- --help lists every operation ----
drydock customize --help > help.out || fail "--help failed"
for op in hostname write append-line mkdir touch delete chmod link upload \
          copy-in copy move truncate truncate-recursive run-command run \
          timezone root-password password chown edit commands-from-file \
          scrub tar-in ssh-inject selinux-relabel no-logfile; do
  grep -q -- "^  --$op " help.out || fail "--help does not list --$op"
done
grep -q -- "--password-crypto md5|sha256|sha512" help.out ||
  fail "--help does not list --password-crypto"
grep -q "default: none" help.out || fail "--help does not say: no network"

# ---- bad input ----
one_line_fail "unknown operation" "^$P: unknown option '--frobnicate'" \
  cust --frobnicate x
one_line_fail "malformed selector" \
  "^$P: --root-password 'pass:x': unknown selector" \
  cust --root-password pass:x
one_line_fail "--password without a user" \
  "^$P: --password 'random': expected USER:SELECTOR$" cust --password random
one_line_fail "missing password file" \
  "^$P: --root-password 'file:nope.txt': 'nope.txt': No such file" \
  cust --root-password file:nope.txt
one_line_fail "missing upload file" \
  "^$P: --upload 'nope:/x': 'nope': No such file or directory$" \
  cust --upload nope:/x
one_line_fail "missing script" "^$P: --run 'nope.sh': 'nope.sh': No such" \
  cust --run nope.sh
one_line_fail "bad mode" "^$P: --chmod 'rwx:/etc': 'rwx' is not an octal" \
  cust --chmod rwx:/etc
one_line_fail "too little memory" \
  "^$P: -m '64': the memory size is in MiB, from 128$" cust -m 64
one_line_fail "no CPU" \
  "^$P: --smp '0': the number of CPUs is from 1 to 255$" cust --smp 0
one_line_fail "convert-guest: a memory size that is not a number" \
  "^drydock convert-guest: -m 'lots': the memory size is in MiB, from 128$" \
  drydock convert-guest --format raw -a "$img" -m lots
one_line_fail "convert-guest: too many CPUs" \
  "^drydock convert-guest: --smp '300': the number of CPUs is from 1 to 255$" \
  drydock convert-guest --format raw -a "$img" --smp 300
one_line_fail "relative guest path" \
  "^$P: --mkdir 'opt': 'opt' is not an absolute guest path$" cust --mkdir opt
one_line_fail "--write without content" \
  "^$P: --write '/etc/x': expected FILE:CONTENT$" cust --write /etc/x
one_line_fail "bad crypto" "^$P: --password-crypto 'des': unknown" \
  cust --password-crypto des --root-password disabled
one_line_fail "a bad timezone name" "^$P: --timezone '../x': not a timezone" \
  cust --timezone ../x
one_line_fail "no image" "^$P: no image given" drydock customize --touch /x
one_line_fail "--dry-run with --output-overlay" \
  "^$P: --dry-run and --output-overlay exclude each other$" \
  cust -n --output-overlay o.qcow2 --touch /x
one_line_fail "--output-overlay with two images" \
  "^$P: --output-overlay takes one image \(2 given\)$" \
  cust -a "$empty" --output-overlay o.qcow2 --touch /x
one_line_fail "--chmod of a missing guest path" \
  "^$P: --chmod 0644:/nonexistent: .*No such file or directory$" \
  cust --touch /before --chmod 0644:/nonexistent
one_line_fail "an image without an OS" \
  "^$P: no operating system was found on the disks" \
  drydock customize -q --format raw -a "$empty" --touch /x

# ---- the guest made able to run commands, and the files the
# operations work on (a Debian random seed directory: no warning) ----
printf '127.0.0.1  localhost\n127.0.1.1\toldname  # the old name\n' > hosts
printf 'no newline at the end' > nonl
printf 'TZif-phony\n' > paris
printf 'uploaded\n' > up.txt
mkdir -p tree/sub && echo in-tree > tree/sub/f
printf '#!/bin/sh\necho ran-script > /script-ran\n' > script.sh
drydock shell --format raw -a "$img" -i > out 2> err <<END ||
upload $BUSYBOX /usr/bin/busybox
chmod 0755 /usr/bin/busybox
ln_sf busybox /usr/bin/sh
upload hosts /etc/hosts
write /etc/hostname oldname
upload nonl /etc/nonl
mkdir_p /usr/share/zoneinfo/Europe
upload paris /usr/share/zoneinfo/Europe/Paris
mkdir_p /junk
touch /junk/a.tmp
touch /junk/b.tmp
touch /junk/keep
mkdir_p /logs/deep
write /logs/deep/x.log some-log
write /logs/y.log more-log
write /trunc some-content
write /src.txt source
write /mv-src.txt moving
mkdir_p /var/lib/urandom
END
  fail "preparing the guest: $(cat err)"

# ---- every operation, in one run ----
before=$(sha "$img")
drydock customize --format raw -a "$img" \
  --hostname newhost \
  --write /etc/motd:hello-motd \
  --append-line /etc/nonl:second \
  --append-line /etc/new-file:first \
  --mkdir /opt/a/b \
  --touch /opt/a/touched \
  --delete '/junk/*.tmp' \
  --chmod 0600:/etc/motd \
  --link /etc/motd:/l1:/opt/l2 \
  --upload up.txt:/opt \
  --copy-in tree:/opt/a \
  --copy /src.txt:/opt/copied.txt \
  --move /mv-src.txt:/opt/moved.txt \
  --truncate /trunc \
  --truncate-recursive /logs \
  --run-command 'echo "cmd $(cat /etc/hostname)" > /cmd-out' \
  --run script.sh \
  --timezone Europe/Paris \
  --root-password password:s3cret \
  --password user:locked:random \
  > cust.out 2> cust.err || fail "customize failed: $(cat cust.err)"
[ ! -s cust.err ] || fail "unexpected messages: $(cat cust.err)"
[ "$(sha "$img")" != "$before" ] || fail "the image was not changed"
grep -Eq '^Setting random password of user to [A-Za-z0-9]{16}$' cust.out ||
  fail "the random password was not printed: $(cat cust.out)"
randpw=$(sed -n 's/^Setting random password of user to //p' cust.out)

# One read-back: one answer a line until /etc/shadow, then the stats.
drydock shell --ro --format raw -a "$img" -i > out 2> err <<'END' ||
cat /etc/hostname
cat /etc/hosts
cat /etc/motd
cat /etc/nonl
cat /etc/new-file
is_dir /opt/a/b
is_file /opt/a/touched
ls /junk
readlink /l1
readlink /opt/l2
cat /opt/up.txt
cat /opt/a/tree/sub/f
cat /opt/copied.txt
cat /src.txt
cat /opt/moved.txt
exists /mv-src.txt
filesize /trunc
filesize /logs/deep/x.log
filesize /logs/y.log
cat /cmd-out
cat /script-ran
readlink /etc/localtime
cat /etc/timezone
cat /etc/shadow
lstatns /etc/motd
lstatns /etc/shadow
ls /tmp
END
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"

exp="newhost
127.0.0.1  localhost
127.0.1.1	newhost  # the old name
hello-motd
no newline at the end
second
first
true
true
keep
/etc/motd
/etc/motd
uploaded
in-tree
source
source
moving
false
0
0
0
cmd newhost
ran-script
/usr/share/zoneinfo/Europe/Paris
Europe/Paris"
expect_eq "files, links, commands, timezone" "$exp" "$(head -n 25 out)"
expect_eq "the other shadow lines" "daemon:*:19700:0:99999:7:::
bin:*:19700:0:99999:7:::
sys:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::" "$(grep -E '^(daemon|bin|sys|nobody):' out)"
root_hash=$(sed -n 's/^root:\([^:]*\):19700:0:99999:7:::$/\1/p' out)
user_hash=$(sed -n 's/^user:\([^:]*\):19700:0:99999:7:::$/\1/p' out)
case $root_hash in '$6$'*) ;; *) fail "root: not a SHA-512 hash: $root_hash" ;; esac
case $user_hash in '!$6$'*) ;; *) fail "user: not a locked hash: $user_hash" ;; esac
expect_eq "root's hash" "$root_hash" \
  "$(perl -e 'print crypt($ARGV[0], $ARGV[1])' s3cret "$root_hash")"
user_hash=${user_hash#!}
expect_eq "user's hash" "$user_hash" \
  "$(perl -e 'print crypt($ARGV[0], $ARGV[1])' "$randpw" "$user_hash")"
# /etc/motd became 0600; /etc/shadow kept 0640 and 0:42.
expect_eq "modes" "st_mode: 33152
st_mode: 33184" "$(grep '^st_mode' out)"
expect_eq "shadow owner" "st_uid: 0 st_gid: 42" \
  "$(grep -E '^st_(uid|gid)' out | tail -n 2 | tr '\n' ' ' | sed 's/ $//')"
! grep -q drydock-run out || fail "--run left its script in /tmp"

# ---- the transaction ----
one_line_fail "a failure in the middle" "^$P: --truncate /nope: " \
  cust --write /etc/motd:changed --truncate /nope --root-password disabled
one_line_fail "a failing command" "^$P: --run-command exit 3: " \
  cust --mkdir /zz --run-command 'exit 3' --touch /yy

keep_sums "$img"
cust -n --write /etc/motd:dry --root-password disabled ||
  fail "--dry-run failed"
sums_unchanged

cust --output-overlay "$scratch/new.qcow2" --write /etc/motd:kept \
  --password-crypto md5 --root-password password:md5pw ||
  fail "--output-overlay failed"
sums_unchanged
drydock shell --ro --format qcow2 -a "$scratch/new.qcow2" -i > out 2> err \
  <<'END' || fail "reading the overlay: $(cat err)"
cat /etc/motd
cat /etc/shadow
END
expect_eq "the overlay's motd" "kept" "$(head -n 1 out)"
root_hash=$(sed -n 's/^root:\([^:]*\):.*/\1/p' out)
case $root_hash in '$1$'*) ;; *) fail "root: not an md5 hash: $root_hash" ;; esac
expect_eq "md5 hash" "$root_hash" \
  "$(perl -e 'print crypt($ARGV[0], $ARGV[1])' md5pw "$root_hash")"
exit 0
