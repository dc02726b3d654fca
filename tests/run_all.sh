#!/usr/bin/env bash
# Runs every test suite of `make test` and adds up their results.  Each suite
# is a command that ends its output with a line `N passed, N failed`; a suite
# that crashes, prints no such line, or ran no check (0 passed, 0 failed)
# counts as one failure.
set -u
cd "$(dirname "$0")/.."
total_p=0; total_f=0
run_suite() {
  local name=$1; shift
  echo "=== $name"
  local log; log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "suite $name: no result line (exit $rc)"; total_f=$((total_f + 1)); return
  fi
  local p f; p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "suite $name: no check ran"; total_f=$((total_f + 1)); return
  fi
  total_p=$((total_p + p)); total_f=$((total_f + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "suite $name: exit $rc with no failure counted"; total_f=$((total_f + 1))
  fi
}
for s in tests/suites/*.sh; do
  [ -x "$s" ] || continue
  run_suite "$(basename "$s" .sh)" "$s"
done
echo "${total_p} passed, ${total_f} failed"
[ "$total_f" -eq 0 ]
