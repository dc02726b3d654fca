# background.sh - sourced by the suites that talk to a running image from
# the host, or cut its power: start the image in the background and wait for
# the console line that says it is ready (or that the moment has come).
#
# wait_line LOG PATTERN SECONDS PID: polls LOG every 50 ms; returns 0 as soon
# as LOG has a line matching PATTERN (grep -E), 1 when PID has ended without
# one or SECONDS have passed.
wait_line() {
  local log=$1 pattern=$2 polls=$(($3 * 20)) pid=$4 i
  for ((i = 0; i < polls; i++)); do
    grep -aqE "$pattern" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { grep -aqE "$pattern" "$log"; return; }
    sleep 0.05
  done
  return 1
}

# start_until LOG PATTERN SECONDS CMD [ARG...]: empties LOG, runs CMD in the
# background (stdin from /dev/null, its output appended to LOG, so the wait
# never sees an earlier run's lines), leaves its pid in $started and returns
# wait_line's answer.  The caller checks LOG, waits for or kills $started.
start_until() {
  local log=$1 pattern=$2 secs=$3; shift 3
  : >"$log"
  "$@" </dev/null >>"$log" 2>&1 &
  started=$!
  wait_line "$log" "$pattern" "$secs" "$started"
}
