#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock sysprep: choosing operations, user-account, customize alone,
# bad input and --dry-run, on copies of sysprep.img (RHEL 7.9 on sda1,
# Debian 12 on sda2; users erin, frank on RHEL, alice, bob, carol on
# Debian; see tests/data/README.md):
#  - bad input (an unknown operation, "defaults" with --enable, --enable
#    twice, an empty name, user lists without user-account,
#    -a with -d, bad --mount-options, an image without an operating system, a
#    customize operation failing after every other operation ran) fails
#    with exactly one line and leaves the image byte-identical; so does
#    --dry-run, which succeeds;
#  - five runs on five copies, read back in one launch:
#    a. --enable flag-reconfiguration,ssh-hostkeys: only those two;
#    b. --operations firewall-rules,ca-certificates,kerberos-data,
#       defaults,-tmp-files,-logfiles,-customize;
#    c. --operations all --operations -defaults --keep-user-accounts
#       bob,frank: only the operations that are not defaults, user-account
#       keeping bob and frank, fs-uuids;
#    d. --enable user-account --remove-user-accounts carol,erin,alice
#       --keep-user-accounts alice: carol and erin go (line in passwd,
#       shadow, group, mail, home), the rest stays, shadow keeps its mode
#       and owner;
#    e. --enable customize --hostname only-customize: customize alone
#       (the hostname, a new random seed).
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64
cd "$scratch"
P="drydock sysprep"
img=$(scratch_copy "$(guest sysprep.img)")
empty=$(scratch_copy "$(guest empty.img)")

also_watched=$empty   # one_line_fail keeps it unchanged too

sp () { drydock sysprep -q --format raw -a "$img" "$@"; }

# ---- bad input ----
one_line_fail "unknown operation" \
  "^$P: --operations: 'nope' is not a known operation" \
  sp --operations logfiles,nope
one_line_fail "defaults with --enable" \
  "^$P: --enable: 'defaults' is not a known operation" sp --enable defaults
one_line_fail "--enable twice" "^$P: --enable can only be given once" \
  sp --enable logfiles --enable utmp
one_line_fail "--enable after --operations" \
  "^$P: --enable can only be given once" sp --operations utmp --enable utmp
one_line_fail "an empty name" "^$P: --operations: an empty operation name" \
  sp --operations logfiles,,utmp
one_line_fail "a user list without user-account" \
  "^$P: --remove-user-accounts was given, but the user-account operation is not enabled" \
  sp --remove-user-accounts bob
one_line_fail "an empty user name" \
  "^$P: --keep-user-accounts 'bob,': an empty user name$" \
  sp --enable user-account --keep-user-accounts bob,
one_line_fail "-a with -d" "^$P: -a and -d exclude each other" sp -d guest
one_line_fail "bad --mount-options" "^$P: --mount-options 'noatime': expected" \
  sp --mount-options noatime
one_line_fail "an image without an operating system" \
  "^$P: no operating system was found on the disks: nothing was changed$" \
  drydock sysprep -q --format raw -a "$empty"
one_line_fail "a customize operation failing last" \
  "^$P: --chmod 0644:/nonexistent: .*No such file or directory$" \
  sp --chmod 0644:/nonexistent

keep_sums "$img"
sp -n > dry.out 2> dry.err || fail "--dry-run failed: $(cat dry.err)"
[ ! -s dry.err ] || fail "--dry-run: unexpected messages: $(cat dry.err)"
sums_unchanged

# ---- five runs, five copies ----
for c in a b c d e; do cp --sparse=always "$img" "$c.img"; done
run () { drydock sysprep -q --format raw -a "$@" > run.out 2> run.err ||
           fail "sysprep $*: $(cat run.err)"
         [ ! -s run.err ] || fail "sysprep $*: messages: $(cat run.err)"; }
run a.img --enable flag-reconfiguration,ssh-hostkeys
run b.img --operations firewall-rules,ca-certificates,kerberos-data \
  --operations defaults,-tmp-files,-logfiles,-customize
run c.img --operations all --operations -defaults \
  --keep-user-accounts bob,frank
run d.img --enable user-account --remove-user-accounts carol,erin,alice \
  --keep-user-accounts alice
run e.img --enable customize --hostname only-customize

