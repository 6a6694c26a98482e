#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Direct reads (library/direct.c, daemon/extents.c): download,
# download_offset and readfilelist read guest files from the drives
# through qemu's NBD export when the daemon can say where their bytes
# lie, and fall back to the daemon when it cannot.  One session over
# five disks made here:
#  - sda: GPT, ext4 on sda1, XFS on sda2, an LVM PV on sda3 (24 MiB);
#    sdb: a PV of 24 MiB; the volume group's LV takes both whole (40
#    MiB), so its device-mapper table has two linear segments on two
#    drives, and a 20 MiB file on it crosses from one to the other (the
#    mount at the end shows it: its stream reads one piece at a time,
#    which only a file on several drives does);
#  - sdc: ext4 with inline_data (made on the host): a tiny file is
#    inline (not mapped), a bigger one is mapped;
#  - sdd: ext4 mounted data=journal: not mapped;
#  - sde: btrfs (made on the host): not mapped (its addresses are not
#    the device's).
# Files are uploaded in the session and read back at once (their pages
# still dirty: extentlist writes them back first): sizes 0, 1, 5000,
# 3 MiB and 20 MiB (more than one NBD read), a sparse file (a hole, data,
# a hole to the end), a preallocated one (unwritten extents read as
# zeros).  Every download, download_offset across extents and a
# readfilelist of mapped, inline, missing and too-big names give the
# host's bytes; the debug messages show which were read from the drives
# (and that the unmappable ones were not); DRYDOCK_DIRECT_READ=0 turns
# the path off.  A FIFO and a directory still get the daemon's errors.
# Then a read-only mount of the same disks streams both 20 MiB files,
# and reads another file while one streams.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 python3 mkfs.ext4

cd "$scratch"
mkdir src
head -c 1 /dev/urandom > src/one
head -c 5000 /dev/urandom > src/f5000
head -c $((3 * 1024 * 1024)) /dev/urandom > src/f3m
head -c $((20 * 1024 * 1024)) /dev/urandom > src/f20m
: > src/empty
# The host's view of the sparse and preallocated files.
python3 - <<'EOF'
with open("src/sparse", "wb") as f:
    f.truncate(30000000)
    f.seek(20000000)
    f.write(b"hello, sparse")
with open("src/prealloc", "wb") as f:
    f.truncate(5000000)
    f.seek(100)
    f.write(b"abc")
EOF
truncate -s 450M sda.img
truncate -s 24M sdb.img
mkdir inl jnl btr
echo tiny > inl/tiny
head -c 100000 /dev/urandom > inl/big
head -c 70000 /dev/urandom > jnl/j
head -c 80000 /dev/urandom > btr/b
mkfs.ext4 -q -F -O inline_data -d inl sdc.img 32M > /dev/null
mkfs.ext4 -q -F -d jnl sdd.img 32M > /dev/null
have_btrfs=0
if command -v mkfs.btrfs >/dev/null 2>&1 &&
   mkfs.btrfs -q -r btr sde.img -b 128M >/dev/null 2>&1; then
  have_btrfs=1
else
  truncate -s 32M sde.img
fi

# The session: builds sda and sdb, uploads, and reads everything back.
{
  cat <<EOF
run
part-init /dev/sda gpt
part-add /dev/sda p 2048 206847
part-add /dev/sda p 206848 841727
part-add /dev/sda p 841728 890879
mkfs ext4 /dev/sda1
mkfs xfs /dev/sda2
pvcreate /dev/sda3
pvcreate /dev/sdb
vgcreate vg "/dev/sda3 /dev/sdb"
lvcreate lv vg 40
mkfs ext4 /dev/vg/lv
mount /dev/sda1 /
mkdir-p /x
mkdir-p /lv
mkdir-p /inl
mkdir-p /jnl
mkdir-p /btr
mount /dev/sda2 /x
mount /dev/vg/lv /lv
mount /dev/sdc /inl
mount-options data=journal /dev/sdd /jnl
EOF
  [ "$have_btrfs" = 1 ] && echo "mount /dev/sde /btr"
  for f in empty one f5000 f3m f20m sparse; do
    echo "upload $scratch/src/$f /$f"
  done
  echo "touch /sparse2"
  echo "truncate-size /sparse2 30000000"
  echo "pwrite /sparse2 \"hello, sparse\" 20000000"
  echo "fallocate64 /prealloc 5000000"
  echo "pwrite /prealloc abc 100"
  echo "upload $scratch/src/f3m /x/f3m"
  echo "upload $scratch/src/f20m /lv/f20m"
  echo "upload $scratch/src/f5000 /jnl/new"
  echo "ln-s f3m /link"
  echo "mkfifo 0644 /fifo"
  # The shell's write calls around the 20 MiB download: one a run of
  # data blocks (or of zero blocks, a seek), not one a block.
  echo '! grep syscw /proc/$PPID/io > '"$scratch/syscw"
  echo "download /f20m $scratch/out-f20m"
  echo '! grep syscw /proc/$PPID/io >> '"$scratch/syscw"
  for f in empty one f5000 f3m sparse sparse2 prealloc link x/f3m \
           lv/f20m inl/tiny inl/big jnl/j jnl/new; do
    echo "download /$f $scratch/out-$(echo "$f" | tr / _)"
  done
  [ "$have_btrfs" = 1 ] && echo "download /btr/b $scratch/out-btr_b"
  echo "download-offset /f20m $scratch/off1 1000 9000000"
  echo "download-offset /sparse $scratch/off2 19999990 100"
  echo "download-offset /lv/f20m $scratch/off3 5000000 10000000"
  echo "download-offset /f5000 $scratch/off4 4000 99999"
  echo "download-offset /f5000 $scratch/off5 6000 10"
  echo "readfilelist / \"f5000 one nosuch fifo f3m empty link inl/tiny inl/big\" 4000000 | cat > $scratch/rfl"
  echo "readfilelist / \"f5000 f3m\" 5000 | cat > $scratch/rfl-max"
  echo "-download /fifo $scratch/out-fifo"
  echo "-download /x $scratch/out-dir"
} > session

