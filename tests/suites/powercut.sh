#!/usr/bin/env bash
# powercut.sh - power cuts on /data (issue 15): POWERCUT_CUTS (200 by
# default) kills of QEMU at random moments while the image writes, fsyncs,
# renames over and appends to files on its ext4 disk, each followed by
# `e2fsck -fn` after the journal's replay and a check that every fsync'd
# write is there (tests/storage/powercut.sh says how).  The cuts are shared
# by POWERCUT_JOBS (2) disks cut side by side, one QEMU each.  Prints the
# time per cut.  Then POWERCUT_ERLANG_CUTS (12) cuts while Erlang appends to
# a disk_log and commits mnesia transactions (tests/storage/powercut-erlang.sh):
# every acked entry and transaction must survive.  Ends with `N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
. tests/lib/background.sh
img=$B/images/posix-ext4.img
make --no-print-directory -s "$img" >/dev/null || give_up "make $img"
work=$(mktemp -d $B/powercut-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH=$PATH:/usr/sbin:/sbin
. tests/storage/powercut.sh
cuts=${POWERCUT_CUTS:-200} jobs=${POWERCUT_JOBS:-2}
start=$SECONDS
for ((j = 1; j <= jobs; j++)); do
  n=$((cuts / jobs + (j <= cuts % jobs ? 1 : 0)))
  (pass=0 fail=0; powercut_cuts "disk$j" "$n" >"$work/job$j.out" 2>&1) &
done
wait
for ((j = 1; j <= jobs; j++)); do
  cat "$work/job$j.out"
  tally "$(grep -c '^ok ' "$work/job$j.out")" "$(grep -c '^FAIL ' "$work/job$j.out")"
done
secs=$((SECONDS - start))
echo "  | powercut: $cuts cuts on $jobs disks side by side in $secs s" \
     "($(awk "BEGIN { printf \"%.2f\", $secs / $cuts }") s of wall time per cut)"
. tests/storage/powercut-erlang.sh
powercut_erlang "${POWERCUT_ERLANG_CUTS:-12}"
finish
