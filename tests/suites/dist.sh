#!/usr/bin/env bash
# Distributed Erlang without epmd (issue 13 item 5; docs/networking.md,
# "Distributed Erlang"): a freebeam image's node and real Erlang nodes on
# this machine (the host's erl), over eth0 and QEMU's user network, every
# node on one fixed port (-erl_epmd_port):
#   - the image (tests/dist/fb_dist_image.erl) dials the host's node: ping,
#     rpc:call, the host's global name seen and used;
#   - the host's node (tests/dist/fb_dist_host.erl) sees the image connect,
#     rpc:calls it, sees its global name, disconnects and dials the image
#     itself (ping, rpc:call again);
#   - `erl -remsh` from the host into the image, driven on a pty
#     (tests/lib/remsh.py): expressions evaluated in the image, shell
#     variables kept, the local node leaves with Ctrl-G q;
#   - a host node with another cookie gets pang;
#   - monitor_node/2 on the host sees nodedown when the image is asked to
#     halt and powers off.
# Ends with `N passed, N failed`.  DIST_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
command -v erl >/dev/null && command -v erlc >/dev/null || give_up "the host's erl and erlc (make setup)"
make --no-print-directory -s $B/kernel/kernel.elf $B/erts/beam.smp $B/pds/drivers/net.elf \
  $B/pds/drivers/rng.elf >/dev/null || give_up "make the kernel, erts and the drivers"