drydock shell -v --format raw -a sda.img -a sdb.img -a sdc.img \
  -a sdd.img -a sde.img < session > shell.out 2> shell.err ||
  fail "the session failed: $(grep -v '^libdrydock:\|^\[' shell.err | tail -5)"

same ()
{
  cmp -s "$1" "$2" || fail "$3: wrong bytes ($(stat -c %s "$2") bytes)"
}
for f in empty one f5000 f3m f20m sparse; do
  same "src/$f" "out-$f" "download /$f"
done
writes=$(awk '{ v[NR] = $2 } END { print v[2] - v[1] }' syscw)
(( writes < 100 )) ||
  fail "download of 20 MiB to a file: $writes write calls (5120 blocks)"
same src/sparse out-sparse2 "download /sparse2"
same src/prealloc out-prealloc "download /prealloc"
same src/f3m out-link "download /link"
same src/f3m out-x_f3m "download /x/f3m (XFS)"
same src/f20m out-lv_f20m "download /lv/f20m (LV over two drives)"
same inl/tiny out-inl_tiny "download /inl/tiny (inline)"
same inl/big out-inl_big "download /inl/big"
same jnl/j out-jnl_j "download /jnl/j (data=journal)"
same src/f5000 out-jnl_new "download /jnl/new (data=journal)"
[ "$have_btrfs" = 1 ] && same btr/b out-btr_b "download /btr/b (btrfs)"
# A download keeps the guest's holes.
[ "$(stat -c %b out-sparse)" -lt 1000 ] ||
  fail "download /sparse: $(stat -c %b out-sparse) blocks: the holes were filled"
same <(tail -c +1001 src/f20m | head -c 9000000) off1 "download_offset /f20m"
same <(tail -c +19999991 src/sparse | head -c 100) off2 "download_offset /sparse"
same <(tail -c +5000001 src/f20m | head -c 10000000) off3 "download_offset /lv/f20m"
same <(tail -c +4001 src/f5000) off4 "download_offset past the end"
same /dev/null off5 "download_offset after the end"

# readfilelist's buffer, as the daemon builds it.
python3 - "$scratch" <<'EOF' || fail "readfilelist: wrong reply"
import struct, sys
d = sys.argv[1]
def rd(p):
    return open(p, "rb").read()
def reply(items):
    out = b""
    for c in items:
        out += struct.pack(">q", -1 if c is None else len(c)) + (c or b"")
    return out
want = reply([rd(d + "/src/f5000"), rd(d + "/src/one"), None, None,
              rd(d + "/src/f3m"), b"", None, rd(d + "/inl/tiny"),
              rd(d + "/inl/big")])
got = rd(d + "/rfl")
if got != want:
    sys.exit("readfilelist: %d bytes, %d expected" % (len(got), len(want)))
if rd(d + "/rfl-max") != reply([rd(d + "/src/f5000"), None]):
    sys.exit("readfilelist with maxsize 5000: wrong reply")
EOF

# Which were read from the drives.
direct ()
{
  grep -q "^libdrydock: $1: $2: [0-9]* bytes read from the drives" shell.err
}
for f in one f5000 f3m f20m sparse sparse2 prealloc link x/f3m lv/f20m inl/big; do
  direct download "/$f" || fail "download /$f was not read from the drives"
