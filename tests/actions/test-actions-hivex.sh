#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The hivex_* actions on a registry hive inside an ext4 image, in one
# committed launch, and the hive read back on the host:
#  - the handles the daemon gives are the offsets the host's libhivex
#    gives for the same file (Win::Hivex); walking: root, names,
#    children, get-child (case ignored, 0 when absent), parent, values,
#    get-value, key, type, data, value-string and value-utf8 (non-ASCII
#    names and strings);
#  - changes: add-child (twice: EEXIST), set-value of every REG_* type
#    (0 to 11) and of an unknown one, a replaced value, the default
#    value, delete-value (case ignored; a missing one is no error),
#    delete-child of a key with a subkey; commit in place (the file
#    keeps its inode) and to a new file; the two hives, dumped
#    from the image with debugfs, are read with hivexregedit and hivexsh
#    and must say exactly what was set;
#  - refusals: a read-only open refuses changes and commit (EROFS), a
#    handle that is not one, the root's parent, deleting the root, a
#    value-string of a DWORD, no hive open, a missing file, a directory,
#    a FIFO, a file that is no hive and a damaged hive (a clear error,
#    nothing kept open);
#  - a session whose only write is a failed open of a damaged hive
#    leaves the image byte-identical.
. "$(dirname "$0")/../functions.sh"

requires hivexregedit hivexsh perl mke2fs debugfs python3
. "$DRYDOCK_TESTS_SRCDIR/data/hive-lib.sh"
hive_find_minimal || skip "no empty registry hive (python3 missing?)"

cd "$scratch"
mkdir -p tree/reg tree/reg/dir
hive_build tree/reg/SOFT <<'EOF' || fail "cannot build the hive"
Windows Registry Editor Version 5.00

[\A]
"S"="hello"
"D"=dword:00000010
"Ünï"="wört ✓"

[\A\B]
@="def"

[\A\B\C]
"x"=hex:01

