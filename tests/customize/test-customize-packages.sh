#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize: the package and firstboot operations, on a copy of
# debian.img made able to run commands (the host's static busybox is its
# /bin/sh) with a fake package manager: one busybox script installed as
# apt-get, dnf, yum, zypper, pacman, apk, xbps-*, urpmi and urpme, which
# records its name, arguments, DEBIAN_FRONTEND, whether the appliance's
# network is up and the first line of /etc/resolv.conf.
#  - bad package lists and a missing firstboot script are refused before
#    the launch, with one line;
#  - apt: a failing install without the network says the package
#    manager's last line and that --no-network was given (one line,
#    image byte-identical); --install, --uninstall and --update run
#    virt-customize's commands, with the network on by default and the
#    appliance's resolver standing in for the guest's (a dangling
#    symlink, put back afterwards);
#  - dnf, yum, zypper, pacman, apk, xbps, urpmi: each run switches the
#    guest's os-release to the next family (after its own operations),
#    so inspection sees each in turn; their commands are checked;
#  - firstboot: --firstboot-command, --firstboot and --firstboot-install
#    add NNNN- scripts in command-line order, the runner, the systemd
#    unit enabled in multi-user.target.wants and Debian's init.d and rc
#    links; a second run executes the runner twice with --run-command:
#    every script ran once, in order, moved to scripts-done, its output
#    in /root/drydock-firstboot.log;
#  - refusals, one line and the image byte-identical: guest programs in
#    an aarch64 guest (checked before the first operation: no write is
#    traced), a package manager we do not know (gentoo's portage),
#    guest programs and firstboot packages in a Windows guest (its
#    firstboot scripts: test-customize-windows.sh).
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64
requires_static_busybox

cd "$scratch"
P="drydock customize"
img=$(scratch_copy "$(guest debian.img)")


cust () { drydock customize -q --format raw -a "$img" "$@"; }

# ---- --help, and refusals before the launch ----
drydock customize --help > help.out || fail "--help failed"
for op in install uninstall update firstboot firstboot-command \
          firstboot-install; do
  grep -q -- "^  --$op" help.out || fail "--help does not list --$op"
done
grep -q "but on for --install, --uninstall and --update" help.out ||
  fail "--help does not give the network default"
one_line_fail "an empty package name" \
  "^$P: --install 'sl,,cowsay': an empty package name$" cust --install sl,,cowsay
one_line_fail "a shell metacharacter" \
  "^$P: --uninstall 'sl;reboot': 'sl;reboot' is not a package name" \
  cust --uninstall 'sl;reboot'
one_line_fail "an option as a package" \
  "^$P: --firstboot-install '-y': '-y' is not a package name" \
  cust --firstboot-install=-y
one_line_fail "a missing firstboot script" \
  "^$P: --firstboot 'nope.sh': 'nope.sh': No such file" cust --firstboot nope.sh
one_line_fail "--update takes no argument" "--update" cust --update=x

# ---- the guest: busybox, the fake package manager, init directories,
# a resolv.conf symlink that dangles in the image ----
cat > pm <<'EOF'
#!/bin/sh
net=none
[ -e /sys/class/net/eth0 ] && net=up
dns=none
{ read -r dns < /etc/resolv.conf; } 2>/dev/null
echo "${0##*/} $*|${DEBIAN_FRONTEND-}|$net|$dns" >> /pm.log
case " $* " in
  *" fail-me "*) echo "Reading package lists..."
                 echo "E: Unable to locate package fail-me"; exit 100 ;;
esac
exit 0
EOF
printf '#!/bin/sh\necho "script $0" >> /fb.out\n' > my-script.sh
# The ELF header of an aarch64 program, for inspection's architecture.
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000' \
  > arm-bash
{
  echo "upload $BUSYBOX /usr/bin/busybox"
  echo "chmod 0755 /usr/bin/busybox"
  for l in sh mv mkdir; do echo "ln_sf busybox /usr/bin/$l"; done
  for p in apt-get dnf yum zypper pacman apk xbps-install xbps-remove \
           urpmi urpme; do
    echo "upload pm /usr/bin/$p"
    echo "chmod 0755 /usr/bin/$p"
  done
  echo "rm /etc/debian_version"
  echo "mkdir_p /etc/systemd/system"
  echo "mkdir_p /etc/init.d"
  echo "ln_sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf"
} > prep.cmds
drydock shell --format raw -a "$img" -i < prep.cmds > out 2> err ||
  fail "preparing the guest: $(cat err)"

