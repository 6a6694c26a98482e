#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The reading tools against what drydock shell says to the same
# question, on the test guests; none of them may change an image:
#  - cat: two files of debian.img, byte for byte as the shell's cat;
#    a missing file is one line, the other file still printed, exit 1;
#  - ls: the names (ls), -R (find), -l (ll), -l of a file, and -lR
#    --csv --checksum=sha256 --uids --time-t --extra-stats of /etc,
#    every field of every line rebuilt from the shell's lstatns,
#    checksum and readlink of the same paths; -lR of hostile.img's
#    /dev and /var/tmp: the FIFO and device nodes typed p, c, b
#    without being opened, the name with a newline quoted in CSV;
#  - Windows paths: cat of 'D:\DATA\README.TXT' and ls of
#    'c:\windows\system32' on windows.img (drive letter, case);
#  - df on debian.img + fedora.img (one guest, "debian.img+"), each
#    number from the shell's statvfs; -i --csv; -h;
#  - filesystems on linux-multifs.img: the default list (no swap),
#    and --all --long --uuid --csv row by row from the shell's
#    list-filesystems, vfs-label, vfs-uuid, blockdev-getsize64,
#    lvuuid, vg-size, pv-size, vg-pvs; the MBR id of debian.img's
#    partition from part-get-mbr-id;
#  - log: nothing (a warning) for debian.img; a journal-only guest is
#    one line saying so, a guest with /var/log/syslog gets it printed
#    and a warning about its journal; Windows is one line.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64

cd "$scratch"
debian=$(guest debian.img)
fedora=$(guest fedora.img)
rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-inspect-guests.sh" "$GUESTS" \
  linux-multifs.img > build.log 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 build.log)"
[ "$rc" -eq 0 ] || fail "cannot build linux-multifs.img: $(cat build.log)"
multifs="$GUESTS/linux-multifs.img"
hostile=$(guest hostile.img)
keep_sums "$debian" "$fedora" "$multifs" "$hostile"

# t TOOL ARGS...: drydock TOOL must succeed; its output in out, its
# messages in err.
t ()
{
  local tool=$1
  shift
  drydock "$tool" -q "$@" > out 2> err ||
    fail "drydock $tool $*: exit $?: $(cat err)"
}
# sh IMAGE... < SCRIPT: the shell's answers (-i) in ref.
sh_ref ()
{
  local args=()
  for img in "$@"; do args+=(-a "$img"); done
  drydock shell --ro --format raw "${args[@]}" -i > ref 2> ref.err ||
    fail "shell: $(cat ref.err)"
}
D=(--format raw -a "$debian")

# ---- cat ----
t cat "${D[@]}" /etc/hostname /etc/os-release
cp out cat.out
sh_ref "$debian" <<'EOF'
cat /etc/hostname
cat /etc/os-release
EOF
cmp -s cat.out ref || fail "cat differs from the shell's: $(diff cat.out ref)"
rc=0
drydock cat "${D[@]}" /etc/nosuch /etc/hostname > out 2> err || rc=$?
expect_eq "cat of a missing file: exit" 1 "$rc"
expect_eq "cat of a missing file: the other file" "debian-guest" "$(cat out)"
expect_eq "cat of a missing file: one line" 1 "$(wc -l < err)"
grep -q "^drydock cat: .*/etc/nosuch: No such file or directory$" err ||
  fail "cat of a missing file: $(cat err)"

# ---- ls: names, -R, -l ----
t ls "${D[@]}" /etc
cp out ls.out
t ls "${D[@]}" -R /etc
cp out ls-R.out
t ls "${D[@]}" -l /etc /etc/hostname
cp out ls-l.out
sh_ref "$debian" <<'EOF'
ls /etc
echo @@
find /etc
echo @@
ll /etc
EOF
awk '/^@@$/ { n++; next } { print > ("ref" n) }' ref
cmp -s ls.out ref || fail "ls differs from the shell's ls"
cmp -s ls-R.out ref1 || fail "ls -R differs from the shell's find: $(diff ls-R.out ref1)"
head -n "$(wc -l < ref2)" ls-l.out | cmp -s - ref2 ||
  fail "ls -l differs from the shell's ll: $(diff ls-l.out ref2)"
