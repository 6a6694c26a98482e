#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HTTP through qemu's curl block driver: the Debian test guest served on
# 127.0.0.1 by Python's http.server (with byte ranges added, which qemu
# needs and the stock handler lacks).  drydock inspect over HTTP gives
# the same answer as on the raw image; a commit is refused.  Without the
# curl driver (package qemu-block-extra) the answer is one line naming
# it, which is checked instead.
. "$(dirname "$0")/../functions.sh"
requires qemu-img python3

raw=$(guest debian.img)
cd "$scratch"
mkdir www
cp --sparse=always "$raw" www/debian.img

/usr/bin/python3 "$DRYDOCK_TESTS_SRCDIR/sources/http-server.py" www port &
add_cleanup "kill $! 2>/dev/null || :"
for _ in $(seq 100); do
  [ -s port ] && break
  sleep 0.1
done
[ -s port ] || fail "the HTTP server did not start"
url="http://127.0.0.1:$(cat port)/debian.img"

if ! qemu-img info --output=json "$url" >/dev/null 2>&1; then
  qemu-img info "$url" 2>&1 | grep -q "block-curl" ||
    fail "qemu-img cannot read $url: $(qemu-img info "$url" 2>&1)"
  expect_fail "no curl driver" "^drydock inspect: add_drive: $url: qemu has no curl block driver \(install qemu-block-extra\)$" \
    drydock inspect --format raw -a "$url"
  skip "qemu's curl block driver is missing (qemu-block-extra); its message checked"
fi

before=$(sha www/debian.img)
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
drydock inspect --format raw -a "$url" > got.xml 2> err.txt ||
  fail "http: $(cat err.txt)"
cmp -s want.xml got.xml || fail "http: inspect differs from raw"
expect_fail "commit into http" "cannot commit into it: a remote image is only read" \
  drydock customize --format raw -a "$url" --touch /x
expect_fail "missing file" "^drydock inspect: add_drive: http://.*/nope.img: " \
  drydock inspect --format raw -a "http://127.0.0.1:$(cat port)/nope.img"
expect_eq "served image unchanged" "$before" "$(sha www/debian.img)"
echo "$(basename "$0"): OK"
