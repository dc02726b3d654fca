#!/usr/bin/env python3
"""eth_restart_peer.py - the host's side of the net driver restart test in
tests/suites/eth.sh (erlang/test/eth/fb_eth_restart_tests.erl).

  eth_restart_peer.py PORT SECONDS

Listens on 127.0.0.1:PORT, TCP and UDP (the guest reaches it as
10.0.2.2:PORT).  Each TCP connection starts with a line:
  "stream\\n"  a sink: read until the connection ends, then print
              `host: restart: the stream ended (HOW) after N bytes`
              (HOW: eof or reset; the guest's driver restarted meanwhile);
  "echo\\n"    send back every byte until the guest stops, then print
              `host: restart: echoed N bytes`.
UDP: each datagram is answered with "pong " + payload (eth_peer.py's server).
Exit 0 if a stream ended and a later echo carried data, within SECONDS.
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eth_peer import udp_echo_server  # noqa: E402  ("host: udp echo server: answered ...")

port, seconds = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + seconds
seen = {"stream": False, "echo": False}


def say(msg):
    print("host: restart: " + msg, flush=True)


def read_line(conn):
    line = b""
    while not line.endswith(b"\n") and len(line) < 16:
        b = conn.recv(1)
        if not b:
            break
        line += b
    return line


def serve(conn):
    conn.settimeout(max(0.1, end - time.time()))
    total, how = 0, "eof"
    try:
        kind = read_line(conn)
        echo = kind == b"echo\n"
        if not echo and kind != b"stream\n":
            say("a connection said %r" % kind)
            return
        while True:
            try:
                data = conn.recv(65536)
            except ConnectionResetError:
                how = "reset"
                break
            if not data:
                break
            total += len(data)
            if echo:
                conn.sendall(data)
        if echo:
            say("echoed %d bytes" % total)
            seen["echo"] = seen["echo"] or total > 0
        else:
            say("the stream ended (%s) after %d bytes" % (how, total))
            seen["stream"] = True
    except OSError as e:
        say("a connection failed: %s after %d bytes" % (e, total))
    finally:
        conn.close()


tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", port))
tcp.listen(4)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", port))
threading.Thread(target=udp_echo_server, args=(udp, end), daemon=True).start()
while time.time() < end and not (seen["stream"] and seen["echo"]):
    tcp.settimeout(0.5)
    try:
        conn, _ = tcp.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
sys.exit(0 if seen["stream"] and seen["echo"] else 1)