# exists DEV PATH...: "PATH true|false" lines.
{
  echo run
  ex () { local d=$1 p; shift; echo "mount $d /";
          for p in "$@"; do echo "echo $d $p"; echo "exists $p"; done; }
  # a: flag-reconfiguration and ssh-hostkeys, nothing else.
  ex /dev/sda1 /.unconfigured /etc/ssh/ssh_host_rsa_key /etc/ssh/sshd_config \
    /var/log/messages /tmp/a.txt /etc/sysconfig/iptables
  echo "filesize /etc/machine-id"; echo umount_all
  ex /dev/sda2 /.unconfigured /etc/ssh/ssh_host_ed25519_key.pub
  echo umount_all
  # b: the three non-defaults added, tmp-files, logfiles and customize
  # taken from the defaults.
  ex /dev/sdb1 /etc/sysconfig/iptables /etc/firewalld/zones/public.xml \
    /etc/firewalld/services/my.xml /etc/firewalld/firewalld.conf \
    /etc/pki/tls/certs/localhost.crt /etc/pki/tls/private/localhost.key \
    /etc/pki/CA/certs/my.crt /etc/pki/tls/certs/ca-bundle.crt \
    /etc/pki/tls/certs/ca-bundle.trust.crt /var/kerberos/krb5kdc/principal \
    /var/kerberos/krb5kdc/kdc.conf /var/kerberos/krb5kdc/kadm5.acl \
    /tmp/a.txt /var/log/messages /etc/ssh/ssh_host_rsa_key /.unconfigured
  echo "checksum md5 /var/lib/systemd/random-seed"; echo umount_all
  # c: the non-defaults only.
  ex /dev/sdc1 /.unconfigured /etc/sysconfig/iptables /var/log/messages \
    /etc/ssh/ssh_host_rsa_key /home/erin /home/frank
  echo "cat /etc/passwd"; echo umount_all
  ex /dev/sdc2 /home/alice /home/bob /home/carol
  echo "cat /etc/passwd"; echo umount_all
  echo "vfs_uuid /dev/sdc1"; echo "vfs_uuid /dev/sdc2"
  # d: user-account alone.
  ex /dev/sdd1 /home/erin /home/frank /var/spool/mail/erin \
    /var/spool/mail/frank
  echo "cat /etc/passwd"; echo "cat /etc/shadow"; echo "cat /etc/group"
  echo umount_all
  ex /dev/sdd2 /home/alice /home/bob /home/carol /var/mail/alice \
    /var/mail/carol /var/log/messages
  echo "cat /etc/passwd"; echo "cat /etc/shadow"; echo "cat /etc/group"
  echo "lstatns /etc/shadow"; echo umount_all
  # e: customize alone.
  ex /dev/sde1 /var/log/messages
  echo "cat /etc/hostname"; echo "filesize /etc/machine-id"
  echo "checksum md5 /var/lib/systemd/random-seed"; echo umount_all
  ex /dev/sde2 /etc/ssh/ssh_host_rsa_key
  echo "cat /etc/hostname"
} > readback.cmds
drydock shell --ro --format raw -a a.img -a b.img -a c.img -a d.img -a e.img \
  < readback.cmds > rb.out 2> rb.err || fail "reading back: $(cat rb.err)"
[ ! -s rb.err ] || fail "reading back: $(cat rb.err)"
# answers DEV: "PATH true|false" a line, for the paths asked on DEV.
answers () { awk -v d="$1" '$1 == d && NF == 2 { getline v; print $2, v }' rb.out; }
expect_eq "a: RHEL" "/.unconfigured true
/etc/ssh/ssh_host_rsa_key false
/etc/ssh/sshd_config true
/var/log/messages true
/tmp/a.txt true
/etc/sysconfig/iptables true" "$(answers /dev/sda1)"
expect_eq "a: machine-id not run" 33 \
  "$(sed -n '/^\/dev\/sda1 \/etc\/sysconfig\/iptables$/{n;n;p}' rb.out)"