tail -n 1 ls-l.out | grep -Eq '^-rw-r--r-- 1 0 0 13 Nov 14  2023 /etc/hostname$' ||
  fail "ls -l of a file: $(tail -n 1 ls-l.out)"

# ---- ls -lR, every field from the shell ----
t ls "${D[@]}" -lR --csv --checksum=sha256 --uids --time-t --extra-stats /etc
cp out lR.out
{
  for p in /etc $(sed 's|^|/etc/|' ls-R.out); do
    printf 'echo "@@ %s"\nlstatns %s\necho @S\n-checksum sha256 %s\necho @L\n-readlink %s\n' \
      "$p" "$p" "$p" "$p"
  done
} > lR.script
sh_ref "$debian" < lR.script
# Each path's line as ls -lR --csv --checksum --uids --time-t
# --extra-stats prints it, from the shell's answers.
awk '
function flush () {
  if (path == "") return
  t = int(mode / 4096) * 4096
  type = t == 32768 ? "-" : t == 16384 ? "d" : t == 40960 ? "l" : "u"
  printf "%s,%04o,%d,%d,%d,%d,%d,%d,%d:%d,%d,%d,%d:%d,%d,%s,%s", type, \
    mode % 4096, size, uid, gid, at, mt, ct, int(dev / 256), dev % 256, \
    ino, nlink, int(rdev / 256), rdev % 256, blocks, \
    (type == "-" ? sum : ""), path
  if (type == "l") printf ",%s", link
  printf "\n"
}
/^@@ / { flush(); path = $2; sum = ""; link = ""; part = "st"; next }
/^@S$/ { part = "sum"; next }
/^@L$/ { part = "link"; next }
part == "sum" { sum = $0; next }
part == "link" { link = $0; next }
/^st_dev: / { dev = $2 } /^st_ino: / { ino = $2 } /^st_mode: / { mode = $2 }
/^st_nlink: / { nlink = $2 } /^st_uid: / { uid = $2 } /^st_gid: / { gid = $2 }
/^st_rdev: / { rdev = $2 } /^st_size: / { size = $2 }
/^st_blocks: / { blocks = $2 } /^st_atime_sec: / { at = $2 }
/^st_mtime_sec: / { mt = $2 } /^st_ctime_sec: / { ct = $2 }
END { flush() }' ref > lR.want
cmp -s lR.out lR.want || fail "ls -lR differs from the shell: $(diff lR.out lR.want)"
[ "$(wc -l < lR.out)" -eq "$(( $(wc -l < ls-R.out) + 1 ))" ] ||
  fail "ls -lR: not one line a name"

# hostile.img: special files typed without being opened, a name with a
# newline quoted.
t ls --format raw -a "$hostile" -lR --checksum /dev /var/tmp
grep -Eq '^p 0600 +0 /dev/initctl$' out || fail "ls -lR: the FIFO: $(cat out)"
grep -Eq '^c 0600 +0 /dev/zero$' out || fail "ls -lR: the char device"
grep -Eq '^b 0600 +0 /dev/sda$' out || fail "ls -lR: the block device"
t ls --format raw -a "$hostile" -lR --csv /var/tmp
grep -q "^-,0644,8,\"/var/tmp/new\$" out && grep -q "^line\"\"quote'.txt\"\$" out ||
  fail "ls -lR --csv: the name with a newline: $(cat out)"

