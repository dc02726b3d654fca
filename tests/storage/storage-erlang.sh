# storage-erlang.sh - the Erlang part of tests/suites/storage.sh, sourced by it (its work dir,
# boot, has, fails, fsck_clean): Erlang's file module, DETS, disk_log and
# mnesia on /data, and /data/sys.config over the image's sys.config.
# The application tests/storage/storage_check.erl in an image made with
# `tools/freebeam image --app DIR --system beam/data-disk.config --sys-config`,
# booted three times on one disk from `tools/freebeam disk --ext4`: e2fsck
# -fn clean after each boot, debugfs reads a file the BEAM wrote and, between
# the boots, writes /sys.config onto the disk (well formed, then malformed).
app=$work/storage_check
mkdir -p "$app/ebin"
cat >"$app/ebin/storage_check.app" <<'APP'
{application, storage_check, [{description, "file, DETS, disk_log and mnesia on /data"}, {vsn, "1"},
  {modules, [storage_check]}, {registered, []}, {applications, [kernel, stdlib]},
  {included_applications, [mnesia]}, {mod, {storage_check, []}}]}.
APP
echo '[{storage_check, [{greeting, image}]}, {mnesia, [{dir, "/data/erl/mnesia"}]}].' >"$work/image-sys.config"
echo '[{storage_check, [{greeting, data}]}].' >"$work/data-sys.config"
echo '[{storage_check, [{greeting, broken}]}' >"$work/broken-sys.config"   # no closing bracket
# put_config FILE: FILE as /sys.config on the disk (/data/sys.config in the image)
put_config() {
  debugfs -w -R "rm /sys.config" "$work/e.img" >/dev/null 2>&1
  debugfs -w -R "write $1 /sys.config" "$work/e.img" >/dev/null 2>&1 &&
    [ "$(debugfs -R "cat /sys.config" "$work/e.img" 2>/dev/null)" = "$(cat "$1")" ]
}
if ! erlc -o "$app/ebin" tests/storage/storage_check.erl; then
  bad "erlc tests/storage/storage_check.erl"
elif ! tools/freebeam image --app "$app" --system beam/data-disk.config --sys-config "$work/image-sys.config" \
       -o "$work/erl.img" --workdir "$work/erlwork" >"$work/image.log" 2>&1; then
  bad "image --app storage_check --system beam/data-disk.config --sys-config"; show <"$work/image.log"
else
  ok "image --app storage_check --system beam/data-disk.config --sys-config: built"
  tools/freebeam disk --size 64M --ext4 "$work/e.img" >/dev/null 2>&1
  boot e1 "$work/erl.img" --disk "$work/e.img"
  check "Erlang, first boot: /data mounted" has e1 '^libos: ext4: /data mounted, KiB 65536$'
  check "Erlang, first boot: file, DETS, disk_log and mnesia checks pass ($(grep -a '^storage: [0-9]* passed' "$work/e1.log"))" \
    eval 'has e1 "^storage: phase 1$" && has e1 "^storage: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails e1
  check "Erlang, first boot: e2fsck -fn finds the disk clean" fsck_clean "$work/e.img"
  check "Erlang, first boot: debugfs reads the file the BEAM wrote" \
    eval '[ "$(debugfs -R "cat /erl/a.txt" "$work/e.img" 2>/dev/null)" = "written by erlang" ]'
  check "debugfs writes /sys.config onto the disk" put_config "$work/data-sys.config"
  boot e2 "$work/erl.img" --disk "$work/e.img"
  check "Erlang, second boot: the console says /data/sys.config overrides storage_check's settings" \
    has e2 '/data/sys.config overrides the settings of \[storage_check\]'
  check "Erlang, second boot: all of it read back ($(grep -a '^storage: [0-9]* passed' "$work/e2.log"))" \
    eval 'has e2 "^storage: phase 2$" && has e2 "^storage: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails e2
  check "Erlang, second boot: e2fsck -fn finds the disk clean" fsck_clean "$work/e.img"
  check "debugfs writes a malformed /sys.config onto the disk" put_config "$work/broken-sys.config"
  boot e3 "$work/erl.img" --disk "$work/e.img"
  check "Erlang, third boot: the console says the malformed /data/sys.config is not used" \
    has e3 "/data/sys.config not used (the image's settings hold): line"
  check "Erlang, third boot: the image's settings hold, boot 2's data is there ($(grep -a '^storage: [0-9]* passed' "$work/e3.log"))" \
    eval 'has e3 "^storage: phase 3$" && has e3 "^storage: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails e3
  check "Erlang, third boot: e2fsck -fn finds the disk clean" fsck_clean "$work/e.img"
fi
