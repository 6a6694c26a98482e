#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize: --hostname on each distribution family, the
# subscription-manager operations and --password-crypto in a commands
# file, on a copy of debian.img made able to run commands (the host's
# static busybox is its /bin/sh) with a fake /usr/sbin/subscription-
# manager that records its arguments and whether the appliance's
# network is up, and fails when one holds "fail-me".
#  - refused before the launch, one line, the image byte-identical:
#    bad --sm-credentials and --sm-attach selectors (the password not
#    in the message), --sm-register without --sm-credentials (also
#    from a commands file, and in drydock sysprep), an unknown
#    password-crypto in a commands file (named FILE:LINE);
#  - the first run (Debian) makes the guest, then: a commands file
#    with password-crypto md5, a root password and the credentials;
#    --hostname with a dotted name (/etc/hostname, and /etc/hosts: the
#    old name, the old short name and unassigned-hostname[.domain]
#    replaced on every line, comments and localhost kept); every
#    --sm-* operation under -x: the password in no trace line, though
#    the other commands are traced; the network on by default;
#  - each later run switches /usr/lib/os-release to the next family
#    after its operations, and copies what --hostname wrote aside:
#    Fedora 17 (HOSTNAME= in /etc/sysconfig/network, the other lines
#    kept), Fedora 39 (/etc/hostname and PRETTY_HOSTNAME= in
#    /etc/machine-info, a CRLF and a missing last newline mended,
#    /etc/hosts untouched), CentOS 6 (/etc/sysconfig/network created),
#    Rocky 9 (as Fedora 39; --sm-register with file: credentials),
#    openSUSE (/etc/HOSTNAME, no newline), Arch (nothing written, one
#    warning);
#  - a failing register: one line naming subscription-manager's last
#    line of output, not the password, the image byte-identical;
#  - read back: the recorded commands, the files, root's $1$ hash,
#    and the log of guest commands holding the fake's output but no
#    password.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64
requires_static_busybox

cd "$scratch"
P="drydock customize"
img=$(scratch_copy "$(guest debian.img)")
PW=S3cret-Pw0rd
PW2=Fil3-Pw0rd

forbidden="$PW|$PW2|Fail-Pw"   # one_line_fail: never in a message

cust () { drydock customize -q --format raw -a "$img" "$@"; }

printf '%s\n' "$PW2" > cred.txt
printf '2c9f8a0b\nignored\n' > pool.txt

# ---- refusals before the launch ----
sel="expected USER:password:PASSWORD or USER:file:FILENAME \(no ':' in the password, none empty\)$"
one_line_fail "a ':' in the password" \
  "^$P: --sm-credentials 'alice:\.\.\.': $sel" \
  cust --sm-credentials "alice:password:$PW:x"
one_line_fail "an empty password" \
  "^$P: --sm-credentials 'alice:\.\.\.': $sel" \
  cust --sm-credentials alice:password:
one_line_fail "a misspelt kind" \
  "^$P: --sm-credentials 'alice:\.\.\.': $sel" \
  cust --sm-credentials "alice:pasword:$PW"
one_line_fail "no user" "^$P: --sm-credentials '\.\.\.': $sel" \
  cust --sm-credentials "$PW"
one_line_fail "a missing credentials file" \
  "^$P: --sm-credentials 'alice:file:nope.txt': 'nope.txt': No such file" \
  cust --sm-credentials alice:file:nope.txt
one_line_fail "an empty pool" \
  "^$P: --sm-attach 'pool:': expected auto, pool:POOL or file:FILENAME$" \
  cust --sm-attach pool:
one_line_fail "an unknown attach selector" \
  "^$P: --sm-attach 'all': expected auto, pool:POOL or file:FILENAME$" \
  cust --sm-attach all
one_line_fail "a missing pool file" \
  "^$P: --sm-attach 'file:nope.txt': 'nope.txt': No such file" \
  cust --sm-attach file:nope.txt
one_line_fail "--sm-register without credentials" \
  "^$P: --sm-register needs the credentials of --sm-credentials " \
  cust --sm-register --sm-attach auto
printf 'sm-register\n# no credentials\n' > nocred.cmds
one_line_fail "--sm-register from a file without credentials" \
  "^$P: --sm-register needs the credentials of --sm-credentials " \
  cust --commands-from-file nocred.cmds
one_line_fail "sysprep's --sm-register without credentials" \
  "^drydock sysprep: --sm-register needs the credentials of --sm-credentials " \
  drydock sysprep -q --format raw -a "$img" --sm-register
