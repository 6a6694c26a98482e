#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages against what they document, on the pages make built
# (what gets installed):
#
# - every command 'drydock --help' lists has its page, drydock-NAME.1,
#   and an entry in drydock(1);
# - every option a tool prints in --help or lists with --long-options
#   and --short-options is an item (=item) of its page: the operations
#   of customize and sysprep, which are options, included; so is every
#   operation of 'drydock sysprep --list-operations';
# - every action of the table (generator/actions.py) has its heading
#   in drydock(3);
# - man renders every page without a warning.
#
# A tool given a new option, or an action added to the table, fails
# here until its page says what it does.

. "$DRYDOCK_TESTS_SRCDIR/functions.sh"

: "${DOCS_BUILDDIR:?run through make check}" "${TOP_SRCDIR:?}" "${PYTHON:?}"
requires man

export LC_ALL=C
docs=$DOCS_BUILDDIR

# The text of a page's item lines (.IP, from =item) or headings (.SS,
# from =head2), with troff's font, size and character escapes removed,
# so that "\fB\-\-add\fR" reads "--add".
lines_of ()
{
  grep -E "^\\.$2 " "$1" |
    sed -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' \
        -e 's/\\s[-+]\{0,1\}[0-9]//g' -e 's/\\\*(C[`'"'"']//g' \
        -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\(aq/'"'"'/g'
}

# has WORD IN LINES-FILE: WORD as a whole word (not a part of a longer
# option or name) in one of the lines.
has ()
{
  local re
  re=$(printf '%s' "$1" | sed 's/[].[*^$\\/]/\\&/g')
  grep -Eq -- "(^|[^A-Za-z0-9_-])$re([^A-Za-z0-9_-]|\$)" "$2"
}

failures=""
missing () { failures="$failures
  $1"; }

# The checker must be able to fail: a made-up option is not found.
lines_of "$docs/drydock-customize.1" IP > "$scratch/items"
[ -s "$scratch/items" ] || fail "drydock-customize.1 has no items"
! has --no-such-option-anywhere "$scratch/items" ||
  fail "the checker finds an option no page documents"
has --hostname "$scratch/items" ||
  fail "the checker does not find --hostname in drydock-customize.1"

# The commands of the dispatcher.
drydock --help > "$scratch/help" || fail "drydock --help failed"
sed -n '/^Commands:/,/^$/p' "$scratch/help" | awk 'NF && !/:$/ { print $1 }' |
  grep -vx version > "$scratch/commands" || true
[ -s "$scratch/commands" ] || fail "no commands in 'drydock --help'"
lines_of "$docs/drydock.1" IP > "$scratch/drydock-items"

while read -r cmd; do
  page="$docs/drydock-$cmd.1"
  has "$cmd" "$scratch/drydock-items" || missing "drydock(1): the command $cmd"
  if [ ! -f "$page" ]; then
    missing "drydock-$cmd(1): no such page (docs/drydock-$cmd.pod)"
    continue
  fi
  drydock "$cmd" --help > "$scratch/help" ||
    fail "drydock $cmd --help failed"
  {
    grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' "$scratch/help"
    drydock "$cmd" --long-options
    drydock "$cmd" --short-options
  } | sort -u > "$scratch/options"
  [ -s "$scratch/options" ] || fail "drydock $cmd lists no options"
  lines_of "$page" IP > "$scratch/items"
  while read -r opt; do
    has "$opt" "$scratch/items" || missing "drydock-$cmd(1): the option $opt"
  done < "$scratch/options"
  if [ "$cmd" = sysprep ]; then
    drydock sysprep --list-operations | awk '{ print $1 }' > "$scratch/ops" ||
      fail "drydock sysprep --list-operations failed"
    [ -s "$scratch/ops" ] || fail "drydock sysprep lists no operations"
    while read -r op; do
      has "$op" "$scratch/items" ||
        missing "drydock-sysprep(1): the operation $op"
    done < "$scratch/ops"
  fi
  echo "drydock-$cmd.1: $(wc -l < "$scratch/options") options checked"
done < "$scratch/commands"

# The actions of the table, each a heading "drydock_NAME" in drydock(3).
"$PYTHON" - "$TOP_SRCDIR/generator" > "$scratch/actions" <<'EOF' ||
import sys
sys.path.insert(0, sys.argv[1])
import actions
for a in actions.actions:
    if not a.name.startswith("internal_"):
        print(a.name)
EOF
  fail "cannot read the action table"
[ -s "$scratch/actions" ] || fail "no actions in the table"
lines_of "$docs/drydock.3" SS > "$scratch/headings"
while read -r name; do
  has "drydock_$name" "$scratch/headings" || missing "drydock(3): the action $name"
done < "$scratch/actions"
echo "drydock.3: $(wc -l < "$scratch/actions") actions checked"

# Every page renders without a warning.
for page in "$docs"/*.1 "$docs"/*.3; do
  out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || out="$out (man failed)"
  [ -z "$out" ] || missing "$(basename "$page"): man: $out"
done

[ -z "$failures" ] || fail "not documented, or not rendered cleanly:$failures"
echo "test-man.sh: every page documents its tool and renders cleanly"
