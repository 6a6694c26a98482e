# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by every test script: sourced, never run.
#
#   . "$(dirname "$0")/../functions.sh"
#
# Tests run through ./run (the build tree), exit 0 on success, 1 on
# failure and 77 to skip, always printing why.

set -euo pipefail

: "${DRYDOCK_TESTS_SRCDIR:?run tests through make check or ./run}"
: "${DRYDOCK_TESTS_BUILDDIR:?run tests through make check or ./run}"

# Test images are built into the build tree by tests/data/make-guests.sh,
# and rebuilt when its scripts change (the image's stamp).
GUESTS="$DRYDOCK_TESTS_BUILDDIR/data/guests"

skip () { echo "$(basename "$0"): SKIP: $*"; exit 77; }
fail () { echo "$(basename "$0"): FAIL: $*" >&2; exit 1; }

# requires PROGRAM...: skip unless every program is on PATH (or sbin).
requires ()
{
  for p in "$@"; do
    command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || [ -x "/sbin/$p" ] ||
      skip "$p is not installed"
  done
}

# skip_unless CMD...: skip unless CMD succeeds.
skip_unless ()
{
  "$@" >/dev/null 2>&1 || skip "'$*' failed"
}

# A scratch directory removed on exit, whatever happens.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/drydock-test.XXXXXX")
cleanup_hooks=""
on_exit () { eval "$cleanup_hooks"; rm -rf "$scratch"; }
trap on_exit EXIT INT TERM
add_cleanup () { cleanup_hooks="$cleanup_hooks
$*"; }

# guest NAME: path of a test image, built if it is missing or older than
# the scripts that make it.
guest ()
{
  mkdir -p "$GUESTS"
  # Always asked: an image whose stamp is current costs a hash of the
  # scripts.  make-guests.sh takes its own lock, so concurrent tests wait
  # for it, and renames a new image into place.
  "$DRYDOCK_TESTS_SRCDIR/data/make-guests.sh" "$GUESTS" "$1" >/dev/null ||
    fail "cannot build the test image $1"
  [ -f "$GUESTS/$1" ] || fail "no test image $1"
  echo "$GUESTS/$1"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq ()
{
  if [ "$2" != "$3" ]; then
    printf '%s: FAIL: %s\n  expected: %s\n  actual:   %s\n' "$(basename "$0")" \
      "$1" "$2" "$3" >&2
    exit 1
  fi
}

# expect_fail WHAT PATTERN CMD...: CMD must fail with one line on stderr
# matching PATTERN (grep -E).
expect_fail ()
{
  local what=$1 pattern=$2 err rc=0
  shift 2
  err=$("$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: expected a failure, got success"
  # A here-string, not a pipe: grep -q quits at the first match, and
  # under pipefail the writer's SIGPIPE would fail the match.
  grep -Eq -- "$pattern" <<< "$err" ||
    fail "$what: error did not match /$pattern/: $err"
}

sha () { sha256sum "$1" | cut -d' ' -f1; }

# keep_sums IMAGE...: notes the images' checksums; sums_unchanged then
# fails if any of them changed.
keep_sums () { sha256sum "$@" > "$scratch/sums"; }
sums_unchanged ()
{
  sha256sum --quiet -c "$scratch/sums" || fail "an image changed"
}

# requires_static_busybox: skip unless the host's busybox is static (it
# becomes a guest's shell and tools); sets BUSYBOX to its path.
requires_static_busybox ()
{
  BUSYBOX=$(command -v busybox) || skip "busybox is not installed"
  file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
    ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' ||
    skip "$BUSYBOX is not static (install busybox-static)"
}

# osrel ID [VERSION_ID]: an /etc/os-release for inspection to find.
osrel ()
{
  printf 'ID=%s\n' "$1"
  [ -z "${2-}" ] || printf 'VERSION_ID="%s"\n' "$2"
  printf 'PRETTY_NAME="%s %s"\n' "$1" "${2-}"
}

# one_line_fail WHAT PATTERN CMD...: CMD fails with exactly one line on
# stderr, matching PATTERN (grep -E), and leaves $img (and
# $also_watched, if set) byte-identical.  A line matching $forbidden,
# if set, fails too (a password shown).
one_line_fail ()
{
  local what=$1 pattern=$2 err rc=0
  shift 2
  keep_sums "$img" ${also_watched:+"$also_watched"}
  err=$("$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: expected a failure, got success"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
    fail "$what: expected one line, got: $err"
  grep -Eq -- "$pattern" <<< "$err" ||
    fail "$what: error did not match /$pattern/: $err"
  if [ -n "${forbidden:-}" ] && grep -Eq -- "$forbidden" <<< "$err"
  then
    fail "$what: the message shows what it must not: $err"
  fi
  sums_unchanged
}

# ro_shell IMAGE... < COMMANDS: one --ro launch of drydock shell over the
# raw IMAGEs, its output in $scratch/out, its messages in $scratch/err;
# fails if the shell does.
ro_shell ()
{
  local img args=()

  for img in "$@"; do
    args+=(-a "$img")
  done
  drydock shell --ro --format raw "${args[@]}" > "$scratch/out" 2> "$scratch/err" ||
    fail "shell failed: $(cat "$scratch/err")"
}

# no_errors: fails if the last ro_shell printed any message.
no_errors ()
{
  [ ! -s "$scratch/err" ] || fail "unexpected errors: $(cat "$scratch/err")"
}

# app_names FILE SEP: the names inspect-list-applications printed in
# FILE, each followed by SEP.
app_names ()
{
  grep '^  name: ' "$1" | sed 's/^  name: //' | tr '\n' "$2"
}

# Copy an image to the scratch directory (sparse), for tests that write.
scratch_copy ()
{
  local dst
  dst="$scratch/$(basename "$1")"
  cp --sparse=always "$1" "$dst"
  echo "$dst"
}

# windows_guest NAME: path of a Windows test image (windows.img,
# dualboot.img), built (or found up to date) through the appliance by
# make-windows-guests.sh; skips when the builder cannot run here (its
# exit 77 says why).
windows_guest ()
{
  local rc=0 out

  # Always asked: it rebuilds a stale image, and is quick otherwise.
  mkdir -p "$GUESTS"
  out=$(DRYDOCK="$DRYDOCK_TESTS_BUILDDIR/../run" \
        "$DRYDOCK_TESTS_SRCDIR/data/make-windows-guests.sh" "$GUESTS" "$1" 2>&1) ||
    rc=$?
  [ "$rc" -ne 77 ] || skip "$(echo "$out" | tail -n 1)"
  [ "$rc" -eq 0 ] || fail "cannot build $1: $out"
  [ -f "$GUESTS/$1" ] || fail "no test image $1"
  echo "$GUESTS/$1"
}
