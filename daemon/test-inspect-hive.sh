#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The registry queries of Windows inspection (inspect-hive.c) on the
# host: hives are built from the shared empty hive with hivexregedit,
# then read back by test-inspect-hive; hostile copies (truncated, root
# offset out of range, huge value lengths, bad subkey list, not a hive
# at all, too big) must give an error or nothing, never a crash or a
# hang.  Set VALGRIND to run every query under it, e.g.
#   make check VALGRIND="valgrind --quiet --leak-check=full --error-exitcode=99"

set -euo pipefail

skip () { echo "$(basename "$0"): SKIP: $*"; exit 77; }
fail () { echo "$(basename "$0"): FAIL: $*" >&2; exit 1; }

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
prog=${abs_builddir:-$(dirname "$0")}/test-inspect-hive

. "$srcdir/tests/data/hive-lib.sh"
hive_find_minimal || skip "no empty registry hive (python3 missing?)"
command -v hivexregedit >/dev/null || skip "hivexregedit (libhivex-bin) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x "$prog" ] || fail "$prog is not built"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/drydock-hive.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT INT TERM

# hive NAME: builds $scratch/NAME from the .reg text on stdin.
hive ()
{
    hive_build "$scratch/$1" || fail "hivexregedit could not build $1"
}

# query WANT_RC QUERY FILE [RUNS]: runs the query (bounded in time) and prints
# its output; any status but WANT_RC (a crash, a hang, valgrind) fails.
# WANT_RC "any": an error (1) or a result (0), as long as it is clean.
query ()
{
    local rc=0 out
    out=$(timeout 300 ${VALGRIND:-} "$prog" "${@:2}" 2>"$scratch/stderr") || rc=$?
    [ "$rc" -eq "${1/any/$rc}" ] && [ "$rc" -le 1 ] ||
        fail "$2 $(basename "$3"): exit status $rc, not $1: $out $(cat "$scratch/stderr")"
    [ ! -s "$scratch/stderr" ] ||
        fail "$2 $(basename "$3"): unexpected stderr: $(cat "$scratch/stderr")"
    echo "$out"
}

# expect QUERY FILE: the query's output must be stdin.
expect ()
{
    local want
    want=$(cat)
    [ "$(query 0 "$1" "$2")" = "$want" ] || {
        diff -u <(echo "$want") <(query 0 "$1" "$2") >&2 || :
        fail "$1 $(basename "$2"): unexpected output"
    }
}

# expect_error QUERY FILE: the query must fail cleanly.
expect_error ()
{
    query 1 "$1" "$2" | grep -q '^error: ' || fail "$1 $(basename "$2"): no error"
}

# has LINE QUERY FILE: the query succeeds and prints LINE.
has ()
{
    local out
    out=$(query 0 "$2" "$3")
    grep -qxF -- "$1" <<< "$out"
}

# The Uninstall parents every SOFTWARE hive below needs.
uninstall_parents ()
{
    printf '[\\%s]\n\n' "$1Microsoft" "$1Microsoft\\Windows" \
        "$1Microsoft\\Windows\\CurrentVersion" \
        "$1Microsoft\\Windows\\CurrentVersion\\Uninstall"
}

