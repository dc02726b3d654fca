#!/usr/bin/env bash
# Entropy (libos/entropy.c, drivers/rng, drivers/virtio), booted in QEMU
# with build/images/entropy.img (systems/entropy.config, tests/posix/entropy.c):
#   - with QEMU's virtio entropy device rate-limited to 8 bytes per 2 s
#     (so libos's first seed of 32 bytes takes seconds): getrandom with
#     GRND_NONBLOCK and /dev/random with O_NONBLOCK give EAGAIN before the
#     seed, GRND_INSECURE does not wait, a blocking getrandom waits for
#     the seed and then returns, GRND_NONBLOCK works once seeded;
#   - 1 MiB from /dev/urandom passes the host's rngtest (rng-tools5) FIPS
#     140-2 checks: at least 400 blocks of 20000 bits tested, at most 3 of
#     them failing (a perfect source fails a block about once in 1250, so
#     0 to 3 failures in ~420 blocks happen 99.95% of the time);
#   - without the device (`run --no-rng`): the driver says there is none,
#     libos says once that randomness is NOT cryptographically seeded, and
#     getrandom does not block.
# Ends with `N passed, N failed`.  ENTROPY_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
img=$B/images/entropy.img
make --no-print-directory -s "$img" >/dev/null || { bad "make $img"; finish; }
command -v rngtest >/dev/null || { bad "rngtest is not installed (tools/setup.sh: rng-tools5)"; finish; }
work=$(mktemp -d $B/entropy-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
t=${ENTROPY_TIMEOUT:-300}

# ---- with a slow device ----
tools/freebeam run "$img" --timeout "$t" --no-rng -- \
  -device virtio-rng-device,max-bytes=8,period=2000 >"$work/slow.log" 2>&1
rc=$?
line() { grep -a -m1 "^entropy: $1" "$work/slow.log" | tr -d '\r'; }
check "slow device: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
check "the driver found the device" eval 'grep -aq "^rng: virtio-rng (legacy) in slot 31, irq 79" "$work/slow.log"'
check "getrandom GRND_NONBLOCK before the seed: EAGAIN" eval '[ "$(line "getrandom NONBLOCK at start")" = "entropy: getrandom NONBLOCK at start: EAGAIN" ]'
check "/dev/random O_NONBLOCK before the seed: EAGAIN" eval '[ "$(line "/dev/random O_NONBLOCK at start")" = "entropy: /dev/random O_NONBLOCK at start: EAGAIN" ]'
check "getrandom GRND_INSECURE before the seed: bytes" eval '[ "$(line "getrandom INSECURE at start")" = "entropy: getrandom INSECURE at start: ok" ]'
blocked=$(line "getrandom blocking")
secs=$(printf '%s\n' "$blocked" | sed -n 's/^entropy: getrandom blocking: ok after \([0-9.]*\) s$/\1/p')
check "a blocking getrandom waits for the seed, then returns 32 bytes ($blocked)" eval \
  '[ -n "$secs" ] && awk -v s="$secs" "BEGIN { exit !(s >= 1.0) }"'
check "getrandom GRND_NONBLOCK once seeded" eval '[ "$(line "getrandom NONBLOCK once seeded")" = "entropy: getrandom NONBLOCK once seeded: ok" ]'
check "getrandom with an unknown flag: EINVAL" eval '[ "$(line "getrandom unknown flag")" = "entropy: getrandom unknown flag: EINVAL" ]'
check "no seeding fallback with a device" eval '! grep -aq "NOT cryptographically seeded" "$work/slow.log"'

# ---- 1 MiB of /dev/urandom through rngtest ----
sed -n '/^entropy: data begin/,/^entropy: data end/p' "$work/slow.log" | tr -d '\r' |
  grep -E '^[0-9a-f]{128}$' | xxd -r -p >"$work/data.bin"
size=$(stat -c %s "$work/data.bin")
check "1 MiB of /dev/urandom read ($size bytes)" eval '[ "$size" -eq 1048576 ]'
rngtest <"$work/data.bin" >"$work/rngtest.log" 2>&1
tested=$(sed -n 's/.*rngtest: FIPS 140-2 successes: \([0-9]*\).*/\1/p' "$work/rngtest.log")
failed=$(sed -n 's/.*rngtest: FIPS 140-2 failures: \([0-9]*\).*/\1/p' "$work/rngtest.log")
grep -a "FIPS 140-2" "$work/rngtest.log" | sed 's/^/     /'
check "rngtest: FIPS 140-2 on ${tested:-?} + ${failed:-?} blocks, at most 3 failing" eval \
  '[ -n "$tested" ] && [ -n "$failed" ] && [ $((tested + failed)) -ge 400 ] && [ "$failed" -le 3 ]'

# ---- without a device ----
tools/freebeam run "$img" --timeout "$t" --no-rng >"$work/none.log" 2>&1
rc=$?
check "no device: the image powers off with 0 (exit $rc)" eval '[ $rc -eq 0 ]'
check "no device: the driver says so" eval 'grep -aq "^rng: no virtio entropy device" "$work/none.log"'
check "no device: libos says once that randomness is not seeded" eval \
  '[ "$(grep -ac "NOT cryptographically seeded" "$work/none.log")" -eq 1 ]'
check "no device: a blocking getrandom returns at once" eval \
  'grep -aq "^entropy: getrandom blocking: ok after 0\.[0-9] s" "$work/none.log"'
finish
