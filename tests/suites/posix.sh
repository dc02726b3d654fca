#!/usr/bin/env bash
# POSIX programs on freebeam: our musl has no trapping instruction left,
# programs linked against it and libos keep svc inside libos only, and the
# hello-posix image (printf, malloc, pthreads, TLS, clocks, exit status)
# boots and powers off with 0; posix-files (archive, tmpfs, /dev, descriptors)
# passes every check.  Ends with `N passed, N failed`.
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
img=build/images/posix-files.img
out=$(tools/freebeam run "$img" --timeout 60 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "posix-files: exit status 0" || bad "posix-files: exit status $rc"
if grep -qE "^files: [0-9]+ passed, 0 failed" <<<"$out"; then ok "posix-files: every file check passed"
else bad "posix-files: missing 'files: N passed, 0 failed'"; fi
# ---- posix-ipc: pipes, eventfd, poll/select, identity, limits, processes ----
# The same tests/posix/ipc.c in a PD and on the host with its own libc: the
# host run proves the checks test Linux's semantics.
img=build/images/posix-ipc.img
out=$(tools/freebeam run "$img" --timeout 120 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "posix-ipc: exit status 0" || bad "posix-ipc: exit status $rc"
if grep -qE "^ipc: [0-9]+ passed, 0 failed" <<<"$out"; then ok "posix-ipc: every ipc check passed"
else bad "posix-ipc: missing 'ipc: N passed, 0 failed'"; fi
mkdir -p build/host
if ${HOSTCC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -pthread tests/posix/ipc.c -o build/host/ipc-linux \
     >/tmp/fb-posix-$$.log 2>&1; then
  out=$(timeout 120 build/host/ipc-linux 2>&1); rc=$?
  echo "$out" | sed 's/^/  | /'
  if [ "$rc" -eq 0 ] && grep -qE "^ipc: [0-9]+ passed, 0 failed" <<<"$out"; then
    ok "ipc on the host's Linux: every check passed"
  else bad "ipc on the host's Linux: exit status $rc"; fi
else cat /tmp/fb-posix-$$.log; bad "ipc on the host's Linux: build failed"; fi
rm -f /tmp/fb-posix-$$.log
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
