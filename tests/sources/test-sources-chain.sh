#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Backing chains: a five-link chain of mixed formats (raw under qcow2,
# qed, qcow2, qcow2) with relative and absolute backing names, made over
# a copy of the Debian test guest.  drydock chain shows every link with
# its format and sizes (text and JSON); drydock inspect on the top reads
# through to the same answer as on the raw image; nothing is written.
# A missing link and a loop are one line each.
. "$(dirname "$0")/../functions.sh"
requires qemu-img python3

raw=$(guest debian.img)
cd "$scratch"
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null
mkdir -p vm/sub
cp --sparse=always "$raw" vm/base.img
# relative, absolute, relative (through a subdirectory), absolute.
qemu-img create -q -f qcow2 -b ../base.img -F raw vm/sub/l1.qcow2
qemu-img create -q -f qed -b "$scratch/vm/sub/l1.qcow2" -F qcow2 vm/l2.qed
qemu-img create -q -f qcow2 -b ../l2.qed -F qed vm/sub/l3.qcow2
qemu-img create -q -f qcow2 -b "$scratch/vm/sub/l3.qcow2" -F qcow2 top.qcow2
sums=$(sha256sum vm/base.img vm/sub/*.qcow2 vm/l2.qed top.qcow2)

drydock chain top.qcow2 > chain.txt 2> err.txt || fail "chain: $(cat err.txt)"
expect_eq "chain lines" 6 "$(wc -l < chain.txt)"
expect_eq "chain formats" "qcow2 qcow2 qed qcow2 raw" \
  "$(awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " }' chain.txt)"
expect_eq "chain virtual sizes" "134217728" \
  "$(awk 'NR > 1 { print $3 }' chain.txt | sort -u)"
expect_eq "chain last link" "$scratch/vm/sub/../base.img" \
  "$(awk 'END { print $5 }' chain.txt)"

drydock chain --json top.qcow2 > chain.json
python3 - chain.json "$scratch" <<'PY' || fail "chain --json: wrong content"
import json, os, sys
links = json.load(open(sys.argv[1]))
assert [l["depth"] for l in links] == [0, 1, 2, 3, 4], links
assert [l["format"] for l in links] == ["qcow2", "qcow2", "qed", "qcow2", "raw"]
assert all(l["virtual-size"] == 134217728 for l in links)
assert all(l["actual-size"] > 0 for l in links)
assert links[3]["backing-filename"] == "../base.img"
assert links[4]["backing-filename"] is None
assert os.path.samefile(links[4]["filename"], sys.argv[2] + "/vm/base.img")
PY

drydock inspect -a top.qcow2 > got.xml 2> err.txt ||
  fail "inspect through the chain: $(cat err.txt)"
cmp -s want.xml got.xml || fail "inspect through the chain differs from raw"
expect_eq "chain unchanged" "$sums" \
  "$(sha256sum vm/base.img vm/sub/*.qcow2 vm/l2.qed top.qcow2)"

# A missing link: the middle one moved away.
mv vm/l2.qed vm/l2.qed.away
expect_fail "chain: missing link" "^drydock chain: 'top.qcow2': .*l2.qed.*No such file" \
  drydock chain top.qcow2
expect_fail "inspect: missing link" "^drydock inspect: .*top.qcow2: .*l2.qed.*No such file" \
  drydock inspect -a top.qcow2
mv vm/l2.qed.away vm/l2.qed
# A loop of two.
qemu-img create -q -f qcow2 -u -b b.qcow2 -F qcow2 a.qcow2 64M
qemu-img create -q -f qcow2 -u -b a.qcow2 -F qcow2 b.qcow2 64M
expect_fail "chain: loop" "^drydock chain: 'a.qcow2': .*infinite loop" \
  drydock chain a.qcow2
expect_fail "inspect: loop" "^drydock inspect: .*a.qcow2: .*infinite loop" \
  drydock inspect -a a.qcow2
n=$( (drydock chain a.qcow2 || :) 2>&1 | wc -l)
expect_eq "loop is one line" 1 "$n"
expect_fail "chain: no image" "Usage" drydock chain
echo "$(basename "$0"): OK"
