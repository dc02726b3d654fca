"""guest.py - drive a freebeam image's serial console from a test, like a
user at a terminal: tools/freebeam run with the guest's serial port on our
pipes (stdin is a pipe, so bytes reach the guest as they are; Enter is CR),
expect-like waiting for output, and the suites' ok/FAIL lines with their
`N passed, N failed` count.  Used by tests/suites/shell.sh and native.sh."""
import os, re, select, subprocess, sys, time

# The build folder the suite tests (tests/lib/checks.sh sets it from B).
BUILD = os.environ.get("FREEBEAM_BUILD", "build")

passed = 0
failed = 0

def ok(what):
    global passed
    passed += 1
    print("ok   " + what, flush=True)

def bad(what):
    global failed
    failed += 1
    print("FAIL " + what, flush=True)

def check(cond, what):
    (ok if cond else bad)(what)
    return cond

def finish():
    """The result line; exit status 1 if anything failed or nothing ran."""
    if passed + failed == 0:
        bad("no check ran")
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)

class Guest:
    """QEMU with the guest's serial port on our pipes; expect-like."""
    def __init__(self, img, limit, extra=()):
        self.p = subprocess.Popen(["tools/freebeam", "run", img, "--timeout", str(int(limit))] + list(extra),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.buf = b""      # everything received
        self.pos = 0        # where the next expect starts looking
        self.end = time.monotonic() + limit + 10

    def _fill(self, until):
        fd = self.p.stdout.fileno()
        while True:
            left = min(until, self.end) - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return False
            data = os.read(fd, 4096)
            if not data:
                return None     # QEMU exited
            self.buf += data
            return True

    def expect(self, pattern, timeout=60):
        """Wait for the regex (bytes) after the last match; the match or None."""
        rx = re.compile(pattern, re.S)
        until = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            if not self._fill(until):
                return None

    def send(self, text, pause=0.05):
        """Type text byte by byte (a terminal's pace, roughly)."""
        try:
            for ch in text.encode():
                self.p.stdin.write(bytes([ch]))
                self.p.stdin.flush()
                time.sleep(pause)
        except BrokenPipeError:
            pass

    def wait(self, timeout=60):
        """Read until QEMU exits: its exit status, or None (killed)."""
        until = time.monotonic() + timeout
        while self._fill(until):
            pass
        try:
            return self.p.wait(timeout=max(1, until - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None

    def dump(self):
        for line in self.buf.decode("utf-8", "replace").splitlines():
            print("  | " + line.rstrip("\r"))

PROMPT = rb"(\d+)> "

def step(g, what, line, answer, timeout=60):
    """Type line + CR; expect the answer, then a prompt."""
    g.send(line + "\r")
    if g.expect(answer, timeout) and g.expect(PROMPT, timeout):
        ok(what)
        return True
    bad(what)
    return False

def powers_off(g, what, line, status, timeout=60):
    """Type line + CR; the guest must power off with that exit status."""
    g.send(line + "\r")
    rc = g.wait(timeout)
    if rc == status:
        ok(what)
        return True
    bad("%s: exit status %r" % (what, rc))
    return False
