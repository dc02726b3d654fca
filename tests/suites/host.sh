#!/usr/bin/env bash
# tests/suites/host.sh - the host suite: builds (make host-check) and runs
# every host unit test (build/host/test_*), checks that the pure kernel
# files compile and link with the target flags, and runs the sysimage
# fuzzer for a bounded time (FUZZ_SECONDS, default 20), the cpio one
# (FUZZ_CPIO_SECONDS, default 10), the descriptor queue's
# (FUZZ_QUEUE_SECONDS, default 10), the virtqueue's used-ring reader
# (FUZZ_VIRTQ_SECONDS, default 10), the virtio-blk driver's request check
# (FUZZ_BLKREQ_SECONDS, default 10), the virtio-net driver's frame path
# (FUZZ_NETDEV_SECONDS, default 10), libos's socket argument checks
# (FUZZ_NET_SECONDS, default 5), eth0's frame path into lwIP
# (FUZZ_ETH_SECONDS, default 10), the ext4 journal's replay
# (FUZZ_JBD2_SECONDS, default 10) and the kernel's DEFLATE decoder
# (FUZZ_INFLATE_SECONDS, default 10).  Ends with exactly
# one line "N passed, N failed"; exit status 0 only if nothing failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

# Build each part separately so that one broken part does not hide the rest.
build() {  # build TARGET: 0 if it built; counts a failure otherwise
  if ! make --no-print-directory -s "$1"; then
    bad "host: make $1"; return 1
  fi
}

if build host-target-check; then
  ok "host: target-check: kernel files build and link for ARMv7-A"
fi

if build host-tests; then
  for src in tests/host/test_*.c; do
    name=$(basename "$src" .c); bin=$B/host/$name
    out=$(timeout 300 "$bin" 2>&1); rc=$?   # a hung test is a failure, not a hung suite
    [ "$rc" -eq 124 ] && echo "host: $name timed out after 300 s"
    printf '%s\n' "$out" | sed 's/^/  /'
    line=$(printf '%s\n' "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" | tail -n 1)
    if [ -z "$line" ]; then
      bad "host: $name printed no result line (exit $rc)"; continue
    fi
    p=${line#*: }; p=${p%% passed*}; f=${line#*, }; f=${f%% failed*}
    tally "$p" "$f"
    [ $((p + f)) -gt 0 ] || bad "host: $name ran no check"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      bad "host: $name exited $rc with no failure counted"
    fi
  done
fi

# fuzz NAME SECONDS CORPUS: a bounded libFuzzer run; a crash is a failure
fuzz() {
  local log=$B/fuzz/last-$1-run.log
  if $B/fuzz/"$1" -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=0 -artifact_prefix=$B/fuzz/artifacts/ "$3" >"$log" 2>&1; then
    ok "host: $1: ${2}s, no crash ($(grep -aEo '^Done [0-9]+ runs' "$log" | tail -n 1))"
  else
    bad "host: $1 (log $log, inputs in $B/fuzz/artifacts/):"
    tail -n 40 "$log" | sed 's/^/  /'
  fi
}

if build host-fuzz; then
  mkdir -p $B/fuzz/artifacts
  fuzz fuzz_sysimage "${FUZZ_SECONDS:-20}" $B/fuzz/corpus
  fuzz fuzz_cpio "${FUZZ_CPIO_SECONDS:-10}" $B/fuzz/cpio-corpus
  fuzz fuzz_queue "${FUZZ_QUEUE_SECONDS:-10}" $B/fuzz/queue-corpus
  fuzz fuzz_virtq "${FUZZ_VIRTQ_SECONDS:-10}" $B/fuzz/virtq-corpus
  fuzz fuzz_blkreq "${FUZZ_BLKREQ_SECONDS:-10}" $B/fuzz/blkreq-corpus
  fuzz fuzz_netdev "${FUZZ_NETDEV_SECONDS:-10}" $B/fuzz/netdev-corpus
  fuzz fuzz_net_addr "${FUZZ_NET_SECONDS:-5}" $B/fuzz/net-corpus
  fuzz fuzz_eth_frames "${FUZZ_ETH_SECONDS:-10}" $B/fuzz/eth-corpus
  fuzz fuzz_jbd2 "${FUZZ_JBD2_SECONDS:-10}" $B/fuzz/jbd2-corpus
  fuzz fuzz_inflate "${FUZZ_INFLATE_SECONDS:-10}" $B/fuzz/inflate-corpus
  fuzz fuzz_release_state "${FUZZ_RELEASE_SECONDS:-5}" $B/fuzz/release-corpus
  fuzz fuzz_ext4_mount "${FUZZ_EXT4_SECONDS:-20}" $B/fuzz/ext4-corpus
fi

finish
