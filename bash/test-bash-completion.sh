#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion script, run in bash against the drydock built in
# this tree: commands, each command's options (every one its
# --long-options lists), values of --format and of sysprep's
# --operations, and file names for other arguments.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
prog=$top/drydock/drydock
[ -x "$prog" ] || { echo "test-bash-completion.sh: SKIP: no drydock built"; exit 77; }
fail () { echo "test-bash-completion.sh: FAIL: $*" >&2; exit 1; }

# complete WORDS...: what _drydock offers for the last word.
complete_words ()
{
    COMP_WORDS=("$prog" "$@")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _drydock
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
# has REPLY WORD...: the completion of WORDS offers REPLY.
has ()
{
    local want=$1
    shift
    grep -qxF -- "$want" <<< "$(complete_words "$@")" ||
        fail "'${*}' does not offer '$want' (got: $(complete_words "$@" | tr '\n' ' '))"
}
# lacks REPLY WORD...: it does not.
lacks ()
{
    local bad=$1
    shift
    ! grep -qxF -- "$bad" <<< "$(complete_words "$@")" ||
        fail "'${*}' offers '$bad'"
}

compopt () { :; }   # only valid inside a real completion
# shellcheck source=drydock
. "$here/drydock"
[[ $(complete -p drydock) == *'-F _drydock'* ]] || fail "complete is not set"

cmds=$("$prog" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && NF { print $1 }')
[ -n "$cmds" ] || fail "no commands in drydock --help"
for c in $cmds; do
    has "$c" "${c:0:2}"
    has "$c" help "${c:0:2}"
done
has customize cu
lacks customize sh

n=0
for c in $cmds; do
    [ "$c" = version ] && continue
    offered=$(complete_words "$c" -a x.img -)
    for o in $("$prog" "$c" --long-options) $("$prog" "$c" --short-options); do
        grep -qxF -- "$o" <<< "$offered" ||
            fail "'$c -a x.img -' does not offer '$o'"
        n=$((n + 1))
    done
done
[ "$n" -gt 50 ] || fail "only $n options checked"
has --hostname customize --hostn
has --enable sysprep --ena
lacks --hostname inspect --hostn

has qcow2 inspect --format q
has vmdk inspect --format vm
has ova chain --format o
lacks vmdk sparsify --format vm
has raw shell -a x --format r
has sha512 customize --password-crypto sha5
has ssh-hostkeys sysprep --operations ssh-h
has defaults,ssh-hostkeys sysprep --operations defaults,ssh-h
has none rescue -a x.img -e n
has '^]' rescue -a x.img -e ""
has --scratch rescue -a x.img --scr

# -d: the libvirt guests virsh lists on the -c connection (the test
# driver's default has one, "test").
if command -v virsh >/dev/null 2>&1; then
    has test inspect -c test:///default -d t
    has test shell --connect test:///default --domain ""
    has test diff -a x.img -c test:///default -D t
    lacks test win-reg -c test:///default -d t
fi

# Other arguments: none offered here, so bash completes file names.
[ -z "$(complete_words customize -a "")" ] || fail "file names expected after -a"
echo "test-bash-completion.sh: $n options of $(echo $cmds | wc -w) commands complete"
