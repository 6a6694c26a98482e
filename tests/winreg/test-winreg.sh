#!/bin/bash -
# drydock win-reg on a copy of windows.img, its hives read back on the
# host with hivexregedit, hivexget and hivexsh (libhivex-bin,
# libwin-hivex-perl):
#  - SAM, SECURITY, DEFAULT, a user's NTUSER.DAT and a BCD are added to
#    the copy; one --merge (header, comments, CRLF, continuation lines)
#    adds the user's ProfileList entry, sets values of every type in
#    SOFTWARE, deletes a value and a key, changes SYSTEM through
#    CurrentControlSet and the user's hive through HKU\SID: the hives,
#    copied out, hold exactly that;
#  - every root key (HKLM\SOFTWARE, SYSTEM, SAM, SECURITY, BCD,
#    HKU\.DEFAULT, HKU\SID, HKU\USER) exports the very text
#    hivexregedit --export gives for the same hive file, also with
#    --unsafe-printable-strings; single values print as hivexget does;
#  - export, delete and merge back, export again: identical;
#  - bad input (an unknown root key, a missing key or value, a
#    malformed .reg, a key whose parent is missing, an unknown root in
#    the middle of a merge) is one line on stderr, exit 1, and leaves
#    the image byte-identical.
. "$(dirname "$0")/../functions.sh"

requires hivexregedit hivexget hivexsh python3
. "$DRYDOCK_TESTS_SRCDIR/data/hive-lib.sh"
hive_find_minimal || skip "no empty registry hive (python3 missing?)"
w=$(windows_guest windows.img)
cd "$scratch"
img=$(scratch_copy "$w")

wr () { drydock win-reg --format raw -a "$img" "$@"; }

# Hives windows.img does not have.
hive_build SAM <<'EOF' || fail "SAM hive"
[\SAM]

[\SAM\Domains]

[\SAM\Domains\Account]
"F"=hex(3):02,00,01,00
EOF
hive_build SECURITY <<'EOF' || fail "SECURITY hive"
[\Policy]

[\Policy\PolAdtEv]
@=hex(0):00,01
EOF
hive_build DEFAULT <<'EOF' || fail "DEFAULT hive"
[\Control Panel]

[\Control Panel\Desktop]
"Wallpaper"="C:\\Windows\\web.jpg"
EOF
hive_build NTUSER.DAT <<'EOF' || fail "NTUSER.DAT hive"
[\Software]

[\Software\Alice]
"Name"="Alice Ångström"
"Count"=dword:00000003
EOF
hive_build BCD <<'EOF' || fail "BCD hive"
[\Objects]

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}]

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements]

[\Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}\Elements\12000004]
"Element"="Windows Boot Manager"
EOF
config=/Windows/System32/config
drydock shell --format raw -a "$img" > out 2> err <<EOF || fail "adding hives: $(cat err)"
run
mount /dev/sda1 /
mkdir-p /Users/Alice
mkdir /Boot
upload SAM $config/SAM
upload SECURITY $config/SECURITY
upload DEFAULT $config/DEFAULT
upload NTUSER.DAT /Users/Alice/NTUSER.DAT
upload BCD /Boot/BCD
EOF

# One merge touching SOFTWARE, SYSTEM and the user's hive; CRLF lines.
sid=S-1-5-21-1000-2000-3000-1001
sed 's/$/\r/' > merge.reg <<EOF
Windows Registry Editor Version 5.00
; the user's profile first: HKU\\$sid is found through it

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList]

[HKLM\\software\\microsoft\\windows nt\\currentversion\\profilelist\\$sid]
"ProfileImagePath"=str(2):"%SystemDrive%\\\\Users\\\\alice"

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Drydock]
@="default ✓"
"Str"="a \\"quoted\\" C:\\\\path"
"Exp"=str(2):"%SystemRoot%\\\\x"
"Dw"=dword:0000FF01
"Bin"=hex:01,02,\\
  03,04
"None"=hex(0):
"Be"=hex(5):00,00,01,00
"Link"=hex(6):61,00
"Multi"=hex(7):61,00,00,00,62,00,00,00,00,00
"R8"=hex(8):08
"R9"=hex(9):09
"RA"=hex(a):0a
"Q"=hex(b):01,00,00,00,00,00,00,80
"Odd"=hex(1234abcd):ff

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Drydock\\Sub]
"x"=dword:00000001

[HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]
"EditionID"=-
"ProductName"="Windows Server 2019 Datacenter"