# ---- apt ----
one_line_fail "a failing install without the network" \
  "^$P: --install fail-me: the package manager failed: E: Unable to locate package fail-me \(the appliance has no network: --no-network was given\)$" \
  cust --no-network --install fail-me

cust --firstboot-command 'echo "one $0" >> /fb.out' \
  --firstboot my-script.sh \
  --firstboot-install 'sl,gcc-c++' \
  --install 'sl,cowsay=3.03' --uninstall nano --update ||
  fail "the apt and firstboot run failed"
runner=/usr/lib/drydock-firstboot/firstboot.sh
cust --run-command "$runner start" --run-command "$runner" \
  --firstboot-command 'echo "later $0" >> /fb.out' \
  --write "/usr/lib/os-release:$(osrel fedora 38)" ||
  fail "running the firstboot scripts failed"

# ---- the other families, each switching to the next ----
next=(centos:7.9 opensuse-leap:15.5 arch: alpine:3.19.1 void: mageia:9 gentoo:2.14)
for n in "${next[@]}"; do
  cust --install 'p1,p2+x' --uninstall p3 --update \
    --write "/usr/lib/os-release:$(osrel "${n%%:*}" "${n#*:}")" ||
    fail "the run before $n failed"
done
cust --upload arm-bash:/usr/bin/bash || fail "uploading an aarch64 bash failed"

# ---- refusals ----
# aarch64: checked before the first operation, so nothing is written.
keep_sums "$img"
rc=0
drydock customize -x --format raw -a "$img" \
  --firstboot-command 'echo on-arm' --run-command true 2> trace.err || rc=$?
[ "$rc" -ne 0 ] || fail "--run-command in an aarch64 guest worked"
grep '^drydock customize:' trace.err > refusal
expect_eq "the aarch64 refusal" "$P: --run-command true: the guest's architecture (aarch64) is not the appliance's (x86_64): its programs cannot run here (use --firstboot* instead); nothing was changed" \
  "$(cat refusal)"
! grep -Eq 'trace: (mkdir_p|write|upload|ln_sf|chmod|sh) ' trace.err ||
  fail "something was written before the refusal: $(grep trace: trace.err)"
sums_unchanged
one_line_fail "an unknown package manager" \
  "^$P: --firstboot-install sl: the guest's package manager, portage, is not supported \(use --run-command or --firstboot-command instead\); nothing was changed$" \
  cust --firstboot-install sl

# ---- reading everything back ----
drydock shell --ro --format raw -a "$img" -i > out 2> err <<'END' ||
cat /pm.log
ls /usr/lib/drydock-firstboot/scripts
ls /usr/lib/drydock-firstboot/scripts-done
cat /fb.out
cat /root/drydock-firstboot.log
readlink /etc/systemd/system/multi-user.target.wants/drydock-firstboot.service
readlink /etc/init.d/drydock-firstboot
readlink /etc/rc2.d/S99drydock-firstboot
readlink /etc/rc3.d/S99drydock-firstboot
readlink /etc/rc5.d/S99drydock-firstboot
readlink /etc/resolv.conf
ls /etc
ls /tmp
cat /usr/lib/drydock-firstboot/scripts-done/0003-install-sl-gcc-c--
cat /usr/lib/systemd/system/drydock-firstboot.service
END
  fail "reading back: $(cat err)"
[ ! -s err ] || fail "unexpected errors: $(cat err)"

apt="apt-get -q -y -o Dpkg::Options::=--force-confnew"
ok="|noninteractive|up|nameserver 10.0.2.3"
rec () { printf '%s||up|nameserver 10.0.2.3\n' "$1"; }
exp="$apt update$ok
$apt install sl cowsay=3.03$ok
$apt remove nano$ok
$apt update$ok
$apt upgrade$ok
$apt update|noninteractive|none|none
$apt install sl gcc-c++|noninteractive|none|none
$(rec 'dnf -y install p1 p2+x')
$(rec 'dnf -y remove p3')
$(rec 'dnf -y --best upgrade')
$(rec 'yum -y install p1 p2+x')
$(rec 'yum -y remove p3')
$(rec 'yum -y update')
$(rec 'zypper -n in -l p1 p2+x')
$(rec 'zypper -n rm p3')
$(rec 'zypper -n update -l')
$(rec 'pacman -S --noconfirm p1 p2+x')
$(rec 'pacman -R p3')
$(rec 'pacman -Su')
$(rec 'apk update')
$(rec 'apk add p1 p2+x')
$(rec 'apk del p3')
$(rec 'apk update')
$(rec 'apk upgrade')
$(rec 'xbps-install -Sy p1 p2+x')
$(rec 'xbps-remove -Sy p3')
$(rec 'xbps-install -Suy')
$(rec 'urpmi p1 p2+x')
$(rec 'urpme p3')
$(rec 'urpmi --auto-select')"
# Without --network the runner's install saw neither a network nor a
# resolver (the guest's own resolv.conf dangles).
expect_eq "the package commands" "$exp" "$(head -n 30 out)"

# The firstboot scripts: the one added by the second run waits; the
# first three ran once, in order (the runner ran twice).
d=/usr/lib/drydock-firstboot/scripts-done
expect_eq "the firstboot scripts" "0004-echo--later--0------fb-out
0001-echo--one--0------fb-out
0002-my-script-sh
0003-install-sl-gcc-c--
one $d/0001-echo--one--0------fb-out
script $d/0002-my-script-sh
=== running 0001-echo--one--0------fb-out ===
=== 0001-echo--one--0------fb-out: exit status 0 ===
=== running 0002-my-script-sh ===
=== 0002-my-script-sh: exit status 0 ===
=== running 0003-install-sl-gcc-c-- ===
=== 0003-install-sl-gcc-c--: exit status 0 ===
/usr/lib/systemd/system/drydock-firstboot.service
$runner
../init.d/drydock-firstboot
../init.d/drydock-firstboot
../init.d/drydock-firstboot
../run/systemd/resolve/stub-resolv.conf" "$(sed -n '31,48p' out)"
# Nothing was left in /etc or /tmp by the resolver or the logs.
! grep -Eq 'resolv.conf.drydock|drydock-customize-' out ||
  fail "the resolver or a log was left behind: $(cat out)"
grep -Fxq "apt-get \$apt_opts install 'sl' 'gcc-c++'" out ||
  fail "the firstboot install script: $(cat out)"
grep -q "^ExecStart=$runner start$" out || fail "the unit's ExecStart"
grep -q '^WantedBy=multi-user.target$' out || fail "the unit's WantedBy"

# ---- Windows: no guest programs, no firstboot packages ----
rc=0
out=$(DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
      "$DRYDOCK_TESTS_SRCDIR/data/make-windows-guests.sh" "$GUESTS" windows.img 2>&1) ||
  rc=$?
if [ "$rc" -eq 77 ]; then
  echo "$(basename "$0"): windows.img cannot be built here, not tested: $(echo "$out" | tail -n 1)"
  exit 0
fi
[ "$rc" -eq 0 ] || fail "cannot build windows.img: $out"
img=$(scratch_copy "$GUESTS/windows.img")
one_line_fail "firstboot packages in Windows" \
  "^$P: --firstboot-install sl: Windows has no package manager drydock knows: .*; nothing was changed$" \
  cust --firstboot-install sl
one_line_fail "--install in Windows" \
  "^$P: --install sl: the guest is windows: guest programs run only in a Linux guest; nothing was changed$" \
  cust --install sl
exit 0
