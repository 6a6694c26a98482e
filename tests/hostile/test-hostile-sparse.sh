#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# A guest's sparse files keep their holes on the host: a 1 GiB file
# holding 4 KiB of data (and a 100 MiB one holding none) through
# download (the daemon sends the holes as their lengths, the library
# skips them), tar-out (GNU tar --sparse in the appliance; the host's
# tar unpacks the holes) and copy-out (drydock's own unpacker recreates
# them): same content (cmp), a few blocks allocated (stat %b), and the
# archive itself small.  A download to a pipe gets the zeros written
# out.  One read-only launch; the image stays byte-identical.
. "$(dirname "$0")/../functions.sh"
requires mke2fs tar cmp

export LC_ALL=C
t="$scratch/tree"
mkdir "$t"
truncate -s 1G "$t/big"
head -c 4096 /dev/urandom > "$scratch/block"
dd if="$scratch/block" of="$t/big" bs=4096 seek=100000 conv=notrunc status=none
truncate -s 100M "$t/empty"
printf 'small\n' > "$t/small"
truncate -s 64K "$t/small"
[ "$(stat -c %b "$t/big")" -le 64 ] || skip "the scratch filesystem does not keep holes"
img="$scratch/sparse.img"
mke2fs -q -F -t ext4 -b 4096 -L sparse -d "$t" "$img" 64M > /dev/null
keep_sums "$img"
mkdir "$scratch/co"

rc=0
timeout -s KILL 900 drydock shell --ro --format raw -a "$img" -m /dev/sda \
  > "$scratch/out" 2> "$scratch/err" <<EOF || rc=$?
download /big $scratch/big
download /empty $scratch/empty
download /small -
tar-out / $scratch/tree.tar
copy-out / $scratch/co
EOF
[ "$rc" -eq 0 ] || fail "the shell failed (status $rc): $(cat "$scratch/err")"
[ ! -s "$scratch/err" ] || fail "unexpected messages: $(cat "$scratch/err")"

# holes FILE MAX WHAT: FILE has the content of the guest's file and at
# most MAX 512-byte blocks allocated.
holes ()
{
  local file=$1 max=$2 what=$3 blocks
  cmp "$t/$(basename "$file")" "$file" || fail "$what: content differs"
  blocks=$(stat -c %b "$file")
  [ "$blocks" -le "$max" ] ||
    fail "$what: $blocks blocks allocated (at most $max): the holes were filled"
}

holes "$scratch/big" 64 "download /big"
holes "$scratch/empty" 0 "download /empty"
cmp "$t/small" "$scratch/out" || fail "download /small to a pipe: content differs"
tarsize=$(stat -c %s "$scratch/tree.tar")
[ "$tarsize" -le $((1024 * 1024)) ] ||
  fail "tar-out: the archive is $tarsize bytes: sparse files stored whole"
mkdir "$scratch/x"
tar -C "$scratch/x" -xf "$scratch/tree.tar" || fail "tar-out: the host's tar cannot unpack it"
holes "$scratch/x/big" 64 "tar-out /big (host tar)"
holes "$scratch/x/empty" 0 "tar-out /empty (host tar)"
holes "$scratch/co/big" 64 "copy-out /big"
holes "$scratch/co/empty" 0 "copy-out /empty"
holes "$scratch/co/small" 64 "copy-out /small"
sums_unchanged
exit 0
