# powercut-erlang.sh - power cuts while Erlang appends to a disk_log and
# commits mnesia transactions on /data (issue 15 item 4), sourced by
# tests/suites/powercut.sh.  Needs checks.sh's helpers and $work.
#
# The application tests/storage/pcerl.erl in an image made with `image
# --app DIR --system beam/data-disk.config` (mnesia's dir on /data from its
# sys.config).  A first boot makes the schema and halts.  Each cut then
# boots the image, waits for `pcerl: recovered`, lets it run a random time
# (0 to POWERCUT_MAX_MS) and kills QEMU.  After each cut: on a copy of the
# disk the host's e2fsck replays the journal and `e2fsck -fn` must be clean;
# the next boot must recover a disk_log of exactly the terms 1..L and a table
# of exactly the keys 1..T, both at least the last round the console acked.

# powercut_erlang N: N cuts.  Adds its checks.
powercut_erlang() {
  local cuts=$1 max_ms=${POWERCUT_MAX_MS:-1500}
  local app=$work/pcerl d=$work/pcerl.img copy=$work/pcerl.copy log=$work/pcerl.log
  mkdir -p "$app/ebin"
  erlc -o "$app/ebin" tests/storage/pcerl.erl || { bad "erlc tests/storage/pcerl.erl"; return; }
  cat >"$app/ebin/pcerl.app" <<'APP'
{application, pcerl, [{description, "power cuts under disk_log and mnesia"}, {vsn, "1"},
  {modules, [pcerl]}, {registered, []}, {applications, [kernel, stdlib]},
  {included_applications, [mnesia]}, {mod, {pcerl, []}}]}.
APP
  echo '[{mnesia, [{dir, "/data/pc/mnesia"}]}].' >"$work/pcerl-sys.config"
  tools/freebeam image --app "$app" --system beam/data-disk.config --sys-config "$work/pcerl-sys.config" \
    -o "$work/pcerl-image.img" >"$work/pcerl-image.log" 2>&1 ||
    { show <"$work/pcerl-image.log"; bad "erlang: image --app pcerl"; return; }
  tools/freebeam disk --size 32M --ext4 "$d" >/dev/null 2>&1 || { bad "erlang: disk --ext4"; return; }
  tools/freebeam run "$work/pcerl-image.img" --disk "$d" --timeout 120 >"$log.raw" 2>&1
  tr -d '\r' <"$log.raw" >"$log"
  check "erlang: the first boot makes the mnesia schema on /data" grep -aq '^pcerl: set up$' "$log" ||
    { tail -n 15 "$log" | show; return; }
  local i ms pid acked=0 ran=0 unclean=0 lost=0 torn=0 boots=0 first_bad="" L T ok t0=$SECONDS
  for ((i = 1; i <= cuts + 1; i++)); do
    start_until "$log.raw" '^pcerl: recovered' 60 tools/freebeam run "$work/pcerl-image.img" --disk "$d"
    pid=$started
    # What the boot recovered, against what the last cut's run acked.
    read -r L T ok < <(tr -d '\r' <"$log.raw" | sed -n 's/^pcerl: recovered log \([0-9]*\) txn \([0-9]*\) \([A-Z a-z]*\)$/\1 \2 \3/p')
    if [ -z "${L:-}" ]; then
      lost=$((lost + 1))
      if [ -z "$first_bad" ]; then
        # Whether QEMU was still running, or how it ended, and what it printed.
        local how="still running after 60 s"
        kill -0 "$pid" 2>/dev/null || { wait "$pid"; how="QEMU ended with status $?"; }
        first_bad="boot $i: no recovery line ($how, $(wc -c <"$log.raw") bytes of console)"
        cp "$log.raw" "$work/pcerl-first-bad.log"
        tr -d '\r' <"$log.raw" | tail -n 15 | show
      fi
    else
      boots=$((boots + 1))
      [ "$ok" = ok ] || { torn=$((torn + 1)); [ -n "$first_bad" ] || first_bad="boot $i: log $L txn $T not whole"; }
      if [ "$L" -lt "$acked" ] || [ "$T" -lt "$acked" ]; then
        lost=$((lost + 1))
        [ -n "$first_bad" ] || first_bad="boot $i: acked $acked, recovered log $L txn $T"
      fi
    fi
    [ "$i" -le "$cuts" ] || { kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; break; }
    ms=$((RANDOM % (max_ms + 1)))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    ran=$((ran + 1))
    local last
    last=$(tr -d '\r' <"$log.raw" | sed -n 's/^pcerl: acked \([0-9]*\)$/\1/p' | tail -n 1)
    [ -z "$last" ] || acked=$last
    cp --sparse=always "$d" "$copy"
    e2fsck -E journal_only -y "$copy" >/dev/null 2>&1
    if ! e2fsck -fn "$copy" >"$work/pcerl.fsck" 2>&1; then
      unclean=$((unclean + 1))
      [ -n "$first_bad" ] || { first_bad="cut $i: e2fsck -fn after e2fsck's replay:"; show <"$work/pcerl.fsck" | head -20; }
    fi
  done
  [ -z "$first_bad" ] || echo "  | first problem: $first_bad"
  check "erlang: $ran cuts under disk_log and mnesia (up to round $acked): e2fsck -fn clean after e2fsck's replay each time" \
    eval '[ $unclean -eq 0 ] && [ $ran -eq '"$cuts"' ] && [ $acked -gt 0 ]'
  check "erlang: every boot recovered the disk_log's terms and the table's keys whole ($boots boots)" \
    eval '[ $torn -eq 0 ] && [ $boots -eq '"$((cuts + 1))"' ]'
  check "erlang: every acked disk_log entry and mnesia transaction survived the cut after it" eval '[ $lost -eq 0 ]'
  echo "  | erlang: $cuts cuts in $((SECONDS - t0)) s"
}
