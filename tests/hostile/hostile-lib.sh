# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the tests of tests/hostile after functions.sh.

# hostile_guest: the path of the hostile guest image (make-hostile-
# guest.sh), built once into the build tree and rebuilt when the script
# changes; concurrent tests wait for one build (flock).  Skips when the
# builder cannot run here.
hostile_guest ()
{
  local dir="$DRYDOCK_TESTS_BUILDDIR/hostile" script sum rc=0
  script="$DRYDOCK_TESTS_SRCDIR/hostile/make-hostile-guest.sh"
  sum=$(sha256sum "$script" | cut -d' ' -f1)
  mkdir -p "$dir"
  (
    flock 9
    if [ "$(cat "$dir/.hostile-guest.stamp" 2>/dev/null)" != "$sum" ] ||
       [ ! -f "$dir/hostile-guest.img" ]; then
      rm -f "$dir/.hostile-guest.stamp"
      "$script" "$dir/.hostile-guest.tmp" >&2 || exit $?
      mv "$dir/.hostile-guest.tmp" "$dir/hostile-guest.img"
      echo "$sum" > "$dir/.hostile-guest.stamp"
    fi
  ) 9> "$dir/.hostile-guest.lock" || rc=$?
  [ "$rc" -ne 77 ] || skip "the hostile guest cannot be built here"
  [ "$rc" -eq 0 ] || fail "cannot build the hostile guest"
  echo "$dir/hostile-guest.img"
}

# one_line WHAT PATTERN FILE: FILE holds exactly one line, matching
# PATTERN (grep -E).
one_line ()
{
  [ "$(wc -l < "$3")" -eq 1 ] || fail "$1: expected one line, got: $(cat "$3")"
  grep -Eq -- "$2" "$3" || fail "$1: did not match /$2/: $(cat "$3")"
}
