#!/usr/bin/env bash
# system.sh - boots each demo image in QEMU and checks that it powers off
# with status 0 and prints the lines that show it worked.  The expected
# lines (extended regular expressions, one per check) live here, per demo.
# Ends with the line `N passed, N failed`; exits 0 only if none failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
IMGDIR=${IMGDIR:-$B/images}
TIMEOUT=${TIMEOUT:-60}

declare -A EXPECT
EXPECT[pingpong]='
^pingpong: 1000 notification round trips done$
^pingpong: 1000 ppcalls checked$
^pingpong: 1000 notifications, 1000 ppcalls, ok$'
EXPECT[fault]='
^child: pd 1 started \(run counter 42\), writing through NULL$
^monitor: fault 1: pd 1 tid [0-9]+ kind 1 addr 0x00000000 pc 0x000[0-9a-f]{5}
^monitor: fault 4: pd 1 tid [0-9]+ kind 1 addr 0x00000000 pc 0x000[0-9a-f]{5}
^monitor: restarted pd 1 \(3 of 3\)$
^monitor: stopped pd 1 after 4 faults$
^fault: child restarted 3 times, stopped$'
EXPECT[isolation]="
^victim: pd 2 stored its secret at 0x30000000$
^isolation: attempt 0 \(read another PD's private memory\): faulted as expected$
^isolation: attempt 1 \(read physical RAM\): faulted as expected$
^isolation: attempt 2 \(read kernel memory\): faulted as expected$
^isolation: attempt 3 \(write its own code\): faulted as expected$
^isolation: attempt 4 \(execute its own data\): faulted as expected$
^isolation: 5 of 5 forbidden accesses faulted, ok$"
EXPECT[threads]='
^threads: counter = 160000 \(expected 160000\)
^threads: 16 threads joined, counter 160000, ok$'
DEMOS="pingpong fault isolation threads"

for demo in $DEMOS; do
  img=$IMGDIR/$demo.img
  if [ ! -f "$img" ]; then
    echo "$img: missing"
    verdict "$demo: image exists" 1
    continue
  fi
  log=$(mktemp)
  tools/freebeam run "$img" --timeout "$TIMEOUT" </dev/null >"$log" 2>&1
  rc=$?
  tr -d '\r' <"$log" >"$log.clean"
  sed "s/^/  | /" "$log.clean"
  verdict "$demo: exit status 0 (got $rc)" $((rc != 0))
  while IFS= read -r re; do
    [ -n "$re" ] || continue
    grep -Eq -- "$re" "$log.clean"; verdict "$demo: /$re/" $?
  done <<<"${EXPECT[$demo]}"
  rm -f "$log" "$log.clean"
done
finish
