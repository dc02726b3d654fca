#!/usr/bin/env bash
# tests/otp-suites/run.sh - `make otp-suites`: OTP's own stdlib Common Test
# suites as a yardstick (docs/otp-suites.md).  Not part of `make test`.
#
#   tests/otp-suites/run.sh [--timeout S] [--only freebeam|linux] [SUITE[:NAME,...]...]
#
# The suites come from the `erlang` source package the erts build fetches
# (build/third_party/erlang-*/lib/stdlib/test/), with what OTP's own test
# release puts next to them: the helper modules of that directory,
# erts_test_utils (erts/emulator/test), otp_vsns (lib/sasl/test), the
# otp_versions.table and the data directories.  They are compiled once with
# the host's erlc (the host's OTP is the image's), and each suite runs twice,
# on its own so that a suite that hangs or takes the VM down costs only its
# own counts, each bounded by --timeout (default 600 s):
#   - inside freebeam: `tools/freebeam test-image --helper ... SUITE.beam`;
#   - on the host's Linux BEAM: `erl` running the same runner
#     (tools/erlang/src/fb_test_runner.erl), so both sides count alike
#     (automatically skipped cases count as failed).
# With no SUITE, every *_SUITE of the directory.  SUITE:NAME,... runs only
# those entries of the suite's all() (cases, or groups by name), in all()'s
# order, on both sides: a suite too long for one run (ets_SUITE under
# emulation) is run in parts, and the parts' counts add up to the whole's.
# Per suite (or part) one line
#   SUITE[:NAME,...] freebeam P passed, F failed linux P passed, F failed
# (`timeout` or `crashed` in place of the counts when the run gave none),
# then the totals and the lines where libos said ENOSYS (each console goes
# to build/otp-suites/logs/).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tools/sdk.sh"
B=$BUILD
W=$B/otp-suites
me=otp-suites

usage() { echo "usage: $0 [--timeout S] [--only freebeam|linux] [SUITE[:NAME,...]...]" >&2; exit 2; }
timeout=600 only="" wanted=()
while [ $# -gt 0 ]; do
  case $1 in
    --timeout) [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]] || usage; timeout=$2; shift 2 ;;
    --only) [ $# -ge 2 ] && [[ $2 =~ ^(freebeam|linux)$ ]] || usage; only=$2; shift 2 ;;
    -*) usage ;;
    *) [[ $1 =~ ^[a-z][a-zA-Z0-9_]*(\.erl)?(:[a-z][a-zA-Z0-9_]*(,[a-z][a-zA-Z0-9_]*)*)?$ ]] ||
         { echo "$me: $1: not SUITE or SUITE:NAME,..." >&2; exit 2; }
       wanted+=("${1/.erl/}"); shift ;;
  esac
done

src=$(ls -d "$B"/third_party/erlang-*/lib/stdlib/test 2>/dev/null | head -n 1)
[ -n "$src" ] || { echo "$me: no erlang source tree under $B/third_party (make erts fetches it)" >&2; exit 2; }
otp=${src%/lib/stdlib/test}

