#!/usr/bin/env bash
# POSIX programs on freebeam: our musl has no trapping instruction left,
# programs linked against it and libos keep svc inside libos only, and the
# hello-posix image (printf, malloc, pthreads, TLS, clocks, exit status)
# boots and powers off with 0; posix-files (archive, tmpfs, /dev, descriptors)
# passes every check; posix-ipc, posix-net (sockets over loopback), posix-symlinks and
# posix-conformance pass in a PD and on the host.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

if make --no-print-directory -s musl-check >/tmp/fb-posix-$$.log 2>&1; then ok "musl: no svc, no kuser helpers in libc.a"
else cat /tmp/fb-posix-$$.log; bad "musl: no svc, no kuser helpers in libc.a"; fi
if make --no-print-directory -s libos-check >/tmp/fb-posix-$$.log 2>&1; then ok "hello.elf: svc only inside libos"
else cat /tmp/fb-posix-$$.log; bad "hello.elf: svc only inside libos"; fi

img=$B/images/hello-posix.img
out=$(tools/freebeam run "$img" --timeout 60 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "hello-posix: exit status 0" || bad "hello-posix: exit status $rc"
for want in "hello from musl on freebeam" "hello: 4 threads joined, counter 40000"; do
  grep -qF "$want" <<<"$out" && ok "hello-posix: '$want'" || bad "hello-posix: missing '$want'"
done
grep -qE "^hello: [1-9][0-9]* passed, 0 failed" <<<"$out" && ok "hello-posix: every check passed" ||
  bad "hello-posix: missing 'hello: N passed, 0 failed'"
img=$B/images/posix-files.img
out=$(tools/freebeam run "$img" --timeout 60 </dev/null 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
[ "$rc" -eq 0 ] && ok "posix-files: exit status 0" || bad "posix-files: exit status $rc"
if grep -qE "^files: [1-9][0-9]* passed, 0 failed" <<<"$out"; then ok "posix-files: every file check passed"
else bad "posix-files: missing 'files: N passed, 0 failed'"; fi
# in_pd_and_on_linux NAME WHAT: tests/posix/NAME.c in a PD (image posix-NAME)
# and built for the host with its own libc: the host run proves the checks
# test Linux's semantics.  Each must print `NAME: N passed, 0 failed`.
mkdir -p $B/host
in_pd_and_on_linux() {
  local name=$1 what=$2 out rc
  out=$(tools/freebeam run "$B/images/posix-$name.img" --timeout 120 </dev/null 2>&1); rc=$?
  echo "$out" | sed 's/^/  | /'
  [ "$rc" -eq 0 ] && ok "posix-$name: exit status 0" || bad "posix-$name: exit status $rc"
  if grep -qE "^$name: [1-9][0-9]* passed, 0 failed" <<<"$out"; then ok "posix-$name: every $what check passed"
  else bad "posix-$name: missing '$name: N passed, 0 failed'"; fi
  if ${HOSTCC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -pthread "tests/posix/$name.c" -o "$B/host/$name-linux" \
       >/tmp/fb-posix-$$.log 2>&1; then
    out=$(timeout 120 "$B/host/$name-linux" 2>&1); rc=$?
    echo "$out" | sed 's/^/  | /'
    if [ "$rc" -eq 0 ] && grep -qE "^$name: [1-9][0-9]* passed, 0 failed" <<<"$out"; then
      ok "$name on the host's Linux: every check passed"
    else bad "$name on the host's Linux: exit status $rc"; fi
  else cat /tmp/fb-posix-$$.log; bad "$name on the host's Linux: build failed"; fi
}
# ---- posix-ipc: pipes, eventfd, poll/select, identity, limits, processes ----
in_pd_and_on_linux ipc ipc
# ---- posix-net: IPv4 sockets over the loopback interface ----
in_pd_and_on_linux net socket
# ---- posix-symlinks: symbolic links on the tmpfs ----
in_pd_and_on_linux symlinks "symbolic link"
# ---- posix-conformance: tests/posix/conformance.c (threads, TLS, memory, ----
# ---- time, files on the rootfs archive and /tmp, pipes, fds, processes)  ----
# In a PD (image posix-conformance), again under --det where the timed waits
# must last exactly what they ask (to 50 us: virtual time jumps to the
# deadline), and on the host with its own libc (the checks test Linux).
conformance_ok() {   # NAME OUTPUT STATUS
  if [ "$3" -eq 0 ] && grep -qE "^conformance: [1-9][0-9]* passed, 0 failed" <<<"$2" &&
     ! grep -q "^not ok" <<<"$2"; then ok "$1: every check passed"
  else bad "$1: exit status $3 or a check failed"; fi
}
img=$B/images/posix-conformance.img
out=$(tools/freebeam run "$img" --timeout 180 </dev/null 2>&1); rc=$?
echo "$out" | grep -v '^ok - ' | sed 's/^/  | /'
conformance_ok "posix-conformance" "$out" "$rc"
out=$(tools/freebeam run "$img" --det --timeout 300 </dev/null 2>&1); rc=$?
echo "$out" | grep -v '^ok - ' | sed 's/^/  | /'
conformance_ok "posix-conformance --det" "$out" "$rc"
for want in cond_timedwait_200ms:200000 cond_timedwait_mono_200ms:200000 sem_timedwait_200ms:200000 \
            nanosleep_50ms:50000 clock_nanosleep_rel_30ms:30000 clock_nanosleep_abs_late:0; do
  name=${want%%:*}; us=${want#*:}
  got=$(tr -d '\r' <<<"$out" | sed -n "s/^conformance: timing ${name}_us=\([0-9]*\)$/\1/p" | head -n 1)
  if [ -n "$got" ] && [ "$got" -ge "$us" ] && [ "$got" -lt $((us + 50)) ]; then
    ok "posix-conformance --det: $name took ${got} us (exact: $us..$((us + 49)))"
  else bad "posix-conformance --det: $name took '${got}' us, not $us..$((us + 49))"; fi
done
mkdir -p $B/host
if ${HOSTCC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -pthread tests/posix/conformance.c \
     -o $B/host/conformance-linux >/tmp/fb-posix-$$.log 2>&1; then
  out=$(FB_CONFORMANCE=1 timeout 120 $B/host/conformance-linux tests/posix/conformance-data 2>&1); rc=$?
  echo "$out" | grep -v '^ok - ' | sed 's/^/  | /'
  conformance_ok "conformance on the host's Linux" "$out" "$rc"
else cat /tmp/fb-posix-$$.log; bad "conformance on the host's Linux: build failed"; fi
rm -f /tmp/fb-posix-$$.log
finish
