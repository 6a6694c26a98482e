#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# What the generated wrappers decide for every action: the handle
# states an action may be called in (a daemon action before launch, a
# config-only one after: EINVAL and the message), the "ACTION: " prefix
# of a library-side body's error (added in one place, never twice),
# and the warning event of a deprecated action, sent on
# its first call (in an allowed state) on each handle only, also said
# by the help of the shell.
. "$(dirname "$0")/../functions.sh"

python3 -c 'import drydock' 2>/dev/null || skip "the Python binding is not built"
truncate -s 64M "$scratch/disk.img"

cat > "$scratch/t.py" <<'EOF'
import errno
import sys

import drydock


def fails(what, want, f, *args, **kw):
    try:
        f(*args, **kw)
    except drydock.Error as e:
        if str(e) != want or e.errno != errno.EINVAL:
            sys.exit("%s: got %r (errno %d), wanted %r (EINVAL)"
                     % (what, str(e), e.errno, want))
        return
    sys.exit("%s: succeeded" % what)


disk = sys.argv[1]
warned = []
g = drydock.Drydock()
g.set_event_callback(lambda ev, eh, buf, arr: warned.append(buf),
                     drydock.EVENT_WARNING)
# Config state: daemon actions and launched-only library ones refuse.
fails("vgscan before launch",
      "vgscan: call launch before using this function", g.vgscan)
fails("ls before launch", "ls: call launch before using this function",
      g.ls, "/")
assert warned == [], warned          # refused calls do not warn
# A library body's error: one prefix, with the body's errno.
try:
    g.add_drive(disk + ".nosuch", format="raw")
    sys.exit("add_drive of a missing file succeeded")
except drydock.Error as e:
    assert str(e).startswith("add_drive: ") and \
        not str(e).startswith("add_drive: add_drive: "), str(e)
    assert e.errno == errno.ENOENT, e.errno
g.set_memsize(g.get_memsize())       # config-only, in the config state
g.add_drive(disk, format="raw")
g.launch()
# Launched: config-only actions refuse, any-time ones still work.
for name, f, args in [("add_drive", g.add_drive, (disk,)),
                      ("set_memsize", g.set_memsize, (512,)),
                      ("launch", g.launch, ())]:
    fails(name + " after launch", name + ": this function can only be "
          "called in the config state", f, *args)
assert g.get_verbose() in (True, False)
assert g.is_ready() is True
# The deprecated vgscan warns on its first call on the handle only.
g.vgscan()
g.vgscan()
g.mkswap_L("swp", "/dev/sda")
g.mkswap_L("swp", "/dev/sda")
want = [b"vgscan is deprecated: use lvm_scan instead",
        b"mkswap_L is deprecated: use mkswap instead"]
assert warned == want, warned
g.close()
# ... per handle: a new handle warns again.
warned.clear()
g = drydock.Drydock()
g.set_event_callback(lambda ev, eh, buf, arr: warned.append(buf),
                     drydock.EVENT_WARNING)
g.add_drive(disk, format="raw", readonly=True)
g.launch()
g.vgscan()
assert warned == want[:1], warned
g.close()
EOF
python3 "$scratch/t.py" "$scratch/disk.img" || fail "see above"

# The shell's help says it too, and when each command came.
drydock shell help mkswap-L > "$scratch/help" || fail "help mkswap-L failed"
grep -q "^    This command is deprecated: use mkswap instead\.$" "$scratch/help" ||
  fail "help mkswap-L: $(cat "$scratch/help")"
grep -q "^    Added in 0\.1\.0\.$" "$scratch/help" ||
  fail "help mkswap-L has no version: $(cat "$scratch/help")"
drydock shell help mkswap > "$scratch/help" || fail "help mkswap failed"
! grep -q "deprecated" "$scratch/help" || fail "help mkswap: $(cat "$scratch/help")"
