#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SSH through qemu's ssh driver: sshd on 127.0.0.1 on a free port, with
# a throwaway host key, user key and configuration in the scratch
# directory, and an ssh agent of the test's own holding the user key.
# drydock inspect over ssh:// gives the same answer as on the raw image
# (the host key pinned with the SHA256 fingerprint ssh-keygen prints;
# and, where a mount namespace can be made, the user's default key and
# known_hosts);
# an unknown host key, a wrong key in the agent and a commit are one
# line each; the served image never changes.
. "$(dirname "$0")/../functions.sh"
requires qemu-img ssh-keygen ssh-agent ssh-add sshd /usr/bin/python3
sshd=$(command -v sshd || echo /usr/sbin/sshd)

raw=$(guest debian.img)
cd "$scratch"
cp --sparse=always "$raw" served.img
keep_sums served.img
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null

ssh-keygen -q -t ed25519 -N '' -C drydock-test-host -f hostkey
ssh-keygen -q -t ed25519 -N '' -C drydock-test-user -f userkey
ssh-keygen -q -t ed25519 -N '' -C drydock-test-wrong -f wrongkey
cp userkey.pub authorized_keys
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > sshd_config <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $scratch/hostkey
PidFile $scratch/sshd.pid
AuthorizedKeysFile $scratch/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
CONF
# sshd wants its privilege separation directory when run as root.
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
"$sshd" -f sshd_config -E "$scratch/sshd.log" || fail "sshd did not start: $(cat sshd.log)"
for _ in $(seq 100); do
  [ -s sshd.pid ] && break
  sleep 0.1
done
[ -s sshd.pid ] || fail "sshd did not start: $(cat sshd.log)"
add_cleanup "kill $(cat sshd.pid) 2>/dev/null || :"

eval "$(ssh-agent -a "$scratch/agent.sock")" >/dev/null
add_cleanup "kill $SSH_AGENT_PID 2>/dev/null || :"
ssh-add -q userkey
fp=$(ssh-keygen -l -E sha256 -f hostkey.pub | awk '{ print $2 }')
user=$(id -un)
url="ssh://$user@127.0.0.1:$port$scratch/served.img"

drydock inspect --format raw -a "$url?host_key_check=$fp" > got.xml 2> err.txt ||
  fail "ssh: $(cat err.txt)"
cmp -s want.xml got.xml || fail "ssh: inspect differs from raw"
# The same through protocol and server, the host key left unchecked.
out=$(drydock shell <<CMDS
add $scratch/served.img?host_key_check=no protocol:ssh server:127.0.0.1:$port username:$user format:raw readonly:true
run
mount-ro /dev/sda1 /
cat /etc/hostname
CMDS
) || fail "shell add protocol:ssh failed"
expect_eq "shell over ssh" "$(drydock cat --format raw -a "$raw" /etc/hostname)" "$out"

# Not in known_hosts (the test's host key is new to this user).
one=$( (drydock inspect --format raw -a "$url" || :) 2>&1)
[ "$(printf '%s\n' "$one" | wc -l)" -eq 1 ] || fail "unknown host key: not one line: $one"
echo "$one" | grep -Eq "^drydock inspect: add_drive: $url: .*(known_hosts|host key)" ||
  fail "unknown host key: $one"
expect_fail "commit into ssh" "cannot commit into it: a remote image is only read \(a commit is for NBD exports\)" \
  drydock customize --format raw -a "$url?host_key_check=$fp" --touch /x

# Without an agent: the user's default key, and the host key found in
# the user's known_hosts, in a home of the test's own mounted over the
# real one in a mount namespace (qemu's ssh library finds the home in
# the password database, not in HOME), the appliance cache kept in
# reach; skipped without root or a mount namespace.
home=$(getent passwd "$user" | cut -d: -f6)
cache=${DRYDOCK_CACHEDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drydock}
if [ "$(id -u)" = 0 ] && [ -d "$home" ] && [ -d "$cache" ] &&
   unshare -m true 2>/dev/null; then
  mkdir -p fakehome/.ssh cache
  cp userkey fakehome/.ssh/id_ed25519
  cp userkey.pub fakehome/.ssh/id_ed25519.pub
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 hostkey.pub)" > fakehome/.ssh/known_hosts
  SSH_AUTH_SOCK= DRYDOCK_CACHEDIR=$scratch/cache unshare -m sh -c '
    mount --bind "$1" "$2" && mount --bind "$3" "$4" && shift 4 && exec "$@"' sh \
    "$cache" "$scratch/cache" "$scratch/fakehome" "$home" \
    drydock inspect --format raw -a "$url" > got.xml 2> err.txt ||
    fail "ssh with the default key and known_hosts: $(cat err.txt)"
  cmp -s want.xml got.xml || fail "ssh, default key: inspect differs from raw"
else
  echo "$(basename "$0"): the default key and known_hosts not tested (needs root and unshare)"
fi

# The agent holds a key sshd does not know.
ssh-add -q -D
ssh-add -q wrongkey
one=$( (drydock inspect --format raw -a "$url?host_key_check=$fp" || :) 2>&1)
[ "$(printf '%s\n' "$one" | wc -l)" -eq 1 ] || fail "wrong key: not one line: $one"
case $one in
  "drydock inspect: add_drive: $url?host_key_check=$fp: "*authenticat*) ;;
  *) fail "wrong key: $one" ;;
esac

sums_unchanged
echo "$(basename "$0"): OK"
