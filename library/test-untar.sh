#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# copy_out's unpacker (untar.c) on the host, fed archives made with
# python3's tarfile, which writes whatever names it is given:
#  - a well-formed tree (GNU and pax formats, long names, files, modes,
#    a read-only directory, symlinks, a hard link, a FIFO, a device
#    node) unpacks whole: contents, modes (set-user-ID dropped), link
#    targets and times as in the archive, the device skipped with a
#    warning;
#  - hostile members are refused with an error naming them, and nothing
#    appears outside the target (a sentinel directory next to it stays
#    empty, a file there keeps its content): absolute names, "..",
#    ".." hidden in a GNU long name and in a pax path, a member under a
#    symlink the archive made (absolute, and relative through "d/x ->
#    .."), a member under a symlink already in the target, hard links
#    to absolute names, to ".." and through a symlink;
#  - a file in the way is replaced, never written through (a symlink
#    and a hard link to a file outside);
#  - damaged input (bad checksum, truncated, garbage, no end marker)
#    is an error, never a crash, and the input is always read to its
#    end;
#  - sparse files as GNU tar --sparse stores them ('S' members, with
#    extension blocks for a long map) unpack with the same content and
#    their holes kept (a few blocks allocated); sparse maps whose
#    extents overlap, pass the file's end or do not add up to the data
#    are refused.
# Set VALGRIND to run every unpacking under it.

set -euo pipefail

skip () { echo "$(basename "$0"): SKIP: $*"; exit 77; }
fail () { echo "$(basename "$0"): FAIL: $*" >&2; exit 1; }

prog=${abs_builddir:-$(dirname "$0")}/test-untar
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x "$prog" ] || fail "$prog is not built"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/drydock-untar.XXXXXX")
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT INT TERM
outside="$scratch/outside"
mkdir "$outside"
echo precious > "$scratch/precious"

# The archives, by name, into $scratch/NAME.tar.
python3 - "$scratch" "$outside" <<'EOF'
import io, os, sys, tarfile

d, outside = sys.argv[1], sys.argv[2]

def member(name, type=tarfile.REGTYPE, data=b"", mode=0o644, link="",
           mtime=1500000000):
    ti = tarfile.TarInfo(name)
    ti.type = type
    ti.mode = mode
    ti.mtime = mtime
    ti.linkname = link
    ti.size = len(data) if type == tarfile.REGTYPE else 0
    return ti, (io.BytesIO(data) if type == tarfile.REGTYPE else None)

def archive(name, members, fmt=tarfile.GNU_FORMAT):
    with tarfile.open(os.path.join(d, name + ".tar"), "w", format=fmt) as t:
        for ti, f in members:
            t.addfile(ti, f)

DIR, SYM, LNK, FIFO, CHR = (tarfile.DIRTYPE, tarfile.SYMTYPE,
                            tarfile.LNKTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE)
long_dir = "l" * 120

def good():
  return [
    member("./", DIR, mode=0o750),
    member("./a.txt", data=b"hello\n", mode=0o640),
    member("./sub/", DIR, mode=0o755),
    member("./sub/b.bin", data=bytes(range(256)) * 300, mode=0o4755),
    member("./sub/link", SYM, link="../a.txt"),
    member("./abs", SYM, link="/etc/passwd"),
    member("./hard", LNK, link="./a.txt"),
    member("./fifo", FIFO, mode=0o600),
    member("./dev", CHR),
    member("./..hidden", data=b"dots\n"),
    member("./x..y", data=b"dots\n"),
    member("./" + long_dir + "/", DIR),
    member("./" + long_dir + "/" + "f" * 150, data=b"long\n"),
    member("./ro/", DIR, mode=0o555),
    member("./ro/inside", data=b"in a read-only directory\n"),
  ]
archive("good", good())
archive("good-pax", good(), tarfile.PAX_FORMAT)

