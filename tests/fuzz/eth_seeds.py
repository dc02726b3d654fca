#!/usr/bin/env python3
"""eth_seeds.py DIR - seed inputs of tests/fuzz/fuzz_eth_frames.c: runs of
messages (cookie byte, two length bytes, bytes) as the net driver would put
them on the queue, each a valid frame for eth0 (10.0.2.15 at
52:54:00:12:34:56) from 10.0.2.2 at 52:55:0a:00:02:02: an ARP request, a
UDP datagram to port 7001, a TCP SYN to port 7000 then data, a ping, and
the two halves of a fragmented datagram."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from eth_flood import csum  # noqa: E402  (the Internet checksum, one copy)

ETH0 = bytes.fromhex("525400123456")
GW = bytes.fromhex("52550a000202")
ME = bytes([10, 0, 2, 15])
PEER = bytes([10, 0, 2, 2])


def ip(proto, payload, frag=0, ident=7):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, PEER, ME)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def l4(proto, head, data):
    pseudo = PEER + ME + struct.pack("!BBH", 0, proto, len(head) + len(data))
    s = csum(pseudo + head + data)
    at = 6 if proto == 17 else 16
    return head[:at] + struct.pack("!H", s) + head[at + 2:] + data


def frame(etype, payload, dst=ETH0):
    return dst + GW + struct.pack("!H", etype) + payload


def msg(f):
    return bytes([0]) + struct.pack("!H", len(f)) + f


arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + GW + PEER + b"\0" * 6 + ME
udp = l4(17, struct.pack("!HHHH", 5000, 7001, 8 + 5, 0), b"hello")
syn = l4(6, struct.pack("!HHIIBBHHH", 4000, 7000, 1000, 0, 0x50, 0x02, 8192, 0, 0), b"")
data = l4(6, struct.pack("!HHIIBBHHH", 4000, 7000, 1001, 1, 0x50, 0x18, 8192, 0, 0), b"data")
ping = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"abcdefgh"
ping = ping[:2] + struct.pack("!H", csum(ping)) + ping[4:]
big = l4(17, struct.pack("!HHHH", 5000, 7001, 8 + 40, 0), b"x" * 40)
seeds = {
    "arp-request": msg(frame(0x0806, arp, dst=b"\xff" * 6)),
    "udp-7001": msg(frame(0x0806, arp, dst=b"\xff" * 6)) + msg(frame(0x0800, ip(17, udp))),
    "tcp-syn-data": msg(frame(0x0800, ip(6, syn))) + msg(frame(0x0800, ip(6, data))),
    "ping": msg(frame(0x0800, ip(1, ping))),
    "fragments": msg(frame(0x0800, ip(17, big[:24], frag=0x2000))) + msg(frame(0x0800, ip(17, big[24:], frag=3))),
}
os.makedirs(sys.argv[1], exist_ok=True)
for name, blob in seeds.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(blob)
