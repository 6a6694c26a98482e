#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Corrupt images.  qcow2 images with damaged header fields and tables
# (the external-data-file bit without a data file, legacy AES
# encryption, the L1 table and an L2 table past the end of the file, a
# truncated file, an impossible cluster size, version and L1 size, a
# refcount table past the end): each is one line naming the image and
# qemu's reason ("corrupt qcow2: ..." or "qemu cannot open it: ..."),
# exit status 1, before any launch, the image unchanged.  A compressed
# qcow2 whose compressed data is garbage passes those checks, and the
# call that reads it fails naming the image as the cause.  Then raw
# disks with broken partition tables (overlapping MBR partitions, one
# past the end of the disk, a GPT of 10,000 entries, a GPT whose
# primary header is garbage or zeroed but whose backup is whole, a GPT
# header claiming 4 billion entries) in one launch: no crash, no hang
# past the call timeout, and what the kernel makes of each is listed.
# The partitions of a damaged primary GPT are found from its backup (as
# parted and sfdisk find them), the image unchanged.
. "$(dirname "$0")/../functions.sh"
. "$(dirname "$0")/hostile-lib.sh"
requires qemu-img python3

deb=$(guest debian.qcow2)
d=$scratch/c
mkdir -p "$d"
python3 - "$deb" "$d" <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
out = sys.argv[2]
def put(b, off, fmt, val):
    b[off:off + struct.calcsize(fmt)] = struct.pack(fmt, val)
def get(b, off, fmt):
    return struct.unpack(fmt, bytes(b[off:off + struct.calcsize(fmt)]))[0]
def mk(name, fn):
    b = bytearray(src)
    fn(b)
    open("%s/%s.qcow2" % (out, name), "wb").write(b)
def l2past(b):
    l1 = get(b, 40, ">Q")
    put(b, l1, ">Q", (get(b, l1, ">Q") & (1 << 63)) | 0x70000000)