done
for f in inl/tiny jnl/j jnl/new; do
  direct download "/$f" && fail "download /$f was read from the drives"
done
[ "$have_btrfs" = 1 ] && direct download /btr/b &&
  fail "download /btr/b (btrfs) was read from the drives"
direct download_offset /lv/f20m ||
  fail "download_offset /lv/f20m was not read from the drives"
grep -q "^libdrydock: readfilelist: /: 9 names, [1-9][0-9]* extents read from the drives" shell.err ||
  fail "readfilelist did not read from the drives"
# The LV's second drive was read (its file crosses to it: see the
# mount below).
grep -q "drive 1 (d1) exported" shell.err ||
  fail "the LV's second drive was not read"
# The daemon's errors, as without direct reads.
grep -q "download: /fifo: not a regular file (a FIFO)" shell.err ||
  fail "download of a FIFO: $(grep fifo shell.err | tail -1)"
grep -q "download: /x: is a directory" shell.err ||
  fail "download of a directory: $(grep ': /x' shell.err | tail -1)"
[ ! -e out-fifo ] && [ ! -e out-dir ] ||
  fail "a refused download left a file"

# Turned off: the same bytes, nothing read from the drives.
DRYDOCK_DIRECT_READ=0 drydock shell -v --ro --format raw -a sda.img \
  -a sdb.img -m /dev/sda1 -m /dev/vg/lv:/lv \
  download /f20m off-f20m : download /lv/f20m off-lv 2> off.err ||
  fail "DRYDOCK_DIRECT_READ=0: $(tail -3 off.err)"
same src/f20m off-f20m "DRYDOCK_DIRECT_READ=0: download /f20m"
same src/f20m off-lv "DRYDOCK_DIRECT_READ=0: download /lv/f20m"
grep -q "direct reads off: DRYDOCK_DIRECT_READ=0" off.err ||
  fail "DRYDOCK_DIRECT_READ=0 did not say so"
grep -q "bytes read from the drives" off.err &&
  fail "DRYDOCK_DIRECT_READ=0: read from the drives"

# Through a read-only mount: a big file on one drive streams with its
# pieces asked ahead, the LV's (on two drives) one piece at a time;
# both give the host's bytes.
if [ -c /dev/fuse ] && command -v fusermount3 > /dev/null; then
  mkdir mnt
  add_cleanup "fusermount3 -u -q -z '$scratch/mnt' 2>/dev/null || :"
  drydock mount -v -x --format raw -a sda.img -a sdb.img -m /dev/sda1 \
    -m /dev/vg/lv:/lv --pid-file mount.pid mnt 2> mount.log ||
    fail "drydock mount: $(tail -3 mount.log)"
  # Another file read while /f20m's pieces are on their way: that
  # stream stops, its connection is closed with answers unread, and
  # the next reads open another on the same export.
  python3 - mnt src > switch.out 2>&1 <<'PY' ||
import sys
mnt, src = sys.argv[1:]
with open(mnt + "/f20m", "rb") as f:
    head = f.read(1 << 20)
with open(mnt + "/f3m", "rb") as f:
    f3m = f.read()
with open(src + "/f20m", "rb") as f:
    assert head == f.read(1 << 20), "f20m's first MiB differs"
with open(src + "/f3m", "rb") as f:
    assert f3m == f.read(), "f3m differs"
PY
    fail "reading /f3m while /f20m streams: $(tail -3 switch.out)"
  same src/f20m <(cat mnt/f20m) "cat of the mount's /f20m"
  same src/f20m <(cat mnt/lv/f20m) "cat of the mount's /lv/f20m"
  drydock unmount mnt || fail "drydock unmount: exit $?"
  for _ in $(seq 100); do
    kill -0 "$(cat mount.pid)" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "mount_local: streaming /f20m from the drives, pieces asked ahead$" \
    mount.log || fail "/f20m was not streamed with pieces asked ahead: \
$(grep streaming mount.log || :)"
  ! grep "direct reads off" mount.log ||
    fail "the mount turned direct reads off"
  grep -q "mount_local: streaming /f3m from the drives, pieces asked ahead$" \
    mount.log || fail "/f3m, read after /f20m's stream stopped, was not \
streamed from the drives with pieces asked ahead: \
$(grep streaming mount.log || :)"
  grep -q "mount_local: streaming /lv/f20m from the drives$" mount.log ||
    fail "/lv/f20m was not streamed one piece at a time: \
$(grep streaming mount.log || :)"
fi
echo "$(basename "$0"): PASS"
