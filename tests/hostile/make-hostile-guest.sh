#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# make-hostile-guest.sh OUT.img: a raw disk whose whole device is an
# ext4 filesystem (no partition table: /dev/sda) full of what a crafted
# guest can hold where a tool expects ordinary files:
#
#   /etc/hostname, /etc/fifo     FIFOs (a read would block on them)
#   /etc/sock                    a UNIX socket
#   /etc/zero                    a character device node 1:5 (/dev/zero)
#   /etc/port                    a character device node 1:4 (/dev/port)
#   /etc/disk-b                  a block device node 8:16 (the 2nd disk)
#   /dev/sda                     a block device node 8:0
#   /etc/passwd -> /../../../etc/shadow     absolute and climbing
#   /etc/up -> ../../../../../              climbing (the guest's /)
#   /etc/loop1 <-> /etc/loop2               a symlink loop
#   /etc/fifo-link -> /etc/fifo, /etc/zero-link -> /etc/zero
#   /etc/os-release              a Debian-like one (inspection finds it)
#   /var/sparse                  4 GiB, sparse: one byte "x" at its end
#   /var/holes                   3 MiB: "A" x 4 KiB, a 2 MiB hole, "B" x 4 KiB
#                                ... (see below), for download's holes
#   /names/                      names with a newline, an escape
#                                sequence, a tab, invalid UTF-8; each
#                                file holds "hostile\n"
#   /many/                       100,000 empty files, names of 50
#                                bytes (entry-..., numbered from 0):
#                                their list is more than one reply holds;
#                                put in through the appliance (tar-in):
#                                mke2fs -d links names one by one, which
#                                takes minutes for so many
#   /deep/d/d/.../d/bottom       120 levels
#   /ok                          "ok\n", a plain file
#
# Needs e2fsprogs (mke2fs -d, debugfs), coreutils, python3, and drydock
# on PATH (run it through ./run).  No root.  Exit 77 when a tool is
# missing.
set -euo pipefail
export LC_ALL=C TZ=UTC
PATH="$PATH:/usr/sbin:/sbin"

out=${1:?usage: make-hostile-guest.sh OUT.img}
for t in mke2fs debugfs python3 truncate; do
  command -v "$t" >/dev/null || { echo "make-hostile-guest.sh: $t is missing" >&2; exit 77; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/drydock-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
t=$tmp/tree
mkdir -p "$t/etc" "$t/dev" "$t/var" "$t/names" "$t/many"

printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Hostile 12"\n' > "$t/etc/os-release"
printf 'ok\n' > "$t/ok"
mkfifo "$t/etc/hostname" "$t/etc/fifo"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
  "$t/etc/sock"
ln -s /../../../etc/shadow "$t/etc/passwd"
ln -s ../../../../../ "$t/etc/up"
ln -s loop2 "$t/etc/loop1"
ln -s loop1 "$t/etc/loop2"
ln -s /etc/fifo "$t/etc/fifo-link"
ln -s /etc/zero "$t/etc/zero-link"

truncate -s 4G "$t/var/sparse"
printf x | dd of="$t/var/sparse" bs=1 seek=$((4 * 1024 * 1024 * 1024 - 1)) \
  conv=notrunc status=none
# /var/holes: data, a 2 MiB hole, data, a 1 MiB hole at the end.
{ head -c 4096 /dev/zero | tr '\0' A; } > "$t/var/holes"
truncate -s $((2 * 1024 * 1024 + 4096)) "$t/var/holes"
{ head -c 4096 /dev/zero | tr '\0' B; } >> "$t/var/holes"
truncate -s $((3 * 1024 * 1024 + 8192)) "$t/var/holes"

for n in $'new\nline' $'esc\e[31mred' $'tab\there' $'bad\xff\xfeutf8' \
         'quote"'"'"'s'; do
  printf 'hostile\n' > "$t/names/$n"
done


d=$t/deep
for _ in $(seq 120); do d=$d/d; done
mkdir -p "$d"
printf 'bottom\n' > "$d/bottom"

find "$t" -exec touch -h -d @1700000000 {} +
rm -f "$out"
mke2fs -q -F -t ext4 -b 4096 -N 110000 -L hostile -E root_owner=0:0 \
  -U 88888888-9999-aaaa-bbbb-cccccccccccc -d "$t" "$out" 256M
debugfs -w "$out" >/dev/null 2>"$tmp/err" <<'CMDS'
cd /etc
mknod zero c 1 5
mknod port c 1 4
mknod disk-b b 8 16
cd /dev
mknod sda b 8 0
CMDS
if grep -v '^debugfs' "$tmp/err" | grep -q .; then
  echo "make-hostile-guest.sh: debugfs: $(cat "$tmp/err")" >&2
  exit 1
fi

# The 100,000 names, unpacked by the appliance's kernel (hashed
# directories) and committed into the image.
python3 - "$tmp/many.tar.gz" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz", compresslevel=1) as tf:
    for i in range(100000):
        ti = tarfile.TarInfo("entry-with-a-long-name-to-fill-the-reply-%08d" % i)
        ti.mtime = 1700000000
        tf.addfile(ti, io.BytesIO(b""))
PY
drydock shell --format raw -a "$out" -m /dev/sda >/dev/null 2>"$tmp/err" <<CMDS ||
tar-in $tmp/many.tar.gz /many compress:gzip
CMDS
  { echo "make-hostile-guest.sh: filling /many: $(cat "$tmp/err")" >&2; exit 1; }
