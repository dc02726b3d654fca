#!/usr/bin/env bash
# run.sh - the channels benchmark (README.md here): Erlang <-> native PD
# channels on freebeam, and the same round trip through an Erlang port on
# the Linux+BEAM peer in the same QEMU.  Both boots are deterministic
# (tools/freebeam run --det; the peer's det mode), so the figures are the
# same on every run.  Prints one line per figure, NAME=VALUE:
#   erlang_native_rtt_insns msgs_per_s_64b msgs_per_s_1k
#   fault_to_restarted_insns erlang_port_rtt_linux_insns
# then `note` lines (the idle checks, the round trip without the relay
# process) and the goal line (freebeam's round trip at most half of Linux's port
# round trip).  The consoles go to build/bench/channels/logs/; exits non-zero
# if a boot failed or a figure is missing.
# env: TIMEOUT=300 (s per boot), BVL_PEER (the peer baseline, peer.sh)
set -u
cd "$(dirname "$0")/../.."
CHB=build/bench/channels
L=$CHB/logs
PEER=bench/beam-vs-linux/peer.sh
mkdir -p "$L"
T=${TIMEOUT:-300}
make --no-print-directory build/images/channels.img "$CHB/linux/chport.beam" "$CHB/linux/portecho" >&2 ||
  { echo "run.sh: cannot build the image or the Linux side's programs" >&2; exit 1; }
{ $PEER prepare && $PEER derive channels bench/channels/peer-init.sh \
    "$CHB/linux/chport.beam:/bench/" "$CHB/linux/portecho:/bench/portecho"; } ||
  { echo "run.sh: cannot prepare the Linux side" >&2; exit 1; }

tools/freebeam run --det build/images/channels.img --timeout "$T" </dev/null 2>&1 | tr -d '\r' >"$L/freebeam.log" &
TIMEOUT=$T $PEER boot channels 512 2>&1 | tr -d '\r' >"$L/linux.log" &
wait

status=0
fig() {  # fig LOG NAME: print NAME=N from LOG, or complain
  local v; v=$(grep -m1 -oE "^$2=[0-9]+" "$L/$1.log" | cut -d= -f2)
  if [ -n "$v" ]; then echo "$2=$v"; else echo "run.sh: no $2 in $L/$1.log" >&2; status=1; fi
}
fig freebeam erlang_native_rtt_insns
fig freebeam msgs_per_s_64b
fig freebeam msgs_per_s_1k
fig freebeam fault_to_restarted_insns
fig linux erlang_port_rtt_linux_insns
grep -h '^idle_check' "$L/freebeam.log" "$L/linux.log" | sed 's/^/note /'
grep -h '^note ' "$L/freebeam.log"
fb=$(grep -m1 -oE '^erlang_native_rtt_insns=[0-9]+' "$L/freebeam.log" | cut -d= -f2)
lx=$(grep -m1 -oE '^erlang_port_rtt_linux_insns=[0-9]+' "$L/linux.log" | cut -d= -f2)
if [ -n "$fb" ] && [ -n "$lx" ]; then
  awk -v f="$fb" -v l="$lx" 'BEGIN { r = f / l
    printf "goal native_rtt/port_rtt=%.3f (at most 0.5): %s\n", r, (r <= 0.5 ? "met" : "NOT met") }'
fi
exit $status
