#!/bin/bash -
# drydock sysprep with its default operations, end to end on a copy of
# sysprep.img (two roots: RHEL 7.9 on sda1, Debian 12 on sda2; see
# tests/data/README.md):
#  - --list-operations prints the 43 operations, "*" on the defaults;
#  - one run with the defaults and three customize operations (which run
#    after the others: what they write in /tmp and /var/log stays);
#  - one read-back launch over the original and the result: on each
#    root exactly the files the default operations remove are gone
#    (the same ones virt-sysprep 1.48 removes from this image), nothing
#    else, and nothing but customize's files is new (RHEL's
#    /etc/machine-info among them, from --hostname); the edited files
#    (ifcfg on RHEL only, machine IDs emptied, at's .SEQ reset, pacct
#    emptied, a new random seed with its mode) read back as expected;
#    the filesystem UUIDs and /etc/shadow are untouched.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64
cd "$scratch"
orig=$(guest sysprep.img)
img=$(scratch_copy "$orig")

# ---- --list-operations ----
drydock sysprep --list-operations > ops.out || fail "--list-operations failed"
expect_eq "operations and defaults" "abrt-data *
backup-files *
bash-history *
blkid-tab *
ca-certificates
crash-data *
cron-spool *
customize *
dhcp-client-state *
dhcp-server-state *
dovecot-data *
firewall-rules
flag-reconfiguration
fs-uuids
ipa-client *
kerberos-data
kerberos-hostkeytab *
logfiles *
lvm-uuids *
machine-id *
mail-spool *
net-hostname *
net-hwaddr *
net-nmconn *
pacct-log *
package-manager-cache *
pam-data *
passwd-backups *
puppet-data-log *
rh-subscription-manager *
rhn-systemid *
rpm-db *
samba-db-log *
script *
smolt-uuid *
ssh-hostkeys *
ssh-userdir *
sssd-db-log *
tmp-files *
udev-persistent-net *
user-account
utmp *
yum-uuid *" "$(cut -d' ' -f1,2 ops.out | sed 's/ $//')"
expect_eq "the line of a default" \
  "net-hwaddr * Remove HWADDR (hard-coded MAC address) configuration" \
  "$(grep '^net-hwaddr ' ops.out)"
expect_eq "the line of a non-default" \
  "user-account   Remove the user accounts in the guest" \
  "$(grep '^user-account ' ops.out)"

# ---- the defaults, and customize after them ----
drydock sysprep -q --format raw -a "$img" --hostname sysprepped \
  --write /tmp/after:customize-ran --touch /var/log/after.log \
  > run.out 2> run.err || fail "sysprep failed: $(cat run.err)"
[ ! -s run.err ] || fail "unexpected messages: $(cat run.err)"

# One read-back: the original is sda, the result sdb.
{
  echo run
  for p in 1 2; do
    echo "mount /dev/sda$p /"; echo "echo @@ before$p"; echo "find /"
    echo "echo @@ ifcfg$p"
    echo "cat /etc/sysconfig/network-scripts/ifcfg-eth0"
    echo "echo @@ shadow-before$p"
    echo "checksum sha256 /etc/shadow"
    echo umount_all
  done
  for p in 1 2; do
    echo "mount /dev/sdb$p /"; echo "echo @@ after$p"; echo "find /"
    echo "echo @@ files$p"
    echo "cat /etc/hostname"
    echo "cat /tmp/after"
    echo "filesize /etc/machine-id"
    echo "filesize /var/lib/dbus/machine-id"
    echo "echo @@ ifcfg-after$p"
    echo "cat /etc/sysconfig/network-scripts/ifcfg-eth0"
    echo "echo @@ ifcfg-lo$p"
    echo "cat /etc/sysconfig/network-scripts/ifcfg-lo"
    echo "echo @@ seq$p"
    echo "-cat /var/spool/at/.SEQ"
    echo "-cat /var/spool/cron/atjobs/.SEQ"
    echo "-filesize /var/account/pacct"
    echo "-filesize /var/log/account/pacct"
    echo "echo @@ seed$p"
    echo "filesize /var/lib/systemd/random-seed"
    echo "checksum md5 /var/lib/systemd/random-seed"
    echo "lstatns /var/lib/systemd/random-seed"
    echo "echo @@ shadow$p"
    echo "checksum sha256 /etc/shadow"
    echo umount_all
  done
  echo "echo @@ uuids"
  for p in 1 2 3; do echo "vfs_uuid /dev/sdb$p"; done
} > readback.cmds
drydock shell --ro --format raw -a "$orig" -a "$img" < readback.cmds \
  > rb.out 2> rb.err || fail "reading back: $(cat rb.err)"

