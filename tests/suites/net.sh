#!/usr/bin/env bash
# The virtio-net driver PD (drivers/net) booted in QEMU with
# build/images/netping.img (systems/netping.config, systems/netping): its
# client asks for the MAC, sends three messages the driver must refuse,
# ARPs and pings QEMU's user-network gateway 10.0.2.2, and answers a UDP
# datagram that this script sends from the host through
# `--hostfwd udp:PORT-:5555`:
#   - legacy transport, after the entropy device (virtio-mmio slot 30);
#   - modern transport (-global virtio-mmio.force-legacy=false), the only
#     device (--no-rng: slot 31);
#   - no network device: the driver says so once and idles, the client
#     gets no answer and powers off with 3.
# Ends with `N passed, N failed`.  NET_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=$B/images/netping.img
make --no-print-directory -s "$img" >/dev/null || { bad "make $img"; finish; }
work=$(mktemp -d $B/net-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
t=${NET_TIMEOUT:-120}

# A free UDP port on the host's loopback (the kernel picks it).
free_port() { python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The host's UDP peer: sends a datagram to 127.0.0.1:$1 every 0.5 s until an
# answer comes (prints it) or $2 seconds pass.
udp_peer() {
  python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, end = int(sys.argv[1]), time.time() + float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
while time.time() < end:
    s.sendto(b"hello from the host", ("127.0.0.1", port))
    try:
        print("host: got %r" % s.recvfrom(200)[0].decode("ascii", "replace"))
        sys.exit(0)
    except socket.timeout:
        pass
print("host: no answer")
sys.exit(1)
PY
}

# run_net MODE SLOT TRANSPORT [run options...]: boot with a network and a UDP peer.
# (MODE, not NAME: checks.sh's check() has a local `name`, which would hide
# ours inside the eval'd conditions.)
run_net() {
  local mode=$1 slot=$2 transport=$3; shift 3
  local port; port=$(free_port)
  udp_peer "$port" "$t" >"$work/$mode.host" 2>&1 &
  local peer=$!
  tools/freebeam run "$img" --timeout "$t" --hostfwd "udp:$port-:5555" "$@" >"$work/$mode.log" 2>&1
  local rc=$?
  # The peer has its answer by the time the guest powers off; give it 5 s.
  local i; for i in $(seq 50); do kill -0 "$peer" 2>/dev/null || break; sleep 0.1; done
  kill "$peer" 2>/dev/null; wait "$peer"; local prc=$?
  local log=$work/$mode.log
  check "$mode: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
  check "$mode: the driver found the device" eval \
    'grep -aq "^net: virtio-net ($transport) in slot $slot, irq $((48 + slot)), mac 52:54:00:12:34:56" "$log"'
  check "$mode: the client got the MAC from the driver" eval \
    'grep -aq "^netping: mac 52:54:00:12:34:56 ($transport transport, slot $slot)" "$log"'
  check "$mode: ARP reply from the gateway" eval 'grep -aq "^netping: arp: 10.0.2.2 is at 52:55:0a:00:02:02" "$log"'
  check "$mode: ICMP echo reply from the gateway" eval \
    'grep -aq "^netping: ping 10.0.2.2: echo reply seq [0-9]*, 56 bytes" "$log"'
  check "$mode: the guest answered the host's UDP datagram" eval \
    'grep -aq "^netping: udp: from 10.0.2.2:[0-9]* \"hello from the host\", answered" "$log"'
  check "$mode: the host got the answer (exit $prc)" eval \
    '[ $prc -eq 0 ] && grep -q "^host: got '"'"'pong hello from the host'"'"'" "$work/$mode.host"'
  check "$mode: the driver refused the 3 bad messages and counted its frames" eval \
    'grep -aEq "^netping: driver: rx [3-9][0-9]* frames, 0 dropped, 0 bad; tx ([3-9][0-9]*) frames, \\1 sent, 3 refused" "$log"'
  if [ "$fail" -gt 0 ]; then sed 's/^/     /' "$log" "$work/$mode.host"; fi
}

run_net legacy 30 legacy
run_net modern 31 modern --no-rng -- -global virtio-mmio.force-legacy=false

# ---- without a network device ----
tools/freebeam run "$img" --timeout "$t" >"$work/none.log" 2>&1
rc=$?
check "no device: the client powers off with 3, no answer (exit $rc)" eval '[ $rc -eq 3 ]'
check "no device: the driver says so once" eval '[ "$(grep -ac "^net: no virtio-net device" "$work/none.log")" -eq 1 ]'
check "no device: the client says the driver did not answer" eval \
  'grep -aq "^netping: no answer from the net driver, status 3" "$work/none.log"'

# ---- run's option checks ----
out=$(tools/freebeam run "$img" --hostfwd tcp:80 2>&1); rc=$?
check "run --hostfwd with a malformed rule: exit 2 with a message" eval \
  '[ $rc -eq 2 ] && printf "%s" "$out" | grep -q "not PROTO:\[HOSTADDR:\]HOSTPORT-\[GUESTADDR\]:GUESTPORT"'
finish
