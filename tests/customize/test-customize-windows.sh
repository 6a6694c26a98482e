#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock customize on Windows guests: the registry operations, first
# boot scripts and the injection of virtio-win's drivers and the QEMU
# guest agent, on copies of windows.img (Windows Server 2019) and of a
# Windows 7 made from it with --reg-set and --reg-delete.  The hives
# and files are copied out of the image and read on the host, with
# hivexregedit, hivexget and hivexsh (libhivex-bin, libwin-hivex-perl):
#  - bad arguments are refused before the launch, one line each;
#  - --reg-set of every type, in both spellings, the default value;
#    --reg-delete of keys and values (missing ones are no error);
#    --reg-import of a .reg file: the hive holds exactly that;
#  - Windows 2019 (its SYSTEM hive given a DriverDatabase by the
#    --reg-import above): --inject-virtio-win from an ISO (made with
#    xorriso) in virtio-win's two layouts, --inject-qemu-ga from the
#    same ISO (a second drive), --firstboot (.cmd and .ps1) and
#    --firstboot-command:
#    the 2k19/amd64 drivers in Windows\Drivers\VirtIO, viostor and
#    vioscsi in system32\drivers with their boot services and
#    DriverDatabase entries for the legacy and modern PCI IDs,
#    DevicePath extended, the scripts in order with CRLF lines, a
#    scripts.ini (UTF-16LE) and gpt.ini the guest had merged with the
#    runner; a second run numbers on and leaves the policy alone;
#  - Windows 7 (through drydock convert-guest): the w7 drivers from a
#    directory, CriticalDeviceDatabase
#    entries instead, the agent from an MSI file, new policy files;
#  - refusals, one line and the image byte-identical: no drivers for
#    the guest, a damaged hive, a failure after registry changes, the
#    operations in a Linux guest, --firstboot-install in Windows.
. "$(dirname "$0")/../functions.sh"

requires qemu-img qemu-system-x86_64 hivexregedit hivexget hivexsh iconv
win=$(windows_guest windows.img)
cd "$scratch"
P="drydock customize"
img=$(scratch_copy "$win")

cust () { drydock customize -q --format raw -a "$img" "$@"; }


