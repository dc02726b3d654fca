#!/usr/bin/env bash
# docs/posix.md against libos's dispatch table: every call in the table
# (libos/systab_*.inc and the ARM private numbers of libos/syscall.c) has a
# row with its number, name and function, and every row is in the table
# (tests/suites/systab.py check).  Then the checker itself: a copy of the
# document with a row dropped and a row invented must fail, naming both.
# Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh

hdr=$B/sysroot/include/bits/syscall.h
if [ ! -f "$hdr" ]; then
  make --no-print-directory -s musl >/dev/null 2>&1 || true
fi
out=$(python3 tests/suites/systab.py --musl-header "$hdr" check 2>&1); rc=$?
echo "$out" | grep -v '^ok ' | grep -vE '^[0-9]+ passed, [0-9]+ failed' | sed 's/^/  | /'
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
n=${line%% passed*}
if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "${line#*, }" = "0 failed" ]; then
  ok "docs/posix.md documents each of the dispatch table's calls, and no other ($n checks)"
else bad "docs/posix.md and the dispatch table differ (see above)"; fi

# The checker catches drift: drop the row of `read`, invent a call 999.
tmp=$(mktemp)
sed -e '/^| 3 | `read` |/d' -e 's/^| 4 | `write` |/| 999 | `bogus` | `sys_bogus` | full | x |\n&/' \
  docs/posix.md >"$tmp"
out=$(python3 tests/suites/systab.py --musl-header "$hdr" --doc "$tmp" check 2>&1); rc=$?
if [ "$rc" -ne 0 ] && grep -q "^FAIL 3 read (-> sys_read" <<<"$out"; then
  ok "systab.py: a call missing from the document is reported"
else bad "systab.py: a call missing from the document was not reported"; fi
if grep -q "999 bogus -> sys_bogus is documented but not in the dispatch table" <<<"$out"; then
  ok "systab.py: a documented call missing from the table is reported"
else bad "systab.py: a documented call missing from the table was not reported"; fi
sed -e 's/^| 6 | `close` | `sys_close` | full |/| 6 | `close` | `sys_close` | mostly |/' docs/posix.md >"$tmp"
out=$(python3 tests/suites/systab.py --musl-header "$hdr" --doc "$tmp" check 2>&1); rc=$?
if [ "$rc" -ne 0 ] && grep -q "close: status 'mostly'" <<<"$out"; then
  ok "systab.py: a status other than full/partial/refused is reported"
else bad "systab.py: a bad status was not reported"; fi
rm -f "$tmp"
finish