# ---- df ----
t df --format raw -a "$debian" -a "$fedora"
cp out df.out
t df --format raw -a "$debian" -a "$fedora" -i --csv
cp out df-i.out
t df --format raw -a "$debian" -h
cp out df-h.out
drydock shell --ro --format raw -a "$debian" -a "$fedora" > ref 2> ref.err <<'EOF' ||
run
mount-ro /dev/sda1 /
statvfs /
umount-all
mount-ro /dev/sdb1 /
statvfs /
umount-all
mount-ro /dev/sdb2 /
statvfs /
EOF
  fail "shell statvfs: $(cat ref.err)"
awk -v names="/dev/sda1 /dev/sdb1 /dev/sdb2" '
BEGIN { split(names, dev, " ") }
/^bsize: / { bs = $2 } /^blocks: / { b = $2 } /^bfree: / { f = $2 }
/^bavail: / { a = $2 } /^files: / { fi = $2 }
/^ffree: / { ff = $2 }
/^namemax: / {
  n++
  pct = int(100 - 100 * f / b); if (100 - 100 * f / b > pct) pct++
  printf "debian.img+:%-24s%10d %10d %10d %5s\n", dev[n], b * bs / 1024, \
    (b - f) * bs / 1024, a * bs / 1024, sprintf("%3d%%", pct) > "df.want"
  printf "debian.img+,%s,%d,%d,%d,%.1f\n", dev[n], fi, fi - ff, ff, \
    100 - 100 * ff / fi > "df-i.want"
}' ref
sed 1d df.out | cmp -s - df.want || fail "df: $(diff df.out df.want)"
expect_eq "df: title" "Filesystem                           1K-blocks       Used  Available  Use%" \
  "$(head -n 1 df.out)"
sed 1d df-i.out | cmp -s - df-i.want || fail "df -i --csv: $(diff df-i.out df-i.want)"
expect_eq "df -i --csv: title" "VirtualMachine,Filesystem,Inodes,IUsed,IFree,IUse%" \
  "$(head -n 1 df-i.out)"
grep -Eq '^debian.img:/dev/sda1 +1[0-9][0-9]M +[0-9.]+K +1[0-9][0-9]M +1%$' df-h.out ||
  fail "df -h: $(cat df-h.out)"

# ---- filesystems ----
M=(--format raw -a "$multifs")
t filesystems "${M[@]}"
cp out fs.out
t filesystems "${M[@]}" --all --long --uuid --csv
cp out fs-all.out
t filesystems --format raw -a "$debian" --partitions --long
cp out fs-parts.out
drydock shell --ro --format raw -a "$multifs" > ref 2> ref.err <<'EOF' ||
run
vg-activate-all true
list-filesystems
echo @@
vfs-label /dev/sda1
vfs-uuid /dev/sda1
blockdev-getsize64 /dev/sda4
blockdev-getsize64 /dev/fedora/var
lvuuid /dev/fedora/var
vg-size fedora
pv-size /dev/sda2
vg-pvs fedora
blockdev-getsize64 /dev/sda
vfs-uuid /dev/sda4
blockdev-getsize64 /dev/sda2
mount-ro /dev/sda1 /
statvfs /
EOF
  fail "shell: $(cat ref.err)"
sed -n '1,/^@@$/p' ref | grep -v -e '^@@$' -e ': swap$' | cut -d: -f1 > fs.want
cmp -s fs.out fs.want || fail "filesystems: $(diff fs.out fs.want)"
mapfile -t v < <(sed '1,/^@@$/d' ref)
row () { grep -qxF -- "$1" fs-all.out || fail "filesystems --all: no row $1: $(cat fs-all.out)"; }
expect_eq "filesystems --all: title" "Name,Type,VFS,Label,MBR,Size,Parent,UUID" \
  "$(head -n 1 fs-all.out)"