# hx TYPE STRING...: the .reg text hivexregedit writes for the strings
# as UTF-16LE, each with its NUL (and one more NUL for TYPE 7).
hx ()
{
  local t=$1 bytes
  shift
  bytes=$({ printf '%s\0' "$@"; [ "$t" != 7 ] || printf '\0'; } |
          iconv -f UTF-8 -t UTF-16LE | od -An -v -tx1 | tr -s ' \n' ',')
  bytes=${bytes#,}
  printf 'hex(%s):%s' "$t" "${bytes%,}"
}

# get IMAGE: the hives and the firstboot files of the image into got/,
# the list of its files in got/find.
get ()
{
  rm -rf got
  mkdir got
  ro_shell "$1" <<'EOF'
run
mount-ro /dev/sda1 /
find /
download /Windows/System32/config/SOFTWARE got/SOFTWARE
download /Windows/System32/config/SYSTEM got/SYSTEM
EOF
  cp "$scratch/out" got/find
}

# dl IMAGE GUEST-FILE...: those files into got/ (by their last name).
dl ()
{
  local i=$1 f
  shift
  { echo run; echo "mount-ro /dev/sda1 /"
    for f in "$@"; do echo "download $f got/${f##*/}"; done; } > dl.cmds
  ro_shell "$i" < dl.cmds
}

# export HIVE KEY: hivexregedit's export of the key, without its header.
export_key () { hivexregedit --export "got/$1" "$2" | tail -n +3; }

# ---- before the launch ----
drydock customize --help > help.out || fail "--help failed"
for op in reg-set reg-delete reg-import inject-virtio-win inject-qemu-ga; do
  grep -q -- "^  --$op" help.out || fail "--help does not list --$op"
done
one_line_fail "no type" \
  "^$P: --reg-set 'HKLM\\\\SOFTWARE\\\\X': expected KEY\\\\NAME=TYPE:VALUE, TYPE one of" \
  cust --reg-set 'HKLM\SOFTWARE\X'
one_line_fail "an unknown type" "expected KEY\\\\NAME=TYPE:VALUE" \
  cust --reg-set 'HKLM\SOFTWARE\X\Y=str:z'
one_line_fail "an unknown root" \
  "^$P: --reg-set 'HKCU\\\\X\\\\Y=sz:1': 'HKCU\\\\X' is in no hive drydock knows" \
  cust --reg-set 'HKCU\X\Y=sz:1'
one_line_fail "a dword too big" "'4294967296' is not a number of 32 bits" \
  cust --reg-set 'HKLM\SOFTWARE\X\Y=dword:4294967296'
one_line_fail "a negative qword" "'-1' is not a number of 64 bits" \
  cust --reg-set 'HKLM\SOFTWARE\X\Y=qword:-1'
one_line_fail "odd hex digits" ": an odd number of hex digits$" \
  cust --reg-set 'HKLM\SOFTWARE\X\Y=binary:0102f'
one_line_fail "an empty string in a list" ": an empty string in the list" \
  cust --reg-set 'HKLM\SOFTWARE\X\Y=multi_sz:a;;;'
one_line_fail "a hive's root" "^$P: --reg-delete 'HKLM\\\\SOFTWARE\\\\': the root of a hive cannot be deleted$" \
  cust --reg-delete 'HKLM\SOFTWARE\'
one_line_fail "an empty value name" "^$P: --reg-delete 'HKLM\\\\SOFTWARE\\\\X:': expected KEY or KEY:NAME$" \
  cust --reg-delete 'HKLM\SOFTWARE\X:'
printf '%s\n' '[HKLM\SOFTWARE\X]' '"A"=dword:1' > bad.reg
one_line_fail "a bad .reg" \
  "^$P: --reg-import 'bad.reg': bad.reg:2: a DWORD is 8 hex digits near 'dword:1'$" \
  cust --reg-import bad.reg
printf '%s\n' '[HKCU\X]' > badroot.reg
one_line_fail "a .reg with an unknown root" \
  "^$P: --reg-import 'badroot.reg': 'HKCU\\\\X': not a registry path drydock knows" \
  cust --reg-import badroot.reg
echo text > plain.txt
one_line_fail "virtio-win from a text file" \
  "^$P: --inject-virtio-win 'plain.txt': neither a directory nor an ISO 9660 image$" \
  cust --inject-virtio-win plain.txt
one_line_fail "the agent from a text file" \
  "^$P: --inject-qemu-ga 'plain.txt': neither a directory, an ISO 9660 image nor a Windows Installer package$" \
  cust --inject-qemu-ga plain.txt
one_line_fail "a missing tree" "^$P: --inject-virtio-win 'nope': No such file" \
  cust --inject-virtio-win nope

# ---- the registry operations, read back ----
cat > in.reg <<'EOF'
Windows Registry Editor Version 5.00

; the DriverDatabase of Windows 8 and later, for --inject-virtio-win
[HKEY_LOCAL_MACHINE\SYSTEM\DriverDatabase]
"SystemRoot"="\\SystemRoot"

[HKLM\SOFTWARE\Drydock\Imported]
"Name"="from a .reg file"
"N"=dword:0000002a

[-HKLM\SOFTWARE\Drydock\Doomed]

[HKLM\SOFTWARE\Drydock]
"Gone"=-
EOF
cust --reg-set 'HKLM\SOFTWARE\Drydock\Sz=sz:C:\path ünïcode=x' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Exp=expand_sz:%SystemRoot%\x' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Multi=multi_sz:one;t;;wo;three' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Empty=multi_sz:' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Dw=dword:4294967295' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Dx=dword:0x1F' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Qw=qword:0x0102030405060708' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Bin=binary:00,ff:10 20' \
  --reg-set 'HKLM\SOFTWARE\Drydock\None=binary:' \
  --reg-set 'HKLM\SOFTWARE\Drydock\@=sz:the default' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Deep\Er\Key:A\B=sz:a name with \' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Gone=sz:set, then deleted by the .reg' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Doomed\Sub\X=dword:1' \
  --reg-set 'HKLM\SOFTWARE\Drydock\Temp=sz:deleted next' \
  --reg-delete 'HKLM\SOFTWARE\Drydock:Temp' \
  --reg-delete 'HKLM\SOFTWARE\Drydock:NoSuchValue' \
  --reg-delete 'HKLM\SOFTWARE\No\Such\Key' \
  --reg-delete 'HKLM\SOFTWARE\WOW6432Node' \
  --reg-delete 'hklm\software\microsoft\windows nt\currentversion:EditionID' \
  --reg-set 'HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Hostname=sz:WIN-CUSTOM' \
  --reg-set 'HKLM\SYSTEM\MountedDevices:\DosDevices\Z:=binary:01020304' \
  --reg-set 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\DevicePath=expand_sz:%SystemRoot%\inf;D:\More' \
  --reg-import in.reg || fail "the registry operations failed"
get "$img"
export_key SOFTWARE '\Drydock' > drydock.reg
cat > want.reg <<EOF
[\\Drydock]
@=$(hx 1 'the default')
"Bin"=hex(3):00,ff,10,20
"Dw"=dword:ffffffff
"Dx"=dword:0000001f
"Empty"=hex(7):00,00
"Exp"=$(hx 2 '%SystemRoot%\x')
"Multi"=$(hx 7 one 't;wo' three)
"None"=hex(3):
"Qw"=hex(b):08,07,06,05,04,03,02,01
"Sz"=$(hx 1 'C:\path ünïcode=x')

[\\Drydock\\Deep]

[\\Drydock\\Deep\\Er]

[\\Drydock\\Deep\\Er\\Key]
"A\\\\B"=$(hx 1 'a name with \')

[\\Drydock\\Imported]
"N"=dword:0000002a
"Name"=$(hx 1 'from a .reg file')

EOF
cmp -s want.reg drydock.reg || fail "HKLM\\SOFTWARE\\Drydock: $(diff want.reg drydock.reg)"
expect_eq "the values set in SYSTEM and SOFTWARE (hivexget)" "WIN-CUSTOM
\\SystemRoot
%SystemRoot%\\inf;D:\\More" \
  "$(hivexget got/SYSTEM '\ControlSet001\Services\Tcpip\Parameters' Hostname
     hivexget got/SYSTEM '\DriverDatabase' SystemRoot
     hivexget got/SOFTWARE '\Microsoft\Windows\CurrentVersion' DevicePath)"
export_key SYSTEM '\MountedDevices' | grep -Fxq '"\\DosDevices\\Z:"=hex(3):01,02,03,04' ||
  fail "the value \\DosDevices\\Z: of MountedDevices: $(export_key SYSTEM '\MountedDevices')"
printf '%s\n' 'load got/SOFTWARE' 'ls' 'cd \Microsoft\Windows NT\CurrentVersion' \
  'lsval' > sh.in
hivexsh < sh.in > sh.out 2>&1 || fail "hivexsh: $(cat sh.out)"
expect_eq "the keys at the top of SOFTWARE (hivexsh)" "Drydock
Microsoft" "$(head -n 2 sh.out)"
! grep -q EditionID sh.out || fail "EditionID was not deleted"
grep -q '^"ProductName"="Windows Server 2019 Standard"$' sh.out ||
  fail "CurrentVersion lost a value: $(cat sh.out)"

# ---- a failure after registry changes: nothing is written ----
printf '%s\n' '[HKLM\SOFTWARE\No\Parent]' '"x"="y"' > orphan.reg
one_line_fail "a key whose parent is missing, after a --reg-set" \
  "^$P: --reg-import orphan.reg: orphan.reg:1: 'HKLM\\\\SOFTWARE\\\\No\\\\Parent': cannot add the key, its parent does not exist$" \
  cust --reg-set 'HKLM\SOFTWARE\Drydock\Sz=sz:changed' --reg-import orphan.reg

# ---- Windows Server 2019: drivers and the agent from an ISO, firstboot
# scripts, the guest's own local policy merged ----
# A virtio-win tree: per driver, then OS, then architecture, and
# viorng only in the flat layout (architecture, then OS).
for drv in viostor vioscsi NetKVM Balloon; do
  for os in w7 2k19 w10; do
    for arch in amd64 x86; do
      mkdir -p "vw/$drv/$os/$arch"
      for ext in sys inf cat; do
        echo "$drv $os $arch" > "vw/$drv/$os/$arch/$drv.$ext"
      done
    done
  done
done
for os in w7 2k19; do
  mkdir -p "vw/amd64/$os"
  echo "viorng $os amd64" > "vw/amd64/$os/viorng.inf"
done
mkdir vw/guest-agent
for a in x86_64 i386; do
  printf '\320\317\021\340\241\261\032\341qemu-ga %s\n' "$a" > "vw/guest-agent/qemu-ga-$a.msi"
done
if command -v xorriso >/dev/null; then
  xorriso -as mkisofs -quiet -J -R -V VIRTIO -o vw.iso vw 2> err ||
    fail "xorriso could not make the ISO: $(cat err)"
  media=vw.iso
else
  echo "$(basename "$0"): xorriso is not installed: the ISO is not tested"
  media=vw
fi

# The guest's own local policy: a startup script, a shutdown one, and
# two extensions around the Scripts one.
printf '\r\n[Startup]\r\n0CmdLine=C:\\Scripts\\mine.cmd\r\n0Parameters=/quiet\r\n[Shutdown]\r\n0CmdLine=bye.cmd\r\n0Parameters=\r\n' |
  iconv -f UTF-8 -t UTF-16LE | { printf '\377\376'; cat; } > scripts.ini
printf '[General]\r\ngPCMachineExtensionNames=[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\r\nVersion=65538\r\n' > gpt.ini
drydock shell --format raw -a "$img" > out 2> err <<'EOF' || fail "adding the policy: $(cat err)"
run
mount /dev/sda1 /
mkdir-p /Windows/System32/GroupPolicy/Machine/Scripts
upload scripts.ini /Windows/System32/GroupPolicy/Machine/Scripts/scripts.ini
upload gpt.ini /Windows/System32/GroupPolicy/gpt.ini
EOF
printf '@echo off\r\necho from a batch file\r\n' > hello.cmd
printf 'Write-Output "from PowerShell"\r\n' > Setup.PS1
cust --firstboot hello.cmd --inject-virtio-win "$media" \
  --firstboot-command 'echo one & echo two' --inject-qemu-ga "$media" \
  --firstboot Setup.PS1 || fail "the 2019 run failed"
get "$img"
grep -q '^drydock-media' got/find && fail "the ISO's mount point was left behind"
grep '^Windows/Drivers/VirtIO/' got/find > drivers
expect_eq "the drivers copied" "$({ for f in balloon netkvm vioscsi viostor; do
    for e in cat inf sys; do echo "Windows/Drivers/VirtIO/$f.$e"; done
  done; echo Windows/Drivers/VirtIO/viorng.inf; } | sort)" "$(sort drivers)"