expect_eq "a: Debian" "/.unconfigured true
/etc/ssh/ssh_host_ed25519_key.pub false" "$(answers /dev/sda2)"
expect_eq "b" "/etc/sysconfig/iptables false
/etc/firewalld/zones/public.xml false
/etc/firewalld/services/my.xml false
/etc/firewalld/firewalld.conf true
/etc/pki/tls/certs/localhost.crt false
/etc/pki/tls/private/localhost.key false
/etc/pki/CA/certs/my.crt false
/etc/pki/tls/certs/ca-bundle.crt true
/etc/pki/tls/certs/ca-bundle.trust.crt true
/var/kerberos/krb5kdc/principal false
/var/kerberos/krb5kdc/kdc.conf true
/var/kerberos/krb5kdc/kadm5.acl true
/tmp/a.txt true
/var/log/messages true
/etc/ssh/ssh_host_rsa_key false
/.unconfigured false" "$(answers /dev/sdb1)"
expect_eq "b: customize did not run (the seed is still zeros)" \
  bf619eac0cdf3f68d496ea9344137e8b \
  "$(sed -n '/^\/dev\/sdb1 \/.unconfigured$/{n;n;p}' rb.out)"
expect_eq "c: RHEL" "/.unconfigured true
/etc/sysconfig/iptables false
/var/log/messages true
/etc/ssh/ssh_host_rsa_key true
/home/erin false
/home/frank true" "$(answers /dev/sdc1)"
expect_eq "c: Debian" "/home/alice false
/home/bob true
/home/carol false" "$(answers /dev/sdc2)"
grep -q '^frank:x:1001:' rb.out && ! grep -q '^erin:x:1000:1000' rb.out ||
  fail "c: erin should be gone from RHEL's passwd, frank kept"
uuids=$(grep -E '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' rb.out)
case "$uuids" in
  *5e5e000[12]-*) fail "c: fs-uuids left a UUID: $uuids" ;;
esac
[ "$(echo "$uuids" | wc -l)" -eq 2 ] || fail "c: expected two UUIDs: $uuids"
expect_eq "d: RHEL" "/home/erin false
/home/frank true
/var/spool/mail/erin false
/var/spool/mail/frank true" "$(answers /dev/sdd1)"
expect_eq "d: Debian" "/home/alice true
/home/bob true
/home/carol false
/var/mail/alice true
/var/mail/carol false
/var/log/messages true" "$(answers /dev/sdd2)"
# d's files: RHEL's passwd, shadow, group, then Debian's.
d_files=$(sed -n '/^\/dev\/sdd1 \/var\/spool\/mail\/frank$/,/^\/dev\/sdd2 /p;
                  /^\/dev\/sdd2 \/var\/log\/messages$/,/^st_dev/p' rb.out |
          grep -E '^[a-z]+:')
expect_eq "d: passwd, shadow, group" \
"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sysacct:x:999:999:system account:/var/lib/sysacct:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
frank:x:1001:1001:frank:/home/frank:/bin/bash
root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
sysacct:!:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
frank:!:19700:0:99999:7:::
root:x:0:
daemon:x:1:
users:x:100:erin,frank
sysacct:x:999:
nogroup:x:65534:
frank:x:1001:
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sysacct:x:999:999:system account:/var/lib/sysacct:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
alice:x:1000:1000:alice:/home/alice:/bin/bash
bob:x:1001:1001:bob:/home/bob:/bin/bash
root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
sysacct:!:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
alice:!:19700:0:99999:7:::
bob:!:19700:0:99999:7:::
root:x:0:
daemon:x:1:
users:x:100:alice,bob,carol
sysacct:x:999:
nogroup:x:65534:
alice:x:1000:
bob:x:1001:" "$d_files"
expect_eq "d: Debian's shadow keeps 0640 and 0:42" "st_mode: 33184
st_uid: 0
st_gid: 42" "$(sed -n '/^\/dev\/sdd2 \/var\/log\/messages$/,$p' rb.out |
               grep -E '^st_(mode|uid|gid):' | head -n 3)"
expect_eq "e: RHEL" "/var/log/messages true" "$(answers /dev/sde1)"
e_files=$(sed -n '/^\/dev\/sde1 \/var\/log\/messages$/,/^\/dev\/sde2 /p' rb.out |
          sed -n '3,5p')
expect_eq "e: hostname and machine-id" "only-customize
33" "$(echo "$e_files" | head -n 2)"
[ "$(echo "$e_files" | sed -n 3p)" != bf619eac0cdf3f68d496ea9344137e8b ] ||
  fail "e: the random seed was not refreshed"
expect_eq "e: Debian" "/etc/ssh/ssh_host_rsa_key true" \
  "$(answers /dev/sde2)"
expect_eq "e: Debian's hostname" only-customize "$(tail -n 1 rb.out)"
exit 0