# --- SOFTWARE: Windows Server 2019, with applications -----------------
{
    hive_reg_current_version
    cat <<'EOF'
"ProductName"="Windows Server 2019 Standard"
"CurrentMajorVersionNumber"=dword:0000000a
"CurrentMinorVersionNumber"=dword:00000000
"CurrentVersion"="6.3"
"CurrentBuildNumber"="17763"
"CurrentBuild"="17763"
"InstallationType"="Server"
"EditionID"="ServerStandard"

EOF
    uninstall_parents "" | tail -n +3
    printf '[\\WOW6432Node]\n\n'
    uninstall_parents "WOW6432Node\\"
    cat <<'EOF'
[\Microsoft\Windows\CurrentVersion\Uninstall\7-Zip]
"DisplayName"="7-Zip 23.01 (x64)"
"DisplayVersion"="23.01"
"Publisher"="Igor Pavlov"
"InstallLocation"="C:\\Program Files\\7-Zip\\"
"URLInfoAbout"="https://www.7-zip.org/"
"Comments"="File archiver"

[\Microsoft\Windows\CurrentVersion\Uninstall\Café Tööl]
"DisplayName"="Café Tööl ✓ 𝄞"
"Publisher"="Société Générale"
"DisplayVersion"=dword:00000001

[\Microsoft\Windows\CurrentVersion\Uninstall\KB5005112]

[\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\Notepad++]
"DisplayName"="Notepad++ (32-bit x86)"
"DisplayVersion"="8.6"
"InstallLocation"=hex(2):43,00,3a,00,5c,00,4e,00,50,00,50,00,00,00,5a,00,5a,00
"URLInfoAbout"=hex(1):68,00,74,00,74,00,70,00,78
"Comments"=hex(1):41,00,00,d8,42,00,00,dc,43,00,3d,d8,00,de,00,00
"Publisher"=hex(1):09,00,0a,00,1b,00,00,00

EOF
} | hive software-2019

expect os "$scratch/software-2019" <<'EOF'
product_name=Windows Server 2019 Standard
major=10
minor=0
current_version=6.3
build=17763
installation_type=Server
edition_id=ServerStandard
EOF

# Key names and strings non-ASCII; a value of the wrong type is absent;
# REG_EXPAND_SZ stops at its NUL; an odd last byte is dropped; unpaired
# surrogates are dropped and a pair is decoded (U+1F600); a string of
# control characters only is absent.
expect apps "$scratch/software-2019" <<'EOF'
app=7-Zip|7-Zip 23.01 (x64)|23.01|Igor Pavlov|C:\Program Files\7-Zip\|https://www.7-zip.org/|File archiver
app=Café Tööl|Café Tööl ✓ 𝄞||Société Générale|||
app=KB5005112||||||
app=Notepad++|Notepad++ (32-bit x86)|8.6||C:\NPP|http|ABC😀
EOF

# --- SOFTWARE: Windows 10, CurrentBuild only --------------------------
# Built twice: from the empty hive found above, and from the one
# make-empty-hive.py writes (what a checkout without the shared hive
# uses); both must read the same.
software_10 ()
{
    hive_reg_current_version
    cat <<'EOF'
"ProductName"="Windows 10 Pro"
"CurrentMajorVersionNumber"=dword:0000000a
"CurrentMinorVersionNumber"=dword:00000000
"CurrentVersion"="6.3"
"CurrentBuild"="19045"
"InstallationType"="Client"
"EditionID"="Professional"
EOF
}
software_10 | hive software-10
python3 "$srcdir/tests/data/make-empty-hive.py" "$scratch/own-empty" ||
    fail "make-empty-hive.py failed"
found=$HIVE_MINIMAL
HIVE_MINIMAL=$scratch/own-empty
software_10 | hive software-10-own
HIVE_MINIMAL=$found

for f in software-10 software-10-own; do
    expect os "$scratch/$f" <<'EOF'
product_name=Windows 10 Pro
major=10
minor=0
current_version=6.3
build=19045
installation_type=Client
edition_id=Professional
EOF
    expect apps "$scratch/$f" </dev/null
done

# --- SOFTWARE: Windows 7, no version DWORDs; one of another type ------
{
    hive_reg_current_version
    cat <<'EOF'
"ProductName"="Windows 7 Professional"
"CurrentVersion"="6.1"
"CurrentBuildNumber"="7601"
"CurrentMajorVersionNumber"=hex:0a,00,00,00
"CurrentMinorVersionNumber"=hex(4):01,00,00,00,00
EOF
} | hive software-7

expect os "$scratch/software-7" <<'EOF'
product_name=Windows 7 Professional
major=-1
minor=-1
current_version=6.1
build=7601
installation_type=(none)
edition_id=(none)
EOF

