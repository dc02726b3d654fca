#!/usr/bin/env python3
"""remsh.py - drive `erl -remsh` on a pseudo-terminal like a user at a
terminal, for tests/suites/dist.sh (docs/networking.md, "Distributed
Erlang").

  remsh.py SECONDS EXPR... -- ERL_ARGUMENT...

Starts `erl ERL_ARGUMENT...` on a pty, waits for the shell's first prompt
`(NODE)1> `, then for each EXPR types it (with Enter) and waits for the next
prompt.  Prints `remsh: prompt (NODE)1>` and, for each EXPR, `remsh: EXPR =>
ANSWER` (what the shell printed between the expression and the next prompt,
on one line).  Then leaves the way a user does (Ctrl-G, then q: only the
local node stops) and prints `remsh: erl exited with STATUS`.  Everything
ends within SECONDS (erl is killed then).  Exit 0 only if every prompt came
and erl exited with 0.
"""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

PROMPT = re.compile(rb"\(([^()\s]+)\)(\d+)> ")
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\x07|\r")


def main():
    if "--" not in sys.argv[2:]:
        sys.exit("usage: remsh.py SECONDS EXPR... -- ERL_ARGUMENT...")
    cut = sys.argv.index("--", 2)
    end = time.monotonic() + float(sys.argv[1])
    exprs, erl_args = sys.argv[2:cut], sys.argv[cut + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        # A wide terminal: the line editor does not wrap the expressions.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))
        os.environ["TERM"] = "vt100"
        os.execvp("erl", ["erl"] + erl_args)
    buf = bytearray()

    def wait_for(rx, start):
        """Read until rx matches buf[start:]; the match, or None at the end."""
        while True:
            m = rx.search(buf, start)
            if m:
                return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return None
            try:
                data = os.read(fd, 4096)
            except OSError:
                return None
            if not data:
                return None
            buf.extend(data)

    ok = True
    m = wait_for(PROMPT, 0)
    if m is None:
        print("remsh: no prompt; erl said: %r" % bytes(buf[-400:]), flush=True)
        ok = False
    else:
        print("remsh: prompt (%s)%s>" % (m.group(1).decode(), m.group(2).decode()), flush=True)
        for expr in exprs:
            start = m.end()
            os.write(fd, expr.encode() + b"\r")
            m = wait_for(PROMPT, start)
            if m is None:
                print("remsh: %s => no prompt after it; erl said: %r" % (expr, bytes(buf[start:])), flush=True)
                ok = False
                break
            # The answer follows the line editor's echo of the expression.
            text = ESCAPES.sub(b"", bytes(buf[start:m.start()])).decode("utf-8", "replace")
            echo = text.rfind(expr)
            answer = " ".join(text[echo + len(expr):].split()) if echo >= 0 else "(no echo) " + text
            print("remsh: %s => %s" % (expr, answer), flush=True)
    if ok:
        # Ctrl-G opens the local job control menu; q stops the local node only.
        os.write(fd, b"\x07")
        if wait_for(re.compile(rb"--> "), len(buf)) is not None:
            os.write(fd, b"q\r")
    status = None
    while time.monotonic() < end and status is None:
        try:
            done, st = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            break
        if done:
            status = os.waitstatus_to_exitcode(st)
        else:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    buf.extend(os.read(fd, 4096))
                except OSError:
                    pass
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        print("remsh: erl did not exit; killed", flush=True)
        ok = False
    else:
        print("remsh: erl exited with %d" % status, flush=True)
        ok = ok and status == 0
    sys.exit(0 if ok else 1)


main()
