#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# --listen and --remote, from a shell script as guestfish's are used:
# eval "$(drydock shell --listen ...)", then one command per call.  The
# commands run in the server with the client's standard input, output
# and error and directory; a failure ends the server without committing;
# exit commits before it answers.  The cost of a remote command is
# measured and printed.
. "$(dirname "$0")/../functions.sh"
requires python3

img=$(scratch_copy "$(guest debian.img)")
keep_sums "$img"
export XDG_RUNTIME_DIR="$scratch/xdg"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
cd "$scratch"
stop_server () { [ -z "${DRYDOCK_PID:-}" ] || kill "$DRYDOCK_PID" 2>/dev/null || :; }
add_cleanup stop_server

# A server that fails: nothing changes, the server is gone.
out=$(drydock shell --listen --format raw -a "$img")
case "$out" in
  "DRYDOCK_PID="[0-9]*"; export DRYDOCK_PID") ;;
  *) fail "--listen printed: $out" ;;
esac
eval "$out"
[ -S "$XDG_RUNTIME_DIR/drydock/socket-$DRYDOCK_PID" ] ||
  fail "no socket in $XDG_RUNTIME_DIR/drydock"
drydock shell --remote run : mount /dev/sda1 / || fail "remote run failed"
drydock shell --remote write /etc/hostname changed
drydock shell --remote -- -cat /nope 2> err || fail "an ignored error failed"
grep -q "cat: /nope: No such file or directory" err || fail "no message: $(cat err)"
rc=0
drydock shell --remote cat /nope 2> err || rc=$?
expect_eq "a failed remote command" 1 "$rc"
grep -q "cat: /nope: No such file or directory" err ||
  fail "the message did not reach the client: $(cat err)"
# It ends after its reply: on a loaded machine give it a few seconds.
for i in $(seq 50); do
  [ -e "$XDG_RUNTIME_DIR/drydock/socket-$DRYDOCK_PID" ] || break
  sleep 0.1
done
[ ! -e "$XDG_RUNTIME_DIR/drydock/socket-$DRYDOCK_PID" ] ||
  fail "the server did not end after a failure"
expect_fail "no server" "cannot reach the shell of process $DRYDOCK_PID" \
  drydock shell --remote echo x
sums_unchanged

# A server that succeeds.
eval "$(drydock shell --listen --format raw -a "$img" -m /dev/sda1)"
pid=$DRYDOCK_PID
expect_eq "a remote command's output" debian-guest \
  "$(drydock shell --remote cat /etc/hostname)"
# The client's directory and standard input.
mkdir sub
echo from-a-file > sub/file
(cd sub && drydock shell --remote upload file /etc/from-file) ||
  fail "upload of a relative path"
echo from-stdin | drydock shell --remote upload - /etc/from-stdin
# No words: the commands are standard input's lines.
out=$(printf 'cat /etc/from-file\ncat /etc/from-stdin\necho "a b" | tr a-z A-Z\n' |
        drydock shell --remote)
expect_eq "commands from standard input" "from-a-file
from-stdin
A B" "$out"
unset DRYDOCK_PID
expect_fail "no DRYDOCK_PID" "no server: give --remote=PID, or set DRYDOCK_PID" \
  drydock shell --remote echo x
expect_eq "--remote=PID" "x" "$(drydock shell --remote="$pid" echo x)"
export DRYDOCK_PID=$pid

# The cost of a command: the client's whole run, median of 30.
shell_bin=$(command -v drydock)
[ -x "$DRYDOCK_TESTS_BUILDDIR/../drydock/.libs/drydock" ] &&
  shell_bin="$DRYDOCK_TESTS_BUILDDIR/../drydock/.libs/drydock"
python3 - "$shell_bin" <<'EOF2'
import subprocess, sys, time
def median(args):
    ts = []
    for _ in range(30):
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        ts.append(time.perf_counter() - t)
    return sorted(ts)[15] * 1000
remote = median([sys.argv[1], "shell", "--remote", "is-file", "/etc/hostname"])
true = median(["/bin/true"])
print("test-shell-remote.sh: remote is-file: %.1f ms (starting /bin/true: %.1f ms)"
      % (remote, true))
EOF2

drydock shell --remote write /etc/hostname remote-host
# exit answers once the session is committed.
drydock shell --remote exit || fail "remote exit failed"
out=$(drydock shell --ro --format raw -a "$img" -m /dev/sda1 cat /etc/hostname : \
        cat /etc/from-file)
expect_eq "committed at exit" "remote-host
from-a-file" "$out"
for i in $(seq 100); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "the server still runs 10 s after exit"
unset DRYDOCK_PID

# --csh; a socket directory that is not private is refused.
out=$(drydock shell --listen --csh)
case "$out" in
  "setenv DRYDOCK_PID "[0-9]*) ;;
  *) fail "--csh printed: $out" ;;
esac
export DRYDOCK_PID=${out##* }
drydock shell --remote exit
chmod 0755 "$XDG_RUNTIME_DIR/drydock"
expect_fail "an open socket directory" "not a private directory of this user" \
  drydock shell --listen
expect_fail "--remote with -a" "--remote sends commands only" \
  drydock shell --remote -a "$img" echo x
