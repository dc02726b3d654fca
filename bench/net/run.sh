#!/usr/bin/env bash
# run.sh - issue 13's network figures (README.md here): guest instructions
# per unit of network work, on freebeam (build/images/netb.img) and on the
# Linux+BEAM peer of bench/beam-vs-linux (same QEMU, a virtio-net device on
# QEMU's user network), both under the deterministic flags but for
# -icount sleep=on (README.md, "Idle time").  The host's
# node (netb_host.erl) drives each guest through port forwards and prints
# the guest's counts; this script prints
#   tcp_echo_insns_per_kb freebeam=F linux=L linux/freebeam=R
#   http_insns_per_request freebeam=F linux=L linux/freebeam=R
#   dist_rpc_insns freebeam=F linux=L linux/freebeam=R
# and `note` lines with the raw windows.  Consoles and the host's output go
# to build/bench/net/logs/.  Exits non-zero if a side failed.
# env: TIMEOUT=300 (s per boot), HTTP_N=40, RPC_N=1600, BVL_PEER (peer.sh),
#      SIDES="freebeam linux" (the sides to boot; the others' figures are
#      taken from their last logs), PHASES=tcp,http,dist (the workloads),
#      NETB_IMG (another freebeam image of the same system, e.g. one with
#      the profiling kernel: README.md, "Profile"), NETB_SLEEP=off (keep
#      the det flags' -icount sleep=off)
set -u
cd "$(dirname "$0")/../.."
N=build/bench/net
L=$N/logs
PEER=bench/beam-vs-linux/peer.sh
W=build/bench-peer
T=${TIMEOUT:-300}
HTTP_N=${HTTP_N:-40} RPC_N=${RPC_N:-1600} SIDES=${SIDES:-freebeam linux}
PHASES=${PHASES:-tcp,http,dist}
# QEMU's -icount with sleep=on (README.md, "Idle time") overrides the det
# flags' sleep=off unless NETB_SLEEP=off.
ICOUNT=""; [ "${NETB_SLEEP:-on}" = off ] || ICOUNT="-icount shift=0,sleep=on"
fail() { echo "run.sh: $*" >&2; exit 1; }
mkdir -p "$L" || fail "cannot make $L"
command -v erl >/dev/null || fail "no erl on the host"

# ---- freebeam's image and the host's module ----
IMG=${NETB_IMG:-build/images/netb.img}
img=""; [[ " $SIDES " = *" freebeam "* ]] && [ -z "${NETB_IMG:-}" ] && img=$IMG
make --no-print-directory $img "$N/host/netb_host.beam" "$N/netb/ebin/netb.app" >&2 || fail "cannot build the image"

# ---- the Linux side: the peer's initramfs plus the NIC's modules, inets and netb ----
# erlang-inets is kept out of $W/debs: the peer's build_initramfs.sh puts
# every deb there into every initramfs of the peer.
$PEER prepare >&2 || fail "cannot prepare the peer"
mkdir -p "$W/net-debs"
ls "$W"/net-debs/erlang-inets_*_armhf.deb >/dev/null 2>&1 ||
  (cd "$W/net-debs" && apt-get download erlang-inets:armhf >&2) || fail "cannot fetch erlang-inets:armhf"
X=$N/linux
if [ ! -d "$X/mods" ] || [ -n "$(find "$W"/net-debs/erlang-inets_*_armhf.deb "$W"/debs/linux-image-*.deb -newer "$X/mods")" ]; then
  rm -rf "$X" && mkdir -p "$X/deb" "$X/mods"
  dpkg -x "$W"/net-debs/erlang-inets_*_armhf.deb "$X/deb" || fail "cannot unpack erlang-inets"
  dpkg -x "$W"/debs/linux-image-*-armmp_*_armhf.deb "$X/deb" || fail "cannot unpack the kernel"
  for m in drivers/virtio/virtio_mmio net/core/failover drivers/net/net_failover drivers/net/virtio_net; do
    cp "$X"/deb/lib/modules/*/kernel/$m.ko "$X/mods/" || fail "no $m.ko in the kernel's deb"
  done
fi
inets=$(ls -d "$X"/deb/usr/lib/erlang/lib/inets-*) || fail "no inets in erlang-inets"
$PEER derive net bench/net/peer-init.sh "$X/mods/.:/lib/modules/" "$inets:/usr/lib/erlang/lib/" \
  "$N/netb:/bench/" >&2 || fail "cannot derive the peer's initramfs"

# ---- one side: boot it with three forwards, drive it from the host's node ----
free_ports() {  # two free TCP ports on 127.0.0.1 and one on 127.0.0.2
  python3 -c 'import socket
ss = []
for a in ["127.0.0.1"] * 2 + ["127.0.0.2"]:
    s = socket.socket(); s.bind((a, 0)); ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss))'
}
side() {  # side NAME: $L/NAME.log (console), $L/NAME.host (the host's node)
  local name=$1 echo http dist fwd guest rc
  read -r echo http dist < <(free_ports)
  fwd="hostfwd=tcp:127.0.0.1:$echo-:7000,hostfwd=tcp:127.0.0.1:$http-:8080,hostfwd=tcp:127.0.0.2:$dist-:4370"
  if [ "$name" = freebeam ]; then
    tools/freebeam run --det "$IMG" --timeout "$T" --hostfwd "tcp:$echo-:7000" \
      --hostfwd "tcp:$http-:8080" --hostfwd "tcp:127.0.0.2:$dist-:4370" -- $ICOUNT </dev/null >"$L/$name.log" 2>&1 &
  else
    PEER_QEMU_ARGS="-netdev user,id=n0,$fwd -device virtio-net-device,netdev=n0 $ICOUNT" TIMEOUT=$T \
      $PEER boot net 512 </dev/null >"$L/$name.log" 2>&1 &
  fi
  guest=$!
  timeout "$T" erl -noshell -name "netbhost$$@127.0.0.1" -setcookie netbench -start_epmd false \
    -erl_epmd_port "$dist" -dist_listen false -kernel net_ticktime 3600 -pa "$N/host" \
    -run netb_host main netb@127.0.0.2 "$echo" "$http" "$HTTP_N" "$RPC_N" "$T" "$PHASES" \
    >"$L/$name.host" 2>&1
  rc=$?
  wait "$guest"
  tr -d '\r' <"$L/$name.log" >"$L/$name.log.tmp" && mv "$L/$name.log.tmp" "$L/$name.log"
  [ $rc -eq 0 ] || echo "run.sh: the $name side failed (host exit $rc; $L/$name.host, $L/$name.log)" >&2
  return $rc
}
status=0
for s in $SIDES; do side "$s" || status=1; done

fig() { grep -m1 "^NETB $2 " "$L/$1.host" | awk '{print $3}'; }
for f in tcp_echo_insns_per_kb http_insns_per_request dist_rpc_insns; do
  awk -v n="$f" -v f="$(fig freebeam $f)" -v l="$(fig linux $f)" 'BEGIN {
    printf "%s freebeam=%s linux=%s linux/freebeam=%s\n", n, f, l, (f > 0 && l != "" ? sprintf("%.2f", l / f) : "NA") }'
done
for s in freebeam linux; do sed -n "s/^NETBW /note $s /p" "$L/$s.host"; done
exit $status