printf '# crypto\n\npassword-crypto md4\n' > badcrypto.cmds
one_line_fail "an unknown password-crypto in a file" \
  "^$P: badcrypto.cmds:3: --password-crypto 'md4': unknown \(use md5, sha256 or sha512\)$" \
  cust --commands-from-file badcrypto.cmds

# ---- Debian: the guest made, hostname, every --sm-* operation ----
cat > sm <<'EOF'
#!/bin/sh
net=none
[ -e /sys/class/net/eth0 ] && net=up
echo "${0##*/} $*|$net" >> /sm.log
case "$*" in
  *fail-me*) echo "Registering to: subscription.example.com:443/sub"
             echo "Invalid username or password."; exit 70 ;;
esac
echo "fake-sm: $1 done"
EOF
printf '%s\n' \
  '127.0.0.1	localhost' \
  '127.0.1.1	oldname.example.org oldname   # oldname stays in comments' \
  '10.0.0.5 oldname	db' \
  '# oldname.example.org on a comment line' \
  '::1 localhost ip6-localhost unassigned-hostname.unassigned-domain unassigned-hostname' \
  > hosts
printf '%s\n' '# the first run' 'password-crypto md5' \
  'root-password password:r00t-pw' "sm-credentials alice:password:$PW" \
  > first.cmds
rc=0
drydock customize -x --format raw -a "$img" \
  --upload "$BUSYBOX:/usr/bin/busybox" --chmod 0755:/usr/bin/busybox \
  --link busybox:/usr/bin/sh --upload sm:/usr/sbin/subscription-manager \
  --chmod 0755:/usr/sbin/subscription-manager \
  --write /etc/hostname:$'oldname.example.org\n' \
  --upload hosts:/etc/hosts --mkdir /etc/sysconfig \
  --write /etc/sysconfig/network:$'NETWORKING=yes\nHOSTNAME=old.example.org\nDHCP_HOSTNAME=keep\nHOSTNAME=dup\n' \
  --write /etc/machine-info:$'PRETTY_HOSTNAME=Old\r\nICON_NAME=computer-vm\r\nCHASSIS=vm' \
  --commands-from-file first.cmds \
  --hostname web1.new.test \
  --sm-register --sm-attach auto --sm-attach pool:8a85f9 \
  --sm-attach file:pool.txt --sm-remove --sm-unregister \
  --delete /etc/debian_version --mkdir /r --mkdir /var/lib/systemd \
  --write /var/lib/systemd/random-seed:seed \
  --copy /etc/hostname:/r/debian-hostname --copy /etc/hosts:/r/debian-hosts \
  --write "/usr/lib/os-release:$(osrel fedora 17)" \
  > first.out 2> first.err || rc=$?
[ "$rc" -eq 0 ] || fail "the Debian run failed: $(grep -v trace: first.err)"
! grep -q -- "$PW" first.err || fail "the password is in the trace"
grep -q "trace: sh .*attach --pool='8a85f9'" first.err ||
  fail "the commands are not traced (the check above proves nothing)"
# The guest had no random seed yet (every later run finds one).
expect_eq "the Debian run's messages" \
  "$P: warning: random seed could not be set for this type of guest" \
  "$(grep -v 'libdrydock: trace:' first.err)"

# ---- the other families, each switching to the next ----
cust --hostname f17.example.com --copy /etc/sysconfig/network:/r/f17-network \
  --copy /etc/hostname:/r/f17-hostname \
  --write "/usr/lib/os-release:$(osrel fedora 39)" ||
  fail "the Fedora 17 run failed"
cust --hostname f39 --copy /etc/hostname:/r/f39-hostname \
  --copy /etc/machine-info:/r/f39-machine-info --copy /etc/hosts:/r/f39-hosts \
  --copy /etc/sysconfig/network:/r/f39-network \
  --write "/usr/lib/os-release:$(osrel centos 6.10)" ||
  fail "the Fedora 39 run failed"
cust --delete /etc/sysconfig/network --hostname c6.example.com \
  --copy /etc/sysconfig/network:/r/c6-network \
  --write "/usr/lib/os-release:$(osrel rocky 9.3)" ||
  fail "the CentOS 6 run failed"
cust --sm-credentials bob:file:cred.txt --sm-register \
  --hostname r9.example.com --copy /etc/hostname:/r/r9-hostname \
  --copy /etc/machine-info:/r/r9-machine-info \
  --write "/usr/lib/os-release:$(osrel opensuse-leap 15.5)" 2> r9.err ||
  fail "the Rocky 9 run failed: $(cat r9.err)"
