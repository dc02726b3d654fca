#!/usr/bin/env bash
# run.sh - the libos benchmark (bench/libos/README.md).  Runs bench/libos/bench.c
#   - on freebeam: build/images/bench-libos.img under `tools/freebeam run --det`;
#   - on Linux: the same source, static glibc, as /init on Debian's armhf
#     kernel with the peer's deterministic QEMU flags (bench/libos/linux.sh);
# each twice, checks that both runs print exactly the same, and prints one
# line per figure:
#   getpid_insns=N clock_gettime_insns=N futex_wake_to_wait_insns=N
#   pipe_pingpong_rtt_insns=N   and the same four as *_linux_insns
# The consoles and the guests' `check` lines (each figure at N and 2N
# iterations; on freebeam, clock against PMU) go to stderr.  Exits non-zero
# if a run fails, a figure is missing, the two runs differ, or a check is
# off by more than 1%.
#
# usage: bench/libos/run.sh [freebeam] [linux]     (default: both)
# env:   TIMEOUT=300 (seconds per boot)
# The first Linux run fetches Debian's kernel (needs root or sudo for apt);
# it is kept under build/bench-peer/.  Never part of `make test`.
set -u
cd "$(dirname "$0")/../.."
WHAT=${*:-freebeam linux}
IMG=build/images/bench-libos.img
FIGS="getpid clock_gettime futex_wake_to_wait pipe_pingpong_rtt"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0

boot() {  # boot SIDE RUN -> $tmp/SIDE.RUN.log
  local log=$tmp/$1.$2.log rc
  if [ "$1" = freebeam ]; then
    tools/freebeam run --det "$IMG" --timeout "${TIMEOUT:-300}" </dev/null 2>&1 | tr -d '\r' >"$log"
  else
    bench/libos/linux.sh </dev/null 2>&1 | tr -d '\r' >"$log"
  fi
  rc=${PIPESTATUS[0]}
  sed "s/^/  $1 run $2 | /" "$log" >&2
  [ "$rc" -eq 0 ] || { echo "run.sh: the $1 run $2 exited with status $rc" >&2; status=1; }
  grep -q '^bench: done' "$log" || { echo "run.sh: the $1 run $2 did not finish" >&2; status=1; }
}

# The lines that must repeat exactly: the figures and the checks.
results() { grep -E '^(check |[a-z_]+_insns=)' "$1" || true; }

side() {  # side freebeam|linux SUFFIX
  local s=$1 suf=$2
  if [ "$s" = freebeam ]; then
    make --no-print-directory "$IMG" >&2 || { echo "run.sh: cannot build $IMG" >&2; status=1; return; }
  fi
  boot "$s" 1
  boot "$s" 2
  if ! cmp -s <(results "$tmp/$s.1.log") <(results "$tmp/$s.2.log"); then
    echo "run.sh: the two $s runs differ:" >&2
    diff <(results "$tmp/$s.1.log") <(results "$tmp/$s.2.log") >&2
    status=1
  else
    echo "run.sh: the two $s runs printed the same figures and checks" >&2
  fi
  # Each figure at N and 2N iterations (and clock vs PMU) within 1%.
  local bad
  bad=$(awk '
    /^check .*spread=/ { v = $NF; sub(/spread=/, "", v); sub(/%/, "", v); if (v + 0 > 1) print }
    /^check .*clock=.*pmu=/ { c = $3; p = $4; sub(/clock=/, "", c); sub(/pmu=/, "", p);
      d = c - p; if (d < 0) d = -d; if (d > c / 100) print }' "$tmp/$s.1.log")
  [ -z "$bad" ] || { echo "run.sh: $s checks off by more than 1%:" >&2; echo "$bad" >&2; status=1; }
  local f line
  for f in $FIGS; do
    line=$(grep -E "^${f}${suf}=" "$tmp/$s.1.log" | tail -n 1)
    if [ -n "$line" ]; then echo "$line"; else echo "run.sh: no ${f}${suf} in the $s output" >&2; status=1; fi
  done
}

[[ " $WHAT " == *" freebeam "* ]] && side freebeam _insns
[[ " $WHAT " == *" linux "* ]] && side linux _linux_insns
exit $status
