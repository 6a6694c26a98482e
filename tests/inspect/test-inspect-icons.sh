#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# Operating system logos (inspect_get_icon) on linux-distros.img, whose
# roots carry logo files that each rule must take or refuse
# (tests/data/make-inspect-guests.sh, distro_icon): the <icon> of each
# root in the XML is exactly the PNG put there (a relative and an
# absolute symbolic link followed inside the guest, the second place of
# Ubuntu and openSUSE), and there is none for a logo too large (Debian),
# too small (CentOS), not a PNG or a link out of the guest (SLES), or a
# distribution without one; the favicon is not used.  The JSON carries
# the same bytes; --no-icon leaves them out; the API with its default
# (favicon first) gives the favicon.  One launch per document.
. "$(dirname "$0")/../functions.sh"

requires python3
mkdir -p "$GUESTS"
rc=0
DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
  "$DRYDOCK_TESTS_SRCDIR/data/make-inspect-guests.sh" "$GUESTS" \
  linux-distros.img > "$scratch/build" 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "$(tail -n 1 "$scratch/build")"
[ "$rc" -eq 0 ] || fail "cannot build the image: $(cat "$scratch/build")"
img="$GUESTS/linux-distros.img"
keep_sums "$img"

drydock inspect --no-applications --format raw -a "$img" \
  > "$scratch/out.xml" 2> "$scratch/err" ||
  fail "inspect failed: $(cat "$scratch/err")"
drydock inspect --json --no-applications --format raw -a "$img" \
  > "$scratch/out.json" 2> "$scratch/err" ||
  fail "inspect --json failed: $(cat "$scratch/err")"
drydock inspect --no-icon --no-applications --format raw -a "$img" \
  > "$scratch/noicon.xml" 2> "$scratch/err" ||
  fail "inspect --no-icon failed: $(cat "$scratch/err")"

# The PNGs the image builder put in, made again the same way.
. "$DRYDOCK_TESTS_SRCDIR/data/guest-lib.sh"
gl_png "$scratch/want" ubuntu.png 32 32
gl_png "$scratch/want" fedora.png 96 96
gl_png "$scratch/want" rhel.png 48 48
gl_png "$scratch/want" rocky.png 56 56
gl_png "$scratch/want" alma.png 40 40
gl_png "$scratch/want" ol.png 32 32
gl_png "$scratch/want" opensuse.png 24 24
gl_png "$scratch/want" gentoo.png 48 48

python3 - "$scratch" <<'PY' || fail "icons"
import base64, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
want = {"/dev/sda2": "ubuntu", "/dev/sda3": "fedora", "/dev/sda4": "rhel",
        "/dev/sda5": "rocky", "/dev/sda6": "alma", "/dev/sda7": "ol",
        "/dev/sda9": "opensuse", "/dev/sda13": "gentoo"}
xml = {o.findtext("root"): o.findtext("icon")
       for o in ET.parse(d + "/out.xml").getroot()}
js = {o["root"]: o.get("icon")
      for o in json.load(open(d + "/out.json"))["operatingsystems"]}
bad = []
if len(xml) != 13:
    bad.append("%d roots, not 13" % len(xml))
for root in sorted(xml):
    got = base64.b64decode(xml[root]) if xml[root] else None
    exp = open("%s/want/%s.png" % (d, want[root]), "rb").read() \
        if root in want else None
    if got != exp:
        bad.append("%s: icon %s, want %s" % (
            root, "%d bytes" % len(got) if got else "none",
            want.get(root, "none")))
    jgot = base64.b64decode(js.get(root)) if js.get(root) else None
    if jgot != got:
        bad.append("%s: the JSON's icon is not the XML's" % root)
# libxml2's base64: lines of 72 characters.
for text in filter(None, xml.values()):
    if any(len(l) > 72 for l in text.replace("\r", "").split("\n")):
        bad.append("an <icon> line longer than 72")
if b"<icon>" in open(d + "/noicon.xml", "rb").read():
    bad.append("--no-icon printed an icon")
for b in bad:
    print("test-inspect-icons.sh: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The API's default tries /etc/favicon.png first (AlmaLinux has one);
# favicon:false and highquality:true do not.  Sizes only: the shell
# prints the buffers raw.
png_size () { python3 -c 'import sys; b = sys.stdin.buffer.read(); i = b.find(b"\x89PNG"); print("none" if i < 0 else "%dx%d" % (int.from_bytes(b[i+16:i+20], "big"), int.from_bytes(b[i+20:i+24], "big")))'; }
for args in "" "favicon:false" "highquality:true"; do
  drydock shell --ro --format raw -a "$img" run : inspect-os : \
    inspect-get-icon /dev/sda6 $args > "$scratch/icon" 2> "$scratch/err" ||
    fail "inspect-get-icon $args failed: $(cat "$scratch/err")"
  echo "$args: $(png_size < "$scratch/icon")"
done > "$scratch/sizes"
expect_eq "favicon choices" ": 16x16
favicon:false: 40x40
highquality:true: 40x40" "$(cat "$scratch/sizes")"

sums_unchanged
