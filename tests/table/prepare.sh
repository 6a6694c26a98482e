#!/bin/sh -
# SPDX-License-Identifier: GPL-2.0-or-later
# The host files some table tests upload into the guest, made in DIR
# (the tests' @TMP@) by test-table before the first test:
#
#   journal.tgz  a systemd journal directory as a guest keeps it under
#                /var/log/journal: MACHINE-ID/system.journal holding the
#                two entries below, written by systemd-journal-remote
#                (package systemd-journal-remote) from the export format;
#                the file is allocated at 8 MiB, so its zeros are made
#                holes and tar keeps them (a few KiB in the guest).
#   yara/rules.yar    YARA rule source: drydock_needle matches files
#                     holding "drydock-yara-needle", never_matches none;
#   yara/bad.yar      a rule that does not compile;
#   yara/include.yar  a rule file including another;
#   yara/rules.yarc   rules.yar compiled by yarac (package yara);
#   yara/fake.yarc    the magic of compiled rules, and garbage.
#
# A missing tool is said once; the tests needing its file then fail.
#
#   prepare.sh DIR
set -u
dir=$1
status=0
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export TZ=UTC LC_ALL=C

# The journal: entry 1 at 1700000000 s, entry 2 one second later.
mid=0123456789abcdef0123456789abcdef
remote=/usr/lib/systemd/systemd-journal-remote
if [ -x "$remote" ]; then
  mkdir -p "$dir/journal/$mid"
  printf '%s\n' \
    '__REALTIME_TIMESTAMP=1700000000000000' \
    '__MONOTONIC_TIMESTAMP=1000' \
    '_BOOT_ID=11111111222233334444555555555555' \
    'MESSAGE=hello from the guest' \
    '_PID=42' \
    'PRIORITY=6' \
    'SYSLOG_IDENTIFIER=drydock-test' \
    '' \
    '__REALTIME_TIMESTAMP=1700000001000000' \
    '__MONOTONIC_TIMESTAMP=2000' \
    '_BOOT_ID=11111111222233334444555555555555' \
    'MESSAGE=second entry' \
    '_PID=43' \
    '' |
    "$remote" -o "$dir/journal/$mid/system.journal" - 2>/dev/null &&
    fallocate --dig-holes "$dir/journal/$mid/system.journal" &&
    tar --sparse -czf "$dir/journal.tgz" -C "$dir/journal" "$mid" ||
    { echo "prepare.sh: could not write the test journal" >&2; status=1; }
else
  echo "prepare.sh: no $remote (package systemd-journal-remote)" >&2
  status=1
fi

# YARA rules.
mkdir -p "$dir/yara"
cat > "$dir/yara/rules.yar" <<'EOF'
rule drydock_needle
{
  strings:
    $a = "drydock-yara-needle"
  condition:
    $a
}

rule never_matches
{
  strings:
    $b = "zzzz-not-in-any-test-file"
  condition:
    $b
}
EOF
printf 'rule broken {\n  condition:\n}\n' > "$dir/yara/bad.yar"
printf 'include "/etc/passwd"\n' > "$dir/yara/include.yar"
printf 'YARA\001\002not really compiled rules' > "$dir/yara/fake.yarc"
if command -v yarac >/dev/null; then
  yarac "$dir/yara/rules.yar" "$dir/yara/rules.yarc" ||
    { echo "prepare.sh: yarac failed" >&2; status=1; }
else
  echo "prepare.sh: no yarac (package yara)" >&2
  status=1
fi

exit $status
