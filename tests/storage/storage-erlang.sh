# storage-erlang.sh - the Erlang part of tests/suites/storage.sh, sourced by it (its work dir,
# boot, has, fails, fsck_clean): Erlang's file module and DETS on /data.
# The application tests/storage/storage_check.erl in an image made with
# `tools/freebeam image --app DIR --system beam/data-disk.config`, booted
# twice on one disk from `tools/freebeam disk --ext4`; e2fsck -fn clean
# after each boot, debugfs reads a file the BEAM wrote.
app=$work/storage_check
mkdir -p "$app/ebin"
cat >"$app/ebin/storage_check.app" <<'APP'
{application, storage_check, [{description, "file and DETS on /data"}, {vsn, "1"},
  {modules, [storage_check]}, {registered, []}, {applications, [kernel, stdlib]},
  {mod, {storage_check, []}}]}.
APP
if ! erlc -o "$app/ebin" tests/storage/storage_check.erl; then
  bad "erlc tests/storage/storage_check.erl"
elif ! tools/freebeam image --app "$app" --system beam/data-disk.config -o "$work/erl.img" \
       --workdir "$work/erlwork" >"$work/image.log" 2>&1; then
  bad "image --app storage_check --system beam/data-disk.config"; show <"$work/image.log"
else
  ok "image --app storage_check --system beam/data-disk.config: built"
  tools/freebeam disk --size 64M --ext4 "$work/e.img" >/dev/null 2>&1
  boot e1 "$work/erl.img" --disk "$work/e.img"
  check "Erlang, first boot: /data mounted" has e1 '^libos: ext4: /data mounted, KiB 65536$'
  check "Erlang, first boot: file and DETS checks pass ($(grep -a '^storage: [0-9]* passed' "$work/e1.log"))" \
    eval 'has e1 "^storage: phase 1$" && has e1 "^storage: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails e1
  check "Erlang, first boot: e2fsck -fn finds the disk clean" fsck_clean "$work/e.img"
  check "Erlang, first boot: debugfs reads the file the BEAM wrote" \
    eval '[ "$(debugfs -R "cat /erl/a.txt" "$work/e.img" 2>/dev/null)" = "written by erlang" ]'
  boot e2 "$work/erl.img" --disk "$work/e.img"
  check "Erlang, second boot: all of it read back ($(grep -a '^storage: [0-9]* passed' "$work/e2.log"))" \
    eval 'has e2 "^storage: phase 2$" && has e2 "^storage: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails e2
  check "Erlang, second boot: e2fsck -fn finds the disk clean" fsck_clean "$work/e.img"
fi