dl "$img" /Windows/Drivers/VirtIO/netkvm.sys /Windows/Drivers/VirtIO/viorng.inf \
  /Windows/System32/drivers/viostor.sys /Windows/System32/drivers/vioscsi.sys \
  /drydock-firstboot/firstboot.cmd /drydock-firstboot/files/qemu-ga-x86_64.msi \
  /Windows/System32/GroupPolicy/Machine/Scripts/scripts.ini \
  /Windows/System32/GroupPolicy/gpt.ini
expect_eq "the drivers of 2k19 amd64" "NetKVM 2k19 amd64
viorng 2k19 amd64
viostor 2k19 amd64
vioscsi 2k19 amd64" "$(cat got/netkvm.sys got/viorng.inf got/viostor.sys got/vioscsi.sys)"
cmp -s got/qemu-ga-x86_64.msi vw/guest-agent/qemu-ga-x86_64.msi ||
  fail "the agent's installer is not the x86_64 one"
expect_eq "the firstboot scripts, in order" "drydock-firstboot/scripts/0001-hello-cmd.cmd
drydock-firstboot/scripts/0002-pnputil-virtio-win.cmd
drydock-firstboot/scripts/0003-echo-one---echo-two.cmd
drydock-firstboot/scripts/0004-install-qemu-ga.cmd
drydock-firstboot/scripts/0005-Setup-PS1.ps1" \
  "$(grep '^drydock-firstboot/scripts/' got/find)"