# --- SOFTWARE: keys with more values than any real one: not read -----
{
    hive_reg_current_version
    printf '"ProductName"="Too Many"\n'
    for i in $(seq 600); do printf '"V%d"=dword:00000001\n' "$i"; done
    printf '\n'
    uninstall_parents "" | tail -n +3
    printf '[\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Many]\n'
    printf '"DisplayName"="Many"\n'
    for i in $(seq 600); do printf '"V%d"=dword:00000001\n' "$i"; done
    printf '\n[\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Few]\n'
    printf '"DisplayName"="Few"\n'
} | hive software-many
has 'product_name=(none)' os "$scratch/software-many" || fail "600 values read"
expect apps "$scratch/software-many" <<'EOF'
app=Few|Few|||||
app=Many||||||
EOF

# --- SYSTEM: control set 1, host name, drive letters ------------------
hive system-2019 <<'EOF'
Windows Registry Editor Version 5.00

[\Select]
"Current"=dword:00000001
"Default"=dword:00000001

[\ControlSet001]

[\ControlSet001\Services]

[\ControlSet001\Services\Tcpip]

[\ControlSet001\Services\Tcpip\Parameters]
"Hostname"="WIN-SRV2019"

[\ControlSet001\Control]

[\ControlSet001\Control\ComputerName]

[\ControlSet001\Control\ComputerName\ComputerName]
"ComputerName"="WIN-OTHER"

[\MountedDevices]
"\\DosDevices\\C:"=hex:78,56,34,12,00,00,10,00,00,00,00,00
"\\DosDevices\\E:"=hex:44,4d,49,4f,3a,49,44,3a,33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff
"\\DosDevices\\d:"=hex:78,56,34,12,00,00,40,06,00,00,00,00
"\\DosDevices\\F:"=hex:5c,00,3f,00,3f,00,5c,00,49,00,44,00,45,00,23,00,43,00,64,00,52,00,6f,00,6d,00
"\\DosDevices\\G:"=hex:01,02
"\\DosDevices\\H:"="not binary"
"\\DosDevices\\IJ:"=hex:78,56,34,12,00,00,10,00,00,00,00,00
"\\DosDevices\\1:"=hex:78,56,34,12,00,00,10,00,00,00,00,00
"\\??\\Volume{0c2f2a1e-0000-0000-0000-100000000000}"=hex:78,56,34,12,00,00,10,00,00,00,00,00
EOF

expect system "$scratch/system-2019" <<'EOF'
control_set=ControlSet001
hostname=WIN-SRV2019
drive=C mbr 78563412 1048576
drive=D mbr 78563412 104857600
drive=E gpt 00112233-4455-6677-8899-aabbccddeeff
EOF

# --- SYSTEM: control set 2, ComputerName only, no MountedDevices -----
hive system-cs2 <<'EOF'
Windows Registry Editor Version 5.00

[\Select]
"Current"=dword:00000002

[\ControlSet002]

[\ControlSet002\Control]

[\ControlSet002\Control\ComputerName]

[\ControlSet002\Control\ComputerName\ComputerName]
"ComputerName"="DESKTOP-7"
EOF

expect system "$scratch/system-cs2" <<'EOF'
control_set=ControlSet002
hostname=DESKTOP-7
EOF

# --- SYSTEM: Select\Current out of range -----------------------------
hive system-bad-select <<'EOF'
Windows Registry Editor Version 5.00

[\Select]
"Current"=dword:00001000
EOF

expect system "$scratch/system-bad-select" <<'EOF'
control_set=(none)
hostname=(none)
EOF

