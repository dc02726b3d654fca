# checks.sh - sourced by the shell test suites: their ok/FAIL lines and the
# closing `N passed, N failed` (tests/run_all.sh adds those up).
pass=0; fail=0
ok()  { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
show() { sed 's/^/  | /'; }
