#!/usr/bin/env python3
"""eth_flood.py - the wire of tests/suites/eth.sh's flood test: the other end
of a QEMU socket netdev (`-netdev socket,udp=127.0.0.1:MINE,localaddr=
127.0.0.1:QEMU`: each Ethernet frame is one UDP datagram), so this script
sees every frame the guest sends and can send it any bytes as a frame.

  eth_flood.py MINE QEMU SECONDS [MAXLEN [COUNT [KIND,...]]]

The guest (tests/posix/ethflood.c) is 10.0.9.2 with eth0's MAC
52:54:00:12:34:56; we play 10.0.9.1 at 02:00:00:00:09:01 and answer its ARP
requests.  We ARP for the guest until it answers, then send FLOOD malformed and oversized frames of many kinds (fixed
random seed), then valid UDP datagrams to 10.0.9.2:7001 ("after flood N"),
then "done"; each must come back as "pong ...".  Prints `flood: ...` lines;
exit 0 if every datagram after the flood was answered.  The optional
arguments narrow a flood down when one breaks something: the longest random
frame (9000 bytes), the number of frames (20000), the kinds sent (0..11, see
malformed()).
"""
import random
import socket
import struct
import sys
import time

GUEST_MAC = bytes.fromhex("525400123456")
MY_MAC = bytes.fromhex("020000000901")
GUEST_IP = socket.inet_aton("10.0.9.2")
MY_IP = socket.inet_aton("10.0.9.1")
FLOOD = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
AFTER = 5


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, ident=1, frag=0, src=MY_IP, dst=GUEST_IP, total=None, ihl=5, ttl=64):
    head = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total if total is not None else 20 + len(payload),
                       ident, frag, ttl, proto, 0, src, dst)
    head = head[:10] + struct.pack("!H", csum(head)) + head[12:]
    return head + payload


def udp(sport, dport, data, good_sum=True):
    pseudo = MY_IP + GUEST_IP + struct.pack("!BBH", 0, 17, 8 + len(data))
    head = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    s = csum(pseudo + head + data) if good_sum else 0x1234
    return head[:6] + struct.pack("!H", s or 0xFFFF) + data


def eth(ethertype, payload, dst=GUEST_MAC):
    return dst + MY_MAC + struct.pack("!H", ethertype) + payload


def malformed(rng, i):
    kinds = [int(k) for k in sys.argv[6].split(",")] if len(sys.argv) > 6 else list(range(12))
    kind = kinds[i % len(kinds)]
    if kind == 0:                       # runts (not empty: QEMU's socket netdev takes an empty datagram
        return rng.randbytes(rng.randrange(1, 14))   # for the end of the connection and stops reading)
    if kind == 1:                       # random bytes of any length, past the MTU too
        return eth(rng.randrange(65536), rng.randbytes(rng.randrange(0, int(sys.argv[4]) if len(sys.argv) > 4 else 9000)))
    if kind == 2:                       # IPv4 header cut short
        return eth(0x0800, ipv4(17, b"")[:rng.randrange(0, 20)])
    if kind == 3:                       # IPv4 total length that lies
        return eth(0x0800, ipv4(17, udp(5000, 7001, b"x" * 20), total=rng.choice([0, 19, 21, 1500, 65535])))
    if kind == 4:                       # bad IHL
        return eth(0x0800, ipv4(6, rng.randbytes(40), ihl=rng.choice([0, 1, 4, 15])))
    if kind == 5:                       # fragments at random offsets that never complete
        return eth(0x0800, ipv4(17, rng.randbytes(rng.randrange(8, 1400)), ident=rng.randrange(65536),
                                frag=(0x2000 if rng.random() < 0.7 else 0) | rng.randrange(0, 8192)))
    if kind == 6:                       # UDP with a bad checksum, to the open port
        return eth(0x0800, ipv4(17, udp(5000, 7001, b"bad checksum", good_sum=False)))
    if kind == 7:                       # UDP length that lies
        return eth(0x0800, ipv4(17, struct.pack("!HHHH", 5000, 7001, rng.choice([0, 7, 9000]), 0) + b"zz"))
    if kind == 8:                       # TCP segments with random flags and options to a closed port
        return eth(0x0800, ipv4(6, struct.pack("!HHIIBBHHH", 4000, 7000, rng.randrange(2**32), 0,
                                                rng.randrange(256), rng.randrange(256), 1024, 0, 0) +
                                rng.randbytes(rng.randrange(0, 40))))
    if kind == 9:                       # ARP garbage, and replies nobody asked for
        return eth(0x0806, rng.randbytes(rng.randrange(0, 60)), dst=b"\xff" * 6)
    if kind == 10:                      # ICMP of random types
        return eth(0x0800, ipv4(1, bytes([rng.randrange(256), rng.randrange(256)]) + rng.randbytes(30)))
    return eth(0x0800, ipv4(rng.randrange(256), rng.randbytes(rng.randrange(0, 100)), src=rng.randbytes(4)))