work=$(mktemp -d $B/dist-test.XXXXXX)
pids=()
cleanup() {
  local p; for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
t=${DIST_TIMEOUT:-90}

# The image's side as an OTP application (fb_dist), the host's side in its own ebin.
mkdir -p "$work/fb_dist/ebin" "$work/host"
erlc -o "$work/fb_dist/ebin" tests/dist/fb_dist_image.erl && erlc -o "$work/host" tests/dist/fb_dist_host.erl ||
  give_up "compile tests/dist"
cat >"$work/fb_dist/ebin/fb_dist.app" <<'APP'
{application, fb_dist, [{description, "tests/suites/dist.sh: the image's side"}, {vsn, "1"},
                        {modules, [fb_dist_image]}, {registered, []}, {applications, [kernel, stdlib]}]}.
APP

# One port for every node (the kernel picks one free on 127.0.0.1 and on
# 127.0.0.2): the host's node listens on 127.0.0.1:PORT, which the guest
# reaches as 10.0.2.2:PORT; QEMU forwards 127.0.0.2:PORT to the image's PORT.
port=$(python3 -c 'import socket
while True:
    a = socket.socket(); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.2", p)); break
    except OSError:
        pass
print(p)')
cookie=fbdist$RANDOM$RANDOM
image=freebeam@127.0.0.2 hostnode=host@10.0.2.2

# The image's release is made once (its root archive is the slow part),
# with placeholders in its description: dist_image OUT NAME PEER ROLE IPV4
# TICK fills them in and builds $work/OUT.img, an image of fb_dist with eth0
# and entropy whose node NAME runs fb_dist_image:main() against PEER, with
# net_ticktime TICK (s).
args=() a=""
for a in -name @NAME@ -setcookie "$cookie" -erl_epmd_port "$port" -fb_dist_peer @PEER@ -fb_dist_role @ROLE@ \
         -kernel net_ticktime @TICK@ -eval 'fb_dist_image:main().'; do args+=(--arg "$a"); done
tools/freebeam image --app "$work/fb_dist" --system beam/rng.config --system beam/net.config --search $B/pds/drivers \
  --env FREEBEAM_IPV4=@IPV4@ "${args[@]}" --workdir "$work/rel" -o "$work/rel.img" >/dev/null ||
  give_up "build the image's release"
dist_image() {
  sed "s|@NAME@|$2|; s|@PEER@|$3|; s|@ROLE@|$4|; s|@IPV4@|$5|; s|@TICK@|$6|" "$work/rel/system.config" >"$work/$1.config" &&
    tools/freebeam image "$work/$1.config" -o "$work/$1.img" --kernel $B/kernel/kernel.elf \
      --search $B/erts --search $B/pds/drivers --search "$work/rel" >/dev/null
}
# host_erl ARG...: a node of the host's erl on the fixed port, bounded in time.
host_erl() {
  timeout "$t" erl -noshell -pa "$work/host" -name "$hostnode" -setcookie "$cookie" -start_epmd false \
    -erl_epmd_port "$port" -kernel inet_dist_use_interface '{127,0,0,1}' "$@"
}

# ---- a host node and an image node ----
dist_image dist "$image" "$hostnode" follower dhcp 60 || give_up "build the image"
tools/freebeam run "$work/dist.img" --timeout "$t" --hostfwd "tcp:127.0.0.2:$port-:$port" \
  </dev/null >"$work/image.log" 2>&1 &
qemu=$!; pids+=("$qemu")

host_erl -s fb_dist_host main connect "$image" 60 >"$work/connect.log" 2>&1
crc=$?
log=$work/image.log host=$work/connect.log
check "image -> host: the image's node pinged the host's node" eval \
  'grep -aq "^dist: $image reached $hostnode: pong" "$log"'
check "image -> host: rpc:call ran on the host" eval \
  'grep -aq "^dist: rpc:call on $hostnode: its system_architecture is \"[^\"]*linux-gnu[^\"]*\"" "$log"'
check "image -> host: the host's global name is seen in the image and used" eval \
  'grep -aq "^dist: global name {fb_dist,'"'$hostnode'"'} is <[0-9.]*> on $hostnode" "$log" &&
   grep -q "^host: the image found the host'"'"'s global name and sent to it" "$host"'
check "host: the image connected (nodeup)" eval 'grep -q "^host: the image connected to the host" "$host"'
check "host -> image: rpc:call ran in the image (twice: before and after the host dialed)" eval \
  '[ "$(grep -c "^host: rpc:call on $image: system_architecture \"arm-unknown-linux-musleabihf\", lists:sum(1..100) 5050" "$host")" -eq 2 ]'
check "host -> image: the image's global name is seen on the host and answers (twice)" eval \
  '[ "$(grep -c "^host: global name {fb_dist,'"'$image'"'} is <[0-9.]*> on '"'$image'"', which answered from '"'$image'"'" "$host")" -eq 2 ]'
check "host -> image: after disconnect_node, the host dialed the image (ping)" eval \
  'grep -q "^host: erlang:disconnect_node/1: the image is down" "$host" && grep -q "^host: $hostnode reached $image: pong" "$host"'
check "host: the node's checks passed (exit $crc)" eval '[ $crc -eq 0 ]'

# ---- erl -remsh from the host into the image ----
timeout "$t" python3 tests/lib/remsh.py 60 'X = 6 * 7.' '{node(), erlang:system_info(system_architecture), X + 1}.' -- \
  -name "remsh@127.0.0.1" -setcookie "$cookie" -start_epmd false -erl_epmd_port "$port" -dist_listen false \
  -remsh "$image" >"$work/remsh.log" 2>&1
rrc=$?
check "remsh: the image's shell prompt" eval 'grep -q "^remsh: prompt ($image)1>" "$work/remsh.log"'
check "remsh: expressions run in the image and keep the shell's variables" eval \
  'grep -q "^remsh: X = 6 \* 7. => 42$" "$work/remsh.log" &&
   grep -q "^remsh: {node(), erlang:system_info(system_architecture), X + 1}. => {'"'$image'"',\"arm-unknown-linux-musleabihf\",43}$" "$work/remsh.log"'
check "remsh: Ctrl-G q leaves, the local node exits 0 (exit $rrc)" eval \
  '[ $rrc -eq 0 ] && grep -q "^remsh: erl exited with 0" "$work/remsh.log"'

# ---- a node with another cookie is refused ----
out=$(timeout "$t" erl -noshell -name intruder@127.0.0.1 -setcookie "not$cookie" -start_epmd false \
        -erl_epmd_port "$port" -dist_listen false -eval "io:format(\"~p~n\", [net_adm:ping('$image')]), halt()." 2>&1)
check "a node with another cookie is refused (ping: $out), and the image says why" eval \
  '[ "$out" = pang ] && grep -aq "Connection attempt from node '"'intruder@127.0.0.1'"' rejected. Invalid challenge reply." "$work/image.log"'

# ---- monitor_node sees the image power off ----
host_erl -s fb_dist_host main halt "$image" 30 >"$work/halt.log" 2>&1
hrc=$?
wait "$qemu"; rc=$?
check "monitor_node: nodedown when the image halts (exit $hrc)" eval \
  '[ $hrc -eq 0 ] && grep -q "^host: monitor_node: nodedown from $image [0-9]* ms after it was asked to halt" "$work/halt.log"'
check "the image powered off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
if [ "$fail" -gt 0 ]; then
  for f in image connect remsh halt; do echo "  --- $f"; show <"$work/$f.log"; done
fi

# ---- two images on one wire (a QEMU socket netdev): a cluster ----
# a listens for the wire's TCP connection, b connects to it; static
# addresses (no DHCP server on this wire), a MAC each.  a leads: when both
# nodes' checks passed it links to processes on b and halts b.  a sees b
# go within ~100 ms (the connection closes as b halts); a net_ticktime of
# 8 s (both nodes) bounds the wait if that close were lost on the wire.
fails_before=$fail
a=a@10.0.3.1 b=b@10.0.3.2
dist_image a "$a" "$b" lead 10.0.3.1/24 8 && dist_image b "$b" "$a" follower 10.0.3.2/24 8 ||
  give_up "build the cluster's images"
wire=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tools/freebeam run "$work/a.img" --timeout "$t" -- -netdev "socket,id=wire,listen=127.0.0.1:$wire" \
  -device virtio-net-device,netdev=wire,mac=52:54:00:00:03:01 </dev/null >"$work/a.log" 2>&1 &
qa=$!; pids+=("$qa")
# b connects once a's QEMU listens (seen in /proc/net/tcp: a probe
# connection would be taken for the wire's other end).
python3 -c 'import sys, time
want = ":%04X" % int(sys.argv[1])
end = time.time() + 30
while time.time() < end:
    if any(l.split()[1].endswith(want) and l.split()[3] == "0A" for l in open("/proc/net/tcp").readlines()[1:]):
        sys.exit(0)
    time.sleep(0.1)
sys.exit(1)' "$wire" || bad "cluster: a's QEMU never listened on 127.0.0.1:$wire"
tools/freebeam run "$work/b.img" --timeout "$t" -- -netdev "socket,id=wire,connect=127.0.0.1:$wire" \
  -device virtio-net-device,netdev=wire,mac=52:54:00:00:03:02 </dev/null >"$work/b.log" 2>&1 &
qb=$!; pids+=("$qb")
wait "$qa"; rca=$?
wait "$qb"; rcb=$?
for n in a b; do
  me=${!n}; [ "$n" = a ] && peer=$b || peer=$a
  log=$work/$n.log
  check "cluster: $me has its static address" eval \
    'grep -aq "^libos: eth0: ${me#*@} netmask 255.255.255.0" "$log"'
  check "cluster: $me pinged $peer, rpc:call ran there, its global name seen" eval \
    'grep -aq "^dist: $me reached $peer: pong" "$log" &&
     grep -aq "^dist: rpc:call on $peer: its system_architecture is \"arm-unknown-linux-musleabihf\"" "$log" &&
     grep -aq "^dist: global name {fb_dist,'"'$peer'"'} is <[0-9.]*> on $peer" "$log"'
done
log=$work/a.log
check "cluster: $b told $a its checks passed (through $a's global name)" eval \
  'grep -aq "^dist: $b says its checks passed" "$log"'
check "cluster: a link from $a to a process on $b fired when that process died" eval \
  'grep -aq "^dist: link: <[0-9.]*> on $b died with {died_on,$b}; the link fired on $a" "$log"'
check "cluster: $b halted: the link to its other process fired with noconnection, and nodedown" eval \
  'grep -aq "^dist: link: <[0-9.]*> on $b is gone with its node: noconnection" "$log" &&
   grep -aq "^dist: monitor_node: nodedown from $b" "$log"'
check "cluster: both images powered off with 0 ($a: $rca, $b: $rcb)" eval \
  '[ $rca -eq 0 ] && [ $rcb -eq 0 ] && grep -aq "^dist: cluster checks passed" "$log"'
if [ "$fail" -gt "$fails_before" ]; then
  for f in a b; do echo "  --- $f"; show <"$work/$f.log"; done
fi
finish
