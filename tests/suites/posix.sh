#!/usr/bin/env bash
# POSIX programs on freebeam: our musl has no trapping instruction left,
# programs linked against it and libos keep svc inside libos only, and the
# hello-posix image (printf, malloc, pthreads, TLS, clocks, exit status)
# boots and powers off with 0.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
ok()   { echo "ok   $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL $*"; fail=$((fail + 1)); }

if make --no-print-directory -s musl-check >/tmp/fb-posix-$$.log 2>&1; then ok "musl: no svc, no kuser helpers in libc.a"
else cat /tmp/fb-posix-$$.log; bad "musl: no svc, no kuser helpers in libc.a"; fi
if make --no-print-directory -s libos-check >/tmp/fb-posix-$$.log 2>&1; then ok "hello.elf: svc only inside libos"
else cat /tmp/fb-posix-$$.log; bad "hello.elf: svc only inside libos"; fi

img=build/images/hello-posix.img
out=$(tools/freebeam run "$img" --timeout 60 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "hello-posix: exit status 0" || bad "hello-posix: exit status $rc"
for want in "hello from musl on freebeam" "hello: 4 threads joined, counter 40000" "hello: all checks passed"; do
  grep -qF "$want" <<<"$out" && ok "hello-posix: '$want'" || bad "hello-posix: missing '$want'"
done
rm -f /tmp/fb-posix-$$.log
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
