#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# win: paths, as guestfish takes them where a guest path goes: the drive
# letter through the inspection's drive mappings, '\' as '/', each
# component found whatever its case (case_sensitive_path).
. "$(dirname "$0")/../functions.sh"

win=$(windows_guest windows.img)
deb=$(guest debian.img)

out=$(drydock shell --ro --format raw -a "$win" -i <<'EOF2' 2>&1
is-dir win:C:\
is-file win:c:\windows\system32\config\software
is-file WIN:\WINDOWS\SYSTEM32\CONFIG\SYSTEM
ls win:C:\Windows\System32\Config
glob echo win:c:\windows
-ls win:D:\
-is-file win:E:\x
-ls win:c:\nowhere\x
EOF2
)
expect_eq "win: paths" "true
true
true
SOFTWARE
SYSTEM
win:c:\\windows
drydock shell: ls: win:D: drive D: (/dev/sda2) is not mounted
drydock shell: is-file: win:E: the guest has no drive E:
drydock shell: case_sensitive_path: /nowhere/x: no name matching \"nowhere\" in /" "$out"

# Without the inspection, or with a guest without drive letters.
expect_fail "before the inspection" \
  "inspect_get_roots: no inspection yet: call inspect_os first" \
  drydock shell --ro --format raw -a "$win" -m /dev/sda1 ls 'win:C:\'
expect_fail "a Linux guest" "cat: win:C: the guest has no drive C:" \
  drydock shell --ro --format raw -a "$deb" -i cat 'win:C:\etc\hostname'
# Without a drive letter: under /, on any guest.
expect_eq "no drive letter" debian-guest \
  "$(drydock shell --ro --format raw -a "$deb" -i cat 'win:\ETC\HOSTNAME')"