[\Zeta]
EOF
cp tree/reg/SOFT tree/reg/SOFT.orig
# A hive whose first block is damaged, and a file that is no hive.
cp tree/reg/SOFT tree/reg/BAD
printf 'XXXXXXXX' | dd of=tree/reg/BAD bs=1 seek=4096 conv=notrunc status=none
echo "not a hive" > tree/reg/TEXT
mkfifo tree/reg/fifo
truncate -s 32M d.img
mke2fs -q -t ext4 -d tree d.img || fail "mke2fs"
ino_before=$(debugfs -R "stat /reg/SOFT" d.img 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')

# The handles, as the host's libhivex sees the same file.
read -r root rootname a b c zeta vs vd vu <<<"$(perl -MWin::Hivex -e '
  my $h = Win::Hivex->open ($ARGV[0]);
  my $r = $h->root; my $a = $h->node_get_child ($r, "A");
  my $b = $h->node_get_child ($a, "B");
  print join (" ", $r, $h->node_name ($r), $a, $b,
              $h->node_get_child ($b, "C"), $h->node_get_child ($r, "Zeta"),
              $h->node_values ($a)), "\n"' tree/reg/SOFT)"
[ -n "$vu" ] || fail "Win::Hivex gave no handles"

# printf: the data of set-value has bytes the shell cannot type.
{
  cat <<EOF
run
mount /dev/sda /
echo == walk
hivex-open /reg/SOFT write:true
hivex-root
hivex-node-name $root
hivex-node-children $root
hivex-node-get-child $root a
hivex-node-name $a
hivex-node-get-child $a nosuch
hivex-node-parent $a
hivex-node-children $a
hivex-node-values $a
hivex-node-get-value $a s
hivex-node-get-value $a nosuch
hivex-value-key $vs
hivex-value-type $vs
hivex-value-value $vs
echo
hivex-value-string $vs
hivex-value-utf8 $vu
hivex-value-key $vu
hivex-value-type $vd
hivex-value-value $vd
echo
echo == errors
-hivex-value-string $vd
-hivex-node-name 12345
-hivex-node-name -1
-hivex-value-key $a
-hivex-node-parent $root
-hivex-node-delete-child $root
-hivex-node-add-child $a b
-hivex-node-add-child $a "x\\\\y"
-hivex-node-set-value $a k -1 x
echo == change
hivex-node-get-child $b c
hivex-node-delete-child $b
hivex-node-get-child $a B
hivex-node-add-child $a Neu
hivex-node-get-child $a NEU
EOF
  printf 'hivex-node-set-value %s r0 0 none\n' "$a"
  printf 'hivex-node-set-value %s r1 1 "\xac\x20"\n' "$a"
  printf 'hivex-node-set-value %s r2 2 "\x3a\x26"\n' "$a"
  printf 'hivex-node-set-value %s r3 3 "\x01\x02\x03"\n' "$a"
  printf 'hivex-node-set-value %s r4 4 "\x01\x02\x03\x04"\n' "$a"
  printf 'hivex-node-set-value %s r5 5 "\x01\x02\x03\x04"\n' "$a"
  printf 'hivex-node-set-value %s r6 6 "\x3b\x26"\n' "$a"
  printf 'hivex-node-set-value %s r7 7 ab\n' "$a"
  printf 'hivex-node-set-value %s r8 8 r8\n' "$a"
  printf 'hivex-node-set-value %s r9 9 r9\n' "$a"
  printf 'hivex-node-set-value %s r10 10 rA\n' "$a"
  printf 'hivex-node-set-value %s r11 11 "\x01\x02\x03\x04\x05\x06\x07\x08"\n' "$a"
  printf 'hivex-node-set-value %s odd 4294967295 odd\n' "$a"
  printf 'hivex-node-set-value %s s 3 new\n' "$a"
  printf 'hivex-node-set-value %s "" 1 "\xac\x20"\n' "$a"
  cat <<EOF
hivex-node-delete-value $a R9
hivex-node-delete-value $a nosuch
hivex-commit ""
hivex-commit /reg/COPY
-hivex-commit /reg/fifo
-hivex-commit /reg/dir
hivex-close
echo == read-only
-hivex-close
-hivex-root
hivex-open /reg/COPY
hivex-node-get-child $root zeta
-hivex-node-add-child $root x
-hivex-node-set-value $root x 1 y
-hivex-node-delete-value $root x
-hivex-commit ""
echo == opens
-hivex-open /reg/nosuch
-hivex-open /reg/dir
-hivex-open /reg/fifo
-hivex-open /reg/TEXT
-hivex-open /reg/BAD write:true
-hivex-root
EOF
} > script

drydock shell --format raw -a d.img < script > out 2> err ||
  fail "drydock shell failed: $(cat err)"

# What the session printed (value-value prints the raw bytes).
node () { printf '[%d] = {\n  hivex_node_h: %s\n}\n' "$1" "$2"; }
{
  printf '%s\n' "== walk" "$root" "$rootname"
  node 0 "$a"; node 1 "$zeta"
  printf '%s\n' "$a" A 0 "$root"
  node 0 "$b"
  i=0
  for v in "$vs" "$vd" "$vu"; do
    printf '[%d] = {\n  hivex_value_h: %s\n}\n' $i "$v"; i=$((i + 1))
  done
  printf '%s\n' "$vs" 0 S 1
  printf 'h\0e\0l\0l\0o\0\0\0\n'
  printf '%s\n' hello "wört ✓" "Ünï" 4
  printf '\x10\0\0\0\n'
  printf '%s\n' "== errors" "== change" "$c" 0
} > expected
head -c "$(stat -c %s expected)" out | cmp -s - expected ||
  fail "the walk printed: $(cat -A out | head -60)"
neu=$(sed -n '/^== change$/,/^== read-only$/p' out | sed -n '4,5p' | sort -u)
[ "$(echo "$neu" | wc -l)" = 1 ] && [ "$neu" -gt 0 ] ||
  fail "add-child and get-child gave $(echo $neu)"
expect_eq "the read-only part" "== read-only
$zeta
== opens" "$(sed -n '/^== read-only$/,$p' out)"

p="drydock shell"
ro="the hive was opened read-only (use hivex_open write:true)"
none="no hive is open (call hivex_open first)"
expect_eq "the errors" "$p: hivex_value_string: value $vd: of type 4, not a string (REG_SZ, REG_EXPAND_SZ or REG_LINK)
$p: hivex_node_name: node 12345: not a node of the open hive
$p: hivex_node_name: node -1: not a node of the open hive
$p: hivex_value_key: value $a: not a value of the open hive
$p: hivex_node_parent: node $root: the root node has no parent
$p: hivex_node_delete_child: node $root: the root node cannot be deleted
$p: hivex_node_add_child: node $a: has a child named 'b' already
$p: hivex_node_add_child: 'x\\y': a key name is not empty and has no backslash
$p: hivex_node_set_value: type -1: not from 0 to 4294967295
$p: hivex_commit: /reg/fifo: not a regular file (a FIFO)
$p: hivex_commit: /reg/dir: is a directory
$p: hivex_close: $none
$p: hivex_root: $none
$p: hivex_node_add_child: /reg/COPY: $ro
$p: hivex_node_set_value: /reg/COPY: $ro
$p: hivex_node_delete_value: /reg/COPY: $ro
$p: hivex_commit: /reg/COPY: $ro
$p: hivex_open: /reg/nosuch: No such file or directory
$p: hivex_open: /reg/dir: is a directory
$p: hivex_open: /reg/fifo: not a regular file (a FIFO)
$p: hivex_open: /reg/TEXT: not a registry hive, or a damaged one (Invalid argument)
$p: hivex_open: /reg/BAD: not a registry hive, or a damaged one (Operation not supported)
$p: hivex_root: $none" "$(cat err)"

# The committed hives, read on the host.
for f in SOFT COPY BAD; do
  debugfs -R "dump /reg/$f $f" d.img 2>/dev/null && [ -s "$f" ] ||
    fail "cannot dump /reg/$f from the image"
done
cmp -s BAD tree/reg/BAD || fail "the damaged hive was written"
ino_after=$(debugfs -R "stat /reg/SOFT" d.img 2>/dev/null |
            sed -n 's/^Inode: \([0-9]*\).*/\1/p')
expect_eq "the inode of the hive committed in place" "$ino_before" "$ino_after"
cat > want.reg <<'EOF'
Windows Registry Editor Version 5.00

[\]

[\A]
@=hex(1):ac,20
"D"=dword:00000010
"odd"=hex(ffffffff):6f,64,64
"r0"=hex(0):6e,6f,6e,65
"r1"=hex(1):ac,20
"r10"=hex(a):72,41
"r11"=hex(b):01,02,03,04,05,06,07,08
"r2"=hex(2):3a,26
"r3"=hex(3):01,02,03
"r4"=dword:04030201
"r5"=hex(5):01,02,03,04
"r6"=hex(6):3b,26
"r7"=hex(7):61,62
"r8"=hex(8):72,38
"s"=hex(3):6e,65,77
"Ünï"=hex(1):77,00,f6,00,72,00,74,00,20,00,13,27,00,00

[\A\Neu]

[\Zeta]

EOF
for f in SOFT COPY; do
  PERL_UNICODE=SD hivexregedit --export "$f" '\' > "$f.reg" ||
    fail "hivexregedit cannot read the committed $f"
  cmp -s want.reg "$f.reg" || fail "$f: $(diff want.reg "$f.reg")"
done
printf '%s\n' 'load SOFT' 'cd \A' 'lsval r1' 'lsval r2' 'lsval r4' 'lsval r5' \
  'lsval r11' 'lsval @' 'lsval Ünï' > lsval
expect_eq "hivexsh on the committed hive" "€
☺
67305985
16909060
578437695752307201
€
wört ✓" "$(hivexsh < lsval 2>&1)"

# A session that fails on a damaged hive changes nothing.
keep_sums d.img
printf '%s\n' run 'mount /dev/sda /' 'hivex-open /reg/BAD write:true' \
  'hivex-commit ""' > script2
expect_fail "a damaged hive" \
  "^drydock shell: hivex_open: /reg/BAD: not a registry hive, or a damaged one" \
  drydock shell --format raw -a d.img < script2
sums_unchanged
