#!/usr/bin/env bash
# storage.sh - /data: the ext4 file system on a virtio-blk disk, inside
# libos (libos/ext4_*.c over libext2fs, docs/storage.md), end to end:
#   - a C program (tests/posix/ext4.c, systems/posix-ext4.config) on a disk
#     made by `tools/freebeam disk --ext4 --from DIR`: the first boot
#     writes files and directories and checks every call it uses; the
#     host's `e2fsck -fn` finds the disk clean and `debugfs` reads what it
#     wrote; the second boot reads it all back (and the host's file); the
#     disk is clean again;
#   - symbolic and hard links on /data (tests/posix/links.c, systems/posix-links.config),
#     then the same checks on the host's Linux; e2fsck clean, debugfs reads the links;
#   - disks whose journals hold transactions the host's debugfs committed
#     (plain and with CSUM_V3 tags): libos replays them at mount;
#   - the same program without a disk: libos says /data is not mounted,
#     once, and /data does not exist;
#   - a disk with no file system on it: libos says so, nothing is mounted;
#   - O_SYNC writes: QEMU killed right after them, they are on the disk,
#     a later write without O_SYNC is not (tests/storage/osync.sh);
#   - power cuts (STORAGE_CUTS, 8 by default; tests/suites/powercut.sh makes
#     200): QEMU killed while the image writes, fsyncs and renames over
#     files; e2fsck -fn clean after the replay, every fsync'd write there,
#     the renamed-over file whole, old or new (tests/storage/powercut.sh);
#   - Erlang's `file` on /data (STORAGE_ERLANG=0 skips: it needs erts):
#     an image writes files with file:write_file, file:open + append,
#     file:rename, file:make_dir, powers off; a second boot reads them
#     back with file:read_file and file:list_dir; e2fsck clean each time.
# Ends with `N passed, N failed`.  STORAGE_TIMEOUT bounds each boot (s).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/checks.sh
. tests/lib/background.sh
t=${STORAGE_TIMEOUT:-90}
img=$B/images/posix-ext4.img
make --no-print-directory -s "$img" >/dev/null || { bad "make $img"; finish; }
work=$(mktemp -d $B/storage-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PATH=$PATH:/usr/sbin:/sbin

# boot TAG IMAGE RUN-ARGS...: the console in $work/TAG.log (CR removed), exit status in $rc.
boot() {
  local tag=$1 image=$2; shift 2
  tools/freebeam run "$image" --timeout "$t" "$@" >"$work/$tag.raw" 2>&1; rc=$?
  tr -d '\r' <"$work/$tag.raw" >"$work/$tag.log"
}
has() { grep -aq "$2" "$work/$1.log"; }
fails() { grep -a 'FAIL\|^libos: ext4\|^fault' "$work/$1.log" | head -20 | show; }
fsck_clean() { e2fsck -fn "$1" >"$work/fsck.log" 2>&1 || { show <"$work/fsck.log"; return 1; }; }

# ---- the C program, two boots on one disk ----
mkdir -p "$work/content"
echo "made on the host" >"$work/content/from-host.txt"
tools/freebeam disk --size 32M --ext4 --from "$work/content" "$work/c.img" >/dev/null 2>&1
check "disk --ext4 --from: an ext4 image holding the host's file" \
  eval '[ "$(debugfs -R "cat /from-host.txt" "$work/c.img" 2>/dev/null)" = "made on the host" ]'
boot c1 "$img" --disk "$work/c.img"
check "C, first boot: /data mounted" has c1 '^libos: ext4: /data mounted, KiB 32768$'
check "C, first boot: every check passes ($(grep -a '^ext4: [0-9]* passed' "$work/c1.log"))" \
  eval 'has c1 "^ext4: phase 1$" && has c1 "^ext4: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails c1
check "C, first boot: e2fsck -fn finds the disk clean" fsck_clean "$work/c.img"
check "C, first boot: debugfs reads what the guest wrote" \
  eval '[ "$(debugfs -R "cat /dir/hello.txt" "$work/c.img" 2>/dev/null)" = "hello, disk" ] &&
        [ "$(debugfs -R "cat /dir/moved/f" "$work/c.img" 2>/dev/null)" = "in sub" ] &&
        [ "$(debugfs -R "stat /dir/big" "$work/c.img" 2>/dev/null | grep -o "Size: [0-9]*" | head -n 1)" = "Size: 307200" ]'
check "C, first boot: the file system is marked clean" \
  eval 'dumpe2fs -h "$work/c.img" 2>/dev/null | grep -q "^Filesystem state: *clean$"'
boot c2 "$img" --disk "$work/c.img"
check "C, second boot: everything is read back ($(grep -a '^ext4: [0-9]* passed' "$work/c2.log"))" \
  eval 'has c2 "^ext4: phase 2$" && has c2 "^ext4: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails c2
check "C, second boot: e2fsck -fn finds the disk clean" fsck_clean "$work/c.img"

# ---- symbolic and hard links on /data: tests/posix/links.c in a PD, then ----
# ---- the same source on the host's Linux (its checks test Linux's semantics) ----
limg=$B/images/posix-links.img
make --no-print-directory -s "$limg" >/dev/null || bad "make $limg"
tools/freebeam disk --size 32M --ext4 "$work/l.img" >/dev/null 2>&1
boot links "$limg" --disk "$work/l.img"
check "links on /data: every check passes ($(grep -a '^links: [0-9]* passed' "$work/links.log"))" \
  eval 'has links "^links: [1-9][0-9]* passed, 0 failed$" && [ $rc -eq 0 ]' || fails links
check "links on /data: e2fsck -fn finds the disk clean" fsck_clean "$work/l.img"
check "links on /data: debugfs reads the links the guest made" \
  eval '[ "$(debugfs -R "stat /fb-links/l" "$work/l.img" 2>/dev/null | grep -o "Type: [a-z]*")" = "Type: symlink" ] &&
        [ "$(debugfs -R "stat /fb-links/d/long" "$work/l.img" 2>/dev/null | grep -o "Size: [0-9]*" | head -n 1)" = "Size: 281" ] &&
        [ "$(debugfs -R "stat /fb-links/f" "$work/l.img" 2>/dev/null | grep -o "Links: [0-9]*")" = "Links: 2" ]'
if ${HOSTCC:-cc} -std=c11 -Wall -Wextra -Werror -O2 tests/posix/links.c -o "$work/links-linux" >"$work/cc.log" 2>&1; then
  mkdir -p "$work/host-links"
  out=$(timeout 60 "$work/links-linux" "$PWD/$work/host-links" 2>&1); rc=$?   # absolute: links.c makes absolute targets
  check "links on the host's Linux: every check passes ($(grep -a '^links: [0-9]* passed' <<<"$out"))" \
    eval '[ $rc -eq 0 ] && grep -q "^links: [1-9][0-9]* passed, 0 failed$" <<<"$out"' || show <<<"$out"
else show <"$work/cc.log"; bad "links on the host's Linux: build failed"; fi

# ---- a journal with committed transactions, written by the host's debugfs ----
# Transaction 1 writes block 5000, transaction 2 block 5001, transaction 3
# revokes 5001; the second disk's journal has CSUM_V3 tags.  Mounting
# replays them: 5000 holds the copy, 5001 does not, the journal is empty,
# needs_recovery is gone and e2fsck -fn finds the disk clean.
head -c 4096 /dev/urandom >"$work/b1"; head -c 4096 /dev/urandom >"$work/b2"
journal() {  # journal TAG JO-OPTIONS
  local tag=$1 opts=$2
  tools/freebeam disk --size 32M --ext4 --from "$work/content" "$work/$tag.img" >/dev/null 2>&1
  printf 'jo %s\njw -b 5000 %s\njc\njo\njw -b 5001 %s\njc\njo\njw -r 5001\njc\n' \
    "$opts" "$work/b1" "$work/b2" >"$work/$tag.cmds"
  debugfs -w -f "$work/$tag.cmds" "$work/$tag.img" >/dev/null 2>&1
  check "$tag: debugfs left three committed transactions" \
    eval '[ "$(debugfs -R logdump "$work/$tag.img" 2>/dev/null | grep -c "commit block")" = 3 ] &&
          dumpe2fs -h "$work/$tag.img" 2>/dev/null | grep -q "^Filesystem features:.*needs_recovery"'
  boot "$tag" "$img" --disk "$work/$tag.img"
  check "$tag: libos replays 3 transactions, 1 block (the other revoked), then mounts" \
    eval 'has $tag "^libos: ext4: the journal was replayed: transactions 3$" &&
          has $tag "^libos: ext4: the journal was replayed: blocks 1$" && has $tag "^libos: ext4: /data mounted"'
  check "$tag: block 5000 holds the journal's copy, 5001 not" \
    eval 'dd if="$work/$tag.img" bs=4096 skip=5000 count=1 status=none | cmp -s - "$work/b1" &&
          ! dd if="$work/$tag.img" bs=4096 skip=5001 count=1 status=none | cmp -s - "$work/b2"'
  check "$tag: the journal is empty, no needs_recovery, e2fsck -fn clean" \
    eval '[ "$(dumpe2fs -h "$work/$tag.img" 2>/dev/null | sed -n "s/^Journal start: *//p")" = 0 ] &&
          ! dumpe2fs -h "$work/$tag.img" 2>/dev/null | grep -q "needs_recovery" && fsck_clean "$work/$tag.img"'
  check "$tag: the C program's checks pass after the replay" \
    eval 'has $tag "^ext4: [1-9][0-9]* passed, 0 failed$"' || fails "$tag"
}
journal replay ""
journal replay-csum "-c"

# ---- no disk; a disk without a file system ----
boot none "$img"
check "no disk: libos says /data is not mounted, once" \
  eval '[ "$(grep -ac "^libos: ext4: no disk: /data is not mounted$" "$work/none.log")" -eq 1 ]'
check "no disk: the program finds no /data (and fails, exit $rc)" \
  eval 'has none "FAIL line [0-9]*: stat(\"/data\", &st) == 0 .*(errno 2)$" && [ $rc -ne 0 ]'
tools/freebeam disk --size 4M "$work/zero.img"
boot zero "$img" --disk "$work/zero.img"
check "zeroed disk: libos says there is no file system, nothing mounted" \
  eval 'has zero "^libos: ext4: the disk holds no ext2/3/4 file system we can open: /data is not mounted" &&
        has zero "FAIL line [0-9]*: stat(\"/data\", &st) == 0"'
check "zeroed disk: the disk is left as it was (zeroes)" eval '[ "$(tr -d "\0" <"$work/zero.img" | wc -c)" = 0 ]'
tools/freebeam disk --size 16M --ext4 "$work/cut.img" >/dev/null 2>&1 && truncate -s 8M "$work/cut.img"
cp "$work/cut.img" "$work/cut.orig"
boot cut "$img" --disk "$work/cut.img"
check "a file system larger than its disk: libos refuses it, nothing mounted, nothing written" \
  eval 'has cut "^libos: ext4: the file system is larger than the disk: /data is not mounted$" &&
        has cut "FAIL line [0-9]*: stat(\"/data\", &st) == 0" && cmp -s "$work/cut.img" "$work/cut.orig"'

# ---- an O_SYNC write is on the disk when it returns ----
. tests/storage/osync.sh

# ---- power cuts ----
. tests/storage/powercut.sh
powercut_cuts cuts "${STORAGE_CUTS:-8}"

# ---- Erlang's file module ----
if [ "${STORAGE_ERLANG:-1}" = 1 ]; then
  . tests/storage/storage-erlang.sh
fi
finish