# ---- stage and compile: $W/ebin holds the .beam files and data dirs ----
# Compiled again only when the source tree is newer (the
# compilation takes minutes on a busy machine).
ts=$otp/lib/common_test/test_server
stamp=$W/ebin/.compiled
if [ ! -f "$stamp" ] || [ "$src" -nt "$stamp" ]; then
  rm -rf "$W/ebin" && mkdir -p "$W/ebin" || exit 1
  # The suites' hook (suite() -> [{ct_hooks, [ts_install_cth]}]) and what it
  # calls come from OTP's test_server directory, as in OTP's test release.
  cp "$src"/*.erl "$otp/erts/emulator/test/erts_test_utils.erl" "$otp/lib/sasl/test/otp_vsns.erl" \
     "$ts/ts_install_cth.erl" "$ts/ts_lib.erl" "$ts/ts.hrl" "$W/ebin/" || exit 1
  cp -r "$src"/*_SUITE_data "$W/ebin/" || exit 1
  cp "$otp/otp_versions.table" "$W/ebin/" || exit 1
  mkdir -p "$W/ebin/stdlib_SUITE_data" && cp "$otp/make/otp_version_tickets" "$W/ebin/stdlib_SUITE_data/" || exit 1
  # One erlc for all (a VM start per file costs minutes on a busy machine); a
  # module that does not compile is reported and left out.
  (cd "$W/ebin" && erlc -I "$otp/lib/kernel/include" -I "$otp/lib/stdlib/include" ./*.erl >"$W/erlc.log" 2>&1) ||
    { grep -E '^[^ ]+\.erl:[0-9]+:([0-9]+:)? [^W]' "$W/erlc.log" >&2
      echo "$me: some modules do not compile (left out); see $W/erlc.log" >&2; }
  rm -f "$W"/ebin/*.erl "$W"/ebin/*.hrl
  touch "$stamp"
fi
# A data directory with a Makefile.src (supervisor_SUITE_data's app_faulty)
# holds sources its suite expects compiled, as OTP's test release makes them
# (ts_install: @EMULATOR@ is beam).  make does it once.
for mk in "$W"/ebin/*_SUITE_data/Makefile.src; do
  [ -f "$mk" ] || continue
  d=$(dirname "$mk")
  sed 's/@EMULATOR@/beam/g' "$mk" >"$d/Makefile" && make -s -C "$d" >>"$W/erlc.log" 2>&1 ||
    echo "$me: $d: its Makefile.src failed (see $W/erlc.log)" >&2
done
mkdir -p "$W/logs" || exit 1

all_suites=()
for f in "$W"/ebin/*_SUITE.beam; do all_suites+=("$(basename "$f" .beam)"); done
[ ${#wanted[@]} -gt 0 ] || wanted=("${all_suites[@]}")
# otp_vsns (stdlib_SUITE's appup_test) reads otp_versions.table from its
# own folder: a helper file goes beside the modules.
helpers=(--helper "$W/ebin/otp_versions.table")
for f in "$W"/ebin/*.beam; do
  case $f in *_SUITE.beam) ;; *) helpers+=(--helper "$f") ;; esac
done

# Both sides allow OTP 25's `maybe` (erl_eval_SUITE is compiled with it and
# does not load otherwise).
features=(--erl-arg -enable-feature --erl-arg maybe_expr)

# The runner, for the host side; its logs under $W, not /tmp.
mkdir -p "$W/runner" && erlc -o "$W/runner" "$ROOT/tools/erlang/src/fb_test_runner.erl" || exit 1

# counts LOG: "P F S" from the last `N passed, N failed, N skipped` line.
counts() {
  tr -d '\r' <"$1" | sed -nE 's/^(fb_test: [a-zA-Z0-9_]+: )?([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\2 \3 \4/p' |
    tail -n 1
}
# verdict STATUS LOG: "P F" or "timeout"/"crashed".
verdict() {
  local c; c=$(counts "$2")
  if [ -n "$c" ]; then set -- $c; echo "$1 $2"
  elif [ "$1" -eq 124 ]; then echo timeout
  else echo crashed
  fi
}
show() { case $1 in timeout|crashed|skipped) echo "$1" ;; *) set -- $1; echo "$1 passed, $2 failed" ;; esac; }

declare -A tot=([fb_p]=0 [fb_f]=0 [lx_p]=0 [lx_f]=0)
add() {  # add SIDE VERDICT: a suite without counts is one failure
  case $2 in timeout|crashed) tot[${1}_f]=$((tot[${1}_f] + 1)) ;;
             skipped) ;;
             *) set -- "$1" $2; tot[${1}_p]=$((tot[${1}_p] + $2)); tot[${1}_f]=$((tot[${1}_f] + $3)) ;; esac
}

# This run's own scratch files: runs (or parts of one suite) may go side by side.
enosys=$(mktemp "$W/enosys.XXXXXX") && run=$(mktemp -d "$W/host-run.XXXXXX") || exit 1
trap 'rm -rf "$enosys" "$run"' EXIT
t0=$(date +%s)
for want in "${wanted[@]}"; do
  s=${want%%:*} names=""
  [ "$s" = "$want" ] || names=${want#*:}
  [ -f "$W/ebin/$s.beam" ] || { echo "$me: no suite $s" >&2; exit 2; }
  # A part's logs are named by its first and last names.
  log=$s cases=()
  if [ -n "$names" ]; then
    log=$s.${names%%,*}..${names##*,}
    cases=(--cases "$names")
  fi
  fb=skipped lx=skipped
  if [ "$only" != linux ]; then
    # With crypto, inets, runtime_tools and tools, as the host's OTP has them
    # (beam_lib_SUITE's encrypted debug info and rand_SUITE's crypto cases
    # skip without crypto; uri_string_SUITE calls inets's http_uri,
    # ms_transform_SUITE runtime_tools's dbg, epp_SUITE otp_8911 tools's
    # cover).  1 GiB of RAM (some cases
    # build terms of 100 MB; the host has gigabytes), and timetraps 4 times
    # as long: QEMU emulates the ARM board several times slower than the
    # host runs its own BEAM.
    "$ROOT/tools/freebeam" test-image --timeout "$timeout" --mem 1024 --env FB_CT_TIMETRAP_FACTOR=4 \
      --apps crypto,inets,runtime_tools,tools "${features[@]}" "${helpers[@]}" ${cases[@]+"${cases[@]}"} \
      "$W/ebin/$s.beam" \
      >"$W/logs/$log.freebeam.log" 2>&1 </dev/null
    fb=$(verdict $? "$W/logs/$log.freebeam.log")
    # libos's ENOSYS lines: calls erts reached that libos does not serve.
    grep -a 'ENOSYS' "$W/logs/$log.freebeam.log" | tr -d '\r' | sed "s/^/$s: /" >>"$enosys"
  fi
  if [ "$only" != freebeam ]; then
    # A scratch directory of its own as the working directory: some suites
    # write and delete files there.
    rm -rf "${run:?}"/* && mkdir -p "$run/ct_logs" || exit 1
    if [ -n "$names" ]; then printf '{ct, %s, [%s]}.\n' "$s" "${names//,/, }" >"$run/plan.eterm"
    else printf '{ct, %s}.\n' "$s" >"$run/plan.eterm"; fi
    (cd "$run" && FB_CT_LOGDIR="$run/ct_logs" timeout -k 10 "$timeout" \
       erl -enable-feature maybe_expr -noshell -pa "$W/ebin" -pa "$W/runner" -eval "fb_test_runner:main(\"$run/plan.eterm\", 1).") \
      >"$W/logs/$log.linux.log" 2>&1 </dev/null
    lx=$(verdict $? "$W/logs/$log.linux.log")
  fi
  add fb "$fb"; add lx "$lx"
  echo "$want freebeam $(show "$fb") linux $(show "$lx")"
done
echo "$me: ${#wanted[@]} suite(s) in $(( $(date +%s) - t0 )) s (per suite timeout ${timeout} s)"
echo "totals: freebeam ${tot[fb_p]} passed, ${tot[fb_f]} failed; linux ${tot[lx_p]} passed, ${tot[lx_f]} failed"
if [ -s "$enosys" ]; then
  echo "libos answered ENOSYS (first time per boot) in:"
  sed 's/^/  /' "$enosys"
fi
