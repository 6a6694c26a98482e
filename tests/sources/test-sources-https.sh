#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HTTPS through qemu's curl driver: the Debian test guest, raw and as a
# qcow2, served on 127.0.0.1 with a self-signed certificate.  Refused
# while the certificate is checked (one line); read with sslverify=off
# given after '#' in the URI (never sent to the server) and as the
# shell's add optional arguments, a file the server gives only with a
# cookie read with cookie= after '#', with the same inspect answer as the
# local raw file.  customize -a https://... --output-overlay keeps a
# qcow2 backed by the URL, whose changes read back; the served files
# never change.  Also: options the URI's fragment does not know, the
# curl options on a non-curl URI, an unreachable server, and a server
# that accepts the connection and never answers: one line each, within
# the connection timeout.
. "$(dirname "$0")/../functions.sh"
requires qemu-img openssl /usr/bin/python3
py=/usr/bin/python3

raw=$(guest debian.img)
cd "$scratch"
mkdir -p www/private
cp --sparse=always "$raw" www/debian.img
qemu-img convert -q -f raw -O qcow2 "$raw" www/debian.qcow2
ln www/debian.qcow2 www/private/debian.qcow2
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout key.pem -out cert.pem 2>/dev/null
"$py" "$DRYDOCK_TESTS_SRCDIR/sources/http-server.py" www port cert.pem key.pem &
add_cleanup "kill $! 2>/dev/null || :"
for _ in $(seq 100); do
  [ -s port ] && break
  sleep 0.1
done
[ -s port ] || fail "the HTTPS server did not start"
base="https://127.0.0.1:$(cat port)"
keep_sums www/debian.img www/debian.qcow2

drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null

# Self-signed: refused by default, one line naming the URI.
expect_fail "self-signed refused" "^drydock inspect: add_drive: $base/debian.img: .*(certificate|SSL)" \
  drydock inspect --format raw -a "$base/debian.img"
n=$( (drydock inspect --format raw -a "$base/debian.img" || :) 2>&1 | wc -l)
expect_eq "refused TLS is one line" 1 "$n"

drydock inspect --format raw -a "$base/debian.img#sslverify=off&readahead=1M&timeout=20" \
  > got.xml 2> err.txt || fail "https raw: $(cat err.txt)"
cmp -s want.xml got.xml || fail "https raw: inspect differs from raw"
drydock inspect -a "$base/debian.qcow2#sslverify=false" > got.xml 2> err.txt ||
  fail "https qcow2: $(cat err.txt)"
cmp -s want.xml got.xml || fail "https qcow2: inspect differs from raw"

# A file the server gives only with its cookie.
expect_fail "no cookie" "^drydock inspect: add_drive: $base/private/debian.qcow2: .*403" \
  drydock inspect --format qcow2 -a "$base/private/debian.qcow2#sslverify=off"
drydock inspect --format qcow2 -a "$base/private/debian.qcow2#sslverify=off&cookie=session%3Ddrydock" \
  > got.xml 2> err.txt || fail "https with a cookie: $(cat err.txt)"
cmp -s want.xml got.xml || fail "https with a cookie: inspect differs from raw"

# The API's optional arguments, through the shell: protocol and server
# with the same options.
out=$(drydock shell <<CMDS
add /debian.qcow2 protocol:https server:tcp:127.0.0.1:$(cat port) sslverify:false format:qcow2 readonly:true label:web copyonread:true
run
list-disk-labels
mount-ro /dev/sda1 /
cat /etc/hostname
CMDS
) || fail "shell add protocol:https failed"
expect_eq "shell over https" "web: /dev/sda
$(drydock cat --format raw -a "$raw" /etc/hostname)" "$out"

# customize into a kept overlay backed by the URL.
drydock customize -a "$base/debian.qcow2#sslverify=off" \
  --output-overlay x.qcow2 --write /etc/drydock-https:seeded 2> err.txt ||
  fail "customize --output-overlay: $(cat err.txt)"
qemu-img info -U x.qcow2 | grep -q "backing file: json:.*\"url\": *\"$base/debian.qcow2\"" ||
  fail "x.qcow2 is not backed by the URL: $(qemu-img info -U x.qcow2)"
expect_eq "customized overlay reads back" "seeded" \
  "$(drydock cat --format qcow2 -a x.qcow2 /etc/drydock-https)"
expect_fail "commit into https" "cannot commit into it: a remote image is only read" \
  drydock customize -a "$base/debian.qcow2#sslverify=off" --touch /x

expect_fail "unknown fragment option" "option 'verify' after '#': expected sslverify" \
  drydock inspect --format raw -a "$base/debian.img#verify=no"
expect_fail "curl option on nbd" "sslverify, cookie, readahead and timeout are for http, https, ftp and ftps" \
  drydock inspect --format raw -a "nbd://127.0.0.1:1/x#sslverify=off"

# Nobody listens: one line at once.
port0=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect_fail "unreachable" "^drydock inspect: add_drive: https://127.0.0.1:$port0/d.img: .*(connect|refused)" \
  drydock inspect --format raw -a "https://127.0.0.1:$port0/d.img"
# A server that takes the connection and never says a word: the
# request's timeout (2 s here) ends it, one line.
"$py" - silent.port <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
PY
add_cleanup "kill $! 2>/dev/null || :"
for _ in $(seq 100); do
  [ -s silent.port ] && break
  sleep 0.1
done
start=$(date +%s)
err=$(drydock inspect --format raw -a "https://127.0.0.1:$(cat silent.port)/d.img#timeout=2" 2>&1 >/dev/null) &&
  fail "a silent server: success"
took=$(( $(date +%s) - start ))
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "a silent server: not one line: $err"
echo "$err" | grep -Eq "add_drive: https://127.0.0.1:$(cat silent.port)/d.img: .*(timed out|Timeout|no answer)" ||
  fail "a silent server: $err"
[ "$took" -lt 30 ] || fail "a silent server took $took s"

sums_unchanged
echo "$(basename "$0"): OK"
