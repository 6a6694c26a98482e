#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# A writing session in commit mode (no --ro) killed half way, by SIGKILL,
# SIGTERM and SIGINT, and one with --output-overlay killed by SIGKILL:
# the shell is paused at its prompt (commands come through a fifo) after
# writing files, then killed.  Each time:
#  - qemu dies with it within a second (killed by the reaper through its pidfd);
#  - the source image is byte-identical;
#  - nothing is left in TMPDIR (overlays, socket, the temporary dir), and
#    no output overlay nor its temporary file: library/reaper.c removes
#    them.
. "$(dirname "$0")/../functions.sh"

img=$(scratch_copy "$(guest debian.img)")
img_sha=$(sha "$img")
mkdir "$scratch/tmp"
export TMPDIR="$scratch/tmp"
fifo="$scratch/fifo"
mkfifo "$fifo"
mkdir "$scratch/out"

# Processes whose command line names our TMPDIR (qemu has the overlay).
ours () { ps -eo pid=,args= | grep -F -- "$TMPDIR/" | grep -v grep || true; }

# wait_for FILE PATTERN SECONDS: until the running shell ($pid) has
# written PATTERN to FILE; fails at once if the shell exits.
wait_for ()
{
  local i
  for ((i = 0; i < $3 * 10; ++i)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

pid=
add_cleanup '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true'

for run in KILL:commit TERM:commit INT:commit KILL:keep; do
  sig=${run%:*}
  keep=()
  [ "${run#*:}" = commit ] || keep=(--output-overlay "$scratch/out/new.qcow2")
  # fd 3 keeps the fifo open for writing, so the shell blocks on it.
  exec 3<> "$fifo"
  # A background job of a non-interactive bash ignores SIGINT: undo that.
  env --default-signal=INT,TERM \
    drydock shell --format raw -a "$img" "${keep[@]}" < "$fifo" \
    > "$scratch/log" 2> "$scratch/err" &
  pid=$!
  cat >&3 <<'EOF2'
run
mount /dev/sda1 /
write /etc/hostname killed
mkdir /new-dir
write /new-dir/file "half way"
rm-rf /usr
sync
cat /new-dir/file
EOF2
  # Actions flush stdout: once this is there, the shell waits on the fifo.
  wait_for "$scratch/log" 'half way' 30 ||
    fail "$run: the session did not reach the pause: $(cat "$scratch/err")"
  # ps may miss a command line it cannot read at once (a loaded host):
  # look again for a while before giving up.
  for ((i = 0; i < 50; ++i)); do
    [ -z "$(ours)" ] || break
    sleep 0.1
  done
  [ -n "$(ours)" ] || fail "$run: no qemu process found using $TMPDIR"

  kill -s "$sig" "$pid"
  rc=0
  { wait "$pid"; } 2>/dev/null || rc=$?
  pid=
  exec 3>&-
  expect_eq "$run: exit status of the shell" $((128 + $(kill -l "$sig"))) "$rc"
  # qemu and the reaper act when the shell is gone: give them a second.
  for ((i = 0; i < 10; ++i)); do
    left=$(ours)
    [ -n "$left$(ls -A "$TMPDIR")$(ls -A "$scratch/out")" ] || break
    sleep 0.1
  done
  [ -z "$left" ] || fail "$run: still running a second later: $left"
  expect_eq "$run: source image" "$img_sha" "$(sha "$img")"
  expect_eq "$run: files left in TMPDIR" "" "$(ls -A "$TMPDIR")"
  expect_eq "$run: files left in the output directory" "" \
    "$(ls -A "$scratch/out")"
done