dl "$img" /drydock-firstboot/scripts/0001-hello-cmd.cmd \
  /drydock-firstboot/scripts/0002-pnputil-virtio-win.cmd \
  /drydock-firstboot/scripts/0003-echo-one---echo-two.cmd \
  /drydock-firstboot/scripts/0004-install-qemu-ga.cmd \
  /drydock-firstboot/scripts/0005-Setup-PS1.ps1
cmp -s got/0001-hello-cmd.cmd hello.cmd || fail "--firstboot hello.cmd changed"
cmp -s got/0005-Setup-PS1.ps1 Setup.PS1 || fail "--firstboot Setup.PS1 changed"
expect_eq "--firstboot-command's script" "$(printf 'echo one & echo two\r')" \
  "$(cat got/0003-echo-one---echo-two.cmd)"
grep -Fxq "$(printf '"%%pnputil%%" -i -a "%%SystemRoot%%\\Drivers\\VirtIO\\*.inf"\r')" \
  got/0002-pnputil-virtio-win.cmd || fail "no pnputil: $(cat got/0002-pnputil-virtio-win.cmd)"
grep -Fxq "$(printf 'set msi=%%SystemDrive%%\\drydock-firstboot\\files\\qemu-ga-x86_64.msi\r')" \
  got/0004-install-qemu-ga.cmd && grep -q '^start "" /wait msiexec.exe /i "%msi%" /qn ' \
  got/0004-install-qemu-ga.cmd || fail "no msiexec: $(cat got/0004-install-qemu-ga.cmd)"
