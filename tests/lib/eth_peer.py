#!/usr/bin/env python3
"""eth_peer.py - the host's side of tests/suites/eth.sh: real peers on this
machine's loopback for a guest on QEMU's user network (docs/networking.md).

  eth_peer.py CTRL_PORT UDP_FWD_PORT SECONDS

The guest (tests/posix/eth.c, or erlang/test/fb_eth_tests.erl) listens on
TCP port 7000 and UDP port 7001; `run --hostfwd tcp:CTRL_PORT-:7000 --hostfwd
udp:UDP_FWD_PORT-:7001` forwards them here.  This script:
  1. starts a TCP echo server, a UDP echo server ("pong " + payload) and a
     small DNS server (printer.freebeam.test is 192.0.2.7, every other name
     NXDOMAIN) on 127.0.0.1 (the guest reaches them as 10.0.2.2:PORT);
  2. connects to CTRL_PORT until the guest greets it with "ready\\n" (before
     the guest has its address and listens, QEMU accepts and then closes the
     connection: try again every 0.5 s), sends "ports TCP UDP DNS\\n", then 1 MiB
     of a pattern, shuts its side down and checks that the guest echoed
     every byte;
  3. sends "hello from the host" to UDP_FWD_PORT every 0.5 s until the
     answer "pong hello from the host" comes.
Each step prints a `host: ...` line; the echo servers print what they
served.  Everything ends within SECONDS.  Exit 0 if steps 2 and 3 worked.
"""
import socket
import sys
import threading
import time

SIZE = 1 << 20


def pattern(n):
    # Not periodic in any small power of two: a lost or repeated block shows.
    return bytes(((i * 31) ^ (i >> 9)) & 0xFF for i in range(n))


def say(msg):
    print("host: " + msg, flush=True)


def tcp_echo_server(sock, end):
    sock.settimeout(max(0.1, end - time.time()))
    try:
        conn, _ = sock.accept()
    except OSError:
        say("tcp echo server: nobody connected")
        return
    conn.settimeout(max(0.1, end - time.time()))
    total = 0
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
            total += len(data)
        conn.shutdown(socket.SHUT_WR)
    except OSError as e:
        say("tcp echo server: %s after %d bytes" % (e, total))
        return
    finally:
        conn.close()
    say("tcp echo server: echoed %d bytes" % total)


def udp_echo_server(sock, end):
    n = 0
    while time.time() < end:
        sock.settimeout(max(0.1, end - time.time()))
        try:
            data, peer = sock.recvfrom(2048)
        except OSError:
            break
        sock.sendto(b"pong " + data, peer)
        n += 1
        say("udp echo server: answered %r from %s" % (data.decode("ascii", "replace"), peer[0]))
    if n == 0:
        say("udp echo server: no datagram")


def dns_server(sock, end):
    """Answers A queries: printer.freebeam.test is 192.0.2.7, anything else NXDOMAIN."""
    while time.time() < end:
        sock.settimeout(max(0.1, end - time.time()))
        try:
            q, peer = sock.recvfrom(512)
        except OSError:
            break
        if len(q) < 17:
            continue
        labels, i = [], 12
        while i < len(q) and q[i] != 0:
            n = q[i]
            labels.append(q[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        name, question = ".".join(labels).lower(), q[12:i + 5]
        qtype = int.from_bytes(q[i + 1:i + 3], "big")
        found = name == "printer.freebeam.test"
        answer = b""
        if found and qtype == 1:
            answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([192, 0, 2, 7])
        flags = 0x8180 | (0 if found else 3)
        head = q[:2] + flags.to_bytes(2, "big") + b"\x00\x01" + (b"\x00\x01" if answer else b"\x00\x00") + b"\x00" * 4
        sock.sendto(head + question + answer, peer)
        say("dns: %s type %d: %s" % (name, qtype, "192.0.2.7" if answer else "no address"))


def control(port, tcp_port, udp_port, dns_port, end):
    """Step 2; True if the guest echoed all of it."""
    while time.time() < end:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect(("127.0.0.1", port))
            greet = b""
            while not greet.endswith(b"\n") and len(greet) < 16:
                chunk = s.recv(16 - len(greet))
                if not chunk:
                    break
                greet += chunk
        except OSError:
            greet = b""
        if greet != b"ready\n":
            s.close()
            time.sleep(0.5)
            continue
        say("connected to the guest's listener")
        s.settimeout(max(0.1, end - time.time()))
        data = pattern(SIZE)
        got = bytearray()

        def sender():
            try:
                s.sendall(b"ports %d %d %d\n" % (tcp_port, udp_port, dns_port))
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            except OSError as e:
                say("sending to the guest: %s" % e)

        t = threading.Thread(target=sender)
        t.start()
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except OSError as e:
            say("receiving from the guest: %s after %d bytes" % (e, len(got)))
        t.join()
        s.close()
        if bytes(got) == data:
            say("the guest echoed all %d bytes" % SIZE)
            return True
        first = next((i for i in range(min(len(got), SIZE)) if got[i] != data[i]), min(len(got), SIZE))
        say("the guest's echo differs: %d bytes back, first difference at %d" % (len(got), first))
        return False
    say("the guest never greeted on its listener")
    return False


def udp_to_guest(port, end):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    while time.time() < end:
        s.sendto(b"hello from the host", ("127.0.0.1", port))
        try:
            data = s.recvfrom(2048)[0]
        except OSError:
            continue
        say("udp: the guest answered %r" % data.decode("ascii", "replace"))
        return data == b"pong hello from the host"
    say("udp: no answer from the guest")
    return False


def main():
    ctrl, udp_fwd, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    end = time.time() + seconds
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(1)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 0))
    servers = [threading.Thread(target=tcp_echo_server, args=(tcp, end), daemon=True),
               threading.Thread(target=udp_echo_server, args=(udp, end), daemon=True),
               threading.Thread(target=dns_server, args=(dns, end), daemon=True)]
    for t in servers:
        t.start()
    ok = control(ctrl, tcp.getsockname()[1], udp.getsockname()[1], dns.getsockname()[1], end)
    ok = udp_to_guest(udp_fwd, end) and ok
    # The servers end when the guest is done with them (or at the deadline).
    servers[0].join(max(0.1, end - time.time()))
    say("done")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