[-HKLM\\SOFTWARE\\WOW6432Node]

[-HKLM\\SOFTWARE\\NotThere]

[HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]
"Hostname"="WIN-MERGED"

[HKEY_USERS\\$sid\\Software\\Alice]
"Count"=dword:00000004
EOF
wr --merge merge.reg > out 2> err || fail "--merge failed: $(cat err)"
[ ! -s err ] || fail "--merge said: $(cat err)"

drydock shell --ro --format raw -a "$img" > out 2> err <<EOF || fail "download: $(cat err)"
run
mount-ro /dev/sda1 /
download $config/SOFTWARE SOFTWARE
download $config/SYSTEM SYSTEM
download $config/SAM SAM
download $config/SECURITY SECURITY
download $config/DEFAULT DEFAULT
download /Users/Alice/NTUSER.DAT NTUSER.DAT
download /Boot/BCD BCD
EOF

# What the merge wrote, as the host's hivex reads it.
host_export () { PERL_UNICODE=SD hivexregedit --export "$@" | tail -n +3; }
host_export SOFTWARE '\Drydock' > drydock.reg || fail "hivexregedit SOFTWARE"
cat > want.reg <<'EOF'
[\Drydock]
@=hex(1):64,00,65,00,66,00,61,00,75,00,6c,00,74,00,20,00,13,27,00,00
"Be"=hex(5):00,00,01,00
"Bin"=hex(3):01,02,03,04
"Dw"=dword:0000ff01
"Exp"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,74,00,25,00,5c,00,78,00,00,00
"Link"=hex(6):61,00
"Multi"=hex(7):61,00,00,00,62,00,00,00,00,00
"None"=hex(0):
"Odd"=hex(1234abcd):ff
"Q"=hex(b):01,00,00,00,00,00,00,80
"R8"=hex(8):08
"R9"=hex(9):09
"RA"=hex(a):0a
"Str"=hex(1):61,00,20,00,22,00,71,00,75,00,6f,00,74,00,65,00,64,00,22,00,20,00,43,00,3a,00,5c,00,70,00,61,00,74,00,68,00,00,00

[\Drydock\Sub]
"x"=dword:00000001

EOF
cmp -s want.reg drydock.reg || fail "the merged key: $(diff want.reg drydock.reg)"
expect_eq "merged values (hivexget)" "Windows Server 2019 Datacenter
WIN-MERGED
4
%SystemDrive%\\Users\\alice" \
  "$(hivexget SOFTWARE '\Microsoft\Windows NT\CurrentVersion' ProductName
     hivexget SYSTEM '\ControlSet001\Services\Tcpip\Parameters' Hostname
     hivexget NTUSER.DAT '\Software\Alice' Count
     hivexget SOFTWARE "\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\$sid" ProfileImagePath)"
printf '%s\n' 'load SOFTWARE' 'ls' 'cd \Microsoft\Windows NT\CurrentVersion' \
  'lsval' > sh.in
hivexsh < sh.in > sh.out 2>&1 || fail "hivexsh: $(cat sh.out)"
expect_eq "the keys left at the top (hivexsh)" "Drydock
Microsoft" "$(head -n 2 sh.out)"
! grep -q EditionID sh.out || fail "EditionID was not deleted"
grep -q '^"ProductName"="Windows Server 2019 Datacenter"$' sh.out ||
  fail "hivexsh lsval: $(cat sh.out)"

# Every root key exports what hivexregedit exports from its hive.
check_export ()
{
  local regpath=$1 file=$2 prefix=$3 key=$4 opt=${5:-}

  wr $opt "$regpath" > mine.reg 2> err || fail "export $regpath: $(cat err)"
  host_export $opt --prefix "$prefix" "$file" "$key" > host.reg ||
    fail "hivexregedit $file"
  cmp -s host.reg mine.reg || fail "export $regpath: $(diff host.reg mine.reg)"
}
check_export 'HKLM\SOFTWARE' SOFTWARE 'HKEY_LOCAL_MACHINE\SOFTWARE' '\'
check_export 'HKLM\SOFTWARE' SOFTWARE 'HKEY_LOCAL_MACHINE\SOFTWARE' '\' \
  --unsafe-printable-strings
check_export '\HKEY_LOCAL_MACHINE\software\MICROSOFT\windows nt' SOFTWARE \
  'HKEY_LOCAL_MACHINE\SOFTWARE' '\Microsoft\Windows NT'
check_export 'HKLM\SYSTEM\CurrentControlSet' SYSTEM \
  'HKEY_LOCAL_MACHINE\SYSTEM' '\ControlSet001'