# Batch files are read line by line with CRLF: no bare LF.
for f in got/firstboot.cmd got/0002-pnputil-virtio-win.cmd got/0004-install-qemu-ga.cmd; do
  [ "$(grep -c $'\r$' "$f")" = "$(wc -l < "$f")" ] || fail "$f has a line without CR"
done
# The runner moves a script away before it runs it, and logs.
grep -n 'move /y' got/firstboot.cmd | grep -q 'scripts-done' &&
  [ "$(grep -n 'move /y' got/firstboot.cmd | cut -d: -f1)" -lt \
    "$(grep -n 'cmd.exe /d /c call' got/firstboot.cmd | cut -d: -f1)" ] &&
  grep -q 'powershell.exe .*-File' got/firstboot.cmd &&
  grep -q 'log.txt' got/firstboot.cmd || fail "the runner: $(cat got/firstboot.cmd)"
# The guest's policy, merged: same encoding, its scripts first.
head -c 2 got/scripts.ini | od -An -tx1 | grep -q 'ff fe' || fail "scripts.ini lost its BOM"
expect_eq "scripts.ini" "$(printf '\r\n[Startup]\r\n0CmdLine=C:\\Scripts\\mine.cmd\r\n0Parameters=/quiet\r\n1CmdLine=C:\\drydock-firstboot\\firstboot.cmd\r\n1Parameters=\r\n[Shutdown]\r\n0CmdLine=bye.cmd\r\n0Parameters=\r\n')" \
  "$(tail -c +3 got/scripts.ini | iconv -f UTF-16LE -t UTF-8)"
