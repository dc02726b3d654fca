# osync.sh - what an O_SYNC write promises, sourced by tests/suites/storage.sh
# (needs checks.sh's helpers, fsck_clean, $work and $img =
# build/images/posix-ext4.img).
#
# One disk holding /osync, so that tests/posix/ext4.c runs the O_SYNC
# workload (tests/posix/ext4_osync.c): 300 KiB written with one write() to
# a file opened O_SYNC, 4 KiB of it rewritten with one pwrite(), each
# followed by `osync: acked N`; then a write without O_SYNC to another file
# and `osync: plain written`.  QEMU is killed (SIGKILL) as soon as that
# line shows: no clean unmount, and well within the 5 s after which the
# commit timer would commit the plain write.  On a copy of the disk the
# host's e2fsck replays the journal and `e2fsck -fn` must find it clean;
# the O_SYNC file must hold exactly what was acked, and the plain file
# nothing (the control: it shows the kill came before any other commit,
# so the O_SYNC data got there through the O_SYNC writes' own commits).

osync_cut() {
  local d="$work/osync.img" copy="$work/osync.copy" log="$work/osync.log"
  mkdir -p "$work/osync.content" && : >"$work/osync.content/osync"
  tools/freebeam disk --size 32M --ext4 --from "$work/osync.content" "$d" >/dev/null 2>&1 ||
    { bad "O_SYNC: disk --ext4"; return; }
  awk 'BEGIN { for (i = 0; i < 19200; i++) printf "%s %010d\n", (i >= 512 && i < 768) ? "LINE" : "line", i }' \
    >"$work/osync.want"
  start_until "$log.raw" '^osync: plain written' 60 tools/freebeam run "$img" --disk "$d" --timeout 60
  kill -KILL "$started" 2>/dev/null
  wait "$started" 2>/dev/null
  tr -d '\r' <"$log.raw" >"$log"
  check "O_SYNC: the image acked both writes, wrote the plain file and was killed at once" \
    eval 'grep -aq "^osync: acked 1$" "$log" && grep -aq "^osync: acked 2$" "$log" &&
          grep -aq "^osync: plain written$" "$log" && ! grep -aq "^osync: \(not killed\|FAIL\)" "$log"' ||
    grep -a 'osync\|FAIL\|^libos: ext4' "$log" | head -20 | show
  cp --sparse=always "$d" "$copy"
  e2fsck -E journal_only -y "$copy" >/dev/null 2>&1
  check "O_SYNC: e2fsck -fn clean after e2fsck's replay" fsck_clean "$copy"
  check "O_SYNC: the acked write and pwrite are on the disk, whole ($(wc -c <"$work/osync.want") bytes)" \
    eval 'debugfs -R "cat /osync.dat" "$copy" 2>/dev/null | cmp -s - "$work/osync.want"'
  check "O_SYNC: control: the write without O_SYNC after them is not there (no other commit came)" \
    eval '[ -z "$(debugfs -R "cat /plain.dat" "$copy" 2>/dev/null)" ]'
}
osync_cut