def main():
    mine, qemu, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    end = time.time() + seconds
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", mine))
    to = ("127.0.0.1", qemu)

    def handle(frame):
        """Answer ARP for 10.0.9.1; return the payload of a UDP datagram to us, or None."""
        if len(frame) >= 42 and frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x01" and frame[38:42] == MY_IP:
            reply = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + MY_MAC + MY_IP + frame[22:28] + frame[28:32]
            s.sendto(eth(0x0806, reply, dst=frame[6:12]), to)
        elif len(frame) >= 42 and frame[12:14] == b"\x08\x00" and frame[23] == 17 and frame[30:34] == MY_IP:
            ihl = (frame[14] & 15) * 4
            return frame[14 + ihl + 8:]
        return None

    # Is the guest there?  Ask for its MAC until it answers (eth0 is up then).
    who_has = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + MY_MAC + MY_IP + b"\0" * 6 + GUEST_IP
    seen = False
    while time.time() < end and not seen:
        s.sendto(eth(0x0806, who_has, dst=b"\xff" * 6), to)
        s.settimeout(0.5)
        try:
            frame = s.recvfrom(65536)[0]
            seen = len(frame) >= 42 and frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x02" and \
                frame[28:32] == GUEST_IP
        except socket.timeout:
            pass
    if not seen:
        print("flood: the guest never answered ARP")
        sys.exit(1)
    print("flood: the guest answered ARP", flush=True)
    rng = random.Random(13)
    for i in range(FLOOD):
        s.sendto(malformed(rng, i), to)
        if i % 500 == 0:
            time.sleep(0.01)            # a burst, not one burst of everything: QEMU drops what its queue cannot hold
    print("flood: sent %d malformed frames" % FLOOD, flush=True)
    answered = 0
    for n in list(range(AFTER)) + ["done"]:
        data = b"done" if n == "done" else b"after flood %d" % n
        got = None
        tries = 0
        while got is None and time.time() < end and tries < (20 if len(sys.argv) < 7 else 4):
            s.sendto(eth(0x0800, ipv4(17, udp(5000, 7001, data), ident=1000 + tries)), to)
            tries += 1
            t_end = time.time() + 0.5
            while time.time() < t_end and got is None:
                s.settimeout(max(0.01, t_end - time.time()))
                try:
                    frame = s.recvfrom(65536)[0]
                except socket.timeout:
                    break
                r = handle(frame)
                if r == b"pong " + data:   # a late answer to an earlier datagram is not this one's
                    got = r
        if got == b"pong " + data:
            answered += 1
        else:
            print("flood: no answer to %r (got %r)" % (data, got))
    print("flood: %d of %d datagrams after the flood answered" % (answered, AFTER + 1))
    sys.exit(0 if answered == AFTER + 1 else 1)


if __name__ == "__main__":
    main()
