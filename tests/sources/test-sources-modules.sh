#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A qemu without its network block modules (qemu-block-extra not
# installed), made by mounting an empty directory over the host's qemu
# module directory in a mount namespace of the test's own: each remote
# URI is refused with one line naming the missing driver, at once.
. "$(dirname "$0")/../functions.sh"
requires qemu-img unshare mount

moddir=
for d in /usr/lib/*/qemu /usr/lib/qemu /usr/lib64/qemu; do
  if [ -e "$d/block-curl.so" ]; then
    moddir=$d
    break
  fi
done
[ -n "$moddir" ] || skip "no qemu block modules on this host to hide"
[ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null ||
  skip "cannot make a mount namespace (needs root)"

cd "$scratch"
mkdir empty
cat > inner.sh <<SH
set -e
mount --bind "$scratch/empty" "$moddir"
check ()
{
  local uri=\$1 module=\$2 shown=\${3:-\$1} err rc=0
  err=\$(drydock inspect --format raw -a "\$uri" 2>&1 >/dev/null) || rc=\$?
  [ "\$rc" -ne 0 ] || { echo "\$uri: success without its module"; exit 1; }
  [ "\$(printf '%s\n' "\$err" | wc -l)" -eq 1 ] || { echo "\$uri: not one line: \$err"; exit 1; }
  [ "\$err" = "drydock inspect: add_drive: \$shown: qemu has no \$module block driver (install qemu-block-extra)" ] ||
    { echo "\$uri: \$err"; exit 1; }
}
check https://127.0.0.1:1/d.img curl
# The options after '#' are not named (a cookie may be one).
check "https://127.0.0.1:1/d.img#sslverify=off" curl https://127.0.0.1:1/d.img
check ftp://127.0.0.1:1/d.img curl
check ssh://127.0.0.1:1/d.img ssh
check iscsi://127.0.0.1:1/iqn.2026-12.test:x/0 iscsi
check gluster://127.0.0.1/vol/d.img gluster
check rbd:pool/d.img rbd
check nfs://127.0.0.1/d.img nfs
SH
out=$(unshare -m bash inner.sh 2>&1) || fail "$out"
echo "$(basename "$0"): OK"
