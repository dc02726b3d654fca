#!/usr/bin/env bash
# serial.sh - the serial driver PD and its ring protocol, end to end: boots
# build/images/echo.img (systems/echo.config) with known text on the UART's
# input and checks what the echo client answers through the driver: every
# line, in order, the client's report (bytes, lines, CRC-32 of the input,
# overruns 0), `echo: bye` and exit status 0.  The second run sends a burst
# several times larger than the RX ring, so the driver must stop reading
# the UART while the ring is full and resume without losing a byte.
#
# The input is `tools/freebeam run`'s stdin: without a terminal it goes to
# the serial port byte for byte (no monitor, no Ctrl-A escape).  Ends with the line `N passed, N failed`; exits 0 only if none failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
IMG=${IMGDIR:-$B/images}/echo.img
TIMEOUT=${TIMEOUT:-60}


tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$IMG" ]; then
  echo "$IMG: missing (make images, with drivers/drivers.mk included)"
  verdict "echo image exists" 1
  finish
fi

# boot NAME INPUT: runs the image with INPUT on its serial port; leaves the
# console (CR removed) in $tmp/NAME.log, QEMU's own output in
# $tmp/NAME.qemu, the exit status in $rc.
boot() {
  local name=$1 input=$2
  tools/freebeam run "$IMG" --timeout "$TIMEOUT" <"$input" >"$tmp/$name.raw" 2>"$tmp/$name.qemu"; rc=$?
  tr -d '\r' <"$tmp/$name.raw" >"$tmp/$name.log"
}

# expect_echo NAME INPUT: the client's answers for INPUT (LF or CRLF lines).
expect_echo() {
  local input=$1 crc bytes lines
  bytes=$(wc -c <"$input")
  lines=$(tr -d '\r' <"$input" | wc -l)
  crc=$(gzip -c <"$input" | tail -c 8 | od -An -N4 -tx4 | tr -d ' ')
  tr -d '\r' <"$input" | sed '/^quit$/d; s/^/echo: /'
  echo "echo: $bytes bytes in $lines lines, crc32 $crc, overruns 0"
  echo "echo: bye"
}

# run_case NAME INPUT: boot with INPUT, compare every `echo: ` line.
run_case() {
  local name=$1 input=$2
  boot "$name" "$input"
  sed 's/^/  | /' "$tmp/$name.log" | head -n 20
  local n; n=$(wc -l <"$tmp/$name.log")
  [ "$n" -gt 20 ] && echo "  | ... ($n lines)"
  verdict "$name: exit status 0 (got $rc)" $((rc != 0))
  grep -q '^serial: PL011 driver up' "$tmp/$name.log"
  verdict "$name: the driver's start line" $?
  expect_echo "$input" >"$tmp/$name.want"
  grep '^echo: ' "$tmp/$name.log" | grep -v '^echo: rx ring found full' >"$tmp/$name.got"
  if diff -u "$tmp/$name.want" "$tmp/$name.got" >"$tmp/$name.diff"; then
    verdict "$name: $(wc -l <"$tmp/$name.want") answers complete and in order" 0
  else
    head -n 20 "$tmp/$name.diff" | sed 's/^/  /'
    verdict "$name: answers complete and in order" 1
    sed 's/^/  qemu: /' "$tmp/$name.qemu" | tail -n 5
  fi
}

# 1. A few lines, LF and CRLF ends, then quit.
printf 'hello\nworld\r\nfreebeam serial ring\nquit\n' >"$tmp/lines.in"
run_case lines "$tmp/lines.in"

# 2. A burst of 16 KiB of known text (8 times the 2 KiB RX ring), then quit.
# `pause` lines stop the client from reading for a while, so the driver
# finds the RX ring full and must hold the UART's input back.
{
  echo pause
  for i in $(seq 1 256); do
    printf 'burst %05d: the quick brown fox jumps over the lazy dog %05d\n' "$i" $((i * 7919 % 100000))
    [ "$i" -eq 128 ] && echo pause
  done
  echo quit
} >"$tmp/burst.in"
run_case burst "$tmp/burst.in"
full=$(sed -n 's/^echo: rx ring found full \([0-9]*\) times$/\1/p' "$tmp/burst.log")
verdict "burst: the RX ring was full and nothing was lost (found full ${full:-?} times)" \
  $(( ${full:-0} < 1 ))

finish