expect_eq "gpt.ini" "$(printf '[General]\r\ngPCMachineExtensionNames=[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{42B5FAAE-6536-11D2-AE5A-0000F87571E3}{40B6664F-4972-11D1-A7CA-0000F87571E3}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\r\nVersion=65539\r\n')" \
  "$(cat got/gpt.ini)"
# The registry: boot services, DriverDatabase (the hive has one), no
# CriticalDeviceDatabase, DevicePath.
for drv in viostor vioscsi; do
  export_key SYSTEM "\\ControlSet001\\Services\\$drv" > svc.reg
  cat > want.reg <<EOF
[\\ControlSet001\\Services\\$drv]
"ErrorControl"=dword:00000001
"Group"=$(hx 1 'SCSI miniport')
"ImagePath"=$(hx 2 "system32\\drivers\\$drv.sys")
"Start"=dword:00000000
"Type"=dword:00000001

EOF
  cmp -s want.reg svc.reg || fail "the service $drv: $(diff want.reg svc.reg)"
done
hivexget got/SYSTEM '\ControlSet001\Control\CriticalDeviceDatabase' 2>/dev/null &&
  fail "a CriticalDeviceDatabase in a hive with a DriverDatabase"
blk_legacy='VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00'
blk_modern='VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01'
scsi_legacy='VEN_1AF4&DEV_1004&SUBSYS_00081AF4&REV_00'
scsi_modern='VEN_1AF4&DEV_1048&SUBSYS_11001AF4&REV_01'
version='hex(3):00,ff,09,00,00,00,00,00,7b,e9,36,4d,25,e3,ce,11,bf,c1,08,00,2b,e1,03,18,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00'
export_key SYSTEM '\DriverDatabase' > ddb.reg
{
  printf '[\\DriverDatabase]\n"SystemRoot"=%s\n\n' "$(hx 1 '\SystemRoot')"
  printf '[\\DriverDatabase\\DeviceIds]\n\n[\\DriverDatabase\\DeviceIds\\PCI]\n\n'
  for id in "$blk_legacy:viostor" "$scsi_legacy:vioscsi" "$blk_modern:viostor" \
            "$scsi_modern:vioscsi"; do
    printf '[\\DriverDatabase\\DeviceIds\\PCI\\%s]\n"drydock_%s.inf"=hex(3):01,ff,00,00\n\n' \
      "${id%:*}" "${id#*:}"
  done
  printf '[\\DriverDatabase\\DriverInfFiles]\n\n'
  for drv in vioscsi viostor; do
    printf '[\\DriverDatabase\\DriverInfFiles\\drydock_%s.inf]\n@=%s\n"Active"=%s\n"Configurations"=%s\n\n' \
      $drv "$(hx 7 drydock_$drv.inf_tmp)" "$(hx 1 drydock_$drv.inf_tmp)" \
      "$(hx 7 drydock_${drv}_conf)"
  done
  printf '[\\DriverDatabase\\DriverPackages]\n\n'
  for d in "vioscsi:$scsi_legacy:$scsi_modern" "viostor:$blk_legacy:$blk_modern"; do
    drv=${d%%:*}
    ids=${d#*:}
    pkg="\\DriverDatabase\\DriverPackages\\drydock_$drv.inf_tmp"
    printf '[%s]\n"Version"=%s\n\n' "$pkg" "$version"
    printf '[%s\\Configurations]\n\n[%s\\Configurations\\drydock_%s_conf]\n"ConfigFlags"=dword:00000000\n"Service"=%s\n\n' \
      "$pkg" "$pkg" $drv "$(hx 1 $drv)"
    printf '[%s\\Descriptors]\n\n[%s\\Descriptors\\PCI]\n\n' "$pkg" "$pkg"
    for id in ${ids%:*} ${ids#*:}; do
      printf '[%s\\Descriptors\\PCI\\%s]\n"Configuration"=%s\n\n' "$pkg" "$id" \
        "$(hx 1 drydock_${drv}_conf)"
    done
  done
} > want.reg
cmp -s want.reg ddb.reg || fail "the DriverDatabase: $(diff want.reg ddb.reg)"
expect_eq "DevicePath" '%SystemRoot%\inf;D:\More;%SystemRoot%\Drivers\VirtIO' \
  "$(hivexget got/SOFTWARE '\Microsoft\Windows\CurrentVersion' DevicePath)"
hivexregedit --export got/SOFTWARE '\Microsoft\Windows\CurrentVersion' |
  grep -q '^"DevicePath"=hex(2):' || fail "DevicePath is not REG_EXPAND_SZ"

# A second run: the numbers go on, the policy is not touched again.
cust --firstboot-command 'echo later' || fail "the second firstboot run failed"
get "$img"
dl "$img" /Windows/System32/GroupPolicy/Machine/Scripts/scripts.ini \
  /Windows/System32/GroupPolicy/gpt.ini
grep -q '^drydock-firstboot/scripts/0006-echo-later.cmd$' got/find ||
  fail "the second run's script: $(grep firstboot got/find)"
grep -c 'firstboot.cmd' <(iconv -f UTF-16LE -t UTF-8 got/scripts.ini) | grep -qx 1 ||
  fail "the runner was added twice"
grep -q '^Version=65539' got/gpt.ini || fail "gpt.ini changed again: $(cat got/gpt.ini)"

# ---- Windows 7, made from the copy of windows.img ----
img=$(scratch_copy "$win")
cur='HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
cust --reg-set "$cur\\ProductName=sz:Windows 7 Professional" \
  --reg-set "$cur\\CurrentVersion=sz:6.1" \
  --reg-set "$cur\\CurrentBuildNumber=sz:7601" \
  --reg-set "$cur\\InstallationType=sz:Client" \
  --reg-set "$cur\\EditionID=sz:Professional" \
  --reg-delete "$cur:CurrentMajorVersionNumber" \
  --reg-delete "$cur:CurrentMinorVersionNumber" || fail "making Windows 7"
ro_shell "$img" <<'EOF'
run
inspect-os
inspect-get-product-name /dev/sda1
inspect-get-product-variant /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-osinfo /dev/sda1
EOF
expect_eq "inspection of the Windows 7" "/dev/sda1
Windows 7 Professional
Client
6
1
win7" "$(cat "$scratch/out")"
# A tree without drivers for it.
mkdir -p w10only/viostor/w10/amd64
echo x > w10only/viostor/w10/amd64/viostor.sys
one_line_fail "no drivers for Windows 7" \
  "^$P: --inject-virtio-win w10only: no drivers for the guest, Windows 6.1 Client \(win7\) on x86_64: no file under directories named w7 and amd64$" \
  cust --firstboot-command 'echo x' --inject-virtio-win w10only
# Through drydock convert-guest, which picks the Windows operations.
drydock convert-guest -q --format raw -a "$img" --virtio-win vw \
  --qemu-ga vw/guest-agent/qemu-ga-x86_64.msi ||
  fail "the Windows 7 conversion failed"
get "$img"
expect_eq "the drivers copied (w7)" "$({ for f in balloon netkvm vioscsi viostor; do
    for e in cat inf sys; do echo "Windows/Drivers/VirtIO/$f.$e"; done
  done; echo Windows/Drivers/VirtIO/viorng.inf; } | sort)" \
  "$(grep '^Windows/Drivers/VirtIO/' got/find | sort)"
