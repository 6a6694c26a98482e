#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock test: build the appliance with drydock-make-appliance into a
# temporary cache directory, twice (the second run must be a stamp hit),
# check the kernel and initrd it produces, that a changed daemon gives a
# new appliance, and that a bad --kernel fails with a one-line message.
#
# Environment:
#   DRYDOCK_MAKE_APPLIANCE     the built program (required, else skip)
#   DRYDOCK_DAEMON             binary to use as /init (default /bin/true)
#   DRYDOCK_APPLIANCE_DATADIR  contents.txt etc. (default: ../../appliance
#                              next to this script)
# Exit: 0 pass, 1 fail, 77 skip.

set -u

prog="${DRYDOCK_MAKE_APPLIANCE:-}"
daemon="${DRYDOCK_DAEMON:-/bin/true}"
srcdir="${srcdir:-$(dirname "$0")}"
export DRYDOCK_APPLIANCE_DATADIR="${DRYDOCK_APPLIANCE_DATADIR:-$srcdir/../../appliance}"

skip () { echo "$0: SKIP: $*"; exit 77; }
fail () { echo "$0: FAIL: $*"; exit 1; }

[ -n "$prog" ] || skip "DRYDOCK_MAKE_APPLIANCE is not set"
[ -x "$prog" ] || skip "$prog is not executable"
[ -x "$daemon" ] || skip "DRYDOCK_DAEMON=$daemon is not executable"
for tool in lz4 cpio xz; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
readable_kernel=
for k in /boot/vmlinuz-*; do
  [ -r "$k" ] && [ -d "/lib/modules/${k#/boot/vmlinuz-}" ] && readable_kernel="$k"
done
[ -n "$readable_kernel" ] || skip "no readable kernel in /boot (install linux-image-amd64)"

tmp="$(mktemp -d)" || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
cache="$tmp/cache"
cp "$daemon" "$tmp/daemon" || fail "cannot copy $daemon"

# --- first build (cold) ---------------------------------------------------
"$prog" --daemon "$tmp/daemon" --cachedir "$cache" >"$tmp/out1" 2>"$tmp/err1" ||
  fail "first build failed: $(cat "$tmp/err1")"