bsize=$(sed -n 's/^bsize: //p' ref)
blocks=$(sed -n 's/^blocks: //p' ref)
row "/dev/sda1,filesystem,ext4,${v[0]},,$((bsize * blocks)),,${v[1]}"
row "/dev/sda4,filesystem,swap,swap,,${v[2]},,${v[9]}"
row "/dev/fedora/var,lv,,,,${v[3]},/dev/fedora,${v[4]//-/}"
grep -q "^/dev/fedora,vg,,,,${v[5]},${v[7]},[A-Za-z0-9]\{32\}$" fs-all.out ||
  fail "filesystems --all: the VG row: $(cat fs-all.out)"
grep -q "^/dev/sda2,pv,,,,${v[6]},,[A-Za-z0-9]\{32\}$" fs-all.out ||
  fail "filesystems --all: the PV row"
row "/dev/sda2,partition,,,,${v[10]},/dev/sda,"
row "/dev/sda,device,,,,${v[8]},,"
expect_eq "filesystems: rows" 15 "$(wc -l < fs-all.out)"
drydock shell --ro --format raw -a "$debian" run : part-get-mbr-id /dev/sda 1 \
  > ref 2> ref.err || fail "shell: $(cat ref.err)"
expect_eq "filesystems --partitions --long" "Name       Type       MBR  Size       Parent
/dev/sda1  partition  $(printf %02x "$(cat ref)")   133169152  /dev/sda" "$(cat fs-parts.out)"

# ---- log ----
t log "${D[@]}"
[ ! -s out ] || fail "log of a guest without a log printed: $(cat out)"
grep -q "^drydock log: warning: the guest has no log" err ||
  fail "log without a log: $(cat err)"
logimg=$(scratch_copy "$debian")
drydock shell --format raw -a "$logimg" -i mkdir-p /var/log/journal/0123 : \
  write /var/log/journal/0123/system.journal "LPKSHHRH" > /dev/null ||
  fail "cannot make a journal"
keep_sums "$debian" "$fedora" "$multifs" "$hostile" "$logimg"
rc=0
drydock log --format raw -a "$logimg" > out 2> err || rc=$?
expect_eq "log of a journal-only guest: exit" 1 "$rc"
[ ! -s out ] && [ "$(wc -l < err)" -eq 1 ] &&
  grep -q "^drydock log: the guest logs to the systemd journal (/var/log/journal) only, which drydock cannot read" err ||
  fail "log of a journal-only guest: $(cat err)"
drydock shell --format raw -a "$logimg" -i \
  write /var/log/syslog $'Nov 14 22:13:20 debian-guest kernel: hello\n' > /dev/null ||
  fail "cannot write a syslog"
keep_sums "$debian" "$fedora" "$multifs" "$hostile" "$logimg"
t log --format raw -a "$logimg"
expect_eq "log: the syslog" "Nov 14 22:13:20 debian-guest kernel: hello" "$(cat out)"
grep -q "^drydock log: warning: /var/log/syslog is printed; the systemd journal (/var/log/journal) is not" err ||
  fail "log: no warning about the journal: $(cat err)"
sums_unchanged

# ---- Windows ----
windows=$(windows_guest windows.img)
keep_sums "$windows"
W=(--format raw -a "$windows")
t cat "${W[@]}" 'D:\DATA\README.TXT'
expect_eq "cat D:\\DATA\\README.TXT" "drydock data volume" "$(cat out)"
t ls "${W[@]}" 'c:\windows\system32'
expect_eq "ls c:\\windows\\system32" "cmd.exe config ntoskrnl.exe" "$(echo $(cat out))"
t filesystems "${W[@]}" -l --csv
expect_eq "filesystems of windows.img" "Name,Type,VFS,Label,Size,Parent
/dev/sda1,filesystem,ntfs,SYSTEM,41938944,
/dev/sda2,filesystem,ntfs,DATA,20967424," "$(cat out)"
rc=0
drydock log "${W[@]}" > out 2> err || rc=$?
expect_eq "log of Windows: exit" 1 "$rc"
grep -q "^drydock log: the event logs of Windows" err || fail "log of Windows: $(cat err)"
sums_unchanged
echo "test-tools-read.sh: the reading tools say what the shell says"