dl "$img" /Windows/System32/drivers/viostor.sys /Windows/Drivers/VirtIO/viorng.inf \
  /drydock-firstboot/files/qemu-ga-x86_64.msi \
  /Windows/System32/GroupPolicy/Machine/Scripts/scripts.ini \
  /Windows/System32/GroupPolicy/gpt.ini
expect_eq "the drivers of w7 amd64" "viostor w7 amd64
viorng w7 amd64" "$(cat got/viostor.sys got/viorng.inf)"
cmp -s got/qemu-ga-x86_64.msi vw/guest-agent/qemu-ga-x86_64.msi ||
  fail "the MSI given was not copied"
expect_eq "the new scripts.ini" "$(printf '[Startup]\r\n0CmdLine=C:\\drydock-firstboot\\firstboot.cmd\r\n0Parameters=\r\n')" \
  "$(cat got/scripts.ini)"
expect_eq "the new gpt.ini" "$(printf '[General]\r\ngPCFunctionalityVersion=2\r\ngPCMachineExtensionNames=[{42B5FAAE-6536-11D2-AE5A-0000F87571E3}{40B6664F-4972-11D1-A7CA-0000F87571E3}]\r\nVersion=1\r\n')" \
  "$(cat got/gpt.ini)"
hivexget got/SYSTEM '\DriverDatabase' 2>/dev/null &&
  fail "Windows 7 got a DriverDatabase"