check_export 'HKLM\SYSTEM' SYSTEM 'HKEY_LOCAL_MACHINE\SYSTEM' '\'
check_export 'HKLM\SAM' SAM 'HKEY_LOCAL_MACHINE\SAM' '\'
check_export 'HKLM\SECURITY\Policy' SECURITY 'HKEY_LOCAL_MACHINE\SECURITY' '\Policy'
check_export 'HKLM\BCD' BCD 'HKEY_LOCAL_MACHINE\BCD' '\'
check_export 'HKU\.DEFAULT' DEFAULT 'HKEY_USERS\.DEFAULT' '\'
check_export "HKU\\$sid\\Software" NTUSER.DAT "HKEY_USERS\\$sid" '\Software'
check_export 'HKEY_USERS\alice' NTUSER.DAT 'HKEY_USERS\alice' '\'

# Single values, as hivexget prints them.
for name in @ Exp Dw Bin Multi Q Odd; do
  wr 'HKLM\SOFTWARE\Drydock' "$name" > mine 2> err ||
    fail "value $name: $(cat err)"
  hivexget SOFTWARE '\Drydock' "$name" > host
  cmp -s host mine || fail "value $name: $(od -c host) / $(od -c mine)"
done

# Export, delete, merge back, export: the same text.
wr 'HKLM\SOFTWARE' > before.reg || fail "export before the round trip"
printf '%s\n' '[-HKEY_LOCAL_MACHINE\SOFTWARE\Drydock]' \
  '[-HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft]' > delete.reg
wr --merge delete.reg before.reg 2> err || fail "merging back: $(cat err)"
wr 'HKLM\SOFTWARE' > after.reg || fail "export after the round trip"
cmp -s before.reg after.reg ||
  fail "the round trip changed: $(diff before.reg after.reg)"

# Bad input: one line, exit 1, the image as it was.
keep_sums "$img"
one_line ()
{
  local what=$1 pattern=$2 rc=0
  shift 2
  "$@" > /dev/null 2> err || rc=$?
  [ "$rc" = 1 ] || fail "$what: exit status $rc"
  [ "$(wc -l < err)" = 1 ] || fail "$what: not one line: $(cat err)"
  grep -Eq -- "$pattern" err || fail "$what: error did not match /$pattern/: $(cat err)"
}
one_line "an unknown root key" \
  "^drydock win-reg: 'HKCU\\\\Software': not a registry path drydock knows" \
  wr 'HKCU\Software'
one_line "a missing key" \
  "^drydock win-reg: 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Nope': no such key$" \
  wr 'HKLM\SOFTWARE\Nope'
one_line "a missing value" \
  "^drydock win-reg: 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Drydock': no value named 'Nope'$" \
  wr 'HKLM\SOFTWARE\Drydock' Nope
printf '%s\n' '[HKLM\SOFTWARE\Drydock]' '"A"=dword:1' > bad1.reg
one_line "a malformed .reg" \
  "^drydock win-reg: bad1.reg:2: a DWORD is 8 hex digits near 'dword:1'$" \
  wr --merge bad1.reg
printf '%s\n' '[HKLM\SOFTWARE\Drydock]' '"A"=hex:0' > bad2.reg
one_line "odd hex digits" "^drydock win-reg: bad2.reg:2: an odd number of hex digits" \
  wr --merge bad2.reg
printf '%s\n' 'garbage' > bad3.reg
one_line "text outside a key" "^drydock win-reg: bad3.reg:1: unexpected text near 'garbage'$" \
  wr --merge bad3.reg
printf '%s\n' '[HKLM\SOFTWARE\Drydock]' '"A"="x"' '' \
  '[HKLM\SOFTWARE\No\Such]' '"B"="y"' > bad4.reg
one_line "a missing parent" \
  "^drydock win-reg: bad4.reg:4: 'HKLM\\\\SOFTWARE\\\\No\\\\Such': cannot add the key, its parent does not exist$" \
  wr --merge bad4.reg
printf '%s\n' '[HKLM\SOFTWARE\Drydock]' '"A"="x"' '' '[HKCU\X]' > bad5.reg
one_line "an unknown root key in a merge" \
  "^drydock win-reg: 'HKCU\\\\X': not a registry path" wr --merge bad5.reg
one_line "a missing .reg file" "^drydock win-reg: 'nosuch.reg': No such file" \
  wr --merge nosuch.reg
sums_unchanged
