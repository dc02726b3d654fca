#!/usr/bin/env bash
# The BEAM on freebeam: OTP's erts, cross-built against our musl and libos,
# boots in its PD from the OTP root archive, runs Erlang code and halts with
# the status Erlang asked for.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
ok()  { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

img=build/images/beam-hello.img
out=$(tools/freebeam run "$img" --timeout 300 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "beam-hello: halt(0) powers off with status 0" || bad "beam-hello: exit status $rc"
grep -q '^BEAM_UP Erlang/OTP 25 \[erts-13' <<<"$out" && ok "beam-hello: Erlang code ran (BEAM_UP line)" \
  || bad "beam-hello: no BEAM_UP line"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
