#!/usr/bin/env bash
# eth0: libos's Ethernet interface (libos/net_eth.c, libos/net_if.c) over
# the virtio-net driver PD, on QEMU's user network, with real peers on this
# machine's loopback (tests/lib/eth_peer.py; docs/networking.md):
#   - posix: build/images/posix-eth.img (tests/posix/eth.c), a C program:
#     DHCP's lease, a 1 MiB echo through its listener from the host
#     (--hostfwd), a 1 MiB echo through the host's TCP server (the guest
#     dials 10.0.2.2), UDP both ways, getifaddrs and SIOCGIF*;
#   - the same image with a static address (FREEBEAM_IPV4 is read from the
#     description: a variant of the image built here);
#   - a malformed FREEBEAM_IPV4: one console line, then DHCP;
#   - the BEAM (erlang/test/eth/fb_eth_tests.erl through test-image with
#     beam/net.config): the same exchanges with gen_tcp and gen_udp, and
#     names through [file, dns] (/etc/hosts, inet_res against the host's
#     small DNS server);
#   - the BEAM across a restart of the net driver PD by an Erlang
#     supervisor (erlang/test/eth/fb_eth_restart_tests.erl, the driver
#     crashed on purpose mid-stream; tests/lib/eth_restart_peer.py): the
#     open connection ends with an error, a new one works;
#   - a flood of 20000 malformed and oversized frames through a QEMU socket
#     netdev (tests/lib/eth_flood.py plays the wire), after which a C
#     program still answers every datagram;
#   - a connection the guest shut for writing (tests/posix/ethhalf.c,
#     tests/lib/eth_half_peer.py): its TIME-WAIT ended by lwIP for a new
#     connection from the same port while the old socket is open; the old
#     socket then reads, polls and closes, the new one talks;
#   - the BEAM with beam/net.config and no device: boots as without it
#     (erlang/test/fb_net_tests.erl on loopback passes);
#   - without a network device: the program says eth0 never got an address
#     and powers off with 1 (nothing hangs).
# Ends with `N passed, N failed`.  ETH_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=$B/images/posix-eth.img
make --no-print-directory -s "$img" >/dev/null || { bad "make $img"; finish; }
work=$(mktemp -d $B/eth-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
t=${ETH_TIMEOUT:-120}

# A free port on the host's loopback (the kernel picks it): free_port tcp|udp.
free_port() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

# variant NAME ELF IPV4: $work/NAME.img, systems/posix-eth.config's system
# with the program ELF and FREEBEAM_IPV4=IPV4 in its description.
variant() {
  sed "s|{elf, \"eth.elf\"}|{elf, \"$2\"}|; s|{rights, \\[poweroff\\]}\\]}.|{rights, [poweroff]}, {env, [\"FREEBEAM_IPV4=$3\"]}]}.|" \
    systems/posix-eth.config >"$work/$1.config"
  tools/freebeam image "$work/$1.config" -o "$work/$1.img" --kernel $B/kernel/kernel.elf \
    --search $B/pds/drivers --search $B/posix >/dev/null
}

# clean_end MODE LAST: the last check of a variant's run: its guest
# ($work/MODE.log) printed the line LAST (an extended regex) and powered off
# with 0 ($rc), with no lwIP assertion and no fault.  If any check failed,
# the guest's and the host's ($work/MODE.host) output follow.
clean_end() {
  local log_=$work/$1.log last_=$2
  check "$1: the guest powers off with 0, no lwIP assertion, no fault (exit $rc)" eval \
    '[ $rc -eq 0 ] && grep -aqE "$last_" "$log_" && ! grep -aqE "lwIP assertion|^fault:|broke" "$log_"'
  if [ "$fail" -gt 0 ]; then sed 's/^/     /' "$log_" "$work/$1.host"; fi
}

# with_peer MODE CMD ARGS...: run CMD ARGS... (it boots a guest) with the
# host's peers running and the guest's listeners forwarded: CMD gets
# `--hostfwd tcp:P-$guest:7000 --hostfwd udp:Q-$guest:7001` appended ($guest:
# the guest's address, QEMU's DHCP address if empty).  $work/MODE.log and
# $work/MODE.host, $rc (the guest's) and $prc (the peer's).
guest=""
with_peer() {
  local mode=$1; shift
  local ctrl udp; ctrl=$(free_port tcp); udp=$(free_port udp)
  python3 tests/lib/eth_peer.py "$ctrl" "$udp" "$t" >"$work/$mode.host" 2>&1 &
  local peer=$!
  "$@" --hostfwd "tcp:$ctrl-$guest:7000" --hostfwd "udp:$udp-$guest:7001" </dev/null >"$work/$mode.log" 2>&1
  rc=$?
  local i; for i in $(seq 50); do kill -0 "$peer" 2>/dev/null || break; sleep 0.1; done
  kill "$peer" 2>/dev/null; wait "$peer"; prc=$?
}

# What the host's peers saw, for any guest (C or Erlang).
host_checks() {
  local mode=$1 host=$work/$1.host
  check "$mode: the host's 1 MiB came back whole through the guest's listener" eval \
    'grep -q "^host: the guest echoed all 1048576 bytes" "$host"'
  check "$mode: the host's TCP echo server echoed the guest's 1 MiB" eval \
    'grep -q "^host: tcp echo server: echoed 1048576 bytes" "$host"'
  check "$mode: the host's UDP echo server answered the guest" eval \
    'grep -q "^host: udp echo server: answered '"'"'ping from the guest'"'"' from 127.0.0.1" "$host"'
  check "$mode: UDP host -> guest -> host (peer exit $prc)" eval \
    '[ $prc -eq 0 ] && grep -q "^host: udp: the guest answered '"'"'pong hello from the host'"'"'" "$host"'
}

# The checks of a C run (posix-eth) that every addressing mode shares.
# posix_checks MODE ADDR: ADDR is eth0's address.
posix_checks() {
  local mode=$1 addr=$2 log=$work/$1.log
  check "$mode: the program powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
  check "$mode: 8 checks passed in the guest" eval 'grep -aq "^eth: 8 passed, 0 failed" "$log"'
  check "$mode: getifaddrs (netlink) lists lo and eth0 with their addresses and MAC" eval \
    'grep -aq "^eth: getifaddrs: lo 127.0.0.1/255.0.0.0 up loopback; eth0 $addr/255.255.255.0 up mac 52:54:00:12:34:56" "$log"'
  check "$mode: SIOCGIFADDR and SIOCGIFHWADDR answer for eth0" eval \
    'grep -aq "^eth: ioctl: eth0 $addr mac 52:54:00:12:34:56" "$log"'
  check "$mode: the guest's 1 MiB came back whole from the host's echo server" eval \
    'grep -aq "^eth: sent 1048576 bytes to 10.0.2.2:[0-9]*, 1048576 came back, 1048576 of them right" "$log"'
  check "$mode: the guest got the UDP echo server's answer" eval \
    'grep -aq "^eth: udp: the host answered \"pong ping from the guest\"" "$log"'
  host_checks "$mode"
  if [ "$fail" -gt 0 ]; then sed 's/^/     /' "$log" "$work/$mode.host"; fi
}

# ---- DHCP (the default) ----
with_peer dhcp tools/freebeam run "$img" --timeout "$t"
check "dhcp: eth0 got QEMU's lease" eval \
  'grep -aq "^libos: eth0: 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)" "$work/dhcp.log"'
posix_checks dhcp 10.0.2.15

# ---- a static address from the description ----
variant static eth.elf 10.0.2.16/24,10.0.2.2
guest=10.0.2.16 with_peer static tools/freebeam run "$work/static.img" --timeout "$t"
check "static: eth0 has the description's address, no DHCP" eval \
  'grep -aq "^libos: eth0: 10.0.2.16 netmask 255.255.255.0 gateway 10.0.2.2" "$work/static.log" &&
   ! grep -aq "(dhcp)" "$work/static.log"'
posix_checks static 10.0.2.16

# ---- a malformed FREEBEAM_IPV4: said on the console, DHCP instead ----
variant badconf eth.elf 10.0.2.16
with_peer badconf tools/freebeam run "$work/badconf.img" --timeout "$t"
check "bad FREEBEAM_IPV4: one console line, then DHCP's lease, and the program passes (exit $rc)" eval \
  '[ $rc -eq 0 ] && grep -aq "^libos: eth0: FREEBEAM_IPV4 is not dhcp, ADDR/PREFIX or ADDR/PREFIX,GATEWAY; using DHCP" "$work/badconf.log" &&
   grep -aq "^libos: eth0: 10.0.2.15 .* (dhcp)" "$work/badconf.log"'

# ---- the BEAM: gen_tcp and gen_udp on eth0 (erlang/test/eth) ----
with_peer beam tools/freebeam test-image --timeout "$t" --system beam/net.config --search $B/pds/drivers \
  --env ERL_INETRC=/otp/etc/inetrc-net erlang/test/eth/fb_eth_tests.erl
log=$work/beam.log
check "beam: the EUnit tests pass (exit $rc)" eval \
  '[ $rc -eq 0 ] && grep -aq "^8 passed, 0 failed, 0 skipped" "$log"'
check "beam: eth0 got QEMU's lease" eval \
  'grep -aq "^libos: eth0: 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)" "$log"'
check "beam: gen_tcp echoed the host's 1 MiB; the host's echo of ours came back" eval \
  'grep -aq "^eth: echoed 1048576 bytes to the host" "$log" &&
   grep -aq "^eth: sent 1048576 bytes to 10.0.2.2:[0-9]*, 1048576 came back" "$log"'
check "beam: inet:getifaddrs() lists lo and eth0 with their addresses" eval \
  'grep -aq "^eth: inet:getifaddrs(): lo addr {127,0,0,1} netmask {255,0,0,0}" "$log" &&
   grep -aq "^eth: inet:getifaddrs(): eth0 addr {10,0,2,15} netmask {255,255,255,0}" "$log"'
check "beam: names through [file, dns]: the host's DNS server answered inet_res" eval \
  'grep -aq "^eth: names: printer.freebeam.test is 192.0.2.7 through \[file, dns\]" "$log" &&
   grep -q "^host: dns: printer.freebeam.test type 1: 192.0.2.7" "$work/beam.host"'
host_checks beam
if [ "$fail" -gt 0 ]; then sed 's/^/     /' "$log" "$work/beam.host"; fi

# ---- the BEAM across a restart of the net driver by its supervisor ----
# The driver's test argument fault-udp-port=9999: the test's datagram to
# port 9999 crashes it mid-stream; its Erlang supervisor restarts it.
sed 's|^{pd, net, \[{elf, "net.elf"}, |{pd, net, [{elf, "net.elf"}, {args, ["net", "fault-udp-port=9999"]}, |' \
  beam/net.config >"$work/net-fault.config"
if grep -q 'fault-udp-port=9999' "$work/net-fault.config"; then
  rport=$(free_port tcp)
  python3 tests/lib/eth_restart_peer.py "$rport" "$t" >"$work/restart.host" 2>&1 &
  peer=$!
  tools/freebeam test-image --timeout "$t" --system "$work/net-fault.config" --search $B/pds/drivers \
    --env "ETH_RESTART_PORT=$rport" --net erlang/test/eth/fb_eth_restart_tests.erl </dev/null >"$work/restart.log" 2>&1
  rc=$?
  for i in $(seq 50); do kill -0 "$peer" 2>/dev/null || break; sleep 0.1; done
  kill "$peer" 2>/dev/null; wait "$peer"; prc=$?
  log=$work/restart.log
  check "restart: the EUnit test passes, the BEAM runs on (exit $rc)" eval \
    '[ $rc -eq 0 ] && grep -aq "^1 passed, 0 failed, 0 skipped" "$log"'
  check "restart: the driver crashed, was restarted and said HELLO; libos reset eth0's connections" eval \
    'grep -aq "^net: a datagram to port 9999: the crash asked for" "$log" &&
     [ "$(grep -ac "^net: virtio-net (legacy) in slot" "$log")" -eq 2 ] &&
     grep -aq "^libos: eth0: the net driver restarted; its TCP connections are reset, restarts 1" "$log"'
  check "restart: the open connection ended with an error, not a hang" eval \
    'grep -aqE "^eth: restart: the stream ended with \{[0-9]+,\{error,(closed|econnreset)\}\}" "$log" &&
     grep -qE "^host: restart: the stream ended \((reset|eof)\) after [0-9]+ bytes" "$work/restart.host"'
  check "restart: a new connection echoed 256 KiB, UDP answered (peer exit $prc)" eval \
    '[ $prc -eq 0 ] && grep -aq "^eth: restart: a new connection echoed 262144 bytes" "$log" &&
     grep -q "^host: restart: echoed 262144 bytes" "$work/restart.host" &&
     grep -q "^host: udp echo server: answered .ping after the restart." "$work/restart.host"'
  if [ "$fail" -gt 0 ]; then sed 's/^/     /' "$log" "$work/restart.host"; fi
else
  bad "restart: beam/net.config has no net PD line to add the fault argument to"
fi

# ---- a flood of malformed and oversized frames, then valid datagrams ----
# A QEMU socket netdev instead of the user network: tests/lib/eth_flood.py
# is the wire, sends any bytes as frames and sees every frame the guest sends.
if make --no-print-directory -s $B/posix/ethflood.elf >/dev/null; then
  variant flood ethflood.elf 10.0.9.2/24
  mine=$(free_port udp); qemu=$(free_port udp)
  python3 tests/lib/eth_flood.py "$mine" "$qemu" "$t" >"$work/flood.host" 2>&1 &
  peer=$!
  tools/freebeam run "$work/flood.img" --timeout "$t" -- -netdev "socket,id=flood,udp=127.0.0.1:$mine,localaddr=127.0.0.1:$qemu" \
    -device virtio-net-device,netdev=flood </dev/null >"$work/flood.log" 2>&1
  rc=$?
  wait "$peer"; prc=$?
  check "flood: the guest answered ARP, then took 20000 malformed frames" eval \
    'grep -q "^flood: the guest answered ARP" "$work/flood.host" && grep -q "^flood: sent 20000 malformed frames" "$work/flood.host"'
  check "flood: every datagram after it was answered (peer exit $prc)" eval \
    '[ $prc -eq 0 ] && grep -q "^flood: 6 of 6 datagrams after the flood answered" "$work/flood.host"'
  clean_end flood '^ethflood: answered [0-9]* datagrams, the last one "done"'
else
  bad "make $B/posix/ethflood.elf"
fi

# ---- a socket shut for writing, its connection's TIME-WAIT ended by lwIP ----
# tests/posix/ethhalf.c with tests/lib/eth_half_peer.py: the host reconnects
# from the same port while the guest still holds the old, finished socket;
# lwIP frees the old pcb for the new connection (patch 0003), which it may
# only do once the socket let go of it (libos/net_tcp.c); then the guest
# reads, polls and closes the old socket and talks on the new one.
if make --no-print-directory -s $B/posix/ethhalf.elf >/dev/null; then
  variant half ethhalf.elf 10.0.2.15/24,10.0.2.2
  hport=$(free_port tcp)
  python3 tests/lib/eth_half_peer.py "$hport" "$t" >"$work/half.host" 2>&1 &
  peer=$!
  tools/freebeam run "$work/half.img" --timeout "$t" --hostfwd "tcp:$hport-:7000" </dev/null >"$work/half.log" 2>&1
  rc=$?
  for i in $(seq 50); do kill -0 "$peer" 2>/dev/null || break; sleep 0.1; done
  kill "$peer" 2>/dev/null; wait "$peer"; prc=$?
  log=$work/half.log
  check "half: the guest shut for writing, the host closed: TIME-WAIT with the socket open" eval \
    'grep -aq "^ethhalf: the first connection came from port [0-9]*, TIME-WAIT now" "$log" &&
     grep -q "^host: half: round 1 from port [0-9]*: the guest said bye and shut" "$work/half.host"'
  check "half: a new connection from the same port ended that TIME-WAIT, the old socket still open" eval \
    'p=$(sed -n "s/^ethhalf: the first connection came from port \([0-9]*\),.*/\1/p" "$log");
     [ -n "$p" ] && grep -aq "^ethhalf: the second connection came from port $p[^0-9]*$" "$log"'
  check "half: the old socket read, polled and closed after it; the new one talked (peer exit $prc)" eval \
    '[ $prc -eq 0 ] && grep -q "^host: half: round 2 from port [0-9]*: the guest answered .welcome back" "$work/half.host"'
  clean_end half '^ethhalf: [1-9][0-9]* passed, 0 failed'
else
  bad "make $B/posix/ethhalf.elf"
fi

# ---- the BEAM with beam/net.config but no network device: as without it ----
out=$(tools/freebeam test-image --timeout "$t" --system beam/net.config --search $B/pds/drivers \
        erlang/test/fb_net_tests.erl </dev/null 2>&1); rc=$?
check "beam without a device: the driver idles, no eth0, the loopback tests pass (exit $rc)" eval \
  '[ $rc -eq 0 ] && grep -aq "^net: no virtio-net device" <<<"$out" && ! grep -aq "^libos: eth0" <<<"$out" &&
   grep -aqE "^[1-9][0-9]* passed, 0 failed, 0 skipped" <<<"$out"'
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -20 | sed 's/^/     /'

# ---- no network device: no eth0, bounded waits, status 1 ----
tools/freebeam run "$img" --timeout "$t" </dev/null >"$work/none.log" 2>&1
rc=$?
check "no device: the program powers off with 1 (exit $rc)" eval '[ $rc -eq 1 ]'
check "no device: eth0 never had an address, and libos said nothing of it" eval \
  'grep -aq "^eth: FAIL eth0 has an address" "$work/none.log" && ! grep -aq "^libos: eth0" "$work/none.log"'
finish