# section NAME: the read-back's lines after "@@ NAME", up to the next.
section ()
{
  awk -v s="@@ $1" '$0 == s { p = 1; next } /^@@ / { p = 0 } p' rb.out
}
common="etc/Pegasus/server.pem etc/blkid.tab.old etc/blkid/blkid.tab
etc/blkid/blkid.tab.old etc/fstab.bak etc/group- etc/gshadow- etc/hosts~
etc/ipa/ca.crt etc/ipa/default.conf etc/krb5.keytab etc/passwd-
etc/shadow- etc/smolt/hw-uuid etc/smolt/uuid etc/ssh/ssh_host_ed25519_key
etc/ssh/ssh_host_ed25519_key.pub etc/ssh/ssh_host_rsa_key
etc/ssh/ssh_host_rsa_key.pub etc/subgid- etc/subuid-
etc/sysconfig/hw-uuid etc/udev/rules.d/70-persistent-net.rules
root/.bash_history root/.ssh root/.ssh/authorized_keys
root/anaconda-ks.cfg root/install.log root/notes~ run/sepermit/x run/utmp
srv/www/index.html.bak tmp/.X0-lock tmp/a.txt tmp/sub tmp/sub/deep.txt
var/cache/man/index.db var/crash/127.0.0.1-2023-11-14
var/crash/127.0.0.1-2023-11-14/vmcore var/lib/dovecot/instances
var/lib/ipa-client/pki/kdc-ca-bundle.pem
var/lib/ipa-client/sysrestore/sysrestore.state var/lib/logrotate.status
var/lib/misc/deep/state.bak var/lib/puppet/ssl/certs/ca.pem
var/lib/puppet/state/state.yaml var/lib/samba/private/secrets.tdb
var/lib/samba/registry.tdb var/lib/sss/db/cache_default.ldb
var/log/apt/history.log var/log/audit/audit.log var/log/boot.log
var/log/boot.log.1 var/log/btmp var/log/cron var/log/dmesg
var/log/dump/dump.1 var/log/httpd/access_log var/log/journal/0123abcd
var/log/journal/0123abcd/system.journal var/log/lastlog
var/log/libvirt/qemu/guest.log var/log/messages var/log/messages-20231101
var/log/ntp var/log/puppet/puppet.log var/log/samba/log.smbd
var/log/samba/old/log.nmbd var/log/secure var/log/sssd/sssd.log
var/log/syslog var/log/wtmp var/named/data/named.run
var/spool/abrt/ccpp-2023-11-14-1234
var/spool/abrt/ccpp-2023-11-14-1234/coredump var/spool/abrt/last-ccpp
var/tmp/.hidden var/tmp/.hidden/x var/tmp/b.txt"
rhel="etc/NetworkManager/system-connections/eth0.nmconnection
etc/pki/ca-trust/source/anchors/ipa-ca.crt etc/pki/ca-trust/source/ipa.p11-kit
etc/pki/consumer/cert.pem etc/pki/entitlement/123.pem
etc/sysconfig/rhn/osad-auth.conf etc/sysconfig/rhn/systemid
home/erin/.bash_history home/erin/.ssh home/erin/.ssh/id_ed25519
run/console/erin run/faillock/erin var/account/pacct-20231101
var/cache/yum/x86_64/7/base/repomd.xml var/cache/yum/x86_64/7/timedhosts.txt
var/lib/dhclient/dhclient-eth0.leases var/lib/dhcpd/dhcpd.leases
var/lib/rpm/__db.001 var/lib/rpm/__db.002 var/lib/yum/uuid
var/spool/at/a0000101a2b3c4 var/spool/at/spool/kept var/spool/cron/erin
var/spool/mail/erin var/spool/mail/frank"
debian="home/alice/.bash_history home/alice/.ssh home/alice/.ssh/id_ed25519
run/console/alice run/faillock/alice usr/local/share/ca-certificates/ipa-ca.crt
var/cache/apt/archives/bash_5.2.15-2_amd64.deb var/cache/apt/archives/lock
var/cache/apt/archives/partial/x.deb var/lib/dhcp/dhclient.eth0.leases
var/log/account/pacct.0 var/log/installer/lsb-release var/log/installer/syslog
var/mail/alice var/mail/bob var/mail/carol var/spool/cron/atjobs/a00001019a7c2d
var/spool/cron/atspool/kept var/spool/cron/crontabs/alice"

for p in 1 2; do
  # --hostname on RHEL 7 writes PRETTY_HOSTNAME= in /etc/machine-info.
  if [ "$p" = 1 ]; then extra=$rhel; new=etc/machine-info
  else extra=$debian; new=; fi
  section "before$p" | sort > b$p
  section "after$p" | sort > a$p
  expect_eq "root $p: removed" \
    "$(printf '%s\n' $common $extra | sort)" "$(comm -23 b$p a$p)"
  expect_eq "root $p: added" "$(printf '%s\n' $new tmp/after \
    var/log/after.log)" "$(comm -13 b$p a$p)"
  expect_eq "root $p: customize and machine IDs" "sysprepped
customize-ran
0
0" "$(section "files$p")"
  expect_eq "root $p: at's counters and pacct" "00000
0" "$(section "seq$p")"
  seed=$(section "seed$p")
  expect_eq "root $p: seed size" 512 "$(echo "$seed" | sed -n 1p)"
  # 512 zero bytes before.
  [ "$(echo "$seed" | sed -n 2p)" != bf619eac0cdf3f68d496ea9344137e8b ] ||
    fail "root $p: the random seed was not refreshed"
  expect_eq "root $p: seed mode" "st_mode: 33152" \
    "$(echo "$seed" | grep '^st_mode:')"
  expect_eq "root $p: /etc/shadow untouched" \
    "$(section "shadow-before$p")" "$(section "shadow$p")"
done
expect_eq "RHEL: ifcfg without HWADDR, HOSTNAME, DHCP_HOSTNAME" "DEVICE=eth0
BOOTPROTO=dhcp
 HWADDR=kept-with-a-space
ONBOOT=yes" "$(section ifcfg-after1)"
expect_eq "RHEL: ifcfg-lo rewritten with a final newline" "DEVICE=lo
ONBOOT=yes" "$(section ifcfg-lo1)"
expect_eq "Debian: ifcfg untouched" "$(section ifcfg2)" \
  "$(section ifcfg-after2)"
expect_eq "filesystem UUIDs untouched" "5e5e0001-0000-4000-8000-000000000001
5e5e0002-0000-4000-8000-000000000002
5e5e0003-0000-4000-8000-000000000003" "$(section uuids)"
exit 0
