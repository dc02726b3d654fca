# background.sh - sourced by the suites that talk to a running image from
# the host: start the image in the background and wait for the console
# line that says it is ready.
#
# start_until LOG PATTERN SECONDS CMD [ARG...]: runs CMD in the background,
# stdin from /dev/null, its output in LOG; returns when LOG has a line
# matching PATTERN (grep -E), when CMD has ended, or after SECONDS, and
# leaves CMD's pid in $started.  The caller checks LOG for the line, waits
# for $started, and kills it on its way out.
start_until() {
  local log=$1 pattern=$2 secs=$3; shift 3
  "$@" </dev/null >"$log" 2>&1 &
  started=$!
  local _
  for _ in $(seq "$secs"); do
    grep -aqE "$pattern" "$log" && return 0
    kill -0 "$started" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
