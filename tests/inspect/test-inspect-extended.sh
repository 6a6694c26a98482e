#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# An MBR disk with 2,000 chained extended partitions: a root filesystem
# in the primary partition 1, whose fstab mounts /boot by
# PARTUUID=DISKID-05 (the first logical partition, ext2), then 1,999
# more logical partitions of 7 sectors.  Inspection finds the root and
# its /boot through the entry of the logical partition, reading the
# disk's chain of extended boot records once for the whole scan, not
# once per partition (which took 77 s with KVM and over 3 minutes under
# TCG: each of the 250 partitions the kernel lists read all 2,000
# records): the daemon's debug line says how many partition tables
# were read.  The image stays byte-identical.
. "$(dirname "$0")/../functions.sh"
requires mke2fs python3

export LC_ALL=C
t="$scratch/root"
mkdir -p "$t/etc" "$t/boot"
osrel debian 12 > "$t/etc/os-release"
printf 'extended\n' > "$t/etc/hostname"
cat > "$t/etc/fstab" <<'EOF'
UUID=5e5e5e5e-0000-4000-8000-000000000001 / ext4 defaults 0 1
PARTUUID=5eb0a7ed-05 /boot ext2 defaults 0 2
EOF
mkdir -p "$scratch/boot"
printf 'vmlinuz placeholder\n' > "$scratch/boot/vmlinuz"
mke2fs -q -F -t ext4 -U 5e5e5e5e-0000-4000-8000-000000000001 -d "$t" \
  "$scratch/root.fs" 8M > /dev/null
mke2fs -q -F -t ext2 -d "$scratch/boot" "$scratch/boot.fs" 2M > /dev/null

img="$scratch/extended.img"
python3 - "$img" "$scratch/root.fs" "$scratch/boot.fs" <<'PY'
import struct, sys
out, rootfs, bootfs = sys.argv[1:4]
SECT, N = 512, 2000
root = open(rootfs, "rb").read()
boot = open(bootfs, "rb").read()
root_start, root_n = 2048, len(root) // SECT
ext_start = root_start + root_n
first = 1 + len(boot) // SECT           # the first logical: EBR + boot
per = 8                                 # the others: EBR + 7 sectors
ext_n = first + (N - 1) * per
f = open(out, "wb")
f.truncate((ext_start + ext_n + 2048) * SECT)
def entry(typ, start, n):
    return struct.pack("<B3sB3sII", 0, b"\0\0\0", typ, b"\0\0\0", start, n)
def sector(entries, diskid=0):
    b = bytearray(SECT)
    b[440:444] = struct.pack("<I", diskid)
    for i, e in enumerate(entries):
        b[446 + 16 * i:462 + 16 * i] = e
    b[510:512] = b"\x55\xaa"
    return b
f.seek(0)
f.write(sector([entry(0x83, root_start, root_n), entry(0x05, ext_start, ext_n)],
               0x5eb0a7ed))
f.seek(root_start * SECT); f.write(root)
off = 0                                 # of each EBR in the extended one
for i in range(N):
    size = first if i == 0 else per
    es = [entry(0x83, 1, size - 1)]
    if i + 1 < N:
        nxt = off + size
        es.append(entry(0x05, nxt, first if i + 1 == 0 else per))
    f.seek((ext_start + off) * SECT); f.write(sector(es))
    if i == 0:
        f.seek((ext_start + 1) * SECT); f.write(boot)
    off += size
PY
keep_sums "$img"

rc=0
DRYDOCK_DEBUG=1 timeout -s KILL 900 drydock inspect --format raw -a "$img" \
  > "$scratch/xml" 2> "$scratch/err" || rc=$?
[ "$rc" -eq 0 ] || fail "drydock inspect: status $rc: $(grep -v '^\[' "$scratch/err" | tail -5)"
grep -q '<root>/dev/sda1</root>' "$scratch/xml" || fail "no root /dev/sda1: $(cat "$scratch/xml")"
grep -q '<hostname>extended</hostname>' "$scratch/xml" || fail "hostname: $(cat "$scratch/xml")"
grep -q '<mountpoint dev="/dev/sda5">/boot</mountpoint>' "$scratch/xml" ||
  fail "/boot is not /dev/sda5 (PARTUUID of a logical partition): $(cat "$scratch/xml")"
line=$(grep 'drydockd: inspect: ' "$scratch/err") || fail "no debug line of the scan"
# The kernel lists the disk, sda1, the extended sda2 and up to 251
# logical partitions (its limit); whatever it lists, one table read.
n=$(sed -n 's/.*inspect: \([0-9]*\) filesystems.*/\1/p' <<< "$line")
[ "$n" -ge 200 ] || fail "only $n devices scanned: $line"
grep -q ', 1 partition tables read,' <<< "$line" ||
  fail "the partition table was read more than once: $line"
sums_unchanged
exit 0