# Each hostile archive: a harmless member first, then the attack.
def first(): return member("ok", data=b"ok\n")
archive("absolute", [first(), member(outside + "/abs", data=b"x")])
archive("dotdot", [first(), member("../outside/dotdot", data=b"x")])
archive("dotdot-inner", [first(), member("a/../../outside/inner", data=b"x")])
archive("dotdot-long", [first(), member("../outside/" + "z" * 150, data=b"x")])
pax = member("harmless", data=b"x")
pax[0].pax_headers = {"path": "../outside/pax"}
archive("dotdot-pax", [first(), pax], tarfile.PAX_FORMAT)
archive("symlink-abs", [first(), member("lnk", SYM, link=outside),
                        member("lnk/pwned", data=b"x")])
archive("symlink-rel", [first(), member("d/", DIR),
                        member("d/x", SYM, link=".."),
                        member("e", SYM, link="d/x/../../outside"),
                        member("e/pwned", data=b"x")])
archive("symlink-rel2", [first(), member("d/", DIR),
                         member("d/x", SYM, link="../.."),
                         member("d/x/outside/pwned", data=b"x")])
archive("under-existing", [first(), member("pre/pwned", data=b"x")])
archive("replace-symlink", [first(), member("pre", data=b"replaced\n")])
archive("replace-hardlink", [first(), member("hl", data=b"replaced\n")])
archive("hardlink-abs", [first(), member("h", LNK, link=outside + "/../precious")])
archive("hardlink-dotdot", [first(), member("h", LNK, link="../precious")])
archive("hardlink-symlink", [first(), member("lnk", SYM, link=".."),
                             member("h", LNK, link="lnk/precious")])
archive("top-file", [member("./", data=b"x")])
EOF