export_key SYSTEM '\ControlSet001\Control\CriticalDeviceDatabase' > cdb.reg
{
  printf '[\\ControlSet001\\Control\\CriticalDeviceDatabase]\n\n'
  for id in "$blk_legacy:viostor" "$scsi_legacy:vioscsi" "$blk_modern:viostor" \
            "$scsi_modern:vioscsi"; do
    printf '[\\ControlSet001\\Control\\CriticalDeviceDatabase\\PCI#%s]\n"ClassGUID"=%s\n"Service"=%s\n\n' \
      "${id%:*}" "$(hx 1 '{4D36E97B-E325-11CE-BFC1-08002BE10318}')" "$(hx 1 "${id#*:}")"
  done
} > want.reg
cmp -s want.reg cdb.reg || fail "the CriticalDeviceDatabase: $(diff want.reg cdb.reg)"
expect_eq "a new DevicePath" '%SystemRoot%\inf;%SystemRoot%\Drivers\VirtIO' \
  "$(hivexget got/SOFTWARE '\Microsoft\Windows\CurrentVersion' DevicePath)"
export_key SYSTEM '\ControlSet001\Services\viostor' | grep -qx '"Start"=dword:00000000' ||
  fail "viostor does not start at boot"

# ---- refusals ----
head -c 8192 /dev/urandom > junk
drydock shell --format raw -a "$img" > out 2> err <<'EOF' || fail "adding a bad hive: $(cat err)"
run
mount /dev/sda1 /
upload junk /Windows/System32/config/DEFAULT
EOF
one_line_fail "a damaged hive" \
  "^$P: --reg-set HKU\\\\.DEFAULT\\\\X\\\\Y=sz:z: hivex_open: /Windows/System32/config/DEFAULT: not a registry hive" \
  cust --reg-set 'HKLM\SOFTWARE\Drydock\A=sz:a' --reg-set 'HKU\.DEFAULT\X\Y=sz:z'
one_line_fail "a hive the guest does not have" \
  "^$P: --reg-delete HKLM\\\\SAM\\\\X: 'HKLM\\\\SAM\\\\X': the guest has no hive file /Windows/System32/config/sam$" \
  cust --reg-delete 'HKLM\SAM\X'
one_line_fail "firstboot packages in Windows" \
  "^$P: --firstboot-install sl: Windows has no package manager drydock knows: .*; nothing was changed$" \
  cust --firstboot-command 'echo x' --firstboot-install sl

img=$(scratch_copy "$(guest debian.img)")
for op in "--reg-set HKLM\\SOFTWARE\\X\\Y=sz:z" "--reg-delete HKLM\\SOFTWARE\\X" \
          "--reg-import in.reg" "--inject-virtio-win vw" "--inject-qemu-ga vw"; do
  # shellcheck disable=SC2086
  one_line_fail "${op%% *} in Linux" \
    "^$P: ${op%% *} .*: the guest is linux: this operation is for Windows guests; nothing was changed$" \
    cust --hostname first $op
done
exit 0
