#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# --xpath: on an XML document read from standard input (no appliance),
# printed as virt-inspector --xpath prints it (compared byte for byte
# when virt-inspector is installed); on the document of the images
# themselves (one launch); and its errors.
. "$(dirname "$0")/../functions.sh"

doc=$DRYDOCK_TESTS_SRCDIR/inspect/golden/debian-fedora.xml

q () { drydock inspect --xpath "$1" < "$doc"; }

expect_eq "element" "<hostname>debian-guest</hostname>" \
  "$(q '//operatingsystem[1]/hostname')"
expect_eq "elements, one per line" \
  "$(printf '<root>/dev/sda1</root>\n<root>/dev/sdb2</root>')" "$(q '//root')"
expect_eq "attributes" \
  "$(printf ' dev="/dev/sdb2"\n dev="/dev/sdb1"')" \
  "$(q '//operatingsystem[2]//mountpoint/@dev')"
expect_eq "text nodes" "$(printf 'debian\nfedora')" "$(q '//distro/text()')"
expect_eq "string" "Fedora Linux 39 (Thirty Nine)" \
  "$(q 'string(//operatingsystem[root="/dev/sdb2"]/product_name)')"
expect_eq "number" "7" "$(q 'count(//application)')"
expect_eq "boolean" "true" "$(q 'boolean(//filesystem/label)')"
expect_eq "nothing" "" "$(q '//nothing')"
# An element with children is indented, and its text escaped.
q '//application[name="dpkg"]' > "$scratch/out"
cat > "$scratch/expected" <<'EOF2'
<application>
  <name>dpkg</name>
  <version>1.21.22</version>
  <arch>amd64</arch>
  <publisher>Dpkg Developers &lt;debian-dpkg@lists.debian.org&gt;</publisher>
  <summary>Debian package management system</summary>
  <description>This package provides the low-level infrastructure for handling the
installation and removal of Debian software packages.</description>
</application>
EOF2
diff -u "$scratch/expected" "$scratch/out" || fail "element with children"

if command -v virt-inspector >/dev/null; then
  for e in '//root' '//mountpoint/@dev' '//distro/text()' 'string(//hostname)' \
           'count(//filesystem)' '//filesystem[label]' '//nothing' '/' \
           '//application[name="libc6"]' 'string(//nothing)' '1 = 1'; do
    virt-inspector --xpath "$e" < "$doc" > "$scratch/vi" 2>&1 ||
      fail "virt-inspector --xpath '$e' failed"
    q "$e" > "$scratch/dd" || fail "--xpath '$e' failed"
    cmp -s "$scratch/vi" "$scratch/dd" ||
      fail "--xpath '$e' differs from virt-inspector's: $(diff "$scratch/vi" "$scratch/dd")"
  done
else
  echo "$(basename "$0"): virt-inspector missing, not compared"
fi

# Errors: one line, nothing on stdout.
xpath_fails ()
{
  local what=$1 pattern=$2 input=$3 rc=0
  drydock inspect --xpath "$4" < "$input" > "$scratch/out" 2> "$scratch/err" ||
    rc=$?
  [ "$rc" -ne 0 ] || fail "$what: exit 0"
  [ ! -s "$scratch/out" ] || fail "$what: stdout not empty"
  [ "$(wc -l < "$scratch/err")" = 1 ] && grep -Eq "$pattern" "$scratch/err" ||
    fail "$what: $(cat "$scratch/err")"
}
printf '<operatingsystems><operatingsystem>' > "$scratch/bad.xml"
xpath_fails "bad XML" "^drydock inspect: standard input: not an XML document" \
  "$scratch/bad.xml" //root
xpath_fails "empty input" "^drydock inspect: standard input: empty" \
  /dev/null //root
xpath_fails "bad expression" "^drydock inspect: --xpath '//root\[': invalid" \
  "$doc" '//root['
# An external entity is not fetched (XML_PARSE_NONET, no substitution).
cat > "$scratch/ent.xml" <<'EOF2'
<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<r>&x;</r>
EOF2
expect_eq "no external entity" "" \
  "$(drydock inspect --xpath 'string(/r)' < "$scratch/ent.xml")"

# On the images: the document is made, queried, and only the answer
# printed.
deb=$(guest debian.img)
expect_eq "query on an image" "debian-guest 7" \
  "$(drydock inspect --format raw -a "$deb" \
       --xpath 'concat(//hostname, " ", count(//application))')"