# --- The decoder on its own -------------------------------------------
expect utf16 "" <<'EOF'
string=
EOF
# Lone low surrogate, high surrogate at the very end.
expect utf16 "4100dcdf420000d8" <<'EOF'
string=AB
EOF
# A string longer than INSPECT_VALUE_MAX is cut on a character boundary.
long=$(python3 -c 'print("e900" * 3000)')
out=$(query 0 utf16 "$long")
[ "${#out}" -le $((7 + 1024)) ] || fail "long string not bounded: ${#out}"
[ "$(printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 | wc -c)" -eq "$(printf '%s' "$out" | wc -c)" ] ||
    fail "long string is not valid UTF-8"

# --- Hostile hives ----------------------------------------------------
# patch.py IN OUT WHAT: a corrupted copy; the header checksum is fixed
# so that hivex looks past it.
cat > "$scratch/patch.py" <<'EOF'
import struct, sys

src, dst, what = sys.argv[1:4]
b = bytearray(open(src, "rb").read())

def vk(name):
    i = b.find(name.encode("ascii"))
    while i >= 0 and b[i - 0x14:i - 0x12] != b"vk":
        i = b.find(name.encode("ascii"), i + 1)
    assert i >= 0, name
    return i - 0x14

def nk(name):
    i = b.find(name.encode("ascii"))
    while i >= 0 and b[i - 0x4c:i - 0x4a] != b"nk":
        i = b.find(name.encode("ascii"), i + 1)
    assert i >= 0, name
    return i - 0x4c

if what == "root":
    struct.pack_into("<I", b, 0x24, 0x7ffff000)
elif what == "huge-string":
    struct.pack_into("<I", b, vk("ProductName") + 4, 0x7ffffff0)
elif what == "long-string":
    struct.pack_into("<I", b, vk("EditionID") + 4, 0x3000)
elif what == "bad-data-offset":
    struct.pack_into("<I", b, vk("CurrentBuildNumber") + 8, 0x7fff0000)
elif what == "bad-subkeys":
    struct.pack_into("<I", b, nk("Uninstall") + 0x1c, 0xfffffff0)
elif what == "bad-values":
    struct.pack_into("<I", b, nk("MountedDevices") + 0x28, 0x7fff0000)
elif what == "truncate":
    del b[len(b) - 4096:]
else:
    raise SystemExit("unknown corruption " + what)

csum = 0
for (w,) in struct.iter_unpack("<I", bytes(b[0:0x1fc])):
    csum ^= w
struct.pack_into("<I", b, 0x1fc, csum)
open(dst, "wb").write(b)
EOF

corrupt ()
{
    python3 "$scratch/patch.py" "$scratch/$1" "$scratch/$1.$2" "$2" ||
        fail "cannot corrupt $1 ($2)"
    echo "$scratch/$1.$2"
}

expect_error os "$(corrupt software-2019 root)"
# hivex reads what is left of a truncated hive: an error or nothing.
query any os "$(corrupt software-2019 truncate)" >/dev/null
query any apps "$(corrupt software-2019 truncate)" >/dev/null
query any system "$(corrupt system-2019 truncate)" >/dev/null

# Values that lie about their size or place are absent, the rest stays.
f=$(corrupt software-2019 huge-string)
has 'product_name=(none)' os "$f" || fail "huge string length read"
has 'build=17763' os "$f" || fail "huge string: other values lost"
f=$(corrupt software-2019 long-string)
has 'edition_id=(none)' os "$f" || fail "over-long string read"
f=$(corrupt software-2019 bad-data-offset)
has 'build=17763' os "$f" || fail "bad data offset: no CurrentBuild fallback"
# A subkey list out of range: that Uninstall key has no subkeys.
expect apps "$(corrupt software-2019 bad-subkeys)" <<'EOF2'
app=Notepad++|Notepad++ (32-bit x86)|8.6||C:\NPP|http|ABC😀
EOF2
f=$(corrupt system-2019 bad-values)
has 'control_set=ControlSet001' system "$f" || fail "bad value list: control set lost"
out=$(query 0 system "$f")
! grep -q '^drive=' <<< "$out" || fail "bad value list: drives read"