[ "$(wc -l <"$tmp/out1")" -eq 3 ] || fail "expected 3 lines on stdout, got: $(cat "$tmp/out1")"
root="$(sed -n 3p "$tmp/out1")"
case "$root" in "$cache"/*) ;; *) fail "root image $root not inside $cache" ;; esac
# The root image is ext4 and holds the tools and the lazy modules.
command -v debugfs >/dev/null || PATH=$PATH:/usr/sbin:/sbin
debugfs -R 'ls -l /usr/sbin' "$root" 2>/dev/null | grep -q ' lvm$' ||
  fail "root image $root has no /usr/sbin/lvm"
debugfs -R 'ls /usr/lib/modules/drydock' "$root" 2>/dev/null | grep -q 'xfs.ko' ||
  fail "root image $root has no lazy xfs module"
kernel="$(sed -n 1p "$tmp/out1")"
initrd="$(sed -n 2p "$tmp/out1")"
case "$kernel" in "$cache"/*) ;; *) fail "kernel $kernel not inside $cache" ;; esac
case "$initrd" in "$cache"/*) ;; *) fail "initrd $initrd not inside $cache" ;; esac
[ -s "$kernel" ] || fail "$kernel missing or empty"
[ -s "$initrd" ] || fail "$initrd missing or empty"
[ "$(head -c 4 "$kernel" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] ||
  fail "$kernel is not an ELF file"
[ "$(stat -c %a "$cache")" = 700 ] || fail "$cache is not mode 0700"

# --- second build: must be answered from the stamp ------------------------
"$prog" --daemon "$tmp/daemon" --cachedir "$cache" --verbose \
  >"$tmp/out2" 2>"$tmp/err2" || fail "second build failed: $(cat "$tmp/err2")"
cmp -s "$tmp/out1" "$tmp/out2" || fail "second build printed different paths"
grep -q "stamp hit" "$tmp/err2" || fail "second build was not a stamp hit: $(cat "$tmp/err2")"

# --- initrd content -------------------------------------------------------
lz4 -dc "$initrd" >"$tmp/initrd.cpio" 2>/dev/null || fail "lz4 -dc cannot decompress $initrd"
cpio --quiet -t <"$tmp/initrd.cpio" >"$tmp/list" 2>"$tmp/cpio.err" ||
  fail "cpio -t failed: $(cat "$tmp/cpio.err")"
grep -qx init "$tmp/list" || fail "no /init in the initrd"
# On merged-/usr hosts /lib is a symlink to usr/lib in the initrd too.
bootlist=
for p in lib/modules/drydock/boot usr/lib/modules/drydock/boot; do
  grep -qx "$p" "$tmp/list" && bootlist="$p"
done
[ -n "$bootlist" ] || fail "no /lib/modules/drydock/boot in the initrd"
(cd "$tmp" && cpio --quiet -i --to-stdout "$bootlist" <initrd.cpio >boot) ||
  fail "cannot extract $bootlist"
# Debian's kernel has these as modules; dependencies must come first.
grep -qx virtio_blk "$tmp/boot" || fail "virtio_blk not in the boot module list"
ring="$(grep -nx virtio_ring "$tmp/boot" | cut -d: -f1)"
virtio="$(grep -nx virtio "$tmp/boot" | cut -d: -f1)"
blk="$(grep -nx virtio_blk "$tmp/boot" | cut -d: -f1)"
if [ -n "$ring" ] && [ -n "$virtio" ]; then
  [ "$ring" -lt "$virtio" ] && [ "$virtio" -lt "$blk" ] ||
    fail "boot module list is not in dependency order: $(tr '\n' ' ' <"$tmp/boot")"
fi
cpio --quiet -tv <"$tmp/initrd.cpio" | grep -E ' init$' | grep -q '^-rwxr-xr-x' ||
  fail "/init is not mode 0755"

# --- a changed daemon gives a new appliance -------------------------------
# The old one goes once no launch has used it for an hour (launches
# touch the directory); one used recently stays, for the launches of
# another build tree.
echo >>"$tmp/daemon"
touch -d '2 hours ago' "$(dirname "$kernel")"
"$prog" --daemon "$tmp/daemon" --cachedir "$cache" --verbose \
  >"$tmp/out3" 2>"$tmp/err3" || fail "rebuild failed: $(cat "$tmp/err3")"
grep -q "stamp hit" "$tmp/err3" && fail "changed daemon was still a stamp hit"
cmp -s "$tmp/out1" "$tmp/out3" && fail "changed daemon gave the same appliance"
[ -e "$(dirname "$kernel")" ] && fail "old appliance dir was not removed"
[ "$(ls -d "$cache"/appliance-* | wc -l)" -eq 1 ] || fail "more than one appliance dir left"
recent=$(dirname "$(head -1 "$tmp/out3")")
cp "$tmp/daemon" "$tmp/daemon2"
echo >>"$tmp/daemon2"
"$prog" --daemon "$tmp/daemon2" --cachedir "$cache" >"$tmp/out5" 2>"$tmp/err5" ||
  fail "build for a second daemon failed: $(cat "$tmp/err5")"
[ -d "$recent" ] || fail "an appliance used within the hour was removed"
[ "$(ls -d "$cache"/appliance-* | wc -l)" -eq 2 ] || fail "expected two appliance dirs"

# --- bad --kernel: exit 1 and one line on stderr --------------------------
"$prog" --daemon "$tmp/daemon" --cachedir "$cache" --kernel "$tmp/no-such-kernel" \
  >"$tmp/out4" 2>"$tmp/err4"
rc=$?
[ "$rc" -eq 1 ] || fail "bad --kernel: exit status $rc, expected 1"
[ ! -s "$tmp/out4" ] || fail "bad --kernel printed on stdout: $(cat "$tmp/out4")"
[ "$(wc -l <"$tmp/err4")" -eq 1 ] || fail "bad --kernel: expected one line on stderr, got: $(cat "$tmp/err4")"
grep -q "^drydock-make-appliance: .*no-such-kernel" "$tmp/err4" ||
  fail "bad --kernel: unexpected message: $(cat "$tmp/err4")"

echo "$0: PASS"
exit 0
