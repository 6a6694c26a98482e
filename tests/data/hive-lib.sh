# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: registry hives for the Windows tests, sourced (never
# run) by the test scripts, daemon/test-inspect-hive.sh and
# make-windows-guests.sh.  A hive is the shared empty one ("minimal-hive"
# in the shared test data, else make-empty-hive.py's) with .reg text
# merged into it by hivexregedit (libwin-hivex-perl).  Nothing here exits: each function's status says
# how it went and the caller decides (fail, skip, die).

# The checkout this file is in: the shared test data sits next to it
# (../shared), or one more level up from a git worktree.
HIVE_LIB_TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# hive_find_minimal: sets HIVE_MINIMAL to the absolute path of the shared
# empty hive ($DRYDOCK_TESTDATA first).  Without one (a checkout away
# from the shared data), or with DRYDOCK_OWN_HIVE=1, it is our own empty
# hive, written by make-empty-hive.py into $TMPDIR (the same bytes every
# time).  Status 1 when there is neither.
hive_find_minimal ()
{
  local d own

  HIVE_MINIMAL=""
  if [ -z "${DRYDOCK_OWN_HIVE:-}" ]; then
    for d in "${DRYDOCK_TESTDATA:-}" "$HIVE_LIB_TOP/../shared/testdata" \
             "$HIVE_LIB_TOP/../../shared/testdata"; do
      if [ -n "$d" ] && [ -f "$d/minimal-hive" ]; then
        HIVE_MINIMAL="$(cd "$d" && pwd)/minimal-hive"
        return 0
      fi
    done
  fi
  own="${TMPDIR:-/tmp}/drydock-empty-hive.$(id -u)"
  # Written aside and renamed: concurrent tests never see half a file.
  command -v python3 >/dev/null &&
    python3 "$HIVE_LIB_TOP/tests/data/make-empty-hive.py" "$own.$$" &&
    mv -f "$own.$$" "$own" || { rm -f "$own.$$"; return 1; }
  HIVE_MINIMAL=$own
}

# hive_build OUT < REG: builds the hive OUT from HIVE_MINIMAL and the .reg
# text on stdin.  PERL_UNICODE=SD: hivexregedit reads the text as UTF-8,
# so non-ASCII key names and strings arrive as characters, not bytes.
# Leaves nothing but OUT behind (OUT may sit in a tree an image is made
# from); on failure prints hivexregedit's complaint on stderr, status 1.
hive_build ()
{
  local out="$1"

  cat >"$out.reg" &&
    cp "$HIVE_MINIMAL" "$out" && chmod u+w "$out" &&
    PERL_UNICODE=SD hivexregedit --merge "$out" "$out.reg" >"$out.err" 2>&1 || {
      echo "hivexregedit could not build $out: $(cat "$out.err" 2>/dev/null)" >&2
      rm -f "$out.reg" "$out.err"
      return 1
    }
  rm -f "$out.reg" "$out.err"
}

# hive_reg_current_version: the start of a SOFTWARE hive's .reg text, down
# to the key [\Microsoft\Windows NT\CurrentVersion]; its values follow.
hive_reg_current_version ()
{
  printf '%s\n\n' 'Windows Registry Editor Version 5.00' '[\Microsoft]' \
    '[\Microsoft\Windows NT]'
  printf '%s\n' '[\Microsoft\Windows NT\CurrentVersion]'
}

# hive_reg_tcpip HOSTNAME: the start of a SYSTEM hive's .reg text whose
# current control set is ControlSet001, down to the Tcpip Hostname value
# HOSTNAME, and a blank line: more keys follow.
hive_reg_tcpip ()
{
  printf '%s\n\n' 'Windows Registry Editor Version 5.00'
  printf '%s\n' '[\Select]' '"Current"=dword:00000001'
  printf '\n%s\n' '[\ControlSet001]' '[\ControlSet001\Services]' \
    '[\ControlSet001\Services\Tcpip]'
  printf '\n%s\n"Hostname"="%s"\n\n' '[\ControlSet001\Services\Tcpip\Parameters]' "$1"
}
