#!/usr/bin/env python3
"""eth_half_peer.py - the host's side of the half-close test in
tests/suites/eth.sh (tests/posix/ethhalf.c).

  eth_half_peer.py PORT SECONDS

PORT: the host end of `--hostfwd tcp:PORT-:7000`.  Connects (again until
the guest listens), reads the guest's "bye\\n" up to its end of file (it
shut for writing), sends "bye from the host\\n" and closes: the guest's side
is in TIME-WAIT, its socket open.  Then connects again from the same local
port (QEMU's network keeps it, so the guest sees the same peer), sends
"hello again\\n" and reads to the end: the guest answers "welcome back\\n".
Prints `host: half: ...` lines; exit 0 if both rounds went so, within
SECONDS.
"""
import socket
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + seconds


def say(msg):
    print("host: half: " + msg, flush=True)


def connect_from(src):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", src))
    s.settimeout(max(1.0, end - time.time()))
    s.connect(("127.0.0.1", port))
    return s


def read_to_eof(s):
    data = b""
    while len(data) < 256:
        b = s.recv(256)
        if not b:
            break
        data += b
    return data


def first_round():
    """The guest's bye and end of file, our line and close: our port."""
    while time.time() < end:
        s = connect_from(0)
        try:
            got = read_to_eof(s)
        except OSError:
            got = b""
        if got == b"bye\n":
            s.sendall(b"bye from the host\n")
            src = s.getsockname()[1]
            s.close()
            say("round 1 from port %d: the guest said bye and shut; we sent a line and closed" % src)
            return src
        s.close()                       # the guest was not listening yet (QEMU closed it)
        time.sleep(0.5)
    return None


src = first_round()
if src is None:
    say("round 1: no bye from the guest")
    sys.exit(1)
time.sleep(0.5)                         # our FIN reaches the guest before the new SYN
try:
    s = connect_from(src)
    s.sendall(b"hello again\n")
    got = read_to_eof(s)
    s.close()
except OSError as e:
    say("round 2 from port %d: %s" % (src, e))
    sys.exit(1)
say("round 2 from port %d: the guest answered %r" % (src, got.decode("ascii", "replace")))
sys.exit(0 if got == b"welcome back\n" else 1)