# Thousands of corrupted copies (fewer under valgrind): no crash, no
# hang, no leak, nothing on stderr.
runs=$([ -n "${VALGRIND:-}" ] && echo 100 || echo 3000)
for h in software-2019 system-2019 software-7; do
    query 0 fuzz "$scratch/$h" "$runs" | grep -q "^fuzz: $runs runs" ||
        fail "fuzz $h"
done

# Not a hive: zeros, a directory, a file larger than the limit.
head -c 16384 /dev/zero > "$scratch/zeros"
expect_error os "$scratch/zeros"
expect_error apps "$scratch/zeros"
expect_error system "$scratch"
truncate -s 600M "$scratch/huge"
expect_error os "$scratch/huge"

# --- inspect_windows over directory trees (test-inspect-windows) -------
win=${abs_builddir:-$(dirname "$0")}/test-inspect-windows
[ -x "$win" ] || fail "$win is not built"

# software_hive NAME PRODUCT VERSION BUILD TYPE: a SOFTWARE hive;
# VERSION "6.3" is CurrentVersion, "10" the DWORDs of Windows 10 on.
software_hive ()
{
    {
        hive_reg_current_version
        cat <<EOF
"ProductName"="$2"
$(if [ "$3" = 10 ]; then
      printf '"CurrentMajorVersionNumber"=dword:0000000a\n'
      printf '"CurrentMinorVersionNumber"=dword:00000000\n'
      printf '"CurrentVersion"="6.3"\n'
  else
      printf '"CurrentVersion"="%s"\n' "$3"
  fi)
"CurrentBuildNumber"="$4"
"InstallationType"="$5"
EOF
    } | hive "$1"
}
software_hive software-11 "Windows 11 Pro" 10 22631 Client
software_hive software-2022 "Windows Server 2022 Datacenter" 10 20348 "Server Core"
software_hive software-2016 "Windows Server 2016 Standard" 10 14393 Server
software_hive software-2012r2 "Windows Server 2012 R2 Standard" 6.3 9600 Server

