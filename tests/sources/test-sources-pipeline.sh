#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The seed pipeline from a remote source, with no full temporary copy:
# drydock sparsify of an NBD export (qemu-nbd on 127.0.0.1, served
# writable so that a write would show) into a local standalone qcow2
# that inspects as the raw image does; the export unchanged.  A remote
# IN without --convert, or --in-place, is one line.  A commit into the
# export is refused without --remote-commit and made with it.
. "$(dirname "$0")/../functions.sh"
requires qemu-nbd qemu-img /usr/bin/python3

raw=$(guest debian.img)
cd "$scratch"
cp --sparse=always "$raw" served.img
before=$(sha served.img)
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
qemu-nbd --persistent --shared=4 --pid-file="$scratch/nbd.pid" -f raw -x debian \
  --bind=127.0.0.1 --port="$port" served.img &
add_cleanup "kill $! 2>/dev/null || :"
for _ in $(seq 100); do
  [ -s nbd.pid ] && break
  sleep 0.1
done
[ -s nbd.pid ] || fail "qemu-nbd did not start"
url="nbd://127.0.0.1:$port/debian"

drydock sparsify -q --format raw "$url" out.qcow2 --convert qcow2 2> err.txt ||
  fail "sparsify from nbd: $(cat err.txt)"
qemu-img info -U --output=json out.qcow2 > info.json
/usr/bin/python3 - info.json <<'PY' || fail "out.qcow2 is not a standalone qcow2: $(cat info.json)"
import json, sys
i = json.load(open(sys.argv[1]))
assert i["format"] == "qcow2" and "backing-filename" not in i, i
PY
drydock inspect --format qcow2 -a out.qcow2 > got.xml 2> err.txt ||
  fail "inspect out.qcow2: $(cat err.txt)"
cmp -s want.xml got.xml || fail "the sparsified copy inspects differently"
# The format probed by the library (raw, with its warning).
drydock sparsify -q "$url" out.img --convert raw 2> err.txt ||
  fail "sparsify from nbd, probed: $(cat err.txt)"
grep -q "assuming raw" err.txt || fail "probed raw not warned: $(cat err.txt)"
expect_eq "export unchanged by sparsify" "$before" "$(sha served.img)"

expect_fail "remote IN without --convert" "^drydock sparsify: '$url': a remote input needs --convert raw\|qcow2 \(or --format\)$" \
  drydock sparsify "$url" out2.img
expect_fail "remote in place" "^drydock sparsify: '$url': a remote image cannot be sparsified in place$" \
  drydock sparsify --in-place "$url"

expect_fail "commit without --remote-commit" "cannot commit into it: a remote image is only read unless remote_commit is set too" \
  drydock customize --format raw -a "$url" --write /etc/drydock-seed:x
expect_eq "export unchanged by a refused commit" "$before" "$(sha served.img)"
drydock customize -q --format raw -a "$url" --remote-commit --write /etc/drydock-seed:committed 2> err.txt ||
  fail "customize --remote-commit: $(cat err.txt)"
kill "$(cat nbd.pid)"
sleep 0.5
expect_eq "committed through NBD" "committed" \
  "$(drydock cat --format raw -a served.img /etc/drydock-seed)"
echo "$(basename "$0"): OK"
