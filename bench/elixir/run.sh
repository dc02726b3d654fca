#!/usr/bin/env bash
# run.sh - issue 16's Elixir figures (README.md here): examples/hello_elixir,
# released with `MIX_ENV=prod mix release`, booted on freebeam (`tools/freebeam
# image --release`) and on the Linux+BEAM peer of bench/beam-vs-linux (same
# QEMU, the release in its initramfs), both deterministic.  Prints
#   elixir_first_line_ns freebeam=F linux=L linux/freebeam=R
#   elixir_image_bytes freebeam=F linux=L linux/freebeam=R
# and a goal line for each (freebeam at most 1/5 of Linux's time, at most
# 1/4 of its bytes).  The consoles go to build/bench/elixir/logs/; exits
# non-zero if a boot failed or a figure is missing.
# env: TIMEOUT=300 (s per boot), BVL_PEER (the peer baseline, peer.sh)
set -u
cd "$(dirname "$0")/../.."
E=build/bench/elixir
L=$E/logs
PEER=bench/beam-vs-linux/peer.sh
T=${TIMEOUT:-300}
fail() { echo "run.sh: $*" >&2; exit 1; }
rm -rf "$E/proj" "$E/work" && mkdir -p "$L" || fail "cannot make $E"

# ---- the release, as a user makes it, plus the benchmark's last vm.args line ----
cp -r examples/hello_elixir "$E/proj" && rm -rf "$E/proj/_build" "$E/proj/deps" || fail "cannot copy the example"
(cd "$E/proj" && MIX_ENV=prod MIX_HOME=$PWD/../mix-home HEX_OFFLINE=1 mix release --overwrite >"$PWD/../logs/mix.log" 2>&1) ||
  fail "mix release failed ($L/mix.log)"
rel=$E/proj/_build/prod/rel/hello_elixir
# After the boot script (the example has greeted by then): the guest time
# (CLOCK_MONOTONIC on both, os:perf_counter), then halt.  No spaces: vm.args
# splits on them.
echo '-eval erlang:display({elixir_first_line_ns,os:perf_counter(nanosecond)}),erlang:halt(0)' \
  >>"$rel/releases/0.1.0/vm.args"

# ---- the two sides ----
make --no-print-directory build/kernel/kernel.elf build/erts/beam.smp >&2 || fail "cannot build freebeam"
tools/freebeam image --release "$rel" -o "$E/hello.img" --workdir "$E/work" >"$L/image.log" 2>&1 ||
  fail "image --release failed ($L/image.log)"
{ $PEER prepare && $PEER derive elixir bench/elixir/peer-init.sh "$rel/.:/rel/" \
    build/bench-peer/bvl/cntvct:/bin/cntvct; } >&2 || fail "cannot prepare the Linux side"

tools/freebeam run --det "$E/hello.img" --timeout "$T" </dev/null 2>&1 | tr -d '\r' >"$L/freebeam.log" &
TIMEOUT=$T $PEER boot elixir 512 2>&1 | tr -d '\r' >"$L/linux.log" &
wait

status=0
first() { grep -m1 -oE '^\{elixir_first_line_ns,[0-9]+\}' "$L/$1.log" | grep -oE '[0-9]+\}$' | tr -d '}'; }
fb_ns=$(first freebeam)
lx_mono=$(first linux)
lx_off=$(grep -m1 -oE 'offset_ns=[0-9-]+' "$L/linux.log" | cut -d= -f2)
grep -q '^hello_elixir: hello from runtime.exs ' "$L/freebeam.log" || { echo "run.sh: no greeting on freebeam" >&2; status=1; }
grep -q '^hello_elixir: hello from runtime.exs ' "$L/linux.log" || { echo "run.sh: no greeting on Linux" >&2; status=1; }
[ -n "$fb_ns" ] && [ -n "$lx_mono" ] && [ -n "$lx_off" ] || { echo "run.sh: a time is missing (logs in $L)" >&2; exit 1; }
lx_ns=$((lx_mono + lx_off))
fb_bytes=$(wc -c <"$E/hello.img")
lx_bytes=$(( $(wc -c <build/bench-peer/peer/out/vmlinuz) + $(wc -c <build/bench-peer/elixir/initrd.cpio.gz) ))
awk -v f="$fb_ns" -v l="$lx_ns" -v m="$lx_mono" -v o="$lx_off" -v fb="$fb_bytes" -v lb="$lx_bytes" 'BEGIN {
  printf "elixir_first_line_ns freebeam=%.0f linux=%.0f linux/freebeam=%.2f  # linux = CLOCK_MONOTONIC %.0f + counter lag %.0f\n", f, l, l / f, m, o
  printf "elixir_image_bytes freebeam=%.0f linux=%.0f linux/freebeam=%.2f  # linux = vmlinuz + initrd with the release\n", fb, lb, lb / fb
  printf "goal first_line freebeam/linux=%.3f (at most 0.2): %s\n", f / l, (f / l <= 0.2 ? "met" : "NOT met")
  printf "goal image freebeam/linux=%.3f (at most 0.25): %s\n", fb / lb, (fb / lb <= 0.25 ? "met" : "NOT met") }'
exit $status