[ ! -s r9.err ] || fail "the Rocky 9 run: $(cat r9.err)"
cust --hostname suse1.example.com --copy /etc/HOSTNAME:/r/suse-HOSTNAME \
  --write "/usr/lib/os-release:$(osrel arch)" ||
  fail "the openSUSE run failed"
cust --hostname arch1 --copy /etc/hostname:/r/arch-hostname \
  --copy /etc/HOSTNAME:/r/arch-HOSTNAME --copy /etc/hosts:/r/arch-hosts \
  2> arch.err || fail "the Arch run failed: $(cat arch.err)"
expect_eq "the Arch warning" \
  "$P: warning: hostname could not be set for this type of guest" \
  "$(cat arch.err)"

# ---- a failing register ----
one_line_fail "a failing register" \
  "^$P: --sm-register: subscription-manager failed: Invalid username or password\.$" \
  cust --sm-credentials fail-me:password:Fail-Pw --sm-register

# ---- reading everything back ----
mkdir back
drydock shell --ro --format raw -a "$img" -i > out 2> err <<'END' ||
copy_out /r back
download /sm.log back/sm.log
download /etc/shadow back/shadow
download /tmp/builder.log back/builder.log
END
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"
sm="subscription-manager"
expect_eq "the subscription-manager commands" \
  "$sm register --username=alice --password=$PW|up
$sm attach --auto|up
$sm attach --pool=8a85f9|up
$sm attach --pool=2c9f8a0b|up
$sm remove --all|up
$sm unregister|up
$sm register --username=bob --password=$PW2|up" \
  "$(cat back/sm.log)"

# expect_file WHAT FILE CONTENT: FILE holds CONTENT exactly (printf's).
expect_file ()
{
  printf "$3" > expected
  cmp -s expected "$2" ||
    fail "$1: expected $(od -c expected | head -n 8), got $(od -c "$2" | head -n 8)"
}
hosts_after='127.0.0.1\tlocalhost
127.0.1.1\tweb1.new.test web1   # oldname stays in comments
10.0.0.5 web1\tdb
# oldname.example.org on a comment line
::1 localhost ip6-localhost web1.new.test web1\n'
net_after='NETWORKING=yes\nDHCP_HOSTNAME=keep\nHOSTNAME=f17.example.com\n'
expect_file "Debian /etc/hostname" back/r/debian-hostname 'web1.new.test\n'
expect_file "Debian /etc/hosts" back/r/debian-hosts "$hosts_after"
expect_file "Fedora 17 /etc/sysconfig/network" back/r/f17-network "$net_after"
expect_file "Fedora 17 /etc/hostname (untouched)" back/r/f17-hostname \
  'web1.new.test\n'
expect_file "Fedora 39 /etc/hostname" back/r/f39-hostname 'f39\n'
expect_file "Fedora 39 /etc/machine-info" back/r/f39-machine-info \
  'ICON_NAME=computer-vm\nCHASSIS=vm\nPRETTY_HOSTNAME=f39\n'
expect_file "Fedora 39 /etc/hosts (untouched)" back/r/f39-hosts "$hosts_after"
expect_file "Fedora 39 /etc/sysconfig/network (untouched)" \
  back/r/f39-network "$net_after"
expect_file "CentOS 6 /etc/sysconfig/network" back/r/c6-network \
  'HOSTNAME=c6.example.com\n'
expect_file "Rocky 9 /etc/hostname" back/r/r9-hostname 'r9.example.com\n'
expect_file "Rocky 9 /etc/machine-info" back/r/r9-machine-info \
  'ICON_NAME=computer-vm\nCHASSIS=vm\nPRETTY_HOSTNAME=r9.example.com\n'
expect_file "openSUSE /etc/HOSTNAME" back/r/suse-HOSTNAME 'suse1.example.com'
expect_file "Arch /etc/hostname (untouched)" back/r/arch-hostname \
  'r9.example.com\n'
expect_file "Arch /etc/HOSTNAME (untouched)" back/r/arch-HOSTNAME \
  'suse1.example.com'
expect_file "Arch /etc/hosts (untouched)" back/r/arch-hosts "$hosts_after"

# Root's hash is MD5 ($1$, from the commands file); the log holds the
# fake's output but no password.
grep -q '^root:\$1\$' back/shadow ||
  fail "root's password is not an MD5 hash: $(grep '^root:' back/shadow)"
grep -q '^fake-sm: register done$' back/builder.log ||
  fail "the log lacks the command's output: $(cat back/builder.log)"
! grep -Eq -- "$PW|$PW2|Fail-Pw" back/builder.log ||
  fail "a password is in the log"
exit 0