mk("extdata", lambda b: put(b, 72, ">Q", 4))
mk("aes", lambda b: put(b, 32, ">I", 1))
mk("l1past", lambda b: put(b, 40, ">Q", 0x7000000000))
mk("l2past", l2past)
mk("clusterbits", lambda b: put(b, 20, ">I", 40))
mk("version", lambda b: put(b, 4, ">I", 9))
mk("l1size", lambda b: put(b, 36, ">I", 0x7fffffff))
mk("refcountpast", lambda b: put(b, 48, ">Q", 0x7000000000))
open(out + "/truncated.qcow2", "wb").write(src[:len(src) // 2])
PY

check_one ()
{
  local name=$1 pattern=$2 img="$d/$1.qcow2" rc=0
  keep_sums "$img"
  DRYDOCK_DEBUG=1 timeout -s KILL 300 \
    drydock inspect --format qcow2 -a "$img" > "$scratch/out" 2> "$scratch/all" || rc=$?
  [ "$rc" -eq 1 ] || fail "$name: exit status $rc (1 expected): $(grep -v '^libdrydock' "$scratch/all")"
  grep -v '^libdrydock: ' "$scratch/all" > "$scratch/err" || true
  one_line "$name" "^drydock inspect: add_drive: .*/$name\\.qcow2: $pattern" "$scratch/err"
  ! grep -q 'qemu-system' "$scratch/all" || fail "$name: launched"
  sums_unchanged
}

check_one extdata "qemu cannot open it: 'data-file' is required"
check_one aes "qemu cannot open it: .*encrypt"
check_one l1past "corrupt qcow2: .*exceeding the end of the file"
check_one l2past "corrupt qcow2: .*exceeding the end of the file"
check_one truncated "corrupt qcow2: .*exceeding the end of the file"
check_one clusterbits "qemu cannot open it: Unsupported cluster size"
check_one version "qemu cannot open it: Unsupported qcow2 version 9"
check_one l1size "qemu cannot open it: Active L1 table too large"
check_one refcountpast "(qemu cannot open it|corrupt qcow2): "

# Damage qemu-img check cannot see (it reads no data): a compressed
# qcow2 whose compressed clusters are garbage.  The guest's kernel gets
# I/O errors, and the failing call says so naming the image.
raw=$(guest debian.img)
qemu-img convert -c -f raw -O qcow2 "$raw" "$d/garbled.qcow2"
python3 - "$d/garbled.qcow2" <<'PY'
import struct, sys
f = open(sys.argv[1], "r+b")
h = f.read(104)
cbits = struct.unpack(">I", h[20:24])[0]
l1size, l1off = struct.unpack(">IQ", h[36:48])
csize = 1 << cbits
n = 0
for i in range(l1size):
    f.seek(l1off + 8 * i)
    l2 = struct.unpack(">Q", f.read(8))[0] & 0x00fffffffffffe00
    if l2 == 0:
        continue
    for j in range(csize // 8):
        f.seek(l2 + 8 * j)
        e = struct.unpack(">Q", f.read(8))[0]
        if not e & (1 << 62):
            continue
        # Compressed: offset in the low 70 - cbits bits; garble its start.
        off = e & ((1 << (62 - (cbits - 8))) - 1)
        f.seek(off)
        f.write(b"\xff" * 64)
        n += 1
assert n > 0, "no compressed cluster"
PY
rc=0
DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 600 \
  drydock shell --ro --format qcow2 -a "$d/garbled.qcow2" \
  > "$scratch/out" 2> "$scratch/err" <<'EOF2' || rc=$?
run
mount-ro /dev/sda1 /
EOF2
[ "$rc" -ne 0 ] || fail "garbled.qcow2 mounted"
one_line "garbled.qcow2" \
  "garbled\.qcow2: the guest saw I/O errors reading it" "$scratch/err"

# Partition tables, in raw disks of 64 MiB.
python3 - "$d" <<'PY'
import struct, sys, zlib, uuid
out = sys.argv[1]
SECT, SIZE = 512, 64 * 1024 * 1024
NSECT = SIZE // SECT
def blank(name):
    f = open("%s/%s.img" % (out, name), "wb")
    f.truncate(SIZE)
    return f
def mbr(f, parts):
    b = bytearray(512)
    for i, (start, n) in enumerate(parts):
        b[446 + 16 * i:446 + 16 * (i + 1)] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", start, n)
    b[510:512] = b"\x55\xaa"
    f.seek(0); f.write(b)
mbr(blank("overlap"), [(2048, 40960), (20480, 40960)])
mbr(blank("beyond"), [(2048, 10 * NSECT)])
def gpt(f, nent, parts, lba, backup_lba, entries_lba, claimed=None, bad_crc=False):
    ents = bytearray(128 * nent)
    for i, (s, e) in enumerate(parts):
        ents[128 * i:128 * i + 56] = (uuid.UUID("0fc63daf-8483-4772-8e79-3d69d8477de4").bytes_le +
            uuid.UUID(int=i + 1).bytes_le + struct.pack("<QQQ", s, e, 0))
    h = bytearray(92)
    struct.pack_into("<8sIIIIQQQQ16sQIII", h, 0, b"EFI PART", 0x10000, 92, 0, 0,
                     lba, backup_lba, 34, NSECT - 34, uuid.UUID(int=7).bytes_le,
                     entries_lba, claimed or nent, 128, zlib.crc32(ents))
    struct.pack_into("<I", h, 16, 0 if bad_crc else zlib.crc32(h))
    f.seek(lba * SECT); f.write(h)
    f.seek(entries_lba * SECT); f.write(ents)
def pmbr(f):
    b = bytearray(512)
    b[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0xee, b"\0\0\0", 1, NSECT - 1)
    b[510:512] = b"\x55\xaa"
    f.seek(0); f.write(b)
f = blank("gpt10000"); pmbr(f)
# 10,000 entries: 2,500 sectors of them, then the partitions.
gpt(f, 10000, [(4096, 8191), (8192, 12287)], 1, NSECT - 1, 2)
f = blank("gptbackup"); pmbr(f)
gpt(f, 128, [(2048, 4095)], NSECT - 1, 1, NSECT - 33)
f.seek(SECT); f.write(b"\xff" * SECT)      # the primary header: garbage
f = blank("gptzeroed"); pmbr(f)
gpt(f, 128, [(2048, 6143), (6144, 8191)], 1, NSECT - 1, 2)
gpt(f, 128, [(2048, 6143), (6144, 8191)], NSECT - 1, 1, NSECT - 33)
f.seek(SECT); f.write(bytes(SECT))          # the primary header: zeroed
f = blank("gpthuge"); pmbr(f)
gpt(f, 128, [(2048, 4095)], 1, NSECT - 1, 2, claimed=0xffffffff, bad_crc=True)
PY
imgs=(overlap beyond gpt10000 gptbackup gpthuge gptzeroed)
args=() files=()
for i in "${imgs[@]}"; do args+=(-a "$d/$i.img"); files+=("$d/$i.img"); done
keep_sums "${files[@]}"
rc=0
DRYDOCK_CALL_TIMEOUT=120 timeout -s KILL 900 \
  drydock shell --ro --format raw "${args[@]}" > "$scratch/out" 2> "$scratch/err" <<'EOF2' || rc=$?
run
list-devices
echo == partitions
list-partitions
echo == sizes
blockdev-getsize64 /dev/sda1
blockdev-getsize64 /dev/sdb1
blockdev-getsize64 /dev/sdd1
blockdev-getsize64 /dev/sdf1
blockdev-getsize64 /dev/sdf2
echo == filesystems
list-filesystems
echo == inspect
inspect-os
echo == end
EOF2
[ "$rc" -eq 0 ] || fail "shell over the broken partition tables: status $rc: $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "unexpected messages: $(cat "$scratch/err")"
sed -n '/== partitions/,/== sizes/p' "$scratch/out" | grep '^/dev' > "$scratch/parts"
expect_eq "partitions" "/dev/sda1
/dev/sda2
/dev/sdb1
/dev/sdc1
/dev/sdc2
/dev/sdd1
/dev/sdf1
/dev/sdf2" "$(cat "$scratch/parts")"
# The overlapping partitions are as written; the one past the end is cut
# at the disk's end; the backup GPTs' partitions are as they say.
expect_eq "sizes" "20971520
66060288
1048576
2097152
1048576" "$(sed -n '/== sizes/,/== filesystems/p' "$scratch/out" | grep '^[0-9]')"
sums_unchanged
exit 0
