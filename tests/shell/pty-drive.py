#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Drive a program through a real terminal (a pty), as a person would.

    pty-drive.py [-t TIMEOUT] [-e NAME=VALUE]... [-2 FILE] -- PROGRAM ARGS... < SCRIPT

-2 FILE sends the program's standard error to FILE instead of the
terminal (a trace, say).

The script is one step a line ('#' lines and blank lines are skipped):

    send TEXT      type TEXT; \\t (Tab), \\r (Enter), \\n, \\e (Escape),
                   \\\\ and \\xHH are decoded, and so are the arrow keys
                   \\U (up) and \\D (down)
    expect REGEX   wait until the output since the last expect matches
                   REGEX (Python syntax); a timeout fails
    elapsed NAME   print "NAME MS": the milliseconds since the program
                   started (after an expect: when its output came)
    since NAME     print "NAME MS": the milliseconds from the last send
                   to the last expect's match
    resize R C     make the terminal R rows by C columns (the program
                   gets SIGWINCH)
    eof            wait for the program to exit; its status is ours

The whole terminal output is written to the file $PTY_TRANSCRIPT when
set.  Exit 0 when every step worked, 1 with a message otherwise.
"""

import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

timeout = 20.0
stderr_file = None
args = sys.argv[1:]
env = dict(os.environ)
while args and args[0] != "--":
    if args[0] == "-t":
        timeout = float(args[1])
        args = args[2:]
    elif args[0] == "-2":
        stderr_file = args[1]
        args = args[2:]
    elif args[0] == "-e":
        k, v = args[1].split("=", 1)
        env[k] = v
        args = args[2:]
    else:
        sys.exit("pty-drive.py: unknown option %s" % args[0])
args = args[1:]
if not args:
    sys.exit("usage: pty-drive.py [-t TIMEOUT] [-e NAME=VALUE]... -- PROGRAM ARGS...")

KEYS = {"t": "\t", "r": "\r", "n": "\n", "e": "\x1b", "\\": "\\",
        "U": "\x1b[A", "D": "\x1b[B"}


def decode(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "x":
                out.append(chr(int(text[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append(KEYS.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    if stderr_file:
        err = os.open(stderr_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(err, 2)
    os.execvpe(args[0], args, env)

transcript = b""
pending = b""
last_send = start
last_match = start


def read_some(wait):
    global transcript, pending
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    # A real terminal answers a cursor position query (busybox's line
    # editor asks after a resize, and waits for the answer).
    for _ in range(data.count(b"\x1b[6n")):
        os.write(fd, b"\x1b[1;1R")
    transcript += data
    pending += data
    return True


def fail(msg):
    save()
    tail = pending[-600:].decode("utf-8", "replace")
    sys.stderr.write("pty-drive.py: %s\n  output since the last match: %r\n" % (msg, tail))
    sys.exit(1)


def save():
    path = os.environ.get("PTY_TRANSCRIPT")
    if path:
        with open(path, "wb") as f:
            f.write(transcript)


for raw in sys.stdin.read().splitlines():
    line = raw.strip()
    if not line or line.startswith("#"):
        continue
    cmd, _, rest = line.partition(" ")
    if cmd == "send":
        os.write(fd, decode(rest).encode())
        last_send = time.monotonic()
    elif cmd == "expect":
        rx = re.compile(rest.encode(), re.S)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(pending)
            if m:
                last_match = time.monotonic()
                pending = pending[m.end():]
                break
            left = deadline - time.monotonic()
            if left <= 0:
                fail("timeout waiting for /%s/" % rest)
            if not read_some(min(left, 0.05)):
                m = rx.search(pending)
                if m:
                    last_match = time.monotonic()
                    pending = pending[m.end():]
                    break
                fail("the program ended before /%s/" % rest)
    elif cmd == "resize":
        rows, cols = (int(x) for x in rest.split())
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    elif cmd == "elapsed":
        print("%s %.1f" % (rest, (last_match - start) * 1000))
    elif cmd == "since":
        print("%s %.1f" % (rest, (last_match - last_send) * 1000))
    elif cmd == "eof":
        while read_some(0.1):
            pass
        _, status = os.waitpid(pid, 0)
        save()
        sys.exit(os.waitstatus_to_exitcode(status))
    else:
        fail("unknown step %r" % line)

save()
os.kill(pid, 9)
os.waitpid(pid, 0)