# Damaged ones, from the good archive.
good="$scratch/good.tar"
python3 - "$good" "$scratch" <<'EOF'
import sys
good, d = sys.argv[1], sys.argv[2]
data = bytearray(open(good, "rb").read())
bad = bytearray(data); bad[148:156] = b"0000000\0"
open(d + "/checksum.tar", "wb").write(bad)
open(d + "/truncated.tar", "wb").write(data[:512 * 3 + 100])
end = len(data.rstrip(b"\0")) + 511
open(d + "/no-end.tar", "wb").write(data[:end // 512 * 512])
import random
random.seed(7)
open(d + "/garbage.tar", "wb").write(bytes(random.randrange(256) for _ in range(10000)))
EOF

# unpack ARCHIVE DIR [--root-mode]: runs the unpacker; its output in
# $scratch/out, its status in $rc.
unpack ()
{
  local opt=()
  [ $# -lt 3 ] || opt=("$3")
  rc=0
  ${VALGRIND:-} "$prog" "${opt[@]}" "$2" < "$scratch/$1.tar" > "$scratch/out" 2>&1 || rc=$?
  [ "$rc" -le 1 ] || fail "$1: exit status $rc: $(cat "$scratch/out")"
}

outside_untouched ()
{
  [ -z "$(ls -A "$outside")" ] || fail "$1: something appeared outside: $(ls -A "$outside")"
  [ "$(cat "$scratch/precious")" = precious ] || fail "$1: a file outside changed"
}

# 1. Well-formed trees.
for fmt in good good-pax; do
  t="$scratch/t-$fmt"
  mkdir "$t"
  unpack "$fmt" "$t" --root-mode
  [ "$rc" -eq 0 ] || fail "$fmt: $(cat "$scratch/out")"
  grep -q '^warning: ./dev: a device node, not created$' "$scratch/out" ||
    fail "$fmt: no warning for the device: $(cat "$scratch/out")"
  grep -q '^members: 13$' "$scratch/out" || fail "$fmt: $(cat "$scratch/out")"
  [ "$(cat "$t/a.txt")" = hello ] || fail "$fmt: a.txt"
  python3 -c 'import sys; assert open(sys.argv[1], "rb").read() == bytes(range(256)) * 300' \
    "$t/sub/b.bin" || fail "$fmt: b.bin content"
  [ "$(readlink "$t/sub/link")" = ../a.txt ] || fail "$fmt: sub/link"
  [ "$(readlink "$t/abs")" = /etc/passwd ] || fail "$fmt: abs"
  [ "$(stat -c %i "$t/hard")" = "$(stat -c %i "$t/a.txt")" ] || fail "$fmt: hard link"
  [ -p "$t/fifo" ] || fail "$fmt: fifo"
  [ ! -e "$t/dev" ] || fail "$fmt: a device node was created"
  [ "$(cat "$t/..hidden")" = dots ] && [ "$(cat "$t/x..y")" = dots ] ||
    fail "$fmt: names with two dots"
  [ "$(cat "$t/$(printf 'l%.0s' {1..120})/$(printf 'f%.0s' {1..150})")" = long ] ||
    fail "$fmt: long name"
  [ "$(cat "$t/ro/inside")" = "in a read-only directory" ] || fail "$fmt: ro/inside"
  expect="750 640 755 755 600 555"
  got=$(stat -c %a "$t" "$t/a.txt" "$t/sub" "$t/sub/b.bin" "$t/fifo" "$t/ro" | tr '\n' ' ')
  [ "$got" = "$expect " ] || fail "$fmt: modes: expected '$expect', got '$got'"
  [ "$(stat -c %Y "$t/a.txt")" = 1500000000 ] || fail "$fmt: mtime of a file"
  [ "$(stat -c %Y "$t/sub")" = 1500000000 ] || fail "$fmt: mtime of a directory"
  outside_untouched "$fmt"
done

# 2. Hostile archives: refused, the harmless member before stays.
refused ()
{
  local name=$1 pattern=$2 t="$scratch/t-$1"

  mkdir -p "$t"
  unpack "$name" "$t"
  [ "$rc" -eq 1 ] || fail "$name: not refused: $(cat "$scratch/out")"
  grep -Eq "^error: $pattern" "$scratch/out" ||
    fail "$name: error did not match /$pattern/: $(cat "$scratch/out")"
  outside_untouched "$name"
}
refused absolute "$outside/abs: refused: an absolute name$"
refused dotdot '\.\./outside/dotdot: refused: a "\.\." component$'
refused dotdot-inner 'a/\.\./\.\./outside/inner: refused: a "\.\." component$'
refused dotdot-long '\.\./outside/z+: refused: a "\.\." component$'
refused dotdot-pax '\.\./outside/pax: refused: a "\.\." component$'
refused symlink-abs 'lnk/pwned: refused: "lnk" on its way is not a directory \(a symbolic link is never followed\)$'
[ -L "$scratch/t-symlink-abs/lnk" ] || fail "symlink-abs: the link itself is data"
refused symlink-rel 'e/pwned: refused: "e" on its way is not a directory'
refused symlink-rel2 'd/x/outside/pwned: refused: "x" on its way is not a directory'
[ "$(cat "$scratch/t-symlink-rel2/ok")" = ok ] || fail "the member before an error stays"

# A symlink already in the target (left by an earlier copy) is never
# followed, and files in the way are replaced, not written through.
t="$scratch/t-under-existing"
mkdir "$t"
ln -s "$outside" "$t/pre"
refused under-existing 'pre/pwned: refused: "pre" on its way is not a directory'
t="$scratch/t-replace-symlink"
mkdir "$t"
ln -s "$scratch/precious" "$t/pre"
unpack replace-symlink "$t"
[ "$rc" -eq 0 ] || fail "replace-symlink: $(cat "$scratch/out")"
[ ! -L "$t/pre" ] && [ "$(cat "$t/pre")" = replaced ] || fail "replace-symlink: not replaced"
outside_untouched replace-symlink
t="$scratch/t-replace-hardlink"
mkdir "$t"
ln "$scratch/precious" "$t/hl"
unpack replace-hardlink "$t"
[ "$rc" -eq 0 ] || fail "replace-hardlink: $(cat "$scratch/out")"
[ "$(cat "$t/hl")" = replaced ] || fail "replace-hardlink: not replaced"
outside_untouched replace-hardlink

refused hardlink-abs '.*: refused: an absolute name$'
refused hardlink-dotdot '\.\./precious: refused: a "\.\." component$'
refused hardlink-symlink 'lnk/precious: refused: "lnk" on its way is not a directory'
refused top-file '\./: refused: names the top directory$'

# 3. Damaged archives.
refused checksum 'not a tar archive, or a damaged header'
refused truncated 'the archive ends in the middle of'
refused no-end 'the archive ends without its end marker'
refused garbage 'not a tar archive, or a damaged header'

# 4. Sparse members (GNU tar's 'S'): a 1 GiB file with one 4 KiB
# block of data, an empty sparse file, and one of 40 extents (its map
# spills into extension blocks).
command -v tar >/dev/null || skip "tar is not installed"
src="$scratch/sparse-src"
mkdir "$src"
truncate -s 1G "$src/big"
printf 'sparse data' | dd of="$src/big" bs=4096 seek=100000 conv=notrunc status=none
truncate -s 100M "$src/empty"
truncate -s 10M "$src/many"
for i in $(seq 0 39); do
  printf 'extent %d' "$i" | dd of="$src/many" bs=65536 seek=$((i * 2 + 1)) conv=notrunc status=none
done
[ "$(stat -c %b "$src/big")" -le 64 ] ||
  skip "the scratch filesystem does not keep holes"
tar -C "$src" -c --sparse --format=gnu -f "$scratch/sparse.tar" big empty many
python3 - "$scratch/sparse.tar" <<'EOF2'
import sys
data = open(sys.argv[1], "rb").read()
n = 0
for off in range(0, len(data) - 512, 512):
    h = data[off:off + 512]
    if h[156:157] == b"S" and h[482]:
        n += 1
assert data[156:157] == b"S", "tar did not write a sparse member"
assert n >= 1, "no sparse map with extension blocks"
EOF2
t="$scratch/t-sparse"
mkdir "$t"
unpack sparse "$t"
[ "$rc" -eq 0 ] || fail "sparse: $(cat "$scratch/out")"
for f in big empty many; do
  cmp "$src/$f" "$t/$f" || fail "sparse: $f: content differs"
  [ "$(stat -c %s "$t/$f")" = "$(stat -c %s "$src/$f")" ] || fail "sparse: $f: size"
done
blocks=$(stat -c %b "$t/big")
[ "$blocks" -le 64 ] || fail "sparse: big: $blocks blocks allocated, holes not kept"
[ "$(stat -c %b "$t/empty")" -eq 0 ] || fail "sparse: empty: blocks allocated"
[ "$(stat -c %b "$t/many")" -le 2000 ] || fail "sparse: many: holes not kept"

# Hostile sparse maps: the first member's map rewritten.
python3 - "$scratch/sparse.tar" "$scratch" <<'EOF2'
import sys
good, d = sys.argv[1], sys.argv[2]
data = bytearray(open(good, "rb").read())

def num(v, n=12):
    return ("%0*o" % (n - 1, v)).encode() + b"\0"

def write(name, extents, realsize=None):
    h = bytearray(data[:512])
    h[386:482] = bytes(96)
    for i, (o, s) in enumerate(extents):
        h[386 + 24 * i:386 + 24 * i + 12] = num(o)
        h[398 + 24 * i:398 + 24 * i + 12] = num(s)
    if realsize is not None:
        h[483:495] = num(realsize)
    h[148:156] = b"        "
    h[148:156] = ("%06o" % sum(h)).encode() + b"\0 "
    open(d + "/" + name + ".tar", "wb").write(bytes(h) + data[512:])

big = 1 << 30
write("sparse-overlap", [(4096, 2048), (5000, 2048), (big, 0)])
write("sparse-past-end", [(big - 1024, 4096), (big, 0)])
write("sparse-sum", [(0, 1024), (big, 0)])
write("sparse-order", [(409600000, 4096), (0, 0), (big, 0)])
EOF2
refused sparse-overlap 'big: a sparse map whose extents overlap or pass the end of the file$'
refused sparse-past-end 'big: a sparse map whose extents overlap or pass the end of the file$'
refused sparse-order 'big: a sparse map whose extents overlap or pass the end of the file$'
refused sparse-sum 'big: a sparse map that does not add up to the member.s data$'

echo "$(basename "$0"): ok"
