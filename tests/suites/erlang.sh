#!/usr/bin/env bash
# Our Erlang tests (erlang/test/*_tests.erl, EUnit) run inside freebeam by
# `tools/freebeam test-image`, plus checks of test-image itself and of how
# failures show: a failing module makes it exit non-zero with `0 passed, 1
# failed`; a Common Test suite runs; erlang:halt("...") prints the reason,
# writes the crash dump to /tmp and powers off non-zero; halt(abort) too.
#
# Prints `ok`/`FAIL` lines for the checks, and ends with one line
# `N passed, N failed`: the Erlang tests' counts plus this script's checks.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

# run LOGVAR RCVAR ARGS...: test-image, console shown indented, \r dropped.
run() {
  local -n _out=$1 _rc=$2; shift 2
  tools/freebeam test-image "$@" </dev/null >"$gen/console.log" 2>&1; _rc=$?
  _out=$(tr -d '\r' <"$gen/console.log")
  sed 's/^/  | /' <<<"$_out"
}

gen=$(mkdir -p $B/testimage && mktemp -d $B/testimage/erlang-suite.XXXXXX) || give_up "make a scratch folder"
trap 'rm -rf "$gen"' EXIT

# ---- our tests ----
run out rc --timeout 300 erlang/test/*_tests.erl
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
erl_p=0 erl_f=0
if [ -n "$line" ]; then
  erl_p=${line%% passed*}; erl_f=${line#*, }; erl_f=${erl_f%% failed*}
  tally "$erl_p" "$erl_f"
  ok "erlang/test: result line: $line"
else
  bad "erlang/test: no result line (exit status $rc)"
fi
if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "$erl_f" -eq 0 ]; then ok "erlang/test: exit status 0"
elif [ "$rc" -ne 0 ] && [ -n "$line" ] && [ "$erl_f" -gt 0 ]; then echo "     erlang/test: exit status $rc ($erl_f failed)"
else bad "erlang/test: exit status $rc does not match the result line"; fi
grep -q '^FB_LOGGER_MARK error level$' <<<"$out" && ok "logger output on the console" ||
  bad "no logger output on the console"
grep -q '^Error in process <[0-9.]*> with exit value:' <<<"$out" && grep -q '^=CRASH REPORT====' <<<"$out" &&
  ok "error and crash reports on the console" || bad "no error or crash report on the console"

# ---- a failing module: non-zero status, 0 passed, 1 failed ----
cat >"$gen/fb_fail_tests.erl" <<'EOF'
-module(fb_fail_tests).
-include_lib("eunit/include/eunit.hrl").
fails_test() -> ?assertEqual(2, length(id([x]))).
id(X) -> X.
EOF
run out rc --timeout 120 "$gen/fb_fail_tests.erl"
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ok "failing module: exit status $rc" || bad "failing module: exit status $rc"
grep -q '^0 passed, 1 failed' <<<"$out" && ok "failing module: 0 passed, 1 failed" ||
  bad "failing module: no '0 passed, 1 failed' line"

# ---- Common Test: a suite with a data directory; an OTP-style test directory ----
# (a suite, its data directory and a helper module given with --helper)
mkdir -p "$gen/fb_ct_SUITE_data"
echo "freebeam data" >"$gen/fb_ct_SUITE_data/hello.txt"
cat >"$gen/fb_ct_SUITE.erl" <<'EOF'
-module(fb_ct_SUITE).
-include_lib("common_test/include/ct.hrl").
-export([all/0, init_per_suite/1, end_per_suite/1, data_case/1, priv_case/1, arg_case/1, skip_case/1]).
all() -> [data_case, priv_case, arg_case, skip_case].
init_per_suite(Config) -> [{fb, 42} | Config].
end_per_suite(_Config) -> ok.
data_case(Config) ->
    42 = ?config(fb, Config),
    {ok, <<"freebeam data\n">>} = file:read_file(filename:join(?config(data_dir, Config), "hello.txt")),
    %% writable, as on Linux (OTP's suites write there)
    ok = file:write_file(filename:join(?config(data_dir, Config), "new.txt"), <<"w">>).
priv_case(Config) ->
    F = filename:join(?config(priv_dir, Config), "x"),
    ok = file:write_file(F, <<"y">>),
    {ok, <<"y">>} = file:read_file(F).
arg_case(_Config) -> {ok, [["yes"]]} = init:get_argument(fb_flag).    % --erl-arg
skip_case(_Config) -> {skip, "on purpose"}.
EOF
mkdir -p "$gen/otp/fb_otp_SUITE_data"
echo "otp data" >"$gen/otp/fb_otp_SUITE_data/in.txt"
cat >"$gen/otp/fb_otp_helper.erl" <<'EOF'
-module(fb_otp_helper).
-export([read/2]).
read(Config, Name) -> file:read_file(filename:join(proplists:get_value(data_dir, Config), Name)).
EOF
cat >"$gen/otp/fb_otp_SUITE.erl" <<'EOF'
-module(fb_otp_SUITE).
-include_lib("common_test/include/ct.hrl").
-export([all/0, suite/0, helper_case/1, timetrap_case/1]).
suite() -> [{timetrap, {minutes, 1}}].
all() -> [helper_case, timetrap_case].
helper_case(Config) -> {ok, <<"otp data\n">>} = fb_otp_helper:read(Config, "in.txt").
%% FB_CT_TIMETRAP_FACTOR=2: 30 s become 60 s
timetrap_case(_Config) -> ct:timetrap({seconds, 30}), {60000, _} = ct:get_timetrap_info(), ok.
EOF
run out rc --timeout 120 --erl-arg -fb_flag --erl-arg yes --env FB_CT_TIMETRAP_FACTOR=2 "$gen/fb_ct_SUITE.erl" --helper "$gen/otp/fb_otp_helper.erl" "$gen/otp/fb_otp_SUITE.erl"
[ "$rc" -eq 0 ] && grep -q '^fb_test: fb_ct_SUITE: 3 passed, 0 failed, 1 skipped$' <<<"$out" &&
  ok "Common Test suite (a writable data directory, --erl-arg): 3 passed, 0 failed, 1 skipped, status 0" || bad "Common Test suite: status $rc"
grep -q '^fb_test: fb_otp_SUITE: 2 passed, 0 failed, 0 skipped$' <<<"$out" &&
  ok "OTP-style suite with a data directory, a --helper module and FB_CT_TIMETRAP_FACTOR: 2 passed" ||
  bad "OTP-style suite with a --helper module: not 2 passed"
grep -q '^fb_test: case fb_ct_SUITE none data_case start$' <<<"$out" &&
  grep -qE '^fb_test: case fb_ct_SUITE none data_case ok in [0-9]+ ms$' <<<"$out" &&
  grep -qE '^fb_test: case fb_ct_SUITE none skip_case skipped in [0-9]+ ms$' <<<"$out" &&
  ok "Common Test: each case's start and end with its time on the console" ||
  bad "Common Test: no per-case start/end lines"
grep -q 'fb_otp_helper$' <<<"$out" && bad "--helper: fb_otp_helper was run as a test module" ||
  ok "--helper: the helper module is not run as a test module"
[ "$(grep . <<<"$out" | tail -n 1)" = "5 passed, 0 failed, 1 skipped" ] &&
  ok "Common Test: last line '5 passed, 0 failed, 1 skipped'" || bad "Common Test: wrong last line"

# ---- --cases: a suite in parts (a group and a case of its all(), in all()'s order) ----
cat >"$gen/fb_part_SUITE.erl" <<'EOF'
-module(fb_part_SUITE).
-export([all/0, groups/0, init_per_suite/1, end_per_suite/1, a/1, b/1, c/1, d/1]).
all() -> [a, {group, g}, b].
groups() -> [{g, [], [c, d]}].
init_per_suite(Config) -> [{fb_part, ok} | Config].
end_per_suite(_Config) -> ok.
a(_) -> exit(not_selected).
b(Config) -> ok = proplists:get_value(fb_part, Config).
c(_) -> ok.
d(_) -> ok.
EOF
run out rc --timeout 120 --cases b,g "$gen/fb_part_SUITE.erl"
[ "$rc" -eq 0 ] && grep -q '^fb_test: fb_part_SUITE: 3 passed, 0 failed, 0 skipped$' <<<"$out" &&
  [ "$(grep -E '^fb_test: case fb_part_SUITE [a-z]+ [a-z]+ start$' <<<"$out" | awk '{print $4 "/" $5}' | paste -sd' ')" = "g/c g/d none/b" ] &&
  ok "--cases b,g: the group's two cases, then b, in all()'s order; a not run; status 0" ||
  bad "--cases b,g: not the group g then b (status $rc)"
# A name that is not in all(): the suite fails with the name, nothing runs
# (the runner on the host: the same module as in the image).
agen=$(cd "$gen" && pwd) &&
  erlc -o "$agen" "$agen/fb_part_SUITE.erl" tools/erlang/src/fb_test_runner.erl >/dev/null 2>&1 &&
  printf '{ct, fb_part_SUITE, [b, nope]}.\n' >"$agen/part.eterm" &&
  out=$(cd "$agen" && FB_CT_LOGDIR="$agen/ct_logs" erl -noshell -pa "$agen" \
          -eval "fb_test_runner:main(\"$agen/part.eterm\", 1)." 2>&1); rc=$?
[ "$rc" -eq 1 ] && grep -q '^fb_test: fb_part_SUITE has no case or group nope in its all()$' <<<"$out" &&
  grep -q '^0 passed, 1 failed, 0 skipped$' <<<"$out" &&
  ok "--cases with a name not in all(): 'has no case or group nope', 0 passed, 1 failed" ||
  bad "--cases with a name not in all(): status $rc"

# ---- modules that take the VM down: reported as crashed, the others still count ----
# In plan order: a passing module, one that exhausts memory, one that halts
# with a reason, one that aborts, and a passing module after them (the run
# boots four times).  Each crash is one failure, with its reason; the
# passing modules' tests count; the totals are the last line.
for m in fb_pass_a fb_pass_b; do
  cat >"$gen/${m}_tests.erl" <<EOF
-module(${m}_tests).
-include_lib("eunit/include/eunit.hrl").
one_test() -> ?assertEqual(4, 2 + 2).
two_test() -> ?assertEqual("ab", "a" ++ "b").
EOF
done
cat >"$gen/fb_oom_tests.erl" <<'EOF'
-module(fb_oom_tests).
-include_lib("eunit/include/eunit.hrl").
%% A binary that doubles until erts cannot allocate it: erts ends the VM.
oom_test() -> ?assertEqual(never, grow(<<1:8192>>)).
grow(B) -> grow(<<B/binary, B/binary>>).
EOF
cat >"$gen/fb_halt_tests.erl" <<'EOF'
-module(fb_halt_tests).
-include_lib("eunit/include/eunit.hrl").
halt_test() -> erlang:halt("fb_halt_reason: deliberate").
EOF
cat >"$gen/fb_abort_tests.erl" <<'EOF'
-module(fb_abort_tests).
-include_lib("eunit/include/eunit.hrl").
abort_test() -> erlang:halt(abort).
EOF
# --heap 128: the doubling binary runs out of memory before it reaches the
# 32-bit erts's largest binary (system_limit), as the rest of RAM would let it.
run out rc --timeout 300 --heap 128 "$gen"/fb_pass_a_tests.erl "$gen"/fb_oom_tests.erl "$gen"/fb_halt_tests.erl \
  "$gen"/fb_abort_tests.erl "$gen"/fb_pass_b_tests.erl
[ "$rc" -eq 1 ] && ok "crashing modules: exit status 1" || bad "crashing modules: exit status $rc, expected 1"
crashed() {  # MODULE PATTERN-OF-REASON WHAT
  grep -qE "^fb_test: $1 crashed the VM \(exit status [0-9]+\): .*$2" <<<"$out" &&
    ok "crashing modules: $1 reported as crashed: $3" || bad "crashing modules: no '$1 crashed the VM' line naming $3"
}
crashed fb_oom_tests "Cannot (re)?allocate [0-9]+ bytes of memory" "out of memory"
crashed fb_halt_tests "fb_halt_reason: deliberate$" "its halt reason"
crashed fb_abort_tests "abort|SIGABRT|signal 6" "the abort"
grep -qE '^fb_test: fb_abort_tests crashed the VM \(exit status 134\)' <<<"$out" &&
  ok "crashing modules: abort() ends the VM with status 134" || bad "crashing modules: abort() did not give 134"
grep -q '^fb_halt_reason: deliberate$' <<<"$out" && ok "halt(\"...\"): the reason on the console" ||
  bad "halt(\"...\"): no reason on the console"
grep -q '^Crash dump is being written to: /tmp/erl_crash.dump\.\.\..*done' <<<"$out" &&
  ok "halt(\"...\"): erl_crash.dump written to /tmp" || bad "halt(\"...\"): no crash dump written"
for m in fb_pass_a fb_pass_b; do
  grep -q "^fb_test: ${m}_tests: 2 passed, 0 failed, 0 skipped$" <<<"$out" &&
    ok "crashing modules: ${m}_tests ran, its 2 tests counted" || bad "crashing modules: ${m}_tests did not count"
done
last=$(grep . <<<"$out" | tail -n 1)
[ "$last" = "4 passed, 3 failed, 0 skipped" ] &&
  ok "crashing modules: last line '4 passed, 3 failed, 0 skipped'" || bad "crashing modules: last line '$last'"


finish
