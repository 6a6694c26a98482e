#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# FTP through qemu's curl driver: the Debian test guest served on
# 127.0.0.1 by pyftpdlib (Debian's python3-pyftpdlib), anonymous and
# read-only.  drydock inspect over ftp:// gives the same answer as on
# the raw image, a missing file is one line, the served file never
# changes.  (ftps:// is implicit TLS, which pyftpdlib does not serve:
# it is read by the same driver, untested here.)
. "$(dirname "$0")/../functions.sh"
requires qemu-img /usr/bin/python3
/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null ||
  skip "pyftpdlib is not installed (python3-pyftpdlib)"

raw=$(guest debian.img)
cd "$scratch"
mkdir www
cp --sparse=always "$raw" www/debian.img
keep_sums www/debian.img
drydock inspect --format raw -a "$raw" > want.xml 2>/dev/null

/usr/bin/python3 - www port <<'PY' &
import logging, os, sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
logging.disable(logging.CRITICAL)
auth = DummyAuthorizer()
auth.add_anonymous(os.path.abspath(sys.argv[1]), perm="elr")
FTPHandler.authorizer = auth
FTPHandler.passive_ports = None
server = FTPServer(("127.0.0.1", 0), FTPHandler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
PY
add_cleanup "kill $! 2>/dev/null || :"
for _ in $(seq 100); do
  [ -s port ] && break
  sleep 0.1
done
[ -s port ] || fail "the FTP server did not start"
url="ftp://127.0.0.1:$(cat port)/debian.img"

drydock inspect --format raw -a "$url" > got.xml 2> err.txt || fail "ftp: $(cat err.txt)"
cmp -s want.xml got.xml || fail "ftp: inspect differs from raw"
expect_fail "missing file" "^drydock inspect: add_drive: ftp://127.0.0.1:$(cat port)/nope.img: " \
  drydock inspect --format raw -a "ftp://127.0.0.1:$(cat port)/nope.img"
n=$( (drydock inspect --format raw -a "ftp://127.0.0.1:$(cat port)/nope.img" || :) 2>&1 | wc -l)
expect_eq "missing file is one line" 1 "$n"

sums_unchanged
echo "$(basename "$0"): OK"