# tree NAME SYSTEMROOT/SYSTEM32/CONFIG SOFTWARE SYSTEM [EXE MACHINE]:
# a Windows-like tree $scratch/NAME, hives copied from $scratch, and a
# PE header for EXE in SYSTEM32 with that machine number.
tree ()
{
    local config=$scratch/$1/$2
    mkdir -p "$config"
    cp "$scratch/$3" "$config/SOFTWARE"
    cp "$scratch/$4" "$config/system"
    if [ $# -ge 6 ]; then
        python3 -c 'import struct, sys
h = bytearray(512)
h[0:2] = b"MZ"
struct.pack_into("<I", h, 0x3c, 0x80)
h[0x80:0x84] = b"PE\0\0"
struct.pack_into("<H", h, 0x84, int(sys.argv[2], 16))
open(sys.argv[1], "wb").write(h)' "$(dirname "$config")/$5" "$6"
    fi
    echo "$scratch/$1"
}

# query_root DIR [PARTUUID=DEVICE ...]: test-inspect-windows's output.
query_root ()
{
    local rc=0 out
    out=$(timeout 60 ${VALGRIND:-} "$win" "$@" 2>"$scratch/stderr") || rc=$?
    [ "$rc" -eq 0 ] && [ ! -s "$scratch/stderr" ] ||
        fail "inspect_windows $(basename "$1"): status $rc: $(cat "$scratch/stderr")"
    echo "$out"
}

# expect_root DIR [PARTUUID=DEVICE ...]: the output must be stdin.
expect_root ()
{
    local want out
    want=$(cat)
    out=$(query_root "$@")
    [ "$out" = "$want" ] || {
        diff -u <(echo "$want") <(echo "$out") >&2 || :
        fail "inspect_windows $(basename "$1"): unexpected output"
    }
}

t=$(tree w2019 WINDOWS/System32/config software-2019 system-2019 cmd.exe 8664)
expect_root "$t" 00112233-4455-6677-8899-AABBCCDDEEFF=/dev/sdb2 \
    abc=/dev/sdb1 <<'EOF'
found=1
type=windows
distro=windows
product_name=Windows Server 2019 Standard
product_variant=Server
version=10.0
build_id=17763
osinfo=win2k19
arch=x86_64
hostname=WIN-SRV2019
package_format=unknown
package_management=unknown
systemroot=/WINDOWS
control_set=ControlSet001
software_hive=/WINDOWS/System32/config/SOFTWARE
system_hive=/WINDOWS/System32/config/system
drive=E /dev/sdb2
app=7-Zip|7-Zip 23.01 (x64)|23.01
app=Café Tööl|Café Tööl ✓ 𝄞|
app=KB5005112||
app=Notepad++|Notepad++ (32-bit x86)|8.6
EOF

# A decoy Windows directory without hives; the real root is winnt.
t=$(tree w7 winnt/system32/CONFIG software-7 system-cs2 ntoskrnl.exe 14c)
mkdir -p "$t/Windows/System32"
expect_root "$t" <<'EOF'
found=1
type=windows
distro=windows
product_name=Windows 7 Professional
product_variant=(none)
version=6.1
build_id=7601
osinfo=win7
arch=i386
hostname=DESKTOP-7
package_format=unknown
package_management=unknown
systemroot=/winnt
control_set=ControlSet002
software_hive=/winnt/system32/CONFIG/SOFTWARE
system_hive=/winnt/system32/CONFIG/system
EOF

# osinfo_of SOFTWARE OSINFO VARIANT (no executable: arch unknown).
osinfo_of ()
{
    local t out
    t=$(tree "t-$1" Windows/System32/config "$1" system-cs2)
    out=$(query_root "$t")
    grep -qxF "osinfo=$2" <<< "$out" && grep -qxF "product_variant=$3" <<< "$out" ||
        fail "$1: not $2 / $3: $out"
}
osinfo_of software-10 win10 Client
osinfo_of software-11 win11 Client
osinfo_of software-2022 win2k22 "Server Core"
osinfo_of software-2016 win2k16 Server
osinfo_of software-2012r2 win2k12r2 Server

# Not Windows: SOFTWARE a directory, or a FIFO (which must not block),
# or nothing at all.
mkdir -p "$scratch/nowin1/Windows/System32/config/SOFTWARE"
cp "$scratch/system-cs2" "$scratch/nowin1/Windows/System32/config/SYSTEM"
expect_root "$scratch/nowin1" <<< "found=0"
mkdir -p "$scratch/nowin2/Windows/System32/config"
mkfifo "$scratch/nowin2/Windows/System32/config/SOFTWARE"
cp "$scratch/system-cs2" "$scratch/nowin2/Windows/System32/config/SYSTEM"
expect_root "$scratch/nowin2" <<< "found=0"
mkdir -p "$scratch/empty"
expect_root "$scratch/empty" <<< "found=0"

# A SOFTWARE hive that is no hive: not a Windows root (a look-alike
# tree of junk is not one).  A SYSTEM hive that is no hive: nothing
# known from it, the rest stays.
t=$(tree junk Windows/System32/config zeros system-cs2 cmd.exe 8664)
expect_root "$t" <<'EOF'
damage=/dev/sda1: /Windows/System32/config/SOFTWARE: not a registry hive, or a damaged one (Operation not supported)
found=0
EOF
t=$(tree junk-system Windows/System32/config software-10 zeros cmd.exe 1234)
expect_root "$t" <<'EOF'
found=1
type=windows
distro=windows
product_name=Windows 10 Pro
product_variant=Client
version=10.0
build_id=19045
osinfo=win10
arch=(none)
hostname=(none)
package_format=unknown
package_management=unknown
systemroot=/Windows
control_set=unknown
software_hive=/Windows/System32/config/SOFTWARE
system_hive=/Windows/System32/config/system
EOF

echo "$(basename "$0"): PASS"
