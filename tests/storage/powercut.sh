# powercut.sh - power cuts on /data, sourced by tests/suites/storage.sh
# (a few) and tests/suites/powercut.sh (POWERCUT_CUTS, 200 by default).
# Needs checks.sh's helpers, $work and $img (build/images/posix-ext4.img).
#
# One disk holding /powercut, so that tests/posix/ext4.c runs its power-cut
# workload (tests/posix/ext4_powercut.c): rounds of files created, written,
# unlinked, a directory made and removed, a new generation fsync'd and
# renamed over /w/current, a line appended to /w/log and fsync'd, then
# `powercut: acked M`.  Each cut boots the image on the disk, waits for the
# workload to say what it recovered, lets it run for a random time (0 to
# POWERCUT_MAX_MS) and kills QEMU with SIGKILL; every fifth cut comes
# instead at a random moment of the boot, our replay included.  Then, on a copy of the
# disk: the host's e2fsck replays the journal (-E journal_only, as a Linux
# kernel would) and `e2fsck -fn` must find it clean; /w/current must be a
# whole generation G and /w/log whole lines 1..K, with G = K or K + 1 (the
# rename done, the append not yet), neither older than the last acked round
# (the console may lag behind the guest, so newer is not an error).  The next boot replays with
# our own code and must recover exactly what the host's e2fsck did.  A
# last boot runs to its end: the disk is then clean as it is.

# Generation of /w/current on stdin (0 when empty), -1 if not whole.
pc_gen() {
  awk 'NR == 1 { if ($1 != "gen") bad = 1; m = $2; next }
       { if ($0 != m ":............................................................") bad = 1; n++ }
       END { if (NR == 0) { print 0; exit } print (bad || n != 1 + (m * 7) % 300) ? -1 : m }'
}
# Last line of /w/log on stdin (0 when empty), -1 if the lines are not 1..K.
pc_log() { awk '$0 != NR { bad = 1 } END { print bad ? -1 : NR }'; }

# powercut_cuts TAG N: N cuts on one disk.  Adds its checks.
powercut_cuts() {
  local tag=$1 cuts=$2 max_ms=${POWERCUT_MAX_MS:-1500}
  local d="$work/$tag.img" copy="$work/$tag.copy" log="$work/$tag.log"
  local acked=0 want_g=0 want_k=0 i wait_s ms pid g k rg rk recovered=0 in_log=0
  local unclean=0 lost=0 ours=0 ran=0 killed_mid=0 first_bad=""
  mkdir -p "$work/$tag.content" && : >"$work/$tag.content/powercut"
  tools/freebeam disk --size 32M --ext4 --from "$work/$tag.content" "$d" >/dev/null 2>&1 ||
    { bad "$tag: disk --ext4"; return; }
  local t0=$SECONDS
  for ((i = 1; i <= cuts; i++)); do
    # Every fifth cut comes while the image boots (and replays); the others
    # after the workload said what it recovered.
    ((i % 5 != 0)) && wait_s=30 || wait_s=0
    start_until "$log.raw" '^powercut: state' "$wait_s" tools/freebeam run "$img" --disk "$d"
    pid=$started
    ms=$((RANDOM % (max_ms + 1)))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    tr -d '\r' <"$log.raw" >"$log"
    ran=$((ran + 1))
    grep -aq '^powercut: done' "$log" || killed_mid=$((killed_mid + 1))
    # What our replay recovered must be what e2fsck's replay of the same disk gave.
    read -r rg rk < <(sed -n 's/^powercut: recovered gen \(-*[0-9]*\) log \(-*[0-9]*\)$/\1 \2/p' "$log")
    rg=${rg:-x} rk=${rk:-x}
    [ "$rg" = x ] || recovered=$((recovered + 1))
    if { [ "$rg" != x ] && { [ "$rg" != "$want_g" ] || [ "$rk" != "$want_k" ]; }; } ||
       grep -aq '^powercut: state BAD' "$log"; then
      ours=$((ours + 1))
      [ -n "$first_bad" ] || first_bad="cut $i: our replay gave gen $rg log $rk, e2fsck's gen $want_g log $want_k"
    fi
    local last
    last=$(sed -n 's/^powercut: acked \([0-9]*\)$/\1/p' "$log" | tail -n 1)
    [ -z "$last" ] || acked=$last
    cp --sparse=always "$d" "$copy"
    dumpe2fs -h "$copy" 2>/dev/null | grep -q '^Journal start: *[1-9]' && in_log=$((in_log + 1))
    e2fsck -E journal_only -y "$copy" >/dev/null 2>&1
    if ! e2fsck -fn "$copy" >"$work/$tag.fsck" 2>&1; then
      unclean=$((unclean + 1))
      [ -n "$first_bad" ] || { first_bad="cut $i: e2fsck -fn after e2fsck's replay:"; show <"$work/$tag.fsck" | head -20; }
    fi
    g=$(debugfs -R "cat /w/current" "$copy" 2>/dev/null | pc_gen)
    k=$(debugfs -R "cat /w/log" "$copy" 2>/dev/null | pc_log)
    if [ "$g" -lt "$acked" ] || [ "$k" -lt "$acked" ] || [ $((g - k)) -lt 0 ] || [ $((g - k)) -gt 1 ]; then
      lost=$((lost + 1))
      [ -n "$first_bad" ] || first_bad="cut $i: after acked $acked the disk holds gen $g log $k"
    fi
    want_g=$g want_k=$k
  done
  local secs=$((SECONDS - t0))
  [ -z "$first_bad" ] || echo "  | first problem: $first_bad"
  check "$tag: $ran cuts ($killed_mid mid-work, $in_log with transactions in the journal, up to round $acked): e2fsck -fn clean after e2fsck's replay each time" \
    eval '[ $unclean -eq 0 ] && [ $ran -eq '"$cuts"' ] && [ $killed_mid -gt 0 ] && [ $in_log -gt 0 ]'
  check "$tag: every acked rename and fsync'd append there, nothing torn" eval '[ $lost -eq 0 ]'
  check "$tag: our replay at the next boot recovers what e2fsck's did ($recovered boots got that far)" \
    eval '[ $ours -eq 0 ] && [ $recovered -gt 0 ]'
  echo "  | $tag: $cuts cuts in $secs s ($(awk "BEGIN { printf \"%.2f\", $secs / $cuts }") s per cut)"
  # A last boot to the end: our replay, a clean unmount, e2fsck -fn clean as it is.
  tools/freebeam run "$img" --disk "$d" --timeout 60 >"$log.raw" 2>&1
  tr -d '\r' <"$log.raw" >"$log"
  check "$tag: a last boot recovers gen $want_g log $want_k, runs to its end; e2fsck -fn clean" \
    eval 'grep -aq "^powercut: recovered gen $want_g log $want_k$" "$log" && grep -aq "^powercut: done$" "$log" &&
          e2fsck -fn "$d" >"$work/$tag.fsck" 2>&1' || show <"$work/$tag.fsck" | head -20
}
