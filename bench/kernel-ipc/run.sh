#!/usr/bin/env bash
# run.sh - the kernel-ipc benchmark: builds and boots build/images/kernel-ipc.img
# under deterministic time (--det) and prints, one per line:
#   notify_rtt_insns=N ppcall_rtt_insns=N thread_switch_insns=N
#   boot_to_first_pd_insns=N kernel_loc=N
# The *_insns figures are measured by the PDs with the PMU (bench/kernel-ipc/
# client.c); kernel_loc counts the lines of kernel/**/*.{c,h,S}.  The console
# goes to stderr; exits non-zero if the run or any figure is missing.
set -u
cd "$(dirname "$0")/../.."
IMG=build/images/kernel-ipc.img
make --no-print-directory "$IMG" >&2 || { echo "run.sh: cannot build $IMG" >&2; exit 1; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
tools/freebeam run --det "$IMG" --timeout "${TIMEOUT:-120}" </dev/null 2>&1 | tr -d '\r' >"$log"
rc=${PIPESTATUS[0]}
sed 's/^/  | /' "$log" >&2
status=0
[ "$rc" -eq 0 ] || { echo "run.sh: the benchmark image exited with status $rc" >&2; status=1; }
for k in notify_rtt_insns ppcall_rtt_insns thread_switch_insns boot_to_first_pd_insns; do
  line=$(grep -Eo "^$k=[0-9]+$" "$log" | tail -n 1)
  if [ -n "$line" ]; then echo "$line"; else echo "run.sh: no $k in the output" >&2; status=1; fi
done
loc=$(find kernel -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) -print0 | xargs -0 cat | wc -l)
echo "kernel_loc=$loc"
exit $status
