#!/usr/bin/env bash
# update.sh - release updates with rollback (docs/storage.md, "Release
# updates"; libos/release_boot.c, erlang/src/freebeam_release.erl,
# `tools/freebeam update`).  One image (version 1 of tests/update/upd.erl,
# FREEBEAM_CONFIRM_S=5) boots one disk again and again while
# `tools/freebeam update` places versions on it:
#   - version 2 does not confirm: its trial is halted by the timer, and the
#     next boot runs the image's release again;
#   - version 3 confirms: the next boot runs it as permanent;
#   - version 4 crashes (erts aborts): the next boot runs 3 again;
#   - a malformed /releases/boot: the image's release boots, libos says why;
#   - update refuses a version already on the disk, and a disk without ext4.
# e2fsck -fn finds the disk clean after every boot.  Ends with `N passed,
# N failed`.  UPDATE_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
t=${UPDATE_TIMEOUT:-90}
work=$(mktemp -d $B/update-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH=$PATH:/usr/sbin:/sbin
make --no-print-directory -s $B/kernel/kernel.elf $B/erts/beam.smp $B/pds/drivers/blk.elf >/dev/null ||
  give_up "make the kernel, erts and the blk driver"

# app VSN ACTION: tests/update/upd.erl as version VSN in $work/upd-VSN
app() {
  local d=$work/upd-$1
  mkdir -p "$d/ebin" && erlc -o "$d/ebin" tests/update/upd.erl || return 1
  cat >"$d/ebin/upd.app" <<APP
{application, upd, [{description, "release updates"}, {vsn, "$1"}, {modules, [upd]},
  {registered, []}, {applications, [kernel, stdlib, freebeam]}, {mod, {upd, []}}, {env, [{action, $2}]}]}.
APP
}
boot() {
  tools/freebeam run "$work/upd.img" --timeout "$t" --disk "$work/d.img" >"$work/$1.raw" 2>&1; rc=$?
  tr -d '\r' <"$work/$1.raw" >"$work/$1.log"
}
has() { grep -aq "$2" "$work/$1.log"; }
runs() {   # TAG PATTERN STATUS: the boot printed PATTERN and ended with STATUS
  has "$1" "$2" && [ "$rc" -eq "$3" ] || { tail -n 12 "$work/$1.log" | show; return 1; }
}
fsck_clean() { e2fsck -fn "$work/d.img" >"$work/fsck.log" 2>&1 || { show <"$work/fsck.log"; return 1; }; }
update() {  # VSN: place version VSN (its action set by app) on the disk
  tools/freebeam update --app "$work/upd-$1" --vsn "$1" --disk "$work/d.img" >"$work/update-$1.log" 2>&1 ||
    { show <"$work/update-$1.log"; return 1; }
}

app 1 halt && app 2 wait && app 3 confirm && app 4 crash || give_up "erlc tests/update/upd.erl"
tools/freebeam image --app "$work/upd-1" --vsn 1 --system beam/data-disk.config --env FREEBEAM_CONFIRM_S=5 \
  -o "$work/upd.img" >"$work/image.log" 2>&1 || { show <"$work/image.log"; give_up "image --app upd"; }
tools/freebeam disk --size 64M --ext4 "$work/d.img" >/dev/null 2>&1 || give_up "disk --ext4"

boot b1
check "boot 1: the image's release (version 1) runs" runs b1 '^upd: vsn 1 release factory action halt$' 0

check "update: version 2 placed on the disk" update 2
check "update: /releases/boot says try 2" eval '[ "$(debugfs -R "cat /releases/boot" "$work/d.img" 2>/dev/null)" = "try 2" ]'
boot b2
check "boot 2: version 2 on trial" runs b2 '^upd: vsn 2 release {trial,"2",factory} action wait$' 1
check "boot 2: libos said it boots on trial" has b2 '^libos: release: 2 boots from /data on trial; unless it confirms, the next boot runs factory$'
check "boot 2: the trial notice printed once" eval '[ "$(grep -ac "release 2 on trial: it must confirm within 5 s" "$work/b2.log")" -eq 1 ]'
check "boot 2: not confirmed within 5 s, the timer halted it" has b2 'release 2 did not confirm within 5 s; halting'
check "boot 2: e2fsck -fn clean" fsck_clean
boot b3
check "boot 3: rolled back to the image's release" runs b3 '^upd: vsn 1 release factory action halt$' 0

check "update: version 3 placed" update 3
boot b4
check "boot 4: version 3 on trial confirms" runs b4 '^upd: confirm ok$' 0
check "boot 4: /releases/boot says permanent 3" eval '[ "$(debugfs -R "cat /releases/boot" "$work/d.img" 2>/dev/null)" = "permanent 3" ]'
check "boot 4: e2fsck -fn clean" fsck_clean
boot b5
check "boot 5: version 3 is permanent" runs b5 '^upd: vsn 3 release {permanent,"3"} action confirm$' 0
check "boot 5: libos said so" has b5 '^libos: release: 3 boots from /data (permanent)$'

check "update: version 4 placed (permanent 3 kept)" update 4
check "update: /releases/boot says permanent 3, try 4" \
  eval '[ "$(debugfs -R "cat /releases/boot" "$work/d.img" 2>/dev/null)" = "$(printf "permanent 3\ntry 4")" ]'
boot b6
check "boot 6: version 4 on trial crashes" runs b6 '^upd: vsn 4 release {trial,"4","3"} action crash$' 134
boot b7
check "boot 7: back to version 3" runs b7 '^upd: vsn 3 release {permanent,"3"} action confirm$' 0
check "boot 7: e2fsck -fn clean" fsck_clean

check "update refuses a version already on the disk" eval '! tools/freebeam update --app "$work/upd-3" --vsn 3 --disk "$work/d.img" 2>"$work/again.log" && grep -q "already holds release 3" "$work/again.log"'
tools/freebeam disk --size 8M "$work/raw.img" >/dev/null 2>&1
check "update refuses a disk without ext4" eval '! tools/freebeam update --app "$work/upd-2" --disk "$work/raw.img" 2>"$work/raw.log" && grep -q "no ext4 file system" "$work/raw.log"'

printf 'permanent 3\ntry ../x\n' >"$work/bad"
debugfs -w -f - "$work/d.img" >/dev/null 2>&1 <<CMDS
rm /releases/boot
write $work/bad /releases/boot
CMDS
boot b8
check "malformed /releases/boot: the image's release boots" runs b8 '^upd: vsn 1 release factory action halt$' 0
check "malformed /releases/boot: libos says so" has b8 '^libos: release: /data/releases/boot is malformed; the image.s release boots$'
finish
