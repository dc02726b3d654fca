# checks.sh - sourced by the shell test suites: their ok/FAIL lines and the
# closing `N passed, N failed` (tests/run_all.sh adds those up).  One copy
# for every suite, so that no suite can end "0 passed, 0 failed" and look
# green: finish counts a run in which no check ran as a failure.
# B: the build folder the suite tests, relative to the checkout's root where
# every suite runs (or absolute): `make B=out test` exports FREEBEAM_BUILD=out
# (the top Makefile), default build.  Exported again for the Python helpers
# (tests/lib/guest.py) and for the `make` a suite runs, which builds there.
B=${FREEBEAM_BUILD:-build}
export FREEBEAM_BUILD=$B
B_ABS=$(realpath -m -- "$B")   # the same folder, as an absolute path
pass=0; fail=0
ok()  { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
# check NAME CMD [ARG...]: passes if CMD succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
# verdict NAME STATUS: passes if STATUS, an exit status already taken, is 0.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }
# tally P F: adds the counts of a sub-run that printed its own ok/FAIL lines.
tally() { pass=$((pass + $1)); fail=$((fail + $2)); }
# finish: the result line, then exit 0 only if something ran and none failed.
finish() {
  [ $((pass + fail)) -gt 0 ] || bad "no check ran"
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]; exit
}
# give_up WHY: the suite cannot run at all (an image does not build...).
give_up() { bad "$*"; finish; }
show() { sed 's/^/  | /'; }
